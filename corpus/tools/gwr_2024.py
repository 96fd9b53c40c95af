"""Gold of the 2024 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end  # noqa: F401


def build(text: str) -> dict[str, Any]:
    y = lambda v: (f"{v}-01-01", f"{v}-12-31", "year")  # noqa: E731
    qs = [
        q("126万亿元", "actual", "国内生产总值", key="gdp"),
        q("5.2%", "change", "国内生产总值", occ=1, change_of="gdp"),
        q("1244万人", "actual", "城镇新增就业"),
        q("5.2%", "actual", "城镇调查失业率", occ=2),
        q("0.2%", "change", "居民消费价格"),
        q("60%", "rate", "新能源汽车产销量占全球比重"),
        q("28.6%", "change", "技术合同成交额"),
        q("1.39万亿斤", "actual", "粮食产量"),
        q("6.1%", "change", "居民人均可支配收入"),
        q("8.4%", "change", "脱贫地区农村居民收入"),
        q("6600多万", "actual", "纳税人", unit_hint="人", written_unit="万"),
        q("2.2万亿元", "actual", "新增税费优惠"),
        q("1万亿元", "actual", "增发国债"),
        q("两次", "actual", "降低存款准备金率", occ=1),
        q("两次", "actual", "下调政策利率", occ=2),
        q("50%", "actual", "5G用户普及率"),
        q("66.2%", "actual", "常住人口城镇化率"),
        q("30%", "change", "“新三样”出口"),
        q("3300万", "actual", "脱贫人口务工规模", unit_hint="人", written_unit="万"),
        q("1100多万", "actual", "国家助学贷款惠及学生", unit_hint="人", written_unit="万"),
        q("10件", "actual", "审议法律议案"),
        q("25部", "actual", "制定修订行政法规"),
        q("5%", "target", "国内生产总值"),
        q("1200万人", "target", "城镇新增就业"),
        q("5.5%", "target", "城镇调查失业率"),
        q("3%", "target", "居民消费价格涨幅"),
        q("1.3万亿斤", "target", "粮食产量"),
        q("2.5%", "target", "单位国内生产总值能耗", value=-2.5),
    ]
    ds = [
        d("2024年3月5日", "2024-03-05", "2024-03-05", "day"),
        d("2023年", *y(2023), occ=1),
        d("2024年", *y(2024), occ=2),
    ]
    return _doc(2024, text, qs, ds)
