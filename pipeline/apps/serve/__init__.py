"""``zhibiao serve``: the store in Datasette, read-only, on this machine.

Datasette runs with the store as an immutable database (``-i``), metadata from
:func:`datasette_metadata` (titles, column descriptions with units, full-text search
on ``quantities``, canned queries) and the plugin in ``pipeline/apps/serve/plugins/``
(``--plugins-dir``), whose ``register_routes`` hook adds::

    /-/zhibiao                          documents and their tasks, with links
    /-/zhibiao/task/<doc_id>/<task_id>  progress bars (actual against target) and checks

Datasette runs under this Python (``python -m datasette``), so the plugin can import
:mod:`pipeline`.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pipeline.apps import store
from pipeline.core.vocab import KINDS, ROLES

PLUGINS_DIR = Path(__file__).resolve().parent / "plugins"
DEFAULT_HOST = "127.0.0.1"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

_UNITS = ("base units: 亩, 公顷, 平方米, 平方公里, 公里, 米, 吨, 斤, 公斤, 元, 个, 宗, 家, 项, "
          "处, 件, 户, 人, 次, 座, 所, 条, %, 个百分点, 倍, 位 (rank)")


def datasette_metadata(database: str = "indicators") -> dict[str, Any]:
    """Titles, column descriptions, full-text search and canned queries for Datasette."""
    fts_search = store.search_sql("q", limit=200)
    short_search = store.search_sql("q", limit=200, like_always=True)
    quantity_columns = {
        "document_id": "the document (row of documents)",
        "qid": "the quantity's id within its document (Q1, Q2, …)",
        "task_id": "the task (row of tasks) the mention is in",
        "task_tid": "the task's id within its document (T1, T2, …)",
        "span_start": "offset of the mention in the document text (Python str index)",
        "span_end": "end of the mention (exclusive)",
        "text": "the mention exactly as written (line breaks kept)",
        "value": "the number scaled to unit (2.8万亩 → 28000 亩; 82.5% → 82.5); "
                 "a change's sign carries its direction",
        "low": "lower end of a range (3-5万亩 → 30000), value then empty",
        "high": "upper end of a range (3-5万亩 → 50000)",
        "unit": "base unit after taking off 万/亿/千; " + _UNITS,
        "written_unit": "the unit as written (万亩, 亿元, ％)",
        "unit_inferred": "1 when the text lost the unit and it was taken from a linked quantity",
        "kind": " | ".join(KINDS),
        "qualifier": "= exact, ~ about, >= at least, <= at most, > over, < under",
        "role": " | ".join(ROLES),
        "indicator": "short phrase from the text naming what is measured",
        "indicator_key": "normalised indicator, the key of zhibiao series",
        "confidence": "extractor confidence, 0–1",
        "extractor": "pattern, model or combined",
        "task_title": "the title of the task (copied for full-text search)",
        "sentence": "the sentence around the mention",
        "sentence_start": "offset of the sentence in the document text",
        "sentence_end": "end of the sentence (exclusive)",
    }
    tables: dict[str, Any] = {
        "quantities": {
            "title": "Quantities",
            "description": "Every number with a unit found in the reports, with its role, "
                           "links and sentence. Values are in the base unit (column unit); "
                           "the text as written is in column text.",
            "fts_table": "quantities_fts", "fts_pk": "id", "sort": "id",
            "columns": quantity_columns},
        "documents": {
            "title": "Documents", "label_column": "source",
            "description": "One row per source file or archive member.",
            "columns": {
                "source": "the file, or archive.zip!member",
                "doc_id": "the report's id (file stem unless given)",
                "content_hash": "sha256 of the input bytes (unchanged inputs are skipped)",
                "chars": "characters of extracted text",
                "period_start": "first day of the period the report covers (ISO date)",
                "period_end": "last day of the period (ISO date)",
                "text": "the text the reader produced; offsets index into it"}},
        "tasks": {
            "title": "Tasks", "label_column": "title",
            "description": "The rows of a report's task table.",
            "columns": {
                "tid": "the task's id within its document (T1, T2, …)",
                "seq": "序号 as written",
                "title": "the task as stated (its targets)",
                "departments": "JSON list of responsible departments",
                "span_start": "offset of the task's text in the document",
                "span_end": "end of the task's text (exclusive)"}},
        "dates": {
            "title": "Dates",
            "description": "Time expressions resolved to inclusive ISO start and end dates.",
            "columns": {"grain": "day | month | quarter | half | year",
                        "start_date": "first day (ISO)", "end_date": "last day (ISO)"}},
        "links": {
            "title": "Links",
            "description": "quantity → quantity (target, of, change_of) or quantity → date.",
            "columns": {"type": "target | of | change_of | date"}},
        "checks": {
            "title": "Arithmetic checks",
            "description": "Rates against the ratio of their quantities, totals against "
                           "parts, progress against target. ok = 0 flags an inconsistency "
                           "in the report or in the extraction.",
            "columns": {
                "rule": "the check (rate_matches_ratio, progress, implied_target, …)",
                "quantities": "JSON list of the qids the check uses",
                "expected": "the figure computed from the quantities (in % for rates)",
                "reported": "the figure the report states",
                "ok": "1 when the stated figure matches the computed one, 0 flagged"}},
        "check_quantities": {"title": "Quantities of each check"},
        "errors": {"title": "Inputs that could not be read",
                   "columns": {"code": "error code", "message": "what went wrong"}},
    }
    queries = {
        "search": {
            "title": "Search (full-text, any length)",
            "description": "Sentences, indicators and task titles containing the text, as "
                           "zhibiao search finds them: 1–2 characters (耕地, 亩, 5G) through "
                           "the character-pair index, 3 or more through the FTS5 trigram "
                           "index; the text is a phrase, never query syntax. First 200 in "
                           "store order.",
            "sql": fts_search},
        "short_search": {
            "title": "Search (any length, LIKE's matching)",
            "description": "The same search through the same indexes, every match confirmed "
                           "by LIKE (only ASCII letters match either case). First 200 in "
                           "store order.",
            "sql": short_search},
        "failed_checks": {
            "title": "Checks that do not add up",
            "sql": "SELECT doc.source, doc.doc_id, c.rule, c.expected, c.reported, c.quantities,"
                   " c.message FROM checks c JOIN documents doc ON doc.id = c.document_id"
                   " WHERE c.ok = 0 ORDER BY doc.source, c.id"},
        "progress": {
            "title": "Progress against target",
            "description": "Actuals linked to a target in the same unit; progress_pct = "
                           "actual / target × 100.",
            "sql": "SELECT doc.source, doc.doc_id, q.task_tid AS task, q.indicator,"
                   " q.text AS actual, tq.text AS target, q.unit,"
                   " round(q.value * 100.0 / tq.value, 1) AS progress_pct, q.sentence"
                   " FROM links l JOIN quantities q ON q.id = l.quantity_id"
                   " JOIN quantities tq ON tq.id = l.to_quantity_id"
                   " JOIN documents doc ON doc.id = q.document_id"
                   " WHERE l.type = 'target' AND tq.value != 0 AND q.unit = tq.unit"
                   " ORDER BY doc.source, q.id"},
    }
    return {
        "title": "zhibiao indicators",
        "description": "Quantities, dates, tasks and checks extracted from progress reports. "
                       "Task pages with progress bars: /-/zhibiao",
        "about": "zhibiao", "about_url": "/-/zhibiao",
        "databases": {database: {"tables": tables, "queries": queries}},
    }


def datasette_command(db: str | Path, host: str, port: int, metadata_path: str | Path) -> list[str]:
    """The Datasette command line (under this Python, so the plugin can import pipeline)."""
    return [sys.executable, "-m", "datasette", "serve", "-i", str(db), "--host", host,
            "--port", str(port), "--metadata", str(metadata_path),
            "--plugins-dir", str(PLUGINS_DIR), "--setting", "sql_time_limit_ms", "5000"]


def run(db: str, host: str | None, port: int, print_metadata: bool = False) -> int:
    """``zhibiao serve``: 0 when Datasette stopped cleanly, 1 when it cannot start."""
    if print_metadata:
        json.dump(datasette_metadata(Path(db).stem), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not Path(db).is_file():
        return _err(f"no store at {db}; run `zhibiao batch INPUT... --db {db}` first")
    problem = migrate_store(db)
    if problem:
        return _err(problem)
    try:
        import datasette  # noqa: F401
    except ImportError:
        return _err("datasette is not installed; pip install 'zhibiao[serve]'")
    if host is None:
        host = DEFAULT_HOST
    elif host not in LOOPBACK:
        print(f"zhibiao: serving on {host}: other machines can read the store "
              "(read-only, no login)", file=sys.stderr)
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="zhibiao-meta-",
                                     delete=False, encoding="utf-8") as fh:
        json.dump(datasette_metadata(Path(db).stem), fh, ensure_ascii=False)
    print(f"zhibiao: task pages at http://{_url_host(host)}:{port}/-/zhibiao", file=sys.stderr)
    proc = subprocess.Popen(datasette_command(db, host, port, fh.name))

    def stop(signum: int, frame: Any) -> None:
        proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return _wait(proc)
    finally:
        signal.signal(signal.SIGTERM, previous)
        os.unlink(fh.name)


def _wait(proc: subprocess.Popen[bytes]) -> int:
    """Wait for Datasette; Ctrl-C reaches it too (same process group), so wait it out."""
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        code = proc.wait()
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code


def migrate_store(db: str) -> str | None:
    """Bring an older store to the current schema (or finish a killed migration) before
    Datasette opens it immutable, since its canned queries need the current indexes;
    the problem as a sentence, or None."""
    try:
        conn = store.connect(db, readonly=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            unfinished = version > 0 and store.gram_watermark(conn) is not None
        finally:
            conn.close()
        if version == 0:
            return f"{db} is not a zhibiao store; run `zhibiao batch INPUT... --db {db}` first"
        if version < store.SCHEMA_VERSION or unfinished:  # older, or a killed migration
            print(f"zhibiao: migrating {db} to schema {store.SCHEMA_VERSION} ...", file=sys.stderr)
            store.connect(db).close()
    except (sqlite3.DatabaseError, store.StoreError) as exc:
        return f"cannot open {db} as a zhibiao store ({exc}); check the path"
    return None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _err(msg: str) -> int:
    print(f"zhibiao: {msg}", file=sys.stderr)
    return 1
