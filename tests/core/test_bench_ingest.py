"""Reading throughput per format (pytest-benchmark; no wall-clock assertions).

Run with ``python -m pytest tests/core/test_bench_ingest.py --benchmark-enable``; each case
records ``chars_per_second`` (characters of Document.text per second) and
``bytes_per_second`` in ``extra_info``.  With benchmarks disabled (the project default)
each case runs once and the rate comes from that single timed call.
"""
from __future__ import annotations

import time
from pathlib import Path

import fixtures_build as fb
import pytest
from helpers import SHARED

from pipeline.core.ingest import read_path

REAL_PDF = SHARED / "corpus" / "pdf" / \
    "honze-2023-disclosure-report.pdf"


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    small = fb.write_all(tmp_path_factory.mktemp("small"))
    out = {f"small-{k}": v for k, v in small.items()
           if k in ("docx", "xlsx", "html", "pdf", "utf8", "gb18030", "utf16")}
    long = fb.write_long(tmp_path_factory.mktemp("long"), times=40)
    out.update({f"long-{k}": v for k, v in long.items()})
    if REAL_PDF.exists():
        out["real-pdf"] = REAL_PDF
    return out


CASES = ["small-docx", "small-xlsx", "small-html", "small-pdf", "small-utf8",
         "small-gb18030", "small-utf16", "long-docx", "long-xlsx", "long-html", "long-pdf",
         "long-text-utf8", "long-text-gb18030", "real-pdf"]


@pytest.mark.parametrize("case", CASES)
def test_read_throughput(benchmark, paths: dict[str, Path], case: str) -> None:  # type: ignore[no-untyped-def]
    if case not in paths:
        pytest.skip("../shared corpus absent")
    path = paths[case]
    doc = benchmark(read_path, path)
    stats = getattr(benchmark, "stats", None)
    if stats is not None:
        seconds = stats.stats.mean
    else:
        start = time.perf_counter()
        read_path(path)
        seconds = time.perf_counter() - start
    size = path.stat().st_size
    benchmark.extra_info.update({
        "format": doc.format, "chars": len(doc.text), "bytes": size,
        "blocks": len(doc.blocks), "seconds": seconds,
        "chars_per_second": len(doc.text) / seconds if seconds else None,
        "bytes_per_second": size / seconds if seconds else None,
    })
    assert doc.text
