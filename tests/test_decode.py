"""Decode: each codec a report arrives in, read from real files on disk."""

import codecs

import pytest

from transforms.decode import decode_bytes

TEXT = "平潭综合实验区2016年度政府信息公开工作年度报告：全年主动公开政府信息3460条。"
TRADITIONAL = "二連浩特市2011年政府信息公開年度報告：主動公開政府各類信息8392條。"


@pytest.mark.parametrize(("payload", "codec"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("gbk"), "gb18030"),
    (TEXT.encode("gb18030"), "gb18030"),
])
def test_codecs(tmp_path, payload, codec):
    path = tmp_path / "report.txt"
    path.write_bytes(payload)
    text, used, error = decode_bytes(path.read_bytes())
    assert error is None
    assert used == codec
    assert text == TEXT


def test_big5_traditional(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    text, used, error = decode_bytes(path.read_bytes())
    assert (text, used, error) == (TRADITIONAL, "big5", None)


def test_declared_gbk_page():
    page = ('<html><head><meta charset="gbk"><title>年报</title></head><body><p>'
            + TEXT + "</p></body></html>").encode("gbk")
    text, used, error = decode_bytes(page)
    assert used == "gb18030" and error is None and TEXT in text


def test_binary_and_empty_are_refused_with_a_reason():
    assert decode_bytes(b"")[2] == "empty file"
    text, _, error = decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert text is None and "binary" in error
