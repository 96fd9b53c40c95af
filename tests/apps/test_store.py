"""The SQLite store: schema, round trip of contract dicts, idempotent rewrites."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.apps import store

TEXT = ("1\n强化用地保障，落实新增建设用地指标2.8\n万亩。\n\n"
        "截至6月底，全市处置完成批而未供土地1.98万亩，耕地保护省任务完成率82.5%；"
        "耕地保护目标任务全面完成。")


def make_doc(source: str = "reports/seed.txt", text: str = TEXT, *, ok: bool = True,
             actual_value: float = 19800, actual_text: str = "1.98万亩") -> dict[str, Any]:
    """A hand-built contract dict over TEXT: one task, a target, an actual, a rate."""
    def span(s: str) -> tuple[int, int]:
        i = text.index(s)
        return i, i + len(s)

    t0, t1 = span("2.8\n万亩")
    a0, a1 = span(actual_text)
    r0, r1 = span("82.5%")
    d0, d1 = span("6月底")
    return {
        "doc_id": Path(source).stem, "source": source, "format": "text", "encoding": "utf-8",
        "text": text,
        "period": {"start_date": "2024-04-01", "end_date": "2024-06-30"},
        "tasks": [{"id": "T1", "seq": "1", "start": 0, "end": len(text),
                   "title": "强化用地保障，落实新增建设用地指标2.8万亩。",
                   "departments": ["用途管制科", "土地处置办"],
                   "period": {"start_date": "2024-04-01", "end_date": "2024-06-30"},
                   "section": None}],
        "quantities": [
            {"id": "Q1", "task": "T1", "start": t0, "end": t1, "text": text[t0:t1],
             "value": 28000, "low": None, "high": None, "unit": "亩", "written_unit": "万亩",
             "unit_inferred": False, "kind": "area", "qualifier": "=", "role": "target",
             "indicator": "新增建设用地指标", "indicator_key": "新增建设用地指标",
             "target": None, "of": None, "change_of": None, "date": None,
             "confidence": 0.98, "extractor": "pattern"},
            {"id": "Q2", "task": "T1", "start": a0, "end": a1, "text": text[a0:a1],
             "value": actual_value, "low": None, "high": None, "unit": "亩",
             "written_unit": "万亩", "unit_inferred": False, "kind": "area", "qualifier": "=",
             "role": "actual", "indicator": "批而未供土地", "indicator_key": "批而未供土地处置",
             "target": "Q1", "of": None, "change_of": None, "date": "D1",
             "confidence": 0.9, "extractor": "pattern"},
            {"id": "Q3", "task": "T1", "start": r0, "end": r1, "text": text[r0:r1],
             "value": 82.5, "low": None, "high": None, "unit": "%", "written_unit": "%",
             "unit_inferred": False, "kind": "percent", "qualifier": "=", "role": "rate",
             "indicator": "省任务完成率", "indicator_key": "省任务完成率",
             "target": None, "of": "Q1", "change_of": None, "date": "D1",
             "confidence": 0.95, "extractor": "pattern"},
        ],
        "dates": [{"id": "D1", "task": "T1", "start": d0, "end": d1, "text": text[d0:d1],
                   "start_date": "2024-06-30", "end_date": "2024-06-30", "grain": "day"}],
        "checks": [{"rule": "rate_matches_ratio", "quantities": ["Q3", "Q2", "Q1"],
                    "expected": 70.71, "reported": 82.5, "ok": ok}],
        "errors": [],
    }


@pytest.fixture()
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = store.connect(tmp_path / "t.db")
    yield c
    c.close()


def count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_schema_pragmas(conn: sqlite3.Connection) -> None:
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    for t in ("documents", "tasks", "quantities", "dates", "links", "checks", "errors",
              "quantities_fts", "fts_pending", "quantities_grams", "grams_backfill",
              "quantities_indicator_key", "quantities_role", "quantities_unit",
              "dates_range"):
        assert t in names


def test_reopen_keeps_data_and_refuses_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    c = store.connect(db)
    store.write_document(c, make_doc(), "h1")
    c.close()
    c = store.connect(db)
    assert count(c, "quantities") == 3
    c.execute("PRAGMA user_version = 99")
    c.close()
    with pytest.raises(store.StoreError):
        store.connect(db)


def test_round_trip(conn: sqlite3.Connection) -> None:
    doc = make_doc()
    doc_row = store.write_document(conn, doc, "abc")
    assert doc_row is not None
    d = conn.execute("SELECT * FROM documents").fetchone()
    assert (d["source"], d["content_hash"], d["chars"], d["text"]) == ("reports/seed.txt", "abc", len(TEXT), TEXT)
    assert (d["period_start"], d["period_end"]) == ("2024-04-01", "2024-06-30")
    assert count(conn, "tasks") == 1 and count(conn, "dates") == 1 and count(conn, "checks") == 1
    rows = {r["qid"]: r for r in conn.execute("SELECT * FROM quantities")}
    links = {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT q.qid, l.type, COALESCE(tq.qid, d.did) FROM links l"
        " JOIN quantities q ON q.id = l.quantity_id LEFT JOIN quantities tq ON tq.id = l.to_quantity_id"
        " LEFT JOIN dates d ON d.id = l.to_date_id")}
    assert set(rows) == {"Q1", "Q2", "Q3"}
    for q in doc["quantities"]:
        r = rows[q["id"]]
        assert TEXT[r["span_start"]:r["span_end"]] == q["text"] == r["text"]
        assert (r["value"], r["unit"], r["written_unit"], r["role"], r["indicator"]) == (
            q["value"], q["unit"], q["written_unit"], q["role"], q["indicator"])
        assert (links.get((q["id"], "target")), links.get((q["id"], "of")),
                links.get((q["id"], "date"))) == (q["target"], q["of"], q["date"])
        s, e = r["sentence_start"], r["sentence_end"]
        assert TEXT[s:e] == r["sentence"]
        assert s <= r["span_start"] and r["span_end"] <= e
        assert r["task_title"] == doc["tasks"][0]["title"]
    assert rows["Q2"]["sentence"] == "截至6月底，全市处置完成批而未供土地1.98万亩，耕地保护省任务完成率82.5%；"
    links = {(r[0], r[1]) for r in conn.execute(
        "SELECT q.qid, l.type FROM links l JOIN quantities q ON q.id = l.quantity_id")}
    assert links == {("Q2", "target"), ("Q2", "date"), ("Q3", "of"), ("Q3", "date")}
    assert count(conn, "check_quantities") == 3
    assert store.document_hash(conn, "reports/seed.txt") == "abc"
    assert store.document_hash(conn, "other.txt") is None


def test_rerun_same_document_is_one_copy(conn: sqlite3.Connection) -> None:
    for _ in range(3):
        store.write_document(conn, make_doc(), "abc")
    assert count(conn, "documents") == 1
    assert count(conn, "quantities") == 3
    assert count(conn, "links") == 4
    assert count(conn, "check_quantities") == 3
    # the FTS index holds exactly the live rows
    assert len(store.search(conn, "批而未供", limit=None)) == 2  # Q2 and Q3 share the sentence
    assert fts_consistent(conn)


def fts_rows(conn: sqlite3.Connection, phrase: str) -> int:
    return conn.execute("SELECT COUNT(*) FROM quantities_fts WHERE quantities_fts MATCH ?",
                        (store.fts_phrase(phrase),)).fetchone()[0]


def fts_consistent(conn: sqlite3.Connection) -> bool:
    """FTS5's own check of the index against the quantities table (rank 1)."""
    try:
        conn.execute("INSERT INTO quantities_fts(quantities_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def gram_rows(conn: sqlite3.Connection, query: str) -> int:
    return conn.execute("SELECT COUNT(*) FROM quantities_grams WHERE quantities_grams MATCH ?",
                        (store.gram_match(query),)).fetchone()[0]


def downgrade_to_version_2(conn: sqlite3.Connection) -> None:
    """Make a store what schema 2 wrote: the same tables without the 1-2 character index."""
    conn.execute("DROP TABLE quantities_grams")
    conn.execute("DROP TABLE grams_backfill")
    conn.execute("PRAGMA user_version = 2")


def test_deferred_indexing_is_searchable_before_and_after(conn: sqlite3.Connection) -> None:
    store.write_document(conn, make_doc(), "v1", index=False)
    assert count(conn, "fts_pending") == 3 and fts_rows(conn, "批而未供") == 0
    assert not fts_consistent(conn)  # three rows wait for the index
    queued = {r["qid"] for r in store.search(conn, "批而未供", limit=None)}
    assert queued == {"Q2", "Q3"}
    # replacing a document whose rows were never indexed leaves no stray FTS entries
    store.write_document(conn, make_doc(), "v2", index=False)
    assert count(conn, "fts_pending") == 3
    assert store.index_pending(conn) == 3
    assert count(conn, "fts_pending") == 0 and fts_rows(conn, "批而未供") == 2
    assert {r["qid"] for r in store.search(conn, "批而未供", limit=None)} == queued
    assert fts_consistent(conn)
    # and replacing an indexed document removes its FTS rows
    store.write_document(conn, make_doc(), "v3")
    assert count(conn, "fts_pending") == 0 and fts_rows(conn, "批而未供") == 2
    assert fts_consistent(conn)
    assert store.index_pending(conn) == 0


def test_update_requeues_an_indexed_row(conn: sqlite3.Connection) -> None:
    store.write_document(conn, make_doc(), "v1")
    conn.execute("UPDATE quantities SET indicator = '永久基本农田' WHERE qid = 'Q1'")
    q1 = conn.execute("SELECT id FROM quantities WHERE qid = 'Q1'").fetchone()[0]
    # queued for the trigram index (id) and for new 1-2 character tokens (-id)
    assert {r[0] for r in conn.execute("SELECT quantity_id FROM fts_pending")} == {q1, -q1}
    assert fts_rows(conn, "永久基本农田") == 0 and gram_rows(conn, "农田") == 0
    assert [r["qid"] for r in store.search(conn, "永久基本农田")] == ["Q1"]
    assert [r["qid"] for r in store.search(conn, "农田")] == ["Q1"]
    assert store.index_pending(conn) == 1 and count(conn, "fts_pending") == 0
    assert fts_rows(conn, "永久基本农田") == 1 and fts_consistent(conn)
    assert gram_rows(conn, "农田") == 1 and [r["qid"] for r in store.search(conn, "农田")] == ["Q1"]


def test_version_1_store_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    c = store.connect(db)
    store.write_document(c, make_doc(), "v1")
    # turn it back into a version-1 store: FTS rows written by per-row triggers
    downgrade_to_version_2(c)
    c.execute("DROP TABLE fts_pending")
    for name in ("insert", "delete"):
        c.execute(f"DROP TRIGGER quantities_fts_{name}")
    c.execute("CREATE TRIGGER quantities_fts_insert AFTER INSERT ON quantities BEGIN"
              " INSERT INTO quantities_fts(rowid, sentence, indicator, task_title)"
              " VALUES (new.id, new.sentence, new.indicator, new.task_title); END")
    c.execute("CREATE TRIGGER quantities_fts_delete AFTER DELETE ON quantities BEGIN"
              " INSERT INTO quantities_fts(quantities_fts, rowid, sentence, indicator, task_title)"
              " VALUES ('delete', old.id, old.sentence, old.indicator, old.task_title); END")
    c.execute("PRAGMA user_version = 1")
    c.close()
    c = store.connect(db)
    assert c.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 6
    assert count(c, "fts_pending") == 0 and fts_rows(c, "批而未供") == 2
    assert store.gram_watermark(c) is None and gram_rows(c, "耕地") == 2
    store.write_document(c, make_doc(), "v2", index=False)  # deletes indexed v1 rows
    assert count(c, "fts_pending") == 3
    store.index_pending(c)
    assert fts_rows(c, "批而未供") == 2 and fts_consistent(c)
    c.close()


def test_changed_content_replaces_older_version(conn: sqlite3.Connection) -> None:
    store.write_document(conn, make_doc(), "v1")
    text2 = TEXT.replace("1.98万亩", "2.11万亩")
    doc2 = make_doc(text=text2, actual_value=21100, actual_text="2.11万亩")
    store.write_document(conn, doc2, "v2")
    assert count(conn, "documents") == 1
    assert store.document_hash(conn, "reports/seed.txt") == "v2"
    values = sorted(r[0] for r in conn.execute("SELECT value FROM quantities"))
    assert values == [82.5, 21100, 28000]
    assert store.search(conn, "1.98") == []
    assert len(store.search(conn, "2.11万亩")) >= 1


def test_unreadable_result_stores_error_and_keeps_old_version(conn: sqlite3.Connection) -> None:
    store.write_document(conn, make_doc(), "v1")
    bad = {"doc_id": "seed", "source": "reports/seed.txt", "text": "", "tasks": [],
           "quantities": [], "dates": [], "checks": [],
           "errors": [{"source": "reports/seed.txt", "code": "binary", "message": "not text"}]}
    assert store.write_document(conn, bad, "v2") is None
    assert count(conn, "documents") == 1 and count(conn, "quantities") == 3
    err = conn.execute("SELECT source, code, message, at FROM errors").fetchone()
    assert (err["source"], err["code"], err["message"]) == ("reports/seed.txt", "binary", "not text")
    assert err["at"]
    # a later good write clears the error of that source
    store.write_document(conn, make_doc(), "v3")
    assert count(conn, "errors") == 0


def test_failed_transaction_leaves_store_unchanged(conn: sqlite3.Connection) -> None:
    store.write_document(conn, make_doc(), "v1")
    broken = make_doc()
    broken["quantities"][1] = {**broken["quantities"][1], "id": None}  # NOT NULL violated
    with pytest.raises(sqlite3.IntegrityError):
        store.write_document(conn, broken, "v2")
    assert store.document_hash(conn, "reports/seed.txt") == "v1"
    assert count(conn, "quantities") == 3


def test_summary_and_series_and_export(conn: sqlite3.Connection, tmp_path: Path) -> None:
    store.write_document(conn, make_doc("a.txt", ok=False), "a")
    doc_b = make_doc("b.txt", actual_value=24000)
    doc_b["period"] = {"start_date": "2024-07-01", "end_date": "2024-09-30"}
    doc_b["dates"][0].update(start_date="2024-09-30", end_date="2024-09-30")
    store.write_document(conn, doc_b, "b")
    s = store.summary(conn)
    assert s["documents"] == 2 and s["tasks"] == 2 and s["quantities"] == 6
    assert s["quantities_by_role"] == {"target": 2, "actual": 2, "rate": 2}
    assert s["failed_checks"] == 1
    rows = store.series(conn, "批而未供土地处置")
    assert [r["value"] for r in rows] == [19800, 24000]
    assert [r["target_value"] for r in rows] == [28000, 28000]
    assert [r["date_end"] for r in rows] == ["2024-06-30", "2024-09-30"]
    import pandas as pd
    for fmt in ("parquet", "csv"):
        out = tmp_path / f"q.{fmt}"
        assert store.export(conn, out, fmt) == 6
        df = pd.read_parquet(out) if fmt == "parquet" else pd.read_csv(out)
        assert len(df) == 6
        for col in ("source", "id", "task", "value", "unit", "role", "indicator", "target",
                    "target_value", "task_title", "task_departments", "date_start", "sentence"):
            assert col in df.columns


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="耕地指标万亩12.5%。；！？\n \t，", max_size=80), st.data())
def test_sentence_bounds_properties(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = store.sentence_bounds(text, start, end)
    assert 0 <= s <= start <= end <= e <= len(text)
    inner_before = text[s:start]
    inner_after = text[end:max(end, e - 1)]
    for ch in store.SENTENCE_ENDS:
        assert ch not in inner_before
        assert ch not in inner_after
    # a blank line inside is one a PDF dump puts in mid-sentence, never a paragraph end
    for lo, hi in ((s, start), (end, e)):
        for m in store.PARAGRAPH_BREAK.finditer(text, lo, hi):
            if m.end() <= hi:
                assert not store.ends_paragraph(text, m.start())


# --------------------------------------------------------------------------- schema 3:
# the 1-2 character index, migrated in place

SHORT = ("耕地", "亩", "批", "1.98", "鲸鱼", "%", "万亩", "用地")


def results(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    return {q: [(r["source"], r["qid"]) for r in store.search(conn, q, limit=None)]
            for q in SHORT + ("批而未供", "新增建设用地")}


def version_2_store(path: Path, documents: int) -> dict[str, list[tuple[str, str]]]:
    """A store as schema 2 left it, and what searching it finds."""
    c = store.connect(path)
    for i in range(documents):
        store.write_document(c, make_doc(f"d{i:03d}.txt"), str(i), index=i % 7 != 0)
    store.index_pending(c)
    store.write_document(c, make_doc("queued.txt"), "q", index=False)  # a killed batch's queue
    expected = results(c)
    downgrade_to_version_2(c)
    c.close()
    return expected


def test_version_2_store_migrates_in_place(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    expected = version_2_store(db, 12)
    assert expected["耕地"] and expected["亩"] and not expected["鲸鱼"]
    ro = store.connect(db, readonly=True)  # schema 2 read by the new code: LIKE, as before
    assert store.gram_watermark(ro) == 0 and results(ro) == expected
    ro.close()
    c = store.connect(db)
    assert c.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert store.gram_watermark(c) is None and count(c, "grams_backfill") == 0
    assert gram_rows(c, "耕地") == 2 * 13  # Q2 and Q3 of every document, queued ones too
    assert count(c, "fts_pending") == 3  # the trigram queue is left to the next batch
    assert results(c) == expected
    store.index_pending(c)
    assert gram_rows(c, "耕地") == 2 * 13 and results(c) == expected
    c.close()


KILL_MIDWAY = """
import os, signal, sys
from pipeline.apps import store
store.BACKFILL_CHUNK = 6
add, calls = store.add_grams, [0]
def add_then_die(conn, rows):
    calls[0] += 1
    add(conn, rows)
    if calls[0] == 3:  # SIGKILL inside the third chunk's transaction
        os.kill(os.getpid(), signal.SIGKILL)
store.add_grams = add_then_die
store.connect(sys.argv[1])
"""


def test_killed_migration_leaves_store_usable_and_resumes(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    expected = version_2_store(db, 20)  # 63 quantities: 11 chunks of 6 ids
    proc = subprocess.run([sys.executable, "-c", KILL_MIDWAY, str(db)], timeout=120)
    assert proc.returncode == -signal.SIGKILL
    ro = store.connect(db, readonly=True)
    assert ro.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert ro.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    mark = store.gram_watermark(ro)
    assert mark is not None and 0 < mark < 63  # two chunks committed, the third lost
    assert results(ro) == expected
    ro.close()
    # a writer may come before the migration is resumed ...
    w = sqlite3.connect(db, isolation_level=None)  # not store.connect, which would resume
    w.row_factory = sqlite3.Row
    w.execute("PRAGMA foreign_keys = ON")
    store.write_document(w, make_doc("d003.txt", text=TEXT.replace("耕地", "林地")), "changed")
    store.write_document(w, make_doc("late.txt"), "late", index=False)
    store.index_pending(w)
    expected["耕地"] = [r for r in expected["耕地"] if r[0] != "d003.txt"] + [("late.txt", "Q2"), ("late.txt", "Q3")]
    mid = results(w)
    assert mid["耕地"] == sorted(expected["耕地"], key=lambda r: (r[0] == "late.txt", r))  # store order
    w.close()
    # ... and the next connect finishes it
    c = store.connect(db)
    assert store.gram_watermark(c) is None
    assert results(c) == mid
    assert gram_rows(c, "耕地") == len(mid["耕地"]) and gram_rows(c, "林地") == 2
    c.close()


def test_series_uses_periods_and_regions_and_skips_five_year_totals(conn: sqlite3.Connection) -> None:
    """Each point is one year's: a five-year total (过去五年) is no point of the series; a
    result stated in next year's report (过去一年) is last year's; the region is kept."""
    import pipeline
    plan = pipeline.extract("一、过去五年工作回顾\n五年来城镇新增就业5000万人。\n"
                            "二、2021年工作安排\n今年城镇新增就业1100万人以上。",
                            doc_id="r2021", title="2021年湖北省政府工作报告")
    review = pipeline.extract("过去一年，城镇新增就业1269万人。",
                              doc_id="r2022", title="2022年湖北省政府工作报告")
    for i, r in enumerate((plan, review)):
        r["source"] = f"report{i}.txt"
        store.write_document(conn, r, f"h{i}")
    rows = store.series(conn, "城镇新增就业")
    assert [(r["value"], r["date_start"][:4], r["date_end"][:4]) for r in rows] == [
        (11_000_000, "2021", "2021"), (12_690_000, "2021", "2021")]
    assert {r["region"] for r in rows} == {"湖北省"}
    assert conn.execute("SELECT COUNT(*) FROM quantities WHERE period_start IS NOT NULL").fetchone()[0] == 3


def test_series_puts_one_kind_in_one_unit(conn: sqlite3.Connection) -> None:
    """公顷 and 亩 in one series: the less common unit is converted, and says so."""
    import pipeline
    for i, text in enumerate(("2022年，全县完成造林3万亩。", "2023年，全县完成造林3.2万亩。",
                              "2024年，全县完成造林2500公顷。")):
        r = pipeline.extract(text, doc_id=f"d{i}")
        r["source"] = f"f{i}.txt"
        store.write_document(conn, r, f"h{i}")
    rows = store.series(conn, "完成造林")
    assert [(r["value"], r["unit"], r["converted_from"]) for r in rows] == [
        (30000, "亩", None), (32000, "亩", None), (37500, "亩", "公顷")]


def test_version_5_store_migrates_its_link_copies_away(tmp_path):
    """Up to version 5 quantities copied each link (target_qid, of_qid, change_of_qid,
    date_did); version 6 keeps links in the links table only, and reads them there."""
    db = tmp_path / "v5.db"
    c = store.connect(db)
    store.write_document(c, make_doc(), "v1")
    before = [dict(r) for r in c.execute(store.EXPORT_SQL)]
    for column in store.LINK_COPIES:
        c.execute(f"ALTER TABLE quantities ADD COLUMN {column} TEXT")
    c.execute("PRAGMA user_version = 5")
    c.close()
    c = store.connect(db)
    columns = {r[1] for r in c.execute("PRAGMA table_info(quantities)")}
    assert c.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 6
    assert not columns & set(store.LINK_COPIES)
    after = [dict(r) for r in c.execute(store.EXPORT_SQL)]
    assert after == before and any(r["target"] for r in after) and any(r["date"] for r in after)
