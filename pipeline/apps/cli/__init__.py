"""The ``zhibiao`` command: thin subcommands over the library's functions, one module
per command group.

    zhibiao extract / targets                      pipeline/apps/cli/extract.py
    zhibiao batch / search / export / series / serve   pipeline/apps/cli/data.py
    zhibiao eval                                   pipeline/apps/cli/eval.py
    zhibiao train                                  pipeline/apps/cli/train.py
    zhibiao annotate                               pipeline/apps/cli/annotate.py
"""
from __future__ import annotations

import argparse
import os
import sys
from types import ModuleType

from pipeline import __version__
from pipeline.apps.cli import extract
from pipeline.apps.cli.common import CliError, Parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``zhibiao`` parser: every command group's subcommands, or for ``extract`` and
    ``targets`` only their own (a fast start)."""
    parser = Parser(
        prog="zhibiao",
        description="Indicators out of Chinese government progress reports.")
    parser.add_argument("--version", action="version", version=f"zhibiao {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in _groups(command):
        group.register(sub)
    return parser


def _groups(command: str | None) -> list[ModuleType]:
    """The command modules ``command`` needs: extract and targets start fast, without the
    other groups (their modules import the store, the batch pool, rich and learning)."""
    if command in ("extract", "targets"):
        return [extract]
    from pipeline.apps.cli import annotate, data, eval, train  # rich, multiprocessing: not for extract
    return [extract, data, eval, train, annotate]


def _command_of(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (its first word that is not an option)."""
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("zhibiao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except CliError as err:
        print(f"zhibiao: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # a file the command could not read or write
        where = f": {err.filename}" if err.filename else ""
        print(f"zhibiao: {err.strerror or err}{where}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: one line, the traceback only when asked for
        if os.environ.get("ZHIBIAO_DEBUG"):
            raise
        print(f"zhibiao: internal error ({type(err).__name__}: {err}); run it again with "
              "ZHIBIAO_DEBUG=1 to see the traceback, and report it", file=sys.stderr)
        return 70

