"""zhibiao as a spaCy pipeline component.

    import spacy
    nlp = spacy.blank("zh")                 # or with the jieba segmenter
    nlp.add_pipe("zhibiao")                 # found through the spacy_factories entry point
    doc = nlp("新建高标准农田0.82万亩，完成全年任务的23.4%。")
    for span in doc.spans["quantities"]:
        span.label_, span._.value, span._.unit, span._.role, span._.indicator, span._.target

Quantities go to ``doc.spans["quantities"]`` (label: the role, or ``quantity`` when it
has none; ``span.id_``: the contract's id, Q1 …), dates to ``doc.spans["dates"]`` (label
``date``; ``span.id_`` D1 …).  The whole contract dict of the document is
``doc._.zhibiao`` (checks, tasks, period included); it travels with ``Doc.to_bytes`` and
``DocBin``.  The span attributes are getters over it, so nothing else is stored.

Token boundaries: a Chinese segmenter may cut through a mention (jieba makes ``排名第``
and ``季度末`` tokens, so the mentions ``第3位`` and ``二季度`` start or end inside one).  A span is made with
``Doc.char_span(..., alignment_mode="expand")``: it covers every token the mention
touches, so ``span.text`` can be longer than the mention.  The mention as written and
its exact offsets are ``span._.mention_text``, ``span._.mention_start`` and
``span._.mention_end``.  With spaCy's default ``char`` segmenter every span is exact.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.core.api import extract
from pipeline.core.vocab import EXTRACTORS, QUANTITY_LINKS

QUANTITIES_KEY = "quantities"
DATES_KEY = "dates"
ALIGNMENT_MODES = ("expand", "contract", "strict")
QUANTITY_FIELDS = ("value", "low", "high", "unit", "written_unit", "unit_inferred", "kind",
                   "qualifier", "role", "indicator", "indicator_key", "confidence", "extractor")
DATE_FIELDS = ("start_date", "end_date", "grain")


#: Per Doc: (its contract dict, that dict's records by id), rebuilt when the dict changes.
_INDEX: weakref.WeakKeyDictionary[Doc, tuple[dict[str, Any], dict[str, dict[str, Any]]]] = \
    weakref.WeakKeyDictionary()


def _records(doc: Doc) -> dict[str, dict[str, Any]]:
    data = doc._.zhibiao
    if not data:
        return {}
    cached = _INDEX.get(doc)
    if cached is None or cached[0] is not data:
        index = {str(r.get("id")): r for kind in ("quantities", "dates", "tasks")
                 for r in data.get(kind) or []}
        cached = (data, index)
        _INDEX[doc] = cached
    return cached[1]


def _record(span: Span) -> dict[str, Any] | None:
    """The contract record of a span the component made (by ``span.id_``), or None."""
    return _records(span.doc).get(span.id_) if span.id_ else None


def _field(name: str) -> Callable[[Span], Any]:
    def get(span: Span) -> Any:
        rec = _record(span)
        return None if rec is None else rec.get(name)
    return get


def _linked(name: str, key: str) -> Callable[[Span], Span | None]:
    """A getter: the span in ``doc.spans[key]`` that the record's ``name`` link points to."""
    def get(span: Span) -> Span | None:
        rec = _record(span)
        ref = None if rec is None else rec.get(name)
        if not ref or key not in span.doc.spans:
            return None
        for other in span.doc.spans[key]:
            if other.id_ == ref:
                return other
        return None
    return get


def _task(span: Span) -> dict[str, Any] | None:
    rec = _record(span)
    if rec is None or not rec.get("task"):
        return None
    return _records(span.doc).get(rec["task"])


def register_extensions() -> None:
    """Set the Doc and Span extension attributes (once; later calls change nothing)."""
    if not Doc.has_extension("zhibiao"):
        Doc.set_extension("zhibiao", default=None)
    getters: dict[str, Callable[[Span], Any]] = {
        name: _field(name) for name in (*QUANTITY_FIELDS, *DATE_FIELDS)}
    getters.update({name: _linked(name, QUANTITIES_KEY) for name in QUANTITY_LINKS})
    getters["date"] = _linked("date", DATES_KEY)
    getters["task"] = _task
    getters["mention_text"] = _field("text")
    getters["mention_start"] = _field("start")
    getters["mention_end"] = _field("end")
    for name, getter in getters.items():
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)


register_extensions()  # also in processes that unpickle a pipeline (nlp.pipe n_process)


class Zhibiao:
    """The component: runs ``pipeline.extract`` on ``doc.text`` and adds span groups."""

    def __init__(self, nlp: Language, name: str = "zhibiao", extractors: str = "combined",
                 reference_date: str | None = None, alignment_mode: str = "expand") -> None:
        if extractors not in EXTRACTORS:
            raise ValueError(f"extractors {extractors!r}: use pattern, model or combined")
        if alignment_mode not in ALIGNMENT_MODES:
            raise ValueError(f"alignment_mode {alignment_mode!r}: use one of {', '.join(ALIGNMENT_MODES)}")
        self.name = name
        self.extractors = extractors
        self.reference_date = reference_date
        self.alignment_mode = alignment_mode

    def __call__(self, doc: Doc, reference_date: str | None = None) -> Doc:
        result = extract(doc.text, reference_date=reference_date or self.reference_date,
                         extractors=self.extractors)
        return self.set_annotations(doc, result)

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128,
             reference_date: str | None = None) -> Iterator[Doc]:
        """Documents are extracted one at a time; ``batch_size`` is accepted for nlp.pipe."""
        for doc in stream:
            yield self(doc, reference_date)

    def set_annotations(self, doc: Doc, result: dict[str, Any]) -> Doc:
        """Put a contract dict's quantities and dates on ``doc`` (its text must be doc.text)."""
        if result.get("text") != doc.text:
            raise ValueError("the extraction result is for another text than doc.text")
        doc._.zhibiao = {k: v for k, v in result.items() if k != "text"}
        doc.spans[QUANTITIES_KEY] = self._spans(doc, result.get("quantities") or [],
                                                lambda q: q.get("role") or "quantity")
        doc.spans[DATES_KEY] = self._spans(doc, result.get("dates") or [], lambda d: "date")
        return doc

    def _spans(self, doc: Doc, records: list[dict[str, Any]],
               label: Callable[[dict[str, Any]], str]) -> list[Span]:
        spans = []
        for rec in records:
            span = doc.char_span(rec["start"], rec["end"], label=label(rec),
                                 alignment_mode=self.alignment_mode)
            if span is None or len(span) == 0:  # "strict"/"contract" and a mention inside a token
                continue
            span.id_ = rec["id"]
            spans.append(span)
        return spans


@Language.factory(
    "zhibiao",
    default_config={"extractors": "combined", "reference_date": None, "alignment_mode": "expand"},
    assigns=["doc.spans", "doc._.zhibiao"],
)
def make_zhibiao(nlp: Language, name: str, extractors: str, reference_date: str | None,
                 alignment_mode: str) -> Zhibiao:
    """The ``zhibiao`` factory (entry point ``spacy_factories``).  Nothing is saved with
    the pipeline but these settings (config.cfg): the models are zhibiao's own
    (models/ or $ZHIBIAO_MODELS)."""
    return Zhibiao(nlp, name, extractors, reference_date, alignment_mode)
