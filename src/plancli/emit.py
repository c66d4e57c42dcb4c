"""Writing documents and target rows: JSON, JSON Lines, YAML, CSV, and rich
tables and trees for a terminal."""
from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .errors import UsageError

if TYPE_CHECKING:  # the models only name types here: no Pydantic at start-up
    from .models import Document, Section, Target

TARGET_FORMATS = ("table", "csv", "json", "jsonl", "yaml")
DOCUMENT_FORMATS = ("json", "yaml")
# What a file name's extension asks for (-o FILE.csv); any other extension is refused.
EXTENSION_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml",
                     ".yml": "yaml"}
# --bom: Excel reads a CSV file as UTF-8 only when it starts with this mark;
# without it a Chinese-locale Excel reads GBK and shows mojibake.
UTF8_BOM = "\ufeff"
COMPARATOR_WORDS = {"=": "=", ">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "about", "range": "range"}
# in a phrase, "=" and "range" go without saying: "about 5%", "≥ 6%", "6–6.5%"
_PHRASE_WORDS = {**COMPARATOR_WORDS, "=": "", "range": ""}


def chosen_format(asked: str | None, output: Path | None, default: str,
                  formats: tuple[str, ...] = tuple(EXTENSION_FORMATS.values())) -> str:
    """--format when given, else the one -o's extension asks for, else
    `default` (-o without an extension too). An extension that names no
    format the command writes (x.xlsx; x.csv for a document) is a usage
    error, as plancli batch refuses one."""
    suffix = Path(output).suffix.lower() if output is not None else ""
    if asked or not suffix:
        return asked or default
    fmt = EXTENSION_FORMATS.get(suffix)
    if fmt not in formats:
        writable = [ext for ext, f in EXTENSION_FORMATS.items() if f in formats and ext not in (".ndjson", ".yml")]
        raise UsageError(f"{output}: cannot write a {Path(output).suffix} file; the extension of -o chooses the "
                         f"format, one of {', '.join(writable)} (or give --format)")
    return fmt


def with_bom(content: str | Iterable[str], fmt: str, bom: bool) -> str | Iterable[str]:
    """CSV text (whole or in pieces) with the byte-order mark when --bom asks
    for it; --bom with another format is a usage error (a BOM makes JSON invalid)."""
    if not bom:
        return content
    if fmt != "csv":
        raise UsageError(f"--bom is for CSV output, not {fmt}")
    return UTF8_BOM + content if isinstance(content, str) else [UTF8_BOM, *content]


def document_text(doc: Document, fmt: str, outline: bool = False) -> str:
    """The document as JSON or YAML; `outline`: its meta and section tree
    only (plancli outline --format json), still a valid document."""
    data = doc.model_dump(mode="json", include={"schema_version", "meta", "sections"} if outline else None)
    if fmt == "yaml":
        import yaml
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def targets_chunks(targets: list[Target], fmt: str) -> Iterator[str]:
    """targets_text in pieces: JSON Lines a row at a time, the other formats whole."""
    if fmt == "jsonl":
        for t in targets:
            yield json.dumps(t.model_dump(mode="json"), ensure_ascii=False) + "\n"
    else:
        yield targets_text(targets, fmt)


def targets_text(targets: list[Target], fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        from .rows import TARGET_CSV_COLUMNS, csv_cell, target_cells  # the row schema is built from the models
        writer = csv.DictWriter(out, fieldnames=TARGET_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in target_cells(t).items()} for t in targets)
        return out.getvalue()
    rows = [t.model_dump(mode="json") for t in targets]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "yaml":
        import yaml
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False)
    raise ValueError(f"unknown format {fmt!r}")


def utf8(content: str) -> bytes:
    """UTF-8 bytes of output text. A lone surrogate (a file name that is not
    UTF-8, decoded with surrogateescape) becomes its escape, \\udcXX: valid
    JSON for the same code point, so the output is never invalid UTF-8 and
    os.fsencode recovers the name's bytes."""
    return content.encode("utf-8", errors="backslashreplace")


def chunks_of(content: str | bytes | Iterable[str]) -> Iterator[bytes]:
    """Output as UTF-8 pieces: text or bytes whole, an iterable of text a
    piece at a time (a long document's JSON Lines are never whole in memory)."""
    if isinstance(content, bytes):
        yield content
    elif isinstance(content, str):
        yield utf8(content)
    else:
        for piece in content:
            yield utf8(piece)


def write_atomic(path: str | Path, content: str | bytes | Iterable[str]) -> None:
    """Write the whole file or nothing: a failure leaves no half-written file
    and an older file as it was. A new file gets the mode the umask gives;
    a replaced one keeps its mode. A path that is no regular file
    (/dev/stdout, /dev/null, a FIFO) is written to, never replaced. An
    OSError names `path`, never the temporary file."""
    path = Path(path)
    try:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            with open(path, "wb") as f:
                f.writelines(chunks_of(content))
            return
        fd, tmp = _create_beside(path)
    except OSError as e:
        raise OSError(e.errno, e.strerror, str(path)) from None
    try:
        if info is not None:
            os.chmod(fd, stat.S_IMODE(info.st_mode))
        with os.fdopen(fd, "wb") as f:
            f.writelines(chunks_of(content))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OSError(e.errno, e.strerror, str(path)) from None
        raise


def _create_beside(path: Path) -> tuple[int, str]:
    """A new hidden file next to `path`, created with mode 0666 so that the
    umask decides (tempfile.mkstemp would make it 0600)."""
    import secrets  # here, not at start-up: only a file output needs a name no one guesses

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def number_text(x: float) -> str:
    """A figure as a reader writes it: 1800, 0.18, 11.86, 1234567 (no 1.23457e+06)."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.12g}"


def figure(value: float, value_max: float | None = None, unit: str = "") -> str:
    """6%, 6–6.5%, 1.3万亿斤; without a unit, the bare figure (0.18)."""
    if value_max is not None:
        return f"{number_text(value)}–{number_text(value_max)}{unit}"
    return f"{number_text(value)}{unit}"


def value_with_unit(t: Target) -> str:
    return figure(t.value, t.value_max, t.unit)


def comparator_phrase(comparator: str, shown: str) -> str:
    """A figure with its comparator as words: about 5%, ≥ 1.3万亿斤, 6–6.5%."""
    return f"{_PHRASE_WORDS[comparator]} {shown}".strip()


def value_phrase(t: Target) -> str:
    """The target's figure with its comparator as words: about 5%, ≥ 1.3万亿斤, 6–6.5%."""
    return comparator_phrase(t.comparator, value_with_unit(t))


def targets_table(targets: list[Target], title: str | None = None):
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(title) if title else None, header_style="bold")
    for name, style in (("§", "cyan"), ("indicator", ""), ("action", "dim"), ("", ""),
                        ("value", "bold"), ("kind", ""), ("year", ""), ("modality", "dim")):
        table.add_column(name, style=style or None, no_wrap=name in ("§", "value", "", "year"))
    previous = None
    for i, t in enumerate(targets):
        section = t.section or "–"
        if i and section != previous:
            table.add_section()
        table.add_row(escape(section) if section != previous else "", escape(t.indicator or "?"),
                      escape(t.action or ""), COMPARATOR_WORDS[t.comparator], escape(value_with_unit(t)),
                      t.kind if t.kind == "target" else f"[yellow]{t.kind}[/]",
                      # the year a goal is for; ★ marks a headline target (主要预期目标)
                      f"{t.target_year or ''}{' ★' if t.headline else ''}", t.modality or "")
        previous = section
    return table


def _and_actuals(count: int, short: bool = False) -> str:
    """ · 12 actuals where a block reports achieved values; nothing where none."""
    return "" if not count else f" · {count}" if short else f" · {count} actuals"


def outline_tree(doc: Document):
    from rich.markup import escape
    from rich.tree import Tree

    meta = doc.meta
    head = escape(meta.title or meta.source or "document")
    facts = [f for f in (meta.doc_type, meta.region, meta.region_code, str(meta.year) if meta.year else None,
                         meta.date) if f]
    tree = Tree(f"[bold]{head}[/]  [dim]{' · '.join(facts)}[/]  {len(doc.targets)} targets"
                f"{_and_actuals(len(doc.actuals))}")

    def add(node, sections: list[Section]):
        for s in sections:
            kind = f" [yellow]({s.kind})[/]" if s.kind == "actual" else ""
            branch = node.add(f"[cyan]{escape(s.label)}[/] {escape(s.title)}{kind}  "
                              f"[dim]{s.target_count} targets{_and_actuals(s.actual_count)}[/]")
            for m in s.measures:
                branch.add(f"{escape(m.title)}  [dim]{m.target_count}{_and_actuals(m.actual_count, short=True)}[/]")
            add(branch, s.children)
    add(tree, doc.sections)
    return tree


def rows_text(rows: list[dict], fmt: str) -> str:
    """Plain rows (diff, attainment) as CSV, JSON or JSON Lines."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        from .rows import csv_cell
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


STATUS_STYLES = {"changed": "yellow", "added": "green", "dropped": "red", "met": "green", "missed": "red",
                 "unknown": "dim"}


def rows_table(rows: list[dict], columns: list[tuple[str, str]], title: str | None = None):
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(title) if title else None, header_style="bold")
    for _, header in columns:
        table.add_column(header)
    for r in rows:
        cells = []
        for key, _ in columns:
            value = r.get(key)
            text = "" if value is None else (number_text(value) if isinstance(value, float) else str(value))
            style = STATUS_STYLES.get(text) if key == "status" else None
            cells.append(f"[{style}]{escape(text)}[/]" if style else escape(text))
        table.add_row(*cells)
    return table
