"""Metadata of the real seeds, checked against what the texts say."""

from datetime import date

import pytest

from tests.conftest import PINGTAN
from transforms.metadata import detect_template, find_agency, resolve_level


def meta(parsed, prefix):
    docs = parsed["documents"]
    return docs.filter(docs["file"].str.starts_with(prefix)).row(0, named=True)


@pytest.mark.parametrize(("prefix", "agency", "level", "province", "year"), [
    ("000", "漳州市国资委", "prefecture", "福建省", 2014),
    ("001", "渑池县人民政府", "county", "河南省", 2018),
    ("002", "湘潭市人民政府", "prefecture", "湖南省", 2014),
    # 二连浩特市 ends in 市 but is a county-level city (code 152501).
    ("003", "二连浩特市人民政府办公室", "county", "内蒙古自治区", 2011),
])
def test_seed_metadata(parsed_seeds, prefix, agency, level, province, year):
    row = meta(parsed_seeds, prefix)
    assert (row["agency"], row["admin_level"], row["province"], row["report_year"]) == (
        agency, level, province, year)
    assert row["template"] == "prose"


def test_unnamed_agency_is_null_with_reason(parsed_seeds):
    row = meta(parsed_seeds, "004")
    assert row["agency"] is None and "never names" in row["agency_reason"]
    assert row["admin_level"] == "township"  # 我街道 / 街道党政办公室
    # Published 2021-04-10 about 2013 (statistics period 2013-01-01 to 2013-12-01).
    assert (row["report_year"], row["published_on"]) == (2013, date(2021, 4, 10))


def test_publication_date_is_not_the_report_year(parsed_seeds):
    row = meta(parsed_seeds, "002")
    assert (row["report_year"], row["published_on"]) == (2014, date(2015, 6, 29))


def test_level_from_division_table_not_suffix():
    assert resolve_level("二连浩特市人民政府", "")[0] == "county"
    assert resolve_level("湘潭市人民政府", "")[0] == "prefecture"
    assert resolve_level("河北省人民政府办公厅", "")[0] == "province"
    assert resolve_level("渑池县城关镇人民政府", "")[0] == "township"
    assert resolve_level("财政部", "")[0] == "central"
    # 资源县 (Guangxi) hides in 人力资源 and 自然资源: only places named in a row count.
    assert resolve_level("赣州市人力资源和社会保障局", "")[:3] == ("prefecture", "360700", "江西省")
    assert resolve_level("宜昌市自然资源和规划局", "")[0] == "prefecture"


def test_agency_from_title_line():
    assert find_agency("漳州市国资委2014年政府信息公开工作要点落实情况报告\n正文")[0] == "漳州市国资委"
    assert find_agency("2015年度南京市鼓楼区人民政府政府信息公开工作年度报告\n正文")[0] == "南京市鼓楼区人民政府"
    assert find_agency("关于印发《杭州市财政局2017年度政府信息公开工作报告》的通知\n")[0] == "杭州市财政局"
    # A township is below the division table and still a name.
    assert find_agency("红花套镇人民政府2017年政府信息公开工作年度报告\n正文")[0] == "红花套镇人民政府"


def test_signature_on_a_flattened_last_line():
    # Pingtan 2014 letter: the whole page is one line, signature and date at its end.
    text = ("省政府办公厅： 现将我区2014年政府信息公开工作要点落实情况函告如下：" + "工作。" * 40 +
            "为公众提供便捷服务。 平潭综合实验区管委会办公室 2014年12月10日 附件下载")
    assert find_agency(text) == ("平潭综合实验区管委会办公室", "signature")


def test_township_from_bare_self_reference():
    text = "2013年,街道共主动公开政府信息53条。如有疑问,请与街道党政办公室联系。"
    assert resolve_level(None, text)[0] == "township"


def test_template_detection_on_real_reports():
    def text(name):
        return (PINGTAN / name).read_text(encoding="utf-8")
    assert detect_template(text("pingtan-zone-2020.txt")) == "gb2019"
    assert detect_template(text("pingtan-zone-2023.txt")) == "gb2021"
    assert detect_template(text("pingtan-zone-2016.txt")) == "prose"


def test_ministries_name_no_place():
    # Before the 2018 reorganisation: 农业部, 国土资源部; a ministry names no division.
    for name in ("农业部", "国土资源部", "审计署"):
        text = f"{name}2012年政府信息公开工作年度报告\n根据《条例》规定，现公布{name}2012年政府信息公开工作年度报告。"
        agency, _ = find_agency(text)
        assert agency == name
        assert resolve_level(agency, text)[0] == "central"


def test_a_county_renumbered_across_vintages_keeps_its_level():
    # 嘉黎县 is 542422 under 那曲地区 (until 2017) and 540621 under 那曲市: two codes, one
    # county of 西藏自治区.
    level, code, province, _, reason = resolve_level("嘉黎县市场监督管理局",
                                                     "嘉黎县市场监督管理局2012年…")
    assert (level, province) == ("county", "西藏自治区")
    assert code is None
    assert "several GB/T 2260 codes" in reason


def test_an_ambiguous_place_name_stays_unlinked_with_its_candidates():
    # 鼓楼区 is a district of 南京, 徐州, 福州 and 开封: without a province in the text the
    # name cannot be placed, and the reason lists where it could be.
    place = resolve_level("鼓楼区人民政府", "鼓楼区人民政府2019年政府信息公开工作年度报告")
    assert place.division_code is None
    for code in ("320106", "320302", "350102", "410204"):
        assert code in place.division_reason
    assert place.division_reason.startswith("ambiguous: 鼓楼区 names 4 divisions")
    # The text settles it when it names the province as its own (福建省…).
    text = "福建省福州市鼓楼区人民政府2019年政府信息公开工作年度报告"
    assert resolve_level("鼓楼区人民政府", text).division_code == "350102"
    # A parent place in the name settles it too.
    assert resolve_level("南京市鼓楼区人民政府", "").division_code == "320106"


def test_unlinked_agencies_say_why():
    assert "central government body" in resolve_level("财政部", "").division_reason
    assert "special zone" in resolve_level("平潭综合实验区管委会办公室", "").division_reason
    township = resolve_level("红花套镇人民政府", "")
    assert (township.level, township.division_code) == ("township", None)
    assert "names no county" in township.division_reason
    # A township under a named county is linked to that county.
    linked = resolve_level("宜都市红花套镇人民政府", "")
    assert (linked.level, linked.division_code, linked.division_reason) == (
        "township", "420581", None)
