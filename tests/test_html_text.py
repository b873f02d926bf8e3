"""HTML pages become text whose tables keep their rows and cells."""

from tests.conftest import PINGTAN
from transforms.decode import decode_bytes
from transforms.html_text import html_to_text

PAGE = """<html><body>
<div class="nav"><a href="/">首页</a><a href="/a">政务公开</a><a href="/b">办事服务</a></div>
<p>二、主动公开政府信息情况</p>
<table>
 <tr><td rowspan="2">信息内容</td><td colspan="2">本年</td></tr>
 <tr><td>制发</td><td>废止</td></tr>
 <tr><td>规章</td><td>&nbsp;</td><td>/</td></tr>
</table>
</body></html>"""


def test_table_rows_and_spans():
    text = html_to_text(PAGE)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows == [
        "| 信息内容 | 本年 | 本年 |",
        "| 信息内容 | 制发 | 废止 |",
        "| 规章 |  | / |",  # &nbsp; is a blank cell, not a zero
    ]
    assert "首页" not in text  # link-dense navigation is dropped


def test_real_page_keeps_table_three():
    page = (PINGTAN / "pingtan-zone-2023.html").read_bytes()
    text, codec, error = decode_bytes(page)
    assert error is None and codec == "utf-8"
    text = html_to_text(text)
    assert "| 行政规范性文件 | 77 | 132 | 470 |" in text


def test_publication_date_from_the_page_meta():
    from conftest import PINGTAN

    from flows.discover import parse_paths

    # <meta name="PubDate" content="2013-01-17 00:00"/> in the page head, read by hand.
    parsed = parse_paths([PINGTAN / "pingtan-county-2012.html"])
    assert str(parsed["documents"]["published_on"][0]) == "2013-01-17"
    assert parsed["documents"]["report_year"][0] == 2012
