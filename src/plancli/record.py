"""What every plain record shares (records.py holds the records, generated
from models.py by tools/build_records.py).

The parser builds plain records, not Pydantic models: importing Pydantic
and building its validators costs a command-line run more than all of its
parsing, and a record with slots holds a sentence in a fifth of the memory.
A record has the fields of its model, in the same order, and the two
methods of a model the pipeline uses; `parser.validated` turns a record
into its model (validating it), which is what the Python API returns."""
from __future__ import annotations

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
        return {name: _plain(getattr(self, name)) for name in self.__slots__ if include is None or name in include}

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


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
