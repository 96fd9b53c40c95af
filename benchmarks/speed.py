"""Speed: extraction throughput, length scaling, memory, a profile, batch throughput.

    python benchmarks/speed.py                    # everything (~10 minutes on 2 cores)
    python benchmarks/speed.py --only extract     # extraction + scaling + profile
    python benchmarks/speed.py --only batch --docs 2000
    python benchmarks/speed.py --only batch --docs 10000 --runs 3   # the README's table
    python benchmarks/speed.py --against REV --rounds 3   # this tree beside commit REV

Writes ``benchmarks/speed.json`` and prints markdown tables.

* against: the same extraction (and batch) measurement run on this tree and on a git
  worktree of ``REV``, each in its own process, the two alternating ``--rounds`` times in
  one run; the best of each is compared (``compare`` in speed.json).

* extraction: ``pipeline.core.api.extract`` over the gwr reports
  (../shared/corpus/gwr/government_work_reports.jsonl, field ``content``), one process,
  one core; best of 3 passes (``--repeats``) for "pattern" and "combined"; characters
  per second.
* scaling: one report repeated 1x, 10x, 100x; time ratio against 1x (100x must take at
  most 110x the time for linear cost).
* memory: peak traced Python allocation (tracemalloc) of one extraction per length.
* profile: pyinstrument over a pattern pass on the reports; the 10 functions with the
  most self time.
* batch: ``run_batch`` with 1 and 2 workers over the reports (one file each) and over
  ``--docs`` generated progress-report paragraphs; documents/s and characters/s over
  the whole run and in steady state (the second half of the documents, i.e. without
  start-up); store size per 1,000 quantities; peak RSS of parent, workers and the fork
  server the workers are forked from (a worker's peak counts the pages it shares).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
GWR = ROOT.parent / "shared" / "corpus" / "gwr" / "government_work_reports.jsonl"

from reliability import DescendantPeaks, peak_rss_mib  # noqa: E402


def reports() -> list[str]:
    return [json.loads(line)["content"] for line in GWR.open(encoding="utf-8") if line.strip()]


def extraction(texts: list[str], extractors: str, repeats: int) -> dict[str, Any]:
    from pipeline.core.api import extract
    extract(texts[0][:2000], extractors=extractors)  # load jieba / models
    chars = sum(map(len, texts))
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t0 = time.process_time()
        for t in texts:
            extract(t, extractors=extractors)
        best = min(best, time.process_time() - t0)
    return {"extractors": extractors, "documents": len(texts), "chars": chars,
            "cpu_seconds": round(best, 2), "chars_per_s_per_core": round(chars / best)}


def scaling(text: str, extractors: str, factors: tuple[int, ...] = (1, 10, 100)) -> dict[str, Any]:
    from pipeline.core.api import extract
    extract(text, extractors=extractors)
    out = {}
    base = None
    for f in factors:
        doc = (text.rstrip() + "\n") * f
        gc.collect()
        t0 = time.process_time()
        extract(doc, extractors=extractors)
        dt = time.process_time() - t0
        tracemalloc.start()
        if f <= 10:  # tracing slows extraction ~2x; the 100x peak is scaled from 10x
            extract(doc, extractors=extractors)
            peak = tracemalloc.get_traced_memory()[1]
        else:
            peak = None
        tracemalloc.stop()
        base = base or dt
        out[f"{f}x"] = {"chars": len(doc), "seconds": round(dt, 3), "ratio": round(dt / base, 1),
                        "peak_traced_mib": round(peak / 2**20, 1) if peak else None}
    return {"extractors": extractors, **out}


def profile(texts: list[str], extractors: str = "pattern", top: int = 10) -> list[dict[str, Any]]:
    from pyinstrument import Profiler

    from pipeline.core.api import extract
    extract(texts[0][:2000], extractors=extractors)
    prof = Profiler(interval=0.001)
    prof.start()
    for t in texts:
        extract(t, extractors=extractors)
    prof.stop()
    session = prof.last_session
    total = session.duration
    agg: dict[tuple[str, str, int], float] = {}

    def walk(frame: Any) -> None:
        key = (frame.function, frame.file_path_short or "", frame.line_no or 0)
        real = [c for c in frame.children if not c.is_synthetic]
        # pyinstrument keeps a frame's own time in synthetic "[self]" children
        own = frame.time - sum(c.time for c in real)
        agg[key] = agg.get(key, 0.0) + max(0.0, own)
        for child in real:
            walk(child)

    walk(session.root_frame())
    rows = sorted(agg.items(), key=lambda kv: -kv[1])
    out = []
    for (fn, path, line), t in rows:
        if fn in ("[self]", "[await]") or path == "":
            continue
        out.append({"function": fn, "where": f"{path}:{line}", "self_seconds": round(t, 3),
                    "share": round(t / total, 3)})
        if len(out) == top:
            break
    Path(ROOT / "benchmarks" / "profile.txt").write_text(
        prof.output_text(unicode=False, color=False), encoding="utf-8")
    return out


def generated(root: Path, n: int) -> tuple[int, int]:
    from reliability import paragraph
    root.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        text = paragraph(10_000 + i, sentences=3 + i % 5)
        sub = root / f"{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"p{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return n, chars


def gwr_files(root: Path) -> tuple[int, int]:
    root.mkdir(parents=True, exist_ok=True)
    texts = reports()
    for i, t in enumerate(texts):
        (root / f"gwr{i:03d}.txt").write_text(t, encoding="utf-8")
    return len(texts), sum(map(len, texts))


def _tree_env(tree: Path) -> dict[str, str]:
    """The environment that imports ``pipeline`` from ``tree`` (ahead of the installed one)."""
    return {**os.environ, "PYTHONPATH": str(tree)}


def batch_run(inputs: Path, workers: int, extractors: str, tree: Path = ROOT) -> dict[str, Any]:
    """One batch in a fresh process (clean RSS numbers), with the code of ``tree``; see
    _batch_main."""
    with tempfile.TemporaryDirectory(prefix="zhibiao-speed-") as d:
        db = Path(d) / "b.db"
        cmd = [sys.executable, str(tree / "benchmarks" / "speed.py"), "--run-batch", str(inputs),
               str(db), "--workers", str(workers), "--extractors", extractors]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=tree, check=False,
                             env=_tree_env(tree))
        if out.returncode:
            raise RuntimeError(out.stderr[-3000:])
        return json.loads(out.stdout.strip().splitlines()[-1])


#: one extraction measurement in a process of its own: ``pipeline.extract`` (the public
#: entry, the same in every version) over the reports, best CPU time of ``repeats`` passes
EXTRACT_ONE = """
import gc, json, sys, time
import pipeline
texts = [json.loads(line)["content"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
extractors, repeats = sys.argv[2], int(sys.argv[3])
pipeline.extract(texts[0][:2000], extractors=extractors)
best = float("inf")
for _ in range(repeats):
    gc.collect()
    t0 = time.process_time()
    for t in texts:
        pipeline.extract(t, extractors=extractors)
    best = min(best, time.process_time() - t0)
print(json.dumps({"chars": sum(map(len, texts)), "seconds": best}))
"""


def extraction_in(tree: Path, extractors: str, repeats: int) -> float:
    """Characters per second of the extraction with the code of ``tree``."""
    out = subprocess.run([sys.executable, "-c", EXTRACT_ONE, str(GWR), extractors, str(repeats)],
                         capture_output=True, text=True, cwd=tree, env=_tree_env(tree), check=False)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return r["chars"] / r["seconds"]


def against(rev: str, repeats: int, rounds: int, docs: int) -> dict[str, Any]:
    """This tree beside a worktree of ``rev``, alternating, in one run (see the docstring)."""
    with tempfile.TemporaryDirectory(prefix="zhibiao-against-") as d:
        old = Path(d) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(old), rev], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            trees = {"before": old, "after": ROOT}
            rows = []
            for ex in ("pattern", "combined"):
                got: dict[str, list[float]] = {k: [] for k in trees}
                for _ in range(rounds):
                    for k, tree in trees.items():
                        got[k].append(extraction_in(tree, ex, repeats))
                        print(f"against {ex} {k}: {got[k][-1]:,.0f} chars/s", file=sys.stderr)
                rows.append({"what": f"extraction {ex}", "unit": "chars/s",
                             **{k: round(max(v)) for k, v in got.items()},
                             **{f"{k}_all": [round(x) for x in v] for k, v in got.items()}})
            gen = Path(d) / "gen"
            generated(gen, docs)
            for ex in ("pattern", "combined"):
                for w in (1, 2):
                    got = {k: [] for k in trees}
                    for _ in range(rounds):
                        for k, tree in trees.items():
                            got[k].append(batch_run(gen, w, ex, tree)["chars_per_s"])
                            print(f"against batch {ex} workers={w} {k}: {got[k][-1]:,} chars/s",
                                  file=sys.stderr)
                    rows.append({"what": f"batch {docs} generated, {ex}, {w} workers", "unit": "chars/s",
                                 **{k: round(max(v)) for k, v in got.items()},
                                 **{f"{k}_all": v for k, v in got.items()}})
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False,
                           capture_output=True)
    for r in rows:
        r["ratio"] = round(r["after"] / r["before"], 3)
    return {"rev": rev, "rounds": rounds, "repeats": repeats, "rows": rows}


def _batch_main(args: argparse.Namespace) -> int:
    import functools
    import sqlite3

    from pipeline.apps import batch
    inputs, db = args.run_batch
    events: list[tuple[float, int]] = []  # (time, characters) per stored document

    def on_event(source: str, status: str, chars: int) -> None:
        if status == "stored":
            events.append((time.perf_counter(), chars))

    func = functools.partial(batch.extract_job, extractors=args.extractors)
    t0 = time.perf_counter()
    with DescendantPeaks() as peaks:
        stats = batch.run_batch([inputs], db, workers=args.workers, func=func,
                                on_event=on_event, timeout=None)
    total = time.perf_counter() - t0
    conn = sqlite3.connect(db)
    quantities = conn.execute("SELECT COUNT(*) FROM quantities").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    size = os.path.getsize(db)
    # steady state: the second half of the documents, timed from the moment the first
    # half was stored to the last store (no start-up, no warm-up, whole commit groups)
    half = len(events) // 2
    steady = events[-1][0] - events[half - 1][0] if half else 0.0
    steady_docs = len(events) - half
    steady_chars = sum(c for _, c in events[half:])
    docs = stats.stored + stats.failed
    print(json.dumps({
        "workers": args.workers, "extractors": args.extractors, "documents": docs,
        "stored": stats.stored, "failed": stats.failed, "chars": stats.chars,
        "seconds": round(total, 2), "docs_per_s": round(docs / total, 1),
        "chars_per_s": round(stats.chars / total),
        "steady_seconds": round(steady, 2),
        "steady_docs_per_s": round(steady_docs / steady, 1) if steady else None,
        "steady_chars_per_s": round(steady_chars / steady) if steady else None,
        "quantities": quantities, "store_bytes": size,
        "store_kib_per_1000_quantities": round(size / 1024 / max(1, quantities) * 1000, 1),
        "parent_maxrss_mib": peak_rss_mib(),
        "worker_maxrss_mib": peaks.mib("worker"),
        "forkserver_maxrss_mib": peaks.mib("server"),
    }))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=("extract", "batch"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--batch-extractors", default="pattern,combined")
    ap.add_argument("--runs", type=int, default=1,
                    help="batch runs per configuration (1 and 2 workers alternate); the median is reported")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "speed.json"))
    ap.add_argument("--against", metavar="REV",
                    help="measure this tree beside a git worktree of REV, alternating, in one run")
    ap.add_argument("--rounds", type=int, default=3, help="alternations for --against")
    ap.add_argument("--run-batch", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--extractors", default="combined", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run_batch:
        return _batch_main(args)
    out: dict[str, Any] = {}
    if Path(args.out).exists():
        out = json.loads(Path(args.out).read_text(encoding="utf-8"))
    out["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    if args.against:
        out["against"] = against(args.against, args.repeats, args.rounds, args.docs)
        _save(args.out, out)
        print(against_markdown(out["against"]))
        return 0
    if args.only in (None, "extract"):
        texts = reports()
        out["extraction"] = [extraction(texts, ex, args.repeats) for ex in ("pattern", "combined")]
        one = sorted(texts, key=len)[len(texts) // 2]  # the report of median length
        out["scaling"] = [scaling(one, "pattern")]
        _save(args.out, out)
        try:
            out["profile_pattern"] = profile(texts, "pattern")
        except ModuleNotFoundError as err:
            print(f"speed: profile skipped ({err}); pip install -e \".[bench]\" to run it",
                  file=sys.stderr)
        _save(args.out, out)
    if args.only in (None, "batch"):
        with tempfile.TemporaryDirectory(prefix="zhibiao-speed-in-") as d:
            gdir, pdir = Path(d) / "gwr", Path(d) / "gen"
            gwr_files(gdir)
            generated(pdir, args.docs)
            runs = []
            for ex in args.batch_extractors.split(","):
                for name, inputs in (("gwr", gdir), (f"generated_{args.docs}", pdir)):
                    # 1 and 2 workers alternate, --runs times; the median run of each is
                    # kept (by chars/s), since this machine's load moves single runs ±10%
                    tries: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
                    for _ in range(args.runs):
                        for w in (1, 2):
                            r = batch_run(inputs, w, ex)
                            tries[w].append(r)
                            print(f"batch {name} {ex} workers={w}: {r['docs_per_s']} docs/s "
                                  f"(steady {r['steady_docs_per_s']})", file=sys.stderr)
                    for w in (1, 2):
                        ranked = sorted(tries[w], key=lambda r: r["chars_per_s"])
                        runs.append({"corpus": name, **ranked[len(ranked) // 2], "runs": len(ranked),
                                     "chars_per_s_all": [r["chars_per_s"] for r in tries[w]],
                                     "steady_chars_per_s_all": [r["steady_chars_per_s"] for r in tries[w]]})
            out["batch"] = runs
        _save(args.out, out)
    print(markdown(out))
    return 0


def against_markdown(a: dict[str, Any]) -> str:
    lines = [f"| measure (best of {a['rounds']} alternating rounds) | {a['rev'][:7]} | this tree | ratio |",
             "|---|---:|---:|---:|"]
    lines += [f"| {r['what']} ({r['unit']}) | {r['before']:,} | {r['after']:,} | {r['ratio']:.3f} |"
              for r in a["rows"]]
    return "\n".join(lines)


def _save(path: str, out: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def markdown(out: dict[str, Any]) -> str:
    lines: list[str] = []
    if "extraction" in out:
        lines += ["| extraction (gwr reports, 1 core, best of 3) | characters | CPU s | characters/s |",
                  "|---|---|---|---|"]
        for e in out["extraction"]:
            lines.append(f"| {e['extractors']} | {e['chars']:,} | {e['cpu_seconds']} | "
                         f"{e['chars_per_s_per_core']:,} |")
        lines.append("")
    for s in out.get("scaling", []):
        lines += [f"| length ({s['extractors']}) | characters | seconds | time ratio | peak traced MiB |",
                  "|---|---|---|---|---|"]
        for k in ("1x", "10x", "100x"):
            if k in s:
                v = s[k]
                lines.append(f"| {k} | {v['chars']:,} | {v['seconds']} | {v['ratio']} | "
                             f"{v['peak_traced_mib'] if v['peak_traced_mib'] is not None else '-'} |")
        lines.append("")
    if out.get("profile_pattern"):
        lines += ["| hot spot (pattern, self time) | where | share |", "|---|---|---|"]
        for p in out["profile_pattern"]:
            lines.append(f"| {p['function']} | {p['where']} | {p['share'] * 100:.1f}% |")
        lines.append("")
    if out.get("batch"):
        lines += ["| batch | extractors | workers | docs | docs/s | chars/s | 2 vs 1 | "
                  "steady chars/s | 2 vs 1 (steady) | store KiB / 1,000 quantities | "
                  "peak RSS parent / worker / fork server MiB |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        one = {(r["corpus"], r["extractors"]): r for r in out["batch"] if r["workers"] == 1}

        def ratio(r: dict[str, Any], key: str) -> str:
            base = one.get((r["corpus"], r["extractors"]))
            if r["workers"] == 1 or not base or not base.get(key):
                return ""
            return f"{r[key] / base[key]:.2f}x"

        for r in out["batch"]:
            lines.append(f"| {r['corpus']} | {r['extractors']} | {r['workers']} | {r['documents']:,} | "
                         f"{r['docs_per_s']} | {r['chars_per_s']:,} | {ratio(r, 'chars_per_s')} | "
                         f"{r['steady_chars_per_s']:,} | {ratio(r, 'steady_chars_per_s')} | "
                         f"{r['store_kib_per_1000_quantities']} | {r['parent_maxrss_mib']} / "
                         + (f"{r['worker_maxrss_mib']} / {r.get('forkserver_maxrss_mib', '-')} |"
                            if r["workers"] > 1 else "- / - |"))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
