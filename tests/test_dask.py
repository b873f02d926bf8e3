"""The load on a real Dask cluster (prefect-dask, two worker processes) builds the same
warehouse as the default run; the parse tasks stay few whatever the corpus size."""

from __future__ import annotations

import os

import pytest

from flows import warehouse
from flows.load_flow import load_reports, with_runner
from synth.corpus import write_corpus
from tests.test_nightly import task_names


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("dask") / "reports"
    write_corpus(out, 120, seed=11)
    return out


def test_a_two_worker_dask_cluster_builds_the_same_warehouse(prefect_api, corpus, tmp_path):
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    local = load_reports(source=str(corpus), db=str(local_db), batch_size=10)
    on_dask = with_runner("dask", workers=2)(source=str(corpus), db=str(dask_db),
                                            batch_size=10)

    assert local["status"] == on_dask["status"] == "succeeded"
    assert local["files_new"] == on_dask["files_new"] == 120
    assert on_dask["documents_added"] == local["documents_added"] > 100
    assert on_dask["facts_written"] == local["facts_written"] > 5000
    # Same rows in every table (facts, cells, checks, raw bytes, paths, quarantine).
    assert warehouse.content_digest(dask_db) == warehouse.content_digest(local_db)
    # The batches were parsed by the two worker processes, not by this one.
    workers = set(on_dask["parse_workers"])
    assert len(workers) == 2 and all(not w.endswith(f":{os.getpid()}") for w in workers)
    assert local["parse_workers"] == [f"{os.uname().nodename}:{os.getpid()}"]
    # The spool of Parquet parts is gone once staged.
    assert not list(tmp_path.glob(".*.spool"))


def test_task_runs_are_bounded_by_parse_tasks_not_by_documents(prefect_api, corpus, tmp_path):
    summary = load_reports(source=str(corpus), db=str(tmp_path / "ogi.duckdb"), batch_size=1,
                           parse_tasks=4)
    assert summary["files_new"] == 120
    # 120 batches of one file, in 4 parse tasks (plus the scan).
    assert sorted(task_names(summary["flow_run_id"])) == ["parse-chunk"] * 4 + ["scan"]


def test_an_unknown_runner_is_refused_before_anything_runs(tmp_path):
    from click.testing import CliRunner

    from flows.cli import main

    db = tmp_path / "ogi.duckdb"
    result = CliRunner().invoke(main, ["run", str(tmp_path), "--db", str(db), "--runner", "spark"])
    assert result.exit_code == 2
    assert "unknown runner 'spark'" in result.output and not db.exists()


def test_the_spool_goes_where_asked_and_is_removed_after_staging(prefect_api, corpus, tmp_path):
    from click.testing import CliRunner

    from flows.cli import main

    spool_root = tmp_path / "shared-spool"
    db = tmp_path / "ogi.duckdb"
    result = CliRunner().invoke(main, ["run", str(corpus), "--db", str(db), "--spool",
                                       str(spool_root), "--parse-tasks", "3",
                                       "--batch-size", "25"])
    assert result.exit_code == 0, result.output
    assert "120 new" in result.output and "time: parse" in result.output
    # The load's parts were written under --spool (nothing beside the warehouse), then removed.
    assert spool_root.is_dir() and not any(spool_root.iterdir())
    assert not list(tmp_path.glob(".*.spool"))
