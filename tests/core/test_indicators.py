"""Indicators where no clause rule names one (pipeline/core/indicators.py): golden cases."""
from __future__ import annotations

import pytest

import pipeline

CASES = [
    # the noun a count counts
    ("剩余8项中，15个农村幸福院建设已完成8个。", "15个", "农村幸福院建设"),
    # the clause's words before the number, without the verbs that lead to it
    ("全州有卫生院218个，疾病预防控制中心17个。", "17个", "疾病预防控制中心"),
    # a change takes what it qualifies; a footnote mark [2] is no part of a name
    ("2021年全县生产总值[2]61.9亿元，比上年增长9.8%。", "9.8%", "生产总值"),
    ("2021年全县生产总值[2]61.9亿元，比上年增长9.8%。", "61.9亿元", "生产总值"),
]


@pytest.mark.parametrize(("text", "written", "indicator"), CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_indicator_from_context(text: str, written: str, indicator: str) -> None:
    q = next(q for q in pipeline.extract(text)["quantities"] if q["text"] == written)
    assert q["indicator"] == indicator


def test_a_number_only_row_takes_its_column_header() -> None:
    """A disclosure form's row of numbers: each cell's indicator is its column."""
    text = "行政复议情况\n结果维持 | 结果纠正 | 其他结果 | 总计\n12 | 3 | 1 | 16\n单位：件\n"
    qs = pipeline.extract(text)["quantities"]
    # 总计 names no indicator by itself (a bare word): left empty
    assert [q["indicator"] for q in qs] == ["结果维持", "结果纠正", "其他结果", None]


def test_a_time_or_a_baseline_names_no_indicator() -> None:
    """较去年同期下降6.8个百分点: 去年同期 is the baseline; the change takes the indicator of
    the growth it is the change of."""
    r = pipeline.extract("全市规上工业增加值增长6.3%，较去年同期下降6.8个百分点。")
    q = {x["text"]: x for x in r["quantities"]}
    assert q["6.8个百分点"]["indicator"] == "规上工业增加值"
    assert q["6.8个百分点"]["change_of"] == q["6.3%"]["id"]


@pytest.mark.parametrize("text, expected", [
    ("牛肉、羊肉、猪肉产量分别下降1.7%、1.8%、10.8%。", ["牛肉产量", "羊肉产量", "猪肉产量"]),
    ("一、二、三产增加值分别同比增长8.8%、9.1%和7.6%。", ["一产增加值", "二产增加值", "三产增加值"]),
    ("工业应税销售、工业用电量同比分别增长11.7%和2.3%。", ["工业应税销售", "工业用电量"]),
    ("建陶、电瓷、工艺品分别增长8.4%、18.8%、31%。", ["建陶", "电瓷", "工艺品"]),
])
def test_a_respectively_list_gives_each_value_its_item(text: str, expected: list[str]) -> None:
    assert [q["indicator"] for q in pipeline.extract(text)["quantities"]] == expected


@pytest.mark.parametrize(("text", "indicator"), [
    ("增速居全省第4位。", "增速全省排名"),
    ("收入规模全省位次为第15位。", "收入规模全省位次"),
    ("综合考核计分总分排名在全省第4位至第7位之间。", "综合考核计分总分排名"),
])
def test_a_rank_alone_is_named_by_what_is_ranked(text: str, indicator: str) -> None:
    assert [q["indicator"] for q in pipeline.extract(text)["quantities"]] == [indicator]


def test_a_rank_opening_the_line_after_a_figure_does_not_rank_that_figure() -> None:
    qs = pipeline.extract("第一名：长葛市 91.06分\n第二名：建安区 90.5分\n")["quantities"]
    assert [(q["text"], q["indicator"]) for q in qs if q["role"] == "rank"] == [("第一名", None), ("第二名", None)]
