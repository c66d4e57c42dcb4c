"""Where corpus mode writes: DuckDB, Parquet, CSV or JSON Lines.

The layouts (`output_format` reads them from OUT, `table_files` names their
files): a .duckdb file holds every table (rows.TABLES: documents, sections,
targets, actuals, errors); a folder (OUT/, or a name without extension) one
Parquet file per table, OUT/targets.parquet …; a .parquet file the targets
table alone, with its document's columns, so that pandas.read_parquet and
DuckDB's read_parquet read it as one table; a .csv or .jsonl file the
targets, the other tables beside it (OUT-stem.documents.csv …).

Each result's rows go, as it comes, to gzipped JSON Lines files staged
beside OUT, a set every `batch` files, so the batch process holds no rows
however many files it reads. A run commits all or nothing: at the end DuckDB
reads the sets, each in a connection of its own (its caches go with it),
into a new .duckdb file staged beside OUT, which is renamed over OUT or, for
the file formats, sorted into a set of files swapped in whole under a
commit journal. With --resume a .duckdb file is written in place, a set at a
time. DuckDB runs on one thread under a small memory limit (MEMORY_LIMITS),
spilling to a staged folder.

One run at a time: `Store` holds an flock on `.OUT.lock` beside OUT (in a
folder output, `OUT/.plancli.lock`), removed when the run ends. Every staged
name starts with `.OUT.plancli-` (`OUT/.plancli.plancli-`); a run that was
killed leaves at most such names (removed by the next run) or a commit
journal, which the next run finishes before anything else."""
from __future__ import annotations

import csv
import errno
import fcntl
import glob
import gzip
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import BusyError, OutputError, UsageError
from .rows import CSV_LINE_BREAKS, TABLES as _TABLES

# Each table's columns (rows.py derives them, with their types, from the models).
TABLES = {name: table.names for name, table in _TABLES.items()}
FORMATS = {".duckdb": "duckdb", ".db": "duckdb", ".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl"}
FOLDER = "folder"  # a folder of Parquet files, one per table
# The one table a single .parquet file holds (targets with their document's columns).
SINGLE_FILE_TABLE = "targets"


def output_format(out: str | Path) -> str:
    """The layout an output path names: FOLDER for a path ending in /, one
    without an extension or an existing folder; else what its extension says
    (FORMATS). An extension plancli cannot write is a usage error."""
    raw = os.fspath(out)
    path = Path(raw)
    suffix = path.suffix.lower()
    if raw.endswith(("/", os.sep)) or not suffix or path.is_dir():
        return FOLDER
    if suffix not in FORMATS:
        raise UsageError(f"{raw}: plancli cannot write {path.suffix} datasets; the output's extension says its "
                         "format: .duckdb, .parquet (one file: the targets), .csv or .jsonl, or a folder "
                         f"({path.stem}/) for one Parquet file per table")
    return FORMATS[suffix]


def _ddl(table: str) -> str:
    cols = ", ".join(f'"{c}" {sql_type}' for c, sql_type in _TABLES[table].types().items())
    return f'CREATE TABLE IF NOT EXISTS {table} ({cols})'


def _column_types(table: str, names: list[str] | None = None) -> str:
    """A DuckDB struct literal naming each column's type: {'path': 'VARCHAR', …}
    (of `names` only, in their order, when given: a column plancli does not
    know is read as text)."""
    types = _TABLES[table].types()
    return "{" + ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in (names or types)) + "}"


def _column_list(table: str) -> str:
    return ", ".join(f'"{c}"' for c in TABLES[table])


def _sql_text(value) -> str:
    """A string literal for SQL: O'Brien → 'O''Brien'."""
    return "'" + str(value).replace("'", "''") + "'"


def _json_reader(table: str, path) -> str:
    """read_json of a file or a list of files, each column with its type."""
    source = "[" + ", ".join(map(_sql_text, path)) + "]" if isinstance(path, list) else _sql_text(path)
    return f"read_json({source}, format='newline_delimited', columns={_column_types(table)})"


def table_reader(fmt: str, table: str, path: Path) -> str:
    """The SQL that reads one table's file as a batch wrote it, each column
    with its type. A file an earlier plancli wrote may lack a column added
    since (it reads as NULL when inserted BY NAME)."""
    if fmt in ("parquet", FOLDER):
        return f"read_parquet({_sql_text(path)})"
    if fmt == "csv":
        # an empty text is "" and a null an empty cell: read back as written
        with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as f:  # --bom wrote one
            header = next(csv.reader(f), [])
        return (f"read_csv({_sql_text(path)}, header=true, allow_quoted_nulls=false, "
                f"columns={_column_types(table, header)})")
    if fmt == "jsonl":
        return _json_reader(table, path)
    raise ValueError(f"no file reader for {fmt!r}")


def table_files(out: Path, fmt: str) -> dict[str, Path]:
    """The file each table an output keeps goes to (`fmt` from
    `output_format`): OUT/<table>.parquet in a folder; OUT alone for a
    .parquet file (the targets); for .csv and .jsonl OUT itself for targets
    and OUT's siblings (x.documents.csv) for the rest."""
    out = Path(out)
    if fmt == FOLDER:
        return {t: out / f"{t}.parquet" for t in TABLES}
    if fmt == "parquet":
        return {SINGLE_FILE_TABLE: out}
    stem, suffix = out.name[: -len(out.suffix)], out.suffix
    return {t: out if t == "targets" else out.with_name(f"{stem}.{t}{suffix}") for t in TABLES}


def _anchor(out: Path, fmt: str) -> Path:
    """The name the lock, staged files and journal are named after and put
    beside: OUT itself, or for a folder OUT/plancli (staged inside the
    folder, so a folder in an unwritable place works and nothing of the
    user's beside it is touched)."""
    return out / "plancli" if fmt == FOLDER else out


def text(value):
    """A string DuckDB can hold: a file name's undecodable bytes (surrogate
    escapes, os.fsdecode) become `\\xff` text, so every format stays valid
    UTF-8 and the same name always gives the same text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return value


def lock_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.plancli-"


def _journal(out: Path) -> Path:
    return out.with_name(f"{_staging_prefix(out)}commit")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(dest: Path, default: int) -> int:
    """An overwritten file keeps its mode; a new one gets what the umask gives."""
    try:
        return stat.S_IMODE(os.stat(dest).st_mode)
    except OSError:
        return default & ~_umask()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_db_error(error: BaseException) -> bool:
    import duckdb

    return isinstance(error, duckdb.Error)


def _output_error(error: BaseException, out: Path, kept: str) -> OutputError:
    """A write failure as one line naming the user's output, never a temp file."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    no_space = (getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
                or "no space left" in str(error).lower() or "disk quota" in str(error).lower())
    if no_space:
        return OutputError(f"{out}: disk full, the output could not be written; {kept}")
    reason = getattr(error, "strerror", None) or message
    return OutputError(f"{out}: cannot write the output ({reason}); {kept}")


def _lock(anchor: Path, out: Path) -> int:
    """An exclusive flock on `.OUT.lock`; fails at once when another run
    holds it. The holder removes the file before letting go (`_unlock`), so
    a lock taken on a file already removed is taken again on the new one."""
    path = lock_path(anchor)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as e:
            raise _output_error(e, out, "nothing was changed") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            except OSError:
                holder = ""
            os.close(fd)
            raise BusyError(f"{out}: another plancli batch{' (pid ' + holder + ')' if holder.isdigit() else ''} "
                            "is writing this output; wait for it to finish or choose another -o") from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except OSError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
    except OSError:
        pass  # the pid is only for the message; a full disk must not stop the lock
    return fd


def _unlock(out: Path, fd: int) -> None:
    lock_path(out).unlink(missing_ok=True)
    os.close(fd)  # closing the file releases the flock


def _roll_forward(out: Path) -> None:
    """Finish a commit a killed run had started: every staged file of the new
    set still waiting is renamed into place, then the journal goes."""
    journal = _journal(out)
    try:
        moves = json.loads(journal.read_text(encoding="utf-8", errors="surrogateescape"))
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)  # never completed: the old set is whole
        return
    for src, dst in moves:
        src, dst = Path(src), Path(dst)
        if src.exists():  # else moved before the kill
            os.replace(src, dst)
    _fsync(out.parent)
    journal.unlink()


def _clean_leftovers(out: Path) -> None:
    prefix = _staging_prefix(out)
    for entry in out.parent.iterdir():
        if entry.name.startswith(prefix):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _commit_moves(out: Path, moves: list[tuple[Path, Path]]) -> None:
    """Rename the staged set into place: a journal first, so a kill between
    two renames is finished by the next run; a kill before the journal
    leaves the old set whole."""
    journal = _journal(out)
    tmp = journal.with_name(journal.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as f:
        json.dump([[str(s), str(d)] for s, d in moves], f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, journal)
    _fsync(out.parent)
    _roll_forward(out)


# DuckDB's memory in the batch process, tried in turn: a statement that runs
# out is rolled back and run again under the next limit. Loading a set of
# rows fits the first; sorting a table for the file formats needs the second
# (620 reports) or more. None is DuckDB's own default (80 % of the memory).
MEMORY_LIMITS = ("64MB", "128MB", "256MB", "1GB", None)
# Rows per row group in the .duckdb files written: each commit rewrites the
# table's last, unfilled row group, in memory, so its size bounds what a
# commit costs (DuckDB's own 122,880 rows of wide target rows is ~100 MB).
# The Parquet writer also holds a whole row group: twice as many there.
ROW_GROUP_ROWS = 4096
# Staged sets of rows (`batch` files each) DuckDB loads in one connection and
# one commit at the end of a run: a quarter of the connections, commits and
# checkpoints (half the time), each holding 100 reports' rows at most.
SETS_PER_LOAD = 4


class Store:
    """Without `resume` the output is replaced whole at the end (a run that
    does not finish leaves the old one as it was); with it, rows are added to
    what is there, and a .duckdb file is committed every `batch` files.

    Each result's rows are written, as it comes, to gzipped JSON Lines
    beside OUT (`.OUT.plancli-PID.c00000.targets.jsonl.gz`, a new set every
    `batch` files) and dropped: the batch process holds no rows and no
    DuckDB connection while the workers parse."""

    def __init__(self, out: str | Path, resume: bool = False, batch: int = 25, bom: bool = False):
        self.fmt = output_format(out)
        raw = os.fspath(out)
        self.out = Path(os.path.abspath(raw)) if Path(raw).name in ("", "..") else Path(raw)  # -o . names a folder
        self.resume = resume
        self.bom = bom  # CSV files start with a UTF-8 byte-order mark (Excel)
        if bom and self.fmt != "csv":
            raise UsageError(f"{raw}: --bom is for CSV output (.csv)")
        if not self.out.parent.is_dir():
            raise UsageError(f"{self.out.parent}: no such directory for -o")
        if self.fmt == FOLDER and Path(raw).suffix.lower() in FORMATS and not raw.endswith(("/", os.sep)):
            # x.parquet as a folder (what plancli wrote before it wrote one file): never replaced by a file
            raise UsageError(f"{raw}: is a folder; give {raw}/ to write one Parquet file per table into it, "
                             "or another name")
        if self.fmt == FOLDER and self.out.exists() and not self.out.is_dir():
            raise UsageError(f"{raw}: is a file, not a folder; give a folder for one Parquet file per table")
        self.anchor = _anchor(self.out, self.fmt)
        self.made_folder = False
        self.batch = batch
        self.pending = 0  # files in the set being written
        self.staging = self.anchor.with_name(f"{_staging_prefix(self.anchor)}{os.getpid()}")
        self.spill = Path(f"{self.staging}.spill")  # DuckDB's temp_directory, when a sort or load spills
        self.sets: list[dict[str, Path]] = []  # closed sets of staged rows: table → file
        self.writers: dict = {}  # table → the open gzip stream of the set being written
        self.staged_db: Path | None = None
        self.con = None  # a connection lives as long as one load or export
        self.closed = False
        self.committed = False
        self.known: dict[str, set] = {}    # path → SHA-256 sums already in the output (--resume)
        self.replacing: set[str] = set()  # paths whose old rows a new result replaces
        self.lock_fd = None
        try:
            if self.fmt == FOLDER and not self.out.exists():
                self.out.mkdir()
                self.made_folder = True
            self.lock_fd = _lock(self.anchor, self.out)
            self._open()
        except BaseException as e:
            self._discard()
            if isinstance(e, OSError) or _is_db_error(e):
                raise _output_error(e, self.out, f"{self.out.name} left as it was") from None
            raise

    def _open(self) -> None:
        import duckdb

        _roll_forward(self.anchor) if _journal(self.anchor).exists() else None
        _clean_leftovers(self.anchor)
        if self.fmt == "duckdb" and Path(f"{self.out}.wal").exists():
            # a killed run's WAL: fold it into OUT now, so a new OUT never meets an old WAL
            con = duckdb.connect(str(self.out))
            con.execute("CHECKPOINT")
            con.close()
        if self.fmt == "duckdb" and self.resume:
            self.con = self._connect(self.out)
            for table in TABLES:
                self.con.execute(_ddl(table))
            self._upgrade()
            self.con.close()
            self.con = None

    def _connect(self, database: Path | None = None):
        """A DuckDB connection on one thread (a second made the final load no
        faster, only bigger), spilling to a staged folder (never to the
        working folder) and, given `database`, writing that file with small
        row groups."""
        import duckdb

        con = duckdb.connect(":memory:")
        con.execute("SET threads=1")
        con.execute("SET preserve_insertion_order=false")
        con.execute(f"SET temp_directory={_sql_text(self.spill)}")
        if database is not None:
            con.execute(f"ATTACH {_sql_text(database)} AS out (ROW_GROUP_SIZE {ROW_GROUP_ROWS})")
            con.execute("USE out")
        return con

    def _within_memory(self, work, undo=None):
        """work() on self.con, under the first of MEMORY_LIMITS it fits in."""
        import duckdb

        for n, limit in enumerate(MEMORY_LIMITS, 1):
            self.con.execute(f"SET memory_limit={_sql_text(limit)}" if limit else "RESET memory_limit")
            try:
                return work()
            except duckdb.OutOfMemoryException:
                if n == len(MEMORY_LIMITS):
                    raise
                if undo:
                    undo()

    def _upgrade(self) -> None:
        """A dataset an earlier plancli wrote, brought to this one's tables
        before rows are added to it (--resume): a column added since is added
        (empty for the old rows), and the achieved values schema 1 kept in
        targets move to the actuals table."""
        for table, types in ((t, _TABLES[t].types()) for t in TABLES):
            have = {name for (name,) in self.con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_catalog = current_database() AND table_name = ?", [table]).fetchall()}
            for column, sql_type in types.items():
                if column not in have:
                    self.con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {sql_type}')
        columns = _column_list("targets")
        self.con.execute(f"INSERT INTO actuals ({columns}) SELECT {columns} FROM targets WHERE kind = 'actual'")
        self.con.execute("DELETE FROM targets WHERE kind = 'actual'")

    def _committed(self, con, table: str) -> str | None:
        """A reader of a table as the output holds it now (None when it has
        none); a .duckdb output is attached to `con`, read-only, as `old`."""
        if self.fmt == "duckdb":
            if not self.out.exists():
                return None
            if not con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'old'").fetchone()[0]:
                con.execute(f"ATTACH {_sql_text(self.out)} AS old (READ_ONLY)")
            return f"old.{table}"
        path = table_files(self.out, self.fmt).get(table)
        if path is None or not path.exists():
            return None
        return table_reader(self.fmt, table, path)

    def seen(self) -> set[tuple[str, str | None]]:
        """(path, SHA-256) of every file already in the output (documents and
        errors). A single .parquet file keeps the targets alone: there a file
        is known by its target rows, and one without any is read again."""
        pairs = set()
        con = self._connect()
        try:
            for table in ("documents", "errors") if self.fmt != "parquet" else (SINGLE_FILE_TABLE,):
                if (source := self._committed(con, table)) is None:
                    continue
                for sha, path in con.execute(f"SELECT sha256, path FROM {source}").fetchall():
                    pairs.add((path, sha or None))
                    self.known.setdefault(path, set()).add(sha or None)
        finally:
            con.close()
        return pairs

    def counts(self) -> dict[str, int]:
        """Rows per table in the output as committed (this run's rows count
        once the run, or with --resume into a .duckdb file their set, is)."""
        con = self._connect()
        try:
            return {t: con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
                    for t in TABLES if (source := self._committed(con, t)) is not None}
        finally:
            con.close()

    def add(self, result) -> None:
        try:
            self._add(result)
        except Exception as e:
            if isinstance(e, (OSError, UnicodeError)) or _is_db_error(e):
                raise _output_error(e, self.out, self._kept()) from None
            raise

    def _add(self, result) -> None:
        if self.resume and text(result.path) in self.known:
            self.replacing.add(text(result.path))  # the same path with new content: its old rows go
        if result.error:
            self._write("errors", [{"path": result.path, "sha256": result.sha256, "reason": result.error}])
        else:
            self._write("documents", [result.document])
            self._write("sections", result.sections)
            self._write("targets", result.targets)
            self._write("actuals", result.actuals)
        self.pending += 1
        if self.pending >= self.batch:
            self._close_set()

    def _write(self, table: str, rows: list[dict]) -> None:
        """Rows as JSON lines, gzipped (level 1: a tenth of the bytes for
        about half a millisecond a report), so that the staged rows take
        about the room the .duckdb output will."""
        if not rows:
            return
        writer = self.writers.get(table)
        if writer is None:
            path = Path(f"{self.staging}.c{len(self.sets):05d}.{table}.jsonl.gz")
            writer = self.writers[table] = gzip.open(path, "wb", compresslevel=1)
        columns = TABLES[table]
        try:
            data = "".join(json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n"
                           for r in rows).encode("utf-8")
        except UnicodeEncodeError:  # a file name's undecodable bytes: as `text` gives them
            data = "".join(json.dumps({c: text(r.get(c)) for c in columns}, ensure_ascii=False) + "\n"
                           for r in rows).encode("utf-8")
        writer.write(data)

    def _close_set(self) -> None:
        """End the set of staged rows being written (each gzip stream closed
        whole); with --resume into a .duckdb file, commit it into OUT."""
        rows = {}
        for table, writer in self.writers.items():
            writer.close()
            rows[table] = Path(writer.name)
        self.writers = {}
        self.pending = 0
        if self.fmt == "duckdb" and self.resume:
            stale, self.replacing = sorted(self.replacing), set()
            if rows or stale:
                self._load(self.out, [rows], stale)  # one set: SETS_PER_LOAD is for the end
            for path in rows.values():
                path.unlink()
        elif rows:
            self.sets.append(rows)

    def _load(self, database: Path, sets: list[dict[str, Path]], stale: list[str] = ()) -> None:
        """Sets of staged rows into `database`, SETS_PER_LOAD at a time, each
        time in a connection of its own (its caches go with it) and committed
        whole; the rows of `stale` paths out first."""
        stale = list(stale)
        for n in range(0, len(sets), SETS_PER_LOAD):
            files = {t: [str(rows[t]) for rows in sets[n:n + SETS_PER_LOAD] if t in rows] for t in TABLES}
            self.con = self._connect(database)

            def work():
                self.con.execute("BEGIN TRANSACTION")
                if stale:
                    for table in TABLES:
                        self.con.execute(f"DELETE FROM {table} WHERE list_contains(?, path)", [stale])
                for table, paths in files.items():
                    if paths:
                        self.con.execute(f"INSERT INTO {table} BY NAME SELECT {_column_list(table)} "
                                         f"FROM {_json_reader(table, paths)}")
                self.con.execute("COMMIT")

            self._within_memory(work, undo=lambda: self.con.execute("ROLLBACK"))
            stale = []
            # a failed checkpoint (full disk) raises here, before anything is renamed; in OUT
            # (--resume) the WAL keeps what was committed
            self.con.execute("CHECKPOINT")
            self.con.close()
            self.con = None

    def _kept(self) -> str:
        if self.fmt == "duckdb" and self.resume:
            return "the batches committed before are kept; run again with --resume"
        return f"{self.out.name} left as it was"

    def close(self, commit: bool = True) -> None:
        """Commit everything and put it in place, or (commit=False, after a
        failure or an interruption) keep the output as it was: for --resume
        into a .duckdb file, as of its last committed batch."""
        if self.closed:
            return
        if not commit:
            self._discard()
            return
        try:
            self._close_set()
            if not (self.fmt == "duckdb" and self.resume):
                self._stage_db()
                if self.fmt == "duckdb":
                    os.chmod(self.staged_db, _mode_for(self.out, 0o666))
                    _fsync(self.staged_db)
                    os.replace(self.staged_db, self.out)
                    self.staged_db = None
                    _fsync(self.out.parent)
                else:
                    self._export()
            self.committed = True
        except Exception as e:
            kept = self._kept()
            self._discard()
            if isinstance(e, (OSError, UnicodeError)) or _is_db_error(e):
                raise _output_error(e, self.out, kept) from None
            raise
        self._discard()

    def _stage_db(self) -> None:
        """This run's rows in a new .duckdb file beside OUT: the new OUT, or
        what the file formats are exported from. With --resume (a file
        format) the output's rows come first, brought to this schema, those
        of files parsed again left out."""
        self.staged_db = Path(f"{self.staging}.tmp")
        self.con = self._connect(self.staged_db)
        for table in TABLES:
            self.con.execute(_ddl(table))
        if self.resume:
            for table, path in table_files(self.out, self.fmt).items():
                if path.exists():
                    insert = f"INSERT INTO {table} BY NAME SELECT * FROM {table_reader(self.fmt, table, path)}"
                    self._within_memory(lambda: self.con.execute(insert))
            self._upgrade()
        self.con.execute("CHECKPOINT")
        self.con.close()
        self.con = None
        self._load(self.staged_db, self.sets, sorted(self.replacing))

    def _discard(self) -> None:
        """Roll back what is not committed, remove what this run staged (never
        OUT or its WAL) and let go of the lock."""
        self.closed = True
        if self.con is not None:
            try:
                self.con.close()  # what it had not committed is rolled back
            except Exception:
                pass
            self.con = None
        for writer in self.writers.values():
            try:
                writer.close()
            except (OSError, ValueError):
                pass  # a full disk: what could not be written goes with the file
        self.writers = {}
        for p in self.anchor.parent.glob(f"{glob.escape(self.staging.name)}.*"):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)  # the spill folder
            else:
                p.unlink(missing_ok=True)  # staged rows, the staged .duckdb file and its WAL
        self.sets = []
        self.staged_db = None
        if getattr(self, "lock_fd", None) is not None:
            _unlock(self.anchor, self.lock_fd)
            self.lock_fd = None
        if self.made_folder and not self.committed:
            try:
                self.out.rmdir()  # the folder this run made for its output, if still empty
            except OSError:
                pass

    def _export(self) -> None:
        """Write every table the output keeps, sorted, from the staged
        .duckdb file into a staging folder beside OUT (inside a folder
        output), then swap the whole set in through a commit journal."""
        files = table_files(self.out, self.fmt)
        parquet = f"(FORMAT PARQUET, ROW_GROUP_SIZE {2 * ROW_GROUP_ROWS})"
        options = {"parquet": parquet, FOLDER: parquet, "csv": "(FORMAT CSV, HEADER)",
                   "jsonl": "(FORMAT JSON)"}[self.fmt]
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(self.anchor), dir=self.anchor.parent))
        new = staging / "new"
        new.mkdir()
        self.con = self._connect(self.staged_db)
        try:
            for table, final in files.items():
                tmp = new / final.name
                types = _TABLES[table].types()
                order = "path, start" if "start" in types else "path"
                columns = ", ".join(_csv_column(c, t) for c, t in types.items()) if self.fmt == "csv" else "*"
                copy = f"COPY (SELECT {columns} FROM {table} ORDER BY {order}) TO {_sql_text(tmp)} {options}"
                self._within_memory(lambda: self.con.execute(copy))
                if self.bom:
                    _prepend_bom(tmp)
                os.chmod(tmp, _mode_for(final, 0o666))
                _fsync(tmp)
            self.con.close()
            self.con = None
            _fsync(new)
            _commit_moves(self.anchor, [(new / final.name, final) for final in files.values()])
        finally:
            if not _journal(self.anchor).exists():  # else the next run finishes the commit from staging
                shutil.rmtree(staging, ignore_errors=True)


def _csv_column(name: str, sql_type: str) -> str:
    """A column as CSV writes it: text without line breaks (rows.CSV_LINE_BREAKS,
    the same rule as plancli targets --format csv); JSON and Parquet keep the text exact."""
    if sql_type != "VARCHAR":
        return f'"{name}"'
    return f"regexp_replace(\"{name}\", '{CSV_LINE_BREAKS}', ' ', 'g') AS \"{name}\""


def _prepend_bom(path: Path) -> None:
    """Start a written CSV file with the UTF-8 byte-order mark (--bom)."""
    from .emit import UTF8_BOM

    marked = path.with_name(path.name + ".bom")
    with open(path, "rb") as src, open(marked, "wb") as dst:
        dst.write(UTF8_BOM.encode("utf-8"))
        shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(marked, path)
