"""Where corpus mode writes: DuckDB, Parquet, CSV or JSON Lines.

All four keep the same four tables (documents, sections, targets, errors).
A .duckdb file is written as it goes, committed every `batch` files, so an
interrupted run leaves it consistent; the file formats are staged in an
in-memory DuckDB and written whole at the end, each file atomically."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .errors import UsageError
from .rows import TABLES as _TABLES

# Each table's columns (rows.py derives them, with their types, from the models).
TABLES = {name: table.names for name, table in _TABLES.items()}
FORMATS = {".duckdb": "duckdb", ".db": "duckdb", ".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl"}


def _ddl(table: str) -> str:
    cols = ", ".join(f'"{c}" {sql_type}' for c, sql_type in _TABLES[table].types().items())
    return f'CREATE TABLE IF NOT EXISTS {table} ({cols})'


def _column_types(table: str) -> str:
    """A DuckDB struct literal naming each column's type: {'path': 'VARCHAR', …}."""
    return "{" + ", ".join(f"'{c}': '{sql_type}'" for c, sql_type in _TABLES[table].types().items()) + "}"


def _column_list(table: str) -> str:
    return ", ".join(f'"{c}"' for c in TABLES[table])


def _json_reader(table: str, path) -> str:
    return f"read_json('{path}', format='newline_delimited', columns={_column_types(table)})"


def table_files(out: Path, fmt: str) -> dict[str, Path]:
    """The file each table goes to: OUT/<table>.parquet for Parquet;
    OUT itself for targets and OUT's siblings (x.documents.csv) otherwise."""
    if fmt == "parquet":
        return {t: out / f"{t}.parquet" for t in TABLES}
    stem, suffix = out.name[: -len(out.suffix)], out.suffix
    return {t: out if t == "targets" else out.with_name(f"{stem}.{t}{suffix}") for t in TABLES}


class Store:
    """Without `resume` the output is replaced whole at the end (an
    interrupted run leaves the old one as it was); with it, rows are added to
    what is there, and a .duckdb file is committed every `batch` files."""

    def __init__(self, out: str | Path, resume: bool = False, batch: int = 25):
        import duckdb

        self.out = Path(out)
        self.resume = resume
        suffix = self.out.suffix.lower()
        if suffix not in FORMATS:
            raise UsageError(f"{out}: the output's extension says its format: .duckdb, .parquet, .csv or .jsonl")
        if not self.out.parent.exists():
            raise UsageError(f"{self.out.parent}: no such directory for -o")
        self.fmt = FORMATS[suffix]
        self.batch = batch
        self.pending = 0
        self.buffer: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.staged_db: Path | None = None
        if self.fmt == "duckdb" and resume:
            self.con = duckdb.connect(str(self.out))
        elif self.fmt == "duckdb":
            fd, name = tempfile.mkstemp(prefix=f".{self.out.name}.", suffix=".tmp", dir=self.out.parent)
            os.close(fd)
            os.unlink(name)  # duckdb creates the file itself
            self.staged_db = Path(name)
            self.con = duckdb.connect(name)
        else:
            self.con = duckdb.connect(":memory:")
        for table in TABLES:
            self.con.execute(_ddl(table))
        if self.fmt != "duckdb" and resume:
            self._load_existing()
        self.con.execute("BEGIN TRANSACTION")

    def _load_existing(self) -> None:
        """Earlier rows of a file output, so a run adds to them (--resume)."""
        for table, path in table_files(self.out, self.fmt).items():
            if not path.exists():
                continue
            reader = {"parquet": f"read_parquet('{path}')",
                      "csv": f"read_csv('{path}', header=true, columns={_column_types(table)})",
                      "jsonl": _json_reader(table, path)}[self.fmt]
            self.con.execute(f"INSERT INTO {table} SELECT {_column_list(table)} FROM {reader}")

    def seen(self) -> tuple[set[str], set[str]]:
        """SHA-256 sums and paths already in the output (documents and errors)."""
        shas, paths = set(), set()
        for table in ("documents", "errors"):
            for sha, path in self.con.execute(f"SELECT sha256, path FROM {table}").fetchall():
                if sha:
                    shas.add(sha)
                if not sha:
                    paths.add(path)
        return shas, paths

    def add(self, result) -> None:
        if result.error:
            self.buffer["errors"].append({"path": result.path, "sha256": result.sha256, "reason": result.error})
        else:
            self.buffer["documents"].append(result.document)
            self.buffer["sections"].extend(result.sections)
            self.buffer["targets"].extend(result.targets)
        self.pending += 1
        if self.pending >= self.batch:
            self._flush()
            self.con.execute("COMMIT")
            self.con.execute("BEGIN TRANSACTION")
            self.pending = 0

    def _flush(self) -> None:
        """Insert the buffered rows: through a JSON Lines file, which DuckDB
        reads in bulk far faster than row-by-row inserts."""
        for table, rows in self.buffer.items():
            if not rows:
                continue
            fd, name = tempfile.mkstemp(suffix=".jsonl")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    for r in rows:
                        f.write(json.dumps({c: r.get(c) for c in TABLES[table]}, ensure_ascii=False))
                        f.write("\n")
                self.con.execute(f"INSERT INTO {table} SELECT {_column_list(table)} FROM {_json_reader(table, name)}")
            finally:
                os.unlink(name)
            rows.clear()

    def close(self, commit: bool = True) -> None:
        """Commit (or, after an interruption, keep only what was committed
        for DuckDB, and leave file outputs as they were) and write files."""
        if commit:
            self._flush()
            self.con.execute("COMMIT")
            if self.fmt != "duckdb":
                self._export()
        else:
            self.con.execute("ROLLBACK")
        self.con.close()
        if self.staged_db is not None:
            if commit:
                os.replace(self.staged_db, self.out)
            else:
                self.staged_db.unlink(missing_ok=True)
            Path(f"{self.staged_db}.wal").unlink(missing_ok=True)

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}

    def _export(self) -> None:
        files = table_files(self.out, self.fmt)
        order = {"documents": "path", "sections": "path, start", "targets": "path, start", "errors": "path"}
        options = {"parquet": "(FORMAT PARQUET)", "csv": "(FORMAT CSV, HEADER)",
                   "jsonl": "(FORMAT JSON)"}[self.fmt]
        staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.", dir=self.out.parent))
        try:
            written = {}
            for table, final in files.items():
                tmp = staging / final.name
                self.con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order[table]}) TO '{tmp}' {options}")
                written[table] = tmp
            if self.fmt == "parquet":
                _replace_dir(staging, self.out)
            else:
                for table, tmp in written.items():
                    os.replace(tmp, files[table])
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _replace_dir(new: Path, out: Path) -> None:
    """Put the folder `new` where `out` is, never leaving a half-written one."""
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
        os.replace(new, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, out)
