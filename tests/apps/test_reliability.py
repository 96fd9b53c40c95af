"""Reliability of the batch: hostile inputs, dying workers, limits, and no reads outside
the inputs.  The scenario builders live in benchmarks/reliability.py (which also prints
the README's reliability table), so the test and the table measure the same thing.

Bounds asserted here (the bad-input batch runs with max_bytes = 4 MiB, 2 workers):

* the parent reads at most ``max_bytes + 1`` bytes of any input (a 100 MB file is
  refused from its size without being read; a ZIP bomb member is cut after 4 MiB + 1)
  and holds at most one such buffer per worker plus one: its peak RSS stays within
  start + (workers + 2) x max_bytes + 64 MiB;
* a worker's peak RSS stays under 1 GiB with the pattern extractor (it is ~200 MiB).
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
import reliability as rel  # noqa: E402
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.apps import batch, store
from pipeline.apps.cli import data as cli_data  # noqa: E402

MiB = 2**20


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("bad")
    root = tmp / "inputs"
    expected = rel.build_inputs(root)
    db = tmp / "bad.db"
    run = rel.batch_in_subprocess(root, db, workers=2, max_bytes=rel.SCENARIO_MAX_BYTES)
    return {"tmp": tmp, "root": root, "db": db, "expected": expected, "run": run,
            "check": rel.check_store(db, root, expected)}


def test_every_bad_input_is_an_error_and_no_document_is_lost(bad_run: dict) -> None:
    c = bad_run["check"]
    assert c["lost"] == [], c
    assert c["wrong_errors"] == {}, c["wrong_errors"]
    assert c["unexpected_documents"] == [] and c["duplicates"] == 0
    assert c["errors_without_sentence"] == []
    assert c["integrity"] == "ok"
    assert bad_run["run"]["stored"] == c["good"]
    # every hostile kind named in issue 7 is in the directory
    for name in ("bad/truncated.pdf", "bad/encrypted.pdf", "bad/scanned.pdf", "bad/xxe.docx",
                 "bad/inflating.docx", "bad/renamed-zip.docx", "bad/nosheets.xlsx",
                 "bad/big-100mb.txt", "bad/bomb.zip!zeros.txt", "bad/nested.zip!nested.zip",
                 "bad/junk.bin", "bad/gbk-claims-utf8.txt",
                 "bad/vanishing.txt", "bad/unreadable.txt", "good/arch.zip!../escape.txt"):
        assert name in c["errors"], name


def test_bad_input_batch_memory_is_bounded(bad_run: dict) -> None:
    run = bad_run["run"]
    limit_mib = rel.SCENARIO_MAX_BYTES / MiB
    assert run["parent_maxrss_mib"] <= run["parent_start_rss_mib"] + 4 * limit_mib + 64, run
    assert run["worker_maxrss_mib"] < 1024, run


def test_encodings_decode_right(bad_run: dict) -> None:
    conn = sqlite3.connect(bad_run["db"])
    text = dict(conn.execute("SELECT source, text FROM documents"))
    enc = dict(conn.execute("SELECT source, encoding FROM documents"))
    conn.close()
    root = str(bad_run["root"])
    # GBK bytes in a .txt file (no claim): detected and decoded, not mangled
    assert text[f"{root}/good/gbk.txt"] == rel.paragraph(101)
    assert enc[f"{root}/good/gbk.txt"] == "gb18030"
    assert text[f"{root}/good/utf16le.txt"] == rel.paragraph(102)
    assert "處置完成土地1.98萬畝" in text[f"{root}/good/big5.txt"]
    # UTF-8 lines and GBK lines in one file: every line right
    assert text[f"{root}/good/mixed-encodings.txt"] == rel.paragraph(109) + rel.paragraph(110)
    assert enc[f"{root}/good/mixed-encodings.txt"] == "utf-8+gb18030"


def test_rerun_retries_errors_and_skips_stored(bad_run: dict, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    src = sqlite3.connect(bad_run["db"])
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    root = bad_run["root"]
    (root / "bad" / "vanishing.txt").write_text(rel.paragraph(113), encoding="utf-8")
    stats = batch.run_batch([root], db, workers=1, max_bytes=rel.SCENARIO_MAX_BYTES,
                            func=rel.pattern_job)
    (root / "bad" / "vanishing.txt").unlink()
    c = rel.check_store(db, root, bad_run["expected"])
    # the file that came back is stored; so is the mode-000 file when root reads it here
    assert stats.skipped == c["good"] and stats.stored == 1 + (os.geteuid() == 0)
    assert c["duplicates"] == 0 and c["integrity"] == "ok"


def test_nothing_is_written_outside_and_no_link_is_followed(bad_run: dict) -> None:
    root = bad_run["root"]
    assert not (root.parent / "escape.txt").exists() and not Path("/etc/abs.txt").exists()
    assert not bad_run["check"]["outside_read"]
    sources = [r.source for r in batch.expand_inputs([root])]
    assert not any("link-" in s for s in sources)
    # a glob over the directory does not follow the symlink either
    globbed = [r.source for r in batch.expand_inputs([str(root / "bad" / "*.txt")])]
    assert globbed and not any("link-" in s for s in globbed)


@pytest.mark.parametrize("workers", [2, 1])
def test_dying_workers_lose_only_their_document(tmp_path: Path, workers: int) -> None:
    r = rel.run_faults(tmp_path, workers=workers, timeout=3)
    assert r["recorded"] == r["faults"], r
    assert all(len(m.split()) >= 4 for m in r["messages"])
    n_faults = len(r["faults"])
    assert r["first_run"]["failed"] == n_faults
    assert r["first_run"]["stored"] == r["documents"] - n_faults
    # the next run retries exactly the failed documents, and then nothing is missing
    assert r["rerun"] == {"stored": n_faults, "skipped": r["documents"] - n_faults, "failed": 0}
    assert r["lost"] == 0 and r["errors_after_rerun"] == 0
    assert r["documents_after_rerun"] == r["distinct"] == r["documents"]


def test_size_and_time_limits_are_cli_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIBIAO_EXTRACTORS", "pattern")  # no model loading: quick
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "small.txt").write_text(rel.paragraph(1), encoding="utf-8")
    (inp / "large.txt").write_text(rel.paragraph(2) * 40, encoding="utf-8")
    parser = argparse.ArgumentParser(prog="zhibiao")
    cli_data.register(parser.add_subparsers())
    db = tmp_path / "cli.db"
    args = parser.parse_args(["batch", str(inp), "--db", str(db), "--workers", "1", "--quiet",
                              "--max-bytes", "2000", "--timeout", "30"])
    assert args.max_bytes == 2000 and args.timeout == 30
    args.func(args)
    capsys.readouterr()
    conn = sqlite3.connect(db)
    assert [r[0] for r in conn.execute("SELECT code FROM errors")] == ["too_large"]
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    conn.close()


def test_fifo_in_inputs_does_not_hang(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "ok.txt").write_text(rel.paragraph(3), encoding="utf-8")
    stats = batch.run_batch([tmp_path], tmp_path / "f.db", workers=1, func=rel.pattern_job)
    assert stats.stored == 1 and stats.failures[0][1] == "not_a_file"


def test_zip_member_names_cannot_leave_the_archive(tmp_path: Path) -> None:
    z = tmp_path / "evil.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name in ("../../x.txt", "/abs/y.txt", "a/../../z.txt", "C:/w.txt", "..\\v.txt",
                     "ok/fine.txt"):
            zf.writestr(name, rel.paragraph(4))
    refs = {r.member: r for r in batch.expand_inputs([z])}
    assert refs["ok/fine.txt"].problem is None
    assert all(r.problem and r.problem[0] == "unsafe_member"
               for m, r in refs.items() if m != "ok/fine.txt")
    stats = batch.run_batch([z], tmp_path / "z.db", workers=1, func=rel.pattern_job)
    assert stats.stored == 1 and stats.failed == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.zip", "z.db", "z.db-shm", "z.db-wal"] \
        or sorted(p.name for p in tmp_path.iterdir()) == ["evil.zip", "z.db"]


# --------------------------------------------------------------------------- serve / search

# zhibiao serve (127.0.0.1 unless told, immutable) is covered by tests/apps/test_serve.py.


FTS_CHARS = st.sampled_from(list('"\'*^():-+%_\\;,.{}[]NEARORANDNOT 耕地批而未供率1.98万亩\x00'))


@pytest.fixture(scope="module")
def search_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_store import make_doc
    db = tmp_path_factory.mktemp("search") / "search.db"
    conn = store.connect(db)
    store.write_document(conn, make_doc("a.txt"), "a")
    conn.close()
    return db


@settings(max_examples=150, deadline=None, database=None)
@given(query=st.lists(FTS_CHARS, max_size=12).map("".join))
def test_any_query_string_is_text(search_db: Path, query: str) -> None:
    conn = store.connect(search_db, readonly=True)
    try:
        for r in store.search(conn, query, limit=None):
            hay = " ".join(x or "" for x in (r["sentence"], r["indicator"], r["task_title"]))
            assert query.replace("\x00", "").strip().lower() in hay.lower()
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM quantities")  # the search connection cannot write
    finally:
        conn.close()


def test_reliability_report_json_shape(bad_run: dict) -> None:
    report = {"bad_inputs": {**bad_run["check"], "run": bad_run["run"],
                             "max_bytes": rel.SCENARIO_MAX_BYTES},
              "faults_pool": {"documents": 0, "faults": {}, "recorded": {}, "rerun": {"stored": 0},
                              "lost": 0},
              "faults_inline": {"documents": 0, "faults": {}, "recorded": {}, "rerun": {"stored": 0},
                                "lost": 0}}
    md = rel.markdown(json.loads(json.dumps(report)))
    assert md.startswith("| scenario | inputs tried | faults injected |")
    assert "| 0 |" in md
