"""plancli batch under real faults: a killed worker, a full disk, two writers,
SIGTERM and SIGINT, a grown folder, paths that cannot be read. Each test
checks that every input is accounted for exactly once and that the previous
output is intact where a run failed."""
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPORTS
from plancli.store import TABLES

SRC = str(Path(__file__).resolve().parent.parent / "src")
N = 20


@pytest.fixture
def corpus(tmp_path):
    """N work reports as .txt: a corpus that parses in a few seconds."""
    d = tmp_path / "in"
    d.mkdir()
    for src in sorted(REPORTS.glob("*.txt"))[:N]:
        shutil.copy(src, d / src.name)
    return d


@pytest.fixture
def big(tmp_path):
    """All 52 reports: about two seconds of parsing on two workers, time for a signal to land mid-run."""
    d = tmp_path / "all"
    shutil.copytree(REPORTS, d, ignore=shutil.ignore_patterns("*.json", "*.md", "*.py"))
    return d


def env():
    e = dict(os.environ)
    e["PYTHONPATH"] = SRC + os.pathsep + e.get("PYTHONPATH", "")
    return e


def batch(*args, **kw):
    """plancli batch in a process of its own, its own process group."""
    return subprocess.Popen([sys.executable, "-m", "plancli", "batch", *map(str, args), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                            start_new_session=True, **kw)


def finish(proc, timeout=120):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.decode("utf-8", "replace")


def tables(out):
    """{table: rows} of a .duckdb output, None when it does not exist."""
    if not Path(out).exists():
        return None
    con = duckdb.connect(str(out), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall()))
                for t in TABLES}
    finally:
        con.close()


def accounted(out, inputs):
    """Every input exactly once in documents or errors; the paths as sets."""
    con = duckdb.connect(str(out), read_only=True)
    docs = [r[0] for r in con.execute("SELECT path FROM documents").fetchall()]
    errs = dict(con.execute("SELECT path, reason FROM errors").fetchall())
    n_err = con.execute("SELECT count(*) FROM errors").fetchone()[0]
    con.close()
    paths = docs + list(errs)
    assert len(docs) + n_err == len(inputs), (len(docs), n_err, len(inputs))
    assert sorted(Path(p).name for p in paths) == sorted(Path(p).name for p in inputs)
    return docs, errs


def _live_processes():
    """(pid, parent pid, process group) of each process not yet reaped
    as a zombie (from /proc/PID/stat; one that ends meanwhile is passed over)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                yield int(entry), int(fields[1]), int(fields[2])


def children(pid):
    """The processes whose parent is `pid`."""
    return [p for p, parent, _ in _live_processes() if parent == pid]


def group_members(pgid):
    """The processes of process group `pgid`."""
    return [p for p, _, group in _live_processes() if group == pgid]


def wait_for(predicate, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


def staged(folder):
    """What a run stages beside its output (never left behind)."""
    return sorted(p.name for p in Path(folder).iterdir() if ".plancli-" in p.name or p.name.endswith((".tmp", ".wal", ".lock")))


@pytest.fixture
def previous(corpus, tmp_path):
    """A complete output of a smaller corpus: what a failed run must leave as it was."""
    small = tmp_path / "small"
    small.mkdir()
    for f in sorted(corpus.iterdir())[:3]:
        shutil.copy(f, small / f.name)
    out = tmp_path / "out" / "w.duckdb"
    out.parent.mkdir()
    code, err = finish(batch(small, "-o", out, "--workers", "1"))
    assert code == 0, err
    return out, tables(out)


# --- a killed worker ---------------------------------------------------------

def test_a_worker_killed_mid_run_does_not_kill_the_run(big, tmp_path):
    everything = big
    inputs = list(everything.iterdir())
    out = tmp_path / "k.duckdb"
    proc = batch(everything, "-o", out, "--workers", "2")
    workers = wait_for(lambda: children(proc.pid) if len(children(proc.pid)) >= 2 else None)
    time.sleep(0.3)  # mid-run: parsing
    os.kill(workers[0], signal.SIGKILL)
    code, err = finish(proc)
    # the files the dead worker may have held were parsed again on their own
    assert code == 0, err
    assert err.count("\n") == 1 and f"{len(inputs)} documents, 0 errors" in err
    accounted(out, inputs)


def test_a_file_that_kills_its_worker_is_an_error_row(corpus, tmp_path, monkeypatch):
    """A worker really dies (SIGKILL from inside) on one file, each time: that
    file is an error row, the others are documents, the run commits."""
    from plancli import corpus as corpus_mod, store

    poison = corpus / "poison.txt"
    shutil.copy(sorted(corpus.iterdir())[0], poison)
    real = corpus_mod.process_file

    def process_file(path):
        if path.endswith("poison.txt"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path)

    process_file.__module__, process_file.__qualname__ = "plancli.corpus", "process_file"  # pickled by name
    monkeypatch.setattr(corpus_mod, "process_file", process_file)  # the forked workers see it
    out = tmp_path / "p.duckdb"
    files, unread = corpus_mod.scan_inputs([str(corpus)])
    summary = corpus_mod.run(files, store.Store(out), workers=2, unread=unread)
    assert summary.documents == N and summary.errors == 1 and summary.crashed == 1
    docs, errs = accounted(out, list(corpus.iterdir()))
    # how it died is told where the worker's exit status could be read
    assert "worker process parsing it died" in errs[str(poison)] and "twice" in errs[str(poison)]


def test_resume_after_a_crash_finishes_the_work(corpus, tmp_path):
    """The batch process itself killed -9 (the out-of-memory killer's way):
    its workers die with it, with --resume the committed batches stay, and
    the next run finishes the work."""
    out = tmp_path / "r.duckdb"
    proc = batch(corpus, "-o", out, "--workers", "2", "--resume")
    wait_for(lambda: len(children(proc.pid)) >= 2 or None)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert wait_for(lambda: not group_members(proc.pid) or None, timeout=5)  # no worker outlives it
    code, err = finish(batch(corpus, "-o", out, "--workers", "2", "--resume"))
    assert code == 0, err
    accounted(out, list(corpus.iterdir()))
    assert staged(tmp_path) == []


# --- a full disk ---------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)])


def fill(folder, leave=0):
    """Fill the file system of `folder` but `leave` bytes."""
    filler = folder / "filler"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(filler, "wb") as f:
        try:
            f.write(b"\0" * max(0, free - leave))
        except OSError:
            pass
    return filler


@pytest.mark.parametrize("fmt", [".duckdb", ".parquet", "", ".csv", ".jsonl"])  # "": a folder, one file per table
def test_a_full_disk_is_reported_and_the_old_output_kept(corpus, tiny_disk, fmt):
    out = tiny_disk / f"s{fmt}"
    small = tiny_disk.parent / "small"
    small.mkdir()
    shutil.copy(sorted(corpus.iterdir())[0], small)
    code, err = finish(batch(small, "-o", out, "--workers", "1"))
    assert code == 0, err
    before = {p.name: p.read_bytes() if p.is_file() else sorted(x.name for x in p.iterdir())
              for p in tiny_disk.iterdir()}
    fill(tiny_disk)
    code, err = finish(batch(corpus, "-o", out, "--workers", "1"))
    assert code == 3, err
    assert err.count("\n") == 1 and "disk full" in err and str(out) in err and ".tmp" not in err
    (tiny_disk / "filler").unlink()
    after = {p.name: p.read_bytes() if p.is_file() else sorted(x.name for x in p.iterdir())
             for p in tiny_disk.iterdir()}
    assert after == before  # the old output as it was, nothing staged left
    if fmt == ".duckdb":
        accounted(out, [small / sorted(os.listdir(small))[0]])
    # with room again, the same run succeeds
    code, err = finish(batch(small, "-o", out, "--workers", "1"))
    assert code == 0, err


def test_a_full_disk_during_resume_keeps_the_wal(corpus, tiny_disk):
    out = tiny_disk / "r.duckdb"
    code, err = finish(batch(sorted(corpus.iterdir())[0], "-o", out, "--workers", "1"))
    assert code == 0, err
    fill(tiny_disk, leave=256 * 1024)
    code, err = finish(batch(corpus, "-o", out, "--workers", "1", "--resume"))
    assert code == 3 and "disk full" in err and err.count("\n") == 1, err
    (tiny_disk / "filler").unlink()
    # what was committed before the disk filled is still there (the WAL was not deleted)
    code, err = finish(batch(corpus, "-o", out, "--workers", "1", "--resume"))
    assert code == 0, err
    accounted(out, list(corpus.iterdir()))


# --- two writers ---------------------------------------------------------------

def test_a_second_writer_fails_fast(corpus, previous):
    out, before = previous
    first = batch(corpus, "-o", out, "--workers", "1")
    wait_for(lambda: out.with_name(f".{out.name}.lock").exists())
    t0 = time.monotonic()
    second = batch(corpus, "-o", out, "--workers", "1", "--resume")
    code, err = finish(second)
    assert time.monotonic() - t0 < 5
    assert code == 4 and err.count("\n") == 1
    assert "another plancli batch (pid" in err and "is writing this output" in err
    code, err = finish(first)
    assert code == 0, err
    accounted(out, list(corpus.iterdir()))  # the first run's work, whole
    assert staged(out.parent) == []


# --- signals -------------------------------------------------------------------

@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("fmt", [".duckdb", ".parquet", ""])
def test_a_signal_stops_the_run_at_once_and_leaves_nothing(big, tmp_path, sig, code, fmt):
    corpus = big
    out = tmp_path / "out" / f"w{fmt}"
    out.parent.mkdir()
    small = tmp_path / "small"
    small.mkdir()
    shutil.copy(sorted(corpus.iterdir())[0], small)
    assert finish(batch(small, "-o", out, "--workers", "1"))[0] == 0
    # what the run may not change: the files beside OUT, or in a folder output its table files
    watched = out if out.is_dir() else out.parent
    snapshot = {p.name: p.stat().st_mtime_ns for p in watched.iterdir()}
    proc = batch(corpus, "-o", out, "--workers", "2")
    wait_for(lambda: len(children(proc.pid)) >= 2 or None)
    time.sleep(0.3)
    t0 = time.monotonic()
    (os.killpg if sig == signal.SIGINT else os.kill)(proc.pid, sig)  # Ctrl-C reaches the whole group
    rc, err = finish(proc, timeout=10)
    assert time.monotonic() - t0 < 2.5
    assert rc == code and err.count("\n") == 1 and f"interrupted by {signal.Signals(sig).name}" in err, err
    assert "Traceback" not in err
    assert wait_for(lambda: not group_members(proc.pid) or None, timeout=2)  # no orphan workers
    assert {p.name: p.stat().st_mtime_ns for p in watched.iterdir()} == snapshot  # as it was, nothing staged
    if fmt == ".duckdb":
        accounted(out, list(small.iterdir()))


# --- identity by path and content -----------------------------------------------

def test_copies_at_two_paths_are_two_documents(corpus, tmp_path):
    from plancli import corpus as corpus_mod, store

    (corpus / "copy").mkdir()
    first = sorted(corpus.glob("*.txt"))[0]
    shutil.copy(first, corpus / "copy" / first.name)
    inputs = [p for p in corpus.rglob("*") if p.is_file()]
    out = tmp_path / "c.duckdb"
    code, err = finish(batch(corpus, "-o", out, "--workers", "2"))
    assert code == 0 and f"{N + 1} documents" in err, err
    docs, _ = accounted(out, inputs)
    # --resume on the same folder: everything already in, by path and content
    code, err = finish(batch(corpus, "-o", out, "--workers", "1", "--resume"))
    assert code == 0 and f"{N + 1} already in" in err, err
    # a third copy, and a changed file at a known path: both parsed, the old rows replaced
    shutil.copy(first, corpus / "copy" / "again.txt")
    second = sorted(corpus.glob("*.txt"))[1]
    second.write_bytes(first.read_bytes())
    code, err = finish(batch(corpus, "-o", out, "--workers", "1", "--resume"))
    assert code == 0 and "2 documents" in err and f"{N} already in" in err, err
    accounted(out, [p for p in corpus.rglob("*") if p.is_file()])
    # the same through the library: store.seen() gives (path, SHA-256) pairs
    s = store.Store(out, resume=True)
    assert len(s.seen()) == N + 2
    s.close(commit=False)


# --- no silent skips -----------------------------------------------------------

def test_every_path_not_read_is_an_error_row(corpus, tmp_path):
    (corpus / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy")
    (corpus / "memo.wps").write_bytes(b"wps")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "up").symlink_to(corpus)  # a folder link back up: a loop
    inputs = list(corpus.iterdir())
    out = tmp_path / "e.duckdb"
    t0 = time.monotonic()
    code, err = finish(batch(corpus, "-o", out, "--workers", "1"), timeout=60)
    assert time.monotonic() - t0 < 30  # the FIFO is never opened
    assert code == 1 and f"{N} documents, 6 errors (6 not read)" in err, err
    docs, errs = accounted(out, [p for p in inputs if p.name != "sub"] + [corpus / "sub" / "up"])
    reasons = {Path(p).name: r for p, r in errs.items()}
    assert "unsupported type .doc" in reasons["old.doc"] and "save it as .docx" in reasons["old.doc"]
    assert "unsupported type .wps" in reasons["memo.wps"]
    assert "not a regular file (a FIFO)" in reasons["pipe.txt"]
    assert "dangling link" in reasons["gone.txt"]
    assert reasons["loop.txt"] == "symlink loop"
    assert "symlink loop" in reasons["up"]


def _unprivileged():
    """A command prefix that runs without root's power to read anything."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root reads every folder and setpriv is not there to drop that")
    probe = subprocess.run(["setpriv", "--bounding-set=-dac_override,-dac_read_search", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode().strip()}")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def test_an_unreadable_folder_and_a_file_in_it(corpus, tmp_path):
    prefix = _unprivileged()
    locked = corpus / "locked"
    locked.mkdir()
    shutil.copy(sorted(corpus.glob("*.txt"))[0], locked / "inside.txt")
    locked.chmod(0)
    out = tmp_path / "u.duckdb"
    try:
        run = subprocess.run([*prefix, sys.executable, "-m", "plancli", "batch", str(corpus),
                              str(locked / "inside.txt"), "-o", str(out), "--quiet", "--workers", "1"],
                             capture_output=True, env=env(), timeout=120)
    finally:
        locked.chmod(0o755)
    err = run.stderr.decode()
    assert run.returncode == 1 and f"{N} documents, 2 errors (2 not read)" in err, err
    docs, errs = accounted(out, [p for p in corpus.glob("*.txt")] + [locked, locked / "inside.txt"])
    assert errs[str(locked)] == "cannot read folder: Permission denied"
    assert errs[str(locked / "inside.txt")] == "cannot read: Permission denied"


# --- modes and names -----------------------------------------------------------

@pytest.mark.parametrize("fmt", [".duckdb", ".parquet", "", ".csv", ".jsonl"])
def test_output_modes_follow_the_umask_and_an_overwritten_file_keeps_its_mode(corpus, tmp_path, fmt):
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(sorted(corpus.iterdir())[0], one)
    out = tmp_path / f"m{fmt}"
    run = subprocess.run(["sh", "-c", f'umask 027 && exec "$0" "$@"', sys.executable, "-m", "plancli",
                          "batch", str(one), "-o", str(out), "--quiet", "--workers", "1"],
                         capture_output=True, env=env())
    assert run.returncode == 0, run.stderr
    made = [out, *out.iterdir()] if out.is_dir() else [p for p in tmp_path.iterdir() if p.name.startswith("m.")]
    assert len(made) == {".duckdb": 1, ".parquet": 1, "": 1 + len(TABLES)}.get(fmt, len(TABLES))
    for p in made:
        assert stat.S_IMODE(p.stat().st_mode) == (0o750 if p.is_dir() else 0o640), p
    for p in made:
        p.chmod(0o755 if p.is_dir() else 0o604)
    run = subprocess.run([sys.executable, "-m", "plancli", "batch", str(one), "-o", str(out), "--quiet",
                          "--workers", "1"], capture_output=True, env=env())
    assert run.returncode == 0, run.stderr
    for p in made:
        assert stat.S_IMODE(p.stat().st_mode) == (0o755 if p.is_dir() else 0o604), p
    assert staged(tmp_path) == []


@pytest.mark.parametrize("fmt", [".duckdb", ".jsonl", ".csv"])
def test_a_non_utf8_file_name(corpus, tmp_path, fmt):
    raw = os.fsencode(corpus) + b"/\xb9\xa4\xd7\xf7\xb1\xa8\xb8\xe6.txt"  # 工作报告 in GBK
    shutil.copy(sorted(corpus.iterdir())[0], raw)
    out = tmp_path / f"n{fmt}"
    code, err = finish(batch(corpus, "-o", out, "--workers", "1"))
    assert code == 0 and "internal error" not in err, err
    if fmt == ".duckdb":
        from plancli.store import text
        docs, _ = accounted(out, [text(os.fsdecode(p)) for p in os.listdir(os.fsencode(corpus))])
        assert any(p.endswith("\\xb9\\xa4\\xd7\\xf7\\xb1\\xa8\\xb8\\xe6.txt") for p in docs)
    else:
        for p in tmp_path.iterdir():
            if p.name.startswith("n."):
                p.read_bytes().decode("utf-8")  # never invalid UTF-8
        if fmt == ".jsonl":
            docs = [json.loads(x)["path"] for x in out.with_name("n.documents.jsonl").read_text().splitlines()]
            assert len(docs) == N + 1
    # --resume knows the name again: nothing parsed twice
    code, err = finish(batch(corpus, "-o", out, "--workers", "1", "--resume"))
    assert code == 0 and f"{N + 1} already in" in err, err


# --- the multi-file outputs are swapped in whole --------------------------------

@pytest.mark.parametrize("fmt", [".csv", ".parquet", ""])
def test_a_commit_killed_between_renames_is_finished_by_the_next_run(corpus, tmp_path, fmt, monkeypatch):
    """Kill the commit after its journal (a crash stands in for kill -9;
    for .csv and a folder one table file is in place, the others not yet):
    the next run finishes it from the journal, and leftovers go."""
    from plancli import corpus as corpus_mod, store

    out = tmp_path / f"j{fmt}"
    anchor = store._anchor(out, store.output_format(out))
    one = sorted(corpus.iterdir())[:1]
    corpus_mod.run(one, store.Store(out), workers=1)
    renames = []
    real = os.replace

    def crash_after_one(src, dst):
        if len(renames) == (1 if fmt == ".parquet" else 2):  # the journal, then one table file (of one or several)
            raise SystemExit("killed")
        renames.append(dst)
        real(src, dst)

    monkeypatch.setattr(store.os, "replace", crash_after_one)
    with pytest.raises(SystemExit):
        corpus_mod.run(sorted(corpus.iterdir()), store.Store(out), workers=1)
    monkeypatch.undo()
    assert store._journal(anchor).exists()
    s = store.Store(out, resume=True)  # the next run: finishes the commit first
    known = {path for path, _ in s.seen()}
    s.close(commit=False)
    if fmt == ".parquet":  # a single .parquet file knows a report by its target rows, all of them committed
        import duckdb
        with_targets = {p for (p,) in duckdb.connect().execute(f"SELECT DISTINCT path FROM read_parquet('{out}')").fetchall()}
        assert known == with_targets and 0 < len(known) <= N
    else:
        assert len(known) == N  # every report, in documents
    leftovers = [p.name for p in (*tmp_path.iterdir(), *anchor.parent.iterdir())
                 if ".plancli-" in p.name or p.name.startswith(".")]
    assert leftovers == []
