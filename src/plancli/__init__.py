"""plancli: Chinese government plan documents into structured data.

The names below are imported on first use, so that a command that needs
none of them (most of all Pydantic's models) does not pay for them."""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_WHERE = {
    "read_dataset": "dataset",
    "InputError": "errors", "PlancliError": "errors", "UsageError": "errors",
    "Document": "models", "Measure": "models", "Meta": "models", "Section": "models", "Target": "models",
    "parse_file": "parser", "parse_text": "parser",
    "read_path": "reader",
}
__all__ = [*sorted(_WHERE), "__version__"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
