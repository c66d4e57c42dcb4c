"""Target rules on sentences from the reference notice (docs/TARGETS.md)."""
import pytest


def by_text(doc, text):
    found = [t for t in doc.targets if t.text == text]
    assert found, f"{text} not reported; got {[t.text for t in doc.targets]}"
    return found


def test_indicator_is_the_noun_not_the_verb(notice_doc):
    gdp = [t for t in notice_doc.targets if t.indicator == "规上工业增加值"]
    assert len(gdp) == 1
    t = gdp[0]
    assert (t.action, t.value, t.unit, t.comparator, t.modality) == ("增长", 6, "%", ">=", "力争")
    assert t.direction == "up"


def test_shared_verb_is_split_into_targets(notice_doc):
    pair = [t for t in notice_doc.targets if t.section == "三" and t.measure == "大力度培育创新主体"]
    got = [(t.indicator, t.action, t.value, t.unit) for t in pair]
    assert got[:2] == [("国家高新技术企业", "新增", 500, "家"), ("省科技型中小企业", "新增", 1200, "家")]
    assert [(t.indicator, t.base_value, t.base_unit) for t in pair[2:]] == [
        ("省级以上高层次人才", 50, "名"), ("大学生", 100000, "名"), ("技能人才", 50000, "名")]


@pytest.mark.parametrize("text, value, unit, base_value, base_unit", [
    ("60万千瓦", 60, "万千瓦", 600000, "千瓦"),
    ("1万亩", 1, "万亩", 10000, "亩"),
    ("30亿美元", 30, "亿美元", 3e9, "美元"),
    ("105万标箱", 105, "万标箱", 1050000, "标箱"),
    ("3.5万亩", 3.5, "万亩", 35000, "亩"),
])
def test_magnitude_goes_into_base_value(notice_doc, text, value, unit, base_value, base_unit):
    t = by_text(notice_doc, text)[0]
    assert (t.value, t.unit, t.base_value, t.base_unit) == (value, unit, base_value, base_unit)


@pytest.mark.parametrize("mention", ["135N", "102工程", "10亿元", "超亿美元", "2.0版", "15分钟",
                                     "三年行动", "32条", "70%", "第三批", "三类", "100万元", "75周年"])
def test_names_qualifiers_ordinals_and_dates_are_not_targets(notice_doc, notice_text, mention):
    starts = [i for i in range(len(notice_text)) if notice_text.startswith(mention, i)]
    assert starts
    for t in notice_doc.targets:
        assert not any(t.start < s + len(mention) and s < t.end for s in starts), (mention, t.text)


def test_qualifier_stays_inside_the_indicator(notice_doc):
    t = by_text(notice_doc, "95%")
    village = [x for x in t if "经营性收入" in (x.indicator or "")]
    assert village and village[0].indicator == "集体经济年经营性收入超过100万元的村"
    fifty = [x for x in notice_doc.targets if x.indicator == "超亿美元项目"]
    assert len(fifty) == 1 and fifty[0].value == 50 and fifty[0].comparator == ">="
    rejected = {(r.text, r.reason) for r in notice_doc.rejected}
    assert ("亿美元", "qualifier") in rejected and ("10亿元", "qualifier") in rejected


def test_year_in_front_of_an_indicator_is_dropped(notice_doc):
    t = by_text(notice_doc, "1000亿元")[0]
    assert t.indicator == "非金融企业直接融资" and t.modality == "力争"


def test_notice_targets_are_all_targets(notice_doc):
    assert notice_doc.targets and notice_doc.actuals == []
