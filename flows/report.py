"""`ogi report`: the warehouse as one self-contained HTML page of charts and tables.

In: a warehouse, opened read-only; one query of sql/report/ per chart or table. Out: one HTML
file with the charts inline as SVG (drawn by matplotlib), inline CSS, no script and nothing to
fetch, so it opens offline and can be mailed as it is.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path

import duckdb
import matplotlib
import polars as pl
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter

from flows import warehouse

REPORT_SQL = warehouse.SQL_DIR / "report"

# Administrative levels from the top down, each with its colour in every chart.
LEVEL_COLOURS = {"central": "#4c72b0", "province": "#55a868", "prefecture": "#c44e52",
                 "county": "#8172b2", "township": "#ccb974", "unknown": "#a0a0a0"}
MEASURE_GROUP_COLOURS = {"proactive": "#4c72b0", "t2": "#55a868", "t3": "#c44e52",
                         "t4": "#8172b2", "fees": "#ccb974"}
OUTCOME_COLOURS = {"granted": "#55a868", "partial": "#a6d96a", "denied": "#c44e52",
                   "unable": "#f4a582", "other_or_not_stated": "#bababa"}
OUTCOME_LABELS = {"granted": "granted", "partial": "granted in part", "denied": "denied",
                  "unable": "unable to provide", "other_or_not_stated": "other or not stated"}

# Figures are drawn without pyplot (no backend, no global figure list), and text stays text
# in the SVG (selectable, and drawn by the browser). The ids an SVG points to (clip paths,
# tick marks) are salted by the chart: the four SVGs of one page never point into each other,
# and the same warehouse draws the same bytes.
_STYLE = {"svg.fonttype": "none", "font.size": 10, "axes.spines.top": False,
          "axes.spines.right": False, "axes.axisbelow": True}
# A level or group the colours do not know yet is drawn all the same, in this.
_OTHER_COLOUR = "#666666"
# savefig writes a <metadata> block naming matplotlib's web site; the page names none.
_NO_SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class Chart:
    figure_id: str
    title: str
    caption: str
    query: str
    draw: Callable[[Figure, pl.DataFrame], None]
    size: tuple[float, float] = (10, 4.8)  # inches


def _query(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return con.sql((REPORT_SQL / f"{name}.sql").read_text(encoding="utf-8")).pl()


# ---- charts --------------------------------------------------------------------------------

def _no_data(ax, message: str) -> None:
    """An empty chart says so instead of drawing empty axes (or failing on them)."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=13, color="#666666",
            transform=ax.transAxes)


def _year_label(year: int | None) -> str:
    return "no year" if year is None else str(year)


def _known_first(values: pl.Series, colours: dict[str, str]) -> list[str]:
    """The distinct values present, those with a colour in its order, then the others."""
    present = set(values.to_list())
    return [v for v in colours if v in present] + sorted(present - set(colours))


def draw_documents(fig: Figure, frame: pl.DataFrame) -> None:
    ax = fig.subplots()
    if frame.is_empty():
        _no_data(ax, "No data: the warehouse holds no live documents")
        return
    years = frame.select("report_year").unique(maintain_order=True).to_series().to_list()
    labels = [_year_label(year) for year in years]
    bottom = [0] * len(years)
    for level in _known_first(frame["admin_level"], LEVEL_COLOURS):
        counts = dict(frame.filter(pl.col("admin_level") == level)
                      .select("report_year", "documents").iter_rows())
        heights = [counts.get(year, 0) for year in years]
        ax.bar(labels, heights, bottom=bottom, color=LEVEL_COLOURS.get(level, _OTHER_COLOUR),
               label=level, width=0.7)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_xlabel("Report year (the year reported on)")
    ax.set_ylabel("Documents")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#e5e5e5")
    ax.legend(title="Administrative level", frameon=False, loc="upper left",
              bbox_to_anchor=(1.0, 1.0))


def draw_measure_coverage(fig: Figure, frame: pl.DataFrame) -> None:
    ax = fig.subplots()
    if frame.is_empty():
        _no_data(ax, "No data: no document states a figure")
        return
    rows = frame.reverse()  # the most stated at the top
    labels = [f"{label} ({code})" for label, code in
              rows.select("label_en", "measure").iter_rows()]
    shares = [100 * share for share in rows["share"]]
    colours = [MEASURE_GROUP_COLOURS.get(group, _OTHER_COLOUR) for group in rows["measure_group"]]
    bars = ax.barh(labels, shares, color=colours, height=0.7)
    ax.bar_label(bars, labels=[f"{n}" for n in rows["documents"]], padding=3, fontsize=8)
    ax.set_xlim(0, 105)
    ax.set_xlabel("Share of documents stating the figure (%)")
    ax.grid(axis="x", color="#e5e5e5")
    ax.legend(handles=[Patch(color=MEASURE_GROUP_COLOURS.get(group, _OTHER_COLOUR), label=group)
                       for group in _known_first(rows["measure_group"], MEASURE_GROUP_COLOURS)],
              title="Measure group", frameon=False, loc="lower right")


def draw_requests(fig: Figure, frame: pl.DataFrame) -> None:
    received_ax, outcome_ax = fig.subplots(2, 1)
    received = frame.filter(pl.col("agencies_stating_received") > 0)
    if received.is_empty():
        _no_data(received_ax, "No data: no report states\nthe requests it received")
    else:
        labels = [f"{_year_label(year)}\n({n})" for year, n in
                  received.select("report_year", "agencies_stating_received").iter_rows()]
        bars = received_ax.bar(labels, received["requests_received"], color="#4c72b0",
                               width=0.7)
        received_ax.bar_label(bars, labels=[f"{v:,.0f}" for v in received["requests_received"]],
                              padding=2, fontsize=8)
        received_ax.set_xlabel("Report year (agencies stating the figure)")
        received_ax.set_ylabel("Requests received")
        received_ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        received_ax.grid(axis="y", color="#e5e5e5")
    closed = frame.filter(pl.col("agencies_closing_some") > 0)
    if closed.is_empty():
        _no_data(outcome_ax, "No data: no report states\nrequests closed")
        return
    labels = [f"{_year_label(year)}\n({n:,.0f})" for year, n in
              closed.select("report_year", "closed").iter_rows()]
    bottom = [0.0] * closed.height
    for outcome, colour in OUTCOME_COLOURS.items():
        shares = [100 * part / whole for part, whole in
                  zip(closed[outcome], closed["closed"], strict=True)]
        outcome_ax.bar(labels, shares, bottom=bottom, color=colour, width=0.7,
                       label=OUTCOME_LABELS[outcome])
        bottom = [a + b for a, b in zip(bottom, shares, strict=True)]
    # Outcomes a report states beyond its requests closed show above 100, not cut off.
    outcome_ax.set_ylim(0, max(100, *bottom))
    outcome_ax.set_xlabel("Report year (requests closed)")
    outcome_ax.set_ylabel("Share of closed (%)")
    outcome_ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def draw_failing_checks(fig: Figure, frame: pl.DataFrame) -> None:
    ax = fig.subplots()
    if frame.is_empty():
        _no_data(ax, "No data: no quality check has been run")
        return
    if frame["failing"].sum() == 0:
        _no_data(ax, f"No failing checks ({frame['assessed'].sum():,} checks assessed)")
        return
    rows = frame.reverse()  # the most failing at the top
    bars = ax.barh(rows["rule"], rows["failing"], color="#c44e52", height=0.6)
    ax.bar_label(bars, labels=[f"{fail} of {assessed} assessed, {docs} document(s)"
                               for fail, assessed, docs in
                               rows.select("failing", "assessed", "documents_failing").iter_rows()],
                 padding=3, fontsize=8)
    ax.set_xlim(0, max(rows["failing"]) * 1.6)
    ax.set_xlabel("Failing checks")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="x", color="#e5e5e5")


CHARTS = [
    Chart("documents-by-year-and-level", "Documents by report year and administrative level",
          "Live documents (one per distinct report content) per year reported on, stacked by "
          "the issuer's administrative level.", "documents_by_year_and_level", draw_documents),
    Chart("measure-coverage", "Coverage of the measures",
          "The 15 measures the most documents state: the share of live documents stating the "
          "figure as a whole (the number at each bar is how many). A document that does not "
          "state a figure is a gap, never a 0.", "measure_coverage", draw_measure_coverage),
    Chart("requests-and-outcomes", "Requests and their outcomes by year",
          "One report per agency and year (agency_year_panel). Top: requests received, summed "
          "over the agencies stating the figure. Bottom: how the requests closed were answered; "
          "what the stated outcomes leave of the requests closed is “other or not stated”.",
          "requests_by_year", draw_requests, size=(10, 7.5)),
    Chart("quality-check-failures", "Quality-check failures",
          "Failing checks of live documents per identity a report is held to (standard tables, "
          "prose against tables, across years), out of the checks that could be assessed.",
          "failing_checks_by_rule", draw_failing_checks),
]


def chart_svg(chart: Chart, frame: pl.DataFrame) -> str:
    """The chart drawn from its query's frame, as an <svg> element to inline in HTML."""
    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": chart.figure_id}):
        fig = Figure(figsize=chart.size, layout="constrained")
        chart.draw(fig, frame)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata=_NO_SVG_METADATA)
    svg = buffer.getvalue()
    # The XML prolog and DOCTYPE are not allowed inside HTML.
    return svg[svg.index("<svg"):]


# ---- page ----------------------------------------------------------------------------------

# Nothing may run and nothing may be fetched: text from reports is escaped, and should any
# slip through, the browser still refuses scripts, handlers and network loads.
_CONTENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body { font-family: "DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 0.6rem; border-bottom: 1px solid #ddd; }
.provenance { color: #555; margin-top: 0; }
.summary { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0; padding: 0; }
.summary div { border: 1px solid #ddd; border-radius: 4px; padding: 0.5rem 0.9rem; }
.summary dt { font-size: 0.8rem; color: #555; }
.summary dd { margin: 0; font-size: 1.3rem; font-weight: bold; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.9rem; margin-top: 0.3rem; }
table { border-collapse: collapse; font-size: 0.85rem; width: 100%; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.number { text-align: right; white-space: nowrap; }
td.text { overflow-wrap: break-word; }
/* Report text can hold long runs without a break (table rows, pasted markup): they wrap
   anywhere rather than widen the table past the page. */
td.report-text { overflow-wrap: anywhere; }
.unknown { color: #999; }
"""


def _cell(value: object) -> str:
    """One value as escaped HTML text: unknown as unknown, whole figures (floats) without .0
    and with thousands separated, integers (years) as they are."""
    if value is None:
        return '<span class="unknown">unknown</span>'
    if isinstance(value, float) and value.is_integer():
        value = f"{value:,.0f}"
    elif isinstance(value, datetime):
        value = value.isoformat(sep=" ", timespec="minutes")
    elif isinstance(value, date):
        value = value.isoformat()
    return escape(str(value), quote=True)


def table_html(frame: pl.DataFrame, columns: dict[str, str], report_text: set[str]) -> str:
    """An HTML table of `columns` (name: header) of the frame; every value is escaped, and
    the columns of text from reports are marked Chinese (for the browser's font choice)."""
    head = "".join(f"<th>{escape(header)}</th>" for header in columns.values())
    numeric = {name for name, dtype in frame.schema.items() if dtype.is_numeric()}
    rows = []
    for row in frame.select(list(columns)).iter_rows(named=True):
        cells = []
        for name, value in row.items():
            kind = ("number" if name in numeric else
                    "report-text" if name in report_text else "text")
            lang = ' lang="zh-CN"' if name in report_text else ""
            cells.append(f'<td class="{kind}"{lang}>{_cell(value)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(columns)}" class="unknown">none</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _summary_html(summary: dict) -> str:
    years = ("none" if summary["first_year"] is None
             else f"{summary['first_year']}–{summary['last_year']}")
    items = [("Documents", f"{summary['documents']:,}"),
             ("Agencies named", f"{summary['agencies']:,}"),
             ("Documents naming no agency", f"{summary['documents_without_agency']:,}"),
             ("Report years", f"{summary['report_years']} ({years})"),
             ("Facts", f"{summary['facts']:,}"),
             ("Failing checks", f"{summary['failing_checks']:,}"),
             ("Files quarantined", f"{summary['quarantined_files']:,}")]
    return "".join(f"<div><dt>{escape(name)}</dt><dd>{escape(value)}</dd></div>"
                   for name, value in items)


def report_html(db_path: Path, frames: dict[str, pl.DataFrame], generated_at: datetime) -> str:
    """The page: header with what the warehouse holds, the charts, then the tables of report
    text behind them."""
    summary = frames["summary"].row(0, named=True)
    last_load = ("no load recorded" if summary["last_load"] is None
                 else f"last loaded {_cell(summary['last_load'])}")
    sections = []
    for chart in CHARTS:
        sections.append(
            f'<section><h2>{escape(chart.title)}</h2><figure id="{chart.figure_id}">'
            f"{chart_svg(chart, frames[chart.query])}"
            f"<figcaption>{escape(chart.caption)}</figcaption></figure></section>")
    sections.append(
        '<section id="largest-request-figures"><h2>Largest request figures</h2>'
        "<p>The agency-years with the most requests received, and the sentence or table row "
        "each figure was read from.</p>"
        + table_html(frames["largest_request_figures"],
                     {"report_year": "Year", "agency": "Agency", "file": "File",
                      "requests_received": "Requests received", "evidence": "Evidence"},
                     report_text={"agency", "evidence"})
        + "</section>")
    failing = frames["recent_failing_checks"]
    sections.append(
        '<section id="recent-failing-checks"><h2>Most recent failing checks</h2>'
        f"<p>{failing.height} of {summary['failing_checks']:,} failing checks, of the documents "
        "extracted last. The stored figures stay as printed; detail is the identity with its "
        "operands, evidence the printed rows or sentences (cut at 400 characters).</p>"
        + table_html(failing,
                     {"report_year": "Year", "agency": "Agency", "file": "File",
                      "rule": "Check", "scope": "Scope", "expected": "Expected",
                      "found": "Found", "detail": "Detail", "evidence": "Evidence"},
                     report_text={"agency", "detail", "evidence"})
        + "</section>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CONTENT_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Government information disclosure annual reports: the warehouse in charts</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Government information disclosure annual reports: the warehouse in charts</h1>
<p class="provenance">Warehouse <code>{escape(str(db_path))}</code>, {last_load};
page generated {escape(generated_at.isoformat(timespec="seconds"))}.</p>
<dl class="summary">{_summary_html(summary)}</dl>
</header>
<main>
{"".join(sections)}
</main>
</body>
</html>
"""


def _write_atomically(text: str, out: Path) -> None:
    """The page appears whole or not at all: written beside OUT, then renamed over it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}-", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        # mkstemp makes the file private; a report is for sharing.
        os.chmod(temporary, 0o644)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(db_path: str | Path, out_html: str | Path) -> dict:
    """Write the report of the warehouse at `db_path` to `out_html`; returns where, the
    chart titles and the header's counts. A missing warehouse raises FileNotFoundError, one
    an older ogi wrote WarehouseOutdated, each naming the path and the command that fixes it."""
    db_path = Path(db_path).resolve()
    out = Path(out_html).resolve()
    con = warehouse.connect(db_path, read_only=True)
    try:
        # The queries read the views of this version, as the export does.
        warehouse.require_current_schema(con, db_path)
        names = ["summary", "largest_request_figures", "recent_failing_checks",
                 *(chart.query for chart in CHARTS)]
        frames = {name: _query(con, name) for name in names}
    finally:
        con.close()
    _write_atomically(report_html(db_path, frames, datetime.now().astimezone()), out)
    summary = frames["summary"].row(0, named=True)
    return {"out": str(out), "charts": [chart.title for chart in CHARTS],
            "documents": summary["documents"], "facts": summary["facts"],
            "failing_checks": summary["failing_checks"]}
