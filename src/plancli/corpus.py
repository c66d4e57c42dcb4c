"""Corpus mode: many files in, one dataset out.

`find_inputs` lists the files, `process_file` turns one file into table rows
(or an error row) in whatever process runs it, and `run` drives them through
a process pool or a Dask cluster into a `store.Store`. Every input ends up in
the documents table or the errors table."""
from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import rows
from .errors import PlancliError, UsageError
from .reader import SUPPORTED_SUFFIXES


@dataclass
class FileResult:
    path: str
    sha256: str | None
    document: dict | None = None
    sections: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    error: str | None = None


def find_inputs(paths: list[str], pattern: str | None = None) -> list[Path]:
    """Files named, and files under folders named (recursively), sorted and
    without repeats. Under a folder, `pattern` (a glob such as *.txt) or the
    suffixes plancli reads select the files."""
    found: dict[str, Path] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            candidates = p.rglob(pattern) if pattern else (
                f for f in p.rglob("*") if f.suffix.lower() in SUPPORTED_SUFFIXES)
            for f in candidates:
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    found.setdefault(str(f.resolve()), f)
        elif p.exists():
            found.setdefault(str(p.resolve()), p)
        else:
            raise UsageError(f"{p}: no such file or folder")
    return [found[k] for k in sorted(found)]


def warm_up() -> None:
    """Load the lexicon and the segmenter once per worker process."""
    from .parser import parse_text

    parse_text("预热：新增企业5家。")


def process_file(path: str) -> FileResult:
    """Parse one file into rows. Never raises: a failure is an error row."""
    from .parser import parse_file

    try:
        # the SHA-256 identifies the content for --resume; parse_file reads
        # the file again, from the page cache
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as e:
        return FileResult(path, None, error=f"cannot read: {e.strerror}")
    try:
        doc = parse_file(path)
    except PlancliError as e:
        return FileResult(path, sha, error=str(e).removeprefix(f"{path}: "))
    except Exception as e:  # a bug on one file must not stop the corpus
        return FileResult(path, sha, error=f"internal error: {type(e).__name__}: {e}")
    return FileResult(path, sha, rows.document_row(doc, path, sha), rows.section_rows(doc, path, sha),
                      rows.target_rows(doc, path, sha))


@dataclass
class Summary:
    documents: int = 0
    errors: int = 0
    targets: int = 0
    skipped: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    def line(self, output) -> str:
        """2 documents, 1 errors, 72 targets, 3 already in plans.duckdb in 0.11 s → plans.duckdb"""
        skipped = f", {self.skipped} already in {output}" if self.skipped else ""
        return (f"{self.documents} documents, {self.errors} errors, {self.targets} targets{skipped} "
                f"in {self.seconds:.2f} s → {output}")


def run(files: list[Path], store, workers: int = 1, engine: str = "processes", scheduler: str | None = None,
        resume: bool = False, progress=None) -> Summary:
    """Parse `files` into `store`. `progress(result)` is called per file."""
    summary = Summary()
    t0 = time.perf_counter()
    if resume:
        done_sha, done_paths = store.seen()
        todo = []
        for f in files:
            if str(f) in done_paths or _sha(f) in done_sha:
                summary.skipped += 1
            else:
                todo.append(f)
        files = todo
    paths = [str(f) for f in files]
    try:
        for result in _results(paths, workers, engine, scheduler):
            store.add(result)
            if result.error:
                summary.errors += 1
            else:
                summary.documents += 1
                summary.targets += sum(1 for t in result.targets if t["kind"] == "target")
            if progress:
                progress(result)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        store.close(commit=not summary.interrupted)
        summary.seconds = time.perf_counter() - t0
    return summary


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
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
    # the largest files first, so no worker is left with a long one at the end
    by_size = sorted(paths, key=lambda p: -_size(p))
    # each worker loads the lexicon and segmenter once, all at the same time
    with ProcessPoolExecutor(max_workers=workers, initializer=warm_up) as pool:
        futures = [pool.submit(process_file, p) for p in by_size]
        for future in as_completed(futures):
            yield future.result()


def _dask_results(paths: list[str], workers: int, scheduler: str | None):
    try:
        from dask.distributed import Client, LocalCluster, as_completed as dask_completed
    except ImportError:
        raise UsageError("--engine dask needs the dask extra: pip install 'plancli[dask]'") from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        client.run(warm_up)
        futures = client.map(process_file, paths, pure=False)
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def default_workers() -> int:
    return os.cpu_count() or 1
