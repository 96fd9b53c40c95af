"""Checks of the arithmetic a report states."""
from __future__ import annotations

import pipeline

PLAN = ("2024年度全区计划供应国有建设用地3600亩，其中工业用地1500亩、住宅用地900亩、基础设施用地1200亩。"
        "1—11月，实际供应国有建设用地3128亩，其中工业用地1683亩、住宅用地412亩、基础设施用地1133亩。")


def _checks(text, rule):
    result = pipeline.extract(text)
    return [(c["expected"], c["reported"], c["ok"]) for c in result["checks"] if c["rule"] == rule]


def test_parts_against_their_total():
    # the plan adds up; the results do not (1683 + 412 + 1133 = 3228 > 3128)
    assert _checks(PLAN, "parts_within_total") == [(3600, 3600, True), (3228, 3128, False)]


def test_parts_are_targets_of_their_plan_and_link_to_results():
    result = pipeline.extract(PLAN)
    by_text = {q["text"]: q for q in result["quantities"]}
    by_id = {q["id"]: q for q in result["quantities"]}
    assert [by_text[t]["role"] for t in ("1500亩", "900亩", "1200亩")] == ["target"] * 3
    assert by_id[by_text["412亩"]["target"]]["text"] == "900亩"
    assert by_id[by_text["412亩"]["of"]]["text"] == "3128亩"


def test_rate_against_ratio_at_printed_precision():
    text = "共摸排问题线索45536个，已完成整改38321个，整改率84.16%。"
    assert _checks(text, "rate_matches_ratio") == [(round(38321 / 45536 * 100, 6), 84.16, True)]
    wrong = text.replace("84.16%", "84.26%")
    assert _checks(wrong, "rate_matches_ratio")[0][2] is False


def test_implied_target():
    text = "全年目标任务是：盘活工业低效用地1万亩。完成单宗低效用地再开发面积4128亩，完成全年任务的41.3％。"
    (expected, reported, ok), = _checks(text, "implied_target")
    assert round(expected) == 9995 and reported == 10000 and ok is True


def test_progress_check_fails_outside_plausible_bounds() -> None:
    """An actual at four times its target is flagged (the check can fail)."""
    out = pipeline.extract("年度目标任务新建公厕10座。截至6月底，已新建公厕40座。")
    prog = [c for c in out["checks"] if c["rule"] == "progress"]
    assert len(prog) == 1 and prog[0]["ok"] is False
    assert prog[0]["expected"] == 400.0


def test_progress_check_ok_within_bounds() -> None:
    out = pipeline.extract("年度目标任务新建公厕10座。截至6月底，已新建公厕6座。")
    prog = [c for c in out["checks"] if c["rule"] == "progress"]
    assert [c["ok"] for c in prog] == [True]


def test_link_to_a_target_ten_times_smaller_is_dropped() -> None:
    """3611 against a target of 5: no target link, no progress check."""
    out = pipeline.extract("年度目标任务新建公厕5座。截至6月底，已新建公厕3611座。")
    actual = next(q for q in out["quantities"] if q["text"] == "3611座")
    assert actual["target"] is None
    assert not [c for c in out["checks"] if c["rule"] == "progress"]
