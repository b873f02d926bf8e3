# ruff: noqa: E501  (long lines are report text and page markup)
"""The standard tables of the 2019 and 2021 templates (表二, 表三, 表四): their rows, the
identities that fill the derived cells, and the forms pages print them in (HTML, text
flattened into digit runs)."""

from __future__ import annotations

from synth.labels import Facts

T3_COLS = ["natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org"]

# (row key, group label or None, row label). Group rows are printed once (rowspan).
T3_HEAD = [
    ("new_received", None, "一、本年新收政府信息公开申请数量"),
    ("carried_over", None, "二、上年结转政府信息公开申请数量"),
]
T3_RESULTS_COMMON = [
    ("granted", None, "（一）予以公开"),
    ("partial", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "（三）不予公开", "1.属于国家秘密"),
    ("denied.law_forbidden", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied.third_party", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied.process_info", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied.admin_query", "（三）不予公开", "8.属于行政查询事项"),
    ("unable.not_held", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable.needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable.unclear", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.repeat", "（五）不予处理", "2.重复申请"),
    ("not_processed.publication", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.mass_repeat", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.confirm", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
]
T3_OTHER = {
    "gb2019": [("other", None, "（六）其他处理")],
    "gb2021": [
        (
            "other.no_correction",
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (
            "other.fee_unpaid",
            "（六）其他处理",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("other.other", "（六）其他处理", "3.其他"),
    ],
}
T3_TAIL_RESULT = [("total_processed", None, "（七）总计")]
T3_FOOT = [("carried_forward", None, "四、结转下年度继续办理")]
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_LABELLED = [
    "new_received",
    "carried_over",
    "granted",
    "partial",
    "total_processed",
    "carried_forward",
]

T4_GROUPS = ["review", "lit_direct", "lit_after_review"]
T4_OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def t3_rows(template: str):
    results = T3_RESULTS_COMMON + T3_OTHER[template]
    return T3_HEAD, results, T3_TAIL_RESULT, T3_FOOT


def t3_compute(template: str, data: dict[str, list[int]]) -> dict[str, list[int]]:
    """Fill zeros, compute the 总计 column, （七）总计 and 结转下年度 rows."""
    head, results, _, _ = t3_rows(template)
    known = {k for k, _, _ in head + results}
    if set(data) - known:
        raise ValueError(f"unknown 表三 rows {set(data) - known}")
    table: dict[str, list[int]] = {}
    for key, _, _ in head + results:
        vals = list(data.get(key, [0] * 6))
        assert len(vals) == 6, key
        table[key] = vals + [sum(vals)]
    total = [sum(table[k][i] for k, _, _ in results) for i in range(7)]
    table["total_processed"] = total
    fwd = [table["new_received"][i] + table["carried_over"][i] - total[i] for i in range(7)]
    if min(fwd) < 0:
        raise ValueError(f"negative carry-forward {fwd}")
    table["carried_forward"] = fwd
    return table


def t4_compute(data: dict[str, list[int]]) -> dict[str, list[int]]:
    return {
        g: list(data.get(g, [0, 0, 0, 0])) + [sum(data.get(g, [0, 0, 0, 0]))] for g in T4_GROUPS
    }


def label_tables(facts: Facts, t3: dict, t4: dict) -> None:
    for key in T3_LABELLED:
        facts.add(f"req.{key}", None, t3[key][6], token=str(t3[key][6]))
    for g in T4_GROUPS:
        facts.add(g, None, t4[g][4], token=str(t4[g][4]))


# ---- HTML rendering (gb2019 page) -----------------------------------------------------

TD = '<td style="border:1px solid windowtext;padding:0 4px"{attrs}><p>{text}</p></td>'


def td(text, colspan=1, rowspan=1, width=None):
    attrs = ""
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if width:
        attrs += f' width="{width}"'
    return TD.format(attrs=attrs, text=text)


def table_open():
    return (
        '<table border="1" cellspacing="0" cellpadding="0" align="center" '
        'style="border-collapse:collapse;border:none">\n<tbody>\n'
    )


def html_t2_gb2019(t2: dict) -> str:
    rows = []
    head3 = ["本年新制作数量", "本年新公开数量", "对外公开总数量"]
    head_items = ["上一年项目数量", "本年增/减", "处理决定数量"]

    def section(title):
        rows.append("<tr>" + td(title, colspan=4) + "</tr>")

    section("第二十条第（一）项")
    rows.append("<tr>" + td("信息内容") + "".join(td(h) for h in head3) + "</tr>")
    for name in ("规章", "规范性文件"):
        rows.append("<tr>" + td(name) + "".join(td(v) for v in t2[name]) + "</tr>")
    section("第二十条第（五）项")
    rows.append("<tr>" + td("信息内容") + "".join(td(h) for h in head_items) + "</tr>")
    for name in ("行政许可", "其他对外管理服务事项"):
        rows.append("<tr>" + td(name) + "".join(td(v) for v in t2[name]) + "</tr>")
    section("第二十条第（六）项")
    rows.append("<tr>" + td("信息内容") + "".join(td(h) for h in head_items) + "</tr>")
    for name in ("行政处罚", "行政强制"):
        rows.append("<tr>" + td(name) + "".join(td(v) for v in t2[name]) + "</tr>")
    section("第二十条第（八）项")
    rows.append(
        "<tr>" + td("信息内容") + td("上一年项目数量") + td("本年增/减", colspan=2) + "</tr>"
    )
    v = t2["行政事业性收费"]
    rows.append("<tr>" + td("行政事业性收费") + td(v[0]) + td(v[1], colspan=2) + "</tr>")
    section("第二十条第（九）项")
    rows.append(
        "<tr>" + td("信息内容") + td("采购项目数量") + td("采购总金额", colspan=2) + "</tr>"
    )
    v = t2["政府集中采购"]
    rows.append("<tr>" + td("政府集中采购") + td(v[0]) + td(v[1], colspan=2) + "</tr>")
    return table_open() + "\n".join(rows) + "\n</tbody>\n</table>"


def html_t3(template: str, t3: dict) -> str:
    head, results, tail, foot = t3_rows(template)
    blank_zero_rows = {k for k, _, _ in results}  # result rows print zeros as blanks

    def cells(key):
        out = []
        for v in t3[key]:
            text = "&nbsp;" if (v == 0 and key in blank_zero_rows) else str(v)
            out.append(td(text))
        return "".join(out)

    rows = [
        "<tr>"
        + td(T3_NOTE, colspan=3, rowspan=3, width=277)
        + td("申请人情况", colspan=7)
        + "</tr>",
        "<tr>"
        + td("自然人", rowspan=2)
        + td("法人或其他组织", colspan=5)
        + td("总计", rowspan=2)
        + "</tr>",
        "<tr>"
        + td("商业</p><p>企业")
        + td("科研</p><p>机构")
        + td("社会公益组织")
        + td("法律服务机构")
        + td("其他")
        + "</tr>",
    ]
    for key, _, label in head:
        rows.append("<tr>" + td(label, colspan=3) + cells(key) + "</tr>")
    block = results + tail
    group_sizes: dict[str, int] = {}
    for _, group, _ in block:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    seen_groups: set[str] = set()
    for n, (key, group, label) in enumerate(block):
        row = "<tr>"
        if n == 0:
            row += td("三、本年度办理结果", rowspan=len(block))
        if group is None:
            row += td(label, colspan=2)
        else:
            if group not in seen_groups:
                seen_groups.add(group)
                row += td(group, rowspan=group_sizes[group])
            row += td(label)
        rows.append(row + cells(key) + "</tr>")
    for key, _, label in foot:
        rows.append("<tr>" + td(label, colspan=3) + cells(key) + "</tr>")
    return table_open() + "\n".join(rows) + "\n</tbody>\n</table>"


def html_t4(t4: dict) -> str:
    rows = [
        "<tr>" + td("行政复议", colspan=5) + td("行政诉讼", colspan=10) + "</tr>",
        "<tr>"
        + "".join(td(h, rowspan=2) for h in T4_OUTCOMES)
        + td("未经复议直接起诉", colspan=5)
        + td("复议后起诉", colspan=5)
        + "</tr>",
        "<tr>" + "".join(td(h) for h in T4_OUTCOMES * 2) + "</tr>",
        "<tr>" + "".join(td(v) for g in T4_GROUPS for v in t4[g]) + "</tr>",
    ]
    return table_open() + "\n".join(rows) + "\n</tbody>\n</table>"


# ---- Flattened text rendering (gb2021 page read as text) ------------------------------


def flat_t2_gb2021(t2: dict) -> str:
    s = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
    s += "规章" + "".join(map(str, t2["规章"]))
    s += "行政规范性文件" + "".join(map(str, t2["行政规范性文件"]))
    s += "第二十条第（五）项信息内容本年处理决定数量行政许可" + str(t2["行政许可"])
    s += "第二十条第（六）项信息内容本年处理决定数量"
    s += "行政处罚" + str(t2["行政处罚"]) + "行政强制" + str(t2["行政强制"])
    s += "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费"
    s += t2["行政事业性收费"]
    return s


def flat_t3(template: str, t3: dict) -> str:
    head, results, tail, foot = t3_rows(template)
    # The column header as a crawler reads it, with the line breaks of narrow cells.
    s = (
        T3_NOTE
        + "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益 组织 法律服务 机构 其他"
    )
    for key, _, label in head:
        s += label + "".join(map(str, t3[key]))
    s += "三、本年度办 理结果 "
    seen: set[str] = set()
    for key, group, label in results + tail:
        if group and group not in seen:
            seen.add(group)
            s += group
        s += label + "".join(map(str, t3[key]))
    for key, _, label in foot:
        s += label + "".join(map(str, t3[key]))
    return s


def flat_t4(t4: dict) -> str:
    s = (
        "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
        "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
    )
    return s + "".join(str(v) for g in T4_GROUPS for v in t4[g])

