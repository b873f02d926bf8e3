"""The `ogi` command line: documented subcommands and researcher-facing output."""

import json
from pathlib import Path

from click.testing import CliRunner

from flows import warehouse
from flows.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_every_subcommand_has_help_with_examples():
    runner = CliRunner()
    assert set(main.commands) == {"run", "serve", "sql", "schema", "export", "report", "eval",
                                 "synth"}
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Examples:" in result.output, name


def test_sql_formats(shared_db):
    runner = CliRunner()
    query = "SELECT file, report_year FROM reports WHERE file LIKE '003%'"
    as_json = runner.invoke(main, ["sql", query, "--db", str(shared_db), "--format", "json"])
    assert json.loads(as_json.output) == [{"file": "003_515021b74e04ed8e.txt", "report_year": 2011}]
    as_csv = runner.invoke(main, ["sql", query, "--db", str(shared_db), "--format", "csv"])
    assert as_csv.output.splitlines() == ["file,report_year", "003_515021b74e04ed8e.txt,2011"]
    as_table = runner.invoke(main, ["sql", query, "--db", str(shared_db)])
    assert "2011" in as_table.output and "(1 rows)" in as_table.output


def test_sql_refuses_writes_with_a_clear_message(shared_db):
    result = CliRunner().invoke(main, ["sql", "DROP TABLE quarantine", "--db", str(shared_db)])
    assert result.exit_code != 0
    assert "read-only" in result.output


def test_eval_json(seeds_dir):
    from tests.conftest import DATA

    result = CliRunner().invoke(main, ["eval", "--labels", str(DATA / "seeds.labels.jsonl"),
                                       "--input", str(seeds_dir), "--json"])
    assert result.exit_code == 0
    overall = json.loads(result.output)["overall"]
    assert overall["reports"] == 5 and overall["precision"] >= 0.95


def test_every_example_query_runs_and_returns_rows(shared_db):
    runner = CliRunner()
    queries = sorted((REPO / "sql" / "queries").glob("*.sql"))
    assert len(queries) >= 8
    for query in queries:
        assert query.read_text(encoding="utf-8").startswith("-- "), query.name  # says what it is
        result = runner.invoke(main, ["sql", str(query), "--db", str(shared_db), "--format",
                                      "csv"])
        assert result.exit_code == 0, (query.name, result.output)
        assert len(result.output.splitlines()) >= 2, (query.name, "no rows")
    # Lists (candidates, operands) are written to CSV as JSON.
    nested = runner.invoke(main, ["sql", "SELECT [1.5, 2.0] AS candidates", "--db",
                                  str(shared_db), "--format", "csv"])
    assert nested.output.splitlines() == ["candidates", '"[1.5, 2.0]"']


def test_schema_documents_every_column_measure_and_breakdown(shared_db, tmp_path):
    import csv

    from tests.conftest import SHARED

    runner = CliRunner()
    book = json.loads(runner.invoke(main, ["schema", "--db", str(shared_db), "--format", "json"]).output)
    # Every table and view of the warehouse, and every column of each, with a meaning.
    with warehouse.connect(shared_db, read_only=True) as con:
        expected = set(con.sql("SELECT table_name, column_name FROM duckdb_columns() "
                               "WHERE schema_name = 'main' AND NOT internal").fetchall())
    assert {(c["object"], c["column"]) for c in book["columns"]} == expected
    assert {"report_measures", "fact_disclosure", "dim_document"} <= {o["name"] for o in
                                                                      book["objects"]}
    undocumented = [(c["object"], c["column"]) for c in book["columns"] if not c["comment"]]
    assert undocumented == []
    assert all(o["comment"] for o in book["objects"])
    # Every code of the shared catalogue.
    with open(SHARED / "spec" / "measures.csv", encoding="utf-8") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    assert codes <= {m["code"] for m in book["measures"]}
    with open(SHARED / "spec" / "breakdowns.csv", encoding="utf-8") as f:
        kinds = {(row["kind"], row["code"]) for row in csv.DictReader(f)}
    assert kinds <= {(b["kind"], b["code"]) for b in book["breakdowns"]}

    markdown = runner.invoke(main, ["schema", "--db", str(shared_db)]).output
    assert "### `report_measures`" in markdown
    assert "| `span_text` | VARCHAR | text_normalized cut at" in markdown
    assert "| `req.new_received` |" in markdown and "`applicant:natural_person`" in markdown
    # Without a warehouse: the schema this version creates, and no file left behind.
    fresh = runner.invoke(main, ["schema", "--db", str(tmp_path / "none.duckdb")])
    assert fresh.exit_code == 0 and fresh.output == markdown
    assert not (tmp_path / "none.duckdb").exists()


def test_export_ships_the_codebook_beside_the_parquet(shared_db, tmp_path):
    import duckdb

    out = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", str(out), "--db", str(shared_db)])
    assert result.exit_code == 0, result.output
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert {"fact_disclosure", "report_measures", "dim_document", "dim_measure"} <= set(resources)
    con = duckdb.connect()
    for name, resource in resources.items():
        paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        assert all((out / p).is_file() for p in paths), name
        assert resource["format"] in ("parquet", "csv") and resource["description"], name
        # The fields are exactly the columns a reader of those files gets, each described.
        listed = ", ".join(f"'{out / p}'" for p in paths)
        reader = ("read_parquet([{}], hive_partitioning = true)" if resource["format"] == "parquet"
                  else "read_csv([{}], header = true)").format(listed)
        columns = [row[0] for row in con.sql(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == columns, name
        assert all(f["description"] and f["type"] != "any" for f in fields), name
    assert {"agency_year_panel", "agency_year_panel_csv", "report_measures_csv"} <= set(resources)
    years = {f["name"]: f["type"] for f in resources["fact_disclosure"]["schema"]["fields"]}
    assert years["report_year"] == "integer" and years["value"] == "number"
    codebook = (out / "CODEBOOK.md").read_text(encoding="utf-8")
    assert "### `fact_disclosure`" in codebook and "| `req.new_received` |" in codebook


def test_a_file_that_is_no_warehouse_is_refused_naming_it_and_the_fix(tmp_path):
    # A stray file at the --db path (a download gone wrong, another program's database):
    # every command names it and says what to do, without a traceback, before any work.
    stray = tmp_path / "ogi.duckdb"
    stray.write_text("this is not a database\n", encoding="utf-8")
    runner = CliRunner()
    for args in (["sql", "SELECT 1"], ["schema"], ["export", str(tmp_path / "out")],
                 ["report", str(tmp_path / "r.html")], ["run", str(REPO / "sample_corpus")]):
        result = runner.invoke(main, [*args, "--db", str(stray)])
        assert result.exit_code == 1, (args, result.output)
        assert str(stray) in result.output and "ogi run SOURCE --db" in result.output, args
        assert "Traceback" not in result.output, args
    assert stray.read_text(encoding="utf-8") == "this is not a database\n"
    assert not (tmp_path / "out").exists() and not (tmp_path / "r.html").exists()


def test_a_failing_query_file_is_named_with_where_to_look(shared_db, tmp_path):
    query = tmp_path / "mine.sql"
    query.write_text("SELECT no_such_column FROM report_measures", encoding="utf-8")
    result = CliRunner().invoke(main, ["sql", str(query), "--db", str(shared_db)])
    assert result.exit_code == 1
    assert f"{query} failed" in result.output and "ogi schema" in result.output
    missing = CliRunner().invoke(main, ["sql", str(tmp_path / "none.sql")])
    assert missing.exit_code == 1 and "sql/queries" in missing.output
