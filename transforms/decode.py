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


def _share_common_hanzi(text: str) -> float:
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not hanzi:
        return 0.0
    common = 0
    for c in hanzi:
        try:
            b = c.encode("gb2312")
            if 0xB0 <= b[0] <= 0xD7:
                common += 1
                continue
        except UnicodeEncodeError:
            pass
        try:
            b = c.encode("big5")
            if 0xA4 <= b[0] <= 0xC6:
                common += 1
        except UnicodeEncodeError:
            pass
    return common / len(hanzi)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 0x09 or 0x0E <= b < 0x20)
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
