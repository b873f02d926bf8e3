"""Nightly loads through the real flow: only new work, content-keyed documents, retirement,
re-extraction from the kept raw bytes, and run records."""

from __future__ import annotations

import os
import shutil

import pytest

from flows import warehouse
from tests.conftest import SEEDS, first_night, load, report


def figures(db, where: str = "TRUE") -> dict[tuple[str, str], float]:
    rows = warehouse.query_read_only(db, f"""
        SELECT file, measure, value FROM report_measures
        WHERE breakdown IS NULL AND measure IN ('req.new_received', 'proactive.total')
          AND {where}""")
    return {(r[0], r[1]): r[2] for r in rows.iter_rows()}


def run(source, db, **options) -> dict:
    return load(source, db, batch_size=2, **options)


def task_names(flow_run_id: str) -> list[str]:
    """Names of the tasks a flow run ran, from the Prefect API."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read():
        async with get_client() as client:
            return await client.read_task_runs(flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[flow_run_id])))

    return [task_run.name.rsplit("-", 1)[0] for task_run in asyncio.run(read())]


@pytest.fixture()
def source(tmp_path):
    return first_night(tmp_path / "reports")


def test_second_run_does_only_new_work(prefect_api, source, tmp_path):
    db = tmp_path / "ogi.duckdb"
    first = run(source, db)
    assert (first["files_new"], first["documents_added"], first["files_quarantined"]) == (4, 3, 1)
    assert first["publication"] == "new_file"
    assert figures(db)[("yunxi_2015.txt", "req.new_received")] == 12

    # Nothing changed: no file is read (no parse task runs at all) and no new file is built.
    second = run(source, db)
    assert (second["files_unchanged"], second["files_new"], second["documents_added"]) == (4, 0, 0)
    assert second["publication"] == "in_place"
    assert task_names(second["flow_run_id"]) == ["scan"]

    # A new time with the same bytes: hashed, found unchanged, nothing parsed; the new time
    # is stored, so the next run does not hash it again.
    os.utime(source / "yunxi_2015.txt", ns=(1_700_000_000_000_000_000,) * 2)
    third = run(source, db)
    assert (third["files_unchanged"], third["files_changed"], third["documents_added"]) == (4, 0, 0)
    assert third["publication"] == "new_file"
    assert sorted(task_names(third["flow_run_id"])) == ["parse-chunk", "scan"]
    assert run(source, db)["publication"] == "in_place"

    runs = warehouse.query_read_only(db, "SELECT publication, files_seen, facts_written "
                                         "FROM load_runs ORDER BY started_at")
    assert runs.rows()[0][0] == "new_file" and runs.rows()[1] == ("in_place", 4, 0)
    assert runs.height == 4


def test_changed_content_replaces_its_facts(prefect_api, source, tmp_path):
    db = tmp_path / "ogi.duckdb"
    run(source, db)
    old_id = warehouse.query_read_only(
        db, "SELECT document_id FROM dim_document WHERE file_name = 'yunxi_2015.txt'").item()
    (source / "yunxi_2015.txt").write_text(report("郧西县", 2015, 15, 3400), encoding="utf-8")
    changed = run(source, db)
    assert (changed["files_changed"], changed["documents_added"]) == (1, 1)
    assert figures(db, "file = 'yunxi_2015.txt'") == {
        ("yunxi_2015.txt", "req.new_received"): 15, ("yunxi_2015.txt", "proactive.total"): 3400}
    # The old content is gone with its facts: no document holds it, nothing is left over.
    left = warehouse.query_read_only(db, f"""
        SELECT (SELECT count(*) FROM dim_document WHERE document_id = '{old_id}')
             + (SELECT count(*) FROM fact_disclosure WHERE document_id = '{old_id}')
             + (SELECT count(*) FROM document_raw WHERE document_id = '{old_id}')""").item()
    assert left == 0


def test_a_vanished_file_is_retired_and_its_facts_kept(prefect_api, source, tmp_path):
    db = tmp_path / "ogi.duckdb"
    run(source, db)
    (source / "zhuxi_2015.txt").unlink()
    (source / "empty.txt").unlink()
    gone = run(source, db)
    assert gone["files_retired"] == 2
    assert ("zhuxi_2015.txt", "req.new_received") not in figures(db)
    retired = warehouse.query_read_only(db, "SELECT file, retired_at FROM retired_documents")
    assert retired["file"].to_list() == ["zhuxi_2015.txt"] and retired["retired_at"][0]
    kept = warehouse.query_read_only(db, """
        SELECT f.value FROM fact_disclosure f JOIN dim_document d USING (document_id)
        WHERE d.file_name = 'zhuxi_2015.txt' AND f.measure_key = 'req.new_received'""")
    assert kept.item() == 7
    # Its quarantine row goes with the file: nothing is left to fix.
    assert warehouse.query_read_only(db, "SELECT count(*) FROM quarantine").item() == 0

    # It comes back: live again, with the same document.
    (source / "zhuxi_2015.txt").write_text(report("竹溪县", 2015, 7, 95), encoding="utf-8")
    back = run(source, db)
    assert back["documents_added"] == 0
    assert figures(db)[("zhuxi_2015.txt", "req.new_received")] == 7


def test_the_same_report_under_two_names_is_one_document(prefect_api, source, tmp_path):
    db = tmp_path / "ogi.duckdb"
    shutil.copy(source / "yunxi_2015.txt", source / "copy_of_yunxi.txt")
    summary = run(source, db)
    assert (summary["files_new"], summary["documents_added"]) == (5, 3)
    paths = warehouse.query_read_only(db, """
        SELECT s.file_name, s.document_id FROM source_file s
        JOIN dim_document d USING (document_id)
        WHERE d.file_name IN ('copy_of_yunxi.txt', 'yunxi_2015.txt') ORDER BY 1""")
    assert paths["file_name"].to_list() == ["copy_of_yunxi.txt", "yunxi_2015.txt"]
    assert paths["document_id"].n_unique() == 1
    facts = warehouse.query_read_only(
        db, "SELECT count(*) FROM report_measures WHERE measure = 'req.new_received' "
            "AND agency LIKE '%郧西县%'").item()
    assert facts == 1  # counted once

    # One name goes: the document stays live under the other.
    (source / "yunxi_2015.txt").unlink()
    run(source, db)
    assert figures(db)[("copy_of_yunxi.txt", "req.new_received")] == 12


def test_reprocess_reextracts_from_the_warehouse_alone(prefect_api, source, tmp_path):
    db = tmp_path / "ogi.duckdb"
    run(source, db)
    before = figures(db)
    # An older extractor read one document: only --reprocess stale touches it.
    con = warehouse.connect(db)
    con.execute("UPDATE dim_document SET extractor_version = '0.0.1+old' "
                "WHERE file_name = 'seed001.txt'")
    con.close()
    nothing = run(source, db)
    assert "older extractor" in nothing["message"] and nothing["documents_reextracted"] == 0

    shutil.rmtree(source)  # re-extraction needs only the warehouse
    stale = run(None, db, reprocess="stale")
    assert stale["documents_reextracted"] == 1
    assert warehouse.query_read_only(
        db, "SELECT count(DISTINCT extractor_version) FROM dim_document").item() == 1
    everything = run(None, db, reprocess="all")
    assert everything["documents_reextracted"] == 3
    assert figures(db) == before
    assert figures(db)[("seed001.txt", "req.new_received")] == 191  # printed in its section 四


def test_a_quarantined_file_is_retried_only_when_it_changes(prefect_api, source, tmp_path):
    db = tmp_path / "ogi.duckdb"
    run(source, db)
    again = run(source, db)
    assert again["files_quarantined"] == 0 and again["publication"] == "in_place"
    (source / "empty.txt").write_text(report("房县", 2016, 3, 40), encoding="utf-8")
    fixed = run(source, db)
    assert (fixed["files_changed"], fixed["documents_added"]) == (1, 1)
    assert warehouse.query_read_only(db, "SELECT count(*) FROM quarantine").item() == 0
    assert figures(db)[("empty.txt", "req.new_received")] == 3


def test_a_refused_file_under_a_new_name_counts_once(prefect_api, source, tmp_path):
    db = tmp_path / "ogi.duckdb"
    assert run(source, db)["files_quarantined"] == 1  # empty.txt
    shutil.copy(source / "empty.txt", source / "also_empty.txt")
    again = run(source, db)
    assert (again["files_new"], again["files_quarantined"]) == (1, 1)
    assert warehouse.query_read_only(db, "SELECT count(*) FROM quarantine").item() == 2


def test_a_transient_read_error_is_retried(tmp_path, monkeypatch):
    """A mounted share that fails a read once (EIO) costs a retry, not a quarantine; one
    that keeps failing is quarantined with the error."""
    import builtins
    import errno

    from flows import discover

    monkeypatch.setattr(discover, "READ_RETRY_SECONDS", 0.01)
    good, bad = tmp_path / "flaky.txt", tmp_path / "broken.txt"
    good.write_text(report("郧西县", 2015, 12, 340), encoding="utf-8")
    bad.write_text(report("竹溪县", 2015, 7, 95), encoding="utf-8")
    failures = {str(good): 1, str(bad): 99}

    def flaky_open(path, *args, **kwargs):  # the share, not our code, misbehaves
        if failures.get(str(path), 0) > 0:
            failures[str(path)] -= 1
            raise OSError(errno.EIO, "Input/output error", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(discover, "open", flaky_open, raising=False)
    files, unreadable = discover.read_files([good, bad])
    assert files["source_path"].to_list() == [str(good)]
    assert unreadable.rows() == [(str(bad), "broken.txt", None, None, "read",
                                  "cannot read the file: Input/output error")]
    assert failures[str(bad)] == 99 - discover.READ_ATTEMPTS


def test_a_failed_run_exits_non_zero_and_leaves_the_warehouse(tmp_path):
    from click.testing import CliRunner

    from flows.cli import main

    not_a_warehouse = tmp_path / "ogi.duckdb"
    not_a_warehouse.write_bytes(b"this is not a DuckDB file" * 100)
    result = CliRunner().invoke(main, ["run", str(SEEDS), "--db", str(not_a_warehouse)])
    assert result.exit_code == 1
    # Refused before the flow starts, naming the file and the fix.
    assert f"{not_a_warehouse} is not a warehouse this ogi can open" in result.output
    assert "Traceback" not in result.output
    assert not_a_warehouse.read_bytes() == b"this is not a DuckDB file" * 100


def test_a_load_that_fails_inside_the_flow_exits_non_zero_saying_so(prefect_api, tmp_path):
    from click.testing import CliRunner

    from flows.cli import main

    # The warehouse's folder cannot be made (a file stands where it should be): the flow
    # itself fails, and the command says the load failed.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(SEEDS), "--db", str(blocker / "ogi.duckdb")])
    assert result.exit_code == 1
    assert "the load failed and the warehouse is unchanged" in result.output


def test_the_run_artifact_lists_the_failing_checks(prefect_api, tmp_path):
    """Pingtan 2023 prints 现行有效 470 where 2022's 698 + 77 − 132 gives 643."""
    from prefect.artifacts import Artifact

    from tests.conftest import PINGTAN

    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("pingtan-zone-2022.html", "pingtan-zone-2023.html"):
        shutil.copy(PINGTAN / name, folder / name)
    summary = run(folder, tmp_path / "ogi.duckdb")
    assert ("x_normdoc_in_force", 1) in summary["failing_checks_by_rule"]
    artifact = Artifact.get("ogi-load-summary")
    assert summary["run_id"] in artifact.data
    assert "| pingtan-zone-2023.html | x_normdoc_in_force |" in artifact.data


def test_an_empty_source_that_held_files_retires_nothing(prefect_api, source, tmp_path):
    """An unmounted share looks empty: the run refuses rather than retire the corpus."""
    from flows.load_flow import SourceLooksUnmounted

    db = tmp_path / "ogi.duckdb"
    run(source, db)
    before = warehouse.content_digest(db)
    for path in source.iterdir():
        path.unlink()
    with pytest.raises(SourceLooksUnmounted, match="is the share mounted"):
        run(source, db)
    assert warehouse.content_digest(db) == before
    failed = warehouse.query_read_only(db, "SELECT status, message FROM load_runs "
                                           "ORDER BY started_at DESC LIMIT 1").row(0)
    assert failed[0] == "failed" and "SourceLooksUnmounted" in failed[1]
    emptied = run(source, db, allow_empty_source=True)
    assert emptied["files_retired"] == 4


def test_plan_keeps_files_of_an_unlistable_folder_and_rereads_a_chmodded_one():
    import polars as pl

    from flows import inventory

    stored = pl.DataFrame([
        ("/src/a/x.txt", 10, 1, 1, "h1", "loaded", False, None),
        ("/src/b/y.txt", 10, 1, 1, "h2", "quarantined", False, "cannot read the file"),
        ("/src/c/z.txt", 10, 1, 1, "h3", "loaded", False, None),
    ], schema=inventory.INVENTORY_SCHEMA, orient="row")
    scanned = pl.DataFrame([
        ("/src/a", "a", None, None, None, "cannot list the folder: Permission denied", True),
        ("/src/b/y.txt", "y.txt", 10, 1, 2, None, False),  # chmod: only ctime moved
    ], schema=inventory.SCAN_SCHEMA, orient="row")
    plan = dict(inventory.plan_changes(scanned, stored, "/src").select(
        "source_path", "change").iter_rows())
    assert plan == {"/src/a": "problem", "/src/b/y.txt": "changed", "/src/c/z.txt": "retired"}


def test_a_file_that_breaks_a_stage_is_quarantined_alone(tmp_path, monkeypatch):
    """A stage raising on one file (a bug that file exposes; injected here, since a fixed
    bug leaves no such file) costs that file, not its batch."""
    from flows.discover import parse_paths
    from transforms import pipeline

    real = pipeline.report_metadata

    def metadata_with_a_bug(reports):
        if reports["text"].str.contains("竹溪县").any():
            raise ZeroDivisionError("division by zero")
        return real(reports)

    monkeypatch.setattr(pipeline, "report_metadata", metadata_with_a_bug)
    for county in ("郧西县", "竹溪县"):
        (tmp_path / f"{county}.txt").write_text(report(county, 2015, 12, 340), encoding="utf-8")
    parsed = parse_paths(sorted(tmp_path.glob("*.txt")))
    assert parsed["documents"]["file"].to_list() == ["郧西县.txt"]
    refused = parsed["quarantine"].row(0, named=True)
    assert refused["file"] == "竹溪县.txt" and refused["stage"] == "extract"
    assert "ZeroDivisionError" in refused["reason"] and "bug" in refused["reason"]
