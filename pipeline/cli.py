"""The ``zhibiao`` command: thin subcommands over the pipeline's functions.

    zhibiao extract PATH... [--format json|jsonl|table|html] [--reference-date D] [--out FILE]
    zhibiao batch / search / export / series / serve      (pipeline/cli_data.py)
    zhibiao eval / train                                   (pipeline/cli_eval.py, cli_train)
"""
from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.cli_common import CliError, Parser, iso_day, whole_number, writable_path, write_text
from pipeline.normalize import squash

EXTENSIONS = ("pipeline.cli_data", "pipeline.cli_eval", "pipeline.cli_train", "pipeline.annotate")
#: commands defined here: running one of them imports no extension module (a fast start)
CORE_COMMANDS = ("extract", "targets")


def _write(out: str | None, text: str) -> None:
    write_text(out, text)


def render_table(result: dict) -> str:
    """A terminal view a person can read: tasks, then their quantities and dates."""
    from rich.console import Console
    from rich.table import Table

    console = Console(record=True, width=160, file=io.StringIO(), force_terminal=False)
    src = result.get("source") or result.get("doc_id") or "(text)"
    period = result.get("period")
    head = f"{src}"
    if period:
        head += f"  period {period['start_date']}..{period['end_date']}"
    console.print(f"[bold]{head}[/bold]")
    for err in result.get("errors", []):
        console.print(f"[red]error {err['code']}: {err['message']}[/red]")
    by_id = {q["id"]: q for q in result["quantities"]}
    tasks = {t["id"]: t for t in result["tasks"]}
    # one table for the document: its quantities in text order, the task shown once, at
    # the first quantity of each task (a task without quantities is not printed)
    table = Table(show_lines=False, expand=False)
    for col in ("task", "id", "as written", "value", "unit", "q", "role", "indicator", "period",
                "links", "date"):
        table.add_column(col, overflow="fold")
    shown: set[str] = set()
    for q in sorted(result["quantities"], key=lambda q: q["start"]):
        task = tasks.get(q["task"] or "")
        cell = ""
        if task is not None and task["id"] not in shown:
            shown.add(task["id"])
            depts = "、".join(task["departments"])
            cell = f"{task['seq'] or task['id']} {task['title'][:24]}" + (f" ({depts})" if depts else "")
        value = q["value"] if q["value"] is not None else f"{q['low']}–{q['high']}"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        links = [f"{kind}→{squash(by_id[q[kind]]['text'])}" for kind in ("target", "of", "change_of")
                 if q[kind] and q[kind] in by_id]
        unit = (q["unit"] or "?") + ("*" if q["unit_inferred"] else "")
        per = q.get("period") or {}
        period = "" if not per else (per["start_date"] if per["start_date"] == per["end_date"]
                                     else f"{per['start_date']}..{per['end_date']}")
        table.add_row(cell, q["id"], squash(q["text"]), str(value), unit, q["qualifier"], q["role"] or "",
                      q["indicator"] or "", period, " ".join(links), q["date"] or "")
    console.print(table)
    if result["dates"]:
        dt = Table(title="dates")
        for col in ("id", "task", "as written", "start", "end", "grain"):
            dt.add_column(col)
        for d in result["dates"]:
            dt.add_row(d["id"], d["task"] or "", squash(d["text"]), d["start_date"] or "?",
                       d["end_date"] or "?", d["grain"])
        console.print(dt)
    for c in result["checks"]:
        mark = "[green]ok[/green]" if c["ok"] else "[red]FAILED[/red]"
        console.print(f"check {c['rule']}: {mark}  {c['message']}")
    console.print("[dim]* unit inferred from a linked quantity[/dim]")
    return console.export_text()


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.api import process_path
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
        _write(args.out, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "jsonl":
        _write(args.out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
    elif args.format == "html":
        from pipeline import docview  # not needed by the other formats (fast start)
        _write(args.out, docview.render_page(results))
    else:
        _write(args.out, "\n".join(render_table(r) for r in results))
    return status


def cmd_targets(args: argparse.Namespace) -> int:
    from pipeline.api import extract
    from pipeline.crossdoc import join_targets, read_reports
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
        _write(args.out, json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1) + "\n")
        return 0
    lines = ["| year | indicator | target | achieved (next report) | bound met |", "|---|---|---|---|---|"]
    for r in rows:
        mark = {True: "yes", False: "no", None: "-"}[r.met]
        lines.append(f"| {r.year} | {r.indicator} | {r.target} ({r.qualifier}) | {r.actual or '-'} | {mark} |")
    _write(args.out, "\n".join(lines) + "\n")
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


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``zhibiao`` parser; for a ``command`` of :data:`CORE_COMMANDS` without the
    extension modules' subcommands (they import more than that command needs)."""
    parser = Parser(
        prog="zhibiao",
        description="Indicators out of Chinese government progress reports.")
    parser.add_argument("--version", action="version", version=f"zhibiao {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
    for name in () if command in CORE_COMMANDS else EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        module.register(sub)
    return parser


def _command_of(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (its first word that is not an option)."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("zhibiao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except CliError as err:
        print(f"zhibiao: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # a file the command could not read or write
        where = f": {err.filename}" if err.filename else ""
        print(f"zhibiao: {err.strerror or err}{where}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: one line, the traceback only when asked for
        if os.environ.get("ZHIBIAO_DEBUG"):
            raise
        print(f"zhibiao: internal error ({type(err).__name__}: {err}); run it again with "
              "ZHIBIAO_DEBUG=1 to see the traceback, and report it", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
