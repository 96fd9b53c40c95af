"""Ruling 13 on a disclosure form's rows: the cells of a row that add up to its 总计 cell.

    python corpus/tools/row_totals.py GOLD.json [--write]

Reads the file the gold is keyed to with zhibiao's reader (its table cells: row, column,
header), and for every row whose cell under a column headed 总计 (or 合计) equals the sum
of the gold mentions in the cells before it, prints the `of` links those mentions lack.
With --write, adds them to the gold (keeping every other field).  The sum is the
criterion, as ruling 13 says for breakdowns of a total; a row that does not add up is
left alone.  Used to adjudicate hongze against huaian (corpus/GOLD_CHANGES.md).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pipeline.learn import evaluate as ev

TOTAL = re.compile(r"(?:总计|合计)$")


def row_links(path: Path) -> list[tuple[str, str]]:
    gold = ev.load_gold(path)
    if gold is None or "_document" not in gold:
        raise SystemExit(f"{path}: not the gold of a table file, or ../shared is missing")
    cells = [b for b in gold["_document"].blocks if b.kind == "cell" and b.row is not None]
    rows: dict[tuple, list[tuple[int, bool, dict]]] = {}
    for q in gold["quantities"]:
        b = next((c for c in cells if c.start <= q["start"] < c.end), None)
        if b is not None and q.get("value") is not None:
            last = re.split(r"[/ ]", (b.header or "").replace(" ", ""))[-1]
            rows.setdefault((b.table, b.sheet, b.row), []).append((b.col or 0, bool(TOTAL.search(last)), q))
    out = []
    for items in rows.values():
        items.sort(key=lambda x: x[0])
        totals = [q for _, is_total, q in items if is_total]
        parts = [q for _, is_total, q in items if not is_total]
        if len(totals) == 1 and len(parts) >= 2 and abs(sum(p["value"] for p in parts) - totals[0]["value"]) < 0.5:
            out += [(p["id"], totals[0]["id"]) for p in parts if not p.get("of")]
    return out


def main() -> None:
    path = Path(sys.argv[1])
    links = row_links(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    by_id = {q["id"]: q for q in raw["quantities"]}
    for part, total in links:
        print(f"{part} {by_id[part]['text']!r} ({by_id[part].get('indicator')}) of {total} {by_id[total]['text']!r}")
    print(f"{len(links)} links", file=sys.stderr)
    if "--write" in sys.argv[2:]:
        for part, total in links:
            by_id[part]["of"] = total
        path.write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
