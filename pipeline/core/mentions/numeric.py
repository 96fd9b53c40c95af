"""Every number and every percentage in running text, with or without a unit.

``find_numbers`` is the number model (like Recognizers-Text's NumberModel):
each written number, its span in the ORIGINAL text and its value.
``find_percents`` finds percentages: ``%``, 百分之/千分之/万分之, 个百分点, 成 and
the discount 折.  Both run on the folded view (``pipeline.core.normalize``) and are
built from the number grammar of ``pipeline.core.mentions.patterns`` (``NUMBER``,
``FRACTION``, ``NOT_INSIDE`` …); this module only adds notation that reports do
not use for quantities (2e5, 2^5, 40k, 3/5, .5, 一又二分之一).

Values: a fraction is its quotient (五分之一 → 0.2); in ``find_numbers``,
百分之X gives the number X (the percentage is ``find_percents``' business);
a percentage's value is in percent (百分之五 → 5, 千分之一 → 0.1, 八五折 → 85).

>>> [(n.text, n.value) for n in find_numbers("完成1,350.5亩，占三分之一，两千余人，负三点五")]
[('1,350.5', 1350.5), ('三分之一', 0.333333333333333), ('两千', 2000.0), ('负三点五', -3.5)]
>>> [(n.text, n.value) for n in find_numbers("十 余 万；4.78万亿；一看就懂")]
[('十 余 万', 100000.0), ('4.78万亿', 4780000000000.0)]
>>> [(p.text, p.value) for p in find_percents("增长5.2%，百分之五，０.４个百分点，七成，打八五折")]
[('5.2%', 5.2), ('百分之五', 5.0), ('０.４个百分点', 0.4), ('七成', 70.0), ('八五折', 85.0)]
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from pipeline.core import numbers, units
from pipeline.core.mentions.patterns import ARABIC, CN_ANY, CN_DIGIT, CN_RUN_LOOSE, FRACTION, NOT_INSIDE, NUMBER, SIGN
from pipeline.core.normalize import View, fold


@dataclass(frozen=True)
class NumberMention:
    """A number (or percentage) as written: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    value: float


_PLAIN = r"\d+(?:\.\d+)?"
_SI = {"k": 1e3, "K": 1e3, "M": 1e6}

# Number forms, tried in this order at each position (the first that matches wins).
_NUMBER_FORMS = [
    ("power", f"-?{_PLAIN}\\^[+-]*\\d+"),                              # 2^5, -1.1^--23
    ("sci", f"-?(?:{_PLAIN}|\\.\\d+)[eE][+-]?\\d+(?![A-Za-z])"),       # 2e5, -127.32e13
    ("mixed", f"{SIGN}(?:{ARABIC}|{CN_RUN_LOOSE})又(?:{FRACTION})"),                        # 一又二分之一
    ("frac", FRACTION),                                                # 五分之一, 百分之五
    ("slash", r"-?(?:\d+ )?\d+/\d+(?![\d/])"),                          # 3/5, 1 4/3
    ("dot", r"-?\.\d+"),                                               # .5
    ("num", f"(?:{NUMBER})(?:(?:余|多|零?几)?[万亿]+)?(?: ?[kKM](?![A-Za-z]))?"),
]
# Percent forms.
_PERCENT_FORMS = [
    ("pct", f"(?:{NUMBER})(?: ?[kK])?%"),                              # 5.2%, 负3.9%
    ("point", f"(?:{NUMBER})(?: ?[kK])?个?百分点"),                     # 0.5个百分点
    ("per", f"{SIGN}[百佰千仟万]+分之{SIGN}(?:{ARABIC}|[{CN_ANY}点]+)(?: ?[kK](?![A-Za-z]))?"),
    ("cheng", f"(?:{NUMBER}|半)成(?:[{CN_DIGIT}]|半)?"),                  # 七成, 七成六, 三成半
    ("zhe", f"(?:{NUMBER}|半|(?<=打)对)折"),                             # 八五折, 9.9折, 打对折
]


def _compile(forms: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"{NOT_INSIDE}(?<![/^])(?P<{name}>{rx})" for name, rx in forms))


@functools.cache
def _number_regex() -> re.Pattern[str]:
    return _compile(_NUMBER_FORMS)


@functools.cache
def _percent_regex() -> re.Pattern[str]:
    return _compile(_PERCENT_FORMS)


@functools.cache
def _not_numbers() -> tuple[str, ...]:
    return tuple(units.lexicon()["not_quantity"].get("not_number", ()))


def _si(written: str) -> tuple[str, float]:
    """Take a k/M suffix off: ('40', 1000.0)."""
    stripped = written.rstrip()
    if stripped and stripped[-1] in _SI:
        return stripped[:-1].rstrip(), _SI[stripped[-1]]
    return written, 1.0


def _power(written: str) -> float:
    base, _, exp = written.partition("^")
    sign = -1.0 if exp.count("-") % 2 else 1.0
    b = float(base)
    return math.copysign(abs(b) ** (sign * float(exp.lstrip("+-"))), b)


def _fraction(written: str) -> float:
    """A分之B → B/A; 百分之X → X/100 (parse_fraction gives percent)."""
    return numbers.parse_fraction(written) / 100


def _slash(written: str) -> float:
    whole, _, frac = written.rpartition(" ")
    num, den = frac.split("/")
    if float(den) == 0:
        raise ValueError(f"{written!r} has a zero denominator")
    value = abs(float(num)) / float(den) + (abs(float(whole)) if whole else 0.0)
    return -value if written.startswith("-") else value


_APPROX = re.compile(r"(?:余|多|零?几)(?=[万亿]+$)")


def _value(kind: str, written: str) -> float:
    if kind == "power":
        return _power(written)
    if kind in ("sci", "dot"):
        return float(written)
    if kind == "mixed":
        whole, _, frac = written.partition("又")
        w = numbers.parse_number(whole)
        f = _fraction(frac)
        return w - f if w < 0 else w + f
    if kind == "frac":
        return _fraction(written)
    if kind == "slash":
        return _slash(written)
    body, scale = _si(written)
    return numbers.parse_number(_APPROX.sub("", body)) * scale


def _percent_value(kind: str, written: str) -> float | None:
    if kind in ("pct", "point"):
        body = written.rstrip("%")
        body = body[: body.index("百分点")] if "百分点" in body else body
        body, scale = _si(body.removesuffix("个"))
        return numbers.parse_number(body) * scale
    if kind == "per":
        body, scale = _si(written)
        return numbers.parse_fraction(body) * scale
    if kind == "cheng":
        head, _, tail = written.partition("成")
        tenths = 0.5 if head == "半" else numbers.parse_number(head)
        extra = {"": 0.0, "半": 0.5}.get(tail)
        if extra is None:
            extra = numbers.parse_number(tail) / 10
        return (tenths + extra) * 10
    # 折: one digit (九折, 9.9折) is tenths; two digits (八五折, 75折) are percent
    head = written[:-1]
    if head in ("半", "对"):
        return 50.0
    n = numbers.parse_number(head)
    if 0 < n < 10:
        return n * 10
    if 10 < n < 100 and n == int(n):
        return n
    return None


def _scan(view: View, regex: re.Pattern[str], value_of) -> list[NumberMention]:
    out = []
    skip = _not_numbers()
    folded = view.folded
    for m in regex.finditer(folded):
        fs, fe = m.span()
        kind = m.lastgroup
        written = m.group()
        if folded.startswith(skip, fs):
            continue
        if kind == "frac" and value_of is _value and re.match(f"{SIGN}百分之", written):
            # 百分之X: the number is X (find_percents reports the percentage)
            fs += written.index("之") + 1
            kind, written = "num", written[written.index("之") + 1:]
        try:
            value = value_of(kind, written)
        except (ValueError, OverflowError, ZeroDivisionError):
            continue
        if value is None or not math.isfinite(value):
            continue
        start, end = view.span(fs, fe)
        out.append(NumberMention(start, end, view.text[start:end], float(f"{value:.15g}")))
    return out


def find_numbers(text: str | View) -> list[NumberMention]:
    """Every number written in ``text`` (Arabic, full-width, Chinese, mixed), in order."""
    view = text if isinstance(text, View) else fold(text)
    return _scan(view, _number_regex(), _value)


def find_percents(text: str | View) -> list[NumberMention]:
    """Every percentage in ``text``; the value is in percent."""
    view = text if isinstance(text, View) else fold(text)
    return _scan(view, _percent_regex(), _percent_value)
