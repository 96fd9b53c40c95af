"""Shared parts of the standoff gold of the government work reports (../shared/corpus/gwr).

Each report is annotated from its start to the end of the paragraph of the year's main
targets (主要预期目标), given as ``annotated_range``; only mentions inside it are scored.
Numbers inside names (C919, 5G, PM2.5, 十四五, 75周年) are deliberately left unmarked.
"""
from __future__ import annotations

from typing import Any

from gold_lib import build_doc, d, q

GWR_FILE = "gwr/government_work_reports.jsonl"


def _range_end(text: str) -> int:
    i = text.find("主要预期目标")
    return text.find("\n", i)


def _para_end(text: str, marker: str) -> int:
    i = text.find(marker)
    assert i >= 0, marker
    return text.find("\n", i)


def _doc(year: int, text: str, qs: list[Any], ds: list[Any], end: int | None = None
         ) -> dict[str, Any]:
    return build_doc(f"gwr{year}", text, quantities=qs, dates=ds, standoff=True,
                     source={"corpus": "gwr", "file": GWR_FILE, "year": year},
                     annotated_range=(0, end or _range_end(text)), reference_date=f"{year}-03-05",
                     layers=["quantities", "values", "roles", "indicators", "links", "dates"],
                     genre="government_work_report")


def y(v: int) -> tuple[str, str, str]:
    return (f"{v}-01-01", f"{v}-12-31", "year")
