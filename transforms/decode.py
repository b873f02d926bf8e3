"""Stage 1, decode: raw bytes of a report file -> text, with the codec recorded.

In: a frame with `doc_id`, `source_path`, `raw` (binary). Out: the same rows with `codec`,
`text_raw` (str, or null) and `decode_error` (reason, or null). HTML files are also turned
into plain text that keeps table structure (see transforms.html_text).
"""

from __future__ import annotations

import codecs
import re

import polars as pl

from transforms.html_text import html_to_text, is_html

# Codecs tried for bytes that are not valid UTF-8, in order. GB18030 is a superset of GBK
# and GB2312; Big5 covers traditional-script pages from Taiwan/HK-style sites.
_LEGACY_CODECS = ("gb18030", "big5")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)

# Plausibility of a legacy decoding is judged by the share of characters in the GB2312 level-1 set (the 3,755 most
# common simplified hanzi) or, for Big5, its level-1 set (5,401 common traditional hanzi).
_LEVEL_1 = {"gb2312": (range(0xB0, 0xD8), range(0xA1, 0xFF)),
            "big5": (range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])}


def _level_1_hanzi() -> frozenset[str]:
    """Every hanzi whose GB2312 or Big5 code falls in that codec's level-1 rows (built once:
    testing membership is what makes judging a legacy decoding cheap)."""
    common = set()
    for codec, (leads, trails) in _LEVEL_1.items():
        for lead in leads:
            for trail in trails:
                try:
                    char = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                # A character with two codes counts by the one it is encoded with.
                if char.encode(codec)[0] in leads:
                    common.add(char)
    return frozenset(common)


_COMMON_HANZI = _level_1_hanzi()
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _share_common_hanzi(text: str) -> float:
    hanzi = _HAN.findall(text)
    if not hanzi:
        return 0.0
    return sum(c in _COMMON_HANZI for c in hanzi) / len(hanzi)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# Control bytes no text file holds (tab, newlines, form feed and carriage return aside).
_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x20)])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if not sample:
        return False
    controls = len(sample.translate(None, _NOT_CONTROL))
    return b"\x00" in sample or controls / len(sample) > 0.05


def _utf8_read_as_latin(text: str) -> str | None:
    """The codec UTF-8 bytes were mistaken for, when `text` is such mojibake: no Han
    characters of its own, and re-encoding it gives valid UTF-8 that is Chinese."""
    sample = text[:4000]
    if _HAN.search(sample) or sum("\u00c0" <= ch <= "\u00ff" for ch in sample) < 20:
        return None
    for codec in ("cp1252", "latin-1"):
        try:
            original = sample.encode(codec).decode("utf-8", errors="ignore")
        except UnicodeEncodeError:
            continue
        if len(_HAN.findall(original)) >= 10:
            return codec
    return None


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str | None]:
    """(text, codec, error) for the bytes of one file. Exactly one of text / error is set."""
    if not data:
        return None, None, "empty file"
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig", None
        except UnicodeDecodeError as exc:
            return None, "utf-8-sig", f"invalid UTF-8 after a UTF-8 BOM at byte {exc.start + 3}"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError as exc:
            return None, "utf-16", f"invalid UTF-16 at byte {exc.start}"
    # UTF-16 without BOM: every other byte NUL in ASCII-heavy text.
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and b"\x00\x00" not in data:
        try:
            return data.decode("utf-16-le"), "utf-16-le", None
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        return None, None, "binary content (control bytes), not a text report"
    try:
        text = data.decode("utf-8")
        twice = _utf8_read_as_latin(text)
        if twice:
            return None, "utf-8", (
                f"double-encoded: UTF-8 bytes were once read as {twice} and saved again as "
                "UTF-8 (mojibake such as æ”¿åºœ for 政府); convert it back or fetch the "
                "original")
        return text, "utf-8", None
    except UnicodeDecodeError as exc:
        # Valid UTF-8 up to an incomplete last character: a download or copy cut short.
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return None, "utf-8", (f"UTF-8 text cut off inside a character at byte "
                                   f"{exc.start} of {len(data)}: the file is truncated "
                                   "(an interrupted download or copy); fetch it again")
    candidates: list[tuple[float, str, str]] = []
    declared = _declared_charset(data)
    order = list(_LEGACY_CODECS)
    if declared in ("gbk", "gb2312", "gb18030"):
        order = ["gb18030", "big5"]
    elif declared == "big5":
        order = ["big5", "gb18030"]
    for rank, codec in enumerate(order):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # A declared charset wins ties; otherwise the more plausible hanzi mix wins.
        candidates.append((_share_common_hanzi(text) + (0.05 if rank == 0 and declared else 0),
                           codec, text))
    if not candidates:
        return None, None, (
            "bytes are not valid UTF-8, UTF-16, GB18030 or Big5"
            + (f" (page declares {declared})" if declared else "")
        )
    score, codec, text = max(candidates, key=lambda c: c[0])
    if score < 0.3:
        return None, codec, f"no codec gives plausible Chinese text (best {codec}, {score:.2f})"
    return text, codec, None


def decode_reports(files: pl.DataFrame) -> pl.DataFrame:
    """Decode the `raw` bytes of each file; HTML becomes table-preserving text.

    Adds `codec`, `is_html`, `text_raw` (null when undecodable) and `decode_error`.
    """
    rows = []
    # Inherently per document: codec detection looks at each file's bytes as a whole.
    for doc_id, path, raw in files.select("doc_id", "source_path", "raw").iter_rows():
        text, codec, error = decode_bytes(raw)
        html = False
        if text is not None and (path.lower().endswith((".htm", ".html")) or is_html(text)):
            html = True
            try:
                text = html_to_text(text)
            except Exception as exc:  # a malformed page is quarantined, not fatal
                text, error = None, f"HTML could not be parsed: {exc!r}"
        rows.append((doc_id, codec, html, text, error))
    decoded = pl.DataFrame(
        rows,
        schema={"doc_id": pl.String, "codec": pl.String, "is_html": pl.Boolean,
                "text_raw": pl.String, "decode_error": pl.String},
        orient="row",
    )
    return files.drop("raw").join(decoded, on="doc_id", how="left", maintain_order="left")
