"""Writing documents and target rows: JSON, JSON Lines, YAML, CSV, and rich
tables and trees for a terminal."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import yaml

from .models import Document, Section, Target
from .rows import TARGET_CSV_COLUMNS, target_cells

CSV_COLUMNS = TARGET_CSV_COLUMNS  # derived from Target (rows.py)

TARGET_FORMATS = ("table", "csv", "json", "jsonl", "yaml")
DOCUMENT_FORMATS = ("json", "yaml")
COMPARATOR_WORDS = {"=": "=", ">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "about", "range": "range"}
# in a phrase, "=" and "range" go without saying: "about 5%", "≥ 6%", "6–6.5%"
_PHRASE_WORDS = {**COMPARATOR_WORDS, "=": "", "range": ""}


def format_for_path(path: str | None, default: str) -> str:
    """The format a file name asks for (.csv, .json, .jsonl, .yaml)."""
    if path:
        suffix = Path(path).suffix.lower().lstrip(".")
        return {"yml": "yaml", "ndjson": "jsonl"}.get(suffix, suffix) if suffix in (
            "csv", "json", "jsonl", "ndjson", "yaml", "yml") else default
    return default


def chosen_format(asked: str | None, output: Path | None, default: str) -> str:
    """--format when given, else the one -o's file name asks for, else `default`."""
    return asked or format_for_path(str(output) if output else None, default)


def document_text(doc: Document, fmt: str) -> str:
    data = doc.model_dump(mode="json")
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def targets_text(targets: list[Target], fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(target_cells(t) for t in targets)
        return out.getvalue()
    rows = [t.model_dump(mode="json") for t in targets]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "yaml":
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False)
    raise ValueError(f"unknown format {fmt!r}")


def write_atomic(path: str | Path, content: str) -> None:
    """Write the whole file or nothing: a failure leaves no half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def value_with_unit(t: Target) -> str:
    def num(x: float) -> str:
        return f"{x:g}" if abs(x) < 1e15 else str(x)
    if t.value_max is not None:
        return f"{num(t.value)}–{num(t.value_max)}{t.unit}"
    return f"{num(t.value)}{t.unit}"


def value_phrase(t: Target) -> str:
    """The figure with its comparator as words: about 5%, ≥ 1.3万亿斤, 6–6.5%."""
    return f"{_PHRASE_WORDS[t.comparator]} {value_with_unit(t)}".strip()


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


def outline_tree(doc: Document):
    from rich.markup import escape
    from rich.tree import Tree

    meta = doc.meta
    head = escape(meta.title or meta.source or "document")
    facts = [f for f in (meta.doc_type, meta.region, meta.region_code, str(meta.year) if meta.year else None,
                         meta.date) if f]
    tree = Tree(f"[bold]{head}[/]  [dim]{' · '.join(facts)}[/]  {len(doc.targets)} targets")

    def add(node, sections: list[Section]):
        for s in sections:
            kind = f" [yellow]({s.kind})[/]" if s.kind == "actual" else ""
            branch = node.add(f"[cyan]{escape(s.label)}[/] {escape(s.title)}{kind}  [dim]{s.target_count} targets[/]")
            for m in s.measures:
                branch.add(f"{escape(m.title)}  [dim]{m.target_count}[/]")
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
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
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
            text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            style = STATUS_STYLES.get(text) if key == "status" else None
            cells.append(f"[{style}]{escape(text)}[/]" if style else escape(text))
        table.add_row(*cells)
    return table
