"""Targets set in one report, results stated in a later one: joined by indicator key.

A government work report of year Y sets the targets for Y (国内生产总值增长5%左右) and
the report of Y+1 states what was achieved in Y (国内生产总值增长5%).  ``join_targets``
pairs each target of the report for Y with the first statement of the same indicator
(same key, same unit) in the report for Y+1.  Pure: extraction dicts in, rows out.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.indicators import indicator_key
from pipeline.core.normalize import squash


def series_key(key: str | None) -> str | None:
    """The indicator key a series joins on (the synonym table's key; trailing verbs off).

    >>> series_key("居民消费价格涨幅"), series_key("居民消费价格上涨")
    ('居民消费价格', '居民消费价格')
    >>> series_key("经济增长")
    '国内生产总值'
    """
    key = indicator_key(key)
    return key if key and len(key) >= 2 else None


@dataclass(frozen=True)
class TargetRow:
    indicator: str
    year: int
    target: str
    target_value: float | None
    target_low: float | None
    target_high: float | None
    qualifier: str
    unit: str | None
    actual: str | None
    actual_value: float | None
    met: bool | None
    target_sentence: str
    actual_sentence: str | None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _sentence(text: str, start: int, end: int) -> str:
    s = max(text.rfind(c, 0, start) for c in "。；\n") + 1
    e = min((i for i in (text.find(c, end) for c in "。；\n") if i >= 0), default=len(text))
    return squash(text[s:e + 1])


def met(target: dict[str, Any], actual: dict[str, Any]) -> bool | None:
    """Whether the actual meets a bound (以上, 不低于, 以内 …); None for a target that is
    only approximate (5%左右), where the difference speaks for itself.

    >>> met({"value": -3.0, "qualifier": ">="}, {"value": -3.1})
    True
    >>> met({"value": -3.0, "qualifier": ">="}, {"value": -2.5})
    False
    >>> met({"value": 1100e4, "qualifier": ">="}, {"value": 1269e4})
    True
    """
    t, a = target["value"], actual["value"]
    if t is None or a is None:
        return None
    q = target["qualifier"]
    if t < 0:  # a planned decrease: 下降3%以上 bounds the size of the fall (-3.1 meets -3)
        q = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}.get(q, q)
    if q in (">=", ">"):
        return a >= t
    if q in ("<=", "<"):
        return a <= t
    return None


TARGETS_START = re.compile(r"(?:主要)?预期目标[是为]?[:：]|主要目标[是为]?[:：]")


BASE_YEAR = re.compile(r"(?:比|较)((?:19|20)\d\d)年[^，。；]{0,12}$")


def _year_of(q: dict[str, Any]) -> int | None:
    """The single year a quantity's period covers, else None (a five-year total)."""
    p = q.get("period") or {}
    s, e = p.get("start_date") or "", p.get("end_date") or ""
    return int(s[:4]) if s[:4] and s[:4] == e[:4] else None


AVERAGE_BEFORE = re.compile(r"(?:年均|年平均|平均每年)[^，。；]{0,4}$")


def _review(doc: dict[str, Any], year: int) -> list[dict[str, Any]]:
    """The results a report states for ``year`` before it sets its own targets
    (预期目标是：): its review of the year before.  A figure whose period is not that
    single year (a five-year total) or that compares with an older year (比2002年增长
    65.5%) is none of them."""
    m = TARGETS_START.search(doc["text"])
    end = m.start() if m else len(doc["text"])
    out = []
    for q in doc["quantities"]:
        if q["start"] >= end:
            continue
        y = _year_of(q)
        if y is not None and y != year:
            continue
        if y is None and q.get("period"):
            continue
        base = BASE_YEAR.search(doc["text"][max(0, q["start"] - 20):q["start"]])
        if base and int(base.group(1)) != year - 1:
            continue
        if AVERAGE_BEFORE.search(doc["text"][max(0, q["start"] - 8):q["start"]]):
            continue  # 年均增长10.6%: an average over several years, no year's result
        out.append(q)
    return out


def join_targets(docs: dict[int, dict[str, Any]]) -> list[TargetRow]:
    """``docs``: year → extraction dict of that year's report."""
    rows = []
    for year in sorted(docs):
        nxt = docs.get(year + 1)
        doc = docs[year]
        seen = set()
        for t in doc["quantities"]:
            key = series_key(t.get("indicator_key"))
            if t["role"] != "target" or not key or (key, t["unit"]) in seen:
                continue
            if t.get("period") and _year_of(t) != year:
                continue  # a 到2030年 or five-year target, or last year's stated in the review
            seen.add((key, t["unit"]))
            match = None
            if nxt is not None:
                match = next((a for a in _review(nxt, year)
                              if a["role"] in ("actual", "change") and a["unit"] == t["unit"]
                              and series_key(a.get("indicator_key")) == key), None)
            rows.append(TargetRow(
                indicator=key, year=year, target=squash(t["text"]), target_value=t["value"],
                target_low=t.get("low"), target_high=t.get("high"),
                qualifier=t["qualifier"], unit=t["unit"],
                actual=squash(match["text"]) if match else None,
                actual_value=match["value"] if match else None,
                met=met(t, match) if match else None,
                target_sentence=_sentence(doc["text"], t["start"], t["end"]),
                actual_sentence=_sentence(nxt["text"], match["start"], match["end"]) if match else None))
    return rows


def read_reports(path: Path, first: int, last: int) -> Iterable[tuple[int, str, str]]:
    """(year, title, text) from a JSONL of reports with fields year, title, content."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            year = rec.get("year")
            if year is None or not str(year).isdigit():
                continue
            if first <= int(year) <= last:
                yield int(year), rec.get("title") or "", rec["content"]
