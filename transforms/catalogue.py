"""The measure catalogue: measure and breakdown codes as data.

In: the CSV files under transforms/catalogue/ (a superset of shared/spec; codes are
never renamed). Out: polars frames for dim_measure / dim_breakdown and code lookups.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

CATALOGUE_DIR = Path(__file__).parent / "catalogue"
RULES_DIR = Path(__file__).parent / "rules"

# Units whose printed figures are money: extraction converts 万元 to yuan for these.
MONEY_UNIT = "yuan"


@cache
def measures() -> pl.DataFrame:
    """One row per measure code: code, group, label_zh, label_en, unit, templates, breakdowns."""
    return pl.read_csv(CATALOGUE_DIR / "measures.csv", infer_schema_length=0).with_columns(
        pl.col("breakdowns").fill_null(""), pl.col("notes").fill_null("")
    )


@cache
def breakdown_kinds() -> pl.DataFrame:
    """One row per breakdown (kind, code); kind `category` has the free code '*'."""
    return pl.read_csv(CATALOGUE_DIR / "breakdowns.csv", infer_schema_length=0).with_columns(
        pl.col("notes").fill_null("")
    )


@cache
def measure_codes() -> frozenset[str]:
    return frozenset(measures()["code"].to_list())


@cache
def allowed_breakdown_kinds() -> dict[str, frozenset[str]]:
    """measure code -> breakdown kinds the catalogue allows for it."""
    return {
        row["code"]: frozenset(k for k in row["breakdowns"].split("|") if k)
        for row in measures().iter_rows(named=True)
    }


def is_valid_breakdown(measure: str, breakdown: str | None) -> bool:
    """True when `breakdown` (None or 'kind:code') is allowed for `measure` by the catalogue."""
    if breakdown is None:
        return measure in measure_codes()
    kind, _, code = breakdown.partition(":")
    if kind not in allowed_breakdown_kinds().get(measure, frozenset()) or not code:
        return False
    if kind == "category":
        return True
    known = breakdown_kinds().filter(pl.col("kind") == kind)["code"].to_list()
    return code in known


def read_rules(file_name: str, measure_columns: tuple[str, ...] = ("measure",),
               markers: frozenset[str] = frozenset()) -> pl.DataFrame:
    """A rule table of transforms/rules/ (all strings, blanks as ""), refused when it names a
    measure the catalogue lacks. `markers` are placeholders resolved per figure (CASE)."""
    rules = pl.read_csv(RULES_DIR / file_name, infer_schema_length=0).fill_null("")
    named = set().union(*(set(rules[c]) for c in measure_columns)) if measure_columns else set()
    unknown = named - {""} - markers - measure_codes()
    if unknown:
        raise ValueError(f"{file_name} names measures missing from the catalogue: {unknown}")
    return rules


def canonical_category(label: str) -> str:
    """A category label as the evaluation compares it: one trailing 信息, then one 类, removed."""
    if label.endswith("信息"):
        label = label[: -len("信息")]
    if label.endswith("类"):
        label = label[: -len("类")]
    return label
