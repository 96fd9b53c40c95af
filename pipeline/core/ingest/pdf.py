"""PDF with pdfplumber: ruled tables as cells, the other text as lines, in reading order.

Per page, the ruled tables are found (pdfplumber's line strategy) and the text lines
outside them are taken; both are laid out top to bottom.  A table cell's lines are
joined when the layout wrapped them (the line runs to the cell's right edge, within two
character widths): no space between CJK characters or digits, so ``2.8`` / ``万亩``
becomes ``2.8万亩``; a line that stops short is a real break and stays ``"\\n"`` (one
department per line).  A slot that pdfplumber leaves ``None`` is covered by the merged
cell whose box contains it.  A one-column "table" (a frame drawn around body text) is
read as lines.  Characters drawn twice at the same spot (fake bold) are kept once.  A PDF
whose text comes out mostly as ``(cid:N)`` codes (fonts without a Unicode map) is
refused as ``unmapped_font`` rather than returned as garbage.
"""
from __future__ import annotations

import bisect
import io
import re
import statistics
import struct
import zlib
from pathlib import PurePath
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page
from pdfplumber.table import Table
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import chars_to_textmap

from pipeline.core.ingest.errors import ReadError
from pipeline.core.ingest.grid import Covered, Grid, Slot, TextBuilder, join_wrapped
from pipeline.core.records import Document

WRAP_CHARS = 2.0
UNMAPPED_SHARE = 0.3
_CID = re.compile(r"\(cid:\d+\)")
EOF_WINDOW = 2048
_PARSE_ERRORS = (PdfminerException, PDFException, PSException, ValueError, KeyError,
                 IndexError, struct.error, zlib.error, RecursionError)

BBox = tuple[float, float, float, float]


def _inside(obj: dict[str, Any], box: BBox) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


class _Chars:
    """A table's characters sorted by vertical centre, to pick a cell's quickly."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        keyed = sorted(((ch["top"] + ch["bottom"]) / 2, i) for i, ch in enumerate(chars))
        self._ys = [y for y, _ in keyed]
        self._chars = [chars[i] for _, i in keyed]

    def within(self, box: BBox) -> list[dict[str, Any]]:
        lo = bisect.bisect_left(self._ys, box[1])
        hi = bisect.bisect_left(self._ys, box[3])
        return [ch for ch in self._chars[lo:hi] if box[0] <= (ch["x0"] + ch["x1"]) / 2 < box[2]]


def cell_text(chars: list[dict[str, Any]], box: BBox) -> str:
    """The text of one cell from its characters: wrapped lines joined, hard breaks kept."""
    if not chars:
        return ""
    lines = [ln for ln in chars_to_textmap(chars).extract_text_lines(strip=True,
                                                                    return_chars=True)
             if ln["text"]]
    if not lines:
        return ""
    pad = max(min(ln["x0"] for ln in lines) - box[0], 0.0)
    out: list[str] = []
    run: list[str] = []
    for i, ln in enumerate(lines):
        run.append(ln["text"])
        widths = [ch["x1"] - ch["x0"] for ch in ln["chars"] if ch["text"].strip()]
        width = statistics.median(widths) if widths else 5.0
        last = i == len(lines) - 1
        slack = box[2] - ln["x1"] - pad
        if last or slack > WRAP_CHARS * width:
            out.append(join_wrapped(run))
            run = []
    return "\n".join(out)


def table_grid(table: Table, chars: list[dict[str, Any]]) -> Grid:
    """The table as a grid: cell text, or Covered for slots of a merged cell."""
    index = _Chars(chars)
    rows = table.rows
    tops = [row.bbox[1] for row in rows]
    lefts = sorted({cell[0] for row in rows for cell in row.cells if cell is not None})
    boxes: dict[BBox, tuple[int, int]] = {}
    grid: Grid = []
    for r, row in enumerate(rows):
        slots: list[Slot] = []
        for c, cell in enumerate(row.cells):
            if cell is not None:
                boxes.setdefault(cell, (r, c))
                slots.append(cell_text(index.within(cell), cell))
                continue
            x = (lefts[c] if c < len(lefts) else row.bbox[0]) + 0.5
            y = tops[r] + 0.5
            origin = next((at for box, at in boxes.items()
                           if box[0] <= x < box[2] and box[1] <= y < box[3]), None)
            slots.append(Covered(*origin) if origin else "")
        grid.append(slots)
    return grid


def _duplicates(chars: list[dict[str, Any]]) -> set[int]:
    """ids of characters drawn twice at the same place (fake bold): keep the first."""
    seen: set[tuple[str, float, float]] = set()
    dup: set[int] = set()
    for ch in chars:
        key = (ch["text"], round(ch["x0"], 1), round(ch["top"], 1))
        if key in seen:
            dup.add(id(ch))
        else:
            seen.add(key)
    return dup


def _layout_page(page: Page, number: int, builder: TextBuilder) -> None:
    """Tables and the text lines outside them, top to bottom."""
    all_chars = page.chars
    dup = _duplicates(all_chars)
    chars = [ch for ch in all_chars if id(ch) not in dup]
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        return id(obj) not in dup and not any(_inside(obj, b) for b in boxes)

    items: list[tuple[float, float, str, Any]] = [(t.bbox[1], t.bbox[0], "table", t)
                                                  for t in tables]
    rest = page.filter(keep) if boxes or dup else page
    for line in rest.extract_text_lines(strip=True, return_chars=False):
        if line["text"]:
            items.append((line["top"], line["x0"], "line", line["text"]))
    items.sort(key=lambda it: (round(it[0], 1), it[1]))
    for _, _, kind, payload in items:
        if kind == "line":
            builder.add_line(payload, page=number)
            continue
        grid = table_grid(payload, [ch for ch in chars if _inside(ch, payload.bbox)])
        if grid and len(grid[0]) == 1:
            for row in grid:
                if isinstance(row[0], str):
                    for piece in row[0].split("\n"):
                        builder.add_line(piece, page=number)
        elif grid:
            builder.add_table(grid, page=number)


def _open(data: bytes, source: str) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ReadError("encrypted_pdf", f"{source} is an encrypted PDF that needs a "
                            "password; save an unprotected copy") from err
        raise ReadError("corrupt_pdf", f"{source} is a damaged PDF ({cause}); get a fresh "
                        "copy") from err
    except _PARSE_ERRORS as err:
        raise ReadError("corrupt_pdf", f"{source} is a damaged PDF ({err}); get a fresh "
                        "copy") from err


def read_pdf(data: bytes, source: str) -> Document:
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise ReadError("truncated_pdf", f"{source} is a truncated PDF (no %%EOF at the "
                        "end); download or copy it again")
    builder = TextBuilder()
    pdf = _open(data, source)
    try:
        with pdf:
            for number, page in enumerate(pdf.pages, 1):
                _layout_page(page, number, builder)
                page.close()
    except _PARSE_ERRORS as err:
        raise ReadError("corrupt_pdf", f"{source} is a damaged PDF ({err}); get a fresh "
                        "copy") from err
    text, blocks = builder.build()
    if not text.strip():
        raise ReadError("no_text", f"{source} is a PDF with no text layer (a scan?); run "
                        "OCR on it first")
    unmapped = sum(len(m) for m in _CID.findall(text))
    if unmapped > UNMAPPED_SHARE * len(text.strip()):
        raise ReadError("unmapped_font", f"{source} uses fonts without a Unicode map, so "
                        "its text comes out as (cid:N) codes; run OCR on it")
    return Document(text=text, source=source, doc_id=PurePath(source).stem, format="pdf",
                    encoding=None, blocks=blocks, title=builder.title)
