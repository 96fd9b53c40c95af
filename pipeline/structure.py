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

import re
from dataclasses import dataclass

from pipeline.records import Block, Document, Period, Task

SEQ_LINE = re.compile(r"^[ \t\u3000]*(\d{1,3}\*?)[ \t\u3000]*$", re.M)
SECTION_LINE = re.compile(r"^[ \t\u3000]*([一二三四五六七八九十]+)、(.{2,30})$", re.M)
TIME_NODE = re.compile(r"^[ \t\u3000]*(?:(?:19|20)\d\d年(?:第?[1-4一二三四]季度|[上下]半年|度|\d{1,2}月(?:底|末)?)"
                       r"|第?[1-4一二三四]季度|[上下]半年|\d{1,2}月(?:底|末)?前?)", re.M)
DEPARTMENT = re.compile(r"^[\u4e00-\u9fff（）()]{2,14}(?:科|处|办|局|室|中心|队|站|所|委|院|组|部|厅|司|办公室|公司|街道|镇|乡)$")
SPLIT_DEPTS = re.compile(r"[、，,；;/\s]+")
LONG_LINE = 20  # characters: the progress column's lines are wider than this

HEADER_COLUMNS = [  # header keyword → column, first match wins
    ("序号", "seq"), ("责任", "department"), ("牵头", "department"), ("单位", "department"),
    ("时间", "time"), ("节点", "time"), ("季度目标", "target"), ("目标", "target"),
    ("计划", "target"), ("任务", "task"), ("进展", "progress"), ("完成情况", "progress"),
    ("进度", "progress"), ("完成率", "rate"), ("完成", "actual"), ("内容", "task"),
    ("事项", "task"), ("指标", "task"), ("项目", "task"),
]


@dataclass(frozen=True)
class Region:
    start: int
    end: int
    column: str


def column_of_header(header: str | None) -> str | None:
    if not header:
        return None
    h = re.sub(r"\s+", "", header)
    for key, column in HEADER_COLUMNS:
        if key in h:
            return column
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


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _period_of(node: str) -> Period | None:
    from pipeline.dates import detect_period
    from pipeline.normalize import fold
    return detect_period(fold(node))


def row_numbers(text: str) -> list[re.Match[str]]:
    r"""The bare 序号 lines that open rows: the longest run of lines numbered n, n+1, …
    (a table excerpt may start at row 7).  A run of one counts only when it opens
    the text.

    >>> [m.group(1) for m in row_numbers(" 7\n任务\n8\n任务\n2024\n9*\n任务")]
    ['7', '8', '9*']
    """
    lines = list(SEQ_LINE.finditer(text))
    best: list[re.Match[str]] = []
    for i, first in enumerate(lines):
        run = [first]
        for m in lines[i + 1:]:
            if int(m.group(1).rstrip("*")) == int(run[-1].group(1).rstrip("*")) + 1:
                run.append(m)
        if len(run) > len(best):
            best = run
    if len(best) == 1 and text[:best[0].start()].strip():
        return []
    return best


def tasks_from_dump(text: str, default_period: Period | None) -> tuple[list[Task], list[Region]]:
    """Rows of a flattened progress table: a bare 序号 line opens each row."""
    seqs = row_numbers(text)
    if not seqs:
        return [], []
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
        title = _squash("".join(ln[2] for ln in title_lines))
        tasks.append(Task(id=f"T{i + 1}", seq=m.group(1), start=row_start, end=row_end,
                          title=title, departments=departments, period=period))
    return tasks, regions


def tasks_from_blocks(doc: Document, default_period: Period | None) -> tuple[list[Task], list[Region]]:
    """Rows of real tables: a row whose 序号 cell holds a number is a task."""
    cells = [b for b in doc.blocks if b.kind == "cell" and b.row is not None]
    if not cells:
        return [], []
    rows: dict[tuple[int | None, str | None, int], list[Block]] = {}
    for b in cells:
        rows.setdefault((b.table, b.sheet, b.row), []).append(b)
    tasks, regions = [], []
    section = None
    for key in sorted(rows, key=lambda k: min(b.start for b in rows[k])):
        row = sorted(rows[key], key=lambda b: (b.col or 0))
        by_col = {column_of_header(b.header): b for b in row if column_of_header(b.header)}
        seq_cell = by_col.get("seq") or row[0]
        seq = _squash(doc.text[seq_cell.start:seq_cell.end])
        first = _squash(doc.text[row[0].start:row[0].end])
        if SECTION_LINE.match(first) or re.fullmatch(r"[一二三四五六七八九十]+、.*", first):
            section = first
            continue
        if not re.fullmatch(r"\d{1,3}\*?", seq):
            continue
        task_cell = by_col.get("task")
        title = _squash(doc.text[task_cell.start:task_cell.end]) if task_cell else ""
        depts = by_col.get("department")
        departments = departments_in(doc.text[depts.start:depts.end]) if depts else ()
        time_cell = by_col.get("time")
        period = (_period_of(doc.text[time_cell.start:time_cell.end]) if time_cell else None) or default_period
        start = min(b.start for b in row)
        end = max(b.end for b in row)
        tasks.append(Task(id=f"T{len(tasks) + 1}", seq=seq, start=start, end=end, title=title,
                          departments=departments, period=period, section=section))
        for b in row:
            column = column_of_header(b.header)
            if column:
                regions.append(Region(b.start, b.end, column))
    return tasks, regions


def find_tasks(doc: Document, default_period: Period | None) -> tuple[list[Task], list[Region]]:
    tasks, regions = tasks_from_blocks(doc, default_period)
    if tasks:
        return tasks, regions
    return tasks_from_dump(doc.text, default_period)


def task_at(tasks: list[Task], offset: int) -> Task | None:
    for t in tasks:
        if t.start <= offset < t.end:
            return t
    return None


def column_at(regions: list[Region], offset: int) -> str | None:
    for r in regions:
        if r.start <= offset < r.end:
            return r.column
    return None
