"""Roles in a report's plan section (pipeline/core/roles.py, plan_spans): ANNOTATION.md
and issue 13, "plans are targets ... a report's plan section"."""
from __future__ import annotations

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
