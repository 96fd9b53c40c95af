"""Gold of the 2022 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end, y  # noqa: F401


def build(text: str) -> dict[str, Any]:
    qs = [
        q("114万亿元", "actual", "国内生产总值", key="gdp"),
        q("8.1%", "change", "国内生产总值", occ=1, change_of="gdp"),
        q("20万亿元", "actual", "全国财政收入", key="rev", qualifier=">"),
        q("10.7%", "change", "全国财政收入", change_of="rev"),
        q("1269万人", "actual", "城镇新增就业"),
        q("5.1%", "actual", "城镇调查失业率"),
        q("0.9%", "change", "居民消费价格"),
        q("15.5%", "change", "企业研发经费"),
        q("1.37万亿斤", "actual", "粮食产量"),
        q("18.2%", "change", "高技术制造业增加值"),
        q("1.5亿户", "actual", "市场主体总量"),
        q("21.4%", "change", "货物进出口总额"),
        q("9.1%", "change", "细颗粒物（PM2.5）平均浓度"),
        q("8.1%", "change", "居民人均可支配收入", occ=2),
        q("5.6万个", "actual", "新开工改造城镇老旧小区"),
    ]
    ds = [d("2022年3月5日", "2022-03-05", "2022-03-05", "day"), d("2021年", *y(2021))]
    return _doc(2022, text, qs, ds, _para_end(text, "居民人均可支配收入实际增长8.1%"))
