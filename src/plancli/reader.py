"""Input to text. Offsets everywhere index the string returned here: for a
text file the decoded text (byte-order mark removed, line endings
untouched), for .docx, .html and .pdf the text extracted from them."""
from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import (BadValueError, InputError, IsADirectoryInputError, UnknownEncodingError, UsageError,
                     read_failure)

INPUT_FORMATS = ("auto", "text", "docx", "html", "pdf")
# Tried in order when no byte-order mark says otherwise. GB18030 is a
# superset of GBK and GB2312, the encodings older government sites use.
FALLBACK_ENCODINGS = ("utf-8", "gb18030")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SUFFIXES = {".txt": "text", ".text": "text", ".md": "text", ".csv": "text", ".docx": "docx",
             ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}
SUPPORTED_SUFFIXES = frozenset(_SUFFIXES)
_UNSUPPORTED = {".doc": "save it as .docx", ".wps": "save it as .docx", ".xls": "export the text",
                ".xlsx": "export the text", ".ofd": "export it as PDF or text", ".rtf": "save it as .docx or text"}
# The most plancli reads from a file or stream, inflates from a .docx's
# document part and extracts as text from a .docx or .pdf: untrusted input
# is refused past it, not read without bound. --max-bytes, the environment
# variable or read_path(max_bytes=) changes it.
MAX_BYTES = 200 * 1024 * 1024
MAX_BYTES_ENV = "PLANCLI_MAX_BYTES"
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", re.IGNORECASE)
_CHUNK = 1 << 20


@dataclass
class Loaded:
    text: str
    source: str          # the path, or <stdin>
    input_format: str    # text, docx, html, pdf
    encoding: str | None  # for text and html


def parse_size(value: str) -> int:
    """Bytes from 200000000, 200M, 50MB, 1.5G, 512k (powers of 1024)."""
    m = _SIZE.fullmatch(str(value))
    if not m:
        raise ValueError(f"{value!r} is not a size (e.g. 200M, 1G, 500000)")
    size = int(float(m.group(1)) * 1024 ** " KMG".index(m.group(2).upper() or " "))
    if size <= 0:
        raise ValueError(f"{value!r}: the size must be positive")
    return size


def max_bytes_limit(max_bytes: int | None = None) -> int:
    """The limit in force: the argument, else $PLANCLI_MAX_BYTES, else MAX_BYTES."""
    if max_bytes is not None:
        if max_bytes <= 0:
            raise BadValueError(f"max_bytes must be positive, not {max_bytes}")
        return max_bytes
    value = os.environ.get(MAX_BYTES_ENV)
    if not value:
        return MAX_BYTES
    try:
        return parse_size(value)
    except ValueError as e:
        raise BadValueError(f"{MAX_BYTES_ENV}: {e}") from None


def megabytes(n: int) -> str:
    return f"{n / 2**20:.3g} MB" if n >= 2**20 else f"{n} bytes"


def too_big(name: str, what: str, limit: int) -> InputError:
    return InputError(f"{name}: {what} more than the {megabytes(limit)} plancli reads "
                      f"(--max-bytes or {MAX_BYTES_ENV} raise the limit); split the file")


def decode(data: bytes, name: str = "input", encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes, or InputError with what to do."""
    if not data or data.isspace():  # (not data.strip(): a copy of the whole file)
        raise InputError(f"{name}: the file is empty")
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise UnknownEncodingError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: not valid {encoding} at byte {e.start}") from None
        return text.removeprefix("\ufeff"), encoding
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec
            except UnicodeDecodeError as e:
                raise InputError(f"{name}: not valid {codec} at byte {e.start + len(bom)}") from None
    if b"\x00" in data[:4096]:
        found = _utf16_without_bom(data)
        if found:
            return found
        raise InputError(f"{name}: looks like a binary file, not text (NUL bytes); "
                         "give a text, .docx, .html or .pdf file")
    for codec in FALLBACK_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "gb18030" and not plausible_chinese(text):
            raise InputError(f"{name}: the bytes decode as GB18030 only into rare characters: "
                             "not Chinese text (binary, or another encoding); pass --encoding if it is")
        return text, codec
    raise InputError(f"{name}: cannot decode the bytes as UTF-8 or GB18030; pass --encoding")


def plausible_chinese(text: str, sample: int = 20_000) -> bool:
    """Whether text decoded as GB18030 reads as Chinese. Nearly every
    character of real text, simplified or traditional, is a common one: in
    GB2312 (the 6,763 common hanzi and the usual marks) or among Big5's 5,401
    frequent hanzi; the work reports of 1954-2025 score 0.98 or more.
    Arbitrary high bytes decode mostly into rare hanzi, private-use
    characters and symbols: about half common (0.67 at most in 100 random
    characters)."""
    wide = [ch for ch in text[:sample * 4] if ord(ch) >= 0x80][:sample]
    if len(wide) < 20:
        return True  # too little to judge
    return sum(map(_common, wide)) >= 0.85 * len(wide)


def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        code = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= int.from_bytes(code, "big") <= 0xC67E  # Big5 level 1: frequent hanzi


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 with no byte-order mark, told apart from binary by reading it
    both ways and keeping a reading that is nearly all ordinary characters."""
    if len(data) % 2:
        return None
    best = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _ordinary_share(text[:4000])
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, text, codec)
    return (best[1], best[2]) if best else None


def _ordinary_share(sample: str) -> float:
    def ordinary(ch: str) -> bool:
        o = ord(ch)
        return (32 <= o < 127 or ch in "\r\n\t" or 0x4E00 <= o <= 0x9FFF
                or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F)
    return sum(map(ordinary, sample)) / len(sample) if sample else 0.0


def sniff(data: bytes, suffix: str = "") -> str:
    """The input format from a file name's suffix, else from the first bytes."""
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return "docx"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in data[:4096].lower():
        return "html"
    return "text"


def load_bytes(data: bytes, name: str, input_format: str = "auto", encoding: str | None = None,
               suffix: str = "", max_bytes: int | None = None) -> Loaded:
    limit = max_bytes_limit(max_bytes)
    if len(data) > limit:
        raise too_big(name, megabytes(len(data)) + " is", limit)
    fmt = sniff(data, suffix) if input_format == "auto" else input_format
    if fmt not in INPUT_FORMATS[1:]:
        raise BadValueError(f"{name}: unknown input format {fmt!r}; one of {', '.join(INPUT_FORMATS)}")
    if not data or data.isspace():  # (not data.strip(): a copy of the whole file)
        raise InputError(f"{name}: the file is empty")
    if fmt == "text":
        text, used = decode(data, name, encoding)
        return Loaded(text, name, "text", used)
    from . import extract  # only for these formats: keeps a text run's start-up lean

    if fmt == "docx":
        return Loaded(extract.docx_text(data, name, limit), name, fmt, None)
    if fmt == "pdf":
        return Loaded(extract.pdf_text(data, name, limit), name, fmt, None)
    if fmt == "html":
        used = {}

        def html_decode(raw: bytes, declared: str | None) -> str:
            try:
                text, used["encoding"] = decode(raw, name, encoding or _known(declared))
            except InputError:
                text, used["encoding"] = decode(raw, name, None)
            return text
        return Loaded(extract.html_text(data, name, html_decode), name, fmt, used.get("encoding"))
    raise AssertionError(fmt)  # every format is handled above


def _known(codec: str | None) -> str | None:
    """A declared charset Python knows (gb2312 is read as its superset gb18030)."""
    if not codec:
        return None
    codec = codec.lower()
    if codec in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
        return "gb18030"
    try:
        codecs.lookup(codec)
        return codec
    except LookupError:
        return None


def read_path(path: str | Path, encoding: str | None = None, input_format: str = "auto",
              max_bytes: int | None = None) -> Loaded:
    """Read a document from a regular file, or from standard input for '-'.
    At most `max_bytes` (default: $PLANCLI_MAX_BYTES, else MAX_BYTES) are
    read; a FIFO, device or socket is refused before anything is read."""
    limit = max_bytes_limit(max_bytes)
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None) or sys.stdin
        if stream is None:
            raise UsageError("<stdin>: standard input is closed")
        data = _read_capped(stream, limit, "<stdin>")
        return load_bytes(data, "<stdin>", input_format, encoding, max_bytes=limit)
    p = Path(path)
    # a fault of the file system is the standard exception as well
    # (FileNotFoundError, IsADirectoryError, PermissionError: errors.py)
    try:
        info = os.stat(p)
    except OSError as e:
        raise read_failure(p, e) from None
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryInputError(f"{p}: is a directory; give a file", p)
    _regular_or_refuse(p, info)
    suffix = p.suffix.lower()
    if suffix in _UNSUPPORTED and input_format == "auto":
        raise InputError(f"{p}: {suffix} files are not read; {_UNSUPPORTED[suffix]}")
    if info.st_size > limit:
        raise too_big(str(p), megabytes(info.st_size) + " is", limit)
    try:
        # O_NONBLOCK: should the path have become a FIFO since the stat,
        # opening it does not wait for a writer (fstat refuses it below)
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise read_failure(p, e) from None
    with open(fd, "rb", buffering=0) as f:
        _regular_or_refuse(p, os.fstat(fd))
        try:
            data = _read_capped(f, limit, str(p), info.st_size)
        except OSError as e:
            raise read_failure(p, e) from None
    return load_bytes(data, str(p), input_format, encoding, suffix, max_bytes=limit)


def _regular_or_refuse(p: Path, info: os.stat_result) -> None:
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a directory" if stat.S_ISDIR(mode) else "not a regular file")
    raise UsageError(f"{p}: is {kind}, not a regular file; plancli reads files, "
                     "or standard input with - (cat it: ... | plancli COMMAND -)")


def _read_capped(stream, limit: int, name: str, expected: int = 0) -> bytes:
    """All of a stream's bytes, refused once there are more than `limit`:
    never more than limit + 1 are read."""
    chunks, total = [], 0
    want = expected + 1 if expected else _CHUNK
    while True:
        chunk = stream.read(min(want, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_big(name, "the input is", limit)
        want = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
