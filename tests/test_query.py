"""The library behind plancli targets --section and --kind."""
import pytest

from plancli.errors import UsageError
from plancli.query import find_sections, select_targets


@pytest.mark.parametrize("spelling", ["三", "3", " 三 ", "科创"])
def test_find_sections_by_label_number_or_title(notice_doc, spelling):
    assert [s.label for s in find_sections(notice_doc, spelling)] == ["三"]


def test_select_targets_by_kind_and_section(notice_doc):
    assert select_targets(notice_doc) == notice_doc.targets
    assert select_targets(notice_doc, "all") == notice_doc.targets_and_actuals()
    in_three = select_targets(notice_doc, "target", "3")
    assert len(in_three) == 7 and {t.section for t in in_three} == {"三"}


def test_no_matching_section_names_the_sections(notice_doc):
    with pytest.raises(UsageError, match="no section matches .*一 着力扩大有效需求"):
        select_targets(notice_doc, "target", "不存在的标题")
