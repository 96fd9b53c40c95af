"""Paths the tests share, and a skip marker for data that lives outside the repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "seed_2024q2.txt"  # the user's sample (a copy of ../shared/corpus/seed)
SHARED = ROOT.parent / "shared"
GWR = SHARED / "corpus" / "gwr" / "government_work_reports.jsonl"


def needs(path: Path) -> pytest.MarkDecorator:
    """Skip when ``path`` (usually under ../shared) is absent."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent")


def zhibiao(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the ``zhibiao`` command as a user would (the installed script, else
    ``python -m pipeline.apps.cli``); wide columns, no debug tracebacks."""
    script = shutil.which("zhibiao")
    cmd = [script] if script else [sys.executable, "-m", "pipeline.apps.cli"]
    run_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    if "ZHIBIAO_DEBUG" not in (env or {}):
        run_env.pop("ZHIBIAO_DEBUG", None)
    return subprocess.run([*cmd, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=run_env)
