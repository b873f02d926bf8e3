"""The division table is generated from published code lists, not edited by hand."""

import importlib.util

from conftest import REPO


def test_division_table_regenerates_identically(tmp_path):
    spec = importlib.util.spec_from_file_location("build_divisions",
                                                  REPO / "scripts" / "build_divisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    regenerated = tmp_path / "divisions.csv"
    module.main(regenerated)
    shipped = REPO / "transforms" / "reference" / "divisions.csv"
    assert regenerated.read_bytes() == shipped.read_bytes()
