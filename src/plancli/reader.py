"""Bytes to text. Offsets everywhere index the string returned here: decoded,
byte-order mark removed, line endings untouched."""
from __future__ import annotations

import codecs
import sys
from pathlib import Path

from .errors import InputError, UsageError

# Tried in order when no byte-order mark says otherwise. GB18030 is a
# superset of GBK and GB2312, the encodings older government sites use.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode(data: bytes, name: str = "input", encoding: str | None = None) -> str:
    """Decode a document's bytes, or raise InputError with what to do."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise UsageError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: not valid {encoding} at byte {e.start}") from None
        return text.removeprefix("\ufeff")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as e:
                raise InputError(f"{name}: not valid {codec} at byte {e.start + len(bom)}") from None
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text (NUL bytes)")
    for codec in FALLBACK_ENCODINGS:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: cannot decode the bytes as UTF-8 or GB18030; pass --encoding")


def read_path(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """(text, source name) from a path, or from standard input for '-'."""
    if str(path) == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>", encoding), "<stdin>"
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{p}: no such file")
    if p.is_dir():
        raise UsageError(f"{p}: is a directory; give a file")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror}") from None
    return decode(data, str(p), encoding), str(p)
