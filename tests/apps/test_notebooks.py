"""notebooks/indicators.ipynb runs top to bottom on a store built from samples/."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install 'zhibiao[test]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install 'zhibiao[test]')")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install 'zhibiao[test]')")

from helpers import ROOT

from pipeline.apps.batch import run_batch  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "indicators.ipynb"


def output_text(nb: Any) -> str:
    parts: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts.append(data.get("text/plain", ""))
            parts.append(data.get("text/html", ""))
    return "\n".join(parts)


def test_notebook_runs_on_the_sample_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "indicators.db"
    stats = run_batch([str(ROOT / "samples")], db, workers=1)
    assert stats.stored >= 1 and stats.failed == 0
    monkeypatch.setenv("ZHIBIAO_DB", str(db))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    text = output_text(nb)
    assert f"store: {db}" in text
    assert "批而未供土地" in text and "19800" in text
    assert "43.9" in text  # 1.23万亩 of 2.8万亩
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the progress chart and the series plot
