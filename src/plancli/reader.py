"""Input to text. Offsets everywhere index the string returned here: for a
text file the decoded text (byte-order mark removed, line endings
untouched), for .docx, .html and .pdf the text extracted from them."""
from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, UsageError

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
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Loaded:
    text: str
    source: str          # the path, or <stdin>
    input_format: str    # text, docx, html, pdf
    encoding: str | None  # for text and html


def decode(data: bytes, name: str = "input", encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes, or InputError with what to do."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise UsageError(f"{name}: unknown encoding {encoding!r}") from None
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
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: cannot decode the bytes as UTF-8 or GB18030; pass --encoding")


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
               suffix: str = "") -> Loaded:
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}: {len(data) // 2**20} MB is more than plancli reads "
                         f"({MAX_BYTES // 2**20} MB); split the file")
    fmt = sniff(data, suffix) if input_format == "auto" else input_format
    if fmt not in INPUT_FORMATS[1:]:
        raise UsageError(f"{name}: unknown input format {fmt!r}; one of {', '.join(INPUT_FORMATS)}")
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if fmt == "text":
        text, used = decode(data, name, encoding)
        return Loaded(text, name, "text", used)
    from . import extract  # only for these formats: keeps a text run's start-up lean

    if fmt == "docx":
        return Loaded(extract.docx_text(data, name), name, fmt, None)
    if fmt == "pdf":
        return Loaded(extract.pdf_text(data, name), name, fmt, None)
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


def read_path(path: str | Path, encoding: str | None = None, input_format: str = "auto") -> Loaded:
    """Read a document from a path, or from standard input for '-'."""
    if str(path) == "-":
        return load_bytes(sys.stdin.buffer.read(), "<stdin>", input_format, encoding)
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{p}: no such file")
    if p.is_dir():
        raise UsageError(f"{p}: is a directory; give a file")
    suffix = p.suffix.lower()
    if suffix in _UNSUPPORTED and input_format == "auto":
        raise InputError(f"{p}: {suffix} files are not read; {_UNSUPPORTED[suffix]}")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot read: {e.strerror}") from None
    return load_bytes(data, str(p), input_format, encoding, suffix)
