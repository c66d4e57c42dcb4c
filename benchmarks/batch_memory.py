"""Batch memory and batch speed-up, each against a baseline measured in the
same run.

    python benchmarks/batch_memory.py [--repeats 3] [--format duckdb|parquet|folder|csv|jsonl] [--src PATH]

Inputs: the 52 national work reports and the 10 provincial reports of
tests/data, copied under distinct names into a temporary folder, each copy
with one byte more (a trailing line break) so no two files share a SHA-256.

memory  `plancli batch` with 2 workers over 62 files and over 620 files
        (ten copies): the peak memory of the whole process tree, the batch
        process and its workers. Goal: 620 files within 20 % of 62 files
        (ratio <= 1.20).
speed   `plancli batch` with 1 worker against 2 workers over the same 124
        files (two copies), runs interleaved, medians of the repeats. Beside
        them, the cores other processes used meanwhile (the machine's busy
        time in /proc/stat less this benchmark's own) and the load average
        before the benchmark began: other work slows the 2-worker run most.
        Goal: >= 1.7 times faster in-run on an idle machine (the seconds the
        summary line reports: reading, parsing, writing; wall adds the
        interpreter's start-up).
machine what two cores give on this machine, measured between the same
        runs: the same files parsed (corpus.process_file, the lexicon loaded
        and frozen out of the garbage collector first, as the batch does) in
        one process, then split between two forked processes, with no pool
        and no store. On a machine whose second core gives less than a whole
        core's work (a shared or throttled virtual machine) this falls well
        short of 2, and the batch's speed-up with it; it varies from run to
        run as much as the batch's does, so the two are printed side by side.

How the tree's memory is measured: /proc is sampled every 20 ms while the
run goes, the batch process and every descendant (workers come and go: a
killed worker's files are retried in a new pool). Three figures:
  PSS   the peak over the samples of the sum of each process's proportional
        set size (smaps_rollup): a page shared by the batch process and its
        forked workers counts once, split between them. This is what the tree
        takes from the machine, and the figure the goal is judged on.
  RSS   the same with resident set sizes: shared pages count once per process.
  HWM   the sum of each process's own peak (VmHWM, the kernel's high-water
        mark, so nothing between samples is missed): an upper bound, as the
        peaks need not coincide and shared pages count in every process.
getrusage(RUSAGE_CHILDREN).ru_maxrss would be none of these: it is the
largest single process's peak, not the tree's.

--src runs another checkout's plancli (e.g. main's src, for a before/after
figure in one run). Not part of the test run."""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "tests" / "data" / "gov-work-reports"
PROVINCIAL = ROOT / "tests" / "data" / "provincial-2026"


def build(folder: Path, copies: int) -> int:
    """`copies` copies of the 62 reports under `folder`, copy k of each file
    k line breaks longer than the original (a SHA-256 of its own)."""
    sources = sorted(NATIONAL.glob("*.txt")) + sorted(PROVINCIAL.glob("*.txt"))
    folder.mkdir(parents=True)
    for k in range(copies):
        for src in sources:
            data = src.read_bytes() + b"\n" * (k + 1)
            (folder / f"c{k:02d}-{src.parent.name}-{src.name}").write_bytes(data)
    return copies * len(sources)


def _descendants(root: int) -> list[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [p for p, pp in parents.items() if pp in frontier]
        tree += frontier
    return tree


def _kib(path: str, keys: tuple[str, ...]) -> dict[str, int]:
    found = {}
    try:
        with open(path) as f:
            for line in f:
                name = line.split(":", 1)[0]
                if name in keys:
                    found[name] = int(line.split()[1])
    except OSError:
        pass
    return found


class TreeMemory:
    """Samples the memory of a process and its descendants until stopped."""

    def __init__(self, pid: int, every: float = 0.02):
        self.pid, self.every = pid, every
        self.pss = self.rss = 0  # peak sums, KiB
        self.hwm: dict[int, int] = {}  # pid → its own peak, KiB
        self.processes = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            pss = rss = 0
            for pid in _descendants(self.pid):
                sizes = _kib(f"/proc/{pid}/smaps_rollup", ("Pss", "Rss"))
                if not sizes:
                    continue  # gone, or a zombie
                self.processes.add(pid)
                pss += sizes.get("Pss", 0)
                rss += sizes.get("Rss", 0)
                hwm = _kib(f"/proc/{pid}/status", ("VmHWM",)).get("VmHWM")
                if hwm:
                    self.hwm[pid] = max(hwm, self.hwm.get(pid, 0))
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            self._stop.wait(self.every)

    def stop(self):
        self._stop.set()
        self._thread.join()


def batch(folder: Path, out: Path, workers: int, env: dict, sample: bool = False):
    """(wall s, in-run s, TreeMemory or None) of one fresh `plancli batch`."""
    if out.is_dir():
        shutil.rmtree(out)
    for p in out.parent.glob(f"{out.stem}*"):
        p.unlink()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "plancli", "batch", str(folder), "-o", str(out),
                             "--workers", str(workers), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    memory = TreeMemory(proc.pid) if sample else None
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    if memory:
        memory.stop()
    if proc.returncode != 0:
        sys.exit(f"plancli batch failed ({proc.returncode}): {err.strip()}")
    return wall, float(re.search(r" in ([0-9.]+) s", err).group(1)), memory


# Parse every file of a folder in one process, then split between two forked
# ones (the lexicon loaded and frozen before the fork, as the batch does);
# prints both times.
MACHINE = r"""
import gc, os, sys, time
from pathlib import Path
from plancli import corpus
files = sorted((str(p) for p in Path(sys.argv[1]).iterdir()), key=lambda f: -os.path.getsize(f))
corpus.warm_up()
def parse(part):
    for f in part:
        corpus.process_file(f)
t0 = time.perf_counter()
parse(files)
one = time.perf_counter() - t0
gc.freeze()
t0 = time.perf_counter()
pids = []
for k in range(2):
    pid = os.fork()
    if pid == 0:
        parse(files[k::2])
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
print(one, time.perf_counter() - t0)
"""


def two_processes(folder: Path, env: dict) -> tuple[float, float]:
    """(one process s, two forked processes s) parsing the files of folder."""
    out = subprocess.run([sys.executable, "-c", MACHINE, str(folder)], check=True, capture_output=True,
                         text=True, env=env)
    one, two = map(float, out.stdout.split())
    return one, two


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all processes, /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds this benchmark's finished children (the batch runs) have used."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def memory(small: Path, large: Path, n_small: int, n_large: int, out: Path, env: dict, repeats: int) -> None:
    """Peak memory of the process tree with 2 workers, over the small and the large folder."""
    peaks = {}
    for name, folder in ((n_small, small), (n_large, large)):
        runs = [batch(folder, out, 2, env, sample=True)[2] for _ in range(repeats)]
        peaks[name] = runs
    print(f"memory, 2 workers, median of {repeats} runs (MB):")
    print(f"  {'files':>6s} {'PSS':>7s} {'RSS':>7s} {'HWM':>7s}  processes")
    med = {}
    for name, runs in peaks.items():
        med[name] = {k: statistics.median(getattr(m, k) for m in runs) / 1024 for k in ("pss", "rss")}
        med[name]["hwm"] = statistics.median(sum(m.hwm.values()) for m in runs) / 1024
        print(f"  {name:6d} {med[name]['pss']:7.1f} {med[name]['rss']:7.1f} {med[name]['hwm']:7.1f}  "
              f"{statistics.median(len(m.processes) for m in runs):.0f}")
    ratio = {k: med[n_large][k] / med[n_small][k] for k in ("pss", "rss", "hwm")}
    print(f"  {n_large}/{n_small} files: PSS {ratio['pss']:.2f}, RSS {ratio['rss']:.2f}, "
          f"HWM {ratio['hwm']:.2f} (goal PSS <= 1.20)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--format", default="duckdb", choices=["duckdb", "parquet", "folder", "csv", "jsonl"],
                    help="the output: plans.duckdb, plans.parquet (the targets), plans/ (a Parquet file per "
                         "table), plans.csv or plans.jsonl (and their sibling tables)")
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the plancli source tree to run")
    ap.add_argument("--speed-copies", type=int, default=2, help="copies of the 62 reports for the speed runs")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-memory", action="store_true", help="only the speed runs (and the two-process figure of the machine)")
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    started = load()  # before this benchmark's own runs count in it

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small, large, speed = tmp / "62", tmp / "620", tmp / "speed"
        n_small, n_large = build(small, 1), build(large, 10)
        n_speed = build(speed, args.speed_copies)
        out = tmp / "out" / ("plans" if args.format == "folder" else f"plans.{args.format}")
        out.parent.mkdir()
        print(f"plancli from {args.src}, output {out.name}{'/' if args.format == 'folder' else ''}")

        batch(small, out, 2, env)  # the page cache and the lexicon's cache warm
        if not args.skip_memory:
            memory(small, large, n_small, n_large, out, env, args.repeats)
        if args.skip_speed:
            return

        batch(speed, out, 1, env)
        times = {1: [], 2: []}
        plain = []
        busy, own, t0 = _busy_seconds(), _own_seconds(), time.perf_counter()
        for _ in range(args.repeats):  # interleaved, so a busy moment hits both
            for workers in (1, 2):
                times[workers].append(batch(speed, out, workers, env)[:2])
            plain.append(two_processes(speed, env))
        others = ((_busy_seconds() - busy) - (_own_seconds() - own)) / (time.perf_counter() - t0)
        wall = {w: statistics.median(t[0] for t in ts) for w, ts in times.items()}
        in_run = {w: statistics.median(t[1] for t in ts) for w, ts in times.items()}
        print(f"speed, {n_speed} files, median of {args.repeats} runs ({os.cpu_count()} cores; other "
              f"processes used {max(0.0, others):.2f} cores on average meanwhile; at the start {started}):")
        for w in (1, 2):
            print(f"  {w} worker{'s' if w > 1 else ' '} wall {wall[w]:6.2f} s   in-run {in_run[w]:6.2f} s")
        speedup = in_run[1] / in_run[2]
        print(f"  2 workers vs 1: {speedup:.2f} times faster in-run, "
              f"{wall[1] / wall[2]:.2f} wall (goal in-run >= 1.7)")
        machine = statistics.median(one / two for one, two in plain)
        print(f"  the machine: two plain forked processes parse the same files {machine:.2f} times faster "
              f"than one (no pool, no store; runs {', '.join(f'{one / two:.2f}' for one, two in plain)}); "
              f"the batch's speed-up is {speedup / machine:.2f} of that")


if __name__ == "__main__":
    main()
