"""``zhibiao train``: rebuild models/ from corpus/."""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def cmd_train(args: argparse.Namespace) -> int:
    from pipeline.train import train_all
    info = train_all(Path(args.out) if args.out else None, shared_root=args.shared, epochs=args.epochs)
    print(json.dumps(info["metrics"], ensure_ascii=False, indent=1))
    print(f"models written; card: {(Path(args.out) if args.out else Path('models')) / 'MODEL_CARD.md'}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("train", help="rebuild the trained models in models/ from corpus/")
    p.add_argument("--out", metavar="DIR", help="write the models here (default: models/)")
    p.add_argument("--shared", metavar="DIR", help="where ../shared is (for standoff gold)")
    p.add_argument("--epochs", type=int, default=25)
    p.set_defaults(func=cmd_train)
