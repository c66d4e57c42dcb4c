"""Issue 14's goals, each figure against a baseline measured in the same run.

    python benchmarks/speed.py [--repeats 9] [--skip-batch]

cold    `plancli targets data/raw/jiaxing-2024-plan.txt --format jsonl` in a
        new process against a new process running `import jieba;
        jieba.initialize()` (jieba's own dictionary, its cache warm), runs
        interleaved; medians of wall time and of CPU time (user + system,
        which other work on the machine disturbs less). Both packages'
        modules compiled to bytecode, as pip installs them (plancli's source
        tree is compiled first). Goal: <= 0.25.
warm    parse_text (the Python API: parsed and validated into the models)
        over the 52 national work reports and the 10 provincial reports of
        tests/data, against jieba.lcut over the same texts, dictionary
        loaded; the fastest of the repeats of each. Goal: <= 0.35.
memory  peak resident memory of the cold command over the 52 reports
        joined, twice and eight times over (2.2 M and 8.9 M characters): the
        bytes per input character it adds (the slope between the two), and
        the fixed start-up (the notice's peak). Goal: <= 20 bytes/character.
batch   benchmarks/batch_memory.py with one repeat: peak memory of the
        process tree over 620 files against 62 (goal <= 1.20) and 2 workers
        against 1 (goal >= 1.7); --skip-batch leaves it out (it takes minutes).
The load average is printed first: figures taken on a busy machine say so.
Not part of the test run."""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "data" / "raw" / "jiaxing-2024-plan.txt"
REPORTS = sorted((ROOT / "tests" / "data" / "gov-work-reports").glob("*.txt"))
PROVINCIAL = sorted((ROOT / "tests" / "data" / "provincial-2026").glob("*.txt"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def plancli(path: Path) -> list[str]:
    return [sys.executable, "-m", "plancli", "targets", str(path), "--format", "jsonl"]


JIEBA = [sys.executable, "-c", "import jieba; jieba.setLogLevel(60); jieba.initialize()"]


def timed(cmd) -> tuple[float, float]:
    """(wall s, CPU s) of a new process running cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def peak_bytes(cmd) -> int:
    """Peak resident memory of cmd, read in a fresh process that runs only it."""
    probe = ("import resource, subprocess, sys; "
             f"subprocess.run({cmd!r}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, env=ENV)
    return int(out.stdout) * 1024  # ru_maxrss is in KiB on Linux


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def compiled() -> None:
    """plancli's modules compiled to bytecode, as jieba's are: pip compiles a
    package's modules when it installs it (jieba's, and plancli's from a
    wheel), but a source tree run with PYTHONDONTWRITEBYTECODE=1 (set on the
    development machines) would compile every module again at every start,
    which no installed plancli does. compileall writes the __pycache__
    files whatever that variable says."""
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "plancli"), quiet=1)


def cold(repeats: int) -> None:
    compiled()
    timed(plancli(NOTICE)), timed(JIEBA)  # caches written, files in the page cache
    runs = {"plancli": [], "jieba": []}
    for _ in range(repeats):  # interleaved, so a busy moment hits both
        runs["plancli"].append(timed(plancli(NOTICE)))
        runs["jieba"].append(timed(JIEBA))
    wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r[1] for r in v) for k, v in runs.items()}
    ratio_wall, ratio_cpu = wall["plancli"] / wall["jieba"], cpu["plancli"] / cpu["jieba"]
    print(f"cold    plancli targets (notice)  wall {wall['plancli']:.3f} s  cpu {cpu['plancli']:.3f} s   "
          f"jieba.initialize() wall {wall['jieba']:.3f} s  cpu {cpu['jieba']:.3f} s")
    print(f"        ratio wall {ratio_wall:.3f}  cpu {ratio_cpu:.3f}   goal <= 0.25: "
          f"{verdict(max(ratio_wall, ratio_cpu) <= 0.25)}")


def warm(repeats: int) -> None:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    sys.path.insert(0, str(ROOT / "src"))
    from plancli import parse_text

    texts = [p.read_bytes().decode("utf-8-sig") for p in REPORTS + PROVINCIAL]
    parse_text(texts[-1])  # lexicon and word list loaded before timing
    times = {"plancli": [], "jieba": []}
    for _ in range(repeats):
        t0 = time.process_time()
        for t in texts:
            parse_text(t)
        times["plancli"].append(time.process_time() - t0)
        t0 = time.process_time()
        for t in texts:
            jieba.lcut(t)
        times["jieba"].append(time.process_time() - t0)
    best = {k: min(v) for k, v in times.items()}
    chars = sum(map(len, texts))
    ratio = best["plancli"] / best["jieba"]
    print(f"warm    parse_text, {len(texts)} reports {best['plancli']:.3f} s ({chars / best['plancli']:,.0f} chars/s)   "
          f"jieba.lcut {best['jieba']:.3f} s ({chars / best['jieba']:,.0f} chars/s)")
    print(f"        ratio {ratio:.3f} (medians {statistics.median(times['plancli']) / statistics.median(times['jieba']):.3f})"
          f"   goal <= 0.35: {verdict(ratio <= 0.35)}")


def memory() -> None:
    joined = "\n".join(p.read_bytes().decode("utf-8-sig") for p in REPORTS) + "\n"
    fixed = peak_bytes(plancli(NOTICE))
    with tempfile.TemporaryDirectory() as tmp:
        peaks = {}
        for copies in (2, 8):
            path = Path(tmp) / f"joined-{copies}.txt"
            path.write_text(joined * copies, encoding="utf-8")
            peaks[len(joined) * copies] = peak_bytes(plancli(path))
    (small, p_small), (large, p_large) = sorted(peaks.items())
    per_char = (p_large - p_small) / (large - small)
    print(f"memory  peak RSS: notice {fixed / 1e6:.1f} MB, {small:,} chars {p_small / 1e6:.1f} MB, "
          f"{large:,} chars {p_large / 1e6:.1f} MB")
    print(f"        {per_char:.1f} bytes per input character above a fixed {fixed / 1e6:.1f} MB   "
          f"goal <= 20: {verdict(per_char <= 20)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--skip-batch", action="store_true")
    args = ap.parse_args()
    print("load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores")
    cold(args.repeats)
    warm(max(3, args.repeats // 2))
    memory()
    if not args.skip_batch:
        print("batch   (benchmarks/batch_memory.py --repeats 1)", flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "batch_memory.py"), "--repeats", "1"], check=True)


if __name__ == "__main__":
    main()
