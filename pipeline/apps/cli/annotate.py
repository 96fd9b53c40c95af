"""``zhibiao annotate config|export|import``: the Label Studio round trip
(pipeline/learn/annotate.py)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.learn.annotate import AnnotateError, export_tasks, import_export, label_config


def cmd_config(args: argparse.Namespace) -> int:
    _emit(args.out, label_config())
    return 0


def _emit(out: str | None, text: str) -> None:
    if out:
        path = Path(out)
        if not path.parent.is_dir():
            raise AnnotateError(f"folder {path.parent} does not exist; create it or choose another --out")
        path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_export(args: argparse.Namespace) -> int:
    tasks = export_tasks(args.inputs, args.kind, Path(args.shared) if args.shared else None,
                         args.reference_date)
    _emit(args.out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    if args.out:
        print(f"{len(tasks)} Label Studio tasks written to {args.out}; the labeling config: "
              "`zhibiao annotate config`", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    written = import_export(Path(args.export), Path(args.out), args.use)
    for p in written:
        print(p)
    print(f"{len(written)} gold files written; check them with `zhibiao eval {args.out}/*.json`",
          file=sys.stderr)
    return 0


def _guarded(func: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except AnnotateError as err:
            print(f"zhibiao annotate: {err}", file=sys.stderr)
            return 2
        except OSError as err:
            print(f"zhibiao annotate: cannot write {err.filename}: {err.strerror}; choose another "
                  "--out", file=sys.stderr)
            return 2
    return run


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``annotate config|export|import`` to an argparse subparsers object."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "annotate", help="Label Studio round-trip: export tasks, import corrected annotations as gold")
    sub = p.add_subparsers(dest="annotate_command", metavar="ACTION", required=True)
    c = sub.add_parser("config", help="print the Label Studio labeling config (XML)")
    c.add_argument("--out", metavar="FILE")
    c.set_defaults(func=_guarded(cmd_config))
    e = sub.add_parser("export", help="gold files, extraction JSON or documents as Label Studio tasks")
    e.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="gold JSON (corpus/gold/*.json), `zhibiao extract --format json` output, "
                        "or documents to extract")
    e.add_argument("--out", metavar="FILE", help="write the tasks here (default: standard output)")
    e.add_argument("--as", dest="kind", choices=("predictions", "annotations"), default="predictions",
                   help="pre-annotations to correct (default) or submitted annotations")
    e.add_argument("--shared", metavar="DIR", help="where ../shared is (for standoff gold)")
    e.add_argument("--reference-date", metavar="YYYY-MM-DD", help="for documents extracted here")
    e.set_defaults(func=_guarded(cmd_export))
    i = sub.add_parser("import", help="a Label Studio JSON export back to gold files")
    i.add_argument("export", metavar="EXPORT_JSON")
    i.add_argument("--out", metavar="DIR", required=True, help="folder for the gold files")
    i.add_argument("--use", choices=("annotations", "predictions"), default="annotations",
                   help="the newest submitted annotation (default) or the pre-annotations")
    i.set_defaults(func=_guarded(cmd_import))
    return p

