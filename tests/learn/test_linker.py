"""The link candidate scorer (pipeline/learn/linker.py): finite features, deterministic
training, and the pattern extractor's output never touched by it."""
from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.core import api, stages
from pipeline.learn import linker
from pipeline.learn.evaluate import GOLD_DIR, load_gold

TEXT = ("截至2024年6月底，全市计划供应建设用地3600亩，其中工业用地1500亩、住宅用地900亩，"
        "已完成供应2400亩，完成率66.7%。粮食总产量316.8万吨，比上年增长2.1%，"
        "其中小麦产量142.5万吨，占45.0%。全年目标为新增就业1.2万人，1-6月完成0.7万人。")


def _pred(text: str = TEXT, extractors: str = "combined"):
    return linker.rule_extraction({"text": text, "doc_id": "t"}, extractors)


def test_features_are_finite():
    pred = _pred()
    ctx = linker.Context(pred["view"], pred["quantities"], pred["dates"])
    rows = 0
    for lt in linker.LINK_TYPES:
        for q, cands in linker.candidate_pairs(ctx, lt):
            for cid in cands:
                f = linker.features(ctx, q, cid, lt)
                assert f and all(isinstance(v, float) and math.isfinite(v) for v in f.values())
                rows += 1
    assert rows > 0


def test_rule_choice_is_always_a_candidate():
    pred = _pred()
    ctx = linker.Context(pred["view"], pred["quantities"], pred["dates"])
    for lt in linker.LINK_TYPES:
        for q in pred["quantities"]:
            if getattr(q, lt):
                assert getattr(q, lt) in linker.candidates(ctx, q, lt)


def _small_set():
    docs = [load_gold(GOLD_DIR / f"{d}.json") for d in ("team01", "team03")]
    docs = [d for d in docs if d is not None]
    if not docs:
        pytest.skip("no team gold documents")
    return docs


def _coefs(models):
    return {lt: np.asarray(m[-1].coef_).copy() for lt, m in models.items()}


def test_training_is_deterministic():
    docs = _small_set()
    preds = [linker.rule_extraction(d) for d in docs]
    X1, y1, _ = linker.link_examples(docs, preds)
    X2, y2, _ = linker.link_examples(docs, [linker.rule_extraction(d) for d in docs])
    assert y1 == y2 and X1 == X2
    a, b = _coefs(linker.fit(X1, y1)), _coefs(linker.fit(X2, y2))
    assert a and a.keys() == b.keys()
    for lt in a:
        assert np.array_equal(a[lt], b[lt])


def test_train_links_writes_a_small_loadable_model(tmp_path):
    import joblib
    out = tmp_path / "links.joblib"
    info = linker.train_links(_small_set(), out)
    assert out.exists() and out.stat().st_size < 1_000_000
    model = joblib.load(out)
    assert set(model["thresholds"]) == set(linker.LINK_TYPES)
    assert sum(info["positives"].values()) > 0


class _Everything:
    """A stand-in scorer sure of every pair: with thresholds (1.1, -1) it drops every
    rule link and adds a link wherever a candidate exists."""

    def __init__(self, p: float):
        self.p = p

    def predict_proba(self, rows):
        return np.array([[1 - self.p, self.p] for _ in rows])


@pytest.fixture
def forced_scorer(monkeypatch):
    model = {"models": {lt: _Everything(0.5) for lt in linker.LINK_TYPES},
             "thresholds": {lt: (1.1, -1.0) for lt in linker.LINK_TYPES}}
    monkeypatch.setattr(linker, "load_link_model", lambda: model)
    linker.enable()
    yield model
    stages.use_link_rescorer(None)


def test_scorer_never_changes_pattern_output(forced_scorer):
    with_scorer = api.extract(TEXT, extractors="pattern")
    with linker.disabled():
        without = api.extract(TEXT, extractors="pattern")
    assert with_scorer == without


def test_scorer_is_wired_into_combined_and_traced(forced_scorer):
    with linker.disabled():
        rules = api.extract(TEXT, extractors="combined")
    scored = api.extract(TEXT, extractors="combined")
    changed = [q for q, r in zip(scored["quantities"], rules["quantities"])
               if any(q[lt] != r[lt] for lt in linker.LINK_TYPES)]
    assert changed
    assert all("links:" in (q["role_source"] or "") for q in changed)
    # everything but the links (and the note) stays as the rules left it
    for q, r in zip(scored["quantities"], rules["quantities"]):
        # a quantity's period follows its date link, so it moves with the links
        keep = {k for k in q if k not in linker.LINK_TYPES and k not in ("role_source", "period")}
        assert {k: q[k] for k in keep} == {k: r[k] for k in keep}


def test_switched_off_scorer_changes_nothing():
    assert stages.use_link_rescorer(None) is None  # nothing plugs the scorer in by default
    a = api.extract(TEXT, extractors="combined")
    with linker.disabled():
        b = api.extract(TEXT, extractors="combined")
    assert a == b
