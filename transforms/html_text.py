"""HTML report pages -> plain text that keeps table structure.

Paragraph-like elements become lines; each table row becomes one line of cells,
`| cell | cell |`, with rowspan and colspan expanded so the grid is rectangular, and
`&nbsp;`-only cells kept as empty cells (blank is not zero). Navigation-like blocks (mostly
links) and scripts are dropped. Pure functions on strings.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

TABLE_ROW_PREFIX = "| "
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "select",
              "option", "iframe", "object", "embed", "svg", "button", "input", "textarea", "head")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3",
               "h4", "h5", "h6", "br", "tr", "table", "blockquote", "pre", "dd", "dt", "dl",
               "center", "hr", "tbody", "thead", "body", "html", "caption", "figure"}
_SPACE = re.compile(r"[ \t\r\n\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
_HTML_SNIFF = re.compile(r"^\s*(?:<!doctype html|<html|<head|<meta|<body|<div|<table|<p[ >])", re.I)


def is_html(text: str) -> bool:
    """True when a decoded file is an HTML page whatever its extension."""
    return bool(_HTML_SNIFF.match(text[:512]))


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _link_dense(node: LexborNode) -> bool:
    """A block whose text is mostly links: site navigation, related-article lists."""
    links = node.css("a")
    if len(links) < 3:
        return False
    total = len(_clean(node.text(deep=True)))
    linked = sum(len(_clean(a.text(deep=True))) for a in links)
    return total > 0 and linked / total > 0.6


def table_rows(table: LexborNode) -> list[list[str]]:
    """The cells of a table as a rectangular grid, spans expanded (span text repeated)."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.css("tr") if _same(_owning_table(tr), table)]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = _clean(cell.text(deep=True, separator=" "))
            attributes = cell.attributes  # a new dict on every access
            rowspan = _span(attributes.get("rowspan"))
            colspan = _span(attributes.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), text)
            c += colspan
    if not grid:
        return []
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def _owning_table(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def _span(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1


def _render(node: LexborNode, lines: list[str], current: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            current.append(child.text_content or "")
            continue
        if tag in _DROP_TAGS or tag == "_comment":
            continue
        if tag == "table":
            _flush(lines, current)
            for row in table_rows(child):
                if any(row):
                    lines.append(TABLE_ROW_PREFIX + " | ".join(row) + " |")
            continue
        if tag in _BLOCK_TAGS:
            if tag != "br" and _link_dense(child):
                continue
            _flush(lines, current)
            _render(child, lines, current)
            _flush(lines, current)
        else:
            _render(child, lines, current)


def _flush(lines: list[str], current: list[str]) -> None:
    text = _clean("".join(current))
    if text:
        lines.append(text)
    current.clear()


_DATE_META = {"pubdate", "publishdate", "firstpublishedtime", "articlepublishdate", "publishtime",
              "dc.date", "dc.date.issued"}


def html_to_text(html: str) -> str:
    """Readable text of an HTML page: one line per block, one `| … |` line per table row."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    lines: list[str] = []
    current: list[str] = []
    title = tree.css_first("title")
    if title is not None and _clean(title.text()):
        lines.append(_clean(title.text()))
    # Government CMS pages carry the publication date in a meta tag (PubDate, firstpublishedtime…).
    for meta in tree.css("meta"):
        name = (meta.attributes.get("name") or "").lower()
        content = _clean(meta.attributes.get("content") or "")
        if name in _DATE_META and content:
            lines.append(f"发布时间: {content}")
            break
    _render(root, lines, current)
    _flush(lines, current)
    return "\n".join(lines)


def _same(a: LexborNode | None, b: LexborNode) -> bool:
    return a is not None and a.mem_id == b.mem_id
