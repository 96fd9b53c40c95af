"""Batches: inputs (dirs, globs, ZIPs), bad files, engines, crashes, timeouts, resume."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from reliability import one  # noqa: E402
from reliability import table_rows as rows  # noqa: E402

from pipeline.apps import batch
from pipeline.apps.cli import data as cli_data

SENTENCES = [
    "全市处置完成批而未供土地1.98万亩，省任务完成率82.5%。",
    "完成单宗低效用地再开发面积4128亩，完成全年任务的41.3％。",
    "全市闲置土地总量为8069亩，较年初增长了1.5%。",
    "截至6月底，新增耕地1.2万亩，耕地保护目标任务完成率95%。",
]


def write_corpus(root: Path, n: int = 4) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = root / ("sub" if i % 2 else "") / f"r{i:03d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"第{i + 1}号报告。" + SENTENCES[i % len(SENTENCES)] * (1 + i % 3), encoding="utf-8")
        paths.append(p)
    return paths


def write_bad_inputs(root: Path) -> None:
    (root / "empty.txt").write_bytes(b"")
    (root / "junk.bin").write_bytes(bytes(range(256)) * 20)
    with zipfile.ZipFile(root / "arch.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("inner/z1.txt", SENTENCES[0])
        zf.writestr("inner/z2.txt", SENTENCES[3])
        zf.writestr("../escape.txt", SENTENCES[1])
        zf.writestr("/etc/abs.txt", SENTENCES[1])
        zf.writestr("bomb.txt", b"0" * (3 * 2**20))


# --------------------------------------------------------------------------- inputs

def test_expand_inputs(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in")
    write_bad_inputs(tmp_path / "in")
    (tmp_path / "in" / ".hidden.txt").write_text("x")
    refs = batch.expand_inputs([tmp_path / "in", str(tmp_path / "in" / "sub" / "*.txt"),
                                tmp_path / "missing.txt"])
    by = {Path(r.source).name if "!" not in r.source else r.source.split("!")[1]: r for r in refs}
    assert {"r000.txt", "r001.txt", "r002.txt", "r003.txt", "empty.txt", "junk.bin",
            "inner/z1.txt", "inner/z2.txt", "../escape.txt", "/etc/abs.txt", "bomb.txt",
            "missing.txt"} == set(by)
    assert len(refs) == len({r.source for r in refs})  # the glob repeats sub/: deduplicated
    assert by["inner/z1.txt"].source.endswith("arch.zip!inner/z1.txt")
    assert by["inner/z1.txt"].member == "inner/z1.txt" and by["inner/z1.txt"].problem is None
    assert by["../escape.txt"].problem[0] == "unsafe_member"
    assert by["/etc/abs.txt"].problem[0] == "unsafe_member"
    assert by["missing.txt"].problem[0] == "not_found"


def test_load_job_bounds_reads(tmp_path: Path) -> None:
    write_bad_inputs(tmp_path)
    refs = {r.member: r for r in batch.expand_inputs([tmp_path / "arch.zip"])}
    bomb = batch.load_job(refs["bomb.txt"], max_bytes=2**20)
    assert isinstance(bomb, batch.Failure) and bomb.code == "too_large"
    # a member whose header lies about its size is still cut at max_bytes + 1
    lying = batch.InputRef(refs["bomb.txt"].source, refs["bomb.txt"].path, "bomb.txt", size=10)
    assert batch.load_job(lying, max_bytes=2**20).code == "too_large"
    job = batch.load_job(refs["inner/z1.txt"], max_bytes=2**20)
    assert isinstance(job, batch.Job) and job.data.decode() == SENTENCES[0]
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path.parent / "escape.txt").exists()


# --------------------------------------------------------------------------- end to end

def test_batch_directory_zip_and_bad_files(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    write_corpus(inp)
    write_bad_inputs(inp)
    db = tmp_path / "t.db"
    stats = batch.run_batch([inp], db, workers=1, max_bytes=2**20)
    assert stats.stored == 6  # 4 files + 2 zip members
    sources = {r[0] for r in sqlite3.connect(db).execute("SELECT source FROM documents")}
    assert any(s.endswith("arch.zip!inner/z1.txt") for s in sources)
    errors = dict(sqlite3.connect(db).execute("SELECT source, code FROM errors"))
    codes = {Path(s.split("!")[-1]).name: c for s, c in errors.items()}
    assert codes == {"empty.txt": "empty_file", "junk.bin": "binary", "escape.txt": "unsafe_member",
                     "abs.txt": "unsafe_member", "bomb.txt": "too_large"}
    assert one(db, "SELECT COUNT(*) FROM quantities") > 0
    for row in sqlite3.connect(db).execute(
            "SELECT d.text, q.span_start, q.span_end, q.text FROM quantities q "
            "JOIN documents d ON d.id = q.document_id"):
        assert row[0][row[1]:row[2]] == row[3]
    # rerun: everything unchanged is skipped, nothing duplicated
    before = rows(db, "quantities")
    stats2 = batch.run_batch([inp], db, workers=1, max_bytes=2**20)
    assert stats2.stored == 0 and stats2.skipped == 6
    assert rows(db, "quantities") == before
    assert one(db, "SELECT COUNT(*) FROM errors") == 5
    # a changed file is re-extracted, the others skipped
    (inp / "r000.txt").write_text(SENTENCES[2], encoding="utf-8")
    stats3 = batch.run_batch([inp], db, workers=1, max_bytes=2**20)
    assert stats3.stored == 1 and stats3.skipped == 5
    assert one(db, "SELECT COUNT(*) FROM documents") == 6
    assert one(db, "SELECT text FROM documents WHERE source LIKE '%r000.txt'") == SENTENCES[2]
    # --force re-extracts all, still one copy each
    stats4 = batch.run_batch([inp], db, workers=1, force=True, max_bytes=2**20)
    assert stats4.stored == 6 and one(db, "SELECT COUNT(*) FROM documents") == 6


def test_process_path_matches_batch(tmp_path: Path) -> None:
    import pipeline
    p = tmp_path / "one.txt"
    p.write_text(SENTENCES[0], encoding="utf-8")
    direct = pipeline.process_path(p)
    db = tmp_path / "t.db"
    batch.run_batch([p], db)
    assert one(db, "SELECT COUNT(*) FROM quantities") == len(direct["quantities"])
    assert isinstance(direct["quantities"], list) and direct["errors"] == []


def test_local_and_dask_engines_give_identical_stores(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    write_corpus(inp, 12)
    write_bad_inputs(inp)
    local_db, dask_db = tmp_path / "local.db", tmp_path / "dask.db"
    s1 = batch.run_batch([inp], local_db, workers=2, engine="local", max_bytes=2**20)
    s2 = batch.run_batch([inp], dask_db, workers=2, engine="dask", max_bytes=2**20)
    assert (s1.stored, s1.failed) == (s2.stored, s2.failed) == (14, 5)
    for table in ("documents", "tasks", "quantities", "dates", "checks", "errors", "links"):
        assert rows(local_db, table) == rows(dask_db, table), table


# --------------------------------------------------------------------------- faults

def crash_on_r001(job: batch.Job) -> dict[str, Any]:
    if job.source.endswith("r001.txt"):
        os._exit(3)
    return batch.extract_job(job)


def hang_on_r002(job: batch.Job) -> dict[str, Any]:
    if job.source.endswith("r002.txt"):
        time.sleep(60)
    return batch.extract_job(job)


def raise_on_r003(job: batch.Job) -> dict[str, Any]:
    if job.source.endswith("r003.txt"):
        raise ValueError("stage bug")
    return batch.extract_job(job)


def test_worker_crash_loses_only_that_document(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 6)
    db = tmp_path / "t.db"
    stats = batch.run_batch([tmp_path / "in"], db, workers=2, func=crash_on_r001)
    assert stats.stored == 5 and stats.failed == 1
    assert one(db, "SELECT code FROM errors") == "worker_crashed"
    assert "exited with code 3" in one(db, "SELECT message FROM errors")
    # the crashed document is retried by the next run (with a working function)
    stats = batch.run_batch([tmp_path / "in"], db, workers=2)
    assert stats.stored == 1 and stats.skipped == 5
    assert one(db, "SELECT COUNT(*) FROM errors") == 0


@pytest.mark.parametrize("workers", [1, 2])
def test_timeout_loses_only_that_document(tmp_path: Path, workers: int) -> None:
    write_corpus(tmp_path / "in", 4)
    db = tmp_path / "t.db"
    t0 = time.perf_counter()
    stats = batch.run_batch([tmp_path / "in"], db, workers=workers, func=hang_on_r002, timeout=3)
    assert time.perf_counter() - t0 < 30
    assert stats.stored == 3 and stats.failed == 1
    assert one(db, "SELECT code FROM errors") == "timeout"


def test_exception_in_worker_is_recorded(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 4)
    db = tmp_path / "t.db"
    stats = batch.run_batch([tmp_path / "in"], db, workers=2, func=raise_on_r003)
    assert stats.stored == 3
    assert one(db, "SELECT code || ': ' || message FROM errors") == "worker_error: ValueError: stage bug"


def test_map_files_engines_agree() -> None:
    items = list(range(20))
    inline = dict(batch.map_files(abs, items, workers=1))
    pooled = dict(batch.map_files(abs, items, workers=2))
    assert inline == pooled == {i: i for i in items}


# --------------------------------------------------------------------------- resume

RESUME_SCRIPT = """
import sys, time
from pipeline.apps import batch
def slow(job):
    time.sleep(0.05)
    return batch.extract_job(job)
batch.run_batch([sys.argv[1]], sys.argv[2], workers=1, func=slow)
"""


def _kill_after(db: Path, inp: Path, stored: int) -> None:
    proc = subprocess.Popen([sys.executable, "-c", RESUME_SCRIPT, str(inp), str(db)], cwd=ROOT)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    if one(db, "SELECT COUNT(*) FROM documents") >= stored:
                        break
                except sqlite3.OperationalError:
                    pass  # the schema is being created; poll again
            time.sleep(0.01)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_resume_after_sigkill(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    write_corpus(inp, 40)
    reference = tmp_path / "ref.db"
    batch.run_batch([inp], reference)
    db = tmp_path / "t.db"
    for stored in (3, 17, 31):
        _kill_after(db, inp, stored)
        assert one(db, "PRAGMA integrity_check") == "ok"
        n = one(db, "SELECT COUNT(*) FROM documents")
        assert stored <= n < 40
        # killed before its bulk FTS indexing: the rows wait in fts_pending
        assert one(db, "SELECT COUNT(*) FROM fts_pending") > 0
    stats = batch.run_batch([inp], db)
    assert stats.stored + stats.skipped == 40 and stats.skipped >= 31
    assert one(db, "PRAGMA integrity_check") == "ok"
    # the rerun indexed the killed runs' queue and its own: FTS matches the table exactly
    assert one(db, "SELECT COUNT(*) FROM fts_pending") == 0
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO quantities_fts(quantities_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()  # (the check raises "database disk image is malformed" when they differ)
    assert one(db, "SELECT COUNT(*) FROM documents") == 40
    assert one(db, "SELECT COUNT(DISTINCT source) FROM documents") == 40
    for table in ("documents", "quantities", "links", "dates", "checks"):
        assert rows(db, table) == rows(reference, table), table


# --------------------------------------------------------------------------- CLI

def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="zhibiao")
    cli_data.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_batch_search_export_series(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inp = tmp_path / "in"
    write_corpus(inp, 6)
    write_bad_inputs(inp)
    db = str(tmp_path / "cli.db")
    code, out, err = run_cli(["batch", str(inp), "--db", db, "--workers", "2",
                              "--max-bytes", str(2**20)], capsys)
    assert code == 0
    assert "8 extracted" in out and "5 failed" in out and "next commands to try" in out
    assert "quantities by role" in out
    code, out, _ = run_cli(["search", "批而未供", "--db", db, "--format", "json"], capsys)
    hits = json.loads(out)
    assert code == 0 and hits
    for h in hits:
        assert h["sentence"][h["mention_start"]:h["mention_end"]] == h["text"]
        assert "批而未供" in h["sentence"] + (h["indicator"] or "")
    code, out, _ = run_cli(["search", "耕地", "--db", db, "--format", "csv"], capsys)
    assert code == 0 and out.count("\n") >= 2 and "耕地" in out
    code, out, _ = run_cli(["search", "'; DROP TABLE quantities; --", "--db", db], capsys)
    assert code == 0
    code, out, _ = run_cli(["search", "完成率", "--db", db], capsys)
    assert code == 0 and "完成" in out and "source" in out
    for fmt in ("parquet", "csv"):
        out_path = tmp_path / f"q.{fmt}"
        code, _, _ = run_cli(["export", "--db", db, "--format", fmt, "--out", str(out_path)], capsys)
        assert code == 0 and out_path.stat().st_size > 0
    key = sqlite3.connect(db).execute(
        "SELECT indicator_key FROM quantities WHERE indicator_key IS NOT NULL "
        "GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    if key:
        for ext in ("png", "svg"):
            chart = tmp_path / f"s.{ext}"
            code, out, _ = run_cli(["series", key[0], "--db", db, "--out", str(chart)], capsys)
            assert code == 0 and chart.stat().st_size > 0
    code, _, err = run_cli(["search", "x", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 1 and "no store" in err
    code, _, err = run_cli(["series", "no such key", "--db", db], capsys)
    assert code == 1
