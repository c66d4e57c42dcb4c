"""Where a document is from: China's province- and prefecture-level divisions
(data/lexicon/regions.yaml, GB/T 2260 codes) and `find_region`, which reads
the region off a document's title, issuer, speaker, occasion and opening lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import lexicon
from .normalize import fold

FILE = "regions.yaml"
LEVELS = ("province", "prefecture")
TYPES = ("province", "autonomous_region", "municipality", "sar",
         "city", "prefecture", "autonomous_prefecture", "league")
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
    forms: re.Pattern          # every full name and short form, longest first
    context: re.Pattern        # what may follow a name that names the document's own region
    national: re.Pattern


def _fail(where: str, problem: str):
    raise RegionDataError(f"data/lexicon/{FILE}: {where}: {problem}")


def _words(data: dict, key: str) -> list[str]:
    words = data.get(key)
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
        _fail(key, "must be a list of non-empty strings")
    return words


def _region(i: int, entry) -> Region:
    where = f"regions[{i}]"
    if not isinstance(entry, dict):
        _fail(where, "must be a mapping with code, name, level, type and short")
    where += f" ({entry.get('name', '?')})"
    for key in ("code", "name", "level", "type", "short"):
        if key not in entry:
            _fail(where, f"key '{key}' is missing")
    code, name = entry["code"], entry["name"]
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        _fail(where, f"key 'code' must be six digits in quotes, not {code!r}")
    if not isinstance(name, str) or len(name) < 2:
        _fail(where, f"key 'name' must be the full name, not {name!r}")
    if entry["level"] not in LEVELS:
        _fail(where, f"key 'level' must be one of {', '.join(LEVELS)}, not {entry['level']!r}")
    if entry["type"] not in TYPES:
        _fail(where, f"key 'type' must be one of {', '.join(TYPES)}, not {entry['type']!r}")
    short = entry["short"]
    if not isinstance(short, list) or not all(isinstance(s, str) and len(s) >= 2 for s in short):
        _fail(where, f"key 'short' must be a list of names of two characters or more, not {short!r}")
    parent = entry.get("parent")
    if entry["level"] == "prefecture":
        if not isinstance(parent, str) or not _CODE.fullmatch(parent) or not parent.endswith("0000") \
                or parent[:2] != code[:2]:
            _fail(where, f"key 'parent' must be the code of its province ({code[:2]}0000), not {parent!r}")
        if code.endswith("0000") or not code.endswith("00"):
            _fail(where, f"key 'code' {code} is not a prefecture-level code (NNNN00)")
    else:
        if parent is not None:
            _fail(where, "key 'parent' is only for prefectures")
        if not code.endswith("0000"):
            _fail(where, f"key 'code' {code} is not a province-level code (NN0000)")
    return Region(code, name, entry["level"], entry["type"], parent, tuple(short))


@cache
def _table() -> _Table:
    try:
        data = lexicon.load_yaml(FILE)
    except Exception as error:  # a YAML syntax error names the line
        raise RegionDataError(f"data/lexicon/{FILE}: cannot be read: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list):
        _fail("regions", "must be a list of divisions")
    by_code: dict[str, Region] = {}
    by_form: dict[str, tuple[Region, bool]] = {}
    for i, entry in enumerate(data["regions"]):
        region = _region(i, entry)
        if region.code in by_code:
            _fail(f"regions[{i}] ({region.name})", f"code {region.code} is also {by_code[region.code].name}")
        by_code[region.code] = region
        for form, full in ((region.name, True), *((s, False) for s in region.short)):
            if form in by_form:
                _fail(f"regions[{i}] ({region.name})", f"name or short form {form} is also {by_form[form][0].name}")
            by_form[form] = (region, full)
    for region in by_code.values():
        if region.parent and region.parent not in by_code:
            _fail(f"regions ({region.name})", f"key 'parent' {region.parent} is not in the table")
    organ = _words(data, "organ_words")
    followers = _words(data, "short_followers")
    try:
        context = re.compile("(?:" + "|".join([lexicon.alternation(organ), *followers]) + ")")
    except re.error as error:
        _fail("short_followers", f"not a regular expression: {error}")
    return _Table(by_code, by_form, re.compile(lexicon.alternation(by_form)), context,
                  re.compile(lexicon.alternation(_words(data, "national_markers"))))


def regions() -> list[Region]:
    """Every division in the table, by code."""
    return sorted(_table().by_code.values(), key=lambda r: r.code)


def get(code: str) -> Region | None:
    return _table().by_code.get(code)


def _matches(text: str) -> list[tuple[Region, int, int, bool]]:
    """(region, start, end, in context) for each name in the text: a full
    name anywhere, a short form only where an organ word, a year or a
    congress follows (江苏人民政府, 嘉兴2024年, 江苏第十四届)."""
    table = _table()
    found = []
    for m in table.forms.finditer(text):
        region, full = table.by_form[m.group()]
        if full and region.name.endswith("市") and text.startswith("场", m.end()):
            continue  # 上海市场, 吉林市场: a market, not a city
        in_context = table.context.match(text, m.end()) is not None
        if full or in_context:
            found.append((region, m.start(), m.end(), in_context))
    # 浙江省嘉兴市: a province written just before one of its prefectures is the prefecture's address
    return [f for i, f in enumerate(found)
            if not (i + 1 < len(found) and found[i + 1][1] == f[2] and found[i + 1][0].parent == f[0].code)]


def find_region(*texts: str | None) -> tuple[str, str] | None:
    """(full official name, GB/T 2260 code) of the region a document is from,
    or None for a national document or one that names no region.

    `texts` are given best first: title, issuer, speaker line (浙江省省长 王浩),
    occasion line (在江苏省第十四届人民代表大会第五次会议上), opening text (我代表
    江苏省人民政府向大会报告工作). The first text that decides wins. In a text,
    a name followed by an organ word (人民政府, 省长, 第十四届…) wins over a
    national marker (全国人民代表大会, 国务院总理), which wins over a name
    elsewhere in the text; among equals, the first. Full names match with
    the longest form (吉林市人民政府 is 吉林市, 吉林省人民政府 is 吉林省); short
    forms (浙江, 嘉兴) only before an organ word, a year or a congress.
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
