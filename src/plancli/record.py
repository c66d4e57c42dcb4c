"""What every plain record shares (records.py holds the records, generated
from models.py by tools/build_records.py).

The parser builds plain records, not Pydantic models: importing Pydantic
and building its validators costs a command-line run more than all of its
parsing, and a record with slots holds a sentence in a fifth of the memory.
A record has the fields of its model, in the same order, and the two
methods of a model the pipeline uses; `parser.validated` turns a record
into its model (validating it), which is what the Python API returns."""
from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any


class Record:
    __slots__ = ()

    def model_copy(self, update: dict[str, Any] | None = None):
        """A shallow copy with `update`'s fields replaced (not validated, as
        with a model)."""
        copy = object.__new__(type(self))
        for name in self.__slots__:
            object.__setattr__(copy, name, getattr(self, name))
        for name, value in (update or {}).items():
            setattr(copy, name, value)
        return copy

    def model_dump(self, mode: str = "python", include: set[str] | None = None) -> dict[str, Any]:
        """The fields (those in `include`, if given) as plain data, nested
        records as dicts: what the model's model_dump gives for the same values."""
        return {name: plain(getattr(self, name)) for name in self.__slots__ if include is None or name in include}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # mutable, as a model is

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


class DocumentMethods:
    """Methods a Document model and a Document record share."""
    __slots__ = ()

    def targets_and_actuals(self) -> list:
        """Both lists merged in text order (--kind all, the annotated page)."""
        return sorted([*self.targets, *self.actuals], key=lambda t: (t.start, t.end))


class SentenceViews(Sequence):
    """A measure's sentences as views of the text they index: the text and
    two arrays of offsets; each Sentence record is made when it is asked for
    (`measure.sentences[0].text` is `text[start:end]`). A sentence held as a
    record with its own copy of its text costs about 270 bytes and twice
    its characters; here it costs 16 bytes, whatever its length. Read-only,
    like a view: a copy of the measure shares it."""
    __slots__ = ("_text", "_starts", "_ends", "_make")

    def __init__(self, text: str, starts: array, ends: array, make: type):
        self._text, self._starts, self._ends, self._make = text, starts, ends, make

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        start, end = self._starts[index], self._ends[index]  # IndexError past either end, as a list
        return self._make(start=start, end=end, text=self._text[start:end])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (SentenceViews, list)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return repr(list(self))


def plain(value: Any) -> Any:
    """A record, a list or a record's sentence views as plain data (dicts and
    lists); anything else as it is."""
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, SentenceViews):
        return [v.model_dump() for v in value]
    return value
