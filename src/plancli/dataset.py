"""Reading back what `plancli batch` wrote: every table as a pandas DataFrame.

pandas and DuckDB are imported inside `read_dataset` only: `import plancli`
and the `targets` / `parse` commands never pay for them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BadValueError, InputError, NoSuchFileError

if TYPE_CHECKING:
    import pandas

PANDAS_MISSING = "plancli.read_dataset needs pandas: pip install 'plancli[pandas]'"


def read_dataset(path: str | os.PathLike) -> dict[str, pandas.DataFrame]:
    """The tables of a dataset `plancli batch` wrote, by name: documents,
    sections, targets, actuals, errors. `path` is what was given to -o: a
    .duckdb file, a folder of Parquet files, a .parquet file (the targets
    table alone), or the .csv / .jsonl file of targets (the other tables
    beside it). Each column has the type the batch gave it,
    whatever the format. A dataset written before schema 2 (no actuals
    table) has its achieved values taken out of targets into actuals.

    ImportError naming the extra when pandas is not installed;
    FileNotFoundError when there is no such dataset; ValueError when the
    path's extension is no batch format or its files cannot be read."""
    try:
        import pandas  # noqa: F401  (DuckDB's .df() needs it)
    except ImportError:
        raise ImportError(PANDAS_MISSING) from None
    import duckdb

    from .store import FORMATS, SINGLE_FILE_TABLE, TABLES, output_format, table_files, table_reader

    path = Path(path)
    if path.suffix and path.suffix.lower() not in FORMATS:
        raise BadValueError(f"{path}: not a dataset plancli batch writes: "
                            f"a folder or a name ending in {', '.join(sorted(set(FORMATS)))}")
    if not path.exists():
        raise NoSuchFileError(f"{path}: no such dataset", path)
    fmt = output_format(path)
    try:
        if fmt == "duckdb":
            con = duckdb.connect(str(path), read_only=True)
            present = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            sources = {t: f'"{t}"' for t in TABLES if t in present}
        else:
            con = duckdb.connect()
            sources = {t: table_reader(fmt, t, f) for t, f in table_files(path, fmt).items() if f.exists()}
        try:
            if fmt == "parquet":  # one file: the targets table alone
                return {SINGLE_FILE_TABLE: con.execute(f"SELECT * FROM {sources[SINGLE_FILE_TABLE]}").df()}
            return _frames(con, sources, list(TABLES))
        finally:
            con.close()
    except duckdb.Error as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise InputError(f"{path}: not a dataset plancli can read ({first})") from None


def _frames(con, sources: dict[str, str], tables: list[str]) -> dict[str, pandas.DataFrame]:
    """A DataFrame per table from its SQL source, in the order of `tables`."""
    if "targets" in sources and "actuals" not in sources:
        # schema 1 kept a review's 增长5.2% in targets beside the goal 增长5%左右
        both = sources["targets"]
        sources["actuals"] = f"(SELECT * FROM {both} WHERE kind = 'actual')"
        sources["targets"] = f"(SELECT * FROM {both} WHERE kind IS DISTINCT FROM 'actual')"
    return {t: con.execute(f"SELECT * FROM {sources[t]}").df() for t in tables if t in sources}
