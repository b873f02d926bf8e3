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


# Table Schema types (Frictionless) of DuckDB's column types; a list is an array.
_FIELD_TYPES = {"VARCHAR": "string", "BOOLEAN": "boolean", "DATE": "date",
                "TIMESTAMP": "datetime", "TIMESTAMP WITH TIME ZONE": "datetime",
                "BLOB": "string", "DOUBLE": "number", "FLOAT": "number"}
_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                  "USMALLINT", "UINTEGER", "UBIGINT"}


def _field_type(duckdb_type: str) -> str:
    if duckdb_type.endswith("]"):
        return "array"
    if duckdb_type in _INTEGER_TYPES:
        return "integer"
    if duckdb_type.startswith("DECIMAL"):
        return "number"
    return _FIELD_TYPES.get(duckdb_type, "any")


def _fields(book: dict[str, pl.DataFrame], name: str) -> list[dict]:
    """Table Schema fields of a table or view of the codebook."""
    return [{"name": column, "type": _field_type(dtype), "description": comment or ""}
            for _, column, dtype, comment in book["columns"].filter(
                pl.col("object") == name).iter_rows()]


def datapackage(book: dict[str, pl.DataFrame], files: dict[str, list[str]],
                partition_keys: dict[str, tuple[str, str]] | None = None) -> dict:
    """A Frictionless Data Package describing exported Parquet files.

    `files`: for each exported table or view, its files relative to the package's folder.
    `partition_keys`: for a table written in hive partitions, (column, type) of the key that
    lives in the folder names (report_year=2018/) rather than in the files.
    """
    partition_keys = partition_keys or {}
    meaning = {name: comment for name, _, comment in book["objects"].iter_rows()}
    resources = []
    for name, paths in files.items():
        if not paths:
            continue  # a partitioned table with no rows has no file to describe
        fields = _fields(book, name)
        if name in partition_keys:
            key, dtype = partition_keys[name]
            fields.append({"name": key, "type": _field_type(dtype),
                           "description": f"Partition key: in the folder names ({key}=…/, "
                                          "hive layout), not in the files."})
        resource = {"name": name, "path": paths if len(paths) > 1 else paths[0],
                    "format": "parquet", "mediatype": "application/vnd.apache.parquet",
                    "description": meaning.get(name) or "", "schema": {"fields": fields}}
        if paths[0].endswith(".csv"):
            # A CSV copy of a view (NAME_csv): the view's fields, with a byte-order mark for
            # Excel (readers that follow the spec skip it).
            view = name.removesuffix("_csv")
            resource.update({
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "dialect": {"header": True, "delimiter": ","},
                "description": f"{meaning.get(view) or ''} CSV copy of {view}, UTF-8 with a "
                               "byte-order mark so that Excel reads the Chinese text.",
                "schema": {"fields": _fields(book, view)}})
        resources.append(resource)
    return {"profile": "data-package", "name": "ogi-disclosure-reports",
            "title": "China's government information disclosure annual reports: figures with "
                     "their evidence",
            "description": "Figures of 政府信息公开工作年度报告 as agency-year panel data; "
                           "CODEBOOK.md has every measure and breakdown code.",
            "resources": resources}
