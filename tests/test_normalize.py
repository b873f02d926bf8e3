"""Normalize: script, pinyin glosses, mojibake, full-width digits, web debris."""

import polars as pl

from tests.conftest import seed
from transforms.normalize import MOJIBAKE_MARK, normalize_reports, repair_mojibake_line


def normalize(*texts: str) -> pl.DataFrame:
    return normalize_reports(pl.DataFrame({"doc_id": [str(i) for i in range(len(texts))],
                                           "text_raw": list(texts)}))


def test_pinyin_glosses_removed_real_parentheses_kept():
    out = normalize("本報(bào)告根據(jù)《條例》（以下簡稱《條例》）編制(2014)，見(http://x.cn)。")
    assert out["text"][0] == "本报告根据《条例》（以下简称《条例》）编制(2014)，见(http://x.cn)。"


def test_traditional_converted_and_script_recorded():
    out = normalize("市國資委未收到公開政府信息的申請。" * 3, "湘潭市人民政府依申请公开政府信息69件。")
    assert out["text"][0].startswith("市国资委未收到公开政府信息的申请。")
    assert out["script"].to_list() == ["traditional", "simplified"]


def test_mojibake_repaired_where_bytes_allow():
    # Seed 001, paragraph (一): every byte survived, so re-reading in step restores it.
    line = next(line for line in seed("001").read_text(encoding="utf-8").splitlines()
                if line.startswith("?。ㄒ唬"))
    fixed, repaired = repair_mojibake_line(line)
    assert repaired is True
    assert fixed.startswith("（一）完善體制機(jī)制")


def test_mojibake_marked_where_bytes_were_lost():
    # Seed 001, paragraph (二): the scraper dropped bytes; the run is marked, not guessed.
    line = next(line for line in seed("001").read_text(encoding="utf-8").splitlines()
                if line.startswith("?。ǘ"))
    fixed, repaired = repair_mojibake_line(line)
    assert repaired is False
    assert fixed.startswith(MOJIBAKE_MARK + "格工作標")


def test_seed_001_counts():
    out = normalize(seed("001").read_text(encoding="utf-8"))
    assert (out["mojibake_repaired"][0], out["mojibake_unrepaired"][0]) == (2, 2)
    assert "（四）突出重点领域" in out["text"][0]  # gloss behind a repaired run also removed
    assert not out["text"][0].rstrip().endswith("打印")  # trailing print widget


def test_full_width_digits_and_debris():
    raw = ("标题: 某县2016年度政府信息公开工作年度报告\n发布时间: 2017-01-18 15:57\n"
           "==================== 正文 ====================\n"
           "全年主动公开政府信息３４６０条，占５３％。\n分享到：\n相关词条\n【字体：大 中 小】\n")
    out = normalize(raw)
    assert out["text"][0] == "全年主动公开政府信息3460条，占53%。"
    assert "发布时间: 2017-01-18" in out["header_text"][0]


def test_pdf_hard_wraps_joined_but_cells_on_lines_kept():
    from transforms.normalize import join_hard_wraps

    prose = ["　　全年召开政务公开工作专题会议3次，组织业务培训19期，培训人员74人次。将政府信",
             "息公开工作纳入年度目标责任制考核，考核分值占比83%。（一）主动公开。全年主动公开政",
             "府信息171条。（二）依申请公开。全年共收到政府信息公开申请1件，均在法定期限内答复",
             "。"]
    cells = ["一、本年新收政府信息公开申请数量", "5", "1", "0", "（一）予以公开", "4"]
    text = "\n".join(prose + ["二、主动公开政府信息情况"] + cells + prose[:2] + ["（七）总计"])
    out = join_hard_wraps(text).split("\n")
    assert out[0] == "".join(prose)
    assert out[1:8] == ["二、主动公开政府信息情况", *cells]
    # A full line before an enumerated row is not joined to it.
    assert out[-1] == "（七）总计"
    # Text with no page width (one line per paragraph) is left alone.
    assert join_hard_wraps("第一段。\n第二段没有句号\n第三段") == "第一段。\n第二段没有句号\n第三段"
