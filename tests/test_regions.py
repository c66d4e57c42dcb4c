"""Regions (GB/T 2260) and the region a document is from."""
import re
from pathlib import Path

import pytest

from plancli import lexicon, regions
from plancli.regions import RegionDataError, find_region

ROOT = Path(__file__).resolve().parent.parent
PROVINCIAL = Path(__file__).resolve().parent / "data" / "provincial-2026"


def test_table_holds_every_province_and_prefecture():
    table = regions.regions("province", "prefecture")
    assert sum(r.level == "province" for r in table) == 34
    assert sum(r.level == "prefecture" for r in table) == 333
    by_type = {}
    for r in table:
        by_type[r.type] = by_type.get(r.type, 0) + 1
    assert by_type == {"province": 23, "autonomous_region": 5, "municipality": 4, "sar": 2,
                       "city": 293, "prefecture": 7, "autonomous_prefecture": 30, "league": 3}


@pytest.mark.parametrize("name, code", [
    ("北京市", "110000"), ("浙江省", "330000"), ("嘉兴市", "330400"), ("江苏省", "320000"),
    ("新疆维吾尔自治区", "650000"), ("吉林省", "220000"), ("吉林市", "220200"),
    ("延边朝鲜族自治州", "222400"), ("香港特别行政区", "810000"), ("大兴安岭地区", "232700"),
    ("锡林郭勒盟", "152500"), ("济南市", "370100"), ("那曲市", "540600"),
])
def test_codes(name, code):
    region = regions.get(code)
    assert region is not None and region.name == name


def test_prefectures_sit_in_their_province():
    for r in regions.regions():
        if r.level == "prefecture":
            assert r.parent == r.code[:2] + "0000" and regions.get(r.parent).level == "province"
    assert regions.get("330400").short == ("嘉兴",)
    assert regions.get("150000").short == ("内蒙古",)
    assert regions.get("450000").short == ("广西",)
    assert regions.get("222400").short == ("延边", "延边州")
    # a short form two divisions would share stays with the province
    assert regions.get("220000").short == ("吉林",) and regions.get("220200").short == ()
    assert regions.get("632500").short == ("海南州",)


def test_table_holds_the_counties():
    """tools/gbt2260/areas.csv less the statistical entries that are not GB/T 2260 divisions."""
    counties = regions.regions("county")
    assert len(regions.regions()) == 34 + 333 + len(counties)
    by_type = {}
    for r in counties:
        by_type[r.type] = by_type.get(r.type, 0) + 1
    assert by_type == {"district": 969, "county": 1317, "county_city": 387, "autonomous_county": 117,
                       "banner": 49, "autonomous_banner": 3, "special_district": 1, "forestry_district": 1}
    # the 5th digit 7 (development zones, 管委会) and 6 (大兴安岭's statistical districts) are statistical codes
    assert not [r for r in counties if r.code[4] in "67"]
    for code in ("130171", "152571", "232761", "460321", "632857", "620201"):
        assert regions.get(code) is None
    # 东莞市, 中山市, 儋州市, 嘉峪关市 have no counties: areas.csv repeats them, the table does not
    assert regions.get("441900").level == regions.get("620200").level == "prefecture"
    assert not [r for r in counties if r.name in ("东莞市", "中山市", "儋州市", "嘉峪关市")]


@pytest.mark.parametrize("name, code, kind, parent", [
    ("德清县", "330521", "county", "330500"), ("昆山市", "320583", "county_city", "320500"),
    ("吴江区", "320509", "district", "320500"), ("鼓楼区", "320106", "district", "320100"),
    ("鼓楼区", "350102", "district", "350100"), ("景宁畲族自治县", "331127", "autonomous_county", "331100"),
    ("土默特左旗", "150121", "banner", "150100"), ("鄂伦春自治旗", "150723", "autonomous_banner", "150700"),
    ("六枝特区", "520203", "special_district", "520200"), ("金林区", "230751", "district", "230700"),
    # governed by the province or municipality itself: the parent is the province
    ("神农架林区", "429021", "forestry_district", "420000"), ("仙桃市", "429004", "county_city", "420000"),
    ("东城区", "110101", "district", "110000"), ("石河子市", "659001", "county_city", "650000"),
])
def test_county_codes(name, code, kind, parent):
    assert regions.get(code) == regions.Region(code, name, "county", kind, parent)


def test_table_is_current():
    """tools/build_regions.py must run again when its sources change."""
    import importlib.util

    tool = ROOT / "tools" / "build_regions.py"
    spec = importlib.util.spec_from_file_location("build_regions", tool)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    shipped = (lexicon.data_dir() / "lexicon" / "regions.yaml").read_text(encoding="utf-8")
    assert shipped == build.render(build.build()), "run python tools/build_regions.py"


def _front_lines(path):
    """Title, occasion, speaker and opening lines of a report, as the metadata reader finds them."""
    lines = [l.strip() for l in path.read_text(encoding="utf-8").splitlines()[:40]]

    def first(pattern):
        return next((l for l in lines if re.search(pattern, l)), None)

    return (first("政府工作报告$"), first("人民代表大会.*会议上"), first(r"(省长|市长|主席)\s"),
            first("^现在，我代表"))


EXPECTED = {"anhui": ("安徽省", "340000"), "beijing": ("北京市", "110000"), "guizhou": ("贵州省", "520000"),
            "heilongjiang": ("黑龙江省", "230000"), "hubei": ("湖北省", "420000"),
            "jiangsu": ("江苏省", "320000"), "jilin": ("吉林省", "220000"), "liaoning": ("辽宁省", "210000"),
            "xinjiang": ("新疆维吾尔自治区", "650000"), "yunnan": ("云南省", "530000")}


@pytest.mark.parametrize("province", sorted(EXPECTED))
def test_provincial_reports(province):
    path = PROVINCIAL / f"{province}-2026-report.txt"
    title, occasion, speaker, opening = _front_lines(path)
    assert occasion is not None
    assert find_region(title, None, speaker, occasion, opening) == EXPECTED[province]
    # the occasion line alone is enough (贵州, 云南 titles name no region)
    assert find_region(occasion) == EXPECTED[province]
    # and so are the first 40 lines read as one text, page furniture and all
    head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:40])
    assert find_region(head) == EXPECTED[province]


def test_plan_notice_of_a_prefecture_city():
    text = (ROOT / "data" / "raw" / "jiaxing-2024-plan.txt").read_text(encoding="utf-8")
    assert find_region(text[:3000]) == ("嘉兴市", "330400")
    assert find_region("嘉兴市人民政府关于下达2024年嘉兴市国民经济和社会发展计划的通知") == ("嘉兴市", "330400")


@pytest.mark.parametrize("texts, expected", [
    # the longest full name: 吉林市 is a city, 吉林省 the province
    (("吉林省人民政府",), ("吉林省", "220000")),
    (("吉林市人民政府",), ("吉林市", "220200")),
    (("2026年吉林市政府工作报告",), ("吉林市", "220200")),
    (("——2026年1月10日在吉林市第十七届人民代表大会第五次会议上",), ("吉林市", "220200")),
    # speaker lines
    (("浙江省省长 王浩",), ("浙江省", "330000")),
    (("省长 刘小涛", "——2026年2月3日在江苏省第十四届人民代表大会第五次会议上"), ("江苏省", "320000")),
    (("自治区主席 艾尔肯·吐尼亚孜", "现在，我代表自治区人民政府，向大会报告工作"), None),
    # a province written before its prefecture is the prefecture's address
    (("浙江省嘉兴市2024年国民经济和社会发展计划执行情况与2025年计划草案的报告",), ("嘉兴市", "330400")),
    (("江苏省南京市人民政府",), ("南京市", "320100")),
    # short forms before an organ word, a year or a congress
    (("江苏第十四届人民代表大会第五次会议",), ("江苏省", "320000")),
    (("关于嘉兴2024年国民经济和社会发展计划执行情况的报告",), ("嘉兴市", "330400")),
    (("2026年内蒙古政府工作报告",), ("内蒙古自治区", "150000")),
    (("广西壮族自治区人民政府",), ("广西壮族自治区", "450000")),
    (("延边州人民政府工作报告",), ("延边朝鲜族自治州", "222400")),
    (("2026年恩施土家族苗族自治州政府工作报告",), ("恩施土家族苗族自治州", "422800")),
    (("锡林郭勒盟行政公署2026年工作报告",), ("锡林郭勒盟", "152500")),
    (("阿克苏地区2026年国民经济和社会发展计划",), ("阿克苏地区", "652900")),
    (("海南藏族自治州人民政府",), ("海南藏族自治州", "632500")),
    (("海南省人民政府",), ("海南省", "460000")),
    (("香港特别行政区政府",), ("香港特别行政区", "810000")),
    # short forms elsewhere are not a region: 云南要闻 is a news column, 安徽牢记嘱托 a sentence
    (("云南要闻", "过去一年，是安徽牢记嘱托、感恩奋进的重要一年"), None),
    (("开拓上海市场",), None),
    # an organ-word name beats a bare name in the same text; the earlier text beats a later one
    (("对口支援新疆维吾尔自治区，现在我代表江苏省人民政府",), ("江苏省", "320000")),
    (("2026年北京市政府工作报告", "现在，我代表天津市人民政府"), ("北京市", "110000")),
    # traditional characters are read as simplified
    (("2026年臺灣省政府工作報告",), ("台湾省", "710000")),
    # national documents are not a region here
    (("政府工作报告", "国务院总理 李强", "——2026年3月5日在第十四届全国人民代表大会第四次会议上"), None),
    (("——在第十四届全国人民代表大会第四次会议上", "香港特别行政区"), None),
    (("我代表國務院，向第一屆全國人民代表大會第一次會議作政府工作報告",), None),
    # counties: a county before an organ word, a year or a congress; a county-level city is not a prefecture
    (("——2026年1月20日在德清县第十八届人民代表大会第五次会议上",), ("德清县", "330521")),
    (("德清县人民政府",), ("德清县", "330521")),
    (("德清县2026年政府工作报告",), ("德清县", "330521")),
    (("昆山市人民政府工作报告",), ("昆山市", "320583")),
    (("政府工作报告", "昆山市人民政府市长 张某某"), ("昆山市", "320583")),
    (("阿克苏市人民政府",), ("阿克苏市", "652901")),
    (("阿克苏地区2026年国民经济和社会发展计划",), ("阿克苏地区", "652900")),
    (("昆山市场",), None),
    # a county after its prefecture or province beats them
    (("苏州市吴江区人民政府",), ("吴江区", "320509")),
    (("浙江省湖州市德清县",), ("德清县", "330521")),
    (("浙江省湖州市德清县2026年国民经济和社会发展计划",), ("德清县", "330521")),
    (("湖北省神农架林区人民政府",), ("神农架林区", "429021")),
    (("上海市浦东新区人民政府",), ("浦东新区", "310115")),
    # but a prefecture's organ word beats a county merely mentioned
    (("湖州市人民政府关于支持德清县发展的意见",), ("湖州市", "330500")),
    # no short forms for counties, and a bare county name is no region (示范县, 沿海城市 hold 范县, 海城市)
    (("德清人民政府",), None),
    (("德清县",), None),
    (("创建国家农业绿色发展示范县", "沿海城市"), None),
    # 鼓楼区 is a district of 南京, 徐州, 福州 and 开封: only its city (or a province with one) decides
    (("南京市鼓楼区人民政府",), ("鼓楼区", "320106")),
    (("徐州市鼓楼区2026年政府工作报告",), ("鼓楼区", "320302")),
    (("福建省鼓楼区人民政府",), ("鼓楼区", "350102")),
    (("鼓楼区人民政府工作报告",), None),
    (("江苏省鼓楼区人民政府",), ("江苏省", "320000")),
    (("南京市人民政府", "鼓楼区人民政府工作报告"), ("南京市", "320100")),
    (("北京市朝阳区人民政府",), ("朝阳区", "110105")),
    (("朝阳区人民政府",), None),
    (("朝阳县人民政府",), ("朝阳县", "211321")),
    ((None, "", "   "), None),
    ((), None),
])
def test_find_region(texts, expected):
    assert find_region(*texts) == expected


@pytest.fixture
def broken_table(monkeypatch):
    good = lexicon.load_yaml(regions.FILE)

    def install(edit):
        data = {**good, "regions": good["regions"].splitlines()}
        edit(data)
        data["regions"] = "\n".join(data["regions"])
        monkeypatch.setattr(regions.lexicon, "load_yaml", lambda name: data)
        regions._table.cache_clear()

    yield install
    monkeypatch.undo()
    regions._table.cache_clear()


def _edit_line(data: dict, line: int, word: int, value: str | None) -> None:
    """Word `word` of the regions block's line `line` set to value (None: the
    line cut short before it)."""
    words = data["regions"][line].split()
    data["regions"][line] = "  " + " ".join(words[:word] if value is None else
                                            [*words[:word], value, *words[word + 1:]])


@pytest.mark.parametrize("edit, message", [
    (lambda d: _edit_line(d, 3, 0, "33040"), r"regions, line 4 \(石家庄市\): the code must be six digits"),
    (lambda d: _edit_line(d, 0, 4, None), r"regions, line 1: must be a line of code, name, level, type, parent"),
    (lambda d: _edit_line(d, 40, 4, "110000"), r"regions, line 41 \(.+\): the parent must be the code of its province"),
    (lambda d: _edit_line(d, 1, 2, "city"), r"regions, line 2 \(天津市\): the level must be one of"),
    (lambda d: _edit_line(d, 5, 5, "北京"), r"regions, line 6 .*short form 北京 is also 北京市"),
    (lambda d: _edit_line(d, 0, 4, "110000"), r"regions, line 1 \(北京市\): a province has no parent"),
    (lambda d: d.update(organ_words=[]), r"organ_words: must be a list"),
    (lambda d: d.update(short_followers=["(第"]), r"short_followers: not a regular expression"),
    (lambda d: d.update(counties="330521 德清县 county 330500\n330522 长兴县 county"),
     r"counties, line 2: must be a line of code, name, type and parent"),
    (lambda d: d.update(counties="330521 德清县 county 330000"),
     r"counties, line 1 \(德清县\): the parent must be its prefecture \(330500\), not 330000"),
    (lambda d: d.update(counties="330521 德清县 township 330500"), r"counties, line 1 \(德清县\): the type must be"),
    (lambda d: d.update(counties="330521 嘉兴市 county 330500"), r"counties \(嘉兴市\): name 嘉兴市 is also 嘉兴市"),
    (lambda d: d.update(counties="330521 德清县 county 330500\n330522 德清县 county 330500"),
     r"counties, line 2 \(德清县\): name 德清县 is also another county of 330500"),
])
def test_a_bad_entry_names_the_file_and_key(broken_table, edit, message):
    broken_table(edit)
    with pytest.raises(RegionDataError, match=r"^data/lexicon/regions\.yaml: " + message):
        find_region("浙江省人民政府")
