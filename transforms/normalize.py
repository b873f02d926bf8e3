"""Stage 2, normalize: decoded report text -> the text extraction reads.

In: frame with `doc_id`, `text_raw`. Out: adds `text` (normalized; every evidence span points
into it), `script` (simplified / traditional / mixed, of the original), `mojibake_repaired`,
`mojibake_unrepaired` (paragraph starts), `debris_removed` (lines dropped) and `header_text`
(the removed crawl/page header, still useful for the publication date).

Steps, in order (each is a column expression over all documents at once, except the two that
are inherently per document: OpenCC conversion and the byte-level mojibake repair, which only
run on the documents that need them):
1. line endings, zero-width characters;
2. pinyin glued after characters (報(bào)告 -> 報告), only when the parenthesis holds pinyin
   with a tone mark, so （以下简称《条例》） and (2014) are untouched;
3. GBK mis-alignment mojibake at paragraph starts (?。ㄒ唬┩晟企w -> （一）完善體), repaired by
   re-reading the bytes one byte later where that yields plausible text, else marked 〓;
4. traditional -> simplified script with OpenCC t2s (character and phrase tables);
5. full-width digits, percent and decimal points -> ASCII;
6. web debris (crawl headers, share/print widgets, navigation, related-entry lists) removed;
7. the hard line breaks of a PDF's text layer (every full line of a paragraph broken at the
   page width, often inside a phrase: 全年主动公开政⏎府信息171条) joined, per document, only
   where the lines show such a width.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import opencc
import polars as pl

# A paragraph whose unrepairable mojibake was replaced keeps this mark (the GETA mark,
# used in Chinese typesetting for a character that cannot be set).
MOJIBAKE_MARK = "〓"

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A Han character followed by a parenthesised pinyin syllable carrying a tone mark.
PINYIN_GLOSS = (
    r"(\p{Han})[(（]([a-zü]*[" + _TONE_VOWELS + r"][a-zü" + _TONE_VOWELS + r"]*)[)）]"
)

_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {"％": "%", "．": "."}

# Lines that are page furniture, not report text. Matched against whole lines, and only
# short ones: a flattened page can hold the whole report on one line after "当前位置：".
DEBRIS_LINE = (
    r"(?m)^[ \t　]*(?:"
    # A share widget's counter sits on the line after it; a lone number elsewhere is a table
    # cell of a PDF extraction (cells on lines), not debris.
    r"分享到[:：]?.{0,80}(?:\n[ \t　]*\d{1,3})?|打印(?:本页|此页)?|关闭(?:窗口|本页)?|【?(?:打印|关闭)】?.{0,12}|"
    r"相关词条|热门词条|联络我们|联系我们|返回顶部|收藏本页|"
    r"【?字[体号][:：]?\s*(?:[大中小]\s*)*】?.{0,80}|"
    r"(?:上一篇|下一篇|上一条|下一条)[:：].{0,80}|"
    r"(?:责任编辑|来\s*源|浏览次数|访问次数|点击数|阅读次数)[:：].{0,40}|"
    r"扫一扫.{0,80}|附件下载|文字解读|图片解读|历史搜索[:：]?.{0,80}|热门搜索[:：]?.{0,80}|相关链接[:：]?|"
    r"网站标识码.{0,80}|.{0,80}ICP备.{0,80}|版权所有.{0,80}|主办单位[:：].{0,80}|.{0,80}建议您?使用.{0,80}浏览器.{0,80}|"
    r"(?:使用帮助|隐私保护|网站地图)(?:\s*\|.{0,80})?|"
    r"基本介绍|-\s*(?:中文名|地区|类型|时间|外文名)\s*[:：].{0,80}|"
    r"当前位置[:：].{0,80}|您(?:现在)?的位置[:：].{0,80}|首页\s*[>›»].{0,80}"
    r")[ \t　]*$\n?"
)
# Markdown heading marks (OCR and PDF converters): "## 一、总体情况" is the heading 一、总体情况.
MARKDOWN_HEADING = r"(?m)^#{1,6}[ \t]+"
# Crawl header of archived pages: "标题: … 发布时间: … ==== 正文 ====".
CRAWL_HEADER = r"(?s)\A(?:[^\n]*\n){0,12}?=+\s*正文\s*=+\n"
# Widgets glued to the end of the last paragraph ("…业务水平。 打印").
TRAILING_WIDGET = r"(?m)[ \t　]+(?:打印|关闭|【打印】|【关闭】|分享到)[ \t　]*$"


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def traditional_only_chars() -> str:
    """Han characters that t2s changes and that are not themselves simplified (GB2312)."""
    chars = [chr(c) for c in range(0x4E00, 0x9FA6)]
    converted = _t2s().convert("\n".join(chars)).split("\n")
    out = []
    for original, simplified in zip(chars, converted, strict=True):
        if original == simplified:
            continue
        try:
            original.encode("gb2312")
        except UnicodeEncodeError:
            out.append(original)
    return "".join(out)


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


# ---- mojibake ------------------------------------------------------------------------------

MOJIBAKE_LINE = r"(?m)^[?\x{FFFD}][^\x00-\x7F]"
_GLOSS_RESIDUE = re.compile(r"^\??[(（]?[a-zü]*[" + _TONE_VOWELS + r"][a-zü" + _TONE_VOWELS + r"]*[)）]")
_MOJIBAKE_START = re.compile(r"(?m)^[?\ufffd](?=[^\x00-\x7f])")


def _mojibake_run(line: str) -> tuple[str, int]:
    """The mis-decoded run after the leading '?': double-byte GBK characters, plus one ASCII
    character when it was the trail byte that brought the decoder back in step."""
    run = []
    for ch in line:
        try:
            encoded = ch.encode("gbk")
        except UnicodeEncodeError:
            break
        if len(encoded) == 2:
            run.append(ch)
            continue
        if 0x40 <= encoded[0] <= 0x7E and run:
            run.append(ch)
        break
    return "".join(run), len(run)


def _plausible(text: str) -> bool:
    """Repaired text is accepted when every Han character is a common one (GB2312 after t2s)."""
    for ch in to_simplified(text):
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                return False
    return True


def repair_mojibake_line(line: str) -> tuple[str, bool | None]:
    """(line, repaired?) for one line; None when the line carries no mojibake.

    The real damage: a page in GBK whose paragraphs start with an ideographic space (A1 A1)
    was decoded one byte out of step, so "　（一）完善體" became "?。ㄒ唬┩晟企w". Encoding the
    run back to GBK and dropping its first byte re-reads it in step. Where the scraper lost
    bytes (characters from GBK's user-defined areas were dropped) the re-read is garbage;
    then the run is replaced by the mark instead of being guessed.
    """
    if not _MOJIBAKE_START.match(line):
        return line, None
    run, length = _mojibake_run(line[1:])
    if not run:
        return line, None
    shifted = run.encode("gbk")[1:]
    try:
        repaired = shifted.decode("gbk")
    except UnicodeDecodeError:
        repaired = None
    rest = line[1 + length:]
    if repaired and _plausible(repaired):
        return repaired + rest, True
    # The lost bytes often took the opening parenthesis of a pinyin gloss with them
    # ("?yán)格"): drop that residue too, it belongs to the unreadable character.
    return MOJIBAKE_MARK + _GLOSS_RESIDUE.sub("", rest, count=1), False


def repair_mojibake(text: str) -> tuple[str, int, int]:
    """(text, repaired, unrepaired) with every mojibake paragraph start handled."""
    repaired = unrepaired = 0
    lines = []
    for line in text.split("\n"):
        fixed, ok = repair_mojibake_line(line)
        repaired += ok is True
        unrepaired += ok is False
        lines.append(fixed)
    return "\n".join(lines), repaired, unrepaired


# A line break is a wrap, not a paragraph end, when the line fills the page width and the
# next line does not start something of its own: an outline heading, a numbered item, a
# table cell or row, a page marker.
_NOT_CONTINUATION = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.、．](?!\d)|"
    r"[\d\s.,+/-]*$|[|｜—–-]|第\s*\d+\s*页|表[一二三四]|[^\n]{0,40}(?:情况|数量|项)$)")
_SENTENCE_END = "。！？；：!?;:"
# A text is hard-wrapped when this share of its longer lines have (nearly) one length.
_WRAP_MIN_LINES = 6
_WRAP_SHARE = 0.3


def wrap_width(lines: list[str]) -> int | None:
    """The page width a PDF's text layer broke lines at, or None when there is none."""
    lengths = [len(line) for line in lines if len(line) >= 16]
    if len(lengths) < _WRAP_MIN_LINES:
        return None
    counts = Counter(lengths)

    def near(n: int) -> int:  # lines within one character of n
        return counts[n - 1] + counts[n] + counts[n + 1]

    width = max(counts, key=lambda n: (near(n), n))
    return width if near(width) >= _WRAP_SHARE * len(lengths) else None


def join_hard_wraps(text: str) -> str:
    """`text` with the wrap breaks of full lines removed (see _NOT_CONTINUATION)."""
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return text
    out = [lines[0]]
    for line in lines[1:]:
        previous = out[-1]
        if (len(previous) >= width - 1 and previous.rstrip()[-1:] not in _SENTENCE_END
                and line.strip() and not _NOT_CONTINUATION.match(line)):
            out[-1] = previous + line
        else:
            out.append(line)
    return "\n".join(out)


# ---- the stage -----------------------------------------------------------------------------


def normalize_reports(docs: pl.DataFrame) -> pl.DataFrame:
    """Add `text`, `script`, mojibake counts, `debris_removed` and `header_text` to `docs`."""
    trad_class = "[" + traditional_only_chars() + "]"
    frame = docs.with_columns(
        pl.col("text_raw")
        .str.replace_all("\r\n?", "\n")
        .str.replace_all("[\u200b\u200c\u200d\ufeff]", "")
        .str.replace_all(PINYIN_GLOSS, "$1")
        .alias("text")
    ).with_columns(
        pl.col("text").str.count_matches(trad_class).alias("_trad"),
        pl.col("text").str.count_matches(r"\p{Han}").alias("_han"),
        pl.col("text").str.contains(MOJIBAKE_LINE).fill_null(False).alias("_moji"),
    )
    # Per document, only where a paragraph starts with mojibake.
    repaired = frame.filter(pl.col("_moji")).select(
        "doc_id",
        pl.col("text")
        .map_elements(
            lambda t: dict(zip(("_rtext", "mojibake_repaired", "mojibake_unrepaired"),
                               repair_mojibake(t), strict=True)),
            return_dtype=pl.Struct({"_rtext": pl.String, "mojibake_repaired": pl.Int32,
                                    "mojibake_unrepaired": pl.Int32}),
        )
        .alias("_r"),
    ).unnest("_r")
    frame = (
        frame.join(repaired, on="doc_id", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("_rtext", "text").alias("text"),
            pl.col("mojibake_repaired").fill_null(0),
            pl.col("mojibake_unrepaired").fill_null(0),
            pl.when(pl.col("_han") == 0)
            .then(pl.lit(None, pl.String))
            .when(pl.col("_trad") / pl.col("_han") >= 0.05)
            .then(pl.lit("traditional"))
            .when(pl.col("_trad") / pl.col("_han") >= 0.005)
            .then(pl.lit("mixed"))
            .otherwise(pl.lit("simplified"))
            .alias("script"),
        )
        .drop("_rtext")
    )
    # OpenCC, only for documents that carry traditional characters; glosses uncovered by the
    # mojibake repair ("突出重點(diǎn)") go in the same pass.
    frame = frame.with_columns(pl.col("text").str.replace_all(PINYIN_GLOSS, "$1")).with_columns(
        pl.when(pl.col("_trad") > 0)
        .then(pl.col("text").map_elements(to_simplified, return_dtype=pl.String))
        .otherwise(pl.col("text"))
        .alias("text")
    )
    frame = frame.with_columns(
        pl.col("text").str.replace_many(list(_FULLWIDTH), list(_FULLWIDTH.values()))
    ).with_columns(
        pl.col("text").str.extract(r"(?s)\A((?:[^\n]*\n){0,12}?=+\s*正文\s*=+)\n", 1)
        .alias("header_text"),
        pl.col("text").str.count_matches(DEBRIS_LINE).alias("debris_removed"),
    ).with_columns(
        pl.col("text")
        .str.replace(CRAWL_HEADER, "")
        .str.replace_all(DEBRIS_LINE, "")
        .str.replace_all(TRAILING_WIDGET, "")
        .str.replace_all(MARKDOWN_HEADING, "")
        .str.strip_chars()
        .alias("text")
    )
    # Hard wraps: only texts with many short lines can be a PDF's text layer.
    wrapped = (pl.col("text").str.count_matches("\n") >= _WRAP_MIN_LINES) & (
        pl.col("text").str.len_chars() < 80 * pl.col("text").str.count_matches("\n"))
    frame = frame.with_columns(
        pl.when(wrapped)
        .then(pl.col("text").map_elements(join_hard_wraps, return_dtype=pl.String))
        .otherwise(pl.col("text"))
        .alias("text")
    )
    return frame.drop("_trad", "_han", "_moji")
