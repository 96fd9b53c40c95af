"""End to end, as a user runs it: every mistake issue 15 lists gets one sentence on
stderr and a non-zero exit, never a traceback; and the forgiving behaviours (counts,
units with a magnitude, CSV for Excel, the list of indicator keys, Chinese in charts,
sentence context) work through the installed ``zhibiao`` command."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SEED
from helpers import zhibiao as run


def assert_one_sentence(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """Non-zero exit; stderr is one line, no traceback, mentioning ``words``."""
    assert done.returncode != 0, done.stdout[-500:]
    err = done.stderr.strip()
    assert "Traceback" not in done.stderr and "Error:" not in err.split(":", 1)[0], err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("zhibiao"), err
    for w in words:
        assert w in lines[0], (w, err)
    return lines[0]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the bundled samples (the seed dump and the DOCX of the same table)."""
    path = tmp_path_factory.mktemp("cli") / "s.db"
    done = run("batch", SEED, ROOT / "samples", "--db", path, "--workers", "1", "--quiet",
               "--extractors", "pattern")
    assert done.returncode == 0, done.stderr
    return path


# --------------------------------------------------------------------------- mistakes

def test_export_into_missing_folder(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "missing" / "x.parquet"
    line = assert_one_sentence(run("export", "--db", db, "--out", out), "does not exist",
                               "mkdir -p")
    assert str(out.parent) in line and not out.parent.exists()


def test_batch_db_into_missing_folder(tmp_path: Path) -> None:
    db = tmp_path / "missing" / "s.db"
    assert_one_sentence(run("batch", SEED, "--db", db, "--workers", "1"), "does not exist")
    assert not db.parent.exists()


def test_extract_out_into_missing_folder(tmp_path: Path) -> None:
    assert_one_sentence(run("extract", SEED, "--out", tmp_path / "nope" / "x.json"),
                        "does not exist")


@pytest.mark.parametrize("value", ["2024/06/30", "30.6.2024", "2024-13-01", "yesterday"])
def test_reference_date_not_iso(value: str) -> None:
    line = assert_one_sentence(run("extract", SEED, "--reference-date", value), value,
                               "2024-06-30")
    assert "--reference-date" in line


def test_targets_on_a_text_file(tmp_path: Path) -> None:
    p = tmp_path / "report.txt"
    p.write_text("全市新增建设用地1万亩。\n", encoding="utf-8")
    assert_one_sentence(run("targets", p), "line 1", "JSONL", "content")


def test_targets_on_a_line_without_content(tmp_path: Path) -> None:
    p = tmp_path / "reports.jsonl"
    p.write_text(json.dumps({"year": 2021, "title": "x", "content": "x"}) + "\n"
                 + json.dumps({"year": 2022, "title": "y"}) + "\n", encoding="utf-8")
    assert_one_sentence(run("targets", p), "line 2", '"content"')


def test_targets_on_binary_input(tmp_path: Path) -> None:
    p = tmp_path / "reports.jsonl"
    p.write_bytes(bytes(range(256)) * 8)
    assert_one_sentence(run("targets", p), "binary")


def test_targets_on_gbk_input(tmp_path: Path) -> None:
    p = tmp_path / "reports.jsonl"
    p.write_bytes(json.dumps({"year": 2021, "content": "全市"}, ensure_ascii=False).encode("gbk"))
    assert_one_sentence(run("targets", p), "UTF-8")


def test_timeout_negative() -> None:
    assert_one_sentence(run("batch", SEED, "--timeout", "-1"), "--timeout", "-1", "negative")


def test_workers_not_a_number() -> None:
    line = assert_one_sentence(run("batch", SEED, "--workers", "abc"), "--workers", "abc",
                               "whole number")
    assert "_positive_int" not in line and "positive_int" not in line and "invalid" not in line


@pytest.mark.parametrize("args, words", [
    (("batch", "x", "--workers", "0"), ("--workers", "positive")),
    (("batch", "x", "--max-bytes", "-5"), ("--max-bytes",)),
    (("batch", "x", "--timeout", "soon"), ("--timeout", "not a number")),
    (("search", "x", "--limit", "0"), ("--limit",)),
    (("search", "x", "--from", "2024/01"), ("--from", "2024-06")),
    (("search", "x", "--kind", "areas"), ("--kind", "area")),
    (("search", "x", "--role", "goal"), ("--role", "target")),
    (("serve", "--port", "99999"), ("--port", "65535")),
    (("serve", "--port", "http"), ("--port", "whole number")),
    (("train", "--epochs", "0"), ("--epochs",)),
    (("targets", "x.jsonl", "--from", "twenty"), ("--from",)),
    (("extract", SEED, "--format", "xml"), ("--format", "html")),
])
def test_option_values_are_validated(args: tuple[str, ...], words: tuple[str, ...]) -> None:
    assert_one_sentence(run(*args), *words)


def test_no_store(tmp_path: Path) -> None:
    for cmd in (("search", "耕地"), ("series", "--list"), ("export", "--out", "x.csv")):
        assert_one_sentence(run(*cmd, "--db", tmp_path / "none.db", cwd=tmp_path), "no store",
                            "zhibiao batch")


def test_series_without_key_and_unknown_key(db: Path) -> None:
    assert_one_sentence(run("series", "--db", db), "--list")
    line = assert_one_sentence(run("series", "批而未供", "--db", db), "did you mean", "--list")
    assert "批而未供土地" in line


def test_series_chart_suffix(db: Path, tmp_path: Path) -> None:
    assert_one_sentence(run("series", "新增建设用地指标", "--db", db, "--out", tmp_path / "c.gif"),
                        ".png")


def test_scheduler_without_dask(tmp_path: Path) -> None:
    assert_one_sentence(run("batch", SEED, "--db", tmp_path / "s.db", "--scheduler", "tcp://x:1"),
                        "--engine dask")


def test_extract_unreadable_file_is_one_line_per_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    done = run("extract", bad, "--format", "json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- forgiving

def test_search_says_how_many_it_shows(db: Path) -> None:
    everything = run("search", "--db", db, "--format", "json", "--limit", "1000")
    total = len(json.loads(everything.stdout))
    assert total > 20
    done = run("search", "--db", db)
    assert done.returncode == 0
    assert f"showing 20 of {total} results; --limit {total} shows them all" in done.stderr
    few = run("search", "--db", db, "--limit", "3", "--format", "json")
    assert len(json.loads(few.stdout)) == 3 and f"showing 3 of {total}" in few.stderr
    assert f"showing {total} of {total} results" in everything.stderr


def test_unit_with_a_magnitude_is_understood(db: Path) -> None:
    base = run("search", "--db", db, "--unit", "亩", "--format", "json", "--limit", "500")
    wan = run("search", "--db", db, "--unit", "万亩", "--format", "json", "--limit", "500")
    assert wan.returncode == 0
    rows, base_rows = json.loads(wan.stdout), json.loads(base.stdout)
    assert rows and [r["id"] for r in rows] == [r["id"] for r in base_rows]
    assert "searching 亩" in wan.stderr and "1 万亩 = 10000 亩" in wan.stderr
    q = next(r for r in rows if r["value"] == 28000)
    assert q["in_unit"] == {"unit": "万亩", "value": 2.8, "low": None, "high": None}
    assert "(2.8 万亩)" in q["normalised"]
    table = run("search", "2.8", "--db", db, "--unit", "万亩")
    assert "2.8 万亩" in table.stdout


def test_unknown_unit_lists_the_stored_units(db: Path) -> None:
    done = run("search", "--db", db, "--unit", "furlong")
    assert done.returncode == 0 and "no quantity has the unit furlong" in done.stderr
    assert "亩" in done.stderr


def test_csv_for_excel_has_a_bom(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    done = run("export", "--db", db, "--out", out, "--excel")
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert any(r["indicator"] == "新增建设用地指标" for r in rows)
    plain = tmp_path / "plain.csv"
    assert run("export", "--db", db, "--out", plain).returncode == 0
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert data[3:] == plain.read_bytes()  # the same store export query, only the BOM added
    search = subprocess.run([shutil.which("zhibiao") or "zhibiao", "search", "批而未供", "--db", str(db), "--excel"],
                            capture_output=True)
    assert search.stdout.startswith(b"\xef\xbb\xbfsource,")
    assert_one_sentence(run("export", "--db", db, "--out", tmp_path / "y.parquet", "--excel",
                            "--format", "parquet"), "--excel")


def test_series_list_shows_the_keys(db: Path) -> None:
    done = run("series", "--list", "--db", db, "--format", "json")
    keys = json.loads(done.stdout)
    assert done.returncode == 0 and keys
    first = keys[0]
    assert set(first) == {"indicator_key", "quantities", "documents", "units", "example"}
    assert first["quantities"] == max(k["quantities"] for k in keys)
    some = next(k for k in keys if k["indicator_key"] == "新增建设用地指标")
    assert some["units"] == "亩" and some["documents"] >= 1
    table = run("series", "--list", "--db", db)
    assert "新增建设用地指标" in table.stdout
    series = run("series", some["indicator_key"], "--db", db, "--format", "json")
    assert len(json.loads(series.stdout)) == some["quantities"]


def test_chart_draws_chinese_with_the_bundled_font(db: Path, tmp_path: Path) -> None:
    """The chart's title is drawn with a CJK font (no 'Glyph missing' boxes), the font
    coming from the mplfonts package, not from the system."""
    out = tmp_path / "c.svg"
    done = run("series", "新增建设用地指标", "--db", db, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "no CJK font" not in done.stderr and "missing from" not in done.stderr
    svg = out.read_text(encoding="utf-8")
    assert "<svg" in svg and svg.count("<path") > 20
    from pipeline.apps.charts import add_bundled_cjk_font
    assert add_bundled_cjk_font() == "Noto Sans CJK SC"


def test_chart_font_covers_the_title(tmp_path: Path) -> None:
    """No 'Glyph missing from font' warning for the Chinese title and labels."""
    import warnings

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pipeline.apps.charts import plot_series
    rows = [{"date_end": "2024-06-30", "date_start": "2024-04-01", "source": "报告一.txt",
             "unit": "亩", "value": 12300.0, "role": "actual", "target_value": None,
             "target_unit": None}]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a warning: make it fail
        plot_series(rows, "新增建设用地指标", str(tmp_path / "c.png"))
    plt.close("all")
    assert (tmp_path / "c.png").stat().st_size > 1000


def test_sentence_context_is_cut_on_sentence_ends(db: Path) -> None:
    """The seed dump has a blank line inside 完成单宗低效用地…: the context keeps the
    sentence whole instead of starting at 宗."""
    done = run("search", "4128", "--db", db, "--format", "json")
    hits = [r for r in json.loads(done.stdout) if r["text"] == "4128亩"]
    assert hits, done.stdout[:500]
    sentence = hits[0]["sentence"]
    assert sentence.startswith("完成单") and sentence.endswith("41.3％；"), sentence
    assert "\n\n" in sentence


def test_train_progress_lines() -> None:
    from pipeline.apps.cli.train import StepPrinter
    buf = io.StringIO()
    p = StepPrinter("train", stream=buf)
    p("mention model: epoch 1 of 25")
    p.done()
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("zhibiao train: mention model: epoch 1 of 25 (")
    assert lines[-1].startswith("zhibiao train: done (")


def test_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 100)
    for cmd in (("search", "x"), ("series", "--list"), ("export", "--out", tmp_path / "x.csv")):
        assert_one_sentence(run(*cmd, "--db", bad), "is not a zhibiao store")
    empty = tmp_path / "other.sqlite"
    import sqlite3
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    assert_one_sentence(run("search", "x", "--db", empty), "is not a zhibiao store")


def test_a_bug_is_one_line_unless_debugging(tmp_path: Path) -> None:
    """An unexpected exception ends in one line, the traceback only with ZHIBIAO_DEBUG=1
    (here: a module of the extraction path raising, injected through a sitecustomize)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import pipeline.core.api\n"
        "def boom(*a, **k):\n    raise RuntimeError('injected fault')\n"
        "pipeline.core.api.process_path = boom\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    cmd = [sys.executable, "-m", "pipeline.apps.cli", "extract", str(SEED)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    line = assert_one_sentence(done, "internal error", "injected fault", "ZHIBIAO_DEBUG=1")
    assert done.returncode == 70, line
    debug = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                           env={**env, "ZHIBIAO_DEBUG": "1"})
    assert debug.returncode != 0 and "Traceback" in debug.stderr
