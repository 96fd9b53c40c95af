"""What the 1-2 character index costs the batch writer alone, in ms per document.

    python benchmarks/writer_cost.py [--docs 3000] [--rounds 3]

Extracts ``--docs`` of ``benchmarks/speed.py``'s generated progress paragraphs once, then
writes them into a fresh store as a batch does (``store.write_documents`` in groups of 50,
the trigram index filled every 2,000), with quantities_grams and without it (the writer
told there is no such index), alternately, ``--rounds`` times.  Prints the writer's time
per document and the workers' share (``add_sentence_spans``, which computes the tokens).
"""
from __future__ import annotations

import argparse
import copy
import tempfile
import time
from pathlib import Path
from typing import Any

import speed

import pipeline
from pipeline.apps import store


def extracted(docs: int, work: Path) -> list[dict[str, Any]]:
    inputs = work / f"zhibiao_generated_{docs}"
    if not inputs.exists():
        speed.generated(inputs, docs)
    out = []
    for path in sorted(p for p in inputs.rglob("*") if p.is_file())[:docs]:
        result = pipeline.process_path(path)
        result["source"] = str(path)
        out.append(result)
    return out


def write_all(results: list[dict[str, Any]], db: Path, grams: bool) -> tuple[float, float]:
    """(worker ms/doc, writer ms/doc) of one store written from ``results``."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    conn = store.connect(db)
    t0 = time.perf_counter()
    prepared = [store.add_sentence_spans(copy.deepcopy(r)) for r in results]
    worker = time.perf_counter() - t0
    watermark = store.gram_watermark
    if not grams:
        store.gram_watermark = lambda c: 0  # as in a store without quantities_grams
    try:
        t0 = time.perf_counter()
        for i in range(0, len(prepared), 50):
            store.write_documents(conn, [(r, f"h{i + k}") for k, r in enumerate(prepared[i:i + 50])],
                                  index=(i + 50) % 2000 == 0)
        store.index_pending(conn)
        writer = time.perf_counter() - t0
    finally:
        store.gram_watermark = watermark
        conn.close()
    n = len(results)
    return round(worker / n * 1000, 3), round(writer / n * 1000, 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = extracted(args.docs, Path(tempfile.gettempdir()))
        print(f"{len(results)} documents, {sum(len(r['quantities']) for r in results)} quantities")
        print("| round | index | worker ms/doc | writer ms/doc |\n|---|---|---|---|")
        for n in range(args.rounds):
            for grams in (False, True):
                worker, writer = write_all(results, Path(tmp) / "w.db", grams)
                print(f"| {n + 1} | {'with' if grams else 'without'} quantities_grams | {worker} | {writer} |")


if __name__ == "__main__":
    main()
