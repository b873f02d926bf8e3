"""`ogi`: the command line. Each subcommand calls the same functions the flow and tests use."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import click

from flows.settings import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_CRON,
    DEFAULT_PARSE_TASKS,
    DEFAULT_TIMEZONE,
    PROJECT_ROOT,
    SAMPLE_CORPUS,
    default_db,
)

DB_OPTION = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                         help="DuckDB warehouse file [default: ./data/ogi.duckdb, or $OGI_HOME].")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """A warehouse of China's government information disclosure annual reports.

    \b
    Examples:
      ogi run                                  # the sample corpus into ./data/ogi.duckdb
      ogi serve /data/reports                  # the same every night at 02:00 (Shanghai)
      ogi run reports/ --db ogi.duckdb         # a folder of .txt/.md/.htm/.html reports
      ogi sql "SELECT * FROM reports" --db ogi.duckdb
      ogi export out/ --db ogi.duckdb          # Parquet, CSV for Excel, Stata .dta
      ogi report report.html                   # one HTML page of charts
      ogi eval --labels labels.jsonl --input reports/
      ogi synth /tmp/synth --reports 2000      # a labelled synthetic corpus
    """


def _warehouse_errors() -> tuple[type[Exception], ...]:
    """The errors about the warehouse file itself (missing, of an older version, not a
    warehouse): each names the file and the fix, and is shown without a traceback."""
    from flows.warehouse import WarehouseOutdated, WarehouseUnreadable

    return FileNotFoundError, WarehouseOutdated, WarehouseUnreadable


def _refuse_unreadable_warehouse(db: str) -> None:
    """Before a load starts its flow: an existing file at `db` must be a warehouse."""
    from flows.warehouse import check_schema_version, connect

    if not Path(db).exists():
        return
    try:
        con = connect(db, read_only=True)
        try:
            check_schema_version(con)
        finally:
            con.close()
    except _warehouse_errors() as exc:
        raise click.ClickException(str(exc)) from exc


# Exit status of a run that found another load running (EX_TEMPFAIL: try again later).
EXIT_LOAD_IN_PROGRESS = 75


@main.command()
@click.argument("source", type=click.Path(exists=True), required=False)
@DB_OPTION
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Documents per Prefect task.")
@click.option("--reprocess", type=click.Choice(["none", "stale", "all"]), default="none",
              is_flag=False, flag_value="all", show_default=True,
              help="Also extract stored documents again from their kept raw bytes: all of "
                   "them (--reprocess), or those an older extractor read (--reprocess stale). "
                   "SOURCE may then be omitted.")
@click.option("--wait", "wait_seconds", default=0.0, show_default=True, metavar="SECONDS",
              help="If another load is running, wait this long for it before giving up.")
@click.option("--allow-empty-source", is_flag=True,
              help="Retire every file of an empty SOURCE (refused by default: an unmounted "
                   "share looks empty).")
@click.option("--runner", default="local", show_default=True, metavar="local|dask[=ADDRESS]",
              help="Where the parse tasks run: threads of this process, a local Dask cluster "
                   "(dask), or the Dask scheduler at ADDRESS (dask=tcp://host:8786).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes of the local Dask cluster [default: one per core].")
@click.option("--parse-tasks", type=click.IntRange(min=1), default=DEFAULT_PARSE_TASKS,
              show_default=True, help="Most parse tasks per load (each parses its share "
                                      "of the files in batches of --batch-size).")
@click.option("--spool", "spool_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the parsed Parquet parts [default: beside the warehouse]; "
                   "with a remote cluster, one its workers and this machine share.")
def run(source: str | None, db: str | None, batch_size: int, reprocess: str,
        wait_seconds: float, allow_empty_source: bool, runner: str, workers: int | None,
        parse_tasks: int, spool_dir: str | None) -> None:
    """Load the reports under SOURCE (default: the bundled sample corpus) into the warehouse.

    Runs the Prefect flow `ogi-load-reports` (the one `ogi serve` schedules). Only new work
    is done: unchanged files are not read, stored content is not parsed again, files gone
    from SOURCE are marked retired. The new warehouse replaces the old one in one step, so
    open read-only sessions are never disturbed. Files that cannot be read or are not
    reports go to the `quarantine` table and the run goes on. Each run is a row of
    `load_runs`. Exit status: 0 done, 1 failed (the warehouse is unchanged), 75 another
    load is running.

    \b
    Examples:
      ogi run
      ogi run /data/reports --db warehouse.duckdb
      ogi run --reprocess --db warehouse.duckdb      # after upgrading the extractor
      ogi run /data/reports --reprocess stale --wait 600
      ogi run /data/reports --runner dask --workers 2
      ogi run /shared/reports --runner dask=tcp://scheduler:8786 --spool /shared/spool
    """
    from flows.load_flow import summary_markdown, with_runner
    from flows.progress import on_terminal
    from flows.publish import LoadInProgress
    from flows.warehouse import WarehouseOutdated

    if source is None and reprocess == "none":
        source = str(SAMPLE_CORPUS)
    db = db or str(default_db())
    _refuse_unreadable_warehouse(db)
    try:
        load_reports = with_runner(runner, workers)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--runner") from exc
    try:
        with on_terminal():
            summary = load_reports(source=str(Path(source).resolve()) if source else None,
                                   db=str(Path(db).resolve()), batch_size=batch_size,
                                   reprocess=reprocess, wait_seconds=wait_seconds,
                                   allow_empty_source=allow_empty_source,
                                   parse_tasks=parse_tasks, spool_dir=spool_dir)
    except LoadInProgress as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_LOAD_IN_PROGRESS)
    except WarehouseOutdated as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        raise click.ClickException(
            f"the load failed and the warehouse is unchanged: {type(exc).__name__}: {exc}"
        ) from exc
    click.echo(summary_markdown(summary))
    click.echo(f"\nwarehouse: {Path(db).resolve()}")


@main.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False), required=False)
@DB_OPTION
@click.option("--cron", default=DEFAULT_CRON, show_default=True,
              help="When to load (cron syntax, in --timezone).")
@click.option("--timezone", default=DEFAULT_TIMEZONE, show_default=True,
              help="Time zone of the cron schedule.")
@click.option("--reprocess", type=click.Choice(["none", "stale", "all"]), default="none",
              show_default=True,
              help="Each night also re-extract documents an older extractor read (stale).")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Documents per Prefect task.")
@click.option("--wait", "wait_seconds", default=3600.0, show_default=True, metavar="SECONDS",
              help="How long a scheduled run waits for a load already running (ogi run).")
def serve(source: str | None, db: str | None, cron: str, timezone: str, reprocess: str,
          batch_size: int, wait_seconds: float) -> None:
    """Load SOURCE into the warehouse on a schedule (default 02:00 Asia/Shanghai) until stopped.

    Serves the flow `ogi-load-reports` as deployment `ogi-load-reports/nightly`. Scheduling
    needs a persistent Prefect server: the one PREFECT_API_URL names, or else a local one
    this command starts and supervises (database under the data directory, analytics off)
    and stops on exit. Trigger a run by hand with
    `prefect deployment run ogi-load-reports/nightly`. Stop with Ctrl-C or SIGTERM.

    \b
    Examples:
      ogi serve /data/reports --db /srv/ogi/ogi.duckdb
      ogi serve /data/reports --cron "30 1 * * *" --reprocess stale
      PREFECT_API_URL=http://prefect.internal:4200/api ogi serve /data/reports
    """
    import signal

    from flows.serve import prefect_server, serve_load_flow

    # SIGTERM (a supervisor stopping us) unwinds like Ctrl-C, so the local server stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    source = str(Path(source or SAMPLE_CORPUS).resolve())
    db = str(Path(db or default_db()).resolve())
    with prefect_server(announce=lambda text: click.echo(text, err=True)):
        click.echo(f"serving ogi-load-reports/nightly: {source} -> {db}, "
                   f"cron '{cron}' ({timezone})", err=True)
        serve_load_flow({"source": source, "db": db, "reprocess": reprocess,
                         "batch_size": batch_size, "wait_seconds": wait_seconds},
                        cron=cron, timezone=timezone)


@main.command()
@click.argument("query")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
def sql(query: str, db: str | None, fmt: str) -> None:
    """Run a read-only SQL QUERY against the warehouse and print the result.

    QUERY is SQL text, or the path of a .sql file (the examples in sql/queries/). Statements
    that would write (INSERT, UPDATE, DELETE, CREATE, DROP, ...) are refused.

    \b
    Examples:
      ogi sql "SELECT template, count(*) FROM reports GROUP BY 1"
      ogi sql "SELECT * FROM report_measures WHERE measure = 'req.new_received'" --format csv
      ogi sql sql/queries/failing_checks.sql
    """
    from flows.warehouse import WriteRefused, query_read_only

    source = "the query"
    if query.endswith(".sql"):
        if not Path(query).is_file():
            raise click.ClickException(
                f"no such SQL file: {query} (the example queries are in "
                f"{PROJECT_ROOT / 'sql' / 'queries'})")
        source = query
        query = Path(query).read_text(encoding="utf-8")

    try:
        frame = query_read_only(db or default_db(), query)
    except (WriteRefused, *_warehouse_errors()) as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # a SQL error is the user's to fix: show it without a traceback
        raise click.ClickException(
            f"{source} failed: {exc}\n`ogi schema` lists every table, view and column; "
            "report_measures and agency_year_panel are the places to start.") from exc
    if fmt == "csv":
        click.echo(_flat(frame).write_csv(), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=1))
    else:
        _print_table(frame)


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="Markdown for reading, JSON for programs.")
def schema(db: str | None, fmt: str) -> None:
    """Print the codebook: every table, view and column with its meaning, then every measure
    and breakdown code of the catalogue.

    Reads the warehouse at --db; where there is none yet, prints the schema this version
    creates.

    \b
    Examples:
      ogi schema                           # Markdown, to read or to paste into a paper
      ogi schema --db ogi.duckdb > CODEBOOK.md
      ogi schema --format json | jq '.columns[] | select(.object == "report_measures")'
    """
    from flows.codebook import codebook_markdown, schema_codebook, schema_connection

    try:
        con = schema_connection(Path(db or default_db()))
    except _warehouse_errors() as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        book = schema_codebook(con)
    finally:
        con.close()
    if fmt == "json":
        click.echo(json.dumps({name: frame.to_dicts() for name, frame in book.items()},
                              ensure_ascii=False, indent=1))
    else:
        click.echo(codebook_markdown(book), nl=False)


def _flat(frame):
    """CSV holds no lists: nested columns (candidates, operands) are written as JSON."""
    import polars as pl

    def as_json(value) -> str:
        value = value.to_list() if isinstance(value, pl.Series) else value
        # DECIMAL literals arrive as Decimal: numbers stay numbers.
        return json.dumps(value, ensure_ascii=False,
                          default=lambda o: float(o) if isinstance(o, Decimal) else str(o))

    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.with_columns(
        pl.col(name).map_elements(as_json, return_dtype=pl.String) for name in nested)


def _print_table(frame) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for name in frame.columns:
        table.add_column(name, overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*["" if v is None else str(v) for v in row])
    Console().print(table)
    click.echo(f"({frame.height} rows)")


@main.command()
@click.argument("out", type=click.Path(file_okay=False))
@DB_OPTION
def export(out: str, db: str | None) -> None:
    """Write the warehouse to OUT for every tool: Parquet, CSV, Stata.

    Every table and the views report_measures, agency_year_panel and agency_places as
    Parquet (ZSTD); facts partitioned by report year in hive layout
    (fact_disclosure/report_year=2018/). csv/ holds reports, report_measures,
    agency_year_panel and agency_places as UTF-8 CSV with a byte-order mark (Excel on
    Chinese Windows reads it). agency_year_panel.dta is the panel for Stata 14+, each
    variable labelled in Chinese and English. Beside them: CODEBOOK.md (every column,
    measure and breakdown explained, and the Stata names) and datapackage.json (a
    Frictionless Data Package describing each file's columns, for programs). The export is
    swapped in atomically.

    \b
    Examples:
      ogi export out/
      ogi export /srv/ogi/parquet --db warehouse.duckdb
    """
    from flows.warehouse import export_parquet

    try:
        counts = export_parquet(db or default_db(), out)
    except _warehouse_errors() as exc:
        raise click.ClickException(str(exc)) from exc
    for name, count in counts.items():
        click.echo(f"{name}: {count} rows")
    click.echo(f"exported to {Path(out).resolve()}")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False))
@DB_OPTION
def report(out: str, db: str | None) -> None:
    """Write the warehouse as charts to OUT, one self-contained HTML page.

    Charts: documents by report year and administrative level, coverage of the measures,
    requests and their outcomes by year, quality-check failures; then tables of the largest
    request figures and the most recent failing checks with the sentences they come from.
    The page loads nothing from the network and runs no script: open it offline, mail it.
    The queries behind it are in sql/report/.

    \b
    Examples:
      ogi report report.html
      ogi report /srv/www/ogi.html --db /srv/ogi/ogi.duckdb
    """
    from flows.report import write_report

    db = db or str(default_db())
    try:
        written = write_report(db, out)
    except _warehouse_errors() as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{written['documents']} documents, {written['facts']} facts, "
               f"{written['failing_checks']} failing checks; charts: "
               + "; ".join(written["charts"]))
    click.echo(f"report written to {written['out']}")


@main.command(name="eval")
@click.option("--labels", "labels_path", type=click.Path(exists=True, dir_okay=False),
              required=True, help="Labelled reports, JSON Lines (shared/spec/evaluation.md).")
@click.option("--input", "input_dir", type=click.Path(exists=True, file_okay=False),
              required=True, help="Folder holding the labelled report files.")
@click.option("--groups", default="", metavar="G1,G2",
              help="Score only the measures of these catalogue groups (e.g. t2,t3,t4: the "
                   "standard tables' cells).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(labels_path: str, input_dir: str, groups: str, as_json: bool) -> None:
    """Run the pipeline on INPUT and score it against LABELS.

    Prints per-report and overall precision, recall and metadata accuracy (agency,
    admin_level, report_year), scored exactly as shared/spec/evaluation.md defines.

    \b
    Examples:
      ogi eval --labels tests/data/seeds.labels.jsonl --input ../shared/corpus/seeds
      ogi eval --labels sample_corpus/labels.jsonl --input sample_corpus --json
      ogi eval --labels tests/data/pingtan_gb.labels.jsonl --input ../shared/corpus/pingtan --groups t2,t3,t4
    """
    from flows.evaluation import evaluate_folder

    result = evaluate_folder(labels_path, input_dir,
                             {g.strip() for g in groups.split(",") if g.strip()} or None)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for report in result["reports"]:
        p = "n/a" if report["precision"] is None else f"{report['precision']:.3f}"
        r = "n/a" if report["recall"] is None else f"{report['recall']:.3f}"
        meta = "".join("✓" if report[k] else "✗"
                       for k in ("agency_ok", "admin_level_ok", "report_year_ok"))
        click.echo(f"{report['file']}: precision {p} recall {r} "
                   f"({report['matched']}/{report['labels']}) agency/level/year {meta}")
        for error in report["errors"]:
            click.echo(f"    {error}")
    o = result["overall"]
    fmt = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
    click.echo(f"\noverall: {o['reports']} reports, precision {fmt(o['precision'])}, "
               f"recall {fmt(o['recall'])} ({o['matched']}/{o['labels']} labels), "
               f"agency {fmt(o['agency_accuracy'])}, admin_level {fmt(o['admin_level_accuracy'])}, "
               f"report_year {fmt(o['report_year_accuracy'])}, "
               f"template {fmt(o['template_accuracy'])}")


@main.command()
@click.argument("out", type=click.Path(file_okay=False))
@click.option("--reports", default=1000, show_default=True, help="How many reports to write.")
@click.option("--seed", default=1, show_default=True,
              help="The corpus: the same seed writes the same bytes.")
@click.option("--start", default=0, show_default=True,
              help="Index of the first report (report i of a seed is the same whatever N).")
def synth(out: str, reports: int, seed: int, start: int) -> None:
    """Write a synthetic corpus of REPORTS labelled reports under OUT.

    The three templates (prose, gb2019, gb2021) in the forms real files come in (HTML
    pages, PDF text with hard line breaks and page markers, crawled text, Markdown pipe
    tables, tables flattened into digit runs) with their damage (traditional script,
    pinyin glosses, mojibake headings, GB18030/GBK/UTF-16/Big5, web debris). Labels go to
    OUT/labels.jsonl in the format of shared/spec/evaluation.md, so `ogi eval` scores them.

    \b
    Examples:
      ogi synth /tmp/synth --reports 2000 --seed 1
      ogi eval --labels /tmp/synth/labels.jsonl --input /tmp/synth
      ogi synth /tmp/big --reports 200000          # the throughput benchmark's corpus
    """
    from synth.corpus import write_corpus

    summary = write_corpus(out, reports, seed, start)
    click.echo(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    sys.exit(main())
