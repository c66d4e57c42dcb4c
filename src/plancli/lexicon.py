"""Language knowledge, loaded once from data/lexicon/ (YAML and txt).

Code elsewhere asks this module for word lists and compiled patterns; no
Chinese word list lives in the code. Adding a unit or a verb is a data
change."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """data/ as shipped in the wheel (plancli/_data) or in a source checkout."""
    for candidate in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent.parent / "data"):
        if (candidate / "lexicon").is_dir():
            return candidate
    raise FileNotFoundError("plancli data/lexicon not found: reinstall plancli")


# libyaml's loader when PyYAML was built with it: several times faster at start-up
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(name: str) -> dict:
    with open(data_dir() / "lexicon" / name, encoding="utf-8") as f:
        return yaml.load(f, Loader=_YAML_LOADER)


def alternation(words) -> str:
    """A regex alternation that tries longer words first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Unit:
    name: str
    base: str
    factor: float
    category: str  # percent, money, physical, counter, duration, doubling
    exponent_of: float | None = None  # 翻两番: base value = 2 ** 2


@dataclass(frozen=True)
class HeadingStyle:
    name: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    magnitudes: dict[str, float]
    units: dict[str, Unit]
    percent_prefixes: dict[str, str]
    comparators_before: dict[str, str]
    comparators_after: dict[str, str]
    comparators_between: dict[str, str]
    range_joiners: tuple[str, ...]
    actions: dict[str, str | None]
    leading_verbs: frozenset[str]
    object_verbs: frozenset[str]
    modality: tuple[str, ...]
    strip_leading: tuple[str, ...]
    conjunctions: tuple[str, ...]
    respectively: tuple[str, ...]
    max_shared_modifier: int
    list_marks: tuple[str, ...]
    strip_leading_year: bool
    review_sections: tuple[str, ...]
    plan_sections: tuple[str, ...]
    actual_cues: tuple[str, ...]
    target_cues: tuple[str, ...]
    review_paragraph_leads: tuple[str, ...]
    ordinal_prefixes: tuple[str, ...]
    quote_pairs: tuple[tuple[str, str], ...]
    max_quote_length: int
    set_phrases: tuple[str, ...]
    qualifier_joiners: tuple[str, ...]
    keep_after_de: tuple[str, ...]
    structure_nouns: tuple[str, ...]
    project_nouns: tuple[str, ...]
    max_enumeration_numeral: int
    lone_numerals: tuple[str, ...]
    free_followers: tuple[str, ...]
    noun_after_strip: tuple[str, ...]
    strip_trailing: tuple[str, ...]
    comparison_markers: tuple[str, ...]
    baseline_prefixes: tuple[str, ...]
    base_year_prefixes: tuple[str, ...]
    heading_styles: tuple[HeadingStyle, ...]
    plain_heading: re.Pattern
    plain_part_heading: re.Pattern
    enumeration_item: re.Pattern
    max_heading_chars: int
    max_heading_depth: int
    max_inline_title_chars: int
    inline_title_end: str
    document: dict
    parts: dict
    jieba_user_dict: Path
    jieba_dict: Path

    verbs: frozenset[str]               # actions and leading verbs together
    change_end_verbs: tuple[str, ...]   # 降至, 提高到: verbs that name where a change ends
    percent_bases: frozenset[str]       # %, ‰, 百分点: base units of rates
    point_bases: frozenset[str]         # 百分点: rates that move by increments


@cache
def load() -> Lexicon:
    units_y = load_yaml("units.yaml")
    units: dict[str, Unit] = {}
    for name, spec in units_y["percent"].items():
        units[name] = Unit(name, spec.get("base", name), float(spec.get("factor", 1)), "percent")
    for section, category in (("money", "money"), ("physical", "physical"),
                              ("counters", "counter"), ("durations", "duration")):
        for name in units_y[section]:
            units[name] = Unit(name, name, 1.0, category)
    for name, spec in units_y["doublings"].items():
        units[name] = Unit(name, spec["base"], 1.0, "doubling", float(spec["exponent_of"]))
    comparators = load_yaml("comparators.yaml")
    verbs = load_yaml("verbs.yaml")
    modality = load_yaml("modality.yaml")
    kinds = load_yaml("kinds.yaml")
    rejections = load_yaml("rejections.yaml")
    headings = load_yaml("headings.yaml")
    return Lexicon(
        magnitudes={k: float(v) for k, v in units_y["magnitudes"].items()},
        units=units,
        percent_prefixes=dict(units_y["percent_prefix"]),
        comparators_before=dict(comparators["before"]),
        comparators_after=dict(comparators["after"]),
        comparators_between=dict(comparators["between"]),
        range_joiners=tuple(comparators["range_joiners"]),
        actions=dict(verbs["actions"]),
        leading_verbs=frozenset(verbs["leading"]),
        verbs=frozenset(verbs["actions"]) | frozenset(verbs["leading"]),
        percent_bases=frozenset(u.base for u in units.values() if u.category == "percent"),
        point_bases=frozenset(spec["base"] for spec in units_y["percent"].values() if spec.get("points")),
        change_end_verbs=tuple(v for v in verbs["actions"] if v.endswith(tuple(verbs["change_end_suffixes"]))),
        object_verbs=frozenset(verbs["object_verbs"]),
        modality=tuple(modality["modality"]),
        strip_leading=tuple(modality["strip_leading"]),
        conjunctions=tuple(modality["conjunctions"]),
        respectively=tuple(modality["respectively"]),
        max_shared_modifier=int(modality["max_shared_modifier"]),
        list_marks=tuple(modality["list_marks"]),
        strip_leading_year=bool(modality["strip_leading_year"]),
        review_sections=tuple(kinds["review_sections"]),
        plan_sections=tuple(kinds["plan_sections"]),
        actual_cues=tuple(kinds["actual_cues"]),
        target_cues=tuple(kinds["target_cues"]),
        review_paragraph_leads=tuple(kinds["review_paragraph_leads"]),
        ordinal_prefixes=tuple(rejections["ordinal_prefixes"]),
        quote_pairs=tuple(tuple(p) for p in rejections["quote_pairs"]),
        max_quote_length=int(rejections["max_quote_length"]),
        set_phrases=tuple(rejections["set_phrases"]),
        qualifier_joiners=tuple(rejections["qualifier_joiners"]),
        keep_after_de=tuple(rejections["keep_after_de"]),
        structure_nouns=tuple(rejections["structure_nouns"]),
        project_nouns=tuple(rejections["project_nouns"]),
        max_enumeration_numeral=int(rejections["max_enumeration_numeral"]),
        lone_numerals=tuple(rejections["lone_numerals"]),
        free_followers=tuple(rejections["free_followers"]),
        noun_after_strip=tuple(rejections["noun_after_strip"]),
        strip_trailing=tuple(modality["strip_trailing"]),
        comparison_markers=tuple(modality["comparison_markers"]),
        baseline_prefixes=tuple(kinds["baseline_prefixes"]),
        base_year_prefixes=tuple(kinds["base_year_prefixes"]),
        heading_styles=tuple(HeadingStyle(s["name"], re.compile(s["pattern"])) for s in headings["styles"]),
        plain_heading=re.compile(headings["plain_heading"]),
        plain_part_heading=re.compile(headings["plain_part_heading"]),
        enumeration_item=re.compile(headings["enumeration_item"], re.MULTILINE),
        max_heading_chars=int(headings["max_heading_chars"]),
        max_heading_depth=int(headings["max_heading_depth"]),
        max_inline_title_chars=int(headings["max_inline_title_chars"]),
        inline_title_end=headings["inline_title_end"],
        document=load_yaml("document.yaml"),
        parts=load_yaml("parts.yaml"),
        jieba_user_dict=data_dir() / "lexicon" / "jieba_user_dict.txt",
        jieba_dict=data_dir() / "lexicon" / "jieba_compact_dict.txt",
    )
