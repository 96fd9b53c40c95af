"""Gold of the 2019 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end, y  # noqa: F401


def build(text: str) -> dict[str, Any]:
    qs = [
        q("6.6%", "change", "国内生产总值", change_of="gdp"),
        q("90万亿元", "actual", "国内生产总值总量", key="gdp", qualifier=">"),
        q("2.1%", "change", "居民消费价格"),
        q("1361万人", "actual", "城镇新增就业"),
        q("5%", "actual", "调查失业率"),
        q("60%", "rate", "服务业对经济增长贡献率"),
        q("3.1%", "change", "单位国内生产总值能耗"),
    ]
    ds = [d("2018年", *y(2018))]
    return _doc(2019, text, qs, ds, _para_end(text, "——经济结构不断优化"))
