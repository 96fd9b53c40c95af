"""Tables drawn with box characters, as text exports of PDFs and consoles print them:

    ┌────┬────────────┬──────┐
    │序号│项目名称    │目标  │
    ├────┼────────────┼──────┤
    │1   │新建城市绿道│30公里│
    │    │（续建）    │      │
    ├────┼────────────┼──────┤

A row is the lines between two rules; a cell that wraps leaves one piece on each of its
lines, and each piece becomes a cell block of the same row and column (a block is one
span of the text).  The first row is the header, its pieces joined per column.

>>> t = "┌─┬──┐\\n│序号│目标│\\n├─┼──┤\\n│1│30个│\\n└─┴──┘"
>>> [(b.kind, b.row, b.col, t[b.start:b.end], b.header) for b in box_cells(t)]
[('header', 0, 0, '序号', '序号'), ('header', 0, 1, '目标', '目标'), ('cell', 1, 0, '1', '序号'), ('cell', 1, 1, '30个', '目标')]
"""
from __future__ import annotations

import re

from pipeline.core.records import Block

BARS = "│┃║"
RULE = re.compile(r"[\s─━═┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫┏┓┗┛┣┫┳┻╋]+")
JOINS = set("┼┬╋╬╤╪╦┳╥╫")


def _pieces(line: str, pos: int) -> list[tuple[int, int]]:
    """The cells of one line between bars: (start, end) of each stripped piece."""
    out, start = [], None
    for i, ch in enumerate(line):
        if ch in BARS:
            if start is not None:
                seg = line[start:i]
                s = start + len(seg) - len(seg.lstrip())
                out.append((pos + s, pos + max(s, start + len(seg.rstrip()))))
            start = i + 1
    return out


def box_cells(text: str, first_table: int = 0) -> tuple[Block, ...]:
    """Cell blocks of every box-drawn table in ``text`` (one with at least one rule that
    joins columns, ┼ or ┬)."""
    if not any(c in text for c in BARS) or not any(c in text for c in JOINS):
        return ()
    out: list[Block] = []
    table = first_table - 1
    rows: list[list[list[tuple[int, int]]]] = []  # rows → lines → pieces
    pos = 0

    def flush() -> None:
        nonlocal table
        if len(rows) < 2:
            rows.clear()
            return
        table += 1
        head = rows[0]
        width = max(len(p) for p in head)
        names = [" ".join(text[s:e] for line in head if c < len(line) for s, e in [line[c]] if e > s)
                 for c in range(width)]
        names = [re.sub(r"\s+", "", n) for n in names]
        for line in head:
            for c, (s, e) in enumerate(line):
                if e > s:
                    out.append(Block("header", s, e, table=table, row=0, col=c, header=names[c]))
        for r, row in enumerate(rows[1:], start=1):
            for line in row:
                for c, (s, e) in enumerate(line):
                    if e > s:
                        out.append(Block("cell", s, e, table=table, row=r, col=c,
                                         header=names[c] if c < width else None))
        rows.clear()

    current: list[list[tuple[int, int]]] = []
    for line in text.split("\n"):
        body = line.strip()
        if body and RULE.fullmatch(body) and any(c in body for c in "─━═"):
            if current:
                rows.append(current)
                current = []
            if any(c in body for c in "└┘╚╝┗┛╘╛╙╜"):
                flush()
        elif body and body[0] in BARS:
            current.append(_pieces(line, pos))
        elif body:
            if current:
                rows.append(current)
                current = []
            flush()
        pos += len(line) + 1
    if current:
        rows.append(current)
    flush()
    return tuple(out)
