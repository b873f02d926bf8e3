"""Throughput of a full load, against the floor and the naive way, on the same bytes.

One run, one synthetic corpus (`ogi synth`, seed 1) of N reports, and:

- floor: reading the files and converting them with OpenCC t2s, nothing else (the least
  any pipeline must do);
- naive: what a researcher would write first: a Python loop per document with `re`,
  OpenCC and one INSERT per figure into DuckDB (timed on the first --naive-sample reports);
- pipeline: `load_reports` from raw files to a committed warehouse, then the Parquet export,
  in a child process with Prefect's API already started (its start is the only thing not
  timed): once on the default runner (one process), once on a local Dask cluster of
  --workers processes (`ogi run --runner dask`); peak resident memory of the loading
  process (and of the largest Dask worker) and the number of Prefect task runs;
- with --profile: where the pipeline's time goes, stage by stage (decode, normalize,
  extract, tables, load, export), in this process.

With --scale-to M it also loads a corpus of M reports and compares throughput and peak
memory with the N run (linear cost, flat memory).

    uv run python benchmarks/throughput.py --reports 20000 --profile
    uv run python benchmarks/throughput.py --reports 20000 --scale-to 200000 --workdir /tmp/ogi-tp
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def corpus(workdir: Path, reports: int, seed: int = 1) -> Path:
    """The synthetic corpus of `reports` reports, written once and reused."""
    from synth.corpus import write_corpus

    folder = workdir / f"synth-{reports}-seed{seed}"
    labels = folder / "labels.jsonl"
    if labels.exists() and sum(1 for _ in labels.open()) == reports:
        return folder
    started = time.perf_counter()
    write_corpus(folder, reports, seed)
    print(f"wrote {reports} reports in {time.perf_counter() - started:.0f} s: {folder}")
    return folder


def report_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.*") if p.name != "labels.jsonl")


def _decode(data: bytes) -> str:
    """The simplest decoding that reads every file of the corpus."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def warm(paths: list[Path]) -> None:
    """Read every file once, untimed: every run then reads from the page cache, so runs
    compare their own work, not whether the disk had the corpus cached (the 20,000 files
    were, after the floor; the 200,000 written sessions ago were not)."""
    for path in paths:
        path.read_bytes()


def floor(paths: list[Path]) -> dict:
    import opencc

    converter = opencc.OpenCC("t2s")
    started = time.perf_counter()
    size = 0
    for path in paths:
        data = path.read_bytes()
        size += len(data)
        converter.convert(_decode(data))
    return {"seconds": time.perf_counter() - started, "documents": len(paths), "bytes": size}


# The naive extractor: a dozen patterns a researcher would try first.
NAIVE_PATTERNS = {
    "proactive.total": r"主动公开[^，。；\d]{0,12}?(\d+)条",
    "req.new_received": r"(?:收到|受理)[^，。；\d]{0,16}?申请[^，。；\d]{0,4}?(\d+)件",
    "req.granted": r"(?:同意公开|予以公开)(\d+)件",
    "req.partial": r"部分公开(\d+)件",
    "req.denied": r"不(?:同意|予)公开(\d+)件",
    "req.unable.not_held": r"信息不存在(\d+)件",
    "req.total_processed": r"办结(\d+)件",
    "fee.collected": r"费[^，。；\d]{0,6}?(\d+(?:\.\d+)?)元",
    "review": r"行政复议[^，。；\d]{0,8}?(\d+)[件起]",
    "lit_total": r"行政诉讼[^，。；\d]{0,8}?(\d+)[件起]",
    "interpretation.total": r"解读[^，。；\d]{0,8}?(\d+)[篇次]",
    "press_conference.total": r"新闻发布会(\d+)[场次]",
}


def naive(paths: list[Path], db: Path) -> dict:
    import duckdb
    import opencc

    converter = opencc.OpenCC("t2s")
    patterns = {m: re.compile(p) for m, p in NAIVE_PATTERNS.items()}
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE facts (file VARCHAR, measure VARCHAR, value DOUBLE, evidence VARCHAR)")
    started = time.perf_counter()
    rows = 0
    for path in paths:
        text = converter.convert(_decode(path.read_bytes()))
        text = re.sub(r"<[^>]+>", " ", text)
        year = re.search(r"(\d{4})年", text)
        con.execute("INSERT INTO facts VALUES (?, 'report_year', ?, NULL)",
                    [path.name, float(year.group(1)) if year else None])
        for measure, pattern in patterns.items():
            for match in pattern.finditer(text):
                con.execute("INSERT INTO facts VALUES (?, ?, ?, ?)",
                            [path.name, measure, float(match.group(1)), match.group(0)])
                rows += 1
    con.close()
    return {"seconds": time.perf_counter() - started, "documents": len(paths), "facts": rows}


def pipeline_child(source: str, db: str, export: str, runner: str, workers: str) -> dict:
    """In the child process: start Prefect's API, then time a full load and the export."""
    from prefect import flow

    from flows.load_flow import with_runner
    from flows.warehouse import export_parquet

    load_reports = with_runner(runner, int(workers))

    @flow(name="warm-up")
    def warm_up() -> int:
        return 1

    warm_up()  # starts the ephemeral API: not timed
    started = time.perf_counter()
    summary = load_reports(source=source, db=db)
    loaded = time.perf_counter()
    exported = export_parquet(db, export)
    done = time.perf_counter()
    return {"seconds": done - started, "load_seconds": loaded - started,
            "export_seconds": done - loaded, "documents": summary["documents_added"],
            "facts": summary["facts_written"], "exported_rows": exported,
            "task_runs": _task_runs(summary.get("flow_run_id")),
            "parse_workers": len(summary["parse_workers"]),
            "phases": summary["seconds"],
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            # The largest finished child: a Dask worker process, when there were any.
            "peak_worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _task_runs(flow_run_id: str | None) -> int | None:
    if not flow_run_id:
        return None
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    page, total = 200, 0  # the API's largest page
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[flow_run_id])), limit=page, offset=total)
            total += len(runs)
            if len(runs) < page:
                return total


def pipeline(source: Path, workdir: Path, runner: str = "local", workers: int = 1) -> dict:
    from flows import publish

    tag = f"{source.name}-{runner}"
    db, export = workdir / f"{tag}.duckdb", workdir / f"{tag}-export"
    for stale in (db, publish.wal_path(db), Path(f"{db}.lock")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "OGI_HOME": str(workdir / "home")}
    out = subprocess.run([sys.executable, __file__, "--child", str(source), str(db), str(export),
                          runner, str(workers)], capture_output=True, text=True, env=env, cwd=REPO)
    (workdir / f"{tag}.log").write_text(out.stderr)  # the flow's log, for a look afterwards
    if out.returncode != 0:
        raise RuntimeError(f"the pipeline run failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def phases(run: dict) -> str:
    """Where a pipeline run's time went, as the load's summary accounts for it."""
    return "    phases: " + ", ".join(f"{name} {seconds:.1f} s"
                                      for name, seconds in run["phases"].items())


def profile(paths: list[Path], workdir: Path, batch_size: int) -> dict[str, float]:
    """Seconds per stage over the whole corpus, with the functions the flow calls, in its
    batches and under its memory cap (spool writes count as load)."""
    from datetime import datetime

    import polars as pl

    from flows import spool, warehouse
    from flows.discover import parse_paths
    from flows.settings import LOADER_MEMORY_LIMIT

    db, spool_dir = workdir / "profile.duckdb", workdir / "profile.spool"
    db.unlink(missing_ok=True)
    spool.remove(spool_dir)
    con = warehouse.connect(db)
    warehouse.apply_schema(con)
    con.execute(f"SET memory_limit = '{LOADER_MEMORY_LIMIT}'")
    timings: dict[str, float] = {"read": 0.0, "load": 0.0}
    manifest = []
    for start in range(0, len(paths), batch_size):
        began, before = time.perf_counter(), sum(timings.values())
        parsed = parse_paths(paths[start:start + batch_size], timings=timings)
        # Reading is what parse_paths spent outside the parse stages.
        timings["read"] += time.perf_counter() - began - (sum(timings.values()) - before)
        began = time.perf_counter()
        manifest.append(spool.write_part(spool_dir, spool.part_name(0, start // batch_size),
                                         parsed))
        timings["load"] += time.perf_counter() - began
    began = time.perf_counter()
    seen = pl.DataFrame({"source_path": [str(p) for p in paths],
                         "file_name": [p.name for p in paths]}).with_columns(
        *(pl.lit(None, dtype=pl.Int64).alias(c) for c in ("size_bytes", "mtime_ns", "ctime_ns")))
    warehouse.stage_spool(con, spool_dir, manifest, seen, datetime.now())
    spool.remove(spool_dir)
    warehouse.reconcile(con)
    con.execute("CHECKPOINT")
    con.close()
    timings["load"] += time.perf_counter() - began
    began = time.perf_counter()
    warehouse.export_parquet(db, workdir / "profile-export")
    timings["export"] = time.perf_counter() - began
    return timings


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(pipeline_child(*sys.argv[2:7])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--scale-to", type=int, default=0, metavar="M")
    parser.add_argument("--naive-sample", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--workers", type=int, default=2,
                        help="processes of the Dask run (0: skip it)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ogi-throughput-"))
    workdir.mkdir(parents=True, exist_ok=True)

    source = corpus(workdir, args.reports)
    paths = report_paths(source)
    warm(paths)
    base = floor(paths)
    mb = base["bytes"] / 1e6
    rate = lambda r: r["documents"] / r["seconds"]  # noqa: E731
    print(f"\ncorpus: {len(paths)} reports, {mb:.0f} MB ({workdir}); every run reads it from "
          "the page cache")
    print(f"floor (read + OpenCC t2s):  {base['seconds']:8.1f} s  {rate(base):8.0f} docs/s  "
          f"{mb / base['seconds']:6.1f} MB/s   1.00x")
    sample = paths[:args.naive_sample]
    slow = naive(sample, workdir / "naive.duckdb")
    (workdir / "naive.duckdb").unlink()
    print(f"naive loop ({len(sample)} reports): {slow['seconds']:6.1f} s  {rate(slow):8.0f} docs/s"
          f"            {rate(slow) / rate(base):5.2f}x floor")
    run = pipeline(source, workdir)
    print(f"pipeline, 1 process:        {run['seconds']:8.1f} s  {rate(run):8.0f} docs/s  "
          f"{mb / run['seconds']:6.1f} MB/s  {rate(run) / rate(base):5.2f}x floor  "
          f"{rate(run) / rate(slow):6.1f}x naive  load {run['load_seconds']:.1f} s, "
          f"export {run['export_seconds']:.1f} s, peak RSS {run['peak_rss_mb']:.0f} MB, "
          f"{run['task_runs']} task runs, {run['documents']} documents, {run['facts']} facts")
    print(phases(run))
    if args.workers:
        wide = pipeline(source, workdir, "dask", args.workers)
        print(f"pipeline, {args.workers} Dask workers:  {wide['seconds']:8.1f} s  "
              f"{rate(wide):8.0f} docs/s  {mb / wide['seconds']:6.1f} MB/s  "
              f"{rate(wide) / rate(base):5.2f}x floor  {rate(wide) / rate(slow):6.1f}x naive  "
              f"{rate(wide) / rate(run):.2f}x 1 process, peak RSS loader "
              f"{wide['peak_rss_mb']:.0f} MB / worker {wide['peak_worker_rss_mb']:.0f} MB, "
              f"{wide['task_runs']} task runs, parsed by {wide['parse_workers']} processes, "
              f"{wide['documents']} documents, {wide['facts']} facts")
        print(phases(wide))
    if args.scale_to:
        big_source = corpus(workdir, args.scale_to)
        warm(report_paths(big_source))
        big = pipeline(big_source, workdir)
        print(f"pipeline at {args.scale_to}: {big['seconds']:8.1f} s  {rate(big):8.0f} docs/s  "
              f"throughput {rate(big) / rate(run):.2f}x that at {args.reports}, peak RSS "
              f"{big['peak_rss_mb']:.0f} MB ({big['peak_rss_mb'] / run['peak_rss_mb']:.2f}x), "
              f"{big['task_runs']} task runs")
        print(phases(big))
    if args.profile:
        from flows.settings import DEFAULT_BATCH_SIZE

        timings = profile(paths, workdir, DEFAULT_BATCH_SIZE)
        total = sum(timings.values())
        print(f"\nwhere the time goes (in process, batches of {DEFAULT_BATCH_SIZE}):")
        for stage in ("read", "decode", "normalize", "extract", "tables", "load", "export"):
            seconds = timings[stage]
            print(f"  {stage:10} {seconds:8.1f} s  {seconds / total:6.1%}  "
                  f"{seconds / base['seconds']:6.1f}x the floor's whole run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
