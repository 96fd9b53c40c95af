"""Progress-table rows (tasks) and the column each offset stands in.

Two sources:

* real tables (``Document.blocks`` of kind ``cell`` with row, col and header), from
  the PDF, DOCX, XLSX and HTML readers;
* flattened text dumps (the seed), where each row starts with its bare 序号 line,
  the narrow task and target columns come as short lines, the wide progress
  narrative as long lines, and the responsible departments close the row.

``find_tasks`` returns Task records and a list of column regions
``(start, end, column)`` with column in task | time | target | progress | department.
"""
from __future__ import annotations

import bisect
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from pipeline.core.dates import detect_period
from pipeline.core.normalize import fold, squash
from pipeline.core.records import Block, Document, Period, Quantity, Task
from pipeline.core.structure.tables import FIGURE, UNIT_WORD
from pipeline.core.units import lexicon, resolve_unit

SEQ_LINE = re.compile(r"^[ \t\u3000]*(\d{1,3}\*?)[ \t\u3000]*$", re.M)
SECTION_LINE = re.compile(r"^[ \t\u3000]*([一二三四五六七八九十]+)、(.{2,30})$", re.M)
TIME_NODE = re.compile(r"^[ \t\u3000]*(?:(?:19|20)\d\d年(?:第?[1-4一二三四]季度|[上下]半年|度|\d{1,2}月(?:底|末)?)"
                       r"|第?[1-4一二三四]季度|[上下]半年|\d{1,2}月(?:底|末)?前?)", re.M)
DEPARTMENT = re.compile(r"^[\u4e00-\u9fff（）()]{2,14}(?:科|处|办|局|室|中心|队|站|所|委|院|组|部|厅|司|办公室|公司|街道|镇|乡|政府|会)$")
SPLIT_DEPTS = re.compile(r"[、，,；;/\s]+")
LONG_LINE = 20  # characters: the progress column's lines are wider than this

HEADER_COLUMNS = [  # header keyword → column, first match wins
    ("序号", "seq"), ("排名", "rank"), ("排行", "rank"), ("名次", "rank"), ("位次", "rank"), ("分值", "score"), ("得分", "score"), ("权重", "score"), ("责任", "department"), ("牵头", "department"), ("单位：", "unit"),
    ("单位:", "unit"), ("单位名称", "label"), ("省份", "label"), ("地区", "label"), ("区县", "label"),
    ("县区", "label"), ("县(市", "label"), ("县（市", "label"), ("乡镇", "label"), ("地市", "label"),
    ("省辖市", "label"), ("市州", "label"), ("区(县)", "label"), ("区（县）", "label"), ("责任部门", "department"), ("实施单位", "department"),
    ("承办单位", "department"), ("主办单位", "department"), ("配合单位", "department"), ("时间", "time"), ("节点", "time"), ("时限", "time"), ("期限", "time"),
    ("增长", "change"), ("增减", "change"), ("增幅", "change"), ("增速", "change"),
    ("同比", "change"), ("比上年", "change"), ("涨跌", "change"), ("为上年", "index"),
    ("指数", "index"),
    ("完成率", "rate"), ("完成目标", "rate"), ("完成比例", "rate"), ("执行率", "rate"),
    ("开工率", "rate"), ("占比", "rate"), ("比重", "rate"), ("构成", "rate"), ("之比", "rate"),
    ("%", "rate"), ("％", "rate"),
    ("任务数", "target"), ("下达任务", "target"), ("任务面积", "target"), ("预算数", "target"),
    ("指标值", "target"), ("目标值", "target"), ("计划数", "target"),
    ("完成数", "actual"), ("累计完成", "actual"), ("执行数", "actual"), ("开工数", "actual"),
    ("完成值", "actual"), ("决算数", "actual"), ("实际", "actual"), ("绝对数", "actual"),
    ("预期", "target"), ("年初预算", "target"), ("调整后预算", "target"), ("全年预算", "target"),
    ("季度目标", "target"), ("目标", "target"), ("计划", "target"), ("我市任务", "target"),
    ("本市任务", "target"), ("年度任务", "target"), ("任务", "task"),
    ("进展", "progress"), ("完成情况", "progress"), ("进度", "progress"), ("完成", "actual"),
    ("实际", "actual"), ("内容", "task"), ("事项", "task"), ("指标", "label"),
    ("项目", "label"), ("名称", "label"), ("隶属", "label"),
]
PLACE_MEASURE = re.compile(r"总值|产值|收入|支出|投资|人口|面积|产量|比重|增长")  # 地区生产总值 is no place column
MEASURE_END = re.compile(r"(?:个数|数量|总数|项数|数|金额|额|总量|量|率)(?:[（(][^()（）]*[)）])?$")
PLACE_KEYS = {"省份", "地区", "区县", "县区", "县(市", "县（市", "乡镇", "地市", "省辖市", "市州", "区(县)", "区（县）"}
CELL_SPLIT = re.compile(r"\t| {2,}|\u3000{2,}")
BARE_NUMBER = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[-+]?\d+(?:\.\d+)?%?")
UNIT_IN_BRACKETS = re.compile(r"[（(]\s*(?:单位[:：])?\s*([^()（）]{1,8}?)\s*[)）]")
UNIT_STATED = re.compile(r"单位[:：]\s*([^\s，,。；;)）]{1,6})")


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    column: str


def is_header_row(text: str, row: list[Block]) -> bool:
    """A row that repeats its own column headers (a header repeated after a page
    break, or the lower line of a two-line header)."""
    cells = [(squash(text[b.start:b.end]), squash(b.header or "")) for b in row]
    cells = [(t, h) for t, h in cells if t]
    return bool(cells) and all(h and t in h for t, h in cells)


def column_of_header(header: str | None) -> str | None:
    if not header:
        return None
    h = re.sub(r"\s+", "", header)
    for key, column in HEADER_COLUMNS:
        if key in h and not (key in PLACE_KEYS and (len(h) > len(key) + 4 or PLACE_MEASURE.search(h))) \
                and not (column == "label" and MEASURE_END.search(h)):
            return column  # (a place word inside a long header names a measure: 占地区生产总值比重%;
            # so does a label word before a count: 项目个数)
    return None


def departments_in(text: str) -> tuple[str, ...]:
    """Department names in a cell or a block of lines: '用途管制科、土地处置办' → two."""
    out = []
    for part in SPLIT_DEPTS.split(text):
        part = part.strip("（）() ")
        if part and DEPARTMENT.match(part) and part not in out:
            out.append(part)
    return tuple(out)


def _lines(text: str, start: int, end: int):
    """(line_start, line_end, stripped text) for the lines of text[start:end]."""
    pos = start
    for line in text[start:end].split("\n"):
        yield pos, pos + len(line), line.strip()
        pos += len(line) + 1


def _period_of(node: str) -> Period | None:
    return detect_period(fold(node))


PAGE_RULE = re.compile(r"\s*\n[ \t]*[-—–－][-—–－ \t]*(?:\n|$)")


MAX_ROW_NUMBER = 200


def row_numbers(text: str) -> list[re.Match[str]]:
    r"""The bare 序号 lines that open rows: the longest run of lines numbered n, n+1, …
    (a table excerpt may start at row 7).  A run of one counts only when it opens
    the text.

    >>> [m.group(1) for m in row_numbers(" 7\n任务\n8\n任务\n2024\n9*\n任务")]
    ['7', '8', '9*']
    >>> row_numbers("综述\n1\n— —\n正文\n2\n— —\n正文")  # page numbers above the page's rule
    []
    """
    # a page's number above the page's rule (2 / — —) is no row's
    lines = [m for m in SEQ_LINE.finditer(text) if not PAGE_RULE.match(text, m.end())
             and int(m.group(1).rstrip("*")) < MAX_ROW_NUMBER  # (314, 315, 316: a column's figures)
             and not _among_figures(text, m.start(), m.end())]
    # runs[n]: the longest run so far that ends with a line numbered n (one pass)
    runs: dict[int, list[re.Match[str]]] = {}
    best: list[re.Match[str]] = []
    for m in lines:
        n = int(m.group(1).rstrip("*"))
        run = runs.get(n - 1, []) + [m] if n - 1 in runs else [m]
        if len(run) > len(runs.get(n, [])):
            runs[n] = run
        if len(run) > len(best):
            best = run
    if len(best) == 1 and text[:best[0].start()].strip():
        return []
    return best


FIGURE_TEXT = re.compile(rf"\s*{FIGURE}\s*")  # a line that is one bare figure


def _among_figures(text: str, start: int, end: int) -> bool:
    """Whether the lines on both sides of a number's line are figures: a cell of a row of
    figures one per line (207.3 / 68.5 / 14 / 37.2), not a row's number."""
    b = start
    while b > 0 and text[b - 1].isspace():
        b -= 1
    a = end
    while a < len(text) and text[a].isspace():
        a += 1
    nl = text.find("\n", a)
    before = text[text.rfind("\n", 0, b) + 1:b]  # the last line with text above, and below
    after = text[a:nl if nl >= 0 else len(text)]
    return bool(before and after and FIGURE_TEXT.fullmatch(before) and FIGURE_TEXT.fullmatch(after))


SEQ_HEADER = re.compile(r"^[ \t\u3000]*序\s*号((?:[ \t\u3000]+[^\s\d]\S{0,11}){2,})[ \t\u3000]*$", re.M)
SEQ_LEAD = re.compile(r"^[ \t\u3000]*(\d{1,3}\*?)[ \t\u3000]+(?=[^\d\s])", re.M)
WORD = re.compile(r"\S+")


def side_by_side_rows(text: str) -> tuple[list[re.Match[str]], list[str | None]]:
    r"""The row-opening lines of a PDF dump whose columns run side by side under a 序号
    header line (序号 工作任务 完成时限 进展情况 牵头单位 / 1 开展全民健身活动，…): the
    lines opening with 1, 2, … after it; and the header's columns.

    >>> rows, columns = side_by_side_rows("序号 工作任务 完成时限 牵头单位\n1 修路 6月底 交通局\n2 建桥\n2024年\n3 种树 林业局")
    >>> [m.group(1) for m in rows], columns
    (['1', '2', '3'], ['task', 'time', 'department'])
    """
    header = SEQ_HEADER.search(text)
    if header is None:
        return [], []
    columns = [column_of_header(w) for w in header.group(1).split()]
    if sum(1 for c in columns if c) < 2:
        return [], []
    rows: list[re.Match[str]] = []
    for m in SEQ_LEAD.finditer(text, header.end()):
        if int(m.group(1).rstrip("*")) == len(rows) + 1:
            rows.append(m)
    return (rows, columns) if len(rows) >= 2 else ([], [])


def _is_departments(word: str) -> bool:
    parts = [p for p in SPLIT_DEPTS.split(word) if p]
    return bool(parts) and all(DEPARTMENT.match(p.strip("（）()")) for p in parts)


def _side_by_side_row(text: str, start: int, end: int, columns: list[str | None]) -> tuple[str, tuple[str, ...], list[Region]]:
    """(title, departments, column regions) of one row whose cells run side by side: its
    lines hold the task's wrapped text, then the time node and the progress; a word that
    names departments (市发改委、市财政局) is the department cell.  Without a time column,
    or a node in the row, the task and progress text cannot be told apart by position:
    only the departments are given."""
    title, departments, regions, text_regions = [], [], [], []
    node_seen = False
    for a, b, _line in _lines(text, start, end):
        words = [(m.start(), m.end()) for m in WORD.finditer(text, a, b)]
        if "department" in columns:
            kept = []
            for k, (ws, we) in enumerate(words):
                if (k > 0 or a > start) and _is_departments(text[ws:we]):
                    departments.extend(departments_in(text[ws:we]))
                    regions.append(Region(ws, we, "department"))
                else:
                    kept.append((ws, we))
            words = kept
        if not words:
            continue
        node = None
        if "time" in columns and not node_seen:
            node = next((w for w in words if TIME_NODE.fullmatch(text[w[0]:w[1]])), None)
        if node is not None:
            if node[0] > words[0][0]:
                text_regions.append(Region(words[0][0], node[0], "task"))
                title.append(text[words[0][0]:node[0]])
            text_regions.append(Region(node[0], node[1], "time"))
            if node[1] < words[-1][1]:
                text_regions.append(Region(node[1], words[-1][1], "progress"))
            node_seen = True
        elif node_seen:
            text_regions.append(Region(words[0][0], words[-1][1], "progress"))
        else:
            text_regions.append(Region(words[0][0], words[-1][1], "task"))
            title.append(text[words[0][0]:words[-1][1]])
    if node_seen:
        regions.extend(text_regions)
    return squash("".join(title)), tuple(dict.fromkeys(departments)), sorted(regions, key=lambda r: r.start)


def tasks_from_dump(text: str, default_period: Period | None) -> tuple[list[Task], list[Region]]:
    """Rows of a flattened progress table: a bare 序号 line opens each row; or, where
    the columns run side by side under a 序号 header line, a line opening with the
    row's number."""
    seqs = row_numbers(text)
    if not seqs:
        rows, columns = side_by_side_rows(text)
        tasks, regions = [], []
        for i, m in enumerate(rows):
            row_end = rows[i + 1].start() if i + 1 < len(rows) else len(text)
            row_end = len(text[:row_end].rstrip())
            title, departments, row_regions = _side_by_side_row(text, m.end(), row_end, columns)
            tasks.append(Task(id=f"T{i + 1}", seq=m.group(1), start=m.start(1), end=row_end,
                              title=title, departments=departments, period=default_period))
            regions.extend(row_regions)
        return tasks, regions
    tasks, regions = [], []
    for i, m in enumerate(seqs):
        row_start = m.start(1)
        row_end = seqs[i + 1].start() if i + 1 < len(seqs) else len(text)
        row_end = len(text[:row_end].rstrip())
        lines = [ln for ln in _lines(text, m.end(), row_end) if ln[2]]
        # departments: the short department-like lines that close the row
        dept_lines = []
        while lines and DEPARTMENT.match(lines[-1][2]):
            dept_lines.insert(0, lines.pop())
        departments = tuple(d for ln in dept_lines for d in departments_in(ln[2]))
        # task column: short lines up to the time node
        node_idx = next((k for k, ln in enumerate(lines) if TIME_NODE.match(ln[2])), None)
        first_long = next((k for k, ln in enumerate(lines) if len(ln[2]) >= LONG_LINE
                           and (node_idx is None or k > node_idx)), len(lines))
        title_end_idx = node_idx if node_idx is not None else min(first_long, len(lines))
        # a line of a bare figure is the next cell (教育惠民补短强基⏎28⏎1: its votes), not the title's
        title_end_idx = next((k for k, ln in enumerate(lines[:title_end_idx]) if k and FIGURE_TEXT.fullmatch(ln[2])),
                             title_end_idx)
        title_lines = lines[:title_end_idx]
        period = default_period
        if title_lines:
            regions.append(Region(title_lines[0][0], title_lines[-1][1], "task"))
        if node_idx is not None:
            node_line = lines[node_idx]
            node_match = TIME_NODE.match(node_line[2])
            period = _period_of(node_match.group(0)) or default_period
            target_lines = lines[node_idx:first_long]
            regions.append(Region(node_line[0], target_lines[-1][1], "target"))
        if first_long < len(lines):
            regions.append(Region(lines[first_long][0], lines[-1][1], "progress"))
        if dept_lines:
            regions.append(Region(dept_lines[0][0], dept_lines[-1][1], "department"))
        title = squash("".join(ln[2] for ln in title_lines))
        tasks.append(Task(id=f"T{i + 1}", seq=m.group(1), start=row_start, end=row_end,
                          title=title, departments=departments, period=period))
    return tasks, regions


SEQ_IN_TITLE = re.compile(r"(\d{1,3})[.、．](?!\d)\s*")
INDICATOR_HEADER = re.compile(r"[一二三四]\s*级\s*指\s*标|绩\s*效\s*指\s*标")


def tasks_from_blocks(doc: Document, default_period: Period | None,
                      indexes: Collection[tuple] = ()) -> tuple[list[Task], list[Region]]:
    """Rows of real tables: a row whose 序号 cell holds a number is a task.  ``indexes``:
    the columns of indexes (``index_columns``), marked so in the regions."""
    cells = [b for b in doc.blocks if b.kind == "cell" and b.row is not None]
    if not cells:
        return [], []
    rows: dict[tuple[int | None, str | None, int], list[Block]] = {}
    for b in cells:
        rows.setdefault((b.table, b.sheet, b.row), []).append(b)
    # a table of work (a target, progress or department column) has tasks in its label
    # rows; a statistics or budget table (rows are indicators) has none
    heads = [b for b in doc.blocks if b.kind in ("cell", "header") and b.row is not None]
    work_tables = {(b.table, b.sheet) for b in heads
                   if column_of_header(b.header) in ("progress", "department", "seq")
                   or (column_of_header(b.header) == "target" and re.search(r"任务|目标", b.header or ""))
                   or re.search(r"完成率|开工率|完工率|竣工率|进度|进展|为预算|为计划|完成目标|任务|目标|完成情况",
                             b.header or "")}
    # a performance form (一级指标 | 二级指标 | 三级指标 | 指标值 | 实际完成值) has rows of
    # indicators, not tasks, whatever its target and actual columns
    indicator_tables = {(b.table, b.sheet) for b in heads
                        if column_of_header(b.header) == "label" and INDICATOR_HEADER.search(b.header or "")}
    # a 序号 column counts 1, 2, 3 …: first cells that are subject codes (201, 2080501)
    # or other numbers do not make rows tasks
    seq_tables = _numbered_tables(doc.text, rows)
    labelled = {(b.table, b.sheet) for b in cells if column_of_header(b.header) in ("seq", "label", "task")}
    tasks, regions = [], []
    section = None
    last_key: tuple = ()
    for key in sorted(rows, key=lambda k: min(b.start for b in rows[k])):
        row = sorted(rows[key], key=lambda b: (b.col or 0))
        if is_header_row(doc.text, row):
            continue
        by_col = {column_of_header(b.header): b for b in row if column_of_header(b.header)}
        # every cell's column is known, in a task row or not (a statistics table's
        # growth column holds changes all the same)
        regions += [Region(b.start, b.end, "index" if (b.table, b.sheet, b.col) in indexes else c)
                    for b in row for c in [column_of_header(b.header)] if c]
        seq_cell = by_col.get("seq") or row[0]
        if "seq" not in by_col and column_of_header(row[0].header) == "rank":
            continue  # a ranking (GDP排行 | 区域 | GDP): its rows are no tasks
        seq = squash(doc.text[seq_cell.start:seq_cell.end])
        first = squash(doc.text[row[0].start:row[0].end])
        if SECTION_LINE.match(first) or re.fullmatch(r"[一二三四五六七八九十]+、.*", first):
            section = first
            named = next((b for b in row[1:] if column_of_header(b.header) in ("label", "task")
                          and squash(doc.text[b.start:b.end])), None)
            if not (seq_cell is not row[0] and re.fullmatch(r"\d{1,3}\*?", seq)) and named is None:
                continue  # a section's own row; else the first row of the section (大类 merged)
        # a row named by its first cell (吉首市 | 57 | 82.5 …) where no column is the label's
        named_first = ((key[0], key[1]) not in labelled and 0 < len(first) <= 20
                       and not BARE_NUMBER.fullmatch(first) and re.search(r"[\u4e00-\u9fff]", first) is not None)
        label_row = ("seq" not in by_col and ("label" in by_col or "task" in by_col or named_first)
                     and (key[0], key[1]) in work_tables and (key[0], key[1]) not in indicator_tables)
        if not (re.fullmatch(r"\d{1,3}\*?", seq) and (key[0], key[1]) in seq_tables) and not label_row:
            if tasks and "seq" not in by_col and (key[0], key[1]) in seq_tables \
                    and last_key[:2] == key[:2]:
                # a sub-row (its 序号 and label merged above) belongs to the task above
                tasks[-1] = replace(tasks[-1], end=max(tasks[-1].end, max(b.end for b in row)))
            continue
        if label_row:
            seq = None
        task_cell = by_col.get("task") or by_col.get("label") or (row[0] if named_first else None)
        title = _joined(doc.text, row, task_cell)
        numbered = SEQ_IN_TITLE.match(title or "") if seq is None else None
        if numbered:  # 14.改扩建泉山学校: the row's number written in its name
            seq, title = numbered.group(1), title[numbered.end():]
        depts = by_col.get("department")
        departments = (departments_in(doc.text[depts.start:depts.end])
                       or departments_in(_joined(doc.text, row, depts))) if depts else ()
        time_cell = by_col.get("time")
        period = (_period_of(doc.text[time_cell.start:time_cell.end]) if time_cell else None) or default_period
        # the row's own text: a merged cell written in an earlier row (one department
        # for rows 1-7) points back there and must not stretch this row over the others
        start = (seq_cell if seq else row[0]).start
        end = max([b.end for b in row if b.start >= start] + [start])
        tasks.append(Task(id=f"T{len(tasks) + 1}", seq=seq, start=start, end=end, title=title,
                          departments=departments, period=period, section=section))
        last_key = key
    return tasks, regions


def _joined(text: str, row: list[Block], cell: Block | None) -> str:
    """The text of ``cell``'s column in ``row``: a cell that wrapped inside its row (a
    box-drawn table) comes in pieces, one per line, joined here."""
    if cell is None:
        return ""
    return "".join(squash(text[b.start:b.end]) for b in row if b.col == cell.col)


def _numbered_tables(text: str, rows: dict[tuple, list[Block]]) -> set[tuple]:
    """Tables whose rows' first (or 序号) cells count up from a small number: 1, 2, 3."""
    firsts: dict[tuple, list[int]] = {}
    headed: set[tuple] = set()  # tables with a 序号 column
    for key in sorted(rows, key=lambda k: min(b.start for b in rows[k])):
        row = sorted(rows[key], key=lambda b: b.col or 0)
        seq_cell = next((b for b in row if column_of_header(b.header) == "seq"), row[0])
        if column_of_header(seq_cell.header) == "seq":
            headed.add((key[0], key[1]))
        raw = squash(text[seq_cell.start:seq_cell.end]).rstrip("*")
        if raw.isdigit():
            firsts.setdefault((key[0], key[1]), []).append(int(raw))
    out = set()
    for tkey, nums in firsts.items():
        steps = sum(1 for a, b in zip(nums, nums[1:]) if b == a + 1)
        # one row counts only under a 序号 header (a lone row of counts opening with 1 is no row 1)
        # (an excerpt of a table may start at any row under its 序号 header: 24, 25, 26)
        if nums and (min(nums) <= 20 or tkey in headed and max(nums) < MAX_ROW_NUMBER) and (
                len(nums) == 1 and tkey in headed or steps >= (len(nums) - 1) / 2 > 0):
            out.add(tkey)
    return out


def text_table_cells(text: str) -> tuple[Block, ...]:
    r"""Cell blocks for tables written as text: runs of two or more lines whose cells
    are separated by TAB (or two or more spaces); the first line of a run is the header.

    >>> t = "进展表\n指标\t目标任务\t进度\n城镇新增就业(人)\t6500\t3412\n"
    >>> [(b.row, b.col, t[b.start:b.end], b.header) for b in text_table_cells(t)][-2:]
    [(1, 1, '6500', '目标任务'), (1, 2, '3412', '进度')]
    """
    blocks: list[Block] = []
    run: list[list[tuple[int, int]]] = []
    table = 0

    def flush() -> None:
        nonlocal table
        if len(run) >= 2:
            header = [text[s:e] for s, e in run[0]]
            for r, cells in enumerate(run[1:], start=1):
                for c, (s, e) in enumerate(cells):
                    blocks.append(Block("cell", s, e, table=table, row=r, col=c,
                                        header=header[c] if c < len(header) else None))
            table += 1
        run.clear()

    pos = 0
    for line in text.split("\n"):
        cells, last = [], 0
        for m in CELL_SPLIT.finditer(line):
            cells.append((last, m.start()))
            last = m.end()
        cells.append((last, len(line)))
        cells = [(pos + a, pos + b) for a, b in cells if line[a:b].strip()]
        if len(cells) >= 2 and ("\t" in line or (run and len(cells) == len(run[0]))):
            run.append(cells)
        else:
            flush()
        pos += len(line) + 1
    flush()
    return tuple(blocks)


def _unit_column(text: str, row: list[Block]) -> str | None:
    """The unit a row's 单位 (计量单位) cell states: 指标 | 单位 | 2023年 → 万吨."""
    for b in row:
        if UNIT_WORD.fullmatch(squash(b.header or "")):
            written = squash(text[b.start:b.end]).strip("()（） ")
            if resolve_unit(written):
                return written
    return None


def _cell_unit(*labels: str | None) -> str | None:
    """The unit a header or row label states: 完成目标(%) → %, 单位：万元 → 万元,
    增幅% → %."""
    for label in labels:
        if not label:
            continue
        for rx in (UNIT_IN_BRACKETS, UNIT_STATED):
            for m in rx.finditer(label):
                if resolve_unit(m.group(1).strip()):
                    return m.group(1).strip()
                # 单位:个、亿元: the counts' columns say so (项目个数); the rest are in the one
                # unit left once counts and % are set aside
                listed = [u for u in re.split(r"[、，,/]", m.group(1)) if resolve_unit(u.strip())]
                amounts = [u for u in listed if u != "%" and resolve_unit(u).kind != "count"]  # type: ignore[union-attr]
                if len(listed) >= 2 and len(amounts) == 1:
                    return amounts[0].strip()
        if re.search(r"[%％]\s*$", label):
            return "%"
        if "百分点" in label:
            return "个百分点"  # 增减百分点
        m = COUNT_HEADER.search(label)  # 本年制发件数 → 件, 开工个数 → 个
        if m and resolve_unit(m.group(1)):
            return m.group(1)
    return None


COUNT_HEADER = re.compile(r"([件个户次项宗家座所条株头只台套辆])数(?:[（(]|$|\s)")


EMPTY_UNIT = re.compile(r"[（(]\s*[)）]\s*$")
SCORE_HEADER = re.compile(r"分值|得分|权重")


def unit_above(text: str, start: int, lines: int = 3) -> str | None:
    """A unit note in the few lines above a table: 单位：万元, （万吨）, 单位:亩."""
    for line in reversed(lines_above(text, start, lines)):
        first_cell = re.split(r"[|\t]", line.strip(" |\t"))[0]
        if "\t" in line or line.count("|") >= 2 and len(line.replace("|", "").strip()) > 16:
            m = UNIT_STATED.match(first_cell.strip())
            if m and _cell_unit(m.group(0)):
                return _cell_unit(m.group(0))  # | 单位:万吨 | (10000 tons) |: a note in cells
            continue  # a row of another table, whose header names its own column's unit
        line = line.replace("|", " ")
        m = UNIT_STATED.search(line)
        if m and _cell_unit(m.group(0)):
            return _cell_unit(m.group(0))
        if len(line.strip()) <= 12:
            u = _cell_unit(line)
            if u and u != "%":
                return u
    return None


# what names a growth: a row label ending so (地区生产总值增长率), a caption anywhere
GROWTH_WORDS = "增长率|增速|增幅|涨幅|降幅|下降率|降低率|同比增长|比上年增长|同比增减"
GROWTH_LABEL = re.compile(rf"(?:{GROWTH_WORDS})(?:[（(][^()（）]*[)）])*$")
GROWTH_NAMED = re.compile(GROWTH_WORDS)


def caption_above(text: str, start: int, lines: int = 4) -> tuple[str | None, bool]:
    """(unit, names a growth) of a table's caption: the line over its header that is one
    name alone, or one cell over empty ones (指标:工业增加值_同比增长(%) | ||||||).  Its
    unit, % included, is every bare figure's; a growth it names makes them changes."""
    for line in reversed(lines_above(text, start, lines)):
        cells = [c.strip() for c in re.split(r"[|\t]", line.strip(" |\t"))]
        named = [c for c in cells if c]
        if len(named) >= 2:
            continue  # the header (or its upper line)
        if not named or len(named[0]) > 40:
            return None, False
        return _cell_unit(named[0]), bool(GROWTH_NAMED.search(named[0]))
    return None, False


BUDGET_TITLE = re.compile(r"预算(?:总)?表|预算收支|部门预算|预算安排")
NOT_BUDGET = re.compile(r"决算|执行|完成|实际")


def lines_above(text: str, start: int, lines: int) -> list[str]:
    """The last ``lines`` lines before ``start`` (a table's title lines)."""
    return text[:start].rstrip("\n").split("\n")[-lines:]


def is_budget_table(text: str, first_cell: int, lines: int = 4) -> bool:
    """Whether the title lines just above a table name a budget (2026年部门收入预算总表),
    not its execution or final accounts (决算, 执行情况)."""
    head = "\n".join(lines_above(text, first_cell, lines))
    return bool(BUDGET_TITLE.search(head)) and not NOT_BUDGET.search(head)


PLAN_TITLE = re.compile(r"目标任务|任务分解|分解表|目标责任|目标体系|框架体系|计划表|目标表|考核目标")
NOT_PLAN_TITLE = re.compile(r"完成|进展|进度|执行|情况|实际|决算")


def is_plan_table(text: str, first_cell: int, chars: int = 300) -> bool:
    """Whether the title above a table names targets (目标任务分解表, 综合目标任务框架体系),
    not their progress (目标任务完成情况表): the figures no column names are targets."""
    head = text[max(0, first_cell - chars):first_cell]
    head = head[max(0, head.rfind("。") + 1):]
    return bool(PLAN_TITLE.search(head)) and not NOT_PLAN_TITLE.search(head)


def counted_unit(text: str, first_cell: int, headers: list[str], lines: int = 3) -> str | None:
    """The unit of a table that counts a noun of lexicon.toml [counted_noun] in its title
    lines (收到和处理政府信息公开申请情况 → 件) or its headers (本年制发件数 → 件)."""
    head = "\n".join(lines_above(text, first_cell, lines) + headers)
    return next((u for noun, u in lexicon()["counted_noun"].items() if noun in head), None)


def _stated_units(row: list[Block], taken: list, starts: list[int]) -> list[tuple[float, str]]:
    """(value, unit as written) of the quantities the patterns found, with a unit, in the
    row's task, label or target cells (城镇新增就业1100人)."""
    row = [b for b in row if column_of_header(b.header) in ("task", "label", "target")]
    if not row:
        return []
    lo, hi = min(b.start for b in row), max(b.end for b in row)
    out = []
    for q in taken[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]:
        written = q.written_unit or q.unit
        if q.value is not None and written and written != "%" and any(
                b.start <= q.start and q.end <= b.end for b in row):
            out.append((q.value, written))
    return out


def _row_unit(number: float, stated: list[tuple[float, str]], column: str | None) -> str | None:
    """The unit a row's own text gives a bare number: the unit of the same figure stated
    in another cell (城镇新增就业1100人 | 1100), else, in a target or actual column, the
    one unit the row states (| 1063 |)."""
    for value, written in stated:
        unit = resolve_unit(written)
        if unit is not None and math.isclose(number * unit.factor, value, rel_tol=1e-9):
            return written
    if column in ("target", "actual", "progress") and len({w for _v, w in stated}) == 1:
        return stated[0][1]
    return None




def index_columns(text: str, blocks: tuple[Block, ...]) -> set[tuple]:
    """(table, sheet, col) of the columns that hold an index whatever their header says
    (指标 | 比上年涨跌(%) over 居民消费价格总指数 | 101.0): a row label names an index
    (指数) and every figure of the column lies near 100.  Found once per document: the
    cells' quantities and the tasks' column regions both read it."""
    tables: dict[tuple, list[Block]] = {}
    for b in blocks:
        if b.kind != "cell" or b.row is None:
            continue
        tables.setdefault((b.table, b.sheet), []).append(b)
    out = set()
    for (table, sheet), bs in tables.items():
        if not any("指数" in text[b.start:b.end] for b in bs if not BARE_NUMBER.fullmatch(text[b.start:b.end].strip())):
            continue
        cols: dict[int | None, list[float]] = {}
        for b in bs:
            v = text[b.start:b.end].strip()
            if BARE_NUMBER.fullmatch(v) and not v.endswith("%") and (b.col or 0) > 0:
                cols.setdefault(b.col, []).append(float(v.replace(",", "")))
        out |= {(table, sheet, c) for c, vs in cols.items() if len(vs) >= 3 and all(60 <= v <= 160 for v in vs)}
    return out


# what opens a row label without naming anything: #批发零售业, 其中:玉米, 一、税收收入, 1.
LABEL_MARK = re.compile(r"^(?:[#＃*※]+|其中[:：]?|[一二三四五六七八九十]+[、.]|\d{1,2}[、.](?!\d)|[（(][一二三四五六七八九十\d]{1,2}[)）])+")


def _label(text: str) -> str:
    return LABEL_MARK.sub("", EMPTY_UNIT.sub("", UNIT_IN_BRACKETS.sub("", squash(text))).strip()) or text


def cell_quantities(text: str, blocks: tuple[Block, ...], taken: list,
                    indexes: Collection[tuple] = ()) -> list:
    """Quantities written as bare numbers in table cells, their unit taken from the
    column header (完成目标(%), 单位：万元) or the row label (城镇新增就业(人)), with
    ``unit_inferred`` true, the row label as the indicator and the column's role; in
    the columns of ``indexes`` (``index_columns``), an index without a unit."""
    cells = [b for b in blocks if b.kind == "cell" and b.row is not None]
    rows: dict[tuple, list[Block]] = {}
    for b in cells:
        rows.setdefault((b.table, b.sheet, b.row), []).append(b)
    table_unit: dict[tuple, str | None] = {}
    section_unit: dict[tuple, str | None] = {}  # a unit-bearing row label carries on
    budget: dict[tuple, bool] = {}
    planned: dict[tuple, bool] = {}
    caption: dict[tuple, tuple[str | None, bool]] = {}
    counted: dict[tuple, str | None] = {}
    last_counted: dict[str | None, str | None] = {}  # by sheet: the unit a table counts in
    last_table: dict[str | None, tuple[str | None, bool, int, set]] = {}  # by sheet: unit, budget, end, headers
    taken = sorted(taken, key=lambda q: q.start)
    taken_starts = [q.start for q in taken]
    out = []
    for key in sorted(rows, key=lambda k: min(b.start for b in rows[k])):
        row = sorted(rows[key], key=lambda b: b.col or 0)
        if is_header_row(text, row):
            continue
        # the label: of several label columns (一级指标 | 二级指标 | 三级指标), the last
        # before the row's numbers, the most specific
        labels = [b for b in row if column_of_header(b.header) in ("label", "task")]
        first_number = next((b.start for b in row if BARE_NUMBER.fullmatch(text[b.start:b.end].strip())),
                            None)
        label_cell = next((b for b in reversed(labels) if first_number is None or b.start < first_number),
                          labels[0] if labels else None)
        if label_cell is None:
            label_cell = next((b for b in row if text[b.start:b.end].strip()
                               and not BARE_NUMBER.fullmatch(text[b.start:b.end].strip())
                               and column_of_header(b.header) != "seq"), None)
        label = text[label_cell.start:label_cell.end] if label_cell else None
        row_unit = _unit_column(text, row)
        tkey = (key[0], key[1])
        if tkey not in table_unit:
            first = min(b.start for b in cells if (b.table, b.sheet) == tkey)
            # a unit note above the table, or in the label column's header, is the whole
            # table's; a unit in another column's header is that column's only
            table_unit[tkey] = next((u for b in cells if (b.table, b.sheet) == tkey
                                     for u in [_cell_unit(b.header)] if u and u != "%" and (
                                         column_of_header(b.header) in ("label", "task") or b.col == 0
                                         or re.fullmatch(r"\s*[（(]?单位[:：][^|]{1,8}[)）]?\s*", b.header or ""))),
                                    None) or unit_above(text, first, lines=8)
            budget[tkey] = is_budget_table(text, first)
            caption[tkey] = caption_above(text, first)
            planned[tkey] = is_plan_table(text, first)
            counted[tkey] = counted_unit(text, first, [b.header for b in cells
                                                       if (b.table, b.sheet) == tkey and b.header])
            # a table that goes on after a page break, with no header of its own (or a
            # row of numbers the reader took for one), keeps the unit and the kind of the
            # table it continues
            prev = last_table.get(tkey[1])
            heads = {b.header for b in cells if (b.table, b.sheet) == tkey and b.header}
            continued = (not heads or sum(1 for h in heads if re.fullmatch(r"[\d,.\s/-]+", h)) >= 2
                         or prev is not None and heads == prev[3])  # the reader gave it the headers
            if prev is not None and continued and first - prev[2] < 400:
                table_unit[tkey] = table_unit[tkey] or prev[0]
                budget[tkey] = budget[tkey] or prev[1]
                counted[tkey] = counted[tkey] or last_counted.get(tkey[1])
            last_counted[tkey[1]] = counted[tkey]
            last_table[tkey[1]] = (table_unit[tkey], budget[tkey],
                                   max(b.end for b in cells if (b.table, b.sheet) == tkey), heads)
        if label and _cell_unit(label):
            section_unit[tkey] = _cell_unit(label)  # (本地生产总值(%) opens a section of shares)
        elif label and EMPTY_UNIT.search(label):
            section_unit[tkey] = None  # 人均可支配收入(): a unit left blank, none carried on
        stated = _stated_units(row, taken, taken_starts)
        for b in row:
            raw = text[b.start:b.end]
            value_text = raw.strip()
            column = column_of_header(b.header)
            if column in ("seq", "time", "department") or not BARE_NUMBER.fullmatch(value_text):
                continue
            if column == "rank":
                if value_text.isdigit() and 0 < int(value_text) < 1000:  # 排名 | 区域 | … / 1 | 潞州区
                    start = b.start + raw.index(value_text)
                    out.append(Quantity(
                        id="", start=start, end=start + len(value_text), text=value_text,
                        value=float(value_text), unit="位", written_unit=None, kind="rank", role="rank",
                        indicator=_label(b.header or "") or None, column=column, confidence=0.8,
                        extractor="table"))
                continue
            if (b.table, b.sheet, b.col) in indexes:
                column = "index"
            if value_text.isdigit() and (column in ("label", "task") or (
                    label_cell is not None and b.start < label_cell.start)):
                continue  # a row number or a subject code, in or before the row's label
            start = b.start + raw.index(value_text)
            end = start + len(value_text)
            if any(q.start < end and start < q.end for q in taken) or \
                    any(q.start == start and q.end == end for q in out):
                continue  # found by the patterns, or a cell the reader gave twice
            # the row label's unit is the row's; a growth or share column is in % unless
            # its header says otherwise; a score column counts points (分)
            if value_text.endswith("%"):
                written = "%"
            elif column == "index":
                written = None  # 为上年% (上年=100): an index, no share
            elif column == "rate" or (column == "change" and not re.search(r"额|量|数", b.header or "")):
                written = _cell_unit(b.header) or "%"
            else:
                number = float(value_text.replace(",", ""))
                written = (_cell_unit(label) or row_unit or _row_unit(number, stated, column)
                           or _cell_unit(b.header) or section_unit.get(tkey)
                           or table_unit[tkey] or counted.get(tkey) or caption[tkey][0])
            if SCORE_HEADER.search(b.header or "") and not value_text.endswith("%"):
                written = "分"
            unit = resolve_unit(written) if written else None
            number = float(value_text.rstrip("%").replace(",", ""))
            role = {"target": "target", "actual": "actual", "rate": "rate", "change": "change",
                    "progress": "actual", "index": "actual", "score": "other"}.get(column or "", None)
            if role in (None, "actual") and label and GROWTH_LABEL.search(squash(label)):
                role = "change"  # 地区生产总值增长率 | % | 7.2: the row names a growth
            if role is None and caption[tkey][1]:
                role = "change"  # under a caption naming a growth (同比增长(%))
            if role is None and planned[tkey]:
                role = "target"  # a 目标任务分解表: what no column names is planned
            if budget[tkey] and ((role in (None, "actual") and unit is not None and unit.kind == "money")
                                 or role == "change"):
                role = "target"  # a budget (预算表) plans every amount in it, and its changes
            indicator = _label(label) if label else None
            out.append(Quantity(
                id="", start=start, end=end, text=text[start:end],
                value=float(f"{number * (unit.factor if unit else 1):.12g}"),
                unit=unit.base if unit else None, written_unit=None, kind=unit.kind if unit else "other",
                unit_inferred=unit is not None and not value_text.endswith("%"),
                role=role, indicator=indicator, column=column, confidence=0.8, extractor="table"))
    return out


def find_tasks(doc: Document, default_period: Period | None,
               indexes: Collection[tuple] = ()) -> tuple[list[Task], list[Region]]:
    tasks, regions = tasks_from_blocks(doc, default_period, indexes)
    if tasks:
        return tasks, regions
    dump_tasks, dump_regions = tasks_from_dump(doc.text, default_period)
    return dump_tasks, dump_regions + regions


def locator(spans: list, lookback: int = 16):
    """A function offset → the first of ``spans`` (objects with start and end) that
    holds it, in O(log n): tasks and column regions of a large table are looked up
    once per mention."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, i))
    starts = [spans[i].start for i in order]

    def find(offset: int):
        k = bisect.bisect_right(starts, offset)
        hits = [order[j] for j in range(max(0, k - lookback), k)
                if spans[order[j]].start <= offset < spans[order[j]].end]
        return spans[min(hits)] if hits else None
    return find
