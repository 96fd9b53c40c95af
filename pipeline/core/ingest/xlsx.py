"""XLSX with openpyxl (``data_only=True``: cached formula results; not read-only, so
merged ranges are known).

Each worksheet with content becomes a ``heading`` line (the sheet name) followed by its
used range as one table; empty rows and columns are dropped.  Numbers are written as
Excel shows them: a percent format shows 0.825 under ``0.0%`` as ``82.5%``, a whole
number has no ``.0``, ``#,##0`` groups thousands, quoted literals are kept.

>>> format_number(0.825, "0.0%"), format_number(0.78, "0%"), format_number(45536.0, "General")
('82.5%', '78%', '45536')
>>> format_number(7730.28, '#,##0.00"万元"'), format_number(0.1 + 0.2, "General")
('7,730.28万元', '0.3')
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.ingest.errors import ReadError
from pipeline.core.ingest.grid import Covered, Grid, Slot, TextBuilder, trim
from pipeline.core.ingest.ooxml import check_package
from pipeline.core.records import Document

_CODES = re.compile(r"\[[^\]]*\]|_.|\*.|\\(.)|\"([^\"]*)\"")
_NUMBER = re.compile(r"[#0?,]*\.?[#0?]*")


def _section(fmt: str, value: float) -> tuple[str, bool]:
    """The format section for ``value`` and whether it already shows the minus sign."""
    parts = fmt.split(";")
    if value < 0 and len(parts) > 1 and parts[1]:
        return parts[1], True
    if value == 0 and len(parts) > 2 and parts[2]:
        return parts[2], False
    return parts[0], False


def format_number(value: float | int, fmt: str | None) -> str:
    """``value`` as a cell with number format ``fmt`` displays it (common formats)."""
    fmt = fmt or "General"
    section, signed = _section(fmt, value)
    if section.lower() in ("general", "@", ""):
        return _general(value)
    literal = _CODES.sub(lambda m: m.group(1) or m.group(2) or "", section)
    core = next((m for m in _NUMBER.finditer(literal) if m.group().strip(",")), None)
    if core is None:
        return _general(value)
    pattern = core.group()
    percent = "%" in literal
    shown = abs(value) if signed else value
    if percent:
        shown = shown * 100
    decimals = len(pattern.split(".", 1)[1]) if "." in pattern else 0
    grouping = "," if "," in pattern.rstrip(",") else ""
    number = f"{shown:{grouping}.{decimals}f}"
    if number.startswith("-") and float(number) == 0:
        number = number[1:]
    return literal[:core.start()] + number + literal[core.end():]


def _general(value: float | int) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()
                                  and abs(value) < 1e15):
        return str(int(value))
    return f"{value:.15g}"


def _format_date(value: _dt.date | _dt.time, fmt: str) -> str:
    if isinstance(value, _dt.time):
        return value.isoformat()
    if "年" in fmt or "月" in fmt:
        out = f"{value.year}年" if "y" in fmt.lower() else ""
        out += f"{value.month}月" if "m" in fmt.lower() else ""
        out += f"{value.day}日" if "d" in fmt.lower() else ""
        return out or value.isoformat()
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        return value.date().isoformat()
    return value.isoformat()


def cell_text(value: object, fmt: str | None) -> str:
    """The text a cell shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value, fmt)
    if isinstance(value, (_dt.date, _dt.time)):
        return _format_date(value, fmt or "")
    if isinstance(value, _dt.timedelta):
        return str(value)
    return str(value)


def sheet_grid(ws: Worksheet) -> Grid:
    """The used range as a grid, merged ranges as Covered, empty rows/columns dropped."""
    top, left = ws.min_row, ws.min_column
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    origin[(r, c)] = (rng.min_row - top, rng.min_col - left)
    grid: Grid = []
    for row in ws.iter_rows(min_row=top, max_row=ws.max_row, min_col=left,
                            max_col=ws.max_column):
        slots: list[Slot] = []
        for cell in row:
            at = origin.get((cell.row, cell.column))
            if at is not None:
                slots.append(Covered(*at))
            elif isinstance(cell, MergedCell):
                slots.append("")
            else:
                slots.append(cell_text(cell.value, cell.number_format))
        grid.append(slots)
    return trim(grid)


def _title_row(grid: Grid) -> str | None:
    """A first row holding a single piece of text (a caption), if there is one."""
    if not grid:
        return None
    texts = [s for s in grid[0] if isinstance(s, str) and s.strip()]
    return texts[0].strip() if len(texts) == 1 else None


def read_xlsx(data: bytes, source: str, max_bytes: int) -> Document:
    check_package(data, source, max_bytes, "not_an_xlsx", "XLSX")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (InvalidFileException, KeyError, ValueError, TypeError, IndexError,
            zipfile.BadZipFile, ParseError) as err:
        raise ReadError("not_an_xlsx", f"{source} is not a readable Excel workbook ({err}); "
                        "re-save it as .xlsx") from err
    try:
        sheets = list(wb.worksheets)
        builder = TextBuilder()
        title: str | None = None
        written = 0
        for ws in sheets:
            grid = sheet_grid(ws)
            if not grid:
                continue
            builder.add_line(ws.title, kind="heading", sheet=ws.title, title_candidate=False)
            builder.add_table(grid, sheet=ws.title)
            title = title or _title_row(grid)
            written += 1
    finally:
        wb.close()
    if not written:
        what = "no worksheets" if not sheets else "only empty worksheets"
        raise ReadError("no_sheets", f"{source} is an Excel workbook with {what}; check that "
                        "the right file was exported")
    text, blocks = builder.build()
    return Document(text=text, source=source, doc_id=PurePath(source).stem, format="xlsx",
                    encoding=None, blocks=blocks, title=title or sheets[0].title)
