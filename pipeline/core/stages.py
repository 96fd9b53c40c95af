"""The pipeline, stage by stage: Document in, Extraction out.

    fold → period → mentions (patterns ∪ model) → tasks/columns → roles → links → checks

Each stage is a plain function over records; this module only wires them.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import replace

from pipeline.core import dates as date_stage
from pipeline.core import indicators, links, periods, roles
from pipeline.core.mentions import combine
from pipeline.core.normalize import View, fold, simplify
from pipeline.core.records import Block, Check, DateMention, Document, Extraction, Period, Quantity
from pipeline.core.regions import detect_region
from pipeline.core.structure import boxes, forms, glued, tables, tasks
from pipeline.core.vocab import EXTRACTORS

#: the seam for a link rescorer, run after the link rules on the model and combined
#: extractors (never on pattern): (view, quantities, dates, checks) → (quantities,
#: checks).  The core ships none; ``pipeline.learn.linker.enable()`` plugs in the
#: trained scorer.
LinkRescorer = Callable[[View, list[Quantity], list[DateMention], list[Check]],
                        tuple[list[Quantity], list[Check]]]
_link_rescorer: LinkRescorer | None = None


def use_link_rescorer(rescorer: LinkRescorer | None) -> LinkRescorer | None:
    """Plug ``rescorer`` into the links stage (None unplugs it); returns the one before."""
    global _link_rescorer
    before, _link_rescorer = _link_rescorer, rescorer
    return before


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


def _next_table(cells: tuple[Block, ...]) -> int:
    return 1 + max((b.table or 0 for b in cells), default=-1)


def text_tables(stext: str, blocks: tuple[Block, ...], fmt: str = "text") -> tuple[Block, ...]:
    """Cell blocks of the tables a text holds flattened, each reader in turn (TAB, ``|``,
    box-drawn, space-separated; else one table on a line, else vertical forms).  Where a
    reader of the file's layout gave cells already, only the space-separated tables
    outside them (a PDF's page text whose table the layout reader missed).  In a PDF's
    text, whose lines are its layout, also a label and its figures on each line; in any
    text, rows whose figures a PDF glued together."""
    given = tuple(b for b in blocks if b.kind == "cell")
    if given:
        cells = tables.space_table_cells(stext, first_table=_next_table(given), taken=given)
    else:
        cells = tasks.text_table_cells(stext)
        cells += tables.pipe_table_cells(stext, first_table=_next_table(cells))
        cells += boxes.box_cells(stext, first_table=_next_table(cells))
        cells += tables.space_table_cells(stext, first_table=_next_table(cells), taken=cells)
    # a label and its figures on each line (a PDF's or a spreadsheet's text, 城市 99.9)
    cells += tables.figure_line_cells(stext, first_table=_next_table(given + cells), taken=given + cells)
    if fmt == "pdf":  # a PDF's text lines are its layout: a line is a row
        cells += tables.glued_figure_cells(stext, first_table=_next_table(given + cells), taken=given + cells)
    # rows of a label and its figures glued together (地区生产总值6145.52112100), in any
    # text a PDF's became
    cells += glued.glued_row_cells(stext, first_table=_next_table(given + cells), taken=given + cells)
    # rows of a label and its figures one cell per line (地区生产总值(亿元) ⏎ 466 ⏎ 112), in any text
    cells += tables.vertical_label_cells(stext, first_table=_next_table(given + cells), taken=given + cells)
    return cells if given or cells else tables.one_line_table_cells(stext) or forms.form_cells(stext)


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

    # the table stages match simplified keywords (序号, 单位, 指标): they read the text
    # with traditional characters simplified one for one, so every offset holds
    stext = simplify(text)
    doc = replace(doc, blocks=doc.blocks + text_tables(stext, doc.blocks, doc.format))
    blocks = [replace(b, header=simplify(b.header)) if b.header else b for b in doc.blocks]
    sdoc = replace(doc, text=stext, blocks=tuple(blocks))
    indexes = tasks.index_columns(stext, sdoc.blocks)  # columns of indexes, whatever their header
    # 今日/昨日 count from the reference date, else from the report's own date line (and
    # 去年 from the year it was issued in: a review of 2018 issued in 2019)
    issued = date_stage.report_date(view)
    relative_to = reference or issued
    dates = date_stage.find_dates(view, default_year, relative_to, periods.review_years(view, period))
    dates = sorted(dates + date_stage.header_years(text, doc.blocks, dates), key=lambda d: d.start)
    date_spans = [view.folded_span(d.start, d.end) for d in dates]
    quantities = combine.find_quantities(view, extractors, explained=date_spans)
    in_cells = [replace(q, text=text[q.start:q.end], indicator=_as_written(text, stext, q.indicator))
                for q in tasks.cell_quantities(stext, sdoc.blocks, quantities, indexes)]
    quantities = sorted(quantities + in_cells, key=lambda q: (q.start, q.end))
    quantities = [replace(q, id=f"Q{i + 1}") for i, q in enumerate(quantities)]
    dates = [replace(d, id=f"D{i + 1}") for i, d in enumerate(dates)]

    doc_tasks, regions = tasks.find_tasks(sdoc, period, indexes)
    doc_tasks = [replace(t, title=_as_written(text, stext, t.title, t.start, t.end) or t.title,
                         departments=tuple(_as_written(text, stext, d, t.start, t.end) or d
                                           for d in t.departments)) for t in doc_tasks]
    task_at, region_at = tasks.locator(doc_tasks), tasks.locator(regions)

    def task_id(offset: int) -> str | None:
        t = task_at(offset)
        return t.id if t else None

    def column(offset: int) -> str | None:
        r = region_at(offset)
        return r.column if r else None

    quantities = [replace(q, task=task_id(q.start), column=column(q.start)) for q in quantities]
    dates = [replace(d, task=task_id(d.start)) for d in dates]

    quantities = roles.assign_roles(view, quantities, use_model=extractors != "pattern",
                                    report_year=int(period.start_date[:4]) if period else None)
    date_columns = {d.id: column(d.start) for d in dates}
    quantities, checks = links.link_all(view, quantities, dates, doc_tasks, date_columns)
    quantities = links.link_table_cells(stext, quantities, dates, blocks)
    if not any(b.kind == "cell" for b in blocks):  # rows read from a text dump
        quantities = links.link_row_dates(stext, quantities, dates, doc_tasks)
    quantities = links.link_table_parts(quantities, blocks)
    quantities = indicators.fill_indicators(text, quantities, blocks)
    quantities = links.drop_implausible(quantities)
    checks = links.checks(quantities)
    if _link_rescorer is not None and extractors != "pattern":
        quantities, checks = _link_rescorer(view, quantities, dates, checks)
    quantities = periods.without_report_year(quantities, dates, period)
    quantities = periods.assign_periods(view, quantities, dates, doc_tasks, period, blocks,
                                        issued.year if issued else None)
    quantities = links.drop_cross_period_targets(quantities)
    checks = links.checks(quantities)
    return Extraction(text=text, doc_id=doc.doc_id, source=doc.source, period=period,
                      region=detect_region(stext, simplify(doc.title) if doc.title else None),
                      tasks=tuple(doc_tasks), quantities=tuple(quantities), dates=tuple(dates),
                      checks=tuple(checks), format=doc.format, encoding=doc.encoding)


def _as_written(text: str, stext: str, phrase: str | None, lo: int = 0, hi: int | None = None
                ) -> str | None:
    """A phrase read from the simplified text, in the characters the text is written in
    (the same offsets hold in both); unchanged when it is no piece of text[lo:hi]."""
    if not phrase or text is stext:
        return phrase
    i = stext.find(phrase, lo, len(stext) if hi is None else hi)
    return phrase if i < 0 else text[i:i + len(phrase)]
