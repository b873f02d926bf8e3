# ruff: noqa: E501  (long lines are report text)
"""One synthetic report: figures drawn for an agency and year, written in one of the three
templates (pre-2019 prose, the 2019 and 2021 standard tables) with varied phrasing, then
damaged the way scraped files are. Returns the bytes and the label (evaluation.md).

Every figure goes through a marker ({{measure@breakdown=value:options}}, see
synth/labels.py), so the printed text and the label come from one call. Report i of seed s
is the same whatever the corpus size: `random.Random(f"{seed}:{i}")`.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from dataclasses import dataclass, field

from synth.agencies import Agency, pick_agency
from synth.damage import decode, encode, gbk_misalign, glue_pinyin, to_traditional
from synth.labels import Facts, render_markers
from synth.numerals import fmt_plain
from synth.tables import (
    T2_LAYOUT,
    T3_COLS,
    T4_GROUPS,
    TextTable,
    html_t2_gb2019,
    html_t3,
    html_t4,
    html_table,
    label_table_cells,
    render_glued,
    render_lines,
    render_pipe,
    render_spaced,
    t3_rows,
    table_measures,
    text_tables,
)

# Reports per folder of a corpus (0000/, 0001/, ...): file systems list small folders fast.
FOLDER_SIZE = 1000


def fig(measure: str, value: float, breakdown: str | None = None, *opts: str) -> str:
    """A figure marker: printed as the options say, recorded as a label."""
    at = f"@{breakdown}" if breakdown else ""
    suffix = ":" + ",".join(opts) if opts else ""
    return "{{" + f"{measure}{at}={fmt_plain(value)}{suffix}" + "}}"


def count(rng: random.Random, mean: float) -> int:
    """A skewed count around `mean` (report figures are log-normal-ish)."""
    return max(0, int(rng.lognormvariate(0, 0.9) * mean))


def style(rng: random.Random, value: int) -> tuple[str, ...]:
    """How a count is printed: mostly digits; small ones sometimes in Chinese numerals,
    large ones sometimes with thousands separators."""
    if 0 < value < 100 and rng.random() < 0.12:
        return ("cn",)
    if value >= 10000 and rng.random() < 0.3:
        return ("comma",)
    return ()


@dataclass
class Draft:
    """A report being written: its blocks (headings, paragraphs, tables) and labels."""

    agency: Agency
    year: int
    template: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    complete: list[str] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.blocks.append(("heading", text))

    def para(self, *sentences: str) -> None:
        text = "".join(s for s in sentences if s)
        if text:
            self.blocks.append(("para", render_markers(text, self.facts)))

    def table(self, name: str, rows: object) -> None:
        self.blocks.append(("table", (name, rows)))

    def states(self, *measures: str) -> None:
        for m in measures:
            if m not in self.complete:
                self.complete.append(m)


# --------------------------------------------------------------------------------------
# Sentences without figures (and with figures that are no measure: dates, counts of
# meetings, percentages, phone numbers): the text a real report wraps its figures in.
# --------------------------------------------------------------------------------------

FILLER = [
    "{self}高度重视政府信息公开工作，将其列入年度重点工作，明确分管领导和具体承办科室，形成了主要领导亲自抓、分管领导具体抓、各科室协同配合的工作格局。",
    "按照“以公开为常态、不公开为例外”的原则，{self}进一步健全完善了政府信息公开发布、审查、保密等工作制度。",
    "全年召开政务公开工作专题会议{n1}次，组织业务培训{n2}期，培训人员{n3}人次。",
    "{self}对照年初制定的工作要点逐项推进，各项任务完成率达到{pct}%。",
    "围绕群众关心关注的热点问题，及时发布权威信息，回应社会关切，切实增强了政府工作的透明度。",
    "进一步加强政府网站建设，优化栏目设置，网站运行平稳，全年未发生安全事故。",
    "严格落实信息发布保密审查机制，坚持“先审查、后公开”和“一事一审”的原则。",
    "加强政务新媒体管理，对所属政务新媒体开展了{n1}轮检查，及时整改发现的问题。",
    "将政府信息公开工作纳入年度目标责任制考核，考核分值占比{pct}%。",
    "积极推进基层政务公开标准化规范化建设，编制完善了{n2}个领域的公开事项标准目录。",
    "认真做好建议提案办理结果公开工作，全年办理人大代表建议{n3}件、政协委员提案{n2}件，均已按时办结并公开答复。",
    "在政务服务大厅设置政府信息公开查阅点，配备电脑、打印机等设备，方便群众查阅。",
    "按照上级要求，及时调整政府信息公开工作领导小组成员，工作人员变动后及时交接。",
    "定期对已公开的政府信息进行检查，对内容过时、链接失效的信息及时更新，确保信息准确、完整。",
]

PROBLEMS = [
    "{self}政府信息公开工作虽然取得了一定成效，但也存在一些不足：一是公开内容的深度和广度还需进一步拓展；二是政策解读的形式还比较单一；三是工作人员的业务水平有待提高。",
    "存在的问题主要是：部分信息公开不够及时，信息更新速度有待加快；依申请公开的答复规范化程度还需提升。",
    "下一步，{self}将继续加大公开力度，拓宽公开渠道，丰富解读形式，加强业务培训，不断提高政府信息公开工作水平。",
    "针对上述问题，{self}将重点做好以下工作：一是加强组织领导，压实工作责任；二是加强平台建设，提升公开实效；三是加强监督考核，确保各项工作落到实处。",
]

INTRO_PROSE = [
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{agency}编制。全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、政府信息公开的收费及减免情况、因政府信息公开申请提起行政复议和提起行政诉讼的情况、存在的主要问题及改进措施等。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告的电子版可在{site}下载。如对本报告有任何疑问，请联系{agency}办公室（电话：{phone}）。",
    "根据《中华人民共和国政府信息公开条例》规定，现公布{year}年度{agency}政府信息公开工作年度报告。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    "{year}年，在{upper}的正确领导下，{self}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。现将有关情况报告如下。",
]

INTRO_GB = [
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔{fmt_year}〕{fmt_no}号）要求编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告电子版可在{site}查阅或下载。如对本报告有疑问，请与{agency}联系（联系电话：{phone}）。",
    "根据《中华人民共和国政府信息公开条例》规定，{agency}编制了{year}年政府信息公开工作年度报告，报告中所列数据统计期限为{year}年1月1日至{year}年12月31日。",
]


def fill(rng: random.Random, template: str, d: Draft, **extra: str) -> str:
    site = rng.choice(["政府门户网站", "本机关门户网站的政府信息公开专栏", "“中国政府网”"])
    phone = f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}"
    upper = rng.choice(["市委、市政府", "县委、县政府", "上级部门", "省委、省政府"])
    return template.format(self=d.agency.self_word, agency=d.agency.name or "本机关",
                           year=d.year, site=site, phone=phone, upper=upper,
                           n1=rng.randint(2, 12), n2=rng.randint(2, 20),
                           n3=rng.randint(30, 900), pct=rng.randint(60, 100),
                           fmt_year=2021 if d.template == "gb2021" else 2019,
                           fmt_no=30 if d.template == "gb2021" else 60, **extra)


def filler(rng: random.Random, d: Draft, sentences: int) -> str:
    return "".join(fill(rng, rng.choice(FILLER), d) for _ in range(sentences))


# --------------------------------------------------------------------------------------
# Prose template (reports on 2008–2018)
# --------------------------------------------------------------------------------------

LEVEL_SCALE = {"central": 8.0, "province": 4.0, "prefecture": 2.0, "county": 1.0,
               "township": 0.15}
CATEGORIES = ["机构职能类", "政策法规类", "规划计划类", "业务动态类", "人事信息类", "财政资金类",
              "行政执法类", "公共服务类"]


def prose_proactive(rng: random.Random, d: Draft, scale: float) -> None:
    total = max(3, count(rng, 600 * scale))
    approx = rng.random() < 0.08 and total > 100
    if approx:
        total = round(total, -1) if total < 1000 else round(total, -2)
    opts = ("approx",) if approx else style(rng, total)
    lead = "约" if approx and rng.random() < 0.3 else ""
    tail = "余" if approx and not lead else ""
    p = fig("proactive.total", total, None, *opts)
    first = rng.choice([
        f"{d.year}年，{d.agency.self_word}共主动公开政府信息{lead}{p}{tail}条。",
        f"全年共主动公开各类政府信息{lead}{p}{tail}条。",
        f"本年度通过各种渠道主动公开政府信息{lead}{p}{tail}条。",
        f"{d.year}年度，{d.agency.self_word}主动公开政府信息{lead}{p}{tail}条。",
    ])
    parts = [first]
    d.states("proactive.total")
    if not approx and rng.random() < 0.5 and total >= 20:
        # A channel split: each part at most the total, the parts need not sum to it.
        picks = rng.sample([("website", ["通过政府门户网站公开", "在政府网站发布", "通过门户网站公开"]),
                            ("weibo", ["通过政务微博发布", "政务微博发布"]),
                            ("wechat", ["通过政务微信推送", "微信公众号推送"])], k=rng.randint(1, 3))
        clauses = []
        for code, phrasings in picks:
            share = rng.randint(1, total)
            clauses.append(f"{rng.choice(phrasings)}信息{fig('proactive.total', share, f'channel:{code}')}条")
        parts.append("其中，" + "，".join(clauses) + "。")
    elif not approx and rng.random() < 0.3 and total >= 40:
        picks = rng.sample(CATEGORIES, k=rng.randint(2, 4))
        shares = [rng.randint(1, max(1, total // len(picks))) for _ in picks]
        clauses = [f"{c}信息{fig('proactive.total', n, f'category:{c}信息')}条"
                   for c, n in zip(picks, shares, strict=True)]
        parts.append("其中，" + "、".join(clauses) + "。")
    if rng.random() < 0.2:
        cumulative = total * rng.randint(3, 9)
        parts.append(rng.choice([f"截至{d.year}年底，历年累计主动公开政府信息{fig('proactive.cumulative', cumulative)}条。",
                                 f"自2008年以来累计主动公开政府信息{fig('proactive.cumulative', cumulative)}条。"]))
        d.states("proactive.cumulative")
    if rng.random() < 0.35:
        n = count(rng, 20 * scale) + 1
        parts.append(rng.choice([f"发布政策解读稿件{fig('interpretation.total', n)}篇。",
                                 f"围绕重要政策文件开展政策解读{fig('interpretation.total', n)}次。"]))
        d.states("interpretation.total")
    if rng.random() < 0.35:
        n = count(rng, 3 * scale) + 1
        parts.append(rng.choice([f"召开新闻发布会{fig('press_conference.total', n, None, *style(rng, n))}场。",
                                 f"全年举办新闻发布会{fig('press_conference.total', n)}次。"]))
        d.states("press_conference.total")
    if rng.random() < 0.3:
        visits = count(rng, 200000 * scale) // 100 * 100 + 1000
        if rng.random() < 0.4:
            parts.append(f"政府信息公开专栏全年访问量达{fig('website.visits', visits, None, 'wan')}万人次。")
        else:
            parts.append(f"网站全年点击量{fig('website.visits', visits, None, 'comma')}次。")
        d.states("website.visits")
    d.heading("二、主动公开政府信息情况")
    d.para(filler(rng, d, rng.randint(0, 2)), *parts)


def prose_requests(rng: random.Random, d: Draft, scale: float) -> None:
    d.heading(rng.choice(["三、依申请公开政府信息情况", "三、政府信息依申请公开情况"]))
    d.states("req.new_received")
    received = count(rng, 12 * scale) if rng.random() < 0.8 else 0
    if received == 0:
        d.para(rng.choice([
            f"{d.year}年，{d.agency.self_word}未收到政府信息公开申请。{fig('req.new_received', 0, None, 'silent')}",
            f"本年度没有收到公民、法人或其他组织提出的政府信息公开申请。{fig('req.new_received', 0, None, 'silent')}",
        ]))
        return
    n = fig("req.new_received", received, None, *style(rng, received))
    lead = rng.choice([f"全年共受理政府信息公开申请{n}件",
                       f"{d.year}年，{d.agency.self_word}共收到政府信息公开申请{n}件",
                       f"本年度共受理依申请公开政府信息申请{n}件"])
    sentences = []
    if rng.random() < 0.4 and received >= 2:
        channels = rng.sample([("in_person", "当面申请"), ("online", "网上申请"), ("letter", "信函申请")],
                              k=2)
        first = rng.randint(1, received - 1)
        split = [(channels[0], first), (channels[1], received - first)]
        lead += "，其中" + "，".join(f"{label}{fig('req.new_received', v, f'channel:{code}')}件"
                                  for (code, label), v in split) + "。"
    elif rng.random() < 0.3:
        lead += "，均为公民通过网上申请平台提出。"
        d.facts.add("req.new_received", "applicant:natural_person", received)
        d.facts.add("req.new_received", "channel:online", received)
    elif rng.random() < 0.3 and received >= 2:
        people = rng.randint(1, received - 1)
        lead += (f"，其中公民申请{fig('req.new_received', people, 'applicant:natural_person')}件，"
                 f"法人或其他组织申请{fig('req.new_received', received - people, 'applicant:legal_person')}件。")
    else:
        lead += "。"
    sentences.append(lead)
    # Outcomes: every request closed this year.
    outcome_rows = [("req.granted", ["同意公开", "予以公开"], 0.55),
                    ("req.partial", ["同意部分公开", "部分公开"], 0.1),
                    ("req.unable.not_held", ["信息不存在", "申请公开的信息不存在"], 0.15),
                    ("req.not_this_agency", ["不属于本机关公开范围", "非本机关政府信息"], 0.12),
                    ("req.denied", ["不予公开", "不同意公开"], 0.08)]
    shares = _split(rng, received, [w for _, _, w in outcome_rows])
    if rng.random() < 0.5:
        sentences.append("所有申请均已按期办结。" if rng.random() < 0.5 else "上述申请已全部办结。")
        d.facts.add("req.total_processed", None, received)
    else:
        sentences.append(f"已办结{fig('req.total_processed', received)}件。")
    clauses = [f"{rng.choice(words)}{fig(m, v, None, *style(rng, v))}件"
               for (m, words, _), v in zip(outcome_rows, shares, strict=True) if v]
    sentences.append("其中，" + "，".join(clauses) + "。")
    d.states("req.total_processed", *(m for m, _, _ in outcome_rows))
    d.para(filler(rng, d, rng.randint(0, 1)), *sentences)


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    parts = [0] * len(weights)
    for _ in range(total):
        parts[rng.choices(range(len(weights)), weights=weights)[0]] += 1
    return parts


def prose_fees(rng: random.Random, d: Draft) -> None:
    d.heading(rng.choice(["四、政府信息公开的收费及减免情况", "四、收费及减免情况"]))
    d.states("fee.collected")
    if rng.random() < 0.85:
        text = rng.choice([
            f"{d.year}年，{d.agency.self_word}在政府信息公开工作中未收取任何费用。{fig('fee.collected', 0, None, 'silent')}",
            f"本年度依申请公开政府信息未收取费用。{fig('fee.collected', 0, None, 'silent')}",
            f"全年没有收取检索、复制、邮寄等费用。{fig('fee.collected', 0, None, 'silent')}",
        ])
        if rng.random() < 0.3:
            text += f"也不存在减免情况。{fig('fee.waived', 0, None, 'silent')}"
            d.states("fee.waived")
    else:
        amount = rng.randint(5, 400)
        text = f"全年共收取检索费、复制费等费用{fig('fee.collected', amount)}元。"
    d.para(text)


def prose_appeals(rng: random.Random, d: Draft, scale: float) -> None:
    d.heading(rng.choice(["五、因政府信息公开申请提起行政复议、行政诉讼的情况",
                          "五、行政复议和行政诉讼情况"]))
    d.states("review", "lit_total")
    if rng.random() < 0.75:
        text = rng.choice([
            f"{d.year}年，{d.agency.self_word}未发生因政府信息公开申请引起的行政复议、行政诉讼。",
            "本年度未收到针对本机关政府信息公开事务的行政复议申请和行政诉讼。",
        ]) + fig("review", 0, None, "silent") + fig("lit_total", 0, None, "silent")
        if rng.random() < 0.4:
            text += f"也未收到有关政府信息公开工作的举报投诉。{fig('complaint.total', 0, None, 'silent')}"
            d.states("complaint.total")
    else:
        review, lit = count(rng, 1.5 * scale) + 1, count(rng, 1.0 * scale)
        text = f"全年共发生政府信息公开行政复议案件{fig('review', review)}件"
        text += f"，行政诉讼案件{fig('lit_total', lit)}件。" if lit else "，未发生行政诉讼。" + fig("lit_total", 0, None, "silent")
    d.para(text)


def write_brief(rng: random.Random, d: Draft) -> None:
    """A township's report of a few hundred characters: the headings and one line each."""
    total = max(3, count(rng, 60))
    d.para(f"{d.year}年，{d.agency.self_word}认真贯彻落实《中华人民共和国政府信息公开条例》。")
    d.heading("一、主动公开政府信息情况")
    d.para(f"全年共主动公开政府信息{fig('proactive.total', total)}条。")
    d.heading("二、依申请公开政府信息情况")
    d.para(f"全年未收到政府信息公开申请。{fig('req.new_received', 0, None, 'silent')}")
    d.heading("三、收费及减免情况")
    d.para(f"未收取任何费用。{fig('fee.collected', 0, None, 'silent')}")
    d.heading("四、行政复议和行政诉讼情况")
    d.para("全年未发生因政府信息公开引起的行政复议、行政诉讼。"
           + fig("review", 0, None, "silent") + fig("lit_total", 0, None, "silent"))
    d.states("proactive.total", "req.new_received", "fee.collected", "review", "lit_total")


def write_prose(rng: random.Random, d: Draft) -> None:
    if d.agency.level == "township" and rng.random() < 0.3:
        write_brief(rng, d)
        return
    scale = LEVEL_SCALE[d.agency.level]
    d.para(fill(rng, rng.choice(INTRO_PROSE), d))
    if d.agency.name is None:
        d.para(f"{d.year}年，{d.agency.self_word}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。")
    d.heading("一、概述")
    d.para(filler(rng, d, rng.randint(1, 6)))
    prose_proactive(rng, d, scale)
    prose_requests(rng, d, scale)
    prose_fees(rng, d)
    prose_appeals(rng, d, scale)
    d.heading("六、存在的主要问题及改进措施")
    d.para(*(fill(rng, p, d) for p in rng.sample(PROBLEMS, k=rng.randint(1, 3))))


# --------------------------------------------------------------------------------------
# The 2019 and 2021 templates
# --------------------------------------------------------------------------------------


def table_cells(rng: random.Random, template: str, scale: float
                ) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """表二, 表三 and 表四 as printed cells, their identities holding."""
    t2: dict[str, list[str]] = {}
    for _, _, rows in T2_LAYOUT[template]:
        for label, prefix, columns in rows:
            cells = []
            for suffix in columns:
                if suffix == "amount" and prefix == "admin_fee":
                    cells.append(f"{rng.randint(0, 900000) / 100:.2f}" if rng.random() < 0.6 else "0")
                elif suffix == "amount":
                    cells.append(f"{rng.randint(1000, 9000000) / 100:.2f}元")
                elif suffix == "items_change":
                    change = rng.randint(-6, 8)
                    cells.append(f"+{change}" if change > 0 else str(change))
                else:
                    cells.append(str(count(rng, {"rule": 0.5, "normdoc": 8}.get(prefix, 40) * scale)))
            t2[label] = cells
    columns = len(T3_COLS)
    head, results, tail, foot = t3_rows(template)
    weights = [6, 1, 0.5, 0.3, 2, 0.6, 0.3, 0.6, 0.3, 0.3, 3, 1, 0.5, 0.5, 0.4, 0.2, 0.2, 0.2]
    weights += [0.5] * (len(results) - len(weights))
    by_column = []
    for c in range(columns):
        mean = 15 * scale * (1 if c == 0 else 0.15 if c in (1, 4) else 0.03)
        closed = count(rng, mean) if rng.random() < 0.85 else 0
        parts = _split(rng, closed, weights[:len(results)])
        carried_over = rng.randint(0, 2) if closed and rng.random() < 0.3 else 0
        forward = rng.randint(0, 3) if rng.random() < 0.3 else 0
        new = closed + forward - carried_over
        if new < 0:
            carried_over, new = closed + forward, 0
        by_column.append((new, carried_over, parts, closed, forward))
    t3: dict[str, list[int]] = {}
    t3["new_received"] = [c[0] for c in by_column]
    t3["carried_over"] = [c[1] for c in by_column]
    for i, (key, _, _) in enumerate(results):
        t3[key] = [c[2][i] for c in by_column]
    t3["total_processed"] = [c[3] for c in by_column]
    t3["carried_forward"] = [c[4] for c in by_column]
    t3_cells = {key: [str(v) for v in values + [sum(values)]] for key, values in t3.items()}
    t4 = {}
    for group in T4_GROUPS:
        values = [count(rng, 0.4 * scale) if rng.random() < 0.3 else 0 for _ in range(4)]
        t4[group] = [str(v) for v in values + [sum(values)]]
    return t2, t3_cells, t4


def write_gb(rng: random.Random, d: Draft, form: str) -> None:
    scale = LEVEL_SCALE[d.agency.level]
    t2, t3, t4 = table_cells(rng, d.template, scale)
    if form == "html" and rng.random() < 0.3:
        # Some pages leave the zero cells of the result rows blank: not facts.
        results = {key for key, _, _ in t3_rows(d.template)[1]}
        t3 = {k: ["" if (k in results and v == "0") else v for v in vals] for k, vals in t3.items()}
    label_table_cells(d.facts, d.template, t2, t3, t4)
    d.states(*table_measures(d.template))
    d.para(fill(rng, rng.choice(INTRO_GB), d))
    if d.agency.name is None:
        d.para(f"{d.year}年，{d.agency.self_word}认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。")
    d.heading("一、总体情况")
    overview = [filler(rng, d, rng.randint(0, 3))]
    if rng.random() < 0.7:
        total = max(3, count(rng, 600 * scale))
        overview.append(rng.choice([
            f"（一）主动公开。全年主动公开政府信息{fig('proactive.total', total, None, *style(rng, total))}条。",
            f"{d.year}年，{d.agency.self_word}累计发布政府信息{fig('proactive.total', total)}条。",
        ]))
        d.states("proactive.total")
        if rng.random() < 0.4:
            n = count(rng, 20 * scale) + 1
            overview.append(f"发布政策解读材料{fig('interpretation.total', n)}篇。")
            d.states("interpretation.total")
    received = int(t3["new_received"][-1] or 0)
    if rng.random() < 0.5:
        if received:
            overview.append(f"（二）依申请公开。全年共收到政府信息公开申请{received}件，均在法定期限内答复。")
        else:
            overview.append("（二）依申请公开。本年度未收到政府信息公开申请。")
    d.para(*overview)
    d.heading("二、主动公开政府信息情况")
    d.table("t2", t2)
    d.heading("三、收到和处理政府信息公开申请情况")
    d.table("t3", t3)
    d.heading("四、政府信息公开行政复议、行政诉讼情况")
    d.table("t4", t4)
    d.heading("五、存在的主要问题及改进情况")
    d.para(*(fill(rng, p, d) for p in rng.sample(PROBLEMS, k=rng.randint(1, 2))))
    d.heading("六、其他需要报告的事项")
    if d.template == "gb2021" and rng.random() < 0.6:
        d.states("fee.collected")
        d.para(rng.choice([f"本年度未收取信息处理费。{fig('fee.collected', 0, None, 'silent')}",
                           f"{d.year}年，{d.agency.self_word}没有收取信息处理费。{fig('fee.collected', 0, None, 'silent')}"]))
    else:
        d.para("无。" if rng.random() < 0.5 else "本年度无其他需要报告的事项。")


# --------------------------------------------------------------------------------------
# Putting the page together: a container, then damage and a codec
# --------------------------------------------------------------------------------------

# The page forms of each template, with how often each comes up.
FORMS = {"prose": {"html": 45, "text": 30, "pdf": 15, "crawl": 10},
         "gb2019": {"html": 55, "pdf_lines": 12, "pdf_spaced": 15, "pipe": 8, "glued": 10},
         "gb2021": {"html": 55, "pdf_lines": 12, "pdf_spaced": 15, "pipe": 8, "glued": 10}}

NAV = ("首页 | 政务公开 | 政务服务 | 互动交流 | 走进{place} | 无障碍浏览 | 长者模式",
       "当前位置：首页 > 政府信息公开 > 政府信息公开年报")
FOOTER = ("【打印本页】【关闭窗口】", "分享到：", "主办单位：{agency}  网站标识码：{code}  {icp}",
          "版权所有 © {agency}  技术支持：某某信息技术有限公司")


def _title(d: Draft) -> str:
    return f"{d.agency.name or ''}{d.year}年政府信息公开工作年度报告"


def _published(rng: random.Random, d: Draft) -> str:
    return f"{d.year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"


def _table_text(printed: TextTable, form: str) -> str:
    if form == "pdf_lines":
        return "\n".join(render_lines(printed))
    if form == "pdf_spaced":
        return "\n".join(render_spaced(printed))
    if form == "pipe":
        return "\n".join(render_pipe(printed))
    return render_glued(printed)


def _html_table(d: Draft, name: str, cells: dict, printed: TextTable) -> str:
    if name == "t3":
        return html_t3(d.template, cells)
    if name == "t4":
        return html_t4(cells)
    if d.template == "gb2019":
        return html_t2_gb2019(cells)
    return html_table(printed)


def render_page(rng: random.Random, d: Draft, form: str) -> tuple[str, str]:
    """(text, file suffix) of the draft in a page form."""
    tables = {name: cells for kind, payload in d.blocks if kind == "table"
              for name, cells in [payload]}
    printed = (text_tables(d.template, tables["t2"], tables["t3"], tables["t4"],
                           spans_expanded=form == "pipe") if tables else {})
    title, published = _title(d), _published(rng, d)
    place = re.sub(r"(人民政府.*|办公.*|[局厅委部署]|委员会)$", "", d.agency.name or "本地")
    if form == "html":
        body = []
        for kind, payload in d.blocks:
            if kind == "heading":
                body.append(f'<p style="text-indent:2em"><strong>{html.escape(payload)}</strong></p>')
            elif kind == "para":
                body.append(f'<p style="text-indent:2em">{html.escape(payload)}</p>')
            else:
                name, cells = payload
                body.append(_html_table(d, name, cells, printed[name]))
        footer = "<br/>".join(f.format(agency=d.agency.name or "本站", code=rng.randint(10**9, 10**10),
                                       icp=f"ICP备{rng.randint(10**7, 10**8)}号") for f in FOOTER)
        debris = ""
        if rng.random() < 0.3:  # a long page: menus of links before the report
            debris = "".join(f'<li><a href="/xxgk/{i}.html">关于做好{rng.choice(["防汛", "安全生产", "春耕"])}工作的通知</a><span>{d.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}</span></li>'
                             for i in range(rng.randint(20, 120)))
            debris = f"<ul class='side'>{debris}</ul>"
        page = (f'<!DOCTYPE html>\n<html><head><meta charset="{{charset}}"><title>{html.escape(title)}</title>'
                f"<script>var _hmt=_hmt||[];</script></head><body>"
                f"<div class='nav'>{NAV[0].format(place=place)}</div><div class='crumb'>{NAV[1]}</div>{debris}"
                f"<h1>{html.escape(title)}</h1><div class='info'>发布时间：{published}　来源：{html.escape(d.agency.name or '')}　"
                f"【字体：大 中 小】</div><div class='content'>\n" + "\n".join(body)
                + f"\n</div><div class='footer'>{footer}</div></body></html>\n")
        return page, ".html"
    lines = [title, ""]
    for kind, payload in d.blocks:
        if kind == "table":
            name, _ = payload
            lines.append(_table_text(printed[name], form))
        else:
            lines.append(("　　" if kind == "para" and form != "glued" else "") + payload)
    if d.agency.name:
        lines.append(d.agency.name)
    y, m, day = published.split("-")
    lines.append(f"{y}年{int(m)}月{int(day)}日")
    if form == "pdf" or form.startswith("pdf_"):
        text = _pdf_wrap(rng, "\n".join(lines))
        return text, ".txt"
    if form == "crawl":
        body = " ".join(ln for ln in lines[2:] if ln)
        return (f"标题: {title}\n发布时间: {published} 09:{rng.randint(10, 59)}\n发布机构: {d.agency.name or ''}\n"
                f"栏目: 政府信息公开年报\n==================== 正文 ====================\n"
                f"当前位置： 首页 政府信息公开 政府信息公开年报 {title} 【字体：大 中 小】 打印 {body} 附件下载\n"), ".txt"
    if form == "glued":
        return "".join(lines[:1]) + "\n" + "".join(lines[2:]) + "\n", ".txt"
    if form == "pipe":
        return "\n\n".join(lines) + "\n", ".md"
    return "\n".join(lines) + "\n", ".txt"


_FIGURE_END = re.compile(r"[0-9.,，]")


def _pdf_wrap(rng: random.Random, text: str) -> str:
    """Hard line breaks every ~38 characters and page furniture, as PDF text layers have
    them. A break never falls inside a figure (see the issue-3 note: figures cut by a line
    break are a known gap)."""
    width = rng.randint(34, 42)
    out, page_lines, page = [], 0, 1
    for line in text.split("\n"):
        if len(line) <= width or line.startswith("|"):
            chunks = [line]
        else:
            chunks, start = [], 0
            while start < len(line):
                end = min(start + width, len(line))
                while end < len(line) and (_FIGURE_END.match(line[end - 1]) and line[end].isdigit()
                                           or line[end - 1].isdigit() and _FIGURE_END.match(line[end])):
                    end += 1
                chunks.append(line[start:end])
                start = end
        for chunk in chunks:
            out.append(chunk)
            page_lines += 1
            if page_lines >= 40:
                out.append(f"— {page} —")
                page, page_lines = page + 1, 0
    return "\n".join(out) + "\n"


DAMAGE_WEIGHTS = {"traditional": 0.12, "pinyin": 0.25, "mojibake": 0.06}
CODECS = [("utf-8", 70), ("gb18030", 12), ("gbk", 8), ("utf-8-sig", 5), ("utf-16", 3), ("big5", 2)]


def check_figures_printed(facts: Facts, text: str, traditional: bool) -> None:
    """Every labelled figure that was printed is in the final text: the damage and the
    codec lost none (a generator bug would otherwise become a wrong label)."""
    convert = to_traditional if traditional else (lambda s: s)
    for fact in facts.items:
        if fact.token and convert(fact.token) not in text:
            raise AssertionError(f"figure {fact.token} of {fact.measure} lost from the text")


@dataclass
class SynthReport:
    file: str
    data: bytes
    label: dict


def _declare_charset(text: str, suffix: str, codec: str) -> str:
    """An HTML page's meta charset names the codec its bytes are in."""
    if suffix != ".html":
        return text
    return text.replace("{charset}", "utf-8" if codec.startswith("utf-8") else codec)


def synth_report(seed: int, index: int) -> SynthReport:
    """Report `index` of the corpus of `seed`: its bytes and its label."""
    rng = random.Random(f"{seed}:{index}")
    year = rng.choices(range(2008, 2026), weights=[2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 7, 7, 7, 6])[0]
    template = "prose" if year <= 2018 else "gb2019" if year <= 2020 else "gb2021"
    agency = pick_agency(rng, year)
    if agency.level == "township" and rng.random() < 0.1:
        # A page that never names its agency (seeds/7c1e…): only 我镇 says what level it is.
        agency = Agency(None, agency.level, agency.province, agency.self_word)
    d = Draft(agency, year, template)
    form = rng.choices(list(FORMS[template]), weights=list(FORMS[template].values()))[0]
    if template == "prose":
        write_prose(rng, d)
    else:
        write_gb(rng, d, form)
    text, suffix = render_page(rng, d, form)
    damage = []
    if template == "prose" and form != "html" and rng.random() < DAMAGE_WEIGHTS["traditional"]:
        damage.append("traditional")
        text = to_traditional(text)
        if rng.random() < DAMAGE_WEIGHTS["pinyin"]:
            damage.append("pinyin")
            text = glue_pinyin(text)
    if form in ("text", "pdf") and rng.random() < DAMAGE_WEIGHTS["mojibake"]:
        damage.append("mojibake")
        # Headings carry no figures: a heading's first GBK byte lost garbles it, not a figure.
        text = "\n".join(gbk_misalign("　" + ln) if re.match(r"^[一二三四五六]、", ln) else ln
                         for ln in text.split("\n"))
    codecs_ok = [(c, w) for c, w in CODECS if (c != "big5" or "traditional" in damage)]
    codec = rng.choices([c for c, _ in codecs_ok], weights=[w for _, w in codecs_ok])[0]
    try:
        data = encode(_declare_charset(text, suffix, codec), codec)
    except UnicodeEncodeError:
        # A character the legacy codec lacks (©): the page is saved as UTF-8, and says so.
        codec = "utf-8"
        data = encode(_declare_charset(text, suffix, codec), codec)
    # A PDF's hard wrap may fall inside a figure (十一): compare without the line breaks.
    check_figures_printed(d.facts, decode(data, codec).replace("\n", ""),
                          "traditional" in damage)
    digest = hashlib.sha256(data).hexdigest()[:12]
    file = f"{index // FOLDER_SIZE:04d}/{index:07d}_{digest}{suffix}"
    facts = d.facts.as_label()
    label = {"file": file, "agency": agency.name, "admin_level": agency.level,
             "province": agency.province, "report_year": year, "template": template,
             "complete": d.complete, "facts": facts,
             "synth": {"form": form, "codec": codec, "damage": damage}}
    return SynthReport(file, data, label)

