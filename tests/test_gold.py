"""The reference notice scored against its hand-annotated gold file with the
project's scorer (a copy of shared/tools/score_targets.py)."""
import pytest

from conftest import GOLD_DIR, NOTICE, read_jsonl
from score_targets import score


@pytest.fixture(scope="module")
def result(notice_doc, notice_text):
    pred = [t.model_dump(mode="json") for t in notice_doc.targets]
    return score(notice_text, read_jsonl(GOLD_DIR / "jiaxing-2024-plan.targets.jsonl"), pred)


def test_precision_and_recall(result):
    assert result["precision"] >= 0.98, result["false_positives"]
    assert result["recall"] >= 0.98, result["missed"]


def test_indicator_and_comparator_accuracy(result):
    assert result["indicator_accuracy"] >= 0.95, result["indicator_misses"]
    assert result["comparator_accuracy"] >= 0.95


def test_no_offset_errors_or_negative_hits(result):
    assert result["offset_errors"] == 0
    assert result["negative_hits"] == []
    assert result["actual_as_target"] == []


def test_every_offset_slices_back(notice_doc, notice_text):
    for t in notice_doc.targets:
        assert notice_text[t.start:t.end] == t.text
        assert notice_text[t.sentence_start:t.sentence_end] == t.sentence
        assert t.sentence_start <= t.start < t.end <= t.sentence_end
    for r in notice_doc.rejected:
        assert notice_text[r.start:r.end] == r.text
