"""Conformance with Microsoft Recognizers-Text's Chinese number and percent specs.

The spec files (../shared/specs/recognizers-text/{NumberModel,PercentModel}.json) are
run through ``find_numbers`` / ``find_percents``; the test is skipped when they are
absent.  A case passes when the list of (text, value) pairs equals the spec's:

* text is compared after NFKC folding and lower-casing on both sides (the spec writes
  the full-width input ``４，５６５`` as ``4,565`` and ``-2.5 M`` as ``-2.5 m``);
* values as floats within 1e-9 relative (a percent's ``"50%"`` is 50).

Cases marked ``NotSupported`` for python are skipped (Recognizers-Text's own Python
package is not held to them either); cases NotSupported only in java/javascript run.
Cases the extractor gets wrong are listed in tests/golden/recognizers_xfail.txt
(``<file>:<index>  reason``) and run as strict xfail.  The pass rate (over all cases
of a file, skipped ones counted as not passed, and over the cases run) is written to
tests/_out/recognizers_passrate.json and printed at the end of the session.
"""
from __future__ import annotations

import json
import math
import unicodedata

import pytest
from helpers import ROOT

from pipeline.core.mentions.numeric import find_numbers, find_percents

SPEC_DIR = ROOT.parent / "shared" / "specs" / "recognizers-text"
XFAIL_FILE = ROOT / "tests" / "golden" / "recognizers_xfail.txt"
OUT = ROOT / "tests" / "_out" / "recognizers_passrate.json"
FILES = {"NumberModel": find_numbers, "PercentModel": find_percents}


def _load(name: str) -> list[dict]:
    path = SPEC_DIR / f"{name}.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _xfails() -> dict[str, str]:
    out = {}
    if XFAIL_FILE.exists():
        for line in XFAIL_FILE.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                case_id, _, reason = line.partition(" ")
                out[case_id] = reason.strip() or "known failure"
    return out


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _spec_value(raw: str) -> float:
    return float(raw.strip().rstrip("%"))


def expected(case: dict) -> list[tuple[str, float]]:
    return [(_norm(r["Text"]), _spec_value(r["Resolution"]["value"])) for r in case["Results"]]


def got(finder, case: dict) -> list[tuple[str, float]]:
    return [(_norm(m.text), m.value) for m in finder(case["Input"])]


def same(a: list[tuple[str, float]], b: list[tuple[str, float]]) -> bool:
    return len(a) == len(b) and all(
        ta == tb and math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-12)
        for (ta, va), (tb, vb) in zip(a, b))


def python_unsupported(case: dict) -> bool:
    return "python" in str(case.get("NotSupported", "")).lower()


RESULTS: dict[str, dict[str, int]] = {}


def _params():
    xfails = _xfails()
    params = []
    for name in FILES:
        for i, case in enumerate(_load(name)):
            case_id = f"{name}:{i}"
            marks = []
            if python_unsupported(case):
                marks.append(pytest.mark.skip(reason=f"NotSupported: {case['NotSupported']}"))
            elif case_id in xfails:
                marks.append(pytest.mark.xfail(strict=True, reason=xfails[case_id]))
            params.append(pytest.param(name, i, case, id=case_id, marks=marks))
    return params


PARAMS = _params()


@pytest.mark.skipif(not PARAMS, reason="Recognizers-Text spec files not found")
@pytest.mark.parametrize("name,index,case", PARAMS or [pytest.param(None, None, None, id="none")])
def test_spec_case(name, index, case):
    ok = same(got(FILES[name], case), expected(case))
    stats = RESULTS.setdefault(name, {"passed": 0, "run": 0})
    stats["run"] += 1
    stats["passed"] += ok
    assert ok, (case["Input"], got(FILES[name], case), expected(case))


def pass_rates() -> dict[str, dict]:
    """Run every case (no pytest) and compute the pass rates; used by the report."""
    report = {}
    for name, finder in FILES.items():
        cases = _load(name)
        if not cases:
            continue
        run = [c for c in cases if not python_unsupported(c)]
        passed = [i for i, c in enumerate(cases)
                  if not python_unsupported(c) and same(got(finder, c), expected(c))]
        report[name] = {
            "cases": len(cases), "run": len(run), "passed": len(passed),
            "pass_rate_all": round(len(passed) / len(cases), 4),
            "pass_rate_run": round(len(passed) / len(run), 4) if run else None,
            "failing": [f"{name}:{i}" for i, c in enumerate(cases)
                        if not python_unsupported(c) and i not in passed],
        }
    return report


@pytest.mark.skipif(not PARAMS, reason="Recognizers-Text spec files not found")
def test_pass_rate_report(capsys):
    """Write and print the pass rates; the xfail list must name exactly the failures."""
    report = pass_rates()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    with capsys.disabled():
        for name, r in report.items():
            print(f"\nRecognizers-Text {name}: {r['passed']}/{r['cases']} = "
                  f"{r['pass_rate_all']:.1%} of all cases ({r['pass_rate_run']:.1%} of the "
                  f"{r['run']} not marked NotSupported for python)")
    failing = {f for r in report.values() for f in r["failing"]}
    assert failing == set(_xfails()), (
        "tests/golden/recognizers_xfail.txt is out of date: "
        f"new failures {sorted(failing - set(_xfails()))}, "
        f"now passing {sorted(set(_xfails()) - failing)}")
