"""Reading numbers, magnitudes and units."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancli import parse_text
from plancli.numbers import parse_arabic, parse_chinese, split_magnitude

cn2an = pytest.importorskip("cn2an")  # the oracle (dev extra)


@pytest.mark.parametrize("text, value", [
    ("百", 100), ("十", 10), ("十五", 15), ("二十五", 25), ("两千", 2000), ("一万二千", 12000),
    ("一万二", 12000), ("三百零五", 305), ("一千零一", 1001), ("万", 10000), ("亿", 1e8),
    ("万亿", 1e12), ("五十万", 500000), ("十点五", 10.5), ("一百二十万亿", 1.2e14),
    ("一千二百万", 1.2e7), ("一亿二千万", 1.2e8), ("四亿五千六百四十二万零一十五", 456420015),
    ("一万零十二", 10012), ("一万零一十二", 10012), ("三百二十万", 3.2e6), ("二千零十七万", 2.017e7),
    ("一亿零四百万", 1.04e8), ("三亿零四百七十五万", 304750000), ("一万六千亿", 1.6e12), ("两千亿", 2e11),
    ("万万", 1e8), ("四万万", 4e8), ("六十万", 6e5), ("一亿二", 1.2e8), ("二百十七", 217),
    ("一点五万", 15000), ("零点五", 0.5), ("零", 0),
    ("2千零30万", 2.03e7), ("3万4000", 34000), ("25万6千", 256000), ("1亿2000万", 1.2e8),
    ("1万6千", 16000), ("3万零40", 30040), ("１亿２０００万", 1.2e8),
])
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["十四五", "亿万", "一二三", "二〇二四", "百分", "点五", "",
                                  "十三五", "三十亿零", "五零", "千百五", "万千", "亿亿", "三万二万",
                                  "四万万五", "一千二万", "3万40", "25千", "2千25万", "零三"])
def test_not_chinese_numerals(text):
    assert parse_chinese(text) is None


@pytest.mark.parametrize("text, value", [("1,200", 1200), ("3.5", 3.5), ("1,234,567.5", 1234567.5), ("0.2", 0.2)])
def test_arabic_numerals(text, value):
    assert parse_arabic(text) == value


@pytest.mark.parametrize("numeral, split", [("两千亿", ("两千", "亿")), ("十万", ("十", "万")),
                                            ("万", ("万", "")), ("一万二千", ("一万二千", "")),
                                            ("万亿", ("万亿", "")), ("三千万亿", ("三千", "万亿")),
                                            ("一千二百万", ("一千二百", "万")), ("一亿二千万", ("一亿二千万", "")),
                                            ("一万六千亿", ("一万六千", "亿")), ("四万万", ("四万万", "")),
                                            ("一点五万", ("一点五", "万")), ("2千零30万", ("2千零30", "万"))])
def test_magnitude_split(numeral, split):
    assert split_magnitude(numeral) == split


def test_chinese_range_with_magnitude():
    t = parse_text("新增发电装机二百八十万到三百万千瓦。").targets[0]
    assert (t.text, t.value, t.value_max, t.unit) == ("二百八十万到三百万千瓦", 280, 300, "万千瓦")
    assert (t.base_value, t.base_value_max, t.base_unit, t.comparator) == (2.8e6, 3e6, "千瓦", "range")


# --- properties, with cn2an as the oracle -----------------------------------

AMOUNTS = st.integers(min_value=0, max_value=10**15 - 1)  # exact in a float, as plans write them


@settings(max_examples=500, deadline=None)
@given(AMOUNTS)
def test_cn2an_numerals_read_back(n):
    assert parse_chinese(cn2an.an2cn(n)) == n


def _variant(numeral: str, liang: bool, short_ten: bool, abbreviate: bool) -> str:
    """A numeral as people also write it: 两千 for 二千, 零十 for 零一十,
    一万二 for 一万二千 (the last multiplier left out)."""
    if liang:
        numeral = re.sub(r"(?<![十零])二(?=[千百万亿])", "两", numeral)
    if short_ten:
        numeral = numeral.replace("零一十", "零十")
    if abbreviate:
        m = re.fullmatch(r"(.*(?:万|千|百|亿))([一二三四五六七八九两])(千万|千|百|十)", numeral)
        if m and (m.group(1)[-1], m.group(3)) in {("万", "千"), ("千", "百"), ("百", "十"), ("亿", "千万")}:
            numeral = m.group(1) + m.group(2)
    return numeral


def _oracle(numeral: str):
    try:
        return cn2an.cn2an(numeral, "smart")
    except Exception:  # cn2an does not read every form (一亿二, 零十二)
        return None


@settings(max_examples=500, deadline=None)
@given(AMOUNTS, st.booleans(), st.booleans(), st.booleans())
def test_written_variants(n, liang, short_ten, abbreviate):
    numeral = _variant(cn2an.an2cn(n), liang, short_ten, abbreviate)
    oracle = _oracle(numeral)
    assert oracle is None or oracle == n  # the generator says what it means
    assert parse_chinese(numeral) == n, numeral


def _mixed(n: int, thousands: bool) -> str:
    """n in Arabic groups between 亿 and 万: 1亿2000万, 3万4000, 3万零40,
    1亿零500万; with thousands=True also 25万6千, 2千零30万."""
    def group(g: int, after_big: bool) -> str:
        if thousands and g >= 1000 and g % 1000 == 0:
            return f"{g // 1000}千"
        if thousands and g >= 1000 and 0 < g % 1000 < 100:
            return f"{g // 1000}千零{g % 1000}"
        return f"零{g}" if after_big and g < 1000 else str(g)
    yi, wan, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    out = f"{yi}亿" if yi else ""
    if wan:
        out += group(wan, bool(yi)) + "万"
    if rest:
        out += ("零" + group(rest, False)) if yi and not wan else group(rest, bool(out))
    return out


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=10**4, max_value=10**12 - 1), st.booleans())
def test_mixed_numerals(n, thousands):
    numeral = _mixed(n, thousands)
    if not re.search(r"[千万亿]", numeral):
        return
    oracle = _oracle(numeral)
    assert oracle is None or oracle == n, numeral
    assert parse_chinese(numeral) == n, numeral


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="零一二两三四五六七八九十百千万亿", min_size=1, max_size=9))
def test_agrees_with_cn2an_where_both_read(text):
    """Strings of numeral characters: plancli refuses names (十四五, 一二三)
    that cn2an reads as digit strings, and where both read, they agree."""
    mine = parse_chinese(text)
    try:
        theirs = cn2an.cn2an(text, "normal")
    except Exception:
        return
    assert mine is None or mine == theirs, text
