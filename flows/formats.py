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


def write_stata_panel(panel: pl.DataFrame, path: Path) -> None:
    """Write agency_year_panel rows to `path` as Stata .dta (format 118) with variable labels
    in Chinese and English. (The export writes into its staging folder, swapped in whole.)"""
    variables = panel_variables()
    unlabelled = [c for c in panel.columns if c not in variables["column"].to_list()]
    if unlabelled:
        raise PanelLabelsMissing(
            f"agency_year_panel has columns with no Stata name or label: {unlabelled}; add "
            f"them to {PANEL_VARIABLES}")
    names, labels = {}, {}
    for row in variables.iter_rows(named=True):
        names[row["column"]] = row["stata_name"]
        labels[row["stata_name"]] = f"{row['label_zh']} / {row['label_en']}"
    frame = panel.rename({c: names[c] for c in panel.columns}).to_pandas()
    frame.to_stata(path, write_index=False, version=STATA_VERSION, data_label=STATA_DATA_LABEL,
                   variable_labels={c: labels[c] for c in frame.columns})


def stata_codebook_markdown() -> str:
    """The CODEBOOK.md section on agency_year_panel.dta: Stata's names and labels."""
    lines = ["", "## agency_year_panel.dta (Stata)", "",
             "agency_year_panel as a Stata 14+ file (format 118, UTF-8). Names longer than "
             "Stata's 32 characters are shortened; each variable is labelled in Chinese and "
             "English. A NULL text is an empty string (Stata has no missing string); a NULL "
             "number is missing (.).", "",
             "| Stata variable | column | 中文 | English |", "|---|---|---|---|"]
    for row in panel_variables().iter_rows(named=True):
        lines.append(f"| `{row['stata_name']}` | `{row['column']}` | {row['label_zh']} | "
                     f"{row['label_en']} |")
    return "\n".join(lines) + "\n"
