"""The period each quantity refers to (CONTRACT.md: ``period`` on every quantity).

In this order: the date the quantity is linked to; a horizon its sentence names
(到2030年 → 2030); the section it stands in (a work report's review of last year →
that year, 过去五年 → the five years before the report's year); its task's period;
the document's period.  A time series is built from it, so a five-year total is never
one year's point.

>>> from pipeline.core.normalize import fold
>>> t = "一、2023年工作回顾\\n粮食产量1.39万亿斤。\\n二、2024年工作任务\\n到2030年，森林覆盖率25%。"
>>> spans = section_periods(fold(t), Period("2024-01-01", "2024-12-31"))
>>> [(t[s:e].splitlines()[0], p.start_date, p.end_date) for s, e, p in spans]
[('一、2023年工作回顾', '2023-01-01', '2023-12-31')]
>>> horizon(fold(t), t.index("25%"))
Period(start_date='2030-01-01', end_date='2030-12-31')
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from pipeline.core.normalize import View
from pipeline.core.records import Block, DateMention, Period, Quantity, Task
from pipeline.core.structure.tasks import locator

HEADING = re.compile(r"(?m)^[ \t\u3000]*[一二三四五六七八九十]+、[^\n]{0,40}")
REVIEW = re.compile(r"回顾|过去")
FIVE_YEARS = re.compile(r"过去五年|五年来|近五年|这五年|“?十[一二三四五]五”?(?:规划)?(?:时期|期间)")
# a five-year plan's own years: the 11th (十一五) began in 2006, each runs five years
PLAN_NAME = re.compile(r"十([一二三四五])五")
PLAN_NUMBER = {"一": 11, "二": 12, "三": 13, "四": 14, "五": 15}


def five_years(named: str, report_year: int) -> Period:
    """The five years a 过去五年 names: a plan's own (“十三五”时期 → 2016-2020), else the
    five before the report's year."""
    plan = PLAN_NAME.search(named)
    first = 1951 + 5 * PLAN_NUMBER[plan.group(1)] if plan else report_year - 5
    return Period(f"{first:04d}-01-01", f"{first + 4:04d}-12-31")


YEAR_IN = re.compile(r"((?:19|20)\d\d)年")
# 到2030年 / 2030年前 / 至2025年: the year a plan is set for
HORIZON = re.compile(r"(?:到|至|在)((?:19|20)\d\d)年(?:底|末)?|((?:19|20)\d\d)年(?:前|以前)")
SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def _year(y: int) -> Period:
    return Period(f"{y:04d}-01-01", f"{y:04d}-12-31")


def section_periods(view: View, doc_period: Period | None) -> list[tuple[int, int, Period]]:
    """(start, end, period) in offsets of the text for every review section: a heading
    that names a year (一、2023年工作回顾) takes it; 过去五年 takes the five years
    before the report's year; any other review, the year before it.  A section of one
    five-year plan (二、“十三五”时期主要目标任务) takes the plan's years.  Headings are
    found in the text itself (folding drops the line breaks that mark them)."""
    heads = list(HEADING.finditer(view.text))
    report_year = int(doc_period.start_date[:4]) if doc_period else None
    out = []
    for i, m in enumerate(heads):
        title = m.group()
        end = heads[i + 1].start() if i + 1 < len(heads) else len(view.text)
        if not REVIEW.search(title):
            plans = PLAN_NAME.findall(title)
            if len(plans) == 1 and FIVE_YEARS.search(title) and report_year:
                # “十三五”时期主要目标任务: the plan's own five years
                out.append((m.start(), end, five_years(title, report_year)))
            continue
        y = YEAR_IN.search(title)
        five = FIVE_YEARS.search(title)
        if five and report_year:
            period = five_years(five.group(), report_year)
        elif y:
            period = _year(int(y.group(1)))
        elif report_year:
            period = _year(report_year - 1)
        else:
            continue
        out.append((m.start(), end, period))
    return out


def horizon(view: View, fs: int) -> Period | None:
    """A year the sentence before ``fs`` (folded offset) sets its plan for: 到2030年."""
    window = view.folded[max(0, fs - 60):fs]
    cut = max((m.end() for m in SENTENCE_END.finditer(window)), default=0)
    hits = list(HORIZON.finditer(window[cut:]))
    if not hits:
        return None
    y = hits[-1].group(1) or hits[-1].group(2)
    return _year(int(y))


# 去年 / 过去一年 qualify what follows in their paragraph (not 比去年, 去年同期: a baseline)
LAST_YEAR = re.compile(r"(?<![比较与])(?:去年|过去一年|上一年)(?!同期|末|底)")
THIS_YEAR = re.compile(r"(?<![比较与])(?:今年|本年)(?!以来)")


@functools.lru_cache(maxsize=4)
def _marks(text: str) -> tuple[list[int], list[int], list[int]]:
    """The ends of every 去年/过去一年, 今年 and 过去五年 in the text, sorted (found once
    per document; a quantity looks up the last one before it by bisection)."""
    return ([m.end() for m in LAST_YEAR.finditer(text)], [m.end() for m in THIS_YEAR.finditer(text)],
            [m.end() for m in FIVE_YEARS.finditer(text)])


def _last_before(ends: list[int], lo: int, hi: int) -> int:
    i = bisect.bisect_right(ends, hi) - 1
    return ends[i] if i >= 0 and ends[i] >= lo else -1


def _paragraph_marks(text: str, start: int) -> tuple[int, int, int]:
    lo = max(text.rfind("\n", 0, start), start - 300) + 1
    last, this, five = _marks(text)
    return _last_before(last, lo, start), _last_before(this, lo, start), _last_before(five, lo, start)


def speaks_of_last_year(text: str, start: int) -> bool:
    """Whether the paragraph before ``start`` reviews last year (去年, 过去一年) rather
    than planning this one: 控制在3.3% there is a result."""
    last, this, _five = _paragraph_marks(text, start)
    return last > this


def relative_year(view: View, start: int, doc_period: Period | None,
                  issued_year: int | None = None) -> Period | None:
    """The year 去年/过去一年 (or 今年) names in the paragraph before ``start`` (an offset
    of the text): the year before the document's (or its own); counted from the year the
    report was issued in when its date line says so (a review of 2018 issued in 2019)."""
    if doc_period is None or doc_period.start_date[:4] != doc_period.end_date[:4]:
        return None
    last, this, five = _paragraph_marks(view.text, start)
    year = int(doc_period.start_date[:4])
    if issued_year == year + 1:
        year = issued_year
    if five > max(last, this):
        named = [m.group() for m in FIVE_YEARS.finditer(view.text[max(0, five - 16):five])]
        return five_years(named[-1] if named else "", year)
    if last > this:
        return _year(year - 1)
    if this > last:  # 今年: in a report on part of the year (1—6月), that part
        return doc_period if part_of_year(doc_period) else _year(year)
    return None


LAST_YEAR_BEFORE = re.compile(r"(?:去年|上年|前一年)$")


def review_years(view: View, doc_period: Period | None) -> Callable[[int], int | None]:
    """For a date written without its year, at a text offset: the year before the
    report's right after 去年/上年 (去年一季度), else the year of the review section it
    stands in (一、2023年工作回顾; a work report's review of last year), else None."""
    sections = [(s, e, int(p.start_date[:4])) for s, e, p in section_periods(view, doc_period)
                if p.start_date[:4] == p.end_date[:4]]
    report_year = int(doc_period.start_date[:4]) if doc_period else None

    def year_at(start: int) -> int | None:
        if report_year and LAST_YEAR_BEFORE.search(view.text[max(0, start - 3):start]):
            return report_year - 1
        return next((y for s, e, y in sections if s <= start < e), None)
    return year_at


def part_of_year(period: Period | None) -> bool:
    """A period inside one year that is not the whole year (1—6月, a quarter, a month)."""
    return (period is not None and period.start_date[:4] == period.end_date[:4]
            and (period.start_date[5:], period.end_date[5:]) != ("01-01", "12-31"))


def without_report_year(quantities: list[Quantity], dates: list[DateMention],
                        doc_period: Period | None) -> list[Quantity]:
    """In a report on part of a year (2020年1—6月), the year itself (2020年计划实施…) is
    the report's year, not the date its figures are stated at: no date link to it, so
    they take the report's period (or their section's, or a horizon's)."""
    if not part_of_year(doc_period):
        return quantities
    assert doc_period is not None
    own = {d.id for d in dates if d.grain == "year" and (d.start_date or "")[:4] == doc_period.start_date[:4]}
    return [replace(q, date=None) if q.date in own else q for q in quantities]


def paragraph_year(view: View, start: int, dates: list[DateMention]) -> Period | None:
    """The last single year named in the paragraph before ``start``, unless as a
    baseline (比2002年) or a horizon (到2030年)."""
    para_start = view.text.rfind("\n", 0, start) + 1
    for d in sorted(dates, key=lambda d: -d.start):
        if para_start <= d.start and d.end <= start and d.grain == "year" and d.start_date and d.end_date \
                and not re.search(r"(?:比|较|到|至|从)$", view.text[max(0, d.start - 1):d.start]) \
                and not re.match(r"(?:以来|前|起)", view.text[d.end:d.end + 2]):
            return Period(d.start_date, d.end_date)
    return None


# 上年完成数, 上年同期数: last year's figures (比上年增减, 为上年% compare this year's)
LAST_YEAR_COLUMN = re.compile(r"^(?!.*(?:[比较为与以]上年|增|减|幅|%|％)).*(?:上年|去年|上一年)")  # (以上年为100: a base)


def year_before(period: Period) -> Period:
    """The same part of the year before (2016-01-01..2016-06-30 → 2015-01-01..2015-06-30)."""
    def back(day: str) -> str:
        y, rest = int(day[:4]) - 1, day[4:]
        return f"{y:04d}-02-28" if rest == "-02-29" else f"{y:04d}{rest}"
    return Period(back(period.start_date), back(period.end_date))


CUMULATIVE_COLUMN = re.compile(r"1[-—~至到]本月|本年累计|年初至本月|自年初累计")


def assign_periods(view: View, quantities: list[Quantity], dates: list[DateMention],
                   tasks: list[Task], doc_period: Period | None,
                   cells: Sequence[Block] = (), issued_year: int | None = None) -> list[Quantity]:
    """Each quantity's period (see the module's docstring); a table cell under a column of
    last year's figures (上年完成数, 上年同期) takes the year before its document's.
    ``issued_year``: the year of the report's own date line, which 去年 and 今年 count from."""
    by_date = {d.id: d for d in dates}
    by_task = {t.id: t for t in tasks}
    cell_at = locator([b for b in cells if b.kind == "cell" and b.header])
    sections = section_periods(view, doc_period)
    starts = [s for s, _, _ in sections]
    out = []
    done: dict[str, Quantity] = {}
    for q in quantities:
        period = None
        d = by_date.get(q.date or "")
        if d is not None and d.start_date and d.end_date:
            period = Period(d.start_date, d.end_date)
        fs = view.to_folded(q.start)
        if period is None and q.role == "target":
            period = horizon(view, fs)
        if period is None:
            period = relative_year(view, q.start, doc_period, issued_year)
        if period is None and sections:
            k = bisect.bisect_right(starts, q.start) - 1
            if k >= 0 and q.start < sections[k][1]:
                period = sections[k][2]
                if period.start_date[:4] != period.end_date[:4]:
                    # a five-year review: a year its paragraph names (刚刚过去的2017年，…)
                    period = paragraph_year(view, q.start, dates) or period
        cell = cell_at(q.start) if period is None else None
        if cell is not None and doc_period is not None and LAST_YEAR_COLUMN.search(cell.header or ""):
            period = year_before(doc_period)  # the column says whose year, before its row's
        if period is None and q.task in by_task:
            period = by_task[q.task].period
        period = period or doc_period
        if period is not None and period.start_date[5:] != "01-01" and (cum := cell_at(q.start)) is not None:
            if CUMULATIVE_COLUMN.search(re.sub(r"\s+", "", cum.header or "")) \
                    and period.start_date[:7] == period.end_date[:7]:
                # 1-本月, 本年累计: the year to the month the table is of, not the month alone
                period = Period(period.start_date[:4] + "-01-01", period.end_date)
            level = done.get(q.change_of or "")
            if level is not None and level.period is not None and level.period.end_date == period.end_date \
                    and cell_at(level.start) is not None:
                period = level.period  # a table's growth spans its level's (比去年同期增长 after 1-本月)
        out.append(replace(q, period=period))
        done[q.id] = out[-1]
    return out
