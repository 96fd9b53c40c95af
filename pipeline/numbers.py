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

from pipeline.normalize import fold_chars

DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2,
          "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
          "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}

CN_DIGIT_CHARS = "".join(DIGITS)
CN_NUMBER_CHARS = CN_DIGIT_CHARS + "".join(SMALL) + "".join(BIG)

_ARABIC = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?|\.\d+")
_CN_DECIMAL = re.compile(f"([{CN_DIGIT_CHARS}]+)点([{CN_DIGIT_CHARS}]+)")
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
    s = s.replace(",", "").replace("，", "")
    if _ARABIC.fullmatch(s):
        return _check(sign * float(s), written)
    # Chinese decimals: 三点五 -> 3.5 before the magnitude walk
    s = _CN_DECIMAL.sub(lambda m: f"{_digit_string(m.group(1))}.{_digit_string(m.group(2))}", s)
    tokens = _TOKEN.findall(s)
    if "".join(tokens) != s:
        raise ValueError(f"cannot read {written!r} as a number")
    if all(t in DIGITS for t in tokens) and len(tokens) > 1:
        # a digit string like 二〇二四
        return _check(sign * float(_digit_string(s)), written)
    return _check(sign * _walk(tokens, written), written)


def _digit_string(s: str) -> str:
    return "".join(str(DIGITS[c]) if c in DIGITS else c for c in s)


def _walk(tokens: list[str], written: str) -> float:
    """Place-value walk: sections below 万, then 万 and 亿 groups."""
    groups: list[tuple[float, int]] = []  # (value, magnitude) of closed 万/亿 groups
    section = 0.0
    current: float | None = None
    for tok in tokens:
        if tok in DIGITS:
            current = float(DIGITS[tok]) if current is None else current * 10 + DIGITS[tok]
        elif tok in SMALL:
            section += (1.0 if current is None else current) * SMALL[tok]
            current = None
        elif tok in BIG:
            mag = BIG[tok]
            value = section + (current or 0.0)
            if value == 0 and not groups:
                value = 1.0
            while groups and groups[-1][1] < mag:
                value += groups.pop()[0]
            groups.append((value * mag, mag))
            section, current = 0.0, None
        else:  # an Arabic run inside a Chinese number (3万4000)
            if current is not None:
                raise ValueError(f"cannot read {written!r}: two numbers in a row")
            current = float(tok)
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
