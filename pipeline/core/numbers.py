"""Numbers as written in Chinese reports → floats.

Pure functions: one written number in, one value out (or ``ValueError``).
Finding numbers in running text is the extractors' job, not this module's.

>>> parse_number("1,350.5")
1350.5
>>> parse_number("1，350.5")
1350.5
>>> parse_number("三百二十")
320.0
>>> parse_number("两千")
2000.0
>>> parse_number("一万五千亿")
1500000000000.0
>>> parse_number("三亿五千万")
350000000.0
>>> parse_number("3万4000")
34000.0
>>> parse_number("1.2万")
12000.0
>>> parse_number("负三点五")
-3.5
>>> parse_number("一百零五")
105.0
>>> parse_number("十二")
12.0
>>> parse_number("二〇二四")
2024.0
>>> parse_number("两千三百五")     # a trailing digit takes the next lower place
2350.0
>>> parse_number("一万零十二")
10012.0
>>> parse_number("四万万"), parse_number("四万亿")
(400000000.0, 4000000000000.0)
>>> parse_number("两千万点五五四四")
20000000.5544
>>> parse_number("肆佰陆拾"), parse_number("1千零20")
(460.0, 1020.0)
>>> parse_number("二三十")
Traceback (most recent call last):
...
ValueError: '二三十' is a vague amount (two digits before a place word)
>>> parse_number("２．８")
2.8
>>> parse_fraction("百分之五")
5.0
>>> parse_fraction("百分之三十五点五")
35.5
>>> round(parse_fraction("三分之一"), 4)
33.3333
>>> parse_range("3-5")
(3.0, 5.0)
>>> parse_range("3万至5万")
(30000.0, 50000.0)
>>> split_qualifier("两千余")
('两千', '>')
"""
from __future__ import annotations

import math
import re

from pipeline.core.normalize import fold_chars

DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2,
          "两": 2, "倆": 2, "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5,
          "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}

CN_DIGIT_CHARS = "".join(DIGITS)
CN_NUMBER_CHARS = CN_DIGIT_CHARS + "".join(SMALL) + "".join(BIG)

_ARABIC = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?|\.\d+")
_CN_FRACTION_DIGITS = re.compile(f"[{CN_DIGIT_CHARS}]+")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[" + CN_NUMBER_CHARS + r"]")
_RANGE_SEP = re.compile(r"\s*(?:-|~|至|到)\s*")


def _check(value: float, written: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"number {written!r} is not finite")
    return value


def parse_number(written: str) -> float:
    """One number: Arabic, Chinese numerals, or a mix with 万/亿 magnitudes."""
    s = fold_chars(written).strip()
    sign = 1.0
    if s.startswith(("负", "-")):
        sign, s = -1.0, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if not s:
        raise ValueError(f"no number in {written!r}")
    s = s.replace(",", "").replace("，", "").replace(" ", "")  # 1,234; 348 699
    if _ARABIC.fullmatch(s):
        return _check(sign * float(s), written)
    # Chinese decimals: 三点五, 两千万点五五四四, 三点五万: whole part, digits, magnitudes
    head, point, tail = s.partition("点")
    fraction, scale = 0.0, ""
    if point:
        digits = _CN_FRACTION_DIGITS.match(tail)
        if not digits or not head:
            raise ValueError(f"cannot read {written!r} as a number")
        fraction = float("0." + _digit_string(digits.group()))
        scale = tail[digits.end():]
        if scale and not all(c in BIG for c in scale):
            raise ValueError(f"cannot read {written!r} as a number")
    tokens = _TOKEN.findall(head)
    if "".join(tokens) != head:
        raise ValueError(f"cannot read {written!r} as a number")
    if all(t in DIGITS for t in tokens) and len(tokens) > 1:
        # a digit string like 二〇二四
        whole = float(_digit_string(head))
    else:
        whole = _walk(tokens, written)
    value = whole + fraction
    for c in scale:
        value *= BIG[c]
    return _check(sign * value, written)


def _digit_string(s: str) -> str:
    return "".join(str(DIGITS[c]) if c in DIGITS else c for c in s)


def _walk(tokens: list[str], written: str) -> float:
    """Place-value walk: sections below 万, then 万 and 亿 groups.

    A digit written last, straight after a place word, takes the next lower place
    (两千三百五 = 2350, 一万三 = 13000); after 零 it is units (一千零五 = 1005).
    A magnitude straight after another multiplies it (四万万, 四万亿).
    """
    groups: list[tuple[float, float]] = []  # (value, magnitude) of closed 万/亿 groups
    section = 0.0
    current: float | None = None
    ndigits = 0          # Chinese digits in ``current`` (零 not counted)
    place = 0.0          # the place word just before ``current``
    previous = ""
    for tok in tokens:
        if tok in DIGITS:
            if tok in "零〇○Ｏ":
                current, ndigits, place = 0.0, 0, 0.0
            else:
                current = float(DIGITS[tok]) if current is None else current * 10 + DIGITS[tok]
                ndigits += 1
        elif tok in SMALL:
            if ndigits > 1:
                raise ValueError(f"{written!r} is a vague amount (two digits before a place word)")
            if previous in SMALL and SMALL[tok] > SMALL[previous]:
                raise ValueError(f"cannot read {written!r}: {previous}{tok} is no number")
            section += (1.0 if not current else current) * SMALL[tok]
            current, ndigits, place = None, 0, SMALL[tok]
        elif tok in BIG:
            mag = BIG[tok]
            value = section + (current or 0.0)
            if value == 0 and groups and previous in BIG:
                v, m = groups.pop()
                groups.append((v * mag, m * mag))
                previous = tok
                continue
            if value == 0 and not groups:
                value = 1.0
            while groups and groups[-1][1] < mag:
                value += groups.pop()[0]
            groups.append((value * mag, mag))
            section, current, ndigits, place = 0.0, None, 0, float(mag)
        else:  # an Arabic run inside a Chinese number (3万4000, 1千零1)
            if current:
                raise ValueError(f"cannot read {written!r}: two numbers in a row")
            current, ndigits, place = float(tok), 0, 0.0
        previous = tok
    if current is not None and ndigits == 1 and place >= 100:
        current *= place / 10
    return sum(v for v, _ in groups) + section + (current or 0.0)


def parse_fraction(written: str) -> float:
    """百分之X → X (percent); A分之B → B/A as a percent."""
    s = fold_chars(written).strip()
    m = re.fullmatch(r"(负)?(.+?)分之(.+)", s)
    if not m:
        raise ValueError(f"{written!r} is not a fraction like 百分之五 or 三分之一")
    sign = -1.0 if m.group(1) else 1.0
    denominator = parse_number(m.group(2))
    numerator = parse_number(m.group(3))
    if denominator == 0:
        raise ValueError(f"{written!r} has a zero denominator")
    if denominator == 100:
        return sign * numerator
    return _check(sign * numerator / denominator * 100, written)


def parse_range(written: str) -> tuple[float, float]:
    """'3-5', '3至5', '3万-5万' → (low, high).  The magnitude of the high end
    applies to a low end written without one (3-5万 handled by the caller)."""
    s = fold_chars(written).strip()
    parts = _RANGE_SEP.split(s)
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"{written!r} is not a range like 3-5 or 3至5")
    return parse_number(parts[0]), parse_number(parts[1])


def split_qualifier(written: str) -> tuple[str, str]:
    """Take a trailing 余/多/来 off a number: ('两千', '>')."""
    if len(written) > 1 and written[-1] in "余多":
        return written[:-1], ">"
    if len(written) > 1 and written[-1] == "来":
        return written[:-1], "~"
    return written, "="
