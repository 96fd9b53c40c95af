"""The accuracy tables of README.md and docs/accuracy.md, from one run of the code.

    python benchmarks/accuracy_report.py            # prints markdown; writes benchmarks/accuracy.json

Runs the evaluator (the default extractors) on the dev and test splits and prints, per
split, every measure for each group of documents (real tables, real narratives, team,
seed, work reports), micro-averaged with the per-document (macro) average beside it, and
the link precision and recall.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.learn import evaluate as ev  # noqa: E402

GROUPS = ["real table", "real narrative", "real", "team", "seed", "gwr"]
LINKS = ["target", "of", "change_of", "date"]


def table(result: dict) -> str:
    groups = result["groups"]
    names = [g for g in GROUPS if g in groups]
    lines = ["| measure | " + " | ".join(f"{g} ({groups[g]['documents']})" for g in names) + " |",
             "|---|" + "---|" * len(names)]
    for key, label in ev.HEADLINE:
        cells = []
        for g in names:
            mi, ma = groups[g]["micro"].get(key), groups[g]["macro"].get(key)
            cells.append("—" if mi is None else f"{mi:.3f} ({ma:.3f})" if ma is not None else f"{mi:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    for lt in LINKS:
        cells = []
        for g in names:
            m = groups[g]["micro"]
            if f"link_{lt}_f1" in m:
                cells.append(f"{m[f'link_{lt}_precision']:.2f} / {m[f'link_{lt}_recall']:.2f} / "
                             f"{m[f'link_{lt}_f1']:.2f}")
            else:
                cells.append("—")
        lines.append(f"| link {lt} P / R / F1 | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "accuracy.json")
    args = ap.parse_args(argv)
    out = {}
    for split in ("test", "dev"):
        result = ev.evaluate_corpus(split)
        out[split] = {"groups": result["groups"], "overall": result["overall"],
                      "skipped": result["skipped"], "errors": result["errors"]}
        print(f"\n### {split} split ({len(result['documents'])} documents)\n")
        print(table(result))
    args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
