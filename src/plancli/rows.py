"""Flat rows from the models: the columns of the CSV, DuckDB and Parquet
outputs, their SQL types and the row dicts, all derived from models.py.

A field added to Target, Meta or Section becomes a column of every output
with no edit here: its SQL type comes from its annotation and its place is
after the columns already published. What a cell holds follows the field's
type: a scalar as is, section_path joined by /, a list of models (a
section's measures) as a count, any other list or model as JSON text."""
from __future__ import annotations

import json
import re
import types
from dataclasses import dataclass
from typing import Any, Callable, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from .models import Document, Meta, Section, Target
from .record import plain

SECTION_PATH_SEPARATOR = "/"
# Lists of labels written as one cell: ["三", "（一）"] → 三/（一）
_JOINED = {"section_path": SECTION_PATH_SEPARATOR}

# No CSV cell holds a line break (a PDF's hard line breaks stay in a sentence
# as read): Excel and line-based tools would split the row. A run of them,
# with the spaces and 　 around it, becomes one space, in CSV only; JSON,
# JSON Lines, YAML, Parquet and DuckDB keep the text exact, as the offsets
# index it (国内生产总值增长\n5%左右 → 国内生产总值增长 5%左右 in CSV). A
# character class plain enough for Python's re and DuckDB's RE2 alike.
CSV_LINE_BREAKS = "[ \t\u3000]*[\r\n\v\f\x85\u2028\u2029]+[ \t\u3000]*"
_CSV_LINE_BREAK = re.compile(CSV_LINE_BREAKS)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell holds it: text on one line (CSV_LINE_BREAKS)."""
    return _CSV_LINE_BREAK.sub(" ", value) if isinstance(value, str) else value


# Columns already published keep their order (the public contract of a
# target row in DESIGN.md first, then its siblings); a field added to a
# model follows them, in the model's order.
_PUBLISHED = {
    "target_csv": ("doc", "section", "section_title", "measure", "text", "start", "end", "indicator", "action",
                   "value", "value_max", "unit", "base_value", "base_value_max", "base_unit", "comparator", "kind",
                   "modality", "sentence", "section_path", "direction", "sentence_start", "sentence_end",
                   "indicator_id", "value_type"),
    "documents": ("path", "sha256", "doc", "title", "doc_type", "region", "year", "date", "input_format",
                  "encoding", "chars", "sections", "targets", "actuals"),
    "targets": ("sha256", "path", "region", "year", "doc_type", "doc_title"),  # then the target's fields
    "sections": ("sha256", "path", "section_path", "label", "title", "level", "style", "kind", "start", "end",
                 "measures", "target_count"),
}

# Fields that are no column of a table, and why; every other field is one.
_LEFT_OUT = {
    # the path column says where; spans, the wrapper (lead lines, recipients,
    # attachments, the title as first published) and who signed or spoke stay
    # in the parse JSON
    Meta: {"source", "title_span", "body", "lead", "trailer", "recipients", "attachments", "original_title",
           "issuer", "speaker", "occasion"},
    # a section's offsets locate it; its title's offsets and its children
    # (their rows carry the section_path) are in the parse JSON
    Section: {"title_start", "title_end", "children"},
}


def _is_offset(name: str) -> bool:
    """Offsets and lengths into a text (start, sentence_end, chars) may pass
    2**31 in a large corpus file; years, levels and counts never do."""
    return name in ("start", "end", "chars") or name.endswith(("_start", "_end"))


def _unwrap(annotation: Any) -> Any:
    """X from Optional[X] (or X | None)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _is_model_list(annotation: Any) -> bool:
    args = get_args(annotation)
    return get_origin(annotation) is list and bool(args) and isinstance(args[0], type) \
        and issubclass(args[0], BaseModel)


def sql_type(name: str, annotation: Any) -> str:
    """The DuckDB type of a column from its field's annotation."""
    annotation = _unwrap(annotation)
    if get_origin(annotation) is Literal:
        values = get_args(annotation)
        annotation = type(values[0]) if len({type(v) for v in values}) == 1 else str
    if annotation is bool:  # before int: bool is an int in Python
        return "BOOLEAN"
    if annotation is int:
        return "BIGINT" if _is_offset(name) else "INTEGER"
    if annotation is float:
        return "DOUBLE"
    if _is_model_list(annotation):
        return "INTEGER"  # written as a count
    return "VARCHAR"  # text, and lists or models as JSON text


def _cell_maker(name: str, annotation: Any) -> Callable[[Any], Any]:
    """How a field's value becomes one cell (see the module's docstring)."""
    annotation = _unwrap(annotation)
    if name in _JOINED:
        return lambda value: _JOINED[name].join(value)
    if _is_model_list(annotation):
        return len
    if get_origin(annotation) in (list, dict, tuple, set) or (
            isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return lambda value: None if value is None else json.dumps(_jsonable(value), ensure_ascii=False)
    return lambda value: value


def _jsonable(value: Any) -> Any:
    """A model's or a record's value as JSON data."""
    return to_jsonable_python(plain(value))


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    cell: Callable[[Any], Any]  # the field's value → the cell
    field: str | None = None    # the model field it reads, if any


def model_columns(model: type[BaseModel], rename: dict[str, str] | None = None,
                  only: tuple[str, ...] | None = None) -> list[Column]:
    """A column per field of `model` (less those left out), in the model's
    order; `rename` gives a column another name than its field."""
    rename = rename or {}
    left_out = _LEFT_OUT.get(model, set())
    columns = []
    for field, info in model.model_fields.items():
        if field in left_out or (only is not None and field not in only):
            continue
        name = rename.get(field, field)
        columns.append(Column(name, sql_type(name, info.annotation), _cell_maker(field, info.annotation), field))
    return columns


def _text(name: str) -> Column:
    return Column(name, "VARCHAR", lambda value: value)


def _count(name: str) -> Column:
    return Column(name, "INTEGER", lambda value: value)


def in_published_order(columns: list[Column], published: tuple[str, ...]) -> list[Column]:
    """Published columns in their order, then the rest in theirs."""
    by_name = {c.name: c for c in columns}
    known = [by_name[n] for n in published if n in by_name]
    return known + [c for c in columns if c.name not in published]


# A target row in CSV (emit) and as JSON Lines keys (Target.model_dump).
TARGET_COLUMNS = model_columns(Target)
TARGET_CSV_COLUMNS = [c.name for c in in_published_order(TARGET_COLUMNS, _PUBLISHED["target_csv"])]

# Where a row of the corpus tables came from.
_FILE = [_text("sha256"), _text("path")]
# Each target row carries its document's metadata, for panels without a join.
_TARGET_CONTEXT = model_columns(Meta, rename={"title": "doc_title"}, only=("region", "year", "doc_type", "title"))
_QUANTITY_COLUMNS = in_published_order(_FILE + _TARGET_CONTEXT + TARGET_COLUMNS, _PUBLISHED["targets"])
_DOCUMENT_COUNTS = [_count("sections"), _count("targets"), _count("actuals")]


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[Column]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def types(self) -> dict[str, str]:
        return {c.name: c.sql_type for c in self.columns}


TABLES = {t.name: t for t in (
    Table("documents", in_published_order(_FILE + model_columns(Meta) + _DOCUMENT_COUNTS, _PUBLISHED["documents"])),
    Table("sections", in_published_order(_FILE + [_text("section_path")] + model_columns(Section),
                                         _PUBLISHED["sections"])),
    Table("targets", _QUANTITY_COLUMNS),
    Table("actuals", _QUANTITY_COLUMNS),  # Document.actuals, in the targets' columns: one query serves both
    Table("errors", [_text("path"), _text("sha256"), _text("reason")]),
)}


def _cells(columns: list[Column], obj: BaseModel) -> dict[str, Any]:
    return {c.name: c.cell(getattr(obj, c.field)) for c in columns if c.field}


def target_cells(target: Target) -> dict[str, Any]:
    """A target as one flat row: section_path joined, lists as JSON."""
    return _cells(TARGET_COLUMNS, target)


def document_row(doc: Document, path: str, sha256: str) -> dict[str, Any]:
    return {"path": path, "sha256": sha256, **_cells(TABLES["documents"].columns, doc.meta),
            "sections": len(doc.sections), "targets": len(doc.targets), "actuals": len(doc.actuals)}


def section_rows(doc: Document, path: str, sha256: str) -> list[dict[str, Any]]:
    """Every section, top-down and breadth first, with the labels above it."""
    rows = []
    queue = [(s, [s.label or s.title]) for s in doc.sections]
    while queue:
        section, labels = queue.pop(0)
        rows.append({"sha256": sha256, "path": path, "section_path": SECTION_PATH_SEPARATOR.join(labels),
                     **_cells(TABLES["sections"].columns, section)})
        queue.extend((child, labels + [child.label or child.title]) for child in section.children)
    return rows


def target_rows(doc: Document, path: str, sha256: str) -> list[dict[str, Any]]:
    """The targets table's rows of a document."""
    return _with_context(doc, path, sha256, doc.targets)


def actual_rows(doc: Document, path: str, sha256: str) -> list[dict[str, Any]]:
    """The actuals table's rows of a document."""
    return _with_context(doc, path, sha256, doc.actuals)


def _with_context(doc: Document, path: str, sha256: str, found: list[Target]) -> list[dict[str, Any]]:
    context = {"sha256": sha256, "path": path, **_cells(_TARGET_CONTEXT, doc.meta)}
    return [{**context, **target_cells(t)} for t in found]
