"""表二/表三/表四 printed as text: glued digit runs, spaced cells, cells on lines, page
furniture. Every expected number is read from the printed text by hand; where digits are
glued, the comment gives the split and why it is the only one."""

import polars as pl
from conftest import PINGTAN

from flows.discover import parse_paths
from transforms.digit_runs import COUNT, Column, classify_cell, payload_pieces, readings
from transforms.gb_tables import read_tables
from transforms.quality import quality_checks

HEADER = "申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他"
GB2021_ROWS = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
    "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
    "8.属于行政查询事项", "（四）无法提供1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确", "（五）不予处理1.信访举报投诉类申请", "2.重复申请",
    "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计", "四、结转下年度继续办理",
]


def flattened_table3(runs: dict[str, str]) -> str:
    """A 表三 as a page read as text renders it: every label glued to its digits."""
    body = "".join(label + runs.get(label, "0000000") for label in GB2021_ROWS)
    return "三、收到和处理政府信息公开申请情况" + HEADER + body + "四、政府信息公开行政复议、行政诉讼情况"


def cells_of(text):
    records, unresolved = read_tables("d", text)
    numbers = {(r["measure"], r["breakdown"]): r["value"] for r in records
               if r["cell_state"] == "number"}
    return numbers, records, unresolved


def facts_of(path):
    parsed = parse_paths([path])
    facts = {(f["measure"], f["breakdown"]): f["value"] for f in parsed["facts"].iter_rows(named=True)}
    return facts, parsed


def test_cells_are_numbers_blanks_or_marks():
    assert classify_cell(" 12 ") == ("number", 12)
    assert classify_cell("0") == ("number", 0)
    assert classify_cell("") == ("blank", None)
    assert classify_cell("\u00a0") == ("blank", None)
    for mark in ("/", "-", "—", "无"):
        assert classify_cell(mark) == ("not_applicable", None)
    assert classify_cell("-18") == ("number", -18)
    assert classify_cell("5394432.52元") == ("number", 5394432.52)


def test_glued_runs_have_no_leading_zeros_and_signs_start_signed_cells():
    def values(payload, columns):
        return sorted(tuple(c.value for c in r) for r in readings(payload_pieces(payload), columns))

    assert values("007", [COUNT] * 3) == [(0, 0, 7)]
    # 行政处罚2648-18538: the minus starts the signed 本年增/减 cell, so 2648 is whole.
    assert values("2648-18538", [COUNT, Column(signed=True), COUNT]) == [
        (2648, -1853, 8), (2648, -185, 38), (2648, -18, 538), (2648, -1, 8538)]
    # 行政事业性收费35-15: two cells, the second signed.
    assert values("35-15", [COUNT, Column(signed=True)]) == [(35, -15)]
    # A decimal part ends its piece and only money has one.
    assert values("5949.088667", [Column(decimal=True)]) == [(5949.088667,)]
    assert values("5949.08", [COUNT]) == []


def test_real_flattened_2021_template_report():
    facts, parsed = facts_of(PINGTAN / "pingtan-zone-2025.txt")
    # 一、本年新收…数量15130000154: 151|3|0|0|0|0|154 is the one split whose six applicant
    # cells sum to the seventh.
    assert facts[("req.new_received", "applicant:natural_person")] == 151
    assert facts[("req.new_received", "applicant:commercial")] == 3
    assert facts[("req.new_received", None)] == 154
    # （一）予以公开330000033 reads 33|0…|33 or 3|30|…|33 by its row sum; only 33 from
    # 自然人 satisfies the column identities (一+二 = 七+四, 七 = sum of results).
    assert facts[("req.granted", "applicant:natural_person")] == 33
    assert facts[("req.granted", "applicant:commercial")] == 0
    # （四）1.本机关不掌握相关政府信息4910000502.: the trailing 2 numbers the next row.
    assert facts[("req.unable.not_held", "applicant:natural_person")] == 49
    assert facts[("req.unable.not_held", None)] == 50
    assert facts[("req.unable.needs_creation", None)] == 3
    assert facts[("req.total_processed", None)] == 148
    assert facts[("req.carried_forward", "applicant:natural_person")] == 4
    assert facts[("req.carried_forward", None)] == 6
    # 表四 25380363300630003: 25 3 8 0 36 | 3 3 0 0 6 | 3 0 0 0 3, unique under the group sums.
    assert facts[("review", "outcome:maintained")] == 25
    assert facts[("review", "outcome:other")] == 8
    assert facts[("review", None)] == 36
    assert facts[("lit_direct", None)] == 6
    assert facts[("lit_after_review", "outcome:maintained")] == 3
    # 表二: 行政许可2418 and 行政处罚644 are single cells; 4166.241619 万元 in yuan.
    assert facts[("licensing.decisions", None)] == 2418
    assert facts[("punishment.decisions", None)] == 644
    assert facts[("admin_fee.amount", None)] == 41_662_416.19
    # 行政规范性文件5845546 has no identity: 58|45|546 and 58|4|5546 both read. Nothing is
    # stored for the cells the readings disagree on; the candidates are recorded jointly.
    assert ("normdoc.in_force", None) not in facts
    open_cells = parsed["unresolved_cells"].filter(pl.col("measure") == "normdoc.in_force")
    cell = open_cells.row(0, named=True)
    readings_ = {tuple(c) for c in cell["candidates"]}
    assert (58.0, 45.0, 546.0) in readings_ and (58.0, 4.0, 5546.0) in readings_
    assert cell["columns"] == ["normdoc.issued", "normdoc.repealed", "normdoc.in_force"]
    assert "5845546" in cell["printed"]


def test_prose_figure_picks_the_reading_of_a_glued_row():
    facts, _ = facts_of(PINGTAN / "pingtan-zone-2022.txt")
    # 行政规范性文件8855698 splits 15 ways; the prose says 现行有效行政规范性文件698件 and
    # 本年度制发的规范性文件88件, which leaves 88|55|698.
    assert facts[("normdoc.issued", None)] == 88
    assert facts[("normdoc.repealed", None)] == 55
    assert facts[("normdoc.in_force", None)] == 698


def test_a_prose_figure_no_reading_prints_does_not_fill_the_cell():
    facts, parsed = facts_of(PINGTAN / "pingtan-zone-2023.txt")
    # 行政规范性文件77132470: the prose says 77 issued (kept) and 393 in force, which no
    # reading prints; the cell stays open and the prose's 393 does not stand in for it.
    assert facts[("normdoc.issued", None)] == 77
    assert ("normdoc.in_force", None) not in facts
    assert parsed["unresolved_cells"].filter(pl.col("measure") == "normdoc.in_force").height == 1


def test_real_2019_template_report_with_a_broken_identity_is_stored_as_printed():
    facts, parsed = facts_of(PINGTAN / "pingtan-zone-2020.txt")
    # 表二 gb2019: 规章007 → 0|0|7; 行政处罚2648-18538 → 2648 and four readings of the rest;
    # 行政事业性收费35-15 → 35 and -15.
    assert facts[("rule.made", None)] == 0 and facts[("rule.public_total", None)] == 7
    assert facts[("punishment.items_prev", None)] == 2648
    assert ("punishment.items_change", None) not in facts
    assert facts[("admin_fee.items_prev", None)] == 35
    assert facts[("admin_fee.items_change", None)] == -15
    # 表三 gb2019: （六）其他处理 is one row, "4 0 0 0 0 0 4".
    assert facts[("req.other", "applicant:natural_person")] == 4
    assert ("req.other.other", None) not in facts
    # （七）总计20 0 00 0 121 is printed as 20 … 21 although the result rows sum to 26 and 27:
    # stored as printed, and the results-sum check fails for those two columns.
    assert facts[("req.total_processed", "applicant:natural_person")] == 20
    assert facts[("req.total_processed", None)] == 21
    checks = parsed["checks"].filter(pl.col("rule") == "t3_results_sum")
    failed = {r["scope"]: (r["expected"], r["found"]) for r in checks.iter_rows(named=True)
              if r["status"] == "fail"}
    assert failed == {"applicant:natural_person": (20, 26), "total": (21, 27)}


def test_a_row_with_two_readings_under_every_identity_stores_nothing_for_its_open_cells():
    # 112000013 reads 1|12|0|0|0|0|13 and 11|2|0|0|0|0|13 (both rows sum to 13). The table
    # repeats it in 一, （一） and （七） with zeros elsewhere, so both readings satisfy every
    # column identity too: 自然人 and 商业企业 stay open, the other cells are stored.
    text = flattened_table3({GB2021_ROWS[0]: "112000013", GB2021_ROWS[2]: "112000013",
                             GB2021_ROWS[23]: "112000013"})
    numbers, _, unresolved = cells_of(text)
    assert ("req.new_received", "applicant:natural_person") not in numbers
    assert ("req.new_received", "applicant:commercial") not in numbers
    assert numbers[("req.new_received", None)] == 13
    assert numbers[("req.new_received", "applicant:research")] == 0
    assert numbers[("req.carried_over", None)] == 0
    open_rows = {u["measure"]: u for u in unresolved}
    assert set(open_rows) == {"req.new_received", "req.granted", "req.total_processed"}
    row = open_rows["req.new_received"]
    assert sorted(map(tuple, row["candidates"])) == [(1, 12), (11, 2)]
    assert row["columns"] == ["req.new_received|applicant:natural_person",
                              "req.new_received|applicant:commercial"]


def test_column_identities_pick_the_reading_of_an_ambiguous_row():
    # Same 一 row, but （七）总计 is printed with spaces (1 12 … 13): 一+二 = 七+四 per column
    # leaves 1|12 for 一 as well.
    text = flattened_table3({GB2021_ROWS[0]: "112000013", GB2021_ROWS[2]: "1 12 0 0 0 0 13",
                             GB2021_ROWS[23]: "1 12 0 0 0 0 13"})
    numbers, _, unresolved = cells_of(text)
    assert numbers[("req.new_received", "applicant:natural_person")] == 1
    assert numbers[("req.new_received", "applicant:commercial")] == 12
    assert unresolved == []


def test_a_run_no_reading_fits_is_a_parse_failure_not_a_guess():
    # 一 prints 5 digits for 7 columns: no reading, nothing stored, the failure recorded.
    text = flattened_table3({GB2021_ROWS[0]: "51006"})
    numbers, _, unresolved = cells_of(text)
    assert not any(m == "req.new_received" for m, _ in numbers)
    assert [u["reason"] for u in unresolved if u["measure"] == "req.new_received"][0].startswith(
        "parse failure")


def test_cells_on_lines_with_page_markers_and_repeated_headers():
    lines = ["三、收到和处理政府信息公开申请情况", *HEADER.split(),
             "一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "0", "6",
             "二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0",
             "— 3 —", *HEADER.split(),
             "三、本年度办", "理结果", "（一）予以公开", "4", "1", "0", "0", "0", "0", "5",
             "第 4 页 共 9 页",
             "（七）总计", "4", "1", "0", "0", "0", "0", "5",
             "四、结转下年度继续办理", "1", "0", "0", "0", "0", "0", "1",
             "四、政府信息公开行政复议、行政诉讼情况"]
    numbers, records, _ = cells_of("\n".join(lines))
    assert numbers[("req.new_received", "applicant:natural_person")] == 5
    assert numbers[("req.new_received", None)] == 6
    assert numbers[("req.carried_over", None)] == 0
    # The page marker's 3 and the 第 4 页 are not cells.
    assert numbers[("req.granted", "applicant:natural_person")] == 4
    assert numbers[("req.granted", None)] == 5
    assert numbers[("req.total_processed", "applicant:commercial")] == 1
    assert numbers[("req.carried_forward", None)] == 1
    assert len(numbers) == 5 * 7


def test_blank_cells_are_recorded_and_make_checks_not_assessable():
    text = "\n".join([
        "| 申请人情况 | 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "| 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | 5 | / |  | - | 0 | 0 | 5 |",
        "| 二、上年结转政府信息公开申请数量 | 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 三、本年度办理结果 | （七）总计 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |",
        "| 四、结转下年度继续办理 | 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    ])
    records, _ = read_tables("d", text)
    states = {(r["measure"], r["breakdown"]): r["cell_state"] for r in records}
    assert states[("req.new_received", "applicant:commercial")] == "not_applicable"
    assert states[("req.new_received", "applicant:research")] == "blank"
    assert states[("req.new_received", "applicant:nonprofit")] == "not_applicable"
    cells = pl.DataFrame(records)
    checks = quality_checks(cells, pl.DataFrame(schema={"doc_id": pl.String, "measure": pl.String,
                                                        "breakdown": pl.String, "value": pl.Float64,
                                                        "evidence": pl.String}))
    status = {(r["rule"], r["scope"]): r["status"] for r in checks.iter_rows(named=True)}
    # 5 + 0 = 4 + 1 holds for 自然人; the blank 科研机构 cell makes its column unassessable.
    assert status[("t3_identity", "applicant:natural_person")] == "pass"
    assert status[("t3_identity", "applicant:research")] == "not_assessable"
    assert status[("t3_row_sum", "req.new_received")] == "not_assessable"
    assert status[("t3_row_sum", "req.carried_forward")] == "pass"


def test_a_pipe_table_split_by_ocr_into_a_piece_with_generic_headers():
    text = "\n".join([
        "| 本列数据的勾稽关系 | 本列数据的勾稽关系 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "|---|---|---|---|---|---|---|---|---|",
        "| 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |",
        "（续表）",
        "| 列1 | 列2 | 列3 | 列4 | 列5 | 列6 | 列7 | 列8 |",
        "|---|---|---|---|---|---|---|---|",
        "| （七）总计 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |",
        "| 四、结转下年度继续办理 | 0 | 0 | / | 0 | 0 | 0 | 0 |",
    ])
    numbers, records, _ = cells_of(text)
    assert numbers[("req.new_received", "applicant:commercial")] == 1
    # The second piece has other widths and no column names: the template's order applies.
    assert numbers[("req.total_processed", "applicant:natural_person")] == 5
    assert numbers[("req.total_processed", None)] == 6
    assert numbers[("req.carried_forward", None)] == 0
    states = {(r["measure"], r["breakdown"]): r["cell_state"] for r in records}
    assert states[("req.carried_forward", "applicant:research")] == "not_applicable"


def test_a_prose_sentence_with_a_row_label_does_not_start_the_table():
    # The 总体情况 prose names row 一 with its figure before the table does.
    prose = "一、总体情况本年新收政府信息公开申请数量13件，均已办结。"
    text = prose + flattened_table3({GB2021_ROWS[0]: "112000013", GB2021_ROWS[2]: "1 12 0 0 0 0 13",
                                     GB2021_ROWS[23]: "1 12 0 0 0 0 13"})
    numbers, _, unresolved = cells_of(text)
    assert numbers[("req.new_received", "applicant:commercial")] == 12
    assert unresolved == []
