"""Search over the store: FTS5 trigram for 3+ characters, LIKE for 1-2, filters, hostile input."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from pipeline import store
from test_store import TEXT, make_doc

HOSTILE = ['"', 'a OR b', "'; DROP TABLE quantities; --", "NEAR(", "*", "%", "_", "\\",
           '耕地" OR "1', "col:耕地", "^耕地", "耕地*", "NOT 耕地", ")", "' OR 1=1 --", "\x00"]


@pytest.fixture()
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = store.connect(tmp_path / "s.db")
    store.write_document(c, make_doc("a.txt", ok=False), "a")
    doc_b = make_doc("b.txt")
    doc_b["tasks"][0]["departments"] = ["耕地保护监督科"]
    doc_b["period"] = {"start_date": "2024-07-01", "end_date": "2024-09-30"}
    doc_b["tasks"][0]["period"] = doc_b["period"]
    doc_b["dates"][0].update(start_date="2024-09-30", end_date="2024-09-30")
    store.write_document(c, doc_b, "b")
    yield c
    c.close()


def test_three_char_query_uses_fts(conn: sqlite3.Connection) -> None:
    rows = store.search(conn, "批而未供")
    assert {(r["source"], r["qid"]) for r in rows} == {("a.txt", "Q2"), ("a.txt", "Q3"),
                                                      ("b.txt", "Q2"), ("b.txt", "Q3")}
    r = next(r for r in rows if r["qid"] == "Q2")
    assert r["mention"] == "1.98万亩" and r["value"] == 19800 and r["unit"] == "亩"
    assert r["sentence"][r["mention_start"]:r["mention_end"]] == "1.98万亩"
    assert r["target_value"] == 28000 and r["progress"] == pytest.approx(70.71)
    assert r["date_text"] == "6月底" and r["task_title"].startswith("强化用地保障")
    assert r["departments"]


def test_indicator_and_task_title_are_searched(conn: sqlite3.Connection) -> None:
    assert {r["qid"] for r in store.search(conn, "强化用地保障")} == {"Q1", "Q2", "Q3"}


def test_two_char_query_falls_back_to_like(conn: sqlite3.Connection) -> None:
    # trigram FTS cannot match 2 characters; the LIKE fallback does
    fts = conn.execute("SELECT COUNT(*) FROM quantities_fts WHERE quantities_fts MATCH ?",
                       (store.fts_phrase("耕地"),)).fetchone()[0]
    assert fts == 0
    rows = store.search(conn, "耕地")
    assert {r["qid"] for r in rows} == {"Q2", "Q3"}
    assert all("耕地" in (r["sentence"] + (r["indicator"] or "") + (r["task_title"] or ""))
               for r in rows)
    assert store.search(conn, "亩") and store.search(conn, "一二") == []


def test_filters(conn: sqlite3.Connection) -> None:
    assert {r["role"] for r in store.search(conn, "", role="actual", limit=None)} == {"actual"}
    assert {r["unit"] for r in store.search(conn, "", unit="%", limit=None)} == {"%"}
    assert {r["kind"] for r in store.search(conn, "", kind="area", limit=None)} == {"area"}
    dep = store.search(conn, "", department="耕地保护", limit=None)
    assert {r["source"] for r in dep} == {"b.txt"}
    q3 = store.search(conn, "", date_from="2024-07-01", limit=None)
    assert {r["source"] for r in q3} == {"b.txt"}
    q2 = store.search(conn, "", date_to="2024-06-30", limit=None)
    assert {r["source"] for r in q2} == {"a.txt"}
    failed = store.search(conn, "", failed_checks=True, limit=None)
    assert {(r["source"], r["qid"]) for r in failed} == {("a.txt", "Q1"), ("a.txt", "Q2"), ("a.txt", "Q3")}
    assert all(r["failed_check"] for r in failed)
    assert len(store.search(conn, "", limit=2)) == 2


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_text(conn: sqlite3.Connection, query: str) -> None:
    rows = store.search(conn, query, limit=None)
    for r in rows:
        hay = " ".join(x or "" for x in (r["sentence"], r["indicator"], r["task_title"]))
        assert query.strip().lower() in hay.lower()
    assert conn.execute("SELECT COUNT(*) FROM quantities").fetchone()[0] == 6
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_hostile_queries_match_when_text_contains_them(tmp_path: Path) -> None:
    c = store.connect(tmp_path / "h.db")
    text = "说明 a OR b 与 NEAR( 以及 \"引号\" 和 50%_完成，'; DROP TABLE quantities; -- 共12个。"
    doc = make_doc("h.txt", text=text + TEXT)
    i = text.index("12个")
    doc["quantities"].append({**doc["quantities"][0], "id": "Q4", "start": i, "end": i + 3,
                              "text": "12个", "value": 12, "unit": "个", "written_unit": "个",
                              "kind": "count", "role": "actual", "indicator": "说明"})
    store.write_document(c, doc, "h")
    for query in ['"', "a OR b", "'; DROP TABLE quantities; --", "NEAR(", "%", "_", '"引号"']:
        rows = store.search(c, query, limit=None)
        assert rows, query
        assert all(query in r["sentence"] for r in rows)
    assert store.search(c, "*", limit=None) == []
    assert store.search(c, "c OR d", limit=None) == []
    c.close()


def test_readonly_connection_searches_while_writer_holds_transaction(tmp_path: Path) -> None:
    db = tmp_path / "rw.db"
    writer = store.connect(db)
    store.write_document(writer, make_doc("a.txt"), "a")
    reader = store.connect(db, readonly=True)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM quantities")
    assert len(store.search(reader, "批而未供")) == 2  # snapshot before the uncommitted delete
    writer.execute("ROLLBACK")
    with pytest.raises(sqlite3.OperationalError):
        reader.execute("DELETE FROM quantities")
    reader.close()
    writer.close()


def test_search_latency_small_store(tmp_path: Path) -> None:
    c = store.connect(tmp_path / "lat.db")
    for i in range(200):
        store.write_document(c, make_doc(f"d{i:03d}.txt"), str(i))
    timings = []
    for query in ["批而未供", "耕地", "省任务完成率", "1.98万亩"]:
        t0 = time.perf_counter()
        store.search(c, query, limit=50)
        timings.append(time.perf_counter() - t0)
    assert max(timings) < 1.0
    c.close()
