"""The pipeline, stage by stage: Document in, Extraction out.

    fold → period → mentions (patterns ∪ model) → tasks/columns → roles → links → checks

Each stage is a plain function over records; this module only wires them.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from pipeline import dates as date_stage
from pipeline import indicators, link, periods, roles, structure, tables
from pipeline.extract import combine, linker
from pipeline.normalize import fold
from pipeline.regions import detect_region
from pipeline.records import Document, Extraction, Period

EXTRACTORS = ("pattern", "model", "combined")


def _reference(reference_date: _dt.date | str | None) -> _dt.date | None:
    if reference_date is None:
        return None
    if isinstance(reference_date, str):
        try:
            return _dt.date.fromisoformat(reference_date)
        except ValueError as err:
            raise ValueError(f"reference date {reference_date!r} is not an ISO date "
                             "like 2024-06-30") from err
    return reference_date


def run_stages(doc: Document, reference_date: _dt.date | str | None = None,
               extractors: str = "combined") -> Extraction:
    if extractors not in EXTRACTORS:
        raise ValueError(f"extractors must be one of {EXTRACTORS}, not {extractors!r}")
    text = doc.text
    view = fold(text)
    reference = _reference(reference_date)
    ref_year = reference.year if reference else None
    period = date_stage.detect_period(view, doc.title)
    default_year = int(period.start_date[:4]) if period else ref_year
    if period is None and ref_year is not None:  # no period of its own: the reference year
        period = Period(f"{ref_year}-01-01", f"{ref_year}-12-31")

    if not any(b.kind == "cell" for b in doc.blocks):
        cells = structure.text_table_cells(text)
        first = 1 + max((b.table or 0 for b in cells), default=-1)
        cells += tables.pipe_table_cells(text, first_table=first)
        if not cells:
            cells = tables.space_table_cells(text)
        doc = replace(doc, blocks=doc.blocks + cells)
    dates = date_stage.find_dates(view, default_year, reference)
    dates = sorted(dates + date_stage.header_years(text, doc.blocks, dates), key=lambda d: d.start)
    date_spans = [(view.to_folded(d.start), view.to_folded(d.end - 1) + 1) for d in dates]
    quantities = combine.find_quantities(view, extractors, explained=date_spans)
    quantities = sorted(quantities + structure.cell_quantities(text, doc.blocks, quantities),
                        key=lambda q: (q.start, q.end))
    quantities = [replace(q, id=f"Q{i + 1}") for i, q in enumerate(quantities)]
    dates = [replace(d, id=f"D{i + 1}") for i, d in enumerate(dates)]

    tasks, regions = structure.find_tasks(doc, period)
    task_at, region_at = structure.locator(tasks), structure.locator(regions)

    def task_id(offset: int) -> str | None:
        t = task_at(offset)
        return t.id if t else None

    def column(offset: int) -> str | None:
        r = region_at(offset)
        return r.column if r else None

    quantities = [replace(q, task=task_id(q.start), column=column(q.start)) for q in quantities]
    dates = [replace(d, task=task_id(d.start)) for d in dates]

    quantities = roles.assign_roles(view, quantities, use_model=extractors != "pattern")
    date_columns = {d.id: column(d.start) for d in dates}
    quantities, checks = link.link_all(view, quantities, dates, tasks, date_columns)
    quantities = link.link_table_cells(text, quantities, dates, list(doc.blocks))
    quantities = link.link_table_parts(quantities, list(doc.blocks))
    quantities = indicators.fill_indicators(text, quantities, list(doc.blocks))
    quantities = link.drop_implausible(quantities)
    checks = link.checks(quantities)
    # the trained link scorer over the rules' links (model/combined only; see linker.py)
    quantities, checks = linker.apply(view, quantities, dates, checks, extractors)
    quantities = periods.assign_periods(view, quantities, dates, tasks, period)
    return Extraction(text=text, doc_id=doc.doc_id, source=doc.source, period=period,
                      region=detect_region(text, doc.title),
                      tasks=tuple(tasks), quantities=tuple(quantities), dates=tuple(dates),
                      checks=tuple(checks), format=doc.format, encoding=doc.encoding)
