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



# ---- Cells as strings, for every printed form -------------------------------------------
# A table is kept as printed cells (strings: "12", "" for a blank, "/" for not applicable)
# so the labels and every rendering read the same cells.

T3_BREAKDOWNS = [f"applicant:{c}" for c in T3_COLS] + [None]
T4_BREAKDOWNS = ["outcome:maintained", "outcome:corrected", "outcome:other", "outcome:pending",
                 None]

# 表二 of each template: (section, header, [(row label, measure prefix, [column suffixes])]).
T2_LAYOUT = {
    "gb2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", "rule", ["issued", "repealed", "in_force"]),
          ("行政规范性文件", "normdoc", ["issued", "repealed", "in_force"])]),
        ("第二十条第（五）项", ["本年处理决定数量"],
         [("行政许可", "licensing", ["decisions"])]),
        ("第二十条第（六）项", ["本年处理决定数量"],
         [("行政处罚", "punishment", ["decisions"]), ("行政强制", "coercion", ["decisions"])]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"],
         [("行政事业性收费", "admin_fee", ["amount"])]),
    ],
    "gb2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", "rule", ["made", "published", "public_total"]),
          ("规范性文件", "normdoc", ["made", "published", "public_total"])]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", "licensing", ["items_prev", "items_change", "decisions"]),
          ("其他对外管理服务事项", "other_service", ["items_prev", "items_change", "decisions"])]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", "punishment", ["items_prev", "items_change", "decisions"]),
          ("行政强制", "coercion", ["items_prev", "items_change", "decisions"])]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
         [("行政事业性收费", "admin_fee", ["items_prev", "items_change"])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"],
         [("政府集中采购", "procurement", ["projects", "amount"])]),
    ],
}


def cell_value(cell: str, money_unit: float = 1) -> float | None:
    """The number a printed cell states, or None for a blank or a mark."""
    text = cell.strip().removesuffix("万元").removesuffix("元")
    if not text or text in ("/", "-", "—", "无"):
        return None
    unit = 10000 if cell.strip().endswith("万元") else money_unit
    return float(text) * unit


def label_table_cells(facts: Facts, template: str, t2: dict[str, list[str]],
                      t3: dict[str, list[str]], t4: dict[str, list[str]]) -> None:
    """Every number the three tables print, as a fact (blanks and marks are not facts)."""
    for _, _, rows in T2_LAYOUT[template]:
        for label, prefix, columns in rows:
            for suffix, cell in zip(columns, t2[label], strict=True):
                # 表二 gb2021 prints 行政事业性收费 in 万元 (the header says so).
                unit = 10000 if (prefix, suffix) == ("admin_fee", "amount") else 1
                value = cell_value(cell, unit)
                if value is not None:
                    facts.add(f"{prefix}.{suffix}", None, round(value, 6), token=cell)
    head, results, tail, foot = t3_rows(template)
    for key, _, _ in head + results + tail + foot:
        for breakdown, cell in zip(T3_BREAKDOWNS, t3[key], strict=True):
            value = cell_value(cell)
            if value is not None:
                facts.add(f"req.{key}", breakdown, value, token=cell)
    for group in T4_GROUPS:
        for breakdown, cell in zip(T4_BREAKDOWNS, t4[group], strict=True):
            value = cell_value(cell)
            if value is not None:
                facts.add(group, breakdown, value, token=cell)


def table_measures(template: str) -> list[str]:
    """The measures whose every fact the three tables print (complete in the labels)."""
    head, results, tail, foot = t3_rows(template)
    t2 = [f"{prefix}.{suffix}" for _, _, rows in T2_LAYOUT[template]
          for _, prefix, columns in rows for suffix in columns]
    return t2 + [f"req.{key}" for key, _, _ in head + results + tail + foot] + T4_GROUPS


# 表三's and 表四's header rows as an HTML-to-text converter gives them: a merged cell is
# repeated over the columns it spans.
T3_HEADER_ROWS = [
    [T3_NOTE] + ["申请人情况"] * 7,
    [T3_NOTE, "自然人"] + ["法人或其他组织"] * 5 + ["总计"],
    [T3_NOTE, "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
]
T4_HEADER_ROWS = [
    ["行政复议"] * 5 + ["行政诉讼"] * 10,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5
    + ["复议后起诉"] * 5,
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
]

# A printed table: ("header", cells) and ("row", [label, *cells]) in print order.
TextTable = list[tuple[str, list[str]]]


def t3_label_columns(template: str) -> list[tuple[str, list[str]]]:
    """(row key, [outer, group, row label]) as the template's three label columns are
    printed once span-expanded (三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密)."""
    head, results, tail, foot = t3_rows(template)
    out = [(key, [label] * 3) for key, _, label in head]
    out += [(key, ["三、本年度办理结果", group or label, label]) for key, group, label in results + tail]
    return out + [(key, [label] * 3) for key, _, label in foot]


def t3_labelled_rows(template: str) -> list[tuple[str, str]]:
    """(row key, row label as a page flattens it): the outer and group labels glued before
    the first row under them, as a crawler reads merged cells (三、本年度办理结果（一）予以公开)."""
    out, seen = [], set()
    for key, (outer, group, label) in t3_label_columns(template):
        glued = "".join(part for part in dict.fromkeys((outer, group))
                        if part != label and part not in seen)
        seen.update((outer, group))
        out.append((key, glued + label))
    return out


def text_tables(template: str, t2: dict, t3: dict, t4: dict,
                spans_expanded: bool = False) -> dict[str, TextTable]:
    """表二, 表三 and 表四 as header rows and labelled rows, the forms' common source. With
    `spans_expanded` (a converter's pipe table), 表三 keeps its three label columns."""
    t2_rows: TextTable = []
    for section, header, rows in T2_LAYOUT[template]:
        t2_rows.append(("header", [section]))
        t2_rows.append(("header", ["信息内容", *header]))
        t2_rows += [("row", [label, *t2[label]]) for label, _, _ in rows]
    if spans_expanded:
        t3_rows_: TextTable = [("header", row[:1] * 2 + row) for row in T3_HEADER_ROWS]
        t3_rows_ += [("row", [*labels, *t3[key]]) for key, labels in t3_label_columns(template)]
    else:
        t3_rows_ = [("header", row) for row in T3_HEADER_ROWS]
        t3_rows_ += [("row", [label, *t3[key]]) for key, label in t3_labelled_rows(template)]
    t4_rows: TextTable = [("header", row) for row in T4_HEADER_ROWS]
    t4_rows.append(("row", [c for g in T4_GROUPS for c in t4[g]]))
    return {"t2": t2_rows, "t3": t3_rows_, "t4": t4_rows}


def _dedupe_runs(cells: list[str]) -> list[str]:
    """A merged header cell printed once (行政复议 over five columns is one word in text)."""
    return [c for i, c in enumerate(cells) if i == 0 or c != cells[i - 1]]


def _words(kind: str, cells: list[str]) -> list[str]:
    return _dedupe_runs(cells) if kind == "header" else cells


def render_spaced(table: TextTable) -> list[str]:
    """Rows as a PDF's text layer gives them: one line each, spaces between cells (a blank
    cell leaves no trace)."""
    return [" ".join(c for c in _words(kind, cells) if c) for kind, cells in table]


def render_lines(table: TextTable) -> list[str]:
    """Every cell on its own line (a PDF whose text layer breaks after each cell)."""
    return [c for kind, cells in table for c in _words(kind, cells) if c]


def render_glued(table: TextTable) -> str:
    """Every cell glued to the next, as a crawler flattens a table (blanks vanish)."""
    return "".join("".join(_words(kind, cells)) for kind, cells in table)


def _expanded(cells: list[str], width: int) -> list[str]:
    """A row's cells with its last one spanning the rest of the width, repeated as an
    HTML-to-text converter repeats a merged cell."""
    return cells + [cells[-1]] * (width - len(cells))


def render_pipe(table: TextTable) -> list[str]:
    """Markdown pipe rows (merged cells repeated), a separator after the first."""
    width = max(len(cells) for _, cells in table)
    out = []
    for _, cells in table:
        out.append("| " + " | ".join(_expanded(cells, width)) + " |")
        if len(out) == 1:
            out.append("|" + "---|" * width)
    return out


def html_table(table: TextTable) -> str:
    """A plain HTML table of the rows, a short row's last cell spanning the rest."""
    width = max(len(cells) for _, cells in table)
    body = []
    for _, cells in table:
        tds = [td(c or "&nbsp;") for c in cells[:-1]]
        tds.append(td(cells[-1] or "&nbsp;", colspan=width - len(cells) + 1))
        body.append("<tr>" + "".join(tds) + "</tr>")
    return table_open() + "\n".join(body) + "\n</tbody>\n</table>"
