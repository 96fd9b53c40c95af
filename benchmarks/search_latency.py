"""Search latency on a large store, today's code (schema 2) beside the new (schema 3).

    python benchmarks/search_latency.py [--sizes 1000000,250000] [--dir /tmp] [--keep]
                                        [--repeats 30] [--candidates]

For each size, builds two stores of at least that many quantities, as a batch writes them
(group commits of 50 documents, FTS rows in bulk every 2,000 documents): one with today's
store module (``pipeline/store.py`` at commit f443042, before issue 16, read from git) and one with ``pipeline.apps.store``.  The documents are the bundled samples
and the team's corpus documents, extracted once and written again and again under new
source names (each copy a real extraction, so sentences, indicators and index rows look
like an archive's).  Then times each code's ``search`` on its own store, first 50 rows,
30 runs per query (300 when a query takes under 5 ms), and migrates a copy of today's
store in place.  Prints markdown tables and writes benchmarks/search_latency.json.

``--candidates`` also builds, on a copy of the smallest today's store, the three indexes
considered for 1-2 character queries and times the same short queries through each:

* ``grams`` (kept): FTS5, contentless, no positions; each character and each pair of
  adjacent characters is one token, so a 1-2 character query is one token;
* ``chars``: FTS5, contentless, positions kept; each character one token (CJK characters
  separated), a 2-character query is a phrase of two tokens;
* ``bigram table``: a plain table (token, quantity id) with its primary key as the index.

``--batch-ab RUNS`` measures what the new index costs a batch instead: ``run_batch`` with 2
workers over ``--batch-docs`` generated documents (``benchmarks/speed.py``'s), patterns
and models, alternating the two variants RUNS times, each run in a fresh process.  The
variants differ only in the 1-2 character index: "today" patches it out (workers do not
compute tokens, the writer does not write them), "new" is the code as it is.
"""
from __future__ import annotations

import argparse
import copy
import functools
import importlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipeline.apps import store  # noqa: E402

# Today's store (schema 2), as pipeline/apps/store.py was before issue 16, read from the
# project's history so the old way can be built and searched beside the new one
# (a clone without history cannot run the comparison).
BEFORE = "f443042"
BEFORE_PATH = "pipeline/store.py"  # moved to pipeline/apps/store.py by the architecture step


def _store_before() -> types.ModuleType:
    try:
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE}:{BEFORE_PATH}"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        sys.exit(f"search_latency: cannot read {BEFORE_PATH} at {BEFORE} from git ({err}); "
                 "run it in a clone with the project's history")
    module = types.ModuleType("store_schema2")
    module.__file__ = f"{BEFORE_PATH}@{BEFORE}"
    sys.modules["store_schema2"] = module
    exec(compile(src, module.__file__, "exec"), module.__dict__)  # noqa: S102 - our own file
    return module


today = _store_before()
from pipeline.core.api import process_path  # noqa: E402

QUERIES = [
    ("3+ characters, common", "批而未供", {}),
    ("3+ characters, common", "完成率", {}),
    ("3+ characters, rare", "地热采矿权", {}),
    ("3+ characters, absent", "量子纠缠", {}),
    ("3+ characters, mixed", "PM2.5", {}),
    ("3+ characters, Latin, absent", "GDP", {}),
    ("query and filters", "新增建设用地", {"role": "target"}),
    ("filters only", "", {"role": "actual", "unit": "亩"}),
    ("2 characters, common", "耕地", {}),
    ("2 characters, rare", "温泉", {}),
    ("2 characters, absent (a county)", "寿县", {}),
    ("2 characters, absent", "鲸鱼", {}),
    ("2 characters, absent, common characters", "率地", {}),
    ("2 characters, mixed, absent", "5G", {}),
    ("1 character, common", "亩", {}),
    ("1 character, rare", "沂", {}),
    ("1 character, absent", "鲸", {}),
    ("1 character, absent, rare in Unicode", "㐀", {}),
    ("1 character, ASCII punctuation", "%", {}),
]

SHORT = [(kind, q) for kind, q, f in QUERIES if 1 <= len(q) <= 2 and not f]


def templates() -> list[dict]:
    paths = sorted((ROOT / "samples").glob("*")) + sorted((ROOT / "corpus" / "docs").glob("*.txt"))
    results = [store.add_sentence_spans(process_path(p)) for p in paths]
    return [r for r in results if r["quantities"]]


def build(module: Any, db: Path, docs: list[dict], target_quantities: int) -> dict[str, Any]:
    """Write copies of ``docs`` with ``module`` (a store module) until the target is reached."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    conn = module.connect(db)
    total, i = 0, 0
    t0 = time.perf_counter()
    group: list[tuple[dict, str]] = []
    while total < target_quantities:
        doc = copy.copy(docs[i % len(docs)])
        doc["source"] = f"archive/{i:07d}/{Path(docs[i % len(docs)]['source']).name}"
        doc["doc_id"] = f"{doc.get('doc_id')}-{i}"
        group.append((doc, f"synthetic-{i}"))
        total += len(doc["quantities"])
        i += 1
        if len(group) == 50:  # as a batch writes: group commits, index rows in bulk
            module.write_documents(conn, group, index=False)
            group.clear()
        if i % 2000 == 0:
            module.index_pending(conn)
    module.write_documents(conn, group, index=False)
    module.index_pending(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    seconds = time.perf_counter() - t0
    return {"documents": i, "quantities": total, "build_s": round(seconds, 1),
            "store_mib": round(db.stat().st_size / 2**20, 1)}


def percentiles(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2)}


def timed(fn: Callable[[], Any], repeats: int) -> dict[str, Any]:
    """``repeats`` timed runs after a warm-up; ten times as many when a run takes under
    5 ms, so one pause of the shared machine's scheduler (~5 ms) is not the p95."""
    fn()  # warm-up: page cache
    out: list[float] = []

    def run(times: int) -> int:
        n = 0
        for _ in range(times):
            t0 = time.perf_counter()
            n = len(fn())
            out.append((time.perf_counter() - t0) * 1000)
        return n

    n = run(repeats)
    if statistics.median(out) < 5:
        n = run(repeats * 9)
    return {**percentiles(out), "rows": n, "runs": len(out)}


def measure(module: Any, db: Path, repeats: int) -> list[dict[str, Any]]:
    conn = module.connect(db, readonly=True)
    rows = []
    for kind, query, filters in QUERIES:
        r = timed(lambda query=query, filters=filters: module.search(conn, query, limit=50, **filters), repeats)
        rows.append({"kind": kind, "query": query, "filters": filters, **r})
    conn.close()
    return rows


def migrate(src: Path, dst: Path) -> dict[str, Any]:
    """Copy today's store and migrate the copy in place with the new code."""
    shutil.copyfile(src, dst)
    t0 = time.perf_counter()
    conn = store.connect(dst)
    seconds = time.perf_counter() - t0
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    return {"migrate_s": round(seconds, 1), "store_mib": round(dst.stat().st_size / 2**20, 1),
            "version": version}


# --------------------------------------------------------------------------- candidates

def _fold_chars(text: str | None) -> str:
    return " ".join((text or "").translate(store.GRAM_FOLD))


CANDIDATES: dict[str, dict[str, Any]] = {
    "grams": {
        "ddl": ["CREATE VIRTUAL TABLE c_grams USING fts5(grams, content='', detail=none,"
                " tokenize='ascii')"],
        "fill": lambda conn, rows: conn.executemany(
            "INSERT INTO c_grams(rowid, grams) VALUES (?, ?)",
            [(r[0], store.gram_tokens(r[1], r[2], r[3])) for r in rows]),
        "ids": "SELECT rowid AS rid FROM c_grams WHERE c_grams MATCH ? ORDER BY rowid",
        "arg": store.gram_match,
    },
    "chars": {
        "ddl": ["CREATE VIRTUAL TABLE c_chars USING fts5(sentence, indicator, task_title,"
                " content='', tokenize='ascii')"],
        "fill": lambda conn, rows: conn.executemany(
            "INSERT INTO c_chars(rowid, sentence, indicator, task_title) VALUES (?, ?, ?, ?)",
            [(r[0], _fold_chars(r[1]), _fold_chars(r[2]), _fold_chars(r[3])) for r in rows]),
        "ids": "SELECT rowid AS rid FROM c_chars WHERE c_chars MATCH ? ORDER BY rowid",
        "arg": lambda q: '"' + _fold_chars(q) + '"',
    },
    "bigram table": {
        "ddl": ["CREATE TABLE c_bigrams (token TEXT NOT NULL, quantity_id INTEGER NOT NULL,"
                " PRIMARY KEY (token, quantity_id)) WITHOUT ROWID"],
        "fill": lambda conn, rows: conn.executemany(
            "INSERT OR IGNORE INTO c_bigrams(token, quantity_id) VALUES (?, ?)",
            [(tok, r[0]) for r in rows for tok in store.gram_tokens(r[1], r[2], r[3]).split(" ")
             if tok]),
        "ids": "SELECT quantity_id AS rid FROM c_bigrams WHERE token = ? ORDER BY quantity_id",
        "arg": lambda q: q.translate(store.GRAM_FOLD),
    },
}


def _bytes(conn: sqlite3.Connection) -> int:
    """The store's size in use: pages × page size, free pages left out."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return (one("PRAGMA page_count") - one("PRAGMA freelist_count")) * one("PRAGMA page_size")


def candidate(name: str, src: Path, work: Path, repeats: int) -> dict[str, Any]:
    """Add one candidate index to a copy of ``src``; its build time, size and latencies."""
    spec = CANDIDATES[name]
    shutil.copyfile(src, work)
    conn = sqlite3.connect(work, isolation_level=None)
    before = _bytes(conn)
    t0 = time.perf_counter()
    for ddl in spec["ddl"]:
        conn.execute(ddl)
    top = conn.execute("SELECT MAX(id) FROM quantities").fetchone()[0]
    for lo in range(0, top + 1, 20_000):
        conn.execute("BEGIN")
        rows = conn.execute("SELECT id, sentence, indicator, task_title FROM quantities"
                            " WHERE id >= ? AND id < ?", (lo, lo + 20_000)).fetchall()
        spec["fill"](conn, rows)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - t0
    grown = (_bytes(conn) - before) / 2**20
    # the candidate's ids drive the join in id order, each confirmed by LIKE, first 50
    sql = ("SELECT q.id FROM (" + spec["ids"] + ") m CROSS JOIN quantities q ON q.id = m.rid"
           " WHERE " + store.SEARCH_LIKE + " LIMIT 50")
    queries = []
    for kind, q in SHORT:
        args = [spec["arg"](q)] + [store.like_pattern(q)] * 3
        r = timed(lambda args=args: conn.execute(sql, args).fetchall(), repeats)
        queries.append({"kind": kind, "query": q, **r})
    conn.close()
    work.unlink()
    return {"candidate": name, "build_s": round(seconds, 1), "grows_mib": round(grown, 1),
            "queries": queries}


# --------------------------------------------------------------------------- report

# --------------------------------------------------------------------------- batch A/B

def _old_spans(result: dict[str, Any]) -> dict[str, Any]:
    """``store.add_sentence_spans`` as before issue 16: spans only, no grams tokens."""
    text = result.get("text") or ""
    for q in result.get("quantities") or []:
        q["sentence_span"] = store.sentence_bounds(text, q["start"], q["end"])
    return result


def today_worker(job: Any, extractors: str) -> dict[str, Any]:
    """A batch worker of the "today" variant (importable, so the fork server finds it)."""
    store.add_sentence_spans = _old_spans
    return _batch().extract_job(job, extractors=extractors)


def new_worker(job: Any, extractors: str) -> dict[str, Any]:
    return _batch().extract_job(job, extractors=extractors)


def _batch() -> Any:
    from pipeline.apps import batch  # deferred: the batch engine is only needed for --batch-ab
    return batch


def _old_index_pending(conn: sqlite3.Connection) -> int:
    conn.execute("INSERT INTO quantities_fts(rowid, sentence, indicator, task_title)"
                 " SELECT q.id, q.sentence, q.indicator, q.task_title"
                 " FROM fts_pending p JOIN quantities q ON q.id = p.quantity_id")
    return conn.execute("DELETE FROM fts_pending").rowcount


def run_variant(variant: str, extractors: str, inputs: str, db: str) -> dict[str, Any]:
    """One batch in this process; "today" leaves quantities_grams empty."""
    if variant == "today":
        store.index_queued = _old_index_pending
        store.gram_watermark = lambda conn: 0  # the writer writes no tokens
    me = importlib.import_module("search_latency")  # by name, so workers can unpickle it
    worker = me.today_worker if variant == "today" else me.new_worker
    t0 = time.perf_counter()
    stats = _batch().run_batch([inputs], db, workers=2, timeout=None,
                               func=functools.partial(worker, extractors=extractors))
    seconds = time.perf_counter() - t0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    grams = conn.execute("SELECT COUNT(*) FROM quantities_grams_data").fetchone()[0]
    conn.close()
    return {"variant": variant, "extractors": extractors, "documents": stats.stored,
            "seconds": round(seconds, 2), "docs_per_s": round(stats.stored / seconds, 1),
            "store_mib": round(Path(db).stat().st_size / 2**20, 1), "grams_blocks": grams}


def batch_ab(runs: int, docs: int, work: Path) -> list[dict[str, Any]]:
    import speed  # noqa: PLC0415 (deferred: speed.py imports the benchmarks' heavy helpers)
    inputs = work / f"zhibiao_generated_{docs}"
    if not inputs.exists():
        speed.generated(inputs, docs)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)]))
    out = []
    for _ in range(runs):
        for extractors in ("pattern", "combined"):
            for variant in ("today", "new"):
                db = work / f"zhibiao_batch_{variant}.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                proc = subprocess.run([sys.executable, __file__, "--run-variant", variant, extractors,
                                       str(inputs), str(db)], capture_output=True, text=True,
                                      env=env, check=True)
                out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
                print(f"  {out[-1]}", flush=True)
    return out


def markdown(report: dict[str, Any]) -> str:
    out = []
    for size in report["sizes"]:
        t, n = size["today"], size["new"]
        out.append(f"\n#### {n['build']['quantities']:,} quantities\n")
        out.append("| | today (schema 2) | new (schema 3 and later) |")
        out.append("|---|---|---|")
        out.append(f"| build (as a batch writes) | {t['build']['build_s']} s | {n['build']['build_s']} s |")
        out.append(f"| store size | {t['build']['store_mib']} MiB | {n['build']['store_mib']} MiB |")
        m = size.get("migration")
        if m:
            out.append(f"| migrate today's store in place | | {m['migrate_s']} s, "
                       f"{m['store_mib']} MiB after |")
        out.append("\n| query | kind | rows | today p50 ms | today p95 ms | new p50 ms | new p95 ms |")
        out.append("|---|---|---|---|---|---|---|")
        for a, b in zip(t["queries"], n["queries"]):
            label = a["query"] or "(none)"
            if a["filters"]:
                label += ", " + ", ".join(f"{k}={v}" for k, v in a["filters"].items())
            same = "" if a["rows"] == b["rows"] else f" (new: {b['rows']})"
            out.append(f"| {label} | {a['kind']} | {a['rows']}{same} | {a['p50_ms']} | "
                       f"{a['p95_ms']} | {b['p50_ms']} | {b['p95_ms']} |")
    if len(report["sizes"]) >= 2:
        big, small = report["sizes"][0], report["sizes"][-1]
        nb, ns = (x["new"]["build"]["quantities"] for x in (big, small))
        out.append(f"\nAbsent terms, p95 at {nb:,} against {ns:,} quantities:\n")
        out.append("| query | kind | today | new |")
        out.append("|---|---|---|---|")
        for tb, ts, xb, xs in zip(big["today"]["queries"], small["today"]["queries"],
                                  big["new"]["queries"], small["new"]["queries"]):
            if tb["rows"] == 0:
                out.append(f"| {tb['query']} | {tb['kind']} | {tb['p95_ms']} / {ts['p95_ms']} ms = "
                           f"{tb['p95_ms'] / ts['p95_ms']:.1f}x | {xb['p95_ms']} / {xs['p95_ms']} ms"
                           f" = {xb['p95_ms'] / xs['p95_ms']:.1f}x |")
    if report.get("batch"):
        out.append("\n| extractors | variant | docs/s per run | median | store MiB |")
        out.append("|---|---|---|---|---|")
        for ex in ("pattern", "combined"):
            for variant in ("today", "new"):
                rs = [r for r in report["batch"] if r["extractors"] == ex and r["variant"] == variant]
                out.append(f"| {ex} | {variant} | {', '.join(str(r['docs_per_s']) for r in rs)} | "
                           f"{statistics.median(r['docs_per_s'] for r in rs)} | {rs[-1]['store_mib']} |")
    for c in report.get("candidates", []):
        out.append(f"\n{c['candidate']}: built in {c['build_s']} s, store grows "
                   f"{c['grows_mib']} MiB; " + "; ".join(
                       f"{q['query']} p50 {q['p50_ms']} / p95 {q['p95_ms']} ms"
                       for q in c["queries"]))
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000000,250000",
                    help="comma-separated quantity counts (default 1000000,250000)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp"), help="where the stores go")
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--keep", action="store_true", help="reuse stores that exist")
    ap.add_argument("--candidates", action="store_true",
                    help="also compare the candidate 1-2 character indexes")
    ap.add_argument("--batch-ab", type=int, default=0, metavar="RUNS",
                    help="only the batch A/B: today's writer against the new, RUNS times")
    ap.add_argument("--batch-docs", type=int, default=10_000)
    ap.add_argument("--run-variant", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "search_latency.json")
    args = ap.parse_args()
    if args.run_variant:
        print(json.dumps(run_variant(*args.run_variant)))
        return 0
    if args.batch_ab:
        report = json.loads(args.out.read_text()) if args.out.exists() else {"sizes": []}
        report["batch"] = batch_ab(args.batch_ab, args.batch_docs, args.dir)
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(markdown(report))
        return 0
    docs = templates()
    report: dict[str, Any] = {"repeats": args.repeats, "limit": 50, "sizes": []}
    if args.out.exists():  # keep the last batch A/B (a run of --batch-ab)
        report["batch"] = json.loads(args.out.read_text()).get("batch", [])
    sizes = [int(x) for x in args.sizes.split(",")]
    for n in sizes:
        entry: dict[str, Any] = {}
        for name, module in (("today", today), ("new", store)):
            db = args.dir / f"zhibiao_search_{name}_{n}.db"
            json_path = Path(str(db) + ".build.json")
            if args.keep and db.exists() and json_path.exists():
                info = json.loads(json_path.read_text())
            else:
                print(f"building {db} ({name}) ...", flush=True)
                info = build(module, db, docs, n)
                json_path.write_text(json.dumps(info))
            print(f"  {info}", flush=True)
            entry[name] = {"build": info, "queries": measure(module, db, args.repeats)}
        entry["migration"] = migrate(args.dir / f"zhibiao_search_today_{n}.db",
                                     args.dir / f"zhibiao_search_migrated_{n}.db")
        print(f"  migration: {entry['migration']}", flush=True)
        report["sizes"].append(entry)
    if args.candidates:
        src = args.dir / f"zhibiao_search_today_{min(sizes)}.db"
        report["candidates"] = [candidate(name, src, args.dir / "zhibiao_candidate.db", args.repeats)
                                for name in CANDIDATES]
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
