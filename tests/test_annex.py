"""The pre-2019 statistics annex in its three forms, on invented rows and on real reports.

Every expected number below was read by hand from the text it is asserted on.
"""

import polars as pl
import pytest
from conftest import PINGTAN

from flows.discover import parse_paths
from transforms.annex import extract_annex_facts, split_candidates

PROSE_OPENING = ("某某县人民政府2016年政府信息公开工作年度报告\n"
                 "一、概述\n本报告根据《中华人民共和国政府信息公开条例》编制。\n")


def annex_of(text: str, year: int = 2016, prose: dict | None = None):
    docs = pl.DataFrame({"doc_id": ["d"], "text": [text], "template": ["prose"],
                         "report_year": [year]})
    prose_facts = pl.DataFrame(
        [("d", m, b, v) for (m, b), v in (prose or {}).items()],
        schema={"doc_id": pl.String, "measure": pl.String, "breakdown": pl.String,
                "value": pl.Float64}, orient="row")
    facts, unresolved = extract_annex_facts(docs, prose_facts)
    got = {(f["measure"], f["breakdown"]): f["value"] for f in facts.iter_rows(named=True)}
    return got, unresolved, facts


def test_pipe_rows_with_groups_cumulative_and_blank_cells():
    got, unresolved, facts = annex_of(PROSE_OPENING + "\n".join([
        "| 指标名称 | 计量单位 | 2016年度 | 历年累计 |",
        "| 主动公开信息数 | 条 | 1 204 | 9876 |",
        "| 其中：1.政府网站公开 | 条 | 1100 | 9000 |",
        "| 2.政府公报公开 | 条 | 4 |  |",
        "| 受理依申请公开信息总数 | 条 | 12 | 40 |",
        "| 其中：1.当面申请数 | 条 | 5 | 20 |",
        "| 2.信函、传真申请数 | 条 | 0 | 0 |",
        "| 对申请的答复总数 | 条 | 11 | 39 |",
        "| 其中：1.同意公开答复数 | 条 | 9 | 30 |",
        "| 2.否决公开答复数 | 条 | / | / |",
        "| 行政复议数 | 件 | 1 | 2 |",
        "| 其中：维持具体行政行为数 | 件 | 1 | 1 |",
        "| 行政诉讼数 | 件 | 0 | 0 |",
        "| 其中：维持具体行政行为数 | 件 | 0 | 0 |",
        "| 依申请公开信息收取的费用 | 万元 | 0.15 | 0.15 |",
    ]))
    assert got[("proactive.total", None)] == 1204
    assert got[("proactive.cumulative", None)] == 9876
    assert got[("proactive.total", "channel:website")] == 1100
    assert got[("proactive.total", "channel:gazette")] == 4
    assert got[("req.new_received", None)] == 12
    assert got[("req.new_received", "channel:in_person")] == 5
    # A combined channel cell of 0 says each channel is 0.
    assert got[("req.new_received", "channel:letter")] == 0
    assert got[("req.new_received", "channel:fax")] == 0
    assert got[("req.total_processed", None)] == 11
    assert got[("req.granted", None)] == 9
    assert ("req.denied", None) not in got  # "/" is not a zero
    # 维持 belongs to the group it sits under.
    assert got[("review", "outcome:maintained")] == 1
    assert got[("lit_total", "outcome:maintained")] == 0
    assert got[("fee.collected", None)] == 1500  # 万元 in yuan
    assert facts.filter(pl.col("measure") == "review")["rule"][0] == "annex:review"


def test_spaced_text_rows_keep_enumerators_out_of_the_cells():
    got, _, _ = annex_of(PROSE_OPENING + "政府信息公开情况统计表 指标名称 计量单位 2016年度 历年累计 "
                         "主动公开信息数 条 350 900 其中：1、网站公开 条 350 880 2、政府公报公开 条 0 "
                         "受理依申请公开信息总数 条 3 7 行政复议数 件 0 0")
    assert got[("proactive.total", None)] == 350
    assert got[("proactive.total", "channel:website")] == 350
    assert got[("proactive.cumulative", None)] == 900
    assert got[("proactive.total", "channel:gazette")] == 0
    assert got[("req.new_received", None)] == 3
    assert got[("review", None)] == 0


def test_flattened_runs_are_split_only_when_one_reading_survives():
    text = (PROSE_OPENING + "统计表指标名称计量单位2016年度历年累计主动公开文件数条5128000"
            "其中：1.政府网站公开数条51280002.政府公报公开数条00受理依申请公开信息总数条00")
    # 5128000: 5|128000, 51|28000 and 512|8000 all keep 历年累计 ≥ this year: no guess.
    got, unresolved, _ = annex_of(text)
    assert ("proactive.total", None) not in got
    row = unresolved.filter(pl.col("measure") == "proactive.total").row(0, named=True)
    assert sorted(c[0] for c in row["candidates"]) == [5, 51, 512]
    # The cells of 00 are 0 and 0; the trailing "2" of "51280002." is the next row's number.
    assert got[("proactive.total", "channel:gazette")] == 0
    assert got[("req.new_received", None)] == 0
    # When the prose states this year's figure, one reading agrees with it; the part row
    # under it then has one split within its total.
    got, unresolved, _ = annex_of(text, prose={("proactive.total", None): 512})
    assert got[("proactive.total", None)] == 512
    assert got[("proactive.cumulative", None)] == 8000
    assert got[("proactive.total", "channel:website")] == 512
    assert unresolved.height == 0


def test_split_candidates_forbid_leading_zeros():
    assert split_candidates("1005", ["this_year", "cumulative"]) == [(100.0, 5.0)]
    assert sorted(split_candidates("1203", ["a", "b", "c"])) == [(1.0, 20.0, 3.0), (12.0, 0.0, 3.0)]


@pytest.mark.parametrize("name", ["pingtan-zone-2016.txt", "pingtan-zone-2016.html"])
def test_real_annex_flattened_and_html(name):
    parsed = parse_paths([PINGTAN / name])
    facts = {(f["measure"], f["breakdown"]): f["value"]
             for f in parsed["facts"].iter_rows(named=True)}
    # Read by hand: the annex row 主动公开文件数 条 3460 | 85376 (flattened in the text copy as
    # 346085376), split by the prose's "2016年全区主动公开政府信息3460条".
    assert facts[("proactive.total", None)] == 3460
    assert facts[("proactive.cumulative", None)] == 85376
    assert facts[("proactive.total", "channel:website")] == 3460
    assert facts[("proactive.total", "channel:gazette")] == 0
    assert facts[("req.new_received", "channel:online")] == 0
    assert facts[("complaint.total", None)] == 0


def test_annex_evidence_is_an_exact_slice_of_the_text():
    text = (PROSE_OPENING + "统计表 指标名称 计量单位 2016年度 历年累计 主动公开信息数 条 350 900 "
            "行政复议数 件 0 0\n| 指标名称 | 计量单位 | 2016年度 |\n| 行政诉讼数 | 件 | 2 |\n")
    _, _, facts = annex_of(text)
    assert facts.height >= 3
    for f in facts.iter_rows(named=True):
        assert text[f["sentence_start"]:f["sentence_end"]] == f["evidence"]
        assert f["sentence_start"] <= f["span_start"] < f["span_end"] <= f["sentence_end"]


def test_heading_rows_open_category_channel_and_consultation_groups():
    # Written after the 说明和指标统计表 layout: one row per line, full-width padding.
    got, _, _ = annex_of(PROSE_OPENING + "\n".join([
        "指　标　名　称　　　　单位　　数量",
        "一、主动公开情况",
        "（一）主动公开政府信息数　　条　　1,862",
        "（二）主动公开政府信息的类别",
        "1.机构职能　　条　　64",
        "2.政策法规及规范性文件　　条　　318",
        "（三）主动公开政府信息的形式",
        "1.政府网站　　条　　1,862",
        "2.政府公报　　条　　412",
        "二、依申请公开情况",
        "（一）申请总数　　件　　73",
        "其中：公民申请数　　件　　66",
        "法人或其他组织申请数　　件　　7",
        "（二）申请处理情况",
        "已答复数　　件　　70",
        "1.申请内容不明确　　件　　3",
        "正在处理中　　件　　3",
        "三、咨询情况",
        "（一）咨询总数　　人次　　1,348",
        "1.现场咨询　　人次　　216",
    ]), year=2011)
    assert got[("proactive.total", None)] == 1862
    assert got[("proactive.total", "category:机构职能")] == 64
    assert got[("proactive.total", "category:政策法规及规范性文件")] == 318
    assert got[("proactive.total", "channel:website")] == 1862
    assert got[("proactive.total", "channel:gazette")] == 412
    assert got[("req.new_received", None)] == 73
    assert got[("req.new_received", "applicant:natural_person")] == 66
    assert got[("req.new_received", "applicant:legal_person")] == 7
    assert ("req.new_received", "channel:other") not in got
    assert got[("req.total_processed", None)] == 70
    assert got[("req.unable.unclear", None)] == 3
    assert got[("req.carried_forward", None)] == 3
    assert got[("consultation.total", None)] == 1348
    assert got[("consultation.total", "channel:in_person")] == 216


def test_rows_of_one_code_add_up():
    got, _, _ = annex_of(PROSE_OPENING + "\n".join([
        "| 统计指标 | 单位 | 统计数 |",
        "| （三）申请答复数 | 件 | 20 |",
        "| 4.不同意公开答复数 | 件 | 3 |",
        "| 其中：涉及国家秘密 | 件 | 0 |",
        "| 涉及商业秘密 | 件 | 1 |",
        "| 涉及个人隐私 | 件 | 2 |",
        "| 5.不属于本行政机关公开数 | 件 | 4 |",
    ]))
    assert got[("req.denied", None)] == 3
    assert got[("req.denied.state_secret", None)] == 0
    assert got[("req.denied.third_party", None)] == 3  # 商业秘密 1 + 个人隐私 2
    assert got[("req.not_this_agency", None)] == 4
