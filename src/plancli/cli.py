"""The command line: plancli parse | targets | outline | schema | validate.

Errors reach the user as one line on stderr and an exit code (README:
0 success, 1 the document could not be used, 2 usage); never a traceback."""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import __version__, emit
from .errors import EXIT_BAD_DOCUMENT, PlancliError, UsageError
from .models import Document, Target
from .numbers import parse_chinese

app = typer.Typer(
    name="plancli",
    help="Turn Chinese government plan documents (计划通知, 政府工作报告, 规划纲要) into structured data: "
         "metadata, the section tree and every quantified target, each with the offsets of its text.",
    epilog="Examples:\n\n"
           "  plancli parse data/raw/jiaxing-2024-plan.txt -o plan.json\n\n"
           "  plancli targets data/raw/jiaxing-2024-plan.txt --section 三 --format csv\n\n"
           "  cat notice.txt | plancli targets - --format jsonl\n\n"
           "  plancli outline data/raw/jiaxing-2024-plan.txt\n\n"
           "  plancli annotate data/raw/jiaxing-2024-plan.txt -o notice.html\n\n"
           "  plancli batch data/raw/ reports/ -o plans.duckdb\n\n"
           "  plancli diff 2024.txt 2025.txt",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class DocumentFormat(str, Enum):
    json = "json"
    yaml = "yaml"


class TargetFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"


class KindFilter(str, Enum):
    target = "target"
    actual = "actual"
    all = "all"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    docx = "docx"
    html = "html"
    pdf = "pdf"


class SchemaModel(str, Enum):
    document = "document"
    target = "target"


FILE_HELP = "The document: text (UTF-8, GB18030, UTF-16), .docx, .html or .pdf; - for standard input."
OUTPUT_HELP = "Write to this file instead of standard output (written whole or not at all)."
ENCODING_HELP = "Force the input encoding (e.g. gb18030) instead of detecting it."
FORMAT_IN_HELP = "The input's format when its name or first bytes cannot tell (stdin): text, docx, html or pdf."


def _err(message: str) -> None:
    typer.echo(f"plancli: {message}", err=True)


@contextmanager
def _user_errors():
    """Turn every failure into one line on stderr and an exit code."""
    try:
        yield
    except PlancliError as e:
        _err(str(e))
        raise typer.Exit(e.exit_code)
    except BrokenPipeError:
        # the reader went away (| head): not an error of ours
        sys.stderr.close()
        raise typer.Exit(0)
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as e:  # a bug: still one line, and a non-zero exit
        _err(f"internal error: {type(e).__name__}: {e} (please report it with the input)")
        raise typer.Exit(EXIT_BAD_DOCUMENT)


def _load(file: str, encoding: Optional[str], input_format: "InputFormat", include_text: bool = False) -> Document:
    from .parser import parse_file  # imported late: --help stays fast

    return parse_file(file, encoding, input_format.value, include_text=include_text)


def _out(content: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    if output.is_dir():
        raise UsageError(f"{output}: is a directory; give a file name for -o")
    if not output.parent.exists():
        raise UsageError(f"{output.parent}: no such directory for -o")
    emit.write_atomic(output, content)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr)


@app.command()
def parse(
    file: str = typer.Argument(..., help=FILE_HELP, show_default=False),
    format: Optional[DocumentFormat] = typer.Option(None, "--format", "-f", help="json (default) or yaml; -o FILE.yaml implies yaml."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=ENCODING_HELP),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help=FORMAT_IN_HELP),
    include_text: bool = typer.Option(False, "--include-text", help="Record the text that every offset indexes (the extracted text of a .docx, .html or .pdf)."),
) -> None:
    """The whole document: meta, section tree with measures, targets and rejected numbers.

    Example: plancli parse notice.txt -o notice.json
    """
    with _user_errors():
        doc = _load(file, encoding, input_format, include_text)
        fmt = format.value if format else emit.format_for_path(str(output) if output else None, "json")
        _out(emit.document_text(doc, fmt if fmt in emit.DOCUMENT_FORMATS else "json"), output)


def _section_matches(doc: Document, wanted: str) -> list:
    """Sections selected by --section: a label (三), its number (3), or a
    fragment of a title (科创)."""
    wanted = wanted.strip()
    number = int(wanted) if wanted.isdigit() else parse_chinese(wanted)
    top = [s for s in doc.sections if s.label == wanted
           or (number is not None and parse_chinese(s.label) == number)
           or (number is not None and s.label.isdigit() and int(s.label) == number)]
    if top:
        return top
    found, stack = [], list(doc.sections)
    while stack:
        s = stack.pop(0)
        if wanted in s.title:
            found.append(s)
        else:
            stack.extend(s.children)
    return found


@app.command()
def targets(
    file: str = typer.Argument(..., help=FILE_HELP, show_default=False),
    section: Optional[str] = typer.Option(None, "--section", "-s", help="Only this section: its label (三), number (3) or a word of its title (科创)."),
    kind: KindFilter = typer.Option(KindFilter.target, "--kind", "-k", help="target (goals, the default), actual (achieved values) or all."),
    format: Optional[TargetFormat] = typer.Option(None, "--format", "-f", help="table on a terminal, jsonl when piped; or csv, json, yaml. -o FILE.csv implies csv."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=ENCODING_HELP),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help=FORMAT_IN_HELP),
) -> None:
    """The quantified targets, one row each, with the offsets of their text.

    Examples: plancli targets notice.txt --section 三 --format csv;
    plancli targets report.txt --kind all -o targets.jsonl
    """
    with _user_errors():
        doc = _load(file, encoding, input_format)
        rows = doc.targets
        if kind is not KindFilter.all:
            rows = [t for t in rows if t.kind == kind.value]
        if section is not None:
            chosen = _section_matches(doc, section)
            if not chosen:
                names = ", ".join(f"{s.label} {s.title}" for s in doc.sections) or "none found"
                raise UsageError(f"no section matches {section!r}; sections: {names}")
            rows = [t for t in rows if any(s.start <= t.start < s.end for s in chosen)]
        default = "table" if output is None and sys.stdout.isatty() else "jsonl"
        fmt = format.value if format else emit.format_for_path(str(output) if output else None, default)
        if fmt == "table":
            if output is not None:
                raise UsageError("--format table is for the terminal; use csv, json, jsonl or yaml with -o")
            title = doc.meta.title or doc.meta.source
            noun = {"target": "targets", "actual": "actuals", "all": "quantities"}[kind.value]
            _console().print(emit.targets_table(rows, title=f"{title} — {len(rows)} {noun}"))
            return
        _out(emit.targets_text(rows, fmt), output)


@app.command()
def outline(
    file: str = typer.Argument(..., help=FILE_HELP, show_default=False),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=ENCODING_HELP),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help=FORMAT_IN_HELP),
) -> None:
    """The section tree: sections, measures and how many targets each holds.

    Example: plancli outline notice.txt
    """
    with _user_errors():
        _console().print(emit.outline_tree(_load(file, encoding, input_format)))


@app.command()
def annotate(
    file: str = typer.Argument(..., help=FILE_HELP, show_default=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="The HTML page to write (default: standard output)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=ENCODING_HELP),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help=FORMAT_IN_HELP),
) -> None:
    """A self-contained HTML page of the document with every extracted number marked.

    Targets and actuals are highlighted (details on hover and click), numbers
    not reported are shown faintly with the reason, the section tree
    navigates, and a summary table links to each mark.
    Example: plancli annotate notice.txt -o notice.html
    """
    from .annotate import render

    with _user_errors():
        doc = _load(file, encoding, input_format, include_text=True)
        _out(render(doc, doc.text), output)


@app.command()
def text(
    file: str = typer.Argument(..., help=FILE_HELP, show_default=False),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    encoding: Optional[str] = typer.Option(None, "--encoding", help=ENCODING_HELP),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format", help=FORMAT_IN_HELP),
) -> None:
    """The text plancli reads from a file: what every start/end offset indexes.

    Example: plancli text notice.pdf -o notice.txt
    """
    from .reader import read_path

    with _user_errors():
        _out(read_path(file, encoding, input_format.value).text, output)


def schemas() -> dict[str, dict]:
    """The published JSON Schemas, by file name."""
    return {"document.schema.json": Document.model_json_schema(),
            "target.schema.json": Target.model_json_schema()}


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


@app.command()
def schema(
    model: SchemaModel = typer.Option(SchemaModel.document, "--model", "-m", help="Which schema to print."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write document.schema.json and target.schema.json into this directory."),
) -> None:
    """The JSON Schema of plancli's output, generated from its models.

    Examples: plancli schema; plancli schema -o data/schema
    """
    with _user_errors():
        if output is None:
            sys.stdout.write(schema_text(schemas()[f"{model.value}.schema.json"]))
            return
        output.mkdir(parents=True, exist_ok=True)
        for name, body in schemas().items():
            emit.write_atomic(output / name, schema_text(body))
        typer.echo(f"wrote {', '.join(str(output / n) for n in schemas())}", err=True)


class CompareFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def _emit_rows(rows: list[dict], fmt: Optional[CompareFormat], output: Optional[Path], title: str,
               columns: list[tuple[str, str]]) -> None:
    """Rows as a table on a terminal, else as CSV / JSON."""
    default = "table" if output is None and sys.stdout.isatty() else "jsonl"
    chosen = fmt.value if fmt else emit.format_for_path(str(output) if output else None, default)
    if chosen == "table":
        if output is not None:
            raise UsageError("--format table is for the terminal; use csv, json or jsonl with -o")
        _console().print(emit.rows_table(rows, columns, title))
        return
    _out(emit.rows_text(rows, chosen), output)


@app.command()
def diff(
    old: str = typer.Argument(..., help="The earlier document.", show_default=False),
    new: str = typer.Argument(..., help="The later document.", show_default=False),
    format: Optional[CompareFormat] = typer.Option(None, "--format", "-f", help="table on a terminal, jsonl when piped; or csv, json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
) -> None:
    """What changed between two documents' targets: changed, unchanged, added, dropped.

    Targets are aligned by canonical indicator (data/lexicon/indicators.yaml)
    and value type, then by indicator text with a similarity shown.
    Example: plancli diff 2024.txt 2025.txt
    """
    from .compare import diff as compare_diff

    with _user_errors():
        rows = [r.as_dict() for r in compare_diff(_load(old, None, InputFormat.auto), _load(new, None, InputFormat.auto))]
        _emit_rows(rows, format, output, f"{old} → {new}",
                   [("status", "status"), ("indicator", "indicator"), ("old", "old"), ("new", "new"),
                    ("similarity", "match")])


@app.command()
def attainment(
    plan: str = typer.Argument(..., help="The plan (or the report that set the targets).", show_default=False),
    report: str = typer.Argument(..., help="A later report that reviews the plan period.", show_default=False),
    format: Optional[CompareFormat] = typer.Option(None, "--format", "-f", help="table on a terminal, jsonl when piped; or csv, json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
) -> None:
    """Whether a plan's targets were met by the actuals a later report gives: met, missed or unknown.

    The comparator decides (≥ 6% against 5.2% is missed); an "about" target is
    met within the tolerance in data/lexicon/compare.yaml (0.5 points for %).
    Example: plancli attainment 2024.txt 2025.txt
    """
    from .compare import attainment as compare_attainment

    with _user_errors():
        rows = [r.as_dict() for r in compare_attainment(_load(plan, None, InputFormat.auto),
                                                        _load(report, None, InputFormat.auto))]
        _emit_rows(rows, format, output, f"{plan} against {report}",
                   [("status", "status"), ("indicator", "indicator"), ("target", "target"), ("actual", "actual"),
                    ("gap", "gap"), ("note", "note")])


class Engine(str, Enum):
    processes = "processes"
    dask = "dask"


@app.command()
def batch(
    paths: list[str] = typer.Argument(..., help="Files and folders (searched recursively).", show_default=False),
    output: Path = typer.Option(..., "--output", "-o", help="The dataset: .duckdb (tables documents, sections, targets, errors), .parquet (a folder of one file per table), .csv or .jsonl (targets in OUT, the other tables beside it)."),
    glob: Optional[str] = typer.Option(None, "--glob", help="Which files under a folder, e.g. '*.txt' (default: every .txt, .docx, .html, .htm, .pdf)."),
    workers: int = typer.Option(0, "--workers", "-w", help="Parallel processes (default: one per core).", show_default=False),
    engine: Engine = typer.Option(Engine.processes, "--engine", help="processes on this machine, or dask (pip install 'plancli[dask]')."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="A Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster."),
    resume: bool = typer.Option(False, "--resume", help="Add to OUT and skip files whose SHA-256 is already in it."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """A corpus into one dataset: every file in documents or errors, nothing skipped silently.

    Exit code 0 when every file parsed, 1 when any went to the errors table.
    Examples: plancli batch reports/ -o plans.duckdb;
    plancli batch a.txt b.pdf reports/ --glob '*.txt' -o out.parquet --workers 2;
    plancli batch reports/ -o plans.duckdb --resume
    """
    from . import corpus, store

    with _user_errors():
        files = corpus.find_inputs(paths, glob)
        sink = store.Store(output, resume=resume)
        show = not quiet and sys.stderr.isatty()
        progress_bar = _progress(len(files)) if show else None
        counts = {"targets": 0, "errors": 0, "done": 0}
        started = time.perf_counter()

        def tick(result) -> None:
            counts["errors"] += bool(result.error)
            counts["targets"] += sum(1 for t in result.targets if t["kind"] == "target")
            counts["done"] += 1
            if progress_bar:
                rate = counts["done"] / max(time.perf_counter() - started, 1e-6)
                progress_bar[0].update(progress_bar[1], advance=1, targets=counts["targets"],
                                       errors=counts["errors"], rate=f"{rate:.1f}")

        if progress_bar:
            progress_bar[0].start()
        try:
            summary = corpus.run(files, sink, workers=workers or corpus.default_workers(), engine=engine.value,
                                 scheduler=scheduler, resume=resume, progress=tick)
        finally:
            if progress_bar:
                progress_bar[0].stop()
        line = (f"{summary.documents} documents, {summary.errors} errors, {summary.targets} targets"
                f"{f', {summary.skipped} already in {output}' if summary.skipped else ''} "
                f"in {summary.seconds:.2f} s → {output}")
        if summary.interrupted:
            _err(f"interrupted: {line}; {'committed batches kept' if resume else output.name + ' left as it was'}"
                 "; run again with --resume")
            raise typer.Exit(130)
        typer.echo(f"plancli: {line}", err=True)
        if summary.errors:
            raise typer.Exit(EXIT_BAD_DOCUMENT)


def _progress(total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("parsing"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[targets]} targets · {task.fields[errors]} errors · "
                              "{task.fields[rate]} files/s"), TimeRemainingColumn(),
                   console=_console(stderr=True), transient=True)
    task = bar.add_task("files", total=total, targets=0, errors=0, rate="–")
    return bar, task


@app.command()
def validate(
    file: Path = typer.Argument(..., help="A JSON file written by plancli parse (a document) or plancli targets --format json (a list of targets).", show_default=False),
) -> None:
    """Check a JSON file against the schema: exit 0 when valid, else 1 with the first error.

    Example: plancli parse notice.txt -o doc.json && plancli validate doc.json
    """
    from pydantic import ValidationError

    with _user_errors():
        if not file.is_file():
            raise UsageError(f"{file}: no such file")
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            _err(f"{file}: not JSON: {e}")
            raise typer.Exit(EXIT_BAD_DOCUMENT)
        try:
            if isinstance(data, list):
                for i, row in enumerate(data):
                    try:
                        Target.model_validate(row)
                    except ValidationError as e:
                        raise _first_error(e, prefix=f"[{i}]")
                what = f"{len(data)} targets"
            else:
                try:
                    Document.model_validate(data)
                except ValidationError as e:
                    raise _first_error(e)
                what = "document"
        except _Invalid as e:
            _err(f"{file}: invalid: {e}")
            raise typer.Exit(EXIT_BAD_DOCUMENT)
        typer.echo(f"{file}: valid {what}", err=True)


class _Invalid(Exception):
    pass


def _first_error(e, prefix: str = "") -> _Invalid:
    first = e.errors()[0]
    where = prefix + ".".join(str(p) for p in first["loc"])
    return _Invalid(f"{where or 'top level'}: {first['msg']}")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plancli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit.")) -> None:
    pass


def main() -> None:
    """Entry point: the command line parser's usage errors become one line too.

    Typer raises click's exceptions (vendored as typer._click in newer
    releases), so they are recognised by what they offer, not by class."""
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        _err("aborted")
        code = EXIT_BAD_DOCUMENT
    except KeyboardInterrupt:
        _err("interrupted")
        code = 130
    except Exception as e:
        if not (hasattr(e, "format_message") and hasattr(e, "exit_code")):
            _err(f"internal error: {type(e).__name__}: {e}")
            sys.exit(EXIT_BAD_DOCUMENT)
        if type(e).__name__ == "NoArgsIsHelpError":
            typer.echo(e.format_message(), err=True)  # plancli with no command: the help
        else:
            ctx = getattr(e, "ctx", None)
            command = ctx.command_path if ctx else "plancli"
            _err(f"{e.format_message()} (see '{command} --help')")
        code = e.exit_code
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
