"""Roles in a report's plan section (pipeline/core/roles.py, plan_spans): ANNOTATION.md
and issue 13, "plans are targets ... a report's plan section"."""
from __future__ import annotations

import pytest

import pipeline

REPORT = (
    "一、2023年工作回顾\n"
    "城镇新增就业1244万人。单位国内生产总值能耗降低0.5%。\n"
    "二、2024年重点工作\n"
    "常住人口城镇化率提高到68%，新建保障性住房170万套。"
    "单位国内生产总值能耗和二氧化碳排放分别降低2.5%、3.9%。已建成的5000个社区要加强管理。\n"
    "三、存在的问题\n"
    "部分地区财政收入下降，缺口约300亿元。\n"
)


def _roles() -> dict[str, tuple[str, float]]:
    result = pipeline.extract(REPORT, title="2024年政府工作报告")
    return {q["text"]: (q["role"], q["value"]) for q in result["quantities"]}


def test_a_plan_section_plans_what_has_no_cue_of_its_own() -> None:
    roles = _roles()
    assert roles["68%"][0] == roles["170万套"][0] == "target"
    # a planned decrease, and the list it opens, keep their sign
    assert roles["2.5%"] == ("target", -2.5) and roles["3.9%"] == ("target", -3.9)


def test_what_is_done_or_reviewed_stays_a_result() -> None:
    roles = _roles()
    assert roles["1244万人"][0] == "actual" and roles["0.5%"][0] == "change"  # the review
    assert roles["5000个"][0] == "actual"  # 已建成: done, even in the plan section
    assert roles["300亿元"][0] == "actual"  # a section of problems is no plan


def test_where_a_planned_change_starts_from_is_todays_level() -> None:
    text = ("二、2022年政府工作任务\n将科技型中小企业加计扣除比例从75%提高到100%。"
            "网上零售额占社会消费品零售总额的比重从15.8%提高到27.2%。\n")
    roles = {q["text"]: q["role"] for q in pipeline.extract(text, title="2022年政府工作报告")["quantities"]}
    assert roles == {"75%": "actual", "100%": "target", "15.8%": "rate", "27.2%": "target"}


def test_a_plan_section_plans_what_it_says_will_be_reached() -> None:
    """达到 and 年均增长 in a plan section are what the plan wants, not what was done; 同比
    or 已 there still report a result."""
    result = pipeline.extract("二、主要目标\n到2025年，全市地区生产总值达到1500亿元，年均增长6.5%左右。"
                              "一季度同比增长5.1%。\n", title="2023年国民经济和社会发展计划")
    roles = {q["text"]: q["role"] for q in result["quantities"]}
    assert (roles["1500亿元"], roles["6.5%"], roles["5.1%"]) == ("target", "target", "change")


def test_a_sentence_opening_on_a_year_ahead_plans() -> None:
    """到2030年，… ahead of the report's year plans; 到2023年底 in a 2023 report does not."""
    ahead = pipeline.extract("到2030年，森林覆盖率提高到45%，单位GDP能耗下降13.5%。", reference_date="2024-03-01")
    assert [(q["text"], q["role"], q["value"]) for q in ahead["quantities"]] == [
        ("45%", "target", 45.0), ("13.5%", "target", -13.5)]
    behind = pipeline.extract("2023年工作总结\n到2023年底，全市森林覆盖率达到45%。")
    assert [q["role"] for q in behind["quantities"]] == ["actual"]


def test_a_heading_that_joins_a_review_to_the_plans() -> None:
    """一、2023年工作回顾和2024年工作安排: the review runs to the paragraph that names 2024;
    from there the section plans."""
    text = ("一、2023年工作回顾和2024年工作安排\n全年地区生产总值增长5.2%，城镇化率达到68%。\n"
            "2024年，常住人口城镇化率提高到69%，新建保障性住房1700套。\n")
    roles = {q["text"]: q["role"] for q in pipeline.extract(text)["quantities"]}
    assert (roles["68%"], roles["69%"], roles["1700套"]) == ("actual", "target", "target")


def test_a_budget_draft_plans_its_amounts_and_changes() -> None:
    """二、2025年预算草案: its amounts and its 比上年 changes are planned; 预算为 names a
    budget anywhere."""
    text = ("一、2024年预算执行情况\n一般公共预算收入42.8亿元，增长3.1%。\n"
            "二、2025年预算草案\n一般公共预算收入45亿元，比上年执行数增长5%。\n")
    roles = {q["text"]: q["role"] for q in pipeline.extract(text)["quantities"]}
    assert [roles[t] for t in ("42.8亿元", "3.1%", "45亿元", "5%")] == ["actual", "change", "target", "target"]
    alone = pipeline.extract("2025年一般公共预算支出预算为120亿元。")["quantities"]
    assert alone[0]["role"] == "target"


def test_a_list_of_targets_runs_past_a_full_stop_to_the_paragraphs_end() -> None:
    text = ("今年经济社会发展主要预期目标是：地区生产总值增长7.5%左右。经济结构进一步优化，"
            "先进制造业增加值占制造业比重达到66%左右；地方一般公共预算收入可比增长7.5%。")
    assert [q["role"] for q in pipeline.extract(text, reference_date="2018-01-20")["quantities"]] == [
        "target", "target", "target"]


def test_a_list_of_targets_ends_where_a_result_is_reported() -> None:
    text = "全年目标是：完成造林5万亩。截至6月底已完成3万亩。"
    assert [q["role"] for q in pipeline.extract(text, reference_date="2018-07-20")["quantities"]] == [
        "target", "actual"]


def test_a_plan_already_allocated_is_still_a_plan() -> None:
    qs = pipeline.extract("已安排中央水利建设投资计划2225.5亿元，已完成投资1800亿元。",
                          reference_date="2017-07-20")["quantities"]
    assert [q["role"] for q in qs] == ["target", "actual"]


@pytest.mark.parametrize("text", ["“完成回迁安置857户以上”（市住建局）", "“全省每个县建成1个残疾人服务中心”一项"])
def test_a_figure_in_a_quoted_task_is_its_target(text: str) -> None:
    assert [q["role"] for q in pipeline.extract(text, reference_date="2023-07-20")["quantities"]] == ["target"]
