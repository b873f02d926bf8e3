import csv

import polars as pl

from tests.conftest import SHARED
from transforms.annex import row_rules
from transforms.catalogue import is_valid_breakdown, measures
from transforms.prose import figure_rules, zero_rules


def test_catalogue_keeps_every_shared_code():
    """The shipped catalogue may extend the shared spec but never drops or renames a code."""
    with open(SHARED / "spec" / "measures.csv", encoding="utf-8") as handle:
        shared_codes = {row["code"] for row in csv.DictReader(handle)}
    assert shared_codes <= set(measures()["code"])


def test_rules_point_at_catalogue_measures():
    codes = set(measures()["code"])
    # CASE is resolved per figure to review or lit_total.
    assert set(figure_rules().filter(pl.col("measure") != "")["measure"]) <= codes | {"CASE"}
    assert set(zero_rules()["measure"]) <= codes
    assert set(row_rules().filter(pl.col("measure") != "")["measure"]) <= codes


def test_breakdown_validation():
    assert is_valid_breakdown("req.new_received", "applicant:natural_person")
    assert is_valid_breakdown("proactive.total", "category:机构职能")
    assert not is_valid_breakdown("review", "applicant:natural_person")
    assert not is_valid_breakdown("req.new_received", "channel:teleport")
