"""What every ``zhibiao`` subcommand shares: option validators that answer in one
readable sentence, the check of an output path, and the parser whose errors are one
line.

A mistake of the user's raises :class:`CliError` (or an ``argparse`` error); ``main``
prints it as ``zhibiao: <sentence>`` and exits non-zero, never with a traceback.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn


class CliError(Exception):
    """A mistake in the command (a path, a value): its message is one sentence that
    says what to do; the command exits with status 1."""


class Parser(argparse.ArgumentParser):
    """argparse with errors on one line: ``zhibiao batch: argument --workers: abc is
    not a whole number; see `zhibiao batch --help`.``"""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}; see `{self.prog} --help`\n")


def whole_number(s: str) -> int:
    try:
        return int(s.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r} is not a whole number") from None


def positive_int(s: str) -> int:
    """An option that counts something: 1 or more.

    >>> positive_int("4")
    4
    >>> positive_int("abc")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 'abc' is not a whole number
    """
    v = whole_number(s)
    if v < 1:
        raise argparse.ArgumentTypeError(f"{s} is not a positive whole number (1 or more)")
    return v


def non_negative_float(s: str) -> float:
    """Seconds and the like: 0 or more (0 often means "no limit").

    >>> non_negative_float("2.5")
    2.5
    >>> non_negative_float("-1")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: -1 is negative; give 0 (no limit) or a positive number of seconds
    """
    try:
        v = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s!r} is not a number") from None
    if v != v or v in (float("inf"),):
        raise argparse.ArgumentTypeError(f"{s} is not a finite number")
    if v < 0:
        raise argparse.ArgumentTypeError(f"{s} is negative; give 0 (no limit) or a positive "
                                         "number of seconds")
    return v


def port(s: str) -> int:
    v = whole_number(s)
    if not 1 <= v <= 65535:
        raise argparse.ArgumentTypeError(f"{s} is not a TCP port (1 to 65535)")
    return v


def iso_day(s: str) -> str:
    """A day written as ISO 8601, YYYY-MM-DD (for --reference-date).

    >>> iso_day("2024-06-30")
    '2024-06-30'
    >>> iso_day("2024/06/30")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 2024/06/30 is not a date like 2024-06-30 (YYYY-MM-DD)
    """
    try:
        return dt.date.fromisoformat(s.strip()).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{s} is not a date like 2024-06-30 (YYYY-MM-DD)") from None


def iso_prefix(s: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD; kept as a prefix-comparable ISO string (--from, --to).

    >>> iso_prefix("2024-06"), iso_prefix("2024")
    ('2024-06', '2024')
    """
    for fmt, n in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            dt.datetime.strptime(s, fmt)
            return s[:n]
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{s} is not a date like 2024-06-30, 2024-06 or 2024")


def writable_path(out: str | Path, what: str = "the output") -> Path:
    """``out`` if a file can be created there: its folder exists and is a folder, and
    ``out`` is not itself a folder; else :class:`CliError` saying what to do."""
    p = Path(out)
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise CliError(f"{out} is a folder; give a file name for {what}, e.g. {p / 'out'}")
    if not parent.exists():
        raise CliError(f"cannot write {what} to {out}: the folder {parent} does not exist; "
                       f"create it first (mkdir -p {parent})")
    if not parent.is_dir():
        raise CliError(f"cannot write {what} to {out}: {parent} is a file, not a folder")
    return p


def write_text(out: str | None, text: str, bom: bool = False) -> None:
    """``text`` to the file ``out`` (UTF-8, with a BOM for Excel when asked) or stdout."""
    if out:
        writable_path(out).write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    else:
        if bom:
            sys.stdout.write("\ufeff")
        sys.stdout.write(text)
