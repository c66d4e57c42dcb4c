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


def validate_file(path: Path) -> str:
    """What a JSON file holds ("document", "53 targets") when it fits the
    schema; InputError naming the first error when it does not."""
    from pydantic import ValidationError

    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: not JSON: {e}") from None
    # a list is what plancli targets --format json writes, an object plancli parse
    try:
        if isinstance(data, list):
            for i, row in enumerate(data):
                try:
                    Target.model_validate(row)
                except ValidationError as e:
                    raise InputError(f"{path}: invalid: {_first_error(e, prefix=f'[{i}]')}") from None
            return f"{len(data)} targets"
        Document.model_validate(data)
    except ValidationError as e:
        raise InputError(f"{path}: invalid: {_first_error(e)}") from None
    return "document"


def _first_error(e, prefix: str = "") -> str:
    first = e.errors()[0]
    where = prefix + ".".join(str(p) for p in first["loc"])
    return f"{where or 'top level'}: {first['msg']}"
