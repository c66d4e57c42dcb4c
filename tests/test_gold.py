"""Documents scored against hand-annotated gold files (format in
docs/TARGETS.md) with the project's scorer, tests/score_targets.py: the
reference notice, three national work reports and the 2026 provincial work
reports annotated for this repo (tests/tools/gold_*.py)."""
import pytest

from conftest import GOLD_DIR, NOTICE, PROVINCIAL, REPORTS, read_jsonl
from plancli import parse_file
from score_targets import score

DOCUMENTS = {
    "jiaxing-2024-plan": NOTICE,
    "gov-work-report-2024": REPORTS / "2024.txt",
    "gov-work-report-2019": REPORTS / "2019.txt",
    "gov-work-report-2023": REPORTS / "2023.txt",
    **{p.stem: p for p in PROVINCIAL.glob("*.txt") if (GOLD_DIR / f"{p.stem}.targets.jsonl").exists()},
}
# The reference notice is held to the core issue's bar, the others to the genre's.
BARS = {"jiaxing-2024-plan": dict(pr=0.98, indicator=0.95, comparator=0.95),
        "gov-work-report-2024": dict(pr=0.95, indicator=0.9, comparator=0.95),
        "gov-work-report-2019": dict(pr=0.95, indicator=0.9, comparator=0.95),
        "gov-work-report-2023": dict(pr=0.95, indicator=0.9, comparator=0.95)}
PROVINCIAL_BAR = dict(pr=0.95, indicator=0.85, comparator=0.95)


def test_every_gold_file_is_scored():
    assert {p.name.removesuffix(".targets.jsonl") for p in GOLD_DIR.glob("*.targets.jsonl")} == set(DOCUMENTS)


@pytest.fixture(scope="module", params=sorted(DOCUMENTS))
def scored(request):
    name = request.param
    path = DOCUMENTS[name]
    text = path.read_bytes().decode("utf-8-sig")
    # the scorer takes every quantity: targets for recall and precision, actuals for their kind
    pred = [t.model_dump(mode="json") for t in parse_file(path).targets_and_actuals()]
    return name, score(text, read_jsonl(GOLD_DIR / f"{name}.targets.jsonl"), pred)


def _bar(name: str) -> dict:
    return BARS.get(name, PROVINCIAL_BAR)


def test_precision_and_recall(scored):
    name, result = scored
    assert result["precision"] >= _bar(name)["pr"], result["false_positives"]
    assert result["recall"] >= _bar(name)["pr"], result["missed"]


def test_indicator_and_comparator_accuracy(scored):
    name, result = scored
    assert result["indicator_accuracy"] >= _bar(name)["indicator"], result["indicator_misses"]
    assert result["comparator_accuracy"] >= _bar(name)["comparator"]


def test_kinds_offsets_and_negatives(scored):
    name, result = scored
    assert result["offset_errors"] == 0
    assert result["negative_hits"] == []
    assert result["actual_as_target"] == []
    assert result["kind_accuracy"] is None or result["kind_accuracy"] >= 0.95


def test_every_offset_slices_back(notice_doc, notice_text):
    for t in notice_doc.targets_and_actuals():
        assert notice_text[t.start:t.end] == t.text
        assert notice_text[t.sentence_start:t.sentence_end] == t.sentence
        assert t.sentence_start <= t.start < t.end <= t.sentence_end
    for r in notice_doc.rejected:
        assert notice_text[r.start:r.end] == r.text


@pytest.mark.parametrize("name", sorted(n for n in DOCUMENTS if n.endswith("-2026-report")))
def test_periods_and_headline_as_annotated(name):
    """Every annotated target found has the gold's target_year and headline
    flag: 2030 for the 十五五 goals, the plan year for this year's work."""
    gold = [g for g in read_jsonl(GOLD_DIR / f"{name}.targets.jsonl") if g["status"] == "required"]
    found = parse_file(DOCUMENTS[name]).targets
    wrong = []
    for g in gold:
        t = next((t for t in found if t.start < g["end"] and g["start"] < t.end), None)
        if t is not None and (t.target_year, t.headline) != (g["target_year"], g["headline"]):
            wrong.append((g["mention"], g["indicator_key"], t.target_year, t.headline))
    assert wrong == []
    assert {g["target_year"] for g in gold} >= {2026}
