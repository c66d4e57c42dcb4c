"""Reading numbers, magnitudes and units."""
import pytest

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
