"""The warehouse side: DuckDB schema, staged loads, read-only queries, Parquet export.

The DDL and views live in sql/schema/*.sql (applied in file-name order) and the load's
statements in sql/load/; this module moves frames in and out. Staging the same files twice
leaves the data as it was (load_runs aside).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from flows import publish, spool
from flows.inventory import INVENTORY_SCHEMA
from flows.settings import LOADER_MEMORY_LIMIT
from transforms.catalogue import breakdown_kinds, measures
from transforms.metadata import division_dimension
from transforms.timing import timed

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


# A load writes the live file in place only to append its load_runs row when it found
# nothing new (a moment); a reader arriving then waits instead of failing.
READ_LOCK_WAIT_SECONDS = 15.0


def connect(db_path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if read_only and not Path(db_path).exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run `ogi run SOURCE --db {db_path}` first")
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    try:
        return publish.open_database(Path(db_path), read_only,
                                     READ_LOCK_WAIT_SECONDS if read_only else 0.0)
    except duckdb.IOException as exc:
        if not _FOREIGN_FILE.search(str(exc)):
            raise
        raise WarehouseUnreadable(
            f"{db_path} is not a warehouse this ogi can open ({exc}). Point --db at the file "
            f"`ogi run` wrote, or move this one aside: `ogi run SOURCE --db {db_path}` then "
            "builds a new warehouse there.") from exc


# DuckDB's words for a file that is no DuckDB database, or one of another storage version.
_FOREIGN_FILE = re.compile(r"not a valid DuckDB database file|version number|"
                           r"database file with version", re.I)


class WarehouseUnreadable(Exception):
    """The file at the warehouse path is not a DuckDB database this version can read."""


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


class WarehouseOutdated(Exception):
    """The warehouse file was made by an ogi whose schema this one does not write."""


# Raised when the tables change in a way `CREATE ... IF NOT EXISTS` cannot bring an older
# file up to (2: documents keyed by content, source_file, document_raw, load_runs; 3: the
# figure-level tables without declared keys, see sql/schema/020_documents.sql; 4: places,
# dim_division and dim_agency.division_reason, see sql/schema/012_places.sql).
SCHEMA_VERSION = "4"
# Older versions a load upgrades (in its private copy) and readers read as they are.
UPGRADABLE_VERSIONS = {"2", "3"}
# Tables version 3 redeclared without PRIMARY KEY / REFERENCES; same columns.
_FIGURE_TABLES = ["fact_disclosure", "unresolved_cell", "unstated_cell", "quality_checks"]


def check_schema_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The warehouse's schema version (None for an empty file); refuses, saying what to do,
    a version this ogi can neither read nor upgrade."""
    tables = {row[0] for row in con.sql(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()}
    if "dim_document" not in tables:
        return None
    found = None
    if "warehouse_info" in tables:
        rows = con.sql("SELECT value FROM warehouse_info WHERE key = 'schema_version'").fetchall()
        found = rows[0][0] if rows else None
    if found != SCHEMA_VERSION and found not in UPGRADABLE_VERSIONS:
        raise WarehouseOutdated(
            f"the warehouse has schema version {found or 1}, and this ogi writes version "
            f"{SCHEMA_VERSION}; it cannot be upgraded in place (older versions kept no raw "
            "bytes to re-extract from). Move the file aside and run `ogi run SOURCE` to "
            "build it again from the source folder.")
    return found


def require_current_schema(con: duckdb.DuckDBPyConnection, db_path: str | Path) -> None:
    """Refuse, naming the file and the fix, a warehouse an older ogi wrote: its views lack
    what this version reads (the places, the panel)."""
    found = check_schema_version(con)
    if found is not None and found != SCHEMA_VERSION:
        raise WarehouseOutdated(
            f"{db_path} has schema version {found}, and this ogi reads version "
            f"{SCHEMA_VERSION}. Run `ogi run --db {db_path}` once (with the source folder it "
            "was built from): the load upgrades it in place, keeping every row.")


def _set_aside_v2_figure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2 → 3, first half: move the figure-level tables' rows aside and drop the
    tables (DuckDB cannot drop a declared key), for the schema files to create them anew."""
    for table in _FIGURE_TABLES:
        con.execute(f"CREATE TEMP TABLE v2_{table} AS SELECT * FROM {table}")
        con.execute(f"DROP TABLE {table}")


def _restore_v2_figure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2 → 3, second half: the rows back into the tables as version 3 declares them."""
    for table in _FIGURE_TABLES:
        con.execute(f"INSERT INTO {table} SELECT * FROM temp.v2_{table}")
        con.execute(f"DROP TABLE temp.v2_{table}")


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables and views (idempotent), upgrading a warehouse of an older version, and
    load the catalogue dimensions."""
    found = check_schema_version(con)
    if found == "2":
        _set_aside_v2_figure_tables(con)
    for path in sorted((SQL_DIR / "schema").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))
    if found == "2":
        _restore_v2_figure_tables(con)
    # Version 3 → 4 is what the schema files add (IF NOT EXISTS).
    con.execute("INSERT INTO warehouse_info VALUES ('schema_version', ?) "
                "ON CONFLICT DO UPDATE SET value = excluded.value", [SCHEMA_VERSION])
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
                     incoming_breakdowns=breakdowns, incoming_divisions=division_dimension()):
        # Replaced, not kept: a regenerated division table updates the names.
        con.execute("INSERT OR REPLACE INTO dim_division SELECT * FROM incoming_divisions")
        con.execute("INSERT INTO dim_template SELECT * FROM incoming_templates "
                    "ON CONFLICT DO NOTHING")
        con.execute("INSERT INTO dim_measure SELECT * FROM incoming_measures "
                    "ON CONFLICT DO NOTHING")
        con.execute("INSERT INTO dim_breakdown SELECT * FROM incoming_breakdowns "
                    "ON CONFLICT DO NOTHING")


def read_state(db_path: str | Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(inventory, contents) of the live warehouse, read-only: every source path with its
    size, time, hash, status and quarantine reason; every stored document with its hash and
    extractor version. Empty frames when there is no warehouse yet."""
    if not Path(db_path).exists():
        return (pl.DataFrame(schema=INVENTORY_SCHEMA),
                pl.DataFrame(schema={"document_id": pl.String, "sha256": pl.String,
                                     "extractor_version": pl.String}))
    con = connect(db_path, read_only=True)
    try:
        check_schema_version(con)
        inventory = con.sql("""
            SELECT s.source_path, s.size_bytes, s.mtime_ns, s.ctime_ns, s.sha256, s.status,
                   s.retired_at IS NOT NULL AS retired, q.reason
            FROM source_file AS s LEFT JOIN quarantine AS q USING (source_path)""").pl()
        contents = con.sql(
            "SELECT document_id, sha256, extractor_version FROM dim_document").pl()
    finally:
        con.close()
    return inventory.cast(INVENTORY_SCHEMA), contents


def stored_raw(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> pl.DataFrame:
    """The kept raw bytes of stored documents, as a frame of files for the parse stages."""
    # A list parameter, not a registered frame: on a read-only connection opened while this
    # process holds another file read-write, DuckDB intermittently lacks the frame scanner.
    return con.sql("""
        SELECT d.source_path, r.raw, d.sha256, d.size_bytes
        FROM dim_document AS d JOIN document_raw AS r USING (document_id)
        WHERE document_id IN (SELECT unnest($ids::VARCHAR[]))
        ORDER BY document_id""", params={"ids": document_ids}).pl()


def stage_spool(con: duckdb.DuckDBPyConnection, spool_dir: str | Path, manifest: list[dict],
                seen: pl.DataFrame, now: datetime, reextract: bool = False,
                seconds: dict[str, float] | None = None) -> dict:
    """Write the parsed parts of `manifest` (flows/spool.py) in one transaction.

    `seen` is the paths the parts read, as the scan found them (source_path, file_name,
    size_bytes, mtime_ns, ctime_ns); empty for a re-extraction. New contents are inserted
    with their facts, cells, checks and raw bytes (each once, from the first part that
    parsed it); content already stored is not touched, unless `reextract`, when each parsed
    document replaces its stored self (a stored document its re-extraction refuses is
    quarantined with its paths). Each path is recorded in source_file (and the quarantine,
    if refused). DuckDB reads the parts itself: the loader never holds them in memory.
    Returns the counts of what was written, and `paths`: the paths recorded, with the
    content each was read as (sha256, doc_id).
    `seconds`, if given, accumulates the time of each step (stage:keys, stage:insert, ...).
    """
    if not manifest:
        return _staged_counts(pl.DataFrame(schema=_PATHS_SCHEMA), [], 0, 0, 0, 0, 0)
    for frame in spool.FRAMES:
        files = spool.part_files(spool_dir, frame, manifest)
        listed = ", ".join("'" + name.replace("'", "''") + "'" for name in files)
        con.execute(f"CREATE OR REPLACE TEMP VIEW spool_{frame} AS "
                    f"SELECT * FROM read_parquet([{listed}])")
    con.execute("SET VARIABLE reextract = ?", [reextract])
    with timed(seconds, "stage:incoming"):
        _run_sql_file(con, "load/incoming.sql")
        paths = _batch_paths(spool.read_frame(spool_dir, "files", manifest), seen)
    replaced = "SELECT doc_id FROM incoming_keys UNION ALL SELECT doc_id FROM refused_docs"
    with _registered(con, incoming_paths=paths):
        with _transaction(con, seconds):
            if reextract:
                with timed(seconds, "stage:delete"):
                    _delete_documents(con, replaced,
                                      keep_raw="SELECT doc_id FROM incoming_keys")
                    _quarantine_refused(con, now)
            with timed(seconds, "stage:insert"):
                _insert_documents(con, now)
            publish.crash_point("in-transaction")
            with timed(seconds, "stage:keys"):
                _check_keys(con)
            with timed(seconds, "stage:paths"):
                _record_paths(con, now)
        quarantined = con.sql("""
            SELECT count(*) FROM source_file WHERE status = 'quarantined'
               AND source_path IN (SELECT source_path FROM incoming_paths)""").fetchall()[0][0]
        # Live paths a re-extraction has just refused (they hold no document any more).
        refused_paths = 0 if not reextract else con.sql("""
            SELECT count(*) FROM source_file
            WHERE status = 'quarantined' AND retired_at IS NULL
              AND document_id IS NULL
              AND sha256 IN (SELECT sha256 FROM incoming_quarantine)
              AND source_path NOT IN (SELECT source_path FROM incoming_paths)""").fetchall()[0][0]
    with timed(seconds, "stage:counts"):
        document_ids = [row[0] for row in con.sql(
            "SELECT doc_id FROM incoming_keys ORDER BY part, doc_id").fetchall()]
        counts = con.sql("""SELECT (SELECT count(*) FROM incoming_facts),
                                   (SELECT count(*) FROM incoming_unresolved),
                                   (SELECT count(*) FROM incoming_unstated),
                                   (SELECT count(*) FROM incoming_checks)""").fetchall()[0]
    return _staged_counts(paths, document_ids, *counts, quarantined + refused_paths)


def _staged_counts(paths: pl.DataFrame, document_ids: list[str], facts: int, unresolved: int,
                   unstated: int, checks: int, quarantined: int) -> dict:
    return {"paths": paths, "document_ids": document_ids,
            "documents_written": len(document_ids),
            "facts_written": facts, "unresolved_cells": unresolved,
            "unstated_cells": unstated, "checks_written": checks,
            "paths_quarantined": quarantined}


def load_parsed(con: duckdb.DuckDBPyConnection, parsed: dict[str, pl.DataFrame],
                now: datetime | None = None) -> dict:
    """Load one parsed batch (flows.discover.parse_paths) straight into `con`: spool it,
    stage it and reconcile. The load flow does the same with many parts, into a private
    copy it then publishes; this one-step form serves tests and scripts that build a
    warehouse from frames."""
    now = now or datetime.now()
    paths = pl.concat([parsed["files"].select("source_path"),
                       parsed["quarantine"].select("source_path")]).unique(maintain_order=True)
    seen = paths.with_columns(
        pl.col("source_path").map_elements(os.path.basename, return_dtype=pl.String)
        .alias("file_name"),
        *(pl.lit(None, dtype=pl.Int64).alias(c) for c in ("size_bytes", "mtime_ns", "ctime_ns")))
    spool_dir = Path(tempfile.mkdtemp(prefix="ogi-spool-"))
    try:
        manifest = [spool.write_part(spool_dir, spool.part_name(0, 0), parsed)]
        counts = stage_spool(con, spool_dir, manifest, seen, now)
    finally:
        spool.remove(spool_dir)
    reconcile(con)
    return counts


_PATHS_SCHEMA = {"source_path": pl.String, "file_name": pl.String, "size_bytes": pl.Int64,
                 "mtime_ns": pl.Int64, "ctime_ns": pl.Int64, "sha256": pl.String,
                 "doc_id": pl.String}


def _batch_paths(files: pl.DataFrame, seen: pl.DataFrame) -> pl.DataFrame:
    """Each path seen with what it holds: its document (if the content parsed or is
    stored) or nothing (quarantined), and its size and times as read (as scanned when the
    read failed)."""
    if seen.is_empty():
        return pl.DataFrame(schema=_PATHS_SCHEMA)
    read = files.select("source_path", "sha256", "doc_id",
                        *(pl.col(c).alias(f"_read_{c}")
                          for c in ("size_bytes", "mtime_ns", "ctime_ns")))
    return seen.join(read, on="source_path", how="left").select(
        "source_path", "file_name",
        *(pl.coalesce(f"_read_{c}", c).alias(c) for c in ("size_bytes", "mtime_ns", "ctime_ns")),
        "sha256", "doc_id")


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection,
                 seconds: dict[str, float] | None = None) -> Iterator[None]:
    """The block in one transaction; `seconds`, if given, accumulates the commit's time
    (stage:commit: writing what the block staged)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    with timed(seconds, "stage:commit"):
        con.execute("COMMIT")


# Rows that hang off a document.
_DOCUMENT_ROWS = ["unresolved_cell", "unstated_cell", "quality_checks", "fact_disclosure",
                  "document_raw", "dim_document"]


def _delete_documents(con: duckdb.DuckDBPyConnection, ids_query: str,
                      keep_raw: str | None = None) -> None:
    """Delete the documents `ids_query` selects with every row hanging off them (their raw
    bytes too, except those of the documents `keep_raw` selects)."""
    for table in _DOCUMENT_ROWS:
        spared = f" AND document_id NOT IN ({keep_raw})" if keep_raw and table == "document_raw" else ""
        con.execute(f"DELETE FROM {table} WHERE document_id IN ({ids_query}){spared}")


class KeyViolation(Exception):
    """A load would store two rows under one key, or a figure of an unknown measure."""


def _check_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Fail the load (before it commits) on a key or reference sql/load/key_checks.sql finds
    broken: the checks the figure-level tables do not declare."""
    broken = con.sql((SQL_DIR / "load" / "key_checks.sql").read_text(encoding="utf-8")).fetchall()
    if broken:
        raise KeyViolation("the load would break the warehouse's keys (a bug: please report "
                           "it): " + "; ".join(f"{rule}: {doc} {key}" for rule, doc, key in broken))


def _insert_documents(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Move the registered incoming_* frames of new documents into the tables."""
    con.execute("""
        INSERT INTO dim_agency
        SELECT DISTINCT agency_id, agency, admin_level, province, division_code, division_reason
        FROM incoming_docs WHERE agency_id IS NOT NULL
        ON CONFLICT DO NOTHING""")
    # Agencies stored before division_reason existed (schema version 3) get it when one of
    # their documents is extracted again.
    con.execute("""
        UPDATE dim_agency SET division_reason = i.division_reason
        FROM (SELECT agency_id, min(division_reason) AS division_reason FROM incoming_docs
              WHERE agency_id IS NOT NULL GROUP BY agency_id) AS i
        WHERE dim_agency.agency_id = i.agency_id AND dim_agency.division_code IS NULL
          AND dim_agency.division_reason IS NULL""")
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
               mojibake_unrepaired, debris_removed, extractor_version, ?, text_raw, text, NULL
        FROM incoming_docs""", [now])
    # Not ON CONFLICT DO NOTHING: DuckDB then appends row by row into memory, and a national
    # corpus's raw bytes spill (60 s instead of 8 s for 200,000 reports under the 1 GB cap).
    # A re-extraction keeps the raw bytes it re-read: those rows are already there.
    con.execute("INSERT INTO document_raw SELECT doc_id, raw FROM incoming_raw "
                "WHERE doc_id NOT IN (SELECT document_id FROM document_raw)")
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


def _record_paths(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """source_file and quarantine rows for the batch's paths (registered incoming_paths)."""
    _run_sql_file(con, "load/record_paths.sql", now)


def _quarantine_refused(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    _run_sql_file(con, "load/quarantine_refused.sql", now)


def record_problems(con: duckdb.DuckDBPyConnection, problems: pl.DataFrame,
                    now: datetime) -> None:
    """Paths the scan could not examine (symlink loop, dangling link, unreadable folder)."""
    with _registered(con, incoming_problems=problems), _transaction(con):
        _run_sql_file(con, "load/record_problems.sql", now)


def retire_paths(con: duckdb.DuckDBPyConnection, gone: pl.DataFrame, now: datetime) -> None:
    """Mark paths that left the source retired; their quarantine rows go (nothing to fix)."""
    with _registered(con, gone_paths=gone.select("source_path")), _transaction(con):
        con.execute("UPDATE source_file SET retired_at = $now WHERE source_path IN "
                    "(SELECT source_path FROM gone_paths)", {"now": now})
        con.execute("DELETE FROM quarantine WHERE source_path IN "
                    "(SELECT source_path FROM gone_paths)")


def reconcile(con: duckdb.DuckDBPyConnection) -> None:
    """After a run's staging: drop documents no path holds any more (content replaced at
    its path), mark documents retired whose every path is gone, and recompute the checks
    across years over the whole warehouse, in one transaction."""
    with _transaction(con):
        _delete_documents(con, """
            SELECT document_id FROM dim_document WHERE document_id NOT IN
                (SELECT document_id FROM source_file WHERE document_id IS NOT NULL)""")
        _run_sql_file(con, "load/reconcile.sql")
        _run_sql_file(con, "checks/cross_year.sql")


def _run_sql_file(con: duckdb.DuckDBPyConnection, name: str,
                  now: datetime | None = None) -> None:
    """Run a file of sql/; its statements read the run's time as getvariable('load_now')."""
    if now is not None:
        con.execute(f"SET VARIABLE load_now = TIMESTAMP '{now.isoformat(sep=' ')}'")
    con.execute((SQL_DIR / name).read_text(encoding="utf-8"))


LOAD_RUN_COLUMNS = ["run_id", "flow_run_id", "started_at", "ended_at", "status", "source",
                    "reprocess", "files_seen", "files_new", "files_changed",
                    "files_unchanged", "files_retired", "files_quarantined",
                    "documents_added", "documents_reextracted", "facts_written",
                    "checks_failing", "extractor_version", "publication", "message"]


def record_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    """Append the run's row to load_runs."""
    placeholders = ", ".join(f"${name}" for name in LOAD_RUN_COLUMNS)
    con.execute(f"INSERT INTO load_runs ({', '.join(LOAD_RUN_COLUMNS)}) VALUES ({placeholders})",
                {name: run[name] for name in LOAD_RUN_COLUMNS})


def failing_checks_of(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> pl.DataFrame:
    """Failing quality checks of the given documents (the ones a run wrote)."""
    frame = pl.DataFrame({"document_id": document_ids}, schema={"document_id": pl.String})
    with _registered(con, run_documents=frame):
        return con.sql("""
            SELECT file, agency, report_year, rule, scope, expected, found, detail
            FROM failing_checks WHERE document_id IN (SELECT document_id FROM run_documents)
            ORDER BY file, rule, scope""").pl()


def content_digest(db_path: str | Path, skip_tables: tuple[str, ...] = ("load_runs",)
                   ) -> dict[str, str]:
    """A SHA-256 of every table's rows, for telling whether two warehouses hold the same
    data: times are reduced to whether they are set (a run at another moment writes other
    times), and `skip_tables` (the run log) are left out."""
    con = connect(db_path, read_only=True)
    try:
        tables = [row[0] for row in con.sql(
            "SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
            if row[0] not in skip_tables]
        digests = {}
        for table in tables:
            columns = con.sql(f"SELECT column_name, data_type FROM duckdb_columns() "
                              f"WHERE table_name = '{table}' ORDER BY column_index").fetchall()
            select = ", ".join(f"{name} IS NULL" if kind.startswith("TIMESTAMP") else name
                               for name, kind in columns)
            digest = hashlib.sha256()
            for row in con.sql(f"SELECT {select} FROM {table} ORDER BY ALL").fetchall():
                digest.update(repr(row).encode())
            digests[table] = digest.hexdigest()
        return digests
    finally:
        con.close()


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
                 "dim_division", "dim_document", "quarantine", "unresolved_cell",
                 "unstated_cell", "quality_checks"]
# Views researchers start from, each written whole in this order: as Parquet, and as CSV
# for spreadsheets (the tables stay Parquet only: dim_document holds whole report texts).
VIEW_ORDER = {"report_measures": "file, measure, breakdown", "reports": "file",
              "agency_year_panel": "agency, report_year, agency_id",
              "agency_places": "agency, agency_id"}
PARQUET_VIEWS = ["report_measures", "agency_year_panel", "agency_places"]
CSV_VIEWS = ["agency_year_panel", "reports", "report_measures", "agency_places"]


# The Parquet writer holds a row group in memory; a default one (122,880 rows) of documents
# with both their texts is gigabytes, beyond the export's memory cap.
_EXPORT_ROW_GROUP_ROWS = {"dim_document": 4096}


def _write_codebook(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """CODEBOOK.md (for people) and datapackage.json (Frictionless, for programs) describing
    the Parquet files in `folder`."""
    from flows.codebook import codebook_markdown, datapackage, schema_codebook
    from flows.formats import stata_codebook_markdown

    book = schema_codebook(con)
    files = {path.name.removesuffix(".parquet"): [path.name]
             for path in sorted(folder.glob("*.parquet"))}
    files["fact_disclosure"] = sorted(str(p.relative_to(folder))
                                      for p in (folder / "fact_disclosure").rglob("*.parquet"))
    files.update({f"{path.stem}_csv": [str(path.relative_to(folder))]
                  for path in sorted((folder / "csv").glob("*.csv"))})
    package = datapackage(book, files, {"fact_disclosure": ("report_year", "INTEGER")})
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1),
                                             encoding="utf-8")
    (folder / "CODEBOOK.md").write_text(codebook_markdown(book) + stata_codebook_markdown(),
                                        encoding="utf-8")


def _written_view(staging: Path, view: str) -> str:
    """A query of `view`'s rows in export order: read back from its Parquet file where the
    export wrote one (report_measures joins and sorts every fact: not twice), else the view."""
    written = staging / f"{view}.parquet"
    if written.exists():
        return f"SELECT * FROM read_parquet('{written}')"
    return f"SELECT * FROM {view} ORDER BY {VIEW_ORDER[view]}"


def export_parquet(db_path: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Write every table and the researchers' views as ZSTD Parquet (facts partitioned by
    year), those views again as CSV for Excel (csv/), the panel as Stata .dta, and the
    codebook (CODEBOOK.md, datapackage.json).

    The export is built in a temporary directory beside OUT and swapped in at the end, so a
    reader never sees a half-written export.
    """
    from flows import formats

    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    con = connect(db_path, read_only=True)
    try:
        require_current_schema(con, db_path)
    except WarehouseOutdated:
        con.close()
        raise
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    # The sorted and partitioned copies spill beyond this instead of growing with the corpus;
    # a partition's rows are written out every 16,384 (DuckDB's default, 524,288 per year
    # partition, overflows the cap and spills: 38 s instead of 12 s at 19 M facts).
    con.execute(f"SET memory_limit = '{LOADER_MEMORY_LIMIT}'")
    con.execute("SET partitioned_write_flush_threshold = 16384")
    counts: dict[str, int] = {}
    try:
        for table in EXPORT_TABLES:
            target = staging / f"{table}.parquet"
            rows = f", ROW_GROUP_SIZE {_EXPORT_ROW_GROUP_ROWS[table]}" if (
                table in _EXPORT_ROW_GROUP_ROWS) else ""
            con.execute(f"COPY {table} TO '{target}' (FORMAT parquet, COMPRESSION zstd{rows})")
            counts[table] = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        con.execute(f"""
            COPY (SELECT f.*, d.report_year
                  FROM fact_disclosure f JOIN dim_document d USING (document_id))
            TO '{staging / "fact_disclosure"}'
            (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (report_year))""")
        counts["fact_disclosure"] = con.sql("SELECT count(*) FROM fact_disclosure").fetchall()[0][0]
        for view in PARQUET_VIEWS:
            # COPY answers with the rows it wrote: the view is computed once.
            counts[view] = con.execute(f"""
                COPY (SELECT * FROM {view} ORDER BY {VIEW_ORDER[view]})
                TO '{staging / f"{view}.parquet"}' (FORMAT parquet, COMPRESSION zstd)"""
            ).fetchall()[0][0]
        (staging / "csv").mkdir()
        for view in CSV_VIEWS:
            formats.write_csv_for_excel(con, _written_view(staging, view),
                                        staging / "csv" / f"{view}.csv")
        formats.write_stata_panel(con.sql(_written_view(staging, "agency_year_panel")).pl(),
                                  staging / "agency_year_panel.dta")
        _write_codebook(con, staging)
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
