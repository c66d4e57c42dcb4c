"""Where a document is from: China's province-, prefecture- and county-level
divisions (data/lexicon/regions.yaml, GB/T 2260 codes) and `find_region`, which
reads the region off a document's title, issuer, speaker, occasion and opening
lines. The table is read on the first call, not on import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lexicon
from .normalize import fold

FILE = "regions.yaml"
LEVELS = ("province", "prefecture", "county")
TYPES_BY_LEVEL = {
    "province": ("province", "autonomous_region", "municipality", "sar"),
    "prefecture": ("city", "prefecture", "autonomous_prefecture", "league"),
    # 市辖区, 县, 县级市, 自治县, 旗, 自治旗, 特区, 林区
    "county": ("district", "county", "county_city", "autonomous_county", "banner", "autonomous_banner",
               "special_district", "forestry_district"),
}
TYPES = tuple(t for types in TYPES_BY_LEVEL.values() for t in types)
_CODE = re.compile(r"\d{6}")


class RegionDataError(lexicon.LexiconError, ValueError):
    """regions.yaml has an entry the loader cannot use."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    type: str
    parent: str | None = None
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Region]
    by_form: dict[str, tuple[Region, bool]]  # text form → (region, the form is the full name)
    counties: dict[str, tuple[Region, ...]]  # county name → the counties of that name (鼓楼区: 4)
    name_lengths: dict[str, tuple[int, ...]]  # first character → lengths of the names it starts, longest first
    context: re.Pattern        # what may follow a name that names the document's own region
    national: re.Pattern


def _fail(where: str, problem: str):
    raise RegionDataError(f"data/lexicon/{FILE}: {where}: {problem}")


def _words(data: dict, key: str) -> list[str]:
    words = data.get(key)
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
        _fail(key, "must be a list of non-empty strings")
    return words


def _region(where: str, entry: str) -> Region:
    """A province or prefecture: a line of code, full name, level, type,
    parent (- for a province) and short forms (330400 嘉兴市 prefecture city 330000 嘉兴)."""
    words = entry.split()
    if len(words) < 5:
        _fail(where, f"must be a line of code, name, level, type, parent and short forms, not {entry!r}")
    code, name, level, kind, parent, *short = words
    parent = None if parent == "-" else parent
    where += f" ({name})"
    if not _CODE.fullmatch(code):
        _fail(where, f"the code must be six digits, not {code!r}")
    if len(name) < 2:
        _fail(where, f"the name must be the full name, not {name!r}")
    if level not in ("province", "prefecture"):
        _fail(where, f"the level must be one of province, prefecture, not {level!r}")
    if kind not in TYPES_BY_LEVEL[level]:
        _fail(where, f"the type must be one of {', '.join(TYPES_BY_LEVEL[level])}, not {kind!r}")
    if not all(len(s) >= 2 for s in short):
        _fail(where, f"short forms must have two characters or more, not {' '.join(short)!r}")
    if level == "prefecture":
        if not isinstance(parent, str) or not _CODE.fullmatch(parent) or not parent.endswith("0000") \
                or parent[:2] != code[:2]:
            _fail(where, f"the parent must be the code of its province ({code[:2]}0000), not {parent!r}")
        if code.endswith("0000") or not code.endswith("00"):
            _fail(where, f"the code {code} is not a prefecture-level code (NNNN00)")
    else:
        if parent is not None:
            _fail(where, f"a province has no parent (-), not {parent!r}")
        if not code.endswith("0000"):
            _fail(where, f"the code {code} is not a province-level code (NN0000)")
    return Region(code, name, level, kind, parent, tuple(short))


def _county(where: str, entry: str) -> Region:
    """A county: a line of code, full name, type and parent (330521 德清县 county 330500)."""
    words = entry.split()
    if len(words) != 4:
        _fail(where, f"must be a line of code, name, type and parent, not {entry!r}")
    code, name, kind, parent = words
    where += f" ({name})"
    if not _CODE.fullmatch(code) or code.endswith("00"):
        _fail(where, f"the code must be a county-level code of six digits, not {code!r}")
    if len(name) < 2:
        _fail(where, f"the name must be the full name, not {name!r}")
    if kind not in TYPES_BY_LEVEL["county"]:
        _fail(where, f"the type must be one of {', '.join(TYPES_BY_LEVEL['county'])}, not {kind!r}")
    if parent not in (code[:4] + "00", code[:2] + "0000"):
        _fail(where, f"the parent must be the code of its prefecture ({code[:4]}00) or, when the province "
                     f"governs it directly, of its province ({code[:2]}0000), not {parent!r}")
    return Region(code, name, "county", kind, parent)


@cache
def _table() -> _Table:
    try:
        data = lexicon.load_yaml(FILE)
    except Exception as error:  # a YAML syntax error names the line
        raise RegionDataError(f"data/lexicon/{FILE}: cannot be read: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("regions"), str):
        _fail("regions", "must be a block of text, a province or prefecture a line")
    if not isinstance(data.get("counties", ""), str):
        _fail("counties", "must be a block of text, a county-level division a line")
    by_code: dict[str, Region] = {}
    by_form: dict[str, tuple[Region, bool]] = {}
    counties: dict[str, tuple[Region, ...]] = {}
    entries = [(f"regions, line {i}", e, _region)
               for i, e in enumerate(data["regions"].splitlines(), start=1) if e.strip()]
    entries += [(f"counties, line {i}", e, _county)
                for i, e in enumerate(data.get("counties", "").splitlines(), start=1) if e.strip()]
    for where, entry, read in entries:
        region = read(where, entry)
        where += f" ({region.name})"
        if region.code in by_code:
            _fail(where, f"code {region.code} is also {by_code[region.code].name}")
        by_code[region.code] = region
        if region.level == "county":  # a name several cities' districts share (鼓楼区) is kept for each
            prefecture = region.code[:4] + "00"  # the regions, read first, hold every prefecture
            if region.parent != prefecture and prefecture in by_code:
                _fail(where, f"the parent must be its prefecture ({prefecture}), not {region.parent}")
            same = counties.setdefault(region.name, ())
            if any(other.parent == region.parent for other in same):
                _fail(where, f"name {region.name} is also another county of {region.parent}")
            counties[region.name] = (*same, region)
            continue
        for form, full in ((region.name, True), *((s, False) for s in region.short)):
            if form in by_form:
                _fail(where, f"name or short form {form} is also {by_form[form][0].name}")
            by_form[form] = (region, full)
    for region in by_code.values():
        if region.parent and region.parent not in by_code:
            _fail(f"regions ({region.name})", f"key 'parent' {region.parent} is not in the table")
    for name, same in counties.items():
        if name in by_form:
            _fail(f"counties ({name})", f"name {name} is also {by_form[name][0].name}")
    organ = _words(data, "organ_words")
    followers = _words(data, "short_followers")
    try:
        context = re.compile("(?:" + "|".join([lexicon.alternation(organ), *followers]) + ")")
    except re.error as error:
        _fail("short_followers", f"not a regular expression: {error}")
    # 3,500 names as one regex would take longer to compile than the rest of
    # the table to read: they are looked up in dicts, by first character
    lengths: dict[str, set[int]] = {}
    for name in (*by_form, *counties):
        lengths.setdefault(name[0], set()).add(len(name))
    return _Table(by_code, by_form, counties, {ch: tuple(sorted(ns, reverse=True)) for ch, ns in lengths.items()},
                  context, re.compile(lexicon.alternation(_words(data, "national_markers"))))


def regions(*levels: str) -> list[Region]:
    """Every division in the table, by code; only those of `levels` when given."""
    return sorted((r for r in _table().by_code.values() if not levels or r.level in levels), key=lambda r: r.code)


def get(code: str) -> Region | None:
    return _table().by_code.get(code)


def _within(region: Region, ancestor: Region) -> bool:
    """The region lies in `ancestor` (嘉兴市 in 浙江省, 德清县 in 湖州市 and in 浙江省)."""
    parent = region.parent
    while parent:
        if parent == ancestor.code:
            return True
        parent = _table().by_code[parent].parent
    return False


def _names(text: str):
    """The names in the text (full names, short forms, county names): from
    left to right, at each place the longest."""
    table = _table()
    at = 0
    while at < len(text):
        for n in table.name_lengths.get(text[at], ()):
            form = text[at:at + n]
            if len(form) == n and (form in table.by_form or form in table.counties):
                yield form, at, at + n
                at += n
                break
        else:
            at += 1


def _matches(text: str) -> list[tuple[Region, int, int, bool]]:
    """(region, start, end, in context) for each name in the text: a
    province's or prefecture's full name anywhere, its short form only where
    an organ word, a year or a congress follows (江苏人民政府, 嘉兴2024年,
    江苏第十四届). A county goes by its full name only, and only where an organ
    word, a year or a congress follows (昆山市人民政府, 德清县第十八届) or right
    after its prefecture or province (苏州市吴江区, 浙江省德清县); a name several
    counties share (鼓楼区) only right after a prefecture or province that holds
    just one of them (福州市鼓楼区). A bare county name (范县, 海城市 in 沿海城市)
    is too often a piece of another word to count."""
    table = _table()
    found = []
    before = None  # (region, end) of the province or prefecture name just read, counted or not
    for form, start, end in _names(text):
        if form.endswith("市") and text.startswith("场", end):
            before = None
            continue  # 上海市场, 吉林市场, 海城市场: a market, not a city
        in_context = table.context.match(text, end) is not None
        if form in table.by_form:
            region, full = table.by_form[form]
            before = (region, end)
            if full or in_context:
                found.append((region, start, end, in_context))
            continue
        candidates = table.counties[form]
        if before and before[1] == start:
            candidates = tuple(c for c in candidates if _within(c, before[0]))
        elif not in_context:
            candidates = ()
        before = None
        if len(candidates) == 1:
            found.append((candidates[0], start, end, in_context))
    # 浙江省嘉兴市, 湖州市德清县: a name written just before a division within it is that division's address
    return [f for i, f in enumerate(found)
            if not (i + 1 < len(found) and found[i + 1][1] == f[2] and _within(found[i + 1][0], f[0]))]


def find_region(*texts: str | None) -> tuple[str, str] | None:
    """(full official name, GB/T 2260 code) of the region a document is from,
    or None for a national document or one that names no region.

    `texts` are given best first: title, issuer, speaker line (浙江省省长 王浩),
    occasion line (在江苏省第十四届人民代表大会第五次会议上), opening text (我代表
    江苏省人民政府向大会报告工作). The first text that decides wins. In a text,
    a name followed by an organ word (人民政府, 省长, 第十四届…) wins over a
    national marker (全国人民代表大会, 国务院总理), which wins over a name
    elsewhere in the text; among equals, the first. Full names match with
    the longest form (吉林市人民政府 is 吉林市, 吉林省人民政府 is 吉林省, 昆山市
    the county-level city); short forms (浙江, 嘉兴) only before an organ
    word, a year or a congress. A county written after its prefecture is the
    county (湖州市德清县 → 德清县); a county's name counts only before an organ
    word, a year or a congress or right after its prefecture or province,
    and a name several cities' districts share (鼓楼区) only right after its
    city (福州市鼓楼区) — alone it names nothing, so 南京市人民政府…鼓楼区 is
    南京市 and 鼓楼区人民政府 is None. See `_matches`.
    """
    for text in texts:
        if not text:
            continue
        text = fold(text)
        found = _matches(text)
        ranked = [f for f in found if f[3]]
        if not ranked and _table().national.search(text):
            return None
        ranked = ranked or found
        if ranked:
            region = ranked[0][0]
            return region.name, region.code
    return None
