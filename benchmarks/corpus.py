"""Corpus mode throughput: files per second with 1 and 2 workers, and what
the Dask engine costs over the process pool, on the 52 national work reports.

    python benchmarks/corpus.py [--repeats 3] [--copies 1]

Each run is a fresh `plancli batch` process writing a new DuckDB file. Wall
time includes the interpreter's start-up (about 0.3 s, the same with any
number of workers); in-run time is what the run reports on its summary line:
reading, parsing and writing.
--copies N runs over N copies of the reports (a larger corpus). Goal: 2
workers at least 1.7 times faster than 1. Not part of the test run."""
import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "data" / "gov-work-reports"


def timed(args, out: Path) -> tuple[float, float]:
    """(wall seconds, seconds the run reports: parsing and writing, without
    the interpreter's start-up)."""
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "plancli", "batch", *args, "-o", str(out), "--quiet"],
                          check=True, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    in_run = float(re.search(r" in ([0-9.]+) s", done.stderr).group(1))
    return wall, in_run


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask comparison")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus"
        for k in range(args.copies):
            shutil.copytree(REPORTS, corpus / f"copy{k}")
        files = len(list(corpus.rglob("*.txt")))
        out = tmp / "out.duckdb"
        timed([str(corpus), "--workers", "1"], out)  # caches warm
        runs = {"1 worker": ["--workers", "1"], "2 workers": ["--workers", "2"]}
        if not args.no_dask:
            runs["dask, 2 workers"] = ["--workers", "2", "--engine", "dask"]
        medians, in_run = {}, {}
        for name, extra in runs.items():
            walls, runs_ = zip(*(timed([str(corpus), *extra], out) for _ in range(args.repeats)))
            medians[name], in_run[name] = statistics.median(walls), statistics.median(runs_)
    print(f"{files} files ({args.copies} x the 52 work reports), median of {args.repeats} runs:")
    print(f"  {'':16s} {'wall':>8s} {'files/s':>8s} {'in-run':>8s} {'files/s':>8s}")
    for name in medians:
        print(f"  {name:16s} {medians[name]:7.2f}s {files / medians[name]:8.1f} "
              f"{in_run[name]:7.2f}s {files / in_run[name]:8.1f}")
    print(f"  2 workers vs 1: {medians['1 worker'] / medians['2 workers']:.2f} times faster wall, "
          f"{in_run['1 worker'] / in_run['2 workers']:.2f} in-run (goal >= 1.7)")
    if "dask, 2 workers" in medians:
        overhead = medians["dask, 2 workers"] - medians["2 workers"]
        print(f"  dask vs process pool, 2 workers: +{overhead:.2f} s "
              f"({medians['dask, 2 workers'] / medians['2 workers']:.2f} times the time)")


if __name__ == "__main__":
    main()
