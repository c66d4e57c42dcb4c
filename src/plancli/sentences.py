"""Sentences and clauses as spans of the text.

Sentences end at 。！？ (and their ASCII forms) or a line break; clauses
end at any of those or at ，；：. Spans never include surrounding white
space; the end punctuation belongs to the span it closes."""
from __future__ import annotations

import re
from functools import cache
from typing import Iterator

from . import lexicon


@cache
def _marks() -> tuple[re.Pattern, frozenset[str]]:
    """A sentence (up to its end marks) and the marks that end a clause."""
    p = lexicon.load().punctuation
    end = re.escape(p.sentence_end)
    return re.compile(rf"[^{end}\n]+[{end}]*"), frozenset(p.sentence_end + "\n" + p.clause_end)


def line_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the lines of text[start:end], as its split("\\n") gives them
    (empty ones included), as offsets into text: one line at a time, not a
    split copy of the whole text."""
    end = len(text) if end is None else end
    while True:
        brk = text.find("\n", start, end)
        if brk < 0:
            yield start, end
            return
        yield start, brk
        start = brk + 1


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the sentences in text[start:end] (offsets into text)."""
    end = len(text) if end is None else end
    for m in _marks()[0].finditer(text, start, end):
        found = m.group()
        kept = found.strip()  # the spaces around it (what str.isspace calls space) are not the sentence's
        if kept:
            a = m.start() + len(found) - len(found.lstrip())
            yield a, a + len(kept)


def clause_start(norm: str, sentence_start: int, offset: int) -> int:
    """Start of the clause holding `offset`: just after the nearest clause
    punctuation before it, but not before its sentence."""
    i = offset
    clause_marks = _marks()[1]
    while i > sentence_start and norm[i - 1] not in clause_marks:
        i -= 1
    return i


def clause_end(norm: str, offset: int, sentence_end: int) -> int:
    i = offset
    clause_marks = _marks()[1]
    while i < sentence_end and norm[i] not in clause_marks:
        i += 1
    return i
