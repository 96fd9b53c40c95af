"""HTML with BeautifulSoup (lxml's parser; nothing is ever fetched).

Block elements (p, div, h1-h6, li, ...) become lines (headings as ``heading`` Blocks),
tables become TAB-separated row lines with rowspan/colspan handled as merged cells,
script/style and the like are skipped.  Whitespace is collapsed as a browser does, except
that a source line break between two CJK characters disappears instead of becoming a
space; ``<br>`` is kept as ``"\\n"``.
"""
from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from pipeline.core.ingest.errors import ReadError
from pipeline.core.ingest.grid import Covered, Grid, Slot, TextBuilder
from pipeline.core.ingest.text import CHINESE_CODECS, decode
from pipeline.core.records import Document

SKIP = {"script", "style", "noscript", "template", "head", "iframe", "object", "embed",
        "svg", "canvas", "select", "button", "textarea"}
BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "main",
         "header", "footer", "nav", "aside", "blockquote", "pre", "address", "figure",
         "figcaption", "form", "fieldset", "caption", "center", "body", "tr", "hr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MAX_SPAN = 1000
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""",
                      re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f]+")
_IGNORED = (Comment, CData, Declaration, Doctype, ProcessingInstruction)


def _cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x303f or 0x3400 <= o <= 0x9fff or 0xff00 <= o <= 0xffef \
        or 0xf900 <= o <= 0xfaff


def collapse(text: str) -> str:
    """Collapse whitespace runs to one space; drop a run holding a line break between two
    CJK characters.  Leading/trailing whitespace of each line is removed.

    >>> collapse("  截至6月\\n  底，完成 82.5% ")
    '截至6月底，完成 82.5%'
    """
    def repl(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        if "\n" in m.group() and 0 < s and e < len(text) and _cjk(text[s - 1]) \
                and _cjk(text[e]):
            return ""
        return " "
    out = _SPACE.sub(repl, text)
    return out.strip(" ")


class _Lines:
    """Text of inline content, broken into lines at <br> and block boundaries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def add(self, s: str) -> None:
        self.current.append(s)

    def brk(self) -> None:
        self.lines.append(collapse("".join(self.current)))
        self.current = []

    def text(self) -> str:
        self.brk()
        return "\n".join(line for line in self.lines if line)


def _inline(node: Tag, out: _Lines) -> None:
    for child in node.children:
        if isinstance(child, _IGNORED):
            continue
        if isinstance(child, NavigableString):
            out.add(str(child))
        elif isinstance(child, Tag):
            name = child.name.lower()
            if name in SKIP:
                continue
            if name == "br":
                out.brk()
            elif name in BLOCK or name in HEADINGS or name in ("table", "td", "th"):
                out.brk()
                _inline(child, out)
                out.brk()
            else:
                _inline(child, out)


def cell_text(cell: Tag) -> str:
    out = _Lines()
    _inline(cell, out)
    return out.text()


def _span(tag: Tag, attr: str) -> int:
    raw = tag.get(attr)
    value = raw[0] if isinstance(raw, list) else raw
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        return 1
    return min(max(n, 1), MAX_SPAN)


def _own_rows(table: Tag) -> list[Tag]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def table_grid(table: Tag) -> Grid:
    """The table's own rows (not nested tables') as a grid with merged slots Covered."""
    rows = _own_rows(table)
    taken: dict[tuple[int, int], Slot] = {}
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            rowspan = min(_span(cell, "rowspan"), len(rows) - r)
            colspan = _span(cell, "colspan")
            taken[(r, c)] = cell_text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        taken[(r + dr, c + dc)] = Covered(r, c)
            c += colspan
    width = max((c for _, c in taken), default=-1) + 1
    return [[taken.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _walk(node: Tag, builder: TextBuilder, pending: _Lines) -> None:
    for child in node.children:
        if isinstance(child, _IGNORED):
            continue
        if isinstance(child, NavigableString):
            pending.add(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in SKIP:
            continue
        if name == "br":
            pending.brk()
        elif name == "table":
            _flush(builder, pending)
            grid = table_grid(child)
            if grid and grid[0]:
                builder.add_table(grid)
        elif name in HEADINGS:
            _flush(builder, pending)
            builder.add_line(cell_text(child), kind="heading")
        elif name in BLOCK:
            _flush(builder, pending)
            _walk(child, builder, pending)
            _flush(builder, pending)
        else:
            _walk(child, builder, pending)


def _flush(builder: TextBuilder, pending: _Lines) -> None:
    text = pending.text()
    pending.lines, pending.current = [], []
    for line in text.split("\n"):
        builder.add_line(line)


def _declared_charset(data: bytes) -> str | None:
    """The codec a <meta charset> names (the GB family as gb18030), if Python knows it."""
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        codec = codecs.lookup(m.group(1).decode("ascii", "replace")).name
    except LookupError:
        return None
    return "gb18030" if codec in CHINESE_CODECS else codec


def read_html(data: bytes, source: str, encoding: str | None = None) -> Document:
    """Decode (claimed encoding > BOM > strict meta charset > detection), then parse."""
    text: str | None = None
    used: str | None = None
    if encoding is None and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = _declared_charset(data)
        if declared:
            try:
                text, used = data.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                text = None  # the declaration is wrong: detect instead
    if text is None:
        text, used = decode(data, source, encoding)
    soup = BeautifulSoup(text, "lxml")
    builder = TextBuilder()
    pending = _Lines()
    root = soup.body or soup
    _walk(root, builder, pending)
    _flush(builder, pending)
    out, blocks = builder.build()
    if not out.strip():
        raise ReadError("no_text", f"{source} is an HTML page with no visible text; check "
                        "that it is the report and not a frame or script page")
    return Document(text=out, source=source, doc_id=PurePath(source).stem, format="html",
                    encoding=used, blocks=blocks, title=builder.title)
