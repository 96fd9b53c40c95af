"""Every corpus document's extraction as JSON files, to diff two versions of the code.

    python benchmarks/extraction_dump.py OUT_DIR
    (cd OLD_TREE && PYTHONPATH=. python /path/to/extraction_dump.py OLD_OUT)
    diff -r OLD_OUT OUT_DIR && echo identical

Writes, for the pattern and combined extractors, one file per gold document (all of
corpus/gold, standoff ones read from ../shared) and per government work report
(../shared/corpus/gwr), and one per file in samples/ read with ``process_path``.  The
JSON has sorted keys, so equal extractions give byte-identical files.
"""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pipeline


def _evaluate():
    """The scoring module of this tree (pipeline.learn.evaluate; before the layers of
    issue 14, pipeline.evaluate), so that older commits can be dumped too."""
    try:
        return importlib.import_module("pipeline.learn.evaluate")
    except ModuleNotFoundError:
        return importlib.import_module("pipeline.evaluate")


def _write(path: Path, result: dict) -> None:
    path.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    ev = _evaluate()
    docs, skipped = ev.load_docs(split="all")
    gwr = Path("../shared/corpus/gwr/government_work_reports.jsonl")
    reports = [json.loads(line) for line in gwr.open(encoding="utf-8")] if gwr.exists() else []
    for extractors in ("pattern", "combined"):
        for d in docs:
            _write(out / f"{d['doc_id']}.{extractors}.json", ev.predict(d, extractors))
        for i, r in enumerate(reports):
            _write(out / f"gwr{i}.{extractors}.json",
                   pipeline.extract(r["content"], extractors=extractors, doc_id=f"gwr{i}"))
    for f in sorted(Path("samples").iterdir()):
        _write(out / f"sample-{f.name}.json", pipeline.process_path(f))
    n = len(list(out.iterdir()))
    print(f"{n} files in {out} ({len(docs)} gold documents, {len(reports)} reports, "
          f"skipped {skipped or 'none'})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    raise SystemExit(main(Path(sys.argv[1])))
