"""`ogi report`: one self-contained HTML page of charts. It is drawn (rendered in headless
Chromium, screenshot checked), needs no network, and text from reports cannot run code in it."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from flows import warehouse
from flows.cli import main
from flows.report import write_report
from tests.conftest import PINGTAN

CHROMIUM = Path("/usr/bin/chromium")
TITLES = ["Documents by report year and administrative level", "Coverage of the measures",
          "Requests and their outcomes by year", "Quality-check failures"]

# What a hostile report would run: each sets an attribute on <html> that the test looks for.
SCRIPT = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"


class Page(HTMLParser):
    """What the tests look at in a page: the elements, the <h2> texts, the figures (by id)
    holding an <svg>, and the text."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.headings: list[str] = []
        self.figures_with_svg: dict[str, bool] = {}
        self.text: list[str] = []
        self._figure: str | None = None
        self._in_h2 = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "figure":
            self._figure = dict(attrs).get("id", "")
            self.figures_with_svg[self._figure] = False
        elif tag == "svg" and self._figure is not None:
            self.figures_with_svg[self._figure] = True
        elif tag == "h2":
            self._in_h2 = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None
        elif tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_h2:
            self.headings[-1] += data

    def event_handlers(self) -> list[str]:
        return [name for _, attrs in self.tags for name, _ in attrs if name.startswith("on")]


def chromium(page: Path, user_data: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Headless Chromium on the page, offline as far as it can be told to be."""
    if not CHROMIUM.exists():
        pytest.fail(f"headless Chromium is needed at {CHROMIUM} to render the report: "
                    "apt-get install chromium (.ci/run installs it)")
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", f"--user-data-dir={user_data}", *arguments,
         page.as_uri()],
        capture_output=True, text=True, timeout=90)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def dumped_dom(page: Path, user_data: Path) -> str:
    """The DOM after the page loaded (scripts, had any run, have run by then)."""
    return chromium(page, user_data, "--dump-dom").stdout


@pytest.fixture(scope="module")
def shared_report(shared_db, tmp_path_factory) -> Path:
    """The report of the shared corpus, written by `ogi report`."""
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(main, ["report", str(out), "--db", str(shared_db)])
    assert result.exit_code == 0, result.output
    assert f"report written to {out}" in result.output
    return out


def test_the_page_holds_the_four_charts_and_needs_no_network(shared_report, shared_db):
    html = shared_report.read_text(encoding="utf-8")
    page = Page(html)
    assert [title for title in TITLES if title not in page.headings] == []
    # Each chart is a figure with an id, drawn as inline SVG.
    assert len(page.figures_with_svg) == 4 and all(page.figures_with_svg.values())
    assert all(figure_id for figure_id in page.figures_with_svg)
    # Nothing to fetch: no address to load (src=, href=, CSS url(), @import), no script.
    assert re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:)?//""", html, re.I) == []
    assert re.findall(r"""url\(\s*["']?\s*(?:[a-z]+:)?//|@import""", html, re.I) == []
    assert {tag for tag, _ in page.tags} & {"script", "link", "iframe", "object", "embed"} == set()
    assert page.event_handlers() == []
    # The header says where the figures come from; the tables name the reports.
    assert f"Warehouse {shared_db.resolve()}" in "".join(page.text)
    assert "pingtan-zone-2020.txt" in html  # a failing check's file


def test_the_charts_draw_in_chromium(shared_report, tmp_path):
    screenshot = tmp_path / "report.png"
    chromium(shared_report, tmp_path / "profile", "--window-size=1400,5000",
             f"--screenshot={screenshot}")
    dom = Page(dumped_dom(shared_report, tmp_path / "profile"))
    assert [title for title in TITLES if title not in dom.headings] == []
    assert len(dom.figures_with_svg) == 4 and all(dom.figures_with_svg.values())

    pixels = np.asarray(Image.open(screenshot).convert("RGB")).astype(int)
    assert pixels.shape == (5000, 1400, 3)
    charts = pixels[:3500]  # the header and the four charts (the tables are below)
    not_white = (charts < 245).any(axis=2).mean()
    assert not_white > 0.08, f"only {not_white:.1%} of the charts' area is drawn on"
    colours = np.unique((charts[..., 0] << 16) | (charts[..., 1] << 8) | charts[..., 2])
    assert len(colours) > 200  # text, bars in several colours, anti-aliased edges

    def area(colour: str) -> int:
        rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
        return int((np.abs(charts - rgb) <= 6).all(axis=2).sum())

    # Bars of each chart in its colours: prefecture documents and t3 measures and failures
    # (red), proactive measures and requests received (blue), county documents and t4
    # measures (purple), requests granted in part and unable (light green, salmon).
    for colour in ("#c44e52", "#4c72b0", "#8172b2", "#a6d96a", "#f4a582"):
        assert area(colour) > 1500, f"too little {colour}: {area(colour)} pixels"


def hostile_warehouse(folder: Path) -> Path:
    """A warehouse of Pingtan's 2020 report with a script and an image with a handler in a
    表三 row (evidence of failing checks), in a prose sentence (quoted by another check's
    detail) and in the agency's name."""
    text = (PINGTAN / "pingtan-zone-2020.txt").read_text(encoding="utf-8")
    # 表三's 予以公开 row: its evidence is quoted by the failing t3_results_sum checks.
    text = text.replace("（一）予以公开6000017", f"（一）予以公开{SCRIPT}{IMG}6000017")
    # The prose restates 本年新收 (21): saying 22 fails prose_restates_cell, whose detail
    # quotes the sentence.
    text = text.replace("2020年全区各级行政机关共受理政府信息公开申请21件",
                        f"2020年全区各级行政机关{SCRIPT}{IMG}共受理政府信息公开申请22件")
    source = folder / "source"
    source.mkdir()
    (source / "hostile-2020.txt").write_text(text, encoding="utf-8")

    from flows.discover import discover_files, parse_paths

    db = folder / "hostile.duckdb"
    con = warehouse.connect(db)
    try:
        warehouse.apply_schema(con)
        warehouse.load_parsed(con, parse_paths(discover_files(source)))
        warehouse.reconcile(con)
        # The extractor reads agency names of Han, Latin letters, digits and brackets only,
        # so no report text puts a tag there today; the page must not rely on that: the
        # warehouse is a file anyone can write.
        con.execute("UPDATE dim_agency SET agency_name = ? || agency_name || ?", [SCRIPT, IMG])
    finally:
        con.close()
    return db


def test_text_from_reports_cannot_run_code_in_the_page(tmp_path):
    db = hostile_warehouse(tmp_path)
    # The hostile text really is in the warehouse, where the page shows it from.
    shown = warehouse.query_read_only(db, "SELECT agency, detail, evidence FROM failing_checks")
    assert shown.height >= 3
    assert all(SCRIPT in agency and IMG in agency for agency in shown["agency"])
    assert any(SCRIPT in evidence and IMG in evidence for evidence in shown["evidence"])
    # A check's detail quotes the sentence cut short: an unclosed <script> would swallow the page.
    assert any("<script>document" in detail for detail in shown["detail"])

    out = tmp_path / "hostile.html"
    write_report(db, out)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;document.documentElement.setAttribute(&#x27;data-pwned&#x27;" in html

    dom_html = dumped_dom(out, tmp_path / "profile")
    dom = Page(dom_html)
    assert "data-pwned" not in re.search(r"<html[^>]*>", dom_html).group(0)
    assert {tag for tag, _ in dom.tags} & {"script", "img"} == set()
    assert dom.event_handlers() == []
    # The text is shown as text, tags and all.
    assert SCRIPT in "".join(dom.text) and IMG in "".join(dom.text)

    # The same strings as markup do run in this Chromium: the absence above is escaping.
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><html><body><p>{SCRIPT}{IMG}</p></body></html>",
                       encoding="utf-8")
    assert "data-pwned" in dumped_dom(control, tmp_path / "profile")


def test_an_empty_warehouse_draws_every_chart_as_no_data(tmp_path):
    db = tmp_path / "empty.duckdb"
    con = warehouse.connect(db)
    warehouse.apply_schema(con)
    con.close()
    written = write_report(db, tmp_path / "out" / "report.html")
    assert written["charts"] == TITLES and written["documents"] == 0
    page = Page((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    assert all(page.figures_with_svg.values()) and len(page.figures_with_svg) == 4
    assert sum("No data" in text for text in page.text) >= 4
    # Written whole, by a rename: no temporary file is left beside it.
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.html"]


def test_a_missing_or_older_warehouse_names_the_path_and_the_fix(tmp_path):
    missing = tmp_path / "none.duckdb"
    result = CliRunner().invoke(main, ["report", str(tmp_path / "r.html"), "--db", str(missing)])
    assert result.exit_code == 1
    assert str(missing) in result.output and "ogi run SOURCE" in result.output
    assert not (tmp_path / "r.html").exists() and not missing.exists()

    older = tmp_path / "older.duckdb"
    con = warehouse.connect(older)
    warehouse.apply_schema(con)
    con.execute("UPDATE warehouse_info SET value = '3' WHERE key = 'schema_version'")
    con.close()
    result = CliRunner().invoke(main, ["report", str(tmp_path / "r.html"), "--db", str(older)])
    assert result.exit_code == 1
    assert str(older) in result.output and f"ogi run --db {older}" in result.output
    assert not (tmp_path / "r.html").exists()
