"""Targets of one report joined with the results of the next."""
from __future__ import annotations

import json

import pytest
from helpers import GWR

from pipeline.apps.cli import main
from pipeline.apps.crossdoc import join_targets, series_key
from pipeline.core.api import extract


def test_join_on_written_reports():
    plan = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；粮食产量1.3万亿斤以上。"
    review = "过去一年，国内生产总值增长5.2%。城镇新增就业1244万人。粮食产量1.39万亿斤。"
    rows = join_targets({2023: extract(plan), 2024: extract(review)})
    got = {r.indicator: (r.target, r.qualifier, r.actual, r.met) for r in rows}
    assert got["国内生产总值"] == ("5%", "~", "5.2%", None)
    assert got["城镇新增就业"] == ("1200万人", ">=", "1244万人", True)
    assert got["粮食产量"] == ("1.3万亿斤", ">=", "1.39万亿斤", True)


def test_series_key_drops_trailing_verbs():
    assert series_key("居民消费价格涨幅") == series_key("居民消费价格上涨") == "居民消费价格"


@pytest.mark.skipif(not GWR.exists(), reason="../shared/corpus/gwr is absent")
def test_gwr_target_table(tmp_path, capsys):
    out = tmp_path / "t.json"
    assert main(["targets", str(GWR), "--from", "2021", "--to", "2024", "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    jobs = {r["year"]: (r["target_value"], r["actual_value"]) for r in rows if r["indicator"] == "城镇新增就业"}
    assert jobs[2022] == (11_000_000, 12_060_000)
    assert jobs[2024] == (12_000_000, 12_560_000)
