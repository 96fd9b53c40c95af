"""Trained extractor (placeholder until models/ holds a trained pipeline)."""
from __future__ import annotations

from pipeline.normalize import View
from pipeline.records import Quantity


def find_quantities(view: View) -> list[Quantity]:
    return []
