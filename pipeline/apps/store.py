"""The indicator store: SQLite schema, writes, full-text search, export and series.

One file, embedded, plain :mod:`sqlite3`.  WAL journal (readers never block the single
writer), foreign keys on, a busy timeout, and a schema version in ``PRAGMA user_version``.

Tables::

    documents   one row per source (file or ``archive.zip!member``), with its content hash
    tasks       the table rows of a document (contract ``tasks``)
    quantities  every contract field + the document, the task row, the sentence around the
                mention and its offsets, and the task title (for full-text search)
    dates       date mentions
    links       quantity -> quantity (target, of, change_of) or quantity -> date (date)
    checks      arithmetic checks; check_quantities ties each to the quantities it uses
    errors      sources that could not be read or processed (code + sentence)
    quantities_fts  FTS5 (trigram) over sentence, indicator, task title: queries of 3+
                    characters
    quantities_grams  FTS5, contentless, no positions: every character and every pair of
                    adjacent characters of the same three columns as one token each
                    (:func:`gram_tokens`): queries of 1 and 2 characters
    fts_pending     quantities not yet in quantities_fts (a batch indexes in bulk); as
                    ``-id``, quantities whose text an UPDATE changed, for quantities_grams
    grams_backfill  while an older store is being migrated: the first quantity id not yet
                    in quantities_grams (no row once the migration is done)

A document is written in one transaction that first deletes the older version of the same
source, so a rerun never duplicates and a killed writer leaves either the old or the new
version, never half of one.
"""
from __future__ import annotations

import datetime as _dt
import functools
import json
import operator
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.core.units import conversions
from pipeline.core.vocab import QUANTITY_LINKS

DEFAULT_DB = "indicators.db"  # the store the commands read and write unless --db says

SCHEMA_VERSION = 6

#: Characters that end a sentence, and the most characters a sentence may reach out on
#: each side of a mention (tables flattened to text often have no punctuation at all).
SENTENCE_ENDS = "。；！？"
SENTENCE_REACH = 160
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\u3000]*\n")

SCHEMA = """
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL UNIQUE,
    doc_id        TEXT,
    content_hash  TEXT NOT NULL,
    format        TEXT,
    encoding      TEXT,
    chars         INTEGER NOT NULL,
    period_start  TEXT,
    period_end    TEXT,
    extracted_at  TEXT NOT NULL,
    text          TEXT NOT NULL,
    extractor_version TEXT,
    region        TEXT
);
CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    tid           TEXT NOT NULL,
    seq           TEXT,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL,
    title         TEXT,
    departments   TEXT NOT NULL DEFAULT '[]',
    period_start  TEXT,
    period_end    TEXT,
    section       TEXT,
    UNIQUE (document_id, tid)
);
CREATE TABLE dates (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    did           TEXT NOT NULL,
    task_id       INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
    task_tid      TEXT,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL,
    text          TEXT,
    start_date    TEXT,
    end_date      TEXT,
    grain         TEXT,
    extractor     TEXT,
    UNIQUE (document_id, did)
);
CREATE TABLE quantities (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    qid            TEXT NOT NULL,
    task_id        INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
    task_tid       TEXT,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    text           TEXT,
    value          REAL,
    low            REAL,
    high           REAL,
    unit           TEXT,
    written_unit   TEXT,
    unit_inferred  INTEGER NOT NULL DEFAULT 0,
    kind           TEXT,
    qualifier      TEXT,
    role           TEXT,
    indicator      TEXT,
    indicator_key  TEXT,
    confidence     REAL,
    extractor      TEXT,
    role_source    TEXT,
    table_column   TEXT,
    task_title     TEXT,
    sentence       TEXT,
    sentence_start INTEGER,
    sentence_end   INTEGER,
    period_start   TEXT,
    period_end     TEXT,
    UNIQUE (document_id, qid)
);
CREATE TABLE links (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    quantity_id   INTEGER NOT NULL REFERENCES quantities(id) ON DELETE CASCADE,
    type          TEXT NOT NULL CHECK (type IN ('target', 'of', 'change_of', 'date')),
    to_quantity_id INTEGER REFERENCES quantities(id) ON DELETE CASCADE,
    to_date_id    INTEGER REFERENCES dates(id) ON DELETE CASCADE,
    CHECK ((to_quantity_id IS NULL) <> (to_date_id IS NULL))
);
CREATE TABLE checks (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    rule          TEXT NOT NULL,
    quantities    TEXT NOT NULL,
    expected      REAL,
    reported      REAL,
    ok            INTEGER NOT NULL,
    message       TEXT
);
CREATE TABLE check_quantities (
    check_id      INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
    quantity_id   INTEGER NOT NULL REFERENCES quantities(id) ON DELETE CASCADE,
    PRIMARY KEY (check_id, quantity_id)
);
CREATE TABLE errors (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,
    content_hash  TEXT,
    code          TEXT NOT NULL,
    message       TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX dates_range ON dates(start_date, end_date);
CREATE INDEX quantities_task ON quantities(task_id);
CREATE INDEX quantities_indicator_key ON quantities(indicator_key);
CREATE INDEX quantities_role ON quantities(role);
CREATE INDEX quantities_unit ON quantities(unit);
CREATE INDEX quantities_kind ON quantities(kind);
CREATE UNIQUE INDEX links_quantity ON links(quantity_id, type);
CREATE INDEX links_to_quantity ON links(to_quantity_id);
CREATE INDEX links_to_date ON links(to_date_id);
CREATE INDEX links_document ON links(document_id);
CREATE INDEX checks_document ON checks(document_id);
CREATE INDEX check_quantities_quantity ON check_quantities(quantity_id);
CREATE INDEX errors_source ON errors(source);
CREATE INDEX documents_period ON documents(period_start, period_end);
CREATE VIRTUAL TABLE quantities_fts USING fts5(
    sentence, indicator, task_title,
    content='quantities', content_rowid='id', tokenize='trigram'
);
CREATE TABLE fts_pending (
    quantity_id   INTEGER PRIMARY KEY
);
"""

#: Version 3: the index of 1-2 character queries (see :func:`gram_tokens`), and the
#: watermark of its backfill while an older store is migrated.  ``automerge`` 16 (FTS5's
#: default is 4) lets more segments pile up before they are merged: a batch writes the
#: index ~20% cheaper, and a one-token query reads a few more segment roots.
GRAMS_SCHEMA = """
CREATE VIRTUAL TABLE quantities_grams USING fts5(
    grams, content='', detail=none, columnsize=0, tokenize='ascii'
);
INSERT INTO quantities_grams(quantities_grams, rank) VALUES ('automerge', 16);
CREATE TABLE grams_backfill (
    next_id       INTEGER NOT NULL
);
"""

#: Quantity ids per transaction when an older store's quantities are added to
#: quantities_grams (a killed migration keeps the chunks it committed).
BACKFILL_CHUNK = 20_000

#: Version 2 indexes new quantities in FTS in bulk (see ``index_pending``): a quantity is
#: queued in fts_pending when inserted and indexed by the next ``index_pending``; deleting
#: or updating it touches the FTS index only when it has been indexed.  Version 3 writes a
#: quantity's quantities_grams tokens with the quantity itself; an UPDATE, whose new
#: tokens SQL cannot compute, also queues the row's id negated (``-id``) for
#: ``index_pending`` to add them.
FTS_TRIGGERS = """
CREATE TRIGGER quantities_fts_insert AFTER INSERT ON quantities BEGIN
    INSERT INTO fts_pending(quantity_id) VALUES (new.id);
END;
CREATE TRIGGER quantities_fts_delete AFTER DELETE ON quantities BEGIN
    INSERT INTO quantities_fts(quantities_fts, rowid, sentence, indicator, task_title)
    SELECT 'delete', old.id, old.sentence, old.indicator, old.task_title
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE quantity_id = old.id);
    DELETE FROM fts_pending WHERE quantity_id IN (old.id, -old.id);
END;
CREATE TRIGGER quantities_fts_update AFTER UPDATE ON quantities BEGIN
    INSERT INTO quantities_fts(quantities_fts, rowid, sentence, indicator, task_title)
    SELECT 'delete', old.id, old.sentence, old.indicator, old.task_title
    WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE quantity_id = old.id);
    DELETE FROM fts_pending WHERE quantity_id = old.id;
    INSERT INTO fts_pending(quantity_id) VALUES (new.id);
    INSERT OR IGNORE INTO fts_pending(quantity_id) VALUES (-new.id);
END;
"""


class StoreError(Exception):
    """The store cannot be used (e.g. written by a newer zhibiao)."""


# --------------------------------------------------------------------------- pure helpers

HEADING_MAX = 20  # a line this short before a blank line ends a paragraph (a heading)


def ends_paragraph(text: str, at: int) -> bool:
    """Whether the blank line starting at ``at`` closes a paragraph: the line before it
    ends a sentence (。；！？：) or is short (a heading).  A PDF dump also breaks pages
    and wrapped lines with blank lines in mid-sentence (完成单\\n\\n宗低效用地…).

    >>> t = "底，全市处置完成批而未供土地1.98万亩，省任务完成率82.5%；完成单\\n\\n宗低效用地"
    >>> ends_paragraph(t, t.index("\\n")), ends_paragraph("标题\\n\\n正文", 2)
    (False, True)
    """
    line = text[text.rfind("\n", 0, at) + 1:at].strip()
    if not line or line[-1] in SENTENCE_ENDS + "：:":
        return True
    return len(line) <= HEADING_MAX and not re.search(r"[，,、（(]$|\d$", line)


def sentence_bounds(text: str, start: int, end: int, reach: int = SENTENCE_REACH) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: cut after 。；！？ or a blank line that
    ends a paragraph (not one a PDF dump puts in mid-sentence, see ``ends_paragraph``).

    The returned half-open span contains the mention, includes the sentence's closing
    punctuation, starts at neither whitespace nor a line break, and reaches at most
    ``reach`` characters out on each side.

    >>> t = "上半年开工。全市处置完成批而未供土地1.98万亩，省任务完成率82.5%；完成单宗"
    >>> s, e = sentence_bounds(t, t.index("1.98"), t.index("1.98") + 7)
    >>> t[s:e]
    '全市处置完成批而未供土地1.98万亩，省任务完成率82.5%；'
    >>> t2 = "标题\\n\\n截至6月底完成2.8\\n万亩"
    >>> s, e = sentence_bounds(t2, t2.index("2.8"), len(t2))
    >>> t2[s:e]
    '截至6月底完成2.8\\n万亩'
    """
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    lo = max(0, start - reach)
    s = lo
    for ch in SENTENCE_ENDS:
        i = text.rfind(ch, lo, start)
        if i >= 0 and i + 1 > s:
            s = i + 1
    for m in PARAGRAPH_BREAK.finditer(text, lo, start):
        if m.end() <= start and m.end() > s and ends_paragraph(text, m.start()):
            s = m.end()
    hi = min(n, end + reach)
    e = hi
    for ch in SENTENCE_ENDS:
        i = text.find(ch, end, hi)
        if 0 <= i < e:
            e = i + 1
    for m in PARAGRAPH_BREAK.finditer(text, end, hi):
        if m.start() >= e:
            break
        if ends_paragraph(text, m.start()):
            e = m.start()
            break
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e


def add_sentence_spans(result: dict[str, Any]) -> dict[str, Any]:
    """Give each quantity of a contract dict its ``sentence_span`` (in place; returned).

    A batch worker calls this, so the single writer does not spend its time on it; for
    the same reason it adds each quantity's quantities_grams tokens (``grams``, see
    :func:`gram_parts`) over the sentence, indicator and task title the writer stores:
    one string per field, the same string object for every quantity of a sentence or a
    task, which pickle sends to the writer once.
    """
    text = result.get("text") or ""
    titles = {t.get("id"): t.get("title") for t in result.get("tasks") or []}
    for q in result.get("quantities") or []:
        s, e = q["sentence_span"] = sentence_bounds(text, q["start"], q["end"])
        q["grams"] = gram_parts(text[s:e], q.get("indicator"), titles.get(q.get("task") or ""))
    return result


def fts_phrase(query: str) -> str:
    '''Quote a user string as one FTS5 phrase, so FTS5 syntax in it is plain text.

    >>> fts_phrase('a OR "b"')
    '"a OR ""b"""'
    '''
    return '"' + query.replace('"', '""') + '"'


def like_pattern(query: str, escape: str = "\\") -> str:
    r"""A LIKE pattern matching ``query`` anywhere, with ``%``, ``_`` and the escape escaped.

    >>> like_pattern("50%_a\\")
    '%50\\%\\_a\\\\%'
    """
    out = query.replace(escape, escape * 2).replace("%", escape + "%").replace("_", escape + "_")
    return f"%{out}%"


#: Every character becomes one token character of FTS5's ``ascii`` tokenizer: ASCII letters
#: fold to lower case (as LIKE does), ASCII digits stay, every other ASCII character (space,
#: punctuation, control) moves to U+10FF00 + its code; non-ASCII characters stay as they are.
GRAM_FOLD = {i: (chr(i).lower() if chr(i).isalnum() else chr(0x10FF00 + i)) for i in range(128)}


def gram_tokens(*fields: str | None) -> str:
    """The quantities_grams document of some text fields: each distinct character and each
    distinct pair of adjacent characters of each field (never across two fields),
    space-separated.  A token two fields share comes once per field; FTS5 (``detail=none``)
    keeps a row once per token, and the same fields always give the same string, so
    deleting a row with it removes what inserting it added.

    A 1- or 2-character query is then ONE token (:func:`gram_match`), whose posting list is
    exactly the rows that contain it.  Two characters may fold to the same token (a real
    U+10FF25 and ``%``); :func:`search` checks every candidate with LIKE, so that costs a
    wasted candidate, never a wrong row.

    >>> sorted(set(gram_tokens("耕地", None, "Ab", "b").split(" ")))
    ['a', 'ab', 'b', '地', '耕', '耕地']
    >>> sorted(gram_tokens("5%").split(" ")) == ["5", "5\U0010ff25", "\U0010ff25"]
    True
    """
    return " ".join(gram_parts(*fields))


def gram_parts(*fields: str | None) -> tuple[str, ...]:
    """:func:`gram_tokens` of each non-empty field, as cached strings; a field written
    inside an earlier one (an indicator taken from its sentence) adds nothing: its grams
    are among the earlier field's."""
    kept: list[str] = []
    for f in fields:
        if f and not any(f in k for k in kept):
            kept.append(f)
    return tuple(_field_grams(f) for f in kept)


def joined_grams(grams: str | Sequence[str]) -> str:
    """A quantity's ``grams`` as :func:`add_sentence_spans` gives them (its fields' parts;
    a string in results written before they came in parts), as one document."""
    return grams if isinstance(grams, str) else " ".join(grams)


@functools.lru_cache(maxsize=4096)
def _field_grams(field: str) -> str:
    """The grams of one field, sorted; cached, as every quantity of a sentence or task
    repeats it."""
    t = field.translate(GRAM_FOLD)
    grams = set(t)
    grams.update(map(operator.add, t, t[1:]))
    return " ".join(sorted(grams))


def gram_match(query: str) -> str:
    """The quantities_grams MATCH string of a 1- or 2-character query.

    >>> gram_match("GD") == '"gd"' and gram_match("亩") == '"亩"'
    True
    """
    if not 1 <= len(query) <= 2:
        raise ValueError(f"a gram query has 1 or 2 characters, not {len(query)}")
    return '"' + query.translate(GRAM_FOLD) + '"'


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- connection

def connect(path: str | Path, readonly: bool = False, timeout: float = 30.0) -> sqlite3.Connection:
    """Open (and, unless ``readonly``, create or migrate) the store at ``path``.

    Autocommit mode: writes group themselves with :func:`transaction`.
    """
    if readonly:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        init_schema(conn)
    else:
        check_version(conn)
    return conn


def check_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"the store has schema version {version}; this zhibiao reads up to "
                         f"{SCHEMA_VERSION}; upgrade zhibiao")
    return int(version)


def init_schema(conn: sqlite3.Connection) -> None:
    """Create the tables of an empty store, or migrate an older one; refuse a newer one.

    Migrating to version 3 adds quantities_grams in one short transaction, then fills it
    with the quantities already indexed, :data:`BACKFILL_CHUNK` ids per transaction
    (:func:`backfill_grams`).  A killed migration leaves a version-3 store whose
    ``grams_backfill`` row says where to go on; searches meanwhile find the rest by LIKE,
    and the next writer to connect finishes the job.
    """
    if check_version(conn) < SCHEMA_VERSION:
        with transaction(conn):
            _migrate(conn, conn.execute("PRAGMA user_version").fetchone()[0])
    backfill_grams(conn)


#: the columns of quantities that copied the links table up to version 5
LINK_COPIES = ("target_qid", "of_qid", "change_of_qid", "date_did")


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    if version == 0:
        for stmt in _statements(SCHEMA + FTS_TRIGGERS + GRAMS_SCHEMA):
            conn.execute(stmt)
    if version == 1:
        # 1 -> 2: FTS rows are written in bulk from fts_pending, not one per insert
        for name in ("insert", "delete", "update"):
            conn.execute(f"DROP TRIGGER IF EXISTS quantities_fts_{name}")
        conn.execute("CREATE TABLE fts_pending (quantity_id INTEGER PRIMARY KEY)")
        for name in ("tasks_document", "dates_document", "quantities_document"):
            conn.execute(f"DROP INDEX IF EXISTS {name}")  # the UNIQUE keys cover them
        for stmt in _statements(FTS_TRIGGERS):
            conn.execute(stmt)
    if version in (1, 2):
        # 2 -> 3: the 1-2 character index, filled afterwards in chunks (backfill_grams)
        for stmt in _statements(GRAMS_SCHEMA):
            conn.execute(stmt)
        for name in ("insert", "delete", "update"):
            conn.execute(f"DROP TRIGGER IF EXISTS quantities_fts_{name}")
        for stmt in _statements(FTS_TRIGGERS):
            conn.execute(stmt)
        conn.execute("INSERT INTO grams_backfill(next_id) VALUES (0)")
    columns = {r[1] for r in conn.execute("PRAGMA table_info(documents)")}
    if version in (1, 2, 3) and "extractor_version" not in columns:
        # 3 -> 4: which extractor (code, extractors, models) produced each document's rows
        conn.execute("ALTER TABLE documents ADD COLUMN extractor_version TEXT")
    if version in (1, 2, 3, 4) and "region" not in columns:
        # 4 -> 5: each quantity's period and each document's region (series per region)
        conn.execute("ALTER TABLE documents ADD COLUMN region TEXT")
        conn.execute("ALTER TABLE quantities ADD COLUMN period_start TEXT")
        conn.execute("ALTER TABLE quantities ADD COLUMN period_end TEXT")
    stale = {r[1] for r in conn.execute("PRAGMA table_info(quantities)")} & set(LINK_COPIES)
    for column in sorted(stale):
        # 5 -> 6: a link is stored once, in the links table; the copies in quantities go
        conn.execute(f"ALTER TABLE quantities DROP COLUMN {column}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def backfill_grams(conn: sqlite3.Connection, chunk: int | None = None) -> int:
    """Add the quantities a migration found to quantities_grams; how many were added.

    Each chunk of ids is one transaction that also moves the ``grams_backfill`` watermark,
    so a kill loses at most the chunk under way.  Quantities written meanwhile get their
    tokens from the writer when their id is below the watermark, else from this function.
    """
    added = 0
    if gram_watermark(conn) is None:  # the usual case: no write lock taken
        return added
    chunk = chunk or BACKFILL_CHUNK
    while True:
        with transaction(conn):
            start = gram_watermark(conn)
            if start is None:
                return added
            top = conn.execute("SELECT COALESCE(MAX(id), -1) FROM quantities").fetchone()[0]
            if start > top:
                conn.execute("DELETE FROM grams_backfill")
                return added
            rows = conn.execute(
                "SELECT q.id, q.sentence, q.indicator, q.task_title FROM quantities q"
                " WHERE q.id >= ? AND q.id < ?", (start, start + chunk)).fetchall()
            add_grams(conn, rows)
            conn.execute("UPDATE grams_backfill SET next_id = ?", (start + chunk,))
            added += len(rows)


def gram_watermark(conn: sqlite3.Connection) -> int | None:
    """None when quantities_grams holds every indexed quantity; else the first quantity id
    it does not cover yet (0 for a store older than version 3, which has no such index)."""
    if conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'grams_backfill'").fetchone()[0] == 0:
        return 0
    row = conn.execute("SELECT next_id FROM grams_backfill").fetchone()
    return None if row is None else int(row[0])


def add_grams(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``(id, sentence, indicator, task_title)`` rows into quantities_grams."""
    conn.executemany("INSERT INTO quantities_grams(rowid, grams) VALUES (?, ?)",
                     [(r[0], gram_tokens(r[1], r[2], r[3])) for r in rows])


def _statements(script: str) -> Iterator[str]:
    """Split the schema into statements (triggers contain ';' inside BEGIN … END)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (which propagates)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --------------------------------------------------------------------------- writes

def document_state(conn: sqlite3.Connection, source: str) -> tuple[str, str | None] | None:
    """(content hash, extractor version) stored for ``source``, or None when not stored.
    A batch re-extracts a source when either differs from what it would write now."""
    row = conn.execute("SELECT content_hash, extractor_version FROM documents WHERE source = ?",
                       (source,)).fetchone()
    return (row[0], row[1]) if row else None


def document_hash(conn: sqlite3.Connection, source: str) -> str | None:
    """The content hash stored for ``source``, or None when it has not been stored."""
    row = conn.execute("SELECT content_hash FROM documents WHERE source = ?", (source,)).fetchone()
    return row[0] if row else None


def write_error(conn: sqlite3.Connection, source: str, code: str, message: str,
                content_hash: str | None = None) -> None:
    """Record the error of ``source`` in its own transaction, replacing its earlier errors."""
    with transaction(conn):
        conn.execute("DELETE FROM errors WHERE source = ?", (source,))
        _insert_error(conn, source, code, message, content_hash)


def _insert_error(conn: sqlite3.Connection, source: str, code: str, message: str,
                  content_hash: str | None) -> None:
    conn.execute("INSERT INTO errors(source, content_hash, code, message, at) VALUES (?,?,?,?,?)",
                 (source, content_hash, code, message, _now()))


def write_document(conn: sqlite3.Connection, result: dict[str, Any], content_hash: str,
                   index: bool = True) -> int | None:
    """Store one contract dict in ONE transaction, replacing any older version of its source.

    Earlier error rows of the source are replaced by the errors of ``result``.  A result
    with errors and no text (an unreadable file) stores only its errors and keeps an older
    good version of the source, if there is one.  Returns the document's row id, or None.

    ``index=False`` leaves the new quantities queued for full-text indexing: a batch calls
    :func:`index_pending` every few hundred documents, which is ~3x cheaper than indexing
    each document on its own.  :func:`search` finds queued quantities all the same.
    """
    return write_documents(conn, [(result, content_hash)], index=index)[0]


def write_documents(conn: sqlite3.Connection, items: Sequence[tuple[dict[str, Any], str]],
                    index: bool = True) -> list[int | None]:
    """Store several ``(result, content_hash)`` in ONE transaction (a group commit).

    Each document is whole or absent, as with :func:`write_document`; one commit for many
    small documents saves most of the cost of writing them one by one.
    """
    sources = [r.get("source") or r.get("doc_id") for r, _ in items]
    if not all(sources):
        raise ValueError("a result needs a source (or doc_id) to be stored")
    with transaction(conn):
        mark = gram_watermark(conn)
        grams = Grams([], [])
        rows = [_replace_document(conn, str(src), r, h, mark, grams)
                for src, (r, h) in zip(sources, items)]
        if index:
            index_queued(conn)
        if mark != 0:  # 0: no quantities_grams in this store
            write_grams(conn, grams)
    return rows


class Grams(NamedTuple):
    """The quantities_grams rows a group commit takes out and puts in, written together at
    the end of its transaction: FTS5 flushes its pending rows to a new segment at every
    statement that opens a savepoint (an INSERT with triggers, a DELETE with cascades), so
    rows written document by document would make a segment per document."""
    removed: list[tuple[int, str]]
    added: list[tuple[int, str]]


def write_grams(conn: sqlite3.Connection, grams: Grams) -> None:
    conn.executemany("INSERT INTO quantities_grams(quantities_grams, rowid, grams)"
                     " VALUES ('delete', ?, ?)", grams.removed)
    conn.executemany("INSERT INTO quantities_grams(rowid, grams) VALUES (?, ?)", grams.added)


def _replace_document(conn: sqlite3.Connection, source: str, result: dict[str, Any],
                      content_hash: str, mark: int | None, grams: Grams) -> int | None:
    errors = result.get("errors") or []
    conn.execute("DELETE FROM errors WHERE source = ?", (source,))
    for err in errors:
        _insert_error(conn, source, str(err.get("code", "error")),
                      str(err.get("message", "")), content_hash)
    if errors and not result.get("text"):
        return None
    grams.removed.extend(_old_grams(conn, source, mark))
    conn.execute("DELETE FROM documents WHERE source = ?", (source,))
    return _insert_document(conn, source, result, content_hash, mark, grams.added)


def _old_grams(conn: sqlite3.Connection, source: str, mark: int | None) -> list[tuple[int, str]]:
    """The quantities_grams rows of ``source``, to be taken out before it is replaced.

    A contentless FTS5 table forgets a row only when told the tokens it was given, so only
    rows whose tokens are known are removed: those below ``mark`` (the backfill watermark;
    None: all) and not changed by an UPDATE since (queued as ``-id``).  A row the index
    keeps by mistake costs a candidate that LIKE then rejects, never a wrong result.
    """
    doc = conn.execute("SELECT id FROM documents WHERE source = ?", (source,)).fetchone()
    if doc is None or mark == 0:  # a new source, or no 1-2 character index yet
        return []
    rows = conn.execute(
        "SELECT q.id, q.sentence, q.indicator, q.task_title FROM quantities q"
        " WHERE q.document_id = ? AND (? IS NULL OR q.id < ?)"
        " AND NOT EXISTS (SELECT 1 FROM fts_pending p WHERE p.quantity_id = -q.id)",
        (doc[0], mark, mark)).fetchall()
    return [(r[0], gram_tokens(r[1], r[2], r[3])) for r in rows]


def index_pending(conn: sqlite3.Connection) -> int:
    """Add the queued quantities to the full-text index in one transaction; how many."""
    with transaction(conn):
        return index_queued(conn)


def index_queued(conn: sqlite3.Connection) -> int:
    mark = gram_watermark(conn)
    if mark != 0:  # rows changed by an UPDATE (queued as -id) get their new tokens
        add_grams(conn, conn.execute(
            "SELECT q.id, q.sentence, q.indicator, q.task_title"
            " FROM fts_pending p JOIN quantities q ON q.id = -p.quantity_id"
            " WHERE p.quantity_id < 0 AND (? IS NULL OR q.id < ?)", (mark, mark)).fetchall())
        conn.execute("DELETE FROM fts_pending WHERE quantity_id < 0")
    conn.execute(
        "INSERT INTO quantities_fts(rowid, sentence, indicator, task_title)"
        " SELECT q.id, q.sentence, q.indicator, q.task_title"
        " FROM fts_pending p JOIN quantities q ON q.id = p.quantity_id")
    return conn.execute("DELETE FROM fts_pending").rowcount


@functools.lru_cache(maxsize=32)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    """INSERT one row given as {column: value}; returns its rowid."""
    cur = conn.execute(_insert_sql(table, tuple(row)), tuple(row.values()))
    return int(cur.lastrowid)  # type: ignore[arg-type]


def _insert_document(conn: sqlite3.Connection, source: str, r: dict[str, Any], content_hash: str,
                     mark: int | None, grams: list[tuple[int, str]]) -> int:
    text: str = r.get("text") or ""
    period = r.get("period") or {}
    doc = _insert(conn, "documents", {
        "source": source, "doc_id": r.get("doc_id"), "content_hash": content_hash,
        "format": r.get("format"), "encoding": r.get("encoding"), "chars": len(text),
        "period_start": period.get("start_date"), "period_end": period.get("end_date"),
        "extracted_at": _now(), "text": text, "extractor_version": r.get("extractor_version"),
        "region": r.get("region")})

    task_rows: dict[str, int] = {}
    task_titles: dict[str, str | None] = {}
    for t in r.get("tasks") or []:
        tp = t.get("period") or {}
        task_rows[t["id"]] = _insert(conn, "tasks", {
            "document_id": doc, "tid": t["id"], "seq": t.get("seq"), "span_start": t.get("start", 0),
            "span_end": t.get("end", 0), "title": t.get("title"),
            "departments": json.dumps(list(t.get("departments") or []), ensure_ascii=False),
            "period_start": tp.get("start_date"), "period_end": tp.get("end_date"),
            "section": t.get("section")})
        task_titles[t["id"]] = t.get("title")

    date_rows: dict[str, int] = {}
    for d in r.get("dates") or []:
        date_rows[d["id"]] = _insert(conn, "dates", {
            "document_id": doc, "did": d["id"], "task_id": task_rows.get(d.get("task") or ""),
            "task_tid": d.get("task"), "span_start": d["start"], "span_end": d["end"],
            "text": d.get("text"), "start_date": d.get("start_date"), "end_date": d.get("end_date"),
            "grain": d.get("grain"), "extractor": d.get("extractor")})

    q_rows: dict[str, int] = {}
    quantities = r.get("quantities") or []
    for q in quantities:
        s, e = q.get("sentence_span") or sentence_bounds(text, q["start"], q["end"])
        tid = q.get("task")
        qp = q.get("period") or {}
        q_rows[q["id"]] = _insert(conn, "quantities", {
            "document_id": doc, "qid": q["id"], "task_id": task_rows.get(tid or ""), "task_tid": tid,
            "span_start": q["start"], "span_end": q["end"], "text": q.get("text"),
            "value": q.get("value"), "low": q.get("low"), "high": q.get("high"), "unit": q.get("unit"),
            "written_unit": q.get("written_unit"), "unit_inferred": int(bool(q.get("unit_inferred"))),
            "kind": q.get("kind"), "qualifier": q.get("qualifier"), "role": q.get("role"),
            "indicator": q.get("indicator"), "indicator_key": q.get("indicator_key"),
            "confidence": q.get("confidence"), "extractor": q.get("extractor"),
            "role_source": q.get("role_source"), "table_column": q.get("column"),
            "task_title": task_titles.get(tid or ""), "sentence": text[s:e], "sentence_start": s,
            "sentence_end": e, "period_start": qp.get("start_date"), "period_end": qp.get("end_date")})
        if mark is None or q_rows[q["id"]] < mark:  # at or above a backfill's watermark: its job
            grams.append((q_rows[q["id"]], joined_grams(q["grams"]) if q.get("grams")
                          else gram_tokens(text[s:e], q.get("indicator"), task_titles.get(tid or ""))))

    # a quantity's links live in the links table only (search, export, series and the web
    # view all read them there)
    for q in quantities:
        for kind in QUANTITY_LINKS:
            other = q.get(kind)
            if other and other in q_rows:
                _insert(conn, "links", {"document_id": doc, "quantity_id": q_rows[q["id"]],
                                        "type": kind, "to_quantity_id": q_rows[other]})
        if q.get("date") and q["date"] in date_rows:
            _insert(conn, "links", {"document_id": doc, "quantity_id": q_rows[q["id"]],
                                    "type": "date", "to_date_id": date_rows[q["date"]]})

    for c in r.get("checks") or []:
        qids = list(c.get("quantities") or [])
        check_id = _insert(conn, "checks", {
            "document_id": doc, "rule": c["rule"], "quantities": json.dumps(qids, ensure_ascii=False),
            "expected": c.get("expected"), "reported": c.get("reported"), "ok": int(bool(c.get("ok"))),
            "message": c.get("message")})
        for qid in dict.fromkeys(qids):
            if qid in q_rows:
                _insert(conn, "check_quantities", {"check_id": check_id, "quantity_id": q_rows[qid]})
    return doc


# --------------------------------------------------------------------------- reads

SEARCH_COLUMNS = """
       q.qid AS qid, q.indicator AS indicator, q.indicator_key AS indicator_key,
       q.text AS mention, q.value AS value, q.low AS low, q.high AS high, q.unit AS unit,
       q.written_unit AS written_unit, q.unit_inferred AS unit_inferred, q.kind AS kind,
       q.qualifier AS qualifier, q.role AS role, q.confidence AS confidence,
       tq.qid AS target_qid, tq.text AS target_text, tq.value AS target_value,
       tq.unit AS target_unit,
       d.text AS date_text, d.start_date AS date_start, d.end_date AS date_end,
       t.tid AS task, t.title AS task_title, t.departments AS departments,
       q.sentence AS sentence, q.sentence_start AS sentence_start,
       q.sentence_end AS sentence_end, q.span_start AS start, q.span_end AS end,
       doc.source AS source, doc.period_start AS period_start, doc.period_end AS period_end,
       EXISTS (SELECT 1 FROM check_quantities cq JOIN checks c ON c.id = cq.check_id
               WHERE cq.quantity_id = q.id AND c.ok = 0) AS failed_check"""

#: A quantity's links, read from the links table (where they are stored, once): its target
#: ``tq``, its date ``d``, and the quantities it is a share ``oq`` or a change ``cq`` of.
TARGET_JOIN = """
LEFT JOIN links lt ON lt.quantity_id = q.id AND lt.type = 'target'
LEFT JOIN quantities tq ON tq.id = lt.to_quantity_id"""
DATE_JOIN = """
LEFT JOIN links ld ON ld.quantity_id = q.id AND ld.type = 'date'
LEFT JOIN dates d ON d.id = ld.to_date_id"""
OF_JOIN = """
LEFT JOIN links lo ON lo.quantity_id = q.id AND lo.type = 'of'
LEFT JOIN quantities oq ON oq.id = lo.to_quantity_id"""
CHANGE_OF_JOIN = """
LEFT JOIN links lc ON lc.quantity_id = q.id AND lc.type = 'change_of'
LEFT JOIN quantities cq ON cq.id = lc.to_quantity_id"""

SEARCH_JOINS = """
JOIN documents doc ON doc.id = q.document_id
LEFT JOIN tasks t ON t.id = q.task_id""" + TARGET_JOIN + DATE_JOIN + "\n"

#: Every quantity with what a search shows of it (``WHERE``, ``ORDER BY`` to be added).
SEARCH_SELECT = "\nSELECT q.id AS id," + SEARCH_COLUMNS + "\nFROM quantities q" + SEARCH_JOINS

#: The columns of a match in ``fts`` (an index table aliased ``m``) in index order.  The
#: index drives the join and FTS5 returns rowids in order, so ``ORDER BY m.rowid LIMIT n``
#: stops after n matches instead of collecting every match first.
SEARCH_INDEXED = ("\nSELECT m.rowid AS id," + SEARCH_COLUMNS
                  + "\nFROM {fts} m CROSS JOIN quantities q ON q.id = m.rowid" + SEARCH_JOINS)

#: The LIKE test of :func:`search` (three parameters: :func:`like_pattern` of the query).
SEARCH_LIKE = ("(q.sentence LIKE ? ESCAPE '\\' OR q.indicator LIKE ? ESCAPE '\\'"
               " OR q.task_title LIKE ? ESCAPE '\\')")


def _has_pending(conn: sqlite3.Connection) -> bool:
    """Whether some quantities wait for the FTS index (a batch is running or was killed)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM fts_pending)").fetchone()[0] == 1


def search(conn: sqlite3.Connection, query: str = "", *, role: str | None = None,
           kind: str | None = None, unit: str | None = None, department: str | None = None,
           date_from: str | None = None, date_to: str | None = None,
           failed_checks: bool = False, limit: int | None = 50) -> list[dict[str, Any]]:
    """Quantities whose sentence, indicator or task title contains ``query`` (as text).

    Every query goes through an index.  Queries of 3+ characters use the FTS5 trigram
    index (the query quoted as a phrase); queries of 1 or 2 characters use quantities_grams,
    where the query is one token, and each candidate is confirmed by LIKE (ASCII letters
    match either case, as LIKE does).  Quantities not in the index yet (queued for the
    trigram index by a running or killed batch; above a migration's watermark) are found
    by LIKE among those alone.
    An empty query matches everything.  Filters combine with AND.  Dates: a quantity's
    date is its own date mention, else its task's period, else its document's period;
    ``date_from``/``date_to`` keep quantities whose date overlaps the range.  Results are
    in store order (documents as written, mentions in text order).
    """
    q = query.replace("\x00", "").strip()  # SQLite would cut a pattern at a NUL
    if query.strip() and not q:
        return []
    where, params = _filter_sql(role, kind, unit, department, date_from, date_to, failed_checks)
    tail, tail_params = " ORDER BY {order}", []
    if limit is not None:
        tail, tail_params = tail + " LIMIT ?", [int(limit)]
    if not q:
        sql = SEARCH_SELECT + _where(where) + tail.format(order="q.id")
        return [search_row(dict(r)) for r in conn.execute(sql, params + tail_params)]
    with _snapshot(conn):
        rows = _matches(conn, q, where, params, tail, tail_params)
    merged = sorted({r["id"]: r for r in rows}.values(), key=lambda r: r["id"])
    return [search_row(dict(r)) for r in merged[:limit]]


def _matches(conn: sqlite3.Connection, q: str, where: list[str], params: list[Any], tail: str,
             tail_params: list[Any]) -> list[sqlite3.Row]:
    """The rows of a non-empty query: the first of those in its index, in index order, and
    the first of those not in it yet by LIKE: for 3+ characters those a batch has queued,
    for 1-2 those above a migration's watermark or changed by an UPDATE since indexed."""
    like = [like_pattern(q)] * 3
    if len(q) >= 3:
        fts, match, verify, mark = "quantities_fts", fts_phrase(q), [], None
    else:
        fts, match, verify, mark = "quantities_grams", gram_match(q), [SEARCH_LIKE], gram_watermark(conn)
    rows: list[sqlite3.Row] = []
    if mark != 0:  # 0: no 1-2 character index in this store (schema 2, opened read-only)
        bound = [] if mark is None else ["m.rowid < ?"]
        sql = (SEARCH_INDEXED.format(fts=fts) + _where([f"m.{fts} MATCH ?"] + verify + bound + where)
               + tail.format(order="m.rowid"))
        rows += conn.execute(sql, [match] + like * len(verify) + ([mark] if bound else [])
                             + params + tail_params).fetchall()
    unindexed = []
    if _has_pending(conn):  # queued for the trigram index; for grams, only rows UPDATEd since
        unindexed.append("q.id IN (SELECT quantity_id FROM fts_pending)" if len(q) >= 3 else
                         "q.id IN (SELECT -quantity_id FROM fts_pending WHERE quantity_id < 0)")
    if mark is not None:
        unindexed.append("q.id >= ?")
    if unindexed:
        sql = (SEARCH_SELECT + _where(["(" + " OR ".join(unindexed) + ")", SEARCH_LIKE] + where)
               + tail.format(order="q.id"))
        rows += conn.execute(sql, ([mark] if mark is not None else []) + like + params
                             + tail_params).fetchall()
    return rows


def _sql_fold(char: str) -> str:
    """SQL for the token character of one character (the fold of :data:`GRAM_FOLD`)."""
    return (f"CASE WHEN {char} GLOB '[A-Z]' THEN lower({char})"
            f" WHEN {char} GLOB '[a-z0-9]' THEN {char}"
            f" WHEN unicode({char}) < 128 THEN char({0x10FF00} + unicode({char}))"
            f" ELSE {char} END")


def search_sql(param: str = "q", limit: int = 200, like_always: bool = False) -> str:
    """One SQL statement with a named parameter that searches as :func:`search` does,
    through the same indexes, for SQL-only clients (Datasette's canned queries).

    ``:param`` is trimmed of spaces; empty, it matches every quantity.  1-2 characters go
    through quantities_grams (the token computed in SQL, each candidate confirmed by LIKE),
    3+ through the trigram index, and quantities not indexed yet by LIKE among those
    alone.  ``like_always`` confirms 3+ character matches by LIKE too, so ASCII letters
    are the only ones matched in either case (LIKE's rule; the trigram index folds case
    beyond ASCII).  Each branch takes its first ``limit`` rows in index order (FTS5 returns
    rowids in order, so it stops early) and the UNION keeps the first ``limit`` of those.
    """
    p = f"trim(:{param})"
    esc = f"replace(replace(replace({p}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')"
    pattern = f"'%' || {esc} || '%'"
    like = (f"(q.sentence LIKE {pattern} ESCAPE '\\' OR q.indicator LIKE {pattern} ESCAPE '\\'"
            f" OR q.task_title LIKE {pattern} ESCAPE '\\')")
    token = _sql_fold(f"substr({p}, 1, 1)") + " || " + _sql_fold(f"substr({p}, 2, 1)")
    mark = "(SELECT next_id FROM grams_backfill)"
    grams = (SEARCH_INDEXED.format(fts="quantities_grams")
             + f" WHERE length({p}) BETWEEN 1 AND 2"
             + f" AND m.quantities_grams MATCH '\"' || {token} || '\"' AND {like}"
             + f" AND m.rowid < COALESCE({mark}, 9223372036854775807)")
    trigram = (SEARCH_INDEXED.format(fts="quantities_fts") + f" WHERE length({p}) >= 3"
               + f" AND m.quantities_fts MATCH '\"' || replace({p}, '\"', '\"\"') || '\"'"
               + (f" AND {like}" if like_always else ""))
    queued = (SEARCH_SELECT + f" WHERE length({p}) >= 1 AND q.id IN (SELECT CASE WHEN"
              f" length({p}) >= 3 THEN quantity_id ELSE -quantity_id END FROM fts_pending)"
              f" AND {like}")
    above = (SEARCH_SELECT + f" WHERE length({p}) BETWEEN 1 AND 2 AND q.id >= {mark} AND {like}")
    every = SEARCH_SELECT + f" WHERE length({p}) = 0"
    # each branch streams its first rows in index order; the union of those is small
    branches = [f"SELECT * FROM ({sql} ORDER BY {order} LIMIT {int(limit)})" for sql, order in
                ((grams, "m.rowid"), (trigram, "m.rowid"), (queued, "q.id"), (above, "q.id"),
                 (every, "q.id"))]
    return "\nUNION\n".join(branches) + f"\nORDER BY id LIMIT {int(limit)}"


def _filter_sql(role: str | None, kind: str | None, unit: str | None, department: str | None,
                date_from: str | None, date_to: str | None,
                failed_checks: bool) -> tuple[list[str], list[Any]]:
    """The WHERE terms (and their parameters) of :func:`search`'s filters."""
    where: list[str] = []
    params: list[Any] = []
    for col, val in (("q.role", role), ("q.kind", kind), ("q.unit", unit)):
        if val:
            where.append(f"{col} = ?")
            params.append(val)
    if department:
        where.append("EXISTS (SELECT 1 FROM json_each(t.departments) dep"
                     " WHERE dep.value LIKE ? ESCAPE '\\')")
        params.append(like_pattern(department))
    if date_from:
        where.append("COALESCE(d.end_date, t.period_end, doc.period_end) >= ?")
        params.append(date_from)
    if date_to:
        where.append("COALESCE(d.start_date, t.period_start, doc.period_start) <= ?")
        params.append(date_to)
    if failed_checks:
        where.append("EXISTS (SELECT 1 FROM check_quantities cq JOIN checks c ON c.id = cq.check_id"
                     " WHERE cq.quantity_id = q.id AND c.ok = 0)")
    return where, params


def _where(terms: Sequence[str]) -> str:
    return (" WHERE " + " AND ".join(terms)) if terms else ""


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around several SELECTs, so a writer committing between them
    (moving rows from the queue into an index) cannot make a row appear twice or not at
    all; inside a caller's own transaction, that transaction is the snapshot."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def search_row(r: dict[str, Any]) -> dict[str, Any]:
    """Add progress, departments as a list and the mention's offsets within its sentence."""
    r["departments"] = json.loads(r["departments"]) if r.get("departments") else []
    r["failed_check"] = bool(r["failed_check"])
    r["unit_inferred"] = bool(r["unit_inferred"])
    r["progress"] = progress(r.get("value"), r.get("unit"), r.get("target_value"), r.get("target_unit"))
    s0 = r.get("sentence_start") or 0
    r["mention_start"] = r["start"] - s0
    r["mention_end"] = r["end"] - s0
    return r


def progress(value: float | None, unit: str | None, target: float | None,
             target_unit: str | None) -> float | None:
    """Actual against target in %, when both are known in the same unit.

    >>> progress(1.98, "亩", 2.4, "亩")
    82.5
    >>> progress(5, "亩", 10, "吨") is None
    True
    """
    if value is None or not target or unit != target_unit:
        return None
    return round(value / target * 100, 2)


def summary(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts over the whole store: documents, tasks, quantities by role, checks, errors."""
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    roles = {(r[0] or "none"): r[1] for r in
             conn.execute("SELECT role, COUNT(*) FROM quantities GROUP BY role ORDER BY 2 DESC")}
    return {
        "documents": one("SELECT COUNT(*) FROM documents"),
        "characters": one("SELECT COALESCE(SUM(chars), 0) FROM documents"),
        "tasks": one("SELECT COUNT(*) FROM tasks"),
        "quantities": one("SELECT COUNT(*) FROM quantities"),
        "quantities_by_role": roles,
        "dates": one("SELECT COUNT(*) FROM dates"),
        "checks": one("SELECT COUNT(*) FROM checks"),
        "failed_checks": one("SELECT COUNT(*) FROM checks WHERE ok = 0"),
        "errors": one("SELECT COUNT(*) FROM errors"),
    }


EXPORT_SQL = """
SELECT doc.source, doc.doc_id, doc.format, doc.period_start AS doc_period_start,
       doc.period_end AS doc_period_end, doc.content_hash, doc.extracted_at,
       q.qid AS id, q.task_tid AS task, t.seq AS task_seq, t.title AS task_title,
       t.departments AS task_departments, t.period_start AS task_period_start,
       t.period_end AS task_period_end,
       q.span_start AS start, q.span_end AS "end", q.text, q.value, q.low, q.high, q.unit,
       q.written_unit, q.unit_inferred, q.kind, q.qualifier, q.role, q.indicator,
       q.indicator_key, tq.qid AS target, oq.qid AS "of",
       cq.qid AS change_of, d.did AS date, q.confidence, q.extractor,
       q.role_source, q.table_column AS "column",
       tq.value AS target_value, tq.unit AS target_unit,
       d.text AS date_text, d.start_date AS date_start, d.end_date AS date_end,
       d.grain AS date_grain,
       q.sentence, q.sentence_start, q.sentence_end,
       q.period_start, q.period_end, doc.region
FROM quantities q
JOIN documents doc ON doc.id = q.document_id
LEFT JOIN tasks t ON t.id = q.task_id""" + TARGET_JOIN + OF_JOIN + CHANGE_OF_JOIN + DATE_JOIN + """
ORDER BY doc.source, q.span_start, q.qid
"""


def export_frame(conn: sqlite3.Connection) -> Any:
    """One pandas DataFrame: every quantity with its document, task, target and date."""
    import pandas as pd  # pandas and pyarrow: only to export
    df = pd.read_sql_query(EXPORT_SQL, conn)
    df["unit_inferred"] = df["unit_inferred"].astype(bool)
    return df


def export(conn: sqlite3.Connection, out: str | Path, fmt: str) -> int:
    """Write :func:`export_frame` to ``out`` as parquet or csv; returns the row count."""
    df = export_frame(conn)
    if fmt == "parquet":
        df.to_parquet(out, index=False)
    elif fmt == "csv":
        df.to_csv(out, index=False, encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}; use parquet or csv")
    return len(df)


#: One document's quantities with the ids of what they link to (the web view's document).
DOCUMENT_QUANTITIES_SQL = """
SELECT q.*, tq.qid AS target_qid, oq.qid AS of_qid, cq.qid AS change_of_qid, d.did AS date_did
FROM quantities q""" + TARGET_JOIN + OF_JOIN + CHANGE_OF_JOIN + DATE_JOIN + """
WHERE q.document_id = ?
ORDER BY q.span_start, q.id
"""


SERIES_SQL = """
SELECT doc.source, doc.region,
       COALESCE(q.period_start, d.start_date, t.period_start, doc.period_start) AS date_start,
       COALESCE(q.period_end, d.end_date, t.period_end, doc.period_end) AS date_end,
       q.indicator, q.indicator_key, q.role, q.text, q.value, q.low, q.high, q.unit,
       tq.value AS target_value, tq.unit AS target_unit, q.sentence
FROM quantities q
JOIN documents doc ON doc.id = q.document_id
LEFT JOIN tasks t ON t.id = q.task_id""" + TARGET_JOIN + DATE_JOIN + """
WHERE q.indicator_key = ? OR (q.indicator_key IS NULL AND q.indicator = ?)
ORDER BY date_end IS NULL, date_end, date_start, doc.source, q.span_start
"""


def series(conn: sqlite3.Connection, indicator_key: str) -> list[dict[str, Any]]:
    """Every value of one indicator across documents and periods, oldest first, with the
    region whose figure it is.  A value whose period spans several years (a five-year
    total) is left out when the series has single-year values: it is no year's point."""
    rows = [dict(r) for r in conn.execute(SERIES_SQL, (indicator_key, indicator_key))]

    def years(r: dict[str, Any]) -> int:
        s, e = r.get("date_start") or "", r.get("date_end") or ""
        return int(e[:4]) - int(s[:4]) + 1 if s[:4].isdigit() and e[:4].isdigit() else 1
    if any(years(r) == 1 for r in rows):
        rows = [r for r in rows if years(r) == 1]
    return in_one_unit(rows)


def in_one_unit(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Values of one kind in the series' most common unit (公顷 as 亩, 斤 as 吨), each
    converted row saying so in ``converted_from``.

    >>> [(r["value"], r["unit"], r["converted_from"]) for r in in_one_unit([
    ...     {"value": 30000.0, "unit": "亩", "target_value": None, "target_unit": None},
    ...     {"value": 30000.0, "unit": "亩", "target_value": None, "target_unit": None},
    ...     {"value": 1000.0, "unit": "公顷", "target_value": None, "target_unit": None}])]
    [(30000.0, '亩', None), (30000.0, '亩', None), (15000.0, '亩', '公顷')]
    """
    table = conversions()
    common = Counter(r["unit"] for r in rows if r.get("unit")).most_common(1)
    unit = common[0][0] if common else None
    out = []
    for r in rows:
        r = dict(r, converted_from=None)
        factor = table.get((r.get("unit"), unit))
        if factor is not None:
            for k in ("value", "low", "high"):
                if r.get(k) is not None:
                    r[k] = float(f"{r[k] * factor:.12g}")
            r["converted_from"], r["unit"] = r["unit"], unit
        tfactor = table.get((r.get("target_unit"), unit))
        if tfactor is not None and r.get("target_value") is not None:
            r["target_value"] = float(f"{r['target_value'] * tfactor:.12g}")
            r["target_unit"] = unit
        out.append(r)
    return out


#: Columns whose values differ between two runs over the same inputs (row ids, foreign
#: keys to them, timestamps): left out when two stores' content is compared.
RUN_COLUMNS = ("id", "document_id", "task_id", "extracted_at", "at", "quantity_id",
               "to_quantity_id", "to_date_id", "check_id")


def fetch_table(conn: sqlite3.Connection, table: str, exclude: Sequence[str] = ()) -> list[tuple]:
    """All rows of ``table`` (a known table name) as tuples, sorted; for comparisons in tests
    (``exclude=RUN_COLUMNS`` compares content only)."""
    known = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if table not in known:
        raise ValueError(f"no table {table!r}")
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in exclude]
    col_sql = ", ".join(f'"{c}"' for c in cols)
    return sorted((tuple(r) for r in conn.execute(f"SELECT {col_sql} FROM {table}")), key=repr)
