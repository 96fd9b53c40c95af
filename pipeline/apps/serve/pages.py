"""The data behind the zhibiao pages in Datasette: plain sqlite3, no Datasette imports.

Each function takes a connection to the store and returns a dict for a template.  Report
strings stay as they are here; the templates escape them (Jinja autoescape).
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any
from urllib.parse import quote, urlencode

from pipeline.apps import docview
from pipeline.apps.display import fmt_number, normalised, one_line
from pipeline.apps.store import DOCUMENT_QUANTITIES_SQL, SEARCH_SELECT, progress, summary

PAGE_SIZE = 50
TITLE_CHARS = 80
BASE = "/-/zhibiao"
FONT_URL = BASE + "/font/cjk.otf"  # the bundled CJK font, for browsers without one
def rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts, whatever the connection's row factory."""
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def short(s: str | None, n: int = TITLE_CHARS) -> str:
    s = one_line(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def doc_url(doc_key: str, source: str | None = None, tid: str | None = None) -> str:
    """The document view (text with highlighted mentions), at a task's anchor if given."""
    url = f"{BASE}/doc/{quote(doc_key, safe='')}"
    url += "?" + urlencode({"source": source}) if source else ""
    return url + (f"#task-{quote(tid, safe='')}" if tid else "")


def task_url(doc_key: str, tid: str, source: str | None = None) -> str:
    """The task page; ``source`` picks one document when several share a doc_id."""
    url = f"{BASE}/task/{quote(doc_key, safe='')}/{quote(tid, safe='')}"
    return url + ("?" + urlencode({"source": source}) if source else "")


def doc_keys(conn: sqlite3.Connection, doc_rows: list[dict[str, Any]]) -> dict[int, tuple[str, str | None]]:
    """Per document row id: the key of its task URLs (doc_id, else the row id) and the
    source to add when its doc_id is shared with other documents."""
    ids = [d["doc_id"] for d in doc_rows if d["doc_id"]]
    shared: set[str] = set()
    if ids:
        marks = ",".join("?" * len(ids))
        shared = {r["doc_id"] for r in rows(
            conn, f"SELECT doc_id FROM documents WHERE doc_id IN ({marks})"
                  " GROUP BY doc_id HAVING COUNT(*) > 1", ids)}
    out: dict[int, tuple[str, str | None]] = {}
    for d in doc_rows:
        if not d["doc_id"]:
            out[d["id"]] = (str(d["id"]), None)
        else:
            out[d["id"]] = (d["doc_id"], d["source"] if d["doc_id"] in shared else None)
    return out


# --------------------------------------------------------------------------- index

def index_context(conn: sqlite3.Connection, offset: int = 0, limit: int = PAGE_SIZE) -> dict[str, Any]:
    """Store totals and one page of documents, each with its tasks and their links."""
    offset = max(0, offset)
    docs = rows(conn, "SELECT id, source, doc_id, period_start, period_end, chars,"
                      " (SELECT COUNT(*) FROM quantities q WHERE q.document_id = d.id) AS quantities,"
                      " (SELECT COUNT(*) FROM checks c WHERE c.document_id = d.id AND c.ok = 0)"
                      " AS failed_checks"
                      " FROM documents d ORDER BY source LIMIT ? OFFSET ?", (limit + 1, offset))
    more = len(docs) > limit
    docs = docs[:limit]
    keys = doc_keys(conn, docs)
    tasks_by_doc: dict[int, list[dict[str, Any]]] = {d["id"]: [] for d in docs}
    if docs:
        marks = ",".join("?" * len(docs))
        for t in rows(conn, f"""
                SELECT t.document_id, t.tid, t.seq, t.title, t.departments,
                       (SELECT COUNT(*) FROM quantities q WHERE q.task_id = t.id) AS quantities,
                       (SELECT COUNT(DISTINCT c.id) FROM checks c
                          JOIN check_quantities cq ON cq.check_id = c.id
                          JOIN quantities q ON q.id = cq.quantity_id
                         WHERE q.task_id = t.id AND c.ok = 0) AS failed_checks
                FROM tasks t WHERE t.document_id IN ({marks}) ORDER BY t.document_id, t.id""",
                      [d["id"] for d in docs]):
            key, source = keys[t["document_id"]]
            tasks_by_doc[t["document_id"]].append({
                "tid": t["tid"], "seq": t["seq"] or "", "title": short(t["title"]),
                "departments": "、".join(_departments(t["departments"])),
                "quantities": t["quantities"], "failed_checks": t["failed_checks"],
                "url": task_url(key, t["tid"], source)})
    documents = [{**d, "period": _period(d["period_start"], d["period_end"]),
                  "tasks": tasks_by_doc[d["id"]], "url": doc_url(*keys[d["id"]])} for d in docs]
    return {
        "totals": summary(conn),
        "documents": documents,
        "offset": offset,
        "prev_offset": max(0, offset - limit) if offset else None,
        "next_offset": offset + limit if more else None,
    }


# --------------------------------------------------------------------------- task page

def find_documents(conn: sqlite3.Connection, key: str, source: str | None = None) -> list[dict[str, Any]]:
    """The documents a task URL names: by doc_id (narrowed by ``source``), else by row id."""
    sql = "SELECT id, source, doc_id, period_start, period_end FROM documents"
    found = rows(conn, sql + " WHERE doc_id = ? ORDER BY source", (key,))
    if not found and key.isdigit():
        found = rows(conn, sql + " WHERE id = ?", (int(key),))
    if source is not None:
        found = [d for d in found if d["source"] == source]
    return found


def task_context(conn: sqlite3.Connection, document_id: int, tid: str) -> dict[str, Any] | None:
    """One task: its quantities, progress bars (actuals against linked targets in the same
    unit) and the checks over its quantities, flagged ones first.  None when not found."""
    docs = rows(conn, "SELECT id, source, doc_id, period_start, period_end FROM documents"
                      " WHERE id = ?", (document_id,))
    tasks = rows(conn, "SELECT id, tid, seq, title, departments, period_start, period_end,"
                       " span_start, span_end FROM tasks WHERE document_id = ? ORDER BY id",
                 (document_id,))
    task = next((t for t in tasks if t["tid"] == tid), None)
    if not docs or task is None:
        return None
    doc = docs[0]
    key, source = doc_keys(conn, [doc])[doc["id"]]
    i = tasks.index(task)
    neighbours = {
        "prev": task_url(key, tasks[i - 1]["tid"], source) if i > 0 else None,
        "next": task_url(key, tasks[i + 1]["tid"], source) if i + 1 < len(tasks) else None,
    }
    quantities = [_quantity(r) for r in rows(
        conn, SEARCH_SELECT + " WHERE q.task_id = ? ORDER BY q.span_start, q.id", (task["id"],))]
    bars = [_bar(q) for q in quantities if q["progress"] is not None]
    checks = [_check(c) for c in rows(conn, """
        SELECT c.id, c.rule, c.quantities, c.expected, c.reported, c.ok, c.message
        FROM checks c WHERE c.id IN (
            SELECT cq.check_id FROM check_quantities cq
            JOIN quantities q ON q.id = cq.quantity_id WHERE q.task_id = ?)
        ORDER BY c.ok, c.id""", (task["id"],))]
    return {
        "document": {**doc, "period": _period(doc["period_start"], doc["period_end"]),
                     "url": doc_url(key, source, task["tid"])},
        "task": {"tid": task["tid"], "seq": task["seq"] or "", "title": one_line(task["title"]),
                 "departments": _departments(task["departments"]),
                 "period": _period(task["period_start"], task["period_end"])},
        "quantities": quantities,
        "bars": bars,
        "checks": checks,
        "flagged": sum(1 for c in checks if not c["ok"]),
        **neighbours,
    }


def _quantity(r: dict[str, Any]) -> dict[str, Any]:
    sentence = r["sentence"] or ""
    ms = r["start"] - (r["sentence_start"] or 0)
    me = r["end"] - (r["sentence_start"] or 0)
    pct = progress(r["value"], r["unit"], r["target_value"], r["target_unit"])
    return {
        "qid": r["qid"], "indicator": r["indicator"] or "", "role": r["role"] or "",
        "written": one_line(r["mention"]), "normalised": normalised(r),
        "target": one_line(r["target_text"]) if r["target_qid"] else "",
        "target_normalised": (f"{fmt_number(r['target_value'])} {r['target_unit'] or ''}".strip()
                              if r["target_qid"] else ""),
        "progress": pct,
        "date": one_line(r["date_text"]),
        "before": one_line(sentence[:ms]), "mention": one_line(sentence[ms:me]),
        "after": one_line(sentence[me:]),
        "failed_check": bool(r["failed_check"]),
    }


def _bar(q: dict[str, Any]) -> dict[str, Any]:
    pct = float(q["progress"])
    return {"qid": q["qid"], "indicator": q["indicator"], "actual": q["written"],
            "target": q["target"], "pct": pct, "label": f"{pct:.1f}%",
            "width": f"{min(max(pct, 0.0), 100.0):.1f}", "over": pct > 100,
            "date": q["date"]}


def _check(c: dict[str, Any]) -> dict[str, Any]:
    return {"rule": c["rule"], "ok": bool(c["ok"]),
            "quantities": ", ".join(str(x) for x in json.loads(c["quantities"] or "[]")),
            "expected": fmt_number(c["expected"]), "reported": fmt_number(c["reported"]),
            "message": c["message"] or ""}


def _departments(raw: str | None) -> list[str]:
    return [str(x) for x in json.loads(raw)] if raw else []


def _period(start: str | None, end: str | None) -> str:
    if start and end and start != end:
        return f"{start} – {end}"
    return start or end or ""


# --------------------------------------------------------------------------- document view

def document_result(conn: sqlite3.Connection, document_id: int) -> dict[str, Any] | None:
    """One stored document as the contract's dict (text, period, tasks, quantities,
    dates), enough for :func:`pipeline.apps.docview.fragment`.  None when not found."""
    docs = rows(conn, "SELECT id, source, doc_id, period_start, period_end, text FROM documents"
                      " WHERE id = ?", (document_id,))
    if not docs:
        return None
    doc = docs[0]
    tasks = [{"id": t["tid"], "seq": t["seq"], "start": t["span_start"], "end": t["span_end"],
              "title": t["title"], "period": {"start_date": t["period_start"],
                                              "end_date": t["period_end"]}}
             for t in rows(conn, "SELECT tid, seq, span_start, span_end, title, period_start,"
                                 " period_end FROM tasks WHERE document_id = ? ORDER BY id",
                           (document_id,))]
    quantities = [{"id": q["qid"], "task": q["task_tid"], "start": q["span_start"],
                   "end": q["span_end"], "text": q["text"], "value": q["value"], "low": q["low"],
                   "high": q["high"], "unit": q["unit"], "unit_inferred": bool(q["unit_inferred"]),
                   "qualifier": q["qualifier"], "role": q["role"], "indicator": q["indicator"],
                   "target": q["target_qid"], "of": q["of_qid"], "change_of": q["change_of_qid"],
                   "date": q["date_did"]}
                  for q in rows(conn, DOCUMENT_QUANTITIES_SQL, (document_id,))]
    dates = [{"id": d["did"], "task": d["task_tid"], "start": d["span_start"], "end": d["span_end"],
              "text": d["text"], "start_date": d["start_date"], "end_date": d["end_date"],
              "grain": d["grain"]}
             for d in rows(conn, "SELECT * FROM dates WHERE document_id = ? ORDER BY span_start, id",
                           (document_id,))]
    return {"doc_id": doc["doc_id"], "source": doc["source"], "text": doc["text"],
            "period": {"start_date": doc["period_start"], "end_date": doc["period_end"]},
            "tasks": tasks, "quantities": quantities, "dates": dates}


def doc_context(conn: sqlite3.Connection, document_id: int) -> dict[str, Any] | None:
    """The document page: its header, the highlighted text (HTML, escaped by
    :mod:`pipeline.apps.docview`) and links to its task pages.  None when not found."""
    result = document_result(conn, document_id)
    if result is None:
        return None
    doc = rows(conn, "SELECT id, source, doc_id FROM documents WHERE id = ?", (document_id,))[0]
    key, source = doc_keys(conn, [doc])[doc["id"]]
    p = result["period"]
    return {
        "document": {**doc, "period": _period(p["start_date"], p["end_date"])},
        "tasks": [{"tid": t["id"], "title": short(t["title"], 40),
                   "url": task_url(key, t["id"], source)} for t in result["tasks"]],
        "counts": {"quantities": len(result["quantities"]), "dates": len(result["dates"])},
        "view": docview.fragment(result),
        "style": docview.font_face(FONT_URL if docview.cjk_font_path() else None) + docview.STYLE,
        "script": docview.SCRIPT,
    }
