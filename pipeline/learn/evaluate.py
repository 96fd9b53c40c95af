"""Gold corpus loading, validation and scoring of extractions against gold.

Gold files live in ``corpus/gold/<doc_id>.json`` in the contract's shape
(../shared/CONTRACT.md, ../shared/ANNOTATION.md).  A gold file either carries its
``text`` (documents the team wrote) or is *standoff*: ``source`` names a file under
``../shared/corpus`` and ``text_sha256`` is the hash of its UTF-8 text; the loader
resolves the text and checks the hash.  ``annotated_range: [lo, hi]`` limits scoring to
a part of the text; ``layers`` names what was annotated (default: everything).

Scoring is pure: ``score_document(gold, pred)`` returns counts and examples;
``summarize(counts)`` turns (summed) counts into metrics.  Offsets are half-open.

Command line::

    python -m pipeline.learn.evaluate validate      # check every gold file
    python -m pipeline.learn.evaluate baseline      # write corpus/baseline.json
    zhibiao eval [--split test]                     # score (pipeline/apps/cli/eval.py)

>>> prf(1, 2, 2)["f1"]
0.5
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import html
import io
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.core import units as units_mod
from pipeline.core.api import extract, extract_document
from pipeline.core.ingest import read_bytes
from pipeline.core.vocab import GRAINS, KINDS, LINK_TYPES, QUALIFIERS, QUANTITY_LINKS, ROLES

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLD_DIR = CORPUS / "gold"
DOCS_DIR = CORPUS / "docs"
SPLITS_FILE = CORPUS / "splits.json"
BASELINE_FILE = CORPUS / "baseline.json"

ALL_LAYERS = ("quantities", "values", "roles", "indicators", "links", "dates", "tasks")
# The contract's base units, used with (and in place of, when absent) pipeline/core/units.py.
CONTRACT_UNITS = frozenset({
    "亩", "公顷", "平方米", "平方公里", "公里", "米", "吨", "斤", "公斤", "元", "个", "宗",
    "家", "项", "处", "件", "户", "人", "次", "座", "所", "条", "%", "个百分点", "倍", "位",
    "人次", "美元", "千瓦", "千瓦时", "立方米", "辆", "套", "间", "名", "年", "天", "岁",
    "吨标准煤", "批", "场", "例", "台", "起", "份", "篇", "张", "期", "微克/立方米", "家次", "部", "小时", "场次", "头",
})
# Units the real gold uses that the extractor's table leaves out on purpose: 分 (scores
# in performance forms; as a unit it would read 十分重要 as 10 points), 月 (a duration
# that reads like a date) and 方面.
GOLD_ONLY_UNITS = frozenset({"分", "月", "方面"})
CONTEXT_CHARS = 30
MAX_EXAMPLES = 40


class GoldError(ValueError):
    """A gold file that cannot be loaded (bad hash, missing source record)."""


# --------------------------------------------------------------------------- loading

def resolve_shared_root(shared_root: Path | str | None = None) -> Path:
    """``../shared`` relative to the project root, or $ZHIBIAO_SHARED, or the argument."""
    if shared_root is None:
        env = os.environ.get("ZHIBIAO_SHARED")
        shared_root = Path(env) if env else Path("../shared")
    p = Path(shared_root)
    return p if p.is_absolute() else (ROOT / p).resolve()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _first_record(path: Path, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    """The first record of a JSONL file that ``wanted`` accepts."""
    with path.open(encoding="utf-8") as fh:
        return next((rec for rec in map(json.loads, fh) if wanted(rec)), None)


def _report(path: Path, year: Any) -> dict[str, Any] | None:
    """The work report of ``year`` in a JSONL of reports (not an approving resolution)."""
    return _first_record(path, lambda rec: rec.get("year") is not None and str(rec["year"]) == str(year)
                         and "决议" not in rec.get("title", ""))


def read_standoff_text(source: dict[str, Any], shared_root: Path) -> str | None:
    """The text a standoff gold file points to, or None when ../shared is absent."""
    path = shared_root / "corpus" / source["file"]
    if not path.exists():
        return None
    if path.suffix == ".jsonl":
        rec = _report(path, source.get("year"))
        if rec is None:
            raise GoldError(f"{path}: no report for year {source.get('year')!r}")
        return str(rec["content"])
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def standoff_title(source: dict[str, Any], shared_root: Path) -> str | None:
    """The title of the page or record a standoff text comes from, as a reader of the
    page would give it (an HTML page's <title>): the record's ``title`` in a JSONL
    corpus, else the ``title`` the source list beside a text file gives (ruling 11 of
    corpus/real/README.md: year and place may come from the page title)."""
    path = shared_root / "corpus" / source["file"]
    if path.suffix == ".jsonl":
        rec = _report(path, source.get("year"))
        return (rec or {}).get("title") or None
    for listing in sorted(path.parent.glob("sources-*.jsonl")):
        rec = _first_record(listing, lambda r: r.get("file") == path.name)
        if rec is not None:
            return rec.get("title") or None
    return None


def is_standoff(doc: dict[str, Any]) -> bool:
    return isinstance(doc.get("source"), dict)


def load_gold(path: Path | str, shared_root: Path | str | None = Path("../shared"),
              titles: bool = True) -> dict[str, Any] | None:
    """Load one gold file; fill in ``text`` for standoff gold.

    Returns None when the gold is standoff and ../shared is absent.  Raises GoldError
    when the resolved text's hash differs from ``text_sha256``.  ``titles``: give a
    standoff document the title of its page (``_title``, see :func:`standoff_title`),
    which :func:`predict` passes to the extractor as a page reader would.
    """
    doc: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    if "bytes_sha256" in doc:
        return load_file_gold(doc, Path(path), resolve_shared_root(shared_root))
    if is_standoff(doc):
        text = read_standoff_text(doc["source"], resolve_shared_root(shared_root))
        if text is None:
            return None
        if sha256_text(text) != doc.get("text_sha256"):
            raise GoldError(f"{path}: text_sha256 does not match {doc['source']['file']}")
        doc = dict(doc, text=text)
        # derived like the text, never written back into the gold (a leading underscore)
        if titles:
            doc["_title"] = standoff_title(doc["source"], resolve_shared_root(shared_root))
    return doc


def _nth(text: str, needle: str, n: int) -> int:
    """Start of the n-th (0-based) occurrence of needle in text, overlaps counted; -1 if none."""
    i = -1
    for _ in range(n + 1):
        i = text.find(needle, i + 1)
        if i < 0:
            return -1
    return i


def load_file_gold(doc: dict[str, Any], path: Path, shared_root: Path
                   ) -> dict[str, Any] | None:
    """Gold of a table file (PDF, DOCX ...): keyed to the file's bytes, its text is what
    the reader produces now.  Each mention carries its surface occurrence, so when the
    reader's text changed, mentions are found again by their text; the Document is kept
    (``_document``) for the prediction to run on the reader's blocks."""
    fpath = shared_root / "corpus" / doc["source"]["file"]
    if not fpath.exists():
        return None
    data = fpath.read_bytes()
    if hashlib.sha256(data).hexdigest() != doc["bytes_sha256"]:
        raise GoldError(f"{path}: bytes_sha256 does not match {doc['source']['file']}")
    document = read_bytes(data, str(fpath))
    text = document.text
    doc = dict(doc, text=text, _document=document)
    for m in doc.get("quantities", []) + doc.get("dates", []):
        if text[m["start"]:m["end"]] != m["text"]:
            s = _nth(text, m["text"], m["surface_occ"])
            if s < 0:
                raise GoldError(f"{path}: {m['text']!r} no longer in the reader's text; "
                                "rebuild with corpus/tools/real_ann.py")
            m["start"], m["end"] = s, s + len(m["text"])
    rng = doc.get("annotated_range_surface")
    if rng and text[doc["annotated_range"][0]:].startswith(rng["from"]) is False:
        lo = _nth(text, rng["from"], rng["from_occ"])
        hi = _nth(text, rng["to"], rng["to_occ"]) + len(rng["to"])
        doc["annotated_range"] = [lo, hi]
    return doc


def gold_paths(gold_dir: Path = GOLD_DIR) -> list[Path]:
    return sorted(gold_dir.glob("*.json"))


def load_splits(path: Path = SPLITS_FILE) -> dict[str, list[str]]:
    data: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def split_doc_ids(split: str, splits_file: Path = SPLITS_FILE) -> list[str]:
    splits = load_splits(splits_file)
    if split == "all":
        return sorted({d for ids in splits.values() for d in ids})
    if split not in splits:
        raise ValueError(f"unknown split {split!r}; use one of {sorted(splits)} or all")
    return list(splits[split])


# --------------------------------------------------------------------------- validation

def known_units() -> frozenset[str]:
    """Units gold may use: the project's unit table (if present) plus the contract's."""
    _mags, table = units_mod.tables()
    return CONTRACT_UNITS | GOLD_ONLY_UNITS | set(table) | {u.base for u in table.values()}


def _is_iso(s: Any) -> bool:
    if not isinstance(s, str) or len(s) != 10:
        return False
    try:
        dt.date.fromisoformat(s)
    except ValueError:
        return False
    return True


def validate_gold(doc: dict[str, Any], units: frozenset[str] | None = None) -> list[str]:
    """Problems with one loaded gold document (text filled in); empty when it is fine."""
    units = known_units() if units is None else units
    errs: list[str] = []
    text = doc.get("text")
    if not isinstance(text, str):
        return ["no text (standoff source not resolved?)"]
    if is_standoff(doc) and "bytes_sha256" not in doc and sha256_text(text) != doc.get("text_sha256"):
        errs.append("text_sha256 does not match text")
    if not doc.get("doc_id"):
        errs.append("no doc_id")
    lo, hi = doc.get("annotated_range") or [0, len(text)]
    if not (0 <= lo <= hi <= len(text)):
        errs.append(f"annotated_range {lo},{hi} outside text of {len(text)}")
    for layer in doc.get("layers", ALL_LAYERS):
        if layer not in ALL_LAYERS:
            errs.append(f"unknown layer {layer!r}")
    task_ids = set()
    for t in doc.get("tasks", []):
        task_ids.add(t["id"])
        if not (0 <= t["start"] < t["end"] <= len(text)):
            errs.append(f"task {t['id']}: span {t['start']},{t['end']} outside text")
    ids: set[str] = set()
    qids = {q["id"] for q in doc.get("quantities", [])}
    dids = {d["id"] for d in doc.get("dates", [])}
    if qids & dids:
        errs.append(f"ids used twice: {sorted(qids & dids)}")
    spans: set[tuple[int, int]] = set()
    for kind, items in (("quantity", doc.get("quantities", [])), ("date", doc.get("dates", []))):
        for m in items:
            mid = m.get("id")
            if mid in ids:
                errs.append(f"{kind} {mid}: duplicate id")
            ids.add(mid)
            s, e = m["start"], m["end"]
            where = f"{kind} {mid} {m.get('text')!r}"
            if not (0 <= s < e <= len(text)):
                errs.append(f"{where}: span {s},{e} outside text")
                continue
            if text[s:e] != m["text"]:
                errs.append(f"{where}: text[{s}:{e}] is {text[s:e]!r}")
            if not (lo <= s and e <= hi):
                errs.append(f"{where}: outside annotated_range")
            if (s, e) in spans:
                errs.append(f"{where}: span annotated twice")
            spans.add((s, e))
            if m.get("task") is not None and m["task"] not in task_ids:
                errs.append(f"{where}: task {m['task']!r} does not exist")
            if kind == "date":
                if m.get("start_date") is None and m.get("end_date") is None:
                    pass  # a date whose year the document never states (ruling 11)
                elif not (_is_iso(m.get("start_date")) and _is_iso(m.get("end_date"))):
                    errs.append(f"{where}: start_date/end_date not ISO dates")
                elif m["start_date"] > m["end_date"]:
                    errs.append(f"{where}: start_date after end_date")
                if m.get("grain") not in GRAINS:
                    errs.append(f"{where}: grain {m.get('grain')!r}")
                continue
            if m.get("unit") is not None and m.get("unit") not in units:  # None: no unit given
                errs.append(f"{where}: unit {m.get('unit')!r} not in the unit table")
            if m.get("kind") not in KINDS:
                errs.append(f"{where}: kind {m.get('kind')!r}")
            if m.get("qualifier") not in QUALIFIERS:
                errs.append(f"{where}: qualifier {m.get('qualifier')!r}")
            if m.get("role") not in ROLES:
                errs.append(f"{where}: role {m.get('role')!r}")
            if m.get("value") is None:
                if m.get("low") is None or m.get("high") is None or m["low"] > m["high"]:
                    errs.append(f"{where}: no value and no low<=high range")
            elif not math.isfinite(float(m["value"])):
                errs.append(f"{where}: value not finite")
            for link in QUANTITY_LINKS:
                ref = m.get(link)
                if ref is not None and (ref not in qids or ref == mid):
                    errs.append(f"{where}: {link} {ref!r} is not another quantity")
            if m.get("date") is not None and m["date"] not in dids:
                errs.append(f"{where}: date {m['date']!r} is not a date id")
    return errs


def validate_all(gold_dir: Path = GOLD_DIR, shared_root: Path | str | None = None
                 ) -> dict[str, list[str]]:
    """Problems per gold file; standoff files without ../shared are reported as skipped."""
    out: dict[str, list[str]] = {}
    units = known_units()
    ids: dict[str, str] = {}
    for p in gold_paths(gold_dir):
        try:
            doc = load_gold(p, shared_root)
        except GoldError as err:
            out[p.name] = [str(err)]
            continue
        if doc is None:
            out[p.name] = ["SKIPPED: ../shared absent"]
            continue
        errs = validate_gold(doc, units)
        if doc["doc_id"] != p.stem:
            errs.append(f"doc_id {doc['doc_id']!r} differs from file name")
        if doc["doc_id"] in ids:
            errs.append(f"doc_id also in {ids[doc['doc_id']]}")
        ids[doc["doc_id"]] = p.name
        out[p.name] = errs
    if SPLITS_FILE.exists() and gold_dir == GOLD_DIR:
        splits = load_splits()
        seen: Counter[str] = Counter(d for v in splits.values() for d in v)
        for d, n in seen.items():
            if n > 1:
                out.setdefault("splits.json", []).append(f"{d} in {n} splits")
            if not (gold_dir / f"{d}.json").exists():
                out.setdefault("splits.json", []).append(f"{d} has no gold file")
        for p in gold_paths(gold_dir):
            if p.stem not in seen:
                out.setdefault("splits.json", []).append(f"{p.stem} in no split")
    return out


# --------------------------------------------------------------------------- scoring

Span = tuple[int, int]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall, F1; an empty side counts as perfect (1.0), not as 0/0."""
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if (p + r) else 0.0
    return {"precision": p, "recall": r, "f1": f}


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def overlap_len(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: list[Span], pred: list[Span]) -> tuple[dict[int, int], set[int]]:
    """One-to-one matching of gold to pred indices: exact spans first, then largest overlap.

    Returns (gold index -> pred index, set of gold indices matched exactly).
    """
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_span: dict[Span, list[int]] = {}
    for j, s in enumerate(pred):
        by_span.setdefault(s, []).append(j)
    for i, s in enumerate(gold):
        for j in by_span.get(s, []):
            if j not in used:
                pairs[i] = j
                used.add(j)
                break
    strict = set(pairs)
    cands = []
    for i, g in enumerate(gold):
        if i in pairs:
            continue
        for j, p in enumerate(pred):
            if j not in used:
                ov = overlap_len(g, p)
                if ov > 0:
                    cands.append((-ov, i, j))
    for _neg, i, j in sorted(cands):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs, strict


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-12)


def values_equal(g: dict[str, Any], p: dict[str, Any]) -> bool:
    return (g.get("unit") == p.get("unit") and _close(g.get("value"), p.get("value"))
            and _close(g.get("low"), p.get("low")) and _close(g.get("high"), p.get("high")))


def _norm_ind(s: Any) -> str:
    return "".join(str(s or "").split())


def _lcs_len(a: str, b: str) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b):
            if ca == cb:
                cur[j + 1] = prev[j] + 1
                best = max(best, cur[j + 1])
        prev = cur
    return best


def indicator_overlaps(g: str, p: str) -> bool:
    """Either contains the other, or they share a substring of half the shorter (>= 2)."""
    if not g or not p:
        return False
    if g in p or p in g:
        return True
    return _lcs_len(g, p) >= max(2, (min(len(g), len(p)) + 1) // 2)


def context(text: str, start: int, end: int, n: int = CONTEXT_CHARS) -> str:
    """The mention with n characters either side, the mention in 【】, line breaks as ⏎."""
    s = text[max(0, start - n):start] + "【" + text[start:end] + "】" + text[end:end + n]
    return s.replace("\n", "⏎")


def in_range(m: dict[str, Any], lo: int, hi: int) -> bool:
    return lo <= int(m["start"]) < hi


def _task_map(gold_tasks: list[dict[str, Any]], pred_tasks: list[dict[str, Any]]
              ) -> dict[str, str]:
    """Predicted task id -> gold task id of the gold task its span overlaps most."""
    out = {}
    for pt in pred_tasks:
        best, best_ov = None, 0
        for gt in gold_tasks:
            ov = overlap_len((gt["start"], gt["end"]), (pt["start"], pt["end"]))
            if ov > best_ov:
                best, best_ov = gt["id"], ov
        if best is not None:
            out[pt["id"]] = best
    return out


def empty_counts() -> dict[str, Any]:
    return {"n": Counter(), "confusion": Counter(), "examples": []}


def _example(ex: list[dict[str, Any]], doc_id: str, kind: str, text: str, m: dict[str, Any],
             note: str) -> None:
    ex.append({"doc_id": doc_id, "kind": kind, "text": m.get("text"),
               "start": m["start"], "end": m["end"],
               "context": context(text, int(m["start"]), int(m["end"])), "note": note})


def score_document(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, Any]:
    """Counts (a Counter ``n``), a role confusion Counter and error examples for one doc."""
    text: str = gold["text"]
    doc_id = str(gold.get("doc_id"))
    layers = set(gold.get("layers", ALL_LAYERS))
    lo, hi = gold.get("annotated_range") or [0, len(text)]
    n: Counter[str] = Counter()
    conf: Counter[str] = Counter()
    ex: list[dict[str, Any]] = []

    gq = [q for q in gold.get("quantities", []) if in_range(q, lo, hi)]
    pq = [q for q in pred.get("quantities", []) if in_range(q, lo, hi)]
    gd = [d for d in gold.get("dates", []) if in_range(d, lo, hi)]
    pd = [d for d in pred.get("dates", []) if in_range(d, lo, hi)]
    qpairs, qstrict = match_spans([(q["start"], q["end"]) for q in gq],
                                  [(q["start"], q["end"]) for q in pq])
    dpairs, dstrict = match_spans([(d["start"], d["end"]) for d in gd],
                                  [(d["start"], d["end"]) for d in pd])

    # quantities: detection
    n["q_gold"] += len(gq)
    n["q_pred"] += len(pq)
    n["q_tp_strict"] += len(qstrict)
    n["q_tp_overlap"] += len(qpairs)
    matched_pred = set(qpairs.values())
    for i, g in enumerate(gq):
        if i not in qpairs:
            _example(ex, doc_id, "quantity missed", text, g, "")
        elif i not in qstrict:
            p = pq[qpairs[i]]
            _example(ex, doc_id, "quantity span", text, g, f"predicted {p.get('text')!r}")
    for j, p in enumerate(pq):
        if j not in matched_pred:
            _example(ex, doc_id, "quantity spurious", text, p, "")

    # values, qualifiers (strict matches)
    if "values" in layers:
        for i in qstrict:
            g, p = gq[i], pq[qpairs[i]]
            n["val_n"] += 1
            if values_equal(g, p):
                n["val_ok"] += 1
            else:
                _example(ex, doc_id, "value/unit", text, g,
                         f"gold {g.get('value', g.get('low'))} {g.get('unit')}, predicted "
                         f"{p.get('value', p.get('low'))} {p.get('unit')}")
            n["qual_n"] += 1
            if g.get("qualifier", "=") == (p.get("qualifier") or "="):
                n["qual_ok"] += 1
            else:
                _example(ex, doc_id, "qualifier", text, g,
                         f"gold {g.get('qualifier')}, predicted {p.get('qualifier')}")

    # the document's region, where the gold names one
    if gold.get("region"):
        n["region_n"] += 1
        n["region_ok"] += int(_norm_ind(gold["region"]) == _norm_ind(pred.get("region")))

    # periods (all matches): the gold's own period, else its date's, else the document's
    gdates = {d["id"]: d for d in gold.get("dates", [])}
    for i, j in qpairs.items():
        g, p = gq[i], pq[j]
        want = g.get("period") or gdates.get(g.get("date") or "") or gold.get("period")
        if not want or not want.get("start_date") or not want.get("end_date"):
            continue
        got = p.get("period") or {}
        n["period_n"] += 1
        if (got.get("start_date"), got.get("end_date")) == (want["start_date"], want["end_date"]):
            n["period_ok"] += 1
        else:
            _example(ex, doc_id, "period", text, g, f"gold {want['start_date']}..{want['end_date']}, "
                     f"predicted {got.get('start_date')}..{got.get('end_date')}")

    # roles, indicators (all matches)
    for i, j in qpairs.items():
        g, p = gq[i], pq[j]
        if "roles" in layers:
            n["role_n"] += 1
            conf[f"{g.get('role')}|{p.get('role')}"] += 1
            if g.get("role") == p.get("role"):
                n["role_ok"] += 1
            else:
                _example(ex, doc_id, "role", text, g,
                         f"gold {g.get('role')}, predicted {p.get('role')}")
        if "indicators" in layers and g.get("indicator"):
            gi, pi = _norm_ind(g.get("indicator")), _norm_ind(p.get("indicator"))
            n["ind_n"] += 1
            n["ind_exact"] += int(gi == pi)
            n["ind_overlap"] += int(indicator_overlaps(gi, pi))

    # tasks
    if "tasks" in layers:
        gts, pts = gold.get("tasks", []), pred.get("tasks", [])
        tmap = _task_map(gts, pts)
        n["task_gold"] += len(gts)
        n["task_pred"] += len(pts)
        tpairs, _ = match_spans([(t["start"], t["end"]) for t in gts],
                                [(t["start"], t["end"]) for t in pts])
        for i, j in tpairs.items():
            g_t, p_t = gts[i], pts[j]
            if overlap_len((g_t["start"], g_t["end"]), (p_t["start"], p_t["end"])) * 2 \
                    >= (g_t["end"] - g_t["start"]):
                n["task_tp"] += 1
                n["dept_n"] += 1
                n["dept_ok"] += int(sorted(g_t.get("departments", []))
                                    == sorted(p_t.get("departments", [])))
        for gm, pm, pairs in ((gq, pq, qpairs), (gd, pd, dpairs)):
            for i, j in pairs.items():
                g, p = gm[i], pm[j]
                if g.get("task") is None and p.get("task") is None:
                    continue
                n["assign_n"] += 1
                mapped = tmap.get(p["task"]) if p.get("task") is not None else None
                if mapped == g.get("task"):
                    n["assign_ok"] += 1
                else:
                    _example(ex, doc_id, "task assignment", text, g,
                             f"gold {g.get('task')}, predicted {p.get('task')}")

    # links
    if "links" in layers:
        q_g2p = {gq[i]["id"]: pq[j]["id"] for i, j in qpairs.items()}
        d_g2p = {gd[i]["id"]: pd[j]["id"] for i, j in dpairs.items()}
        for lt in LINK_TYPES:
            if lt == "date" and "dates" not in layers:
                continue
            tmap_ids = d_g2p if lt == "date" else q_g2p
            gold_links = {(g["id"], g[lt]) for g in gq if g.get(lt) is not None}
            pred_links = {(p["id"], p[lt]) for p in pq if p.get(lt) is not None}
            mapped_gold = {(q_g2p.get(s), tmap_ids.get(t)) for s, t in gold_links}
            tp = len({pl for pl in pred_links if pl in mapped_gold})
            n[f"link_{lt}_gold"] += len(gold_links)
            n[f"link_{lt}_pred"] += len(pred_links)
            n[f"link_{lt}_tp"] += tp
            gq_by_id = {g["id"]: g for g in gq}
            for s, t in sorted(gold_links):
                if (q_g2p.get(s), tmap_ids.get(t)) not in pred_links:
                    tgt = gq_by_id.get(t) or next((d for d in gd if d["id"] == t), {})
                    _example(ex, doc_id, f"link {lt} missed", text, gq_by_id[s],
                             f"→ {tgt.get('text')!r}")

    # dates
    if "dates" in layers:
        n["d_gold"] += len(gd)
        n["d_pred"] += len(pd)
        n["d_tp_strict"] += len(dstrict)
        n["d_tp_overlap"] += len(dpairs)
        matched_d = set(dpairs.values())
        for i, g in enumerate(gd):
            if i not in dpairs:
                _example(ex, doc_id, "date missed", text, g, "")
                continue
            p = pd[dpairs[i]]
            n["dnorm_n"] += 1
            if all(g.get(k) == p.get(k) for k in ("start_date", "end_date", "grain")):
                n["dnorm_ok"] += 1
            else:
                _example(ex, doc_id, "date normalisation", text, g,
                         f"gold {g.get('start_date')}..{g.get('end_date')} {g.get('grain')}, "
                         f"predicted {p.get('start_date')}..{p.get('end_date')} {p.get('grain')}")
        for j, p in enumerate(pd):
            if j not in matched_d:
                _example(ex, doc_id, "date spurious", text, p, "")
    return {"n": n, "confusion": conf, "examples": ex}


def add_counts(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    total["n"].update(part["n"])
    total["confusion"].update(part["confusion"])
    total["examples"].extend(part["examples"])
    return total


def summarize(counts: dict[str, Any]) -> dict[str, Any]:
    """Metrics from (summed) counts: micro-averaged when the counts are summed."""
    n: Counter[str] = counts["n"]
    m: dict[str, Any] = {}
    for name, tp in (("strict", "q_tp_strict"), ("overlap", "q_tp_overlap")):
        for k, v in prf(n[tp], n["q_pred"], n["q_gold"]).items():
            m[f"quantity_{name}_{k}"] = v
    m["value_unit_accuracy"] = ratio(n["val_ok"], n["val_n"])
    m["value_unit_recall"] = ratio(n["val_ok"], n["q_gold"]) if n["val_n"] else None
    if n["val_n"]:  # a mention counts when its span matches and its value and unit are right
        for k, v in prf(n["val_ok"], n["q_pred"], n["q_gold"]).items():
            m[f"value_unit_{k}"] = v
    m["qualifier_accuracy"] = ratio(n["qual_ok"], n["qual_n"])
    m["role_accuracy"] = ratio(n["role_ok"], n["role_n"])
    m["indicator_exact"] = ratio(n["ind_exact"], n["ind_n"])
    m["indicator_overlap"] = ratio(n["ind_overlap"], n["ind_n"])
    m["task_assignment_accuracy"] = ratio(n["assign_ok"], n["assign_n"])
    m["period_accuracy"] = ratio(n["period_ok"], n["period_n"])
    m["region_accuracy"] = ratio(n["region_ok"], n["region_n"])
    if n["task_gold"] or n["task_pred"]:
        for k, v in prf(n["task_tp"], n["task_pred"], n["task_gold"]).items():
            m[f"task_{k}"] = v
        m["task_departments_accuracy"] = ratio(n["dept_ok"], n["dept_n"])
    tp_all = pred_all = gold_all = 0
    for lt in LINK_TYPES:
        g, p, tp = n[f"link_{lt}_gold"], n[f"link_{lt}_pred"], n[f"link_{lt}_tp"]
        tp_all, pred_all, gold_all = tp_all + tp, pred_all + p, gold_all + g
        if g or p:
            for k, v in prf(tp, p, g).items():
                m[f"link_{lt}_{k}"] = v
    for k, v in prf(tp_all, pred_all, gold_all).items():
        m[f"link_all_{k}"] = v
    if n["d_gold"] or n["d_pred"]:
        for name, tp in (("strict", "d_tp_strict"), ("overlap", "d_tp_overlap")):
            for k, v in prf(n[tp], n["d_pred"], n["d_gold"]).items():
                m[f"date_{name}_{k}"] = v
        m["date_normalisation_accuracy"] = ratio(n["dnorm_ok"], n["dnorm_n"])
    return m


def confusion_matrix(conf: Counter[str]) -> dict[str, dict[str, int]]:
    """gold role -> predicted role -> count (None predicted shown as 'none')."""
    out: dict[str, dict[str, int]] = {}
    for key, c in conf.items():
        g, p = key.split("|", 1)
        out.setdefault(g, {})[p] = out.setdefault(g, {}).get(p, 0) + c
    return out


def doc_origin(gold: dict[str, Any]) -> str:
    """real, team, seed or gwr: who wrote the document."""
    src = gold.get("source")
    return str(src.get("corpus")) if isinstance(src, dict) else "team"


def doc_layout(gold: dict[str, Any]) -> str:
    """table or narrative (a real document's layout; else: has table rows or not)."""
    layout = gold.get("layout")
    if layout:
        return "narrative" if layout == "narrative" else "table"
    return "table" if gold.get("tasks") else "narrative"


def doc_groups(gold: dict[str, Any]) -> list[str]:
    origin, layout = doc_origin(gold), doc_layout(gold)
    return ["all", origin, layout, f"{origin} {layout}"]


def macro(per_doc: list[dict[str, Any]]) -> dict[str, float]:
    """Per-document (macro) averages: the mean of each metric over the documents that
    have it."""
    keys = sorted({k for m in per_doc for k, v in m.items() if v is not None})
    out = {}
    for k in keys:
        vals = [m[k] for m in per_doc if m.get(k) is not None]
        out[k] = round(sum(vals) / len(vals), 4)
    return out


def evaluate_pairs(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """Score (gold, pred) pairs: per-document metrics, micro-averaged overall, and per group
    (origin: real / team / seed / gwr; layout: table / narrative) micro and macro."""
    total = empty_counts()
    per_doc = {}
    groups: dict[str, dict[str, Any]] = {}
    for gold, pred in pairs:
        c = score_document(gold, pred)
        metrics = summarize(c)
        per_doc[str(gold["doc_id"])] = {"metrics": metrics, "counts": dict(c["n"]),
                                        "origin": doc_origin(gold), "layout": doc_layout(gold)}
        for g in doc_groups(gold):
            grp = groups.setdefault(g, {"counts": empty_counts(), "docs": []})
            grp["counts"]["n"].update(c["n"])
            grp["docs"].append(metrics)
        add_counts(total, c)
    return {
        "overall": summarize(total),
        "counts": dict(total["n"]),
        "groups": {g: {"documents": len(v["docs"]), "micro": summarize(v["counts"]),
                       "macro": macro(v["docs"])} for g, v in groups.items()},
        "role_confusion": confusion_matrix(total["confusion"]),
        "documents": per_doc,
        "examples": total["examples"],
    }


# --------------------------------------------------------------------------- running

def _extract_fn(extractor: str | None) -> Callable[..., dict[str, Any]]:

    def run(text: str, **kw: Any) -> dict[str, Any]:
        return _as_dict(extract(text, extractors=extractor or "combined", **kw))
    return run


def _as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    out: dict[str, Any] = obj.to_dict()
    return out


def predict(gold: dict[str, Any], extractor: str | None = "combined") -> dict[str, Any]:
    """Run pipeline.extract on a gold document's text."""
    if "_document" in gold:  # a table file: run on the reader's Document, blocks and all
        return extract_document(gold["_document"], gold.get("reference_date"),
                                extractor or "combined").to_dict()
    run = _extract_fn(extractor)
    return run(gold["text"], reference_date=gold.get("reference_date"),
               doc_id=gold["doc_id"], title=gold.get("title") or gold.get("_title"))


def load_docs(paths: list[Path] | None = None, split: str | None = None,
              shared_root: Path | str | None = None, titles: bool = True) -> tuple[list[dict[str, Any]], list[str]]:
    """Gold docs (from paths, or a split, or all of corpus/gold); skipped standoff names."""
    if paths is None:
        if split and split != "all":
            paths = [GOLD_DIR / f"{d}.json" for d in split_doc_ids(split)]
        else:
            paths = gold_paths()
    docs, skipped = [], []
    for p in paths:
        doc = load_gold(p, shared_root, titles)
        if doc is None:
            skipped.append(Path(p).stem)
        else:
            docs.append(doc)
    return docs, skipped


def run_evaluation(docs: list[dict[str, Any]], pred_dir: Path | None = None,
                   extractor: str | None = "combined") -> dict[str, Any]:
    """Predict (or read predictions) for every doc and score them."""
    pairs = []
    errors: dict[str, str] = {}
    for gold in docs:
        if pred_dir is not None:
            pf = Path(pred_dir) / f"{gold['doc_id']}.json"
            if pf.exists():
                pred = json.loads(pf.read_text(encoding="utf-8"))
            else:
                errors[gold["doc_id"]] = f"no prediction file {pf}"
                pred = {"quantities": [], "dates": [], "tasks": []}
        else:
            try:
                pred = predict(gold, extractor)
            except (AttributeError, NotImplementedError, ValueError,
                    KeyError, TypeError, IndexError, RuntimeError) as err:
                errors[gold["doc_id"]] = f"{type(err).__name__}: {err}"
                pred = {"quantities": [], "dates": [], "tasks": []}
        pairs.append((gold, pred))
    result = evaluate_pairs(pairs)
    result["errors"] = errors
    result["extractor"] = extractor if pred_dir is None else f"pred:{pred_dir}"
    return result


def evaluate_corpus(split: str = "test", extractor: str = "combined",
                    shared_root: Path | str | None = None) -> dict[str, Any]:
    """Evaluate pipeline.extract on a split of corpus/ (standoff docs skip without ../shared)."""
    docs, skipped = load_docs(split=split, shared_root=shared_root)
    result = run_evaluation(docs, None, extractor)
    result["split"] = split
    result["skipped"] = skipped
    return result


# --------------------------------------------------------------------------- output

HEADLINE = [
    ("quantity_strict_f1", "quantity F1 (strict)"),
    ("quantity_overlap_f1", "quantity F1 (overlap)"),
    ("value_unit_f1", "value+unit F1"),
    ("value_unit_accuracy", "value+unit (of strict)"),
    ("qualifier_accuracy", "qualifier"),
    ("role_accuracy", "role accuracy"),
    ("indicator_exact", "indicator exact"),
    ("indicator_overlap", "indicator overlap"),
    ("task_assignment_accuracy", "task assignment"),
    ("period_accuracy", "quantity period"),
    ("region_accuracy", "document region"),
    ("link_all_f1", "links F1 (all)"),
    ("date_strict_f1", "date F1 (strict)"),
    ("date_normalisation_accuracy", "date normalisation"),
]


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def text_table(result: dict[str, Any]) -> str:
    o = result["overall"]
    c = result["counts"]
    lines = [f"documents {len(result['documents'])}  gold quantities {c.get('q_gold', 0)}  "
             f"predicted {c.get('q_pred', 0)}  gold dates {c.get('d_gold', 0)}"]
    for key, label in HEADLINE:
        lines.append(f"  {label:<26} {_fmt(o.get(key))}")
    for lt in LINK_TYPES:
        if f"link_{lt}_f1" in o:
            lines.append(f"  {'link ' + lt:<26} P {_fmt(o[f'link_{lt}_precision'])}  "
                         f"R {_fmt(o[f'link_{lt}_recall'])}  F1 {_fmt(o[f'link_{lt}_f1'])}")
    lines += group_table(result)
    if result.get("skipped"):
        lines.append(f"  skipped (no ../shared): {', '.join(result['skipped'])}")
    if result.get("errors"):
        lines.append(f"  extraction errors: {len(result['errors'])} documents, e.g. "
                     f"{next(iter(result['errors'].items()))}")
    return "\n".join(lines)


GROUP_ORDER = ["real", "real table", "real narrative", "team", "seed", "gwr"]


def group_table(result: dict[str, Any]) -> list[str]:
    """The headline measures per group of documents, micro (macro) averaged."""
    groups = result.get("groups") or {}
    names = [g for g in GROUP_ORDER if g in groups]
    if not names:
        return []
    lines = ["", "by group, micro-averaged (per-document macro average in brackets):",
             "| measure | " + " | ".join(f"{g} ({groups[g]['documents']} docs)" for g in names)
             + " |", "|---|" + "---|" * len(names)]
    for key, label in HEADLINE:
        cells = [f"{_fmt(groups[g]['micro'].get(key))} ({_fmt(groups[g]['macro'].get(key))})"
                 for g in names]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _chart_png(result: dict[str, Any]) -> str | None:
    """A bar chart of the headline metrics as a base64 PNG (None without matplotlib, the
    ``charts`` extra)."""
    try:
        import matplotlib  # matplotlib: only for the report's chart
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # pyplot: once the Agg backend is chosen
    except ImportError:
        return None
    o = result["overall"]
    items = [(label, o[k]) for k, label in HEADLINE if o.get(k) is not None]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.barh([i[0] for i in items][::-1], [i[1] for i in items][::-1], color="#4a7bb7")
    ax.set_xlim(0, 1)
    ax.set_xlabel("score")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def html_report(result: dict[str, Any], title: str = "zhibiao evaluation") -> str:
    e = html.escape
    o = result["overall"]
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{e(title)}</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
             "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
             "td.l,th.l{text-align:left}.ctx{font-family:monospace}</style></head><body>",
             f"<h1>{e(title)}</h1>",
             f"<p>extractor: {e(str(result.get('extractor')))}; split: "
             f"{e(str(result.get('split', '-')))}; documents: {len(result['documents'])}; "
             f"skipped: {e(', '.join(result.get('skipped', [])) or 'none')}</p>"]
    png = _chart_png(result)
    if png:
        parts.append(f"<img alt='headline metrics' src='data:image/png;base64,{png}'>")
    parts.append("<h2>Overall (micro-averaged)</h2><table><tr><th class=l>metric</th>"
                 "<th>value</th></tr>")
    for k in sorted(o):
        parts.append(f"<tr><td class=l>{e(k)}</td><td>{_fmt(o[k])}</td></tr>")
    parts.append("</table><h2>Counts</h2><table>")
    for k in sorted(result["counts"]):
        parts.append(f"<tr><td class=l>{e(k)}</td><td>{result['counts'][k]}</td></tr>")
    parts.append("</table><h2>Role confusion (rows gold, columns predicted)</h2>")
    conf = result["role_confusion"]
    cols = sorted({p for row in conf.values() for p in row})
    parts.append("<table><tr><th class=l>gold \\ pred</th>"
                 + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>")
    for g in sorted(conf):
        parts.append(f"<tr><th class=l>{e(g)}</th>"
                     + "".join(f"<td>{conf[g].get(c, '')}</td>" for c in cols) + "</tr>")
    parts.append("</table><h2>Per document</h2><table><tr><th class=l>doc</th>"
                 + "".join(f"<th>{e(label)}</th>" for _k, label in HEADLINE) + "</tr>")
    for d, r in sorted(result["documents"].items()):
        parts.append(f"<tr><td class=l>{e(d)}</td>"
                     + "".join(f"<td>{_fmt(r['metrics'].get(k))}</td>" for k, _l in HEADLINE)
                     + "</tr>")
    parts.append("</table>")
    if result.get("errors"):
        parts.append("<h2>Extraction errors</h2><ul>")
        for d, msg in result["errors"].items():
            parts.append(f"<li>{e(d)}: {e(msg)}</li>")
        parts.append("</ul>")
    parts.append("<h2>Error examples</h2>")
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for x in result["examples"]:
        by_kind.setdefault(x["kind"], []).append(x)
    for kind in sorted(by_kind):
        xs = by_kind[kind]
        parts.append(f"<h3>{e(kind)} ({len(xs)})</h3><table><tr><th class=l>doc</th>"
                     "<th class=l>context</th><th class=l>note</th></tr>")
        for x in xs[:MAX_EXAMPLES]:
            parts.append(f"<tr><td class=l>{e(x['doc_id'])}</td><td class='l ctx'>"
                         f"{e(x['context'])}</td><td class=l>{e(x['note'])}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def metrics_for_baseline(result: dict[str, Any]) -> dict[str, float]:
    return {k: float(v) for k, v in result["overall"].items() if v is not None}


def write_baseline(split: str = "test", path: Path = BASELINE_FILE,
                   extractor: str = "combined") -> dict[str, Any]:
    result = evaluate_corpus(split, extractor)
    data = {"split": split, "extractor": extractor, "documents": sorted(result["documents"]),
            "metrics": metrics_for_baseline(result)}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.learn.evaluate")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("validate", help="check every gold file in corpus/gold")
    b = sub.add_parser("baseline", help="write corpus/baseline.json from the current code")
    b.add_argument("--split", default="test")
    b.add_argument("--extractor", default="combined")
    args = ap.parse_args(argv)
    if args.cmd == "validate":
        problems = validate_all()
        bad = 0
        for name, errs in sorted(problems.items()):
            for err in errs:
                print(f"{name}: {err}")
                bad += int(not err.startswith("SKIPPED"))
        print(f"{len(gold_paths())} gold files, {bad} problems")
        return 1 if bad else 0
    if args.cmd == "baseline":
        data = write_baseline(args.split, extractor=args.extractor)
        print(json.dumps(data["metrics"], indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
