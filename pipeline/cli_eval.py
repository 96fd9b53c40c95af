"""``zhibiao eval``: score the extractor (or saved predictions) against corpus/ gold."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline import evaluate as ev


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
    p.add_argument("--extractor", choices=["pattern", "model", "combined"], default="combined")
    p.add_argument("--shared", metavar="DIR", type=Path, default=None,
                   help="the shared data directory (default ../shared from the project root)")
    p.set_defaults(func=run_eval)
    return p


def run_eval(args: argparse.Namespace) -> int:
    paths = [Path(g) for g in args.gold] or None
    split = None if paths else (args.split or "all")
    docs, skipped = ev.load_docs(paths, split, args.shared)
    if not docs:
        print("no gold documents to evaluate" + (f" (skipped: {', '.join(skipped)})"
                                                  if skipped else ""))
        return 2
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
