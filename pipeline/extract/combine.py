"""Merge the candidates of the pattern extractor and the trained model.

Overlapping candidates are resolved in favour of the pattern (it resolves values
exactly); a model span that no pattern covers is kept when the number parser can
read it.  Each mention keeps its ``extractor``.
"""
from __future__ import annotations

from pipeline.extract import patterns
from pipeline.normalize import View
from pipeline.records import Quantity


def find_quantities(view: View, extractors: str = "combined") -> list[Quantity]:
    found: list[Quantity] = []
    if extractors in ("pattern", "combined"):
        found = patterns.find_quantities(view)
    if extractors in ("model", "combined"):
        from pipeline.extract import model
        extra = model.find_quantities(view)
        if extractors == "model":
            return extra
        found = merge(found, extra)
    return found


def merge(primary: list[Quantity], secondary: list[Quantity]) -> list[Quantity]:
    """Keep every primary mention; add secondary ones that overlap none of them."""
    out = list(primary)
    for q in secondary:
        if not any(p.start < q.end and q.start < p.end for p in primary):
            out.append(q)
    out.sort(key=lambda q: (q.start, q.end))
    return out
