"""zhibiao against outside anchors: Recognizers-Text (Chinese) and JioNLP, same documents.

Usage::

    python benchmarks/anchors.py [--split test] [--out benchmarks/anchors.json] [--markdown]
                                 [--systems zhibiao-pattern,zhibiao-combined,recognizers,jionlp]
                                 [--docs seed,team02] [--repeats 3]

Every system runs on the same gold documents (the chosen split of corpus/, plus the seed),
its output is converted to the contract (../shared/CONTRACT.md: quantities with
start/end/text/value/unit, dates with start_date/end_date/grain; offsets are half-open
Python str indices into the same text) and scored by ``pipeline.learn.evaluate.evaluate_pairs``,
so every system gets the very same measures.  Each system is timed in the same run over
the same texts: one warm-up call, then the best of ``--repeats`` passes, reported as
characters per second.  Model construction (peers) is outside the timed passes.

The peers are optional extras; a peer that is not installed is skipped with a line that
says how to install it::

    pip install recognizers-text-suite    # Microsoft Recognizers-Text
    pip install jionlp                    # JioNLP

How each peer's output becomes the contract (conversions only; no rules are added):

* Recognizers-Text, Culture.Chinese: the number, percentage, dimension, currency and
  datetime models.  ``ModelResult.end`` is INCLUSIVE; it becomes ``end + 1``.  A unit
  model's mention wins over an overlapping bare number, and a number inside a date
  mention (the 2024 of 2024年) is part of that date, not a quantity.  Units map from the
  English names (Mu -> 亩, Chinese yuan -> 元, ...); a percentage written 个百分点 gets the
  contract's unit 个百分点 (Recognizers resolves it to "%").  Date ranges are half-open
  (end is the day after) and become inclusive ``end_date``; where a date without a year
  resolves two ways (past and future), the one in the reference year is taken.
  Durations, times and sets are not dates in the contract and are dropped.
* JioNLP: ``jionlp.ner.extract_time`` (time points and spans; deltas and periods
  dropped) and ``jionlp.ner.extract_money`` (its only quantity extractor).  Offsets are
  already half-open.
* ``grain`` (which neither peer gives) comes from the resolved range: one day -> day; a
  whole quarter, half or year -> that (whole quarters written with 季, 前三季度, -> quarter);
  other whole months -> month; anything else -> day.
* The reference date for peers is the gold ``reference_date``, else the start of the
  gold ``period`` (zhibiao gets only ``reference_date`` and finds the period itself),
  else today.

Peers get no role, indicator, task or link scores: they have none ("n/a").
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import logging
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.learn.evaluate import evaluate_pairs, load_docs, predict, split_doc_ids  # noqa: E402

DEFAULT_OUT = ROOT / "benchmarks" / "anchors.json"
ALL_SYSTEMS = ("zhibiao-pattern", "zhibiao-combined", "recognizers", "jionlp")
PEER_SYSTEMS = ("recognizers", "jionlp")
INSTALL_HINT = {
    "recognizers": "pip install recognizers-text-suite",
    "jionlp": "pip install jionlp",
}
PACKAGE = {
    "zhibiao-pattern": "zhibiao", "zhibiao-combined": "zhibiao",
    "recognizers": "recognizers-text-suite", "jionlp": "jionlp",
}

# Recognizers-Text unit names (Chinese dimension and currency models) -> (contract unit, kind)
RECOGNIZERS_UNITS = {
    "Mu": ("亩", "area"),
    "Hectare": ("公顷", "area"),
    "Square meter": ("平方米", "area"),
    "Square kilometer": ("平方公里", "area"),
    "Meter": ("米", "length"),
    "Kilometer": ("公里", "length"),
    "Ton": ("吨", "mass"),
    "Kilogram": ("公斤", "mass"),
    "Jin": ("斤", "mass"),
    "Cubic meter": ("立方米", "volume"),
    "Chinese yuan": ("元", "money"),
    "United States dollar": ("美元", "money"),
}
JIONLP_MONEY_UNITS = {"元": "元", "人民币": "元", "美元": "美元"}

# The measures in the table: (key in the evaluator's "overall", column title, peers scored)
COLUMNS = [
    ("quantity_strict_f1", "quantity F1 (strict)", True),
    ("value_unit_accuracy", "value+unit", True),
    ("date_strict_f1", "date F1 (strict)", True),
    ("date_normalisation_accuracy", "date normalisation", True),
    ("role_accuracy", "role accuracy", False),
    ("link_all_f1", "link F1", False),
]


# --------------------------------------------------------------------------- contract records

def half_open(start: int, end_inclusive: int) -> tuple[int, int]:
    """A Recognizers-Text span (inclusive end) as a half-open [start, end)."""
    return start, end_inclusive + 1


def quantity_record(text: str, start: int, end: int, value: float | None, unit: str | None,
                    kind: str, extractor: str, low: float | None = None,
                    high: float | None = None) -> dict[str, Any]:
    """A contract quantity; roles, indicators and links stay empty (peers have none)."""
    return {
        "id": None, "task": None, "start": start, "end": end, "text": text[start:end],
        "value": value, "low": low, "high": high,
        "unit": unit, "written_unit": None, "unit_inferred": False,
        "kind": kind, "qualifier": "=",
        "role": None, "indicator": None,
        "target": None, "of": None, "change_of": None, "date": None,
        "confidence": None, "extractor": extractor,
    }


def date_record(text: str, start: int, end: int, start_date: str | None,
                end_date: str | None) -> dict[str, Any]:
    return {
        "id": None, "task": None, "start": start, "end": end, "text": text[start:end],
        "start_date": start_date, "end_date": end_date,
        "grain": grain_of(start_date, end_date, text[start:end]),
    }


def finish(doc_id: str, text: str, quantities: list[dict[str, Any]],
           dates: list[dict[str, Any]]) -> dict[str, Any]:
    """A contract document from mentions: sorted by offset, ids Q1.. and D1.."""
    quantities = sorted(quantities, key=lambda m: (m["start"], m["end"]))
    dates = sorted(dates, key=lambda m: (m["start"], m["end"]))
    for i, q in enumerate(quantities, 1):
        q["id"] = f"Q{i}"
    for i, d in enumerate(dates, 1):
        d["id"] = f"D{i}"
    return {"doc_id": doc_id, "text": text, "period": None, "tasks": [],
            "quantities": quantities, "dates": dates, "checks": []}


def grain_of(start_date: str | None, end_date: str | None, mention: str = "") -> str | None:
    """day | month | quarter | half | year from an inclusive ISO range (the gold's way).

    Whole quarters written with 季 (前三季度) are quarters, as in the gold.
    """
    if not start_date or not end_date:
        return None
    s, e = dt.date.fromisoformat(start_date), dt.date.fromisoformat(end_date)
    if s == e:
        return "day"
    month_aligned = s.day == 1 and (e + dt.timedelta(days=1)).day == 1
    if not month_aligned:
        return "day"
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if s.month == 1 and months == 12:
        return "year"
    if months == 6 and s.month in (1, 7):
        return "half"
    if s.month in (1, 4, 7, 10) and (months == 3 or (months % 3 == 0 and "季" in mention)):
        return "quarter"
    return "month"


def to_number(raw: Any) -> float | None:
    """A resolution's number ("28000", "82.5%", "8500000000.00") as float, else None."""
    try:
        return float(str(raw).strip().rstrip("%").replace(",", ""))
    except ValueError:
        return None


def iso_day(raw: str | None) -> str | None:
    """The ISO date part of "2024-04-01" or "2024-04-01 00:00:00", else None."""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw)[:10]).isoformat()
    except ValueError:
        return None


def day_before(iso: str | None) -> str | None:
    if iso is None:
        return None
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return max(a[0], b[0]) < min(a[1], b[1])


def offsets_ok(text: str, mention_text: str, start: int, end: int) -> bool:
    """The peer's mention text is what the offsets cut from the same text.

    Recognizers-Text reports its mention text folded (full-width ％ as %, 5G as 5g) while
    its offsets still point into the original, so the comparison folds both sides (NFKC,
    lower case) and the contract's ``text`` is always the original slice.
    """
    if not 0 <= start < end <= len(text):
        return False
    piece = text[start:end]
    return piece == mention_text or fold(piece) == fold(mention_text)


def fold(s: str) -> str:
    return unicodedata.normalize("NFKC", s).lower()


# --------------------------------------------------------------------------- Recognizers-Text

def recognizers_quantity(text: str, start: int, end: int, type_name: str,
                         resolution: dict[str, Any]) -> dict[str, Any]:
    """One Recognizers number/percentage/dimension/currency result (half-open span)."""
    resolution = resolution or {}
    value = to_number(resolution.get("value"))
    if type_name == "percentage":
        if "百分点" in text[start:end]:
            return quantity_record(text, start, end, value, "个百分点", "percent_point",
                                   "recognizers")
        return quantity_record(text, start, end, value, "%", "percent", "recognizers")
    if type_name in ("dimension", "currency"):
        name = resolution.get("unit")
        unit, kind = RECOGNIZERS_UNITS.get(name, (name, "other"))
        return quantity_record(text, start, end, value, unit, kind, "recognizers")
    return quantity_record(text, start, end, value, None, "other", "recognizers")


def recognizers_date(text: str, start: int, end: int, type_name: str,
                     resolution: dict[str, Any], reference: dt.date) -> dict[str, Any] | None:
    """One Recognizers datetimeV2 result as a contract date, or None (duration, time, set)."""
    kind = type_name.split(".")[-1]
    if kind not in ("date", "daterange", "datetime", "datetimerange"):
        return None
    values = (resolution or {}).get("values") or []
    if not values:
        return date_record(text, start, end, None, None)
    # A date without a year resolves to the past and the future; take the reference year's.
    chosen = values[0]
    for v in values:
        if str(v.get("start") or v.get("value") or "")[:4] == str(reference.year):
            chosen = v
            break
    if kind in ("date", "datetime"):
        day = iso_day(chosen.get("value"))
        return date_record(text, start, end, day, day)
    first = iso_day(chosen.get("start"))
    last = iso_day(chosen.get("end"))
    if kind == "daterange":
        last = day_before(last)          # Recognizers' date ranges end the day after
    return date_record(text, start, end, first, last)


def recognizers_document(results: dict[str, list[Any]], text: str, doc_id: str,
                         reference: dt.date) -> tuple[dict[str, Any], int]:
    """Contract document from Recognizers results by model name; and offset mismatches.

    ``results`` maps "number" | "percentage" | "dimension" | "currency" | "datetime" to
    lists of objects with ``start``, ``end`` (inclusive), ``text``, ``type_name`` and
    ``resolution`` (recognizers_text.model.ModelResult, or anything shaped like it).
    """
    bad = 0
    dates = []
    date_spans = []
    for r in results.get("datetime", []):
        start, end = half_open(r.start, r.end)
        if not offsets_ok(text, r.text, start, end):
            bad += 1
            continue
        d = recognizers_date(text, start, end, r.type_name, r.resolution, reference)
        if d is not None:
            dates.append(d)
            date_spans.append((start, end))
    # Quantities: unit models first, longest first; a mention overlapping one kept drops.
    candidates = []
    for priority, model in enumerate(("percentage", "currency", "dimension", "number")):
        for r in results.get(model, []):
            start, end = half_open(r.start, r.end)
            if not offsets_ok(text, r.text, start, end):
                bad += 1
                continue
            candidates.append((min(priority, 1), start - end, start, end, r))
    quantities = []
    kept: list[tuple[int, int]] = list(date_spans)
    for _prio, _neg_len, start, end, r in sorted(candidates, key=lambda c: c[:3]):
        if any(overlaps((start, end), k) for k in kept):
            continue
        kept.append((start, end))
        quantities.append(recognizers_quantity(text, start, end, r.type_name, r.resolution))
    return finish(doc_id, text, quantities, dates), bad


def load_recognizers() -> Callable[[str, str, dt.date], tuple[dict[str, Any], int]] | None:
    """A function (text, doc_id, reference) -> (contract doc, offset mismatches), or None."""
    try:
        import emoji
        # recognizers_text imports emoji.UNICODE_EMOJI, which emoji>=2 renamed EMOJI_DATA.
        if not hasattr(emoji, "UNICODE_EMOJI"):
            emoji.UNICODE_EMOJI = emoji.EMOJI_DATA
        from recognizers_date_time import DateTimeRecognizer
        from recognizers_number import NumberRecognizer
        from recognizers_number_with_unit import NumberWithUnitRecognizer
        from recognizers_text import Culture
    except ImportError:
        return None
    numbers = NumberRecognizer(Culture.Chinese)
    units = NumberWithUnitRecognizer(Culture.Chinese)
    models = {
        "number": numbers.get_number_model(),
        "percentage": numbers.get_percentage_model(),
        "dimension": units.get_dimension_model(),
        "currency": units.get_currency_model(),
    }
    datetime_model = DateTimeRecognizer(Culture.Chinese).get_datetime_model()

    def run(text: str, doc_id: str, reference: dt.date) -> tuple[dict[str, Any], int]:
        results = {name: m.parse(text) for name, m in models.items()}
        ref = dt.datetime(reference.year, reference.month, reference.day)
        results["datetime"] = datetime_model.parse(text, ref)
        return recognizers_document(results, text, doc_id, reference)
    return run


# --------------------------------------------------------------------------- JioNLP

def jionlp_document(times: list[dict[str, Any]], money: list[dict[str, Any]], text: str,
                    doc_id: str) -> tuple[dict[str, Any], int]:
    """Contract document from jionlp.ner.extract_time / extract_money results."""
    bad = 0
    dates = []
    for t in times:
        start, end = t["offset"]
        if not offsets_ok(text, t["text"], start, end):
            bad += 1
            continue
        if t.get("type") not in ("time_point", "time_span"):
            continue                     # time_delta (durations), time_period (recurring)
        span = (t.get("detail") or {}).get("time")
        first = last = None
        if isinstance(span, (list, tuple)) and len(span) == 2:
            first, last = iso_day(span[0]), iso_day(span[1])
        dates.append(date_record(text, start, end, first, last))
    quantities = []
    for m in money:
        start, end = m["offset"]
        if not offsets_ok(text, m["text"], start, end):
            bad += 1
            continue
        detail = m.get("detail") or {}
        case = detail.get("case")
        unit = JIONLP_MONEY_UNITS.get(case, case)
        num = detail.get("num")
        if isinstance(num, (list, tuple)):
            low, high = (to_number(x) for x in num)
            quantities.append(quantity_record(text, start, end, None, unit, "money", "jionlp",
                                              low=low, high=high))
        else:
            quantities.append(quantity_record(text, start, end, to_number(num), unit, "money",
                                              "jionlp"))
    return finish(doc_id, text, quantities, dates), bad


def load_jionlp() -> Callable[[str, str, dt.date], tuple[dict[str, Any], int]] | None:
    try:
        with contextlib.redirect_stdout(io.StringIO()):   # its import prints a banner
            import jionlp
    except ImportError:
        return None

    def run(text: str, doc_id: str, reference: dt.date) -> tuple[dict[str, Any], int]:
        base = dt.datetime(reference.year, reference.month, reference.day)
        logging.disable(logging.CRITICAL)   # jionlp logs a traceback for each string it rejects
        try:
            times = jionlp.ner.extract_time(text, time_base=base, with_parsing=True)
            money = jionlp.ner.extract_money(text, with_parsing=True)
        finally:
            logging.disable(logging.NOTSET)
        return jionlp_document(times, money, text, doc_id)
    return run


# --------------------------------------------------------------------------- zhibiao

def load_zhibiao(extractor: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """pipeline.learn.evaluate.predict: what `zhibiao eval` runs (gold reference_date only)."""
    def run(gold: dict[str, Any]) -> dict[str, Any]:
        return predict(gold, extractor)
    return run


def zhibiao_offset_mismatches(doc: dict[str, Any]) -> int:
    text = doc["text"]
    return sum(not offsets_ok(text, m.get("text") or "", m["start"], m["end"])
               for m in doc.get("quantities", []) + doc.get("dates", []))


# --------------------------------------------------------------------------- running

def reference_of(gold: dict[str, Any]) -> dt.date:
    """Reference date given to peers: reference_date, else period start, else today."""
    for raw in (gold.get("reference_date"), (gold.get("period") or {}).get("start_date")):
        if raw:
            return dt.date.fromisoformat(str(raw)[:10])
    return dt.date.today()


def version_of(system: str) -> str | None:
    try:
        v = metadata.version(PACKAGE[system])
    except metadata.PackageNotFoundError:
        return None
    if system.startswith("zhibiao"):
        try:
            commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                    capture_output=True, text=True, check=True).stdout.strip()
            v = f"{v} ({commit})"
        except (OSError, subprocess.CalledProcessError):
            pass
    return v


def make_runner(system: str) -> Callable[[dict[str, Any]], tuple[dict[str, Any], int]] | None:
    """(gold doc) -> (contract prediction, offset mismatches), or None when not installed."""
    if system.startswith("zhibiao-"):
        zhibiao = load_zhibiao(system.split("-", 1)[1])

        def run_zhibiao(gold: dict[str, Any]) -> tuple[dict[str, Any], int]:
            pred = zhibiao(gold)
            return pred, zhibiao_offset_mismatches(pred)
        return run_zhibiao
    peer = {"recognizers": load_recognizers, "jionlp": load_jionlp}[system]()
    if peer is None:
        return None

    def run_peer(gold: dict[str, Any]) -> tuple[dict[str, Any], int]:
        return peer(gold["text"], str(gold["doc_id"]), reference_of(gold))
    return run_peer


def run_system(runner: Callable[[dict[str, Any]], tuple[dict[str, Any], int]],
               docs: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    """Predictions for every doc, errors, and the best of ``repeats`` timed passes."""
    runner(docs[0])                                   # warm-up
    best = None
    preds: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    bad = 0
    for _ in range(max(1, repeats)):
        preds, errors, bad = {}, {}, 0
        t0 = time.perf_counter()
        for gold in docs:
            doc_id = str(gold["doc_id"])
            try:
                preds[doc_id], n_bad = runner(gold)
                bad += n_bad
            except Exception as err:  # a peer failing on one text must not stop the run
                errors[doc_id] = f"{type(err).__name__}: {err}"
                preds[doc_id] = {"quantities": [], "dates": [], "tasks": []}
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    chars = sum(len(d["text"]) for d in docs)
    return {"predictions": preds, "errors": errors, "offset_mismatches": bad,
            "seconds": best, "chars": chars,
            "chars_per_second": chars / best if best else None}


def scores(docs: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> dict[str, Any]:
    result = evaluate_pairs((g, preds[str(g["doc_id"])]) for g in docs)
    return {"overall": result["overall"], "counts": result["counts"],
            "documents": {k: v["metrics"] for k, v in result["documents"].items()}}


def mention_model_loaded() -> bool | None:
    try:
        from pipeline.core.mentions.model import load_mention_model
    except ImportError:
        return None
    return load_mention_model() is not None


def benchmark(split: str = "test", systems: tuple[str, ...] = ALL_SYSTEMS,
              doc_ids: list[str] | None = None, repeats: int = 3,
              log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run, score and time each system; the result that anchors.json holds."""
    docs, skipped = load_docs(split=split)
    if "seed" not in {d["doc_id"] for d in docs}:
        seed, seed_skipped = load_docs(paths=[ROOT / "corpus" / "gold" / "seed.json"])
        docs += seed
        skipped += seed_skipped
    if doc_ids:
        docs = [d for d in docs if d["doc_id"] in doc_ids]
    if skipped:
        log(f"skipped (their text is under ../shared, which is absent): {', '.join(skipped)}")
    if not docs:
        raise SystemExit("no gold documents to run on")
    split_docs = [d for d in docs if d["doc_id"] in set(split_doc_ids(split))]
    seed_docs = [d for d in docs if d["doc_id"] == "seed"]
    out: dict[str, Any] = {
        "split": split, "documents": [d["doc_id"] for d in split_docs],
        "skipped": skipped, "chars": sum(len(d["text"]) for d in docs),
        "repeats": repeats, "python": sys.version.split()[0],
        "date": dt.date.today().isoformat(), "systems": {}, "not_installed": {},
    }
    for system in systems:
        runner = make_runner(system)
        if runner is None:
            hint = INSTALL_HINT[system]
            log(f"{system}: not installed, skipped (optional peer; install with `{hint}`)")
            out["not_installed"][system] = hint
            continue
        log(f"{system}: running on {len(docs)} documents ({out['chars']} characters) ...")
        run = run_system(runner, docs, repeats)
        entry = {
            "version": version_of(system),
            "peer": system in PEER_SYSTEMS,
            "chars_per_second": run["chars_per_second"],
            "seconds": run["seconds"],
            "offset_mismatches": run["offset_mismatches"],
            "errors": run["errors"],
            "split": scores(split_docs, run["predictions"]) if split_docs else None,
            "seed": scores(seed_docs, run["predictions"]) if seed_docs else None,
        }
        if system == "zhibiao-combined":
            entry["mention_model_loaded"] = mention_model_loaded()
        for doc_id, err in run["errors"].items():
            log(f"  {system} failed on {doc_id}: {err}")
        out["systems"][system] = entry
    return out


# --------------------------------------------------------------------------- output

def _cell(entry: dict[str, Any], part: str, key: str, peers_scored: bool) -> str:
    if entry["peer"] and not peers_scored:
        return "n/a"
    block = entry.get(part)
    value = block["overall"].get(key) if block else None
    return "—" if value is None else f"{value:.3f}"


def markdown_table(result: dict[str, Any], part: str = "split") -> str:
    """One markdown table: each system's measures on ``part`` ("split" or "seed")."""
    head = ["system", "version"] + [title for _k, title, _p in COLUMNS] + ["chars/s"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, entry in result["systems"].items():
        cps = entry.get("chars_per_second")
        row = [name, entry.get("version") or "?"]
        row += [_cell(entry, part, key, peers) for key, _t, peers in COLUMNS]
        row.append(f"{cps:,.0f}" if cps else "—")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def markdown(result: dict[str, Any]) -> str:
    docs = ", ".join(result["documents"])
    parts = [f"Split `{result['split']}` ({docs}); chars/s over all {result['chars']} "
             f"characters run, best of {result['repeats']} after a warm-up.", "",
             markdown_table(result, "split")]
    if any(e.get("seed") for e in result["systems"].values()):
        parts += ["", "Seed only:", "", markdown_table(result, "seed")]
    for name, hint in result["not_installed"].items():
        parts.append(f"\n{name}: not installed (`{hint}`)")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test", help="corpus split (train, dev, test, all)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    ap.add_argument("--markdown", action="store_true", help="print markdown tables")
    ap.add_argument("--systems", default=",".join(ALL_SYSTEMS),
                    help="comma-separated: " + ", ".join(ALL_SYSTEMS))
    ap.add_argument("--docs", default="", help="only these doc ids (comma-separated)")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes; the best is kept")
    args = ap.parse_args(argv)
    systems = tuple(s.strip() for s in args.systems.split(",") if s.strip())
    unknown = [s for s in systems if s not in ALL_SYSTEMS]
    if unknown:
        ap.error(f"unknown system(s) {unknown}; use {', '.join(ALL_SYSTEMS)}")
    doc_ids = [d.strip() for d in args.docs.split(",") if d.strip()] or None
    result = benchmark(args.split, systems, doc_ids, args.repeats,
                       log=lambda s: print(s, file=sys.stderr))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    if args.markdown:
        print(markdown(result))
    else:
        for part in ("split", "seed"):
            print(f"[{result['split'] if part == 'split' else 'seed'}]")
            print(markdown_table(result, part))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
