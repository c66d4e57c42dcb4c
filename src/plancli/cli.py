"""The command line: plancli parse | targets | outline | annotate | text |
schema | validate | diff | attainment | batch | report.

Commands parse options and call the library. Errors reach the user as one
line on stderr and an exit code (README: 0 success, 1 the document could not
be used, 2 usage, 130 interrupted), never a traceback: `exit_code` decides."""
from __future__ import annotations

import logging
import os
import re
import signal
import sys
import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterable, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__, emit
from .errors import (EXIT_BAD_DOCUMENT, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_TERMINATED, OutputError,
                     PlancliError, UsageError)

if TYPE_CHECKING:  # the models only name types here: no Pydantic at start-up
    from .models import Document


def _err(message: str) -> None:
    typer.echo(f"plancli: {message}", err=True)


def _drop_stdout() -> None:
    """Point file descriptor 1 at /dev/null: output still buffered after a
    failed write is discarded at exit instead of failing again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass


class _ClosedStdout:
    """sys.stdout when the process started with file descriptor 1 closed:
    a command that writes there fails with one line, not an internal error."""

    encoding = "utf-8"

    def write(self, _text):
        raise OutputError("standard output is closed; give -o FILE or redirect it")

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError(9, "standard output is closed")


def exit_code(error: BaseException) -> int:
    """The one place a failure becomes an exit code and one line on stderr."""
    if isinstance(error, typer.Exit):
        return error.exit_code
    if isinstance(error, PlancliError):
        _err(str(error))
        return error.exit_code
    if isinstance(error, BrokenPipeError):
        # the reader went away (| head): no error of ours; what is still
        # buffered for stdout goes to /dev/null, so Python's flush at exit
        # does not complain
        _drop_stdout()
        return EXIT_OK
    if isinstance(error, OSError):
        # the environment, not a bug: a full disk, a closed or failing stream
        _drop_stdout()
        if error.filename:
            _err(f"{error.filename}: {error.strerror or error}")
        else:  # a stream's write or flush: the table or tree for the terminal
            _err(f"standard output: cannot write: {error.strerror or error}")
        return EXIT_OUTPUT
    if isinstance(error, typer.Abort):
        _err("aborted")
        return EXIT_BAD_DOCUMENT
    if isinstance(error, KeyboardInterrupt):
        _err("interrupted")
        return EXIT_INTERRUPTED
    if hasattr(error, "format_message") and hasattr(error, "exit_code"):
        # the option parser's errors: click's, vendored as typer._click in
        # newer typer releases, so recognised by what they offer, not by class
        if type(error).__name__ == "NoArgsIsHelpError":
            typer.echo(error.format_message(), err=True)  # plancli with no command: the help
        else:
            ctx = getattr(error, "ctx", None)
            _err(f"{_plain_bad_value(error) or error.format_message()} "
                 f"(see '{ctx.command_path if ctx else 'plancli'} --help')")
        return error.exit_code
    _err(f"internal error: {type(error).__name__}: {error} (please report it with the input)")
    return EXIT_BAD_DOCUMENT


# What a value the option parser could not read should have been, by the
# name of its type (typer's vendored click says int, click itself integer).
_EXPECTED = {"int": "a whole number", "integer": "a whole number", "float": "a number", "boolean": "true or false"}
_BAD_INPUT = re.compile(r"(?P<input>'.*?'|\S+) is not ")


def _plain_bad_value(error) -> Optional[str]:
    """A bad option value as one plain sentence ("--year: 'abc' is not a
    whole number") instead of the parser's wording ("Invalid value for
    '--year': 'abc' is not a valid int."); None for any other error."""
    param = getattr(error, "param", None)
    m = _BAD_INPUT.match(str(getattr(error, "message", "")))  # 'abc' is not a valid int.
    if param is None or m is None:
        return None
    kind = getattr(param, "type", None)
    choices = getattr(kind, "choices", None)
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    name = opts[0] if opts else (param.metavar or param.name.upper())
    expected = "one of " + ", ".join(str(getattr(c, "value", c)) for c in choices) if choices \
        else _EXPECTED.get(getattr(kind, "name", None))
    if expected is None:
        return None
    return f"{name}: {m.group('input')} is not {expected}"


class _Commands(TyperGroup):
    """Hands a command's failure to `exit_code` before typer sees it (typer
    would exit 1 on a broken pipe)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as error:  # typer.Exit too: exit_code keeps its code
            raise typer.Exit(exit_code(error)) from None


def _usage_name(param) -> str:
    """An argument as click-based tools (sqlite-utils, csvkit) write it in
    usage lines: FILE, [FILE], PATHS... (typer 0.29 writes {file} and <str>)."""
    name = param.metavar or param.name.upper()
    if param.nargs != 1:
        name += "..."
    return name if param.required else f"[{name}]"


class _Command(TyperCommand):
    """A command whose help reads like sqlite-utils' or csvkit's: arguments
    by name in the usage line and the Arguments list, options with their
    metavar (FILE, SIZE, [csv|json]); docstrings keep their \\b blocks."""

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_usage_name(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]

    def format_options(self, ctx, formatter) -> None:
        params = [p for p in self.get_params(ctx) if not p.hidden]
        arguments = [(_usage_name(p), p.help or "") for p in params if p.param_type_name == "argument"]
        options = [record for p in params if p.param_type_name == "option" and (record := p.get_help_record(ctx))]
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


class _App(typer.Typer):
    """Every command of plancli is a _Command."""

    def command(self, *args, cls=None, **kwargs):
        return super().command(*args, cls=cls or _Command, **kwargs)


app = _App(
    name="plancli",
    cls=_Commands,
    help="Turn Chinese government plan documents (计划通知, 政府工作报告, 规划纲要) into structured data: "
         "metadata, the section tree and every quantified target, each with the offsets of its text.",
    epilog="\b\n"
           "Examples:\n"
           "  plancli parse data/raw/jiaxing-2024-plan.txt -o plan.json\n"
           "  plancli targets data/raw/jiaxing-2024-plan.txt --section 三 --format csv\n"
           "  cat notice.txt | plancli targets - --format jsonl\n"
           "  plancli outline data/raw/jiaxing-2024-plan.txt\n"
           "  plancli annotate data/raw/jiaxing-2024-plan.txt -o notice.html\n"
           "  plancli batch data/raw/ reports/ -o plans.duckdb\n"
           "  plancli diff 2024.txt 2025.txt\n"
           "  plancli report plans.duckdb -o report.html\n"
           "\n"
           "'plancli COMMAND --help' shows a command's options and examples. Shell completion: "
           "plancli --install-completion (bash, zsh, fish, PowerShell), then open a new shell.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class DocumentFormat(str, Enum):
    json = "json"
    yaml = "yaml"


class OutlineFormat(str, Enum):
    tree = "tree"
    json = "json"
    yaml = "yaml"


class TargetFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"


class RowFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


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


class Engine(str, Enum):
    processes = "processes"
    dask = "dask"


def _one_of(choices: type[Enum]) -> str:
    """The metavar of an option with choices, as click writes it: [csv|json]."""
    return "[" + "|".join(c.value for c in choices) + "]"


# Arguments and options several commands share, declared once.
FileArgument = Annotated[str, typer.Argument(
    metavar="FILE", show_default=False,
    help="The document: text (UTF-8, GB18030, UTF-16), .docx, .html or .pdf; - for standard input.")]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", metavar="FILE",
    help="Write to this file instead of standard output (written whole or not at all); its extension "
         "chooses the format.")]
EncodingOption = Annotated[Optional[str], typer.Option(
    "--encoding", metavar="ENCODING", help="Force the input encoding (e.g. gb18030) instead of detecting it.")]
InputFormatOption = Annotated[InputFormat, typer.Option(
    "--input-format", metavar=_one_of(InputFormat),
    help="The input's format when its name or first bytes cannot tell (stdin).")]


def _size(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    from .reader import parse_size

    try:
        return parse_size(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


MaxBytesOption = Annotated[Optional[str], typer.Option(
    "--max-bytes", metavar="SIZE", callback=_size, show_default=False,
    help="The most to read from the input, inflate from a .docx or extract as text (200M, 1G, 500000; "
         "default 200M or $PLANCLI_MAX_BYTES). Larger input is refused.")]
RowFormatOption = Annotated[Optional[RowFormat], typer.Option(
    "--format", "-f", metavar=_one_of(RowFormat), help="table on a terminal, jsonl when piped; or csv, json.")]
BomOption = Annotated[bool, typer.Option(
    "--bom", help="Start CSV output with a UTF-8 byte-order mark, so that Excel (a Chinese-locale one too) "
                  "reads it as UTF-8.")]


def _load(file: str, encoding: Optional[str] = None, input_format: InputFormat = InputFormat.auto,
          include_text: bool = False, max_bytes: Optional[int] = None) -> Document:
    from .parser import read  # imported late: --help stays fast

    # the parser's records, not the API's validated models: no Pydantic on the way
    return read(file, encoding, input_format.value, include_text=include_text, max_bytes=max_bytes)


def _out(content: str | Iterable[str], output: Optional[Path]) -> None:
    """Write to stdout or -o FILE as UTF-8 (a non-UTF-8 file name in the
    content escaped, see emit.utf8), text whole or in pieces; a failure is
    one line naming the file."""
    if output is None:
        stream = getattr(sys.stdout, "buffer", None)
        try:
            if stream is None:  # a stream that takes text only
                for piece in [content] if isinstance(content, str) else content:
                    sys.stdout.write(piece)
            else:
                sys.stdout.flush()
                stream.writelines(emit.chunks_of(content))
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            _drop_stdout()
            raise OutputError(f"standard output: cannot write: {e.strerror}") from None
        return
    if output.is_dir():
        raise UsageError(f"{output}: is a directory; give a file name for -o")
    if not output.parent.exists():
        raise UsageError(f"{output.parent}: no such directory for -o")
    try:
        emit.write_atomic(output, content)
    except OSError as e:
        raise OutputError(f"{output}: cannot write: {e.strerror}") from None


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr)


def _terminal_default(output: Optional[Path]) -> str:
    """A table for a person at a terminal, JSON Lines for a pipe or a file."""
    return "table" if output is None and sys.stdout.isatty() else "jsonl"


def _no_table_into_a_file(fmt: str, output: Optional[Path], instead: str) -> None:
    if fmt in ("table", "tree") and output is not None:
        raise UsageError(f"--format {fmt} is for the terminal; use {instead} with -o")


@app.command()
def parse(
    file: FileArgument,
    format: Annotated[Optional[DocumentFormat], typer.Option(
        "--format", "-f", metavar=_one_of(DocumentFormat), help="json (default) or yaml; -o FILE.yaml implies yaml.")] = None,
    output: OutputOption = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    include_text: Annotated[bool, typer.Option("--include-text", help="Record the text that every offset indexes (the extracted text of a .docx, .html or .pdf).")] = False,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The whole document as JSON or YAML: meta, sections, targets.

    Meta (title, region, year, doc type), the section tree with its measures,
    the review, goals and plan parts, every target and actual, and the
    numbers seen but not reported with the reason.

    \b
    Examples:
      plancli parse notice.txt -o notice.json
      plancli parse report.pdf --include-text -o report.json   # with the text offsets index
      plancli parse notice.txt --format yaml
    """
    doc = _load(file, encoding, input_format, include_text, max_bytes)
    fmt = emit.chosen_format(format.value if format else None, output, "json", emit.DOCUMENT_FORMATS)
    _out(emit.document_text(doc, fmt), output)


@app.command()
def targets(
    file: FileArgument,
    section: Annotated[Optional[str], typer.Option("--section", "-s", metavar="SECTION", help="Only this section: its label (三), number (3) or a word of its title (科创).")] = None,
    kind: Annotated[KindFilter, typer.Option("--kind", "-k", metavar=_one_of(KindFilter), help="target (goals, the default), actual (achieved values) or all.")] = KindFilter.target,
    headline: Annotated[bool, typer.Option("--headline", help="Only the main expected targets (主要预期目标) of the plan year.")] = False,
    year: Annotated[Optional[int], typer.Option("--year", metavar="YEAR", help="Only targets for this year (2026; 2030 for the 十五五 goals).")] = None,
    format: Annotated[Optional[TargetFormat], typer.Option("--format", "-f", metavar=_one_of(TargetFormat), help="table on a terminal, jsonl when piped; or csv, json, yaml. -o FILE.csv implies csv.")] = None,
    output: OutputOption = None,
    bom: BomOption = False,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The quantified targets, one row each, with their offsets.

    A table on a terminal, JSON Lines when piped; --format or the extension
    of -o (.csv, .json, .jsonl, .yaml) chooses otherwise. In CSV a line
    break inside a text or sentence becomes a space; JSON keeps the text
    exactly as the offsets index it.

    \b
    Examples:
      plancli targets notice.txt --section 三 --format csv
      plancli targets report.txt --kind all -o targets.jsonl    # targets and achieved values
      plancli targets report.txt --headline                     # this year's main expected targets
      plancli targets report.txt --year 2030                    # the five-year goals
      plancli targets notice.txt -o targets.csv --bom           # for Excel
      cat notice.txt | plancli targets -
    """
    from .query import select_targets

    fmt = emit.chosen_format(format.value if format else None, output, _terminal_default(output), emit.TARGET_FORMATS)
    _no_table_into_a_file(fmt, output, "csv, json, jsonl or yaml")
    doc = _load(file, encoding, input_format, max_bytes=max_bytes)
    rows = select_targets(doc, kind.value, section, headline, year)
    if fmt == "table":
        emit.with_bom("", fmt, bom)  # --bom with a table: the same usage error
        noun = {"target": "targets", "actual": "actuals", "all": "quantities"}[kind.value]
        title = f"{doc.meta.title or doc.meta.source} — {len(rows)} {noun}"
        _console().print(emit.targets_table(rows, title=title))
    else:
        _out(emit.with_bom(emit.targets_chunks(rows, fmt), fmt, bom), output)


@app.command()
def outline(
    file: FileArgument,
    format: Annotated[Optional[OutlineFormat], typer.Option(
        "--format", "-f", metavar=_one_of(OutlineFormat),
        help="tree (default) for the terminal; json or yaml: the meta and section tree as a document "
             "plancli validate accepts.")] = None,
    output: OutputOption = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The section tree, with the targets each section holds.

    \b
    Examples:
      plancli outline notice.txt
      plancli outline notice.txt --format json -o outline.json
    """
    fmt = emit.chosen_format(format.value if format else None, output, "tree" if output is None else "json",
                             ("tree", *emit.DOCUMENT_FORMATS))
    _no_table_into_a_file(fmt, output, "json or yaml")
    doc = _load(file, encoding, input_format, max_bytes=max_bytes)
    if fmt == "tree":
        _console().print(emit.outline_tree(doc))
    else:
        _out(emit.document_text(doc, fmt, outline=True), output)


@app.command()
def annotate(
    file: FileArgument,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="The HTML page to write (default: standard output).")] = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """An HTML page of the document with every number marked.

    One self-contained page (no network needed): targets and actuals are
    highlighted (details on hover and click), numbers not reported are shown
    faintly with the reason, the section tree navigates, and a summary table
    links to each mark.

    \b
    Examples:
      plancli annotate notice.txt -o notice.html
      plancli annotate report.pdf -o report.html
    """
    from .annotate import render

    doc = _load(file, encoding, input_format, include_text=True, max_bytes=max_bytes)
    _out(render(doc, doc.text), output)


@app.command()
def text(
    file: FileArgument,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write the text to this file instead of standard output.")] = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The text plancli reads from a file: what every offset indexes.

    \b
    Examples:
      plancli text notice.pdf -o notice.txt
      plancli text report.docx | head
    """
    from .reader import read_path

    _out(read_path(file, encoding, input_format.value, max_bytes).text, output)


@app.command()
def schema(
    model: Annotated[SchemaModel, typer.Option("--model", "-m", metavar=_one_of(SchemaModel), help="Which schema to print.")] = SchemaModel.document,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="FOLDER", help="Write document.schema.json and target.schema.json into this folder.")] = None,
) -> None:
    """The JSON Schema of plancli's output.

    Generated from plancli's models (src/plancli/models.py); data/schema
    holds the published copy.

    \b
    Examples:
      plancli schema
      plancli schema --model target
      plancli schema -o data/schema
    """
    from .schema import schema_text, schemas, write_schemas

    if output is None:
        _out(schema_text(schemas()[f"{model.value}.schema.json"]), None)
    else:
        typer.echo(f"wrote {', '.join(str(p) for p in write_schemas(output))}", err=True)


def _show_rows(rows: list[dict], fmt: Optional[RowFormat], output: Optional[Path], title: str,
               columns: list[tuple[str, str]], bom: bool) -> None:
    """Rows as a table on a terminal, else as CSV / JSON."""
    chosen = emit.chosen_format(fmt.value if fmt else None, output, _terminal_default(output),
                                tuple(f.value for f in RowFormat))
    _no_table_into_a_file(chosen, output, "csv, json or jsonl")
    if chosen == "table":
        emit.with_bom("", chosen, bom)
        _console().print(emit.rows_table(rows, columns, title))
    else:
        _out(emit.with_bom(emit.rows_text(rows, chosen), chosen, bom), output)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The earlier document.", show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The later document.", show_default=False)],
    format: RowFormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    max_bytes: MaxBytesOption = None,
) -> None:
    """What changed between two documents' targets.

    Each target is changed, unchanged, added or dropped. Targets are aligned
    by canonical indicator (data/lexicon/indicators.yaml) and value type,
    then by indicator text with a similarity shown. Old and new are shown in
    one unit, the larger one written (1800亿元 and 1.6万亿元: 0.18 and 1.6
    万亿元), and so is the change; csv and jsonl rows carry the base values too.

    \b
    Examples:
      plancli diff 2024.txt 2025.txt
      plancli diff 2024.txt 2025.txt -o diff.csv --bom
    """
    from .compare import diff as compare_diff

    rows = [r.as_dict() for r in compare_diff(_load(old, max_bytes=max_bytes), _load(new, max_bytes=max_bytes))]
    _show_rows(rows, format, output, f"{old} → {new}",
               [("status", "status"), ("indicator", "indicator"), ("old", "old"), ("new", "new"), ("unit", "unit"),
                ("change", "change"), ("similarity", "match")], bom)


@app.command()
def attainment(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help="The plan (or the report that set the targets).", show_default=False)],
    report: Annotated[str, typer.Argument(metavar="REPORT", help="A later report that reviews the plan period.", show_default=False)],
    format: RowFormatOption = None,
    output: OutputOption = None,
    bom: BomOption = False,
    max_bytes: MaxBytesOption = None,
) -> None:
    """Whether a plan's targets were met, by a later report.

    Each target is met, missed or unknown. The comparator decides (≥ 6%
    against 5.2% is missed); an "about" target is met within the tolerance
    in data/lexicon/compare.yaml (0.5 points for %), and the note says so
    where the tolerance decided. Target, actual and gap are shown in one unit.

    \b
    Examples:
      plancli attainment 2024.txt 2025.txt
      plancli attainment 2024.txt 2025.txt --format csv -o attainment.csv
    """
    from .compare import attainment as compare_attainment

    rows = [r.as_dict() for r in compare_attainment(_load(plan, max_bytes=max_bytes), _load(report, max_bytes=max_bytes))]
    _show_rows(rows, format, output, f"{plan} against {report}",
               [("status", "status"), ("indicator", "indicator"), ("target", "target"), ("actual", "actual"),
                ("unit", "unit"), ("gap", "gap"), ("note", "note")], bom)


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(metavar="PATHS", help="Files and folders (searched recursively).", show_default=False)],
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="OUT", show_default=False,
        help="The dataset: .duckdb (every table); a folder, OUT/ or a name without extension (one Parquet "
             "file per table: documents.parquet, targets.parquet, …); .parquet (one file: the targets with "
             "their document's columns); .csv or .jsonl (targets in OUT, the other tables beside it).")],
    glob: Annotated[Optional[str], typer.Option("--glob", metavar="PATTERN", help="Which files under a folder, e.g. '*.txt' (default: every .txt, .docx, .html, .htm, .pdf).")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", metavar="N", help="Parallel processes (default: one per core).", show_default=False)] = 0,
    engine: Annotated[Engine, typer.Option("--engine", metavar=_one_of(Engine), help="processes on this machine, or dask (pip install 'plancli[dask]').")] = Engine.processes,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="A Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Add to OUT and skip files already in it with the same path and SHA-256.")] = False,
    bom: BomOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Many documents into one dataset: DuckDB, Parquet, CSV, JSONL.

    Every file ends up in the documents or the errors table, nothing is
    skipped silently (a single .parquet file keeps the targets only: failed
    files are listed on stderr). Exit code 0 when every file parsed, 1 when
    any went to the errors table; 3 the output could not be written, 4
    another run is writing it, 130/143 interrupted (the output is left as
    it was).

    \b
    Examples:
      plancli batch reports/ -o plans.duckdb
      plancli batch reports/ -o plans/                  # plans/documents.parquet, plans/targets.parquet, …
      plancli batch reports/ -o targets.parquet         # one file: the targets
      plancli batch a.txt b.pdf reports/ --glob '*.txt' -o out.csv --bom --workers 2
      plancli batch reports/ -o plans.duckdb --resume
    """
    from . import corpus, store

    fmt = store.output_format(output)
    if engine == Engine.dask:
        corpus.require_dask()
    out = Path(output)
    try:
        with corpus.stop_on_signals():  # SIGTERM/SIGINT: the run unwinds, nothing staged is left
            files, unread = corpus.scan_inputs(paths, glob, exclude=[out, *store.table_files(out, fmt).values()])
            sink = store.Store(output, resume=resume, bom=bom)
            progress = _Progress(len(files) + len(unread)) if not quiet and sys.stderr.isatty() else None
            try:
                summary = corpus.run(files, sink, workers=workers or corpus.default_workers(), engine=engine.value,
                                     scheduler=scheduler, resume=resume, progress=progress.tick if progress else None,
                                     unread=unread)
            finally:
                if progress:
                    progress.stop()
    except corpus.Interrupted as stop:  # before the run began
        _err(f"interrupted by {stop.args[0]}; {out.name} left as it was")
        raise typer.Exit(EXIT_TERMINATED if stop.signum == signal.SIGTERM else EXIT_INTERRUPTED) from None
    if summary.interrupted:
        _err(f"interrupted by {summary.interrupted}: {summary.line(out)}; "
             f"{'committed batches kept' if resume and sink.fmt == 'duckdb' else out.name + ' left as it was'}; "
             "run again with --resume")
        # the workers are killed and the output settled: leave now, without the interpreter's
        # exit handlers, which join the process pool's manager thread and can wait on it forever
        sys.stderr.flush()
        os._exit(EXIT_TERMINATED if summary.interrupted == "SIGTERM" else EXIT_INTERRUPTED)
    if "errors" not in store.table_files(out, fmt):  # the output keeps no errors table: say which failed
        for path, reason in summary.failures:
            _err(f"{store.text(path)}: {reason}")
    typer.echo(f"plancli: {summary.line(output)}", err=True)  # as given: plans/ stays a folder
    if summary.errors:
        raise typer.Exit(EXIT_BAD_DOCUMENT)


class _Progress:
    """A progress bar on stderr: files parsed, targets and errors so far, files per second."""

    def __init__(self, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("parsing"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[targets]} targets · {task.fields[errors]} errors · "
                                       "{task.fields[rate]} files/s"), TimeRemainingColumn(),
                            console=_console(stderr=True), transient=True)
        self.task = self.bar.add_task("files", total=total, targets=0, errors=0, rate="–")
        self.targets = self.errors = self.done = 0
        self.started = time.perf_counter()
        self.bar.start()

    def tick(self, result) -> None:
        self.errors += bool(result.error)
        self.targets += len(result.targets)
        self.done += 1
        rate = self.done / max(time.perf_counter() - self.started, 1e-6)
        self.bar.update(self.task, advance=1, targets=self.targets, errors=self.errors, rate=f"{rate:.1f}")

    def stop(self) -> None:
        self.bar.stop()


@app.command()
def report(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", show_default=False,
        help="Datasets plancli batch wrote (.duckdb, a folder of .parquet files, .parquet, .csv, .jsonl), or documents and folders of "
             "them, parsed on the way.")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE", help="The HTML page to write; required on a terminal (a pipe gets the page).")] = None,
    year: Annotated[Optional[int], typer.Option(
        "--year", metavar="YEAR", show_default=False,
        help="The year of the regions charts (default: the latest plan year with headline targets of two "
             "regions or more).")] = None,
) -> None:
    """A page of charts: targets against outcomes.

    One self-contained HTML page: each headline target against the outcome
    the next year's report gives, the regions side by side in one year, and
    attainment (met, missed, unknown) with the sentences it was judged from.
    Needs matplotlib: pip install 'plancli[report]'.

    \b
    Examples:
      plancli batch reports/ -o plans.duckdb && plancli report plans.duckdb -o report.html
      plancli report plans.duckdb --year 2026 -o report.html
      plancli report reports/2024.txt reports/2025.txt -o report.html
      plancli report plans/ | gzip > report.html.gz
    """
    from . import report as reports

    if output is None and sys.stdout.isatty():
        raise UsageError("the report is an HTML page: give -o report.html, or redirect it to a file")
    reports.require_plotting()
    panel = reports.load(inputs)
    _out(reports.render(panel, year), output)
    for path, reason in panel.not_read:
        _err(f"{path}: {reason}")
    if panel.not_read:
        raise typer.Exit(EXIT_BAD_DOCUMENT)


@app.command()
def validate(
    file: Annotated[str, typer.Argument(
        metavar="FILE", show_default=False,
        help="A file plancli wrote: JSON or YAML (parse, outline --format json, targets --format json), "
             "JSON Lines (targets --format jsonl, batch -o OUT.jsonl); - for standard input.")],
) -> None:
    """Check a file plancli wrote against its schema.

    Exit 0 when it is valid, 1 with the first error. JSON and YAML hold a
    document or a list of targets; JSON Lines one row a line, all of one
    kind: a target (targets --format jsonl) or a row of a batch table.

    \b
    Examples:
      plancli parse notice.txt -o doc.json && plancli validate doc.json
      plancli targets notice.txt --format jsonl | plancli validate -
      plancli batch reports/ -o plans.jsonl && plancli validate plans.documents.jsonl
    """
    from .schema import validate_file

    typer.echo(f"{file}: valid {validate_file(file)}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plancli {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False) -> None:
    pass


def main() -> None:
    """Runs the command line in this process and exits with its code (a
    test calls this); the `plancli` command is `run`."""
    sys.exit(_run())


def _run() -> int:
    """A command's failures reach `exit_code` through _Commands; the option
    parser's (no command, an unknown one) arrive here."""
    if sys.stdout is None:  # started with descriptor 1 closed
        sys.stdout = _ClosedStdout()
    _log_to_stderr()
    try:
        code = app(prog_name="plancli", standalone_mode=False)
    except (Exception, KeyboardInterrupt) as error:
        code = exit_code(error)
    return code if isinstance(code, int) else EXIT_OK


def run() -> None:
    """The `plancli` command: main, then a fast exit (`_leave`). Only for a
    process of its own; a caller in the same process uses `main`."""
    _leave(_run())


def _leave(code: int) -> None:
    """Exits at once once the output is flushed: tearing the interpreter
    down frees every object one by one, a tenth of a short run's time. A
    normal exit where anything could still be running (a thread, a batch's
    worker) or the flush fails (a closed pipe is handled there)."""
    import threading
    busy = threading.active_count() > 1 or (
        "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children())
    if not busy:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            busy = True
    if busy:
        sys.exit(code)
    os._exit(code)


class _OneLine(logging.Handler):
    """The library's warnings (a damaged PDF read all the same) as one
    'plancli: …' line on stderr each; only this process's (not a batch
    worker's, whose files the summary accounts for)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.pid = os.getpid()

    def emit(self, record):
        if record.process == self.pid:
            _err(record.getMessage())


def _log_to_stderr() -> None:
    logger = logging.getLogger("plancli")
    if not any(isinstance(h, _OneLine) for h in logger.handlers):
        logger.addHandler(_OneLine())


if __name__ == "__main__":
    run()
