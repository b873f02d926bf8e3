"""Stage 4, metadata: who issued a report, about which year, when, in which template.

In: frame with `doc_id`, `text` (normalized) and `header_text`. Out: one row per document with
`agency`, `agency_reason` (why NULL), `admin_level`, `admin_level_basis`, `division_code`,
`division_reason` (why NULL), `province`, `report_year`, `report_year_basis`, `published_on`, `template`.

Administrative level comes from the national division table (transforms/reference/
divisions.csv, GB/T 2260 codes): the place an agency name starts with decides the level, so
二连浩特市 resolves to a county-level city although it ends in 市. The table is generated
from published code lists by scripts/build_divisions.py, never edited by hand.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

import polars as pl

from transforms.numbers import parse_chinese_numeral

REFERENCE = Path(__file__).parent / "reference"

# ---- reference tables ----------------------------------------------------------------------

# Suffixes that make a place name's short form ("渑池县" -> "渑池"); the longest first.
_PLACE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州",
                   "自治县", "自治旗", "地区", "林区", "新区", "省", "市", "县", "区", "旗", "盟")


@cache
def divisions() -> pl.DataFrame:
    """The division table plus special zones: code, name, short, level, province."""
    table = pl.read_csv(REFERENCE / "divisions.csv", schema_overrides={"code": pl.String,
                                                                      "prefecture_code": pl.String})
    zones = pl.read_csv(REFERENCE / "special_zones.csv").select(
        pl.lit(None, pl.String).alias("code"), "name", "level", "province",
        pl.lit(None, pl.String).alias("prefecture_code"), pl.lit("zone").alias("vintage"),
    )
    table = pl.concat([zones, table], how="vertical_relaxed")
    return table.with_columns(
        pl.col("name").map_elements(_short_name, return_dtype=pl.String).alias("short")
    )


@cache
def division_dimension() -> pl.DataFrame:
    """The warehouse's dim_division: one row per GB/T 2260 code with its newest name, its
    province and prefecture, and the names it had before (sql/schema/012_places.sql)."""
    table = divisions().filter(pl.col("vintage") != "zone")
    newest = table.sort(["code", "vintage"], descending=[False, True])
    names = newest.group_by("code", maintain_order=True).agg(
        pl.col("name").first(), pl.col("level").first(), pl.col("province").first(),
        pl.col("prefecture_code").first(), pl.col("vintage").first(),
        pl.col("name").slice(1).unique(maintain_order=True).str.join(";").alias("former_names"),
    )
    # The municipalities' placeholders (110100 市辖区, 500200 县) are no prefecture.
    real_prefectures = names.filter(
        (pl.col("level") == "prefecture") & ~pl.col("name").is_in(["市辖区", "县"])
    ).select(pl.col("code").alias("prefecture_code"), pl.col("name").alias("prefecture"))
    return names.with_columns(
        pl.when(pl.col("level") == "prefecture").then(pl.col("code"))
        .otherwise(pl.col("prefecture_code")).alias("prefecture_code"),
    ).join(real_prefectures, on="prefecture_code", how="left").with_columns(
        pl.when(pl.col("prefecture").is_null()).then(None)
        .otherwise(pl.col("prefecture_code")).alias("prefecture_code"),
        (pl.col("code").str.slice(0, 2) + "0000").alias("province_code"),
        pl.when(pl.col("former_names") == "").then(None).otherwise(pl.col("former_names"))
        .alias("former_names"),
    ).select(
        pl.col("code").alias("division_code"), "name", "level", "province_code", "province",
        "prefecture_code", "prefecture", "former_names", "vintage",
    ).sort("division_code")


def _short_name(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def _places() -> dict[str, list[dict]]:
    """place name (full or short) -> division rows carrying it."""
    out: dict[str, list[dict]] = {}
    for row in divisions().iter_rows(named=True):
        for key in {row["name"], row["short"]}:
            if len(key) >= 2 and key not in ("市辖区", "城区", "郊区", "矿区"):
                out.setdefault(key, []).append(row)
    return out


@cache
def _place_pattern() -> re.Pattern:
    names = sorted(_places(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


@cache
def province_names() -> dict[str, str]:
    """short or full province name -> full name."""
    out = {}
    for row in divisions().filter(pl.col("level") == "province").iter_rows(named=True):
        out[row["name"]] = row["name"]
        out[row["short"]] = row["name"]
    out["内蒙古"] = "内蒙古自治区"
    return out


# ---- agency --------------------------------------------------------------------------------

# Endings of an issuing body's name.
AGENCY_SUFFIX = (
    r"(?:人民政府办公厅|人民政府办公室|人民政府|政府办公室|政府办公厅|办公厅|办公室|委员会|管委会|"
    r"管理委员会|街道办事处|办事处|[局厅委办署院部会]|中心|[镇乡]|街道|苏木|实验区|新区|开发区|"
    r"[省市县区旗盟州])"
)
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_NAME_CHARS = "[" + HAN + "A-Za-z0-9（）()·]"
# Where reports name themselves, in order of trust.
_AGENCY_PATTERNS = [
    # "现公布二连浩特市人民政府办公室2011年政府信息公开年度报告"
    ("title phrase", re.compile(
        r"(?:现公布|特公布|现发布|发布)(" + _NAME_CHARS + r"{2,30}?" + AGENCY_SUFFIX + r")"
        r"\s*\d{4}\s*年度?(?:政府信息公开|政务公开|信息公开)")),
    # A title line: "漳州市国资委2014年政府信息公开工作要点落实情况报告"
    # (also inside a cover notice: "关于印发《杭州市财政局2017年度政府信息公开工作报告》的通知")
    ("title", re.compile(
        r"^\s*(?:关于(?:印发|公布|发布)[《〈]?)?(" + _NAME_CHARS + r"{2,30}?" + AGENCY_SUFFIX +
        r")(?:关于|落实)?[《〈]?\s*\d{4}\s*年度?[^\n]{0,30}?(?:政府信息公开|政务公开|信息公开)",
        re.M)),
    # A title with the year first: "2015年度南京市鼓楼区人民政府政府信息公开工作年度报告"
    ("title", re.compile(
        r"^\s*[《〈]?\s*\d{4}\s*年度?\s*(" + _NAME_CHARS + r"{2,30}?" + AGENCY_SUFFIX +
        r")\s*(?:政府信息公开|政务公开|信息公开)", re.M)),
    # "本报告在渑池县人民政府门户网站全文公开", "可在“中国·平潭”…" is not a name.
    ("report website", re.compile(
        r"本(?:年度)?报告[^。\n]{0,12}?在(" + _NAME_CHARS + r"{2,30}?" + AGENCY_SUFFIX + r")"
        r"(?:门户)?网站")),
    # "根据…要求，我区管委会办公室编制完成了本报告" names no place; a signature line does.
    # Flattened pages put it on the last line after the final sentence: "…便捷服务。
    # 平潭综合实验区管委会办公室 2014年12月10日 附件下载".
    ("signature", re.compile(
        r"(?:^|\n|[。！；]\s*)(" + _NAME_CHARS + r"{2,30}?" + AGENCY_SUFFIX + r")\s*\n?\s*"
        r"(?:\d{4}|二[〇○零]\S{2})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日\s*(?:附件下载|\S{0,6})\s*$")),
]
_BAD_AGENCY = re.compile(r"^(?:本|我|各|全|该|上级|有关|相关|政府信息|政务公开|关于|根据)")


def find_agency(text: str) -> tuple[str | None, str]:
    """(agency name, basis or reason) as the report names itself."""
    head = text[:3000]
    tail = text[-400:]
    for basis, pattern in _AGENCY_PATTERNS:
        source = tail if basis == "signature" else head
        for match in pattern.finditer(source):
            name = match.group(1).strip()
            if _BAD_AGENCY.match(name) or not _names_a_place_or_body(name):
                continue
            return name, basis
    return None, "the text never names the issuing agency (no title, self-description or signature)"


def _names_a_place_or_body(name: str) -> bool:
    # Townships are below the division table: 红花套镇人民政府 names a place all the same.
    if _place_pattern().search(name) or _TOWNSHIP.search(name):
        return True
    # Ministries name no place: 农业部, 海关总署.
    return bool(re.match(r"^(?:国务院|中华人民共和国|国家|中国|海关|最高)", name)
                or _CENTRAL.match(name))


# ---- level and province --------------------------------------------------------------------

_CENTRAL = re.compile(r"^(?:国务院|中华人民共和国|国家[" + HAN + r"]{1,12}(?:局|委员会|署|院)|"
                      r"(?:外交|国防|教育|科学技术|工业和信息化|公安|民政|司法|财政|人力资源和社会保障|"
                      r"自然资源|生态环境|住房和城乡建设|交通运输|水利|农业农村|商务|文化和旅游|"
                      r"退役军人事务|应急管理|审计|国土资源|环境保护|文化|卫生|农业|监察)部|"
                      r"海关总署|审计署|中国人民银行)")
_TOWNSHIP = re.compile(r"(?:[" + HAN + r"]{1,8}(?:镇|乡|街道|苏木)(?:人民政府|政府|办事处|党政办|"
                       r"人大|$)|街道办事处)")
_SELF_REFERENCE = re.compile(r"[我本](街道|镇|乡|县|旗|区|市|州|盟|省|自治区)")
# A township report may call itself just 街道 / 镇 as the subject: "2013年,街道共主动公开…",
# "请与街道党政办公室联系".
_BARE_SELF_REFERENCE = re.compile(
    r"(?:^|[^\u4e00-\u9fff]|[年与向由])(街道|镇|乡)"
    r"(?=共|全年|党政办|党委|办事处|人民政府|政府|认真|积极|严格|坚持|进一步|按照|围绕|始终)")


class Place(NamedTuple):
    """Where an issuer sits: its level, GB/T 2260 division (county level and above) and
    province, what decided the level, and why the division is unknown when it is."""

    level: str
    division_code: str | None
    province: str | None
    basis: str
    division_reason: str | None


def resolve_level(agency: str | None, text: str) -> Place:
    """The Place of an agency name within its text."""
    if agency and _CENTRAL.match(agency):
        return Place("central", None, None, "central government body",
                     "a central government body: national, below no division")
    reason = "the report never names its agency" if not agency else None
    if agency:
        place, reason = _resolve_place(agency, text)
        if place is not None:
            level = place["level"]
            rest = agency[agency.find(place["name"] if place["name"] in agency else place["short"]):]
            if place["code"] is None:
                reason = reason or _zone_reason(place)
            if _TOWNSHIP.search(rest.replace(place["name"], "", 1)):
                return Place("township", place["code"], place["province"],
                             f"township within {place['name']}", reason)
            return Place(level, place["code"], place["province"],
                         f"division table: {place['name']}", reason)
        if _TOWNSHIP.search(agency):
            return Place("township", None, _province_in_text(text), "township name",
                         reason or "a township or street office whose name names no county "
                                   "or higher division")
    # No usable name: the report's own self-references (我街道, 本县) tell the level.
    refs = [m.group(1) for m in _SELF_REFERENCE.finditer(text)] or [
        m.group(1) for m in _BARE_SELF_REFERENCE.finditer(text)]
    reason = reason or "the agency name names no division of the GB/T 2260 table"
    if refs:
        top = max(set(refs), key=refs.count)
        level = {"街道": "township", "镇": "township", "乡": "township", "县": "county",
                 "旗": "county", "区": "county", "省": "province", "自治区": "province",
                 "州": "prefecture", "盟": "prefecture"}.get(top)
        if level:
            return Place(level, None, _province_in_text(text), f"self-reference 我{top}/本{top}",
                         reason)
    return Place("unknown", None, _province_in_text(text), "no agency name or self-reference",
                 reason)


def _zone_reason(place: dict) -> str:
    if place["vintage"] == "zone":
        return (f"{place['name']} is a special zone with no GB/T 2260 code of its own "
                "(transforms/reference/special_zones.csv)")
    return (f"{place['name']} has had several GB/T 2260 codes in one province; the level and "
            "province are known, the code is not")


def _resolve_place(agency: str, text: str) -> tuple[dict | None, str | None]:
    """(the division an agency name starts with, or None; why the name's place is left
    unlinked, or None). Ambiguous short names use the text."""
    matches = list(_place_pattern().finditer(agency))
    if not matches:
        return None, None
    # Prefer the most specific (last, lowest-level) place named at the start of the name:
    # "河南省渑池县人民政府" -> 渑池县.
    candidates: list[dict] = []
    previous_end = None
    for match in matches:
        # Places nest contiguously (河南省渑池县); a name further in is a word of the
        # agency's own name (赣州市人力资源…局 does not name 资源县).
        if match.start() > 12 or (previous_end is not None and match.start() != previous_end):
            break
        previous_end = match.end()
        rows = _places()[match.group(0)]
        if candidates and candidates[0]["code"]:
            # Within the place named before ("南京市鼓楼区"): keep the rows under it.
            parent = candidates[0]
            prefix = parent["code"][:2] if parent["level"] == "province" else parent["code"][:4]
            inside = [r for r in rows if r["code"] and r["code"].startswith(prefix)
                      and r["code"] != parent["code"]]
            if inside:
                rows = inside
        chosen = _disambiguate(rows, text)
        if not chosen and not candidates:
            # An ambiguous name stays unlinked: a guess would put the agency in the wrong
            # province's panel.
            return None, _ambiguity_reason(match.group(0), rows)
        # Under a place already resolved, an ambiguous word is part of the agency's own
        # name, not a place of its own: the place before it stands.
        candidates = chosen or candidates
    return (candidates[0] if candidates else None), None


@cache
def _county_prefectures() -> dict[str, str]:
    """GB/T 2260 code of a county -> the prefecture it lies in (none in the municipalities)."""
    counties = division_dimension().filter(
        (pl.col("level") == "county") & pl.col("prefecture").is_not_null())
    return dict(counties.select("division_code", "prefecture").iter_rows())


def _ambiguity_reason(name: str, rows: list[dict]) -> str:
    def where(row: dict) -> str:
        prefecture = _county_prefectures().get(row["code"] or "", "")
        return ((row["province"] or "") + prefecture
                + ("" if row["name"] == row["province"] else row["name"]))

    places = sorted({(r["code"] or "", where(r)) for r in rows})
    listed = "; ".join(f"{code} {place}".strip() for code, place in places[:8])
    more = f" and {len(places) - 8} more" if len(places) > 8 else ""
    return (f"ambiguous: {name} names {len(places)} divisions ({listed}{more}) and the text "
            "does not say which")


def _disambiguate(rows: list[dict], text: str) -> list[dict]:
    if len({(r["code"], r["level"]) for r in rows}) <= 1:
        return rows[:1]
    # Several divisions share the name: keep those whose province or prefecture the text names.
    mentioned = {full for short, full in province_names().items() if short in text[:5000]}
    narrowed = [r for r in rows if r["province"] in mentioned]
    if len({r["code"] for r in narrowed}) == 1:
        return narrowed[:1]
    # Still several codes, but one level in one province (嘉黎县: 542422 until 那曲地区
    # became a city, 540621 since): the level and province are known, the code is not.
    rows = narrowed or rows
    if len({(r["level"], r["province"]) for r in rows}) == 1:
        return [{**rows[0], "code": None}]
    return []


@cache
def _province_authority_pattern() -> re.Pattern:
    """A province named as an authority: 福建省人民政府办公厅, 内蒙古自治区政府."""
    names = sorted((re.escape(k) for k in province_names() if len(k) >= 2), key=len, reverse=True)
    return re.compile("(" + "|".join(names) + r")(?:省|自治区|市)?(?:人民政府|政府|委|办公厅)")


def _province_in_text(text: str) -> str | None:
    """A province the text names as its own context (省政府办公厅 notices, 我省), if unique."""
    found = _province_authority_pattern().findall(text[:6000])
    provinces = {province_names()[f] for f in found}
    return provinces.pop() if len(provinces) == 1 else None


# ---- year, date, template ------------------------------------------------------------------

_STAT_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|范围)?[^。\n]{0,8}?(?:自|从|为)?\s*(\d{4})\s*年\s*1\s*月\s*1\s*日")
_TITLE_YEAR = re.compile(
    r"(\d{4})\s*年度?\s*(?:[^\n。，,]{0,16}?)(?:政府信息公开|政务公开|信息公开)[^\n。]{0,20}?"
    r"(?:年度报告|年报|工作报告|情况报告|报告)")
_SENTENCE_YEAR = re.compile(r"(?:^|[。\n])\s*(?:[一二三四五六七八九十]+、[^\n。]{0,20}?)?(\d{4})\s*年[，,]", re.M)
_DATE = r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?"
_PUBLISHED_LABEL = re.compile(r"(?:发布时间|发布日期|发文日期|成文日期|生成日期|日期|时间)\s*[:：]\s*" + _DATE)
_LEADING_DATE = re.compile(r"\A\s*" + _DATE)
_TRAILING_DATE = re.compile(r"(\d{4}|二[〇○零][〇○零一二三四五六七八九]{2})\s*年\s*"
                            r"([0-9一二三四五六七八九十]{1,3})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日\s*\Z")


def find_report_year(text: str, published: date | None) -> tuple[int | None, str]:
    """(year reported on, basis). The statistics period is the strongest evidence."""
    match = _STAT_PERIOD.search(text[:4000])
    if match:
        return int(match.group(1)), "statistics period"
    for line in text[:600].split("\n")[:4]:
        match = _TITLE_YEAR.search(line)
        if match:
            return int(match.group(1)), "title"
    match = _TITLE_YEAR.search(text[:3000])
    if match:
        return int(match.group(1)), "report named in text"
    years = [int(y) for y in _SENTENCE_YEAR.findall(text)
             if 2000 <= int(y) <= (published.year if published else 2100)]
    if years:
        return max(set(years), key=years.count), "most frequent year opening a sentence"
    if published:
        return published.year - 1, "publication year minus one"
    return None, "no year in the text"


def _to_date(y: str, m: str, d: str) -> date | None:
    def num(s: str) -> int | None:
        return int(s) if s.isdigit() else parse_chinese_numeral(s)

    try:
        return date(num(y), num(m), num(d))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def find_published_on(text: str, header: str | None) -> date | None:
    """The publication date printed with the report (page header, top line, signature)."""
    for source in (header or "", text[:1500]):
        match = _PUBLISHED_LABEL.search(source)
        if match:
            return _to_date(*match.groups())
    match = _LEADING_DATE.search(text)
    if match:
        return _to_date(*match.groups())
    match = _TRAILING_DATE.search(text[-200:])
    if match:
        return _to_date(*match.groups())
    return None


# Column headers and rows that only the standard templates print.
GB2021_MARKERS = r"本年制发件数|本年废止件数|现行有效件数|申请人无正当理由逾期不补正|逾期未按收费通知要求缴纳费用"
GB2019_MARKERS = r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|采购项目数量|采购总金额"
TABLE3_MARKERS = r"本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|结转下年度继续办理"


def detect_template(text: str) -> str:
    """gb2021, gb2019 or prose, from the header strings the templates print."""
    if re.search(GB2021_MARKERS, text):
        return "gb2021"
    if re.search(GB2019_MARKERS, text):
        return "gb2019"
    if re.search(TABLE3_MARKERS, text):
        # 表三 without the 表二 headers: the （六） rows tell the two templates apart.
        return "gb2021" if re.search(r"逾期不补正|不再处理其政府信息公开申请", text) else "gb2019"
    return "prose"


# ---- the stage -----------------------------------------------------------------------------


def report_metadata(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per document with its metadata (see module docstring)."""
    rows = []
    # Per document: each field is a search over the document's own text and the tables.
    for doc_id, text, header in docs.select("doc_id", "text", "header_text").iter_rows():
        published = find_published_on(text, header)
        # An archived page's crawl header carries the page title ("标题: …"): read it as
        # the report's first line.
        title = re.search(r"标题\s*[:：]\s*([^\n]+)", header or "")
        titled = (title.group(1) + "\n" + text) if title else text
        year, year_basis = find_report_year(titled, published)
        agency, agency_basis = find_agency(titled)
        place = resolve_level(agency, text)
        rows.append({
            "doc_id": doc_id, "agency": agency,
            "agency_reason": None if agency else agency_basis,
            "agency_basis": agency_basis if agency else None,
            "admin_level": place.level, "admin_level_basis": place.basis,
            "division_code": place.division_code, "division_reason": place.division_reason,
            "province": place.province, "report_year": year, "report_year_basis": year_basis,
            "published_on": published, "template": detect_template(text),
        })
    schema = {"doc_id": pl.String, "agency": pl.String, "agency_reason": pl.String,
              "agency_basis": pl.String, "admin_level": pl.String,
              "admin_level_basis": pl.String, "division_code": pl.String,
              "division_reason": pl.String, "province": pl.String, "report_year": pl.Int32,
              "report_year_basis": pl.String,
              "published_on": pl.Date, "template": pl.String}
    return pl.DataFrame(rows, schema=schema)
