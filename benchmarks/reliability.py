"""Reliability: bad inputs, injected faults and SIGKILLs against ``zhibiao batch``.

    python benchmarks/reliability.py                # all scenarios, ~1 minute
    python benchmarks/reliability.py --kills 5      # fewer SIGKILL trials

Prints the reliability table as markdown and writes ``benchmarks/reliability.json``.
The same builders and checks back ``tests/apps/test_reliability.py`` and ``tests/apps/test_kill.py``.

Scenarios:

* ``bad_inputs``: one directory holding good documents (text in several encodings, DOCX,
  XLSX, HTML, PDF, ZIP members) among hostile ones (see :func:`build_inputs`), batched
  with 2 workers in a fresh process whose peak RSS (and its workers') is measured.
  A file is deleted after the inputs are listed and before it is read; one file fails
  to open with EACCES (a real ``chmod 000`` when not root; injected when root, since
  root reads any file).
* ``faults``: workers that ``os._exit``, segfault (``ctypes.string_at(0)``), get
  SIGSEGV/SIGKILL, hang past the time limit, raise; in the process pool (2 workers)
  and in-process (1 worker: the SIGALRM limit); then a rerun retries every one of them.
* ``sigkill``: the CLI batch SIGKILLed at random points, integrity-checked after each,
  then completed and compared with a clean run (see :func:`kill_trials`).

"Documents lost" counts good documents that are not in the store after the scenario
(including its rerun); it must be 0.
"""
from __future__ import annotations

import argparse
import functools
import io
import json
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _p in (str(ROOT), str(ROOT / "tests")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from pipeline.apps import batch, store  # noqa: E402

MiB = 2**20
#: The size limit the bad-input scenario runs with (run_batch(max_bytes=...),
#: ``zhibiao batch --max-bytes``); the default is batch.DEFAULT_MAX_BYTES (50 MiB).
SCENARIO_MAX_BYTES = 4 * MiB

SENTENCES = (
    "截至{m}月底，全市处置完成批而未供土地{a}万亩，省任务完成率{r}%。",
    "完成单宗低效用地再开发面积{n}亩，完成全年任务的{r}％。",
    "全市闲置土地总量为{n}亩，较年初增长了{p}%。",
    "新增耕地{a}万亩，耕地保护目标任务完成率{r}%；整改问题线索{n}个。",
    "全年完成投资{a}亿元，同比增长{p}%，占年度计划的{r}%。",
)


def paragraph(i: int, sentences: int = 4) -> str:
    """A progress-report paragraph with numbers that vary with ``i`` (deterministic)."""
    rnd = random.Random(i)
    out = [f"{i % 9 + 1}、第{i + 1}项重点工作进展情况。"]
    for k in range(sentences):
        tpl = SENTENCES[(i + k) % len(SENTENCES)]
        out.append(tpl.format(m=rnd.randint(1, 12), a=round(rnd.uniform(0.1, 99), 2),
                              r=round(rnd.uniform(10, 100), 1), n=rnd.randint(10, 90000),
                              p=round(rnd.uniform(0.1, 30), 1)))
    return "".join(out) + "\n"


def _zip_bytes(parts: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _zip_stream(path: Path, member: str, chunk: bytes, times: int, method: int) -> None:
    """A ZIP with one member of ``chunk * times`` bytes, written without holding it."""
    with zipfile.ZipFile(path, "w", method) as zf:
        with zf.open(member, "w", force_zip64=True) as fh:
            for _ in range(times):
                fh.write(chunk)


def _docx_replacing(base: Path, replace: dict[str, bytes | str], add: dict[str, bytes] | None = None,
                    out: Path | None = None) -> Path:
    out = out or base
    data = base.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out


def build_inputs(root: Path, big_mb: int = 100, good: int = 12) -> dict[str, set[str] | None]:
    """Write the bad-input directory; return {relative source: expected error codes, or
    None for a document that must be stored}.  ZIP members are ``arch.zip!member``.

    The directory needs :data:`SCENARIO_MAX_BYTES` as the size limit (the big cases are
    sized against it) and :func:`vanish` as the batch's ``on_start`` hook.
    """
    import fixtures_build as fb

    root.mkdir(parents=True, exist_ok=True)
    exp: dict[str, set[str] | None] = {}

    def put(name: str, data: bytes, codes: set[str] | None) -> Path:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        exp[name] = codes
        return p

    # good documents --------------------------------------------------------------------
    for i in range(good):
        put(f"good/r{i:03d}.txt", paragraph(i).encode("utf-8"), None)
    put("good/gbk.txt", paragraph(101).encode("gbk"), None)           # detected as GB18030
    put("good/utf16le.txt", paragraph(102).encode("utf-16-le"), None)  # no BOM, detected
    put("good/big5.txt", "截至6月底，全市處置完成土地1.98萬畝，完成率82.5%。".encode("big5"), None)
    # ~190 KB (64k characters): larger texts hit the quadratic linking in pipeline/core/links.py
    put("good/large.txt", (paragraph(103) * 600)[: 64 * 1024].encode("utf-8"), None)
    fmt = root / "good" / "formats"
    fmt.mkdir(parents=True, exist_ok=True)
    for path in {"docx": fb.write_docx(fmt), "xlsx": fb.write_xlsx(fmt),
                       "html": fb.write_html(fmt), "pdf": fb.write_pdf(fmt)}.values():
        exp[str(path.relative_to(root))] = None
    put("good/arch.zip", _zip_bytes({"inner/z1.txt": paragraph(104), "inner/z2.txt": paragraph(105),
                                     "../escape.txt": paragraph(106),
                                     "/etc/abs.txt": paragraph(107)}), None)
    del exp["good/arch.zip"]
    exp["good/arch.zip!inner/z1.txt"] = None
    exp["good/arch.zip!inner/z2.txt"] = None
    exp["good/arch.zip!../escape.txt"] = {"unsafe_member"}
    exp["good/arch.zip!/etc/abs.txt"] = {"unsafe_member"}

    # bad documents ---------------------------------------------------------------------
    bad = root / "bad"
    put("bad/empty.txt", b"", {"empty_file"})
    put("bad/junk.bin", random.Random(7).randbytes(64 * 1024), {"binary"})
    put("bad/junk-no-nul.txt", bytes(range(128, 256)) * 64, {"binary"})
    pdf = fb.write_pdf(fmt, "source.pdf").read_bytes()
    (fmt / "source.pdf").unlink()
    del exp["good/formats/table.pdf"]
    (fmt / "table.pdf").rename(fmt / "report.pdf")
    exp["good/formats/report.pdf"] = None
    put("bad/truncated.pdf", pdf[: len(pdf) // 2], {"truncated_pdf"})
    put("bad/patched-eof.pdf", pdf[: len(pdf) // 2] + b"\n%%EOF\n", {"corrupt_pdf"})
    locked = fb.write_pdf(bad, "encrypted.pdf", encrypt_password="secret")
    exp[str(locked.relative_to(root))] = {"encrypted_pdf"}
    put("bad/scanned.pdf", _image_only_pdf(), {"no_text"})
    put("bad/renamed-zip.docx", _zip_bytes({"report.txt": "截至6月底，完成率82.5%。"}), {"not_a_docx"})
    put("bad/nosheets.xlsx", _zip_bytes({"[Content_Types].xml": fb.CT, "_rels/.rels": fb.RELS,
                                         "xl/workbook.xml": fb.NO_SHEETS,
                                         "xl/_rels/workbook.xml.rels": fb.EMPTY_RELS}), {"no_sheets"})
    base = fb.write_docx(bad, "xxe.docx")
    _docx_replacing(base, {"word/document.xml": fb.XXE})
    exp["bad/xxe.docx"] = {"unsafe_xml"}
    # a DOCX whose parts inflate to 100 MiB (> 20 x the limit): refused before parsing
    bomb_docx = fb.write_docx(bad, "inflating.docx")
    tmp_zeros = bad / "zeros.zip"
    _zip_stream(tmp_zeros, "word/media/zeros.bin", b"\x00" * MiB, 100, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(bomb_docx) as src, zipfile.ZipFile(tmp_zeros, "a") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    tmp_zeros.replace(bomb_docx)
    exp["bad/inflating.docx"] = {"too_large"}
    # GBK bytes behind a UTF-8 BOM: the file claims UTF-8 and is not
    put("bad/gbk-claims-utf8.txt", b"\xef\xbb\xbf" + paragraph(108).encode("gbk"), {"decode_error"})
    # UTF-8 and GBK lines in one file: each line read by the codec it is valid in
    put("good/mixed-encodings.txt", paragraph(109).encode("utf-8") + paragraph(110).encode("gbk"),
        None)
    # a 100 MB one-line text file (sparse zeros after one line): over the size limit
    big = root / "bad" / "big-100mb.txt"
    with open(big, "wb") as fh:
        fh.write(paragraph(111).encode().replace(b"\n", b""))
        fh.truncate(big_mb * 10**6)
    exp["bad/big-100mb.txt"] = {"too_large"}
    # a ZIP bomb: 64 MiB of one byte in ~60 bytes (bzip2; ratio > 10,000:1)
    _zip_stream(bad / "bomb.zip", "zeros.txt", b"0" * MiB, 64, zipfile.ZIP_BZIP2)
    exp["bad/bomb.zip!zeros.txt"] = {"too_large"}
    # a ZIP nested 20 deep: the outer member is a ZIP, which is not opened recursively
    inner = _zip_bytes({"deep.txt": paragraph(112)})
    for _ in range(20):
        inner = _zip_bytes({"nested.zip": inner})
    put("bad/nested.zip", inner, None)
    del exp["bad/nested.zip"]
    exp["bad/nested.zip!nested.zip"] = {"unsupported_format"}
    # a ZIP archive that is not one
    put("bad/fake.zip", b"PK\x03\x04" + b"\x00" * 100, {"bad_archive"})
    # a FIFO: must not hang the batch
    if hasattr(os, "mkfifo"):
        os.mkfifo(bad / "pipe.txt")
        exp["bad/pipe.txt"] = {"not_a_file"}
    # deleted after listing (see vanish)
    put("bad/vanishing.txt", paragraph(113).encode(), {"not_found"})
    # unreadable (chmod 000; see eacces for root)
    p = put("bad/unreadable.txt", paragraph(114).encode(), {"unreadable"})
    p.chmod(0)
    # symlinks in an input directory pointing outside it: not followed, not listed
    outside = root.parent / f"{root.name}-outside.txt"
    outside.write_text("外部文件：完成率99.9%。", encoding="utf-8")
    (bad / "link-outside.txt").symlink_to(outside)
    (bad / "link-dir").symlink_to(root.parent, target_is_directory=True)
    return exp


def _image_only_pdf() -> bytes:
    """A one-page PDF of shapes only (a 'scan' without a text layer)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(40):
        c.rect(50 + (i % 8) * 60, 100 + (i // 8) * 80, 50, 60, fill=i % 2)
    c.showPage()
    c.save()
    return buf.getvalue()


def vanish(root: Path) -> Any:
    """An ``on_start`` hook: delete bad/vanishing.txt after listing, before reading."""
    def hook(_n: int) -> None:
        (root / "bad" / "vanishing.txt").unlink()
    return hook


def eacces(name: str) -> Any:
    """Make batch.read_regular fail with EACCES for files named ``name`` (for root)."""
    real = batch.read_regular

    def fake(path: str, limit: int) -> bytes | None:
        if os.path.basename(path) == name:
            raise PermissionError(13, "Permission denied", path)
        return real(path, limit)
    return fake


pattern_job = functools.partial(batch.extract_job, extractors="pattern")


def check_store(db: Path, root: Path, expected: dict[str, set[str] | None]) -> dict[str, Any]:
    """Compare the store with ``expected``: lost, wrong codes, errors without a sentence."""
    conn = sqlite3.connect(db)
    try:
        prefix = str(root) + os.sep
        docs = [r[0] for r in conn.execute("SELECT source FROM documents")]
        errors = {}
        for src, code, msg in conn.execute("SELECT source, code, message FROM errors"):
            errors.setdefault(src.removeprefix(prefix), []).append((code, msg))
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    stored = [s.removeprefix(prefix) for s in docs]
    good = {k for k, v in expected.items() if v is None}
    bad = {k: v for k, v in expected.items() if v is not None}
    wrong = {k: errors.get(k) for k, v in bad.items()
             if not errors.get(k) or errors[k][0][0] not in v}
    return {
        "inputs": len(expected),
        "good": len(good),
        "bad": len(bad),
        "stored": len(stored),
        "lost": sorted(good - set(stored)),
        "duplicates": len(stored) - len(set(stored)),
        "wrong_errors": wrong,
        "unexpected_documents": sorted(set(stored) - good),
        "errors_without_sentence": sorted(k for k, v in errors.items()
                                          if any(len(m.split()) < 3 for _, m in v)),
        "outside_read": any("外部文件" in s or "outside" in s for s in stored),
        "errors": {k: v[0][0] for k, v in sorted(errors.items())},
        "integrity": integrity,
    }


def batch_in_subprocess(inputs: Path, db: Path, workers: int = 2,
                        max_bytes: int = SCENARIO_MAX_BYTES, timeout: float = 60) -> dict[str, Any]:
    """Run the bad-input batch in a fresh process; its stats and peak RSS (self, worker)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--run-batch", str(inputs), str(db),
           "--workers", str(workers), "--max-bytes", str(max_bytes), "--timeout", str(timeout)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"batch subprocess failed ({out.returncode}): {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run_batch_main(args: argparse.Namespace) -> int:
    root = Path(args.run_batch[0])
    if os.geteuid() == 0:  # root reads mode-000 files: inject the EACCES instead
        batch.read_regular = eacces("unreadable.txt")
    base = peak_rss_mib()
    t0 = time.perf_counter()
    with DescendantPeaks() as peaks:
        stats = batch.run_batch([root], args.run_batch[1], workers=args.workers,
                                max_bytes=args.max_bytes, timeout=args.timeout,
                                func=pattern_job, on_start=vanish(root))
    print(json.dumps({
        "stored": stats.stored, "failed": stats.failed, "skipped": stats.skipped,
        "seconds": round(time.perf_counter() - t0, 2),
        "parent_maxrss_mib": peak_rss_mib(),
        "parent_start_rss_mib": base,
        "worker_maxrss_mib": peaks.mib("worker"),
        "eacces_injected": os.geteuid() == 0,
    }))
    return 0


# --------------------------------------------------------------------------- faults

def faulty_job(job: batch.Job) -> dict[str, Any]:
    """Pattern extraction, except for files whose name asks for a fault."""
    name = os.path.basename(job.source)
    if name.startswith("crash-exit"):
        os._exit(3)
    if name.startswith("crash-segv"):
        import ctypes
        ctypes.string_at(0)
    if name.startswith("crash-signal"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("crash-kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("raise"):
        raise RuntimeError("injected stage failure")
    if name.startswith("recurse"):
        def down(n: int) -> int:
            return down(n + 1) + 1
        down(0)
    return pattern_job(job)


faulty_job.extractors = "pattern"  # type: ignore[attr-defined]  (what workers warm up)

FAULTS = {  # file name -> (expected code with 2 workers, expected code in-process)
    "crash-exit.txt": ("worker_crashed", None),
    "crash-segv.txt": ("worker_crashed", None),
    "crash-signal.txt": ("worker_crashed", None),
    "crash-kill.txt": ("worker_crashed", None),
    "hang.txt": ("timeout", "timeout"),
    "raise.txt": ("worker_error", "worker_error"),
    "recurse.txt": ("worker_error", "worker_error"),  # RecursionError outside extract_job
}


def build_fault_inputs(root: Path, good: int = 10, inline: bool = False) -> dict[str, str]:
    """Good documents plus one per fault (their content is good too); {name: code}."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(good):
        (root / f"ok{i:03d}.txt").write_text(paragraph(200 + i), encoding="utf-8")
    out = {}
    for k, (name, codes) in enumerate(FAULTS.items()):
        code = codes[1] if inline else codes[0]
        if code is None:
            continue  # a hard crash in-process ends the batch itself: pool only
        (root / name).write_text(paragraph(300 + k), encoding="utf-8")
        out[name] = code
    return out


def run_faults(tmp: Path, workers: int = 2, timeout: float = 3.0) -> dict[str, Any]:
    """Batch the fault directory, then rerun with a working function: nothing lost."""
    inline = workers <= 1
    root = tmp / f"faults-{workers}"
    faults = build_fault_inputs(root, inline=inline)
    db = tmp / f"faults-{workers}.db"
    t0 = time.perf_counter()
    s1 = batch.run_batch([root], db, workers=workers, func=faulty_job, timeout=timeout)
    first = time.perf_counter() - t0
    conn = sqlite3.connect(db)
    got = {os.path.basename(s): c for s, c in conn.execute("SELECT source, code FROM errors")}
    messages = [m for (m,) in conn.execute("SELECT message FROM errors")]
    conn.close()
    s2 = batch.run_batch([root], db, workers=workers, func=pattern_job, timeout=timeout)
    conn = sqlite3.connect(db)
    n_docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    n_distinct = conn.execute("SELECT COUNT(DISTINCT source) FROM documents").fetchone()[0]
    n_err = conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0]
    conn.close()
    total = len(list(root.iterdir()))
    return {
        "workers": workers, "documents": total, "faults": faults, "recorded": got,
        "messages": messages,
        "first_run": {"stored": s1.stored, "failed": s1.failed, "seconds": round(first, 2)},
        "rerun": {"stored": s2.stored, "skipped": s2.skipped, "failed": s2.failed},
        "documents_after_rerun": n_docs, "distinct": n_distinct, "errors_after_rerun": n_err,
        "lost": total - n_distinct,
    }


# --------------------------------------------------------------------------- SIGKILL

def write_small_corpus(root: Path, n: int = 60) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"d{i:03d}.txt").write_text(paragraph(500 + i, sentences=3 + i % 4), encoding="utf-8")


def cli_batch(inputs: Path, db: Path, workers: int = 2, force: bool = False) -> list[str]:
    return [sys.executable, "-m", "pipeline.apps.cli", "batch", str(inputs), "--db", str(db),
            "--workers", str(workers), "--quiet"] + (["--force"] if force else [])


def cli_env(extractors: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if extractors:
        env["ZHIBIAO_EXTRACTORS"] = extractors
    return env


class Background:
    """A thread that calls ``step()`` every ``every`` seconds while the ``with`` block runs."""

    every = 0.05

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):  # noqa: ANN204 (returns the subclass)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.step()
            self._stop.wait(self.every)

    def step(self) -> None:
        raise NotImplementedError


class SearchLoop(Background):
    """Search the store in a loop in a thread while a batch writes to it.

    Counts searches and keeps every error except the two that only mean the store does
    not exist yet (no file, no schema); "database is locked" must never be among them.
    """

    QUERIES = ("完成率", "批而未供", "耕地", "亩", "'; DROP TABLE quantities; --", '"a" OR b')
    every = 0.002

    def __init__(self, db: Path) -> None:
        super().__init__()
        self.db, self.searches, self.errors, self.i = db, 0, [], 0

    def step(self) -> None:
        try:
            if self.db.exists():
                conn = store.connect(self.db, readonly=True, timeout=5)
                try:
                    store.search(conn, self.QUERIES[self.i % len(self.QUERIES)], limit=20)
                    self.searches += 1
                finally:
                    conn.close()
        except sqlite3.OperationalError as err:
            msg = str(err)
            if "no such table" not in msg and "unable to open" not in msg:
                self.errors.append(msg)
        except store.StoreError as err:
            self.errors.append(str(err))
        self.i += 1


def table_rows(db: Path, table: str) -> list[tuple]:
    conn = store.connect(db, readonly=True)
    try:
        return store.fetch_table(conn, table, exclude=store.RUN_COLUMNS)
    finally:
        conn.close()


def one(db: Path, sql: str) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def kill_trials(tmp: Path, kills: int = 20, files: int = 60, seed: int = 20240607,
                workers: int = 2, extractors: str | None = "pattern") -> dict[str, Any]:
    """SIGKILL the CLI batch at ``kills`` seeded random delays, check, then finish.

    The delays are drawn between 0.2 s and the length of a clean run (measured first,
    while a thread searches the store it writes), so kills land in start-up, warm-up,
    extraction and writing alike.  ``extractors`` goes to the batch as
    ZHIBIAO_EXTRACTORS ("pattern": no model loading, so 20 kills fit in about a minute).
    """
    env = cli_env(extractors)
    inp = tmp / "kill-in"
    write_small_corpus(inp, files)
    ref = tmp / "kill-ref.db"
    t0 = time.perf_counter()
    with SearchLoop(ref) as searches:
        subprocess.run(cli_batch(inp, ref, workers), check=True, cwd=ROOT, capture_output=True,
                       env=env)
    clean_seconds = time.perf_counter() - t0
    rnd = random.Random(seed)
    db = tmp / "kill.db"
    trials = []
    reruns_identical = True
    for _ in range(kills):
        # every trial kills a batch that starts from an empty store, at a point drawn
        # over a clean run's length, then reruns it over the killed store
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        delay = rnd.uniform(0.2, max(0.3, 0.9 * clean_seconds))
        proc = subprocess.Popen(cli_batch(inp, db, workers), cwd=ROOT, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers
        proc.wait()
        ok = one(db, "PRAGMA integrity_check") if db.exists() else "ok (no store yet)"
        n = one(db, "SELECT COUNT(*) FROM documents") if db.exists() and _has_schema(db) else 0
        subprocess.run(cli_batch(inp, db, workers), check=True, cwd=ROOT, capture_output=True,
                       env=env)
        after = one(db, "SELECT COUNT(*) FROM documents")
        same = all(table_rows(db, t) == table_rows(ref, t)
                   for t in ("documents", "tasks", "quantities", "dates", "links", "checks"))
        reruns_identical = reruns_identical and same
        trials.append({"delay": round(delay, 2), "killed": not finished, "integrity": ok,
                       "documents": n, "after_rerun": after, "identical": same})
    with SearchLoop(db) as searches_final:
        subprocess.run(cli_batch(inp, db, workers, force=True), check=True, cwd=ROOT,
                       capture_output=True, env=env)
    identical = reruns_identical and all(table_rows(db, t) == table_rows(ref, t)
                                         for t in ("documents", "tasks", "quantities", "dates",
                                                   "links", "checks"))
    return {
        "files": files, "kills": sum(t["killed"] for t in trials), "trials": trials,
        "clean_seconds": round(clean_seconds, 2),
        "integrity_ok": all(str(t["integrity"]).startswith("ok") for t in trials),
        "final_documents": one(db, "SELECT COUNT(*) FROM documents"),
        "final_distinct": one(db, "SELECT COUNT(DISTINCT source) FROM documents"),
        "final_integrity": one(db, "PRAGMA integrity_check"),
        "identical_to_clean_run": identical,
        "lost": files - one(db, "SELECT COUNT(DISTINCT source) FROM documents"),
        "searches_during_batch": searches.searches + searches_final.searches,
        "search_errors": searches.errors + searches_final.errors,
    }


def _has_schema(db: Path) -> bool:
    try:
        one(db, "SELECT COUNT(*) FROM documents")
        return True
    except sqlite3.OperationalError:
        return False


def peak_rss_mib() -> float:
    """This process's peak RSS (VmHWM): unlike ru_maxrss it is not inherited through
    fork + exec from a larger parent."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # not Linux: fall back to ru_maxrss
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class DescendantPeaks(Background):
    """Peak RSS (VmHWM) of this process's descendants, sampled every ``every`` seconds
    by a thread (pool workers are forked by a fork server, so they are grandchildren,
    which ``RUSAGE_CHILDREN`` never sees).  ``workers``: the largest worker's peak;
    ``server``: the fork server's.  A process living less than one interval is missed; a
    worker's peak includes the pages it shares with the fork server."""

    def __init__(self) -> None:
        super().__init__()
        self.peaks: dict[int, int] = {}
        self.kinds: dict[int, str] = {}

    def step(self) -> None:
        parent: dict[int, int] = {}
        me = os.getpid()
        for proc in Path("/proc").iterdir():
            # descendants were started after this process: a higher pid (no wrap-around)
            if not proc.name.isdigit() or int(proc.name) <= me:
                continue
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parent[int(proc.name)] = int(fields[1])
        for pid in parent:
            p, hops = pid, 0
            while p in parent and hops < 8:
                p, hops = parent[p], hops + 1
            if p != me or pid == me:
                continue
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            hwm = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
            if not hwm or b"resource_tracker" in cmdline:
                continue
            self.peaks[pid] = max(self.peaks.get(pid, 0), hwm[0])
            # workers forked by the fork server share its command line, one level deeper
            server = b"forkserver" in cmdline and parent[pid] == me
            self.kinds[pid] = "server" if server else "worker"

    def mib(self, kind: str) -> float:
        kb = [v for pid, v in self.peaks.items() if self.kinds[pid] == kind]
        return round(max(kb, default=0) / 1024, 1)


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "reliability.json"))
    ap.add_argument("--run-batch", nargs=2, metavar=("INPUTS", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--max-bytes", type=int, default=SCENARIO_MAX_BYTES, help=argparse.SUPPRESS)
    ap.add_argument("--timeout", type=float, default=60, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run_batch:
        return _run_batch_main(args)

    import tempfile
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="zhibiao-rel-") as d:
        tmp = Path(d)
        root = tmp / "inputs"
        expected = build_inputs(root)
        run = batch_in_subprocess(root, tmp / "bad.db")
        report["bad_inputs"] = {**check_store(tmp / "bad.db", root, expected), "run": run,
                                "max_bytes": SCENARIO_MAX_BYTES}
        report["faults_pool"] = run_faults(tmp, workers=2)
        report["faults_inline"] = run_faults(tmp, workers=1)
        if args.kills:
            report["sigkill"] = kill_trials(tmp, kills=args.kills)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    print(markdown(report))
    return 0


def markdown(r: dict[str, Any]) -> str:
    b = r["bad_inputs"]
    lines = ["| scenario | inputs tried | faults injected | errors recorded (code + sentence) "
             "| documents lost |", "|---|---|---|---|---|"]
    codes = sorted(set(b["errors"].values()))
    lines.append(f"| bad inputs (2 workers, limit {b['max_bytes'] // MiB} MiB) | {b['inputs']} "
                 f"({b['good']} good, {b['bad']} bad) | file deleted mid-batch, EACCES, FIFO "
                 f"| {len(b['errors'])}: {', '.join(codes)} | {len(b['lost'])} |")
    for key, label in (("faults_pool", "worker faults, process pool (2 workers)"),
                       ("faults_inline", "worker faults, in-process (1 worker)")):
        f = r[key]
        lines.append(f"| {label} | {f['documents']} | {len(f['faults'])}: "
                     f"{', '.join(sorted(f['faults']))} | {len(f['recorded'])}: "
                     f"{', '.join(sorted(set(f['recorded'].values())))}; rerun retried "
                     f"{f['rerun']['stored']} | {f['lost']} |")
    if "sigkill" in r:
        k = r["sigkill"]
        lines.append(f"| SIGKILL of `zhibiao batch --workers 2` | {k['files']} files | "
                     f"{k['kills']} kills (seeded, 0.2–{k['clean_seconds']} s) | integrity_check "
                     f"ok after every kill: {k['integrity_ok']}; rerun identical to a clean run: "
                     f"{k['identical_to_clean_run']}; {k['searches_during_batch']} searches "
                     f"during batches, {len(k['search_errors'])} errors | {k['lost']} |")
    run = b["run"]
    lines.append("")
    lines.append(f"Peak RSS in the bad-input batch (100 MB file, 64 MiB ZIP bomb, 100 MiB DOCX "
                 f"bomb, 190 KB document): parent {run['parent_maxrss_mib']} MiB (at start "
                 f"{run['parent_start_rss_mib']} MiB), largest worker {run['worker_maxrss_mib']} MiB.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
