"""Prose extraction: each rule with a sentence of the kind that motivated it."""

import polars as pl

from transforms.normalize import normalize_reports
from transforms.prose import extract_prose_facts
from transforms.segment import split_sentences


def facts_of(text: str) -> dict:
    docs = normalize_reports(pl.DataFrame({"doc_id": ["d"], "text_raw": [text]}))
    facts = extract_prose_facts(split_sentences(docs))
    return {(f["measure"], f["breakdown"]): (f["value"], f["value_kind"])
            for f in facts.iter_rows(named=True)}


def test_requests_with_applicant_and_channel():
    # Seed 001 (渑池县 2018).
    got = facts_of("2018年,全县共办理依申请公开191件,单位申请188 件,个人申请3件;"
                   "当面申请190件,信函申请1件,全部办结。")
    assert got[("req.new_received", None)] == (191, "number")
    assert got[("req.new_received", "applicant:legal_person")][0] == 188
    assert got[("req.new_received", "applicant:natural_person")][0] == 3
    assert got[("req.new_received", "channel:in_person")][0] == 190
    assert got[("req.new_received", "channel:letter")][0] == 1
    # 全部办结 prints no number: every one of the 191 was closed.
    assert got[("req.total_processed", None)][0] == 191


def test_outcomes_and_year_on_year_change_not_taken():
    got = facts_of("三、依申请公开情况\n全年共收到政府信息公开申请二十一件，比上年增加12件，"
                   "同比增长15%。其中同意公开17件，同意部分公开2件，不予公开2件，"
                   "信息不存在3件，不属于本机关公开1件。")
    assert got[("req.new_received", None)] == (21, "number")  # Chinese numerals
    assert got[("req.granted", None)][0] == 17
    assert got[("req.partial", None)][0] == 2
    assert got[("req.denied", None)][0] == 2
    assert got[("req.unable.not_held", None)][0] == 3
    assert got[("req.not_this_agency", None)][0] == 1
    assert 12 not in {v for v, _ in got.values()}


def test_combined_outcomes_and_percentages_are_not_a_measure():
    # Pingtan 2023: 予以公开及部分公开42件 is a sum of two outcomes.
    got = facts_of("办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%；不予公开5件，占6.17%。")
    assert got[("req.total_processed", None)][0] == 81
    assert ("req.granted", None) not in got and ("req.partial", None) not in got
    assert got[("req.denied", None)][0] == 5


def test_approximate_figures_keep_value_and_flag():
    got = facts_of("截至目前市政府门户网站共发布政务信息近10000余条。")
    assert got[("proactive.total", "channel:website")] == (10000, "approximate")


def test_topic_counts_and_hotline_calls_are_not_disclosure_totals():
    # Seed 002: topic subsets ("…等信息500多条") and 12345 hotline calls.
    got = facts_of("及时公开促进就业方面的政策法规、人才招聘、技能培训等信息500多条。"
                   "2014年以来，12345市长热线共接听市民来电17248件次，办结率99.8%。")
    assert got == {}


def test_categories_and_annual_total_with_cumulative_wording():
    # Seed 003: "2011年，累计主动公开…" is the year's total, and its categories.
    got = facts_of("二、主动公开政府信息情况\n2011年,累计主动公开政府各类信息8392条,其中,"
                   "机构职能类信息1060条,规划计划类信息89条,其他信息累计526条。")
    assert got[("proactive.total", None)][0] == 8392
    assert got[("proactive.total", "category:机构职能类信息")][0] == 1060
    assert got[("proactive.total", "category:规划计划类信息")][0] == 89
    assert got[("proactive.total", "category:其他信息")][0] == 526


def test_running_total_is_cumulative_not_annual():
    got = facts_of("二、主动公开情况\n2016年主动公开政府信息3460条，历年累计主动公开信息85376条。")
    assert got[("proactive.total", None)][0] == 3460
    assert got[("proactive.cumulative", None)][0] == 85376


def test_channels_of_proactive_disclosure():
    got = facts_of("政务微博发布信息231条,微信公众号发布信息 4720条,其中微观渑池发布信息762条。")
    assert got[("proactive.total", "channel:weibo")][0] == 231
    assert got[("proactive.total", "channel:wechat")][0] == 4720


def test_zeros_stated_in_words():
    got = facts_of("2011年，未收到依申请公开信息要求。2011年，我市无政府信息公开收费，不存在减免情况。"
                   "2011年，未出现复议、诉讼和申诉情况。")
    for measure in ("req.new_received", "fee.collected", "fee.waived", "review", "lit_total",
                    "complaint.total"):
        assert got[(measure, None)] == (0, "zero_in_words"), measure


def test_review_zero_is_not_a_request_zero():
    got = facts_of("2016年我区未收到有关政府信息公开行政复议、提起行政诉讼的申请。")
    assert got[("review", None)] == (0, "zero_in_words")
    assert got[("lit_total", None)] == (0, "zero_in_words")
    assert ("req.new_received", None) not in got


def test_money_in_wan_yuan_is_stored_in_yuan():
    got = facts_of("四、收费情况\n全年依申请公开收取检索费、复制费共计0.35万元，减免费用120元。")
    assert got[("fee.collected", None)][0] == 3500
    assert got[("fee.waived", None)][0] == 120


def test_visits_press_conferences_interpretation_and_litigation():
    got = facts_of("2016年政府信息公开专栏访问量达162103人次。全市共召开新闻发布会两次。"
                   "全年发布政策解读117篇。因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。")
    assert got[("website.visits", None)][0] == 162103
    assert got[("press_conference.total", None)][0] == 2
    assert got[("interpretation.total", None)][0] == 117
    assert got[("review", None)][0] == 2
    assert got[("lit_total", None)][0] == 7


def test_evidence_span_points_into_normalized_text():
    docs = normalize_reports(pl.DataFrame({"doc_id": ["d"], "text_raw": [
        "一、概述\n2016年全區主動公開政府信息3460條。"]}))
    facts = extract_prose_facts(split_sentences(docs))
    text = docs["text"][0]
    fact = facts.row(0, named=True)
    assert text[fact["span_start"]:fact["span_end"]] == "3460条"
    assert text[fact["sentence_start"]:fact["sentence_end"]] == fact["evidence"]


def test_reconsideration_outcome_is_not_closed_requests():
    # "维持原答复1件" names an answer upheld on reconsideration.
    got = facts_of("全年因政府信息公开申请提起行政复议1件，经复议，维持原答复1件。")
    assert got[("review", None)][0] == 1
    assert ("req.total_processed", None) not in got


def test_deadlines_outline_parts_and_counts_of_bodies_are_not_figures():
    # "五个部分" once became 5 requests received because 依申请公开 sat in the clause.
    got = facts_of("本报告由概述、政府信息依申请公开工作情况、统计表共五个部分组成。"
                   "三、依申请公开情况\n对收到的申请，均在15个工作日内答复，全年收到申请7件。")
    assert got[("req.new_received", None)] == (7, "number")
    assert 5 not in {v for v, _ in got.values()} and 15 not in {v for v, _ in got.values()}


def test_general_information_is_no_category_and_a_share_is_no_total():
    got = facts_of("二、主动公开政府信息情况\n制作、获取政府信息总数1873条，其中主动公开政府信息425条，"
                   "不予公开信息数1402条。区直各单位主动公开政府信息303条，占71.3%。")
    assert got[("proactive.total", None)] == (425, "number")
    assert not any(b and b.startswith("category:") for _, b in got)
    # Items withheld from proactive disclosure are not requests denied.
    assert ("req.denied", None) not in got


def test_quoted_outcomes_refusal_reasons_and_case_outcomes():
    # Written after the 2010 ministry report's outline (sample_corpus/gtzyb_2010nb.txt).
    got = facts_of("三、依申请公开情况\n全年已答复申请98件。在已答复的申请中，“同意公开”的42件；"
                   "“同意部分公开”的9件；“不同意公开”的7件，其中涉及国家秘密的1件，"
                   "涉及商业秘密、个人隐私的2件，公开后可能危及社会稳定的4件；"
                   "申请内容不明确、经告知后仍未补正的3件。\n"
                   "五、行政复议和行政诉讼情况\n申请行政复议6件，其中维持原答复的4件，依法纠错的1件，"
                   "尚在审理中的1件。提起行政诉讼2件，其中法院判决维持的1件，尚未审结的1件。")
    assert got[("req.granted", None)][0] == 42
    assert got[("req.partial", None)][0] == 9
    assert got[("req.denied", None)][0] == 7
    assert got[("req.denied.state_secret", None)][0] == 1
    assert got[("req.denied.third_party", None)][0] == 2
    assert got[("req.denied.security_stability", None)][0] == 4
    assert got[("req.unable.unclear", None)][0] == 3
    assert got[("review", None)][0] == 6
    assert got[("review", "outcome:maintained")][0] == 4
    assert got[("review", "outcome:corrected")][0] == 1
    assert got[("review", "outcome:pending")][0] == 1
    assert got[("lit_total", None)][0] == 2
    assert got[("lit_total", "outcome:maintained")][0] == 1
    assert got[("lit_total", "outcome:pending")][0] == 1


def test_figure_before_its_noun():
    # Pingtan 2013: 收到1份有关政府信息公开行政复议申请已及时处理.
    got = facts_of("三、依申请公开情况\n2013年全区共收到12件政府信息公开申请，"
                   "收到1份有关政府信息公开行政复议申请已及时处理。")
    assert got[("req.new_received", None)] == (12, "number")
    assert got[("review", None)] == (1, "number")
    assert ("lit_total", None) not in got


def test_all_of_them_statements_imply_breakdowns_and_closures():
    got = facts_of("三、依申请公开情况\n2017年，我镇共收到政府信息公开申请2件，均为公民通过信函方式提出。"
                   "上述申请已全部办结。")
    assert got[("req.new_received", None)] == (2, "number")
    assert got[("req.new_received", "applicant:natural_person")][0] == 2
    assert got[("req.new_received", "channel:letter")][0] == 2
    assert got[("req.total_processed", None)][0] == 2
    # Not when some are still open, and a stated figure beats an implied one.
    got = facts_of("三、依申请公开情况\n全年共收到申请9件，已办结7件，其余2件尚在办理中，均在法定期限内。")
    assert got[("req.total_processed", None)][0] == 7


def test_long_category_labels_and_numbered_enumerations():
    got = facts_of("二、主动公开政府信息情况\n（二）主动公开政府信息的类别\n1.工作动态类信息27条,主要公开街道重点工作。\n"
                   "2.环保、公共卫生、安全生产、食品药品、产品质量类信息276条。")
    assert got[("proactive.total", "category:工作动态类信息")][0] == 27
    assert got[("proactive.total", "category:环保、公共卫生、安全生产、食品药品、产品质量类信息")][0] == 276


def test_case_outcomes_said_in_words_and_requests_carried_forward():
    got = facts_of("五、行政复议和行政诉讼情况\n2009年，因政府信息公开申请引起行政复议3件，其中作出维持决定2件，"
                   "1件尚在审理中；引起行政诉讼1件，人民法院尚未作出判决。\n"
                   "三、依申请公开情况\n全年收到申请137件，办结131件。截至12月31日，尚有6件申请在法定答复期限内，"
                   "结转至下一年度办理。")
    assert got[("review", "outcome:maintained")][0] == 2
    assert got[("review", "outcome:pending")][0] == 1
    assert got[("lit_total", None)][0] == 1
    assert got[("lit_total", "outcome:pending")][0] == 1
    assert ("review", "outcome:corrected") not in got
    assert got[("req.carried_forward", None)][0] == 6


def test_several_channels_in_one_clause_are_no_single_channel():
    got = facts_of("二、主动公开政府信息情况\n通过新闻媒体、厅机关公开栏等方式公开政府信息86条。"
                   "通过《湖北日报》、湖北电视台等其他方式公开政府信息105条。")
    assert ("proactive.total", "channel:bulletin") not in got
    assert ("proactive.total", "channel:press") not in got
    assert got[("proactive.total", "channel:other")][0] == 105


def test_a_heading_run_into_its_paragraph_is_not_the_clause_of_a_figure():
    # A crawled page flattens "三、依申请公开政府信息情况" and its first paragraph onto one
    # line; the indentation between them ends the heading's clause, so 会议2次 is not a
    # request count.
    got = facts_of("三、依申请公开政府信息情况 　　全年召开政务公开工作专题会议2次，组织业务培训15期。"
                   "全年共受理政府信息公开申请147件。")
    assert got[("req.new_received", None)] == (147, "number")
    # And a heading glued to a fee sentence still gives the fee.
    got = facts_of("四、政府信息公开的收费及减免情况 　　全年共收取检索费、复制费等费用109元。")
    assert got[("fee.collected", None)] == (109, "number")


def test_zero_fee_needs_a_fee_word():
    # 未发生…行政复议 under a heading that names 申请 once read as a zero fee.
    got = facts_of("五、因政府信息公开申请提起行政复议、行政诉讼的情况\n"
                   "2018年，我局未发生因政府信息公开申请引起的行政复议、行政诉讼。")
    assert ("fee.collected", None) not in got
    assert got[("review", None)] == (0, "zero_in_words")
    got = facts_of("四、收费及减免情况\n本年度未产生信息处理费用。")
    assert got[("fee.collected", None)] == (0, "zero_in_words")


def test_zero_requests_with_the_applicants_named():
    got = facts_of("三、依申请公开情况\n本年度没有收到公民、法人或其他组织提出的政府信息公开申请。")
    assert got[("req.new_received", None)] == (0, "zero_in_words")


def test_figures_cut_by_a_pdf_line_break():
    # A PDF's text layer breaks every full line at the page width (here 36 characters),
    # wherever that falls: here inside the figure 171 (…政府信息17⏎1条).
    paragraph = ("　　按照“以公开为常态、不公开为例外”的原则，我局进一步健全完善了政府信息公开发布、审查、"
                 "保密等工作制度。严格落实信息发布保密审查机制，坚持“先审查、后公开”和“一事一审”的原则。"
                 "全年召开政务公开工作专题会议3次，组织业务培训19期，培训人员74人次。将政府信息公开工作"
                 "纳入年度目标责任制考核，考核分值占比83%。积极推进基层政务公开标准化规范化建设，编制完善"
                 "了12个领域的公开事项标准目录。（一）主动公开。全年主动公开政府信息171条。（二）依申请公开"
                 "。本年度依申请公开政府信息未收取费用，也未收到有关政府信息公开工作的举报投诉。")
    lines = [paragraph[i:i + 36] for i in range(0, len(paragraph), 36)]
    assert any(line.endswith("政府信息17") for line in lines)  # the cut this test is about
    got = facts_of("\n".join(["一、总体情况", *lines, "二、主动公开政府信息情况", "第二十条第（一）项"]))
    assert got[("proactive.total", None)] == (171, "number")
    assert got[("complaint.total", None)] == (0, "zero_in_words")


def test_every_sentence_with_a_figure_passes_the_prefilter():
    # find_mentions only scans sentences polars' _MAY_MENTION finds: it must hold wherever
    # MENTION matches, whatever spaces (Python's \s and Unicode's differ), numerals and
    # qualifiers stand between the number and its unit.
    import random

    from transforms.prose import _MAY_MENTION, MENTION

    alphabet = list("0123456789一二十百千万两〇零余多亿约近件条次个人篇元场项份宗例共收到申请，。、")
    alphabet += [" ", "\t", "\u3000", "\xa0", "\x1c", "\x1f", "\u2009", "\x85"]
    rng = random.Random(5)
    texts = ["".join(rng.choices(alphabet, k=rng.randint(2, 12))) for _ in range(20_000)]
    may = pl.Series(texts).str.contains(_MAY_MENTION).to_list()
    with_figure = [t for t, m in zip(texts, may, strict=True) if MENTION.search(t)]
    assert len(with_figure) > 1000
    assert all(m for t, m in zip(texts, may, strict=True) if MENTION.search(t))
