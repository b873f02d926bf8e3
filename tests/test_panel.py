"""The agency × year panel on the shared corpus: figures read from the reports (checked here
against the printed 表三/表四 of Pingtan's 2023 report), derived rates, NULL for the unknown,
and one visible rule where two documents report the same agency-year."""

from flows import warehouse


def panel(db, where: str) -> list[dict]:
    return warehouse.query_read_only(
        db, f"SELECT * FROM agency_year_panel WHERE {where}").to_dicts()


def test_a_gb2021_report_gives_every_core_figure_and_the_rates(shared_db):
    [row] = panel(shared_db, "agency = '平潭综合实验区' AND report_year = 2023")
    # pingtan-zone-2023: 表三 本年新收 80+1 = 81; 予以公开 22; 部分公开 19+1 = 20; 不予公开
    # rows 4, 6, 7, 8 print 1, 1, 1, 2 (no subtotal row: 5, as its prose says); 无法提供 31;
    # 总计 81; 结转下年度 0. 表四: 复议 总计 2; 未经复议 5 + 复议后 2 lawsuits (prose: 7).
    assert (row["requests_received"], row["granted"], row["partial"]) == (81, 22, 20)
    assert (row["denied"], row["unable"], row["closed"], row["carried_forward"]) == (5, 31, 81, 0)
    assert (row["reconsiderations"], row["lawsuits"]) == (2, 7)
    assert row["proactive_items"] == 13561  # 共主动公开政府信息13561条
    assert row["fees_yuan"] == 0  # 无收取信息处理费情况: a zero stated in words
    assert row["share_granted_of_closed"] == round(42 / 81, 4)
    assert row["reconsiderations_per_100_requests"] == round(200 / 81, 2)
    assert row["lawsuits_per_100_requests"] == round(700 / 81, 2)
    assert row["province"] == "福建省"


def test_unknown_figures_stay_null_and_rates_with_them(shared_db):
    # 湘潭市人民政府 2014 (seed 002) states requests received and closed, not how they were
    # answered: granted and the share granted are unknown, not 0.
    [row] = panel(shared_db, "agency = '湘潭市人民政府' AND report_year = 2014")
    assert row["requests_received"] == 69 and row["closed"] == 69
    assert row["granted"] is None and row["share_granted_of_closed"] is None
    # A total is summed from its parts only where the template prints every part: a prose
    # report's 不予公开 leaves are not all of them.
    prose_denied = warehouse.query_read_only(shared_db, """
        SELECT count(*) FROM agency_year_panel p JOIN dim_document d USING (document_id)
        WHERE d.template_key = 'prose' AND p.denied IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM fact_disclosure f WHERE f.document_id = p.document_id
              AND f.measure_key = 'req.denied' AND f.breakdown_key = '')""").item()
    assert prose_denied == 0


def test_one_row_per_agency_year_and_the_rule_that_picked_it(shared_db):
    rows = panel(shared_db, "TRUE")
    keys = [(r["agency_id"], r["report_year"]) for r in rows]
    assert len(keys) == len(set(keys))
    # Pingtan publishes each report as a page and as text: two documents per agency-year.
    [twice] = panel(shared_db, "agency = '平潭综合实验区' AND report_year = 2023")
    assert twice["documents"] == 2
    # Both state every core figure; the .html copy fails three checks (a prose restatement,
    # 现行有效 against 2022's), the .txt copy none: the .txt one is kept, and the column says why.
    assert twice["file"] == "pingtan-zone-2023.txt"
    assert twice["chosen_by"] == "fewest failing checks"
    [alone] = panel(shared_db, "agency = '湘潭市人民政府'")
    assert (alone["documents"], alone["chosen_by"]) == (1, "only document")
    assert {r["chosen_by"] for r in rows} <= {
        "only document", "states the most core figures", "fewest failing checks",
        "tie: smallest document_id"}
