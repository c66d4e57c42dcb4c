"""Corpus mode: many files in, one dataset out.

`find_inputs` lists the files, `process_file` turns one file into table rows
(or an error row) in whatever process runs it, and `run` drives them through
a process pool or a Dask cluster into a `store.Store`. Every input ends up in
the documents table or the errors table."""
from __future__ import annotations

import errno
import gc
import hashlib
import os
import signal
import stat
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from . import rows
from .errors import PlancliError, UsageError, require_extra
from .store import text
from .reader import _UNSUPPORTED, SUPPORTED_SUFFIXES


@dataclass
class FileResult:
    path: str
    sha256: str | None
    document: dict | None = None
    sections: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    actuals: list[dict] = field(default_factory=list)
    error: str | None = None


def find_inputs(paths: list[str], pattern: str | None = None) -> list[Path]:
    """The files `scan_inputs` finds to read (what it cannot read left out)."""
    return scan_inputs(paths, pattern)[0]


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket"}


def scan_inputs(paths: list[str], pattern: str | None = None,
                exclude: list[Path] = ()) -> tuple[list[Path], list[FileResult]]:
    """Files named, and files under folders named (recursively, following
    links to folders), sorted and without repeats; and, as error rows, every
    path found that will not be read: a type plancli does not read, a link
    that leads nowhere or in a loop, an unreadable folder, a FIFO or device.

    Under a folder, `pattern` (a glob such as *.txt) or the suffixes plancli
    reads select the files; without a pattern any other file is an error
    row. Names starting with a dot are skipped (and so are `exclude`, the
    output's own files). A named path that does not exist is a usage error."""
    found: dict[str, Path] = {}
    unread: dict[str, FileResult] = {}
    skip = set()
    for p in exclude:
        try:
            st = os.stat(p)
            skip.add((st.st_dev, st.st_ino))
        except OSError:
            pass

    def not_read(p: Path, reason: str) -> None:
        unread.setdefault(os.path.abspath(p), FileResult(str(p), None, error=reason))

    def walk(folder: Path, top: Path, ancestors: frozenset) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            not_read(folder, f"cannot read folder: {e.strerror}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            p = Path(entry.path)
            wanted = pattern is None or p.relative_to(top).match(pattern)
            try:
                st = os.stat(p)
            except OSError as e:
                if wanted or entry.is_dir(follow_symlinks=False):
                    not_read(p, _stat_reason(p, e))
                continue
            if (st.st_dev, st.st_ino) in skip:
                continue
            if stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) in ancestors:
                    not_read(p, "symlink loop: a link to a folder it is in; not followed")
                else:
                    walk(p, top, ancestors | {(st.st_dev, st.st_ino)})
            elif not wanted:
                continue
            elif not stat.S_ISREG(st.st_mode):
                not_read(p, f"not a regular file ({_KINDS.get(stat.S_IFMT(st.st_mode), 'special file')}); not read")
            elif pattern is None and p.suffix.lower() not in SUPPORTED_SUFFIXES:
                hint = _UNSUPPORTED.get(p.suffix.lower())
                not_read(p, f"unsupported type {p.suffix or '(no extension)'}: plancli reads "
                            f"{', '.join(sorted(SUPPORTED_SUFFIXES))}" + (f"; {hint}" if hint else
                                                                          " (--glob chooses files)"))
            else:
                found.setdefault(os.path.abspath(p), p)

    for raw in paths:
        p = Path(raw)
        try:
            st = os.stat(p)
        except FileNotFoundError as e:
            if not os.path.lexists(p):
                raise UsageError(f"{p}: no such file or folder") from None
            not_read(p, _stat_reason(p, e))
            continue
        except OSError as e:  # in an unreadable folder, a loop: one error row, not the end of the batch
            not_read(p, _stat_reason(p, e))
            continue
        if stat.S_ISDIR(st.st_mode):
            walk(p, p, frozenset({(st.st_dev, st.st_ino)}))
        elif stat.S_ISREG(st.st_mode):
            found.setdefault(os.path.abspath(p), p)
        else:
            not_read(p, f"not a regular file ({_KINDS.get(stat.S_IFMT(st.st_mode), 'special file')}); not read")
    return [found[k] for k in sorted(found)], [unread[k] for k in sorted(unread) if k not in found]


def _stat_reason(p: Path, e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return "symlink loop"
    if e.errno == errno.ENOENT and os.path.islink(p):
        try:
            return f"dangling link to {os.readlink(p)}"
        except OSError:
            return "dangling link"
    return f"cannot read: {e.strerror}"


def warm_up() -> None:
    """Load the lexicon, the region table and the segmenter: a short text
    with a place, a verb and a number touches all three (each is cached for the
    life of the process)."""
    from .parser import build

    build("浙江省政府工作报告\n预热：新增企业5家。")


def _worker_start(parent: int, warm: bool) -> None:
    """A pool worker: Ctrl-C reaches the whole process group, but only the
    batch process decides what to do (it stops the workers); SIGTERM kills a
    worker at once (the handler inherited through fork is the batch's); and
    a worker dies with the batch process, even when that is killed -9.
    `warm`: load the lexicon here (a spawned worker starts empty; a forked
    one has the batch process's, loaded before the fork)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)
    gc.enable()  # switched off in the batch process while it forks (`_forking`)
    if warm:
        warm_up()


def process_file(path: str) -> FileResult:
    """Parse one file into rows. Never raises: a failure is an error row.
    The rows come from the parser's records, as the command line's output
    does (the same values as the validated models: tests/test_rows.py)."""
    from .parser import read

    try:
        # the SHA-256 identifies the content for --resume; read() reads
        # the file again, from the page cache
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as e:
        return FileResult(path, None, error=f"cannot read: {e.strerror}")
    try:
        doc = read(path)
    except PlancliError as e:
        return FileResult(path, sha, error=str(e).removeprefix(f"{path}: "))
    except Exception as e:  # a bug on one file must not stop the corpus
        return FileResult(path, sha, error=f"internal error: {type(e).__name__}: {e}")
    return FileResult(path, sha, rows.document_row(doc, path, sha), rows.section_rows(doc, path, sha),
                      rows.target_rows(doc, path, sha), rows.actual_rows(doc, path, sha))


@dataclass
class Summary:
    documents: int = 0
    errors: int = 0
    targets: int = 0
    skipped: int = 0
    unread: int = 0  # of the errors: paths found but not read (unsupported, links, FIFOs, unreadable folders)
    crashed: int = 0  # of the errors: files whose worker process died
    seconds: float = 0.0
    interrupted: str | None = None  # SIGINT or SIGTERM when a signal stopped the run
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, reason) of every error row

    def line(self, output) -> str:
        """2 documents, 1 errors, 72 targets, 3 already in plans.duckdb in 0.11 s → plans.duckdb"""
        skipped = f", {self.skipped} already in {output}" if self.skipped else ""
        unread = f" ({self.unread} not read)" if self.unread else ""
        return (f"{self.documents} documents, {self.errors} errors{unread}, {self.targets} targets{skipped} "
                f"in {self.seconds:.2f} s → {output}")


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: the run stops, nothing is committed."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_deferred: list[int] | None = None  # while committing: signals noted, not raised
# While the process pool runs, a signal is noted and raised at the pool loop's
# next safe point (within a tenth of a second): raised at any point, it could
# leave one of concurrent.futures' locks held, and the run would hang on exit.
_pending: list[int] | None = None


def _on_signal(signum, frame) -> None:
    if _deferred is not None:
        _deferred.append(signum)
        return
    if _pending is not None:
        _pending.append(signum)
        return
    raise Interrupted(signum)


def _raise_pending() -> None:
    if _pending:
        raise Interrupted(_pending[0])


@contextmanager
def _signals_at_safe_points():
    global _pending
    outer, _pending = _pending, ([] if _pending is None else _pending)
    try:
        yield
    finally:
        _pending = outer


@contextmanager
def stop_on_signals():
    """SIGINT and SIGTERM raise `Interrupted` in the batch process, so the
    run unwinds: the pool's workers are stopped and staged files removed."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def _signals_deferred():
    """The commit is not cut short by a signal: one arriving during it is
    noted and dropped, as the run has finished by then."""
    global _deferred
    _deferred = []
    try:
        yield
    finally:
        _deferred = None


def run(files: list[Path], store, workers: int = 1, engine: str = "processes", scheduler: str | None = None,
        resume: bool = False, progress=None, unread: list[FileResult] = ()) -> Summary:
    """Parse `files` into `store` and commit, or, when anything stops the run
    (a signal, a full disk), commit nothing and leave the output as it was.
    `unread` (from `scan_inputs`) go to the errors table. `progress(result)`
    is called per file."""
    summary = Summary()
    t0 = time.perf_counter()
    results = None
    with stop_on_signals():
        try:
            unread = list(unread)
            if resume:
                done = store.seen()
                todo = []
                for f in files:
                    if (text(str(f)), _sha(f)) in done:
                        summary.skipped += 1
                    else:
                        todo.append(f)
                files = todo
                kept = [r for r in unread if (text(r.path), None) not in done]
                summary.skipped += len(unread) - len(kept)
                unread = kept
            for result in unread:
                summary.unread += 1
                _record(result, store, summary, progress)
            results = _results([str(f) for f in files], workers, engine, scheduler)
            for result in results:
                _record(result, store, summary, progress)
            with _signals_deferred():
                store.close(commit=True)
        except KeyboardInterrupt as e:
            summary.interrupted = signal.Signals(getattr(e, "signum", signal.SIGINT)).name
        finally:
            if results is not None:
                results.close()  # stops the pool's workers
            store.close(commit=False)  # after a failure: nothing more committed, staged files gone
            summary.seconds = time.perf_counter() - t0
    return summary


def _record(result: FileResult, store, summary: Summary, progress) -> None:
    store.add(result)
    if result.error:
        summary.errors += 1
        summary.failures.append((result.path, result.error))
        summary.crashed += result.error.startswith(_CRASH)
    else:
        summary.documents += 1
        summary.targets += len(result.targets)
    if progress:
        progress(result)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _results(paths: list[str], workers: int, engine: str, scheduler: str | None):
    if not paths:
        return
    if engine == "dask":
        yield from _dask_results(paths, workers, scheduler)
        return
    if workers <= 1:
        for p in paths:
            yield process_file(p)
        return
    yield from _pool_results(paths, workers)


_CRASH = "the worker process parsing it died"


def _fork_context():
    """The fork start method on Linux, None elsewhere (spawn on macOS and
    Windows, where forking a process with threads is unsafe)."""
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _new_pool(workers: int) -> ProcessPoolExecutor:
    """Forked workers start with the lexicon, the region table and jieba the
    batch process loaded once (`_pool_loop`), their pages shared until
    written; spawned workers load them in their initializer."""
    context = _fork_context()
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                               initargs=(os.getpid(), context is None))


@contextmanager
def _forking():
    """While workers are forked: the objects the batch process holds are
    frozen out of the garbage collector, whose passes would write to every
    one of them in a worker and so copy the pages the worker shares with the
    batch process (the lexicon's dictionaries, jieba's 34k words)."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _stop_pool(pool: ProcessPoolExecutor | None) -> None:
    """Kill the workers now (a parse in progress is not waited for) and reap them."""
    if pool is None:
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for p in processes:
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        try:
            p.join(2)
        except (OSError, ValueError, AttributeError, AssertionError):
            pass


def window(workers: int) -> int:
    """Files submitted to the pool and not yet back: each worker has the next
    file waiting while the batch process stores a result, and no more (a
    result is stored and dropped as it comes, so memory does not grow with
    the number of files)."""
    return 2 * workers


def _fill(pool, queue: deque, running: dict, limit: int) -> None:
    while queue and len(running) < limit:
        path = queue.popleft()
        try:
            running[pool.submit(process_file, path)] = path
        except BrokenProcessPool:
            queue.appendleft(path)
            raise


def _started(pool: ProcessPoolExecutor, wait: float = 2.0) -> list:
    """The pool's worker processes, once it has started one (it does so on
    the first submit, from another thread): to read how a worker died."""
    deadline = time.monotonic() + wait
    while not pool._processes and time.monotonic() < deadline:
        time.sleep(0.005)
    return list((pool._processes or {}).values())


def _pool_results(paths: list[str], workers: int):
    """Results from a process pool, at most `window(workers)` files in
    flight, so that when a worker dies (killed -9, out of memory, a crash in
    a library) the files it may have been parsing are known: the pool is
    started again, each of those files is tried once more on its own, and a
    file that kills its worker again is an error row. The run goes on."""
    queue = deque(sorted(paths, key=lambda p: -_size(p)))  # the largest first: no long one left at the end
    suspects: deque[str] = deque()
    if _fork_context() is not None:
        warm_up()  # once, here: every forked worker starts with it
    with _signals_at_safe_points():
        yield from _pool_loop(queue, suspects, workers)
        _raise_pending()  # one that came while the last rows were stored


def _settled(futures, return_when=FIRST_COMPLETED):
    """wait() in short steps, raising a signal that arrived meanwhile."""
    while True:
        _raise_pending()
        done, _ = wait(futures, timeout=0.1, return_when=return_when)
        if done:
            _raise_pending()
            return done


def _pool_loop(queue: deque, suspects: deque, workers: int):
    pool = None
    limit = window(workers)
    try:
        while queue or suspects:
            if suspects:
                path = suspects.popleft()
                with _forking():
                    pool = _new_pool(1)
                    future = pool.submit(process_file, path)
                processes = _started(pool)
                try:
                    _settled([future])
                    result = future.result()
                except BrokenProcessPool:
                    for p in processes:
                        p.join(1)
                    codes = [p.exitcode for p in processes if p.exitcode]
                    how = (f" (killed by {signal.Signals(-codes[0]).name})" if codes and codes[0] < 0
                           else f" (exit status {codes[0]})" if codes else "")
                    result = FileResult(path, _sha(Path(path)),
                                        error=f"{_CRASH}{how}, twice: out of memory or a crash in a library")
                _stop_pool(pool)
                pool = None
                yield result
                continue
            running: dict = {}
            try:
                with _forking():  # a forking pool starts all its workers on the first submit
                    pool = _new_pool(workers)
                    _fill(pool, queue, running, limit)
                while queue or running:
                    _fill(pool, queue, running, limit)
                    finished, broken = [], False
                    for future in _settled(running):
                        try:
                            finished.append(future.result())
                        except BrokenProcessPool:  # a worker died: every file still running is a suspect
                            broken = True
                            continue
                        del running[future]
                    if not broken:
                        try:
                            _fill(pool, queue, running, limit)  # the workers stay busy while rows are stored
                        except BrokenProcessPool:
                            broken = True
                    yield from finished  # stored, then dropped: never more than the window held
                    if broken:
                        raise BrokenProcessPool
            except BrokenProcessPool:
                suspects.extend(running.values())
                _stop_pool(pool)
                pool = None
    finally:
        _stop_pool(pool)


def require_dask() -> None:
    """--engine dask without Dask installed: one line naming the extra, before anything is read or written."""
    require_extra("dask", "dask.distributed", "--engine dask")


def _dask_results(paths: list[str], workers: int, scheduler: str | None):
    require_dask()
    from dask.distributed import Client, LocalCluster, as_completed as dask_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        client.run(warm_up)
        # as with the process pool, a bounded window: a result is taken from
        # the cluster and released as it comes, never all held at once
        todo = iter(paths)
        limit = window(max(1, sum(client.nthreads().values())))
        running = dask_completed([client.submit(process_file, p, pure=False) for p in islice(todo, limit)])
        for future in running:
            result = future.result()
            future.release()
            for path in islice(todo, 1):
                running.add(client.submit(process_file, path, pure=False))
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def default_workers() -> int:
    return os.cpu_count() or 1
