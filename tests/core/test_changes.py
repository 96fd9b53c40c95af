"""A change links to the quantity it describes (ANNOTATION.md, change_of)."""
from __future__ import annotations

import pipeline


def test_a_growth_rates_own_change_is_of_the_growth() -> None:
    result = pipeline.extract("全市地区生产总值增长5.8%，增速比一季度加快0.6个百分点。", reference_date="2024-07-01")
    by_id = {q["id"]: q["text"] for q in result["quantities"]}
    assert [(q["text"], q["role"], by_id.get(q.get("change_of") or "")) for q in result["quantities"]] == [
        ("5.8%", "change", None), ("0.6个百分点", "change", "5.8%")]


def _links(text: str) -> list[tuple]:
    result = pipeline.extract(text, reference_date="2024-07-01")
    by_id = {q["id"]: q["text"] for q in result["quantities"]}
    return [(q["text"], q["role"], by_id.get(q.get("change_of") or q.get("of") or ""), q["indicator"])
            for q in result["quantities"] if q["kind"] in ("percent", "percent_point")]


def test_a_list_of_changes_pairs_with_the_list_of_amounts_before_it() -> None:
    assert _links("存款余额288.42亿元、贷款余额219.06亿元，同比增长10.5%、14.8%。") == [
        ("10.5%", "change", "288.42亿元", "存款余额"), ("14.8%", "change", "219.06亿元", "贷款余额")]


def test_respective_shares_pair_with_their_own_amounts() -> None:
    assert _links("育苗1105亩，义务植树212万株，分别占年计划的110%和106%。") == [
        ("110%", "rate", "1105亩", "育苗"), ("106%", "rate", "212万株", "义务植树")]


def test_points_pair_with_the_shares_they_change() -> None:
    links = _links("一二三产比重分别为13.2%、52.1%和34.7%，分别提高1.2、0.5和0.3个百分点。")
    assert [(t, of) for t, _, of, _ in links[3:]] == [("1.2", "13.2%"), ("0.5", "52.1%"), ("0.3个百分点", "34.7%")]


def test_a_single_change_after_a_list_is_not_paired() -> None:
    assert _links("存款余额288.42亿元、贷款余额219.06亿元，贷款同比增长14.8%。") == [
        ("14.8%", "change", "219.06亿元", "贷款")]


def test_a_gap_past_the_bracketed_figure_of_its_base() -> None:
    links = _links("累计增长7.5%，增速高于全国(3.9%)3.6个百分点。")
    assert (links[-1][0], links[-1][1], links[-1][2]) == ("3.6个百分点", "change", "7.5%")


def test_a_slower_pace_is_a_negative_gap() -> None:
    result = pipeline.extract("播种进度比去年同期慢了0.6个百分点。", reference_date="2024-07-01")
    assert [(q["value"], q["role"]) for q in result["quantities"]] == [(-0.6, "change")]


def test_a_completion_rate_alone_is_a_rate() -> None:
    result = pipeline.extract("省百大项目开工率达到100%，资金到位率达到70%。", reference_date="2024-07-01")
    assert [q["role"] for q in result["quantities"]] == ["rate", "rate"]


def test_a_rate_named_after_its_target_is_a_rate_of_the_stated_whole() -> None:
    result = pipeline.extract("绩效目标值是28次，实际完成值为40次，目标完成率为143%。", reference_date="2024-07-01")
    by_id = {q["id"]: q["text"] for q in result["quantities"]}
    assert [(q["text"], q["role"], by_id.get(q.get("of") or q.get("target") or "")) for q in result["quantities"]] == [
        ("28次", "target", None), ("40次", "actual", "28次"), ("143%", "rate", "28次")]


def test_the_share_of_the_work_done_is_a_rate() -> None:
    result = pipeline.extract("全国秋粮收获进展顺利，已完成59.8%。玉米收获进度达到62.9%。", reference_date="2024-10-20")
    assert [q["role"] for q in result["quantities"]] == ["rate", "rate"]


def test_a_share_sown_written_in_tenths_is_a_rate_and_an_expectations_index_a_level() -> None:
    roles = [q["role"] for q in pipeline.extract("全省中稻播栽近五成。生产经营活动预期指数为55.1%。",
                                                 reference_date="2024-06-20")["quantities"]]
    assert roles == ["rate", "actual"]


def test_a_task_handed_down_is_a_target_and_the_share_is_of_it() -> None:
    result = pipeline.extract("今年省下达我市造林任务46.8万亩，截至目前已完成52.38万亩，占年度总任务的112%。",
                              reference_date="2024-07-01")
    by_id = {q["id"]: q["text"] for q in result["quantities"]}
    assert [(q["text"], q["role"], by_id.get(q.get("target") or q.get("of") or "")) for q in result["quantities"]] == [
        ("46.8万亩", "target", None), ("52.38万亩", "actual", "46.8万亩"), ("112%", "rate", "46.8万亩")]


def test_the_task_a_share_is_of_is_a_target() -> None:
    result = pipeline.extract("全市完成造林52.38万亩，完成省下达任务46.8万亩的112%。", reference_date="2024-07-01")
    by_id = {q["id"]: q["text"] for q in result["quantities"]}
    assert [(q["text"], q["role"], by_id.get(q.get("target") or q.get("of") or "")) for q in result["quantities"]] == [
        ("52.38万亩", "actual", "46.8万亩"), ("46.8万亩", "target", None), ("112%", "rate", "46.8万亩")]
