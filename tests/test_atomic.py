"""Loads are atomic and play well with readers: an open read-only session neither blocks a
load nor sees half of one, a second load is refused clearly, and a load killed (SIGKILL)
at any of its 21 crash points leaves the last good warehouse, which the next run completes into
exactly what an uninterrupted run gives."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from flows import publish, warehouse
from tests.conftest import REPO, first_night, ogi, report
from tests.conftest import load as load_in_process


def corpus_v2(folder) -> None:
    """The next night: one file gone, one changed, one fixed, one new, one duplicate."""
    (folder / "zhuxi_2015.txt").unlink()
    (folder / "yunxi_2015.txt").write_text(report("郧西县", 2015, 15, 3400), encoding="utf-8")
    (folder / "empty.txt").write_text(report("房县", 2016, 3, 40), encoding="utf-8")
    (folder / "fangxian_2017.txt").write_text(report("房县", 2017, 4, 44), encoding="utf-8")
    shutil.copy(folder / "seed001.txt", folder / "seed001_copy.txt")


def load(source, db, **options) -> dict:
    return load_in_process(source, db, batch_size=1, **options)


@pytest.fixture(scope="module")
def states(prefect_api, tmp_path_factory):
    """The last good warehouse before the second night (v1), the one an uninterrupted
    second night gives (v2), and the sources they came from."""
    root = tmp_path_factory.mktemp("atomic")
    source = root / "reports"
    first_night(source)
    v1 = root / "v1.duckdb"
    load(source, v1)
    corpus_v2(source)
    v2 = root / "v2.duckdb"
    shutil.copy(v1, v2)
    summary = load(source, v2)
    assert (summary["files_new"], summary["files_changed"], summary["files_retired"]) == (2, 2, 1)
    return {"source": source, "v1": v1, "v2": v2,
            "v1_digest": warehouse.content_digest(v1),
            "v2_digest": warehouse.content_digest(v2)}


def killed_run(api_url, home, source, db, point: str, *extra: str) -> subprocess.CompletedProcess:
    return ogi(api_url, home, "run", *([str(source)] if source else []), "--db", str(db),
               "--batch-size", "1", *extra, env={publish.KILL_AT_ENV: point}, timeout=300)


# (scenario, crash point): the second night's load (changes of every kind, in batches of
# one file), a night with nothing new (the run row written in place), and a re-extraction.
KILL_POINTS = [("second_night", point) for point in (
    "locked", "recovered", "scanned", "planned", "before-copy", "copying", "copied",
    "schema-applied", "spooled-1", "spooled-2", "spooled-4", "in-transaction", "staged",
    "retired", "reconciled", "run-recorded", "checkpointed", "synced", "replaced")] + [
    ("nothing_new", "in-place-recorded"), ("reextract", "respooled-2")]


def test_every_crash_point_of_the_load_is_killed_at():
    """Each point the load passes (flows/*.py) is one of KILL_POINTS: a point added to the
    code without a kill test fails here."""
    code = {path.name: path.read_text(encoding="utf-8") for path in (REPO / "flows").glob("*.py")}
    named = {name for text in code.values()
             for name in re.findall(r'crash_point\("([\w-]+)"\)', text)}
    # The per-chunk points, f"{label}-{index}": the labels the load flow passes to _gather.
    assert 'crash_point(f"{crash_label}-{index}")' in code["load_flow.py"]
    named |= set(re.findall(r'"((?:re)?spooled)"\)', code["load_flow.py"]))
    killed = {re.sub(r"-\d+$", "", point) for _, point in KILL_POINTS}
    assert {"locked", "spooled", "respooled", "in-transaction", "replaced"} <= named
    assert named == killed


@pytest.mark.parametrize(("scenario", "point"), KILL_POINTS)
def test_a_killed_load_leaves_the_last_good_warehouse(states, api_url, tmp_path, scenario,
                                                      point):
    db = tmp_path / "ogi.duckdb"
    start, expected_after_kill = {
        "second_night": (states["v1"], states["v1_digest"]),
        "nothing_new": (states["v2"], states["v2_digest"]),
        "reextract": (states["v2"], states["v2_digest"]),
    }[scenario]
    shutil.copy(start, db)
    if point == "replaced":  # killed after the rename: the new warehouse is the good one
        expected_after_kill = states["v2_digest"]
    source = None if scenario == "reextract" else states["source"]
    extra = ("--reprocess",) if scenario == "reextract" else ()

    killed = killed_run(api_url, tmp_path / "home", source, db, point, *extra)
    assert killed.returncode == -signal.SIGKILL, (point, killed.stdout, killed.stderr)
    # Readable, whole, and exactly the last good state (the run log aside).
    assert warehouse.content_digest(db) == expected_after_kill

    summary = load(source, db, **({"reprocess": "all"} if scenario == "reextract" else {}))
    assert summary["status"] == "succeeded"
    assert warehouse.content_digest(db) == states["v2_digest"]
    assert not publish.next_path(db).exists() and not publish.wal_path(db).exists()
    assert not (db.parent / publish.spool_name(db)).exists()  # the killed run's parts
    statuses = warehouse.query_read_only(db, "SELECT DISTINCT status FROM load_runs").rows()
    assert statuses == [("succeeded",)]


READER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    count = lambda: con.sql("SELECT count(*) FROM reports").fetchall()[0][0]
    print("before", count(), flush=True)
    while not __import__("os").path.exists(sys.argv[2]):
        time.sleep(0.1)
    print("after", count(), flush=True)
""")


def start_reader(db, done):
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(done)],
                              stdout=subprocess.PIPE, text=True)
    return reader, reader.stdout.readline().split()


def test_an_open_reader_neither_blocks_a_load_nor_sees_it(states, tmp_path):
    db = tmp_path / "ogi.duckdb"
    shutil.copy(states["v1"], db)
    done = tmp_path / "load-done"
    reader, first_look = start_reader(db, done)
    try:
        assert first_look == ["before", "3"]
        summary = load(states["source"], db)  # the reader holds the file all along
        assert summary["publication"] == "new_file"
        # A reader of the new file: the next run cannot append in place, so it publishes
        # a new file rather than wait or fail.
        second, second_look = start_reader(db, done)
        assert second_look == ["before", "4"]
        nothing = load(states["source"], db)
        assert nothing["publication"] == "new_file" and nothing["documents_added"] == 0
        done.touch()
        # The open sessions still read the warehouses they opened, whole.
        assert reader.stdout.readline().split() == ["after", "3"]
        assert second.stdout.readline().split() == ["after", "4"]
        assert reader.wait(timeout=30) == 0 and second.wait(timeout=30) == 0
    finally:
        reader.kill()
    # A new connection sees the new data.
    assert warehouse.query_read_only(db, "SELECT count(*) FROM reports").item() == 4
    assert warehouse.content_digest(db) == states["v2_digest"]


def test_a_second_load_is_refused_while_one_runs(states, api_url, tmp_path):
    db = tmp_path / "ogi.duckdb"
    shutil.copy(states["v1"], db)
    before = warehouse.content_digest(db)
    with publish.loader_lock(db):  # a load in progress
        started = time.monotonic()
        second = ogi(api_url, tmp_path / "home", "run", str(states["source"]), "--db", str(db),
                     "--wait", "2", timeout=300)
        waited = time.monotonic() - started
    assert second.returncode == 75, second.stderr
    assert "another load is running" in second.stderr and f"process {os.getpid()}" in second.stderr
    assert waited >= 2
    assert warehouse.content_digest(db) == before
