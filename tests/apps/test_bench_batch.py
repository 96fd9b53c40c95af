"""Smoke test of benchmarks/speed.py's batch measurement (the README's speed table comes
from ``python benchmarks/speed.py``; this only checks the harness and its invariants on
a small generated corpus, quickly)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import speed  # noqa: E402

from pipeline.apps import batch, store  # noqa: E402


def test_generated_corpus_is_varied_and_deterministic(tmp_path: Path) -> None:
    n, chars = speed.generated(tmp_path / "a", 30)
    speed.generated(tmp_path / "b", 30)
    a = sorted(p.read_text(encoding="utf-8") for p in (tmp_path / "a").rglob("*.txt"))
    b = sorted(p.read_text(encoding="utf-8") for p in (tmp_path / "b").rglob("*.txt"))
    assert n == 30 and a == b and len(set(a)) == 30
    assert chars == sum(map(len, a))


def test_batch_measurement_one_and_two_workers(tmp_path: Path) -> None:
    speed.generated(tmp_path / "in", 40)
    runs = {w: speed.batch_run(tmp_path / "in", w, "pattern") for w in (1, 2)}
    for w, r in runs.items():
        assert r["stored"] == 40 and r["failed"] == 0, r
        assert r["docs_per_s"] > 0 and r["chars_per_s"] > 0
        assert r["quantities"] > 40 and r["store_kib_per_1000_quantities"] > 0
        assert r["worker_maxrss_mib"] > 0 if w == 2 else True
    assert runs[1]["quantities"] == runs[2]["quantities"]
    md = speed.markdown({"batch": [{"corpus": "gen", **r} for r in runs.values()]})
    assert "| gen | pattern | 2 | 40 |" in md


def test_one_and_two_workers_store_the_same(tmp_path: Path) -> None:
    speed.generated(tmp_path / "in", 24)
    dbs = {}
    for w in (1, 2):
        dbs[w] = tmp_path / f"w{w}.db"
        batch.run_batch([tmp_path / "in"], dbs[w], workers=w,
                        func=speed_pattern_job())
    for table in ("documents", "quantities", "dates", "links", "checks"):
        rows = []
        for w in (1, 2):
            conn = store.connect(dbs[w], readonly=True)
            rows.append(store.fetch_table(conn, table, exclude=store.RUN_COLUMNS))
            conn.close()
        assert rows[0] == rows[1], table
    assert sqlite3.connect(dbs[2]).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def speed_pattern_job():  # noqa: ANN201
    import functools
    return functools.partial(batch.extract_job, extractors="pattern")
