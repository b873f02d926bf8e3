"""表三 and 表四 from table rows (HTML tables as `| … |` lines); numbers read by hand."""

import polars as pl
from conftest import PINGTAN

from flows.discover import parse_paths
from transforms.gb_tables import read_tables


def facts_of(path):
    parsed = parse_paths([path])
    return {(f["measure"], f["breakdown"]): f["value"] for f in parsed["facts"].iter_rows(named=True)
            if f["rule"].startswith("table")}


def test_table3_and_table4_of_a_real_2021_template_page():
    got = facts_of(PINGTAN / "pingtan-zone-2022.html")
    # 表三, read from the page: 一、本年新收 71 | 3 | 0 | 0 | 0 | 0 | 74
    assert got[("req.new_received", "applicant:natural_person")] == 71
    assert got[("req.new_received", "applicant:commercial")] == 3
    assert got[("req.new_received", None)] == 74
    assert got[("req.carried_over", None)] == 1
    assert got[("req.granted", None)] == 21
    assert got[("req.partial", "applicant:commercial")] == 1
    assert got[("req.partial", None)] == 9
    assert got[("req.denied.internal_affairs", None)] == 1
    assert got[("req.denied.process_info", None)] == 2
    assert got[("req.denied.enforcement_file", None)] == 1
    assert got[("req.unable.not_held", None)] == 37
    assert got[("req.other.no_correction", None)] == 2
    assert got[("req.other.other", "applicant:commercial")] == 2
    assert got[("req.total_processed", "applicant:natural_person")] == 72
    assert got[("req.total_processed", None)] == 75
    assert got[("req.carried_forward", None)] == 0
    # 表四: 0 1 1 0 2 | 1 0 0 0 1 | 0 0 0 0 0
    assert got[("review", "outcome:corrected")] == 1
    assert got[("review", "outcome:other")] == 1
    assert got[("review", None)] == 2
    assert got[("lit_direct", "outcome:maintained")] == 1
    assert got[("lit_direct", None)] == 1
    assert got[("lit_after_review", None)] == 0
    # 表二: 规章 0 0 0; 行政规范性文件 88 55 698; 行政许可 10690; 行政处罚 2113; 行政强制 0;
    # 行政事业性收费 9116.36 (万元) is stored in yuan.
    assert got[("rule.in_force", None)] == 0
    assert got[("normdoc.issued", None)] == 88
    assert got[("normdoc.repealed", None)] == 55
    assert got[("normdoc.in_force", None)] == 698
    assert got[("licensing.decisions", None)] == 10690
    assert got[("punishment.decisions", None)] == 2113
    assert got[("coercion.decisions", None)] == 0
    assert got[("admin_fee.amount", None)] == 91_163_600
    # 10 cells of 表二, 7 columns x 25 rows of 表三 and 15 cells of 表四, every one printed.
    assert len(got) == 10 + 7 * 25 + 15


def test_blank_and_not_applicable_cells_give_no_fact():
    text = "\n".join([
        "| 申请人情况 | 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "| 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | 5 | / |  | - | 0 | 0 | 5 |",
    ])
    records, _ = read_tables("d", text)
    facts = pl.DataFrame([r for r in records if r["cell_state"] == "number"])
    got = {(m, b): v for m, b, v in facts.select("measure", "breakdown", "value").iter_rows()}
    assert got == {("req.new_received", "applicant:natural_person"): 5,
                   ("req.new_received", "applicant:legal_service"): 0,
                   ("req.new_received", "applicant:other_org"): 0,
                   ("req.new_received", None): 5}
    row = facts.row(0, named=True)
    assert text[row["span_start"]:row["span_end"]] == "5"
