"""Tidy pandas DataFrames: one row per quantity, with its document, task, target and period.

    from pipeline.apps.frames import to_frame
    df = to_frame("indicators.db")                       # a store (path or connection)
    df = to_frame(pipeline.extract(text, doc_id="r1"))   # one or more extraction results

Both go through the store's export query (``pipeline.apps.store.EXPORT_SQL`` via
``export_frame``): results are written to an in-memory store first, so a frame made from
results has exactly the columns, types and order of ``zhibiao export`` on a store.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.apps import store

#: The columns that say which document, task, target and period a quantity belongs to.
CONTEXT_COLUMNS = ("source", "doc_id", "task", "task_title", "target", "target_value",
                   "target_unit", "period_start", "period_end")


def _content_hash(result: Mapping[str, Any]) -> str:
    return hashlib.sha256(str(result.get("text") or "").encode("utf-8")).hexdigest()


def _results(obj: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    items = [obj] if isinstance(obj, Mapping) else list(obj)
    out = []
    for i, r in enumerate(items):
        if not isinstance(r, Mapping) or "quantities" not in r:
            raise TypeError("to_frame() wants extraction results (dicts from pipeline.extract), "
                            "a store path or a sqlite3 connection; "
                            f"item {i} is {type(r).__name__}")
        d = dict(r)
        if not (d.get("source") or d.get("doc_id")):
            d["doc_id"] = f"doc{i + 1}"  # the store keys documents by source or doc_id
        out.append(d)
    keys = [str(d.get("source") or d.get("doc_id")) for d in out]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"two results have the source {dupes[0]!r}; give each a distinct doc_id "
                         "(pipeline.extract(text, doc_id=...))")
    return out


def results_frame(results: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Extraction results (one contract dict or several) as the export frame."""
    items = _results(results)
    conn = store.connect(":memory:")
    try:
        store.write_documents(conn, [(r, _content_hash(r)) for r in items], index=False)  # no search here
        return store.export_frame(conn)
    finally:
        conn.close()


def store_frame(db: str | Path | sqlite3.Connection) -> pd.DataFrame:
    """A store (its path, opened read-only, or an open connection) as the export frame."""
    if isinstance(db, sqlite3.Connection):
        return store.export_frame(db)
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(f"no store at {path}; build one with `zhibiao batch DOCS --db {path}`")
    conn = store.connect(path, readonly=True)
    try:
        return store.export_frame(conn)
    finally:
        conn.close()


def with_period(df: pd.DataFrame) -> pd.DataFrame:
    """Fill ``period_start``/``period_end`` where the store has none (a store written
    before schema 5): the date the quantity is stated at, else its task's period, else
    its document's.  The extractor's own period (pipeline/core/periods.py) comes first."""
    out = df.copy()
    for end in ("start", "end"):
        fallback = (out[f"date_{end}"].fillna(out[f"task_period_{end}"])
                    .fillna(out[f"doc_period_{end}"]))
        col = f"period_{end}"
        out[col] = out[col].fillna(fallback) if col in out else fallback
    return out


def to_frame(source: Any) -> pd.DataFrame:
    """One row per quantity from a store (path or connection) or extraction results.

    Columns: those of ``zhibiao export`` (document, task, quantity, links, target value,
    date, sentence) plus ``period_start``/``period_end`` (:func:`with_period`); see
    :data:`CONTEXT_COLUMNS` for the context of each quantity.
    """
    if isinstance(source, (str, Path, sqlite3.Connection)):
        return with_period(store_frame(source))
    return with_period(results_frame(source))
