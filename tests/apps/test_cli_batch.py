"""``zhibiao batch`` re-extracts a document when the extractor or its models changed,
not only when the file changed: the store records which version produced each row."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from helpers import SEED, zhibiao

from pipeline.apps import batch, store
from pipeline.core.mentions.model import models_dir


def run_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return next(line for line in done.stdout.splitlines() if line.startswith("this run:"))


def stored_versions(db: Path) -> list[str | None]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT extractor_version FROM documents")]
    finally:
        conn.close()


def current(extractors: str) -> set[str]:
    """The extractor version of the code and models as they are now."""
    return {batch.extractor_version(extractors)}


def test_rerun_skips_only_what_the_same_extractor_made(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    args = ("batch", SEED, "--db", db, "--workers", "1", "--quiet")
    assert "1 extracted, 0 unchanged" in run_line(zhibiao(*args, "--extractors", "pattern"))
    assert stored_versions(db)[0] in current("pattern")
    assert "0 extracted, 1 unchanged" in run_line(zhibiao(*args, "--extractors", "pattern"))
    # the other extractors made nothing in this store yet: re-extracted, not skipped
    assert "1 extracted, 0 unchanged" in run_line(zhibiao(*args, "--extractors", "combined"))
    assert stored_versions(db)[0] in current("combined")
    assert "0 extracted, 1 unchanged" in run_line(zhibiao(*args, "--extractors", "combined"))


def test_changed_models_re_extract(tmp_path: Path) -> None:
    """Models retrained (here: a copy of models/ whose training record differs) give a
    new version, so the unchanged file is extracted again."""
    models = tmp_path / "models"
    shutil.copytree(models_dir(), models)
    db = tmp_path / "s.db"
    args = ("batch", SEED, "--db", db, "--workers", "1", "--quiet")
    env = {"ZHIBIAO_MODELS": str(models)}
    assert "1 extracted" in run_line(zhibiao(*args, env=env))
    assert "1 unchanged" in run_line(zhibiao(*args, env=env))
    with (models / "training.json").open("a", encoding="utf-8") as fh:
        fh.write("\n")
    assert "1 extracted, 0 unchanged" in run_line(zhibiao(*args, env=env))


def test_version_depends_on_code_and_models(tmp_path: Path, monkeypatch) -> None:
    before = batch.extractor_version("combined")
    assert before.startswith("0.1.0+combined.") and before != batch.extractor_version("pattern")
    models = tmp_path / "models"
    shutil.copytree(models_dir(), models)
    monkeypatch.setenv("ZHIBIAO_MODELS", str(models))
    assert batch.extractor_version("combined") == before  # same bytes, same version
    pattern = batch.extractor_version("pattern")
    (models / "roles.joblib").write_bytes((models / "roles.joblib").read_bytes() + b"\0")
    assert batch.extractor_version("combined") != before
    assert batch.extractor_version("pattern") == pattern


def test_schema_3_store_gains_the_column_and_re_extracts(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    args = ("batch", SEED, "--db", db, "--workers", "1", "--quiet", "--extractors", "pattern")
    run_line(zhibiao(*args))
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE documents DROP COLUMN extractor_version")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    assert "1 extracted, 0 unchanged" in run_line(zhibiao(*args))  # unknown version: redone
    c = store.connect(db, readonly=True)
    try:
        assert c.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 6
        assert store.document_state(c, str(SEED))[1] in current("pattern")
    finally:
        c.close()
