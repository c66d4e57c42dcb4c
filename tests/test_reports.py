"""All 52 national government work reports (1954–2025) parse cleanly."""
import pytest

from conftest import REPORTS
from plancli import parse_file

REPORT_FILES = sorted(REPORTS.glob("*.txt"))


def test_the_corpus_is_there():
    assert len(REPORT_FILES) == 52


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.stem)
def test_report_parses_with_honest_offsets(path):
    text = path.read_bytes().decode("utf-8-sig")
    doc = parse_file(path)
    assert doc.meta.chars == len(text)
    for t in doc.targets_and_actuals():
        assert text[t.start:t.end] == t.text
        assert text[t.sentence_start:t.sentence_end] == t.sentence
    for r in doc.rejected:
        assert text[r.start:r.end] == r.text
