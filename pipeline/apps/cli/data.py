"""Dataset subcommands of ``zhibiao``: batch, search, export, series, serve.

    zhibiao batch INPUT... --db indicators.db [--workers N] [--engine local|dask]
                  [--scheduler ADDRESS] [--force] [--timeout S] [--max-bytes N]
    zhibiao search [QUERY] [--role R] [--kind K] [--unit U] [--department D]
                   [--from DATE] [--to DATE] [--failed-checks] [--format table|json|csv] [--excel]
    zhibiao export --format parquet|csv --out PATH [--excel]
    zhibiao series INDICATOR_KEY [--out chart.png|chart.svg] | zhibiao series --list
    zhibiao serve [--port 8001] [--host 127.0.0.1]

Each command takes the argparse Namespace and returns an exit code: 0 done, 1 the store
or an input is not usable (a sentence on stderr says why), 2 bad usage (argparse).
"""
from __future__ import annotations

import argparse
import csv
import difflib
import functools
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.apps import batch, display, serve, store
from pipeline.apps.batch import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT
from pipeline.apps.cli.common import CliError, iso_prefix, non_negative_float, port, positive_int, writable_path
from pipeline.core.units import resolve_unit
from pipeline.core.vocab import KINDS, ROLES

CHART_SUFFIXES = (".png", ".svg", ".pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add batch, search, export, series and serve to the ``zhibiao`` parser."""
    p = subparsers.add_parser(
        "batch", help="extract files, directories, globs and ZIP archives into a store",
        description="Extract every input into one SQLite store. Unchanged inputs (same "
                    "sha256) are skipped, changed ones re-extracted; unreadable ones become "
                    "error rows.")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--db", default=store.DEFAULT_DB, help=f"the store (default {store.DEFAULT_DB})")
    p.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1,
                   help="worker processes (default: CPU count; 1 runs in this process)")
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler, e.g. tcp://host:8786 (with --engine dask)")
    p.add_argument("--force", action="store_true", help="re-extract unchanged inputs too")
    p.add_argument("--timeout", type=non_negative_float, default=DEFAULT_TIMEOUT, metavar="S",
                   help=f"seconds per document (default {DEFAULT_TIMEOUT:g}; 0 = none)")
    p.add_argument("--max-bytes", type=positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"largest input file or archive member (default {DEFAULT_MAX_BYTES})")
    p.add_argument("--extractors", choices=("pattern", "combined"), default="combined",
                   help="patterns alone, or patterns plus the trained models (default)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_batch)

    p = subparsers.add_parser(
        "search", help="find indicators by text and filters",
        description="Search sentences, indicators and task titles (any length; the query "
                    "is plain text, never query syntax).")
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    p.add_argument("--db", default=store.DEFAULT_DB)
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--unit", help="a unit as written (亩, 万亩, 亿元, %%): quantities are stored "
                                  "in base units, so 万亩 searches 亩 and shows values in 万亩")
    p.add_argument("--department")
    p.add_argument("--from", dest="date_from", metavar="DATE", type=iso_prefix)
    p.add_argument("--to", dest="date_to", metavar="DATE", type=iso_prefix)
    p.add_argument("--failed-checks", action="store_true",
                   help="only quantities in a check that does not add up")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--excel", action="store_true",
                   help="CSV for Excel: UTF-8 with a byte-order mark (implies --format csv)")
    p.add_argument("--limit", type=positive_int, default=20,
                   help="show at most this many (default 20); the count of all is printed")
    p.set_defaults(func=cmd_search)

    p = subparsers.add_parser("export", help="write all quantities as one Parquet or CSV table")
    p.add_argument("--db", default=store.DEFAULT_DB)
    p.add_argument("--format", choices=("parquet", "csv"), default=None,
                   help="default: from the --out suffix")
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--excel", action="store_true",
                   help="CSV for Excel: UTF-8 with a byte-order mark (implies --format csv)")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("series", help="one indicator across reports and periods")
    p.add_argument("indicator_key", metavar="INDICATOR_KEY", nargs="?",
                   help="an indicator key (zhibiao series --list shows them)")
    p.add_argument("--list", action="store_true", help="list the indicator keys with counts")
    p.add_argument("--db", default=store.DEFAULT_DB)
    p.add_argument("--out", metavar="CHART", help="write a chart (.png, .svg or .pdf)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=cmd_series)

    p = subparsers.add_parser("serve", help="browse the store in Datasette (read-only)")
    p.add_argument("--db", default=store.DEFAULT_DB)
    p.add_argument("--host", default=None,
                   help="default 127.0.0.1 (this machine only); other addresses only when given here")
    p.add_argument("--port", type=port, default=8001)
    p.add_argument("--print-metadata", action="store_true",
                   help="print the Datasette metadata JSON and exit")
    p.set_defaults(func=cmd_serve)


def check_store_path(db: str) -> None:
    """A store can be created at ``db``: its folder exists (else one sentence)."""
    writable_path(db, "the store")


def _err(msg: str) -> int:
    print(f"zhibiao: {msg}", file=sys.stderr)
    return 1


def _open_store(db: str) -> Any:
    """A read-only connection; FileNotFoundError when there is no file, CliError (one
    sentence) when the file is not a store this zhibiao can read."""
    if not Path(db).is_file():
        raise FileNotFoundError(db)
    try:
        conn = store.connect(db, readonly=True)
        conn.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
    except sqlite3.DatabaseError as err:
        raise CliError(f"{db} is not a zhibiao store ({err}); give --db the file "
                       "`zhibiao batch --db` wrote") from None
    except store.StoreError as err:
        raise CliError(str(err)) from None
    return conn


# --------------------------------------------------------------------------- batch

def cmd_batch(args: argparse.Namespace) -> int:

    if args.scheduler and args.engine != "dask":
        return _err("--scheduler needs --engine dask")
    check_store_path(args.db)
    err_console = Console(stderr=True)
    progress = Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("files  {task.fields[chars]:,} chars  "
                                   "[red]{task.fields[errors]} errors[/red]  "
                                   "{task.fields[skipped]} unchanged"),
                        TimeElapsedColumn(), console=err_console, disable=args.quiet,
                        transient=False)
    task_id = progress.add_task("batch", total=None, chars=0, errors=0, skipped=0)
    counts = {"chars": 0, "errors": 0, "skipped": 0}

    def on_start(total: int) -> None:
        progress.update(task_id, total=total)

    def on_event(source: str, status: str, chars: int) -> None:
        counts["chars"] += chars
        counts["errors"] += status == "error"
        counts["skipped"] += status == "skipped"
        progress.update(task_id, advance=1, **counts)

    try:
        with progress:
            stats = batch.run_batch(args.inputs, args.db, workers=args.workers,
                                    engine=args.engine, scheduler=args.scheduler,
                                    force=args.force, timeout=args.timeout or None,
                                    max_bytes=args.max_bytes, on_start=on_start,
                                    on_event=on_event,
                                    func=functools.partial(batch.extract_job, extractors=args.extractors))
    except store.StoreError as err:
        return _err(str(err))
    conn = store.connect(args.db, readonly=True)
    try:
        print(display.render_summary(stats, store.summary(conn), args.db))
    finally:
        conn.close()
    return 0


# --------------------------------------------------------------------------- search

def search_record(r: dict[str, Any]) -> dict[str, Any]:
    """One search hit as the JSON the ``--format json`` output holds."""
    return {
        "indicator": r["indicator"], "indicator_key": r["indicator_key"],
        "text": r["mention"], "value": r["value"], "low": r["low"], "high": r["high"],
        "unit": r["unit"], "written_unit": r["written_unit"], "unit_inferred": r["unit_inferred"],
        "normalised": display.normalised(r), "kind": r["kind"], "qualifier": r["qualifier"],
        "role": r["role"],
        "target": None if r["target_qid"] is None else {
            "id": r["target_qid"], "text": r["target_text"], "value": r["target_value"],
            "unit": r["target_unit"]},
        "progress": r["progress"],
        "date": None if r["date_text"] is None else {
            "text": r["date_text"], "start_date": r["date_start"], "end_date": r["date_end"]},
        "task": None if r["task"] is None else {"id": r["task"], "title": r["task_title"]},
        "departments": r["departments"],
        "sentence": r["sentence"], "sentence_start": r["sentence_start"],
        "sentence_end": r["sentence_end"], "mention_start": r["mention_start"],
        "mention_end": r["mention_end"], "start": r["start"], "end": r["end"],
        "failed_check": r["failed_check"], "source": r["source"], "id": r["qid"],
        **({"in_unit": r["in_unit"]} if r.get("in_unit") else {}),
    }


CSV_FIELDS = ["source", "id", "indicator", "role", "text", "normalised", "value", "unit",
              "written_unit", "target_value", "target_unit", "progress", "date_start",
              "date_end", "task", "task_title", "departments", "failed_check", "sentence",
              "mention_start", "mention_end"]


def search_unit(written: str | None) -> tuple[str | None, Any]:
    """(the stored base unit to filter on, the Unit asked for when it carries a
    magnitude, else None): 万亩 → ("亩", Unit(万亩, 亩, 10000)); 亩 → ("亩", None)."""
    if not written:
        return None, None
    unit = resolve_unit(written.strip())
    if unit is None or unit.base == written.strip():
        return written.strip(), None
    return unit.base, unit


def _store_units(conn: Any) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT unit FROM quantities WHERE unit IS NOT NULL GROUP BY unit ORDER BY count(*) DESC")]


def cmd_search(args: argparse.Namespace) -> int:
    try:
        conn = _open_store(args.db)
    except FileNotFoundError:
        return _err(f"no store at {args.db}; run `zhibiao batch INPUT... --db {args.db}` first")
    base, asked = search_unit(args.unit)
    if asked is not None:
        print(f"zhibiao: values are stored in base units: searching {base} and showing "
              f"values in {asked.written} (1 {asked.written} = {display.fmt_number(asked.factor)} {base})",
              file=sys.stderr)
    try:
        rows = store.search(conn, args.query, role=args.role, kind=args.kind, unit=base,
                            department=args.department, date_from=args.date_from,
                            date_to=args.date_to, failed_checks=args.failed_checks,
                            limit=count_cap(args.limit) + 1)  # counting stops at the cap
        known_units = _store_units(conn) if base and not rows else []
    finally:
        conn.close()
    total, rows = len(rows), rows[:args.limit]
    if asked is not None:
        rows = [in_unit(r, asked) for r in rows]
    if args.excel or args.format == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore")
        if args.excel:
            sys.stdout.write("\ufeff")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "id": r["qid"], "text": r["mention"], "normalised": display.normalised(r),
                        "task": r["task"], "departments": "、".join(r["departments"])})
    elif args.format == "json":
        json.dump([search_record(r) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        display.print_search_table(rows, args.query)
    if base and not total and base not in known_units:
        units = "、".join(known_units[:15]) or "none yet"
        print(f"zhibiao: no quantity has the unit {args.unit}; units in this store: {units}",
              file=sys.stderr)
    print(f"zhibiao: {shown_of(len(rows), total, count_cap(args.limit))}", file=sys.stderr)
    return 0


def count_cap(limit: int) -> int:
    """How far search counts the matches it does not show: a common term in an archive
    of millions (亩) would otherwise build every row to say how many there are."""
    return max(1000, 10 * limit)


def shown_of(shown: int, total: int, cap: int | None = None) -> str:
    """
    >>> shown_of(20, 28)
    'showing 20 of 28 results; --limit 28 shows them all'
    >>> shown_of(3, 3), shown_of(0, 0)
    ('showing 3 of 3 results', 'showing 0 of 0 results')
    >>> shown_of(20, 1001, 1000)
    'showing 20 of more than 1000 results; raise --limit to see more'
    """
    if cap is not None and total > cap:
        return f"showing {shown} of more than {cap} results; raise --limit to see more"
    more = f"; --limit {total} shows them all" if shown < total else ""
    return f"showing {shown} of {total} results{more}"


def in_unit(r: dict[str, Any], unit: Any) -> dict[str, Any]:
    """A search row with its value (and target) also in ``unit``: ``in_unit`` key."""
    def scaled(v: float | None) -> float | None:
        return None if v is None else round(v / unit.factor, 10)
    if r.get("unit") != unit.base:
        return r
    return {**r, "in_unit": {"unit": unit.written, "value": scaled(r.get("value")),
                             "low": scaled(r.get("low")), "high": scaled(r.get("high"))}}


# --------------------------------------------------------------------------- export, series

def cmd_export(args: argparse.Namespace) -> int:
    fmt = args.format or ("csv" if args.excel or args.out.lower().endswith(".csv") else "parquet")
    if args.excel and fmt != "csv":
        return _err("--excel writes CSV; leave out --format parquet, or drop --excel")
    writable_path(args.out, "the export")
    try:
        conn = _open_store(args.db)
    except FileNotFoundError:
        return _err(f"no store at {args.db}; run `zhibiao batch INPUT... --db {args.db}` first")
    try:
        if args.excel:  # the store's export query, written with a BOM Excel recognises
            df = store.export_frame(conn)
            df.to_csv(args.out, index=False, encoding="utf-8-sig")
            n = len(df)
        else:
            n = store.export(conn, args.out, fmt)
    finally:
        conn.close()
    note = ", UTF-8 with BOM for Excel" if args.excel else ""
    print(f"wrote {n} quantities to {args.out} ({fmt}{note})", file=sys.stderr)
    return 0


INDICATOR_KEYS_SQL = """
SELECT indicator_key, count(*) AS n, count(DISTINCT document_id) AS documents,
       group_concat(DISTINCT unit) AS units, min(indicator) AS example
FROM quantities WHERE indicator_key IS NOT NULL AND indicator_key != ''
GROUP BY indicator_key ORDER BY n DESC, indicator_key
"""


def indicator_keys(conn: Any) -> list[dict[str, Any]]:
    """Each indicator key of the store with its number of quantities, documents, units."""
    return [dict(zip(("indicator_key", "quantities", "documents", "units", "example"), r))
            for r in conn.execute(INDICATOR_KEYS_SQL)]


def cmd_series(args: argparse.Namespace) -> int:
    if not args.list and not args.indicator_key:
        return _err("name an indicator key (zhibiao series KEY), or list them with "
                    "`zhibiao series --list`")
    if args.out:
        if Path(args.out).suffix.lower() not in CHART_SUFFIXES:
            return _err(f"cannot draw a chart as {args.out}; end the file name with "
                        + ", ".join(CHART_SUFFIXES))
        writable_path(args.out, "the chart")
    try:
        conn = _open_store(args.db)
    except FileNotFoundError:
        return _err(f"no store at {args.db}; run `zhibiao batch INPUT... --db {args.db}` first")
    try:
        if args.list:
            display.print_indicator_keys(indicator_keys(conn), args.format)
            return 0
        rows = store.series(conn, args.indicator_key)
        near = [] if rows else _close_keys(conn, args.indicator_key)
    finally:
        conn.close()
    if not rows:
        hint = f"; did you mean {'、'.join(near)}?" if near else ""
        return _err(f"no quantities with indicator key {args.indicator_key!r}{hint} "
                    "(`zhibiao series --list` shows the keys)")
    converted = sorted({r["converted_from"] for r in rows if r.get("converted_from")})
    if converted:
        print(f"zhibiao: values in {'、'.join(converted)} converted to {rows[0]['unit']} "
              "(the series' most common unit; see converted_from)", file=sys.stderr)
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.format == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    else:
        display.print_series_table(rows, args.indicator_key)
    if args.out:
        try:
            from pipeline.apps import charts  # matplotlib: only to draw a chart
        except ImportError as err:
            raise CliError(f"{err.name} is not installed: charts need the charts extra "
                           "(pip install 'zhibiao[charts]')") from None
        charts.plot_series(rows, args.indicator_key, args.out)
        print(f"wrote the chart to {args.out}", file=sys.stderr)
    return 0


def _close_keys(conn: Any, key: str) -> list[str]:
    """Up to three stored keys that contain ``key`` or are spelled much like it."""
    keys = [k["indicator_key"] for k in indicator_keys(conn)]
    inside = [k for k in keys if key and key in k]
    return (inside or difflib.get_close_matches(key, keys, n=3, cutoff=0.5))[:3]


# --------------------------------------------------------------------------- serve

def cmd_serve(args: argparse.Namespace) -> int:
    """Datasette over the store with the zhibiao pages (see :mod:`pipeline.apps.serve`)."""
    return serve.run(args.db, args.host, args.port, print_metadata=args.print_metadata)
