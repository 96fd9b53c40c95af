"""``zhibiao extract`` (files to the contract's JSON, a table or an HTML view) and
``zhibiao targets`` (one report's targets joined with the next report's results)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.apps.cli.common import CliError, iso_day, whole_number, writable_path, write_text
from pipeline.apps.crossdoc import join_targets, read_reports
from pipeline.core.api import extract, process_path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add extract and targets to the ``zhibiao`` parser."""
    sub = subparsers
    p = sub.add_parser("extract", help="extract quantities, dates, tasks and links from files")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=("json", "jsonl", "table", "html"), default="table",
                   help="table (default), the contract's json or jsonl, or html: the text "
                        "with every quantity and date highlighted by role")
    p.add_argument("--reference-date", metavar="YYYY-MM-DD", type=iso_day,
                   help="the date that resolves dates written without a year when the "
                        "report's own period is not stated")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("targets", help="targets of one year's report joined with the results "
                                       "the next year's report states")
    p.add_argument("reports", metavar="JSONL", help="reports, one JSON object per line: year, title, content")
    p.add_argument("--from", dest="first", type=whole_number, default=2021, metavar="YEAR")
    p.add_argument("--to", dest="last", type=whole_number, default=2025, metavar="YEAR")
    p.add_argument("--all", action="store_true", help="also targets with no result found")
    p.add_argument("--extractors", choices=("pattern", "combined"), default="pattern")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(func=cmd_targets)


def cmd_extract(args: argparse.Namespace) -> int:
    if args.out:
        writable_path(args.out)  # before the work, not after it
    results = []
    status = 0
    for path in args.paths:
        result = process_path(path, reference_date=args.reference_date)
        if result["errors"]:
            status = 1
            for err in result["errors"]:
                print(f"zhibiao: {err['source']}: {err['code']}: {err['message']}", file=sys.stderr)
        results.append(result)
    if args.format == "json":
        payload = results[0] if len(results) == 1 else results
        write_text(args.out, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "jsonl":
        write_text(args.out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
    elif args.format == "html":
        from pipeline.apps import docview  # the HTML view: only for the html format
        write_text(args.out, docview.render_page(results))
    else:
        from pipeline.apps import display  # rich: only for the table format
        write_text(args.out, "\n".join(display.render_table(r) for r in results))
    return status


def cmd_targets(args: argparse.Namespace) -> int:
    path = Path(args.reports)
    if not path.is_file():
        print(f"zhibiao: {path} is not a file; pass a JSONL of reports with fields year, title, "
              "content (e.g. ../shared/corpus/gwr/government_work_reports.jsonl)", file=sys.stderr)
        return 2
    check_reports(path)
    if args.out:
        writable_path(args.out)
    docs = {year: extract(text, doc_id=str(year), extractors=args.extractors, title=title)
            for year, title, text in read_reports(path, args.first, args.last + 1)}
    rows = [r for r in join_targets(docs) if args.first <= r.year <= args.last
            and (args.all or r.actual is not None)]
    if args.format == "json":
        write_text(args.out, json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1) + "\n")
        return 0
    lines = ["| year | indicator | target | achieved (next report) | bound met |", "|---|---|---|---|---|"]
    for r in rows:
        mark = {True: "yes", False: "no", None: "-"}[r.met]
        lines.append(f"| {r.year} | {r.indicator} | {r.target} ({r.qualifier}) | {r.actual or '-'} | {mark} |")
    write_text(args.out, "\n".join(lines) + "\n")
    return 0


REPORTS_HINT = ("targets reads JSONL: one JSON object per line with year, title and content "
                "(e.g. ../shared/corpus/gwr/government_work_reports.jsonl)")


def check_reports(path: Path) -> None:
    """Raise :class:`CliError` unless ``path`` is UTF-8 JSONL whose objects each have a
    text ``content`` (and a ``year``): the file's first problem, with its line number."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise CliError(f"{path} is a binary file, not JSONL; {REPORTS_HINT}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CliError(f"{path} is not UTF-8 text (byte {err.start}); {REPORTS_HINT}") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise CliError(f"{path} is empty; {REPORTS_HINT}")
    for n, line in lines:
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            raise CliError(f"line {n} of {path} is not a JSON object; {REPORTS_HINT}") from None
        if not isinstance(rec, dict):
            raise CliError(f"line {n} of {path} is not a JSON object; {REPORTS_HINT}")
        if not isinstance(rec.get("content"), str):
            raise CliError(f"line {n} of {path} has no text field \"content\"; {REPORTS_HINT}")

