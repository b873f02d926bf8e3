"""Stage 5b, extract from the statistics annex of pre-2019 reports (政府信息公开情况统计表).

From about 2010 to 2018 most prose reports end with a statistics table: one row per
indicator (指标名称), a unit (计量单位) and one or more value columns (本年度 / 2018年度,
often 历年累计). It arrives in three forms:

- pipe rows from HTML: `| 主动公开信息数 | 条 | 72804 | 76424 |`
- spaced text, blank cells collapsed: `主动公开信息数 条 72804 76424 其中：1、网站公开 条 …`
- flattened, cells glued into one digit run: `主动公开文件数条206912106其中：1.政府网站…`

In: documents (`doc_id`, `text`, `template`, `report_year`) and the prose facts (to
corroborate flattened cells). Out: facts in the prose stage's columns (rule
`annex:<rule>`), and the cells that could not be read unambiguously, with their candidates.

Which row is which measure is data: transforms/rules/annex_rows.csv. A row's meaning often
depends on its group (维持 under 行政复议 vs under 行政诉讼; 其他 under channels), so rows
are read in order and group rows (主动公开信息数, 受理…申请总数, 行政复议数) set the context
their child rows are read in.

Flattened runs are split by search: every split into the table's columns with no leading
zeros, then the constraints the form implies (历年累计 ≥ this year; a part ≤ its group's
total; agreement with the figure the prose states). One survivor is stored; otherwise
nothing is stored and the candidates are reported. Never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from transforms.catalogue import read_rules
from transforms.digit_runs import COUNT, payload_pieces, readings
from transforms.prose import FACT_SCHEMA

# The annex header: 指标名称 | 计量单位 (also 统计指标 | 单位), then the value columns.
_HEADER = re.compile(r"(?:指\s*标\s*名\s*称|统\s*计\s*指\s*标|指\s*标|项\s*目)[\s|]*(?:计\s*量\s*)?单\s*位")
_COLUMN = re.compile(
    r"[\s|]*(?P<col>(?P<year>(?:1\s*9|2\s*0)\s*\d\s*\d)\s*年度?|本年度?|本期|上年度?|同期|历年累计|累计数?"
    r"|统计数|数量|数值|合计|备注)")
UNITS = r"万元|万人次|人次|条|件|个|次|项|篇|场|期|份|人|元"
_UNIT_CELL = re.compile(rf"^(?:{UNITS})$")
# A unit and the value cells after it, in running text.
_TEXT_ROW = re.compile(rf"(?P<unit>{UNITS})(?P<values>(?:\s*(?:\d[\d,]*(?:\.\d+)?|[/／—–-]))+)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
# Outline enumerators that start a row label: 一、 （一） 1. 1、 (1) 其中：
_ENUMERATOR = re.compile(
    r"(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[)）]|(?<![\d.])\d{1,2}\s*[.、．](?!\d)|其中[：:]?)")


@cache
def row_rules() -> pl.DataFrame:
    return read_rules("annex_rows.csv", measure_columns=("measure", "cumulative_measure"))


@cache
def _row_rule_list() -> tuple[dict, ...]:
    # Matched for every row of every annex: read the frame into dicts once.
    return tuple(row_rules().iter_rows(named=True))


@dataclass
class Row:
    label: str
    unit: str | None
    cells: list[str]  # value cells as printed ("" = blank)
    flattened: bool  # the cells of this row may be glued into one digit run
    start: int
    end: int
    values_start: int
    text: str


@dataclass
class Context:
    top: str | None = None
    sub: str | None = None
    totals: dict[str, dict[str, float]] = field(default_factory=dict)


def column_kinds(header_tail: str, report_year: int | None) -> tuple[list[str], int]:
    """Kinds of the value columns named right after the header (this_year / cumulative /
    other) and where the header ends."""
    kinds, pos = [], 0
    while m := _COLUMN.match(header_tail, pos):
        col = m.group("col")
        if m.group("year"):
            year = int(re.sub(r"\s", "", m.group("year")))  # "201 6 年度" from HTML spans
            kinds.append("this_year" if report_year is None or year == report_year else "other")
        elif "累计" in col:
            kinds.append("cumulative")
        elif col in {"本年", "本年度", "本期", "统计数", "数量", "数值", "合计"}:
            kinds.append("this_year")
        else:
            kinds.append("other")
        pos = m.end()
    return kinds, pos


def annex_rows(text: str, start: int) -> list[Row]:
    """The rows of the annex that starts at `start`, in order, whatever their form."""
    rows: list[Row] = []
    offset = start
    for line in text[start:].splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith("|"):
            rows.extend(_pipe_row(line, offset))
        elif stripped:
            rows.extend(_text_rows(line, offset))
        offset += len(line)
    return rows


def _pipe_row(line: str, offset: int) -> list[Row]:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    unit_at = next((i for i, c in enumerate(cells) if _UNIT_CELL.match(c)), None)
    label_at = next((i for i, c in enumerate(cells) if _HAN.search(c)
                     and not _UNIT_CELL.match(c)), None)
    if label_at is None:
        return []
    first_value = (unit_at if unit_at is not None and unit_at > label_at else label_at) + 1
    values = cells[first_value:]
    begin = len(line) - len(line.lstrip())
    text = line.strip()
    return [Row(label=cells[label_at], unit=cells[unit_at] if unit_at is not None else None,
                cells=values, flattened=False, start=offset + begin,
                end=offset + begin + len(text), values_start=offset + begin, text=text)]


def _text_rows(line: str, offset: int) -> list[Row]:
    rows, label_from = [], 0
    if not _TEXT_ROW.search(line):
        # A heading row with no cells ("（二）主动公开政府信息的类别"): it opens a group.
        text = line.strip()
        if _HAN.search(text):
            begin = offset + len(line) - len(line.lstrip())
            return [Row(label=text, unit=None, cells=[], flattened=False, start=begin,
                        end=begin + len(text), values_start=begin, text=text)]
        return []
    for m in _TEXT_ROW.finditer(line):
        values_text = m.group("values")
        values_end = m.end()
        # 条002.网上申请数: the last digit is the next row's enumerator (2.), not a cell.
        following = line[values_end:values_end + 2]
        if re.match(r"[.、．]\s*\D", following):
            digits = re.search(r"\d+$", values_text)
            if digits:
                run = digits.group(0)
                cut = next((k for k in range(len(run) - 1, -1, -1) if run[k] != "0"), None)
                if cut is not None:
                    values_text = values_text[:len(values_text) - (len(run) - cut)]
                    values_end -= len(run) - cut
        cells = values_text.split()
        if not cells:
            label_from = m.start("unit")
            continue
        # The row starts at its label's first character, so evidence is an exact slice.
        label_from += len(line[label_from:m.start("unit")]) - len(
            line[label_from:m.start("unit")].lstrip())
        label = line[label_from:m.start("unit")].strip()
        rows.append(Row(label=label, unit=m.group("unit"), cells=cells,
                        flattened=len(cells) == 1
                        and not re.search(r"\s", line[m.end("unit"):values_end]),
                        start=offset + label_from, end=offset + values_end,
                        values_start=offset + m.start("values"),
                        text=line[label_from:values_end]))
        label_from = values_end
    return rows


def label_pieces(label: str) -> list[str]:
    """A label in running text can carry the group headings before it:
    "（二）通过不同渠道…的情况 1.政府公报公开政府信息数" → two pieces, the row's own last."""
    cuts = [m.start() for m in _ENUMERATOR.finditer(label) if m.start() > 0]
    pieces, begin = [], 0
    for cut in cuts:
        piece = label[begin:cut].strip()
        if re.search(r"[\u4e00-\u9fff]{2}", piece):
            pieces.append(piece)
            begin = cut
    pieces.append(label[begin:].strip())
    return pieces


def match_rule(label: str, context: Context, has_cells: bool = True) -> dict | None:
    """The first rule whose label matches and whose parent group is open.

    Some rules only read heading rows (no cells: they open a group), some only figure rows.
    """
    # Labels from HTML carry the spaces of inline spans: "3、 不予 公开答复数".
    text = re.sub(r"\s+", "", _ENUMERATOR.sub("", label))
    for rule in _row_rule_list():
        if rule["parent"] and rule["parent"] not in (context.top, context.sub):
            continue
        if rule["row_kind"] == ("figure" if not has_cells else "heading"):
            continue
        if not re.search(rule["label"], text):
            continue
        if rule["not_label"] and re.search(rule["not_label"], text):
            continue
        return rule
    return None


def _enter(rule: dict, context: Context) -> None:
    if not rule["parent"]:
        context.top, context.sub = rule["sets"] or None, None
    elif rule["parent"] == context.top:
        context.sub = rule["sets"] or None


def split_candidates(run: str, kinds: list[str]) -> list[tuple[float, ...]]:
    """Every split of a glued digit run into len(kinds) cells, no leading zeros."""
    found = readings(payload_pieces(run), [COUNT] * len(kinds)) or []
    return [tuple(cell.value for cell in reading) for reading in found]


def _parse_cell(cell: str) -> float | None:
    # One cell holds one value: "10 037" is a thousands gap or split HTML spans.
    cell = re.sub(r"[,，\s]", "", cell)
    return float(cell) if _NUMBER.match(cell) else None


def read_row_values(row: Row, kinds: list[str], limits: dict[str, float] | None,
                    prose_value: float | None) -> tuple[dict[str, float], list[tuple[float, ...]], str]:
    """Values by column kind, or ({}, candidates, reason) when they cannot be told apart."""
    if not kinds:
        kinds = ["this_year"] if len(row.cells) == 1 else []
        if not kinds:
            return {}, [], "the annex header names no value columns"
    cells = row.cells
    if len(cells) == len(kinds) or (not row.flattened and len(cells) > len(kinds)) or (
            not row.flattened and len(cells) < len(kinds) and row.text.startswith("|")):
        values = {}
        for kind, cell in zip(kinds, cells, strict=False):  # extra or missing trailing cells
            value = _parse_cell(cell)
            if value is not None and kind != "other":
                values.setdefault(kind, value)
        return values, [], ""
    if len(cells) == 1 and cells[0] == "0":
        # One 0 where the row has more columns: a running total of 0 means this year is 0
        # too, so every reading agrees.
        return {"this_year": 0.0}, [], ""
    if not row.flattened or len(cells) != 1 or not cells[0].isdigit():
        return {}, [], f"{len(cells)} values for {len(kinds)} columns"
    candidates = split_candidates(cells[0], kinds)
    surviving = []
    for candidate in candidates:
        by_kind = dict(zip(kinds, candidate, strict=True))
        if "cumulative" in by_kind and "this_year" in by_kind and \
                by_kind["cumulative"] < by_kind["this_year"]:
            continue
        if limits and any(by_kind.get(k, 0) > v for k, v in limits.items()):
            continue
        surviving.append(candidate)
    if prose_value is not None and "this_year" in kinds:
        agreeing = [c for c in surviving if dict(zip(kinds, c, strict=True))["this_year"] == prose_value]
        surviving = agreeing or surviving
    if len(surviving) == 1:
        return {k: v for k, v in zip(kinds, surviving[0], strict=True) if k != "other"}, [], ""
    reason = "no split satisfies the table's constraints" if not surviving else \
        f"{len(surviving)} splits satisfy the table's constraints"
    return {}, surviving, reason


UNRESOLVED_SCHEMA = {"doc_id": pl.String, "measure": pl.String, "breakdown": pl.String,
                     "printed": pl.String, "candidates": pl.List(pl.List(pl.Float64)),
                     "reason": pl.String, "span_start": pl.Int64,
                     "columns": pl.List(pl.String)}


def read_annex(doc_id: str, text: str, report_year: int | None,
               prose_values: dict[tuple[str, str | None], float]) -> tuple[list[dict], list[dict]]:
    """Facts and unresolved cells of one document's statistics annex (none if it has none)."""
    header = _HEADER.search(text)
    if header is None:
        return [], []
    kinds, consumed = column_kinds(text[header.end():header.end() + 80], report_year)
    context = Context()
    facts, unresolved = [], []
    # Rows that add up to one code (涉及商业秘密 + 涉及个人隐私): (start, end, sum) or None
    # once one of them cannot be read.
    sums: dict[tuple[str, str | None, str], tuple[int, int, float] | None] = {}
    for row in annex_rows(text, header.end() + consumed):
        pieces = label_pieces(row.label)
        for heading in pieces[:-1]:
            rule = match_rule(heading, context, has_cells=False)
            if rule:
                _enter(rule, context)
        has_cells = any(c.strip() for c in row.cells)
        rule = match_rule(pieces[-1], context, has_cells)
        if rule is None:
            continue
        _enter(rule, context)
        if not rule["measure"] or not has_cells:
            continue
        if rule["breakdown"] == "CATEGORY":
            breakdowns = ["category:" + re.sub(r"\s+", "", _ENUMERATOR.sub("", pieces[-1]))]
        else:
            breakdowns = rule["breakdown"].split("|") if rule["breakdown"] else [None]
        limits = context.totals.get(context.top) if breakdowns != [None] else None
        values, candidates, reason = read_row_values(
            row, kinds, limits, prose_values.get((rule["measure"], breakdowns[0])))
        if rule["adds_up"] == "yes":
            key = (rule["measure"], breakdowns[0], rule["rule"])
            if "this_year" not in values or (key in sums and sums[key] is None):
                sums[key] = None
            else:
                start, _, total = sums.get(key) or (row.start, row.end, 0.0)
                sums[key] = (start, row.end, total + values["this_year"])
            continue
        if not values:
            if candidates or reason:
                unresolved.append({"doc_id": doc_id, "measure": rule["measure"],
                                   "breakdown": rule["breakdown"] or None, "printed": row.text,
                                   "candidates": [list(c) for c in candidates],
                                   "reason": reason, "span_start": row.start,
                                   "columns": list(kinds)})
            continue
        if breakdowns == [None] and rule["sets"]:
            context.totals[rule["sets"]] = values
        scale = 10_000.0 if row.unit and row.unit.startswith("万") else 1.0
        targets = [("this_year", rule["measure"], b) for b in breakdowns]
        if rule["cumulative_measure"]:
            targets.append(("cumulative", rule["cumulative_measure"], None))
        if rule["zero_only"] == "yes" and values.get("this_year", 0) != 0:
            unresolved.append({"doc_id": doc_id, "measure": rule["measure"],
                               "breakdown": rule["breakdown"], "printed": row.text,
                               "candidates": [], "span_start": row.start,
                               "reason": "one cell counts several breakdowns",
                               "columns": []})
            continue
        for kind, measure, breakdown in targets:
            if kind not in values:
                continue
            facts.append({"doc_id": doc_id, "measure": measure, "breakdown": breakdown,
                          "value": values[kind] * scale, "value_kind": "number", "approx": False,
                          "evidence": row.text, "sentence_start": row.start,
                          "sentence_end": row.end, "span_start": row.values_start,
                          "span_end": row.end, "rule": f"annex:{rule['rule']}",
                          "printed": row.text[-60:]})
    for (measure, breakdown, rule_name), summed in sums.items():
        if summed is not None:
            start, end, total = summed
            facts.append({"doc_id": doc_id, "measure": measure, "breakdown": breakdown,
                          "value": total, "value_kind": "number", "approx": False,
                          "evidence": text[start:end], "sentence_start": start,
                          "sentence_end": end, "span_start": start, "span_end": end,
                          "rule": f"annex:{rule_name}", "printed": text[start:end][-60:]})
    return facts, unresolved


def extract_annex_facts(documents: pl.DataFrame, prose_facts: pl.DataFrame
                        ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(facts, unresolved) of the statistics annexes of the prose-template documents."""
    prose_values: dict[str, dict] = {}
    for doc_id, measure, breakdown, value in prose_facts.select(
            "doc_id", "measure", "breakdown", "value").iter_rows():
        prose_values.setdefault(doc_id, {})[(measure, breakdown)] = value
    facts, unresolved = [], []
    candidates = documents.filter(
        (pl.col("template") == "prose") & pl.col("text").str.contains(_HEADER.pattern))
    for doc_id, text, year in candidates.select("doc_id", "text", "report_year").iter_rows():
        found, open_cells = read_annex(doc_id, text, year, prose_values.get(doc_id, {}))
        facts.extend(found)
        unresolved.extend(open_cells)
    return (pl.DataFrame(facts, schema=FACT_SCHEMA),
            pl.DataFrame(unresolved, schema=UNRESOLVED_SCHEMA))
