"""Tidy DataFrames from extraction results or a store (pipeline/apps/frames.py)."""
from __future__ import annotations

import inspect
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT

import pipeline
from pipeline.apps import frames, store

SEED = (ROOT / "samples" / "seed_2024q2.txt").read_text(encoding="utf-8")
FISCAL = (ROOT / "samples" / "fiscal_2024_1-5.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return [pipeline.extract(SEED, doc_id="seed", extractors="pattern"),
            pipeline.extract(FISCAL, doc_id="fiscal", extractors="pattern")]


def test_one_row_per_quantity_with_its_context(results: list[dict]) -> None:
    df = frames.to_frame(results)
    assert len(df) == sum(len(r["quantities"]) for r in results)
    assert set(frames.CONTEXT_COLUMNS) <= set(df.columns)
    seed = df[df["doc_id"] == "seed"].set_index("id")
    q4 = seed.loc["Q4"]  # 1.23万亩, the actual of the target 2.8万亩
    assert (q4["text"], q4["value"], q4["unit"], q4["role"]) == ("1.23万亩", 12300.0, "亩", "actual")
    assert (q4["task"], q4["target"], q4["target_value"]) == ("T1", "Q1", 28000.0)
    assert q4["task_title"].startswith("强化用地保障")
    assert (q4["period_start"], q4["period_end"]) == ("2024-04-01", "2024-06-30")  # the task's period
    q5 = seed.loc["Q5"]  # 1.98万亩, stated at 6月底
    assert (q5["date_text"], q5["period_start"], q5["period_end"]) == ("6月\n底", "2024-06-30", "2024-06-30")
    assert df["unit_inferred"].dtype == bool


def test_results_and_store_give_the_same_frame(results: list[dict], tmp_path: Path) -> None:
    db = tmp_path / "indicators.db"
    conn = store.connect(db)
    for r in results:
        store.write_document(conn, r, "hash-" + r["doc_id"])
    conn.close()
    from_results = frames.to_frame(results).drop(columns=["extracted_at", "content_hash"])
    from_path = frames.to_frame(db).drop(columns=["extracted_at", "content_hash"])
    pd.testing.assert_frame_equal(from_results, from_path)
    with sqlite3.connect(db) as open_conn:
        from_conn = frames.to_frame(open_conn).drop(columns=["extracted_at", "content_hash"])
    pd.testing.assert_frame_equal(from_conn, from_path)


def test_columns_are_the_stores_export(results: list[dict], tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "s.db")
    store.write_document(conn, results[0], "h")
    exported = store.export_frame(conn)
    conn.close()
    df = frames.to_frame(results[0])
    assert list(df.columns) == list(exported.columns)  # the export carries the periods
    # the query is the store's: frames.py holds no SQL of its own
    assert "SELECT" not in inspect.getsource(frames)


def test_a_single_result_and_no_results() -> None:
    r = pipeline.extract("全年新建高标准农田3.5万亩。", extractors="pattern")
    df = frames.to_frame(r)
    assert list(df["value"]) == [35000.0] and list(df["doc_id"]) == ["doc1"]
    assert frames.to_frame([]).empty


def test_bad_input_says_what_to_pass(tmp_path: Path) -> None:
    r = pipeline.extract("新建3.5万亩。", doc_id="same", extractors="pattern")
    with pytest.raises(ValueError, match="distinct doc_id"):
        frames.to_frame([r, r])
    with pytest.raises(TypeError, match="extraction results"):
        frames.to_frame([{"text": "no quantities key"}])
    with pytest.raises(FileNotFoundError, match="zhibiao batch"):
        frames.to_frame(tmp_path / "missing.db")
