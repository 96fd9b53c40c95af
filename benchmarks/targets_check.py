"""How many of the main targets of the government work reports 2005-2024, and of the
results the next report states, `zhibiao targets` gets right (issue 13's product check).

    python benchmarks/targets_check.py [--extractors pattern|combined] [--json out.json]

The reference is corpus/checks/gwr_targets.toml, read from the reports by hand.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.apps.crossdoc import join_targets, read_reports, series_key  # noqa: E402
from pipeline.core.api import extract  # noqa: E402

REFERENCE = ROOT / "corpus" / "checks" / "gwr_targets.toml"
REPORTS = ROOT / ".." / "shared" / "corpus" / "gwr" / "government_work_reports.jsonl"
KEYS = {"gdp": "国内生产总值", "jobs": "城镇新增就业", "cpi": "居民消费价格"}


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(b))


def check(rows: list[dict], reference: dict) -> tuple[int, int, list[str]]:
    """(right, total, what went wrong)."""
    right = total = 0
    wrong = []
    for year, items in reference.items():
        for short, want in items.items():
            key = KEYS[short]
            row = next((r for r in rows if r["year"] == int(year) and series_key(r["indicator"]) == key), None)
            t = want["target"]
            total += 1
            if row is not None and (_close(row["target_value"], t) if not isinstance(t, list)
                                    else _close(row.get("target_low"), t[0]) and _close(row.get("target_high"), t[1])):
                right += 1
            else:
                wrong.append(f"{year} {key} target: want {t}, got {row and (row['target'], row['target_value'])}")
            if "result" not in want and want.get("stated", True):
                continue  # no next report in the corpus
            total += 1
            got = row["actual_value"] if row is not None else None
            if ("result" in want and _close(got, want["result"])) or (not want.get("stated", True) and got is None):
                right += 1
            else:
                wrong.append(f"{year} {key} result: want {want.get('result', 'none')}, "
                             f"got {row and (row['actual'], row['actual_sentence'])}")
    return right, total, wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extractors", default="combined")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    reference = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    docs = {year: extract(text, doc_id=str(year), extractors=args.extractors, title=title)
            for year, title, text in read_reports(REPORTS, 2005, 2025)}
    rows = [r.to_dict() for r in join_targets(docs)]
    right, total, wrong = check(rows, reference)
    print(f"{right}/{total} right ({right / total:.3f})")
    for w in wrong:
        print("  " + w)
    if args.json:
        args.json.write_text(json.dumps({"right": right, "total": total, "wrong": wrong},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
