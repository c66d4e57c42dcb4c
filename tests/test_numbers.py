"""Reading numbers, magnitudes and units."""
import pytest

from plancli import parse_text
from plancli.numbers import parse_arabic, parse_chinese, split_magnitude


@pytest.mark.parametrize("text, value", [
    ("百", 100), ("十", 10), ("十五", 15), ("二十五", 25), ("两千", 2000), ("一万二千", 12000),
    ("一万二", 12000), ("三百零五", 305), ("一千零一", 1001), ("万", 10000), ("亿", 1e8),
    ("万亿", 1e12), ("五十万", 500000), ("十点五", 10.5), ("一百二十万亿", 1.2e14),
])
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["十四五", "亿万", "一二三", "二〇二四", "百分", "点五", ""])
def test_not_chinese_numerals(text):
    assert parse_chinese(text) is None


@pytest.mark.parametrize("text, value", [("1,200", 1200), ("3.5", 3.5), ("1,234,567.5", 1234567.5), ("0.2", 0.2)])
def test_arabic_numerals(text, value):
    assert parse_arabic(text) == value


@pytest.mark.parametrize("numeral, split", [("两千亿", ("两千", "亿")), ("十万", ("十", "万")),
                                            ("万", ("万", "")), ("一万二千", ("一万二千", "")),
                                            ("万亿", ("万亿", "")), ("三千万亿", ("三千", "万亿"))])
def test_magnitude_split(numeral, split):
    assert split_magnitude(numeral) == split


@pytest.mark.parametrize("sentence, text, value, unit, base_value, base_unit", [
    ("粮食产量1.39万亿斤以上。", "1.39万亿斤", 1.39, "万亿斤", 1.39e12, "斤"),
    ("新增专项债两千亿元。", "两千亿元", 2000, "亿元", 2e11, "元"),
    ("研发投入增长百分之五。", "百分之五", 5, "%", 5, "%"),
    ("新增就业1,200万人。", "1,200万人", 1200, "万人", 1.2e7, "人"),
    ("增长６％左右。", "６％", 6, "%", 6, "%"),
    ("新增装机六十万千瓦。", "六十万千瓦", 60, "万千瓦", 600000, "千瓦"),
    ("开展活动百场。", "百场", 100, "场", 100, "场"),
    ("能耗下降0.5个百分点。", "0.5个百分点", 0.5, "个百分点", 0.5, "百分点"),
    ("引进外资30亿美元。", "30亿美元", 30, "亿美元", 3e9, "美元"),
    ("覆盖率提高三成。", "三成", 3, "成", 30, "%"),
])
def test_quantities_in_sentences(sentence, text, value, unit, base_value, base_unit):
    doc = parse_text(sentence)
    assert len(doc.targets) == 1
    t = doc.targets[0]
    assert (t.text, t.value, t.unit, t.base_value, t.base_unit) == (text, value, unit, base_value, base_unit)
    assert sentence[t.start:t.end] == t.text


@pytest.mark.parametrize("sentence, text, value, value_max", [
    ("国内生产总值增长6%-6.5%。", "6%-6.5%", 6, 6.5),
    ("国内生产总值增长6%－6.5%。", "6%－6.5%", 6, 6.5),
    ("增长4.5%至5%。", "4.5%至5%", 4.5, 5),
    ("增长6—7%。", "6—7%", 6, 7),
])
def test_ranges(sentence, text, value, value_max):
    t = parse_text(sentence).targets[0]
    assert (t.text, t.value, t.value_max, t.comparator) == (text, value, value_max, "range")
    assert t.base_value_max == value_max

