"""Across the genre: work reports, targets versus actuals, headings at every
depth, and messy text from PDFs and web pages."""
import re

import pytest

from conftest import NOTICE, REPORTS
from plancli import parse_file, parse_text
from plancli.lexicon import data_dir


def find(doc, text, indicator=None):
    hits = [t for t in doc.targets_and_actuals() if t.text == text and (indicator is None or t.indicator == indicator)]
    assert hits, f"{text} ({indicator}) not found in {[(t.text, t.indicator) for t in doc.targets_and_actuals()][:40]}"
    return hits[0]


@pytest.fixture(scope="module")
def report_2024():
    return parse_file(REPORTS / "2024.txt")


def test_2024_targets_and_actuals(report_2024):
    doc = report_2024
    gdp = find(doc, "5%", "国内生产总值")
    assert (gdp.kind, gdp.comparator, gdp.action, gdp.section) == ("target", "~", "增长", "二")
    jobs = find(doc, "1200万人", "城镇新增就业")
    assert (jobs.kind, jobs.comparator, jobs.base_value) == ("target", ">=", 1.2e7)
    level = find(doc, "126万亿元", "国内生产总值")
    assert (level.kind, level.comparator, level.base_value) == ("actual", ">", 1.26e14)
    growth = find(doc, "5.2%", "国内生产总值")  # 国内生产总值超过126万亿元，增长5.2%: the subject carries over
    assert growth.kind == "actual" and growth.section == "一"
    assert find(doc, "1244万人", "城镇新增就业").kind == "actual"
    assert find(doc, "2.5%", "单位国内生产总值能耗").direction == "down"
    # goals and achieved values in lists of their own, each row still saying its kind
    assert level in doc.actuals and gdp in doc.targets
    assert {t.kind for t in doc.targets} == {"target"} and {t.kind for t in doc.actuals} == {"actual"}
    assert all(a.start < b.start for a, b in zip(doc.actuals, doc.actuals[1:]))  # text order


def test_2024_meta_and_sections(report_2024):
    meta = report_2024.meta
    assert (meta.title, meta.doc_type, meta.year, meta.date) == ("政府工作报告", "work_report", 2024, "2024-03-05")
    assert meta.occasion == "2024年3月5日在第十四届全国人民代表大会第二次会议上"
    assert meta.speaker == "国务院总理 李强"
    assert [(s.label, s.kind) for s in report_2024.sections] == [("一", "actual"), ("二", "target"), ("三", "target")]
    for s in report_2024.sections:  # each section counts its targets and its actuals apart
        assert s.target_count == sum(s.start <= t.start < s.end for t in report_2024.targets)
        assert s.actual_count == sum(s.start <= t.start < s.end for t in report_2024.actuals)
    review, goals = report_2024.sections[:2]
    assert (review.target_count, goals.actual_count) == (0, 0) and review.actual_count and goals.target_count
    tasks = report_2024.sections[2]
    assert [c.label for c in tasks.children] == list("一二三四五六七八九十")
    assert tasks.children[0].title == "大力推进现代化产业体系建设，加快发展新质生产力"


def test_kind_filter_defaults_to_targets(cli):
    import json
    run = cli("targets", str(REPORTS / "2024.txt"), "--format", "jsonl")
    kinds = {json.loads(line)["kind"] for line in run.out.splitlines()}
    assert kinds == {"target"}
    run = cli("targets", str(REPORTS / "2024.txt"), "--kind", "actual", "--format", "jsonl")
    assert {json.loads(line)["kind"] for line in run.out.splitlines()} == {"actual"}


def test_2019_headline_is_a_range():
    doc = parse_file(REPORTS / "2019.txt")
    gdp = find(doc, "6%－6.5%", "国内生产总值")
    assert (gdp.kind, gdp.comparator, gdp.value, gdp.value_max) == ("target", "range", 6, 6.5)
    assert doc.meta.year == 2019 and doc.meta.doc_type == "work_report"
    tariff = [t for t in doc.targets_and_actuals() if t.indicator == "关税总水平"]
    assert [(t.text, t.kind) for t in tariff] == [("9.8%", "actual"), ("7.5%", "actual")]  # 由9.8%降至7.5%


def test_2025_headline_targets():
    doc = parse_file(REPORTS / "2025.txt")
    got = {(t.indicator, t.text, t.comparator) for t in doc.targets if t.section == "二"}
    assert {("国内生产总值", "5%", "~"), ("城镇新增就业", "1200万人", ">="), ("居民消费价格涨幅", "2%", "~"),
            ("粮食产量", "1.4万亿斤", "~"), ("单位国内生产总值能耗", "3%", "~")} <= got


REPORT_FILES = sorted(REPORTS.glob("*.txt"))


@pytest.mark.parametrize("path", [p for p in REPORT_FILES if int(p.stem) >= 1978], ids=lambda p: p.stem)
def test_reports_since_1978_have_their_top_sections(path):
    doc = parse_file(path)
    assert len(doc.sections) >= 2, [s.title for s in doc.sections]
    assert doc.meta.doc_type == "work_report" or int(path.stem) in (1980, 1985)
    for s in doc.sections:
        assert "本作品" not in s.title and "公有领域" not in s.title  # the licence footer is trailer


def test_headings_at_every_depth():
    text = ("第一篇 发展环境\n第一章 发展基础\n一、主要成就\n（一）经济实力\n稳步扩大有效投资。全年投资增长6%。\n"
            "1. 工业\n（1）制造业\n① 新增企业100家。\n② 技改项目50项。\n2. 服务业\n服务业增加值增长5%。\n"
            "二、主要任务\n第二章 发展目标\n地区生产总值增长5%左右。\n第二篇 重点任务\n")
    doc = parse_text(text)
    top = doc.sections
    assert [(s.style, s.label, s.title) for s in top] == [("pian", "一", "发展环境"), ("pian", "二", "重点任务")]
    chapter = top[0].children[0]
    assert (chapter.style, chapter.title) == ("zhang", "发展基础")
    first = chapter.children[0]
    assert (first.style, first.title, first.level) == ("cn_dun", "主要成就", 3)
    paren = first.children[0]
    assert (paren.style, paren.title) == ("cn_paren", "经济实力")
    assert [m.title for m in paren.measures] == ["稳步扩大有效投资"]
    assert [(c.style, c.label) for c in paren.children] == [("num_dot", "1"), ("num_dot", "2")]
    assert [(c.style, c.label) for c in paren.children[0].children[0].children] == [("circled", "①"), ("circled", "②")]
    assert [s.title for s in top[0].children] == ["发展基础", "发展目标"]
    hundred = find(doc, "100家")
    assert hundred.section_path == ["一", "一", "一", "一", "1", "1", "①"]


def test_a_list_inside_a_paragraph_is_not_a_heading():
    doc = parse_text("一、总体要求\n主要目标是：\n三、增长6%的目标。\n二、重点任务\n新增企业100家。\n")
    assert [s.label for s in doc.sections] == ["一", "二"]


def test_unnumbered_headings():
    doc = parse_file(REPORTS / "1988.txt")
    assert [s.title for s in doc.sections][:2] == ["过去五年国内工作的基本总结", "今后五年建设和改革的目标、方针和任务"]
    assert [c.label for c in doc.sections[1].children] == list("一二三四五六七八九十")


# ---- messy text ----------------------------------------------------------

def _traditional(text: str) -> str:
    back = {}
    for line in (data_dir() / "lexicon" / "t2s_chars.txt").read_text(encoding="utf-8").splitlines():
        trad, simp = line.split("\t")
        back.setdefault(simp, trad)
    return "".join(back.get(ch, ch) for ch in text)


def _as_pdf_text(text: str, width: int = 37) -> str:
    """The notice as a PDF extractor gives it: hard-wrapped lines, page
    markers and a running header every 20 lines, full-width digits."""
    out, n, page = [], 0, 1
    for paragraph in text.split("\n"):
        pieces = [paragraph[i:i + width] for i in range(0, len(paragraph), width)] or [""]
        for piece in pieces:
            out.append(piece)
            n += 1
            if n % 20 == 0:
                out += [f"— {page} —", "嘉兴市人民政府文件"]
                page += 1
    return "\n".join(out).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789%"})


def _summary(doc):
    return [(t.section, t.value, t.unit, t.base_value, t.comparator, t.kind) for t in doc.targets_and_actuals()]


def _indicators(doc):
    """Indicators as the patterns read them: spaces out, full-width digits ASCII."""
    full_width = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    return [re.sub(r"\s", "", t.indicator or "").translate(full_width) for t in doc.targets_and_actuals()]


def test_pdf_text_gives_the_same_targets(notice_doc):
    messy = _as_pdf_text(NOTICE.read_text(encoding="utf-8"))
    doc = parse_text(messy)
    assert _summary(doc) == _summary(notice_doc)
    assert _indicators(doc) == _indicators(notice_doc)
    assert [s.title for s in doc.sections] == [s.title for s in notice_doc.sections]
    for t in doc.targets_and_actuals():
        assert messy[t.start:t.end] == t.text
        assert messy[t.sentence_start:t.sentence_end] == t.sentence
    assert doc.meta.title == _as_pdf_text(notice_doc.meta.title)
    assert (doc.meta.year, doc.meta.date, doc.meta.issuer) == (2024, "2024-02-08", "嘉兴市人民政府")


def test_spaces_between_characters():
    text = "力争规上工业 增加值增长 6 %以上，新 增 国 家 高 新 技 术 企 业500家。"
    doc = parse_text(text)
    assert [(t.text, t.value, re.sub(r"\s", "", t.indicator)) for t in doc.targets_and_actuals()] == [
        ("6 %", 6, "规上工业增加值"), ("500家", 500, "国家高新技术企业")]
    assert all(text[t.start:t.end] == t.text for t in doc.targets_and_actuals())


def test_traditional_characters_keep_original_text(notice_doc):
    original = NOTICE.read_text(encoding="utf-8")
    trad = _traditional(original)
    doc = parse_text(trad)
    assert _summary(doc) == _summary(notice_doc)
    for t in doc.targets_and_actuals():
        assert trad[t.start:t.end] == t.text
    assert doc.sections[2].title == _traditional("着力增强科创动能")


def test_mixed_width_punctuation_and_crlf():
    text = "一、主要目标\r\n固定资产投资增长６％以上,社会消费品零售总额增长5.5%以上；城镇新增就业1，200人。\r\n"
    doc = parse_text(text)
    assert [(t.text, t.base_value, t.comparator) for t in doc.targets_and_actuals()] == [
        ("６％", 6, ">="), ("5.5%", 5.5, ">="), ("200人", 200, "=")]
    assert all(text[t.start:t.end] == t.text for t in doc.targets_and_actuals())
    assert doc.sections[0].title == "主要目标"


# ---- a plan report (计划执行情况与计划草案的报告) ------------------------------
# tests/data/samples/plan-report-excerpt.txt is a short text written for these
# tests in the shape of a city plan report: review part, targets, tasks.

PLAN_REPORT = REPORTS.parent / "samples" / "plan-report-excerpt.txt"


def test_plan_report_meta():
    meta = parse_file(PLAN_REPORT).meta
    assert (meta.doc_type, meta.region, meta.year, meta.date) == ("plan_report", "杭州市", 2024, "2024-01-16")
    assert meta.speaker == "杭州市发展和改革委员会"


def test_plan_report_review_is_actual_and_plan_is_target():
    doc = parse_file(PLAN_REPORT)
    by_section = {}
    for t in doc.targets_and_actuals():
        by_section.setdefault(t.section, set()).add(t.kind)
    assert by_section == {"一": {"actual"}, "二": {"target"}, "三": {"target"}}
    assert find(doc, "20059亿元", "地区生产总值").action == "实现"
    assert find(doc, "4.0%", "城镇调查失业率").comparator == "<="
    assert find(doc, "5800亿元", "固定资产投资").kind == "target"  # 全年完成 in a plan is a goal


def test_respectively_assigns_indicators_in_order():
    doc = parse_file(PLAN_REPORT)
    incomes = [(t.text, t.indicator) for t in doc.targets_and_actuals() if "可支配收入" in (t.indicator or "")]
    assert incomes == [("5.5%", "城镇居民人均可支配收入"), ("6%", "农村居民人均可支配收入")]
    # a sentence on its own: tests/spec/coordination.jsonl


def test_targets_in_table_rows():
    """A 主要目标 table as text extraction gives it: cells separated by tabs,
    the unit in its own cell or after the indicator; the last figure of a row
    is the target, earlier ones are values already reached."""
    text = ("二、主要目标\n指标\t单位\t2023年实际\t2024年目标\n地区生产总值增长\t%\t5.8\t6左右\n"
            "一般公共预算收入（亿元）\t\t450\t470以上\n城镇新增就业\t万人\t10\t11\n"
            "居民消费价格涨幅\t%\t\t3以内\n研发经费投入强度\t%\t3.1\t3.2-3.3\n")
    doc = parse_text(text)
    got = [(t.text, t.indicator, t.action, t.base_value, t.comparator, t.kind) for t in doc.targets_and_actuals()]
    assert got == [
        ("5.8", "地区生产总值", "增长", 5.8, "=", "actual"), ("6", "地区生产总值", "增长", 6, "~", "target"),
        ("450", "一般公共预算收入", None, 4.5e10, "=", "actual"), ("470", "一般公共预算收入", None, 4.7e10, ">=", "target"),
        ("10", "城镇新增就业", None, 1e5, "=", "actual"), ("11", "城镇新增就业", None, 1.1e5, "=", "target"),
        ("3", "居民消费价格涨幅", None, 3, "<=", "target"),
        ("3.1", "研发经费投入强度", None, 3.1, "=", "actual"), ("3.2-3.3", "研发经费投入强度", None, 3.2, "range", "target"),
    ]
    assert all(text[t.start:t.end] == t.text for t in doc.targets_and_actuals())
    assert doc.targets[0].indicator_id == "gdp" and doc.targets[0].value_type == "growth"
    assert [t.text for t in doc.actuals] == ["5.8", "450", "10", "3.1"]  # the earlier figures of each row


def test_enumerated_points_inside_a_measure():
    text = "一、总体要求\n稳投资。一是扩大有效投资，新增项目100个；二是优化结构，制造业投资增长10%；三是强化要素保障。\n"
    measure = parse_text(text).sections[0].measures[0]
    assert [(i.label, text[i.start:i.end]) for i in measure.items] == [
        ("一", "一是扩大有效投资，新增项目100个；"), ("二", "二是优化结构，制造业投资增长10%；"), ("三", "三是强化要素保障。")]
    assert parse_text("一、要求\n坚持统一。统一是前提，新增项目100个。\n").sections[0].measures[0].items == []


def test_bare_page_numbers_are_furniture_but_a_lone_fragment_joins():
    pages = "一、主要目标\n地区生产总值增长6%左右，\n1\n固定资产投资增长5%，\n2\n新增企业100家。\n3\n"
    doc = parse_text(pages)
    assert [t.text for t in doc.targets_and_actuals()] == ["6%", "5%", "100家"]
    assert [t.indicator for t in doc.targets_and_actuals()][:2] == ["地区生产总值", "固定资产投资"]
    fragment = "二、目标\n稳健的货币政策要松紧适度。广义货币M\n2\n预期增长12%左右。\n"
    (t,) = parse_text(fragment).targets
    assert t.text == "12%" and t.indicator.replace("\n", "") == "广义货币M2"


def test_a_review_paragraph_in_a_mixed_section():
    """2021: part 二 reviews 十三五 (过去五年，…) and then sets 十四五 targets."""
    doc = parse_file(REPORTS / "2021.txt")
    part = [t for t in doc.targets_and_actuals() if t.section == "二"]
    assert {t.text: t.kind for t in part}["100万亿元"] == "actual"
    assert {t.text: t.kind for t in part}["6000万人"] == "actual"
    assert {t.text: t.kind for t in part}["65%"] == "target"  # 常住人口城镇化率提高到65%
