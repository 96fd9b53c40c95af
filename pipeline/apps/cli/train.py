"""``zhibiao train``: rebuild models/ from corpus/, saying on stderr what it is doing."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipeline.apps.cli.common import CliError, positive_int


class StepPrinter:
    """The progress of a long command on stderr: each step with the time since the
    start (a live line on a terminal, one line per step otherwise, e.g. in a log)."""

    def __init__(self, what: str, stream=None):
        self.what = what
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.live = self.stream.isatty()

    def __call__(self, step: str) -> None:
        line = f"zhibiao {self.what}: {step} ({time.monotonic() - self.start:.0f} s)"
        if self.live:
            self.stream.write("\r\x1b[2K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        self("done")
        if self.live:
            self.stream.write("\n")


def cmd_train(args: argparse.Namespace) -> int:
    from pipeline.learn.train import train_all  # spaCy and scikit-learn: only to train
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise CliError(f"--out {out} is a file; give a folder for the models")
    if args.shared and not Path(args.shared).is_dir():
        raise CliError(f"--shared {args.shared} is not a folder; give the path of ../shared")
    progress = StepPrinter("train")
    progress("reading the corpus")
    info = train_all(out, shared_root=args.shared, epochs=args.epochs, progress=progress)
    progress.done()
    print(json.dumps(info["metrics"], ensure_ascii=False, indent=1))
    print(f"models written; card: {(out if out else Path('models')) / 'MODEL_CARD.md'}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("train", help="rebuild the trained models in models/ from corpus/")
    p.add_argument("--out", metavar="DIR", help="write the models here (default: models/)")
    p.add_argument("--shared", metavar="DIR", help="where ../shared is (for standoff gold)")
    p.add_argument("--epochs", type=positive_int, default=25)
    p.set_defaults(func=cmd_train)
