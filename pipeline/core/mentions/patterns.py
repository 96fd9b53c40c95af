"""Rule extractor for quantities: regexes on the folded view, built from the tables.

``find_quantities(view)`` returns Quantity records whose offsets point into the
ORIGINAL text (``view.text``).  The regex only finds spans; ``numbers`` and
``units`` turn each span into a value.

>>> from pipeline.core.normalize import fold
>>> [(q.text, q.value, q.unit, q.qualifier) for q in find_quantities(fold("确保稳定在970万亩以上、85亿斤以上"))]
[('970万亩', 9700000.0, '亩', '>='), ('85亿斤', 8500000000.0, '斤', '>=')]
>>> [(q.text, q.value, q.role) for q in find_quantities(fold("新增28宗，同比减少89.5%,列全省第9位"))]
[('28宗', 28.0, None), ('89.5%', -89.5, 'change'), ('第9位', 9.0, 'rank')]
>>> find_quantities(fold("一是加强领导；二、开展一批活动；第十二届海浪节；〔2020〕44号"))
[]
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import replace
from typing import cast

from pipeline.core import numbers, units, words
from pipeline.core.normalize import View, simplify
from pipeline.core.records import Quantity
from pipeline.core.vocab import Kind, Qualifier

# The number grammar, shared by the quantity regex below and by
# ``pipeline.core.mentions.numeric`` (find_numbers / find_percents).
CN_PLAIN = "零〇○一二两倆三四五六七八九"
CN_FINANCIAL = "壹贰貳叁參肆伍陆陸柒捌玖"        # 大写数字; 拾佰仟 below
CN_DIGIT = CN_PLAIN + CN_FINANCIAL
CN_DECIMAL_DIGIT = CN_DIGIT.replace("两", "").replace("倆", "")  # 一点两小时 is no 1.2
CN_PLACE = "十拾百佰千仟"
CN_MAG = "万亿"
CN_ANY = CN_DIGIT + CN_PLACE + CN_MAG
# A run of Chinese numerals.  A financial numeral alone is a word (陆地, 队伍, 收拾),
# so a run that starts with one must go on with another numeral; 百/千 alone start a
# run only before 余/多 (百余家, 千余人).
CN_RUN = (f"(?:[{CN_PLAIN}十][{CN_ANY}]*|[{CN_FINANCIAL}拾佰仟](?=[{CN_ANY}点])[{CN_ANY}]*"
          f"|[百千](?=[余多]))(?:点[{CN_DECIMAL_DIGIT}]+[{CN_MAG}]?)?")
# After 分之 or 又 a financial numeral alone is a number (五分之壹).
CN_RUN_LOOSE = f"[{CN_DIGIT}十拾][{CN_ANY}]*(?:点[{CN_DECIMAL_DIGIT}]+[{CN_MAG}]?)?"
# Digit runs are possessive (\d++): a number is always the whole run, and a failed
# unit never makes the engine retry every shorter run (linear time on digit soup).
# 1,234.5; 348 699 (a yearbook's thin groups of 10 000 and more, only where a unit or % follows)
ARABIC = (r"\d{1,3}(?:[,，]\d{3})+(?:\.\d++)?|(?<![\d\s])\d{2,3}(?: \d{3})++(?:\.\d++)?(?=[\u4e00-\u9fff%])"
          r"|\d++(?:\.\d++)?")
# Arabic digits between magnitude words: 3万4000, 1千零20, 5万4千6百, 25万6千
MIXED = r"\d++(?:[万亿千百]零?\d{1,4})+(?![\d.])[万亿千百]?"
SIGN = r"(?:(?<![减抱胜担欠])负|-(?=[\d.]))?"  # (减负1800亿元: a burden lightened, no minus)
NUMBER = f"{SIGN}(?:{MIXED}|{ARABIC}|{CN_RUN})"
FRACTION = f"{SIGN}(?:[百千万]|\\d++|[{CN_ANY}]+)分之{SIGN}(?:{ARABIC}|{CN_RUN_LOOSE})"
RANGE_SEP = r"(?:-|~|至|到)"
RANK_BEFORE = re.compile(r"(?:排名|排在|排|居|位居|位列|列)[^，。；,;]{0,5}$")
RANK_NOT_AFTER = re.compile(r"[\d季届批次期年月章条款号个项轮]")
# No number starts inside a word, a code or another number (PM2.5, 五百分之, G20) ...
NOT_INSIDE = f"(?<![A-Za-z0-9.{CN_ANY}])"
# ... nor is an ordinal (第十二届) or a vague amount (数十家, 几百人) a quantity.
NOT_BEFORE = f"{NOT_INSIDE}(?<!第)(?:(?<![数几])|(?=\\d))"


def _unit_re(unit: str, table: dict, mags: list[str]) -> str:
    """A unit's regex, kept from eating the start of a longer unit that a magnitude word
    would seem to open: 分 after 百 must not take 百分点 (1.2百分点 is not 1.2百分)."""
    rest = sorted({u[len(m) + len(unit):] for u in table for m in mags
                   if u.startswith(m + unit) and len(u) > len(m) + len(unit)}, key=len, reverse=True)
    if unit == "年":  # a number of years in digits, never a year (2023年, 100年) nor 五年
        return "(?<=\\d)(?<!\\d\\d\\d)年"
    return re.escape(unit) + (f"(?!{'|'.join(map(re.escape, rest))})" if rest else "")


@functools.cache
def _regex() -> re.Pattern[str]:
    table = units.units()
    mags = sorted(units.magnitudes(), key=len, reverse=True)
    unit_alt = "|".join(_unit_re(u, table, mags) for u in sorted(table, key=len, reverse=True))
    mag_alt = "|".join(re.escape(m) for m in mags)
    unit = f"(?:{mag_alt})?(?:{unit_alt})"
    infix = "(?:余|多|来)?"
    # every mention starts with a digit, a Chinese numeral, 第, 负, 百, 千 or a minus:
    # the lookahead rejects all other positions with one character test
    return re.compile(
        f"(?=[\\d{CN_DIGIT}十拾佰仟第负百千-])(?:"
        f"(?P<rank>第(?P<rank_num>\\d+|[{CN_DIGIT}十]+)(?P<rank_unit>位|名)?"
        f"(?:(?:至|到|-)第(?P<rank_hi>\\d+|[{CN_DIGIT}十]+)(?P=rank_unit))?)"
        f"|{NOT_BEFORE}(?P<frac>{FRACTION})"
        f"|{NOT_BEFORE}(?P<lo>{NUMBER})(?P<lo_unit>%|{mag_alt})?{RANGE_SEP}"
        f"(?P<hi>{NUMBER}){infix}(?P<r_unit>{unit})"
        f"|{NOT_BEFORE}(?P<num>{NUMBER})(?:(?P<imag>{mag_alt})(?=[余多]))?(?P<infix>{infix})(?P<unit>{unit})"
        f"(?P<half>半(?![年月天日]))?"
        f"|{NOT_BEFORE}(?P<bare>\\d++(?:\\.\\d++)?(?P<bare_infix>[多余])?(?P<bare_mag>万亿|千万|百万|万|亿))(?![\\d.])"
        ")"
    )


_LOST_UNIT = re.compile(r"(?:指标|任务|目标)(\d+(?:\.\d+)?)$")


def _prefix_qualifier(folded: str, start: int) -> str:
    table = units.lexicon()["qualifier_prefix"]
    for n in (3, 2, 1):
        if folded[max(0, start - n):start] in table and start - n >= 0:
            return table[folded[start - n:start]]
    return "="


def _suffix_qualifier(folded: str, end: int) -> str | None:
    table = units.lexicon()["qualifier_suffix"]
    for n in (2, 1):
        word = folded[end:end + n]
        if word in table and not (word == "多" and folded[end + 1:end + 2] in "个项种家"):
            return table[word]
    return None


def _next_line_opens_word(view: View, fe: int, end: int) -> bool:
    """Whether the line after a figure (folded end ``fe``, end ``end`` in the text) opens
    with a word the figure's qualifiers begin (66.5万元⏎以上资金合计: the above, not at least)."""
    return (view.text[end:end + 1] == "\n" and CJK.match(view.folded, fe + 2) is not None
            and view.folded[fe + 2:fe + 3] != "的")


BASELINE_WORDS = ("同比", "比上年", "较年初", "环比", "比去年", "较上年", "比年初", "较去年")


def change_cue(folded: str, start: int) -> tuple[int, bool] | None:
    """The change cue written just before ``start`` (同比减少89.2%): (sign, names a baseline).

    >>> change_cue("同比减少89.2%", 4)
    (-1, True)
    >>> change_cue("较年初增长了1.5%", 6)
    (1, True)
    >>> change_cue("新增2328亩", 2) is None
    True
    """
    cues = units.lexicon()["change_cue"]
    window = folded[max(0, start - 10):start]
    for gap in ("", "了", "为", "达", "约", "近", "超", "超过"):
        if not window.endswith(gap):
            continue
        head = window[:len(window) - len(gap)]
        for n in range(min(6, len(head)), 1, -1):
            if head[-n:] in cues:
                before = folded[max(0, start - 16):start]
                return cues[head[-n:]], any(w in before for w in BASELINE_WORDS)
    return None


@functools.cache
def _idioms() -> tuple[str, ...]:
    return tuple(units.lexicon()["not_quantity"]["idioms"])


@functools.cache
def not_after_count() -> tuple[str, ...]:
    """Words that, right after a count, make it a duration (3个月) or another word."""
    return tuple(units.lexicon()["not_quantity"]["not_after_count"])


def _is_idiom(folded: str, start: int) -> bool:
    return folded.startswith(_idioms(), start)


def _resolve_unit(written: str, number_text: str) -> tuple[units.Unit, str]:
    """The unit, and the unit as written; a magnitude that a Chinese numeral
    swallowed (八十五亿斤) is given back to the written unit (亿斤)."""
    unit = units.resolve_unit(written)
    if unit is None:
        raise ValueError(f"unknown unit {written!r}")
    if not re.search(r"\d", number_text):
        mag = re.search(r"[万亿]+$", number_text)
        if mag:
            return unit, mag.group() + written
    return unit, written


# 三次产业结构比为25.7:26.8:47.5, 医护比1:1: a ratio named as such, one mention per part
RATIO = re.compile(r"(?<![\d.:：∶︰])\d+(?:\.\d+)?(?:\s*[:：∶︰]\s*\d+(?:\.\d+)?){1,4}(?![\d.:：∶︰])")
RATIO_NAMED = re.compile(r"(?:比|比例|结构|之比)(?:为|是|调整为|优化为)?\s*$")


def colon_ratios(view: View) -> list[Quantity]:
    """The parts of a colon ratio that its words name as a ratio (not 10:30, a time).

    >>> from pipeline.core.normalize import fold
    >>> [(q.text, q.value, q.kind) for q in colon_ratios(fold("三次产业结构比为6.0:46.9:47.1。"))]
    [('6.0', 6.0, 'ratio'), ('46.9', 46.9, 'ratio'), ('47.1', 47.1, 'ratio')]
    """
    if ":" not in view.folded and "：" not in view.folded:
        return []
    out = []
    for m in RATIO.finditer(view.folded):
        if not RATIO_NAMED.search(view.folded[max(0, m.start() - 8):m.start()]):
            continue
        for part in re.finditer(r"\d+(?:\.\d+)?", m.group()):
            start, end = view.span(m.start() + part.start(), m.start() + part.end())
            out.append(Quantity(id="", start=start, end=end, text=view.text[start:end],
                                value=float(part.group()), unit=None, written_unit=None,
                                kind="ratio", role="actual", confidence=0.8, extractor="pattern"))
    return out


LINE_MARKER = re.compile(r"(?m)^[ \t\u3000]*(\d{1,2})[.．、]")


def _list_markers(text: str) -> set[int]:
    """Offsets just after a line's list marker (3.) when the line before a later one
    opened with the marker before it (2.): 3.90%的企业 is item 3, 90%."""
    marks = [(m.end(), int(m.group(1))) for m in LINE_MARKER.finditer(text)]
    seen: set[int] = set()
    out = set()
    for end, n in marks:
        if n - 1 in seen or n == 1 and any(k == 2 for _, k in marks):
            out.add(end)
        seen.add(n)
    return out


LIST_MARKS = "、和及与或"  # what stands between the items of a list (13.28、12.31和11.47亿元)
LIST_GAP = re.compile(rf"\s*[{LIST_MARKS}]\s*")
LIST_ITEM = re.compile(rf"(?<![\dA-Za-z.第-])(-?\d+(?:\.\d+)?)([万亿]?)\s*[{LIST_MARKS}]\s*$")


def _shared_units(view: View, found: list[Quantity]) -> list[Quantity]:
    """A unit written once after a list of numbers is each number's: 13.28、12.31、11.47亿元
    gives three amounts, 提高6.8和11.6个百分点 two changes (the list's change cue, before
    its first number, signs them all).  A number of the list already read with only a
    magnitude (10.6万、3.8万、3.3万平方公里) takes the unit too."""
    folded = view.folded
    by_start: dict[int, int] | None = None
    out = list(found)
    for i, q in enumerate(found):
        if not q.written_unit or q.kind == "rank" or q.low is not None:
            continue
        mark = view.text[max(0, q.start - 3):q.start].rstrip()[-1:]
        if not mark or mark not in LIST_MARKS:
            continue  # (no list before it: most numbers)
        pos = view.to_folded(q.start)
        full = units.resolve_unit(q.written_unit)
        unit = units.resolve_unit(re.sub(r"^[万亿]+", "", q.written_unit))  # after 10.6万、
        if unit is None or full is None or unit.kind in ("duration", "ratio"):
            continue
        if by_start is None:
            by_start = {p.start: k for k, p in enumerate(found)}
        items: list[tuple[int, int, int | None]] = []
        while len(items) < 8:
            m = LIST_ITEM.search(folded, max(0, pos - 24), pos)
            if m is None or folded[max(0, m.start() - 4):m.start()].rstrip()[-1:].isdigit():
                break  # (a number a PDF's line broke: 总产5⏎⏎2、5.7万吨)
            j = by_start.get(view.span(m.start(), m.end())[0])
            if j is not None and found[j].unit is not None:
                break  # a number with a unit of its own (增长11.7%和2.3%)
            items.append((m.start(), m.start() + len(m.group(1)) + len(m.group(2)), j))
            pos = m.start()
        if not items:
            continue
        cue = change_cue(folded, items[-1][0])
        sign = cue[0] if cue and (q.kind in ("percent", "percent_point") or cue[1]) else None
        for fs, fe, j in items:
            number = numbers.parse_number(folded[fs:fe])
            factor = unit.factor if folded[fe - 1] in "万亿" else full.factor
            start, end = view.span(fs, fe)
            item = Quantity(id="", start=start, end=end, text=view.text[start:end],
                            value=_finite((sign or 1) * number * factor), unit=unit.base,
                            written_unit=q.written_unit, kind=cast(Kind, unit.kind), role="change" if sign else None,
                            unit_inferred=True, confidence=0.8, extractor="pattern")
            if j is not None:
                out[j] = item
            else:
                out.append(item)
        if sign and q.role is None and q.value is not None:
            out[i] = replace(q, role="change", value=sign * q.value)
    return out


# 综合指数为4.18, 价格指数101.2: an index's value, a bare decimal after the word
INDEX_VALUE = re.compile(r"指数[^，。；,;\d%\t|]{0,5}?(?:为|是|达到?)?[ \n]*(\d{1,4}\.\d{1,3})(?![\d.%‰])")


def index_values(view: View, found: list[Quantity]) -> list[Quantity]:
    """The values of indexes written without a unit (我县综合指数为4.18)."""
    out = []
    for m in INDEX_VALUE.finditer(view.folded):
        fs, fe = m.span(1)
        if CJK.match(view.folded, fe):
            continue  # a unit-less number before a word (its unit lost)
        start, end = view.span(fs, fe)
        if any(q.start < end and start < q.end for q in found):
            continue  # read already
        out.append(Quantity(id="", start=start, end=end, text=view.text[start:end], value=float(m.group(1)),
                            unit=None, written_unit=None, kind="other", qualifier="=", role=None,
                            confidence=0.6, extractor="pattern"))
    return out


def find_quantities(view: View) -> list[Quantity]:
    out: list[Quantity] = []
    # a list marker glued to a number (3.90%的企业) is blanked out before matching, so
    # the number starts after it; offsets stay those of the folded text
    masked = view.folded
    for end in sorted(view.to_folded(x) for x in _list_markers(view.text)):
        if masked[end:end + 1].isdigit():
            start = end - 1
            while start > 0 and masked[start - 1].isdigit():
                start -= 1
            masked = masked[:start] + " " * (end - start) + masked[end:]
    for m in _regex().finditer(masked):
        q = _from_match(m, view)
        if q is not None:
            out.append(q)
    taken = [(q.start, q.end) for q in out]
    out.extend(q for q in colon_ratios(view) if not any(s < q.end and q.start < e for s, e in taken))
    out.extend(_lost_units(view, out))
    if "指数" in view.folded:
        out.extend(index_values(view, out))
    out.sort(key=lambda q: (q.start, q.end))
    out = _shared_units(view, out)
    out.sort(key=lambda q: (q.start, q.end))
    return out


def quantity_at(view: View, fs: int, fe: int) -> Quantity | None:
    """The quantity written exactly at folded ``[fs, fe)`` (a span another extractor
    proposed), read with the same regex and the same words around it; None when the
    span is no quantity the parsers can read."""
    m = _regex().fullmatch(view.folded, fs, fe)
    return _from_match(m, view) if m else None


CJK = re.compile(r"[\u4e00-\u9fff]")
HOURS_BOUND = re.compile(r"以[内上下]|左右|内|的")
QUOTE_AFTER = re.compile(r"[^“”\"]{0,3}[”\"]")
AMONG_RANKED = re.compile(r"(?:区县|县区|县市区|县[（(]市、区[)）]|市州|地市|省份|省区市|省辖市|地级市|县市)"
                          r"(?:中|里)?(?:排名|排|列|位列|居|位居)")
QUOTED_INSIDE = re.compile(r"[“\"][^”\"]{0,5}$")
YEARS_SPAN = re.compile(r"[1-9]\d?(?:\.\d)?")  # 30年, 11.3年: a number of years (not 2023年, 08年)
YEAR_WORD_AFTER = "来以代前后度底末初份间级月内中第"  # 30年来, 5年前, 90年代 …
RANK_MOVE_BEFORE = re.compile(r"(前移|后移|上升|下降|提升|前进|后退|上移|下移|下滑|进位|退位|跃升|提高|降低)了?$")
RANK_DOWN = ("后移", "下降", "后退", "下移", "下滑", "退位", "降低")
QUOTE_CLOSES = re.compile(r"[^“”「」\"‘’，。；、,;]{1,6}[”」\"’]")  # …民生实事”
TOP_RANK_BEFORE = re.compile(r"(?:居|列|排名?|位列|进入|跻身|位居)[^，。；,;]{0,6}前$")
CLOCK_BEFORE = re.compile(r"[\d零一二三四五六七八九十][时点]$")


WORD_OPENING_UNITS = ("根", "成", "门")
UNIT_AFTER_GAP = re.compile(r"\s+([^\s\d.,]+)$")  # 28 天: what follows a number past a space or break


def _unit_across_cells(view: View, fs: int, fe: int, s: int, e: int) -> bool:
    """Whether the unit after a number was read across a cell's edge: past a space or a
    line break after a number alone on its line, a one-character unit that opens a word
    with what follows it (28 天津, 3⏎年终, 8 成本), or a table's number (表1 部门收支总表).
    A line wrapped inside a sentence keeps its unit (出让2⏎宗地热采矿权, 2.8⏎万亩，).
    ``fs, fe``: the folded span; ``s, e``: the same in the text."""
    gap = UNIT_AFTER_GAP.search(view.text, s, e)
    if gap is None:
        # 524根据三定方案, 8成本: these units open words more often than they count
        last, after = view.folded[fe - 1:fe], view.folded[fe:fe + 1]
        return last in WORD_OPENING_UNITS and CJK.match(after) is not None and words.is_word(last + after)
    if view.folded[fs - 1:fs] == "表":
        return True
    if "\n" in gap.group() and view.text[view.text.rfind("\n", 0, s) + 1:s].strip():
        return False  # a line wrapped inside a sentence (出让2⏎宗地热采矿权): one quantity
    unit, after = gap.group(1), view.folded[fe:fe + 1]
    return len(unit) == 1 and CJK.match(after) is not None and words.is_word(unit + after)


def _from_match(m: re.Match[str], view: View) -> Quantity | None:
    """One regex match → a Quantity, with its qualifier and change sign read from the
    words around it; None for idioms, durations and spans the parsers cannot read."""
    folded = view.folded
    fs, fe = m.span()
    if _is_idiom(folded, fs):
        return None
    start, end = view.span(fs, fe)
    if " " in folded[fs:fe] and view.text[max(0, start - 1):start].isspace():
        # 12 300亩 after a space is a table's cells (a row number, then 300亩), not a
        # yearbook's grouped 12300: read the figure after the last space alone
        last = folded.rfind(" ", fs, fe) + 1
        again = _regex().fullmatch(folded, last, fe)
        return _from_match(again, view) if again else None
    if folded[fs - 1:fs] in ("“", "「", "\"", "‘") and (
            folded[fe:fe + 1] in ("”", "」", "\"", "’")
            or not any(c.isdigit() for c in folded[fs:fe]) and QUOTE_CLOSES.match(folded, fe)):
        return None  # a quoted name: “三公里”充分就业社区, “十件民生实事”
    if folded[fe - 1:fe].isascii() and folded[fe - 1:fe].isalpha() and folded[fe:fe + 1].isascii() \
            and folded[fe:fe + 1].isalpha():
        return None  # a Latin unit inside a word: 10min is not 10 m
    if _unit_across_cells(view, fs, fe, start, end):
        return None
    try:
        q = _resolve_match(m, folded)
    except (ValueError, OverflowError):
        return None
    if q is None:
        return None
    value, low, high, unit, written_unit, kind, infix_q, role = q
    if written_unit in ("位", "名") and TOP_RANK_BEFORE.search(folded[max(0, fs - 8):fs]):
        unit, kind, role = "位", "rank", "rank"  # 居前3位, 进入全国前10名: a rank, the top N
    move = RANK_MOVE_BEFORE.search(folded[max(0, fs - 4):fs]) if written_unit in ("位", "名", "个位次") else None
    if move and value is not None:  # 位次前移6位, 排名下降3位: a rank's change, not 6 people
        unit, kind, role = "位", "rank", "change"
        value = -value if move.group(1) in RANK_DOWN else value
    if kind == "count" and folded.startswith(not_after_count(), fe):
        return None
    if unit == "分" and (CLOCK_BEFORE.search(folded[max(0, fs - 4):fs]) or "点" in folded[fs:fe]
                        or folded[fe:fe + 1] == "钟" or not any(c.isdigit() for c in folded[fs:fe])):
        return None  # 8时30分, 15分钟: time; 十分繁重, 每一分钱: words; points are in digits
    if m.group("num") and kind == "count" and m.group("num") == "一":
        return None  # 一个/一项/一次: an article, not an amount
    if written_unit == "小时" and CJK.match(folded, fe) and not HOURS_BOUND.match(folded, fe):
        return None  # 24小时值班, 24小时服务: how a service runs, not an amount
    if written_unit == "岁" and (low is not None or folded.startswith(("及以上", "及以下"), fe)):
        return None  # 0-17岁、60岁及以上: the bounds of an age group, not amounts
    if folded[max(0, fs - 4):fs].rstrip()[-2:].upper() == "PM":
        return None  # PM2.5, PM 10: a pollutant's name
    if kind == "count" and AMONG_RANKED.match(folded, fe):
        return None  # 全市20个区县排名第4: how many it is ranked among, not an amount
    before = folded[max(0, fs - 6):fs]
    if ("“" in before or '"' in before) and QUOTED_INSIDE.search(before) and QUOTE_AFTER.match(folded, fe) \
            and not any(c.isdigit() for c in folded[fs:fe]):
        return None  # “最初一公里”: a number word inside a quoted phrase names it
    if written_unit == "年" and not YEARS_SPAN.fullmatch(folded[fs:fe - 1]) or \
            written_unit == "年" and folded[fe:fe + 1] in YEAR_WORD_AFTER:
        return None  # 2023年, 08年 are dates; 30年来, 五年 spans of time, not amounts
    qualifier = _prefix_qualifier(folded, fs)
    if qualifier == "=":
        qualifier = infix_q
    if qualifier == "=" and not _next_line_opens_word(view, fe, end):
        qualifier = _suffix_qualifier(folded, fe) or "="
    cue = change_cue(folded, fs) if role is None else None
    if cue and (kind in ("percent", "percent_point", "ratio") or cue[1]):
        role = "change"
        if value is not None:
            value = cue[0] * value
    return Quantity(
        id="", start=start, end=end, text=view.text[start:end],
        value=value, low=low, high=high, unit=unit or None,
        written_unit=written_unit or None, kind=kind, qualifier=cast(Qualifier, qualifier),
        role=role, confidence=0.9 if unit else 0.5, extractor="pattern")


def _resolve_match(m: re.Match[str], folded: str):
    """(value, low, high, unit, written_unit, kind, infix_qualifier, role) or None."""
    if m.group("rank"):
        # 第9位 / 第3名; a bare 第3 only after 排名, 居, 列 … (not 第2季度, 第十二届)
        if not m.group("rank_unit") and (not RANK_BEFORE.search(folded[max(0, m.start() - 8):m.start()])
                                         or RANK_NOT_AFTER.match(folded, m.end())):
            return None
        first = numbers.parse_number(m.group("rank_num"))
        if m.group("rank_hi"):  # 第4位至第7位: one rank, a range
            last = numbers.parse_number(m.group("rank_hi"))
            return None, min(first, last), max(first, last), "位", m.group("rank_unit"), "rank", "=", "rank"
        return first, None, None, "位", m.group("rank_unit"), "rank", "=", "rank"
    if m.group("frac"):
        text = m.group("frac")
        written = "百分之" if text.lstrip("负-").startswith("百分之") else "分之"
        return _finite(numbers.parse_fraction(text)), None, None, "%", written, "percent", "=", None
    if m.group("lo"):
        unit, written = _resolve_unit(m.group("r_unit"), m.group("hi"))
        lo_text = m.group("lo") + (m.group("lo_unit") or "")
        lo_unit = m.group("lo_unit") or ""
        if lo_unit == "%":
            lo = numbers.parse_number(m.group("lo"))
        elif lo_unit:
            lo = numbers.parse_number(lo_text)
            lo = lo * unit.factor / units.magnitudes().get(_leading_mag(m.group("r_unit")), 1.0)
        else:
            lo = numbers.parse_number(m.group("lo")) * unit.factor
        hi = numbers.parse_number(m.group("hi")) * unit.factor
        if lo > hi:
            return None
        return None, _finite(lo), _finite(hi), unit.base, written, unit.kind, "=", None
    if m.group("num"):
        unit, written = _resolve_unit((m.group("imag") or "") + m.group("unit"), m.group("num"))
        infix = m.group("infix")
        infix_q = units.lexicon()["qualifier_infix"].get(infix, "=") if infix else "="
        number = numbers.parse_number(m.group("num"))
        if m.group("half"):  # 一吨半, 两米半: and a half of the unit
            number += 0.5
        value = number * unit.factor
        return _finite(value), None, None, unit.base, written, unit.kind, infix_q, None
    if m.group("bare"):
        text = m.group("bare")
        mag = m.group("bare_mag")
        more = m.group("bare_infix") or ""  # 1000多万高中毕业生: more than 1000万
        value = numbers.parse_number(text[: len(text) - len(mag) - len(more)]) * units.magnitudes()[mag]
        return _finite(value), None, None, "", mag, "other", ">" if more else "=", None
    return None


def _leading_mag(written: str) -> str:
    """The magnitude word a written unit starts with: 万亩 → 万."""
    for mag in sorted(units.magnitudes(), key=len, reverse=True):
        if written.startswith(mag) and written != mag:
            return mag
    return ""


def _finite(x: float) -> float:
    """Reject inf/nan; round off the float noise of scaling (1.11 * 1e4)."""
    if not math.isfinite(x):
        raise ValueError("not finite")
    return float(f"{x:.12g}")


def _lost_units(view: View, found: list[Quantity]) -> list[Quantity]:
    """A target number whose unit the dump lost: 指标2 at the end of a line."""
    out = []
    taken = sorted((q.start, q.end) for q in found)  # disjoint spans
    starts = [s for s, _ in taken]
    for line in re.finditer(r"[^\n]+", simplify(view.text)):  # 指標 as 指标
        m = _LOST_UNIT.search(line.group().rstrip())
        if not m:
            continue
        start = line.start() + m.start(1)
        end = line.start() + m.end(1)
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and start < taken[i][1]:
            continue
        out.append(Quantity(
            id="", start=start, end=end, text=view.text[start:end],
            value=float(m.group(1)), unit=None, written_unit=None, kind="other",
            unit_inferred=False, role="target", confidence=0.5, extractor="pattern"))
    return out
