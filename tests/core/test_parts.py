"""Parts linked `of` their whole (ANNOTATION.md: "Link a part to the whole it is of"),
where 其中 opens the part anywhere in its sentence or in brackets."""
from __future__ import annotations

import pipeline


def _of(text: str) -> dict[str, str | None]:
    result = pipeline.extract(text, reference_date="2024-07-01")
    by_id = {q["id"]: q["text"] for q in result["quantities"]}
    return {q["text"]: by_id.get(q.get("of") or "") for q in result["quantities"]}


def test_a_part_opened_by_qizhong_earlier_in_its_sentence() -> None:
    of = _of("1-6月全市重点项目完成投资351.2亿元。其中省重点项目38个，完成投资116.5亿元。")
    assert of["116.5亿元"] == "351.2亿元"


def test_a_part_in_brackets() -> None:
    of = _of("全市农机深松整地累计完成作业面积8.35万亩（其中：8月完成1.24万亩），占全年规划的41.8%。")
    assert of["1.24万亩"] == "8.35万亩"


def test_what_is_done_of_a_planned_set_is_no_part_of_it() -> None:
    """Ruling 14: 民生实事49项 is planned; 23项 done of them counts towards it."""
    of = _of("温州市计划实施民生实事49项，其中“新增公办幼儿学位”等23项已完成。")
    assert of["23项"] is None


def test_the_parts_of_a_list_run_on_over_its_semicolons() -> None:
    """其中，农业…；林业…；牧业…: every clause of the list is a part of the whole, and a
    share of the second status is of the whole, not of the status's own count."""
    of = _of("全年农林牧渔业总产值123456万元，增长3.5%。其中，农业总产值77295万元，增长4.1%；"
             "林业总产值4024万元，增长2.2%；牧业总产值30000万元，下降1.0%。")
    assert of["4024万元"] == of["30000万元"] == "123456万元"
    of = _of("全市112个重点项目中，已完成33个，占比29.5%；正常推进的51个，占比45.5%。")
    assert of["51个"] == of["45.5%"] == "112个"


def test_a_semicolon_does_not_make_a_larger_amount_a_part() -> None:
    of = _of("农林牧渔业总产值100000万元。其中，农业总产值77295万元；全市工业总产值980000万元。")
    assert (of["77295万元"], of["980000万元"]) == ("100000万元", None)


def test_a_new_subject_after_a_semicolon_is_no_part() -> None:
    """…其中速生丰产林48656亩、完成义务林41071亩；育苗生产完成5413亩: 育苗 is a new
    subject, not a part of 造林; what follows its own 其中 is its part."""
    of = _of("完成更新造林348699亩，其中速生丰产林完成48656亩、完成义务林41071亩；"
             "育苗生产完成5413亩，其中新播960亩。")
    assert (of["41071亩"], of["5413亩"], of["960亩"]) == ("348699亩", None, "5413亩")
