"""Readers: file -> Document.  (Placeholder until the ingestion module lands.)"""
from __future__ import annotations

from pathlib import Path

from pipeline.records import Document


class ReadError(Exception):
    """A file that cannot be read: ``code`` (short, stable) and ``message`` (a sentence)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def read_path(path: str | Path) -> Document:
    p = Path(path)
    if p.is_dir():
        raise ReadError("is_directory", f"{p} is a directory; pass the files inside it")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise ReadError("unreadable", f"cannot read {p}: {err.strerror}") from err
    return Document(text=data.decode("utf-8-sig", errors="replace"), source=str(p), doc_id=p.stem)
