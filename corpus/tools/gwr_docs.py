"""Standoff annotations of the State Council's government work reports (../shared/corpus/gwr).

Each report is annotated from its start to the end of the paragraph of the year's main
targets (主要预期目标), given as ``annotated_range``; only mentions inside it are scored.
Numbers inside names (C919, 5G, PM2.5, 十四五, 75周年) are deliberately left unmarked.
"""
from __future__ import annotations

from typing import Any, Callable

from gold_lib import build_doc, d, q

GWR_FILE = "gwr/government_work_reports.jsonl"


def _range_end(text: str) -> int:
    i = text.find("主要预期目标")
    return text.find("\n", i)


def _para_end(text: str, marker: str) -> int:
    i = text.find(marker)
    assert i >= 0, marker
    return text.find("\n", i)


def _doc(year: int, text: str, qs: list[Any], ds: list[Any], end: int | None = None
         ) -> dict[str, Any]:
    return build_doc(f"gwr{year}", text, quantities=qs, dates=ds, standoff=True,
                     source={"corpus": "gwr", "file": GWR_FILE, "year": year},
                     annotated_range=(0, end or _range_end(text)), reference_date=f"{year}-03-05",
                     layers=["quantities", "values", "roles", "indicators", "links", "dates"],
                     genre="government_work_report")


def gwr2024(text: str) -> dict[str, Any]:
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


def gwr2025(text: str) -> dict[str, Any]:
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
        q("10%", "rate", "增加值占国内生产总值比重"),
        q("67%", "actual", "常住人口城镇化率"),
        q("3400多万人次", "actual", "惠及学生"),
        q("1100多万人", "actual", "一次性生活补助惠及"),
        q("40%", "rate", "可再生能源发电量占总发电量的比重"),
        q("19件", "actual", "审议法律议案"),
        q("28部", "actual", "制定修订行政法规"),
        q("5%", "target", "国内生产总值", occ=2),
        q("5.5%", "target", "城镇调查失业率"),
        q("1200万人", "target", "城镇新增就业"),
        q("2%", "target", "居民消费价格涨幅"),
        q("1.4万亿斤", "target", "粮食产量", occ=2),
        q("3%", "target", "单位国内生产总值能耗", occ=2, value=-3.0),
    ]
    ds = [
        d("2024年", *y(2024), occ=1),
        d("9月26日", "2024-09-26", "2024-09-26", "day"),
        d("2025年", *y(2025), occ=1),
    ]
    return _doc(2025, text, qs, ds)


def y(v: int) -> tuple[str, str, str]:
    return (f"{v}-01-01", f"{v}-12-31", "year")


def gwr2019(text: str) -> dict[str, Any]:
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


def gwr2021(text: str) -> dict[str, Any]:
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


def gwr2022(text: str) -> dict[str, Any]:
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


def gwr2023(text: str) -> dict[str, Any]:
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


REPORTS: dict[int, Callable[[str], dict[str, Any]]] = {2019: gwr2019, 2021: gwr2021, 2022: gwr2022, 2023: gwr2023,
                                                   2024: gwr2024, 2025: gwr2025}
