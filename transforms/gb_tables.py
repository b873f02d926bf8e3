"""Stage 5c, extract the standard tables of the 2019 and 2021 templates (表二, 表三, 表四).

In: documents (`doc_id`, `text`, `template`) and their prose facts. Out: one record per
table cell (`cell_state` number / blank / not_applicable, value NULL unless a number), and
the cells that could not be read with the readings that were possible.

Tables arrive in two shapes:
- rows of cells: HTML and pipe tables, carried in the normalized text as `| … |` lines with
  rowspan and colspan already expanded; header rows above the data name the columns;
- text: PDF extractions with cells on lines or between spaces, and pages whose table was
  read as text, every cell glued into one digit run (`一、本年新收…数量15130000154`). The
  text is cut into labels and payloads; a label names its row by the template's row names
  (transforms/rules/gb_table*_rows.csv); a payload is read as one cell per column, and where
  the digits of several cells are glued together every reading is tried
  (transforms/digit_runs.py). A reading is kept only when the table's identities hold for
  it (transforms/quality.py); one surviving reading is stored, several store nothing for
  the cells they disagree on and record the candidates, none records a parse failure.

表二 rows × columns name measures by composition (row prefix `normdoc` + column suffix
`in_force` = normdoc.in_force), checked against the catalogue. 万元 amounts become yuan.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import polars as pl

from transforms import quality
from transforms.annex import UNRESOLVED_SCHEMA
from transforms.catalogue import measure_codes, read_rules
from transforms.digit_runs import COUNT, Cell, Column, classify_cell, payload_pieces, readings
from transforms.prose import FACT_COLUMNS, FACT_SCHEMA

CELL_SCHEMA = {**FACT_SCHEMA, "table_no": pl.String, "cell_state": pl.String}

_SPACES = re.compile(r"\s+")
# Above this many combinations of ambiguous rows the column identities are not searched.
MAX_COMBINATIONS = 50_000


# ---- rules ---------------------------------------------------------------------------------


@cache
def table2_rows() -> pl.DataFrame:
    return read_rules("gb_table2_rows.csv", measure_columns=())


@cache
def table2_columns() -> pl.DataFrame:
    return read_rules("gb_table2_columns.csv", measure_columns=())


@cache
def table3_rows() -> pl.DataFrame:
    return read_rules("gb_table3_rows.csv")


@cache
def table3_columns() -> pl.DataFrame:
    return read_rules("gb_table3_columns.csv", measure_columns=())


@cache
def _rule_lists() -> dict[str, tuple]:
    # Matched for every row and header cell: read the frames once.
    return {"t2_rows": tuple(table2_rows().iter_rows(named=True)),
            "t2_columns": tuple(table2_columns().iter_rows(named=True)),
            "t3_rows": tuple(table3_rows().iter_rows(named=True)),
            "t3_columns": tuple(table3_columns().select("header", "breakdown").iter_rows())}


# Label and cell functions are cached (bounded: a page's stray text must not grow the cache
# without end): the same few hundred labels and cell texts recur in every report.
CELL_CACHE = 1 << 16


@lru_cache(maxsize=CELL_CACHE)
def _key(text: str) -> str:
    return _SPACES.sub("", text)


def _match(rules: tuple[dict, ...], label: str) -> dict | None:
    for rule in rules:
        if re.search(rule["label"], label) and not (
                rule["not_label"] and re.search(rule["not_label"], label)):
            return rule
    return None


@lru_cache(maxsize=CELL_CACHE)
def match_table3_row(label: str) -> dict | None:
    return _match(_rule_lists()["t3_rows"], label)


@lru_cache(maxsize=CELL_CACHE)
def match_table2_row(label: str) -> dict | None:
    return _match(_rule_lists()["t2_rows"], label)


@dataclass(frozen=True)
class Table2Column:
    suffix: str
    column: Column
    scale: float


@lru_cache(maxsize=CELL_CACHE)
def table2_headers(label: str) -> tuple[tuple[int, int, dict], ...]:
    """The 表二 column headers named in `label`, in printed order: (start, end, rule)."""
    found = []
    for rule in _rule_lists()["t2_columns"]:
        found.extend((m.start(), m.end(), rule) for m in re.finditer(rule["header"], label))
    return tuple(sorted(found, key=lambda f: f[0]))


def _table2_column(rule: dict, header_text: str) -> Table2Column:
    money = rule["money"] == "yes"
    # 本年收费金额（单位：万元）: the header names the unit; the catalogue stores yuan.
    scale = 10_000.0 if money and "万元" in header_text else 1.0
    return Table2Column(rule["suffix"], Column(signed=rule["signed"] == "yes", decimal=money),
                        scale)


# A unit printed after a cell's digits overrides the header's (单位：万元).
_UNIT_SCALE = {"元": 1.0, "万元": 10_000.0}


def _table2_measure(prefix: str, suffix: str) -> str | None:
    measure = f"{prefix}.{suffix}"
    return measure if measure in measure_codes() else None


def _table3_header(mapping: list[str | None],
                   above: list[str | None] | None = None) -> list[str | None] | None:
    """Breakdown per column if a row whose cells name `mapping` (table3_header_names), with
    the header row `above` it whose names fill the cells this row leaves empty (Markdown has
    no colspan), names the applicant columns."""
    if above is not None and len(above) == len(mapping) and any(mapping):
        mapping = [m or a for m, a in zip(mapping, above, strict=True)]
    named = sum(m is not None for m in mapping)
    if "applicant:natural_person" in mapping and "TOTAL" in mapping and named >= 3:
        return mapping
    return None


def table3_header_names(cells: list[str]) -> list[str | None]:
    """The 表三 column each cell names (TOTAL for 总计), None where it names none."""
    return [_table3_header_name(cell) for cell in cells]


@lru_cache(maxsize=CELL_CACHE)
def _table3_header_name(cell: str) -> str | None:
    key = _key(cell)
    for header, breakdown in _rule_lists()["t3_columns"]:
        if re.search(header, key):
            return breakdown or "TOTAL"
    return None


_T4_GROUPS = [("lit_direct", r"未经复议|直接起诉"), ("lit_after_review", r"复议后"),
              ("review", r"^行政复议$|^复议$")]
_T4_OUTCOMES = [("outcome:maintained", r"维持"), ("outcome:corrected", r"纠正|纠错"),
                ("outcome:other", r"其他"), ("outcome:pending", r"未审结|尚未"),
                (None, r"总计|合计")]
# 表四's columns in the order both templates print them.
TABLE4_ORDER = [(group, outcome) for group in quality.TABLE4_GROUPS
                for outcome in (*quality.OUTCOMES, None)]


def _table4_columns(header_rows: list[list[str]]) -> list[tuple[str, str | None]] | None:
    """(measure, breakdown) per column from the header rows above the 表四 data row."""
    return _table4_columns_of(tuple(tuple(row) for row in header_rows))


@lru_cache(maxsize=1 << 10)  # a few header layouts recur in every report
def _table4_columns_of(header_rows: tuple[tuple[str, ...], ...]
                       ) -> list[tuple[str, str | None]] | None:
    width = len(header_rows[-1])
    # A group name spans the empty cells to its right (Markdown tables carry no colspan).
    filled = []
    for row in header_rows:
        row, last = list(row), ""
        for i, cell in enumerate(row):
            row[i] = last = cell or last
        filled.append(row)
    columns = []
    for i in range(width):
        group = outcome = None
        matched_outcome = False
        for row, filled_row in zip(header_rows, filled, strict=True):
            if i >= len(row):
                continue
            for measure, pattern in _T4_GROUPS:
                if re.search(pattern, _key(filled_row[i])):
                    group = measure
            key = _key(row[i])
            for breakdown, pattern in _T4_OUTCOMES:
                if re.search(pattern, key) and not re.search(r"复议|诉讼|起诉", key):
                    outcome, matched_outcome = breakdown, True
                    break
        if group is None or not matched_outcome:
            return None
        columns.append((group, outcome))
    return columns


# ---- cell records --------------------------------------------------------------------------


def _cell_record(doc_id: str, table: str, measure: str, breakdown: str | None, state: str,
                 value: float | None, printed: str, row: tuple[str, int], span: tuple[int, int],
                 rule: str) -> dict:
    evidence, row_start = row
    return {"doc_id": doc_id, "measure": measure, "breakdown": breakdown, "value": value,
            "value_kind": "number", "approx": False, "evidence": evidence,
            "sentence_start": row_start, "sentence_end": row_start + len(evidence),
            "span_start": span[0], "span_end": span[1], "rule": rule, "printed": printed,
            "table_no": table, "cell_state": state}


def _unresolved(doc_id: str, measure: str, breakdowns: list[str | None], row: tuple[str, int],
                candidates: list[tuple[float | None, ...]], reason: str,
                columns: list[tuple[str, str | None]]) -> dict:
    return {"doc_id": doc_id, "measure": measure,
            "breakdown": "|".join(b or "总计" for b in breakdowns), "printed": row[0],
            "candidates": [list(c) for c in candidates], "reason": reason,
            "span_start": row[1],
            "columns": [f"{m}|{b}" if b else m for m, b in columns]}


# ---- tables as rows of cells (HTML, pipe) --------------------------------------------------


def pipe_cells(line: str) -> list[tuple[str, int, int]]:
    """Cells of a `| a | b |` line with their [start, end) offsets in the line (stripped)."""
    pieces = line.split("|")
    cells = []
    left = len(pieces[0])  # offset of the bar before the piece
    for raw in pieces[1:-1]:
        text = raw.strip()
        start = left + 1 + (len(raw) - len(raw.lstrip()))
        cells.append((text, start, start + len(text)))
        left += 1 + len(raw)
    return cells


_CELL_UNIT = re.compile(r"(万?元)\s*$")


def _pipe_cell(doc_id: str, table: str, measure: str, breakdown: str | None, body: str,
               line_start: int, cell: tuple[str, int, int], rule: str,
               scale: float = 1.0) -> dict | None:
    text, start, end = cell
    state, value = classify_cell(text)
    if state == "text":
        return None
    if state == "blank":
        start, end = start - 1, start  # a blank has no characters: point at its left border
    if value is not None:
        # A unit printed in the cell (2863.55万元, 251000元) overrides the header's.
        unit = _CELL_UNIT.search(text)
        if unit:
            scale = _UNIT_SCALE[unit.group(1)]
        value = round(value * scale, 6)
    return _cell_record(doc_id, table, measure, breakdown, state, value, text,
                        (body, line_start), (line_start + start, line_start + end), rule)


def _canonical_table3_columns(cells: list[str]) -> list[str | None] | None:
    """表三 columns in the template's order for a row under no usable header (an OCR piece
    headed 列1 | 列2 | …): label cells, then exactly seven cells that hold no text."""
    width = len(quality.TABLE3_COLUMNS)
    if len(cells) <= width or any(classify_cell(c)[0] == "text" for c in cells[-width:]):
        return None
    if classify_cell(cells[-width - 1])[0] != "text":
        return None
    return [None] * (len(cells) - width) + [c or "TOTAL" for c in quality.TABLE3_COLUMNS]


_MARKDOWN_RULE = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")


def read_pipe_tables(doc_id: str, text: str) -> list[dict]:
    """Cell records of the 表二, 表三 and 表四 pipe rows of one document."""
    cells: list[dict] = []
    t2_columns: list[Table2Column | None] | None = None
    t3_columns: list[str | None] | None = None
    t4_headers: list[list[str]] = []
    t3_seen = False
    t3_header_above: list[str | None] | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        body = line.rstrip("\n")
        if not body.startswith("|"):
            t4_headers = []
            continue
        if _MARKDOWN_RULE.match(body):
            continue  # |---|---| under a Markdown header row
        row = pipe_cells(body)
        texts = [c[0] for c in row]
        keys = [_key(t) for t in texts]
        names = table3_header_names(texts)
        header = _table3_header(names, t3_header_above)
        t3_header_above = names if any(names) else None
        if header is not None:
            t3_columns, t2_columns, t3_seen = header, None, True
            continue
        named = [table2_headers(k) for k in keys]
        if any(named[1:]):
            # 表二 header: 信息内容 | 本年制发件数 | …; a colspan repeats a header over the
            # columns it spans, and the value under it is read once.
            t2_columns = []
            for i, found in enumerate(named):
                repeat = i > 0 and keys[i] == keys[i - 1]
                t2_columns.append(None if not found or repeat or i == 0
                                  else _table2_column(found[0][2], keys[i]))
            continue
        if t2_columns is not None and len(t2_columns) == len(row):
            rule = match_table2_row(keys[0])
            if rule is not None:
                for cell, column in zip(row, t2_columns, strict=True):
                    if column is None:
                        continue
                    measure = _table2_measure(rule["prefix"], column.suffix)
                    if measure is not None:
                        record = _pipe_cell(doc_id, "t2", measure, None, body, line_start,
                                            cell, f"table2:{rule['rule']}", column.scale)
                        if record is not None:
                            cells.append(record)
                continue
        if any(k in {"行政复议", "行政诉讼"} for k in keys) or t4_headers:
            t2_columns = None
            if all(classify_cell(t)[0] != "text" for t in texts) and t4_headers:
                columns = _table4_columns(t4_headers)
                if columns is not None and len(columns) == len(row):
                    for (measure, breakdown), cell in zip(columns, row, strict=True):
                        record = _pipe_cell(doc_id, "t4", measure, breakdown, body, line_start,
                                            cell, "table4")
                        if record is not None:
                            cells.append(record)
                t4_headers, t3_columns = [], None
                continue
            t4_headers.append(texts)
            t3_columns = None
            continue
        columns = t3_columns
        if columns is None or len(columns) != len(row):
            columns = _canonical_table3_columns(texts) if t3_seen else None
            if columns is None:
                continue
        label_parts: list[str] = []
        for cell_text, column in zip(texts, columns, strict=True):
            if column is None and cell_text and (not label_parts or label_parts[-1] != cell_text):
                label_parts.append(cell_text)
        rule = match_table3_row(_key("".join(label_parts)))
        if rule is None:
            continue
        for cell, column in zip(row, columns, strict=True):
            if column is None:
                continue
            record = _pipe_cell(doc_id, "t3", rule["measure"],
                                None if column == "TOTAL" else column, body, line_start, cell,
                                f"table3:{rule['rule']}")
            if record is not None:
                cells.append(record)
    return cells


# ---- tables as text (PDF lines, spaced cells, glued digit runs) ----------------------------

# A payload: digits, spaces, signs, marks, a decimal part, a unit after digits.
_PAYLOAD = re.compile(r"(?:[\d\s/／—–\-－+]|\.(?=\d)|(?<=\d)万?元)+")
# "…00000002.其他法律…": a digit before a 、 or . and a label numbers the next row.
_NEXT_ITEM = re.compile(r"[.．、]\s*[^\d\s.．、]")
# Page furniture a PDF extraction leaves between rows.
_PAGE_MARKS = re.compile(
    r"(?m)^[ \t]*[—–\-－]{1,2}[ \t]*\d{1,3}[ \t]*[—–\-－]{1,2}[ \t]*$"
    r"|[—–]{1,2}[ \t]*\d{1,3}[ \t]*[—–]{1,2}"
    r"|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,，]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?"
)
_PIPE_LINE = re.compile(r"(?m)^\|.*$")
# Where a row label starts inside a longer label: 一、 （一） 1.
_OUTLINE = re.compile(r"[一二三四]、|[（(][一二三四五六七][)）]|\d[.．、]")
_GROUP = re.compile(r"[（(][一二三四五六七][)）][^\d（(]*")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))  # neither pattern matches across a line break


def plain_text(text: str) -> str:
    """`text` with pipe rows and page furniture blanked out, offsets unchanged."""
    return _PAGE_MARKS.sub(_blank, _PIPE_LINE.sub(_blank, text))


@dataclass(frozen=True)
class Segment:
    """A label and the payload printed after it (payload empty for a heading-only label)."""
    label: str
    label_start: int
    payload_start: int
    payload_end: int


def label_payloads(text: str, start: int, end: int) -> list[Segment]:
    """`text[start:end]` cut into labels, each with the payload printed after it."""
    payloads = []
    for m in _PAYLOAD.finditer(text, start, end):
        s, e = m.start(), m.end()
        if e < end and text[e - 1].isdigit() and _NEXT_ITEM.match(text, e):
            e -= 1
        body = text[s:e]
        if not re.search(r"[\d/／—–\-－]", body):
            continue
        if not re.search(r"\d", body) and not (body[0].isspace() or body[-1].isspace()):
            continue  # 本年增/减: a slash inside a header
        payloads.append((s, e))
    segments = []
    label_start = start
    for s, e in payloads:
        segments.append(Segment(text[label_start:s], label_start, s, e))
        label_start = e
    if label_start < end:
        segments.append(Segment(text[label_start:end], label_start, end, end))
    return segments


def _row_label(label: str, group: str) -> tuple[str, str]:
    """(the row's label, the current （N） group) from a label that may carry headers."""
    key = _key(label)
    first = _OUTLINE.search(key)
    tail = key[first.start():] if first else key
    found = list(_GROUP.finditer(tail))
    if found:
        group = found[-1].group(0)
    elif re.match(r"\d[.．、]", tail):
        tail = group + tail  # "3.其他" is a row of the （六） group printed above it
    return tail, group


def _readings(segment: Segment, text: str, columns: list[Column]) -> list[tuple[Cell, ...]] | None:
    pieces = payload_pieces(text[segment.payload_start:segment.payload_end], segment.payload_start)
    return readings(pieces, columns)


def _row_evidence(text: str, segment: Segment) -> tuple[str, int]:
    label = segment.label
    stripped = label.lstrip()
    start = segment.label_start + len(label) - len(stripped)
    return text[start:segment.payload_end].rstrip(), start


def _distinct(values: list[tuple]) -> list[tuple]:
    return list(dict.fromkeys(values))


def _store_row(doc_id: str, table: str, rule: str, row: tuple[str, int],
               options: list[tuple[Cell, ...]], keys: list[tuple[str, str | None]],
               reason: str, unresolved: list[dict]) -> list[dict]:
    """Cells of a row given its surviving readings: cells all readings agree on are stored;
    the others are recorded with the candidates (none survive: a parse failure)."""
    records = []
    if not options:
        for measure in dict.fromkeys(m for m, _ in keys):
            unresolved.append(_unresolved(doc_id, measure, [b for m, b in keys if m == measure],
                                          row, [], reason, []))
        return records
    values = [tuple(c.value for c in option) for option in options]
    open_keys = []
    for i, key in enumerate(keys):
        if len({v[i] for v in values}) == 1:
            cell = options[0][i]
            records.append(_cell_record(doc_id, table, key[0], key[1], cell.state, cell.value,
                                        cell.printed, row, (cell.start, cell.end), rule))
        else:
            open_keys.append(i)
    # The readings are joint: each candidate lists every open cell of the row, so a reader
    # can not combine one reading's first cell with another's second.
    joint = _distinct([tuple(v[i] for i in open_keys) for v in values])
    for measure in dict.fromkeys(keys[i][0] for i in open_keys):
        unresolved.append(_unresolved(
            doc_id, measure, [keys[i][1] for i in open_keys if keys[i][0] == measure], row,
            joint, f"{len(joint)} readings of the glued digits satisfy {reason}",
            [keys[i] for i in open_keys]))
    return records


def _read_text_table2(doc_id: str, text: str, start: int, end: int,
                      known: dict[str, float], unresolved: list[dict]) -> list[dict]:
    records: list[dict] = []
    columns: list[Table2Column] = []
    for segment in label_payloads(text, start, end):
        key = _key(segment.label)
        headers = table2_headers(key)
        if headers:
            columns = [_table2_column(rule, key[s:]) for s, _, rule in headers]
            key = key[headers[-1][1]:]
        rule = match_table2_row(key)
        if rule is None or not columns or segment.payload_start == segment.payload_end:
            continue
        row = _row_evidence(text, segment)
        # Readings in the catalogue's unit: a unit printed after a cell's digits overrides
        # the header's.
        options = [tuple(Cell(cell.state, None if cell.value is None else round(
                       cell.value * _UNIT_SCALE.get(cell.unit, column.scale), 6),
                       cell.printed, cell.start, cell.end)
                         for cell, column in zip(option, columns, strict=True))
                   for option in _readings(segment, text, [c.column for c in columns]) or []]
        measures = [_table2_measure(rule["prefix"], c.suffix) for c in columns]
        for i, measure in enumerate(measures):
            # A figure the prose states (现行有效行政规范性文件698件) picks the readings that
            # print it; a prose figure no reading prints (a slip, a rounder count) picks none.
            agreeing = [o for o in options if measure in known and o[i].value == known[measure]]
            options = agreeing if len(options) > 1 and agreeing else options
        # A column the catalogue has no measure for under this row is not stored.
        kept = [i for i, m in enumerate(measures) if m is not None]
        kept_options = _distinct([tuple(option[i] for i in kept) for option in options])
        records.extend(_store_row(
            doc_id, "t2", f"table2_text:{rule['rule']}", row, kept_options,
            [(measures[i], None) for i in kept],
            "no identity (表二 has none; the prose names none of its cells)"
            if kept_options else "no reading of the printed cells fits the columns", unresolved))
    return records


def _t3_grid(rows: dict[str, tuple[Cell, ...]]) -> quality.Grid:
    return {(measure, column): cell.value for measure, cells in rows.items()
            for column, cell in zip(quality.TABLE3_COLUMNS, cells, strict=True)}


def _read_text_table3(doc_id: str, text: str, start: int, end: int,
                      unresolved: list[dict]) -> list[dict]:
    row_options: dict[str, list[tuple[Cell, ...]] | None] = {}
    row_info: dict[str, tuple[dict, tuple[str, int]]] = {}
    group = ""
    columns = [COUNT] * len(quality.TABLE3_COLUMNS)
    for segment in label_payloads(text, start, end):
        label, group = _row_label(segment.label, group)
        rule = match_table3_row(label)
        if rule is None or segment.payload_start == segment.payload_end:
            continue
        if row_options.get(rule["measure"]):
            continue  # the first row that reads wins (a label can recur in a note)
        options = _readings(segment, text, columns)
        if options is not None and len(options) > 1:
            # T3-COL: the six applicant columns sum to 总计.
            options = [o for o in options if sum(c.value or 0 for c in o[:-1]) == o[-1].value]
        row_options[rule["measure"]] = options
        row_info[rule["measure"]] = (rule, _row_evidence(text, segment))
    fixed = {m: o[0] for m, o in row_options.items() if o is not None and len(o) == 1}
    open_rows = [m for m, o in row_options.items() if o is not None and len(o) > 1]
    solutions: dict[str, list[tuple[Cell, ...]]] = {m: [] for m in open_rows}
    reason = "the row sum and 表三's column identities"
    combos = 1
    for m in open_rows:
        combos *= len(row_options[m])
    if open_rows and combos <= MAX_COMBINATIONS:
        for choice in itertools.product(*(row_options[m] for m in open_rows)):
            grid = _t3_grid({**fixed, **dict(zip(open_rows, choice, strict=True))})
            if not quality.has_failure(quality.table3_checks(grid)):
                for m, option in zip(open_rows, choice, strict=True):
                    solutions[m].append(option)
    elif open_rows:
        reason = f"the row sum ({combos} combinations of rows: too many to search)"
        solutions = {m: row_options[m] for m in open_rows}
    records: list[dict] = []
    for measure, options in row_options.items():
        rule, row = row_info[measure]
        keys = [(measure, c) for c in quality.TABLE3_COLUMNS]
        if options is None:
            unresolved.append(_unresolved(doc_id, measure, list(quality.TABLE3_COLUMNS), row, [],
                                          "too many readings of the glued digits to search", []))
            continue
        surviving = _distinct(solutions[measure]) if measure in solutions else options
        why = reason if measure in solutions else "the row sum"
        if not options:
            why = "parse failure: no reading of the printed cells gives 7 cells summing to 总计"
        records.extend(_store_row(doc_id, "t3", f"table3_text:{rule['rule']}",
                                  row, surviving, keys, why, unresolved))
    return records


def _read_text_table4(doc_id: str, text: str, start: int, end: int,
                      unresolved: list[dict]) -> list[dict]:
    segments = label_payloads(text, start, end)
    for i, segment in enumerate(segments):
        key = _key(segment.label)
        header = "".join(_key(s.label) for s in segments[max(0, i - 2):i + 1])
        if not (re.search(r"复议", header) and re.search(r"未经复议|直接起诉", header)
                and re.search(r"复议后", header)) or segment.payload_start == segment.payload_end:
            continue
        if not re.search(r"总计|合计|审结", key):
            continue
        row = _row_evidence(text, segment)
        options = _readings(segment, text, [COUNT] * len(TABLE4_ORDER)) or []
        if len(options) > 1:
            options = [o for o in options if not quality.has_failure(quality.table4_checks(
                {k: c.value for k, c in zip(TABLE4_ORDER, o, strict=True)}))]
        return _store_row(doc_id, "t4", "table4_text", row, options,
                          TABLE4_ORDER, "each group's outcomes summing to its 总计"
                          if options else "parse failure: no reading of the printed cells "
                          "gives 15 cells whose groups sum to their 总计", unresolved)
    return []


_T2_START = re.compile(r"第二十条第[（(]一[)）]项|本年制发件数|本年新制作数量")
# The 表三 row 一 followed by cells, not a prose sentence (本年新收政府信息公开申请数量81件).
_T3_START = re.compile(r"(?:本年新收政府信息公开申请数量|本年新收)(?=[\s|]*\d[\d\s/／—–\-－]*(?![\d件个条次宗份]))")
_T3_LAST = re.compile(r"结转下年度继续办理|结转下年度")
_T4_START = re.compile(r"行政复议")
_T4_END = re.compile(r"[五六]、|存在的主要问题")


def read_text_tables(doc_id: str, text: str, done: set[str],
                     known: dict[str, float]) -> tuple[list[dict], list[dict]]:
    """Cell records and unresolved cells of the tables printed as text (not in `done`)."""
    if done >= {"t2", "t3", "t4"}:
        return [], []
    plain = plain_text(text)
    records: list[dict] = []
    unresolved: list[dict] = []
    t3 = _T3_START.search(plain)
    t2 = _T2_START.search(plain, 0, t3.start() if t3 else len(plain))
    if t2 and "t2" not in done:
        records += _read_text_table2(doc_id, plain, t2.start(),
                                     t3.start() if t3 else min(len(plain), t2.start() + 1500),
                                     known, unresolved)
    if t3 is None:
        return records, unresolved
    last = _T3_LAST.search(plain, t3.start())
    t4 = _T4_START.search(plain, last.end()) if last else None
    t3_end = t4.start() if t4 else min(len(plain), t3.start() + 4000)
    if "t3" not in done:
        records += _read_text_table3(doc_id, plain, t3.start(), t3_end, unresolved)
    if t4 and "t4" not in done:
        t4_end = _T4_END.search(plain, t4.end())
        records += _read_text_table4(doc_id, plain, t4.start(),
                                     t4_end.start() if t4_end else min(len(plain), t4.end() + 600),
                                     unresolved)
    return records, unresolved


# ---- the stage -----------------------------------------------------------------------------


def read_tables(doc_id: str, text: str,
                known: dict[str, float] | None = None) -> tuple[list[dict], list[dict]]:
    """Cell records and unresolved cells of one document's standard tables, in any form."""
    records = read_pipe_tables(doc_id, text)
    done = {r["table_no"] for r in records}
    more, unresolved = read_text_tables(doc_id, text, done, known or {})
    return records + more, unresolved


def extract_table_cells(documents: pl.DataFrame,
                        prose_facts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(cells, unresolved) of the gb2019 / gb2021 documents' standard tables."""
    known: dict[str, dict[str, float]] = {}
    for doc_id, measure, value in prose_facts.filter(pl.col("breakdown").is_null()).select(
            "doc_id", "measure", "value").iter_rows():
        known.setdefault(doc_id, {}).setdefault(measure, value)
    cells: list[dict] = []
    unresolved: list[dict] = []
    for doc_id, text in documents.filter(pl.col("template").is_in(["gb2019", "gb2021"])).select(
            "doc_id", "text").iter_rows():
        found, open_cells = read_tables(doc_id, text, known.get(doc_id))
        cells.extend(found)
        unresolved.extend(open_cells)
    return (pl.DataFrame(cells, schema=CELL_SCHEMA),
            pl.DataFrame(unresolved, schema=UNRESOLVED_SCHEMA))


def table_facts(cells: pl.DataFrame) -> pl.DataFrame:
    """The cells that print a number, as facts (blank and not-applicable cells are not 0)."""
    return cells.filter(pl.col("cell_state") == "number").select(FACT_COLUMNS)
