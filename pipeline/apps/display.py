"""How rows look to a person: numbers, values in their base unit, sentences on one line,
and the terminal tables of ``zhibiao extract --format table``, ``search``, ``series`` and
``batch``.  Shared by the command line and the web pages (pipeline/apps/serve)."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.apps import store
from pipeline.core.vocab import QUANTITY_LINKS

# a line break next to a CJK character: a PDF dump's wrapped line
_CJK_BREAK = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]*\n\s*|\s*\n[ \t\u3000]*(?=[^\x00-\x7f])")


def render_summary(stats: Any, totals: dict[str, Any], db: str) -> str:
    """The end-of-batch report: this run, the store's totals, and what to try next."""
    secs = stats.seconds
    lines = [
        f"this run: {stats.inputs} inputs, {stats.stored} extracted, {stats.skipped} unchanged "
        f"(skipped), {stats.failed} failed, {stats.chars:,} characters in {secs:.1f} s "
        f"({stats.docs_per_second:.1f} documents/s, {stats.chars_per_second:,.0f} characters/s)",
        f"store {db}: {totals['documents']} documents, {totals['tasks']} tasks, "
        f"{totals['quantities']} quantities, {totals['dates']} dates, "
        f"{totals['checks']} checks ({totals['failed_checks']} failed), {totals['errors']} errors",
    ]
    if totals["quantities_by_role"]:
        lines.append("quantities by role: " + ", ".join(
            f"{role} {n}" for role, n in totals["quantities_by_role"].items()))
    for source, code, message in stats.failures[:10]:
        lines.append(f"  error {code}: {source}: {message}")
    if len(stats.failures) > 10:
        lines.append(f"  … and {len(stats.failures) - 10} more (zhibiao serve, table errors)")
    dbarg = "" if db == store.DEFAULT_DB else f" --db {db}"
    lines += [
        "next commands to try:",
        f"  zhibiao search 完成率{dbarg}",
        f"  zhibiao search 耕地 --role actual{dbarg}",
        f"  zhibiao search --failed-checks{dbarg}",
        f"  zhibiao export --format parquet --out indicators.parquet{dbarg}",
        f"  zhibiao series --list{dbarg}",
        f"  zhibiao series INDICATOR_KEY --out series.png{dbarg}",
        f"  zhibiao serve{dbarg}",
    ]
    return "\n".join(lines)


def fmt_number(v: float | None) -> str:
    """
    >>> fmt_number(28000.0), fmt_number(82.5), fmt_number(None), fmt_number(1e10)
    ('28000', '82.5', '', '10000000000')
    """
    if v is None:
        return ""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6g}"


def normalised(r: dict[str, Any]) -> str:
    """The value in the base unit: ``19800 亩``, ``3000–5000 亩``."""
    unit = r.get("unit") or ""
    star = "*" if r.get("unit_inferred") else ""
    if r.get("value") is None and (r.get("low") is not None or r.get("high") is not None):
        num = f"{fmt_number(r.get('low'))}–{fmt_number(r.get('high'))}"
    else:
        num = fmt_number(r.get("value"))
    q = "" if r.get("qualifier") in (None, "=") else r["qualifier"]
    shown = f"{q}{num} {unit}{star}".strip()
    conv = r.get("in_unit")
    if conv:
        if conv["value"] is None:
            cnum = f"{fmt_number(conv['low'])}–{fmt_number(conv['high'])}"
        else:
            cnum = fmt_number(conv["value"])
        shown += f" ({q}{cnum} {conv['unit']})"
    return shown


def flat(s: str | None) -> str:
    return " ".join((s or "").split())


def highlighted_sentence(r: dict[str, Any]) -> Any:
    """The sentence as rich Text with the mention in bold reverse (document text is never
    parsed as markup, so a report containing ``[red]`` prints as written)."""
    s = r["sentence"] or ""
    ms, me = r["mention_start"], r["mention_end"]
    text = Text(one_line(s[:ms]))
    text.append(one_line(s[ms:me]), style="bold reverse")
    text.append(one_line(s[me:]))
    return text


def one_line(s: str | None) -> str:
    r"""Whitespace for a table cell: line breaks next to a CJK character (a PDF dump's
    wrapped lines) go, other runs of whitespace become one space.

    >>> one_line("截至6月\n底完成2.8\n万亩  共 12 个")
    '截至6月底完成2.8万亩 共 12 个'
    """
    s = _CJK_BREAK.sub("", s or "")
    return " ".join(s.split())


def print_search_table(rows: list[dict[str, Any]], query: str) -> None:
    console = Console()
    if not rows:
        console.print(Text(f"no quantities found for {query!r}" if query else "no quantities found"))
        return
    table = Table(show_lines=True)
    table.add_column("indicator (role)", overflow="fold", ratio=2)
    table.add_column("as written → value; target, progress", overflow="fold", ratio=2)
    table.add_column("date · task · department", overflow="fold", ratio=2)
    table.add_column("sentence", overflow="fold", ratio=5)
    table.add_column("source", overflow="fold", ratio=2)
    for r in rows:
        ind = Text(f"{r['indicator'] or ''} ({r['role'] or '?'})")
        if r["failed_check"]:
            ind.append("\ncheck failed", style="bold red")
        val = Text(f"{one_line(r['mention'])} → {normalised(r)}")
        if r["target_qid"] is not None:
            val.append(f"\ntarget {one_line(r['target_text'])}")
        if r["progress"] is not None:
            val.append(f"\nprogress {r['progress']:g}%", style="bold")
        date = r["date_text"] or (f"{r['period_start']}..{r['period_end']}" if r["period_start"] else "")
        where = "\n".join(x for x in (one_line(date), one_line(r["task_title"])[:40],
                                       "、".join(r["departments"])) if x)
        table.add_row(ind, val, Text(where), highlighted_sentence(r), Text(r["source"]))
    console.print(table)


def print_indicator_keys(keys: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        json.dump(keys, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    if fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=list(keys[0]) if keys else ["indicator_key"])
        w.writeheader()
        w.writerows(keys)
        return
    table = Table(title="indicator keys (zhibiao series KEY)")
    for col in ("indicator key", "quantities", "documents", "units"):
        table.add_column(col, overflow="fold")
    for k in keys:
        table.add_row(Text(k["indicator_key"]), str(k["quantities"]), str(k["documents"]),
                      Text((k["units"] or "").replace(",", " ")))
    Console().print(table)


def print_series_table(rows: list[dict[str, Any]], key: str) -> None:
    table = Table(title=Text(key))
    for col in ("date", "role", "as written", "normalised", "target", "source"):
        table.add_column(col, overflow="fold")
    for r in rows:
        date = r["date_end"] or ""
        if r["date_start"] and r["date_start"] != r["date_end"]:
            date = f"{r['date_start']}..{r['date_end']}"
        target = "" if r["target_value"] is None else f"{fmt_number(r['target_value'])} {r['target_unit'] or ''}"
        table.add_row(Text(date), Text(r["role"] or ""), Text(flat(r["text"])),
                      Text(normalised(r)), Text(target), Text(r["source"]))
    Console().print(table)



def render_table(result: dict) -> str:
    """A terminal view a person can read: tasks, then their quantities and dates."""
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
        links = [f"{kind}→{one_line(by_id[q[kind]]['text'])}" for kind in QUANTITY_LINKS
                 if q[kind] and q[kind] in by_id]
        unit = (q["unit"] or "?") + ("*" if q["unit_inferred"] else "")
        per = q.get("period") or {}
        period = "" if not per else (per["start_date"] if per["start_date"] == per["end_date"]
                                     else f"{per['start_date']}..{per['end_date']}")
        table.add_row(cell, q["id"], one_line(q["text"]), str(value), unit, q["qualifier"], q["role"] or "",
                      q["indicator"] or "", period, " ".join(links), q["date"] or "")
    console.print(table)
    if result["dates"]:
        dt = Table(title="dates")
        for col in ("id", "task", "as written", "start", "end", "grain"):
            dt.add_column(col)
        for d in result["dates"]:
            dt.add_row(d["id"], d["task"] or "", one_line(d["text"]), d["start_date"] or "?",
                       d["end_date"] or "?", d["grain"])
        console.print(dt)
    for c in result["checks"]:
        mark = "[green]ok[/green]" if c["ok"] else "[red]FAILED[/red]"
        console.print(f"check {c['rule']}: {mark}  {c['message']}")
    console.print("[dim]* unit inferred from a linked quantity[/dim]")
    return console.export_text()

