"""Forms laid out vertically, one after another: each field's name on its own line(s), its
value below it.  Progress reports on single projects print them (项目名称 / value / 进展情况
/ value / 存在困难和问题 / value …), often with the name spread over short lines
(``项 目`` / ``名 称``).  Each form is read as one row of a table whose columns are the
field names, so the table stages give it a task, its columns' roles and its units.

>>> t = "项目名称\\n新建绿道500公里\\n进展情况\\n已建成140公里。\\n项目名称\\n增种林荫50处\\n进展情况\\n已完成51处。\\n"
>>> [(b.row, b.col, b.header, t[b.start:b.end]) for b in form_cells(t)][:3]
[(1, 0, '项目名称', '新建绿道500公里'), (1, 1, '进展情况', '已建成140公里。'), (2, 0, '项目名称', '增种林荫50处')]
"""
from __future__ import annotations

import functools
import re

from pipeline.core.records import Block
from pipeline.core.units import lexicon

MAX_PIECES = 4  # a field name spread over at most this many short lines
PIECE = 6  # characters (spaces removed) of one piece of a spread name
# a report's title between two forms (2021年市为民办实事项目进展情况月报表(11月份)), or the
# page's furniture after the last, ends a value
TITLE_LINE = re.compile(r"(?:19|20)\d\d年.{0,40}(?:报表|统计表|情况表|一览表)"
                        r"|^(?:来源|信息来源|附件|扫一扫|相关解读|【?打印|【?关闭|分享到)")


@functools.cache
def _opener_line(opens: tuple[str, ...]) -> re.Pattern[str]:
    """A line starting with the first two characters of an opening field, spaces allowed
    between them (项 目 / 名 称)."""
    return re.compile(r"(?m)^[ \t\u3000]*(?:" + "|".join(rf"{re.escape(o[0])}\s*{re.escape(o[1])}" for o in opens) + ")")


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text without spaces) of the non-blank lines."""
    out, pos = [], 0
    for line in text.split("\n"):
        key = re.sub(r"[\s\u3000]+", "", line)
        if key:
            out.append((pos, pos + len(line), key))
        pos += len(line) + 1
    return out


def _labels(lines: list[tuple[int, int, str]], fields: set[str]) -> list[tuple[int, int, str]]:
    """(first line index, index after the last line, field name) of each field label."""
    longest = max(map(len, fields))
    out, i = [], 0
    while i < len(lines):
        name, k = "", i
        hit = None
        while k < len(lines) and k - i < MAX_PIECES and (k == i or len(lines[k][2]) <= PIECE):
            name += lines[k][2]
            k += 1
            if name in fields:
                hit = (i, k, name)
            if len(name) > longest:
                break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def form_cells(text: str, first_table: int = 0) -> tuple[Block, ...]:
    """Cell blocks of the vertical forms in ``text``: none unless a form opens with a
    project's name (项目名称) and two forms, or one of three fields or more, are found."""
    opens = lexicon()["form_field"]["opens"]
    if not _opener_line(tuple(opens)).search(text):
        return ()  # no line opens with a project's name: no form (most texts, cheaply)
    fields = set(lexicon()["form_field"]["fields"])
    lines = _lines(text)
    labels = _labels(lines, fields)
    if not labels:
        return ()
    opener = next((lab[2] for lab in labels if lab[2] in opens), None)
    if opener is None:
        return ()
    labels = labels[next(i for i, lab in enumerate(labels) if lab[2] == opener):]
    forms = sum(1 for lab in labels if lab[2] == opener)
    names = list(dict.fromkeys(lab[2] for lab in labels))
    if len(names) < 2 or (forms < 2 and len(names) < 3):
        return ()
    out: list[Block] = []
    row = 0
    for n, (_first, after, name) in enumerate(labels):
        if name == opener:
            row += 1
        stop = labels[n + 1][0] if n + 1 < len(labels) else len(lines)
        value = lines[after:stop]
        for j, (_s, _e, key) in enumerate(value):
            if j and TITLE_LINE.search(key):
                value = value[:j]
                break
        if not value:
            continue
        start = value[0][0] + len(text[value[0][0]:value[0][1]]) - len(text[value[0][0]:value[0][1]].lstrip())
        end = value[-1][0] + len(text[value[-1][0]:value[-1][1]].rstrip())
        out.append(Block("cell", start, end, table=first_table, row=row, col=names.index(name), header=name))
    return tuple(out)
