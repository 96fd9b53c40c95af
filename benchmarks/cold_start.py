"""Cold start: ``zhibiao extract`` on the seed as a fresh process, against Python with
jieba's dictionary loaded (issue 15: within 1.5x).

    python benchmarks/cold_start.py [--runs 7] [--json benchmarks/cold_start.json]

Each round runs, one after the other, ``python -c "import jieba; jieba.initialize()"``
and ``zhibiao extract samples/seed_2024q2.txt`` (default extractors, output to
/dev/null), so both see the same load on the machine; the figures are the medians of
the rounds, wall-clock of the whole process, with its peak RSS.  One warm-up round
first fills the caches both use (jieba's /tmp/jieba.cache, the page cache).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "seed_2024q2.txt"
TEAM05 = ROOT / "corpus" / "docs" / "team05.txt"
BASELINE = [sys.executable, "-c", "import jieba; jieba.initialize()"]


def zhibiao_command(*args: str) -> list[str]:
    """The installed console script, as a user runs it (else ``python -m pipeline.apps.cli``)."""
    exe = shutil.which("zhibiao")
    return [exe, *args] if exe else [sys.executable, "-m", "pipeline.apps.cli", *args]


def timed(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one run of ``cmd``; raises if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()}")
    return seconds, usage.ru_maxrss / 1024


BREAKDOWN = r"""
import cProfile, io, json, pstats, sys, time
t0 = time.perf_counter()
prof = cProfile.Profile()
prof.enable()
from pipeline.apps.cli import main
main(["extract", sys.argv[1], "--out", "/dev/null"])
prof.disable()
total = time.perf_counter() - t0
stats = pstats.Stats(prof)
phases = {
    "jieba dictionary (words.tokenizer)": ("words.py", "tokenizer"),
    "mention model load (fastner.load)": ("fastner.py", "load"),
    "mention model run (FastMentions.spans, less the jieba load)": ("model.py", "spans"),
    "table output (display.render_table)": ("display.py", "render_table"),
}
out = {"in-process total": total}
for name, (file, func) in phases.items():
    out[name] = sum(v[3] for k, v in stats.stats.items() if k[0].endswith(file) and k[2] == func)
print(json.dumps(out))
"""


def breakdown() -> dict[str, float]:
    """Seconds of the main phases of one ``zhibiao extract`` (cProfile cumulative times;
    the jieba load happens inside the first phase that needs it)."""
    done = subprocess.run([sys.executable, "-c", BREAKDOWN, str(SEED)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"breakdown failed: {done.stderr.strip()[-500:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    spans = "mention model run (FastMentions.spans, less the jieba load)"
    if out[spans] >= out["jieba dictionary (words.tokenizer)"]:
        out[spans] -= out["jieba dictionary (words.tokenizer)"]
    return {k: round(v, 3) for k, v in out.items()}


def measure(runs: int) -> dict:
    commands = {
        "python + jieba.initialize()": BASELINE,
        "zhibiao extract seed (combined)": zhibiao_command("extract", str(SEED)),
        "zhibiao extract seed --format json": zhibiao_command("extract", str(SEED), "--format", "json"),
        # a document where the role classifier runs (its numpy copy, cached by the warm-up)
        "zhibiao extract corpus/docs/team05.txt": zhibiao_command("extract", str(TEAM05)),
        "zhibiao --help": zhibiao_command("--help"),
    }
    for cmd in commands.values():  # warm-up: caches, not counted
        timed(cmd)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(timed(cmd))
    rows = {name: {"median_s": round(statistics.median(s for s, _ in v), 3),
                   "min_s": round(min(s for s, _ in v), 3),
                   "max_s": round(max(s for s, _ in v), 3),
                   "peak_rss_mib": round(max(m for _, m in v), 1)}
            for name, v in samples.items()}
    base = rows["python + jieba.initialize()"]["median_s"]
    for row in rows.values():
        row["ratio_to_jieba"] = round(row["median_s"] / base, 2)
    return {"runs": runs, "cpus": os.cpu_count(), "load_average": os.getloadavg(),
            "python": sys.version.split()[0], "commands": rows, "breakdown_s": breakdown()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7, help="rounds (default 7)")
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "cold_start.json"))
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    result = measure(args.runs)
    Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"{'command':<42} {'median s':>9} {'min':>7} {'max':>7} {'× jieba':>8} {'peak MiB':>9}")
    for name, r in result["commands"].items():
        print(f"{name:<42} {r['median_s']:>9.3f} {r['min_s']:>7.3f} {r['max_s']:>7.3f} "
              f"{r['ratio_to_jieba']:>8.2f} {r['peak_rss_mib']:>9.1f}")
    print("one run, in process (cProfile):")
    for name, secs in result["breakdown_s"].items():
        print(f"  {name:<62} {secs:>7.3f} s")
    print(f"{args.runs} rounds, load average at the end {result['load_average'][0]:.2f} "
          f"on {result['cpus']} CPUs; written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
