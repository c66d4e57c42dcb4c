"""The pipeline, in one direction: read → outline → quantities → targets."""
from __future__ import annotations

from pathlib import Path

from . import outline, quantities, targets
from .models import Document, Rejected
from .normalize import normalize
from .reader import read_path


def parse_text(text: str, source: str | None = None) -> Document:
    """Parse a document given as text. Offsets in the result index `text`."""
    text = text.removeprefix("\ufeff")
    norm = normalize(text)
    doc_name = Path(source).stem if source and source != "<stdin>" else None
    shape = outline.build(text, norm, source)
    shape.meta.doc = doc_name
    found, rejected = quantities.scan(text, norm)
    return Document(
        meta=shape.meta,
        sections=shape.sections,
        targets=targets.build(text, norm, shape, found, doc_name),
        rejected=[Rejected(text=text[r.start:r.end], start=r.start, end=r.end, reason=r.reason) for r in rejected],
    )


def parse_file(path: str | Path, encoding: str | None = None) -> Document:
    """Read and parse a file ('-' for standard input)."""
    text, source = read_path(path, encoding)
    return parse_text(text, source)
