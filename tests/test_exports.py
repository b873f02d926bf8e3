"""Exports for every tool: Parquet, CSV that Excel reads, Stata .dta of the panel. Each is
read back with a reader of its own format and compared row by row with the warehouse."""

import csv
import math

import pandas as pd
import polars as pl
import pytest

from flows import formats, warehouse


@pytest.fixture(scope="module")
def exported(shared_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "out"
    counts = warehouse.export_parquet(shared_db, out)
    return shared_db, out, counts


def rows_of(db, view: str) -> pl.DataFrame:
    return warehouse.query_read_only(
        db, f"SELECT * FROM {view} ORDER BY {warehouse.VIEW_ORDER[view]}")


@pytest.mark.parametrize("view", warehouse.PARQUET_VIEWS)
def test_parquet_views_read_back_identically(exported, view):
    db, out, counts = exported
    expected = rows_of(db, view)
    assert expected.height == counts[view] > 0
    assert pl.read_parquet(out / f"{view}.parquet").equals(expected)


@pytest.mark.parametrize("view", warehouse.CSV_VIEWS)
def test_csv_carries_a_bom_and_reads_back_identically(exported, view):
    db, out, _ = exported
    path = out / "csv" / f"{view}.csv"
    # The byte-order mark is what makes Excel on Chinese Windows read UTF-8, not GBK.
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    expected = rows_of(db, view)
    assert records[0] == expected.columns
    assert len(records) - 1 == expected.height > 0

    def as_csv(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    for written, row in zip(records[1:], expected.iter_rows(), strict=True):
        cells = [as_csv(v) for v in row]
        # Doubles as text: compared as numbers (DuckDB and Python may print 0.1 differently).
        for i, (a, b) in enumerate(zip(written, cells, strict=True)):
            if a != b:
                assert math.isclose(float(a), float(b), rel_tol=1e-12), (view, expected.columns[i])
    # Chinese text survives: an agency name of the shared corpus, as the view has it.
    if "agency" in expected.columns:
        assert "渑池县人民政府" in path.read_text(encoding="utf-8-sig")


def test_stata_panel_reads_back_with_chinese_and_english_labels(exported):
    db, out, _ = exported
    path = out / "agency_year_panel.dta"
    with pd.io.stata.StataReader(path) as reader:
        frame = reader.read()
        labels = reader.variable_labels()
        data_label = reader.data_label
    expected = rows_of(db, "agency_year_panel")
    variables = formats.panel_variables()
    names = dict(zip(variables["column"], variables["stata_name"], strict=True))
    assert list(frame.columns) == [names[c] for c in expected.columns]
    # Stata's 32-character limit: the long rate names are shortened.
    assert all(len(c) <= 32 for c in frame.columns)
    assert "reconsid_per_100" in frame.columns
    assert labels["requests_received"] == "本年新收申请数 / requests received this year"
    assert labels["reconsid_per_100"] == "每百件申请行政复议数 / reconsiderations per 100 requests"
    assert all(" / " in label for label in labels.values())
    assert "面板" in data_label and "panel" in data_label
    assert len(frame) == expected.height > 0
    for stata_row, row in zip(frame.itertuples(index=False), expected.iter_rows(named=True),
                              strict=True):
        for column, value in row.items():
            got = getattr(stata_row, names[column])
            if value is None:
                # Stata has no missing string: NULL text is "", a NULL number is missing.
                assert got == "" if isinstance(got, str) else math.isnan(got), column
            elif isinstance(value, float):
                assert math.isclose(got, value, rel_tol=1e-12), column
            else:
                assert got == value, column


def test_an_unlabelled_panel_column_is_refused_naming_the_fix(tmp_path):
    panel = pl.DataFrame({"agency": ["某县人民政府"], "new_measure": [1.0]})
    with pytest.raises(formats.PanelLabelsMissing, match="panel_variables.csv"):
        formats.write_stata_panel(panel, tmp_path / "p.dta")
    assert not (tmp_path / "p.dta").exists()


def test_a_warehouse_of_an_older_version_is_refused_naming_the_file_and_the_fix(
        shared_db, tmp_path):
    import shutil

    old = tmp_path / "old.duckdb"
    shutil.copy(shared_db, old)
    con = warehouse.connect(old)
    con.execute("UPDATE warehouse_info SET value = '3' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(warehouse.WarehouseOutdated) as refused:
        warehouse.export_parquet(old, tmp_path / "out")
    assert str(old) in str(refused.value) and "ogi run --db" in str(refused.value)
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out-*"))
