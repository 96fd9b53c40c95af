"""Typed, frozen records of the output contract (../shared/CONTRACT.md).

Every stage of the pipeline takes records and returns new ones
(``dataclasses.replace``); nothing is mutated in place.  Offsets are half-open
``[start, end)`` Python ``str`` indices into ``Document.text``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.core.vocab import Grain, Kind, Qualifier, Role


@dataclass(frozen=True)
class Period:
    start_date: str  # inclusive ISO date
    end_date: str    # inclusive ISO date

    def to_dict(self) -> dict[str, str]:
        return {"start_date": self.start_date, "end_date": self.end_date}


@dataclass(frozen=True)
class Block:
    """A piece of a document's text: a paragraph, a table cell, a line of a dump."""

    kind: str            # paragraph | cell | line | heading
    start: int
    end: int
    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    header: str | None = None  # the column header of a cell, if known

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """What a reader produces: the text every offset points into, plus its blocks."""

    text: str
    source: str | None = None
    doc_id: str | None = None
    format: str = "text"
    encoding: str | None = None
    blocks: tuple[Block, ...] = ()
    title: str | None = None


@dataclass(frozen=True)
class Task:
    id: str
    seq: str | None
    start: int
    end: int
    title: str
    departments: tuple[str, ...] = ()
    period: Period | None = None
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "seq": self.seq, "start": self.start, "end": self.end,
            "title": self.title, "departments": list(self.departments),
            "period": self.period.to_dict() if self.period else None,
            "section": self.section,
        }


@dataclass(frozen=True)
class Quantity:
    id: str
    start: int
    end: int
    text: str
    value: float | None
    unit: str | None
    written_unit: str | None
    kind: Kind
    low: float | None = None
    high: float | None = None
    unit_inferred: bool = False
    qualifier: Qualifier = "="
    role: Role | None = None
    indicator: str | None = None
    indicator_key: str | None = None
    task: str | None = None
    target: str | None = None
    of: str | None = None
    change_of: str | None = None
    date: str | None = None
    confidence: float = 1.0
    extractor: str = "pattern"
    role_source: str | None = None
    column: str | None = None  # which table column the mention stands in, if known
    period: Period | None = None  # the time it refers to (pipeline/core/periods.py)

    FIELD_ORDER = ("id", "task", "start", "end", "text", "value", "low", "high", "unit",
                   "written_unit", "unit_inferred", "kind", "qualifier", "role", "indicator",
                   "indicator_key", "target", "of", "change_of", "date", "period", "confidence",
                   "extractor", "role_source", "column")

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.FIELD_ORDER}
        out["period"] = self.period.to_dict() if self.period else None
        return out


@dataclass(frozen=True)
class DateMention:
    id: str
    start: int
    end: int
    text: str
    start_date: str | None
    end_date: str | None
    grain: Grain
    task: str | None = None
    extractor: str = "pattern"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "task": self.task, "start": self.start, "end": self.end,
                "text": self.text, "start_date": self.start_date,
                "end_date": self.end_date, "grain": self.grain,
                "extractor": self.extractor}


@dataclass(frozen=True)
class Check:
    rule: str
    quantities: tuple[str, ...]
    expected: float
    reported: float
    ok: bool
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "quantities": list(self.quantities),
                "expected": self.expected, "reported": self.reported, "ok": self.ok,
                "message": self.message}


@dataclass(frozen=True)
class ErrorRecord:
    """A file or document that could not be read or processed: a code and a sentence."""

    source: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Extraction:
    """The whole result for one document: the contract's top-level object."""

    text: str
    doc_id: str | None = None
    source: str | None = None
    period: Period | None = None
    region: str | None = None  # whose figures these are (pipeline/core/regions.py)
    tasks: tuple[Task, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    checks: tuple[Check, ...] = ()
    format: str = "text"
    encoding: str | None = None
    errors: tuple[ErrorRecord, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "text": self.text,
            "period": self.period.to_dict() if self.period else None,
            "region": self.region,
            "tasks": [t.to_dict() for t in self.tasks],
            "quantities": [q.to_dict() for q in self.quantities],
            "dates": [d.to_dict() for d in self.dates],
            "checks": [c.to_dict() for c in self.checks],
            "errors": [e.to_dict() for e in self.errors],
        }
