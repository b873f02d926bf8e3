"""The warehouse: constraints, comments, contract views, idempotent loads, export."""

import polars as pl
import pytest

from flows import warehouse
from tests.conftest import DATA

REPORTS_COLUMNS = ["file", "source_path", "agency", "admin_level", "province", "report_year",
                   "template", "published_on"]
MEASURES_COLUMNS = ["file", "source_path", "agency", "admin_level", "province", "report_year",
                    "template", "measure", "breakdown", "value", "approx", "evidence"]


def dump(db) -> dict[str, list]:
    con = warehouse.connect(db, read_only=True)
    try:
        tables = [r[0] for r in con.sql("SELECT table_name FROM duckdb_tables() "
                                        "ORDER BY 1").fetchall()]
        return {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def loaded(parsed_seeds, tmp_path_factory):
    db = tmp_path_factory.mktemp("wh") / "ogi.duckdb"
    con = warehouse.connect(db)
    warehouse.apply_schema(con)
    counts = warehouse.load_parsed(con, parsed_seeds)
    con.close()
    return db, counts


def test_load_counts(loaded, parsed_seeds):
    _, counts = loaded
    assert counts["documents_written"] == 5
    assert counts["facts_written"] == parsed_seeds["facts"].height


def test_loading_twice_changes_nothing(loaded, parsed_seeds):
    db, _ = loaded
    before = dump(db)
    con = warehouse.connect(db)
    warehouse.apply_schema(con)
    counts = warehouse.load_parsed(con, parsed_seeds)
    con.close()
    assert counts["documents_written"] == 0 and counts["paths_quarantined"] == 0
    assert dump(db) == before


def test_every_table_and_column_has_a_comment(loaded):
    con = warehouse.connect(loaded[0], read_only=True)
    missing_tables = con.sql("SELECT table_name FROM duckdb_tables() WHERE comment IS NULL "
                             "UNION ALL SELECT view_name FROM duckdb_views() "
                             "WHERE NOT internal AND comment IS NULL").fetchall()
    missing_columns = con.sql("""
        SELECT c.table_name, c.column_name FROM duckdb_columns() c
        JOIN duckdb_tables() t USING (table_name) WHERE c.comment IS NULL""").fetchall()
    con.close()
    assert missing_tables == [] and missing_columns == []


def test_contract_views(loaded):
    reports = warehouse.query_read_only(loaded[0], "SELECT * FROM reports ORDER BY file")
    assert reports.columns == REPORTS_COLUMNS
    assert reports.height == 5
    measures = warehouse.query_read_only(loaded[0], "SELECT * FROM report_measures")
    assert measures.columns == MEASURES_COLUMNS
    # Seed 001: 191 requests received, as printed in its section 四.
    row = measures.filter((pl.col("file").str.starts_with("001"))
                          & (pl.col("measure") == "req.new_received")
                          & pl.col("breakdown").is_null()).row(0, named=True)
    assert row["value"] == 191 and "191件" in row["evidence"] and row["approx"] is False
    # Seed 004 has no request figures but its report row exists, agency NULL.
    unnamed = reports.filter(pl.col("file").str.starts_with("004")).row(0, named=True)
    assert unnamed["agency"] is None and unnamed["report_year"] == 2013


def test_spans_cut_the_printed_figure(loaded):
    spans = warehouse.query_read_only(
        loaded[0], "SELECT printed, span_text FROM fact_evidence WHERE value_kind <> 'zero_in_words'")
    assert spans.height > 0
    assert (spans["printed"] == spans["span_text"]).all()


def test_unknown_is_not_zero(loaded):
    # Seed 002 never mentions reconsideration: no review fact at all, not a 0.
    rows = warehouse.query_read_only(
        loaded[0], "SELECT * FROM report_measures WHERE file LIKE '002%' AND measure = 'review'")
    assert rows.height == 0


def test_writes_are_refused(loaded):
    for statement in ("DELETE FROM dim_document", "CREATE TABLE x (a INT)",
                      "SELECT 1; DROP TABLE quarantine"):
        with pytest.raises(warehouse.WriteRefused, match="read-only"):
            warehouse.query_read_only(loaded[0], statement)


def test_export_reads_back_identically(loaded, tmp_path):
    import duckdb

    out = tmp_path / "export"
    counts = warehouse.export_parquet(loaded[0], out)
    assert (out / "fact_disclosure" / "report_year=2018").is_dir()
    facts_duckdb = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/fact_disclosure/**/*.parquet', "
                              "hive_partitioning=true)").fetchall()[0][0]
    facts_polars = pl.scan_parquet(out / "fact_disclosure", hive_partitioning=True).collect().height
    assert facts_duckdb == facts_polars == counts["fact_disclosure"]
    measures = pl.read_parquet(out / "report_measures.parquet")
    assert measures.height == counts["report_measures"] and measures.columns == MEASURES_COLUMNS
    for table in warehouse.EXPORT_TABLES:
        assert pl.read_parquet(out / f"{table}.parquet").height == counts[table]
    meta = duckdb.sql(f"SELECT DISTINCT compression FROM parquet_metadata('{out}/dim_document.parquet')").fetchall()
    assert {m[0] for m in meta} == {"ZSTD"}


def test_ambiguous_annex_cells_are_recorded_not_stored(tmp_path):
    from flows.discover import parse_paths

    report = tmp_path / "flattened.txt"
    report.write_text(
        "某某县人民政府2016年政府信息公开工作年度报告\n一、概述\n本报告根据《中华人民共和国政府信息公开条例》编制。"
        + "我县认真做好政府信息公开工作。" * 20 + "\n六、政府信息公开情况统计表指标名称计量单位2016年度历年累计"
        "主动公开文件数条5128000受理依申请公开信息总数条00\n", encoding="utf-8")
    parsed = parse_paths([report])
    db = tmp_path / "ogi.duckdb"
    con = warehouse.connect(db)
    warehouse.apply_schema(con)
    counts = warehouse.load_parsed(con, parsed)
    assert counts["unresolved_cells"] == 1
    cell = con.sql("SELECT measure_key, candidates, reason FROM unresolved_cell").fetchall()
    # 5128000 as 本年 | 历年累计: 5|128000, 51|28000, 512|8000 all keep the total ≥ the year.
    assert cell[0][0] == "proactive.total"
    assert sorted(c[0] for c in cell[0][1]) == [5, 51, 512]
    facts = dict(con.sql("SELECT measure_key, value FROM fact_disclosure "
                         "WHERE breakdown_key = ''").fetchall())
    assert "proactive.total" not in facts and "proactive.cumulative" not in facts
    assert facts["req.new_received"] == 0  # 00 is 0 | 0
    con.close()


@pytest.fixture(scope="module")
def gb_loaded(tmp_path_factory):
    """Pingtan's 2022 and 2023 reports (standard tables), loaded in two nightly runs."""
    from conftest import PINGTAN

    from flows.discover import parse_paths

    db = tmp_path_factory.mktemp("gb") / "ogi.duckdb"
    con = warehouse.connect(db)
    warehouse.apply_schema(con)
    # Last year's report arrives on an earlier night: the cross-year checks still pair them.
    warehouse.load_parsed(con, parse_paths([PINGTAN / "pingtan-zone-2022.html"]))
    counts = warehouse.load_parsed(con, parse_paths([PINGTAN / "pingtan-zone-2023.html",
                                                     PINGTAN / "pingtan-zone-2025.txt"]))
    con.close()
    return db, counts


def test_quality_checks_are_stored_per_report(gb_loaded):
    db, counts = gb_loaded
    assert counts["checks_written"] > 0
    checks = warehouse.query_read_only(db, """
        SELECT d.file_name AS file, q.rule, q.scope, q.status, q.expected, q.found
        FROM quality_checks q JOIN dim_document d USING (document_id)""")
    rows = {(r["file"], r["rule"], r["scope"]): r for r in checks.iter_rows(named=True)}
    # 2023 表三 (read from the page): 一 81 + 二 0 = 七 81 + 四 0.
    ok = rows[("pingtan-zone-2023.html", "t3_identity", "total")]
    assert (ok["status"], ok["expected"], ok["found"]) == ("pass", 81, 81)
    # 2023 prose: 不予公开5件 against the eight 不予公开 rows (0 0 0 1 0 1 1 2).
    prose = rows[("pingtan-zone-2023.html", "prose_restates_sum", "req.denied")]
    assert (prose["status"], prose["expected"], prose["found"]) == ("pass", 5, 5)


def test_cross_year_checks_pair_an_agency_with_its_previous_year(gb_loaded):
    db, _ = gb_loaded
    checks = warehouse.query_read_only(db, """
        SELECT rule, status, expected, found FROM quality_checks
        JOIN dim_document d USING (document_id)
        WHERE d.file_name = 'pingtan-zone-2023.html' AND rule LIKE 'x%'""")
    rows = {r["rule"]: r for r in checks.iter_rows(named=True)}
    # 2022 结转下年度 0, 2023 上年结转 0.
    assert (rows["x_carried_over"]["status"], rows["x_carried_over"]["found"]) == ("pass", 0)
    # 现行有效: 2022 698 + 2023 制发 77 - 废止 132 = 643, but 2023 prints 470.
    normdoc = rows["x_normdoc_in_force"]
    assert (normdoc["status"], normdoc["expected"], normdoc["found"]) == ("fail", 643, 470)
    failing = warehouse.query_read_only(db, "SELECT rule, evidence FROM failing_checks")
    evidence = dict(failing.iter_rows())["x_normdoc_in_force"]
    assert "| 行政规范性文件 | 77 | 132 | 470 |" in evidence


def test_unread_table_cells_are_kept_with_their_candidates(gb_loaded):
    db, _ = gb_loaded
    cells = warehouse.query_read_only(db, """
        SELECT measure_key, columns, candidates FROM unresolved_cell
        WHERE measure_key = 'normdoc.in_force'""")
    row = cells.row(0, named=True)
    # 2025.txt 行政规范性文件5845546 (no identity decides it).
    assert row["columns"] == ["normdoc.issued", "normdoc.repealed", "normdoc.in_force"]
    assert [58.0, 45.0, 546.0] in row["candidates"]


SCHEMA_V2 = DATA / "schema_v2"


def declared_keys(db, table: str) -> int:
    return warehouse.query_read_only(db, f"""
        SELECT count(*) FROM duckdb_constraints() WHERE table_name = '{table}'
           AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')""").item()


def test_a_version_2_warehouse_is_upgraded_with_every_row(loaded, tmp_path):
    """Version 2 declared keys on the figure tables (their indexes grow in memory with the
    corpus); a load upgrades such a file, rows unchanged."""
    db, counts = loaded
    old = tmp_path / "v2.duckdb"
    con = warehouse.connect(old)
    # The DDL as version 2 shipped it: the two files version 3 changed, kept as they were.
    unchanged = [p for p in (warehouse.SQL_DIR / "schema").glob("*.sql")
                 if not (SCHEMA_V2 / p.name).exists()]
    for path in sorted([*SCHEMA_V2.glob("*.sql"), *unchanged], key=lambda p: p.name):
        con.execute(path.read_text(encoding="utf-8"))
    con.execute(f"ATTACH '{db}' AS v3 (READ_ONLY)")
    tables = [r[0] for r in con.sql("SELECT table_name FROM duckdb_tables() WHERE "
                                    "database_name = 'v3'").fetchall()]
    # Referenced tables first, so the version 2 keys accept every row.
    first = ["dim_template", "dim_year", "dim_measure", "dim_breakdown", "dim_agency",
             "dim_document"]
    for table in first + [t for t in tables if t not in first]:
        con.execute(f"INSERT INTO {table} SELECT * FROM v3.{table}")
    con.execute("UPDATE warehouse_info SET value = '2'")
    con.execute("DETACH v3")
    con.close()
    assert declared_keys(old, "fact_disclosure") == 4  # 1 primary key, 3 references

    con = warehouse.connect(old)
    warehouse.apply_schema(con)
    con.close()
    assert declared_keys(old, "fact_disclosure") == 0
    assert warehouse.content_digest(old) == warehouse.content_digest(db)
    facts = warehouse.query_read_only(old, "SELECT count(*) FROM fact_disclosure").item()
    assert facts == counts["facts_written"] > 0


def test_a_load_that_would_repeat_a_key_fails_whole(parsed_seeds, tmp_path):
    parsed = dict(parsed_seeds)
    parsed["facts"] = pl.concat([parsed_seeds["facts"], parsed_seeds["facts"].head(1)])
    db = tmp_path / "ogi.duckdb"
    con = warehouse.connect(db)
    warehouse.apply_schema(con)
    with pytest.raises(warehouse.KeyViolation, match="fact_disclosure key repeated"):
        warehouse.load_parsed(con, parsed)
    # Nothing of the failed load is kept.
    assert con.sql("SELECT (SELECT count(*) FROM dim_document) + (SELECT count(*) FROM "
                   "fact_disclosure) + (SELECT count(*) FROM source_file)").fetchall() == [(0,)]
    con.close()


def test_a_figure_of_an_unknown_measure_fails_the_load(parsed_seeds, tmp_path):
    parsed = dict(parsed_seeds)
    parsed["facts"] = parsed_seeds["facts"].with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("req.no_such_measure"))
        .otherwise(pl.col("measure")).alias("measure"))
    con = warehouse.connect(tmp_path / "ogi.duckdb")
    warehouse.apply_schema(con)
    with pytest.raises(warehouse.KeyViolation, match="req.no_such_measure"):
        warehouse.load_parsed(con, parsed)
    con.close()


def test_a_version_3_warehouse_gains_places_with_every_row(loaded, tmp_path):
    """Version 4 added dim_division and dim_agency.division_reason; a load brings a version 3
    file up to it in place, rows unchanged."""
    db, _ = loaded
    old = tmp_path / "v3.duckdb"
    con = warehouse.connect(old)
    # Version 3's DDL: no places file, dim_agency without division_reason, and no panel
    # (which reads the places).
    for path in sorted((warehouse.SQL_DIR / "schema").glob("*.sql")):
        if path.name in ("012_places.sql", "060_panel.sql"):
            continue
        ddl = path.read_text(encoding="utf-8").replace(
            "division_code VARCHAR,\n    division_reason VARCHAR\n", "division_code VARCHAR\n")
        con.execute(ddl)
    assert "division_reason" not in con.sql("SELECT * FROM dim_agency").columns
    con.execute(f"ATTACH '{db}' AS v4 (READ_ONLY)")
    tables = [r[0] for r in con.sql("SELECT table_name FROM duckdb_tables() WHERE "
                                    "database_name = 'v4' AND table_name <> 'dim_division'"
                                    ).fetchall()]
    first = ["dim_template", "dim_year", "dim_measure", "dim_breakdown", "dim_agency",
             "dim_document"]
    for table in first + [t for t in tables if t not in first]:
        columns = ", ".join(con.sql(f"SELECT * FROM main.{table} LIMIT 0").columns)
        con.execute(f"INSERT INTO main.{table} SELECT {columns} FROM v4.{table}")
    con.execute("UPDATE warehouse_info SET value = '3'")
    con.execute("DETACH v4")
    warehouse.apply_schema(con)
    con.close()
    assert warehouse.query_read_only(
        old, "SELECT value FROM warehouse_info WHERE key = 'schema_version'").item() == "4"
    digest_old, digest_new = warehouse.content_digest(old), warehouse.content_digest(db)
    assert {t: d for t, d in digest_old.items() if t != "dim_agency"} == {
        t: d for t, d in digest_new.items() if t != "dim_agency"}
    places = warehouse.query_read_only(old, "SELECT * FROM agency_places")
    assert places.height == warehouse.query_read_only(db, "SELECT * FROM dim_agency").height
    assert warehouse.query_read_only(old, "SELECT count(*) FROM agency_year_panel").item() > 0


def test_agencies_are_placed_in_the_division_table(shared_db):
    places = warehouse.query_read_only(shared_db, "SELECT * FROM agency_places")
    # The seeds name their places; each linked agency has the province, prefecture and
    # county its code says (read off the national code list, not the report).
    def place(agency: str) -> tuple:
        row = places.filter(pl.col("agency") == agency).row(0, named=True)
        return row["division_code"], row["province"], row["prefecture"], row["county"]

    assert place("渑池县人民政府") == ("411221", "河南省", "三门峡市", "渑池县")
    assert place("二连浩特市人民政府办公室") == ("152501", "内蒙古自治区", "锡林郭勒盟", "二连浩特市")
    assert place("漳州市国资委") == ("350600", "福建省", "漳州市", None)
    # 平潭综合实验区 has no code of its own: unlinked, its province known, the reason given.
    zone = places.filter(pl.col("agency") == "平潭综合实验区").row(0, named=True)
    assert (zone["division_code"], zone["province"]) == (None, "福建省")
    assert "special zone" in zone["division_reason"]
    # Every agency is linked or says why not.
    assert places.filter(pl.col("division_code").is_null()
                         & pl.col("division_reason").is_null()).height == 0
    assert places.filter(pl.col("division_code").is_not_null()
                         & pl.col("division_reason").is_not_null()).height == 0
