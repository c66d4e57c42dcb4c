"""Canonical indicators, plancli diff and plancli attainment."""
import csv
import io
import json

import pytest

from conftest import REPORTS
from plancli import parse_file, parse_text
from plancli.compare import attainment, diff, judge
from plancli.indicators import canonical


@pytest.fixture(scope="module")
def reports():
    return parse_file(REPORTS / "2024.txt"), parse_file(REPORTS / "2025.txt")


@pytest.mark.parametrize("indicator, expected", [
    ("国内生产总值", "gdp"), ("全市地区生产总值", "gdp"), ("规模以上工业增加值", "industrial_value_added"),
    ("规上工业增加值", "industrial_value_added"), ("单位国内生产总值能耗", "energy_intensity"),
    ("国家财政性教育经费占国内生产总值比例", None), ("城镇新增就业", "urban_new_jobs"),
    ("居民消费价格涨幅", "cpi"), ("实际利用外资", "fdi"), ("一般公共预算收入", "public_budget_revenue"),
    ("非金融企业直接融资", None),
])
def test_canonical_ids(indicator, expected):
    assert canonical(indicator)[0] == expected


def test_targets_carry_id_and_value_type(reports):
    old, _ = reports
    gdp = [t for t in old.targets if t.indicator_id == "gdp"]
    assert (gdp[0].text, gdp[0].value_type) == ("5%", "growth")
    level = [t for t in old.actuals if t.indicator_id == "gdp"][0]
    assert (level.text, level.value_type) == ("126万亿元", "level")


def test_2024_to_2025_reads_right(reports):
    rows = {(r.indicator_id, r.status): r for r in diff(*reports)}
    cpi = rows[("cpi", "changed")]
    assert (cpi.old, cpi.new, cpi.unit) == ("about 3", "about 2", "%")
    grain = rows[("grain_output", "changed")]  # 粮食产量1.3万亿斤以上 → 1.4万亿斤左右
    assert (grain.old, grain.new, grain.unit, grain.change) == ("≥ 1.3", "about 1.4", "万亿斤", 0.1)
    assert (grain.old_base_value, grain.new_base_value, grain.base_unit) == (1.3e12, 1.4e12, "斤")
    energy = rows[("energy_intensity", "changed")]
    assert (energy.old_value, energy.new_value) == (2.5, 3)
    gdp = rows[("gdp", "unchanged")]
    assert gdp.old == gdp.new == "增长 about 5" and gdp.change == 0
    assert rows[("deficit_ratio", "changed")].new == "about 4"


def test_the_deficit_increase_reads_in_one_unit(reports):
    """赤字规模…比上年增加1800亿元 → 增加1.6万亿元: both in 万亿元, the larger
    unit written, so 0.18 → 1.6 and the change 1.42 (万亿元), never 1800 → 1.6."""
    (row,) = [r for r in diff(*reports) if r.old_text == "1800亿元"]
    assert (row.indicator_id, row.new_text) == ("deficit", "1.6万亿元")
    assert (row.old, row.new, row.unit, row.change) == ("增加 0.18", "增加 1.6", "万亿元", 1.42)
    assert (row.old_value, row.new_value) == (0.18, 1.6)
    assert (row.old_base_value, row.new_base_value, row.base_unit) == (1.8e11, 1.6e12, "元")


def _table_rows(text):
    """The body rows of a rich table as lists of cell texts (a row on one
    line: the test sets COLUMNS wide enough)."""
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in text.splitlines()
            if line.startswith("│")]


def test_diff_command_formats(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    a, b = str(REPORTS / "2024.txt"), str(REPORTS / "2025.txt")
    rows = json.loads(cli("diff", a, b, "--format", "json").out)
    assert {"changed", "unchanged", "added", "dropped"} >= {r["status"] for r in rows}
    out = tmp_path / "diff.csv"
    assert cli("diff", a, b, "-o", str(out)).code == 0
    with open(out, encoding="utf-8", newline="") as f:
        csv_rows = list(csv.DictReader(f))
    assert list(csv_rows[0])[:7] == ["status", "indicator_id", "indicator", "old", "new", "unit", "change"]
    jsonl_rows = [json.loads(x) for x in cli("diff", a, b, "--format", "jsonl").out.splitlines()]
    for found in ([r for r in csv_rows if r["old_text"] == "1800亿元"],
                  [r for r in jsonl_rows if r["old_text"] == "1800亿元"]):
        (deficit,) = found
        assert (deficit["old"], deficit["new"], deficit["unit"]) == ("增加 0.18", "增加 1.6", "万亿元")
        assert (float(deficit["change"]), float(deficit["old_base_value"]), deficit["base_unit"]) == (1.42, 1.8e11, "元")
    table = _table_rows(cli("diff", a, b, "--format", "table").out)
    assert ["changed", "赤字规模", "增加 0.18", "增加 1.6", "万亿元", "1.42", "100"] in table
    assert ["changed", "粮食产量", "≥ 1.3", "about 1.4", "万亿斤", "0.1", "100"] in table
    assert any(r[1] == "居民消费价格涨幅" and r[0] == "changed" for r in table)


@pytest.mark.parametrize("old, new, shown", [
    # the larger unit written, whichever side it is on, whatever the indicator
    ("今年赤字规模拟增加1.2万亿元。", "今年赤字规模拟增加9000亿元。", ("changed", "增加 1.2", "增加 0.9", "万亿元", -0.3)),
    ("今年城镇新增就业1100万人以上。", "今年城镇新增就业12000000人以上。", ("changed", "≥ 1100", "≥ 1200", "万人", 100)),
    # the same amount written two ways is no change
    ("今年粮食产量1.3万亿斤以上。", "今年粮食产量13000亿斤以上。", ("unchanged", "≥ 1.3", "≥ 1.3", "万亿斤", 0)),
])
def test_diff_shows_both_sides_in_the_larger_unit(old, new, shown):
    (row,) = diff(parse_text("二、主要目标\n" + old), parse_text("二、主要目标\n" + new))
    assert (row.status, row.old, row.new, row.unit, row.change) == shown


def test_figures_in_different_base_units_are_shown_as_written():
    (row,) = diff(parse_text("二、主要目标\n今年实际利用外资100亿美元以上。"),
                  parse_text("二、主要目标\n今年实际利用外资800亿元以上。"))
    assert (row.old, row.new, row.unit, row.change, row.note) == ("≥ 100亿美元", "≥ 800亿元", None, None,
                                                                  "units differ: 美元 and 元")
    assert (row.old_base_value, row.new_base_value) == (1e10, 8e10)


def test_attainment_2024_plan_against_2025_review(reports):
    rows = {r.indicator_id: r for r in attainment(*reports)}
    assert rows["gdp"].status == "met"                       # about 5% against 5%
    assert rows["urban_new_jobs"].status == "met"            # ≥ 1200万 against 1256万
    assert rows["urban_surveyed_unemployment"].status == "met"  # about 5.5% against 5.1%
    assert rows["grain_output"].status == "met"              # ≥ 1.3万亿斤 against 1.4万亿斤
    assert rows["cpi"].status == "met"                        # about 3% against 0.2%: a limit (indicators.yaml)
    assert rows["deficit_ratio"].status == "unknown"          # the review gives no figure
    assert {r.status for r in rows.values()} <= {"met", "missed", "unknown"}
    jobs = rows["urban_new_jobs"]
    assert (jobs.target, jobs.unit, jobs.actual_value, jobs.gap, jobs.actual_base_value) == \
        ("≥ 1200", "万人", 1256, 56, 1.256e7)
    # what decided is named where the figures alone would not have: an about
    # target that is a limit (prices, unemployment) met from below
    ceiling = "below the target, a limit for this indicator"
    assert rows["urban_surveyed_unemployment"].note == rows["cpi"].note == ceiling
    assert rows["gdp"].note == rows["grain_output"].note == ""


def test_the_tolerance_is_named_only_where_it_decided():
    """2023's about 5% GDP against the 5.2% the 2024 report gives is met
    within 0.5 points; against the 5% of 2024 (the test above) it is met as
    it stands, with no note; about 3% CPI is never missed from below."""
    rows = {r.indicator_id: r for r in attainment(parse_file(REPORTS / "2023.txt"), parse_file(REPORTS / "2024.txt"))}
    assert (rows["gdp"].status, rows["gdp"].actual_value, rows["gdp"].note) == ("met", 5.2, "within 0.5 points")
    assert (rows["cpi"].status, rows["cpi"].actual_value) == ("met", 0.2)


def test_attainment_command_shows_unit_gap_and_note(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    a, b = str(REPORTS / "2024.txt"), str(REPORTS / "2025.txt")
    table = _table_rows(cli("attainment", a, b, "--format", "table").out)
    jobs = next(r for r in table if r[1] == "城镇新增就业")
    assert (jobs[0], jobs[2], jobs[4], jobs[5]) == ("met", "≥ 1200", "万人", "56")
    assert next(r for r in table if r[1] == "城镇调查失业率")[-1] == "below the target, a limit for this indicator"
    rows = list(csv.DictReader(io.StringIO(cli("attainment", a, b, "--format", "csv").out)))
    grain = next(r for r in rows if r["indicator_id"] == "grain_output")
    assert (grain["target"], grain["unit"], float(grain["gap"]), float(grain["target_base_value"])) == \
        ("≥ 1.3", "万亿斤", 0.1, 1.3e12)


def _one(sentence, kind_section="二、主要目标\n"):
    doc = parse_text(kind_section + sentence)
    (found,) = doc.targets_and_actuals()
    return found


@pytest.mark.parametrize("target, actual, status", [
    ("固定资产投资增长6%以上。", "固定资产投资增长5.2%。", "missed"),
    ("国内生产总值增长5%左右。", "国内生产总值增长5.0%。", "met"),
    ("国内生产总值增长5%左右。", "国内生产总值增长5.6%。", "missed"),
    ("国内生产总值增长6%-6.5%。", "国内生产总值增长6.6%。", "missed"),
    ("国内生产总值增长6%-6.5%。", "国内生产总值增长6.1%。", "met"),
    ("城镇登记失业率控制在4.5%以内。", "城镇登记失业率4.2%。", "met"),
    ("单位国内生产总值能耗下降3%以上。", "单位国内生产总值能耗下降3.2%。", "met"),
    ("单位国内生产总值能耗下降3%以上。", "单位国内生产总值能耗下降2.1%。", "missed"),
    ("研发经费投入强度提高0.1个百分点。", "研发经费投入强度提高0.12个百分点。", "met"),
])
def test_judging_honours_the_comparator(target, actual, status):
    t, a = _one(target), _one(actual, "一、2023年工作回顾\n")
    assert a.kind == "actual" and t.indicator_id == a.indicator_id
    assert judge(t, a)[0] == status


@pytest.mark.parametrize("target, actual, status, note", [
    ("国内生产总值增长5%左右。", "国内生产总值增长5.3%。", "met", "within 0.5 points"),  # the tolerance decided
    ("国内生产总值增长5%左右。", "国内生产总值增长5%。", "met", ""),                    # the figures agree as they are
    ("国内生产总值增长5%左右。", "国内生产总值增长5.6%。", "missed", ""),
    ("固定资产投资增长6%以上。", "固定资产投资增长6.2%。", "met", ""),
    ("国内生产总值增长6%-6.5%。", "国内生产总值增长6.1%。", "met", ""),
    ("粮食产量1.3万亿斤左右。", "粮食产量13500亿斤。", "met", "within 5% of the target"),
])
def test_a_note_only_where_the_tolerance_decided(target, actual, status, note):
    t, a = _one(target), _one(actual, "一、2023年工作回顾\n")
    assert judge(t, a)[0::2] == (status, note)


def test_attainment_gap_in_the_shown_unit():
    plan = parse_text("二、主要目标\n粮食产量1.3万亿斤左右。")
    report = parse_text("一、2024年工作回顾\n粮食产量13500亿斤。")
    (row,) = attainment(plan, report)
    assert (row.target, row.actual, row.unit, row.gap, row.note) == ("about 1.3", "1.35", "万亿斤", 0.05,
                                                                     "within 5% of the target")
    assert (row.target_base_value, row.actual_base_value, row.base_unit) == (1.3e12, 1.35e12, "斤")


def test_same_indicator_twice_counts_once():
    plan = parse_text("二、目标\n国内生产总值增长5%左右。经济增长预期目标为5%左右。")
    report = parse_text("一、回顾\n国内生产总值增长5.2%。")
    rows = attainment(plan, report)
    assert [(r.indicator_id, r.status) for r in rows] == [("gdp", "met")]
    assert [r.status for r in diff(plan, plan)] == ["unchanged"]  # the restatement is no second row


def test_renamed_indicator_is_matched_by_text():
    old = parse_text("二、目标\n新增省级重点企业研究院20家。")
    new = parse_text("二、目标\n新增省重点企业研究院25家。")
    (row,) = diff(old, new)
    assert row.status == "changed" and row.similarity >= 75 and (row.old_value, row.new_value) == (20, 25)


def test_units_that_differ_are_not_compared():
    old = parse_text("二、目标\n新增高新技术企业500家。")
    new = parse_text("二、目标\n高新技术企业增长10%。")
    assert {r.status for r in diff(old, new)} == {"added", "dropped"}
