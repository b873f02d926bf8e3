"""The warehouse side: DuckDB schema, idempotent loads, read-only queries, Parquet export.

The DDL and views live in sql/schema/*.sql (applied in file-name order); this module moves
frames in and out. Loading the same files twice leaves the warehouse exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from transforms.annex import UNRESOLVED_SCHEMA
from transforms.catalogue import breakdown_kinds, measures
from transforms.gb_tables import CELL_SCHEMA
from transforms.prose import FACT_SCHEMA
from transforms.quality import CHECK_SCHEMA

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"

TEMPLATES = [
    ("prose", "Prose report", "Free text under the 2008 Regulations (Art. 31/32), often with a "
     "statistics annex; report years up to 2018, and later reports in the old outline."),
    ("gb2019", "2019 standard template", "国办公开办函〔2019〕60号: 表二 with 本年新制作数量 / 对外公开总数量, "
     "表三 with one （六）其他处理 row; report years 2019-2020."),
    ("gb2021", "2021 standard template", "国办公开办函〔2021〕30号: 表二 with 本年制发件数 / 现行有效件数, "
     "表三 with three （六） rows; report years 2021 on."),
]
READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN", "PRAGMA", "SET", "RELATION", "VARIABLE_SET"}


class WriteRefused(Exception):
    """A statement given to the read-only query path would change the warehouse."""


def connect(db_path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only and not Path(db_path).exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `ogi run SOURCE --db {db_path}` first")
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    return con


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, **frames: pl.DataFrame) -> Iterator[None]:
    """Frames visible to SQL by name for the duration of the block, then unregistered."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and views (idempotent) and load the catalogue dimensions."""
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    templates = pl.DataFrame(TEMPLATES, schema=["template_key", "label", "description"],
                             orient="row")
    measure_rows = measures().select(
        pl.col("code").alias("measure_key"), pl.col("group").alias("measure_group"),
        "label_zh", "label_en", "unit", "templates",
        pl.col("breakdowns").alias("breakdown_kinds"), "notes",
    )
    breakdowns = pl.concat([
        pl.DataFrame({"breakdown_key": [""], "kind": ["none"], "code": [""],
                      "label_zh": ["（整体）"]}),
        breakdown_kinds().filter(pl.col("code") != "*").select(
            (pl.col("kind") + ":" + pl.col("code")).alias("breakdown_key"), "kind", "code",
            "label_zh"),
    ])
    with _registered(con, incoming_templates=templates, incoming_measures=measure_rows,
                     incoming_breakdowns=breakdowns):
        con.execute("INSERT INTO dim_template SELECT * FROM incoming_templates "
                    "ON CONFLICT DO NOTHING")
        con.execute("INSERT INTO dim_measure SELECT * FROM incoming_measures "
                    "ON CONFLICT DO NOTHING")
        con.execute("INSERT INTO dim_breakdown SELECT * FROM incoming_breakdowns "
                    "ON CONFLICT DO NOTHING")


def _agency_id(name: str, code: str | None) -> str:
    return hashlib.sha256(f"{name}|{code or ''}".encode()).hexdigest()[:16]


def _regime(year: int) -> str:
    return "pre2019" if year < 2019 else ("gb2019" if year < 2021 else "gb2021")


def load_parsed(con: duckdb.DuckDBPyConnection, parsed: dict[str, pl.DataFrame],
                now: datetime | None = None) -> dict[str, int]:
    """Load one run's parsed frames (transforms.pipeline.parse_files) in a single
    transaction; returns counts of what changed.

    A document whose path, content hash and extractor version are already stored is left
    untouched (same row, same load time); a changed one replaces its old row, facts, cells
    and checks. Checks across years are then recomputed over the whole warehouse.
    """
    now = now or datetime.now()
    documents = parsed["documents"]
    stored = con.sql("SELECT source_path, sha256, extractor_version FROM dim_document").pl()
    incoming = documents.join(stored, on=["source_path", "sha256", "extractor_version"],
                              how="anti")
    unchanged = documents.height - incoming.height
    incoming = incoming.with_columns(
        pl.when(pl.col("agency").is_not_null())
        .then(pl.struct("agency", "division_code").map_elements(
            lambda s: _agency_id(s["agency"], s["division_code"]), return_dtype=pl.String))
        .alias("agency_id")
    )

    def of_incoming(key: str, schema: dict) -> pl.DataFrame:
        frame = parsed.get(key)
        frame = pl.DataFrame(schema=schema) if frame is None else frame
        return frame.join(incoming.select("doc_id"), on="doc_id", how="semi")

    new_facts = of_incoming("facts", FACT_SCHEMA).with_columns(
        pl.col("breakdown").fill_null("").alias("breakdown_key"))
    new_unresolved = of_incoming("unresolved_cells", UNRESOLVED_SCHEMA)
    new_unstated = of_incoming("unstated_cells", CELL_SCHEMA).with_columns(
        pl.col("breakdown").fill_null("").alias("breakdown_key"))
    new_checks = of_incoming("checks", CHECK_SCHEMA)
    years = incoming.select(pl.col("report_year").drop_nulls().unique()).with_columns(
        pl.col("report_year").map_elements(_regime, return_dtype=pl.String).alias("regime"))
    with _registered(con, incoming_docs=incoming, incoming_facts=new_facts,
                     incoming_years=years, incoming_quarantine=parsed["quarantine"],
                     incoming_unresolved=new_unresolved, incoming_unstated=new_unstated,
                     incoming_checks=new_checks):
        _load_in_transaction(con, now)
    return {"documents_loaded": incoming.height, "documents_unchanged": unchanged,
            "facts_written": new_facts.height, "quarantined": parsed["quarantine"].height,
            "unresolved_cells": new_unresolved.height, "unstated_cells": new_unstated.height,
            "checks_written": new_checks.height}


# Rows that hang off a document: replaced with it.
_DOCUMENT_CHILDREN = ["unresolved_cell", "unstated_cell", "quality_checks", "fact_disclosure"]


def _load_in_transaction(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Move the registered incoming_* frames into the tables, all or nothing."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table in _DOCUMENT_CHILDREN:
            con.execute(f"""
                DELETE FROM {table} WHERE document_id IN (
                    SELECT document_id FROM dim_document
                    WHERE source_path IN (SELECT source_path FROM incoming_docs))""")
        con.execute("DELETE FROM dim_document WHERE source_path IN "
                    "(SELECT source_path FROM incoming_docs)")
        con.execute("""
            INSERT INTO dim_agency
            SELECT DISTINCT agency_id, agency, admin_level, province, division_code
            FROM incoming_docs WHERE agency_id IS NOT NULL
            ON CONFLICT DO NOTHING""")
        con.execute("INSERT INTO dim_year SELECT report_year, regime FROM incoming_years "
                    "ON CONFLICT DO NOTHING")
        con.execute("""
            INSERT INTO dim_breakdown
            SELECT DISTINCT breakdown_key, split_part(breakdown_key, ':', 1),
                   substr(breakdown_key, strpos(breakdown_key, ':') + 1),
                   substr(breakdown_key, strpos(breakdown_key, ':') + 1)
            FROM incoming_facts WHERE breakdown_key <> ''
            ON CONFLICT DO NOTHING""")
        con.execute("""
            INSERT INTO dim_document
            SELECT doc_id, source_path, file, sha256, size_bytes, codec, is_html, script,
                   template, agency_id, agency_reason, admin_level, admin_level_basis, province,
                   report_year, report_year_basis, published_on, mojibake_repaired,
                   mojibake_unrepaired, debris_removed, extractor_version, ?, text_raw, text
            FROM incoming_docs""", [now])
        con.execute("""
            INSERT INTO fact_disclosure
            SELECT doc_id, measure, breakdown_key, value, value_kind, evidence, span_start,
                   span_end, sentence_start, sentence_end, printed, rule
            FROM incoming_facts""")
        con.execute("""
            INSERT INTO unresolved_cell
            SELECT doc_id, measure, breakdown, printed, candidates, reason, span_start, columns
            FROM incoming_unresolved""")
        con.execute("""
            INSERT INTO unstated_cell
            SELECT doc_id, measure, breakdown_key, cell_state, printed, evidence, span_start
            FROM incoming_unstated""")
        con.execute("""
            INSERT INTO quality_checks
            SELECT doc_id, rule, scope, status, expected, found, detail, operands
            FROM incoming_checks""")
        con.execute((SQL_DIR / "checks" / "cross_year.sql").read_text(encoding="utf-8"))
        # A file that now loads leaves the quarantine; a refused file is recorded once per
        # content, so re-running on the same files changes nothing.
        con.execute("DELETE FROM quarantine WHERE source_path IN "
                    "(SELECT source_path FROM incoming_docs)")
        con.execute("""
            DELETE FROM quarantine WHERE source_path IN (
                SELECT q.source_path FROM incoming_quarantine q JOIN quarantine USING (source_path)
                WHERE q.sha256 IS DISTINCT FROM quarantine.sha256
                   OR q.reason IS DISTINCT FROM quarantine.reason)""")
        con.execute("""
            INSERT INTO quarantine
            SELECT source_path, file, sha256, size_bytes, stage, reason, ?
            FROM incoming_quarantine ON CONFLICT DO NOTHING""", [now])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def query_read_only(db_path: str | Path, sql: str) -> pl.DataFrame:
    """Run researcher SQL on a read-only connection; statements that write are refused."""
    con = connect(db_path, read_only=True)
    try:
        statements = con.extract_statements(sql)
        if not statements:
            raise ValueError("no SQL statement given")
        for statement in statements:
            kind = str(statement.type).split(".")[-1].upper()
            if kind not in READ_ONLY_STATEMENTS:
                raise WriteRefused(
                    f"refused: `ogi sql` is read-only and this is a {kind} statement. "
                    "Query the warehouse with SELECT; it is changed only by `ogi run`.")
        result = None
        for statement in statements:
            result = con.sql(statement.query)
        return result.pl() if result is not None else pl.DataFrame()
    finally:
        con.close()


EXPORT_TABLES = ["dim_template", "dim_year", "dim_measure", "dim_breakdown", "dim_agency",
                 "dim_document", "quarantine", "unresolved_cell", "unstated_cell",
                 "quality_checks"]


def export_parquet(db_path: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Write every table and report_measures as ZSTD Parquet; facts partitioned by year.

    The export is built in a temporary directory beside OUT and swapped in at the end, so a
    reader never sees a half-written export.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    con = connect(db_path, read_only=True)
    counts: dict[str, int] = {}
    try:
        for table in EXPORT_TABLES:
            target = staging / f"{table}.parquet"
            con.execute(f"COPY {table} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
            counts[table] = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        con.execute(f"""
            COPY (SELECT f.*, d.report_year
                  FROM fact_disclosure f JOIN dim_document d USING (document_id))
            TO '{staging / "fact_disclosure"}'
            (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (report_year))""")
        counts["fact_disclosure"] = con.sql("SELECT count(*) FROM fact_disclosure").fetchall()[0][0]
        con.execute(f"""
            COPY (SELECT * FROM report_measures ORDER BY file, measure, breakdown)
            TO '{staging / "report_measures.parquet"}' (FORMAT parquet, COMPRESSION zstd)""")
        counts["report_measures"] = con.sql("SELECT count(*) FROM report_measures").fetchall()[0][0]
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        con.close()
    if out_dir.exists():
        retired = out_dir.with_name(f".{out_dir.name}-old")
        shutil.rmtree(retired, ignore_errors=True)
        os.replace(out_dir, retired)
        os.replace(staging, out_dir)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, out_dir)
    return counts
