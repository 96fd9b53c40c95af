"""A matching view of the text, with a map back to the original offsets.

Extractors run their regexes on a *folded* copy of the text: full-width digits,
letters and punctuation become ASCII (``２.８％`` → ``2.8%``), dashes and tildes
become ``-`` and ``~``, traditional magnitude characters become simplified ones,
and whitespace runs (the line breaks a PDF dump puts inside ``2.8\\n万亩``) are
removed.  A whitespace run between two ASCII digits or letters is kept as one
space so that separate numbers never fuse, and a TAB (the readers' cell separator)
is kept as it is, so that no mention runs from one table cell into the next.

``View.span(fs, fe)`` turns a half-open span in the folded text into the
half-open span of the ORIGINAL text, so ``text[start:end]`` is the mention as
written, line breaks included.

>>> v = fold("指标2.8\\n万亩，共\\n 12 \\n 34个")
>>> v.folded
'指标2.8万亩，共12 34个'
>>> s, e = v.span(2, 7)
>>> v.text[s:e]
'2.8\\n万亩'
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

# Full-width ASCII block (U+FF01..U+FF5E) → ASCII, except the Chinese comma,
# semicolon and colon, which stay sentence punctuation.
_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
for _keep in "，；：":
    _TABLE.pop(ord(_keep), None)
_TABLE.update({ord(k): v for k, v in {
    "—": "-", "–": "-", "―": "-", "‐": "-", "‑": "-", "－": "-", "−": "-",
    "～": "~", "〜": "~", "∼": "~", "﹪": "%", "．": ".",
    "萬": "万", "億": "亿", "兩": "两", "點": "点", "為": "为", "畝": "亩",
    "噸": "吨", "個": "个", "項": "项", "處": "处", "間": "间", "場": "场",
    "張": "张", "臺": "台", "輛": "辆", "負": "负", "幾": "几", "對": "对",
    "\u00a0": " ", "\u3000": " ",
}.items()})

# Unpaired surrogates (text decoded with errors="surrogateescape") cannot be encoded;
# the matching view carries U+FFFD in their place so that no consumer (jieba, spaCy)
# chokes on them.  One for one, so offsets are unchanged.
_TABLE.update({cp: "\ufffd" for cp in range(0xD800, 0xE000)})

_WS = re.compile(r"[ \r\n\f\v\u00a0\u3000\u2028\u2029]+")
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class View:
    """The original text, its folded copy, and where each folded char came from."""

    text: str
    folded: str
    pos: array  # pos[i] = index in text of folded[i]; pos[len(folded)] = len(text)

    def span(self, fs: int, fe: int) -> tuple[int, int]:
        """Half-open folded span → half-open original span."""
        if fe <= fs:
            start = self.pos[fs]
            return start, start
        return self.pos[fs], self.pos[fe - 1] + 1

    def to_folded(self, start: int) -> int:
        """The first folded index whose original position is >= start."""
        lo, hi = 0, len(self.folded)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.pos[mid] < start:
                lo = mid + 1
            else:
                hi = mid
        return lo


def squash(text: str) -> str:
    """A mention or cell on one line: every whitespace run removed (PDF line breaks).

    >>> squash("2.8\\n万亩")
    '2.8万亩'
    """
    return "".join(text.split())


def fold_chars(text: str) -> str:
    """Fold characters one for one (no change of length).

    >>> fold_chars("１，３５０．５％　１—５月")
    '1，350.5% 1-5月'
    >>> fold_chars("2.8\\ud800万亩") == "2.8\\ufffd万亩"
    True
    """
    return text.translate(_TABLE)


def fold(text: str) -> View:
    """Build the matching view of ``text`` (see the module doc)."""
    chars = fold_chars(text)
    parts: list[str] = []
    pos = array("i" if len(text) < 2**31 - 1 else "q")  # 4 bytes a char when it fits
    last = 0
    for m in _WS.finditer(chars):
        s, e = m.span()
        if s > last:
            parts.append(chars[last:s])
            pos.extend(range(last, s))
        if 0 < s and e < len(chars) and chars[s - 1] in _ALNUM and chars[e] in _ALNUM:
            parts.append(" ")
            pos.append(s)
        last = e
    if last < len(chars):
        parts.append(chars[last:])
        pos.extend(range(last, len(chars)))
    pos.append(len(text))
    return View(text=text, folded="".join(parts), pos=pos)
