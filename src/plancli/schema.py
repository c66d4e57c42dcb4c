"""The published JSON Schemas (data/schema/), generated from the models, and
the check that a JSON file written by plancli still fits them."""
from __future__ import annotations

import json
from pathlib import Path

from .errors import InputError, UsageError
from .models import Document, Target


def schemas() -> dict[str, dict]:
    """The published JSON Schemas, by file name."""
    return {"document.schema.json": Document.model_json_schema(),
            "target.schema.json": Target.model_json_schema()}


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Every schema into `directory` (plancli schema -o data/schema)."""
    from .emit import write_atomic

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, body in schemas().items():
        write_atomic(directory / name, schema_text(body))
        written.append(directory / name)
    return written


# What validate reads, by extension; any other name (and -) is sniffed: JSON, then JSON Lines, then YAML.
_READERS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}
# The Python types a batch table's cells hold in JSON Lines, by SQL type (rows.py).
_CELL_TYPES = {"VARCHAR": (str,), "INTEGER": (int,), "BIGINT": (int,), "DOUBLE": (int, float), "BOOLEAN": (bool,)}


def validate_file(path: str | Path) -> str:
    """What a file plancli wrote holds ("document", "53 targets", "120 rows
    of the targets table") when it fits; InputError naming the first error
    when it does not. JSON and YAML hold a document (parse, outline --format
    json) or a list of targets (targets --format json|yaml); JSON Lines one
    row a line, as plancli writes them: a target each (targets --format
    jsonl) or a row of one batch table each (batch -o OUT.jsonl)."""
    name = str(path)
    text = _read(name)
    kind = _READERS.get(Path(name).suffix.lower()) if name != "-" else None
    if kind == "json":
        try:
            return _check_value(json.loads(text), name)
        except json.JSONDecodeError as e:
            raise InputError(f"{name}: not JSON: {e}") from None
    if kind == "jsonl":
        return _check_rows(_jsonl(text, name), name)
    if kind == "yaml":
        return _check_value(_loads_yaml(text, name), name)
    # sniffed (standard input, another extension): JSON, then JSON Lines, then YAML
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        rows = _jsonl(text)
        return _check_rows(rows, name) if rows else _check_value(_loads_yaml(text, name), name)
    if isinstance(data, dict) and "meta" not in data:
        return _check_rows([(1, data)], name)  # one line of JSON Lines, not a document
    return _check_value(data, name)


def _read(name: str) -> str:
    import sys

    if name == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    else:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"{name}: no such file" if not path.exists() else f"{name}: not a file")
        data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name}: not UTF-8 text (byte {e.start}); plancli writes UTF-8") from None


def _jsonl(text: str, name: str | None = None) -> list[tuple[int, object]] | None:
    """(line number, value) of every non-blank line; None (or, with `name`,
    InputError) when a line is not JSON."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as e:
            if name is None:
                return None
            raise InputError(f"{name}: line {number}: not JSON: {e.msg} (column {e.colno})") from None
    return rows


def _loads_yaml(text: str, name: str):
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise InputError(f"{name}: {where}not YAML: {getattr(e, 'problem', None) or e}") from None


def _check_value(data, name: str) -> str:
    """A whole JSON or YAML file: a document (an object) or a list of targets."""
    from pydantic import ValidationError

    if isinstance(data, list):
        for i, row in enumerate(data):
            try:
                Target.model_validate(row)
            except ValidationError as e:
                raise InputError(f"{name}: invalid: {_first_error(e, prefix=f'[{i}]')}") from None
        return f"{len(data)} targets"
    if not isinstance(data, dict):
        raise InputError(f"{name}: invalid: neither a document (an object) nor a list of targets")
    try:
        Document.model_validate(data)
    except ValidationError as e:
        raise InputError(f"{name}: invalid: {_first_error(e)}") from None
    return "document"


def _check_rows(rows: list[tuple[int, object]], name: str) -> str:
    """JSON Lines: every line a target, or every line a row of the batch
    table whose columns the first line has (rows.TABLES)."""
    from pydantic import ValidationError

    from .rows import TABLES

    if not rows:
        raise InputError(f"{name}: invalid: no rows")
    first = rows[0][1]
    tables = [t for t in TABLES.values() if isinstance(first, dict) and set(first) == set(t.names)]
    for number, row in rows:
        if not isinstance(row, dict):
            raise InputError(f"{name}: line {number}: invalid: a row is an object, not {type(row).__name__}")
        if tables:
            problem = _row_problem(tables[0], row)
            if problem:
                raise InputError(f"{name}: line {number}: invalid: {problem}")
            continue
        try:
            Target.model_validate(row)
        except ValidationError as e:
            raise InputError(f"{name}: line {number}: invalid: {_first_error(e)}") from None
    if tables:
        return f"{len(rows)} rows of the {' or '.join(t.name for t in tables)} table"
    return f"{len(rows)} targets"


def _row_problem(table, row: dict) -> str | None:
    """What is wrong with a row of a batch table, or None: its columns are
    the table's, each cell null or of its column's type."""
    missing = [c for c in table.names if c not in row]
    extra = [c for c in row if c not in table.names]
    if missing or extra:
        return (f"columns of the {table.name} table expected; " +
                "; ".join(part for part in (f"missing {', '.join(missing)}" if missing else "",
                                            f"unexpected {', '.join(extra)}" if extra else "") if part))
    for column, sql_type in table.types().items():
        value = row[column]
        allowed = _CELL_TYPES.get(sql_type, (str,))
        if value is None:
            continue
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            return f"{column}: {value!r} is not {sql_type.lower()}"
    return None


def _first_error(e, prefix: str = "") -> str:
    first = e.errors()[0]
    where = prefix + ".".join(str(p) for p in first["loc"])
    return f"{where or 'top level'}: {first['msg']}"
