"""Gold of the 2024 government work report (standoff; text in ../shared).

One mention per ``q(...)``/``d(...)`` line, in text order; see gold_lib.py for the
helpers and ../shared/ANNOTATION.md for what to mark.  The whole report is annotated.
"""
from __future__ import annotations

from typing import Any

from gold_lib import d, q
from gwr_common import _doc, _para_end  # noqa: F401


def build(text: str) -> dict[str, Any]:
    y = lambda v: (f"{v}-01-01", f"{v}-12-31", "year")  # noqa: E731
    qs = [
        # 一、2023年工作回顾
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
        q("千万", "actual", "惠及家庭", anchor="惠及上千万家庭", unit_hint="户",
          written_unit="千万", qualifier=">="),
        q("2.2万亿元", "actual", "新增税费优惠"),
        q("1万亿元", "actual", "增发国债", occ=1),
        q("两次", "actual", "降低存款准备金率", occ=1),
        q("两次", "actual", "下调政策利率", occ=2),
        q("50%", "actual", "5G用户普及率"),
        q("66.2%", "actual", "常住人口城镇化率"),
        q("30%", "change", "“新三样”出口"),
        q("3300万", "actual", "脱贫人口务工规模", unit_hint="人", written_unit="万"),
        q("1100多万", "actual", "国家助学贷款惠及学生", unit_hint="人", written_unit="万"),
        q("10件", "actual", "审议法律议案"),
        q("25部", "actual", "制定修订行政法规"),
        # 二、主要预期目标
        q("5%", "target", "国内生产总值", occ=1),
        q("1200万人", "target", "城镇新增就业"),
        q("5.5%", "target", "城镇调查失业率"),
        q("3%", "target", "居民消费价格涨幅", occ=1),
        q("1.3万亿斤", "target", "粮食产量"),
        q("2.5%", "target", "单位国内生产总值能耗", value=-2.5),
        q("5%", "target", "经济增长", occ=2),
        q("3%", "target", "赤字率", occ=2),
        q("4.06万亿元", "target", "赤字规模", key="def"),
        q("1800亿元", "target", "赤字规模", change_of="def"),
        q("28.5万亿元", "target", "一般公共预算支出规模", key="exp"),
        q("1.1万亿元", "target", "一般公共预算支出规模", change_of="exp"),
        q("3.9万亿元", "target", "地方政府专项债券", key="bond"),
        q("1000亿元", "target", "地方政府专项债券", change_of="bond"),
        q("1万亿元", "target", "超长期特别国债", occ=2),
        # 三、政府工作任务
        q("7000亿元", "target", "中央预算内投资"),
        q("30年", "target", "土地承包到期后再延长"),
        q("1170万人", "actual", "高校毕业生"),
        q("30元", "target", "居民医保人均财政补助标准"),
        q("20元", "target", "城乡居民基础养老金月最低标准"),
    ]
    ds = [
        d("2024年3月5日", "2024-03-05", "2024-03-05", "day"),
        d("2023年", *y(2023), occ=1),
        d("2024年", *y(2024), occ=2),
        d("2024年", *y(2024), occ=3),
    ]
    return _doc(2024, text, qs, ds, len(text))
