"""Probe documents: real report paragraphs in the structures other documents
of the genre have (slogan or unnumbered headings, news items, plan reports,
numbered target lists, web pages, PDF line breaks, traditional characters,
full-width digits, cities and counties). Each <name>.expect.md in
tests/data/probes says what a careful annotator expects; this checks it:
no target inside the review, one GDP row for 2026, the headline rows, every
target with a year, no plan target lost, and the metadata."""
import pytest

from conftest import ROOT
from plancli import parse_file
from plancli.normalize import fold

PROBES = ROOT / "tests" / "data" / "probes"
JL = dict(region="吉林省", region_code="220000", title="2026年吉林省政府工作报告", date="2026-01-27")
JS = dict(region="江苏省", region_code="320000", title="2026年江苏省政府工作报告", date="2026-02-03")
# probe: (the review starts at, the review ends at, headline rows, target rows outside the review, meta)
CASES = {
    "slogan-jilin": ("一、一年接着一年干", "二、2026年工作安排", 12, 68, JL),
    "slogan-jiangsu": ("一、砥砺奋进开新局", "二、“十五五”时期", 7, 21, JS),
    "pastyear-heading-jilin": ("一、2025年经济社会发展情况", "二、2026年工作安排", 12, 68, JL),
    "mission-heading-jilin": ("一、奋力拼搏，圆满完成", "二、2026年工作安排", 12, 68, JL),
    "unnumbered-jilin": ("“十四五”时期工作回顾", "\n2026年工作安排", 12, 68, JL),
    "unnumbered-jiangsu": ("“十四五”时期发展成就和2025年工作回顾", "\n“十五五”时期工作总体要求", 7, 21, JS),
    "news-jilin": ("新华社长春", "胡玉亭说，今年", 7, 12, dict(region="吉林省", region_code="220000")),
    "news-jilin-titleyear": ("新华社长春", "胡玉亭说，今年", 7, 12, dict(region="吉林省", region_code="220000")),
    "noyear-jilin": ("一、工作回顾", "二、2026年工作安排", 12, 68,
                     dict(region="吉林省", region_code="220000", speaker="省长胡玉亭")),
    "city-jiaxing": ("一、工作回顾", "二、2026年工作安排", 12, 68,
                     dict(region="嘉兴市", region_code="330400", title="2026年嘉兴市政府工作报告", date="2026-01-14")),
    "county-deqing": ("一、工作回顾", "二、2026年工作安排", 12, 68,
                      dict(region="德清县", region_code="330521", date="2026-01-09")),
    "county-kunshan": ("一、工作回顾", "二、2026年工作安排", 12, 68,
                       dict(region="昆山市", region_code="320583", date="2026-01-09")),
    "planreport-jilin": ("一、2025年国民经济", "二、2026年国民经济", 9, 16,
                         dict(region="吉林省", region_code="220000", date="2026-01-27", doc_type="plan_report")),
    "dashlist-jilin": ("一、工作回顾", "二、2026年工作安排", 12, 68, JL),
    "numlist-jilin": ("一、工作回顾", "二、2026年工作安排", 12, 68, JL),
    "headline-cue-jilin": ("一、工作回顾", "二、2026年工作安排", 12, 68, JL),
    "fiveyear-mixed-jilin": ("一、工作回顾", "二、2026年工作安排", 12, 68, JL),
    "pdf-hardbreaks-jilin": ("一、工作回顾", "二、2026年工作安排", 12, 68, JL),
    "webpage-jiangsu": ("一、“十四五”时期和2025年工作回顾", "二、“十五五”时期", 7, 21, JS),
    "traditional-jilin": ("一、工作回顧", "二、2026年工作安排", 12, 68, JL),
    "traditional-jiangsu": ("一、“十四五”時期和2025年工作回顧", "二、“十五五”時期", 7, 21, JS),
    "fullwidth-jilin": ("一、工作回顾", "二、２０２６年工作安排", 12, 68, JL),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_probe(name):
    path = PROBES / f"{name}.txt"
    text = path.read_text(encoding="utf-8")
    review_from, review_to, headline_rows, outside, meta = CASES[name]
    a = text.index(review_from)
    b = text.index(review_to, a + 1)
    doc = parse_file(path)
    targets = doc.targets
    assert [t.text for t in targets if a <= t.start < b] == []  # the review reports actuals
    assert len([t for t in targets if t.indicator_id == "gdp" and t.headline and t.target_year == 2026]) == 1
    assert sum(t.headline for t in targets) == headline_rows
    assert all(t.target_year for t in targets)
    assert len(targets) >= outside  # no plan target lost to the review
    for key, want in meta.items():
        got = getattr(doc.meta, key)
        assert (fold(got) if key == "title" and got else got) == want, key  # a title stays as written
