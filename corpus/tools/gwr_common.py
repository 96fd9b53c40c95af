"""Shared parts of the standoff gold of the government work reports (../shared/corpus/gwr).

Each report is annotated from its start to the end of the paragraph of the year's main
targets (主要预期目标), given as ``annotated_range``; only mentions inside it are scored.
Numbers inside names (C919, 5G, PM2.5, 十四五, 75周年) are deliberately left unmarked.

Conventions for these reports, where ANNOTATION.md leaves a choice (applied to all six):

* the year's plans and commitments are ``target``, planned growth rates, planned shares
  and planned changes included (a planned 比上年增加X against a level stated in the same
  sentence is ``target`` with ``change_of`` to that level);
* ``rate`` is a completion rate or a share of a stated whole (占…比重/占比/比例,
  贡献率, X%以上的…用于…); a named level such as 城镇化率, 失业率, 覆盖率, 普及率,
  入学率 or 优良天数比例 is the indicator's value: ``actual`` (or ``target`` if planned);
* 从A提高到B: two mentions with the same indicator, no link;
* a planned decrease is negative (单位国内生产总值能耗下降3% -> -3); its qualifier
  describes the size written (降幅超过3% -> ">").
"""
from __future__ import annotations

from typing import Any

from gold_lib import build_doc

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
