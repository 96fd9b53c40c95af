"""The test split must not score below corpus/baseline.json (tolerance 0.005)."""
from __future__ import annotations

import json

import pytest

from pipeline.learn import evaluate as ev

TOLERANCE = 0.005


def test_no_regression_below_baseline() -> None:
    if not ev.BASELINE_FILE.exists():
        pytest.skip("no corpus/baseline.json yet (python -m pipeline.learn.evaluate baseline)")
    base = json.loads(ev.BASELINE_FILE.read_text(encoding="utf-8"))
    result = ev.evaluate_corpus(base.get("split", "test"), base.get("extractor", "combined"))
    if result["skipped"]:
        pytest.skip(f"standoff gold skipped without ../shared: {result['skipped']}")
    now = ev.metrics_for_baseline(result)
    drops = {k: (v, now.get(k)) for k, v in base["metrics"].items()
             if now.get(k) is None or now[k] < v - TOLERANCE}
    assert not drops, f"metrics below baseline (baseline, now): {drops}"
