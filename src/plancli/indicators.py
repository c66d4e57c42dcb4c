"""Canonical indicators (data/lexicon/indicators.yaml): the id a target's
indicator text stands for, and what kind of figure it is."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from . import lexicon
from .normalize import fold

_SQUASH = re.compile(r"[\s“”\"'‘’（）()《》]")


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str


@cache
def _table() -> tuple[dict[str, Indicator], list[tuple[str, str, str | None, str | None]]]:
    """Indicators by id, and (alias, id, measure, direction) longest alias first."""
    by_id, aliases = {}, []
    for entry in lexicon.load().indicators:
        by_id[entry.id] = Indicator(entry.id, entry.zh, entry.en)
        for alias in entry.aliases:
            aliases.append((_squash(alias.alias), entry.id, alias.measure, alias.direction))
    aliases.sort(key=lambda a: -len(a[0]))
    return by_id, aliases


def _squash(text: str) -> str:
    return _SQUASH.sub("", text or "").translate({0xFF27: ord("G"), 0xFF24: ord("D"), 0xFF30: ord("P")})


def get(indicator_id: str) -> Indicator | None:
    return _table()[0].get(indicator_id)


@lru_cache(maxsize=8192)  # a report names the same indicators again and again
def canonical(indicator: str | None) -> tuple[str | None, str | None, str | None]:
    """(indicator id, the value type and the direction the alias names) for
    an indicator text that ends with a known alias, else Nones."""
    text = _squash(fold(indicator or ""))
    if text:
        for alias, indicator_id, measure, direction in _aliases_ending_with().get(text[-1], ()):
            if text.endswith(alias):
                return indicator_id, measure, direction
    return None, None, None


@cache
def _aliases_ending_with() -> dict[str, tuple[tuple[str, str, str | None, str | None], ...]]:
    """The aliases by their last character, longest first: a text is tried
    only against the aliases it can end with (…总值 against 生产总值, 总值)."""
    by_last: dict[str, list] = {}
    for entry in _table()[1]:
        if entry[0]:
            by_last.setdefault(entry[0][-1], []).append(entry)
    return {ch: tuple(entries) for ch, entries in by_last.items()}


def value_type(action: str | None, direction: str | None, base_unit: str, alias_measure: str | None) -> str:
    """growth (增长6%), change (新增500家, 提高5个百分点) or level (达到90%, 126万亿元)."""
    if alias_measure:
        return alias_measure
    lex = lexicon.load()
    if direction and action not in lex.change_end_verbs:
        # a move in percent is a growth rate; in percentage points or in
        # anything else, an increment
        return "growth" if base_unit in lex.percent_bases - lex.point_bases else "change"
    return "level"
