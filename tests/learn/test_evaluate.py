"""Scoring functions on tiny hand-made gold/pred dicts with exact expected figures."""
from __future__ import annotations

import math
from typing import Any

import pytest

from pipeline.learn import evaluate as ev

TEXT = "任务2.8万亩，完成1.2万亩，占42.9%。5月22日召开会议3次。"


def span(s: str, text: str = TEXT) -> tuple[int, int]:
    i = text.index(s)
    return i, i + len(s)


def qty(qid: str, s: str, value: float | None, unit: str, role: str, *, start: int | None = None,
        end: int | None = None, **kw: Any) -> dict[str, Any]:
    a, b = span(s)
    rec = {"id": qid, "task": None, "start": a if start is None else start,
           "end": b if end is None else end, "text": s, "value": value, "low": None,
           "high": None, "unit": unit, "qualifier": "=", "role": role, "indicator": None,
           "target": None, "of": None, "change_of": None, "date": None}
    rec.update(kw)
    return rec


def gold_doc() -> dict[str, Any]:
    a, b = span("5月22日")
    return {"doc_id": "g", "text": TEXT, "tasks": [],
            "quantities": [
                qty("Q1", "2.8万亩", 28000, "亩", "target", indicator="任务"),
                qty("Q2", "1.2万亩", 12000, "亩", "actual", target="Q1", indicator="完成"),
                qty("Q3", "42.9%", 42.9, "%", "rate", of="Q2"),
            ],
            "dates": [{"id": "D1", "task": None, "start": a, "end": b, "text": "5月22日",
                       "start_date": "2024-05-22", "end_date": "2024-05-22", "grain": "day"}]}


def pred_doc() -> dict[str, Any]:
    a, b = span("1.2万亩")
    s3, e3 = span("3次")
    a2, b2 = span("5月22日")
    return {"quantities": [
        qty("P1", "2.8万亩", 28000, "亩", "target", indicator="任务"),   # exact, right
        qty("P2", "1.2万", 12000, "亩", "target", start=a, end=b - 1,    # overlap only
            target="P1", indicator="完成1.2"),
        qty("P3", "3次", 3, "次", "actual", start=s3, end=e3),            # spurious
    ], "dates": [{"id": "E1", "start": a2, "end": b2, "start_date": "2024-05-22",
                  "end_date": "2024-05-23", "grain": "day"}], "tasks": []}


def test_prf_exact() -> None:
    assert ev.prf(1, 3, 3) == pytest.approx({"precision": 1 / 3, "recall": 1 / 3, "f1": 1 / 3})
    assert ev.prf(0, 0, 0)["f1"] == 1.0
    assert ev.prf(0, 2, 0) == {"precision": 0.0, "recall": 1.0, "f1": 0.0}
    assert ev.prf(2, 2, 4) == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3})


def test_missed_spurious_and_overlap() -> None:
    res = ev.evaluate_pairs([(gold_doc(), pred_doc())])
    o = res["overall"]
    # gold 3; pred 3: one exact, one overlapping-not-strict, one spurious; one gold missed
    assert o["quantity_strict_precision"] == pytest.approx(1 / 3)
    assert o["quantity_strict_recall"] == pytest.approx(1 / 3)
    assert o["quantity_strict_f1"] == pytest.approx(1 / 3)
    assert o["quantity_overlap_precision"] == pytest.approx(2 / 3)
    assert o["quantity_overlap_recall"] == pytest.approx(2 / 3)
    assert o["quantity_overlap_f1"] == pytest.approx(2 / 3)
    assert o["value_unit_accuracy"] == 1.0          # the one strict match is right
    assert o["value_unit_recall"] == pytest.approx(1 / 3)
    assert o["role_accuracy"] == 0.5                 # P2 says target, gold actual
    assert res["role_confusion"] == {"target": {"target": 1}, "actual": {"target": 1}}
    assert o["indicator_exact"] == 0.5
    assert o["indicator_overlap"] == 1.0             # 完成 inside 完成1.2
    kinds = sorted(x["kind"] for x in res["examples"])
    assert "quantity missed" in kinds and "quantity spurious" in kinds
    assert "quantity span" in kinds


def test_half_open_spans() -> None:
    g = gold_doc()
    p = {"quantities": [dict(g["quantities"][0], end=g["quantities"][0]["end"] + 1)],
         "dates": [], "tasks": []}
    g["quantities"] = g["quantities"][:1]
    c = ev.score_document(g, p)
    assert c["n"]["q_tp_strict"] == 0 and c["n"]["q_tp_overlap"] == 1
    # touching spans [0,3) and [3,5) do not overlap
    assert ev.overlap_len((0, 3), (3, 5)) == 0
    pairs, strict = ev.match_spans([(0, 3)], [(3, 5)])
    assert pairs == {} and strict == set()


def test_link_right_only_when_both_ends_match() -> None:
    o = ev.evaluate_pairs([(gold_doc(), pred_doc())])["overall"]
    assert o["link_target_precision"] == 1.0 and o["link_target_recall"] == 1.0
    assert o["link_of_recall"] == 0.0               # the rate was missed
    bad = pred_doc()
    bad["quantities"][1]["target"] = "P3"           # source matches, target end does not
    o2 = ev.evaluate_pairs([(gold_doc(), bad)])["overall"]
    assert o2["link_target_precision"] == 0.0 and o2["link_target_recall"] == 0.0
    # link_all: gold 2 (target, of), pred 1 (target, right) -> P 1, R 0.5
    assert o["link_all_precision"] == 1.0 and o["link_all_recall"] == 0.5


def test_values_and_qualifier() -> None:
    g = gold_doc()
    p = {"quantities": [dict(q, id="X" + q["id"]) for q in g["quantities"]],
         "dates": [], "tasks": []}
    p["quantities"][0]["value"] = 28000 * (1 + 1e-9)  # within 1e-6 relative
    p["quantities"][1]["unit"] = "万亩"
    p["quantities"][2]["qualifier"] = "~"
    o = ev.evaluate_pairs([(g, p)])["overall"]
    assert o["value_unit_accuracy"] == pytest.approx(2 / 3)
    assert o["qualifier_accuracy"] == pytest.approx(2 / 3)
    assert o["quantity_strict_f1"] == 1.0


def test_dates_detection_and_normalisation() -> None:
    o = ev.evaluate_pairs([(gold_doc(), pred_doc())])["overall"]
    assert o["date_strict_f1"] == 1.0
    assert o["date_normalisation_accuracy"] == 0.0


def test_task_assignment_maps_by_overlap() -> None:
    g = gold_doc()
    g["tasks"] = [{"id": "T1", "start": 0, "end": 10, "departments": ["甲"]},
                  {"id": "T2", "start": 10, "end": len(TEXT), "departments": ["乙"]}]
    g["quantities"][0]["task"] = "T1"
    g["quantities"][2]["task"] = "T2"
    p = {"quantities": [dict(g["quantities"][0], id="A", task="X9"),
                        dict(g["quantities"][2], id="C", task="X9")],
         "dates": [], "tasks": [{"id": "X9", "start": 0, "end": 9, "departments": ["甲"]}]}
    o = ev.evaluate_pairs([(g, p)])["overall"]
    assert o["task_assignment_accuracy"] == 0.5
    assert o["task_precision"] == 1.0 and o["task_recall"] == 0.5
    assert o["task_departments_accuracy"] == 1.0


def test_annotated_range_limits_scoring() -> None:
    g = gold_doc()
    g["annotated_range"] = [0, TEXT.index("，完成")]
    o = ev.evaluate_pairs([(g, pred_doc())])["overall"]
    assert o["quantity_strict_f1"] == 1.0            # only 2.8万亩 is inside
    assert "date_strict_f1" not in o


def test_layers_skip_unannotated() -> None:
    g = gold_doc()
    g["layers"] = ["quantities", "values"]
    res = ev.evaluate_pairs([(g, pred_doc())])
    assert res["overall"]["role_accuracy"] is None
    assert "date_strict_f1" not in res["overall"]


def test_html_report_and_context() -> None:
    res = ev.evaluate_pairs([(gold_doc(), pred_doc())])
    html = ev.html_report(res)
    assert "Role confusion" in html and "【42.9%】" in html
    assert ev.context("ab\ncd", 2, 3, 1) == "b【⏎】c"


def test_evaluate_corpus_smoke() -> None:
    res = ev.evaluate_corpus("test")
    assert res["documents"]
    for k, v in res["overall"].items():
        assert v is None or math.isfinite(v), k


def test_real_pages_are_read_with_their_page_title(tmp_path):
    """A standoff real page gets the title its source list records (``_title``, never
    written back into gold), and predict passes it on as an HTML reader would."""
    shared = ev.resolve_shared_root()
    if not (shared / "corpus" / "real").is_dir():
        pytest.skip("../shared is absent")
    doc = ev.load_gold(ev.GOLD_DIR / "real-notices-01.json")
    assert "瑞金市" in doc["_title"] and "title" not in doc
    assert ev.load_gold(ev.GOLD_DIR / "real-notices-01.json", titles=False).get("_title") is None
    assert ev.predict(doc, "pattern")["region"] == "瑞金市"
    assert "2019" in ev.standoff_title({"file": "gwr/government_work_reports.jsonl", "year": 2019}, shared)
