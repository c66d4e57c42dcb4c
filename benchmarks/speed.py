"""Start-up, throughput and memory, each against a baseline measured in the
same run.

    python benchmarks/speed.py [--repeats 7]

Prints, as medians over the repeats:
  cold   `plancli targets data/raw/jiaxing-2024-plan.txt --format jsonl` in a
         new process, against a new process running
         `import jieba; jieba.initialize()` (goal: ratio <= 0.5);
  warm   parse_text over the 52 national work reports in
         tests/data/gov-work-reports/, against jieba.lcut over the same texts
         with jieba's own dictionary already loaded (goal: ratio <= 1.0), and
         characters per second;
  memory peak resident memory of the cold command (goal: <= 120 MB).
Not part of the test run."""
import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "data" / "raw" / "jiaxing-2024-plan.txt"
REPORTS = sorted((ROOT / "tests" / "data" / "gov-work-reports").glob("*.txt"))
PLANCLI = [sys.executable, "-m", "plancli", "targets", str(NOTICE), "--format", "jsonl"]
JIEBA = [sys.executable, "-c", "import jieba; jieba.setLogLevel(60); jieba.initialize()"]


def wall(cmd) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def peak_mb(cmd) -> float:
    """Peak resident memory of cmd, read in a fresh process that runs only it."""
    probe = ("import resource, subprocess, sys; "
             f"subprocess.run({cmd!r}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return int(out.stdout) / 1024  # ru_maxrss is in KiB on Linux


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=7)
    n = ap.parse_args().repeats

    wall(PLANCLI), wall(JIEBA)  # both caches written, the files in the page cache
    cold_plancli, cold_jieba = [], []
    for _ in range(n):  # interleaved, so a busy moment hits both
        cold_plancli.append(wall(PLANCLI))
        cold_jieba.append(wall(JIEBA))
    c_p, c_j = statistics.median(cold_plancli), statistics.median(cold_jieba)

    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    from plancli import parse_text
    texts = [p.read_bytes().decode("utf-8-sig") for p in REPORTS]
    parse_text(texts[-1])  # lexicon and segmenter loaded before timing
    chars = sum(map(len, texts))
    warm_plancli, warm_jieba = [], []
    for _ in range(max(3, n // 2)):
        t0 = time.perf_counter()
        for t in texts:
            parse_text(t)
        warm_plancli.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            jieba.lcut(t)
        warm_jieba.append(time.perf_counter() - t0)
    w_p, w_j = statistics.median(warm_plancli), statistics.median(warm_jieba)

    mem_plancli, mem_jieba = peak_mb(PLANCLI), peak_mb(JIEBA)

    print(f"cold   plancli targets (notice)      {c_p:7.3f} s   jieba.initialize() {c_j:7.3f} s   ratio {c_p / c_j:5.2f}  (goal <= 0.5)")
    print(f"warm   parse_text, {len(texts)} reports       {w_p:7.3f} s   jieba.lcut         {w_j:7.3f} s   ratio {w_p / w_j:5.2f}  (goal <= 1.0)")
    print(f"       {chars:,} characters: {chars / w_p:,.0f} chars/s parsed, {chars / w_j:,.0f} chars/s segmented by jieba")
    print(f"memory plancli targets peak RSS      {mem_plancli:7.1f} MB  jieba.initialize() {mem_jieba:7.1f} MB          (goal <= 120 MB)")


if __name__ == "__main__":
    main()
