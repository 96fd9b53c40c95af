"""The readers' one error: a file that cannot be read, with a stable code and a sentence."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read: ``code`` (short, stable) and ``message`` (a sentence)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
