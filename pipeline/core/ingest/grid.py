"""Shared layout: lines and tables of cells -> one ``text`` plus Blocks into it.

Every reader of a structured format (PDF, DOCX, XLSX, HTML) describes a table as a
rectangular *grid* of slots.  A slot is either the text of a cell (``str``; ``""`` for
an empty cell) or :class:`Covered`, meaning the slot is part of a merged cell whose text
sits at another (row, col) above or to the left.  :class:`TextBuilder` writes

* a paragraph or heading as one line,
* each table row as one line, its cells separated by TAB (``"\\t"``), so every row of a
  table has the same number of TABs,

with ``"\\n"`` between lines.  A merged cell's text is written once, at its top-left
slot; each slot it covers still gets its own ``cell`` Block (with that slot's row and
col) pointing at the same ``[start, end)``.  Empty cells get an empty Block
(``start == end``) so the grid is complete.

>>> b = TextBuilder()
>>> b.add_line("标题")
>>> b.add_table([["序号", "单位"], ["1", "甲科"], ["2", Covered(1, 1)]])
0
>>> text, blocks = b.build()
>>> text
'标题\\n序号\\t单位\\n1\\t甲科\\n2\\t'
>>> [(k.row, k.col, text[k.start:k.end], k.header) for k in blocks if k.kind == "cell"][-2:]
[(2, 0, '2', '序号'), (2, 1, '甲科', '单位')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.records import Block


@dataclass(frozen=True)
class Covered:
    """A grid slot covered by the merged cell whose text is at (row, col)."""

    row: int
    col: int


Slot = str | Covered
Grid = list[list[Slot]]

HEADER_JOINER = "/"
MAX_HEADER_ROWS = 4


def join_wrapped(lines: list[str]) -> str:
    """Join lines that a layout wrapped: no separator, except a space between two
    ASCII letters (a wrapped Latin word boundary).

    >>> join_wrapped(["落实新增建设用地指标2.8", "万亩"])
    '落实新增建设用地指标2.8万亩'
    >>> join_wrapped(["total", "area"])
    'total area'
    """
    out = ""
    for line in lines:
        if out and line and out[-1].isascii() and out[-1].isalpha() \
                and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


def clean_cell(text: str) -> str:
    """A cell's text as written into a row line: TABs (the cell separator) become
    spaces and CR/CRLF become LF; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def _pad(grid: Grid) -> Grid:
    width = max((len(row) for row in grid), default=0)
    return [list(row) + [""] * (width - len(row)) for row in grid]


def _origin(grid: Grid, r: int, c: int) -> tuple[int, int] | None:
    """The (row, col) of the text slot behind (r, c), following Covered links that go
    up and/or left; None when a link points elsewhere (outside, down, right, itself)."""
    while True:
        slot = grid[r][c]
        if isinstance(slot, str):
            return r, c
        nr, nc = slot.row, slot.col
        if not (0 <= nr <= r and 0 <= nc <= c) or (nr, nc) == (r, c) or nc >= len(grid[nr]):
            return None
        r, c = nr, nc


def resolve(grid: Grid) -> Grid:
    """Pad rows to one width and point every Covered straight at a text slot above or
    to the left of it; a Covered that points nowhere valid becomes an empty cell."""
    grid = _pad(grid)
    out: Grid = []
    for r, row in enumerate(grid):
        new_row: list[Slot] = []
        for c, slot in enumerate(row):
            if isinstance(slot, Covered):
                origin = _origin(grid, r, c)
                new_row.append("" if origin is None else Covered(*origin))
            else:
                new_row.append(slot)
        out.append(new_row)
    return out


def trim(grid: Grid) -> Grid:
    """Drop rows and columns in which every slot is empty (an empty cell, or covered by
    an empty merged cell) and renumber what remains.  For spreadsheets, whose used range
    often includes formatted but empty rows and columns."""
    grid = resolve(grid)

    def text_of(slot: Slot) -> str:
        if isinstance(slot, Covered):
            target = grid[slot.row][slot.col]
            return target if isinstance(target, str) else ""
        return slot

    blank = [[text_of(s) == "" for s in row] for row in grid]
    keep_rows = [r for r, row in enumerate(blank) if not all(row)]
    width = len(grid[0]) if grid else 0
    keep_cols = [c for c in range(width) if not all(blank[r][c] for r in range(len(grid)))]
    row_at = {r: i for i, r in enumerate(keep_rows)}
    col_at = {c: i for i, c in enumerate(keep_cols)}
    out: Grid = []
    for r in keep_rows:
        new_row: list[Slot] = []
        for c in keep_cols:
            slot = grid[r][c]
            if isinstance(slot, Covered):
                if blank[r][c] or slot.row not in row_at or slot.col not in col_at:
                    new_row.append("")
                else:
                    new_row.append(Covered(row_at[slot.row], col_at[slot.col]))
            else:
                new_row.append(slot)
        out.append(new_row)
    return out


def _is_title_row(row: list[Slot], r: int) -> bool:
    """A row that is one cell spanning the full width (a caption inside the table)."""
    if len(row) < 2 or not isinstance(row[0], str) or not row[0].strip():
        return False
    return all(isinstance(s, Covered) and (s.row, s.col) == (r, 0) for s in row[1:])


_NUMERIC = re.compile(r"[-+]?[\d,]*\.?\d+\s*[%％]?")


def _numeric_row(row: list[Slot]) -> bool:
    """Whether some cell of the row is a bare number (a data row, not a header)."""
    return any(isinstance(s, str) and _NUMERIC.fullmatch(s.strip()) for s in row)


def _origins(row: list[Slot], r: int) -> set[tuple[int, int]]:
    return {(s.row, s.col) if isinstance(s, Covered) else (r, c)
            for c, s in enumerate(row) if isinstance(s, Covered) or s.strip()}


def header_rows(grid: Grid, start: int = 0) -> tuple[int, int]:
    """(first, count): the rows from ``start`` on that make the column headers.

    Full-width caption rows are skipped.  The header is the first remaining row,
    extended downwards while a header cell spans into the next row (rowspan), or while
    the last header row groups columns under a horizontally merged cell and the next row
    holds no bare number.
    """
    n = len(grid)
    first = start
    while first < n - 1 and _is_title_row(grid[first], first):
        first += 1
    count = 1
    while count < min(MAX_HEADER_ROWS, n - first - 1):
        below = grid[first + count]
        spans_down = any(isinstance(s, Covered) and first <= s.row < first + count
                         for s in below)
        last = grid[first + count - 1]
        groups = any(isinstance(s, Covered) and s.row == first + count - 1 for s in last)
        if not (spans_down or groups and not _numeric_row(below)):
            break
        count += 1
    return first, count


def _combined(grid: Grid, first: int, count: int) -> list[str | None]:
    headers: list[str | None] = []
    for c in range(len(grid[0])):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for r in range(first, first + count):
            slot = grid[r][c]
            at = (slot.row, slot.col) if isinstance(slot, Covered) else (r, c)
            if at in seen:
                continue
            seen.add(at)
            origin = grid[at[0]][at[1]]
            if isinstance(origin, str) and origin.strip():
                text = clean_cell(origin).strip()
                if not parts or parts[-1] != text:
                    parts.append(text)
        headers.append(HEADER_JOINER.join(parts) if parts else None)
    return headers


def _restarts_header(grid: Grid, r: int, first: int) -> bool:
    """Whether row r begins a new header inside the table: no bare numbers, and either
    it repeats the current header's first cell (a header repeated after a page break)
    or it follows a caption row and has at least two cells (a sub-table)."""
    row = grid[r]
    if _numeric_row(row) or _is_title_row(row, r):
        return False
    head0, cell0 = grid[first][0], row[0]
    if isinstance(head0, str) and head0.strip() and isinstance(cell0, str) \
            and cell0.strip() == head0.strip():
        return True
    return r > 0 and _is_title_row(grid[r - 1], r - 1) and len(_origins(row, r)) >= 2


YEAR_CELL = re.compile(r"\s*(?:19|20)\d\d\s*")


def _data_row(row: list[Slot]) -> bool:
    """A row of figures: a bare number that is not a year (2022 | 2023 heads columns)."""
    return any(isinstance(s, str) and _NUMERIC.fullmatch(s.strip()) and not YEAR_CELL.fullmatch(s)
               for s in row)


def row_headers(grid: Grid, inherited: list[str | None] | None = None) -> list[list[str | None] | None]:
    """The column headers that apply to each row (None above the first header): the
    distinct texts of the header rows in a column, top to bottom, joined by ``/``.
    ``inherited``: the headers of the table this one may continue (the same table after
    a page break); they apply when this one opens with a row of figures, not a header."""
    if not grid:
        return []
    first, count = header_rows(grid)
    if inherited is not None and len(inherited) == len(grid[0]) and _data_row(grid[first]):
        return [inherited] * len(grid)
    current = _combined(grid, first, count)
    out: list[list[str | None] | None] = [None] * first
    r = first
    while r < len(grid):
        if r >= first + count and _restarts_header(grid, r, first):
            first, count = header_rows(grid, r)
            current = _combined(grid, first, count)
        out.append(current)
        r += 1
    return out


#: Characters between two tables (a page number, a running head) that still let the
#: second continue the first.
CONTINUATION_GAP = 24


class TextBuilder:
    """Accumulates the document text and its Blocks, keeping offsets exact."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._blocks: list[Block] = []
        self._tables = 0
        self._last_table: tuple[int, list[str | None] | None] | None = None  # end, headers
        self._lines = 0
        self.title: str | None = None

    def _write(self, s: str) -> tuple[int, int]:
        start = self._pos
        self._parts.append(s)
        self._pos += len(s)
        return start, self._pos

    def _newline(self) -> None:
        """Start a line: a line break before every line but the first (which may be
        empty: a table row of empty cells)."""
        if self._lines:
            self._write("\n")
        self._lines += 1

    def add_line(self, text: str, kind: str = "paragraph", page: int | None = None,
                 sheet: str | None = None, title_candidate: bool = True) -> None:
        """One paragraph (or heading) as one line; blank text is skipped."""
        if not text.strip():
            return
        self._newline()
        start, end = self._write(text)
        self._blocks.append(Block(kind=kind, start=start, end=end, page=page, sheet=sheet))
        if self.title is None and title_candidate:
            self.title = text.strip().splitlines()[0].strip()

    def add_table(self, grid: Grid, page: int | None = None, sheet: str | None = None) -> int:
        """Write a grid as TAB-separated row lines; return the table's index.  A table
        that follows another with at most a page number between them, as wide and
        opening with a row of figures, goes on under the other's headers (a table cut
        by a page break)."""
        grid = resolve(grid)
        index = self._tables
        self._tables += 1
        if not grid or not grid[0]:
            return index
        before = self._last_table
        inherited = before[1] if before is not None and self._pos - before[0] <= CONTINUATION_GAP else None
        headers = row_headers(grid, inherited)
        where: dict[tuple[int, int], tuple[int, int]] = {}
        for r, row in enumerate(grid):
            self._newline()
            for c, slot in enumerate(row):
                if c:
                    self._write("\t")
                if isinstance(slot, str):
                    span = self._write(clean_cell(slot))
                    where[(r, c)] = span
                else:
                    span = where.get((slot.row, slot.col), (self._pos, self._pos))
                self._blocks.append(Block(
                    kind="cell", start=span[0], end=span[1], page=page, sheet=sheet,
                    table=index, row=r, col=c,
                    header=None if (hrow := headers[r]) is None else hrow[c]))
        self._last_table = (self._pos, headers[-1])
        return index

    def build(self) -> tuple[str, tuple[Block, ...]]:
        return "".join(self._parts), tuple(self._blocks)
