"""The load flow: discover → parse (in batches) → load → summarize.

Prefect only orchestrates: each task calls plain functions of flows/ and transforms/ on a
batch of documents (never one task per document). `ogi run` and the nightly schedule run
this same flow.
"""

from __future__ import annotations

from flows.settings import configure_prefect

configure_prefect()

import polars as pl  # noqa: E402
from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows import warehouse  # noqa: E402
from flows.discover import discover_files, parse_paths  # noqa: E402

DEFAULT_BATCH_SIZE = 250


@task(name="discover", cache_policy=NO_CACHE)
def discover(source: str) -> list[str]:
    return discover_files(source)


@task(name="parse-batch", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def parse_batch(paths: list[str]) -> dict[str, pl.DataFrame]:
    """Read, decode, normalize and extract one batch of files."""
    return parse_paths(paths)


@task(name="load", cache_policy=NO_CACHE)
def load(db: str, parsed: list[dict[str, pl.DataFrame]]) -> dict[str, int]:
    """Commit every batch to the warehouse in one transaction."""
    def combined(key: str) -> pl.DataFrame:
        return pl.concat([p[key] for p in parsed], how="vertical_relaxed")

    con = warehouse.connect(db)
    try:
        warehouse.apply_schema(con)
        counts = warehouse.load_parsed(con, {key: combined(key) for key in parsed[0]})
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


def run_summary(db: str, counts: dict[str, int], files_seen: int) -> dict:
    """What the run did and what the warehouse holds, for the terminal and the artifact."""
    con = warehouse.connect(db, read_only=True)
    try:
        by_template = con.sql("""
            SELECT t.template_key AS template, count(DISTINCT d.document_id) AS documents,
                   count(f.measure_key) AS facts
            FROM dim_template t
            LEFT JOIN dim_document d USING (template_key)
            LEFT JOIN fact_disclosure f USING (document_id)
            GROUP BY 1 ORDER BY 1""").pl()
        totals = con.sql("""SELECT (SELECT count(*) FROM dim_document),
                                   (SELECT count(*) FROM fact_disclosure),
                                   (SELECT count(*) FROM quarantine),
                                   (SELECT count(*) FROM failing_checks)""").fetchall()[0]
    finally:
        con.close()
    return {
        "files_seen": files_seen,
        "documents_loaded": counts["documents_loaded"],
        "documents_unchanged": counts["documents_unchanged"],
        "facts_written": counts["facts_written"],
        "quarantined_this_run": counts["quarantined"],
        "unresolved_cells_this_run": counts["unresolved_cells"],
        "warehouse_documents": totals[0],
        "warehouse_facts": totals[1],
        "warehouse_quarantined": totals[2],
        "warehouse_failing_checks": totals[3],
        "by_template": by_template.to_dicts(),
    }


def summary_markdown(summary: dict) -> str:
    lines = [
        "# OGI load summary", "",
        f"- files seen: {summary['files_seen']}",
        f"- documents loaded (new or changed): {summary['documents_loaded']}",
        f"- documents unchanged: {summary['documents_unchanged']}",
        f"- facts written: {summary['facts_written']}",
        f"- quarantined this run: {summary['quarantined_this_run']}",
        f"- table cells left unresolved (no unique reading): "
        f"{summary['unresolved_cells_this_run']}",
        f"- warehouse now: {summary['warehouse_documents']} documents, "
        f"{summary['warehouse_facts']} facts, {summary['warehouse_quarantined']} quarantined, "
        f"{summary['warehouse_failing_checks']} failing checks (see the failing_checks view)", "",
        "| template | documents | facts |", "|---|---|---|",
    ]
    lines += [f"| {r['template']} | {r['documents']} | {r['facts']} |"
              for r in summary["by_template"]]
    return "\n".join(lines)


@flow(name="ogi-load-reports", task_runner=ThreadPoolTaskRunner(max_workers=2),
      log_prints=False)
def load_reports(source: str, db: str, batch_size: int = DEFAULT_BATCH_SIZE) -> dict:
    """Load every report under `source` into the warehouse at `db`; returns the summary."""
    logger = get_run_logger()
    paths = discover(source)
    batches = [paths[i:i + batch_size] for i in range(0, len(paths), batch_size)] or [[]]
    parsed = [future.result() for future in parse_batch.map(batches)]
    counts = load(db, parsed)
    summary = run_summary(db, counts, len(paths))
    create_markdown_artifact(key="ogi-load-summary", markdown=summary_markdown(summary),
                             description="Documents, facts and quarantine of this load")
    create_table_artifact(key="ogi-load-by-template", table=summary["by_template"],
                          description="Documents and facts by template")
    logger.info("loaded %s documents, %s facts, %s quarantined", summary["documents_loaded"],
                summary["facts_written"], summary["quarantined_this_run"])
    return summary
