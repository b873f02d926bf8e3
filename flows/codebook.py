"""The warehouse's codebook: every table, view and column with its meaning, and every measure
and breakdown of the catalogue.

Meanings come from the schema's own COMMENTs (sql/schema/) and from the catalogue
(transforms/catalogue/), so the codebook cannot drift from what the warehouse holds.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from transforms.catalogue import breakdown_kinds, measures

# The catalogue of objects: main schema, not DuckDB's own (duckdb_*, sqlite_*, pragma_*).
_OBJECTS_SQL = """
    SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables()
    WHERE schema_name = 'main' AND NOT internal AND NOT temporary
    UNION ALL
    SELECT view_name, 'view', comment FROM duckdb_views()
    WHERE schema_name = 'main' AND NOT internal AND NOT temporary
    ORDER BY kind, name"""
_COLUMNS_SQL = """
    SELECT table_name AS object, column_name AS "column", data_type AS type, comment
    FROM duckdb_columns()
    WHERE schema_name = 'main' AND NOT internal
    ORDER BY table_name, column_index"""


def schema_codebook(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """{"objects" (name, kind, comment), "columns" (object, column, type, comment),
    "measures", "breakdowns" (the catalogue)} of the warehouse `con` holds."""
    objects = con.sql(_OBJECTS_SQL).pl()
    columns = con.sql(_COLUMNS_SQL).pl().join(objects.select(pl.col("name").alias("object")),
                                              on="object", how="semi", maintain_order="left")
    return {"objects": objects, "columns": columns,
            "measures": measures().select("code", "group", "label_zh", "label_en", "unit",
                                          "templates", "breakdowns", "notes"),
            "breakdowns": breakdown_kinds().select("kind", "code", "label_zh", "notes")}


def codebook_markdown(book: dict[str, pl.DataFrame]) -> str:
    """The codebook as Markdown: one section per table and view, then the catalogue."""
    lines = ["# Codebook of the disclosure-report warehouse", "",
             "Tables and views (their columns' meanings are the schema's comments), then every "
             "measure and breakdown code of the catalogue.", ""]
    for kind, title in (("view", "Views (what researchers query)"), ("table", "Tables")):
        lines += [f"## {title}", ""]
        for name, _, comment in book["objects"].filter(pl.col("kind") == kind).iter_rows():
            lines += [f"### `{name}`", "", _cell(comment), "", "| column | type | meaning |",
                      "|---|---|---|"]
            for _, column, dtype, meaning in book["columns"].filter(
                    pl.col("object") == name).iter_rows():
                lines.append(f"| `{column}` | {dtype} | {_cell(meaning)} |")
            lines.append("")
    lines += ["## Measures", "", "| code | group | 中文 | English | unit | breakdowns | notes |",
              "|---|---|---|---|---|---|---|"]
    for m in book["measures"].iter_rows(named=True):
        lines.append(f"| `{m['code']}` | {m['group']} | {m['label_zh']} | {_cell(m['label_en'])} "
                     f"| {m['unit']} | {m['breakdowns'] or ''} | {_cell(m['notes'])} |")
    lines += ["", "## Breakdowns", "",
              "A fact's breakdown is `kind:code` (NULL for the measure's total).", "",
              "| breakdown | 中文 | notes |", "|---|---|---|"]
    for b in book["breakdowns"].iter_rows(named=True):
        lines.append(f"| `{b['kind']}:{b['code']}` | {b['label_zh']} | {_cell(b['notes'])} |")
    return "\n".join(lines) + "\n"


def _cell(text: str | None) -> str:
    """Text inside a Markdown table cell: no line breaks, no bare bars."""
    return (text or "").replace("\n", " ").replace("|", "\\|")


def schema_connection(db: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse at `db`, or, where there is none yet, an
    in-memory database with the schema this version creates."""
    from flows import warehouse

    if db.exists():
        return warehouse.connect(db, read_only=True)
    con = duckdb.connect()
    warehouse.apply_schema(con)
    return con
