"""DOCX with python-docx: paragraphs and tables in body order.

A merged cell (python-docx hands back the same ``<w:tc>`` for every grid slot of a
horizontal span and for the rows of a vertical span) is written once; the slots it
covers become :class:`~pipeline.core.ingest.grid.Covered`.  A cell's paragraphs are joined
by ``"\\n"`` (they are real breaks, such as one department per line).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

import docx
from docx.opc.exceptions import OpcError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from pipeline.core.ingest.errors import ReadError
from pipeline.core.ingest.grid import Covered, Grid, Slot, TextBuilder
from pipeline.core.ingest.ooxml import check_package
from pipeline.core.records import Document

_HEADING_STYLES = ("heading", "title", "标题")


def _is_heading(paragraph: Paragraph) -> bool:
    style = paragraph.style
    name = (style.name or "").lower() if style is not None else ""
    return name.startswith(_HEADING_STYLES)


def table_grid(table: Table) -> Grid:
    """The table as a grid of slots, merged cells as Covered."""
    grid: Grid = []
    # keyed by the <w:tc> element itself: holding it keeps lxml's proxy (and so its
    # identity) alive; id() of a freed proxy would be reused by the next cell
    first_at: dict[object, tuple[int, int]] = {}
    for r, row in enumerate(table.rows):
        slots: list[Slot] = [""] * row.grid_cols_before
        for cell in row.cells:
            c = len(slots)
            key = cell._tc
            if key in first_at:
                slots.append(Covered(*first_at[key]))
            else:
                first_at[key] = (r, c)
                slots.append("\n".join(p.text for p in cell.paragraphs))
        slots.extend([""] * row.grid_cols_after)
        grid.append(slots)
    return grid


def read_docx(data: bytes, source: str, max_bytes: int) -> Document:
    check_package(data, source, max_bytes, "not_a_docx", "DOCX")
    try:
        document = docx.Document(io.BytesIO(data))
    except (OpcError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as err:
        raise ReadError("not_a_docx", f"{source} is not a readable Word document ({err}); "
                        "re-save it as .docx") from err
    builder = TextBuilder()
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            builder.add_line(item.text, kind="heading" if _is_heading(item) else "paragraph")
        else:
            builder.add_table(table_grid(item))
    text, blocks = builder.build()
    if not text.strip():
        raise ReadError("no_text", f"{source} is a Word document with no text; check that "
                        "the content is not only images")
    return Document(text=text, source=source, doc_id=PurePath(source).stem, format="docx",
                    encoding=None, blocks=blocks, title=builder.title)
