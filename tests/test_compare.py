"""Canonical indicators, plancli diff and plancli attainment."""
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
    assert (cpi.old, cpi.new) == ("about 3%", "about 2%")
    grain = rows[("grain_output", "changed")]
    assert (grain.old, grain.new) == ("≥ 1.3万亿斤", "about 1.4万亿斤")
    energy = rows[("energy_intensity", "changed")]
    assert (energy.old_value, energy.new_value) == (2.5, 3)
    gdp = rows[("gdp", "unchanged")]
    assert gdp.old == gdp.new == "增长 about 5%"
    assert rows[("deficit_ratio", "changed")].new == "about 4%"


def test_diff_command_formats(cli, tmp_path):
    a, b = str(REPORTS / "2024.txt"), str(REPORTS / "2025.txt")
    rows = json.loads(cli("diff", a, b, "--format", "json").out)
    assert {"changed", "unchanged", "added", "dropped"} >= {r["status"] for r in rows}
    out = tmp_path / "diff.csv"
    assert cli("diff", a, b, "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").startswith("status,indicator_id,indicator,old,new,similarity")
    table = cli("diff", a, b, "--format", "table")
    assert "居民消费价格涨幅" in table.out and "changed" in table.out


def test_attainment_2024_plan_against_2025_review(reports):
    rows = {r.indicator_id: r for r in attainment(*reports)}
    assert rows["gdp"].status == "met"                       # about 5% against 5%
    assert rows["urban_new_jobs"].status == "met"            # ≥ 1200万 against 1256万
    assert rows["urban_surveyed_unemployment"].status == "met"  # about 5.5% against 5.1%
    assert rows["grain_output"].status == "met"              # ≥ 1.3万亿斤 against 1.4万亿斤
    assert rows["cpi"].status == "missed"                     # about 3% against 0.2%
    assert rows["deficit_ratio"].status == "unknown"          # the review gives no figure
    assert {r.status for r in rows.values()} <= {"met", "missed", "unknown"}


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
