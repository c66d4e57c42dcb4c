"""The command line: plancli parse | targets | outline | annotate | text |
schema | validate | diff | attainment | batch | report.

Commands parse options and call the library. Errors reach the user as one
line on stderr and an exit code (README: 0 success, 1 the document could not
be used, 2 usage, 130 interrupted), never a traceback: `exit_code` decides."""
from __future__ import annotations

import logging
import os
import signal
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from . import __version__, emit
from .errors import (EXIT_BAD_DOCUMENT, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_TERMINATED, OutputError,
                     PlancliError, UsageError)
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
            _err(f"{error.format_message()} (see '{ctx.command_path if ctx else 'plancli'} --help')")
        return error.exit_code
    _err(f"internal error: {type(error).__name__}: {error} (please report it with the input)")
    return EXIT_BAD_DOCUMENT


class _Commands(TyperGroup):
    """Hands a command's failure to `exit_code` before typer sees it (typer
    would exit 1 on a broken pipe)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as error:  # typer.Exit too: exit_code keeps its code
            raise typer.Exit(exit_code(error)) from None


app = typer.Typer(
    name="plancli",
    cls=_Commands,
    help="Turn Chinese government plan documents (计划通知, 政府工作报告, 规划纲要) into structured data: "
         "metadata, the section tree and every quantified target, each with the offsets of its text.",
    epilog="Examples:\n\n"
           "  plancli parse data/raw/jiaxing-2024-plan.txt -o plan.json\n\n"
           "  plancli targets data/raw/jiaxing-2024-plan.txt --section 三 --format csv\n\n"
           "  cat notice.txt | plancli targets - --format jsonl\n\n"
           "  plancli outline data/raw/jiaxing-2024-plan.txt\n\n"
           "  plancli annotate data/raw/jiaxing-2024-plan.txt -o notice.html\n\n"
           "  plancli batch data/raw/ reports/ -o plans.duckdb\n\n"
           "  plancli diff 2024.txt 2025.txt\n\n"
           "  plancli report plans.duckdb -o report.html",
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


# Arguments and options several commands share, declared once.
FileArgument = Annotated[str, typer.Argument(
    help="The document: text (UTF-8, GB18030, UTF-16), .docx, .html or .pdf; - for standard input.",
    show_default=False)]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to this file instead of standard output (written whole or not at all).")]
EncodingOption = Annotated[Optional[str], typer.Option(
    "--encoding", help="Force the input encoding (e.g. gb18030) instead of detecting it.")]
InputFormatOption = Annotated[InputFormat, typer.Option(
    "--input-format",
    help="The input's format when its name or first bytes cannot tell (stdin): text, docx, html or pdf.")]


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
    "--format", "-f", help="table on a terminal, jsonl when piped; or csv, json.")]


def _load(file: str, encoding: Optional[str] = None, input_format: InputFormat = InputFormat.auto,
          include_text: bool = False, max_bytes: Optional[int] = None) -> Document:
    from .parser import parse_file  # imported late: --help stays fast

    return parse_file(file, encoding, input_format.value, include_text=include_text, max_bytes=max_bytes)


def _out(content: str, output: Optional[Path]) -> None:
    """Write to stdout or -o FILE as UTF-8 (a non-UTF-8 file name in the
    content escaped, see emit.utf8); a failure is one line naming the file."""
    if output is None:
        stream = getattr(sys.stdout, "buffer", None)
        try:
            if stream is None:  # a stream that takes text only
                sys.stdout.write(content)
            else:
                sys.stdout.flush()
                stream.write(emit.utf8(content))
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
    if fmt == "table" and output is not None:
        raise UsageError(f"--format table is for the terminal; use {instead} with -o")


@app.command()
def parse(
    file: FileArgument,
    format: Annotated[Optional[DocumentFormat], typer.Option("--format", "-f", help="json (default) or yaml; -o FILE.yaml implies yaml.")] = None,
    output: OutputOption = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    include_text: Annotated[bool, typer.Option("--include-text", help="Record the text that every offset indexes (the extracted text of a .docx, .html or .pdf).")] = False,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The whole document: meta, section tree with measures, targets and rejected numbers.

    Example: plancli parse notice.txt -o notice.json
    """
    doc = _load(file, encoding, input_format, include_text, max_bytes)
    fmt = emit.chosen_format(format.value if format else None, output, "json")
    _out(emit.document_text(doc, fmt if fmt in emit.DOCUMENT_FORMATS else "json"), output)


@app.command()
def targets(
    file: FileArgument,
    section: Annotated[Optional[str], typer.Option("--section", "-s", help="Only this section: its label (三), number (3) or a word of its title (科创).")] = None,
    kind: Annotated[KindFilter, typer.Option("--kind", "-k", help="target (goals, the default), actual (achieved values) or all.")] = KindFilter.target,
    headline: Annotated[bool, typer.Option("--headline", help="Only the main expected targets (主要预期目标) of the plan year.")] = False,
    year: Annotated[Optional[int], typer.Option("--year", help="Only targets for this year (2026; 2030 for the 十五五 goals).")] = None,
    format: Annotated[Optional[TargetFormat], typer.Option("--format", "-f", help="table on a terminal, jsonl when piped; or csv, json, yaml. -o FILE.csv implies csv.")] = None,
    output: OutputOption = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The quantified targets, one row each, with the offsets of their text.

    Examples: plancli targets notice.txt --section 三 --format csv;
    plancli targets report.txt --kind all -o targets.jsonl;
    plancli targets report.txt --headline (this year's main expected targets);
    plancli targets report.txt --year 2030 (the five-year goals)
    """
    from .query import select_targets

    doc = _load(file, encoding, input_format, max_bytes=max_bytes)
    rows = select_targets(doc, kind.value, section, headline, year)
    fmt = emit.chosen_format(format.value if format else None, output, _terminal_default(output))
    _no_table_into_a_file(fmt, output, "csv, json, jsonl or yaml")
    if fmt == "table":
        noun = {"target": "targets", "actual": "actuals", "all": "quantities"}[kind.value]
        title = f"{doc.meta.title or doc.meta.source} — {len(rows)} {noun}"
        _console().print(emit.targets_table(rows, title=title))
    else:
        _out(emit.targets_text(rows, fmt), output)


@app.command()
def outline(
    file: FileArgument,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The section tree: sections, measures and how many targets each holds.

    Example: plancli outline notice.txt
    """
    _console().print(emit.outline_tree(_load(file, encoding, input_format, max_bytes=max_bytes)))


@app.command()
def annotate(
    file: FileArgument,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The HTML page to write (default: standard output).")] = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """A self-contained HTML page of the document with every extracted number marked.

    Targets and actuals are highlighted (details on hover and click), numbers
    not reported are shown faintly with the reason, the section tree
    navigates, and a summary table links to each mark.
    Example: plancli annotate notice.txt -o notice.html
    """
    from .annotate import render

    doc = _load(file, encoding, input_format, include_text=True, max_bytes=max_bytes)
    _out(render(doc, doc.text), output)


@app.command()
def text(
    file: FileArgument,
    output: OutputOption = None,
    encoding: EncodingOption = None,
    input_format: InputFormatOption = InputFormat.auto,
    max_bytes: MaxBytesOption = None,
) -> None:
    """The text plancli reads from a file: what every start/end offset indexes.

    Example: plancli text notice.pdf -o notice.txt
    """
    from .reader import read_path

    _out(read_path(file, encoding, input_format.value, max_bytes).text, output)


@app.command()
def schema(
    model: Annotated[SchemaModel, typer.Option("--model", "-m", help="Which schema to print.")] = SchemaModel.document,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write document.schema.json and target.schema.json into this directory.")] = None,
) -> None:
    """The JSON Schema of plancli's output, generated from its models.

    Examples: plancli schema; plancli schema -o data/schema
    """
    from .schema import schema_text, schemas, write_schemas

    if output is None:
        _out(schema_text(schemas()[f"{model.value}.schema.json"]), None)
    else:
        typer.echo(f"wrote {', '.join(str(p) for p in write_schemas(output))}", err=True)


def _show_rows(rows: list[dict], fmt: Optional[RowFormat], output: Optional[Path], title: str,
               columns: list[tuple[str, str]]) -> None:
    """Rows as a table on a terminal, else as CSV / JSON."""
    chosen = emit.chosen_format(fmt.value if fmt else None, output, _terminal_default(output))
    _no_table_into_a_file(chosen, output, "csv, json or jsonl")
    if chosen == "table":
        _console().print(emit.rows_table(rows, columns, title))
    else:
        _out(emit.rows_text(rows, chosen), output)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The earlier document.", show_default=False)],
    new: Annotated[str, typer.Argument(help="The later document.", show_default=False)],
    format: RowFormatOption = None,
    output: OutputOption = None,
    max_bytes: MaxBytesOption = None,
) -> None:
    """What changed between two documents' targets: changed, unchanged, added, dropped.

    Targets are aligned by canonical indicator (data/lexicon/indicators.yaml)
    and value type, then by indicator text with a similarity shown.
    Example: plancli diff 2024.txt 2025.txt
    """
    from .compare import diff as compare_diff

    rows = [r.as_dict() for r in compare_diff(_load(old, max_bytes=max_bytes), _load(new, max_bytes=max_bytes))]
    _show_rows(rows, format, output, f"{old} → {new}",
               [("status", "status"), ("indicator", "indicator"), ("old", "old"), ("new", "new"),
                ("similarity", "match")])


@app.command()
def attainment(
    plan: Annotated[str, typer.Argument(help="The plan (or the report that set the targets).", show_default=False)],
    report: Annotated[str, typer.Argument(help="A later report that reviews the plan period.", show_default=False)],
    format: RowFormatOption = None,
    output: OutputOption = None,
    max_bytes: MaxBytesOption = None,
) -> None:
    """Whether a plan's targets were met by the actuals a later report gives: met, missed or unknown.

    The comparator decides (≥ 6% against 5.2% is missed); an "about" target is
    met within the tolerance in data/lexicon/compare.yaml (0.5 points for %).
    Example: plancli attainment 2024.txt 2025.txt
    """
    from .compare import attainment as compare_attainment

    rows = [r.as_dict() for r in compare_attainment(_load(plan, max_bytes=max_bytes), _load(report, max_bytes=max_bytes))]
    _show_rows(rows, format, output, f"{plan} against {report}",
               [("status", "status"), ("indicator", "indicator"), ("target", "target"), ("actual", "actual"),
                ("gap", "gap"), ("note", "note")])


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Files and folders (searched recursively).", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The dataset: .duckdb (tables documents, sections, targets, errors), .parquet (a folder of one file per table), .csv or .jsonl (targets in OUT, the other tables beside it).")],
    glob: Annotated[Optional[str], typer.Option("--glob", help="Which files under a folder, e.g. '*.txt' (default: every .txt, .docx, .html, .htm, .pdf).")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", help="Parallel processes (default: one per core).", show_default=False)] = 0,
    engine: Annotated[Engine, typer.Option("--engine", help="processes on this machine, or dask (pip install 'plancli[dask]').")] = Engine.processes,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="A Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Add to OUT and skip files already in it with the same path and SHA-256.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """A corpus into one dataset: every file in documents or errors, nothing skipped silently.

    Exit code 0 when every file parsed, 1 when any went to the errors table
    (a file that failed, or a path found but not read); 3 the output could
    not be written, 4 another run is writing it, 130/143 interrupted (the
    output is left as it was).
    Examples: plancli batch reports/ -o plans.duckdb;
    plancli batch a.txt b.pdf reports/ --glob '*.txt' -o out.parquet --workers 2;
    plancli batch reports/ -o plans.duckdb --resume
    """
    from . import corpus, store

    try:
        with corpus.stop_on_signals():  # SIGTERM/SIGINT: the run unwinds, nothing staged is left
            files, unread = corpus.scan_inputs(paths, glob, exclude=[output, *store.table_files(output, store.FORMATS.get(output.suffix.lower(), "csv")).values()])
            sink = store.Store(output, resume=resume)
            progress = _Progress(len(files) + len(unread)) if not quiet and sys.stderr.isatty() else None
            try:
                summary = corpus.run(files, sink, workers=workers or corpus.default_workers(), engine=engine.value,
                                     scheduler=scheduler, resume=resume, progress=progress.tick if progress else None,
                                     unread=unread)
            finally:
                if progress:
                    progress.stop()
    except corpus.Interrupted as stop:  # before the run began
        _err(f"interrupted by {stop.args[0]}; {output.name} left as it was")
        raise typer.Exit(EXIT_TERMINATED if stop.signum == signal.SIGTERM else EXIT_INTERRUPTED) from None
    if summary.interrupted:
        _err(f"interrupted by {summary.interrupted}: {summary.line(output)}; "
             f"{'committed batches kept' if resume and sink.fmt == 'duckdb' else output.name + ' left as it was'}; "
             "run again with --resume")
        # the workers are killed and the output settled: leave now, without the interpreter's
        # exit handlers, which join the process pool's manager thread and can wait on it forever
        sys.stderr.flush()
        os._exit(EXIT_TERMINATED if summary.interrupted == "SIGTERM" else EXIT_INTERRUPTED)
    typer.echo(f"plancli: {summary.line(output)}", err=True)
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
        self.targets += sum(1 for t in result.targets if t["kind"] == "target")
        self.done += 1
        rate = self.done / max(time.perf_counter() - self.started, 1e-6)
        self.bar.update(self.task, advance=1, targets=self.targets, errors=self.errors, rate=f"{rate:.1f}")

    def stop(self) -> None:
        self.bar.stop()


@app.command()
def report(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", show_default=False,
        help="Datasets plancli batch wrote (.duckdb, .parquet, .csv, .jsonl), or documents and folders of "
             "them, parsed on the way.")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="The HTML page to write; required on a terminal (a pipe gets the page).")] = None,
    year: Annotated[Optional[int], typer.Option(
        "--year", show_default=False,
        help="The year of the regions charts (default: the latest plan year with headline targets of two "
             "regions or more).")] = None,
) -> None:
    """One self-contained HTML page of charts: each headline target against the outcome the next
    year's report gives, the regions side by side in one year, and attainment (met, missed, unknown)
    with the sentences it was judged from. Needs matplotlib: pip install 'plancli[report]'.

    \b
    Examples:
      plancli batch reports/ -o plans.duckdb && plancli report plans.duckdb -o report.html
      plancli report plans.duckdb --year 2026 -o report.html
      plancli report reports/2024.txt reports/2025.txt -o report.html
      plancli report plans.parquet | gzip > report.html.gz
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
    file: Annotated[Path, typer.Argument(help="A JSON file written by plancli parse (a document) or plancli targets --format json (a list of targets).", show_default=False)],
) -> None:
    """Check a JSON file against the schema: exit 0 when valid, else 1 with the first error.

    Example: plancli parse notice.txt -o doc.json && plancli validate doc.json
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
    """Entry point. A command's failures reach `exit_code` through _Commands;
    the option parser's (no command, an unknown one) arrive here."""
    if sys.stdout is None:  # started with descriptor 1 closed
        sys.stdout = _ClosedStdout()
    _log_to_stderr()
    try:
        code = app(standalone_mode=False)
    except (Exception, KeyboardInterrupt) as error:
        code = exit_code(error)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


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
    main()
