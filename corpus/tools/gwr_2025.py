"""Gold of the 2025 government work report (standoff; text in ../shared).

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
        q("134.9万亿元", "actual", "国内生产总值", key="gdp"),
        q("5%", "change", "国内生产总值", occ=1, change_of="gdp"),
        q("30%", "rate", "对全球经济增长的贡献率"),
        q("1256万人", "actual", "城镇新增就业"),
        q("5.1%", "actual", "城镇调查失业率", occ=1),
        q("0.2%", "change", "居民消费价格"),
        q("3.2万亿美元", "actual", "外汇储备"),
        q("5.1%", "change", "居民人均可支配收入", occ=2),
        q("1.4万亿斤", "actual", "粮食产量", occ=1),
        q("10.1斤", "change", "亩产"),
        q("8.9%", "change", "高技术制造业增加值"),
        q("7.7%", "change", "装备制造业增加值"),
        q("1300万辆", "actual", "新能源汽车年产量", qualifier=">"),
        q("10.9%", "change", "信息传输软件和信息技术服务业增加值"),
        q("10.4%", "change", "租赁和商务服务业增加值"),
        q("11.2%", "change", "技术合同成交额"),
        q("2.7%", "change", "细颗粒物（PM2.5）平均浓度"),
        q("87.2%", "actual", "优良天数比例"),
        q("90.4%", "actual", "地表水优良水质断面比例"),
        q("3%", "change", "单位国内生产总值能耗降幅", occ=1, value=-3.0),
        q("3.7亿千瓦", "actual", "可再生能源新增装机"),
        q("两次", "actual", "下调存款准备金率"),
        q("15.7%", "change", "设备购置投资"),
        q("12.3%", "change", "家电类商品零售额"),
        q("1500亿元", "change", "居民存量房贷利息年支出", value=-1.5e11),
        q("6万亿元", "actual", "地方专项债务限额"),
        q("240小时", "actual", "过境免签境内停留时间"),
        q("9.2%", "change", "制造业投资"),
        q("10%", "rate", "数字经济核心产业增加值占国内生产总值比重"),
        q("67%", "actual", "常住人口城镇化率"),
        q("3400多万人次", "actual", "惠及学生"),
        q("1100多万人", "actual", "一次性生活补助"),
        q("40%", "rate", "非化石能源发电量占总发电量的比重"),
        q("19件", "actual", "审议法律议案"),
        q("28部", "actual", "制定修订行政法规"),
        q("两批", "actual", "“高效办成一件事”重点事项清单"),
        q("5%", "target", "国内生产总值", occ=2),
        q("5.5%", "target", "城镇调查失业率", occ=1),
        q("1200万人", "target", "城镇新增就业"),
        q("2%", "target", "居民消费价格涨幅", occ=1),
        q("1.4万亿斤", "target", "粮食产量", occ=2),
        q("3%", "target", "单位国内生产总值能耗", occ=2, value=-3.0),
        # 提出上述预期目标 (the targets restated)
        q("5%", "target", "经济增长", occ=3),
        q("5.5%", "target", "城镇调查失业率", occ=2),
        q("2%", "target", "居民消费价格涨幅", occ=2),
        # 实施更加积极的财政政策
        q("4%", "target", "赤字率", key="deficit_rate"),
        q("1个百分点", "target", "赤字率", change_of="deficit_rate"),
        q("5.66万亿元", "target", "赤字规模", key="deficit", of="debt_total"),
        q("1.6万亿元", "target", "赤字规模", change_of="deficit"),
        q("29.7万亿元", "target", "一般公共预算支出规模", key="spending"),
        q("1.2万亿元", "target", "一般公共预算支出规模", change_of="spending"),
        q("1.3万亿元", "target", "超长期特别国债", key="ultra_bonds", of="debt_total"),
        q("3000亿元", "target", "超长期特别国债", occ=1, change_of="ultra_bonds"),
        q("5000亿元", "target", "特别国债", occ=1, of="debt_total"),
        q("4.4万亿元", "target", "地方政府专项债券", key="special_bonds", of="debt_total"),
        q("5000亿元", "target", "地方政府专项债券", occ=2, change_of="special_bonds"),
        q("11.86万亿元", "target", "新增政府债务总规模", key="debt_total"),
        q("2.9万亿元", "target", "新增政府债务总规模", change_of="debt_total"),
        # （一）扩大国内需求
        q("3000亿元", "target", "超长期特别国债", occ=2),
        q("7350亿元", "target", "中央预算内投资"),
        # （七）三农
        q("30年", "target", "土地承包"),
        # （十）民生
        q("30元", "target", "居民医保人均财政补助标准"),
        q("5元", "target", "基本公共卫生服务经费人均财政补助标准"),
        q("20元", "target", "城乡居民基础养老金最低标准"),
    ]
    ds = [
        d("2024年", *y(2024), occ=1),
        d("9月26日", "2024-09-26", "2024-09-26", "day"),
        d("一季度", "2024-01-01", "2024-03-31", "quarter"),  # 去年一季度
        d("二季度", "2024-04-01", "2024-06-30", "quarter"),  # 进入二季度以后 (of 去年)
        d("2025年", *y(2025), occ=1),
        d("2025年", *y(2025), occ=2),
    ]
    return _doc(2025, text, qs, ds, len(text))
