"""Tables flattened into text with ``|`` between cells: rebuild the grid as cell Blocks.

Web pages and PDF dumps give two shapes:

* a row per line, ``序号 | 项目 | 目标 | 完成 |``, where a row that wrapped continues on a
  line that opens with ``|`` and merged cells on the left leave a row short;
* a cell per line, ``北京 |``, where rows are told apart by their 序号 (1, 2, 3 …).

In both, the lines before the first data row are the header; a two-level header (a top
line whose last cells each span several cells of the line below) is read into one name
per column (``新开工改造小区数(个) 计划任务数``).  A row with fewer cells than the header
is aligned to the right (the merged cells are the category and department columns on
the left), keeping its 序号 in the first column.

>>> t = "序号 | 项目 | 目标(亩) | 完成(亩) |\\n1 | 造林 | 500 | 320 |\\n2 | 护林 | 80 | 80 |\\n"
>>> [(b.row, b.col, t[b.start:b.end], b.header) for b in pipe_table_cells(t)][2:4]
[(1, 2, '500', '目标(亩)'), (1, 3, '320', '完成(亩)')]
"""
from __future__ import annotations

import re
from collections import Counter

from pipeline.records import Block

Cell = tuple[int, int]  # half-open offsets of a cell's stripped text; (s, s) when empty
SEQ = re.compile(r"\d{1,3}\*?")
DATA = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?")


def _split_line(text: str, start: int, end: int) -> list[Cell]:
    """The cells of one line between ``|``; the empty piece after a final ``|`` is dropped."""
    cells: list[Cell] = []
    pos = start
    while True:
        bar = text.find("|", pos, end)
        stop = end if bar < 0 else bar
        seg = text[pos:stop]
        lead = len(seg) - len(seg.lstrip())
        s = pos + lead
        e = max(s, pos + len(seg.rstrip()))
        cells.append((s, e))
        if bar < 0:
            break
        pos = bar + 1
    if cells and cells[-1][0] == cells[-1][1] and text[start:end].rstrip().endswith("|"):
        cells.pop()
    return cells


def _runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of consecutive lines holding a ``|`` (blank lines end a run)."""
    runs: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        if "|" in line:
            cur.append((s, e))
        elif cur:
            runs.append(cur)
            cur = []
        pos = e + 1
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


def _is_data(text: str, cell: Cell) -> bool:
    return bool(DATA.fullmatch(text[cell[0]:cell[1]].replace(" ", "")))


def _header_names(text: str, levels: list[list[Cell]], n: int) -> list[str]:
    """One name per column from one or two header lines.  In a two-level header some
    upper cells span several lower cells evenly: those that name an amount (not the
    first, label column, and not a % column, which stands alone)."""
    names = [text[s:e] for s, e in levels[-1] if e > s]
    if len(levels) >= 2:
        top = [text[s:e] for s, e in levels[-2] if e > s]
        sub = names
        spanning = len(top) + len(sub) - n
        if 0 < spanning <= len(top) and len(sub) % spanning == 0:
            per = len(sub) // spanning
            spans = [i for i, t in enumerate(top) if i > 0 and not re.search(r"[%％]", t)]
            spans = spans if len(spans) == spanning else list(range(len(top) - spanning, len(top)))
            names, k = [], 0
            for i, t in enumerate(top):
                if i in spans:
                    names += [t + " " + x for x in sub[k:k + per]]
                    k += per
                else:
                    names.append(t)
    if len(names) < n:
        names = names + [""] * (n - len(names))
    return names[:n]


def _seq_rows(text: str, cells: list[Cell]) -> list[int]:
    """Indexes of the cells that open rows: the longest run numbered n, n+1, …"""
    runs: dict[int, list[int]] = {}
    best: list[int] = []
    for i, (s, e) in enumerate(cells):
        raw = text[s:e]
        if not SEQ.fullmatch(raw):
            continue
        k = int(raw.rstrip("*"))
        run = runs.get(k - 1, []) + [i] if k - 1 in runs else [i]
        if len(run) > len(runs.get(k, [])):
            runs[k] = run
        if len(run) > len(best):
            best = run
    return best if len(best) >= 2 else []


def _blocks(text: str, table: int, header: list[str], rows: list[list[Cell]]) -> list[Block]:
    n = len(header)
    out = []
    for r, row in enumerate(rows, start=1):
        if len(row) < n and row:
            seq_first = bool(SEQ.fullmatch(text[row[0][0]:row[0][1]])) and n - len(row) >= 1
            cols = ([0] + list(range(n - len(row) + 1, n))) if seq_first else \
                list(range(n - len(row), n))
        else:
            cols = list(range(len(row)))
        for c, (s, e) in zip(cols, row):
            if e > s:
                out.append(Block("cell", s, e, table=table, row=r, col=c,
                                 header=header[c] if c < n else None))
    return out


def _table_from_run(text: str, lines: list[tuple[int, int]], table: int) -> list[Block]:
    split = [_split_line(text, s, e) for s, e in lines]
    wide = [c for c in split if sum(1 for s, e in c if e > s) >= 2]
    if len(wide) >= len(split) / 2:  # a row per line
        first = next((i for i, c in enumerate(split) if sum(_is_data(text, x) for x in c) >= 1
                      and len(c) >= 2), None)
        if first is None or first == 0:
            return []
        head = [c for c in split[:first] if sum(1 for s, e in c if e > s) >= 2][-2:]
        rows: list[list[Cell]] = []
        for c in split[first:]:
            opens_empty = bool(c) and c[0][0] == c[0][1]
            if rows and opens_empty and not any(e > s for s, e in c[:1]):
                rows[-1] = rows[-1] + c  # a wrapped row continues after its empty cell
            elif any(e > s for s, e in c):
                rows.append(c)
        widths = Counter(len(r) for r in rows)
        n = max(max(len(h) for h in head) if head else 0, widths.most_common(1)[0][0])
        if len(head) == 2 and len([x for x in head[0] if x[1] > x[0]]) < n:
            header = _header_names(text, head, n)
        else:
            header = _header_names(text, head[-1:], n)
        return _blocks(text, table, header, rows)
    # a cell per line (a line of empty cells, ``||``, is one empty cell)
    cells = [c for line in split for c in ([x for x in line if x[1] > x[0]] or line[:1])]
    starts = _seq_rows(text, cells)
    before = [text[a:b].replace(" ", "") for a, b in cells[:starts[0]]] if starts else []
    if not starts or not ("序号" in before or text[cells[starts[0]][0]:cells[starts[0]][1]] == "1"):
        return _label_rows(text, cells, table)
    head_cells = [c for c in cells[:starts[0]] if c[1] > c[0]]
    names = [text[a:b] for a, b in head_cells]
    if "序号" in names:  # title lines above the header
        head_cells = head_cells[names.index("序号"):]
    rows = [cells[a:b] for a, b in zip(starts, starts[1:] + [len(cells)])]
    widths = Counter(len([c for c in r if c[1] > c[0]]) for r in rows)
    n_row = widths.most_common(1)[0][0]
    n = len(head_cells)
    header = [text[s:e] for s, e in head_cells]
    if n > n_row:  # two-level header: the last (largest) split whose upper cells span evenly
        header = header[-n_row:]
        for cut in range(n - 1, 0, -1):
            spanning = n - n_row
            sub = n - cut
            if 0 < spanning <= cut and sub % spanning == 0 and sub // spanning >= 2:
                header = _header_names(text, [head_cells[:cut], head_cells[cut:]], n_row)
                break
    out_rows = []
    for r in rows:
        main = r[:len(header)]
        out_rows.append([c for c in main])
        rest = r[len(header):]
        if [c for c in rest if c[1] > c[0]]:
            out_rows.append(rest)  # a sub-row of a merged row, aligned right
    return _blocks(text, table, header, out_rows)


YEAR = re.compile(r"(?:19|20)\d\d年?")
LABEL_HEADER = re.compile(r"指\s*标|项\s*目|名\s*称|品\s*种|地\s*区|类\s*别")


def _label_rows(text: str, cells: list[Cell], table: int) -> list[Block]:
    """A cell-per-line table without 序号: each row opens with its label (text) cell and
    its numbers follow (a unit cell may sit between).  The header is what comes before
    the first label followed by a number; years there are column names, not data."""
    def value(c: Cell) -> bool:
        raw = text[c[0]:c[1]].replace(" ", "")
        return bool(DATA.fullmatch(raw)) and not YEAR.fullmatch(raw)
    full = [c for c in cells if c[1] > c[0]]
    first = next((i for i in range(1, len(full) - 1)
                  if not value(full[i]) and not DATA.fullmatch(text[full[i][0]:full[i][1]])
                  and value(full[i + 1])), None)
    if first is None:
        return []
    head = full[:first]
    names = [text[a:b] for a, b in head]
    k = next((i for i in range(len(names) - 1, -1, -1) if LABEL_HEADER.search(names[i])), None)
    if k is None:
        return []
    header = names[k:]
    rows: list[list[Cell]] = []
    prev_value = True
    for c in full[first:]:
        if not value(c) and prev_value:
            rows.append([c])
        elif rows:
            rows[-1].append(c)
        prev_value = value(c)
    if len(header) < 2 or Counter(len(r) for r in rows).most_common(1)[0][0] < 2:
        return []
    return [Block("cell", s, e, table=table, row=r, col=c, header=header[c])
            for r, row in enumerate(rows, start=1) for c, (s, e) in enumerate(row[:len(header)])]


def pipe_table_cells(text: str, first_table: int = 0) -> tuple[Block, ...]:
    """Cell blocks for every ``|`` table in text (see the module docstring)."""
    out: list[Block] = []
    table = first_table
    for lines in _runs(text):
        blocks = _table_from_run(text, lines, table)
        if blocks:
            out.extend(blocks)
            table += 1
    return tuple(out)
