"""Merge the candidates of the pattern extractor and the trained model.

* Every pattern mention is kept, except a *weak* one (a count written in Chinese
  numerals, 八项 / 两批 / 三次, where idioms and names hide) that the model does not
  confirm: there the model decides.
* A model span that no pattern covers is added when the number parsers can read it.
* Each mention keeps its ``extractor``; with no trained model the patterns stand alone.

In the combined run the model reads only the pieces of text where the rules are
unsure or silent: a piece holding a weak mention, or digits that no pattern mention
and no date explains.  Elsewhere it would only repeat the patterns, at a tenth of
their speed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.mentions import model, patterns
from pipeline.core.normalize import View, simplify
from pipeline.core.records import Quantity

_ASCII_DIGIT = re.compile(r"\d")
CN_NUMERALS = frozenset("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟")


def find_quantities(view: View, extractors: str = "combined",
                    explained: Sequence[tuple[int, int]] = ()) -> list[Quantity]:
    """``explained``: folded spans already accounted for (the date mentions)."""
    found: list[Quantity] = []
    if extractors in ("pattern", "combined"):
        found = patterns.find_quantities(view)
    if extractors in ("model", "combined"):
        if model.load_mention_model() is None:
            return found
        if extractors == "model":
            return model.find_quantities(view)
        pieces = unsure_pieces(view, found, explained)
        found = merge(found, model.find_quantities(view, pieces))
    return found


def unsure_pieces(view: View, found: list[Quantity], explained: Sequence[tuple[int, int]]
                  ) -> list[tuple[int, str]]:
    """The model's pieces that hold a weak mention or an unexplained digit."""
    covered = bytearray(len(view.folded))
    for q in found:
        if not is_weak(q):
            fs, fe = view.folded_span(q.start, q.end)
            covered[fs:fe] = b"\x01" * (fe - fs)
    for fs, fe in explained:
        covered[fs:fe] = b"\x01" * (fe - fs)
    weak = [view.to_folded(q.start) for q in found if is_weak(q)]
    out = []
    for offset, text in model.chunks(view.folded):
        end = offset + len(text)
        if any(offset <= w < end for w in weak) or any(
                not covered[offset + m.start()] for m in _ASCII_DIGIT.finditer(text)):
            out.append((offset, text))
    return out


def is_weak(q: Quantity) -> bool:
    """A count written with one Chinese numeral: 三次产业, 八项规定, 两批, 五项原则 are
    names and idioms as often as amounts (三百二十人次 is not weak).

    >>> from pipeline.core.records import Quantity
    >>> is_weak(Quantity(id="", start=0, end=2, text="八项", value=8.0, unit="项", written_unit="项", kind="count"))
    True
    >>> is_weak(Quantity(id="", start=0, end=3, text="28宗", value=28.0, unit="宗", written_unit="宗", kind="count"))
    False
    """
    if q.extractor != "pattern" or q.kind != "count" or _ASCII_DIGIT.search(q.text):
        return False
    numerals = [c for c in simplify(q.text) if c in CN_NUMERALS]  # 兩 as 两
    return len(numerals) == 1 and q.value is not None and q.value < 10


def _overlapping(qs: list[Quantity], others: list[Quantity]) -> set[int]:
    """Indices of ``qs`` that overlap some mention of ``others`` (one sweep over both
    lists sorted by start: linear after sorting)."""
    hits: set[int] = set()
    order = sorted(range(len(qs)), key=lambda i: qs[i].start)
    spans = sorted((o.start, o.end) for o in others)
    j, reach = 0, []  # spans started before the current mention's end
    for i in order:
        q = qs[i]
        while j < len(spans) and spans[j][0] < q.end:
            reach.append(spans[j])
            j += 1
        reach = [s for s in reach if s[1] > q.start]
        if reach:
            hits.add(i)
    return hits


def merge(primary: list[Quantity], secondary: list[Quantity]) -> list[Quantity]:
    """Pattern mentions (minus weak ones the model does not confirm: the model reads
    every piece that holds one) plus model spans that overlap no pattern mention."""
    confirmed = _overlapping(primary, secondary)
    kept = [q for i, q in enumerate(primary) if not is_weak(q) or i in confirmed]
    covered = _overlapping(secondary, primary)
    out = kept + [q for i, q in enumerate(secondary) if i not in covered]
    out.sort(key=lambda q: (q.start, q.end))
    return out
