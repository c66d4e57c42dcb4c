"""Documents the parser was not written against: the ten 2026 provincial
work reports as published on the web (page furniture included), and the
same reports with their structure changed the way other documents of the
genre differ (slogan headings, no headings, a file holding two copies)."""
import re

import pytest

from conftest import PROVINCIAL, REPORTS
from plancli import parse_file, parse_text

# What each report's main expected targets statement says of GDP, read off
# the text: (value, value_max, comparator), and its region and speaker line.
REPORTS_2026 = {
    "anhui": ((5, 5.5, "range"), "安徽省", "340000"),            # 增长5%—5.5%
    "beijing": ((5, None, "~"), "北京市", "110000"),             # 增长5%左右
    "guizhou": ((5, None, "~"), "贵州省", "520000"),
    "heilongjiang": ((4.5, 5, "range"), "黑龙江省", "230000"),    # 增长4.5-5%
    "hubei": ((5.5, None, "~"), "湖北省", "420000"),              # 经济增长5.5%左右
    "jiangsu": ((5, None, "="), "江苏省", "320000"),              # 按增长5%安排
    "jilin": ((5, None, "~"), "吉林省", "220000"),
    "liaoning": ((4.5, None, "~"), "辽宁省", "210000"),
    "xinjiang": ((5.5, 6, "range"), "新疆维吾尔自治区", "650000"),  # 增长5.5%—6%
    "yunnan": ((4.5, None, "~"), "云南省", "530000"),
}


@pytest.fixture(scope="module", params=sorted(REPORTS_2026))
def report(request):
    return request.param, parse_file(PROVINCIAL / f"{request.param}-2026-report.txt")


def test_gdp_query_gives_one_right_row(report):
    """indicator_id = 'gdp' AND headline AND target_year = 2026: one row, the
    statement's own figure."""
    name, doc = report
    rows = [t for t in doc.targets if t.indicator_id == "gdp" and t.headline and t.target_year == 2026]
    assert [(t.value, t.value_max, t.comparator) for t in rows] == [REPORTS_2026[name][0]]


def test_no_target_inside_a_review_part(report):
    _, doc = report
    reviews = [p for p in doc.parts if p.kind == "review"]
    assert reviews and reviews[0].start < min(p.start for p in doc.parts if p.kind != "review")
    inside = [t.text for t in doc.targets if any(p.start <= t.start < p.end for p in reviews)]
    assert inside == []
    assert len(doc.actuals) >= 50  # the review's values are reported, as actuals


def test_five_year_averages_are_never_this_years_targets(report):
    _, doc = report
    text = (PROVINCIAL / f"{report[0]}-2026-report.txt").read_text(encoding="utf-8")
    for t in doc.targets:
        if re.search(r"年均(?:增长|增速)\s*$", text[max(0, t.start - 6):t.start]):
            assert t.target_year == 2030 and not t.headline, t.sentence


def test_headline_targets_sit_in_the_statement(report):
    _, doc = report
    heads = [t for t in doc.targets if t.headline]
    assert len(heads) >= 4
    assert all(t.target_year == 2026 for t in heads) and not any(t.headline for t in doc.actuals)
    assert all("预期目标" in t.sentence[:t.start - t.sentence_start] or "——" in t.sentence for t in heads[:1])
    ids = [t.indicator_id for t in heads if t.indicator_id]
    assert len(ids) == len(set(ids))  # a restatement is not a second headline row


def test_metadata_of_a_web_page(report):
    name, doc = report
    _, region, code = REPORTS_2026[name]
    meta = doc.meta
    assert (meta.region, meta.region_code, meta.year, meta.doc_type) == (region, code, 2026, "work_report")
    assert meta.title and meta.title.endswith("政府工作报告")
    assert meta.date and meta.date.startswith("2026-01") or meta.date.startswith("2026-02")
    assert meta.speaker and re.search("省长|市长|主席", meta.speaker)
    text = (PROVINCIAL / f"{name}-2026-report.txt").read_text(encoding="utf-8")
    body = text[meta.body.start:meta.body.end]
    # the toolbar, the time stamp and the photo caption are wrapper, not body
    assert not re.search(r"^(?:下载|打印|全屏|收藏|加大|还原|减小)$", body, re.M)
    assert not re.search(r"记者[^。\n]{1,20}摄$", body, re.M)


def _beijing() -> str:
    return (PROVINCIAL / "beijing-2026-report.txt").read_text(encoding="utf-8")


SLOGANS = ["一年接着一年干，各项事业取得新进展新成效", "锚定目标不放松，奋力开创高质量发展新局面",
           "踔厉奋发抓落实，全力做好今年各项工作", "持之以恒抓作风，建设人民满意政府"]


@pytest.mark.parametrize("path", sorted(PROVINCIAL.glob("*.txt")) + [REPORTS / "2019.txt", REPORTS / "2015.txt"],
                         ids=lambda p: p.stem)
def test_slogans_over_every_part_change_no_kind(path):
    """一、一年接着一年干，…取得新进展新成效: when no heading says review or
    plan, what the numbers of each part report decides."""
    text = path.read_text(encoding="utf-8")
    headings = list(re.finditer(r"^([一二三四])、[^\n]*$", text, re.M))
    assert len(headings) >= 3
    changed = text
    for m in reversed(headings):
        changed = changed[:m.start()] + m.group(1) + "、" + SLOGANS["一二三四".index(m.group(1))] + changed[m.end():]
    original, slogan = parse_text(text), parse_text(changed)
    assert slogan.parts[0].kind == "review"
    assert [t.kind for t in slogan.targets_and_actuals()] == [t.kind for t in original.targets_and_actuals()]


def test_a_review_without_any_heading_reports_actuals():
    """A report's review and goals as a news article runs them: no headings."""
    text = _beijing()
    review = text[text.index("2025年是“十四五”规划收官之年"):]
    review = review[:review.index("\n", 2000)]
    goals = text[text.index("今年经济社会发展主要预期目标是"):]
    goals = goals[:goals.index("\n")]
    doc = parse_text(review + "\n" + goals + "\n")
    assert doc.actuals and all(t.start < len(review) for t in doc.actuals)
    assert doc.targets and all(t.start > len(review) and t.headline for t in doc.targets)


def test_a_plan_part_takes_a_baseline_as_a_goals_base():
    """In a plan part, 比上年增加 names the base of a goal, not an achieved value."""
    doc = parse_text("一、2026年重点工作\n一般公共预算支出规模28.5万亿元，比上年增加1.1万亿元。\n")
    assert [t.text for t in doc.targets] == ["28.5万亿元", "1.1万亿元"] and doc.actuals == []


@pytest.mark.parametrize("sentence, year", [
    ("到2030年，全省常住人口城镇化率达到71%。", 2030),
    ("地区生产总值年均增长5%左右。", 2030),
    ("细颗粒物年均浓度控制在29微克/立方米左右。", 2026),  # an annual mean, not a rate over years
    ("新增城镇就业45万人以上。", 2026),
])
def test_target_year_from_the_sentence(sentence, year):
    doc = parse_text("2026年政府工作报告\n一、2026年重点工作\n" + sentence + "\n")
    assert [t.target_year for t in doc.targets_and_actuals()] == [year]


def test_the_five_year_part_sets_its_goals_for_2030():
    text = (PROVINCIAL / "anhui-2026-report.txt").read_text(encoding="utf-8")
    doc = parse_text(text)
    part = next(p for p in doc.parts if p.kind == "goals")
    inside = [t for t in doc.targets if part.start <= t.start < part.end]
    assert inside and all(t.target_year == 2030 and not t.headline for t in inside)


def test_a_doubled_byte_order_mark_shifts_no_offset():
    text = "\ufeff\ufeff一、2026年主要目标\n地区生产总值增长5%左右。"
    doc = parse_text(text)
    assert [(text[t.start:t.end], t.text) for t in doc.targets] == [("5%", "5%")]


def test_a_doubled_byte_order_mark_in_a_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes("\ufeff".encode() + "\ufeff二、主要目标\n地区生产总值增长5%左右。\n".encode())
    doc = parse_file(path, include_text=True)
    assert all(doc.text[t.start:t.end] == t.text for t in doc.targets) and doc.targets


def test_text_after_a_footer_in_the_middle_is_read():
    """A file holding a report twice, each copy with its licence footer: only
    the last footer is trailer."""
    once = (REPORTS / "2019.txt").read_text(encoding="utf-8")
    twice = once + "\n" + once
    single, double = parse_text(once), parse_text(twice)
    assert (len(double.targets), len(double.actuals)) == (2 * len(single.targets), 2 * len(single.actuals))
    assert double.meta.trailer == single.meta.trailer


@pytest.mark.parametrize("name", ["jiangsu", "jilin", "beijing"])
def test_unnumbered_part_headings(name):
    """Part headings on lines of their own, with no number: “十四五”时期发展
    成就和2025年工作回顾, 2026年工作安排. The parts and kinds stay as with numbers."""
    path = PROVINCIAL / f"{name}-2026-report.txt"
    text = path.read_text(encoding="utf-8")
    unnumbered = re.sub(r"^[一二三四]、", "", text, flags=re.M)
    assert unnumbered != text
    original, changed = parse_text(text), parse_text(unnumbered)
    assert [p.kind for p in changed.parts][:1] == ["review"]
    assert [t.kind for t in changed.targets_and_actuals()] == [t.kind for t in original.targets_and_actuals()]
    assert [t.headline for t in changed.targets] == [t.headline for t in original.targets]


@pytest.mark.parametrize("path", [p for p in sorted(REPORTS.glob("*.txt")) if int(p.stem) >= 2003], ids=lambda p: p.stem)
def test_national_gdp_query_gives_one_row(path):
    """Every national report since 2003 states one GDP goal for its year (in
    2010 and 2012 on the line after 主要预期目标是：)."""
    doc = parse_file(path)
    rows = [t for t in doc.targets if t.indicator_id == "gdp" and t.headline and t.target_year == doc.meta.year]
    assert len(rows) == 1


@pytest.mark.parametrize("cue", ["今年全省经济社会发展的主要目标设定为：", "今年经济社会发展主要目标：",
                                 "今年经济社会发展的预期目标为：", "综合考虑各方面因素，今年主要目标安排如下：",
                                 "统筹考虑需要和可能，今年主要预期指标为："])
def test_headline_statement_worded_otherwise(cue):
    text = _beijing().replace("今年经济社会发展主要预期目标是：", cue)
    rows = [t for t in parse_text(text).targets if t.indicator_id == "gdp" and t.headline and t.target_year == 2026]
    assert [(t.value, t.comparator) for t in rows] == [(5, "~")]


def test_headline_items_as_a_numbered_list():
    text = _beijing()
    statement = text[text.index("今年经济社会发展主要预期目标是："):]
    statement = statement[:statement.index("\n")]
    items = statement.split("：", 1)[1].rstrip("。").split("，")
    listed = "今年经济社会发展主要预期目标是：\n" + "\n".join(f"{i}.{item}；" for i, item in enumerate(items, 1))
    doc = parse_text(text.replace(statement, listed))
    heads = [t.indicator_id for t in doc.targets if t.headline]
    assert heads[:3] == ["gdp", "public_budget_revenue", "urban_surveyed_unemployment"]


def test_a_heading_reporting_a_plan_done_is_a_review():
    """一、奋力拼搏，圆满完成“十四五”目标任务: the plan word names what was done."""
    text = (PROVINCIAL / "jilin-2026-report.txt").read_text(encoding="utf-8")
    changed = text.replace("一、工作回顾", "一、奋力拼搏，圆满完成“十四五”目标任务")
    assert changed != text
    assert [t.kind for t in parse_text(changed).targets_and_actuals()] == \
        [t.kind for t in parse_text(text).targets_and_actuals()]


def test_a_five_year_plan_sets_its_goals_for_its_end():
    """第十五个五年规划纲要: the plan runs 2026-2030; its goals and tasks are for 2030."""
    review = (PROVINCIAL / "jiangsu-2026-report.txt").read_text(encoding="utf-8")
    review = review[review.index("（一）更好统筹质的有效提升"):]
    review = review[:review.index("\n")]
    text = ("江苏省国民经济和社会发展第十五个五年规划纲要\n第一章 发展基础\n" + review +
            "\n第二章 主要目标\n到2030年，全省地区生产总值年均增长5%左右，常住人口城镇化率达到75%。\n"
            "第三章 重点任务\n新建5G基站1万个，新增高新技术企业2000家。\n")
    doc = parse_text(text)
    assert (doc.meta.doc_type, doc.meta.year, doc.meta.region_code) == ("five_year_plan", 2026, "320000")
    assert [p.kind for p in doc.parts] == ["review", "goals", "plan"]
    assert [t.text for t in doc.targets] == ["5%", "75%", "1万个", "2000家"]
    assert {t.target_year for t in doc.targets} == {2030}
    assert doc.actuals and all(t.start < text.index("第二章") for t in doc.actuals)
