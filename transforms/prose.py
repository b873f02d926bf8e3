"""Stage 5a, extract from prose: sentences -> facts with their evidence.

In: the sentence frame of transforms.segment (with `text` offsets). Out: one row per fact:
`doc_id`, `measure`, `breakdown`, `value`, `value_kind` (number / approximate /
zero_in_words), `approx`, `evidence` (the sentence), `span_start`/`span_end` (the figure's
characters in the normalized text), `rule`.

How: every number followed by a unit is a *mention*; the words between the previous clause
boundary and the number (the *clause*) decide which measure it is, by the first matching
rule of transforms/rules/prose_figures.csv. Zeros stated in words come from
transforms/rules/prose_zero_phrases.csv. Rules are data; this module only applies them.
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from transforms.catalogue import canonical_category, read_rules
from transforms.numbers import parse_number

# A printed figure: qualifier, number (Arabic or Chinese), 余/多, 万, unit.
MENTION = re.compile(
    r"(?P<pre>将近|接近|近|约|逾|超过|多达)?\s*"
    r"(?P<num>\d[\d,，]*(?:\.\d+)?|[零〇两一二三四五六七八九十百千万]{1,8})\s*"
    r"(?P<post>余|多)?\s*(?P<mult>万|亿)?\s*(?P<post2>余|多)?\s*"
    r"(?P<unit>万人次|人次|件次|万元|元|件|条|次|个|篇|场|期|起|项|份|宗|例)"
    # A unit followed by another noun counts something else: 15个工作日, 五个部分, 3个月,
    # 32个单位 are deadlines, outline parts and bodies, not disclosure figures.
    r"(?!工作日|自然日|小时|月|部分|方面|百分点|单位|部门|乡镇|街道|窗口|栏目|专题|板块|方式|渠道)"
)
APPROX_WORDS = {"将近", "接近", "近", "约", "逾", "超过", "多达", "余", "多"}
# Clause boundaries: a figure is described by the words since the last one of these.
# Quotation marks are not boundaries: “同意公开”的427件 is one clause. Indentation is: a
# flattened page runs a heading into its paragraph ("三、依申请公开情况 　　全年召开…会议2次").
_CLAUSE_BOUNDARY = re.compile(r"[，,；;：:。！？!?（）()]|[ \t]*　[ \t　]*|[ \t]{2,}")
_QUOTES = re.compile(r"[“”\"‘’「」]")
# Nearest kind of case before an outcome figure: 复议 (reconsideration) or 诉讼 (lawsuit).
_CASE_WORD = re.compile(r"复议|诉讼")
# Words that sit between a label and its figure and say nothing about the measure.
_FILLER = re.compile(r"(?:为|达到?|共计?|合计|总计|计|约|有|是|了|已|分别|累计|将近|接近|近|逾|超过|多达)+$")
_LEADING = re.compile(r"^[、\s]+|^(?:其中|另外|此外|以及|及|和)[，,、:：]?|^\d{1,2}\s*[.、．](?!\d)\s*")

# Channels of proactive disclosure, the nearest one before a figure wins.
CHANNEL_WORDS = [
    ("website", r"门户网站|政府网站|网站|网页|网上|专栏"),
    ("gazette", r"政府公报|公报|政报"),
    ("weibo", r"微博"),
    ("wechat", r"微信|公众号"),
    ("app", r"客户端|APP|App|新媒体|政务平台"),
    ("bulletin", r"公开栏|公告栏|公示栏|电子显示屏|显示屏|查阅点|查阅室|宣传栏|触摸屏"),
    ("press", r"报刊|报纸|广播|电视|新闻媒体"),
    # "通过《湖北日报》、湖北电视台…等其他方式公开": the report files them under 其他.
    ("other", r"其他(?:方式|渠道|途径|形式|载体)"),
]
_CHANNEL = re.compile("|".join(f"(?P<{code}>{words})" for code, words in CHANNEL_WORDS))
# A sentence about proactive disclosure (2008 Regulations' 主动公开, or publishing information).
PROACTIVE_SENTENCE = r"主动公开|(?:公开|发布|公布)[^，。,]{0,8}信息"
# Words that cannot be inside a category label of an enumeration.
_NOT_A_CATEGORY = re.compile(
    r"\d|网站|微博|微信|公报|申请|访问|(?<!应主动)公开|发布|累计|全年|部门|乡镇|各级|单位|(?<!公)共|占|其中|通过")
# A label that names no category, only information in general: 其中主动公开政府信息425条.
_GENERIC_LABEL = re.compile(r"^(?:政府|政务|各类|各项|相关)?(?:信息|政府信息|政务信息)$")
# A figure followed by its share of a whole (…303条，占71.3%) is a part, never a total.
_SHARE_AFTER = re.compile(r"^[，,\s]*(?:约)?占")


# The columns of a fact, whichever stage read it (prose, annex, standard tables).
FACT_SCHEMA = {"doc_id": pl.String, "measure": pl.String, "breakdown": pl.String,
               "value": pl.Float64, "value_kind": pl.String, "approx": pl.Boolean,
               "evidence": pl.String, "sentence_start": pl.Int64, "sentence_end": pl.Int64,
               "span_start": pl.Int64, "span_end": pl.Int64, "rule": pl.String,
               "printed": pl.String}
FACT_COLUMNS = list(FACT_SCHEMA)


@cache
def figure_rules() -> pl.DataFrame:
    # CASE: review or lit_total, whichever case the sentence (or the one before) names last.
    return read_rules("prose_figures.csv", markers=frozenset({"CASE"}))


@cache
def zero_rules() -> pl.DataFrame:
    return read_rules("prose_zero_phrases.csv")


_MENTION_SCHEMA = {"doc_id": pl.String, "sentence_start": pl.Int64, "sentence_end": pl.Int64,
                   "evidence": pl.String, "section": pl.String, "preceding": pl.String,
                   "span_start": pl.Int64, "span_end": pl.Int64, "printed": pl.String,
                   "unit": pl.String, "value": pl.Float64, "approx": pl.Boolean,
                   "clause": pl.String, "prefix": pl.String, "heading": pl.String,
                   "channel": pl.String, "after": pl.String, "after_clause": pl.String,
                   "case_kind": pl.String, "is_share_part": pl.Boolean}
_CASE_KIND = {"复议": "review", "诉讼": "lit_total"}
# What every MENTION holds: a numeral, then (past spaces, 余/多, 万/亿) a unit's first
# character, with only separators (1,234), spaces, 余/多 and 万/亿 between. Most sentences have
# none; polars finds them faster than MENTION can rule them out. (Python's \s also takes
# \x1c-\x1f, Unicode's White_Space does not.)
_MAY_MENTION = (r"[0-9零〇两一二三四五六七八九十百千万][\s\x1c-\x1f,，余多万亿]*"
                r"[人件元条次个篇场期起项份宗例]")


def find_mentions(sentences: pl.DataFrame) -> pl.DataFrame:
    """One row per printed figure in the prose sentences, with its clause and context."""
    candidates = sentences.filter(
        ~pl.col("is_table_row") & pl.col("sentence").str.contains(_MAY_MENTION))
    columns: dict[str, list] = {name: [] for name in _MENTION_SCHEMA}
    # Per sentence: offsets of each figure need a scan with positions. The sentence's clause
    # boundaries, case words and channel words are found once, not again for each figure.
    for doc_id, start, sentence, section, preceding, heading in candidates.select(
        "doc_id", "start", "sentence", "section", "preceding", "previous_heading"
    ).iter_rows():
        previous_end = 0
        boundaries = None
        for m in MENTION.finditer(sentence):
            begin = m.start()
            if begin > 0 and (sentence[begin - 1].isdigit() or sentence[begin - 1] in ".．"):
                continue
            value = parse_number(m.group("num"))
            if value is None:
                continue
            if boundaries is None:
                boundaries = [b.span() for b in _CLAUSE_BOUNDARY.finditer(sentence)]
                cases = [(c.end(), c.group(0)) for c in _CASE_WORD.finditer(sentence)]
                preceding_case = _CASE_WORD.findall(preceding)
            unit = m.group("unit")
            multiplier = (10_000 if m.group("mult") == "万" or unit.startswith("万") else 1) * (
                100_000_000 if m.group("mult") == "亿" else 1)
            before = sentence[:begin]
            boundary = _last_boundary_end(boundaries, before, begin)
            clause = before[max(boundary, previous_end):]
            clause = _LEADING.sub("", _QUOTES.sub("", clause).strip())
            # The rest of the sentence; rules bound it themselves (^[^，,；;]{0,16}复议).
            after = sentence[m.end():]
            first_after = _CLAUSE_BOUNDARY.search(sentence, m.end())
            after_clause = after[:first_after.start() - m.end()] if first_after else after
            case = next((word for end, word in reversed(cases) if end <= begin), None)
            if case is None and preceding_case:
                case = preceding_case[-1]
            core = clause if clause.endswith("历年累计") else _FILLER.sub("", clause)
            approx = bool({m.group("pre"), m.group("post"), m.group("post2")} & APPROX_WORDS)
            for name, item in (
                ("doc_id", doc_id), ("sentence_start", start),
                ("sentence_end", start + len(sentence)), ("evidence", sentence),
                ("section", section), ("preceding", preceding),
                ("span_start", start + m.start()), ("span_end", start + m.end()),
                ("printed", m.group(0)), ("unit", unit.removeprefix("万") or unit),
                ("value", value * multiplier), ("approx", approx), ("clause", core),
                ("prefix", before), ("heading", heading),
                ("channel", _nearest_channel(before, boundary)), ("after", after),
                ("after_clause", after_clause), ("case_kind", _CASE_KIND.get(case)),
                ("is_share_part", bool(_SHARE_AFTER.match(sentence[m.end():m.end() + 6]))),
            ):
                columns[name].append(item)
            previous_end = m.end()
    return pl.DataFrame(columns, schema=_MENTION_SCHEMA)


def _last_boundary_end(boundaries: list[tuple[int, int]], before: str, begin: int) -> int:
    """Where the clause before a figure starting at `begin` starts: the end of the last clause
    boundary in `before` (0 if none). A boundary (a run of spaces) can run on past `begin`;
    cut there it may no longer be one, so that case is searched in `before` itself."""
    last = 0
    for b_start, b_end in boundaries:
        if b_start >= begin:
            break
        if b_end > begin:
            return max((b.end() for b in _CLAUSE_BOUNDARY.finditer(before)), default=0)
        last = b_end
    return last


def _nearest_channel(prefix: str, boundary: int) -> str | None:
    # Several channels in the figure's own clause ("通过新闻媒体、厅机关公开栏等方式公开…86条")
    # make a combined count: no single channel. `boundary`: where that clause starts.
    # "…等其他方式公开" files them under 其他 whatever it lists first.
    in_clause = {m.lastgroup for m in _CHANNEL.finditer(prefix, boundary)}
    if "other" in in_clause:
        return "other"
    if len(in_clause) > 1:
        return None
    last = None
    for m in _CHANNEL.finditer(prefix):
        last = m.lastgroup
    return last


def category_label(clause: str) -> str | None:
    """The printed category label of an enumeration item, or None if it is not one."""
    # "…公示等人事考试类信息423条": the category is the label after the examples' 等.
    listed = re.search(r"等([^等，,、]{2,16}类(?:信息)?)$", clause)
    if listed:
        clause = listed.group(1)
    label = re.sub(r"^(?:主动公开|公开|发布)+", "", clause).strip("、 ：:")
    label = re.sub(r"(类信息)+$", "类信息", label)  # a typo repeat: 文件类信息类信息
    if not 2 <= len(label) <= 32 or _NOT_A_CATEGORY.search(label) or _GENERIC_LABEL.match(label):
        return None
    return label


def classify_mentions(mentions: pl.DataFrame) -> pl.DataFrame:
    """Apply the figure rules in order; the first that matches decides (or skips) a mention."""
    rules = figure_rules()
    frame = mentions.with_columns(
        (pl.col("section").str.contains("主动公开")
         | pl.col("evidence").str.contains(PROACTIVE_SENTENCE)).alias("_proactive"),
        pl.col("clause").map_elements(category_label, return_dtype=pl.String).alias("_category"),
    )
    chosen = pl.lit(None, pl.Int32)
    conditions = []
    for i, rule in enumerate(rules.iter_rows(named=True)):
        cond = pl.col("clause").str.contains(rule["clause"])
        if rule["clause_also"]:
            cond &= pl.col("clause").str.contains(rule["clause_also"])
        if rule["not_clause"]:
            cond &= ~pl.col("clause").str.contains(rule["not_clause"])
        if rule["prefix"]:
            cond &= (pl.col("prefix").str.contains(rule["prefix"])
                     | pl.col("heading").str.contains(rule["prefix"]))
        if rule["context"] == "PROACTIVE":
            cond &= pl.col("_proactive")
        elif rule["context"]:
            cond &= (pl.col("evidence").str.contains(rule["context"])
                     | pl.col("section").str.contains(rule["context"])
                     | pl.col("preceding").str.contains(rule["context"]))
        if rule["units"]:
            cond &= pl.col("unit").is_in(rule["units"].split("|"))
        if rule["not_section"]:
            cond &= ~pl.col("section").str.contains(rule["not_section"])
        if rule["whole"] == "yes":
            cond &= ~pl.col("is_share_part")
        if rule["after"]:
            cond &= pl.col("after").str.contains(rule["after"])
        if rule["not_after"]:
            cond &= ~pl.col("after_clause").str.contains(rule["not_after"])
        if rule["measure"] == "CASE":
            cond &= pl.col("case_kind").is_not_null()
        if rule["breakdown"] == "CHANNEL":
            cond &= pl.col("channel").is_not_null()
        if rule["breakdown"] == "CATEGORY":
            cond &= pl.col("_category").is_not_null()
        conditions.append((cond, i))
    for cond, i in reversed(conditions):
        chosen = pl.when(cond).then(pl.lit(i, pl.Int32)).otherwise(chosen)
    frame = frame.with_columns(chosen.alias("_rule_no")).filter(pl.col("_rule_no").is_not_null())
    rule_table = rules.with_row_index("_rule_no").with_columns(pl.col("_rule_no").cast(pl.Int32))
    frame = frame.join(rule_table.select("_rule_no", "rule", "measure", pl.col("breakdown").alias("_bd")),
                       on="_rule_no", how="left").filter(pl.col("measure") != "")
    return frame.with_columns(
        pl.when(pl.col("_bd") == "CHANNEL").then(pl.lit("channel:") + pl.col("channel"))
        .when(pl.col("_bd") == "CATEGORY").then(pl.lit("category:") + pl.col("_category"))
        .when(pl.col("_bd") == "").then(pl.lit(None, pl.String))
        .otherwise(pl.col("_bd")).alias("breakdown"),
        pl.when(pl.col("measure") == "CASE").then(pl.col("case_kind"))
        .otherwise(pl.col("measure")).alias("measure"),
        pl.when(pl.col("approx")).then(pl.lit("approximate")).otherwise(pl.lit("number"))
        .alias("value_kind"),
    ).drop("_proactive", "_category", "_rule_no", "_bd")


def find_zero_phrases(sentences: pl.DataFrame) -> pl.DataFrame:
    """Facts of value 0 stated in words: 未收到…申请, 未收取任何费用, 未发生行政复议."""
    rules = zero_rules()
    prose = sentences.filter(~pl.col("is_table_row"))
    rows = []
    for rule in rules.iter_rows(named=True):
        pattern = re.compile(rule["pattern"])
        not_pattern = re.compile(rule["not_pattern"]) if rule["not_pattern"] else None
        hits = prose.filter(pl.col("sentence").str.contains(rule["pattern"]))
        for doc_id, start, sentence, section in hits.select(
            "doc_id", "start", "sentence", "section"
        ).iter_rows():
            m = pattern.search(sentence)
            if m is None or (not_pattern and not_pattern.search(m.group(0))):
                continue
            rows.append({
                "doc_id": doc_id, "measure": rule["measure"], "breakdown": None, "value": 0.0,
                "value_kind": "zero_in_words", "approx": False, "evidence": sentence,
                "sentence_start": start, "sentence_end": start + len(sentence),
                "span_start": start + m.start(), "span_end": start + m.end(),
                "rule": rule["rule"], "printed": m.group(0), "section": section,
            })
    return pl.DataFrame(rows, schema=FACT_SCHEMA | {"section": pl.String})


@cache
def implied_rules() -> pl.DataFrame:
    return read_rules("prose_implied.csv", measure_columns=("source_measure", "measure"))


# Statements about "all of them" are read up to this many sentences after the figure.
IMPLIED_WINDOW = 3


def find_implied_facts(sentences: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """Figures a report gives by saying "all of them": 共收到申请2件，均为公民通过信函方式提出
    gives 2 from natural persons and 2 by letter; 上述申请已全部办结 gives 2 closed.

    Only after a stated total, in its sentence or the next few of the same section.
    """
    rules = implied_rules()
    schema = FACT_SCHEMA | {"section": pl.String}
    sources = facts.filter(pl.col("measure").is_in(rules["source_measure"].unique().implode())
                           & pl.col("breakdown").is_null())
    if sources.is_empty():
        return pl.DataFrame(schema=schema)
    numbered = sentences.filter(~pl.col("is_table_row")).select(
        "doc_id", "sentence_no", "start", "sentence", "section")
    anchored = sources.select("doc_id", "measure", "value", "approx", "sentence_start",
                              pl.col("span_end").alias("_source_end")).join(
        numbered.select("doc_id", pl.col("start").alias("sentence_start"),
                        pl.col("sentence_no").alias("_from"), pl.col("section").alias("_section")),
        on=["doc_id", "sentence_start"], how="inner")
    window = anchored.join(numbered, on="doc_id", how="inner").filter(
        (pl.col("sentence_no") >= pl.col("_from"))
        & (pl.col("sentence_no") <= pl.col("_from") + IMPLIED_WINDOW)
        & (pl.col("start") + pl.col("sentence").str.len_chars() > pl.col("_source_end"))
        & (pl.col("section") == pl.col("_section")))
    rows = []
    for rule in rules.iter_rows(named=True):
        pattern = re.compile(rule["pattern"])
        not_pattern = re.compile(rule["not_pattern"]) if rule["not_pattern"] else None
        same_sentence_only = rule["window"] == "0"
        hits = window.filter((pl.col("measure") == rule["source_measure"])
                             & pl.col("sentence").str.contains(rule["pattern"]))
        if same_sentence_only:
            hits = hits.filter(pl.col("sentence_no") == pl.col("_from"))
        for hit in hits.iter_rows(named=True):
            # Only what is said after the figure: "引发行政诉讼1件，截至年底尚在审理中".
            after_source = max(0, hit["_source_end"] - hit["start"])
            m = pattern.search(hit["sentence"], after_source)
            if m is None or (not_pattern and not_pattern.search(hit["sentence"][:m.end()])):
                continue
            if same_sentence_only and re.search(r"\d", hit["sentence"][after_source:m.start()]):
                continue  # parts are printed with their own figures (其中维持1件)
            rows.append({
                "doc_id": hit["doc_id"], "measure": rule["measure"],
                "breakdown": rule["breakdown"] or None, "value": hit["value"],
                "value_kind": "approximate" if hit["approx"] else "number", "approx": hit["approx"],
                "evidence": hit["sentence"], "sentence_start": hit["start"],
                "sentence_end": hit["start"] + len(hit["sentence"]),
                "span_start": hit["start"] + m.start(), "span_end": hit["start"] + m.end(),
                "rule": rule["rule"], "printed": m.group(0), "section": hit["section"],
            })
    return pl.DataFrame(rows, schema=schema)


@cache
def home_sections() -> pl.DataFrame:
    return read_rules("home_sections.csv", measure_columns=())


def _outside_home_section() -> pl.Expr:
    """True when a fact sits outside the outline section about its measure."""
    home = pl.lit(False)
    for prefix, section in home_sections().select("measure_prefix", "section").iter_rows():
        home = pl.when(pl.col("measure").str.starts_with(prefix)).then(
            pl.col("section").str.contains(section)).otherwise(home)
    return ~home



def extract_prose_facts(sentences: pl.DataFrame) -> pl.DataFrame:
    """All prose facts of the documents, one per (document, measure, breakdown).

    When a report states the same figure twice, a printed number beats an approximate one,
    which beats a zero in words; then one in the outline section about the measure beats
    one elsewhere (概述 mentions topic subsets); then the first in the text wins (totals
    precede parts). `in_home_section` says whether the kept figure sits in that section.
    """
    figures = classify_mentions(find_mentions(sentences)).select(*FACT_COLUMNS, "section")
    zeros = find_zero_phrases(sentences).select(*FACT_COLUMNS, "section")
    implied = find_implied_facts(sentences, figures).with_columns(
        pl.lit(3, pl.Int8).alias("_implied"))
    facts = pl.concat([figures.with_columns(pl.lit(0, pl.Int8).alias("_implied")),
                       zeros.with_columns(pl.lit(0, pl.Int8).alias("_implied")),
                       implied]).with_columns(
        _outside_home_section().alias("_away"),
        # Stated beats implied ("all of them"), whatever its kind.
        (pl.col("value_kind").replace_strict(
            {"number": 0, "approximate": 1, "zero_in_words": 2}, return_dtype=pl.Int8
        ) + pl.col("_implied")).alias("_rank"),
        # Category labels compare as the evaluation does (一 trailing 信息 / 类 removed).
        pl.col("breakdown").str.extract(r"^category:(.*)$", 1).map_elements(
            canonical_category, return_dtype=pl.String).alias("_cat"),
    )
    facts = facts.with_columns(
        pl.coalesce(pl.lit("category:") + pl.col("_cat"), pl.col("breakdown")).alias("_key")
    )
    # A report that enumerates categories in its 主动公开 section enumerates them there;
    # enumerations elsewhere (概述: 经费20条, 专项资金84条 under one topic) are topics, not
    # categories. gb reports' 主动公开 section is 表二, so their 总体情况 enumeration stands.
    has_home = facts.filter(pl.col("_cat").is_not_null() & ~pl.col("_away")).group_by(
        "doc_id").agg(pl.lit(True).alias("_has_home"))
    facts = facts.join(has_home, on="doc_id", how="left").filter(
        ~(pl.col("_cat").is_not_null() & pl.col("_away") & pl.col("_has_home").fill_null(False))
    ).drop("_has_home")
    return (
        facts.sort("doc_id", "measure", "_key", "_rank", "_away", "span_start", nulls_last=True)
        .unique(subset=["doc_id", "measure", "_key"], keep="first", maintain_order=True)
        .with_columns((~pl.col("_away")).alias("in_home_section"))
        .drop("_rank", "_cat", "_key", "_away", "section", "_implied")
        .sort("doc_id", "span_start")
    )
