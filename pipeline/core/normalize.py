"""A matching view of the text, with a map back to the original offsets.

Extractors run their regexes on a *folded* copy of the text: full-width digits,
letters and punctuation become ASCII (``２.８％`` → ``2.8%``), dashes and tildes
become ``-`` and ``~``, traditional characters become simplified ones (OpenCC, one
character for one: ``script_fold``), and whitespace runs (the line breaks a PDF dump
puts inside ``2.8\\n万亩``) are removed.  A whitespace run between two ASCII digits or
letters is kept as one space so that separate numbers never fuse, and a TAB (the
readers' cell separator) is kept as it is, so that no mention runs from one table cell
into the next.

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

import bisect
import functools
import re
from array import array
from dataclasses import dataclass

import opencc

# The ideographs of the Basic Multilingual Plane: extension A, the unified block and the
# compatibility ideographs.  Their script fold is computed for all at once, on first use.
_BMP_HAN = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00))


@functools.cache
def _t2s() -> opencc.OpenCC:
    """OpenCC's standard traditional→simplified conversion, without the dictionary that
    turns rare characters into ones most fonts lack (no keyword needs them)."""
    return opencc.OpenCC("t2s", include_tofu_risk_dictionaries=False)


def _convert_each(chars: list[str]) -> list[str]:
    """t2s of each character alone: one call for all, a line break between them (no
    dictionary entry spans a line break, so no phrase joins two characters)."""
    outs = _t2s().convert("\n".join(chars)).split("\n")
    if len(outs) != len(chars):  # a conversion that made or ate a line break
        outs = [_t2s().convert(c) for c in chars]
    return outs


@functools.cache
def _script_map() -> tuple[dict[str, str], frozenset[str]]:
    """(the BMP ideographs t2s changes to one other character, minus the simplified
    forms; the simplified forms: every character t2s gives for another one)."""
    chars = [chr(cp) for block in _BMP_HAN for cp in block]
    outs = _convert_each(chars)
    simplified = frozenset(o for c, o in zip(chars, outs) if o != c and len(o) == 1)
    changed = {c: o for c, o in zip(chars, outs)
               if o != c and len(o) == 1 and c not in simplified}
    return changed, simplified


def script_fold(ch: str) -> str:
    """One character in simplified script, by OpenCC's t2s conversion, one for one.

    The conversion is kept only when it gives exactly one character and ``ch`` is not
    itself the simplified form of some character (OpenCC's t2s reads 坏, the simplified
    壞, as the old variant of 坯; a simplified text must come through unchanged).

    >>> "".join(map(script_fold, "統計億元同比增長個百分點萬畝"))
    '统计亿元同比增长个百分点万亩'
    >>> script_fold("坏"), script_fold("著"), script_fold("A")
    ('坏', '著', 'A')
    """
    changed, simplified = _script_map()
    if ch in changed:
        return changed[ch]
    if len(ch) != 1 or not 0x20000 <= ord(ch) < 0x32000:  # the map has every BMP ideograph
        return ch
    out = _t2s().convert(ch)
    return out if len(out) == 1 and out != ch and ch not in simplified else ch


def _is_han(cp: int) -> bool:
    """An ideograph: of the BMP (see ``_BMP_HAN``) or of the supplementary planes."""
    return 0x3400 <= cp < 0xA000 or 0xF900 <= cp < 0xFB00 or 0x20000 <= cp < 0x32000


class _FoldTable(dict[int, "int | str"]):
    """The ``str.translate`` table: the fixed entries below, and each other character's
    script fold, looked up on first sight and remembered (bounded by the ideographs)."""

    def __missing__(self, cp: int) -> int | str:
        value: int | str = cp
        if _is_han(cp):
            out = script_fold(chr(cp))
            if out != chr(cp):
                value = out
        self[cp] = value
        return value


_SCRIPT = _FoldTable()  # the script fold alone (``simplify``)

# Full-width ASCII block (U+FF01..U+FF5E) → ASCII, except the Chinese comma,
# semicolon and colon, which stay sentence punctuation.
_TABLE = _FoldTable({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)})
for _keep in "，；：":
    _TABLE.pop(ord(_keep), None)
_TABLE.update({ord(k): v for k, v in {
    "—": "-", "–": "-", "―": "-", "‐": "-", "‑": "-", "－": "-", "−": "-",
    "～": "~", "〜": "~", "∼": "~", "﹪": "%", "．": ".",
    "\u00a0": " ", "\u3000": " ",
    # zero-width characters web pages leave inside numbers (74.4\u200b万亿元) read as space
    "\u200b": " ", "\u200c": " ", "\u200d": " ", "\u2060": " ", "\ufeff": " ",
    "倆": "两",  # colloquial two (倆千两百 = 2200); OpenCC makes it 俩, no numeral
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

    def written(self, fs: int, fe: int) -> str:
        """The folded span ``[fs, fe)`` with only the script fold undone: a character
        folding changed to simplified script comes back as written (億 stays 億), every
        other fold stays (full-width digits stay ASCII, dropped line breaks stay dropped).

        >>> v = fold("新增耕地面積\\n３２０畝")
        >>> v.folded, v.written(0, len(v.folded))
        ('新增耕地面积320亩', '新增耕地面積320畝')
        """
        out = []
        for i in range(fs, fe):
            f, o = self.folded[i], self.text[self.pos[i]]
            out.append(o if o != f and simplify(o) == f else f)
        return "".join(out)

    def as_written(self, phrase: str, end: int, window: int = 200) -> str:
        """``phrase``, read from the folded text before folded index ``end`` (an indicator
        read from the clause before a number), in the script it is written in; the phrase
        unchanged when it is not a piece of the ``window`` characters before ``end``.

        >>> v = fold("已驗收入庫新增耕地86.5畝")
        >>> v.as_written("验收入库新增耕地", v.folded.index("86")), v.as_written("耕地面积", 9)
        ('驗收入庫新增耕地', '耕地面积')
        """
        i = self.folded.rfind(phrase, max(0, end - len(phrase) - window), end)
        return phrase if i < 0 else self.written(i, i + len(phrase))

    def to_folded(self, start: int) -> int:
        """The first folded index whose original position is >= start."""
        return bisect.bisect_left(self.pos, start, 0, len(self.folded))

    def folded_span(self, start: int, end: int) -> tuple[int, int]:
        """The folded span of the original half-open span [start, end): it ends just after
        the folded character of the span's last one (an empty span stays empty)."""
        fs = self.to_folded(start)
        return fs, (self.to_folded(end - 1) + 1 if end > start else fs)


def squash(text: str) -> str:
    """A mention or cell on one line: every whitespace run removed (PDF line breaks).

    >>> squash("2.8\\n万亩")
    '2.8万亩'
    """
    return "".join(text.split())


@functools.lru_cache(maxsize=8)  # the stages simplify the same document text several times
def simplify(text: str) -> str:
    """Traditional characters to simplified, one for one (``script_fold``); nothing else
    changes, so every offset into ``text`` is an offset into the result.  For code that
    matches simplified keywords (单位, 序号, 指标) on the text as written.

    >>> simplify("單位：萬元（１）")
    '单位：万元（１）'
    """
    return text.translate(_SCRIPT)


def fold_chars(text: str) -> str:
    """Fold characters one for one (no change of length).

    >>> fold_chars("１，３５０．５％　１—５月")
    '1，350.5% 1-5月'
    >>> fold_chars("新增2.8萬畝，同比增長5個百分點")
    '新增2.8万亩，同比增长5个百分点'
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
