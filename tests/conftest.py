"""Shared fixtures. Everything the tests read lives in the repo: the notice in
data/raw/, gold files and the work reports under tests/data/."""
from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from plancli import parse_file

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "data" / "raw" / "jiaxing-2024-plan.txt"
GOLD_DIR = Path(__file__).resolve().parent / "data" / "gold"
REPORTS = Path(__file__).resolve().parent / "data" / "gov-work-reports"
PROVINCIAL = Path(__file__).resolve().parent / "data" / "provincial-2026"


@pytest.fixture(scope="session")
def notice_text() -> str:
    return NOTICE.read_bytes().decode("utf-8-sig")


@pytest.fixture(scope="session")
def notice_doc():
    return parse_file(NOTICE)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Run:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run the real entry point (plancli.cli:main) in-process."""
    from plancli.cli import main

    def run(*args: str, stdin: bytes | None = None) -> Run:
        monkeypatch.setattr(sys, "argv", ["plancli", *args])
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main()
        captured = capsys.readouterr()
        return Run(exit_info.value.code, captured.out, captured.err)

    return run


def pytest_make_parametrize_id(config, val, argname):
    """Spec cases (tests/test_spec.py) name themselves: file:line:input.
    An id given here is used as is, so the Chinese is not escaped."""
    return getattr(val, "spec_id", None)


# The lexicon's parsed-YAML cache of this test run lives in a folder of its
# own, not in the user's ~/.cache (subprocesses inherit it).
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="plancli-test-cache-")
