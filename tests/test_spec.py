"""Sentence-level cases kept as data: every line of tests/spec/*.jsonl is one
case (tests/spec/README.md says which keys it may hold). The cases go through
the public API only, plancli.parse_text(text): its targets and actuals in text
order (Document.targets_and_actuals) and its rejected numbers, so they hold
while the parser's insides change."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from plancli import parse_text
from plancli.models import Rejected, Target

SPEC_DIR = Path(__file__).resolve().parent / "spec"
CASE_KEYS = {"input", "results", "rejected", "note", "context"}
# Checked as a substring of the reported indicator rather than equal to it.
LOOSE_KEYS = {"indicator_contains": "indicator"}


@dataclass(frozen=True)
class SpecCase:
    file: str
    line: int
    data: dict

    @property
    def spec_id(self) -> str:
        """file:line and the start of the input; conftest.py hands it to
        pytest unescaped, so the Chinese stays readable."""
        piece = "".join(self.data["input"].split())[:16]
        return f"{self.file}:{self.line}:{piece}".replace("[", "(").replace("]", ")")

    @property
    def where(self) -> str:
        return f"tests/spec/{self.file}:{self.line}"


def load_cases() -> list[SpecCase]:
    cases = []
    for path in sorted(SPEC_DIR.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"tests/spec/{path.name}:{number}: not JSON: {error}") from None
            if not isinstance(data, dict) or not isinstance(data.get("input"), str):
                raise ValueError(f"tests/spec/{path.name}:{number}: a case is an object with an \"input\" string")
            cases.append(SpecCase(path.name, number, data))
    return cases


CASES = load_cases()


def _check_keys(case: SpecCase, got: dict, model, extra=()) -> None:
    fields = set(model.model_fields) | set(extra)
    unknown = sorted(set(got) - fields)
    assert not unknown, f"{case.where}: {model.__name__} has no field {', '.join(unknown)}"


def _differences(expected: dict, actual) -> list[str]:
    """The keys of `expected` whose value `actual` does not have."""
    out = []
    for key, want in expected.items():
        if key in LOOSE_KEYS:
            have = getattr(actual, LOOSE_KEYS[key])
            if have is None or want not in have:
                out.append(f"{LOOSE_KEYS[key]} {have!r} does not contain {want!r}")
            continue
        have = getattr(actual, key)
        if have != want:
            out.append(f"{key}: expected {want!r}, got {have!r}")
    return out


def _show(target: Target) -> str:
    return f"{target.text} [{target.indicator} {target.action} {target.comparator} {target.kind}]"


@pytest.mark.parametrize("case", CASES)
def test_spec(case: SpecCase):
    data = case.data
    assert not set(data) - CASE_KEYS, f"{case.where}: unknown keys {sorted(set(data) - CASE_KEYS)}"
    sentence = data["input"]
    # The context (a heading, an earlier paragraph) goes on the line before.
    prefix = data["context"].rstrip("\n") + "\n" if data.get("context") else ""
    text = prefix + sentence
    doc = parse_text(text)

    # Every reported span is the text it names, context or not.
    reported = doc.targets_and_actuals()  # a result's kind says which list it is in
    for item in [*reported, *doc.rejected]:
        assert text[item.start:item.end] == item.text, f"{case.where}: offsets of {item.text!r}"

    targets = [t for t in reported if t.start >= len(prefix)]
    rejected = [r for r in doc.rejected if r.start >= len(prefix)]

    if "results" in data:
        expected = data["results"]
        got = [_show(t) for t in targets]
        assert len(targets) == len(expected), (
            f"{case.where}: expected {len(expected)} targets, got {len(targets)}: {got}")
        problems = []
        for number, (want, target) in enumerate(zip(expected, targets), start=1):
            _check_keys(case, want, Target, LOOSE_KEYS)
            problems += [f"target {number} ({target.text}): {p}" for p in _differences(want, target)]
        assert not problems, f"{case.where}: {sentence}\n  " + "\n  ".join(problems) + f"\n  targets: {got}"

    for want in data.get("rejected", []):
        _check_keys(case, want, Rejected)
        assert any(not _differences(want, r) for r in rejected), (
            f"{case.where}: no rejection {want} in {[(r.text, r.reason) for r in rejected]}")


def test_every_spec_file_holds_cases():
    """A directory left empty or a file of blank lines is no silent pass."""
    files = sorted(p.name for p in SPEC_DIR.glob("*.jsonl"))
    assert files and files == sorted({c.file for c in CASES})
