"""Extraction throughput (pytest-benchmark; no wall-clock assertions).

Run with ``python -m pytest tests/core/test_bench_extract.py --benchmark-enable -q``.  Each
case records ``chars_per_second`` in ``extra_info``.  Three paths are measured:

* ``scan``: the mention finders alone (fold + quantity patterns + dates);
* ``pattern``: every stage with the pattern extractor (``extractors="pattern"``);
* ``combined``: ``pipeline.extract`` as shipped (patterns + trained model, if any).

Inputs: 200 copies of the seed (samples/seed_2024q2.txt), the government work reports
of ../shared/corpus/gwr (skipped when absent; one extract per report), and 1×, 10×,
100× the seed for linear growth (``ratio`` = time per char at 100× over 1×).  With
benchmarks disabled (the project default) every case runs once on a smaller input
(10 copies, 3 reports) so the normal suite stays quick.
"""
from __future__ import annotations

import json
import time

import pytest
from helpers import GWR, SEED

from pipeline.core import dates
from pipeline.core.mentions import patterns
from pipeline.core.normalize import fold
from pipeline.core.records import Document
from pipeline.core.stages import run_stages


def scan(text: str):
    view = fold(text)
    return patterns.find_quantities(view), dates.find_dates(view, 2024)


def pattern(text: str):
    return run_stages(Document(text=text), None, extractors="pattern")


def combined(text: str):
    return run_stages(Document(text=text), None, extractors="combined")


PATHS = {"scan": scan, "pattern": pattern, "combined": combined}


def _seconds(benchmark, func, *args) -> float:
    stats = getattr(benchmark, "stats", None)
    if stats is not None and not benchmark.disabled:
        return stats.stats.mean
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def _record(benchmark, func, args, chars: int, **info) -> None:
    seconds = _seconds(benchmark, func, *args)
    benchmark.extra_info.update({"chars": chars, "seconds": round(seconds, 4),
                                 "chars_per_second": round(chars / seconds) if seconds else None,
                                 **info})


def _run_all(func, texts):
    return [func(t) for t in texts]


@pytest.mark.parametrize("path", list(PATHS))
def test_seed_copies(benchmark, path):
    copies = 10 if benchmark.disabled else 200
    text = SEED.read_text(encoding="utf-8") * copies
    func = PATHS[path]
    rounds = 1 if path == "combined" else 3
    benchmark.pedantic(func, args=(text,), rounds=rounds, iterations=1)
    _record(benchmark, func, (text,), len(text), copies=copies, path=path)


@pytest.fixture(scope="module")
def reports() -> list[str]:
    if not GWR.exists():
        pytest.skip("../shared/corpus/gwr absent")
    with GWR.open(encoding="utf-8") as fh:
        return [json.loads(line)["content"] for line in fh if line.strip()]


@pytest.mark.parametrize("path", list(PATHS))
def test_government_work_reports(benchmark, reports, path):
    texts = reports[:3] if benchmark.disabled else reports
    func = PATHS[path]
    benchmark.pedantic(_run_all, args=(func, texts), rounds=1, iterations=1)
    _record(benchmark, _run_all, (func, texts), sum(map(len, texts)),
            documents=len(texts), path=path)


@pytest.mark.parametrize("path", ["scan", "pattern"])
def test_linear_growth(benchmark, path):
    """1×, 10×, 100× the same text: the time per character stays flat."""
    seed = SEED.read_text(encoding="utf-8")
    func = PATHS[path]
    factors = (1, 10) if benchmark.disabled else (1, 10, 100)
    per_char = {}
    for k in factors:
        text = seed * k
        best = min(_timed(func, text) for _ in range(3 if k < 100 else 1))
        per_char[k] = best / len(text)
    big = seed * factors[-1]
    benchmark.pedantic(func, args=(big,), rounds=1, iterations=1)
    _record(benchmark, func, (big,), len(big), path=path,
            chars_per_second_by_factor={k: round(1 / v) for k, v in per_char.items()},
            ratio=round(per_char[factors[-1]] / per_char[1], 3))


def _timed(func, text: str) -> float:
    start = time.perf_counter()
    func(text)
    return time.perf_counter() - start
