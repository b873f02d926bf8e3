"""How long a nightly run takes when nothing is new, on a warehouse of N documents.

Builds a source folder of N distinct report files (copies of the sample and seed reports
that load, each made unique by a trailing line) and loads it once: N documents. Then, in this same process:

- baseline: listing the folder and stat-ing every file (the least any run must do);
- the run's own work, stage by stage, with the same plain functions the flow calls:
  take the load lock, read the inventory, scan, plan, append the run row in place;
- the whole flow run (`load_reports`), after a first call has started Prefect's API, so
  the API start is excluded but Prefect's own per-run cost is not;
- the same while another process holds the warehouse open read-only (the run then copies
  the warehouse and swaps the copy in, instead of appending its row in place).

Prints seconds and ratios against the baseline. Target (issue 4): the run's own work on
10,000 documents under 2 seconds.

    uv run python benchmarks/nightly_noop.py --documents 10000
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build_source(folder: Path, documents: int) -> None:
    """N files that each load as a document: copies of the sample and seed reports that
    load (not the index page or the unreadable scan), each made unique."""
    from flows.discover import parse_paths

    candidates = sorted(p for p in (REPO / "sample_corpus").rglob("*")
                        if p.suffix in (".txt", ".htm", ".html") and p.is_file())
    candidates += sorted((REPO.parent / "shared" / "corpus" / "seeds").glob("*.txt"))
    loaded = set(parse_paths(candidates)["documents"]["source_path"])
    contents = [(p.suffix, p.read_bytes()) for p in candidates if str(p) in loaded]
    codecs_of = [_tail_codec(data) for _, data in contents]
    folder.mkdir(parents=True)
    for index in range(documents):
        suffix, data = contents[index % len(contents)]
        codec = codecs_of[index % len(contents)]
        sub = folder / f"batch{index // 1000:02d}"
        sub.mkdir(exist_ok=True)
        tail = (f"\n<!-- copy {index} -->\n" if suffix != ".txt" else f"\n（副本 {index}）\n")
        (sub / f"report_{index:06d}{suffix}").write_bytes(data + tail.encode(codec))


def _tail_codec(data: bytes) -> str:
    """The codec to append to these bytes in, so the file stays in one codec."""
    import codecs

    from transforms.decode import decode_bytes

    codec = decode_bytes(data)[1]
    if codec == "utf-16":
        return "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    return {"utf-8-sig": "utf-8"}.get(codec, codec)


def timed(label: str, results: dict, function, *args):
    start = time.perf_counter()
    value = function(*args)
    results[label] = time.perf_counter() - start
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the source and warehouse here (reused when present)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    os.environ.setdefault("OGI_HOME", str(work / "home"))

    from flows import inventory, publish, warehouse
    from flows.load_flow import _new_run, _record_in_place, load_reports

    source, db = work / "reports", work / "ogi.duckdb"
    if not source.exists():
        build_source(source, args.documents)
    if not db.exists():
        start = time.perf_counter()
        first = load_reports(source=str(source), db=str(db), batch_size=250)
        print(f"initial load: {first['documents_added']} documents, "
              f"{first['facts_written']} facts in {time.perf_counter() - start:.1f} s "
              f"(includes the Prefect API start)")
    size_mb = db.stat().st_size / 1e6

    # Warm the API and the file cache: the nightly run's second call is what is measured.
    load_reports(source=str(source), db=str(db))

    results: dict[str, float] = {}
    timed("baseline: list and stat the folder", results,
          lambda: sum(1 for p in source.rglob("*") if p.is_file() and p.stat().st_size))

    def own_work() -> None:
        with publish.loader_lock(db):
            publish.recover(db)
            stored, _contents = timed("  read the inventory", results, warehouse.read_state, db)
            scanned = timed("  scan the source", results, inventory.scan_source, source)
            plan = timed("  plan the changes", results, inventory.plan_changes, scanned,
                         stored, str(source.resolve()))
            assert set(plan["change"]) == {inventory.UNCHANGED}, "expected nothing new"
            run = _new_run(str(source), "none")
            con = publish.try_open_in_place(db)
            timed("  record the run in place", results, _record_in_place, con, run, 0)

    timed("run's own work (sum of the stages)", results, own_work)
    summary = timed("whole flow run (API already up)", results, load_reports, str(source),
                    str(db))
    assert summary["publication"] == "in_place" and summary["documents_added"] == 0

    # A researcher holds the live file open: the run row cannot be appended in place, so the
    # run copies the warehouse and swaps the copy in (the cost grows with the warehouse).
    import subprocess
    import sys

    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], "
         "read_only=True); print(c.sql('SELECT 1').fetchall(), flush=True); sys.stdin.read()",
         str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    reader.stdout.readline()
    try:
        held = timed("whole flow run, a reader holding the file", results, load_reports,
                     str(source), str(db))
    finally:
        reader.communicate("")
    assert held["publication"] == "new_file"

    base = results["baseline: list and stat the folder"]
    print(f"\n{args.documents} documents, warehouse {size_mb:.0f} MB, in {work}\n")
    for label, seconds in results.items():
        print(f"{label:42s} {seconds:7.3f} s   {seconds / base:6.1f}x baseline")
    own = results["run's own work (sum of the stages)"]
    print(f"\ntarget: own work under 2 s -> {'met' if own < 2 else 'NOT met'} ({own:.2f} s)")


if __name__ == "__main__":
    main()
