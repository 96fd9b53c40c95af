"""Date mentions: find them in the folded view and resolve to inclusive ISO ranges.

A date without a year takes it from ``default_year`` (the report's period, else the
reference date).  With no year anywhere, the mention is kept with null dates.

>>> from pipeline.core.normalize import fold
>>> [(d.text, d.start_date, d.end_date, d.grain) for d in find_dates(fold("1—5月份，6月18日-20日，截至6月\\n底"), 2024)]
[('1—5月份', '2024-01-01', '2024-05-31', 'month'), ('6月18日-20日', '2024-06-18', '2024-06-20', 'day'), ('6月\\n底', '2024-06-30', '2024-06-30', 'day')]
>>> [(d.text, d.start_date, d.end_date, d.grain) for d in find_dates(fold("2024年第2季度；二季度；上半年；前三季度"), 2024)]
[('2024年第2季度', '2024-04-01', '2024-06-30', 'quarter'), ('二季度', '2024-04-01', '2024-06-30', 'quarter'), ('上半年', '2024-01-01', '2024-06-30', 'half'), ('前三季度', '2024-01-01', '2024-09-30', 'quarter')]
>>> [(d.text, d.start_date) for d in find_dates(fold("《关于做好2024年度用地的通知》2023年10月"), None)]
[('2023年10月', '2023-10-01')]
"""
from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import functools
import re
from collections import Counter
from collections.abc import Callable
from importlib import resources

import tomllib

from pipeline.core.normalize import View, fold
from pipeline.core.numbers import parse_number
from pipeline.core.records import DateMention, Period

_CN = "零〇○一二两三四五六七八九十"
# a year: 2024年, 二〇二四年, a two-digit one where it cannot be a duration (08年,
# 零八年, 15年3月)
YEAR = (rf"(?P<y>(?:19|20)\d\d|[{_CN}]{{4}}|0\d(?=年)|零[{_CN}](?=年)"
        rf"|[12]\d(?=年(?:1[0-2]|0?[1-9])月))年度?")
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
QUARTER = r"[1-4一二三四]"
# not inside a number: a digit right after a digit or a point is no date's start; a word
# may follow a number (2021-10-20⏎前三季度: folding drops the break)
NB = r"(?![\d.](?<=[\d.][\d.]))"

# what a day named for the news of it comes before (19日发布, 今天上午召开)
EVENT = "上午|下午|晚|凌晨|发布|公布|召开|举行|举办|印发|通报|表示|宣布|出台|获悉"

_FORMS: list[tuple[str, str]] = [
    # (name, regex); the first form that matches at a position wins (longest first)
    # 2023年10月至2024年3月: one span of months, each end with its year (days stay two
    # mentions, as the gold writes them); 10月至次年3月 runs into the next year
    ("ym_ym", rf"(?:(?P<y1>(?:19|20)\d\d)年)?(?P<m1>{MONTH})月份?(?:-|~|至|到)"
              rf"(?:(?P<y>(?:19|20)\d\d)年|(?P<next>次年|翌年))(?P<m2>{MONTH})月份?(?![\d{_CN}])"),
    ("years", rf"(?P<y1>(?:19|20)\d\d)年?(?:-|~|至|到){YEAR}"),
    # (2019-05-22T04:56:35Z is a file's timestamp, not a date the report states)
    ("ymd", r"(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m1>1[0-2]|0?[1-9])(?P=sep)(?P<d1>3[01]|[12]\d|0?[1-9])(?![\d.]|T\d)"),
    ("md_md", rf"(?:{YEAR})?(?P<m1>{MONTH})月(?P<d1>{DAY})[日号]?(?:-|~|至|到)(?P<m2>{MONTH})月(?P<d2>{DAY})[日号]"),
    ("md_d", rf"(?:{YEAR})?(?P<m1>{MONTH})月(?P<d1>{DAY})[日号]?(?:-|~|至|到)(?P<d2>{DAY})[日号]"),
    ("m_m", rf"(?:{YEAR})?(?P<m1>{MONTH})(?:月)?(?:-|~|至|到)(?P<m2>{MONTH})月份?"),
    # 第1季 (Hong Kong, Macao, Taiwan) is a quarter as 第1季度 is; 一季 alone is a crop (一季稻)
    ("quarter_end", rf"(?:{YEAR})?第?(?P<q>{QUARTER})(?:季度|(?<=第{QUARTER})季)(?:末|底)"),
    ("quarter", rf"(?:{YEAR})?第?(?P<q>{QUARTER})(?:季度|(?<=第{QUARTER})季)"),
    ("first_quarters", rf"(?:{YEAR})?前(?P<q>[23二三])(?:个)?季度"),
    # 1—3季度, 一至三季度: from the first quarter named to the last
    ("quarters", rf"(?:{YEAR})?第?(?P<q1>{QUARTER})(?:季度)?(?:-|~|至|到)第?(?P<q>{QUARTER})季度"),
    # 前8月, 前八个月: January to that month, cumulative
    # 本財政年度首3個月: the first months of a fiscal year (April to March, as 2006/07財政年度)
    ("fy_months", rf"(?<=財政年度|财政年度)首(?P<m2>{MONTH})(?:个|個)?月份?"),
    ("first_months", rf"(?:{YEAR})?(?<![提超之以])[前首](?P<m2>{MONTH})(?:个|個)?月份?"),
    # 2023年秋季: the season's months (冬季 runs into the next year); 2023年春节: its day
    ("season", rf"{YEAR}(?P<s>春|夏|秋|冬)季"),
    ("festival", rf"{YEAR}春节"),
    ("half_end", rf"(?:{YEAR})?(?P<h>上|下)半年(?:末|底)"),
    ("half", rf"(?:{YEAR})?(?P<h>上|下)半年"),
    ("md", rf"(?:{YEAR})?(?P<m1>{MONTH})月(?P<d1>{DAY})[日号]"),
    # 八月十五, 正月初一: a day in Chinese numerals needs no 日
    ("md_cn", rf"(?:{YEAR})?(?P<m1>十[一二]?|[一二三四五六七八九])月(?P<d1>初[一二三四五六七八九十]"
              rf"|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?)(?![日号\d{_CN}])"),
    ("m_part", rf"(?:{YEAR})?(?P<m1>{MONTH})月份?(?P<part>底|末|初|上中旬|中下旬|上旬|中旬|下旬)"),
    # 7、8月: two months written as one, June to August read from its first and last
    ("m_list", rf"(?:{YEAR})?(?P<m1>{MONTH})、(?P<m2>{MONTH})月份?"),
    ("m", rf"(?:{YEAR})?(?P<m1>{MONTH})月份?"),
    ("fy", rf"(?P<y>(?:19|20)\d\d|[二][{_CN}]{{3}})(?:/|至)(?P<y2>\d\d|[{_CN}]{{2}})(?:財政|财政)?年度"),
    ("roc", rf"民[國国](?P<r>\d{{1,3}}|[{_CN}]{{1,4}})年度?(?:(?P<m1>{MONTH})月(?:(?P<d1>{DAY})[日号])?)?"),
    ("y_end", rf"{YEAR}年?(?:底|末)"),
    ("y", rf"{YEAR}"),
    # 年底前完成: the end of the report's year (a deadline, ANNOTATION.md); a bare 年末
    # in a bulletin stays unmarked, like 年初
    ("year_end", r"(?<![\d年今去上明本])年底"),
    # 19日发布: a day of the report's own month, as news writes it; only before the words
    # of an event, so 30日内 and 15日前完成 stay durations and deadlines
    ("d", r"(?:(?<=本月)|(?<=当月)|(?<![\d月第近每前后共约逾超个余满连续内]))(?P<d1>3[01]|[12]\d|[1-9])日"
          rf"(?={EVENT}|消息|电|讯)"),
    # 本报讯 5日，全市…: a dateline's day, after the byline or a full stop
    ("d_lead", r"(?<=[。）)讯电])(?P<d1>3[01]|[12]\d|[1-9])日(?=[，,])"),
    # 今日, 昨日, 明日 (a report's formal words; 今天/明天 are as often figurative:
    # 托起明天的希望)
    ("rel", rf"(?P<rel>今日|昨日|明日)(?!之)|(?P<rel2>今天|昨天|明天)(?=[，,]|{EVENT}|开幕|闭幕)"),
]
# Every date starts with a digit, a Chinese numeral, 第, 前, 上 or 下: the lookahead
# rejects all other positions with one character test (speed on long texts).
_START = f"(?=[\\d{_CN}第前首上下今昨明民]|年底)"
_REGEX = re.compile(_START + NB + "(?:" + "|".join(
    f"(?P<{name}>{rx.replace('(?P<', f'(?P<{name}_').replace('(?P=', f'(?P={name}_')})" for name, rx in _FORMS) + ")")
FY_BEFORE = re.compile(r"((?:19|20)\d\d)/\d\d(?:財政|财政)?年度$")
CODE_BEFORE = re.compile(r"(?:编号|代码|编码|批号|文号|证号|号码|No\.?|NO\.?)[:：]?$")
# a document's title: in 《》, or quoted when it ends as documents are named
_TITLE = re.compile(r"《[^《》\n]{0,80}》|“[^“”\n]{0,80}(?:通知|意见|方案|办法|规定|决定|纲要|条例|细则|要点)”")


def _num(text: str | None) -> int | None:
    if text is None:
        return None
    return int(parse_number(text.lstrip("初")))


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


RELATIVE_DAYS = {"今日": 0, "昨日": -1, "明日": 1, "今天": 0, "昨天": -1, "明天": 1}
SEASON_START = {"春": 3, "夏": 6, "秋": 9, "冬": 12}  # meteorological seasons, as the gold reads them


@functools.cache
def spring_festivals() -> dict[int, str]:
    """Year → the ISO day of its 春节 (resources/festivals.toml), validated."""
    with resources.files("pipeline.resources").joinpath("festivals.toml").open("rb") as fh:
        table = tomllib.load(fh)["spring_festival"]
    out = {}
    for year, day in table.items():
        if _dt.date.fromisoformat(day).year != int(year):
            raise ValueError(f"festivals.toml: 春节 {year} = {day!r} is not in that year")
        out[int(year)] = day
    return out


def _resolve(form: str, g: dict[str, str | None], default_year: int | None,
             reference: _dt.date | None = None):
    """(start, end, grain, explicit_year) or None when the numbers are no date."""
    if form == "rel":
        if reference is None:
            return None, None, "day", False
        day = (reference + _dt.timedelta(days=RELATIVE_DAYS[g.get("rel") or g["rel2"]])).isoformat()
        return day, day, "day", False
    if form in ("d", "d_lead"):  # the latest such day on or before the report's date
        d = _num(g["d1"])
        if reference is None:
            return None, None, "day", False
        y, m = reference.year, reference.month
        if d > reference.day:
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
        if d > _last_day(y, m):
            return None
        return _iso(y, m, d), _iso(y, m, d), "day", False
    if form in ("roc", "roc_bare"):  # 民國86年: the Republic of China calendar counts from 1912
        year = _num(g["r"]) + 1911
        m, d = _num(g.get("m1")), _num(g.get("d1"))
        if m is None:
            return _iso(year, 1, 1), _iso(year, 12, 31), "year", True
        if not 1 <= m <= 12 or d is not None and not 1 <= d <= _last_day(year, m):
            return None
        if d is None:
            return _iso(year, m, 1), _iso(year, m, _last_day(year, m)), "month", True
        return _iso(year, m, d), _iso(year, m, d), "day", True
    year = _num(g.get("y"))
    if year is not None and year < 100:  # 08年, 零八年
        year += 2000
    explicit = year is not None
    if year is None:
        year = default_year
    if form == "fy":  # 2006/07財政年度, 二〇二三至二四年度: April to March
        if _num(g["y2"]) != (year + 1) % 100:
            return None
        return _iso(year, 4, 1), _iso(year + 1, 3, 31), "year", True
    if form in ("y_end", "year_end"):  # 2023年底 is the year's last day, not the year
        if year is None:
            return None, None, "day", False
        return _iso(year, 12, 31), _iso(year, 12, 31), "day", explicit
    m1, m2 = _num(g.get("m1")), _num(g.get("m2"))
    d1, d2 = _num(g.get("d1")), _num(g.get("d2"))
    if form == "y":
        if year is None:
            return None
        return _iso(year, 1, 1), _iso(year, 12, 31), "year", explicit
    if form == "years":
        first = _num(g["y1"])
        if first > year:
            return None
        return _iso(first, 1, 1), _iso(year, 12, 31), "year", explicit
    if form == "ym_ym":
        return _month_span(g, year, explicit)
    if form == "festival":
        day = spring_festivals().get(year or 0)
        if day is None:
            return None
        return day, day, "day", explicit
    if form == "season":
        first = SEASON_START[g["s"]]
        end_year, end_month = (year + 1, 2) if first == 12 else (year, first + 2)
        return (_iso(year, first, 1), _iso(end_year, end_month, _last_day(end_year, end_month)),
                "quarter", explicit)
    if form == "quarter_end":  # 二季度末 is the quarter's last day
        q = _num(g["q"])
        if not 1 <= q <= 4:
            return None
        if year is None:
            return None, None, "day", explicit
        day = _iso(year, 3 * q, _last_day(year, 3 * q))
        return day, day, "day", explicit
    if form == "fy_months":  # the fiscal year under way at the reference date
        m = _num(g["m2"])
        if not 1 <= m <= 12:
            return None
        first = int(g["fy"]) if g.get("fy") else (reference.year - (reference.month < 4) if reference else year)
        if first is None:
            return None, None, "month", False
        last_y, last_m = first + (3 + m) // 12 - (((3 + m) % 12) == 0), (3 + m) % 12 or 12
        grain = "quarter" if m == 3 else "month"  # the fiscal year's first quarter
        return _iso(first, 4, 1), _iso(last_y, last_m, _last_day(last_y, last_m)), grain, False
    if form == "first_months":
        m = _num(g["m2"])
        if not 2 <= m <= 12:
            return None
        if year is None:
            return None, None, "month", explicit
        return _iso(year, 1, 1), _iso(year, m, _last_day(year, m)), "month", explicit
    if form in ("quarter", "first_quarters", "quarters"):
        q = _num(g["q"])
        q1 = _num(g["q1"]) if form == "quarters" else 1 if form == "first_quarters" else q
        if not 1 <= q1 <= q <= 4 or form == "quarters" and q1 == q:
            return None
        first = 3 * q1 - 2
        if year is None:
            return None, None, "quarter", explicit
        return _iso(year, first, 1), _iso(year, 3 * q, _last_day(year, 3 * q)), "quarter", explicit
    if form == "half_end":  # 上半年末 is June 30th, 下半年末 December 31st
        if year is None:
            return None, None, "day", explicit
        day = _iso(year, 6, 30) if g["h"] == "上" else _iso(year, 12, 31)
        return day, day, "day", explicit
    if form == "half":
        if year is None:
            return None, None, "half", explicit
        if g["h"] == "上":
            return _iso(year, 1, 1), _iso(year, 6, 30), "half", explicit
        return _iso(year, 7, 1), _iso(year, 12, 31), "half", explicit
    if m1 is None or not 1 <= m1 <= 12 or (m2 is not None and not 1 <= m2 <= 12):
        return None
    grain = "month" if form in ("m", "m_m", "m_list") else "day"
    if form == "md_cn":
        form = "md"
    if year is None:
        return None, None, grain, explicit
    if form == "m":
        return _iso(year, m1, 1), _iso(year, m1, _last_day(year, m1)), "month", explicit
    if form == "m_list":  # 7、8月: two months in a row (_scan_main splits others)
        return _iso(year, m1, 1), _iso(year, m2, _last_day(year, m2)), "month", explicit
    if form == "m_m":
        if m2 < m1:
            return None
        return _iso(year, m1, 1), _iso(year, m2, _last_day(year, m2)), "month", explicit
    if form == "m_part":
        last = _last_day(year, m1)
        lo, hi = {"底": (last, last), "末": (last, last), "初": (1, 1), "上旬": (1, 10),
                  "中旬": (11, 20), "下旬": (21, last), "上中旬": (1, 20), "中下旬": (11, last)}[g["part"]]
        return _iso(year, m1, lo), _iso(year, m1, hi), "day", explicit
    if not 1 <= d1 <= _last_day(year, m1):
        return None
    if form in ("md", "ymd"):
        return _iso(year, m1, d1), _iso(year, m1, d1), "day", explicit
    if form == "md_d":
        if not d1 <= d2 <= _last_day(year, m1):
            return None
        return _iso(year, m1, d1), _iso(year, m1, d2), "day", explicit
    if form == "md_md":
        if not 1 <= d2 <= _last_day(year, m2) or (m2, d2) < (m1, d1):
            return None
        return _iso(year, m1, d1), _iso(year, m2, d2), "day", explicit
    return None


def _month_span(g: dict[str, str | None], year: int | None, explicit: bool):
    """2023年10月至2024年3月 or 10月至次年3月: from the first month to the last."""
    m1, m2 = _num(g["m1"]), _num(g["m2"])
    first = _num(g.get("y1"))
    if g.get("next"):
        if first is None and year is None:
            return None, None, "month", False
        first = first if first is not None else year
        last = first + 1
    else:
        last = year
        if first is None:
            first = last if m1 <= m2 else last - 1
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    if (first, m1) > (last, m2):
        return None
    return _iso(first, m1, 1), _iso(last, m2, _last_day(last, m2)), "month", explicit or bool(g.get("y1"))


def _scan(view: View):
    """(folded span, form, groups) for every date-like match outside 《titles》; the
    period and the date stages both read it, so it is found once per text."""
    return _scan_folded(view.folded)


@functools.lru_cache(maxsize=4)
def _scan_folded(folded: str) -> tuple:
    return tuple(_scan_iter(folded))


# a text that writes in the Republic of China calendar: a year written 民國113年, or
# Taiwan's institutions (a mainland text's 民国时期 names an era, not its calendar; folding
# simplifies the script); the words first, a fast test
ROC_WORDS = ("民国", "行政院", "新台币", "立法院")
ROC_TEXT = re.compile(r"民国(?:\d{2,3}|[一二三四五六七八九十百]{1,4})年|行政院|新台币|立法院")
# its years written without 民國 (110年度, 113年8月22日, 113.10.30); 86年 only with 度 or
# a month after it
ROC_BARE = re.compile(rf"(?<![\d.])(?:(?P<r>1[0-2]\d)年度?|(?P<r2>[4-9]\d)(?:年度|年(?={MONTH}月)))"
                      rf"(?:(?P<m1>{MONTH})月(?:(?P<d1>{DAY})[日号])?)?"
                      r"|(?<![\d.])(?P<r3>1[0-2]\d)\.(?P<m3>1[0-2]|0?[1-9])\.(?P<d3>3[01]|[12]\d|0?[1-9])(?![\d.])")


def _roc_bare(folded: str):
    """(span, "roc_bare", groups) for the bare Republic of China years of a text that
    writes in that calendar, else nothing."""
    if not any(w in folded for w in ROC_WORDS) or not ROC_TEXT.search(folded):
        return
    for m in ROC_BARE.finditer(folded):
        g = m.groupdict()
        r = g["r"] or g["r2"] or g["r3"]
        if folded.endswith("民国", 0, m.start()):
            continue  # the roc form reads it
        groups = {"r": r, "m1": g["m1"] or g["m3"], "d1": g["d1"] or g["d3"]}
        yield m.span(), "roc_bare", {k: v for k, v in groups.items() if v is not None}


def _scan_iter(folded: str):
    found = list(_scan_main(folded))
    roc = list(_roc_bare(folded))
    if roc:  # the calendar's longer spans (113年8月22日) replace the main forms inside them
        found = [f for f in found if not any(s <= f[0][0] and f[0][1] <= e for (s, e), _, _ in roc)]
        found = sorted(found + [r for r in roc if not any(
            f[0][0] < r[0][1] and r[0][0] < f[0][1] for f in found)], key=lambda f: f[0])
    yield from found


def _scan_main(folded: str):
    titles = [m.span() for m in _TITLE.finditer(folded)]  # sorted, disjoint
    starts = [s for s, _ in titles]
    for m in _REGEX.finditer(folded):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < titles[i][1]:
            continue
        form = m.lastgroup
        if form == "ymd" and CODE_BEFORE.search(folded[max(0, m.start() - 6):m.start()]):
            continue  # 地块编号2024-03-12 is a code, not a date
        prefix = form + "_"
        groups = {k[len(prefix):]: v for k, v in m.groupdict().items()
                  if k.startswith(prefix) and v is not None}
        if form == "m_list" and _num(groups["m2"]) != _num(groups["m1"]) + 1:
            # 3、8月: two months apart, the second alone is a date
            yield (m.start(f"{prefix}m2"), m.end()), "m", {"m1": groups["m2"]}
            continue
        if form == "fy_months":  # 2006/07財政年度首3個月: the fiscal year it names
            named = FY_BEFORE.search(folded, max(0, m.start() - 12), m.start())
            if named:
                groups["fy"] = named.group(1)
        yield m.span(), form, groups


def find_dates(view: View, default_year: int | None,
               reference: _dt.date | None = None,
               year_at: Callable[[int], int | None] | None = None) -> list[DateMention]:
    """Every date mention; ``reference`` resolves 今日/昨日/明日.  A date written without
    its year takes ``year_at(offset)`` where that gives one (a review of last year),
    else ``default_year``."""
    out = []
    for (fs, fe), form, groups in _scan(view):
        year = (year_at(view.span(fs, fe)[0]) if year_at else None) or default_year
        try:
            resolved = _resolve(form, groups, year, reference)
        except ValueError:
            continue
        if resolved is None:
            continue
        start_date, end_date, grain, _ = resolved
        start, end = view.span(fs, fe)
        out.append(DateMention(id="", start=start, end=end, text=view.text[start:end],
                               start_date=start_date, end_date=end_date, grain=grain))
    return out


# a year named as a baseline (较2022年), a horizon (到2030年) or a starting point
# (2011年以来) says nothing of the report's own period
NOT_PERIOD_BEFORE = re.compile(r"(?:到|至|较|比|同|自|从|于|在|截至|截止|展望|远景)$")
NOT_PERIOD_AFTER = re.compile(r"^(?:以来|前|以前|之前|起|开始|远景|年均|为基期|=|相比|相较|比较)")
DATE_LINE = re.compile(r"(?:发布日期|发布时间|日期|时间)[:：]?\s*$")


def detect_period(view: View, title: str | None = None) -> Period | None:
    """The report's own period, from (in this order) its title; a year-qualified
    quarter, half or month range in its first lines; its lead's or date line's date (its
    year); the quarter, half or month range it states most often; else the year it
    names most often, leaving out years named as a baseline, horizon or start.

    >>> from pipeline.core.normalize import fold
    >>> detect_period(fold("序号 1 2024年第2季度 ... 2024年第2季度 ... 2023年"))
    Period(start_date='2024-04-01', end_date='2024-06-30')
    >>> detect_period(fold("到2030年…到2030年…2030年远景目标…较2020年…2021年"))
    Period(start_date='2021-01-01', end_date='2021-12-31')
    >>> detect_period(fold("各位代表：……"), title="2013年国务院政府工作报告")
    Period(start_date='2013-01-01', end_date='2013-12-31')
    """
    if title:
        from_title = detect_period(fold_title(title))
        if from_title is not None:
            return from_title
    counts: Counter[tuple[str, str]] = Counter()
    years: Counter[tuple[str, str]] = Counter()
    head: tuple[str, str] | None = None
    lead: tuple[str, str] | None = None
    first_line: tuple[str, str] | None = None  # a title line's first year (…2022年…执行情况与2023年计划)
    folded = view.folded
    title_span = _title_line(view)
    partial: tuple[str, dict[str, str]] | None = None  # 1-6月 / 9月份 in the lead, no year
    month_years: Counter[tuple[str, str]] = Counter()  # the years of 2024年4月 and the like
    for (fs, fe), form, groups in _scan(view):
        if "y" not in groups and "fy" not in groups and "r" not in groups:  # (2006/07財政年度首3個月: its year is named)
            in_title = title_span[0] <= fs and fe <= title_span[1]
            if partial is None and (form == "m_m" and fs < 200 or form == "m" and in_title):
                partial = (form, groups)
            elif partial is None and form in LEAD_SPANS and (in_title or not folded[:fs].strip()):
                partial = (form, groups)  # 前三季度国民经济运行… / 一季度，全县…: the span the text opens with
            elif in_title and CUTOFF_BEFORE.search(folded[max(0, fs - 3):fs]):
                partial = (form, groups)  # (截至8月20日…): the year's figures up to that day
            continue
        try:
            resolved = _resolve(form, groups, None)
        except ValueError:
            continue
        if resolved is None or resolved[0] is None:
            continue
        key = (resolved[0], resolved[1])
        if resolved[2] in ("quarter", "half") or form == "m_m":
            counts[key] += 1
            if head is None and fs < 200:
                head = key
        elif form == "y" or form in ("roc", "roc_bare") and resolved[2] == "year":
            if NOT_PERIOD_BEFORE.search(folded[max(0, fs - 2):fs]) or \
                    NOT_PERIOD_AFTER.search(folded[fe:fe + 3]):
                continue
            years[key] += 1
            if first_line is None and title_span[0] <= fs and fe <= title_span[1]:
                first_line = key
        elif resolved[2] == "day" and head is None and title_span[0] <= fs and fe <= title_span[1] and (
                resolved[0] != resolved[1] or CUTOFF_BEFORE.search(folded[max(0, fs - 3):fs])):
            # a title's span of days (2020年1月1日至7月27日), or its cut-off (截至8月20日:
            # the year's figures up to that day)
            head = (resolved[0], resolved[1])
        elif resolved[2] == "day" and lead is None and (
                fs < 200 and not NOT_PERIOD_BEFORE.search(folded[max(0, fs - 2):fs])
                and not NOT_PERIOD_AFTER.search(folded[fe:fe + 3])
                or DATE_LINE.search(folded[max(0, fs - 6):fs])):  # (从2012年底的9899万人: a start)
            year = resolved[0][:4]
            lead = (f"{year}-01-01", f"{year}-12-31")
        elif resolved[2] == "month":
            year = resolved[0][:4]
            month_years[(f"{year}-01-01", f"{year}-12-31")] += 1
            if partial is None and title_span[0] <= fs and fe <= title_span[1] and \
                    REPORT_TITLE.search(view.text[title_span[2]:title_span[3]]):
                partial = (form, groups)  # 2024年4月财政收支完成情况: that month, or to its end
    if head:
        return Period(*head)
    found = first_line or lead or (counts.most_common(1)[0][0] if counts else None) or \
        (years.most_common(1)[0][0] if years else None) or \
        (month_years.most_common(1)[0][0] if month_years else None)
    if found is None:
        return None
    if partial is not None and found[0][:4] == found[1][:4] and found[0][5:] == "01-01" \
            and found[1][5:] == "12-31":
        # a year's report of 1-6月, or 萧县9月份…进展情况 (progress to the end of September)
        form, groups = partial
        try:
            resolved = _resolve(form, groups, int(found[0][:4]))
        except ValueError:
            resolved = None
        if resolved is not None and resolved[0] is not None:
            # (截至8月20日: the day itself, what stands at it; 9月份…进展情况: the year to the
            # month's end)
            start = resolved[0] if form == "m_m" or resolved[2] == "day" or not PROGRESS_TITLE.search(
                view.text[title_span[2]:title_span[3]]) else found[0]
            return Period(start, resolved[1])
    return Period(*found)


LEAD_SPANS = ("quarter", "first_quarters", "half", "first_months")  # a span a lead may open with


def report_date(view: View) -> _dt.date | None:
    """The day a report was issued, from its date line (发布日期：2024-10-31, 时间：2024年
    10月31日) in its first lines: what 今日, 昨日 and 明日 count from when no reference date
    is given (ANNOTATION.md)."""
    for (fs, fe), form, groups in _scan(view):
        if fs > 400:
            break
        # a date line, or a byline's date and time (2018-11-07 09:29:12 来源：郑州日报)
        if "y" not in groups or not (DATE_LINE.search(view.folded[max(0, fs - 6):fs])
                                     or CLOCK_AFTER.match(view.folded, fe)):
            continue
        try:
            resolved = _resolve(form, groups, None)
        except ValueError:
            continue
        if resolved is not None and resolved[0] and resolved[2] == "day" and resolved[0] == resolved[1]:
            return _dt.date.fromisoformat(resolved[0])
    return None


CLOCK_AFTER = re.compile(r"\s*[0-2]?\d[:：][0-5]\d")
CUTOFF_BEFORE = re.compile(r"截[至止]$")
PROGRESS_TITLE = re.compile(r"进展|进度|完成情况|执行情况|推进情况")
# a title line that names a report (…收支完成情况, …工作通报), not a table row
REPORT_TITLE = re.compile(r"(?:情况|报告|通报|公告|简报|快报|进展|月报|统计)\s*$")


def _title_line(view: View) -> tuple[int, int, int, int]:
    """The span of the text's title (folded offsets, then the text's): the first short
    line among its first lines that is neither page furniture nor a date line
    (时间：2023-02-06).  Lines are read in the text itself (folding drops them)."""
    pos = 0
    for n, line in enumerate(view.text[:600].split("\n")):
        text = line.strip()
        if text and n < 12 and len(text) <= 80 and not DATE_LINE_ANY.search(text) \
                and (YEAR_WORD.search(text) or PROGRESS_TITLE.search(text)):
            fs = view.to_folded(pos)
            fe = view.to_folded(pos + len(line)) if pos + len(line) < len(view.text) else len(view.folded)
            return fs, fe, pos, pos + len(line)
        pos += len(line) + 1
    return 0, 0, 0, 0


DATE_LINE_ANY = re.compile(r"(?:发布日期|发布时间|日期|时间|来源)[:：]|^[（(]?\d{4}年\d{1,2}月\d{1,2}日")
YEAR_WORD = re.compile(r"(?:19|20)\d\d年")


def fold_title(title: str) -> View:
    return fold(title)


BARE_YEAR = re.compile(r"\s*((?:19|20)\d\d)\s*")


TIME_HEADER = re.compile(r"时间|年份|年度|年|时期")


def header_years(text: str, blocks, dates: list[DateMention]) -> list[DateMention]:
    """A table column headed by a bare year (1990 | 1995 | 2000), or a row labelled by
    one under a time header: the year is a date mention like 1990年 (ANNOTATION.md: a
    year heading a column dates its cells; so does a row's)."""
    taken = [(d.start, d.end) for d in dates]
    out = []
    for b in blocks:
        # a column's header, or a row's label under a time header (时间 | 常住人口 … / 2017 | 73.07)
        if b.kind != "header" and not (b.kind == "cell" and b.col == 0 and TIME_HEADER.fullmatch(
                re.sub(r"\s+", "", b.header or ""))):
            continue
        m = BARE_YEAR.fullmatch(text[b.start:b.end])
        if not m or any(s < b.end and b.start < e for s, e in taken):
            continue
        y = int(m.group(1))
        start, end = b.start + m.start(1), b.start + m.end(1)
        out.append(DateMention(id="", start=start, end=end, text=text[start:end],
                               start_date=_iso(y, 1, 1), end_date=_iso(y, 12, 31), grain="year"))
    return out
