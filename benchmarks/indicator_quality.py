"""How often an indicator is empty or a bare word (issue 13: null on at most 2% of the
non-rank quantities), over the real documents of the train and dev splits.

    python benchmarks/indicator_quality.py [--splits train,dev]
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.core.indicators import is_bare  # noqa: E402
from pipeline.learn.evaluate import load_docs, predict  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--splits", default="train,dev")
    args = ap.parse_args(argv)
    docs = [d for sp in args.splits.split(",") for d in load_docs(split=sp)[0]
            if d["doc_id"].startswith("real-")]
    n = empty = bare = 0
    words: collections.Counter[str] = collections.Counter()
    for doc in docs:
        for q in predict(doc)["quantities"]:
            if q["role"] == "rank":
                continue
            n += 1
            if not q["indicator"]:
                empty += 1
            elif is_bare(q["indicator"]):
                bare += 1
                words[q["indicator"]] += 1
    print(f"{len(docs)} documents, {n} non-rank quantities: indicator empty {empty} "
          f"({empty / n:.1%}), a bare word {bare} ({bare / n:.1%}); most common bare: "
          + ", ".join(f"{w} {c}" for w, c in words.most_common(6)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
