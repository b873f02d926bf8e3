"""Stage 6, validate: the standard tables' own identities, and prose that restates them.

In: the cells read from a report's 表三 and 表四 (a grid of (measure, breakdown) -> value,
None for a cell printed blank or not applicable) and the report's prose figures. Out: one
check per rule and scope with status pass / fail / not_assessable, what was expected and
what was found. A rule with an operand that is blank, not applicable or not printed is
not_assessable, never failed: unknown is not 0. Tolerance is 0 for counts.

The same identity functions decide between the readings of a flattened table
(transforms/gb_tables.py), so a split is accepted by exactly the rules a researcher sees.
Checks across years (上年结转 vs last year's 结转下年度) need last year's report and run in
the warehouse (sql/checks/).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

Grid = dict[tuple[str, str | None], float | None]

APPLICANT_COLUMNS = ("applicant:natural_person", "applicant:commercial", "applicant:research",
                     "applicant:nonprofit", "applicant:legal_service", "applicant:other_org")
TABLE3_COLUMNS = (*APPLICANT_COLUMNS, None)
TABLE4_GROUPS = ("review", "lit_direct", "lit_after_review")
OUTCOMES = ("outcome:maintained", "outcome:corrected", "outcome:other", "outcome:pending")
# 表三's result rows without their subtotals: （七）总计 is their sum.
_RESULT_GROUPS = ("req.denied", "req.unable", "req.not_processed", "req.other")

CHECK_SCHEMA = {"doc_id": pl.String, "rule": pl.String, "scope": pl.String,
                "status": pl.String, "expected": pl.Float64, "found": pl.Float64,
                "detail": pl.String, "operands": pl.List(pl.String)}


def _check(rule: str, scope: str, expected_terms: dict[str, float | None],
           found_terms: dict[str, float | None], missing: Iterable[str] = (),
           operands: Iterable[str] = ()) -> dict:
    """A check that the sum of `expected_terms` equals the sum of `found_terms`; `operands`
    are the cells it reads (measure|breakdown), for showing their evidence."""
    operands = list(operands)
    missing = list(missing)
    unknown = [k for k, v in {**expected_terms, **found_terms}.items() if v is None] + missing
    left = " + ".join(expected_terms) or "0"
    right = " + ".join(found_terms) or "0"
    if unknown:
        return {"rule": rule, "scope": scope, "status": "not_assessable", "expected": None,
                "found": None, "operands": operands,
                "detail": f"{left} = {right}; blank, not applicable or not printed: "
                          + ", ".join(unknown)}
    expected = sum(v for v in expected_terms.values() if v is not None)
    found = sum(v for v in found_terms.values() if v is not None)
    return {"rule": rule, "scope": scope, "status": "pass" if expected == found else "fail",
            "expected": expected, "found": found, "detail": f"{left} = {right}",
            "operands": operands}


def _terms(grid: Grid, measures: Iterable[str], breakdown: str | None) -> tuple[dict, list]:
    terms, missing = {}, []
    for measure in measures:
        key = (measure, breakdown)
        if key in grid:
            terms[measure] = grid[key]
        else:
            missing.append(measure)
    return terms, missing


def _key(measure: str, breakdown: str | None) -> str:
    return f"{measure}|{breakdown}" if breakdown else measure


def _keys(measures: Iterable[str], breakdown: str | None) -> list[str]:
    return [_key(m, breakdown) for m in measures]


def result_rows(grid: Grid) -> list[str]:
    """The 表三 result rows whose sum is （七）总计: leaves, or a group's subtotal where the
    report prints no leaves of it (gb2019 prints （六）其他处理 as one row)."""
    measures = {m for m, _ in grid if m.startswith("req.")}
    rows = ["req.granted", "req.partial"]
    for group in _RESULT_GROUPS:
        leaves = sorted(m for m in measures if m.startswith(group + "."))
        rows.extend(leaves or [group])
    return rows


def table3_checks(grid: Grid) -> list[dict]:
    """T3-ID and T3-SUM per column, T3-COL per printed row."""
    if not any(m.startswith("req.") for m, _ in grid):
        return []
    checks = []
    results = result_rows(grid)
    for column in TABLE3_COLUMNS:
        scope = column or "total"
        left, missing_l = _terms(grid, ("req.new_received", "req.carried_over"), column)
        right, missing_r = _terms(grid, ("req.total_processed", "req.carried_forward"), column)
        checks.append(_check("t3_identity", scope, left, right, missing_l + missing_r,
                             _keys(("req.new_received", "req.carried_over", "req.total_processed",
                                    "req.carried_forward"), column)))
        total, missing_t = _terms(grid, ("req.total_processed",), column)
        parts, missing_p = _terms(grid, results, column)
        checks.append(_check("t3_results_sum", scope, total, parts, missing_t + missing_p,
                             _keys(("req.total_processed", *results), column)))
    for measure in dict.fromkeys(m for m, _ in grid if m.startswith("req.")):
        total = {"总计": grid.get((measure, None))} if (measure, None) in grid else {}
        parts = {c: grid[(measure, c)] for c in APPLICANT_COLUMNS if (measure, c) in grid}
        missing = [c for c in APPLICANT_COLUMNS if (measure, c) not in grid]
        if (measure, None) not in grid:
            missing.append("总计")
        checks.append(_check("t3_row_sum", measure, total, parts, missing,
                             [_key(measure, c) for c in TABLE3_COLUMNS]))
    return checks


def table4_checks(grid: Grid) -> list[dict]:
    """T4-SUM: each group's four outcomes sum to its 总计."""
    checks = []
    for group in TABLE4_GROUPS:
        if not any(m == group for m, _ in grid):
            continue
        total = {"总计": grid[(group, None)]} if (group, None) in grid else {}
        parts = {o: grid[(group, o)] for o in OUTCOMES if (group, o) in grid}
        missing = [o for o in OUTCOMES if (group, o) not in grid]
        if (group, None) not in grid:
            missing.append("总计")
        checks.append(_check("t4_group_sum", group, total, parts, missing,
                             [_key(group, o) for o in (*OUTCOMES, None)]))
    return checks


def has_failure(checks: list[dict]) -> bool:
    return any(c["status"] == "fail" for c in checks)


# ---- the stage -----------------------------------------------------------------------------

# A prose figure that restates a table figure which is not a cell: 行政诉讼9起 is the sum of
# both lawsuit groups' 总计; 不予公开5件 is the sum of the 不予公开 rows.
_PROSE_SUMS = {"lit_total": ("lit_direct", "lit_after_review")}


ProseFigure = tuple[str, str | None, float, str]  # measure, breakdown, value, evidence


def restatement_checks(grid: Grid, prose: Iterable[ProseFigure]) -> list[dict]:
    """Prose figures of the same report against the table cells they restate."""
    checks = []
    for measure, breakdown, value, evidence in prose:
        scope = _key(measure, breakdown)
        said = f"prose: {evidence.strip()[:80]}"
        if (measure, breakdown) in grid:
            cell = grid[(measure, breakdown)]
            check = _check("prose_restates_cell", scope, {"table": cell}, {"prose": value},
                           operands=[_key(measure, breakdown)])
            if (check["status"] == "fail" and measure == "req.new_received"
                    and grid.get(("req.carried_over", breakdown)) is not None
                    and cell + grid[("req.carried_over", breakdown)] == value):
                # 收到申请75件 = 本年新收 74 + 上年结转 1: the prose counts carried-over requests.
                check = {**check, "status": "pass", "expected": value,
                         "detail": check["detail"] + " (the prose adds 上年结转)"}
        elif breakdown is None and measure in _PROSE_SUMS:
            terms, missing = _terms(grid, _PROSE_SUMS[measure], None)
            check = _check("prose_restates_sum", scope, terms, {"prose": value}, missing,
                           _keys(_PROSE_SUMS[measure], None))
        elif breakdown is None and measure in _RESULT_GROUPS and any(
                m.startswith(measure + ".") for m, _ in grid):
            leaves = sorted({m for m, _ in grid if m.startswith(measure + ".")})
            terms, missing = _terms(grid, leaves, None)
            check = _check("prose_restates_sum", scope, terms, {"prose": value}, missing,
                           _keys(leaves, None))
        else:
            continue
        checks.append({**check, "detail": f"{check['detail']}; {said}"})
    return checks


def quality_checks(cells: pl.DataFrame, prose_facts: pl.DataFrame) -> pl.DataFrame:
    """The checks of every document with standard-table cells (see module docstring)."""
    # One pass over each frame's rows into per-document grids: a frame per document
    # (group_by, partition_by) costs more than the checks themselves.
    grids: dict[str, Grid] = {}
    for doc_id, measure, breakdown, value in cells.select(
            "doc_id", "measure", "breakdown", "value").iter_rows():
        grids.setdefault(doc_id, {})[(measure, breakdown)] = value
    prose_of: dict[str, list[ProseFigure]] = {}
    for doc_id, *figure in prose_facts.select(
            "doc_id", "measure", "breakdown", "value", "evidence").iter_rows():
        prose_of.setdefault(doc_id, []).append(tuple(figure))
    columns: dict[str, list] = {name: [] for name in CHECK_SCHEMA}
    for doc_id, grid in grids.items():
        prose = prose_of.get(doc_id, [])
        for check in table3_checks(grid) + table4_checks(grid) + restatement_checks(grid, prose):
            columns["doc_id"].append(doc_id)
            for name in _CHECK_FIELDS:
                columns[name].append(check[name])
            columns["operands"].append(_OPERAND_SEPARATOR.join(check["operands"]))
    # Lists from Python cost polars a Series each: operands arrive joined and are split.
    return pl.DataFrame(columns, schema=CHECK_SCHEMA | {"operands": pl.String}).with_columns(
        pl.when(pl.col("operands") == "").then(pl.lit([], pl.List(pl.String)))
        .otherwise(pl.col("operands").str.split(_OPERAND_SEPARATOR)).alias("operands"))


_CHECK_FIELDS = [name for name in CHECK_SCHEMA if name not in ("doc_id", "operands")]
_OPERAND_SEPARATOR = "\x1f"  # never in a measure or breakdown code
