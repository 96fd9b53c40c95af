"""Write corpus/sources.jsonl: one line per gold document (doc_id, origin, url, genre,
layout, chars), from the gold files and ../shared/corpus/real/sources-*.jsonl.

    python corpus/tools/sources.py

``genre`` and ``layout`` take the values of ../shared/corpus/real/sources-*.jsonl.  The
team documents, the seed and the work reports map onto them as written in GENRES; a team
document with table rows is a one-cell-per-line dump (table-lines), like the seed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
GOLD = ROOT / "corpus" / "gold"
OUT = ROOT / "corpus" / "sources.jsonl"

# the team's and the seed's genre names -> the real corpus's
GENRES = {"progress_table": "progress-table", "inspection_notice": "inspection-bulletin",
          "plan_execution": "plan-execution", "statistics": "statistics-bulletin",
          # a government work report reviews last year's plan and sets this year's
          "government_work_report": "plan-execution"}


def gwr_urls(shared: Path = SHARED) -> dict[str, str]:
    path = shared / "corpus" / "gwr" / "government_work_reports.jsonl"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec.get("year") is not None and "决议" not in rec.get("title", ""):
            out[str(rec["year"])] = rec["url"]
    return out


def real_sources(shared: Path = SHARED) -> dict[str, dict[str, Any]]:
    out = {}
    for p in sorted((shared / "corpus" / "real").glob("sources-*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                out["real/" + rec["file"]] = rec
    return out


def chars_of(doc: dict[str, Any]) -> int | None:
    rng = doc.get("annotated_range")
    if rng:
        return int(rng[1] - rng[0])
    text = doc.get("text")
    return len(text) if isinstance(text, str) else None


def source_line(doc: dict[str, Any], real: dict[str, dict[str, Any]]) -> dict[str, Any]:
    src = doc.get("source")
    origin = src.get("corpus") if isinstance(src, dict) else "team"
    if origin == "real":
        rec = real[src["file"]]
        return {"doc_id": doc["doc_id"], "origin": "real", "url": rec["url"],
                "genre": rec["genre"], "layout": rec["layout"],
                "chars": chars_of(doc) or rec.get("chars")}
    layout = "table-lines" if doc.get("tasks") else "narrative"
    url = gwr_urls().get(str(src["year"])) if origin == "gwr" else None
    return {"doc_id": doc["doc_id"], "origin": origin, "url": url,
            "genre": GENRES.get(str(doc.get("genre")), doc.get("genre")), "layout": layout,
            "chars": chars_of(doc)}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from pipeline.learn.evaluate import load_gold  # the loader resolves standoff text
    real = real_sources()
    lines = []
    for p in sorted(GOLD.glob("*.json")):
        doc = load_gold(p, SHARED)
        if doc is None:
            doc = json.loads(p.read_text(encoding="utf-8"))
        lines.append(json.dumps(source_line(doc, real), ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
