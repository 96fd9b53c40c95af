"""Throughput and peak memory of the integrations: spaCy component, DataFrames, Label Studio.

    python benchmarks/integrations.py [--repeats 2] [--reports 10]

* spacy: the 72 government work reports (../shared/corpus/gwr, the first ``--reports``)
  through ``pipeline.extract`` and through ``nlp.pipe`` with the ``zhibiao`` component
  (char and jieba segmenters), pattern extractors; characters/s, best of ``--repeats``.
* frames: ``to_frame`` of those extraction results (through an in-memory store) against
  ``export_frame`` of the same documents in a store on disk; rows/s.
* annotate: export and import of every gold file whose text is at hand (task JSON out
  and back, without reading the files); mentions/s; peak traced memory (tracemalloc).

Writes ``benchmarks/integrations.json`` and prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.apps import frames, store  # noqa: E402
from pipeline.core.api import extract  # noqa: E402
from pipeline.learn import annotate, evaluate

REPORTS = ROOT.parent / "shared" / "corpus" / "gwr" / "government_work_reports.jsonl"


def best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """(best wall seconds, last result) over ``repeats`` runs after one warm-up."""
    out = fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def peak_mib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def reports(n: int) -> list[str]:
    if not REPORTS.exists():
        raise SystemExit(f"{REPORTS} not found: the benchmark reads ../shared")
    texts = []
    with REPORTS.open(encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["content"])
    return texts[:n]


def bench_spacy(texts: list[str], repeats: int) -> dict[str, Any]:
    chars = sum(map(len, texts))
    row: dict[str, Any] = {"documents": len(texts), "characters": chars}
    t, _ = best(lambda: [extract(x, extractors="pattern") for x in texts], repeats)
    row["extract_chars_per_s"] = round(chars / t)
    for seg in ("char", "jieba"):
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": seg}}})
        nlp.add_pipe("zhibiao", config={"extractors": "pattern"})
        t, _ = best(lambda nlp=nlp: [len(d.spans["quantities"]) for d in nlp.pipe(texts, batch_size=8)], repeats)
        row[f"spacy_{seg}_chars_per_s"] = round(chars / t)
    return row


def bench_frames(texts: list[str], repeats: int) -> dict[str, Any]:
    results = [extract(x, doc_id=f"r{i}", extractors="pattern") for i, x in enumerate(texts)]
    rows = sum(len(r["quantities"]) for r in results)
    t_res, _ = best(lambda: frames.to_frame(results), repeats)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        conn = store.connect(db)
        store.write_documents(conn, [(r, str(i)) for i, r in enumerate(results)])
        conn.close()
        t_db, _ = best(lambda: frames.to_frame(db), repeats)
    return {"rows": rows, "results_rows_per_s": round(rows / t_res), "store_rows_per_s": round(rows / t_db),
            "results_peak_mib": round(peak_mib(lambda: frames.to_frame(results)), 1)}


def bench_annotate(repeats: int) -> dict[str, Any]:
    docs = [d for d in (evaluate.load_gold(p) for p in evaluate.gold_paths()) if d is not None]
    mentions = sum(len(d["quantities"]) + len(d["dates"]) for d in docs)

    def round_trip() -> None:
        for d in docs:
            task = json.loads(json.dumps(annotate.to_task(d)))
            task["annotations"] = [{"result": task["predictions"][0]["result"]}]
            annotate.gold_json(annotate.from_task(task))
    t, _ = best(round_trip, repeats)
    return {"documents": len(docs), "mentions": mentions, "mentions_per_s": round(mentions / t),
            "peak_mib": round(peak_mib(round_trip), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--reports", type=int, default=10)
    args = ap.parse_args()
    texts = reports(args.reports)
    out = {"spacy": bench_spacy(texts, args.repeats), "frames": bench_frames(texts, args.repeats),
           "annotate": bench_annotate(args.repeats)}
    (ROOT / "benchmarks" / "integrations.json").write_text(json.dumps(out, indent=1) + "\n")
    s, f, a = out["spacy"], out["frames"], out["annotate"]
    print(f"| measure | value |\n|---|---|\n"
          f"| pipeline.extract, {s['documents']} reports, {s['characters']:,} chars | {s['extract_chars_per_s']:,} chars/s |\n"
          f"| nlp.pipe, zhibiao component, char segmenter | {s['spacy_char_chars_per_s']:,} chars/s |\n"
          f"| nlp.pipe, zhibiao component, jieba segmenter | {s['spacy_jieba_chars_per_s']:,} chars/s |\n"
          f"| to_frame(results), {f['rows']:,} quantities | {f['results_rows_per_s']:,} rows/s, peak {f['results_peak_mib']} MiB |\n"
          f"| to_frame(store path) | {f['store_rows_per_s']:,} rows/s |\n"
          f"| annotate export+import, {a['documents']} gold files, {a['mentions']:,} mentions | "
          f"{a['mentions_per_s']:,} mentions/s, peak {a['peak_mib']} MiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
