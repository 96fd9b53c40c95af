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
>>> [(b.row, b.col, t[b.start:b.end], b.header) for b in pipe_table_cells(t) if b.kind == "cell"][2:4]
[(1, 2, '500', '目标(亩)'), (1, 3, '320', '完成(亩)')]
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pipeline.core.records import Block
from pipeline.core.units import resolve_unit

Cell = tuple[int, int]  # half-open offsets of a cell's stripped text; (s, s) when empty
SEQ = re.compile(r"\d{1,3}\*?")
FURNITURE = re.compile(r"索引号|发布机构|发布日期|浏览量|浏览次数|公开目录|信息来源|【打印】|【关闭】|字号[:：]")
DASH = re.compile(r"[-—–－]+")
FIGURE = r"[-+]?\d[\d,]*(?:\.\d+)?%?"  # a cell's bare figure: -1,234.5, 82.5%
DATA = re.compile(FIGURE)


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
    while len(cells) > 1 and cells[-1][0] == cells[-1][1] and cells[-2][0] == cells[-2][1]:
        cells.pop()  # a run of empty cells closing the line (``| ||||||``)
    return cells


MARKDOWN_RULE = re.compile(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+(?:\s*:?-{3,}:?\s*)?")


def _runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of consecutive lines holding a ``|`` (blank lines end a run)."""
    runs: list[list[tuple[int, int, bool]]] = []
    cur: list[tuple[int, int, bool]] = []
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        s, e = pos, pos + len(line)
        # a cell on its own line followed by a line that is only "|" (some pages put
        # the bar between the cells' lines): the pair reads as "cell |"
        bar_next = i + 1 < len(lines) and lines[i + 1].strip() == "|"
        if line.strip() == "|" and cur and cur[-1][2]:
            pass  # the separator of the cell before it
        elif MARKDOWN_RULE.fullmatch(line):
            pass  # |---|---|: the rule under a Markdown table's header
        elif "|" in line or (bar_next and line.strip()):
            cur.append((s, e, bar_next and "|" not in line))
        elif cur:
            runs.append(cur)
            cur = []
        pos = e + 1
    if cur:
        runs.append(cur)
    return [[(s, e) for s, e, _bar in r] for r in runs if len(r) >= 2]


UNIT_CELL = re.compile(r"[≥≤><]?=?[-+]?\d[\d,]*(?:\.\d+)?([^\d\s.,]{1,4})")  # 220门, ≥90%, 1.5万亩


def _is_data(text: str, cell: Cell) -> bool:
    raw = text[cell[0]:cell[1]].replace(" ", "")
    if DATA.fullmatch(raw) or SEQ.fullmatch(raw):  # a starred row number (9*) too
        return True
    m = UNIT_CELL.fullmatch(raw)  # a figure with its unit (not 2023年, a column's year)
    return bool(m and resolve_unit(m.group(1)) and not YEAR.fullmatch(raw))


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
    if len(names) < n:  # an empty header cell on the left (the label column's)
        names = [""] * (n - len(names)) + names
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


NUMERIC_HEADER = re.compile(r"数|率|额|量|面积|产量|值|[%％]|[（(][^()（）]{1,6}[)）]|\d")
TEXT_HEADER = re.compile(r"备\s*注|说明|原因|措施|情况|内容|名称|单位$|责任|牵头|任务$")


def _column_kinds(text: str, header: list[str], rows: list[list[Cell]]) -> list[float]:
    """How numeric each column is: from the rows that fill every column, else from the
    header's words (数, 率, 额, %, a unit in brackets → numeric; 备注, 情况 → text)."""
    n = len(header)
    full = [r for r in rows if len(r) == n]
    if len(full) >= 2:
        return [sum(_is_data(text, r[c]) for r in full) / len(full) for c in range(n)]
    return [0.2 if TEXT_HEADER.search(h) else 0.8 if NUMERIC_HEADER.search(h) or "序号" in h
            else 0.3 for h in header]


def _align(text: str, row: list[Cell], kinds: list[float]) -> list[int]:
    """Columns for a row shorter than the header: the contiguous placement (its 序号
    kept first, or not) whose numbers and words best fit the columns' kinds; on a tie,
    to the right (merged cells are mostly on the left)."""
    n, m = len(kinds), len(row)

    def fit(cols: list[int]) -> float:
        return sum((kinds[c] if _is_data(text, x) else 1 - kinds[c])
                   for c, x in zip(cols, row) if x[1] > x[0])
    options = [list(range(k, k + m)) for k in range(n - m + 1)]
    if SEQ.fullmatch(text[row[0][0]:row[0][1]]):
        options += [[0] + list(range(k, k + m - 1)) for k in range(1, n - m + 2)]
    return max(options, key=lambda cols: (round(fit(cols), 6), cols[-1]))


def _right(text: str, row: list[Cell], n: int) -> list[int]:
    """Columns for a short row aligned to the right, its 序号 kept first."""
    if SEQ.fullmatch(text[row[0][0]:row[0][1]]) and n - len(row) >= 1:
        return [0] + list(range(n - len(row) + 1, n))
    return list(range(n - len(row), n))


def header_blocks(text: str, table: int, lines: list[list[Cell]], n: int) -> list[Block]:
    """The header's own cells (kind ``header``, row 0), each line aligned to the right:
    the years and words that head the columns (1990, 2002, 为预算的%)."""
    out = []
    for line in lines:
        cells = [c for c in line if c[1] > c[0]][-n:]
        for i, (s, e) in enumerate(cells):
            out.append(Block("header", s, e, table=table, row=0, col=n - len(cells) + i,
                             header=text[s:e]))
    return out


def _blocks(text: str, table: int, header: list[str], rows: list[list[Cell]],
            first_row: int = 1, fit: bool = True) -> list[Block]:
    """Cell blocks of rows under one header; a short row is placed by ``_align`` (or
    to the right when ``fit`` is false: the rows of a cell-per-line dump are cut by
    their 序号 and do not show which columns are full)."""
    n = len(header)
    kinds = _column_kinds(text, header, rows)
    out = []
    for r, row in enumerate(rows, start=first_row):
        if 0 < len(row) < n:
            cols = _align(text, row, kinds) if fit else _right(text, row, n)
        else:
            cols = list(range(len(row)))
        for c, (s, e) in zip(cols, row):
            if e > s:
                out.append(Block("cell", s, e, table=table, row=r, col=c,
                                 header=header[c] if c < n else None))
    return out


def _has_data(text: str, line: list[Cell]) -> bool:
    return any(_is_data(text, x) for x in line) and sum(1 for s, e in line if e > s) >= 2


def _spans_marked(top: list[Cell]) -> bool:
    """An upper header line whose merged cells left empty cells after them: a name,
    then an empty cell (项目推进情况(个) | | 资金拨付情况(万元) | |)."""
    return any(a[1] > a[0] and b[1] == b[0] for a, b in zip(top, top[1:]))


def _spanned_header(text: str, levels: list[list[Cell]], n: int) -> list[str]:
    """Column names of a two-level header whose upper line keeps an empty cell for each
    column a name spans: the name runs on over the empty cells to its right (to the
    table's last column), and joins the lower line's name (项目推进情况(个) 目标任务)."""
    top, sub = levels
    names, current = [], ""
    for c in range(n):
        if c < len(top) and top[c][1] > top[c][0]:
            current = text[top[c][0]:top[c][1]]
        lower = text[sub[c][0]:sub[c][1]] if c < len(sub) else ""
        names.append((current + " " + lower).strip() if lower else current)
    return names


def _joined_header(text: str, lines: list[list[Cell]], n: int) -> list[str]:
    """Column names from header lines of fewer cells than the table: each line is
    aligned to the right (its missing cells are merged ones on the left) and the
    names of a column are joined: ``累计`` over ``增长%`` gives ``累计 增长%``."""
    names = [""] * n
    for line in lines:
        cells = [text[s:e] for s, e in line if e > s]
        for i, name in enumerate(cells[-n:]):
            col = n - len(cells[-n:]) + i
            names[col] = (names[col] + " " + name).strip()
    return names


def _rows_per_line(text: str, split: list[list[Cell]], table: int) -> list[Block]:
    """A row per line; lines without numbers before a block of rows are its header
    (a table may restart with a new header: repeated headers, sub-tables)."""
    out: list[Block] = []
    head: list[list[Cell]] = []
    rows: list[list[Cell]] = []

    def flush() -> None:
        nonlocal head
        if not rows and len(head) >= 3:
            # a table of words alone (a progress table whose cells are all text): under a
            # header line of short names, the long lines as wide as it are its rows
            width = len(head[0])
            body = [h for h in head[1:] if sum(1 for x in h if x[1] > x[0]) >= max(3, width - 2)]
            if (_looks_header(text, head[0]) and all(x[1] - x[0] <= 16 for x in head[0])
                    and len(body) >= 2 and all(any(x[1] - x[0] > 16 for x in h) for h in body)):
                rows.extend(body)
                head = head[:1]
        if not rows:
            return
        # the width of the rows with numbers (a label row or a note under the table is short)
        widths = Counter(len(r) for r in rows if _has_data(text, r)) or Counter(len(r) for r in rows)
        levels = [h for h in head if sum(1 for s, e in h if e > s) >= 2][-2:]
        n = max([widths.most_common(1)[0][0]] + [len(h) for h in levels[-1:]])
        full = [h for h in head if any(e > s for s, e in h)][-3:]
        upper = sum(1 for x in levels[0] if x[1] > x[0]) if levels else 0
        lower = sum(1 for x in levels[-1] if x[1] > x[0]) if levels else 0
        singles: list[Cell] = []  # header cells one per line, right above the rows (播种面积(千公顷) | ⏎ …)
        for h in reversed(head):
            named = [x for x in h if x[1] > x[0]]
            if len(named) != 1 or len(h) > 2:
                break
            singles.insert(0, named[0])
        if len(singles) >= 2 and len(singles) in (n - 1, n):
            header = [""] * (n - len(singles)) + [text[a:b] for a, b in singles]
        elif len(levels) == 2 and len(levels[1]) == n and _spans_marked(levels[0]):
            header = _spanned_header(text, levels, n)  # empty upper cells mark the spans
        elif len(levels) == 2 and upper < lower < n:
            header = _header_names(text, levels, n)  # upper cells span the lower ones
        elif levels and sum(1 for x in levels[-1] if x[1] > x[0]) >= n - 1 and full[-1] is levels[-1]:
            header = _header_names(text, levels[-1:], n)
        else:
            header = _joined_header(text, full, n)
        out.extend(header_blocks(text, table, full, n))
        out.extend(_blocks(text, table, header, rows,
                           first_row=len({b.row for b in out if b.kind == "cell"}) + 1))
        rows.clear()

    label_only = False  # the last row holds only labels: its numbers may follow on the next line
    for c in split:
        if FURNITURE.search(text[c[0][0]:c[-1][1]] if c else ""):
            continue  # page furniture: 索引号, 发布日期, 浏览量 …
        if (head and not rows and len(c) >= 2 and sum(1 for x in c if x[1] > x[0]) == 1
                and YEAR.fullmatch(text[c[0][0]:c[0][1]])):
            continue  # ``| 2023 | ||||``: a year's row not filled in yet, under the header
        c = _trimmed(c)  # ``| 10 | |||||``: the empty cells closing a line are no columns
        if not rows and _years_only(text, c):
            head.append(c)  # 项目 | 2002 | 2006 | 2007: years heading the columns
            continue
        if (label_only and rows and c and _is_data(text, c[0]) and _has_data(text, c + c)
                and len(rows[-1]) + len(c) <= max(len(h) for h in head + rows)):
            rows[-1] = rows[-1] + c  # the numbers of a row whose labels wrapped onto a line
            # (a whole row after a note of one cell, 新增学位810个 | |||||, is its own)
            label_only = False
            continue
        label_only = False
        if _has_data(text, c) or (rows and c and c[0][0] == c[0][1] and any(e > s for s, e in c)):
            if not rows and not head:
                return []  # data before any header: not a table we can read
            opens_empty = bool(c) and c[0][0] == c[0][1]
            if not rows and _labels_then_numbers(text, head, c):
                rows.append(head.pop() + c)  # the first row's labels, its numbers wrapped below
            elif rows and opens_empty:
                rows[-1] = rows[-1] + c  # a wrapped row continues after its empty cell
            else:
                rows.append(c)
        elif any(e > s for s, e in c):
            if rows:
                width = Counter(len(r) for r in rows).most_common(1)[0][0]
                named = [x for x in c if x[1] > x[0] and not DASH.fullmatch(text[x[0]:x[1]])]
                if not (_looks_header(text, c) and len(named) >= max(2, width - 1)):
                    rows.append(c)  # a label row (分产业 | -- | --), a section of the table
                    label_only = True
                    continue
                flush()  # a header again: a repeated header or a new sub-table
                head = []
            head.append(c)
    flush()
    return out


def _labels_then_numbers(text: str, head: list[list[Cell]], line: list[Cell]) -> bool:
    """Whether ``line`` holds only numbers and the last header line is rather the labels
    of the first row, wrapped above them: together they fill the header line before it
    (一级指标 | 二级指标 | 三级指标 | 目标值 | 完成值 | 得分, then 产出指标 | 数量指标 |
    新增主体(个), then 15 | 6 | 8.0)."""
    def named(cells: list[Cell]) -> int:
        return sum(1 for s, e in cells if e > s)
    if len(head) < 2 or not line or not all(_is_data(text, x) for x in line if x[1] > x[0]):
        return False
    return named(head[-1]) >= 1 and named(head[-1]) + named(line) == named(head[-2]) >= 3


def _years_only(text: str, line: list[Cell]) -> bool:
    """A line whose numbers are all years (19xx, 20xx), at least two of them."""
    data = [text[s:e].replace(" ", "") for s, e in line if _is_data(text, (s, e)) or
            YEAR.fullmatch(text[s:e].replace(" ", ""))]
    return len(data) >= 2 and all(YEAR.fullmatch(x) for x in data)


def _trimmed(line: list[Cell]) -> list[Cell]:
    """A row without the empty cells that close it."""
    end = len(line)
    while end > 1 and line[end - 1][0] == line[end - 1][1]:
        end -= 1
    return line[:end]


def _looks_header(text: str, line: list[Cell]) -> bool:
    return bool(re.search(r"序号|指\s*标|项\s*目|名\s*称|单位|增长|%|月|年", text[line[0][0]:line[-1][1]]))


def _table_from_run(text: str, lines: list[tuple[int, int]], table: int) -> list[Block]:
    split = [_split_line(text, s, e) for s, e in lines]
    if all(text[s:e].lstrip().startswith("|") for s, e in lines):
        # ``| 稻谷 | 557.52 |`` on every line: the bar opens each row, no empty cell before it
        # (where only some lines open with a bar, those continue a wrapped row)
        split = [c[1:] if len(c) > 1 and c[0][0] == c[0][1] else c for c in split]
    wide = [c for c in split if sum(1 for s, e in c if e > s) >= 2]
    if len(wide) >= len(split) / 2:  # a row per line
        return _rows_per_line(text, split, table)
    # a cell per line (a line of empty cells, ``||``, is one empty cell)
    cells = [c for line in split for c in ([x for x in line if x[1] > x[0]] or line[:1])]
    return _numbered_cells(text, cells, table)


def _numbered_cells(text: str, cells: list[Cell], table: int) -> list[Block]:
    """A table given as one sequence of cells (a cell per line, or every cell of the
    table on one line): rows cut at their 序号 (1, 2, 3 …), the cells before the first
    row its header."""
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
    if Counter(len(r) for r in rows).most_common(1)[0][0] == n:
        n_row = n  # the rows fill every column once their empty cells count: one header line
    header = [text[s:e] for s, e in head_cells]
    if n > n_row:  # two-level header: the last (largest) split whose upper cells span evenly
        # (with no such split the rows are short of their empty cells: keep every column)
        for cut in range(n - 1, 0, -1):
            spanning = n - n_row
            sub = n - cut
            if 0 < spanning <= cut and sub % spanning == 0 and sub // spanning >= 2:
                header = _header_names(text, [head_cells[:cut], head_cells[cut:]], n_row)
                break
    out_rows = []
    for r in rows:
        parts = _closed_rows(text, r)
        if len(parts) > 1 and len(parts[0]) <= len(header):
            out_rows.extend(parts)  # the row, then its sub-rows (merged cells on the left)
            continue
        main = r[:len(header)]
        out_rows.append([c for c in main])
        rest = r[len(header):]
        if [c for c in rest if c[1] > c[0]]:
            out_rows.append(rest)  # a sub-row of a merged row, aligned right
    return header_blocks(text, table, [head_cells], len(header)) + \
        _blocks(text, table, header, out_rows, fit=False)


def _closed_rows(text: str, cells: list[Cell]) -> list[list[Cell]]:
    """A numbered row of a cell-per-line table cut where an empty cell closes a run of
    cells holding a number (its empty 备注): the sub-rows of a row whose label and
    department cells are merged (3 | 放心家政行动 | 培训…613人次 | 县商务局 | 613 | 626 |
    102.12% | (empty) | 新增家政服务人员275人 | 275 | 284 | 103.27% | (empty))."""
    parts: list[list[Cell]] = [[]]
    for c in cells:
        parts[-1].append(c)
        if c[0] == c[1] and any(_is_data(text, x) for x in parts[-1][1 if len(parts) == 1 else 0:]):
            parts.append([])  # (the row's own number is no amount)
    return [p for p in parts if any(x[1] > x[0] for x in p)]


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
    return header_blocks(text, table, [full[first - len(header):first]], len(header)) + \
        [Block("cell", s, e, table=table, row=r, col=c, header=header[c])
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


def one_line_table_cells(text: str, first_table: int = 0) -> tuple[Block, ...]:
    r"""Tables flattened onto one line, every cell a space apart (a web page's table read
    without its row breaks): the line holds a header word, then rows numbered 1, 2, 3 …

    >>> t = "民生实事进度 序号 项目 目标(个) 完成(个) 1 新建公厕 30 18 2 改造市场 10 4"
    >>> [(b.row, b.col, t[b.start:b.end], b.header) for b in one_line_table_cells(t) if b.kind == "cell"][6:8]
    [(2, 2, '10', '目标(个)'), (2, 3, '4', '完成(个)')]
    """
    out: list[Block] = []
    table = first_table
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not ONE_LINE_HEADER.search(line):
            continue
        tokens = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^ \u3000\t|]+", line)]
        if len(tokens) < 10:
            continue
        blocks = _numbered_cells(text, tokens, table)
        if any(b.kind == "cell" and b.row and b.row >= 2 for b in blocks):
            out.extend(blocks)
            table += 1
    return tuple(out)


ONE_LINE_HEADER = re.compile(r"序号|名次|排名|项目|名称|指标")
SPACE_SPLIT = re.compile(r"[ \u3000]+")
SPACED_LINE = re.compile(r"(?m)^[ \t\u3000]*[^\s|]{1,24}[ \u3000][^\s|]{1,24}[ \u3000][^\s|]{1,24}(?:[ \u3000][^\s|]{1,24})*$")


def space_table_cells(text: str, first_table: int = 0, taken: Sequence[Block] = ()) -> tuple[Block, ...]:
    r"""Tables whose cells a single space separates (web pages flattened to text):
    three or more lines with the same number (3 or more) of short space-separated
    tokens, numbers among them, under a header line of as many tokens with none (spaces
    or TABs); blank lines between them do not count.  A table over the cells of another
    reader (``taken``) is left to it.

    >>> t = "序號 地區 新開工小區數(個) 開工率\n1 江蘇 982 94.8%\n2 山東 3269 81.0%\n3 河北 869 78.5%\n"
    >>> [(b.row, b.col, t[b.start:b.end], b.header) for b in space_table_cells(t)][2:4]
    [(1, 2, '982', '新開工小區數(個)'), (1, 3, '94.8%', '開工率')]
    """
    if not SPACED_LINE.search(text):
        return ()
    lines = []
    pos = 0
    for line in text.split("\n"):
        cells = [(pos + m.start(), pos + m.end()) for m in re.finditer(r"[^ \u3000\t|]+", line)]
        if cells:  # (blank lines between the rows are a page's spacing)
            lines.append(cells)
        pos += len(line) + 1

    def shape(cells: list[Cell]) -> tuple[int, bool] | None:
        if len(cells) < 3 or any(e - s > 24 for s, e in cells):
            return None
        return len(cells), any(_is_data(text, c) for c in cells)

    out: list[Block] = []
    table = first_table
    i = 0
    while i < len(lines):
        sh = shape(lines[i])
        if sh is None or sh[1]:
            i += 1
            continue
        n = sh[0]
        j = i + 1
        # (a row one cell short, its last cell empty, goes on: 总体 60.95 17.17 78.12 under 综合排名)
        while j < len(lines) and (shape(lines[j]) == (n, True) or n >= 4 and shape(lines[j]) == (n - 1, True)):
            j += 1
        span = (lines[i + 1][0][0], lines[j - 1][-1][1]) if j > i + 1 else (0, 0)  # its rows
        full = sum(1 for k in range(i + 1, j) if len(lines[k]) == n)
        if full >= 3 and not any(b.start < span[1] and span[0] < b.end for b in taken):
            header = [text[s:e] for s, e in lines[i]]
            for r, cells in enumerate(lines[i + 1:j], start=1):
                out.extend(Block("cell", s, e, table=table, row=r, col=c, header=header[c])
                           for c, (s, e) in enumerate(cells))
            table += 1
            i = j
        else:
            i += 1
    return tuple(out)


PLACEHOLDER = re.compile(r"[-—–－]{1,2}")  # an empty cell of a statistics table (— —)
FIGURE_END = re.compile(rf"[ \u3000]{FIGURE}[ \u3000]*$", re.M)  # a line ending in a figure
FIGURE_LINE = re.compile(rf"(?m)^[^\d\s]\S*(?:[ \u3000]\S+)*[ \u3000]+{FIGURE}[ \u3000]*$")
BRACKETED = re.compile(r"[（(][^()（）]*[)）]")
SENTENCE_MARK = re.compile(r"[，。；;！？、]")
UNIT_WORD = re.compile(r"\s*(?:计\s*量\s*)?单\s*位\s*")  # the header of a unit column (指标 单位 绝对数)
LABEL_BREAK = re.compile(r"[，。；;！？]")  # a row label may be numbered (一、食品烟酒)
PAGE_FURNITURE = re.compile(r"[-—–－\s]*\d{0,3}[-—–－\s]*")  # 2, - 2 -, — —: a page's number and rules


def _figure_line(text: str, cells: list[Cell]) -> tuple[list[Cell], list[Cell], list[Cell]] | None:
    """(label cells, unit cells, figure cells) of a line that is a label, perhaps its
    unit, and then its figures (城市 99.9; #男 性 2617299 53.4; 粮食产量 万吨 1234.5 2.1),
    else None."""
    words = [text[s:e] for s, e in cells]
    first = next((i for i, w in enumerate(words) if DATA.fullmatch(w) or PLACEHOLDER.fullmatch(w)), None)
    if not first or any(not (DATA.fullmatch(w) or PLACEHOLDER.fullmatch(w)) for w in words[first:]):
        return None
    unit = 1 if first >= 2 and resolve_unit(words[first - 1].strip("()（）")) else 0
    label = "".join(words[:first - unit])
    if len(label) > 24 or LABEL_BREAK.search(label) or not re.search(r"[\u4e00-\u9fff]", label):
        return None
    return cells[:first - unit], cells[first - unit:first], cells[first:]


def _header_line(line: str) -> bool:
    """A header over figure lines: short, no figures outside brackets, naming a column."""
    bare = BRACKETED.sub("", line)
    return (0 < len(line.strip()) <= 40 and not re.search(r"\d", bare) and not SENTENCE_MARK.search(bare)
            and bool(LABEL_HEADER.search(line) or NUMERIC_HEADER.search(bare)))


def _value_headers(line: str, k: int) -> tuple[str | None, list[str | None]]:
    """(label header, one header per figure column) of a header line whose words may be
    spaced out (指 标 比重（%）, 类 别 指 数（以上年为 100）)."""
    squeezed = BRACKETED.sub(lambda m: m.group().replace(" ", "").replace("\u3000", ""), line.strip())
    m = LABEL_HEADER.match(squeezed)
    label = m.group().replace(" ", "") if m else None
    rest = squeezed[m.end():] if m else squeezed
    if k == 1:
        return label, [UNIT_WORD.sub("", re.sub(r"[ \u3000]+", "", rest)) or None]
    words = [w for w in re.split(r"[ \u3000]+", rest.strip()) if w and not UNIT_WORD.fullmatch(w)]
    merged: list[str] = []
    spaced = False  # the last word is single characters spaced out (绝 对 数 → 绝对数)
    for w in words:
        if merged and spaced and len(w) == 1:
            merged[-1] += w
        else:
            merged.append(w)
            spaced = len(w) == 1
    return label, (list(merged) if len(merged) == k else [None] * k)


def figure_line_cells(text: str, first_table: int = 0, taken: Sequence[Block] = ()) -> tuple[Block, ...]:
    r"""Statistics tables flattened to one line per row: a label, then its figures
    (城市 99.9, 乡村 3245038 66.2), three or more such lines with as many figures each,
    under a header line (指 标 比重（%）); lines of a label alone (全市常住人口, a group
    above its rows) may stand between.  A table over another reader's cells is left to it.

    >>> t = "表2 居民消费价格指数\n类 别 指 数（以上年为 100）\n居民消费价格指数 100.0\n城市 99.9\n农村 100.1\n"
    >>> [(b.row, b.col, t[b.start:b.end], b.header) for b in figure_line_cells(t)][2:4]
    [(2, 0, '城市', '类别'), (2, 1, '99.9', '指数（以上年为100）')]
    """
    if not FIGURE_END.search(text) or not FIGURE_LINE.search(text):  # (the first test is the fast one)
        return ()
    lines: list[tuple[str, list[Cell]]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((line, [(pos + m.start(), pos + m.end()) for m in re.finditer(r"[^ \u3000\t|]+", line)]))
        pos += len(line) + 1
    parsed = [_figure_line(text, cells) if cells else None for _line, cells in lines]

    def label_only(i: int) -> bool:
        line = lines[i][0].strip()
        return 0 < len(line) <= 16 and not re.search(r"\d", line) and not SENTENCE_MARK.search(line)

    out: list[Block] = []
    table = first_table
    i = 0
    while i < len(lines):
        if parsed[i] is None:
            i += 1
            continue
        k = len(parsed[i][2])  # type: ignore[index]
        rows, j, gap = [], i, 0
        while j < len(lines) and gap <= 2:
            p = parsed[j]
            if p is not None and len(p[2]) == k:
                rows.append(p)
                gap = 0
            elif label_only(j):
                gap += 1
            else:
                break
            j += 1
        head = i - 1
        while head >= 0 and head >= i - 3 and label_only(head) and not _header_line(lines[head][0]):
            head -= 1
        span = (rows[0][0][0][0], rows[-1][2][-1][1]) if rows else (0, 0)
        own = head >= 0 and _header_line(lines[head][0])
        goes_on = None if own else _continued(lines, i, k, list(taken) + out)
        if len(rows) >= 3 and (own or goes_on) and not any(b.start < span[1] and span[0] < b.end for b in taken):
            if goes_on is not None:  # the rows after a page break are the table's own
                label_header, value_headers = goes_on[0].header, [b.header for b in goes_on[1:]]
                t, first_row = goes_on[0].table, (goes_on[0].row or 0) + 1
            else:
                label_header, value_headers = _value_headers(lines[head][0], k)
                t, first_row, table = table, 1, table + 1
            shift = 2 if any(unit for _label, unit, _figures in rows) else 1  # a 单位 column
            for r, (label, unit, figures) in enumerate(rows, start=first_row):
                out.append(Block("cell", label[0][0], label[-1][1], table=t, row=r, col=0,
                                 header=label_header))
                out.extend(Block("cell", s, e, table=t, row=r, col=1, header="单位") for s, e in unit)
                out.extend(Block("cell", s, e, table=t, row=r, col=c, header=value_headers[c - shift])
                           for c, (s, e) in enumerate(figures, start=shift))
        i = max(j, i + 1)
    return tuple(out)


def _continued(lines: list[tuple[str, list[Cell]]], i: int, k: int, cells: list[Block]) -> list[Block] | None:
    """The last row (its cells, by column) of the table that line ``i`` goes on from after a
    page break: the line before it, past the page's number and rules (2, — —), is a row
    of a table of as many columns (given by another reader or read already)."""
    j = i - 1
    while j >= 0 and j >= i - 4 and PAGE_FURNITURE.fullmatch(lines[j][0]):
        j -= 1
    if j == i - 1 or j < 0 or not lines[j][1]:
        return None
    end = lines[j][1][-1][1]
    row = [b for b in cells if b.start < end and lines[j][1][0][0] < b.end]
    if not row:
        return None
    same = [b for b in cells if (b.table, b.sheet, b.row) == (row[0].table, row[0].sheet, row[0].row)
            and not UNIT_WORD.fullmatch(b.header or "")]
    same.sort(key=lambda b: b.col or 0)
    return same if len(same) == k + 1 else None


GLUED_LINE = re.compile(r"(?m)^[ \t]*((?:\d+\.\d+){3,})[ \t]*$")


def split_glued(run: str) -> list[tuple[int, int]] | None:
    """The figures of a run a PDF's text wrote without separators, when one reading
    alone gives every figure the same number of decimals and none a leading zero
    (866.60392.66473.94 → 866.60, 392.66, 473.94); None when no reading or several.

    >>> r = "481.96282.4186.9575.17"
    >>> [r[s:e] for s, e in split_glued(r)]
    ['481.96', '282.41', '86.95', '75.17']
    >>> r = "1.52.53.5"  # one decimal each is the only reading
    >>> [r[s:e] for s, e in split_glued(r)]
    ['1.5', '2.5', '3.5']
    >>> split_glued("10.0510.0.5") is None  # a figure with no digit before its point
    True
    """
    readings = []
    for k in range(1, 5):
        spans, pos, ok = [], 0, True
        while pos < len(run) and ok:
            dot = run.find(".", pos)
            end = dot + 1 + k
            whole = run[pos:dot]
            ok = (dot > pos and end <= len(run) and run[dot + 1:end].isdigit()
                  and (whole == "0" or not whole.startswith("0")) and "." not in run[dot + 1:end])
            spans.append((pos, end))
            pos = end
        if ok and pos == len(run) and len(spans) >= 3:
            readings.append(spans)
    return readings[0] if len(readings) == 1 else None


def glued_figure_cells(text: str, first_table: int = 0, taken: Sequence[Block] = ()) -> tuple[Block, ...]:
    """A column of figures a PDF's text glued into one line (866.60392.66473.94…), under
    the header line naming it (年末数（万人）): one cell per figure, that header's."""
    out: list[Block] = []
    table = first_table
    for m in GLUED_LINE.finditer(text):
        spans = split_glued(m.group(1))
        if spans is None or any(b.start < m.end(1) and m.start(1) < b.end for b in taken):
            continue
        above = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        if not above or re.search(r"\d", BRACKETED.sub("", above)) or len(above) > 24:
            continue
        base = m.start(1)
        out.extend(Block("cell", base + s, base + e, table=table, row=r, col=0, header=above)
                   for r, (s, e) in enumerate(spans, start=1))
        table += 1
    return tuple(out)


TWO_FIGURE_LINES = re.compile(rf"(?m)^[ \t\u3000]*{FIGURE}[ \t\u3000]*\n(?:[ \t\u3000]*\n)*[ \t\u3000]*{FIGURE}[ \t\u3000]*$")
UNIT_LABEL = re.compile(r"[（(]([^()（）]{1,6})[)）]\s*$")  # 地区生产总值(亿元): the row's unit


def _unit_alone(line: str) -> bool:
    """A line that is only a unit (亿元, %, 万吨): a 单位 cell."""
    word = line.strip().strip("()（）")
    return 0 < len(word) <= 4 and resolve_unit(word) is not None


def vertical_label_cells(text: str, first_table: int = 0, taken: Sequence[Block] = ()) -> tuple[Block, ...]:
    r"""Tables flattened to one cell per line whose rows are a label and its figures, each
    on its own line (地区生产总值(亿元) ⏎ 466 ⏎ 112 ⏎ 45): three or more such rows in a run,
    the label naming its unit in brackets or a unit line after it (万吨).  Rows may have
    fewer figures than others (merged or empty cells): the figures take no column name
    unless every row has as many as the header lines before the table name.

    >>> t = "指标\n全市\n甲县\n乙县\n生产总值(亿元)\n466\n112\n45\n投资(亿元)\n846\n169\n60\n收入(亿元)\n32.5\n6.2\n1.5\n"
    >>> [(b.row, b.col, t[b.start:b.end], b.header) for b in vertical_label_cells(t)][:3]
    [(1, 0, '生产总值(亿元)', '指标'), (1, 1, '466', '全市'), (1, 2, '112', '甲县')]
    """
    if not TWO_FIGURE_LINES.search(text):
        return ()  # (no two figures on lines of their own: the fast test)
    kept: list[tuple[int, int]] = []  # the lines with text, each stripped
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            kept.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1

    def figure(i: int) -> bool:
        return DATA.fullmatch(text[kept[i][0]:kept[i][1]]) is not None

    def label(i: int) -> bool:
        line = text[kept[i][0]:kept[i][1]]
        return (0 < len(line) <= 24 and re.search(r"[\u4e00-\u9fff]", line) is not None
                and not SENTENCE_MARK.search(BRACKETED.sub("", line)) and not figure(i))

    rows: list[tuple[int, int | None, list[int]]] = []  # (label line, unit line, figure lines)
    out: list[Block] = []
    table = first_table

    def flush() -> None:
        nonlocal table
        if len(rows) >= 3:
            first = rows[0][0]
            head = first - 1
            while head >= 0 and first - head <= 16 and label(head):
                head -= 1
            names = [re.sub(r"\s+", "", text[s:e]) for s, e in kept[head + 1:first]]
            span = (kept[first][0], kept[rows[-1][2][-1]][1])
            if not any(b.start < span[1] and span[0] < b.end for b in taken):
                widths = {len(f) for _l, _u, f in rows}
                # the header: the last names over the table, one per column (the label's first)
                names = names[-(max(widths) + 1):] if len(widths) == 1 and len(names) > max(widths) else []
                value_names = names[1:]
                for r, (lab, unit, figs) in enumerate(rows, start=1):
                    s, e = kept[lab]
                    out.append(Block("cell", s, e, table=table, row=r, col=0,
                                     header=names[0] if value_names else None))
                    shift = 1
                    if unit is not None:
                        out.append(Block("cell", *kept[unit], table=table, row=r, col=1, header="单位"))
                        shift = 2
                    out.extend(Block("cell", *kept[f], table=table, row=r, col=c + shift,
                                     header=value_names[c] if value_names else None)
                               for c, f in enumerate(figs))
                table += 1
        rows.clear()

    i, gap = 0, 0
    while i < len(kept):
        if label(i):
            j = i + 1
            unit = j if j < len(kept) and _unit_alone(text[kept[j][0]:kept[j][1]]) else None
            j += unit is not None
            figs = []
            while j < len(kept) and figure(j):
                figs.append(j)
                j += 1
            named = unit is not None or UNIT_LABEL.search(text[kept[i][0]:kept[i][1]]) is not None
            if len(figs) >= 2 and (named or rows):
                rows.append((i, unit, figs))
                i, gap = j, 0
                continue
        line = text[kept[i][0]:kept[i][1]]
        # what may stand between rows: a group's name, a department, a score (15)
        if len(line) <= 30 and not re.search(r"[。；;！？]", line) and gap < 3:
            gap += 1
        else:
            flush()
            gap = 0
        i += 1
    flush()
    return tuple(out)
