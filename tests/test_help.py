"""--help reads like the tools analysts know (sqlite-utils, llm, csvkit):
real argument names in usage lines, example blocks kept as written, options
with their metavars; errors in plain sentences; shell completion. Help is
read through typer's CliRunner, as a user sees it, with and without a wide
terminal."""
import inspect
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import NOTICE, ROOT
from plancli.cli import app

COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)
USAGE = {"parse": "FILE", "targets": "FILE", "outline": "FILE", "annotate": "FILE", "text": "FILE",
         "schema": "", "diff": "OLD NEW", "attainment": "PLAN REPORT", "batch": "PATHS...", "validate": "FILE",
         "report": "INPUT..."}


def help_text(*args, columns=None):
    env = {"COLUMNS": str(columns)} if columns else {}
    if not columns:
        env["COLUMNS"] = None  # no terminal width: click's default (80)
    result = CliRunner().invoke(app, [*args, "--help"], prog_name="plancli", env=env)
    assert result.exit_code == 0, result.output
    return result.output


def examples_of(command: str) -> list[str]:
    """The example lines of a command's docstring, as written there."""
    callback = next(c.callback for c in app.registered_commands if c.callback.__name__ == command)
    doc = inspect.getdoc(callback)
    block = doc.split("Examples:\n", 1)[1]
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_every_command_is_listed():
    assert set(COMMANDS) == set(USAGE)


@pytest.mark.parametrize("columns", [None, 60, 100])
@pytest.mark.parametrize("command", sorted(USAGE))
def test_every_command_has_examples_kept_as_written(command, columns):
    text = help_text(command, columns=columns)
    assert "\n  Examples:\n" in text
    examples = examples_of(command)
    assert examples and all(e.startswith(("plancli ", "cat ")) for e in examples)
    for line in examples:  # each on a line of its own, whatever the width: never rewrapped
        assert f"\n    {line}\n" in text, (line, text)


@pytest.mark.parametrize("command", sorted(USAGE))
def test_usage_lines_name_the_arguments(command):
    text = help_text(command, columns=100)
    assert text.startswith(f"Usage: plancli {command} [OPTIONS]{' ' + USAGE[command] if USAGE[command] else ''}\n")
    # no typer placeholders anywhere: {file}, <str>, <list[str]>, <int>, <path>
    assert not re.search(r"\{\w+\}|<\w+(\[\w+\])?>|<[\w|]+>", text), text
    for option in re.findall(r"^\s+(?:-\w, )?(--[\w-]+) (\S+)", text, re.M):  # every option's value has a name
        assert option[1].isupper() or option[1].startswith("["), option


def test_the_command_list_reads_whole():
    """Each command's summary fits the list: no sentence cut short with '...'."""
    text = help_text()
    listed = text.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert sorted(line.split()[0] for line in listed) == COMMANDS
    assert not [line for line in listed if line.endswith("...")], listed
    assert "plancli --install-completion" in text


def test_option_choices_and_names_as_click_writes_them():
    text = help_text("targets", columns=100)
    assert "-k, --kind [target|actual|all]" in text
    assert "-f, --format [table|csv|json|jsonl|yaml]" in text
    assert "-o, --output FILE" in text and "--max-bytes SIZE" in text and "--bom" in text
    text = help_text("batch", columns=100)
    assert "-o, --output OUT" in text and "-w, --workers N" in text and "--glob PATTERN" in text


@pytest.mark.parametrize("args, message", [
    (("targets", str(NOTICE), "--year", "abc"), "plancli: --year: 'abc' is not a whole number"),
    (("batch", str(NOTICE), "-o", "x.duckdb", "--workers", "two"), "plancli: --workers: 'two' is not a whole number"),
    (("targets", str(NOTICE), "--kind", "goals"), "plancli: --kind: 'goals' is not one of target, actual, all"),
    (("targets", str(NOTICE), "--format", "xlsx"), "plancli: --format: 'xlsx' is not one of table, csv, json"),
    (("targets",), "plancli: Missing argument 'FILE'."),
    (("diff", str(NOTICE)), "plancli: Missing argument 'NEW'."),
])
def test_errors_are_plain_sentences(cli, args, message):
    run = cli(*args)
    assert run.code == 2 and run.err.count("\n") == 1 and run.err.startswith(message), run.err
    assert "Input should be" not in run.err and "Value error" not in run.err


def test_shell_completion_is_available(tmp_path):
    """The completion script (what --show-completion bash prints, without
    guessing the shell from the process tree), and the script's call
    completes commands and choices."""
    source = subprocess.run([sys.executable, "-m", "plancli"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "_PLANCLI_COMPLETE": "source_bash"})
    assert source.returncode == 0 and "_PLANCLI_COMPLETE=complete_bash" in source.stdout, source.stderr
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "_PLANCLI_COMPLETE": "complete_bash"}
    done = subprocess.run([sys.executable, "-m", "plancli"], capture_output=True, text=True, timeout=60,
                          env={**env, "COMP_WORDS": "plancli tar", "COMP_CWORD": "1"})
    assert done.returncode == 0 and done.stdout.split() == ["targets"]
    done = subprocess.run([sys.executable, "-m", "plancli"], capture_output=True, text=True, timeout=60,
                          env={**env, "COMP_WORDS": f"plancli targets {NOTICE} --kind ", "COMP_CWORD": "4"})
    assert done.stdout.split() == ["target", "actual", "all"]
