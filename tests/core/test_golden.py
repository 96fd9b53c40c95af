"""Golden cases: tests/golden/{quantities,dates,negatives}.toml through pipeline.extract.

Each case is one short sentence and every mention expected from it, with exact values.
A case the code gets wrong carries ``xfail = "reason"`` in the data and runs as a strict
xfail (so a fix shows up as XPASS and the marker must be removed).

* quantities.toml: the list of quantity mentions equals ``q`` (in order): text, value
  (or low/high), unit, written_unit, kind, qualifier, and role where given.
* dates.toml: the list of date mentions equals ``d``: text, start_date, end_date, grain.
* negatives.toml: no quantity at all; the dates equal ``d`` (default: none).
"""
from __future__ import annotations

import pytest
import tomllib
from helpers import TESTS

import pipeline

GOLDEN = TESTS / "golden"
DEFAULT_REFERENCE = "2024-07-01"
QUANTITY_FIELDS = ("text", "unit", "written_unit", "kind", "qualifier")
NUMERIC_FIELDS = ("value", "low", "high")
DATE_FIELDS = ("text", "start_date", "end_date", "grain")


def _load(name: str) -> tuple[dict, list[dict]]:
    with (GOLDEN / name).open("rb") as fh:
        data = tomllib.load(fh)
    return data, data.get("case", [])


def _params(name: str):
    data, cases = _load(name)
    ids = [c["id"] for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"{name}: duplicate case ids {sorted(duplicates)}"
    out = []
    for case in cases:
        case.setdefault("reference_date", data.get("reference_date", DEFAULT_REFERENCE))
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def _run(case: dict) -> dict:
    return pipeline.extract(case["text"], reference_date=case["reference_date"] or None)


def _quantity_view(q: dict, expected: dict) -> dict:
    """The fields of an extracted quantity that the expectation speaks about."""
    view = {k: q[k] for k in QUANTITY_FIELDS}
    view["unit"] = view["unit"] or ""
    view["written_unit"] = view["written_unit"] or ""
    for k in NUMERIC_FIELDS:
        view[k] = q[k]
    if "role" in expected:
        view["role"] = q["role"]
    return view


def _expected_view(e: dict) -> dict:
    view = {k: e.get(k, "") for k in QUANTITY_FIELDS}
    for k in NUMERIC_FIELDS:
        v = e.get(k)
        view[k] = pytest.approx(float(v), rel=1e-9) if v is not None else None
    if "role" in e:
        view["role"] = e["role"]
    return view


@pytest.mark.parametrize("case", _params("quantities.toml"))
def test_quantities(case):
    got = _run(case)["quantities"]
    expected = case.get("q", [])
    assert [q["text"] for q in got] == [e["text"] for e in expected]
    for q, e in zip(got, expected):
        assert _quantity_view(q, e) == _expected_view(e), q["text"]


def _dates(result: dict) -> list[dict]:
    return [{k: d[k] for k in DATE_FIELDS} for d in result["dates"]]


def _expected_dates(case: dict) -> list[dict]:
    """The case's ``d``; TOML has no null, so a date written "" means null."""
    return [{k: (e[k] if e[k] != "" or k in ("text", "grain") else None) for k in DATE_FIELDS}
            for e in case.get("d", [])]


@pytest.mark.parametrize("case", _params("dates.toml"))
def test_dates(case):
    assert _dates(_run(case)) == _expected_dates(case)


@pytest.mark.parametrize("case", _params("negatives.toml"))
def test_negatives(case):
    result = _run(case)
    assert [q["text"] for q in result["quantities"]] == []
    assert _dates(result) == _expected_dates(case)


def test_golden_files_are_large_enough():
    counts = {name: len(_load(name)[1]) for name in ("quantities.toml", "dates.toml", "negatives.toml")}
    assert sum(counts.values()) >= 300, counts
