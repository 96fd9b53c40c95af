"""A change links to the quantity it describes (ANNOTATION.md, change_of)."""
from __future__ import annotations

import pipeline


def test_a_growth_rates_own_change_is_of_the_growth() -> None:
    result = pipeline.extract("全市地区生产总值增长5.8%，增速比一季度加快0.6个百分点。", reference_date="2024-07-01")
    by_id = {q["id"]: q["text"] for q in result["quantities"]}
    assert [(q["text"], q["role"], by_id.get(q.get("change_of") or "")) for q in result["quantities"]] == [
        ("5.8%", "change", None), ("0.6个百分点", "change", "5.8%")]
