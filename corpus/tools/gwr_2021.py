"""Gold of the 2021 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end, y  # noqa: F401


def build(text: str) -> dict[str, Any]:
    qs = [
        q("2.6万亿元", "actual", "为市场主体减负"),
        q("1.7万亿元", "actual", "减免社保费"),
        q("2万亿元", "actual", "新增中央财政资金"),
        q("50%", "change", "大型商业银行普惠小微企业贷款"),
        q("1.5万亿元", "actual", "金融系统向实体经济让利"),
        q("2.3％", "change", "国内生产总值"),
        q("1186万人", "actual", "城镇新增就业"),
        q("5.2％", "actual", "城镇调查失业率"),
        q("2.5％", "change", "居民消费价格"),
        q("600万人", "actual", "新纳入低保、特困供养"),
        q("800万人次", "actual", "实施临时救助"),
    ]
    ds = [d("2021年3月5日", "2021-03-05", "2021-03-05", "day"), d("2020年", *y(2020))]
    return _doc(2021, text, qs, ds, _para_end(text, "城镇新增就业1186万人"))
