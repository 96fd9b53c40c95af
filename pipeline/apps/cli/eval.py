"""``zhibiao eval``: score the extractor (or saved predictions) against corpus/ gold."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline.core.vocab import EXTRACTORS
from pipeline.learn import evaluate as ev


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``eval`` subcommand to an argparse subparsers object."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "eval", help="evaluate extraction against the gold corpus",
        description="Evaluate pipeline.extract (or predictions in --pred DIR) against gold "
                    "files (default: every gold file in corpus/gold, or --split).")
    p.add_argument("gold", nargs="*", metavar="GOLD", help="gold JSON files (default: corpus)")
    p.add_argument("--pred", metavar="DIR", type=Path,
                   help="read predictions from DIR/<doc_id>.json instead of running extract")
    p.add_argument("--report", metavar="HTML", type=Path, help="write an HTML report")
    p.add_argument("--json", metavar="OUT", type=Path, dest="json_out",
                   help="write the full result as JSON")
    p.add_argument("--split", choices=["test", "dev", "train", "all"], default=None,
                   help="evaluate one split of corpus/splits.json (default: all)")
    p.add_argument("--extractor", choices=EXTRACTORS, default="combined")
    p.add_argument("--shared", metavar="DIR", type=Path, default=None,
                   help="the shared data directory (default ../shared from the project root)")
    p.add_argument("--no-titles", action="store_true",
                   help="extract the real pages from their text alone, without the page title "
                        "their source list records (an HTML reader gives it; see ruling 11)")
    p.add_argument("--compare", action="store_true",
                   help="score pattern, model and combined extractors side by side (markdown)")
    p.set_defaults(func=run_eval)
    return p


COMPARE = [("quantity F1 (strict)", "quantity_strict_f1"), ("quantity F1 (overlap)", "quantity_overlap_f1"),
           ("value+unit", "value_unit_accuracy"), ("qualifier", "qualifier_accuracy"),
           ("role accuracy", "role_accuracy"), ("indicator exact", "indicator_exact"),
           ("indicator overlap", "indicator_overlap"), ("task assignment", "task_assignment_accuracy"),
           ("link target F1", "link_target_f1"), ("link of F1", "link_of_f1"),
           ("link change_of F1", "link_change_of_f1"), ("link date F1", "link_date_f1"),
           ("links F1 (all)", "link_all_f1"), ("date F1 (strict)", "date_strict_f1"),
           ("date normalisation", "date_normalisation_accuracy")]


def compare_table(docs: list[dict[str, Any]], pred: Path | None = None) -> str:
    """A markdown table: one row per measure, one column per extractor."""
    extractors = EXTRACTORS
    results = {ex: ev.run_evaluation(docs, pred, ex)["overall"] for ex in extractors}
    lines = ["| measure | " + " | ".join(extractors) + " |", "|---|" + "---|" * len(extractors)]
    for name, key in COMPARE:
        cells = []
        for ex in extractors:
            v = results[ex].get(key)
            cells.append("-" if v is None else f"{v:.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_eval(args: argparse.Namespace) -> int:
    paths = [Path(g) for g in args.gold] or None
    split = None if paths else (args.split or "all")
    docs, skipped = ev.load_docs(paths, split, args.shared, titles=not args.no_titles)
    if not docs:
        print("no gold documents to evaluate" + (f" (skipped: {', '.join(skipped)})"
                                                  if skipped else ""))
        return 2
    if args.compare:
        print(f"split {split or 'files'}: {len(docs)} documents" +
              (f" (skipped: {', '.join(skipped)})" if skipped else ""))
        print(compare_table(docs, args.pred))
        return 0
    result: dict[str, Any] = ev.run_evaluation(docs, args.pred, args.extractor)
    result["split"] = split or "files"
    result["skipped"] = skipped
    print(ev.text_table(result))
    if args.report:
        args.report.write_text(ev.html_report(result), encoding="utf-8")
        print(f"report: {args.report}")
    if args.json_out:
        args.json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
        print(f"json: {args.json_out}")
    return 0
