"""Standoff annotations of the real documents in ../shared/corpus/real.

One JSON file per document and annotator (``corpus/real/ann/<annotator>/<stem>.json``),
and one adjudicated file per document (``corpus/real/gold/<stem>.json``), in the format
written down in ``corpus/real/README.md``.  Mentions are located by their text (or an
``anchor`` containing it once) and an occurrence number, never by hand-counted offsets,
so the gold of a PDF or DOCX survives changes of the reader's text.

    python corpus/tools/real_ann.py check corpus/real/ann/a/tables-01.json   # locate, validate, review
    python corpus/tools/real_ann.py agree corpus/real/ann/a corpus/real/ann/b [--json out.json]
    python corpus/tools/real_ann.py build                  # corpus/real/gold -> corpus/gold/real-*.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gold_lib import auto_qualifier, auto_sign, find_all, parse_mention, review, tidy  # noqa: E402

SHARED = (ROOT / ".." / "shared").resolve()
REAL = SHARED / "corpus" / "real"
GOLD_SRC = ROOT / "corpus" / "real" / "gold"
GOLD_OUT = ROOT / "corpus" / "gold"

ROLES = {"target", "actual", "rate", "change", "rank", "other"}
KINDS = {"area", "length", "mass", "volume", "money", "count", "percent", "percent_point",
         "ratio", "rank", "energy", "duration", "other"}
QUALIFIERS = {"=", "~", ">=", "<=", ">", "<"}
GRAINS = {"day", "month", "quarter", "half", "year"}
LINKS = ("target", "of", "change_of", "date")
MINUS = str.maketrans({"－": "-", "−": "-", "–": "-"})


class AnnError(ValueError):
    pass


def doc_id_of(stem: str) -> str:
    return f"real-{stem}"


def is_file_doc(name: str) -> bool:
    return name.startswith("files/")


def read_doc_text(name: str, shared: Path = SHARED) -> tuple[str, str] | None:
    """(text, sha256) of a real document; for a table file the reader's text and the
    hash of the file's bytes.  None when ../shared is absent."""
    path = shared / "corpus" / "real" / name
    if not path.exists():
        return None
    if is_file_doc(name):
        from pipeline.core.ingest import read_path  # the readers (pdfplumber, python-docx)
        data = path.read_bytes()
        return read_path(path).text, hashlib.sha256(data).hexdigest()
    with path.open(encoding="utf-8", newline="") as fh:
        text = fh.read()
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def locate(text: str, needle: str, occ: int | None, lo: int, hi: int, what: str) -> int:
    if not needle:
        raise AnnError(f"{what}: empty text")
    hits = find_all(text, needle, lo, hi)
    if not hits:
        raise AnnError(f"{what} {needle!r}: not found in the (annotated part of the) text")
    if occ is None:
        if len(hits) != 1:
            raise AnnError(f"{what} {needle!r}: {len(hits)} occurrences, give \"occ\" (1-based)")
        return hits[0]
    if not 1 <= occ <= len(hits):
        raise AnnError(f"{what} {needle!r}: occ {occ}, but only {len(hits)} occurrences")
    return hits[occ - 1]


def span_of(text: str, m: dict[str, Any], lo: int, hi: int, what: str) -> tuple[int, int]:
    t = m["text"]
    anchor = m.get("anchor")
    if anchor:
        if anchor.count(t) != 1:
            raise AnnError(f"{what} {t!r}: must occur exactly once in anchor {anchor!r}")
        s = locate(text, anchor, m.get("occ"), lo, hi, what + " anchor") + anchor.index(t)
    else:
        s = locate(text, t, m.get("occ"), lo, hi, what)
    return s, s + len(t)


def resolve_value(text: str, m: dict[str, Any], s: int, what: str) -> dict[str, Any]:
    """value/low/high/unit/written_unit/kind/unit_inferred: given, or parsed from the text."""
    out: dict[str, Any] = {}
    inferred = m.get("inferred_unit")
    explicit = any(k in m for k in ("value", "low", "high"))
    if explicit:
        for k in ("unit", "kind"):
            if k not in m:
                raise AnnError(f"{what} {m['text']!r}: an explicit value needs \"unit\" and \"kind\"")
        out.update(value=m.get("value"), low=m.get("low"), high=m.get("high"),
                   unit=m["unit"], kind=m["kind"],
                   written_unit=m.get("written_unit", inferred),
                   unit_inferred=bool(m.get("unit_inferred", inferred is not None)))
    else:
        surface = "".join(m["text"].split()).translate(MINUS)
        try:
            p = parse_mention(surface + (inferred or ""))
        except (ValueError, AssertionError, KeyError) as err:
            raise AnnError(f"{what} {m['text']!r}: cannot parse ({err}); give value, unit, "
                           "kind (and written_unit) explicitly") from None
        value = p.value
        if m.get("role") == "change" and value is not None and not surface.startswith("-"):
            value = value * auto_sign(text, s)
        out.update(value=value, low=p.low, high=p.high, unit=m.get("unit", p.unit),
                   kind=m.get("kind", p.kind),
                   written_unit=m.get("written_unit", inferred or p.written_unit),
                   unit_inferred=inferred is not None)
        out["_inner"] = p.inner_qualifier
    for k in ("value", "low", "high"):
        v = out[k]
        if v is not None and not (isinstance(v, (int, float)) and math.isfinite(v)):
            raise AnnError(f"{what} {m['text']!r}: {k} {v!r} is not a finite number")
        out[k] = tidy(v)
    if out["value"] is None and (out["low"] is None or out["high"] is None):
        raise AnnError(f"{what} {m['text']!r}: needs a value, or low and high")
    return out


def surface_occ(text: str, needle: str, start: int) -> int:
    """How many occurrences of needle (overlaps counted) start before ``start``."""
    n, i = 0, text.find(needle)
    while 0 <= i < start:
        n, i = n + 1, text.find(needle, i + 1)
    return n


def build(ann: dict[str, Any], text: str, digest: str) -> dict[str, Any]:
    """The gold document (contract fields, standoff) of one annotation file."""
    name = ann["doc"]
    stem = Path(name).stem if not is_file_doc(name) else "file-" + Path(name).stem
    lo, hi = 0, len(text)
    rng = ann.get("annotated_range")
    if rng:
        lo = locate(text, rng["from"], rng.get("from_occ"), 0, len(text), "range start")
        hi = locate(text, rng["to"], rng.get("to_occ"), lo, len(text), "range end") + len(rng["to"])
    problems: list[str] = []
    tasks, task_spans = [], []
    for i, t in enumerate(ann.get("tasks", []), 1):
        try:
            s = locate(text, t["start"], t.get("start_occ"), lo, hi, f"task {t.get('seq')} start")
            e = locate(text, t["end"], t.get("end_occ"), s, hi, f"task {t.get('seq')} end") + len(t["end"])
        except AnnError as err:
            problems.append(str(err))
            continue
        tasks.append({"id": f"T{i}", "seq": t.get("seq"), "start": s, "end": e,
                      "title": t.get("title", ""), "departments": t.get("departments", []),
                      "period": t.get("period")})
        task_spans.append((s, e, f"T{i}"))

    def task_of(s: int, e: int) -> str | None:
        for ts, te, tid in task_spans:
            if ts <= s and e <= te:
                return tid
        return None

    used: list[tuple[int, int, str]] = []

    def claim(s: int, e: int, what: str) -> None:
        for us, ue, ut in used:
            if s < ue and us < e:
                problems.append(f"{what} [{s},{e}) overlaps {ut!r} [{us},{ue})")
                return
        used.append((s, e, what))

    dates = []
    for m in ann.get("dates", []):
        what = f"date {m.get('text')!r}"
        try:
            s, e = span_of(text, m, lo, hi, "date")
        except AnnError as err:
            problems.append(str(err))
            continue
        if m.get("grain") not in GRAINS:
            problems.append(f"{what}: grain {m.get('grain')!r} not in {sorted(GRAINS)}")
        claim(s, e, m["text"])
        dates.append({"_key": m.get("id"), "task": task_of(s, e), "start": s, "end": e,
                      "text": m["text"], "start_date": m.get("start_date"),
                      "end_date": m.get("end_date"), "grain": m.get("grain")})
    quantities = []
    for m in ann.get("quantities", []):
        what = "quantity"
        try:
            s, e = span_of(text, m, lo, hi, what)
            vals = resolve_value(text, m, s, what)
        except AnnError as err:
            problems.append(str(err))
            continue
        inner = vals.pop("_inner", None)
        if m.get("role") not in ROLES:
            problems.append(f"{m['text']!r}: role {m.get('role')!r} not in {sorted(ROLES)}")
        if vals["kind"] not in KINDS:
            problems.append(f"{m['text']!r}: kind {vals['kind']!r} not in {sorted(KINDS)}")
        qual = m.get("qualifier") or auto_qualifier(text, s, e, inner)
        if qual not in QUALIFIERS:
            problems.append(f"{m['text']!r}: qualifier {qual!r} not in {sorted(QUALIFIERS)}")
        claim(s, e, m["text"])
        rec = {"_key": m.get("id"), "task": task_of(s, e), "start": s, "end": e,
               "text": m["text"], **vals, "qualifier": qual, "role": m.get("role"),
               "indicator": m.get("indicator")}
        for link in LINKS:
            rec["_" + link] = m.get(link)
        if m.get("period"):
            rec["period"] = m["period"]
        quantities.append(rec)
    quantities.sort(key=lambda r: r["start"])
    dates.sort(key=lambda r: r["start"])
    for i, r in enumerate(dates, 1):
        r["id"] = f"D{i}"
    for i, r in enumerate(quantities, 1):
        r["id"] = f"Q{i}"
    keymap: dict[str, str] = {}
    for r in dates + quantities:
        k = r.pop("_key")
        if k is not None:
            if k in keymap:
                problems.append(f"id {k!r} used twice")
            keymap[str(k)] = r["id"]
    for r in quantities:
        for link in LINKS:
            k = r.pop("_" + link)
            if k is None:
                r[link] = None
            elif str(k) not in keymap:
                problems.append(f"{r['text']!r}: {link} -> unknown id {k!r}")
                r[link] = None
            else:
                r[link] = keymap[str(k)]
                if link == "date" and not r[link].startswith("D"):
                    problems.append(f"{r['text']!r}: date link to a quantity")
                if link != "date" and not r[link].startswith("Q"):
                    problems.append(f"{r['text']!r}: {link} link to a date")
    if problems:
        raise AnnError(f"{name}:\n  " + "\n  ".join(problems))
    source = {"corpus": "real", "file": "real/" + name}
    doc: dict[str, Any] = {"doc_id": doc_id_of(stem), "source": source}
    if is_file_doc(name):
        # the reader's text may change: each mention keeps its surface occurrence so the
        # evaluator finds it again (pipeline.learn.evaluate.load_file_gold)
        doc["bytes_sha256"] = digest
        for r in quantities + dates:
            r["surface_occ"] = surface_occ(text, r["text"], r["start"])
        if rng:
            doc["annotated_range_surface"] = {
                "from": rng["from"], "from_occ": surface_occ(text, rng["from"], lo),
                "to": rng["to"], "to_occ": surface_occ(text, rng["to"], hi - len(rng["to"]))}
    else:
        doc["text_sha256"] = digest
    doc.update(genre=ann.get("genre"), layout=ann.get("layout"),
               reference_date=ann.get("reference_date"))
    if rng:
        doc["annotated_range"] = [lo, hi]
        doc["annotated_pages"] = ann.get("pages")
    doc["period"] = ann.get("period")
    doc["region"] = ann.get("region")
    doc["tasks"] = tasks
    doc["quantities"] = quantities
    doc["dates"] = dates
    return doc


def load_ann(path: Path) -> tuple[dict[str, Any], str, str]:
    ann = json.loads(path.read_text(encoding="utf-8"))
    got = read_doc_text(ann["doc"])
    if got is None:
        raise AnnError(f"{path}: ../shared/corpus/real/{ann['doc']} not found")
    return ann, got[0], got[1]


def check(paths: list[Path]) -> int:
    bad = 0
    for p in paths:
        try:
            ann, text, digest = load_ann(p)
            print(review(build(ann, text, digest), text))
        except (AnnError, json.JSONDecodeError, KeyError) as err:
            bad += 1
            print(f"!! {p}: {type(err).__name__}: {err}")
    return 1 if bad else 0


# ------------------------------------------------------------------ agreement

def _pairs(doc: dict[str, Any]) -> tuple[dict[tuple[int, int], dict[str, Any]], set[Any]]:
    spans = {(m["start"], m["end"]): m for m in doc["quantities"]}
    byid = {m["id"]: (m["start"], m["end"]) for m in doc["quantities"] + doc["dates"]}
    links = {(k, (m["start"], m["end"]), byid[m[k]]) for m in doc["quantities"]
             for k in LINKS if m[k]}
    return spans, links


def agreement(a_dir: Path, b_dir: Path) -> dict[str, Any]:
    """Span F1, value+unit, role, indicator, link F1 and date F1 between two annotators."""
    n: Counter[str] = Counter()
    per_doc = {}
    for pa in sorted(a_dir.glob("*.json")):
        pb = b_dir / pa.name
        if not pb.exists():
            continue
        try:
            ann_a, text, digest = load_ann(pa)
            ann_b = json.loads(pb.read_text(encoding="utf-8"))
            da, db = build(ann_a, text, digest), build(ann_b, text, digest)
        except (AnnError, json.JSONDecodeError, KeyError) as err:
            print(f"skipped {pa.name}: {err}", file=sys.stderr)
            continue
        c: Counter[str] = Counter()
        sa, la = _pairs(da)
        sb, lb = _pairs(db)
        both = set(sa) & set(sb)
        c["q_a"], c["q_b"], c["q_both"] = len(sa), len(sb), len(both)
        for sp in both:
            x, y = sa[sp], sb[sp]
            c["vu_ok"] += int(x["unit"] == y["unit"] and all(
                (x[k] is None and y[k] is None) or (x[k] is not None and y[k] is not None
                                                   and abs(x[k] - y[k]) <= 1e-6 * max(abs(x[k]), 1))
                for k in ("value", "low", "high")))
            c["role_ok"] += int(x["role"] == y["role"])
            c["ind_ok"] += int("".join(str(x["indicator"] or "").split())
                               == "".join(str(y["indicator"] or "").split()))
        c["l_a"], c["l_b"], c["l_both"] = len(la), len(lb), len(la & lb)
        da_sp = {(m["start"], m["end"]) for m in da["dates"]}
        db_sp = {(m["start"], m["end"]) for m in db["dates"]}
        c["d_a"], c["d_b"], c["d_both"] = len(da_sp), len(db_sp), len(da_sp & db_sp)
        per_doc[pa.stem] = dict(c)
        n.update(c)

    def f1(both: int, a: int, b: int) -> float | None:
        return round(2 * both / (a + b), 3) if a + b else None

    def acc(ok: int, total: int) -> float | None:
        return round(ok / total, 3) if total else None
    return {"documents": len(per_doc),
            "quantity_span_f1": f1(n["q_both"], n["q_a"], n["q_b"]),
            "value_unit_agreement": acc(n["vu_ok"], n["q_both"]),
            "role_agreement": acc(n["role_ok"], n["q_both"]),
            "indicator_exact_agreement": acc(n["ind_ok"], n["q_both"]),
            "link_f1": f1(n["l_both"], n["l_a"], n["l_b"]),
            "date_span_f1": f1(n["d_both"], n["d_a"], n["d_b"]),
            "counts": dict(n), "per_document": per_doc}


def diff(pa: Path, pb: Path) -> str:
    """The disagreements of two annotations of one document, one line each."""
    ann_a, text, digest = load_ann(pa)
    da = build(ann_a, text, digest)
    db = build(json.loads(pb.read_text(encoding="utf-8")), text, digest)
    out = [f"== {pa.stem}: a {len(da['quantities'])} quantities / b {len(db['quantities'])}; "
           f"a {len(da['dates'])} dates / b {len(db['dates'])}; "
           f"a {len(da['tasks'])} tasks / b {len(db['tasks'])}"]

    def ctx(m: dict[str, Any]) -> str:
        return (text[max(0, m["start"] - 8):m["start"]] + "[" + m["text"] + "]"
                + text[m["end"]:m["end"] + 4]).replace("\n", "⏎")

    def sp(doc: dict[str, Any], mid: str | None) -> str:
        if mid is None:
            return "-"
        m = next(x for x in doc["quantities"] + doc["dates"] if x["id"] == mid)
        return f"{m['text']!r}@{m['start']}"
    for kind in ("quantities", "dates"):
        sa = {(m["start"], m["end"]): m for m in da[kind]}
        sb = {(m["start"], m["end"]): m for m in db[kind]}
        for key in sorted(set(sa) | set(sb)):
            x, y = sa.get(key), sb.get(key)
            if x is None or y is None:
                who, m = ("only a", x) if y is None else ("only b", y)
                out.append(f"  {kind[:-1]} {who}: {ctx(m)} @{key[0]}")
                continue
            fields = ["value", "low", "high", "unit", "qualifier", "role", "indicator"] \
                if kind == "quantities" else ["start_date", "end_date", "grain"]
            for f in fields:
                if x.get(f) != y.get(f):
                    out.append(f"  {ctx(x)} @{key[0]} {f}: a {x.get(f)!r} / b {y.get(f)!r}")
            if kind == "quantities":
                for f in LINKS:
                    la, lb = sp(da, x[f]), sp(db, y[f])
                    if la != lb:
                        out.append(f"  {ctx(x)} @{key[0]} {f}: a {la} / b {lb}")
                ta = next((t["seq"] for t in da["tasks"] if t["id"] == x["task"]), None)
                tb = next((t["seq"] for t in db["tasks"] if t["id"] == y["task"]), None)
                if ta != tb:
                    out.append(f"  {ctx(x)} @{key[0]} task seq: a {ta!r} / b {tb!r}")
    for f in ("period", "reference_date", "region"):
        if da.get(f) != db.get(f):
            out.append(f"  document {f}: a {da.get(f)!r} / b {db.get(f)!r}")
    return "\n".join(out)


def build_all(src: Path = GOLD_SRC, out: Path = GOLD_OUT) -> int:
    bad = 0
    for p in sorted(src.glob("*.json")):
        try:
            ann, text, digest = load_ann(p)
            doc = build(ann, text, digest)
        except (AnnError, json.JSONDecodeError, KeyError) as err:
            bad += 1
            print(f"!! {p}: {err}")
            continue
        (out / f"{doc['doc_id']}.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("files", nargs="+", type=Path)
    a = sub.add_parser("agree")
    a.add_argument("a", type=Path)
    a.add_argument("b", type=Path)
    a.add_argument("--json", type=Path)
    df = sub.add_parser("diff")
    df.add_argument("a", type=Path)
    df.add_argument("b", type=Path)
    bd = sub.add_parser("build")
    bd.add_argument("--src", type=Path, default=GOLD_SRC)
    bd.add_argument("--out", type=Path, default=GOLD_OUT)
    args = ap.parse_args(argv)
    if args.cmd == "check":
        return check(args.files)
    if args.cmd == "agree":
        res = agreement(args.a, args.b)
        if args.json:
            args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(json.dumps({k: v for k, v in res.items() if k != "per_document"}, ensure_ascii=False, indent=1))
        return 0
    if args.cmd == "diff":
        print(diff(args.a, args.b))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    return build_all(args.src, args.out)


if __name__ == "__main__":
    sys.exit(main())
