"""Top-level functions: text or file in, contract dict out."""
from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from pathlib import Path

from pipeline.core.ingest import ReadError, read_path
from pipeline.core.records import Document, ErrorRecord, Extraction
from pipeline.core.stages import run_stages


def extract_document(document: Document, reference_date: _dt.date | str | None = None,
                     extractors: str = "combined") -> Extraction:
    """Run every stage over one Document and return the Extraction record.

    ``extractors``: "pattern", "model" or "combined" (patterns plus the trained model).
    """
    return run_stages(document, reference_date, extractors)


def extract(text: str, reference_date: _dt.date | str | None = None,
            doc_id: str | None = None, source: str | None = None,
            extractors: str = "combined", title: str | None = None) -> dict:
    """Extract quantities, dates, tasks, links and checks from ``text``.

    ``title``: the document's title where it is not part of the text (a page's or a
    record's title); it gives the report's period first.
    Returns the contract's dict (see ../shared/CONTRACT.md).
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() wants str, got {type(text).__name__}; decode bytes first "
                        "or use pipeline.process_path()")
    doc = Document(text=text, doc_id=doc_id, source=source, title=title)
    return extract_document(doc, reference_date, extractors).to_dict()


def process_path(path: str | Path, reference_date: _dt.date | str | None = None,
                 doc_id: str | None = None) -> dict:
    """Read one file (any supported format) and extract from it.

    Never raises for bad input: a file that cannot be read gives a dict with empty
    results and one entry in ``errors`` (a code and a sentence).
    """
    p = Path(path)
    try:
        doc = read_path(p)
    except ReadError as err:
        rec = ErrorRecord(source=str(p), code=err.code, message=err.message)
        return Extraction(text="", doc_id=doc_id or p.stem, source=str(p), errors=(rec,)).to_dict()
    if doc_id:
        doc = replace(doc, doc_id=doc_id)
    return extract_document(doc, reference_date).to_dict()
