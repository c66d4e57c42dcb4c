"""The pipeline, in one direction: read → normalize → outline → quantities →
targets → assemble. Each stage returns new objects and never changes what an
earlier one returned."""
from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

from typing import TYPE_CHECKING

from . import outline, parts, quantities, targets
from .normalize import Source
from .reader import read_path
from .records import Document, Rejected, Section, Target

if TYPE_CHECKING:
    from . import models


def parse_text(text: str, source: str | None = None) -> models.Document:
    """Parse a document given as text. Offsets in the result index `text`."""
    return validated(build(text, source))


def parse_file(path: str | Path, encoding: str | None = None, input_format: str = "auto",
               include_text: bool = False, max_bytes: int | None = None) -> models.Document:
    """Read and parse a file ('-' for standard input): text, .docx, .html or
    .pdf. For the last three, offsets index the extracted text
    (`read_path(path).text`). `max_bytes` caps what is read (reader.MAX_BYTES)."""
    return validated(read(path, encoding, input_format, include_text, max_bytes))


def validated(doc: Document) -> models.Document:
    """The parser's records as the models the API promises, validated."""
    from .models import Document as DocumentModel
    return DocumentModel.model_validate(doc, from_attributes=True)


def build(text: str, source: str | None = None) -> Document:
    """parse_text's pipeline, as records (what the command line emits)."""
    src = Source(text)  # a byte-order mark stays in the text offsets index; the cleaned copy drops it
    doc_name = Path(source).stem if source and source != "<stdin>" else None
    shape = outline.build(src, source)
    found, rejected = quantities.scan(src)
    found_parts = parts.find(src, shape, found)
    return assemble(shape, found_parts, targets.build(src, shape, found_parts, found, doc_name),
                    [_rejected(src, r) for r in rejected], doc_name)


def _rejected(src: Source, r: quantities.Rejection) -> Rejected:
    start, end = src.span(r.start, r.end)
    return Rejected(text=src.original[start:end], start=start, end=end, reason=r.reason)


def assemble(shape: outline.Outline, found_parts: parts.Parts, found: list[Target], rejected: list[Rejected],
             doc_name: str | None) -> Document:
    """The Document: meta, sections with their counts, parts, the targets
    and the actuals apart (each in text order) and the numbers rejected."""
    goals = [t for t in found if t.kind == "target"]
    achieved = [t for t in found if t.kind == "actual"]
    return Document(
        meta=shape.meta.model_copy(update={"doc": doc_name}),
        sections=_counted(shape.sections, [t.start for t in goals], [t.start for t in achieved]),
        parts=found_parts.models,
        targets=goals,
        actuals=achieved,
        rejected=rejected,
    )


def _counted(sections: list[Section], target_starts: list[int], actual_starts: list[int]) -> list[Section]:
    """Copies of the sections with the number of targets and of actuals in
    each (the offsets of each, in text order)."""
    def counts(block) -> dict[str, int]:
        return {"target_count": bisect_left(target_starts, block.end) - bisect_left(target_starts, block.start),
                "actual_count": bisect_left(actual_starts, block.end) - bisect_left(actual_starts, block.start)}

    return [s.model_copy(update={
        **counts(s),
        "measures": [m.model_copy(update=counts(m)) for m in s.measures],
        "children": _counted(s.children, target_starts, actual_starts),
    }) for s in sections]


def read(path: str | Path, encoding: str | None = None, input_format: str = "auto",
         include_text: bool = False, max_bytes: int | None = None) -> Document:
    """parse_file's reading and pipeline, as records."""
    loaded = read_path(path, encoding, input_format, max_bytes)
    doc = build(loaded.text, loaded.source)
    return doc.model_copy(update={
        "meta": doc.meta.model_copy(update={"input_format": loaded.input_format, "encoding": loaded.encoding}),
        "text": loaded.text if include_text else None,
    })
