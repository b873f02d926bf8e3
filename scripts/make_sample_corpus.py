#!/usr/bin/env python3
# ruff: noqa: E501  (long lines are report text and page markup)
"""Write the sample corpus (sample_corpus/) and its labels.

The reports are invented for this project: real place names, invented figures, our own
sentences. They follow the real formats (pre-2019 prose, the 2019 and 2021 national
templates) and carry the damage real scraped files carry (traditional script, pinyin
glued after characters, GBK mis-alignment mojibake, web debris, flattened tables, odd
encodings). See sample_corpus/README.md, which this script also writes.

Report bodies live in scripts/sample_sources/*.txt as UTF-8 simplified Chinese with
inline figure markers:

    {{measure[@kind:code]=value[:opt,opt...]}}

The marker is replaced by the printed figure and the same call records the label, so the
texts and labels.jsonl cannot drift apart. Options:

    cn      print as Chinese numerals (十二)        cn2    same, with 两 for a leading 2
    wan     print value / 10000 (the text says 万)  comma  thousands separators
    approx  the text qualifies it (余/多/近/约)      silent print nothing (zero in words,
                                                            or a figure the wording implies)

The 2019/2021 template tables (表二/表三/表四) are generated from the data below and
spliced in at [[T2]], [[T3]], [[T4]]. Everything is deterministic: run it twice, get the
same bytes.

    cd /work/main && uv run python scripts/make_sample_corpus.py
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synth.damage import (  # noqa: E402
    HALFWIDTH,
    decode,
    encode,
    glue_pinyin,
    mojibake_paragraph_starts,
    to_traditional,
)
from synth.labels import Facts, render_markers  # noqa: E402
from synth.numerals import fmt_plain  # noqa: E402
from synth.reports import check_figures_printed  # noqa: E402
from synth.tables import (  # noqa: E402
    flat_t2_gb2021,
    flat_t3,
    flat_t4,
    html_t2_gb2019,
    html_t3,
    html_t4,
    label_tables,
    t3_compute,
    t4_compute,
    table_open,
    td,
)

SRC = ROOT / "scripts" / "sample_sources"
OUT = ROOT / "sample_corpus"

T2S = opencc.OpenCC("t2s")

# --------------------------------------------------------------------------------------
# Report specifications
# --------------------------------------------------------------------------------------


@dataclass
class Report:
    file: str  # path inside sample_corpus/
    source: str  # file in scripts/sample_sources/
    agency: str | None
    admin_level: str
    province: str | None
    report_year: int
    template: str  # prose | gb2019 | gb2021
    encoding: str  # utf-8 | utf-8-sig | utf-16 | gb18030 | gbk | big5
    damage: list[str]
    exercises: str
    aliases: list[str] = field(default_factory=list)
    newline: str = "\n"


def read_source(name: str) -> str:
    return (SRC / name).read_text(encoding="utf-8").strip("\n")


def paragraphs_html(text: str) -> str:
    out = []
    for ln in text.split("\n"):
        if not ln.strip():
            continue
        if ln.startswith("<table"):
            out.append(ln)
        elif re.match(r"^[一二三四五六七八九十]+、", ln):
            out.append(f'<p style="text-indent:2em"><strong>{html.escape(ln)}</strong></p>')
        else:
            out.append(f'<p style="text-indent:2em">{html.escape(ln)}</p>')
    return "\n".join(out)


# ---- the builders: each returns the final text (before encoding) and its facts -------


def build_r01(r: Report, facts: Facts) -> str:
    body = render_markers(read_source(r.source), facts)
    return body + "\n\n【我要纠错】　【打印本页】　【关闭窗口】\n"


def build_r02(r: Report, facts: Facts) -> str:
    body = render_markers(read_source(r.source), facts)
    lines = [("    " + ln) if ln else "" for ln in body.split("\n")]
    head = (
        "湖南省水利厅2012年政府信息公开工作年度报告\n\n"
        "湖南省水利厅  发布时间:2013-03-26 09:12 【字体:大 中 小】\n\n"
    )
    tail = "\n\n分享到:\n0\n来 源:湖南省水利厅办公室 责任编辑:\n【打印】【关闭】\n"
    return head + "\n".join(lines) + tail


SIPING_ANNEX = [
    ("一、主动公开情况", None, None),
    ("（一）主动公开政府信息数", "条", ("proactive.total", None)),
    ("（二）通过不同渠道和方式公开政府信息的情况", None, None),
    ("1.政府公报公开政府信息数", "条", ("proactive.total", "channel:gazette")),
    ("2.政府网站公开政府信息数", "条", ("proactive.total", "channel:website")),
    ("3.政务微博公开政府信息数", "条", ("proactive.total", "channel:weibo")),
    ("4.政务微信公开政府信息数", "条", ("proactive.total", "channel:wechat")),
    ("二、回应解读情况", None, None),
    ("1.政策解读稿件发布数", "篇", ("interpretation.total", None)),
    ("2.召开新闻发布会次数", "次", ("press_conference.total", None)),
    ("三、依申请公开情况", None, None),
    ("（一）收到申请数", "件", ("req.new_received", None)),
    ("1.当面申请数", "件", ("req.new_received", "channel:in_person")),
    ("2.传真申请数", "件", ("req.new_received", "channel:fax")),
    ("3.网络申请数", "件", ("req.new_received", "channel:online")),
    ("4.信函申请数", "件", ("req.new_received", "channel:letter")),
    ("（二）申请办结数", "件", ("req.total_processed", None)),
    ("（三）申请答复数", "件", ("req.total_processed", None)),
    ("1.属于已主动公开范围数", "件", ("req.already_public", None)),
    ("2.同意公开答复数", "件", ("req.granted", None)),
    ("3.同意部分公开答复数", "件", ("req.partial", None)),
    ("4.不同意公开答复数", "件", ("req.denied", None)),
    ("5.不属于本行政机关公开数", "件", ("req.not_this_agency", None)),
    ("6.申请信息不存在数", "件", ("req.unable.not_held", None)),
    ("四、行政复议数量", "件", ("review", None)),
    ("其中：维持具体行政行为数", "件", ("review", "outcome:maintained")),
    ("五、行政诉讼数量", "件", ("lit_total", None)),
    ("六、举报投诉数量", "件", ("complaint.total", None)),
    ("七、依申请公开信息收取的费用", "万元", ("fee.collected", None)),
]


def build_r03(r: Report, facts: Facts) -> str:
    body = render_markers(read_source(r.source), facts)
    rows = [
        "<tr>"
        + td("<strong>统计指标</strong>")
        + td("<strong>单位</strong>")
        + td("<strong>数量</strong>")
        + "</tr>"
    ]
    for label, unit, key in SIPING_ANNEX:
        if key is None:
            rows.append("<tr>" + td(f"<strong>{label}</strong>", colspan=3) + "</tr>")
            continue
        value = facts.get(*key)  # the annex repeats figures the prose already labels
        if unit == "万元":
            value = value / 10000
        rows.append("<tr>" + td(label) + td(unit) + td(fmt_plain(value)) + "</tr>")
    annex = (
        '<p style="text-align:center"><strong>附表：四平市2015年政府信息公开情况统计表'
        "</strong></p>\n" + table_open() + "\n".join(rows) + "\n</tbody>\n</table>"
    )
    title = "四平市人民政府2015年政府信息公开工作年度报告"
    content = paragraphs_html(body.replace("[[ANNEX]]", "")) + "\n" + annex
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="gbk" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="2016-03-21 09:30" />
<meta name="ContentSource" content="四平市人民政府办公室" />
<title>{title}_政府信息公开年报_四平市人民政府</title>
<link rel="stylesheet" type="text/css" href="/css/style.css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top"><a href="/">四平市人民政府</a> <span>2016年03月21日 星期一</span> <a href="#">无障碍浏览</a> <a href="#">手机版</a></div>
<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="#">政务公开</a></li><li><a href="#">政务服务</a></li>
<li><a href="#">互动交流</a></li><li><a href="#">走进四平</a></li><li><a href="#">专题专栏</a></li>
</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">政府信息公开年报</a></div>
<div class="article">
<h1>{title}</h1>
<div class="info">发布时间：2016-03-21&nbsp;&nbsp;来源：四平市人民政府办公室&nbsp;&nbsp;浏览次数：<span id="hits">1024</span>&nbsp;&nbsp;【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】&nbsp;&nbsp;<a href="javascript:window.print()">打印</a></div>
<div class="content" id="zoom">
{content}
<p style="text-align:right">四平市人民政府办公室</p>
<p style="text-align:right">2016年3月21日</p>
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">新浪微博</a> <a href="#">QQ空间</a></div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related"><h3>相关链接</h3><ul>
<li><a href="#">四平市人民政府2014年政府信息公开工作年度报告</a></li>
<li><a href="#">四平市政府信息公开指南</a></li>
</ul></div>
</div>
<div class="footer"><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">网站声明</a><br />
主办：四平市人民政府办公室　承办：四平市政务信息中心<br />
网站标识码：2203000000　吉ICP备00000000号</div>
</body>
</html>
"""


def build_r04(r: Report, facts: Facts) -> str:
    return render_markers(read_source(r.source), facts) + "\n"


def build_r05(r: Report, facts: Facts) -> str:
    return to_traditional(render_markers(read_source(r.source), facts)) + "\n"


def build_r06(r: Report, facts: Facts) -> str:
    body = render_markers(read_source(r.source), facts)
    text = (
        "2014-3-18 | 工作总结\n"
        + body
        + "\n上一篇：关于开展辖区安全隐患排查整治的通知\n下一篇：街道2014年政务公开工作要点\n"
    )
    return glue_pinyin(to_traditional(text).translate(HALFWIDTH))


def build_r07(r: Report, facts: Facts) -> str:
    body = render_markers(read_source(r.source), facts)
    return mojibake_paragraph_starts(body) + " 打印\n"


def crawl_page(title, pubdate, publisher, column, local_dir, body_line) -> str:
    return (
        f"标题: {title}\n发布时间: {pubdate}\n文号: \n发布机构: {publisher}\n栏目: {column}\n"
        f"原文链接: \n本地目录: {local_dir}\n页面链接与图片详见 links.tsv(同目录)\n"
        "==================== 正文 ====================\n" + body_line + "\n"
    )


def build_r08(r: Report, facts: Facts) -> str:
    body = render_markers(read_source(r.source), facts)
    title = "赣州市人力资源和社会保障局2016年政府信息公开工作年度报告"
    crumbs = (
        f"当前位置： 首页 政府信息公开 政府信息公开年报 {title} "
        "来源：赣州市人力资源和社会保障局 时间：2017-01-24 16:20 【字体：大 中 小】 打印 分享到： "
    )
    line = crumbs + " ".join(ln for ln in body.split("\n") if ln) + " 附件下载"
    return crawl_page(
        title,
        "2017-01-24 16:20",
        "赣州市人力资源和社会保障局",
        "政府信息公开年报",
        f"zfxxgk/zfxxgknb/201701/4417_{title}",
        line,
    )


# gb2019: 南京市鼓楼区人民政府 2019
R09_T2 = {
    "规章": ["0", "0", "0"],
    "规范性文件": ["11", "11", "96"],
    "行政许可": ["312", "+6", "8351"],
    "其他对外管理服务事项": ["54", "-3", "1207"],
    "行政处罚": ["186", "+12", "423"],
    "行政强制": ["21", "0", "37"],
    "行政事业性收费": ["9", "-2"],
    "政府集中采购": ["58", "3126480.50元"],
}
R09_T3 = {  # columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他
    "new_received": [64, 9, 0, 0, 3, 2],
    "carried_over": [3, 0, 0, 0, 0, 0],
    "granted": [21, 4, 0, 0, 1, 0],
    "partial": [6, 1, 0, 0, 0, 0],
    "denied.third_party": [2, 0, 0, 0, 0, 0],
    "denied.process_info": [1, 0, 0, 0, 0, 0],
    "denied.enforcement_file": [1, 0, 0, 0, 0, 0],
    "denied.admin_query": [3, 0, 0, 0, 0, 0],
    "unable.not_held": [17, 2, 0, 0, 0, 1],
    "unable.needs_creation": [2, 0, 0, 0, 0, 0],
    "unable.unclear": [1, 0, 0, 0, 0, 0],
    "not_processed.petition": [3, 0, 0, 0, 0, 0],
    "not_processed.repeat": [4, 0, 0, 0, 1, 0],
    "not_processed.confirm": [1, 0, 0, 0, 0, 0],
    "other": [2, 1, 0, 0, 0, 0],
}
R09_T4 = {"review": [3, 1, 0, 1], "lit_direct": [2, 0, 1, 1], "lit_after_review": [1, 0, 0, 0]}


def build_r09(r: Report, facts: Facts) -> str:
    t3 = t3_compute("gb2019", R09_T3)
    t4 = t4_compute(R09_T4)
    label_tables(facts, t3, t4)
    body = render_markers(read_source(r.source), facts)
    body = (
        body.replace("[[T2]]", html_t2_gb2019(R09_T2).replace("\n", ""))
        .replace("[[T3]]", html_t3("gb2019", t3).replace("\n", ""))
        .replace("[[T4]]", html_t4(t4).replace("\n", ""))
    )
    title = "南京市鼓楼区人民政府2019年政府信息公开工作年度报告"
    content = paragraphs_html(body)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="2020-01-21 10:05" />
<title>{title}</title>
</head>
<body>
<div class="header"><div class="logo">南京市鼓楼区人民政府</div>
<ul class="menu"><li>首页</li><li>新闻中心</li><li>信息公开</li><li>政务服务</li><li>政民互动</li><li>走进鼓楼</li></ul></div>
<div class="crumb">您当前的位置：首页 &gt; 信息公开 &gt; 政府信息公开年报</div>
<div class="main">
<h2 class="title">{title}</h2>
<div class="attr">发布日期：2020-01-21&nbsp;&nbsp;&nbsp;信息来源：区政府办公室&nbsp;&nbsp;&nbsp;【字体：大 中 小】&nbsp;&nbsp;&nbsp;打印</div>
<div class="article-body">
{content}
<p style="text-align:right">南京市鼓楼区人民政府办公室</p>
<p style="text-align:right">2020年1月21日</p>
</div>
<div class="bottom-tools">分享到：<span>微信</span><span>微博</span>&nbsp;&nbsp;<a href="javascript:window.print()">打印本页</a>&nbsp;<a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="footer">主办单位：南京市鼓楼区人民政府办公室　网站地图　联系我们</div>
</body>
</html>
"""


# gb2021: 宜昌市自然资源和规划局 2022
R10_T2 = {
    "规章": [0, 0, 0],
    "行政规范性文件": [6, 3, 41],
    "行政许可": 2186,
    "行政处罚": 347,
    "行政强制": 12,
    "行政事业性收费": "3862.457",
}
R10_T3 = {
    "new_received": [132, 17, 0, 1, 6, 2],
    "carried_over": [7, 1, 0, 0, 0, 0],
    "granted": [38, 6, 0, 0, 2, 0],
    "partial": [11, 2, 0, 0, 0, 0],
    "denied.state_secret": [1, 0, 0, 0, 0, 0],
    "denied.third_party": [3, 1, 0, 0, 0, 0],
    "denied.process_info": [5, 0, 0, 0, 0, 0],
    "denied.enforcement_file": [2, 0, 0, 0, 0, 0],
    "denied.admin_query": [4, 0, 0, 0, 0, 0],
    "unable.not_held": [41, 4, 0, 1, 2, 1],
    "unable.needs_creation": [6, 1, 0, 0, 0, 0],
    "unable.unclear": [3, 0, 0, 0, 0, 0],
    "not_processed.petition": [4, 0, 0, 0, 0, 0],
    "not_processed.repeat": [6, 0, 0, 0, 1, 0],
    "not_processed.publication": [1, 0, 0, 0, 0, 0],
    "not_processed.confirm": [2, 0, 0, 0, 0, 0],
    "other.no_correction": [5, 1, 0, 0, 0, 0],
    "other.fee_unpaid": [1, 0, 0, 0, 0, 0],
    "other.other": [2, 0, 0, 0, 0, 0],
}
R10_T4 = {"review": [4, 1, 0, 2], "lit_direct": [2, 0, 1, 1], "lit_after_review": [1, 0, 0, 1]}


def build_r10(r: Report, facts: Facts) -> str:
    t3 = t3_compute("gb2021", R10_T3)
    t4 = t4_compute(R10_T4)
    label_tables(facts, t3, t4)
    body = render_markers(read_source(r.source), facts)
    body = (
        body.replace("\n[[T2]]\n", flat_t2_gb2021(R10_T2))
        .replace("\n[[T3]]\n", flat_t3("gb2021", t3))
        .replace("\n[[T4]]\n", flat_t4(t4))
    )
    title = "宜昌市自然资源和规划局2022年政府信息公开工作年度报告"
    crumbs = (
        f"当前位置： 首页 政府信息公开 法定主动公开内容 政府信息公开年报 {title} "
        "来源：宜昌市自然资源和规划局 时间：2023-01-30 11:42 微信 微博 打印 【字体：大 中 小】 "
    )
    line = crumbs + " ".join(ln for ln in body.split("\n") if ln)
    return crawl_page(
        title,
        "2023-01-30 11:42",
        "宜昌市自然资源和规划局",
        "政府信息公开年报",
        f"zfxxgk/fdzdgknr/ndbg/202301/23815_{title}",
        line,
    )


def build_r11(r: Report, facts: Facts) -> str:
    body = render_markers(read_source(r.source), facts)
    # A Taiwan-phrased converter also turned 门户网站 into 入口網站 (seeds/003).
    body = body.replace("门户网站", "入口网站")
    return to_traditional(body).translate(HALFWIDTH) + "\n"


def build_r12(r: Report, facts: Facts) -> str:
    return render_markers(read_source(r.source), facts) + "\n"


REPORTS = [
    Report(
        "gtzyb_2010nb.txt",
        "r01_gtzyb_2010.txt",
        "国土资源部",
        "central",
        None,
        2010,
        "prose",
        "utf-16",
        ["UTF-16 with BOM", "CRLF line ends", "page tail 【打印本页】"],
        "central ministry; 万元 money (1.36万元 -> 13600 yuan) and 元 waivers; 约386万人次 "
        "visits; 历年累计; refusal reasons; review/litigation outcomes; complaints; "
        "year-on-year +317件 / 44.7% and 占43.5% that are not figures; noise counts "
        "(人大建议, 培训260余人次)",
        aliases=["中华人民共和国国土资源部"],
        newline="\r\n",
    ),
    Report(
        "hnslt_2012.txt",
        "r02_hnslt_2012.txt",
        "湖南省水利厅",
        "province",
        "湖南省",
        2012,
        "prose",
        "utf-8",
        [
            "page head with 发布时间 2013 and 【字体:大 中 小】",
            "tail 分享到 / 来 源 / 【打印】",
            "4-space indents",
        ],
        "province department; category and channel (website/gazette/weibo) breakdowns; "
        "较上年增加12件 / 同比增长35.3%; 未收取任何费用; review 1 maintained; zero "
        "litigation and complaints in words; noise (行政审批事项1327件, 来信254封)",
    ),
    Report(
        "siping_zfxxgk_2015.htm",
        "r03_siping_2015.txt",
        "四平市人民政府",
        "prefecture",
        "吉林省",
        2015,
        "prose",
        "gbk",
        [
            'HTML declaring <meta charset="gbk"> and encoded in GBK',
            "site navigation, breadcrumb, 【字体：大 中 小】, 打印, 分享到, footer",
            "publication date 2016-03-21 at the top",
        ],
        "prefecture city government; thousands separator (1,327,560人次); 同比增长15%; "
        "历年累计; weibo/wechat/gazette channels; 政策解读67篇; 新闻发布会23场 next to "
        "'出席3场'; applicant + channel breakdowns; a statistics annex as an HTML table "
        "repeating the prose figures (fees in 万元 = 0); 12345 hotline noise",
    ),
    Report(
        "county/yunxi_2009.txt",
        "r04_yunxi_2009.txt",
        "郧西县人民政府",
        "county",
        "湖北省",
        2009,
        "prose",
        "gb18030",
        ["GB18030 encoding", "in a subfolder"],
        "county government; Chinese numerals (十二条, 九条, 三件, 两件, 一件, 两次, "
        "两万余人次); implied figures (申请人均为本县公民); zeros in words for fees, "
        "review, litigation and complaints; noise counts in Chinese numerals (八处, 十二期)",
    ),
    Report(
        "korla_2014.txt",
        "r05_korla_2014.txt",
        "库尔勒市人民政府",
        "county",
        "新疆维吾尔自治区",
        2014,
        "prose",
        "big5",
        ["traditional script (opencc s2tw)", "Big5 encoding"],
        "county-level city in Xinjiang; approximate figures (近10000條, 8600餘條, 500多條, "
        "150餘人次 consultations); 18.6萬人次 visits; approximate noise (12345 9200餘件)",
    ),
    Report(
        "7c1e0a94d2b35f60.txt",
        "r06_jiedao_2013.txt",
        None,
        "township",
        None,
        2013,
        "prose",
        "utf-8",
        [
            "traditional script (opencc s2tw)",
            "pinyin glued after characters (報(bào)告, 申請(qǐng))",
            "half-width punctuation",
            "head '2014-3-18 \\| 工作總結' and 上一篇/下一篇 tail",
        ],
        "street office (街道办事处) that never names itself (agency null, province null); "
        "categories and website/bulletin channels; 未收到政府信息公开申请 = 0",
    ),
    Report(
        "honghuatao_2017.txt",
        "r07_honghuatao_2017.txt",
        "红花套镇人民政府",
        "township",
        "湖北省",
        2017,
        "prose",
        "utf-8",
        [
            "GBK mis-alignment mojibake at the paragraph starts '　（一）…' (?。ㄒ唬…)",
            "trailing 打印",
        ],
        "town government; small counts; implied figures (均为公民通过信函方式提出); "
        "noise (便民服务事项3218件, 13个村)",
    ),
    Report(
        "ganzhou_rsj_2016.txt",
        "r08_ganzhou_rsj_2016.txt",
        "赣州市人力资源和社会保障局",
        "prefecture",
        "江西省",
        2016,
        "prose",
        "utf-8-sig",
        [
            "UTF-8 with BOM",
            "crawl header (标题/发布时间/… ==== 正文 ====)",
            "whole page on one line with breadcrumb debris",
            "statistics annex flattened to text: 本年度 and 历年累计 side by side",
        ],
        "prefecture department; annex cumulative columns that must not be read as annual "
        "figures (受理 31 vs 187); review corrected; noise (就业5.2万人, 12.6亿元)",
        aliases=["赣州市人社局"],
    ),
    Report(
        "gulou_2019.html",
        "r09_gulou_2019.txt",
        "南京市鼓楼区人民政府",
        "county",
        "江苏省",
        2019,
        "gb2019",
        "utf-8",
        [
            "HTML tables with rowspan/colspan",
            "&nbsp; blanks for zero cells in 表三 result rows",
            "signed 本年增/减 (+6, -3)",
            "采购总金额 with 元 in the cell",
        ],
        "2019 template (表二 gb2019 columns, 表三 with one （六）其他处理 row, 表四); prose "
        "总体情况 repeating table totals",
        aliases=["鼓楼区人民政府"],
    ),
    Report(
        "yichang_zrzy_2022.txt",
        "r10_yichang_zrzy_2022.txt",
        "宜昌市自然资源和规划局",
        "prefecture",
        "湖北省",
        2022,
        "gb2021",
        "utf-8",
        [
            "crawl header",
            "whole page on one line",
            "表二/表三/表四 flattened into digit "
            "runs (行政规范性文件6341, 一、本年新收…132170162158)",
            "broken header labels (社会公益 组织, 本年度办 理结果)",
        ],
        "2021 template with three （六） rows; 表四 as one 15-digit run; 信息处理费 in section 六",
    ),
    Report(
        "zhungeer_2016.txt",
        "r11_zhungeer_2016.txt",
        "准格尔旗人民政府",
        "county",
        "内蒙古自治区",
        2016,
        "prose",
        "utf-8",
        [
            "traditional script (opencc s2tw) with 入口網站 for 门户网站",
            "half-width punctuation",
            "encyclopedia-page debris (基本介紹 / 中文名: / 相關詞條 / 熱門詞條 / 聯絡我們)",
        ],
        "banner (旗, county level) in Inner Mongolia; categories, channels, visits; "
        "比上年减少3件; noise (2.8萬件, 9632件)",
    ),
    Report(
        "shaoguan_hbj_2018.txt",
        "r12_shaoguan_hbj_2018.txt",
        "韶关市环境保护局",
        "prefecture",
        "广东省",
        2018,
        "prose",
        "gbk",
        ["GBK encoding", "CRLF line ends"],
        "2014–2018 outline with 回应解读 and 机构建设 sections; e-mail channel; "
        "already-public outcome; a complaint; noise (环评214件, 处罚137宗, 留言312条, "
        "专职人员2名, 6万元, 150人次)",
        newline="\r\n",
    ),
]

BUILDERS = {
    "r01": build_r01,
    "r02": build_r02,
    "r03": build_r03,
    "r04": build_r04,
    "r05": build_r05,
    "r06": build_r06,
    "r07": build_r07,
    "r08": build_r08,
    "r09": build_r09,
    "r10": build_r10,
    "r11": build_r11,
    "r12": build_r12,
}

# Measures whose table cells carry applicant or outcome breakdowns we do not label.
TABLE_MEASURES = {"review", "lit_direct", "lit_after_review", "lit_total"}


def complete_measures(r: Report, facts: Facts) -> list[str]:
    measures = []
    for f in facts.items:
        if f.measure in measures:
            continue
        if r.template != "prose" and (f.measure.startswith("req.") or f.measure in TABLE_MEASURES):
            continue
        measures.append(f.measure)
    return measures


# --------------------------------------------------------------------------------------
# Files that are not reports (the quarantine path)
# --------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    """A small valid-looking PNG (a scanned page saved with a .txt name)."""
    rng = random.Random(20170331)
    w, h = 64, 48
    raw = b"".join(b"\x00" + bytes(rng.randrange(200, 256) for _ in range(w)) for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def nav_page() -> str:
    items = [
        ("2018年政府信息公开工作年度报告", "2019-03-29"),
        ("2017年政府信息公开工作年度报告", "2018-03-30"),
        ("2016年政府信息公开工作年度报告", "2017-03-28"),
        ("2015年政府信息公开工作年度报告", "2016-03-31"),
        ("2014年政府信息公开工作年度报告", "2015-03-27"),
        ("2013年政府信息公开工作年度报告", "2014-03-31"),
        ("2012年政府信息公开工作年度报告", "2013-03-29"),
        ("2011年政府信息公开工作年度报告", "2012-03-30"),
    ]
    lis = "\n".join(
        f'<li><a href="./{d[:7].replace("-", "")}/t{d.replace("-", "")}_'
        f'{4100 + n}.html" target="_blank">{t}</a><span>{d}</span></li>'
        for n, (t, d) in enumerate(items)
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<title>政府信息公开年报_政府信息公开_阳新县人民政府</title>
</head>
<body>
<div class="top">阳新县人民政府 | 无障碍 | 长者模式 | 登录 | 注册</div>
<div class="nav"><a href="/">首页</a> <a href="#">政务动态</a> <a href="#">信息公开</a> <a href="#">政务服务</a> <a href="#">互动交流</a> <a href="#">走进阳新</a></div>
<div class="left"><h3>政府信息公开</h3><ul>
<li><a href="#">政府信息公开指南</a></li><li><a href="#">政府信息公开制度</a></li>
<li><a href="#">法定主动公开内容</a></li><li class="on"><a href="#">政府信息公开年报</a></li>
<li><a href="#">依申请公开</a></li></ul></div>
<div class="right">
<div class="crumb">当前位置：首页 &gt; 信息公开 &gt; 政府信息公开年报</div>
<ul class="list">
{lis}
</ul>
<div class="page">共1页 8条记录 <a href="#">首页</a> <a href="#">上一页</a> <span>1</span> <a href="#">下一页</a> <a href="#">尾页</a> 转到第<input type="text" size="2" />页</div>
</div>
<div class="footer">网站地图 | 联系我们 | 网站声明<br />主办：阳新县人民政府办公室</div>
</body>
</html>
"""


BAD_FILES = [
    ("2017nianbao_scan.txt", "binary: a PNG image saved with a .txt extension"),
    (
        "zfxxgknb_index.html",
        "an HTML list page of the 政府信息公开年报 column (links to eight "
        "years of reports, pagination): not a report",
    ),
]

# --------------------------------------------------------------------------------------
# Writing and checking
# --------------------------------------------------------------------------------------



def check_report(r: Report, text: str, data: bytes, facts: Facts) -> None:
    back = decode(data, r.encoding)
    assert back == text, f"{r.file}: does not round-trip through {r.encoding}"
    if r.encoding == "utf-8":
        assert not data.startswith(b"\xef\xbb\xbf")
    if r.encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    if r.encoding in ("gbk", "gb18030", "big5"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise AssertionError(f"{r.file}: {r.encoding} bytes also decode as UTF-8")
    # Every printed figure is still in the final text after the damage.
    try:
        check_figures_printed(facts, back, traditional=r.source[:3] in ("r05", "r06", "r11"))
    except AssertionError as exc:
        raise AssertionError(f"{r.file}: {exc}") from exc
    plain = T2S.convert(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǘǚǜü]+\)", "", back))
    for kw in ("主动公开", "行政复议", str(r.report_year)):
        assert kw in plain, (r.file, kw)


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    labels = []
    for r in REPORTS:
        facts = Facts()
        text = BUILDERS[r.source[:3]](r, facts)
        if r.newline != "\n":
            text = text.replace("\n", r.newline)
        data = encode(text, r.encoding)
        path = OUT / r.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        check_report(r, text, data, facts)
        entry = {
            "file": r.file,
            "agency": r.agency,
            "admin_level": r.admin_level,
            "province": r.province,
            "report_year": r.report_year,
            "template": r.template,
            "complete": complete_measures(r, facts),
            "facts": facts.as_label(),
        }
        if r.aliases:
            entry["agency_aliases"] = r.aliases
        labels.append(entry)
        print(
            f"{r.file:32} {r.encoding:9} {r.template:6} {r.report_year} "
            f"{len(data):6} bytes {len(facts.items):3} facts"
        )

    (OUT / BAD_FILES[0][0]).write_bytes(png_bytes())
    (OUT / BAD_FILES[1][0]).write_bytes(nav_page().encode("utf-8"))

    with (OUT / "labels.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for entry in labels:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    (OUT / "README.md").write_text(readme(), encoding="utf-8", newline="\n")
    return 0


def readme() -> str:
    rows = "\n".join(
        f"| `{r.file}` | {r.encoding} | {r.template} | {r.report_year} | {r.admin_level} | "
        f"{'; '.join(r.damage)} | {r.exercises} |"
        for r in REPORTS
    )
    bad = "\n".join(f"| `{name}` | {what} |" for name, what in BAD_FILES)
    return f"""# Sample corpus

Invented reports written for this project. They are not copies of real reports. Place
names and agency names are real, but every figure and sentence was made up for this
corpus. The files follow the real formats of 政府信息公开工作年度报告: pre-2019 prose
with the six-part outline (one with the 2014–2018 outline and its extra sections), the
2019 template (国办公开办函〔2019〕60号) and the 2021 template (国办公开办函〔2021〕30号).
They also carry the damage that real scraped files carry.

This folder is generated. Do not edit it by hand; change `scripts/make_sample_corpus.py` or
`scripts/sample_sources/` and run:

    uv run python scripts/make_sample_corpus.py

`labels.jsonl` labels every report file (not the two bad files) in the format of
`shared/spec/evaluation.md`. The labels come from the same figure markers that write
the texts, so they cannot drift from them. A figure printed twice, for example in the
prose and again in an annex or a table, is labelled once.

- For prose reports, every figure of a catalogue measure is labelled. Every measure
  that has a fact is listed in `complete`.
- For the gb2019/gb2021 reports, these are labelled:
  - the prose figures;
  - the 表三 总计 column for `req.new_received`, `req.carried_over`, `req.granted`,
    `req.partial`, `req.total_processed` and `req.carried_forward`;
  - the 表四 总计 cells for `review`, `lit_direct` and `lit_after_review`.

  Each of these has `breakdown: null`. The other table cells (applicant columns, the
  other 表三 rows, 表二) are not labelled, so the `req.*` and 表四 measures are left out
  of `complete` for these two reports.
- Counts that are not disclosure figures are left unlabelled on purpose. Examples:
  hotline calls, approval items, training, 人大建议, year-on-year changes, percentages,
  and the 历年累计 columns of requests.

## Reports

| file | encoding | template | year | level | damage | exercises |
|---|---|---|---|---|---|---|
{rows}

## Bad files (should be quarantined, not parsed)

| file | what it is |
|---|---|
{bad}
"""


if __name__ == "__main__":
    sys.exit(main())
