"""Whose figures a document gives (pipeline/core/regions.py): golden cases."""
from __future__ import annotations

import pytest

import pipeline
from pipeline.core.regions import detect_region

CASES = [
    # a place that starts with a numeral is still a place
    ("四川省2015年1至7月财政预算执行情况分析", None, "四川省"),
    ("六安市2023年国民经济和社会发展统计公报", None, "六安市"),
    # a verb run into a bare suffix is no place: 受市政府委托, 经省政府常务会议
    ("受市政府委托，现将2020年度市本级预算执行情况报告如下。", None, None),
    ("经省政府常务会议研究审定，印发工作方案。", None, None),
    # the place names that end the phrase before a year, not the words before them
    ("现已完成中江县2022年衔接资金实施项目绩效目标自评。", None, "中江县"),
    ("向大会书面报告杭州市余杭区2022年国民经济和社会发展计划执行情况", None, "杭州市余杭区"),
    # a title run into its paragraph on one long line: its start is read
    ("安化县上半年农林牧渔业总产值增长8%。" + "全县农业生产稳中有进，" * 20, None, "安化县"),
    # the title first
    ("3月份，全市一般公共预算收入当月完成73795万元。", "濮阳市3月份财政收支情况", "濮阳市"),
    # 我县/全县 and the county the text names most often
    ("今年以来，全县上下抓项目。旌德县完成投资5亿元，旌德县新开工12个，宣城市下达任务3个。",
     None, "旌德县"),
    # a text that never names itself
    ("3月份，全市一般公共预算收入当月完成73795万元，下降12.7%。", None, None),
    ("乡村振兴衔接资金绩效目标申报表 来源:岳阳县农业农村局", None, "岳阳县"),
]


@pytest.mark.parametrize(("text", "title", "region"), CASES, ids=[c[0][:12] for c in CASES])
def test_region(text: str, title: str | None, region: str | None) -> None:
    assert detect_region(text, title) == region


def test_region_is_written_simplified_whatever_the_script() -> None:
    """A region is a key of series: 全國 and 全国 are one region."""
    assert pipeline.extract("2024年，全國計劃新開工改造城鎮老舊小區5.4萬個。")["region"] == "全国"


@pytest.mark.parametrize(("title", "region"), [
    ("江苏统计年鉴2003 林业生产情况表", "江苏省"),        # a province by its short name
    ("香港特區政府2006/07財政年度首3個月財政狀況", "香港"),  # 特区 is the place itself
    ("香港特区2006年财政状况", "香港"),  # (and no place of its own after the name)
    ("浙江杭州市余杭区2023年国民经济和社会发展统计公报", "杭州市余杭区"),  # the place inside it
    ("我市前八月重点项目建设高歌猛进（汉中市政府信息公开）", "汉中市"),  # the page's government
    ("河南省各省辖市卫生建设项目进度排名表", "河南省"),  # 各省辖市 is no place
])
def test_region_from_a_title(title: str, region: str) -> None:
    assert detect_region("", title) == region
