"""Exports for the tools researchers open the warehouse with, besides Parquet: CSV that
Excel on Chinese Windows reads, and Stata .dta of the agency-year panel.

Excel guesses a CSV's encoding from a byte-order mark: without one it reads UTF-8 as the
system code page (GBK on Chinese Windows) and every Chinese name turns to mojibake. DuckDB's
CSV writer has no BOM option, so its output is streamed behind one.

Stata keeps one label per variable (80 characters) and names of at most 32 characters; the
labels carry Chinese and English ("本年新收申请数 / requests received this year") and the
names too long for Stata are shortened, both from flows/reference/panel_variables.csv. Stata
has no missing string: a NULL text is an empty string in the .dta, while a NULL number
stays missing (.).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import polars as pl

UTF8_BOM = b"\xef\xbb\xbf"
PANEL_VARIABLES = Path(__file__).parent / "reference" / "panel_variables.csv"
STATA_DATA_LABEL = "政府信息公开年度报告 机构×年度面板 / OGI agency-year panel"
# Stata 14+ (format 118): UTF-8 strings and labels.
STATA_VERSION = 118


class PanelLabelsMissing(ValueError):
    """The panel has a column flows/reference/panel_variables.csv does not label."""


def write_csv_for_excel(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    """Write the rows of `query` to `path` as UTF-8 CSV with a byte-order mark and a header."""
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
        plain = Path(scratch) / "plain.csv"
        con.execute(f"COPY ({query}) TO '{plain}' (FORMAT csv, HEADER true)")
        with open(path, "wb") as out, open(plain, "rb") as body:
            out.write(UTF8_BOM)
            shutil.copyfileobj(body, out, 1 << 20)


def panel_variables() -> pl.DataFrame:
    """column, stata_name, label_zh, label_en of each agency_year_panel column."""
    return pl.read_csv(PANEL_VARIABLES)


def stata_labels() -> dict[str, str]:
    """Stata variable name -> its label, Chinese then English."""
    return {row["stata_name"]: f"{row['label_zh']} / {row['label_en']}"
            for row in panel_variables().iter_rows(named=True)}


def write_stata_panel(panel: pl.DataFrame, path: Path) -> None:
    """Write agency_year_panel rows to `path` as Stata .dta (format 118) with variable labels
    in Chinese and English."""
    variables = panel_variables()
    unlabelled = [c for c in panel.columns if c not in variables["column"].to_list()]
    if unlabelled:
        raise PanelLabelsMissing(
            f"agency_year_panel has columns with no Stata name or label: {unlabelled}; add "
            f"them to {PANEL_VARIABLES}")
    names = dict(zip(variables["column"], variables["stata_name"], strict=True))
    frame = panel.rename({c: names[c] for c in panel.columns}).to_pandas()
    labels = stata_labels()
    # Written beside the target and moved into place: no half-written file for a reader.
    handle, scratch = tempfile.mkstemp(dir=path.parent, suffix=".dta")
    os.close(handle)
    try:
        frame.to_stata(scratch, write_index=False, version=STATA_VERSION,
                       data_label=STATA_DATA_LABEL,
                       variable_labels={c: labels[c] for c in frame.columns})
        os.replace(scratch, path)
    finally:
        Path(scratch).unlink(missing_ok=True)
