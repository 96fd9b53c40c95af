"""benchmarks/anchors.py: peer output converted to the contract, and the zhibiao-only run.

No peer package is needed: the Recognizers-Text results below are hand-made objects with
the fields of ``recognizers_text.model.ModelResult`` (``end`` inclusive).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import ROOT, SHARED


def _load_anchors():
    spec = importlib.util.spec_from_file_location("anchors", ROOT / "benchmarks" / "anchors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


anchors = _load_anchors()

TEXT = "截至2024年6月底，用时2年，新增建设用地2.8\n万亩，完成率41.3％，投资85亿元，提高1.5个百分点。"


def _result(text: str, start: int, type_name: str, resolution: dict) -> SimpleNamespace:
    """A Recognizers-like result: ``end`` is the index of the LAST character."""
    return SimpleNamespace(text=text, start=start, end=start + len(text) - 1,
                           type_name=type_name, resolution=resolution)


def _recognizers_like() -> dict[str, list[SimpleNamespace]]:
    i_area = TEXT.index("2.8")
    i_pct = TEXT.index("41.3")
    i_money = TEXT.index("85亿元")
    i_pp = TEXT.index("1.5个")
    i_date = TEXT.index("2024年6月")
    return {
        "number": [_result("2024", i_date, "number", {"value": "2024"}),
                   _result("2.8\n万", i_area, "number", {"value": "28000"}),
                   _result("41.3", i_pct, "number", {"value": "41.3"}),
                   _result("99", 0, "number", {"value": "99"})],   # offsets not its text
        # Recognizers reports the folded text (％ -> %); the offsets are the original's.
        "percentage": [_result("41.3%", i_pct, "percentage", {"value": "41.3%"}),
                       _result("1.5个百分点", i_pp, "percentage", {"value": "1.5%"})],
        "dimension": [_result("2.8\n万亩", i_area, "dimension",
                              {"value": "28000", "unit": "Mu"})],
        "currency": [_result("85亿元", i_money, "currency",
                             {"value": "8500000000", "unit": "Chinese yuan",
                              "isoCurrency": "CNY"})],
        "datetime": [_result("2024年6月", i_date, "datetimeV2.daterange",
                             {"values": [{"timex": "2024-06", "type": "daterange",
                                          "start": "2024-06-01", "end": "2024-07-01"}]}),
                     _result("6月", i_date + 5, "datetimeV2.daterange",
                             {"values": [{"timex": "XXXX-06", "type": "daterange",
                                          "start": "2023-06-01", "end": "2023-07-01"},
                                         {"timex": "XXXX-06", "type": "daterange",
                                          "start": "2024-06-01", "end": "2024-07-01"}]}),
                     _result("2年", TEXT.index("2年"), "datetimeV2.duration",
                             {"values": [{"timex": "P2Y", "type": "duration"}]})],
    }


def test_inclusive_end_becomes_half_open() -> None:
    assert anchors.half_open(3, 3) == (3, 4)
    r = _result("2.8\n万亩", TEXT.index("2.8"), "dimension", {})
    start, end = anchors.half_open(r.start, r.end)
    assert TEXT[start:end] == "2.8\n万亩"


def test_recognizers_result_to_contract() -> None:
    doc, bad = anchors.recognizers_document(_recognizers_like(), TEXT, "t",
                                            dt.date(2024, 4, 1))
    # a result whose offsets do not cut its text is counted and dropped
    assert bad == 1
    by_text = {q["text"]: q for q in doc["quantities"]}
    # unit models win over bare numbers; the 2024 of the date is not a quantity
    assert set(by_text) == {"2.8\n万亩", "41.3％", "85亿元", "1.5个百分点"}
    area = by_text["2.8\n万亩"]
    assert (area["value"], area["unit"], area["kind"]) == (28000.0, "亩", "area")
    assert (by_text["41.3％"]["value"], by_text["41.3％"]["unit"]) == (41.3, "%")
    assert (by_text["85亿元"]["value"], by_text["85亿元"]["unit"]) == (8.5e9, "元")
    assert by_text["1.5个百分点"]["unit"] == "个百分点"
    for q in doc["quantities"]:
        assert TEXT[q["start"]:q["end"]] == q["text"]
        for key in ("id", "start", "end", "text", "value", "low", "high", "unit", "kind",
                    "qualifier", "role", "target", "of", "change_of", "date", "extractor"):
            assert key in q
        assert q["role"] is None and q["extractor"] == "recognizers"
    assert [q["id"] for q in doc["quantities"]] == ["Q1", "Q2", "Q3", "Q4"]
    # both date mentions kept (a nested one is the peer's own output); ranges inclusive;
    # the duration is not a date in the contract
    dates = [(d["text"], d["start_date"], d["end_date"], d["grain"]) for d in doc["dates"]]
    assert ("2024年6月", "2024-06-01", "2024-06-30", "month") in dates
    assert ("6月", "2024-06-01", "2024-06-30", "month") in dates   # the reference year's
    assert len(dates) == 2
    for d in doc["dates"]:
        assert TEXT[d["start"]:d["end"]] == d["text"]


def test_jionlp_result_to_contract() -> None:
    text = "2024年第2季度投资3-5万元，其中约200万美元，全年"
    times = [{"text": "2024年第2季度", "offset": [0, 9], "type": "time_span",
              "detail": {"time": ["2024-04-01 00:00:00", "2024-06-30 23:59:59"]}},
             {"text": "全年", "offset": [27, 29], "type": "time_delta", "detail": {}}]
    money = [{"text": "3-5万元", "offset": [11, 16], "type": "money",
              "detail": {"num": ["30000.00", "50000.00"], "case": "元"}},
             {"text": "约200万美元", "offset": [19, 26], "type": "money",
              "detail": {"num": "2000000.00", "case": "美元"}}]
    doc, bad = anchors.jionlp_document(times, money, text, "j")
    assert bad == 0
    assert [(d["start_date"], d["end_date"], d["grain"]) for d in doc["dates"]] == [
        ("2024-04-01", "2024-06-30", "quarter")]
    rng, usd = doc["quantities"]
    assert (rng["value"], rng["low"], rng["high"], rng["unit"]) == (None, 30000.0, 50000.0, "元")
    assert (usd["value"], usd["unit"], usd["text"]) == (2e6, "美元", "约200万美元")


def test_grain_of() -> None:
    g = anchors.grain_of
    assert g("2024-05-22", "2024-05-22") == "day"
    assert g("2024-06-01", "2024-06-30") == "month"
    assert g("2024-01-01", "2024-05-31") == "month"
    assert g("2024-04-01", "2024-06-30") == "quarter"
    assert g("2024-07-01", "2024-12-31") == "half"
    assert g("2024-01-01", "2024-12-31") == "year"
    assert g("2024-06-25", "2024-06-30") == "day"
    assert g("2023-01-01", "2023-09-30", "前三季度") == "quarter"
    assert g("2023-01-01", "2023-09-30", "1-9月") == "month"
    assert g(None, "2024-06-30") is None


@pytest.mark.skipif(not (SHARED / "corpus" / "seed").exists(),
                    reason="../shared (the seed's text) is absent")
def test_zhibiao_only_run_on_seed(tmp_path: Path) -> None:
    out = tmp_path / "anchors.json"
    assert anchors.main(["--systems", "zhibiao-pattern", "--docs", "seed", "--repeats", "1",
                         "--out", str(out), "--markdown"]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    entry = result["systems"]["zhibiao-pattern"]
    assert result["documents"] == ["seed"]
    assert entry["offset_mismatches"] == 0 and not entry["errors"]
    assert entry["chars_per_second"] > 0
    overall = entry["seed"]["overall"]
    for key in ("quantity_strict_f1", "value_unit_accuracy", "date_strict_f1",
                "date_normalisation_accuracy"):
        assert 0.0 <= overall[key] <= 1.0
    assert overall["quantity_strict_f1"] > 0.8
    table = anchors.markdown(result)
    assert "| zhibiao-pattern |" in table and "chars/s" in table


@pytest.mark.skipif(not (SHARED / "corpus" / "seed").exists(),
                    reason="../shared (the seed's text) is absent")
def test_missing_peer_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(anchors, "load_jionlp", lambda: None)   # as if not installed
    out = tmp_path / "anchors.json"
    assert anchors.main(["--systems", "zhibiao-pattern,jionlp", "--docs", "seed",
                         "--repeats", "1", "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["not_installed"] == {"jionlp": "pip install jionlp"}
    assert list(result["systems"]) == ["zhibiao-pattern"]
    assert "pip install jionlp" in capsys.readouterr().err
