"""Table cells printed without separators: read a row's payload as one value per column.

In: the printed payload of one table row (digits, spaces, signs, decimal points,
not-applicable marks) with its offset in the text, and what each column may hold. Out:
every reading of the payload as one cell per column, each cell with its offsets. Which
readings are right (row sums, column identities) is the caller's question: this module only
knows what a well-formed cell looks like. Shared by the pre-2019 annex and the standard
tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# One printed piece between spaces: a not-applicable mark, or a number with an optional sign
# and unit. "2648-18538" is two pieces: the sign starts the signed cell (本年增/减).
_PIECE = re.compile(
    r"(?P<na>[/／]|[—–]+|[-－](?![\d０-９]))"
    r"|(?P<number>[+\-－]?\d+(?:\.\d+)?)(?P<unit>万元|元)?"
)
# Marks that say "not applicable" or "nothing to report" in a cell (KIRO's NA set).
NOT_APPLICABLE = frozenset({"/", "／", "-", "－", "—", "——", "–", "无", "空", "N/A", "n/a"})
_NUMBER_CELL = re.compile(r"^[+\-－]?\d+(?:\.\d+)?$")

# Above this many readings a payload is not searched further: it is reported, not guessed.
MAX_READINGS = 200_000


@dataclass(frozen=True)
class Column:
    """What one column of a table may hold."""
    signed: bool = False   # 本年增/减: a change, may be printed with + or -
    decimal: bool = False  # money: may carry a decimal part and a unit (元, 万元)


COUNT = Column()


@dataclass(frozen=True)
class Piece:
    """A printed piece of a payload: a not-applicable mark or a (possibly glued) number."""
    text: str
    start: int
    end: int
    is_mark: bool
    unit: str = ""


@dataclass(frozen=True)
class Cell:
    """One cell of a reading: `state` is number or not_applicable; value in printed units."""
    state: str
    value: float | None
    printed: str
    start: int
    end: int
    unit: str = ""


@lru_cache(maxsize=1 << 16)  # cell texts recur in every report: 0, 1, /, 总计
def classify_cell(printed: str) -> tuple[str, float | None]:
    """(state, value) of a cell printed on its own: number, blank, not_applicable or text.

    A blank and a not-applicable mark are not zeros: they have no value.
    """
    key = re.sub(r"[\s,，\u00a0]", "", printed)
    if not key:
        return "blank", None
    if key in NOT_APPLICABLE:
        return "not_applicable", None
    key = re.sub(r"(?:万元|元)$", "", key)
    if _NUMBER_CELL.match(key):
        return "number", float(key.replace("－", "-"))
    return "text", None


def payload_pieces(payload: str, offset: int = 0) -> list[Piece]:
    """The printed pieces of a payload, with offsets shifted by `offset`."""
    return [Piece(m.group(0) if m.group("na") else m.group("number"), offset + m.start(),
                  offset + (m.end() if m.group("na") else m.end("number")),
                  bool(m.group("na")), m.group("unit") or "")
            for m in _PIECE.finditer(payload)]


def _cell_ends(piece: Piece, start: int, column: Column) -> Iterator[int]:
    """Ends (relative to the piece) of the cells that may start at `start` in `piece`."""
    text = piece.text
    signed = text[0] in "+-－"
    if signed and start == 0 and not column.signed:
        return
    first_digit = start + 1 if signed and start == 0 else start
    if text[first_digit] == "0" and not text.startswith(".", first_digit + 1):
        yield first_digit + 1  # a cell is never printed with a leading zero: "0" ends here
        return
    dot = text.find(".", start)
    for end in range(first_digit + 1, len(text) + 1):
        if end == dot:
            continue  # a cell never ends on its own decimal point
        if dot != -1 and end > dot:
            # A decimal part runs to the end of its piece, and only money has one.
            if column.decimal:
                yield len(text)
            return
        yield end


def _whole_cell(piece: Piece, column: Column) -> Cell | None:
    """`piece` read as one cell of `column`, or None if a cell can not be printed so."""
    if piece.is_mark:
        return Cell("not_applicable", None, piece.text, piece.start, piece.end)
    if len(piece.text) not in _cell_ends(piece, 0, column):
        return None
    return Cell("number", float(piece.text.replace("－", "-")), piece.text, piece.start,
                piece.end, piece.unit)


def readings(pieces: list[Piece], columns: list[Column],
             limit: int = MAX_READINGS) -> list[tuple[Cell, ...]] | None:
    """Every reading of `pieces` as exactly one cell per column (None: more than `limit`).

    A not-applicable mark is one cell. A number piece is one or more cells glued together:
    no cell has a leading zero, a sign starts a cell of a signed column, a decimal part ends
    its piece and belongs to a decimal column. A unit printed after a piece belongs to its
    last cell.
    """
    if len(pieces) == len(columns):
        # As many pieces as columns (cells printed apart): each piece is one whole cell, or
        # there is no reading at all.
        whole = [_whole_cell(piece, column) for piece, column in zip(pieces, columns, strict=True)]
        return [tuple(whole)] if all(whole) else []
    digits_left = [0] * (len(pieces) + 1)
    for i in range(len(pieces) - 1, -1, -1):
        digits_left[i] = digits_left[i + 1] + (1 if pieces[i].is_mark else len(pieces[i].text))
    found: list[tuple[Cell, ...]] = []
    cells: list[Cell] = []

    def search(i: int, at: int, c: int) -> bool:
        if i == len(pieces):
            if c == len(columns):
                found.append(tuple(cells))
            return len(found) <= limit
        left_in_piece = 1 if pieces[i].is_mark else len(pieces[i].text) - at
        # Every remaining piece needs a cell; no cell can be narrower than one character.
        if len(columns) - c < len(pieces) - i or \
                len(columns) - c > left_in_piece + digits_left[i + 1]:
            return True
        piece, column = pieces[i], columns[c]
        if piece.is_mark:
            cells.append(Cell("not_applicable", None, piece.text, piece.start, piece.end))
            ok = search(i + 1, 0, c + 1)
            cells.pop()
            return ok
        for end in _cell_ends(piece, at, column):
            text = piece.text[at:end]
            last = end == len(piece.text)
            cells.append(Cell("number", float(text.replace("－", "-")), text,
                              piece.start + at, piece.start + end, piece.unit if last else ""))
            ok = search(i + 1, 0, c + 1) if last else search(i, end, c + 1)
            cells.pop()
            if not ok:
                return False
        return True

    if not search(0, 0, 0):
        return None
    return found
