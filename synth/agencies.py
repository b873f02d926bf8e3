"""Who publishes a synthetic report: an agency at one of the five levels, named as real
reports name themselves (place from the GB/T 2260 division table + body)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from transforms.metadata import divisions

LEVEL_WEIGHTS = {"central": 2, "province": 8, "prefecture": 25, "county": 45, "township": 20}

# (name until the 2018 reorganisation, name since): a report carries the name of its year.
MINISTRIES = [("国土资源部", "自然资源部"), ("环境保护部", "生态环境部"), ("交通运输部", "交通运输部"),
              ("水利部", "水利部"), ("农业部", "农业农村部"), ("商务部", "商务部"),
              ("民政部", "民政部"), ("司法部", "司法部"), ("财政部", "财政部"), ("教育部", "教育部"),
              ("科学技术部", "科学技术部"), ("文化部", "文化和旅游部"),
              ("国家安全生产监督管理总局", "应急管理部"),
              ("国家卫生和计划生育委员会", "国家卫生健康委员会"), ("国家税务总局", "国家税务总局"),
              ("国家工商行政管理总局", "国家市场监督管理总局"), ("国家统计局", "国家统计局"),
              ("国家林业局", "国家林业和草原局"), ("国家知识产权局", "国家知识产权局"),
              ("海关总署", "海关总署"), ("审计署", "审计署")]

# Bodies under a province / a city or county. Before the 2018 reorganisation some had
# other names (国土资源, 环境保护, 卫生和计划生育); reports carry the name of their year.
PROVINCE_BODIES = ["人民政府", "人民政府办公厅", "教育厅", "科学技术厅", "民政厅", "司法厅",
                   "财政厅", "人力资源和社会保障厅", "住房和城乡建设厅", "交通运输厅", "水利厅",
                   "商务厅", "审计厅", "统计局", "市场监督管理局"]
PROVINCE_BODIES_BEFORE_2019 = ["国土资源厅", "环境保护厅", "卫生和计划生育委员会", "农业厅"]
PROVINCE_BODIES_SINCE_2019 = ["自然资源厅", "生态环境厅", "卫生健康委员会", "农业农村厅",
                              "应急管理厅", "医疗保障局"]
LOCAL_BODIES = ["人民政府", "人民政府", "人民政府", "人民政府办公室", "教育局", "民政局", "司法局",
                "财政局", "人力资源和社会保障局", "住房和城乡建设局", "交通运输局", "水务局",
                "商务局", "审计局", "统计局", "市场监督管理局"]
LOCAL_BODIES_BEFORE_2019 = ["国土资源局", "环境保护局", "卫生和计划生育委员会", "农业局"]
LOCAL_BODIES_SINCE_2019 = ["自然资源和规划局", "生态环境局", "卫生健康委员会", "农业农村局",
                           "应急管理局", "医疗保障局", "退役军人事务局"]

# How a body refers to itself in its own text (我局, 我委, 我市).
_SELF = {"厅": "厅", "局": "局", "委员会": "委", "部": "部", "署": "署", "办公室": "办",
         "办公厅": "厅", "总局": "局"}

_TOWN_FIRST = "东西南北新太平安长永宁青石龙白马金河山桥沙湖清黄红高云花柳杨"
_TOWN_SECOND = "兴和丰乐城阳江溪口坪岭集店铺湾塘庄桥田林源堡台坝"


@dataclass(frozen=True)
class Agency:
    name: str | None        # as the report names itself (None: the report never says)
    level: str              # central, province, prefecture, county, township
    province: str | None
    self_word: str          # 我局, 我市, 我镇 ...


@lru_cache(maxsize=1)
def _places() -> dict[str, list[dict]]:
    table = divisions()
    skip = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
    rows = [r for r in table.iter_rows(named=True) if r["name"] not in skip]
    names = {r["code"]: r["name"] for r in rows}
    out: dict[str, list[dict]] = {"province": [], "prefecture": [], "county": []}
    for row in rows:
        if row["level"] in out:
            out[row["level"]].append({**row, "prefecture": names.get(row["prefecture_code"])})
    return out


def _self_word(body: str, place_suffix: str) -> str:
    if body.startswith("人民政府"):
        return "我" + place_suffix
    for suffix, word in _SELF.items():
        if body.endswith(suffix):
            return "我" + word
    return "我单位"


def pick_agency(rng: random.Random, year: int) -> Agency:
    level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    places = _places()
    if level == "central":
        name = rng.choice(MINISTRIES)[0 if year < 2018 else 1]
        return Agency(name, "central", None, _self_word(name, ""))
    if level == "province":
        place = rng.choice(places["province"])
        bodies = PROVINCE_BODIES + (PROVINCE_BODIES_BEFORE_2019 if year < 2019
                                    else PROVINCE_BODIES_SINCE_2019)
        if place["name"].endswith("市"):  # 北京市: its departments are 局/委
            bodies = LOCAL_BODIES
        body = rng.choice(bodies)
        return Agency(place["name"] + body, "province", place["province"],
                      _self_word(body, place["name"][-1] if place["name"][-1] in "省市" else "区"))
    if level == "prefecture":
        place = rng.choice(places["prefecture"])
        body = rng.choice(LOCAL_BODIES + (LOCAL_BODIES_BEFORE_2019 if year < 2019
                                          else LOCAL_BODIES_SINCE_2019))
        return Agency(place["name"] + body, "prefecture", place["province"],
                      _self_word(body, place["name"][-1]))
    place = rng.choice(places["county"])
    if level == "county":
        body = rng.choice(LOCAL_BODIES + (LOCAL_BODIES_BEFORE_2019 if year < 2019
                                          else LOCAL_BODIES_SINCE_2019))
        # County names repeat across the country (鼓楼区): many reports put the city first.
        city = place["prefecture"] if place["prefecture"] and rng.random() < 0.4 else ""
        return Agency(city + place["name"] + body, "county", place["province"],
                      _self_word(body, place["name"][-1]))
    town = rng.choice(_TOWN_FIRST) + rng.choice(_TOWN_SECOND)
    kind, body = rng.choice([("镇", "镇人民政府"), ("乡", "乡人民政府"), ("街道", "街道办事处")])
    county = place["name"] if rng.random() < 0.5 else ""
    return Agency(county + town + body, "township", place["province"], "我" + kind)
