"""Statistics tables whose rows a PDF's text wrote with every figure glued to the next.

A yearbook table dumped to text often loses the spaces between its columns::

    计量单位:亿元
    2011年2011年为上年%占地区生产总值
    (按可比价计算)比重%
    地区生产总值6145.52112100
    第一产业164.27104.12.7
    建筑业370.33108.36

Each row is a label and one run of digits.  The run is split the way that makes the
table most regular: every column printed with its own number of decimals (a whole
number may drop them: 112 for 112.0), and every column's figures of one size (the
index column near 100).  The columns are fitted over all rows at once, so a row that
alone could be read several ways (6145.52 | 112 | 100) takes the reading its column
mates agree on.
"""
from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Sequence

from pipeline.core.records import Block

ROW = re.compile(r"(?m)^[ \t\u3000]*(?P<label>[^\d\s][^\n\d]{0,40}?[^\d\s.,，。；;])(?P<run>\d[\d.]*)[ \t\u3000]*$")
PART = re.compile(r"(?:0|[1-9]\d{0,8})(?:\.\d{1,3})?")
SENTENCE_MARK = re.compile(r"[，。；;！？]")
GLUED_HINT = re.compile(r"\d\.\d+\.\d|\.\d{4}")  # two points in a run, or four decimals
HEADER_SPLIT = re.compile(r"(?<=[%％])|(?=(?:19|20)\d\d年)")
OWN_UNIT = re.compile(r"[（(][^()（）\d]{1,6}[)）]\s*$")  # 人均地区生产总值(元)
MAX_COLUMNS = 4
MAX_READINGS = 400
INTEGER_COST = 1.0  # a whole number in a column of decimals (112 for 112.0)
WRONG_DECIMALS = 3.0
MISSING_COST = 1.5  # a row with fewer figures than the table has columns


def _readings(run: str, most: int) -> list[list[tuple[int, int]]]:
    """Every way to cut ``run`` into 1..``most`` numbers (no leading zeros, at most three
    decimals), as spans; at most MAX_READINGS of them."""
    out: list[list[tuple[int, int]]] = []

    def walk(pos: int, spans: list[tuple[int, int]]) -> None:
        if len(out) >= MAX_READINGS:
            return
        if pos == len(run):
            out.append(list(spans))
            return
        if len(spans) == most:
            return
        for end in range(pos + 1, len(run) + 1):
            if PART.fullmatch(run, pos, end):
                spans.append((pos, end))
                walk(end, spans)
                spans.pop()

    walk(0, [])
    return out


Reading = tuple[list[tuple[int, int]], tuple[int, ...], tuple[float | None, ...]]  # spans, decimals, log10s


def _described(run: str, spans: list[tuple[int, int]]) -> Reading:
    parts = [run[s:e] for s, e in spans]
    return (spans, tuple(len(p.split(".", 1)[1]) if "." in p else 0 for p in parts),
            tuple(math.log10(float(p)) if float(p) > 0 else None for p in parts))


def _cost(reading: Reading, places: Sequence[int], centres: Sequence[float] | None, own_unit: bool = False) -> float:
    """How far one reading of a row is from the columns' decimals and sizes (a row whose
    label states its own unit, 人均地区生产总值(元), is free in size in its first column)."""
    spans, decimals, logs = reading
    cost = MISSING_COST * (len(places) - len(spans))
    for j, got in enumerate(decimals):
        cost += 0 if got == places[j] else (INTEGER_COST if got == 0 else WRONG_DECIMALS)
        size = logs[j]
        if centres is not None and not (own_unit and j == 0):
            cost += min(2.0, abs(size - centres[j])) if size is not None else 1.0
    return cost


def _centres(chosen: list[Reading], k: int) -> list[float]:
    """Each column's typical size (the median of log10 of its figures)."""
    out = []
    for j in range(k):
        logs = [size for r in chosen if j < len(r[2]) for size in [r[2][j]] if size is not None]
        out.append(statistics.median(logs) if logs else 0.0)
    return out


def split_rows(runs: list[str], own_units: Sequence[bool] = ()) -> list[list[tuple[int, int]]] | None:
    """The figures of each run, cut so the table is most regular; None when no cut fits.

    >>> runs = ["6145.52112100", "164.27104.12.7", "2760.84112.344.9", "370.33108.36", "1159.0111518.9"]
    >>> [[r[s:e] for s, e in spans] for r, spans in zip(runs, split_rows(runs))]
    [['6145.52', '112', '100'], ['164.27', '104.1', '2.7'], ['2760.84', '112.3', '44.9'], ['370.33', '108.3', '6'], ['1159.01', '115', '18.9']]
    """
    own = list(own_units) or [False] * len(runs)
    readings = [[_described(run, o) for o in _readings(run, MAX_COLUMNS)] for run in runs]
    if any(not r for r in readings):
        return None
    best: tuple[float, list[Reading]] | None = None
    for k in range(2, MAX_COLUMNS + 1):
        fitting = [[o for o in options if len(o[0]) <= k] for options in readings]
        if any(not f for f in fitting):
            continue
        for places in itertools.product(range(3), repeat=k):
            chosen = [min(f, key=lambda o: _cost(o, places, None)) for f in fitting]
            # refit each row to the columns' sizes, then score decimals and spread
            centres = _centres(chosen, k)
            chosen = [min(f, key=lambda o: _cost(o, places, centres, u)) for f, u in zip(fitting, own)]
            centres = _centres(chosen, k)
            score = sum(_cost(o, places, centres, u) for o, u in zip(chosen, own)) + 0.5 * k
            if best is None or score < best[0]:
                best = (score, chosen)
    return [r[0] for r in best[1]] if best else None


def _glued(run: str) -> bool:
    """A run that cannot be one figure: two points, or more than three decimals."""
    return run.count(".") >= 2 or ("." in run and len(run.split(".", 1)[1]) > 3)


def _header_names(lines: list[str], k: int) -> list[str | None]:
    """The column names of a header glued like its rows (2011年2011年为上年%占…比重%):
    cut after each % and before each year; None each when that gives no k names."""
    joined = re.sub(r"\s+", "", "".join(lines))
    names = [n for n in HEADER_SPLIT.split(joined) if n]
    return list(names) if len(names) == k else [None] * k


def glued_row_cells(text: str, first_table: int = 0, taken: Sequence[Block] = ()) -> tuple[Block, ...]:
    """Cells of the tables whose rows are a label and a run of glued figures: three rows
    or more, two of them glued, none under another reader's cells."""
    if not GLUED_HINT.search(text):
        return ()  # (no run of figures glued anywhere: most texts)
    matches = [m for m in ROW.finditer(text) if not SENTENCE_MARK.search(m.group("label"))
               and re.search(r"[\u4e00-\u9fff]", m.group("label"))]
    out: list[Block] = []
    table = first_table
    i = 0
    while i < len(matches):
        block = [matches[i]]
        while i + len(block) < len(matches) and \
                text.count("\n", block[-1].end(), matches[i + len(block)].start()) <= 1:
            block.append(matches[i + len(block)])
        i += len(block)
        if len(block) < 3 or sum(1 for m in block if _glued(m.group("run"))) < 2 or \
                any(b.start < block[-1].end() and block[0].start() < b.end for b in taken):
            continue
        runs = [m.group("run") for m in block]
        spans = split_rows(runs, [bool(OWN_UNIT.search(m.group("label"))) for m in block])
        if spans is None:
            continue
        k = max(len(s) for s in spans)
        above = text[:block[0].start()].rstrip("\n").split("\n")[-3:]
        head = [ln for ln in above if ln.strip() and not re.search(r"单位|表\s*\d", ln)]
        names = _header_names(head, k)
        for r, (m, row) in enumerate(zip(block, spans), start=1):
            out.append(Block("cell", m.start("label"), m.end("label"), table=table, row=r, col=0, header="指标"))
            base = m.start("run")
            out.extend(Block("cell", base + s, base + e, table=table, row=r, col=c, header=names[c - 1])
                       for c, (s, e) in enumerate(row, start=1))
        table += 1
    return tuple(out)
