"""zhibiao: indicators out of Chinese government progress reports.

The public entry points::

    pipeline.extract(text, reference_date=None, doc_id=None) -> dict   (the contract)
    pipeline.extract_document(document, reference_date=None) -> Extraction
    pipeline.process_path(path, reference_date=None) -> dict           (read + extract)
"""
from __future__ import annotations

from pipeline.core.api import extract, extract_document, process_path

__all__ = ["extract", "extract_document", "process_path"]
__version__ = "0.1.0"
