"""The load flow: scan → plan → parse (in batches) → stage → publish → summarize.

Prefect only orchestrates: each task calls plain functions of flows/ and transforms/ on a
batch of documents (never one task per document). `ogi run` and the nightly schedule
(`ogi serve`) run this same flow.

A run does only new work: files whose size and time are unchanged are not read, content
already stored is not parsed. When there is nothing new it appends its load_runs row to the
live warehouse; otherwise it builds the next warehouse in a private copy and swaps it in
whole (flows/publish.py), so readers never see a partial load.
"""

from __future__ import annotations

from flows.settings import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_PARSE_TASKS,
    LOADER_MEMORY_LIMIT,
    configure_prefect,
)

configure_prefect()

import itertools  # noqa: E402
import os  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402
import polars as pl  # noqa: E402
from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows import inventory, publish, spool, warehouse  # noqa: E402
from flows.discover import parse_paths  # noqa: E402
from flows.progress import Bar  # noqa: E402
from transforms.timing import timed  # noqa: E402
from transforms.version import extractor_version  # noqa: E402

# Threads of the default runner: two parse tasks overlap their file reads, polars work and
# Parquet writes (the rest of the parse holds the GIL: --runner dask uses the other cores).
LOCAL_THREADS = 2
REPROCESS_MODES = ("none", "stale", "all")
FAILING_CHECKS_SHOWN = 20


@task(name="scan", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def scan(source: str) -> pl.DataFrame:
    """List the source's report files with size and time (retried: shares blink)."""
    return inventory.scan_source(source)


@task(name="parse-chunk", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def parse_chunk(paths: list[str], spool_dir: str, chunk: int, batch_size: int) -> list[dict]:
    """Read, hash, decode, normalize and extract a chunk of files, a batch at a time, each
    batch written to the spool as Parquet; returns the manifest entries (content the
    warehouse already holds is hashed, not parsed). Runs wherever the task runner puts it:
    a thread here, or a Dask worker that sees `spool_dir` and the source files."""
    known = spool.read_known_contents(spool_dir)
    return [spool.write_part(spool_dir, spool.part_name(chunk, index), parse_paths(batch, known))
            for index, batch in enumerate(_batches(paths, batch_size))]


@task(name="reextract-chunk", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def reextract_chunk(db: str, document_ids: list[str], spool_dir: str, chunk: int,
                    batch_size: int) -> list[dict]:
    """Extract stored documents again from the raw bytes kept in the warehouse, a batch at
    a time, into the spool."""
    from transforms.pipeline import parse_files_isolated

    entries = []
    for index, ids in enumerate(_batches(document_ids, batch_size)):
        con = warehouse.connect(db, read_only=True)
        try:
            files = warehouse.stored_raw(con, ids)
        finally:
            con.close()
        parsed = parse_files_isolated(files)
        parsed["files"] = parsed["files"].with_columns(
            *(pl.lit(None, dtype=pl.Int64).alias(c) for c in ("mtime_ns", "ctime_ns")))
        parsed["raw"] = pl.DataFrame(schema=spool.frame_schemas()["raw"])  # already stored
        entries.append(spool.write_part(spool_dir, spool.part_name(chunk, index), parsed))
    return entries


def _batches(items, size: int) -> list:
    """`items` (a list or a frame) cut into consecutive pieces of `size`."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def _chunks(items: list, batch_size: int, parse_tasks: int) -> list[list]:
    """`items` in at most `parse_tasks` consecutive chunks of whole batches: the number of
    task runs is bounded whatever the size of the corpus."""
    batches = _batches(items, batch_size)
    count = min(parse_tasks, len(batches))
    # Spread evenly (chunks differ by one batch at most): with chunks of ceil(n / tasks)
    # batches, the last is short and the one before it runs alone while the others idle.
    cuts = [len(batches) * i // count for i in range(count + 1)] if count else []
    return [[item for batch in batches[start:end] for item in batch]
            for start, end in itertools.pairwise(cuts)]


def task_runner(runner: str = "local", workers: int | None = None):
    """The task runner a `runner` spec names: `local` (threads of this process), `dask`
    (a local Dask cluster of `workers` processes, one thread each; default: one per core)
    or `dask=ADDRESS` (the scheduler of an existing cluster)."""
    kind, _, address = runner.partition("=")
    if kind == "local" and not address:
        return ThreadPoolTaskRunner(max_workers=LOCAL_THREADS)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={
            "n_workers": workers or os.cpu_count() or 1, "threads_per_worker": 1,
            "processes": True, "dashboard_address": None, "env": _api_for_workers()})
    raise ValueError(f"unknown runner {runner!r}: use local, dask or dask=ADDRESS")


def _api_for_workers() -> dict[str, str]:
    """The environment that sends a local cluster's task runs to this process's Prefect
    API. Without a PREFECT_API_URL, each worker process would start an ephemeral API of its
    own (seconds each, and all of them writing one SQLite file): the ephemeral API is
    started here instead, once, and its address handed to the workers."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the one instance the flow's client will use
        server.start()
        url = server.api_url
    return {"PREFECT_API_URL": url}


@flow(name="ogi-load-reports", task_runner=ThreadPoolTaskRunner(max_workers=LOCAL_THREADS),
      log_prints=False)
def load_reports(source: str | None = None, db: str | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE, reprocess: str = "none",
                 wait_seconds: float = 0.0, allow_empty_source: bool = False,
                 parse_tasks: int = DEFAULT_PARSE_TASKS, spool_dir: str | None = None) -> dict:
    """Bring the warehouse at `db` up to date with the report files under `source`.

    The files are parsed by at most `parse_tasks` tasks (on the flow's task runner: see
    `with_runner`), each writing its batches of `batch_size` files as Parquet into a spool
    under `spool_dir` (default: beside the warehouse; with a remote cluster, a folder its
    workers and this process share), and one loader stages the spool into the warehouse.

    `reprocess`: none (only new work), stale (also re-extract documents an older extractor
    read) or all (re-extract every stored document from its kept raw bytes; `source` may
    then be omitted; quarantined files are read again too). Waits up to `wait_seconds` for a
    load already running, then exits with LoadInProgress. An empty source that held files
    is refused (an unmounted share must not retire the corpus) unless `allow_empty_source`.
    Returns the run's summary; raises (a failed run) after recording it.
    """
    from flows.settings import default_db

    if reprocess not in REPROCESS_MODES:
        raise ValueError(f"reprocess must be one of {', '.join(REPROCESS_MODES)}")
    if parse_tasks < 1 or batch_size < 1:
        raise ValueError("parse_tasks and batch_size must be at least 1")
    if source is None and reprocess == "none":
        raise ValueError("give a source folder, or reprocess='all'/'stale' to re-extract "
                         "the stored documents")
    db_path = Path(db or default_db()).resolve()
    run = _new_run(source, reprocess)
    logger = get_run_logger()
    with publish.loader_lock(db_path, wait_seconds):
        publish.crash_point("locked")
        try:
            publish.recover(db_path)
            publish.crash_point("recovered")
            summary = _load(db_path, source, batch_size, reprocess, run, allow_empty_source,
                            parse_tasks, Path(spool_dir).resolve() if spool_dir else None)
        except warehouse.WarehouseOutdated:
            raise  # nothing can be recorded in a warehouse of another schema
        except Exception as exc:
            if not run.get("recorded"):
                run.update(status="failed", ended_at=datetime.now(), publication="none",
                           message=f"{type(exc).__name__}: {exc}")
                _record_failure(db_path, run, logger)
            raise
    create_markdown_artifact(key="ogi-load-summary", markdown=summary_markdown(summary),
                             description="What this load found, wrote and refused")
    create_table_artifact(key="ogi-load-by-template", table=summary["by_template"],
                          description="Documents and facts by template")
    logger.info("%s", summary["message"])
    return summary


def with_runner(runner: str = "local", workers: int | None = None):
    """The load flow on the task runner `runner` names (see `task_runner`)."""
    return load_reports.with_options(task_runner=task_runner(runner, workers))


def _new_run(source: str | None, reprocess: str) -> dict:
    run = {name: 0 for name in warehouse.LOAD_RUN_COLUMNS if name.startswith(
        ("files_", "documents_", "facts_", "checks_"))}
    run.update(run_id=str(uuid.uuid4()), flow_run_id=flow_run.get_id(),
               started_at=datetime.now(), ended_at=None, status="succeeded",
               source=str(Path(source).resolve()) if source else None, reprocess=reprocess,
               extractor_version=extractor_version(), publication="none", message="",
               parse_workers=[], seconds={})
    return run


class SourceLooksUnmounted(Exception):
    """The source folder is empty while the warehouse holds live files from it."""


def _load(db: Path, source: str | None, batch_size: int, reprocess: str, run: dict,
          allow_empty_source: bool = False, parse_tasks: int = DEFAULT_PARSE_TASKS,
          spool_root: Path | None = None) -> dict:
    spool_root = spool_root or db.parent
    stored_paths, contents = warehouse.read_state(db)
    plan = pl.DataFrame(schema={**inventory.SCAN_SCHEMA, "change": pl.String})
    if source:
        scanned = scan(run["source"])
        publish.crash_point("scanned")
        plan = inventory.plan_changes(scanned, stored_paths, run["source"],
                                      retry_quarantined=reprocess != "none")
        vanishing = plan.filter(pl.col("change") == inventory.RETIRED).height
        if scanned.is_empty() and vanishing and not allow_empty_source:
            raise SourceLooksUnmounted(
                f"{run['source']} is empty, but the warehouse holds {vanishing} live files "
                "from it: "
                "is the share mounted? Nothing was retired. If every report really was "
                "removed, run again with --allow-empty-source.")
    publish.crash_point("planned")
    changes = plan.group_by("change").len().rows()
    by_change = dict(changes)
    run.update(files_seen=plan.filter(pl.col("change") != inventory.RETIRED).height,
               files_new=by_change.get(inventory.NEW, 0),
               files_unchanged=by_change.get(inventory.UNCHANGED, 0),
               files_retired=by_change.get(inventory.RETIRED, 0))
    to_read = plan.filter(pl.col("change").is_in([inventory.NEW, inventory.CHANGED]))
    problems = plan.filter(pl.col("change") == inventory.PROBLEM)
    gone = plan.filter(pl.col("change") == inventory.RETIRED)
    stale = contents.filter(pl.col("extractor_version") != run["extractor_version"])
    reextract = {"none": contents.head(0), "stale": stale, "all": contents}[reprocess]
    if to_read.is_empty() and problems.is_empty() and gone.is_empty() and reextract.is_empty():
        con = publish.try_open_in_place(db) if db.exists() else None
        if con is not None:
            return _record_in_place(con, run, stale.height)
    with publish.next_warehouse(db) as target:
        con = warehouse.connect(target)
        try:
            con.execute(f"SET memory_limit = '{LOADER_MEMORY_LIMIT}'")
            warehouse.apply_schema(con)
            publish.crash_point("schema-applied")
            written = _stage_all(con, db, spool_root / publish.spool_name(db), to_read,
                                 reextract, stored_paths, contents, batch_size, parse_tasks,
                                 run)
            now = run["started_at"]
            if not problems.is_empty():
                warehouse.record_problems(con, problems, now)
            if not gone.is_empty():
                warehouse.retire_paths(con, gone, now)
            run["files_quarantined"] += problems.height
            publish.crash_point("retired")
            with timed(run["seconds"], "reconcile"):
                warehouse.reconcile(con)
            publish.crash_point("reconciled")
            with timed(run["seconds"], "summary"):
                failing = warehouse.failing_checks_of(con, written)
                run.update(checks_failing=failing.height, publication="new_file",
                           ended_at=datetime.now(),
                           message=_message(run, stale.height, reprocess))
                warehouse.record_run(con, run)
                publish.crash_point("run-recorded")
                summary = run_summary(con, run, failing)
            with timed(run["seconds"], "checkpoint"):
                con.execute("CHECKPOINT")
            publish.crash_point("checkpointed")
        finally:
            con.close()
    return summary


def _stage_all(con: duckdb.DuckDBPyConnection, db: Path, spool_dir: Path,
               to_read: pl.DataFrame, reextract: pl.DataFrame, stored_paths: pl.DataFrame,
               contents: pl.DataFrame, batch_size: int, parse_tasks: int,
               run: dict) -> list[str]:
    """Parse every new file and every document to re-extract into the spool (tasks on the
    run's task runner), then stage the spool into the next warehouse; returns the
    documents written."""
    now = run["started_at"]
    spool.remove(spool_dir)  # a killed run's parts
    try:
        read_dir, reextract_dir = spool_dir / "read", spool_dir / "reextract"
        spool.write_known_contents(read_dir, contents["sha256"])
        chunks = _chunks(to_read["source_path"].to_list(), batch_size, parse_tasks)
        with timed(run["seconds"], "parse"):
            manifest = _gather([parse_chunk.submit(paths, str(read_dir), index, batch_size)
                                for index, paths in enumerate(chunks)], chunks,
                               "reading new and changed files", "spooled")
        workers = {entry["worker"] for entry in manifest}
        with timed(run["seconds"], "stage"):
            counts = warehouse.stage_spool(con, read_dir, manifest, to_read, now,
                                           seconds=run["seconds"])
        _count_paths(run, to_read, counts["paths"], stored_paths)
        run["documents_added"] += counts["documents_written"]
        run["facts_written"] += counts["facts_written"]
        run["files_quarantined"] += counts["paths_quarantined"]
        written = counts["document_ids"]
        publish.crash_point("staged")

        chunks = _chunks(reextract["document_id"].to_list(), batch_size, parse_tasks)
        with timed(run["seconds"], "parse"):
            manifest = _gather([reextract_chunk.submit(str(db), ids, str(reextract_dir), index,
                                                       batch_size)
                                for index, ids in enumerate(chunks)], chunks,
                               "re-extracting stored documents", "respooled")
        workers |= {entry["worker"] for entry in manifest}
        run["parse_workers"] = sorted(workers)
        with timed(run["seconds"], "stage"):
            counts = warehouse.stage_spool(con, reextract_dir, manifest, to_read.head(0), now,
                                           reextract=True, seconds=run["seconds"])
        run["documents_reextracted"] += counts["documents_written"]
        run["facts_written"] += counts["facts_written"]
        return written + counts["document_ids"]
    finally:
        spool.remove(spool_dir)


def _gather(futures: list, chunks: list[list], label: str, crash_label: str) -> list[dict]:
    """The manifest entries of the chunk tasks' futures, in chunk order."""
    bar = Bar(label, sum(map(len, chunks)))
    manifest: list[dict] = []
    for index, (future, chunk) in enumerate(zip(futures, chunks, strict=True), start=1):
        manifest += future.result()
        bar.advance(len(chunk))
        publish.crash_point(f"{crash_label}-{index}")
    return manifest


def _count_paths(run: dict, seen: pl.DataFrame, paths: pl.DataFrame,
                 stored_paths: pl.DataFrame) -> None:
    """A known path whose time moved but whose bytes did not is unchanged, not changed
    (`paths`: the staged paths with the content each was read as)."""
    touched = seen.filter(pl.col("change") == inventory.CHANGED).select("source_path").join(
        paths.select("source_path", "sha256"), on="source_path", how="left").join(
        stored_paths.select("source_path", pl.col("sha256").alias("_stored")),
        on="source_path", how="left")
    same = touched.filter(pl.col("sha256") == pl.col("_stored")).height
    run["files_changed"] += touched.height - same
    run["files_unchanged"] += same


def _record_in_place(con: duckdb.DuckDBPyConnection, run: dict, stale: int) -> dict:
    """Nothing new: append the run's row to the live file (a moment's write) and report."""
    try:
        run.update(publication="in_place", ended_at=datetime.now(),
                   message=_message(run, stale, run["reprocess"]))
        warehouse.record_run(con, run)
        run["recorded"] = True
        publish.crash_point("in-place-recorded")
        summary = run_summary(con, run, warehouse.failing_checks_of(con, []))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return summary


def _record_failure(db: Path, run: dict, logger) -> None:
    """Keep a failed run's row in the live warehouse if nobody is reading it; the exit
    status and the log say it either way. Never masks the error that failed the run."""
    try:
        con = publish.try_open_in_place(db) if db.exists() else None
        if con is None:
            logger.warning("run %s failed and could not be recorded in load_runs (no "
                           "warehouse yet, or a reader holds it): %s", run["run_id"],
                           run["message"])
            return
        try:
            warehouse.record_run(con, run)
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except Exception as exc:  # noqa: BLE001 - the run's own error is re-raised by the caller
        logger.warning("run %s failed, and recording the failure failed too (%s: %s)",
                       run["run_id"], type(exc).__name__, exc)


def _message(run: dict, stale: int, reprocess: str) -> str:
    text = (f"{run['files_seen']} files seen: {run['files_new']} new, {run['files_changed']} "
            f"changed, {run['files_unchanged']} unchanged, {run['files_retired']} retired, "
            f"{run['files_quarantined']} quarantined; {run['documents_added']} documents "
            f"added, {run['documents_reextracted']} re-extracted, {run['facts_written']} "
            f"facts written")
    if stale and reprocess == "none":
        text += (f"; {stale} documents were extracted by an older extractor: "
                 "run `ogi run --reprocess` to extract them again")
    return text


def run_summary(con: duckdb.DuckDBPyConnection, run: dict, failing: pl.DataFrame) -> dict:
    """The run's load_runs row, what the warehouse now holds, and this run's failing
    checks: for the terminal, the Prefect artifact and the tests."""
    by_template = con.sql("""
        SELECT t.template_key AS template, count(DISTINCT c.document_id) AS documents,
               count(f.measure_key) AS facts
        FROM dim_template t
        LEFT JOIN document_context c ON c.template = t.template_key
        LEFT JOIN fact_disclosure f USING (document_id)
        GROUP BY 1 ORDER BY 1""").pl()
    totals = con.sql("""SELECT (SELECT count(*) FROM document_context),
                               (SELECT count(*) FROM report_measures),
                               (SELECT count(*) FROM quarantine),
                               (SELECT count(*) FROM failing_checks),
                               (SELECT count(*) FROM retired_documents)""").fetchall()[0]
    return {**run,
            "warehouse_documents": totals[0], "warehouse_facts": totals[1],
            "warehouse_quarantined": totals[2], "warehouse_failing_checks": totals[3],
            "warehouse_retired_documents": totals[4],
            "by_template": by_template.to_dicts(),
            "failing_checks": failing.head(FAILING_CHECKS_SHOWN).to_dicts(),
            "failing_checks_by_rule": failing.group_by("rule").len().sort("rule").rows()}


def summary_markdown(summary: dict) -> str:
    lines = [
        f"# OGI load {summary['run_id']}", "",
        f"- status: {summary['status']} ({summary['publication'].replace('_', ' ')})",
        f"- {summary['message']}",
        f"- failing quality checks in the documents written: {summary['checks_failing']}",
        f"- warehouse now: {summary['warehouse_documents']} documents, "
        f"{summary['warehouse_facts']} facts, {summary['warehouse_quarantined']} quarantined "
        f"files, {summary['warehouse_retired_documents']} retired documents, "
        f"{summary['warehouse_failing_checks']} failing checks (see the failing_checks view)",
        *(["- time: " + ", ".join(f"{name} {seconds:.1f} s"
                                   for name, seconds in summary["seconds"].items())]
          if summary["seconds"] else []),
        f"- extractor {summary['extractor_version']}"
        + (f", parsed by {len(summary['parse_workers'])} worker process(es)"
           if summary["parse_workers"] else ""), "",
        "| template | documents | facts |", "|---|---|---|",
    ]
    lines += [f"| {r['template']} | {r['documents']} | {r['facts']} |"
              for r in summary["by_template"]]
    if summary["failing_checks"]:
        lines += ["", "## Failing checks in this run's documents", "",
                  ", ".join(f"{rule}: {n}" for rule, n in summary["failing_checks_by_rule"]),
                  "", "| file | rule | scope | expected | found |", "|---|---|---|---|---|"]
        lines += [f"| {c['file']} | {c['rule']} | {c['scope']} | {c['expected']} | "
                  f"{c['found']} |" for c in summary["failing_checks"]]
        if summary["checks_failing"] > len(summary["failing_checks"]):
            lines.append(f"\n… and {summary['checks_failing'] - len(summary['failing_checks'])}"
                         " more: SELECT * FROM failing_checks")
    return "\n".join(lines)
