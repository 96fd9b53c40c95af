"""Role (target, actual, rate, change, rank, other) and indicator phrase of each quantity.

Rules first: cue words in the clause before the number (resources/lexicon.toml
[role_cue]) and the table column the number stands in.  ``role_source`` records what
decided (pattern | column | cue | default | model).

The indicator phrase is read backwards from the number through the jieba words of
its clause, stopping at verbs, subjects and function words ([indicator] stop):

>>> indicator_phrase("全市完成工业用地连片整治面积")
'工业用地连片整治面积'
>>> indicator_phrase("全市处置完成批而未供土地")
'批而未供土地'
>>> indicator_phrase("全市闲置土地总量为")
'闲置土地总量'
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from pipeline import units
from pipeline.normalize import View
from pipeline.records import Quantity

TARGET_SCOPE = re.compile(r"(?:目标|任务|要求|指标|预期)[是为]?[:：]")
CLAUSE_BREAK = re.compile(r"[，,。；;！？!?：:（）()\n]")
SENTENCE_BREAK = re.compile(r"[。；;！？!?]")
KEY_DROP = re.compile(r"^(?:全市|全省|全国|全区|全县|各县区|我市|我省|我区|本市)|[\s“”\"'、]")


@functools.cache
def _jieba():
    import jieba
    from importlib import resources
    jieba.setLogLevel(60)
    tk = jieba.Tokenizer()
    with resources.as_file(resources.files("pipeline.resources").joinpath("domain_dict.txt")) as p:
        tk.load_userdict(str(p))
    return tk


def clause_before(folded: str, start: int, limit: int = 40) -> str:
    """The text of the clause that ends at ``start`` (cut at ，。；：and brackets)."""
    window = folded[max(0, start - limit):start]
    cut = 0
    for m in CLAUSE_BREAK.finditer(window):
        cut = m.end()
    return window[cut:]


def period_before(folded: str, start: int, limit: int = 300) -> str:
    """The text since the last full stop: the scope of a list opened by 目标是：."""
    window = folded[max(0, start - limit):start]
    cut = max(window.rfind("。"), window.rfind("！"), window.rfind("？"))
    return window[cut + 1:]


def sentence_before(folded: str, start: int, limit: int = 80) -> str:
    window = folded[max(0, start - limit):start]
    cut = 0
    for m in SENTENCE_BREAK.finditer(window):
        cut = m.end()
    return window[cut:]


@functools.cache
def _stops() -> frozenset[str]:
    return frozenset(units.lexicon()["indicator"]["stop"])


def indicator_phrase(clause: str) -> str | None:
    """The noun phrase that ends a clause, read backwards until a stop word."""
    words = _jieba().lcut(clause)
    stops = _stops()
    while words and words[-1] in stops:
        words.pop()
    picked: list[str] = []
    for w in reversed(words):
        if w in stops or not w.strip():
            break
        if re.fullmatch(r"[\d.%]+", w):
            break
        picked.insert(0, w)
    phrase = "".join(picked)
    return phrase if len(phrase) >= 2 else None


def indicator_key(phrase: str | None) -> str | None:
    """A normalised key, so the same indicator in two reports compares equal.

    >>> indicator_key("全市 “批而未供”土地")
    '批而未供土地'
    """
    if not phrase:
        return None
    return KEY_DROP.sub("", phrase) or None


def _has_any(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


def decide_role(q: Quantity, clause: str, sentence: str, scope: str = "") -> tuple[str, str]:
    """(role, source) for one quantity from its kind, column and cue words.

    ``scope`` is the text since the last full stop: inside a list that 目标是：
    opens, every amount is a target (增长5%左右 included).
    """
    cues = units.lexicon()["role_cue"]
    if q.role == "rank":
        return "rank", "pattern"
    if TARGET_SCOPE.search(scope):
        return "target", "cue"
    if q.role == "change":
        return "change", "pattern"
    percentish = q.kind in ("percent", "ratio")
    if percentish and _has_any(clause, cues["rate"]):
        return "rate", "cue"
    if q.column in ("task", "target", "time"):
        return "target", "column"
    if q.column == "rate":
        return "rate", "column"
    if q.column == "actual":
        return "actual", "column"
    if _has_any(clause, cues["target"]) and not _has_any(clause, ["已", "完成"]):
        return "target", "cue"
    if q.role == "target":
        return "target", "pattern"
    if (_has_any(clause, cues["target_weak"]) and not _has_any(clause, cues["actual"])
            and q.column != "progress"):
        return "target", "cue"
    if percentish:
        if _has_any(sentence, ["目标", "预期", "力争", "确保"]):
            return "target", "cue"
        return "rate", "default"
    if _has_any(clause, cues["actual"]):
        return "actual", "cue"
    if q.column == "progress":
        return "actual", "column"
    return "actual", "default"


def assign_roles(view: View, quantities: list[Quantity]) -> list[Quantity]:
    out = []
    for q in quantities:
        fs = view.to_folded(q.start)
        clause = clause_before(view.folded, fs)
        sentence = sentence_before(view.folded, fs)
        scope = period_before(view.folded, fs)
        role, source = decide_role(q, clause, sentence, scope)
        phrase = indicator_phrase(clause) if q.role != "rank" else None
        out.append(replace(q, role=role, role_source=source, indicator=phrase,
                           indicator_key=indicator_key(phrase)))
    return out
