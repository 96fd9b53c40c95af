"""Label Studio round-trip: gold or predictions out as tasks, corrected exports back as gold.

    zhibiao annotate config [--out label_config.xml]      the labeling interface
    zhibiao annotate export INPUT... --out tasks.json       gold, predictions or documents
    zhibiao annotate import EXPORT.json --out corpus/gold   corrected tasks back to gold

One Label Studio task per document: ``data.text`` is the text, ``data.zhibiao`` keeps
what the interface does not edit (doc_id, source, period ..., and for gold the fields of
each mention the interface does not show, by region id).  Each quantity, date and task
row is a region labelled by its role (``target``, ``actual``, ``rate``, ``change``,
``rank``, ``other``), ``date`` or ``task``; per-region controls hold the fields
(kind, qualifier, value, range, unit, written unit, inferred unit, indicator; a date's
start, end and grain; a task's seq, title, departments and period); relations
``target``, ``of``, ``change_of`` and ``date`` are the links, and ``task`` assigns a
mention to a task row other than the one whose span contains it.

Offsets: Label Studio's text regions count JavaScript string positions (UTF-16 code
units); Python counts code points.  They differ after any character outside the BMP
(𠀀, 😀).  Export writes UTF-16 offsets; import converts them back and checks each
region's ``value.text`` against the text, and accepts code-point offsets too (some
Label Studio versions write those), choosing per region the reading whose text matches.

>>> to_utf16_offsets("a😀b", [0, 1, 2, 3])
[0, 1, 3, 4]
>>> from_utf16_offset("a😀b", 3)
2
"""
from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.api import process_path
from pipeline.core.vocab import KINDS, QUALIFIERS
from pipeline.core.vocab import LINK_TYPES as LINKS
from pipeline.core.vocab import ROLES as ROLE_LABELS
from pipeline.learn import evaluate as ev

DATE_LABEL = "date"
TASK_LABEL = "task"
TASK_RELATION = "task"
FROM_LABEL = "label"
TO_NAME = "text"
COLORS = {"target": "#1565c0", "actual": "#2e7d32", "rate": "#ef6c00", "change": "#6a1b9a",
          "rank": "#00838f", "other": "#757575", "date": "#c62828", "task": "#fff59d"}
#: The gold fields of a quantity, in the order the team's gold files write them.
QUANTITY_FIELDS = ("id", "task", "start", "end", "text", "value", "low", "high", "unit",
                   "written_unit", "unit_inferred", "kind", "qualifier", "role", "indicator",
                   "target", "of", "change_of", "date")
DATE_FIELDS = ("id", "task", "start", "end", "text", "start_date", "end_date", "grain")
TASK_FIELDS = ("id", "seq", "start", "end", "title", "departments", "period")
MENTION_KEYS = ("tasks", "quantities", "dates")
RANGE_SEP = ".."
ID_RE = re.compile(r"^([QDT])(\d+)$")


class AnnotateError(ValueError):
    """Input that cannot be exported or imported; the message says what to do."""


# --------------------------------------------------------------------------- offsets

ASTRAL_RE = re.compile("[\U00010000-\U0010FFFF]")


class Utf16Map:
    """Offsets in one text, between Python code points and JavaScript UTF-16 positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._astral = [m.start() for m in ASTRAL_RE.finditer(text)]  # Python offsets
        self._js = [p + k for k, p in enumerate(self._astral)]       # their UTF-16 positions
        self.js_length = len(text) + len(self._astral)

    def to_js(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def to_py(self, pos: int) -> int:
        """ValueError when ``pos`` falls inside a surrogate pair or outside the text."""
        if not 0 <= pos <= self.js_length:
            raise ValueError(f"UTF-16 position {pos} is outside the text")
        k = bisect.bisect_left(self._js, pos - 1)
        if k < len(self._js) and self._js[k] == pos - 1:
            raise ValueError(f"UTF-16 position {pos} is not a character boundary of the text")
        return pos - bisect.bisect_right(self._js, pos - 2)

    def python_span(self, value: dict[str, Any]) -> tuple[int, int]:
        """A region's (start, end) in Python offsets: UTF-16 if its text matches so, else
        code points; AnnotateError when neither reading gives the region's text."""
        text = self.text
        start, end = int(value["start"]), int(value["end"])
        written = value.get("text")
        try:
            s, e = self.to_py(start), self.to_py(end)
            if written is None or text[s:e] == written:
                return s, e
        except ValueError:
            pass
        if written is not None and text[start:end] == written:
            return start, end
        raise AnnotateError(f"region {start}-{end} {written!r} does not match the task text at those "
                            "offsets; export the task again from Label Studio without editing its text")


def to_utf16_offsets(text: str, offsets: Iterable[int]) -> list[int]:
    """Python code-point offsets into ``text`` as JavaScript (UTF-16) positions."""
    m = Utf16Map(text)
    return [m.to_js(o) for o in offsets]


def from_utf16_offset(text: str, pos: int) -> int:
    """A JavaScript (UTF-16) position in ``text`` as a Python offset; ValueError when it
    falls inside a surrogate pair or outside the text."""
    return Utf16Map(text).to_py(pos)


# --------------------------------------------------------------------------- the interface

def label_config() -> str:
    """The Label Studio labeling config (XML) the exported tasks are written for."""
    def labels() -> str:
        return "\n".join(f'    <Label value="{v}" background="{COLORS[v]}"/>'
                         for v in (*ROLE_LABELS, DATE_LABEL, TASK_LABEL))

    def choices(name: str, values: Iterable[str], hint: str) -> str:
        opts = "".join(f'<Choice value="{html.escape(v)}"/>' for v in values)  # < and > in qualifiers
        return (f'      <Header value="{hint}" size="6"/>\n      <Choices name="{name}" toName="{TO_NAME}" '
                f'perRegion="true" choice="single-radio" showInline="true">{opts}</Choices>')

    def area(name: str, hint: str, multi: bool = False) -> str:
        limit = "" if multi else ' maxSubmissions="1"'
        return (f'      <Header value="{hint}" size="6"/>\n      <TextArea name="{name}" toName="{TO_NAME}" '
                f'perRegion="true" editable="true"{limit} rows="1"/>')

    quantity = "\n".join([
        choices("kind", KINDS, "kind"), choices("qualifier", QUALIFIERS, "qualifier"),
        area("value", "value in the base unit (empty for a range)"),
        area("range", f"range low{RANGE_SEP}high in the base unit"),
        area("unit", "base unit"), area("written_unit", "unit as written"),
        choices("unit_inferred", ("inferred",), "unit inferred from a linked quantity"),
        area("indicator", "indicator")])
    date = "\n".join([area("start_date", "start YYYY-MM-DD"), area("end_date", "end YYYY-MM-DD"),
                      choices("grain", ev.GRAINS, "grain")])
    task = "\n".join([area("seq", "seq"), area("title", "title"),
                      area("departments", "departments (one per entry)", multi=True),
                      area("period", f"period YYYY-MM-DD{RANGE_SEP}YYYY-MM-DD")])
    relations = "\n".join(f'    <Relation value="{v}"/>' for v in (*LINKS, TASK_RELATION))
    roles = ",".join(ROLE_LABELS)
    return f"""<View>
  <Labels name="{FROM_LABEL}" toName="{TO_NAME}">
{labels()}
  </Labels>
  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>
  <Relations>
{relations}
  </Relations>
  <View visibleWhen="region-selected" whenLabelValue="{roles}">
{quantity}
  </View>
  <View visibleWhen="region-selected" whenLabelValue="{DATE_LABEL}">
{date}
  </View>
  <View visibleWhen="region-selected" whenLabelValue="{TASK_LABEL}">
{task}
  </View>
</View>
"""


# --------------------------------------------------------------------------- export

def _number(v: float | int) -> str:
    """A value as text that float() reads back exactly (integers without '.0')."""
    f = float(v)
    if f.is_integer() and abs(f) < 1e16:
        return str(int(f))
    return repr(f)


@dataclass(frozen=True)
class Region:
    """One span of a task: its id, Python offsets and label."""
    rid: str
    start: int
    end: int
    label: str


class _Writer:
    """Builds the result list of one Label Studio task."""

    def __init__(self, text: str, origin: str) -> None:
        self.text = text
        self.origin = origin
        self.result: list[dict[str, Any]] = []
        self.offsets = Utf16Map(text)
        self.spans: dict[str, tuple[int, int]] = {}

    def _value(self, rid: str) -> dict[str, Any]:
        s, e = self.spans[rid]
        return {"start": self.offsets.to_js(s), "end": self.offsets.to_js(e)}

    def region(self, r: Region) -> None:
        self.spans[r.rid] = (r.start, r.end)
        value = dict(self._value(r.rid), text=self.text[r.start:r.end], labels=[r.label])
        self.result.append({"id": r.rid, "from_name": FROM_LABEL, "to_name": TO_NAME,
                            "type": "labels", "origin": self.origin, "value": value})

    def area(self, rid: str, name: str, texts: list[str] | str | None) -> None:
        if texts is None or texts == []:
            return
        items = [texts] if isinstance(texts, str) else list(texts)
        self.result.append({"id": rid, "from_name": name, "to_name": TO_NAME, "type": "textarea",
                            "origin": self.origin, "value": dict(self._value(rid), text=items)})

    def choice(self, rid: str, name: str, value: str | None) -> None:
        if value is None:
            return
        self.result.append({"id": rid, "from_name": name, "to_name": TO_NAME, "type": "choices",
                            "origin": self.origin, "value": dict(self._value(rid), choices=[value])})

    def relation(self, src: str, dst: str, label: str) -> None:
        self.result.append({"from_id": src, "to_id": dst, "type": "relation",
                            "direction": "right", "labels": [label]})


def _containing_task(tasks: list[dict[str, Any]], start: int, end: int) -> str | None:
    """The first task row whose span contains [start, end), or None."""
    for t in tasks:
        if t["start"] <= start and end <= t["end"]:
            return str(t["id"])
    return None


def _range_text(low: Any, high: Any) -> str | None:
    if low is None and high is None:
        return None
    return f"{'' if low is None else _number(low)}{RANGE_SEP}{'' if high is None else _number(high)}"


def _period_text(period: dict[str, Any] | None) -> str | None:
    if not period:
        return None
    return f"{period.get('start_date') or ''}{RANGE_SEP}{period.get('end_date') or ''}"


def _write_quantity(w: _Writer, q: dict[str, Any]) -> None:
    rid = q["id"]
    w.region(Region(rid, q["start"], q["end"], q.get("role") or "other"))
    w.choice(rid, "kind", q.get("kind"))
    w.choice(rid, "qualifier", q.get("qualifier"))
    w.area(rid, "value", None if q.get("value") is None else _number(q["value"]))
    w.area(rid, "range", _range_text(q.get("low"), q.get("high")))
    w.area(rid, "unit", q.get("unit"))
    w.area(rid, "written_unit", q.get("written_unit"))
    w.choice(rid, "unit_inferred", "inferred" if q.get("unit_inferred") else None)
    w.area(rid, "indicator", q.get("indicator"))


def _write_date(w: _Writer, d: dict[str, Any]) -> None:
    rid = d["id"]
    w.region(Region(rid, d["start"], d["end"], DATE_LABEL))
    w.area(rid, "start_date", d.get("start_date"))
    w.area(rid, "end_date", d.get("end_date"))
    w.choice(rid, "grain", d.get("grain"))


def _write_task(w: _Writer, t: dict[str, Any]) -> None:
    rid = t["id"]
    w.region(Region(rid, t["start"], t["end"], TASK_LABEL))
    w.area(rid, "seq", t.get("seq"))
    w.area(rid, "title", t.get("title"))
    w.area(rid, "departments", list(t.get("departments") or []))
    w.area(rid, "period", _period_text(t.get("period")))


def _extras(items: list[dict[str, Any]], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Per mention id, the fields the interface does not show (kept for gold only)."""
    out = {}
    for m in items:
        rest = {k: v for k, v in m.items() if k not in fields}
        if rest:
            out[str(m["id"])] = rest
    return out


def to_task(doc: dict[str, Any], kind: str = "predictions", gold: bool = True,
            model_version: str = "zhibiao") -> dict[str, Any]:
    """One Label Studio task for one gold or contract dict (``text`` filled in).

    ``kind`` is "predictions" (pre-annotations to correct) or "annotations".  With
    ``gold``, every field the interface does not edit is kept in ``data.zhibiao`` so that
    import restores the file exactly; for predictions only the gold fields are kept.
    """
    text = doc.get("text")
    if not isinstance(text, str):
        raise AnnotateError(f"{doc.get('doc_id') or 'a document'} has no text; a standoff gold "
                            "file needs ../shared (pass --shared DIR)")
    tasks = list(doc.get("tasks") or [])
    w = _Writer(text, "prediction" if kind == "predictions" else "manual")
    for t in tasks:
        _write_task(w, t)
    for q in doc.get("quantities") or []:
        _write_quantity(w, q)
    for d in doc.get("dates") or []:
        _write_date(w, d)
    for m in list(doc.get("quantities") or []) + list(doc.get("dates") or []):
        if m.get("task") and m["task"] != _containing_task(tasks, m["start"], m["end"]):
            w.relation(m["id"], m["task"], TASK_RELATION)
    for q in doc.get("quantities") or []:
        for link in LINKS:
            if q.get(link):
                w.relation(q["id"], q[link], link)
    meta: dict[str, Any] = {"key_order": [k for k in doc if not k.startswith("_")],
                            "doc": {k: v for k, v in doc.items()
                                    if k not in ("text", *MENTION_KEYS) and not k.startswith("_")}}
    if not gold:
        meta["doc"] = {k: doc.get(k) for k in ("doc_id", "source", "period")}
        meta["key_order"] = ["doc_id", "source", "text", "period", *MENTION_KEYS]
    else:
        meta["extras"] = {"quantities": _extras(doc.get("quantities") or [], QUANTITY_FIELDS),
                          "dates": _extras(doc.get("dates") or [], DATE_FIELDS),
                          "tasks": _extras(tasks, TASK_FIELDS)}
    mentions = list(doc.get("quantities") or []) + list(doc.get("dates") or [])
    no_task = [m["id"] for m in mentions
               if m.get("task") is None and _containing_task(tasks, m["start"], m["end"])]
    if no_task:  # inside a task row's span but assigned to none: kept, not shown
        meta["no_task"] = no_task
    body = {"model_version": model_version, "result": w.result} if kind == "predictions" \
        else {"result": w.result, "ground_truth": gold}
    return {"data": {"text": text, "doc_id": doc.get("doc_id"), "zhibiao": meta}, kind: [body]}


# --------------------------------------------------------------------------- inputs

def _load_json_input(path: Path, shared: Path | None) -> list[tuple[dict[str, Any], bool]]:
    """Gold files and contract JSON: (doc, is_gold) pairs."""
    try:
        if path.suffix == ".jsonl":
            data: Any = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                         if line.strip()]
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise AnnotateError(f"{path} is not readable JSON ({err}); pass gold files, "
                            "`zhibiao extract --format json` output or documents") from err
    docs = data if isinstance(data, list) else [data]
    out = []
    for d in docs:
        if not isinstance(d, dict) or "quantities" not in d:
            raise AnnotateError(f"{path} holds no extraction or gold document (no 'quantities'); "
                                "pass gold files, `zhibiao extract --format json` output or documents")
        is_gold = "checks" not in d and "errors" not in d
        if is_gold and ("text_sha256" in d or "bytes_sha256" in d):
            try:
                loaded = ev.load_gold(path, shared)
            except ev.GoldError as err:
                raise AnnotateError(str(err)) from err
            if loaded is None:
                raise AnnotateError(f"{path} is standoff gold and its text is not in ../shared; "
                                    "pass --shared DIR")
            d = loaded
        out.append((d, is_gold))
    return out


def load_inputs(paths: Iterable[str], shared: Path | None = None,
                reference_date: str | None = None) -> Iterator[tuple[dict[str, Any], bool]]:
    """Each input as (document dict, is_gold): gold JSON, contract JSON, or a document
    (any format zhibiao reads) that is extracted here."""
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise AnnotateError(f"{path} is not a file; pass gold JSON, extraction JSON or documents")
        if path.suffix in (".json", ".jsonl"):
            yield from _load_json_input(path, shared)
            continue
        result = process_path(path, reference_date=reference_date)
        if result["errors"]:
            err = result["errors"][0]
            raise AnnotateError(f"{path}: {err['message']}")
        yield result, False


def export_tasks(paths: Iterable[str], kind: str = "predictions", shared: Path | None = None,
                 reference_date: str | None = None) -> list[dict[str, Any]]:
    """Label Studio tasks for every input (see :func:`load_inputs`)."""
    return [to_task(doc, kind, gold=is_gold) for doc, is_gold in load_inputs(paths, shared, reference_date)]


# --------------------------------------------------------------------------- import

@dataclass(frozen=True)
class RegionIn:
    """A region read back from Label Studio, in Python offsets."""
    rid: str
    start: int
    end: int
    label: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]

    def get(self, name: str) -> str | None:
        for k, v in self.fields:
            if k == name:
                return v[0] if v else None
        return None

    def get_all(self, name: str) -> list[str]:
        for k, v in self.fields:
            if k == name:
                return list(v)
        return []


def _field_values(item: dict[str, Any]) -> tuple[str, ...]:
    value = item.get("value") or {}
    if item.get("type") == "choices":
        return tuple(str(c) for c in value.get("choices") or [])
    texts = value.get("text")
    if isinstance(texts, str):
        texts = [texts]
    return tuple(str(t) for t in texts or [])


def _read_regions(text: str, result: list[dict[str, Any]]) -> tuple[list[RegionIn], list[tuple[str, str, str]]]:
    labels: dict[str, dict[str, Any]] = {}
    fields: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    relations: list[tuple[str, str, str]] = []
    for item in result:
        if item.get("type") == "relation":
            relations.extend(_relation(item))
        elif item.get("type") == "labels":
            if not {"start", "end"} <= set(item.get("value") or {}):
                raise AnnotateError(f"region {item.get('id')} has no start and end; label text "
                                    "regions only (the Text tag of `zhibiao annotate config`)")
            labels[str(item["id"])] = item
        elif "id" in item:
            fields.setdefault(str(item["id"]), []).append((str(item["from_name"]), _field_values(item)))
    regions = []
    offsets = Utf16Map(text)
    for rid, item in labels.items():
        labs = item["value"].get("labels") or []
        if len(labs) != 1:
            raise AnnotateError(f"region {rid} {item['value'].get('text')!r} has labels {labs}; give "
                                "each region exactly one label")
        s, e = offsets.python_span(item["value"])
        regions.append(RegionIn(rid, s, e, str(labs[0]), tuple(fields.get(rid, []))))
    return regions, relations


def _relation(item: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(from, to, label) of a relation; "left" relations are turned around."""
    src, dst = str(item.get("from_id")), str(item.get("to_id"))
    if item.get("direction") == "left":
        src, dst = dst, src
    elif item.get("direction") == "bi":
        raise AnnotateError(f"the relation between regions {src} and {dst} points both ways; "
                            "draw it from the quantity to what it refers to")
    labels = [str(lab) for lab in item.get("labels") or []]
    if not labels:
        raise AnnotateError(f"the relation from region {src} to {dst} has no label; choose one of "
                            f"{', '.join((*LINKS, TASK_RELATION))}")
    for lab in labels:
        if lab not in (*LINKS, TASK_RELATION):
            raise AnnotateError(f"relation label {lab!r} is not one of {', '.join((*LINKS, TASK_RELATION))}")
    return [(src, dst, lab) for lab in labels]


def _float(text: str | None, where: str, name: str) -> float | None:
    if text is None or text.strip() == "":
        return None
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        raise AnnotateError(f"{where}: {name} {text!r} is not a number; write it like 35000 or 0.823") from None


def _pair(text: str | None, where: str, name: str) -> tuple[str | None, str | None] | None:
    if text is None or text.strip() == "":
        return None
    if RANGE_SEP not in text:
        raise AnnotateError(f"{where}: {name} {text!r} needs the form A{RANGE_SEP}B")
    a, b = text.split(RANGE_SEP, 1)
    return (a.strip() or None, b.strip() or None)


def _assign_ids(regions: list[RegionIn]) -> dict[str, str]:
    """Region id → gold id: ids like Q3/D2/T1 of the right kind are kept, others numbered on."""
    prefix = {lab: "Q" for lab in ROLE_LABELS} | {DATE_LABEL: "D", TASK_LABEL: "T"}
    taken: dict[str, int] = {"Q": 0, "D": 0, "T": 0}
    out: dict[str, str] = {}
    used: set[str] = set()
    for r in regions:
        m = ID_RE.match(r.rid)
        if m and m.group(1) == prefix[r.label] and r.rid not in used:
            out[r.rid] = r.rid
            used.add(r.rid)
            taken[m.group(1)] = max(taken[m.group(1)], int(m.group(2)))
    for r in sorted(regions, key=lambda r: (r.start, r.end)):
        if r.rid not in out:
            p = prefix[r.label]
            taken[p] += 1
            out[r.rid] = f"{p}{taken[p]}"
    return out


def _ordered(d: dict[str, Any], order: Iterable[str]) -> dict[str, Any]:
    keys = [k for k in order if k in d] + [k for k in d if k not in order]
    return {k: d[k] for k in keys}


def from_task(task: dict[str, Any], use: str = "annotations") -> dict[str, Any]:
    """A gold dict from one Label Studio task (as Label Studio exports it, JSON format).

    ``use``: "annotations" takes the newest annotation that was not cancelled;
    "predictions" takes the first prediction (uncorrected pre-annotations).
    """
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise AnnotateError("a task has no data.text; export the project from Label Studio as JSON")
    meta = data.get("zhibiao") or {}
    doc_id = data.get("doc_id") or (meta.get("doc") or {}).get("doc_id") or f"task{task.get('id', '')}"
    result = _pick_result(task, use, doc_id)
    regions, relations = _read_regions(text, result)
    for r in regions:
        if r.label not in (*ROLE_LABELS, DATE_LABEL, TASK_LABEL):
            raise AnnotateError(f"{doc_id}: region {r.rid} has label {r.label!r}; use the labels of "
                                "`zhibiao annotate config`")
    ids = _assign_ids(regions)
    doc = _build_doc(text, meta, doc_id, regions, relations, ids)
    problems = ev.validate_gold(doc)
    if problems:
        raise AnnotateError(f"{doc_id}: {problems[0]}" + (f" (and {len(problems) - 1} more problems)"
                                                          if len(problems) > 1 else "")
                            + "; correct it in Label Studio and export again")
    return doc


def _pick_result(task: dict[str, Any], use: str, doc_id: str) -> list[dict[str, Any]]:
    key = "predictions" if use == "predictions" else ("annotations" if "annotations" in task else "completions")
    bodies = task.get(key) or []
    if not isinstance(bodies, list) or not all(isinstance(b, dict) and isinstance(b.get("result", []), list)
                                               for b in bodies):
        raise AnnotateError(f"{doc_id}: '{key}' is not a list of results; export the project from "
                            "Label Studio as JSON")
    if use == "predictions":
        if not bodies:
            raise AnnotateError(f"{doc_id}: the task has no predictions")
        return list(bodies[0].get("result") or [])
    anns = [a for a in bodies if not a.get("was_cancelled") and not a.get("skipped")]
    if not anns:
        raise AnnotateError(f"{doc_id}: the task has no submitted annotation; submit it in Label "
                            "Studio, or pass --use predictions to take the pre-annotations")
    anns.sort(key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))
    return list(anns[-1].get("result") or [])


def _build_doc(text: str, meta: dict[str, Any], doc_id: str, regions: list[RegionIn],
               relations: list[tuple[str, str, str]], ids: dict[str, str]) -> dict[str, Any]:
    by_rid = {r.rid: r for r in regions}
    links: dict[str, dict[str, str]] = {}
    for src, dst, lab in relations:
        if src not in by_rid or dst not in by_rid:
            raise AnnotateError(f"{doc_id}: a {lab} relation points to a deleted region; delete the "
                                "relation in Label Studio and export again")
        if lab in links.get(src, {}):
            raise AnnotateError(f"{doc_id}: {by_rid[src].rid} {text[by_rid[src].start:by_rid[src].end]!r} "
                                f"has two {lab} relations; keep one")
        if lab != TASK_RELATION and by_rid[src].label not in ROLE_LABELS:
            raise AnnotateError(f"{doc_id}: a {lab} relation starts at a {by_rid[src].label} region; "
                                "links start at a quantity")
        links.setdefault(src, {})[lab] = ids[dst]
    task_regions = sorted((r for r in regions if r.label == TASK_LABEL), key=lambda r: (r.start, r.end))
    tasks = [_task(r, ids[r.rid], doc_id) for r in task_regions]
    tasks.sort(key=lambda t: (t["start"], t["end"]))
    no_task = set(meta.get("no_task") or [])
    extras = meta.get("extras") or {}

    def task_of(r: RegionIn) -> str | None:
        if TASK_RELATION in links.get(r.rid, {}):
            return links[r.rid][TASK_RELATION]
        if ids[r.rid] in no_task:
            return None
        return _containing_task(tasks, r.start, r.end)

    quantities = sorted((_quantity(r, ids[r.rid], text, task_of(r), links.get(r.rid, {}), doc_id,
                                   extras.get("quantities", {}).get(ids[r.rid], {}))
                         for r in regions if r.label in ROLE_LABELS), key=lambda q: (q["start"], q["end"]))
    dates = sorted((_date(r, ids[r.rid], text, task_of(r), extras.get("dates", {}).get(ids[r.rid], {}))
                    for r in regions if r.label == DATE_LABEL), key=lambda d: (d["start"], d["end"]))
    tasks = [_ordered(dict(t, **extras.get("tasks", {}).get(t["id"], {})), TASK_FIELDS) for t in tasks]
    doc = dict(meta.get("doc") or {}, doc_id=doc_id, text=text, tasks=tasks, quantities=quantities,
               dates=dates)
    if "text_sha256" in doc or "bytes_sha256" in doc:
        if "text_sha256" in doc and ev.sha256_text(text) != doc["text_sha256"]:
            raise AnnotateError(f"{doc_id}: the task text differs from the standoff source; the text "
                                "of a task must not be edited")
    order = meta.get("key_order") or ["doc_id", "source", "text", "period", *MENTION_KEYS]
    return _ordered(doc, order)


def _task(r: RegionIn, tid: str, doc_id: str) -> dict[str, Any]:
    where = f"{doc_id} task {tid}"
    period = _pair(r.get("period"), where, "period")
    return {"id": tid, "seq": r.get("seq"), "start": r.start, "end": r.end, "title": r.get("title"),
            "departments": r.get_all("departments"),
            "period": None if period is None else {"start_date": period[0], "end_date": period[1]}}


def _quantity(r: RegionIn, qid: str, text: str, task: str | None, links: dict[str, str],
              doc_id: str, extra: dict[str, Any]) -> dict[str, Any]:
    where = f"{doc_id} {qid} {text[r.start:r.end]!r}"
    rng = _pair(r.get("range"), where, "range")
    low, high = (None, None) if rng is None else (_float(rng[0], where, "low"), _float(rng[1], where, "high"))
    q = {"id": qid, "task": task, "start": r.start, "end": r.end, "text": text[r.start:r.end],
         "value": _float(r.get("value"), where, "value"), "low": low, "high": high,
         "unit": r.get("unit"), "written_unit": r.get("written_unit"),
         "unit_inferred": r.get("unit_inferred") == "inferred", "kind": r.get("kind"),
         "qualifier": r.get("qualifier"), "role": r.label, "indicator": r.get("indicator"),
         **{link: links.get(link) for link in LINKS}}
    return _ordered(dict(q, **extra), QUANTITY_FIELDS)


def _date(r: RegionIn, did: str, text: str, task: str | None, extra: dict[str, Any]) -> dict[str, Any]:
    d = {"id": did, "task": task, "start": r.start, "end": r.end, "text": text[r.start:r.end],
         "start_date": r.get("start_date"), "end_date": r.get("end_date"), "grain": r.get("grain")}
    return _ordered(dict(d, **extra), DATE_FIELDS)


def gold_json(doc: dict[str, Any]) -> str:
    """A gold dict as corpus/tools/build_gold.py writes it; standoff gold without its text."""
    out = {k: v for k, v in doc.items() if not (k == "text" and ("text_sha256" in doc or "bytes_sha256" in doc))}
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


def read_export(path: Path) -> list[dict[str, Any]]:
    """The tasks of a Label Studio JSON export (a list of tasks, or one task)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise AnnotateError(f"{path} is not a Label Studio JSON export ({err}); in Label Studio use "
                            "Export → JSON") from err
    tasks = data if isinstance(data, list) else [data]
    if not all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in tasks):
        raise AnnotateError(f"{path} is not a Label Studio JSON export (tasks with 'data'); in Label "
                            "Studio use Export → JSON")
    return tasks


def import_export(path: Path, out_dir: Path, use: str = "annotations") -> list[Path]:
    """Write one gold file per task of a Label Studio export; returns the paths written.
    Every task is converted before any file is written, so a bad task writes nothing."""
    docs = [from_task(t, use) for t in read_export(path)]
    names = [str(d["doc_id"]) for d in docs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise AnnotateError(f"{path} holds {', '.join(dupes)} more than once; export each document once")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in docs:
        target = out_dir / f"{doc['doc_id']}.json"
        target.write_text(gold_json(doc), encoding="utf-8")
        written.append(target)
    return written


# --------------------------------------------------------------------------- command line

