"""``zhibiao serve``: Datasette over a store built here, read over HTTP and in headless Chromium.

The store holds the seed report and a hostile copy of it (markup in a task title and in
the file name, a stated rate that does not match its ratio), so the pages are checked for
escaping and for the flagged check as well as for values and progress bars.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("datasette", reason="datasette is not installed (pip install 'zhibiao[serve]')")

from helpers import SEED

from pipeline.apps import serve  # noqa: E402
from pipeline.apps.batch import run_batch  # noqa: E402

HOSTILE_NAME = "evil&<i>x.txt"
HOSTILE_DOC = "evil&<i>x"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def hostile_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    return (text.replace("84.16%", "88.16%")
                .replace("开发用好河东", "开发<script>alert(1)</script>用好河东"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def wait_until_up(proc: subprocess.Popen[bytes], url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
            pytest.fail(f"zhibiao serve exited with {proc.returncode}:\n{out}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    pytest.fail(f"zhibiao serve did not answer {url} within {seconds:g} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to zhibiao (which stops Datasette); the session's group if that hangs."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("serve")
    hostile = tmp / HOSTILE_NAME
    hostile.write_text(hostile_text(), encoding="utf-8")
    db = tmp / "indicators.db"
    stats = run_batch([str(SEED), str(hostile)], db, workers=1)
    assert stats.stored == 2 and stats.failed == 0
    return db


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.apps.cli", "serve", "--db", str(store_path), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(proc, base + "/-/zhibiao")
        yield base
    finally:
        stop(proc)
        if proc.stdout:
            proc.stdout.close()


def task_url(base: str, doc_id: str, tid: str) -> str:
    return f"{base}/-/zhibiao/task/{quote(doc_id, safe='')}/{tid}"


# --------------------------------------------------------------------------- plain HTTP

def test_index_lists_documents_and_task_links(server: str) -> None:
    status, html = fetch(server + "/-/zhibiao")
    assert status == 200
    assert "samples/seed_2024q2.txt" in html or "seed_2024q2.txt" in html
    assert 'href="/-/zhibiao/task/seed_2024q2/T1"' in html
    assert f'href="/-/zhibiao/task/{quote(HOSTILE_DOC, safe="")}/T2"' in html
    assert "1 failed" in html


def test_task_page_has_progress_bar(server: str) -> None:
    status, html = fetch(task_url(server, "seed_2024q2", "T1"))
    assert status == 200
    assert "1.23万亩 of 2.8万亩" in html
    assert 'aria-valuenow="43.9"' in html and "width: 43.9%" in html and "43.9%" in html
    assert "<mark>1.98万亩</mark>" in html


def test_task_page_flags_failed_check(server: str) -> None:
    status, html = fetch(task_url(server, HOSTILE_DOC, "T3"))
    assert status == 200
    assert "1 flagged" in html and "rate_matches_ratio" in html and "88.16" in html
    status, html = fetch(task_url(server, "seed_2024q2", "T3"))
    assert status == 200 and "flagged)" not in html


def test_report_strings_are_escaped(server: str) -> None:
    for url in (server + "/-/zhibiao", task_url(server, HOSTILE_DOC, "T2")):
        status, html = fetch(url)
        assert status == 200
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<i>x" not in html and "evil&amp;&lt;i&gt;x" in html


def test_unknown_document_and_task_are_404(server: str) -> None:
    assert fetch(task_url(server, "no-such-doc", "T1"))[0] == 404
    assert fetch(task_url(server, "seed_2024q2", "T99"))[0] == 404


def test_fts_and_canned_search_find_the_value(server: str) -> None:
    q = quote("批而未供")
    status, body = fetch(f"{server}/indicators/quantities.json?_search={q}&_shape=array")
    assert status == 200
    assert 19800 in [r["value"] for r in json.loads(body)]
    for query in ("search", "short_search"):
        status, body = fetch(f"{server}/indicators/{query}.json?q={q}&_shape=array")
        assert status == 200
        hits = json.loads(body)
        assert any(r["mention"] == "1.98万亩" and r["value"] == 19800 for r in hits), query
    # two characters: trigram FTS cannot match, the LIKE query does; % is not a wildcard
    status, body = fetch(f"{server}/indicators/short_search.json?q={quote('耕地')}&_shape=array")
    assert status == 200 and json.loads(body)
    status, body = fetch(f"{server}/indicators/short_search.json?q={quote('%%%')}&_shape=array")
    assert status == 200 and json.loads(body) == []


def test_canned_progress_and_failed_checks(server: str) -> None:
    status, body = fetch(f"{server}/indicators/progress.json?_shape=array")
    assert status == 200
    assert any(r["actual"] == "1.23万亩" and r["progress_pct"] == 43.9 for r in json.loads(body))
    status, body = fetch(f"{server}/indicators/failed_checks.json?_shape=array")
    assert status == 200
    assert [r["doc_id"] for r in json.loads(body)] == [HOSTILE_DOC]


def test_immutable_with_metadata(server: str) -> None:
    dbs = json.loads(fetch(server + "/-/databases.json")[1])
    assert [(d["name"], d["is_mutable"]) for d in dbs] == [("indicators", False)]
    meta = json.loads(fetch(server + "/-/metadata.json")[1])
    q = meta["databases"]["indicators"]["tables"]["quantities"]
    assert q["fts_table"] == "quantities_fts" and "万" in q["columns"]["unit"]
    assert {"search", "short_search", "failed_checks", "progress"} <= set(
        meta["databases"]["indicators"]["queries"])


# --------------------------------------------------------------------------- host

def test_default_host_is_loopback(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    seen: list[list[str]] = []

    class FakeProc:
        def __init__(self, cmd: list[str]) -> None:
            seen.append(cmd)

        def wait(self) -> int:
            return 0

        def terminate(self) -> None:
            raise AssertionError("not stopped in this test")

    monkeypatch.setattr(serve.subprocess, "Popen", FakeProc)
    assert serve.run(str(store_path), None, 8001) == 0
    assert serve.run(str(store_path), "0.0.0.0", 8001) == 0
    first, second = seen
    assert first[first.index("--host") + 1] == "127.0.0.1" and "-i" in first
    assert second[second.index("--host") + 1] == "0.0.0.0"
    assert str(serve.PLUGINS_DIR) in first


# --------------------------------------------------------------------------- Chromium

def chromium(tmp_path: Path, *args: str) -> str:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done.stdout.decode("utf-8")


def test_chromium_search_shows_value(server: str, tmp_path: Path) -> None:
    q = quote("批而未供")
    dom = chromium(tmp_path, "--dump-dom", f"{server}/indicators/short_search?q={q}")
    assert "1.98万亩" in dom and "19800" in dom
    dom = chromium(tmp_path, "--dump-dom", f"{server}/indicators/quantities?_search={q}")
    assert "1.98万亩" in dom and "19800" in dom


def test_chromium_task_page(server: str, tmp_path: Path) -> None:
    url = task_url(server, "seed_2024q2", "T1")
    dom = chromium(tmp_path, "--dump-dom", url)
    assert "1.23万亩 of 2.8万亩" in dom and 'aria-valuenow="43.9"' in dom and "43.9%" in dom
    dom = chromium(tmp_path, "--dump-dom", task_url(server, HOSTILE_DOC, "T2"))
    assert "<script>alert(1)" not in dom and "&lt;script&gt;alert(1)" in dom
    shot = Path(os.environ.get("ZHIBIAO_SCREENSHOT", str(tmp_path / "task.png")))
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1500", "--hide-scrollbars", url)
    assert shot.stat().st_size > 10_000


# --------------------------------------------------------------------------- document view

def doc_url(base: str, doc_id: str) -> str:
    return f"{base}/-/zhibiao/doc/{quote(doc_id, safe='')}"


def test_index_and_task_pages_link_to_the_document(server: str) -> None:
    _, index = fetch(server + "/-/zhibiao")
    assert 'href="/-/zhibiao/doc/seed_2024q2"' in index
    assert f'href="/-/zhibiao/doc/{quote(HOSTILE_DOC, safe="")}"' in index
    _, task = fetch(task_url(server, "seed_2024q2", "T2"))
    assert 'href="/-/zhibiao/doc/seed_2024q2#task-T2"' in task


def test_document_page_marks_every_mention(server: str, store_path: Path) -> None:
    from pipeline.apps import store
    status, page = fetch(doc_url(server, "seed_2024q2"))
    assert status == 200
    conn = store.connect(store_path, readonly=True)
    try:
        n_q, n_d = conn.execute(
            "SELECT (SELECT count(*) FROM quantities q JOIN documents d ON d.id = q.document_id"
            " WHERE d.doc_id = 'seed_2024q2'), (SELECT count(*) FROM dates x JOIN documents d"
            " ON d.id = x.document_id WHERE d.doc_id = 'seed_2024q2')").fetchone()
    finally:
        conn.close()
    assert page.count("<mark class='zb-ent") == n_q + n_d > 30
    assert "id='task-T1'" in page and "<h2>Links (" in page
    assert 'href="/-/zhibiao/task/seed_2024q2/T1"' in page  # back to the task pages
    status, _ = fetch(doc_url(server, "no-such-document"))
    assert status == 404


def test_document_page_escapes_the_report(server: str) -> None:
    status, page = fetch(doc_url(server, HOSTILE_DOC))
    assert status == 200
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<i>x" not in page


def test_bundled_cjk_font_is_served(server: str) -> None:
    with urllib.request.urlopen(server + "/-/zhibiao/font/cjk.otf", timeout=30) as r:
        assert r.status == 200 and r.headers["content-type"] == "font/otf"
        assert r.read(4) == b"OTTO"  # an OpenType (CFF) font


def test_chromium_document_page_hover(server: str, tmp_path: Path) -> None:
    """In a real browser: the marks are there, coloured by role; hovering an actual
    that has a target shows its card and outlines the target."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from cdp_browser import Browser

    from pipeline.apps import docview
    with Browser(tmp_path / "profile") as b:
        b.goto(doc_url(server, "seed_2024q2"))
        labels = b.js("[...document.querySelectorAll('.zb-text mark')].map(e => e.dataset.label)")
        colours = b.js("""Object.fromEntries([...document.querySelectorAll('.zb-text mark')]
            .map(e => [e.dataset.label, getComputedStyle(e).backgroundColor]))""")
        qid, target = b.js("""(() => { const e = [...document.querySelectorAll('.zb-text mark')]
            .find(m => m.dataset.label === 'actual'
                  && m.dataset.links.split(' ').some(id => id.startsWith('Q')));
            return [e.id, e.dataset.links.split(' ').find(id => id.startsWith('Q'))]; })()""")
        b.hover(f"#{qid}")
        card = b.js(f"getComputedStyle(document.querySelector('#{qid} > .zb-tip')).display")
        text = b.js(f"document.querySelector('#{qid} > .zb-tip').innerText")
        outlined = b.js(f"document.getElementById('{target}').classList.contains('zb-linked')")
        check = """document.fonts.check("16px 'zhibiao CJK'", "批而未供")"""
        font_ok = b.js(f"document.fonts.ready.then(() => {check})")
        shot = Path(os.environ.get("ZHIBIAO_DOC_SCREENSHOT", str(tmp_path / "doc.png")))
        b.screenshot(shot)
    assert {"actual", "target", "rate", "date"} <= set(labels)
    for label, colour in colours.items():
        h = docview.COLOURS[label].lstrip("#")
        assert colour == "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))
    assert card == "block" and "value " in text and "indicator " in text and "period " in text
    assert outlined is True and font_ok is True
    assert shot.stat().st_size > 10_000


# --------------------------------------------------------------------------- page data

def test_shared_doc_id_links_by_source_and_pages(tmp_path: Path) -> None:
    from pipeline.apps import store
    from pipeline.apps.serve import pages
    copy = tmp_path / "copy" / SEED.name
    copy.parent.mkdir()
    copy.write_bytes(SEED.read_bytes())
    db = tmp_path / "s.db"
    run_batch([str(SEED), str(copy)], db, workers=1)
    conn = store.connect(db, readonly=True)
    try:
        assert len(pages.find_documents(conn, "seed_2024q2")) == 2
        assert [d["source"] for d in pages.find_documents(conn, "seed_2024q2", str(copy))] == [str(copy)]
        first = pages.index_context(conn, 0, limit=1)
        assert first["next_offset"] == 1 and first["prev_offset"] is None
        url = first["documents"][0]["tasks"][0]["url"]
        assert url.startswith("/-/zhibiao/task/seed_2024q2/T1?source=")
        second = pages.index_context(conn, 1, limit=1)
        assert second["next_offset"] is None and second["prev_offset"] == 0
        doc = pages.find_documents(conn, "seed_2024q2", str(copy))[0]
        ctx = pages.task_context(conn, doc["id"], "T1")
        assert ctx is not None and ctx["prev"] is None and ctx["next"] and "source=" in ctx["next"]
        assert [(b["actual"], b["target"], b["label"]) for b in ctx["bars"]][0] == ("1.23万亩", "2.8万亩", "43.9%")
        assert pages.task_context(conn, doc["id"], "T404") is None
    finally:
        conn.close()
