"""Stage 5c, extract the standard tables of the 2019 and 2021 templates (表三, 表四).

This first reader handles tables that arrive as rows of cells (HTML tables, pipe tables):
the normalized text carries them as `| … |` lines with rowspan and colspan already expanded,
so every data row has one cell per column and the header rows above it name the columns.

表三: rows are request outcomes (transforms/rules/gb_table3_rows.csv, matched on the row's
label cells joined), columns are applicant kinds (gb_table3_columns.csv, matched on the last
header row that names them). 表四: one row of 15 cells under header rows that name the group
(行政复议 / 未经复议直接起诉 / 复议后起诉) and the outcome (维持 / 纠正 / 其他 / 尚未审结 /
总计) of each column.

In: documents (`doc_id`, `text`, `template`). Out: facts in the prose stage's columns (rule
`table3:<rule>` / `table4`), each with the row as evidence and the cell as its span. Blank and
not-applicable cells ("/", "-", "—", "无") give no fact: unknown is not 0.
"""

from __future__ import annotations

import re
from functools import cache

import polars as pl

from transforms.catalogue import read_rules
from transforms.prose import FACT_SCHEMA

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_SPACES = re.compile(r"\s+")


@cache
def table3_rows() -> pl.DataFrame:
    return read_rules("gb_table3_rows.csv")


@cache
def table3_columns() -> pl.DataFrame:
    return read_rules("gb_table3_columns.csv", measure_columns=())


@cache
def _table3_rule_lists() -> tuple[tuple[dict, ...], tuple[tuple[str, str], ...]]:
    # Matched for every table row and header cell: read the frames once.
    return (tuple(table3_rows().iter_rows(named=True)),
            tuple(table3_columns().select("header", "breakdown").iter_rows()))


def pipe_cells(line: str) -> list[tuple[str, int, int]]:
    """Cells of a `| a | b |` line with their [start, end) offsets in the line (stripped)."""
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    cells = []
    for left, right in zip(bars, bars[1:], strict=False):
        raw = line[left + 1:right]
        text = raw.strip()
        start = left + 1 + (len(raw) - len(raw.lstrip()))
        cells.append((text, start, start + len(text)))
    return cells


def _key(cell: str) -> str:
    return _SPACES.sub("", cell)


def _value(cell: str) -> float | None:
    cell = _key(cell)
    return float(cell) if _NUMBER.match(cell) else None


def _table3_header(cells: list[str]) -> list[str | None] | None:
    """Breakdown per column if this row names the applicant columns, else None."""
    _, columns = _table3_rule_lists()
    mapping: list[str | None] = []
    named = 0
    for cell in cells:
        key = _key(cell)
        found = None
        for header, breakdown in columns:
            if re.search(header, key):
                found = breakdown or "TOTAL"
                break
        named += found is not None
        mapping.append(found)
    has = set(mapping)
    if "applicant:natural_person" in has and "TOTAL" in has and named >= 3:
        return mapping
    return None


def _match_row(label: str) -> dict | None:
    rows, _ = _table3_rule_lists()
    for rule in rows:
        if re.search(rule["label"], label) and not (
                rule["not_label"] and re.search(rule["not_label"], label)):
            return rule
    return None


def _fact(doc_id: str, measure: str, breakdown: str | None, value: float, line: str,
          line_start: int, cell: tuple[str, int, int], rule: str) -> dict:
    text, start, end = cell
    return {"doc_id": doc_id, "measure": measure, "breakdown": breakdown, "value": value,
            "value_kind": "number", "approx": False, "evidence": line,
            "sentence_start": line_start, "sentence_end": line_start + len(line),
            "span_start": line_start + start, "span_end": line_start + end,
            "rule": rule, "printed": text}


_T4_GROUPS = [("lit_direct", r"未经复议|直接起诉"), ("lit_after_review", r"复议后"),
              ("review", r"^行政复议$|^复议$")]
_T4_OUTCOMES = [("outcome:maintained", r"维持"), ("outcome:corrected", r"纠正|纠错"),
                ("outcome:other", r"其他"), ("outcome:pending", r"未审结|尚未"),
                (None, r"总计|合计")]


def _table4_columns(header_rows: list[list[str]]) -> list[tuple[str, str | None]] | None:
    """(measure, breakdown) per column from the header rows above the 表四 data row."""
    width = len(header_rows[-1])
    columns = []
    for i in range(width):
        group = outcome = None
        matched_outcome = False
        for row in header_rows:
            if i >= len(row):
                continue
            key = _key(row[i])
            for measure, pattern in _T4_GROUPS:
                if re.search(pattern, key):
                    group = measure
            for breakdown, pattern in _T4_OUTCOMES:
                if re.search(pattern, key) and not re.search(r"复议|诉讼|起诉", key):
                    outcome, matched_outcome = breakdown, True
                    break
        if group is None or not matched_outcome:
            return None
        columns.append((group, outcome))
    return columns


def read_tables(doc_id: str, text: str) -> list[dict]:
    """Facts of the 表三 and 表四 pipe rows of one document."""
    facts: list[dict] = []
    t3_columns: list[str | None] | None = None
    t4_headers: list[list[str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        body = line.rstrip("\n")
        if not body.startswith("|"):
            t4_headers = []
            continue
        cells = pipe_cells(body)
        texts = [c[0] for c in cells]
        header = _table3_header(texts)
        if header is not None:
            t3_columns = header
            continue
        keys = [_key(t) for t in texts]
        if any(k in {"行政复议", "行政诉讼"} for k in keys) or t4_headers:
            if all(_value(t) is not None or not t for t in texts) and t4_headers:
                columns = _table4_columns(t4_headers)
                if columns is not None and len(columns) == len(cells):
                    for (measure, breakdown), cell in zip(columns, cells, strict=True):
                        value = _value(cell[0])
                        if value is not None:
                            facts.append(_fact(doc_id, measure, breakdown, value, body,
                                               line_start, cell, "table4"))
                t4_headers = []
                t3_columns = None
                continue
            t4_headers.append(texts)
            t3_columns = None
            continue
        if t3_columns is None or len(t3_columns) != len(cells):
            continue
        label_parts: list[str] = []
        for cell_text, column in zip(texts, t3_columns, strict=True):
            if column is None and cell_text and (not label_parts or label_parts[-1] != cell_text):
                label_parts.append(cell_text)
        rule = _match_row(_key("".join(label_parts)))
        if rule is None:
            continue
        for cell, column in zip(cells, t3_columns, strict=True):
            if column is None:
                continue
            value = _value(cell[0])
            if value is not None:
                facts.append(_fact(doc_id, rule["measure"], None if column == "TOTAL" else column,
                                   value, body, line_start, cell, f"table3:{rule['rule']}"))
    return facts


def extract_table_facts(documents: pl.DataFrame) -> pl.DataFrame:
    """Facts of the standard tables of the gb2019 / gb2021 documents."""
    facts: list[dict] = []
    for doc_id, text in documents.filter(pl.col("template").is_in(["gb2019", "gb2021"])).select(
            "doc_id", "text").iter_rows():
        facts.extend(read_tables(doc_id, text))
    return pl.DataFrame(facts, schema=FACT_SCHEMA)
