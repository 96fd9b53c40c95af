"""zhibiao: indicators out of Chinese government progress reports.

The flow, one package per step (``pipeline/core`` is the extraction; it imports nothing
from ``learn`` or ``apps``)::

    core/ingest       file → Document (text + table cells): PDF, DOCX, XLSX, HTML, text
    core/normalize    the folded view of the text and its offset map
    core/structure    tables rebuilt as cells; tasks (the rows of a progress table)
    core/mentions     quantities: the patterns and the trained model behind one interface
    core/dates        dates and the report's period
    core/roles        role (target, actual, rate, change, rank) and indicator of each
    core/links        links (target, of, change_of, date) and the arithmetic checks
    core/periods      each quantity's period
    core/stages       the stages wired together: Document in, Extraction out
    apps/store        the SQLite dataset (full-text search, export, series)
    apps/batch        many files into the store; apps/serve the web view; apps/cli
    learn/            scoring against gold, training, the link scorer, Label Studio

The public entry points::

    pipeline.extract(text, reference_date=None, doc_id=None) -> dict   (the contract)
    pipeline.extract_document(document, reference_date=None) -> Extraction
    pipeline.process_path(path, reference_date=None) -> dict           (read + extract)
"""
from __future__ import annotations

from pipeline.core.api import extract, extract_document, process_path

__all__ = ["extract", "extract_document", "process_path"]
__version__ = "0.1.0"
