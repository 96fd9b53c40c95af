"""Search latency on a large store: p50 and p95 per kind of query.

    python benchmarks/search_latency.py [--quantities 1000000] [--db /tmp/big.db] [--keep]

Builds a store of at least ``--quantities`` quantities: the bundled samples and the
team's corpus documents are extracted once, and their results are written again and
again under new source names (each copy a real extraction, so sentences, indicators and
FTS rows look like an archive's), then times ``pipeline.store.search`` for queries of
3+ characters (FTS5 trigram), 1–2 characters (LIKE fallback), filters only, and a term
absent from the store.  Prints a markdown table and writes benchmarks/search_latency.json.
"""
from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import store  # noqa: E402
from pipeline.api import process_path  # noqa: E402

QUERIES = [
    ("3+ characters, common", "批而未供", {}),
    ("3+ characters, common", "完成率", {}),
    ("3+ characters, rare", "地热采矿权", {}),
    ("1–2 characters", "耕地", {}),
    ("1–2 characters", "亩", {}),
    ("filters only", "", {"role": "actual", "unit": "亩"}),
    ("query and filters", "新增建设用地", {"role": "target"}),
    ("absent term", "量子纠缠", {}),
    ("1–2 characters, absent", "鲸鱼", {}),
]


def templates() -> list[dict]:
    paths = sorted((ROOT / "samples").glob("*")) + sorted((ROOT / "corpus" / "docs").glob("*.txt"))
    results = [process_path(p) for p in paths]
    return [r for r in results if r["quantities"]]


def build(db: Path, target_quantities: int) -> int:
    docs = templates()
    conn = store.connect(db)
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
        if len(group) == 50:  # as a batch writes: group commits, FTS rows in bulk
            store.write_documents(conn, group, index=False)
            group.clear()
        if i % 2000 == 0:
            store.index_pending(conn)
            print(f"  {i} documents, {total:,} quantities, {time.perf_counter() - t0:.0f} s", flush=True)
    store.write_documents(conn, group, index=False)
    store.index_pending(conn)
    conn.close()
    return total


def timed(conn, query: str, filters: dict, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        store.search(conn, query, limit=50, **filters)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quantities", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/zhibiao_search_bench.db"))
    ap.add_argument("--repeats", type=int, default=30)
    ap.add_argument("--keep", action="store_true", help="reuse the store if it exists")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "search_latency.json")
    args = ap.parse_args()
    if not (args.keep and args.db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        print(f"building {args.db} with at least {args.quantities:,} quantities ...", flush=True)
        build(args.db, args.quantities)
    conn = store.connect(args.db, readonly=True)
    n = conn.execute("SELECT count(*) FROM quantities").fetchone()[0]
    rows = []
    for kind, query, filters in QUERIES:
        ms = sorted(timed(conn, query, filters, args.repeats))
        p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
        rows.append({"kind": kind, "query": query, "filters": filters,
                     "p50_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2)})
    size_mb = args.db.stat().st_size / 2**20
    report = {"quantities": n, "store_mb": round(size_mb, 1), "repeats": args.repeats, "queries": rows}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nstore: {n:,} quantities, {size_mb:,.0f} MiB; {args.repeats} runs per query, limit 50\n")
    print("| query | kind | filters | p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    for r in rows:
        filters = ", ".join(f"{k}={v}" for k, v in r["filters"].items()) or "-"
        print(f"| {r['query'] or '(none)'} | {r['kind']} | {filters} | {r['p50_ms']} | {r['p95_ms']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
