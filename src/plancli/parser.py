"""The pipeline, in one direction: read → outline → quantities → targets."""
from __future__ import annotations

import re
from pathlib import Path

from . import outline, quantities, targets
from .models import Document, Rejected
from .normalize import Source
from .reader import read_path


_YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def parse_text(text: str, source: str | None = None) -> Document:
    """Parse a document given as text. Offsets in the result index `text`."""
    src = Source(text.removeprefix("\ufeff"))
    doc_name = Path(source).stem if source and source != "<stdin>" else None
    shape = outline.build(src, source)
    shape.meta.doc = doc_name
    if shape.meta.year is None and doc_name:
        # the text names no year: a file called 2019.txt or jiaxing-2024-plan.txt does
        m = _YEAR_IN_NAME.search(doc_name)
        shape.meta.year = int(m.group(1)) if m else None
    found, rejected = quantities.scan(src)
    return Document(
        meta=shape.meta,
        sections=shape.sections,
        targets=targets.build(src, shape, found, doc_name),
        rejected=[_rejected(src, r) for r in rejected],
    )


def _rejected(src: Source, r: quantities.Rejection) -> Rejected:
    start, end = src.span(r.start, r.end)
    return Rejected(text=src.original[start:end], start=start, end=end, reason=r.reason)


def parse_file(path: str | Path, encoding: str | None = None, input_format: str = "auto",
               include_text: bool = False) -> Document:
    """Read and parse a file ('-' for standard input): text, .docx, .html or
    .pdf. For the last three, offsets index the extracted text
    (`read_path(path).text`)."""
    loaded = read_path(path, encoding, input_format)
    doc = parse_text(loaded.text, loaded.source)
    doc.meta.input_format = loaded.input_format
    doc.meta.encoding = loaded.encoding
    if include_text:
        doc.text = loaded.text
    return doc
