"""Canonical indicator ids for what provincial work reports set as targets.

Each phrase is written as it stands in the headline targets (主要预期目标)
or the five-year goals (“十五五” 主要目标) of a 2026 provincial report in
tests/data/provincial-2026/; the test checks that it is there."""
from pathlib import Path

import pytest

from plancli import indicators
from plancli.indicators import canonical

PROVINCIAL = Path(__file__).resolve().parent / "data" / "provincial-2026"

# (report, phrase as written, expected id)
PHRASES = [
    ("anhui", "全省地区生产总值", "gdp"),
    ("beijing", "地区生产总值", "gdp"),
    ("hubei", "经济增长", "gdp"),
    ("guizhou", "规模以上工业增加值", "industrial_value_added"),
    ("jilin", "规上工业增加值", "industrial_value_added"),
    ("guizhou", "固定资产投资", "fixed_asset_investment"),
    ("jiangsu", "社会消费品零售总额", "retail_sales"),
    ("anhui", "进出口总额", "trade"),
    ("xinjiang", "外贸进出口总额", "trade"),
    ("beijing", "一般公共预算收入", "public_budget_revenue"),
    ("yunnan", "地方一般公共预算收入", "public_budget_revenue"),
    ("liaoning", "城镇新增就业", "urban_new_jobs"),
    ("heilongjiang", "城镇调查失业率", "urban_surveyed_unemployment"),
    ("anhui", "居民消费价格指数", "cpi"),
    ("beijing", "居民消费价格涨幅", "cpi"),
    ("xinjiang", "居民消费价格指数涨幅", "cpi"),
    ("jilin", "CPI涨幅", "cpi"),
    ("liaoning", "居民人均可支配收入", "disposable_income"),
    ("anhui", "城镇常住居民人均可支配收入", "urban_disposable_income"),
    ("xinjiang", "城镇居民人均可支配收入", "urban_disposable_income"),
    ("guizhou", "农村常住居民人均可支配收入", "rural_disposable_income"),
    ("xinjiang", "农村居民人均可支配收入", "rural_disposable_income"),
    ("heilongjiang", "粮食产量", "grain_output"),
    ("yunnan", "粮食总产量", "grain_output"),
    ("liaoning", "粮食综合生产能力", "grain_output"),
    ("anhui", "单位地区生产总值能耗", "energy_intensity"),
    ("xinjiang", "能耗强度", "energy_intensity"),
    ("beijing", "万元地区生产总值能耗", "energy_intensity"),
    ("heilongjiang", "单位地区生产总值二氧化碳排放", "carbon_intensity"),
    ("jilin", "单位GDP二氧化碳排放", "carbon_intensity"),
    ("jilin", "单位GDP二氧化碳排放累计降低率", "carbon_intensity"),
    ("jiangsu", "碳排放强度", "carbon_intensity"),
    ("jiangsu", "全社会研发投入强度", "rd_intensity"),
    ("guizhou", "全社会研发经费投入强度", "rd_intensity"),
    ("beijing", "全社会研发投入占比", "rd_intensity"),
    ("jiangsu", "全社会研发经费投入", "rd_expenditure"),
    ("liaoning", "全社会研发经费", "rd_expenditure"),
    ("guizhou", "常住人口城镇化率", "urbanization"),
    ("heilongjiang", "全省常住人口城镇化率", "urbanization"),
    ("anhui", "人均预期寿命", "life_expectancy"),
    ("heilongjiang", "劳动年龄人口平均受教育年限", "years_of_schooling"),
    ("guizhou", "人均受教育年限", "years_of_schooling"),
    ("beijing", "全员劳动生产率", "labor_productivity"),
    ("guizhou", "人均地区生产总值", "gdp_per_capita"),
    ("jilin", "高技术制造业增加值", "high_tech_manufacturing_value_added"),
    ("jiangsu", "制造业增加值占比", "manufacturing_share"),
    ("jilin", "战略性新兴产业产值", "strategic_emerging_output"),
    ("hubei", "数字经济核心产业增加值", "digital_economy_core"),
    ("beijing", "细颗粒物年均浓度", "pm25"),
    ("jiangsu", "PM2.5浓度", "pm25"),
    ("guizhou", "细颗粒物（PM_2.5）年平均浓度", "pm25"),
    ("jilin", "空气质量优良天数比例", "air_quality_good_days"),
    ("yunnan", "空气质量优良天数比率", "air_quality_good_days"),
    ("guizhou", "森林覆盖率", "forest_coverage"),
    ("guizhou", "每万人口高价值发明专利拥有量", "high_value_patents"),
    ("beijing", "服务贸易", "services_trade"),
    # near misses that are other figures
    ("jilin", "规上工业企业研发投入占比", None),
    ("jilin", "装备制造业增加值", None),
    ("guizhou", "民间投资占固定资产投资比重", None),
    ("jilin", "农村低保标准", None),
]


@pytest.mark.parametrize("report, phrase, expected", PHRASES)
def test_provincial_target_phrases(report, phrase, expected):
    text = (PROVINCIAL / f"{report}-2026-report.txt").read_text(encoding="utf-8")
    assert phrase in text, f"{phrase} is not in {report}"
    assert canonical(phrase)[0] == expected


def test_measure_and_direction_named_by_the_alias():
    assert canonical("CPI涨幅") == ("cpi", "growth", None)
    assert canonical("单位GDP二氧化碳排放累计降低率") == ("carbon_intensity", "growth", "down")


def test_longer_aliases_win():
    # 进出口 is trade, not 出口; 人均地区生产总值 is not GDP; 研发经费投入强度 is not 研发经费
    assert canonical("进出口")[0] == "trade" and canonical("出口")[0] == "exports"
    assert canonical("服务贸易进出口总额")[0] == "services_trade"
    assert canonical("人均地区生产总值")[0] == "gdp_per_capita"
    assert canonical("研发经费投入强度")[0] == "rd_intensity"


def test_every_new_id_has_names():
    for phrase, expected in ((p, e) for _, p, e in PHRASES if e):
        entry = indicators.get(expected)
        assert entry is not None and entry.zh and entry.en, phrase
