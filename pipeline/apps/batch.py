"""Batches: many files in, one store out.

Three layers, each usable alone::

    expand_inputs(inputs) -> [InputRef]          files, directories, globs, ZIP members
    map_files(func, items, workers, engine)      (item, result | Failure) as they complete
    run_batch(inputs, db, ...) -> BatchStats     read + hash in the parent, extract in
                                                 workers, write in the parent

The parent process is the only writer: it reads each input's bytes (bounded by
``max_bytes``), hashes them (sha256), skips sources whose hash is already stored (unless
``force``), sends the bytes to a worker, and stores each result in its own transaction.
New quantities join the full-text index in bulk, every ``INDEX_EVERY`` documents and at
the end (searches find queued ones meanwhile; a killed run's queue is indexed by the next).
A worker that crashes or overruns the time limit loses only its current document, which
is recorded as an error row (and retried by the next run, since no hash is stored for it).

Engines: ``local`` runs one worker process per ``workers`` (forked from a fork server
that has loaded jieba once, or spawned where there is none; restarted after a
crash or a timeout; ``workers=1`` runs in-process, with a SIGALRM time limit but no
protection against a hard crash); ``dask`` submits to ``distributed`` (a LocalCluster
of ``workers`` single-threaded processes, or the cluster at ``scheduler``).  Under Dask a
timed-out document is recorded and its result dropped, but the worker thread is not
interrupted (threads cannot be killed).
"""
from __future__ import annotations

import collections
import contextlib
import glob as _glob
import hashlib
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import queue
import signal
import stat
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from pipeline import __version__
from pipeline.apps import store
from pipeline.core.api import extract, extract_document
from pipeline.core.ingest import ReadError, read_bytes
from pipeline.core.mentions.model import models_dir
from pipeline.core.records import Document, ErrorRecord, Extraction

DEFAULT_TIMEOUT = 120.0          # seconds per document
DEFAULT_MAX_BYTES = 50 * 2**20   # bytes per input file or archive member
INDEX_EVERY = 200                # documents stored between two bulk FTS indexings
COMMIT_DOCS = 50                 # at most this many documents per write transaction,
COMMIT_SECONDS = 0.2             # nor held back longer than this before they are written
ARCHIVE_SEP = "!"
_GLOB_CHARS = set("*?[")

T = TypeVar("T")


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class InputRef:
    """One document to read: a file, or a member of a ZIP archive (``archive.zip!a/b.txt``).

    ``problem`` is set (code, sentence) when the input cannot even be listed.
    """

    source: str
    path: str
    member: str | None = None
    size: int | None = None
    problem: tuple[str, str] | None = None


@dataclass(frozen=True)
class Job:
    """What a worker gets: the bytes of one document, already hashed by the parent."""

    source: str
    path: str
    member: str | None
    data: bytes
    content_hash: str
    max_bytes: int = DEFAULT_MAX_BYTES  # also bounds what a reader may decompress


@dataclass(frozen=True)
class Failure:
    """A document a worker did not return a result for: timeout, crash, exception."""

    code: str
    message: str


@dataclass
class BatchStats:
    inputs: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    chars: int = 0
    bytes: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # source, code, message

    @property
    def docs_per_second(self) -> float:
        return (self.stored + self.failed) / self.seconds if self.seconds else 0.0

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0


# --------------------------------------------------------------------------- inputs

def unsafe_member(name: str) -> str | None:
    """Why a ZIP member name must not be used, or None when it is a plain relative name.

    >>> unsafe_member("reports/q2.txt") is None
    True
    >>> unsafe_member("../../etc/passwd")
    "the member name contains '..'"
    >>> unsafe_member("/etc/passwd")
    'the member name is an absolute path'
    """
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "the member name is an absolute path"
    if ".." in PurePosixPath(norm).parts:
        return "the member name contains '..'"
    if "\x00" in norm:
        return "the member name contains a NUL character"
    return None


def expand_inputs(inputs: Iterable[str | Path]) -> list[InputRef]:
    """Files, directories (recursive, hidden entries and symlinks inside skipped), globs
    and ZIP archives (one ref per member, never extracted) -> refs, unique by source.

    An input that matches nothing, an unreadable archive and an unsafe member name each
    give a ref with ``problem`` set, so the batch can record them.
    """
    out: dict[str, InputRef] = {}
    for raw in inputs:
        for ref in _expand_one(str(raw)):
            out.setdefault(ref.source, ref)
    return list(out.values())


def _expand_one(raw: str) -> Iterator[InputRef]:
    p = Path(raw)
    if p.is_dir():
        for root, dirs, files in os.walk(p, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                fp = Path(root) / name
                if name.startswith(".") or fp.is_symlink():
                    continue
                yield from _file_refs(fp)
    elif p.is_file():
        yield from _file_refs(p)
    elif _GLOB_CHARS & set(raw):
        matches = sorted(_glob.glob(raw, recursive=True))
        if not matches:
            yield InputRef(raw, raw, problem=("no_match", f"the pattern {raw} matches no file"))
        for m in matches:
            # like the directory walk: symlinks are not followed (they may point outside)
            if Path(m).is_file() and not Path(m).is_symlink():
                yield from _file_refs(Path(m))
    else:
        yield InputRef(raw, raw, problem=("not_found", f"{raw} does not exist"))


def _file_refs(p: Path) -> Iterator[InputRef]:
    path = os.path.normpath(str(p))
    if p.suffix.lower() != ".zip":
        yield InputRef(path, path, size=_size(p))
        return
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        yield InputRef(path, path, problem=("bad_archive", f"{path} is not a readable ZIP archive: {err}"))
        return
    for info in infos:
        if info.is_dir():
            continue
        source = f"{path}{ARCHIVE_SEP}{info.filename}"
        why = unsafe_member(info.filename)
        if why:
            yield InputRef(source, path, info.filename, problem=("unsafe_member", f"{why}; skipped"))
        elif info.flag_bits & 0x1:
            yield InputRef(source, path, info.filename, problem=("encrypted", "the archive member is encrypted"))
        else:
            yield InputRef(source, path, info.filename, size=info.file_size)


def _size(p: Path) -> int | None:
    try:
        return p.stat().st_size
    except OSError:
        return None


class _Archives:
    """Open ZIP archives, kept open while the batch reads their members."""

    def __init__(self) -> None:
        self._open: dict[str, zipfile.ZipFile] = {}

    def get(self, path: str) -> zipfile.ZipFile:
        if path not in self._open:
            self._open[path] = zipfile.ZipFile(path)
        return self._open[path]

    def close(self) -> None:
        for zf in self._open.values():
            zf.close()
        self._open.clear()


def load_job(ref: InputRef, max_bytes: int, archives: _Archives | None = None) -> Job | Failure:
    """Read (at most ``max_bytes`` of) one input and hash it; a Failure when it cannot be."""
    if ref.problem:
        return Failure(*ref.problem)
    if ref.size is not None and ref.size > max_bytes:
        return Failure("too_large", f"{ref.size} bytes is over the limit of {max_bytes} bytes")
    try:
        if ref.member is None:
            data = read_regular(ref.path, max_bytes + 1)
            if data is None:
                return Failure("not_a_file", f"{ref.source} is not a regular file (a pipe, "
                               "socket or device); copy its content to a file first")
        else:
            zips = archives or _Archives()
            try:
                with zips.get(ref.path).open(ref.member) as fh:
                    data = fh.read(max_bytes + 1)
            finally:
                if archives is None:
                    zips.close()
    except FileNotFoundError:
        return Failure("not_found", f"{ref.source} disappeared before it could be read")
    except IsADirectoryError:
        return Failure("is_directory", f"{ref.source} is a directory")
    except OSError as err:
        return Failure("unreadable", f"cannot read {ref.source}: {err.strerror or err}")
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError) as err:
        return Failure("bad_archive", f"cannot read the archive member {ref.source}: {err}")
    if len(data) > max_bytes:
        return Failure("too_large", f"more than the limit of {max_bytes} bytes")
    if not data:
        return Failure("empty_file", f"{ref.source} is empty (0 bytes); re-export or re-download it")
    return Job(ref.source, ref.path, ref.member, data, hashlib.sha256(data).hexdigest(), max_bytes)


def read_regular(path: str, limit: int) -> bytes | None:
    """At most ``limit`` bytes of the regular file at ``path``; None when it is not one.

    Opened non-blocking and checked with fstat on the open descriptor, so a FIFO (which
    would block ``open`` until a writer came) or a file swapped for one after listing
    is refused rather than hanging the batch.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return fh.read(limit)
    finally:
        if fd >= 0:
            os.close(fd)


# --------------------------------------------------------------------------- the worker

def error_result(source: str, code: str, message: str) -> dict[str, Any]:
    """A contract dict with no results and one error (as ``process_path`` gives)."""
    rec = ErrorRecord(source=source, code=code, message=message)
    stem = PurePosixPath(source.split(ARCHIVE_SEP)[-1]).stem
    return Extraction(text="", doc_id=stem, source=source, errors=(rec,)).to_dict()


def _read_job(job: Job) -> Document:
    """Bytes -> Document (the readers of pipeline.core.ingest)."""
    return read_bytes(job.data, job.source, max_bytes=job.max_bytes)


def extract_job(job: Job, extractors: str | None = None) -> dict[str, Any]:
    """Worker function: one Job -> the contract dict (an error dict for unreadable input).

    ``extractors`` as in :func:`pipeline.core.api.extract_document`; bind it with
    ``functools.partial(extract_job, extractors="pattern")`` for a pattern-only batch.
    None: the ``ZHIBIAO_EXTRACTORS`` environment variable, else "combined".
    """
    extractors = extractors or os.environ.get("ZHIBIAO_EXTRACTORS") or "combined"
    try:
        result = extract_document(_read_job(job), extractors=extractors).to_dict()
    except ReadError as err:
        return error_result(job.source, err.code, err.message)
    except RecursionError as err:
        return error_result(job.source, "extract_failed", f"RecursionError: {err}")
    result["source"] = job.source
    return store.add_sentence_spans(result)


# --------------------------------------------------------------------------- map

def map_files(func: Callable[[T], Any], items: Iterable[T], workers: int = 1,
              engine: str = "local", scheduler: str | None = None,
              timeout: float | None = None) -> Iterator[tuple[T, Any]]:
    """Apply ``func`` to every item; yield ``(item, result)`` as they complete.

    ``result`` is a :class:`Failure` when the call raised, timed out or its worker died.
    ``items`` is consumed lazily (a few per worker ahead), in the calling thread.
    ``func`` and the items must be picklable unless running in-process.
    """
    if engine == "dask":
        return _map_dask(func, items, workers, scheduler, timeout)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}; use local or dask")
    if workers <= 1:
        return _map_inline(func, items, timeout)
    return _map_pool(func, items, workers, timeout)


class _Timeout(BaseException):
    """Raised by the SIGALRM handler (BaseException: not swallowed by stage code)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout()


def _call(func: Callable[[T], Any], item: T, timeout: float | None) -> Any:
    use_alarm = bool(timeout) and threading.current_thread() is threading.main_thread()
    old = signal.signal(signal.SIGALRM, _on_alarm) if use_alarm else None
    try:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, float(timeout))  # type: ignore[arg-type]
        return func(item)
    except _Timeout:
        return Failure("timeout", f"extraction took longer than the limit of {timeout:g} s")
    except Exception as err:  # a failing document must not stop the batch; recorded
        return Failure("worker_error", f"{type(err).__name__}: {err}")
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)


def _map_inline(func: Callable[[T], Any], items: Iterable[T], timeout: float | None) -> Iterator[tuple[T, Any]]:
    for item in items:
        yield item, _call(func, item, timeout)


READY = "ready"
WARM_UP_LIMIT = 300.0  # seconds a new worker may take to load jieba and the models


def warm_up(extractors: str | None = None) -> None:
    """Load jieba's dictionary and the trained models before the first document, so
    that start-up time never counts against a document's time limit.  ``extractors``:
    what the worker will run ("pattern" loads no models); None as in extract_job."""
    extractors = extractors or os.environ.get("ZHIBIAO_EXTRACTORS") or "combined"
    extract("预热：全市新增建设用地1万亩，同比增长5%。", extractors=extractors)


def _extractors_of(func: Callable[[Any], Any]) -> str | None:
    """The extractors a worker function runs: ``partial(extract_job, extractors=...)``,
    or a function with an ``extractors`` attribute; None when it does not say."""
    keywords = getattr(func, "keywords", None) or {}
    return keywords.get("extractors") or getattr(func, "extractors", None)


def _worker_main(func: Callable[[Any], Any], conn: mpc.Connection) -> None:
    """Loop of a pool process: receive an item, send back ("ok", result) or a Failure."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(_extractors_of(func))
    # a reader thread empties the pipe as items arrive, so the parent's sends of items
    # queued ahead never block on a worker that is busy (nor deadlock with its result)
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        while True:
            try:
                item = conn.recv()
            except (EOFError, OSError):
                item = None
            inbox.put(item)
            if item is None:
                return

    threading.Thread(target=read, name="zhibiao-inbox", daemon=True).start()
    conn.send(READY)
    while (item := inbox.get()) is not None:
        conn.send(_call(func, item, None))


#: A busy worker is sent further items ahead of time, so that it never waits while the
#: parent writes: at most PREFETCH_ITEMS in all, the items queued behind the one it works
#: on pickling to at most PREFETCH_BYTES (the worker's reader thread holds them).
PREFETCH_ITEMS = 16
PREFETCH_BYTES = 8 * 2**20


class _Slot:
    """One worker process and the items sent to it, oldest (the one it works on) first."""

    def __init__(self, ctx: Any, func: Callable[[Any], Any]) -> None:
        self.ctx, self.func = ctx, func
        self.proc: Any = None
        self.conn: mpc.Connection | None = None
        self.items: collections.deque[Any] = collections.deque()
        self.sizes: collections.deque[int] = collections.deque()  # their pickled sizes
        self.started = 0.0  # when the worker began the oldest item

    @property
    def busy(self) -> bool:
        return bool(self.items)

    def accepts(self, payload: bytes) -> bool:
        queued = sum(self.sizes) - self.sizes[0] if self.sizes else 0
        return not self.items or (len(self.items) < PREFETCH_ITEMS
                                  and queued + len(payload) <= PREFETCH_BYTES)

    def start(self, wait: bool = True) -> None:
        parent, child = self.ctx.Pipe(duplex=True)
        self.proc = self.ctx.Process(target=_worker_main, args=(self.func, child), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Wait for the worker to warm up; a worker that dies here is restarted by send()."""
        if self.conn is not None and self.conn.poll(WARM_UP_LIMIT):
            with contextlib.suppress(EOFError, OSError):
                self.conn.recv()

    def send(self, item: Any, payload: bytes) -> bool:
        """Send one pickled item; False when the worker's pipe is broken."""
        if not self.items and (self.proc is None or not self.proc.is_alive()):
            self.stop()
            self.start()
        if not self.items:
            self.started = time.monotonic()
        self.items.append(item)
        self.sizes.append(len(payload))
        try:
            self.conn.send_bytes(payload)  # type: ignore[union-attr]
            return True
        except (BrokenPipeError, ConnectionResetError, OSError):
            return False

    def take(self) -> Any:
        """The oldest item, answered (or lost); the worker has begun the next one, if any."""
        item = self.items.popleft()
        self.sizes.popleft()
        self.started = time.monotonic()
        return item

    def fail(self) -> tuple[Any, list[Any]]:
        """After a crash or timeout: the item it was working on, and those sent after it."""
        item = self.items.popleft()
        rest = list(self.items)
        self.items.clear()
        self.sizes.clear()
        return item, rest

    def kill(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
        self.stop()

    def stop(self) -> None:
        if self.conn is not None:
            if self.proc is not None and self.proc.is_alive() and not self.items:
                with contextlib.suppress(OSError):  # it died between the check and the send
                    self.conn.send(None)
            self.conn.close()
            self.conn = None
        if self.proc is not None:
            self.proc.join(timeout=5)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join()
            self.proc = None


def _map_pool(func: Callable[[T], Any], items: Iterable[T], workers: int,
              timeout: float | None) -> Iterator[tuple[T, Any]]:
    ctx = _pool_context(_extractors_of(func))
    slots = [_Slot(ctx, func) for _ in range(workers)]
    it = iter(items)
    try:
        first = next(it)
    except StopIteration:
        return
    # items pickled but not sent yet: one too big to queue behind a busy worker's item,
    # or those a crashed worker had not begun
    waiting: collections.deque[tuple[Any, bytes]] = collections.deque(
        [(first, _pickle(first))])
    exhausted = False

    def next_item() -> tuple[Any, bytes] | None:
        nonlocal exhausted
        if waiting:
            return waiting.popleft()
        if exhausted:
            return None
        try:
            item = next(it)
        except StopIteration:
            exhausted = True
            return None
        return item, _pickle(item)

    def fill(slot: _Slot) -> Iterator[tuple[Any, Failure]]:
        while len(slot.items) < PREFETCH_ITEMS:
            nxt = next_item()
            if nxt is None:
                return
            if not slot.accepts(nxt[1]):
                waiting.appendleft(nxt)
                return
            if not slot.send(*nxt):
                yield from lose(slot, _crashed(slot))

    def lose(slot: _Slot, failure: Failure) -> Iterator[tuple[Any, Failure]]:
        item, rest = slot.fail()
        slot.kill()
        waiting.extendleft((x, _pickle(x)) for x in reversed(rest))
        yield item, failure

    try:
        # start every worker first, then wait: they warm up side by side, not in turn
        for slot in slots:
            slot.start(wait=False)
        for slot in slots:
            slot.wait_ready()
        while True:
            for slot in slots:
                yield from fill(slot)
            busy = [s for s in slots if s.busy]
            if not busy:
                return
            wait_s = None
            if timeout:
                now = time.monotonic()
                wait_s = max(0.0, min(s.started + timeout - now for s in busy))
            handles: list[Any] = []
            for s in busy:
                handles += [s.conn, s.proc.sentinel]
            ready = set(mpc.wait(handles, timeout=wait_s))
            for s in busy:
                if s.conn in ready:
                    try:
                        result = s.conn.recv()  # type: ignore[union-attr]
                    except (EOFError, OSError):
                        yield from lose(s, _crashed(s))
                        continue
                    item = s.take()
                    # the worker gets its next document before the caller stores this
                    # result, so it is not idle while the single writer writes
                    yield from fill(s)
                    yield item, result
                elif s.proc.sentinel in ready:
                    yield from lose(s, _crashed(s))
                elif timeout and time.monotonic() - s.started >= timeout:
                    yield from lose(s, Failure(
                        "timeout", f"extraction took longer than the limit of {timeout:g} s; "
                        "the worker was stopped"))
    finally:
        for s in slots:
            s.items.clear()
            s.sizes.clear()
            s.stop()


#: what the fork server imports before it forks a worker: the code every worker runs,
#: and for the models numpy and the model runners (imports only: each worker then loads
#: jieba's dictionary and the models itself, in :func:`warm_up`, before its first item)
FORKSERVER_PRELOAD = {"pattern": ["pipeline.apps.batch"],
                      "models": ["pipeline.apps.batch", "pipeline.core.mentions.fastner",
                                 "pipeline.core.mentions.fastroles"]}


def _pool_context(extractors: str | None) -> Any:
    """Workers are forked from a fork server that has imported the extraction code once
    (FORKSERVER_PRELOAD); where there is no fork server, they are spawned.  The server
    starts with the first pool of a process and keeps what it imported."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    extractors = extractors or os.environ.get("ZHIBIAO_EXTRACTORS") or "combined"
    ctx.set_forkserver_preload(FORKSERVER_PRELOAD["pattern" if extractors == "pattern" else "models"])
    return ctx


def _pickle(item: Any) -> bytes:
    return bytes(mp.reduction.ForkingPickler.dumps(item))


def _crashed(slot: _Slot) -> Failure:
    code = slot.proc.exitcode if slot.proc is not None else None
    if slot.proc is not None and code is None:
        slot.proc.join(timeout=1)
        code = slot.proc.exitcode
    how = (f"was killed by signal {-code}" if code is not None and code < 0
           else f"exited with code {code}")
    return Failure("worker_crashed", f"the worker process {how} while extracting this document")


def _map_dask(func: Callable[[T], Any], items: Iterable[T], workers: int,
              scheduler: str | None, timeout: float | None) -> Iterator[tuple[T, Any]]:
    try:
        import dask  # Dask: only for --engine dask
        from distributed import Client, LocalCluster, wait  # Dask: only for --engine dask
        from distributed.scheduler import KilledWorker  # Dask: only for --engine dask
    except ImportError as err:
        raise RuntimeError("--engine dask needs Dask: pip install 'zhibiao[dask]'") from err

    cluster = None
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.worker.daemon": False}):
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
    try:
        capacity = max(1, workers) * 2 if not scheduler else max(2, sum(
            client.nthreads().values()) * 2)
        it = iter(items)
        in_flight: dict[Any, tuple[T, float]] = {}

        def top_up() -> None:
            while len(in_flight) < capacity:
                try:
                    item = next(it)
                except StopIteration:
                    return
                fut = client.submit(func, item, pure=False)
                in_flight[fut] = (item, time.monotonic())

        top_up()
        while in_flight:
            wait_s = None
            if timeout:
                first_deadline = min(t0 + timeout for _, t0 in in_flight.values())
                wait_s = max(0.05, first_deadline - time.monotonic())
            try:
                wait(list(in_flight), timeout=wait_s, return_when="FIRST_COMPLETED")
            except TimeoutError:
                pass  # no task finished in time: the deadline check below handles it
            now = time.monotonic()
            for fut in list(in_flight):
                item, t0 = in_flight[fut]
                if fut.done():
                    del in_flight[fut]
                    yield item, _dask_result(fut, KilledWorker)
                elif timeout and now - t0 >= timeout:
                    del in_flight[fut]
                    fut.cancel()
                    yield item, Failure("timeout", f"extraction took longer than the limit of "
                                        f"{timeout:g} s (the Dask task was cancelled)")
            top_up()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _dask_result(fut: Any, killed: type[BaseException]) -> Any:
    try:
        return fut.result()
    except killed as err:
        return Failure("worker_crashed", f"the Dask worker died while extracting this document: {err}")
    except Exception as err:  # the task raised: recorded as this document's failure
        return Failure("worker_error", f"{type(err).__name__}: {err}")


# --------------------------------------------------------------------------- the batch

Event = Callable[[str, str, int], None]  # (source, status: stored|skipped|error, chars)
def extractor_version(extractors: str | None = None) -> str:
    """What produced a document's rows: zhibiao's version, the extractors, and a hash of
    the code and resources that extract (the core layer and ``pipeline/resources``; and,
    unless ``pattern``, the model files).  A batch re-extracts a stored document when
    this differs from the one stored with it; editing the applications or the learning
    layer re-extracts nothing.
    """
    extractors = extractors or os.environ.get("ZHIBIAO_EXTRACTORS") or "combined"
    package = Path(__file__).resolve().parents[1]
    files = [(p.relative_to(package).as_posix(), p)
             for folder in (package / "core", package / "resources")
             for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
             and p.suffix in (".py", ".toml", ".txt", ".json")]
    if extractors != "pattern" and models_dir().is_dir():
        # by their place inside models/, so a copied models folder hashes the same
        mdir = models_dir()
        files += sorted(("models/" + p.relative_to(mdir).as_posix(), p) for p in mdir.rglob("*")
                        if p.is_file() and p.suffix != ".md")
    h = hashlib.sha256(f"{__version__}|{extractors}".encode())
    for name, p in files:
        h.update(name.encode() + b"\0" + p.read_bytes() + b"\0")
    return f"{__version__}+{extractors}.{h.hexdigest()[:16]}"


def run_batch(inputs: Iterable[str | Path], db: str | Path, *, workers: int = 1,
              engine: str = "local", scheduler: str | None = None, force: bool = False,
              timeout: float | None = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
              func: Callable[[Job], dict[str, Any]] = extract_job,
              on_start: Callable[[int], None] | None = None,
              on_event: Event | None = None) -> BatchStats:
    """Extract every input into the store at ``db``; see the module docstring."""
    t0 = time.perf_counter()
    refs = expand_inputs(inputs)
    stats = BatchStats(inputs=len(refs))
    version = extractor_version(_extractors_of(func))
    if on_start:
        on_start(len(refs))
    conn = store.connect(db)
    archives = _Archives()

    def note(source: str, status: str, chars: int = 0, failure: tuple[str, str] | None = None) -> None:
        if status == "stored":
            stats.stored += 1
            stats.chars += chars
        elif status == "skipped":
            stats.skipped += 1
        else:
            stats.failed += 1
            if failure:
                stats.failures.append((source, *failure))
        if on_event:
            on_event(source, status, chars)

    def jobs() -> Iterator[Job]:
        for ref in refs:
            job = load_job(ref, max_bytes, archives)
            if isinstance(job, Failure):
                store.write_error(conn, ref.source, job.code, job.message)
                note(ref.source, "error", 0, (job.code, job.message))
                continue
            if not force and store.document_state(conn, job.source) == (job.content_hash, version):
                note(job.source, "skipped")
                continue
            stats.bytes += len(job.data)
            yield job

    done: list[tuple[Job, dict[str, Any]]] = []  # extracted, not yet committed
    first_done = 0.0
    unindexed = 0

    def commit() -> None:
        nonlocal unindexed
        if not done:
            return
        store.write_documents(conn, [(r, job.content_hash) for job, r in done], index=False)
        for job, r in done:
            errs = r.get("errors") or []
            if errs and not r.get("text"):
                note(job.source, "error", 0, (errs[0].get("code", ""), errs[0].get("message", "")))
            else:
                note(job.source, "stored", len(r.get("text") or ""))
        unindexed += len(done)
        done.clear()
        if unindexed >= INDEX_EVERY:
            store.index_pending(conn)
            unindexed = 0

    store.index_pending(conn)  # a killed run's leftovers first
    try:
        for job, result in map_files(func, jobs(), workers=workers, engine=engine,
                                     scheduler=scheduler, timeout=timeout):
            if isinstance(result, Failure):
                result = error_result(job.source, result.code, result.message)
            result["source"] = job.source
            result["extractor_version"] = version
            if not done:
                first_done = time.monotonic()
            done.append((job, result))
            if len(done) >= COMMIT_DOCS or time.monotonic() - first_done >= COMMIT_SECONDS:
                commit()
        commit()
    finally:
        archives.close()
        try:
            commit()  # what was extracted before an interruption is kept
            store.index_pending(conn)
        finally:
            conn.close()
    stats.seconds = time.perf_counter() - t0
    return stats
