"""Gold of the 2023 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end, y  # noqa: F401


def build(text: str) -> dict[str, Any]:
    qs = [
        q("3%", "change", "国内生产总值"),
        q("1206万人", "actual", "城镇新增就业"),
        q("5.5%", "actual", "年末城镇调查失业率"),
        q("2%", "change", "居民消费价格"),
        q("7.7%", "change", "货物进出口总额"),
        q("2.8%", "actual", "财政赤字率"),
        q("1.37万亿斤", "actual", "粮食产量", key="g"),
        q("74亿斤", "change", "粮食产量", change_of="g"),
    ]
    ds = [d("2023年3月5日", "2023-03-05", "2023-03-05", "day"), d("2022年", *y(2022))]
    return _doc(2023, text, qs, ds, _para_end(text, "全年国内生产总值增长3%"))
