"""Quantities: a number, its magnitude and unit, and the comparator words
around it, each with offsets. Also says which numbers are not quantities a
target can be (names, ordinals, qualifiers) and why.

Matching runs on the cleaned text; offsets here are offsets into it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from . import lexicon
from .normalize import Source
from .segment import starts_with_word
from .sentences import line_spans
from .numbers import parse_arabic, parse_chinese, split_magnitude


MAX_DIGITS = 15           # more integer digits than any amount in a plan
MAX_CHINESE_NUMERAL = 24  # 一千二百三十四万五千六百七十八 is 15


@dataclass(slots=True)  # one per number in the text: slots hold it in half the memory
class Quantity:
    start: int           # the mention: number (or range) with its unit
    end: int
    value: float
    unit: str            # as written, with its magnitude word: 万千瓦
    base_value: float
    base_unit: str
    comparator: str
    value_max: float | None = None
    base_value_max: float | None = None
    outer_start: int = 0  # with the comparator word before it
    outer_end: int = 0    # with the comparator word after it
    chinese: bool = False
    pre_noun: bool = False  # directly followed by the noun it counts
    row_indicator: tuple[int, int] | None = None  # in a table row: the indicator cell
    row_earlier: bool = False  # in a table row with several figures, one before the last


@dataclass(slots=True)
class Rejection:
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class _Patterns:
    number: re.Pattern
    unit_after: re.Pattern      # [多余]? magnitude? [多余]? unit, anchored
    joiner: re.Pattern          # a range joiner, anchored
    before: re.Pattern          # a comparator word ending at a position
    after: re.Pattern           # a comparator word starting at a position
    bare_magnitude: re.Pattern  # [多余]? magnitude, anchored, for 1000万以上
    clause_ends: frozenset[str]  # marks that end what a quantity says, and the text's end ("")
    quantity_end: str           # the same marks
    cell_number: re.Pattern     # a table cell's number or range: 6-6.5
    numeral_chars: str          # the characters of Chinese numerals
    count_before: re.Pattern    # a count ending at a position: 12个 (of 12个百亿元项目)
    number_start: re.Pattern    # a character a number can start with
    multipliers: str            # 十百千万亿


@cache
def _patterns() -> _Patterns:
    lex = lexicon.load()
    units = lexicon.alternation(lex.units)
    magnitudes = lexicon.alternation(lex.magnitudes)
    between = lexicon.alternation(lex.comparators_between)
    prefixes = lexicon.alternation(lex.percent_prefixes)
    chinese = re.escape(lex.numerals.chars)
    multiplier = re.escape(_multipliers(lex))
    # 2千零30万, 3万4000, 25万6千: Arabic groups between multipliers
    mixed = rf"\d+(?:[{multiplier}]+零?\d+)+[{multiplier}]*"
    return _Patterns(
        number=re.compile(
            rf"(?P<prefix>{prefixes})?"
            rf"(?P<num>{mixed}|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{chinese}]+)"),
        # 1000多万人 and 1万多人: 多 or 余 before or after the magnitude word
        unit_after=re.compile(rf"\s?(?P<between>{between})?(?P<magnitude>{magnitudes})?"
                              rf"(?P<between_after>{between})?(?P<unit>{units})"),
        joiner=re.compile(lexicon.alternation(lex.range_joiners)),
        before=re.compile(rf"(?:{lexicon.alternation(lex.comparators_before)})$"),
        after=re.compile(lexicon.alternation(lex.comparators_after)),
        bare_magnitude=re.compile(rf"(?P<between>{between})?(?P<magnitude>{magnitudes})"),
        clause_ends=frozenset(("", *lex.punctuation.quantity_end)),
        quantity_end=lex.punctuation.quantity_end,
        cell_number=re.compile(r"\s*(?P<num>\d+(?:\.\d+)?)"
                               rf"(?:\s*(?P<join>{lexicon.alternation(lex.range_joiners)})\s*(?P<max>\d+(?:\.\d+)?))?\s*"),
        numeral_chars=lex.numerals.chars,
        multipliers=_multipliers(lex),
        count_before=re.compile(rf"(?:\d+|[{chinese}]+)(?:{lexicon.alternation(_counters(lex))})$"),
        number_start=re.compile(rf"[\d{chinese}{re.escape(''.join(p[0] for p in lex.percent_prefixes))}]"),
    )


@cache
def _joiners_longest_first(joiners: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(joiners, key=len, reverse=True))


def _qualifier_joiner(text: str, at: int, lex) -> str | None:
    """The qualifier joiner (的, 级, 以上的, …) that text has at `at`, longest first."""
    return next((j for j in _joiners_longest_first(lex.qualifier_joiners) if text.startswith(j, at)), None)


def past_qualifier(norm: str, at: int) -> int:
    """Where the noun starts after a count: past an amount that classes it
    (5个|10万吨级|泊位, 10所|海拔1500米以上|学校)."""
    pats, lex = _patterns(), lexicon.load()
    m = pats.number.match(norm, at)
    if not m or m.group("prefix"):
        return at
    um = pats.unit_after.match(norm, m.end())
    if not um:
        return at
    end = um.end()
    am = pats.after.match(norm, end)
    end = am.end() if am else end
    return end + len(_qualifier_joiner(norm, end, lex) or "")


def _counters(lex) -> list[str]:
    return [name for name, unit in lex.units.items() if unit.category == "counter"]


def _multipliers(lex) -> str:
    return "".join(lex.numerals.small_units) + "".join(lex.numerals.big_units)


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    value: float
    chinese: bool
    percent_prefix: str | None
    cut: bool = False  # a shorter reading of a longer numeral: 六十万|千瓦


def _read_number(src: Source | None, m: re.Match) -> list[_Number]:
    """The candidate readings of a numeral match, longest first. A Chinese
    run may end in characters that start a unit (六十万千瓦: 千瓦), so each
    shorter prefix that is a valid numeral is a candidate too. A mixed
    numeral (2千零30万) is read as a Chinese one, never cut inside a group
    of Arabic digits."""
    raw = m.group("num")
    start = m.start("num")
    prefix = m.group("prefix")
    if not any(ch in _patterns().numeral_chars for ch in raw):
        if "," in raw and src is not None and "，" in src.slice(start, start + len(raw)):
            # a full-width comma in the original separates clauses, not thousands
            raw = raw.split(",")[0]
        if sum(ch.isdigit() for ch in raw.split(".")[0]) > MAX_DIGITS:
            return []  # an identifier or a run of digits, not an amount
        return [_Number(start, start + len(raw), parse_arabic(raw), False, prefix)]
    if len(raw) > MAX_CHINESE_NUMERAL:
        return []  # no amount is written with this many numeral characters
    out = []
    for cut in range(len(raw), 0, -1):
        if cut < len(raw) and raw[cut - 1].isdecimal() and raw[cut].isdecimal():
            continue
        value = parse_chinese(raw[:cut])
        if value is not None:
            out.append(_Number(start, start + cut, value, True, prefix, cut < len(raw)))
    return out


def _quantity_can_follow(norm: str, pos: int, pats) -> bool:
    """Whether a unit, a magnitude word or a range joiner stands at pos:
    without one, a number before it is no quantity."""
    return bool(pats.unit_after.match(norm, pos) or pats.bare_magnitude.match(norm, pos) or pats.joiner.match(norm, pos))


def _next_number(norm: str, pos: int, pats) -> re.Match | None:
    """pats.number.search(norm, pos), three times faster: a number starts
    with a digit, a numeral character or 百分之's 百, so only there is the
    whole pattern tried."""
    while True:
        at = pats.number_start.search(norm, pos)
        if at is None:
            return None
        m = pats.number.match(norm, at.start())
        if m is not None:
            return m
        pos = at.start() + 1


def scan(src: Source) -> tuple[list[Quantity], list[Rejection]]:
    """Every quantity in the text, in order, and the numbers rejected."""
    norm = src.clean
    lex = lexicon.load()
    pats = _patterns()
    quantities: list[Quantity] = []
    rejected: list[Rejection] = []
    pos = 0
    while True:
        m = _next_number(norm, pos, pats)
        if not m:
            break
        pos = m.end()
        if m.end() - m.start() == 1 and m.group() in pats.numeral_chars and m.group() not in lex.magnitudes \
                and not _quantity_can_follow(norm, pos, pats):
            continue  # 统一, 进一步: a lone numeral character with no unit, range or magnitude after it
        readings = _read_number(src, m)
        if not readings:
            continue
        if not readings[0].chinese:
            pos = readings[0].end  # 1，200: the full-width comma ended the number
        q = _best_quantity(norm, readings, lex, pats)
        if q is None:
            n = readings[0]
            if not n.chinese or n.end - n.start > 1:  # a lone 一 in 统一 is no number
                rejected.append(Rejection(n.start, n.end, "no_unit"))
            continue
        pos = max(pos, q.end)
        reason = _rejection(norm, q, lex)
        if reason:
            rejected.append(Rejection(q.start, q.end, reason))
        else:
            # 加快16家省级服务业创新发展区建设: the noun it counts follows
            # (5个|10万吨级|泊位: past an amount that classes it)
            noun_at = past_qualifier(norm, q.outer_end)
            q.pre_noun = _before_noun(_follower(norm, q), lex) or (  # q is this loop's own, new
                noun_at > q.outer_end and _before_noun(norm[noun_at:noun_at + 8], lex))
            quantities.append(q)
    quantities += _table_rows(norm, lex, pats, {(q.start, q.end) for q in quantities})
    quantities.sort(key=lambda q: q.start)
    return quantities, rejected


_UNIT_IN_PARENS = re.compile(r"[（(](?P<unit>[^（()）]{1,8})[）)]\s*$")


def _table_rows(norm: str, lex, pats, taken: set) -> list[Quantity]:
    """Targets in table rows (主要目标 tables, cells separated by tabs):
    地区生产总值增长<tab>%<tab>6左右, or 地区生产总值（亿元）<tab>5000<tab>5500.
    The unit comes from its own cell or from parentheses after the
    indicator; with several figures in a row, the last is the target."""
    out: list[Quantity] = []
    for line_start, line_end in line_spans(norm):
        if norm.find("\t", line_start, line_end) < 0:
            continue
        line = norm[line_start:line_end]
        cells, at = [], line_start
        for cell in line.split("\t"):
            cells.append((at, cell))
            at += len(cell) + 1
        unit_name, indicator = None, None
        for start, cell in cells:
            text = cell.strip()
            if _unit_factor(text, lex):
                unit_name = unit_name or text
            elif indicator is None and re.search(r"[\u4e00-\u9fff]", text) and not pats.cell_number.match(text):
                m = _UNIT_IN_PARENS.search(cell)
                if m and _unit_factor(m.group("unit"), lex):
                    unit_name = unit_name or m.group("unit")
                    indicator = (start, start + m.start())
                else:
                    indicator = (start, start + len(cell.rstrip()))
        if not unit_name or indicator is None:
            continue
        factor, base = _unit_factor(unit_name, lex)
        figures = []
        for start, cell in cells:
            m = pats.cell_number.match(cell)
            if not m or start == indicator[0]:
                continue
            rest = cell[m.end():].strip()
            comparator = lex.comparators_after.get(rest) if rest else "="
            if comparator is None:
                continue
            before = cell[:m.start("num")].strip()
            if before:
                comparator = lex.comparators_before.get(before)
                if comparator is None:
                    continue
            figures.append((start, m, comparator))
        for k, (start, m, comparator) in enumerate(figures):
            a = start + m.start("num")
            b = start + (m.end("max") if m.group("max") else m.end("num"))
            if (a, b) in taken:
                continue
            value = float(m.group("num"))
            q = Quantity(start=a, end=b, value=value, unit=unit_name, base_value=_round(value * factor),
                         base_unit=base, comparator=comparator, outer_start=a, outer_end=b,
                         row_indicator=indicator, row_earlier=k < len(figures) - 1)
            if m.group("max"):
                q.value_max = float(m.group("max"))
                q.base_value_max = _round(q.value_max * factor)
                q.comparator = "range"
            out.append(q)
    return out


def _unit_factor(name: str, lex) -> tuple[float, str] | None:
    """(factor, base unit) of a unit written alone: %, 亿元, 万人."""
    if name in lex.units:
        return lex.units[name].factor, lex.units[name].base
    for magnitude, factor in sorted(lex.magnitudes.items(), key=lambda kv: -len(kv[0])):
        if name.startswith(magnitude) and name[len(magnitude):] in lex.units:
            unit = lex.units[name[len(magnitude):]]
            return factor * unit.factor, unit.base
    return None


def _best_quantity(norm, readings, lex, pats) -> Quantity | None:
    """The reading that takes the longest unit (六十|万千瓦 over 六十万千|瓦)."""
    best, best_len = None, -1
    for n in readings:
        q = _quantity_at(norm, n, lex, pats)
        if q is not None:
            unit_len = q.end - n.end  # for a Chinese numeral, the shortest numeral wins ties
            if unit_len > best_len:
                best, best_len = q, unit_len
    return best


@dataclass(slots=True)
class _Unit:
    end: int
    text: str      # as written, with its magnitude word
    factor: float  # to the base unit
    base: str
    value: float   # the number's value once the magnitude is split off
    between: str | None = None
    exponent_of: float | None = None


def _unit_of(norm: str, n: _Number, lex, pats) -> _Unit | None:
    if n.percent_prefix:
        base = lex.percent_prefixes[n.percent_prefix]
        return _Unit(n.end, base, 1.0, base, n.value)
    value_text = norm[n.start:n.end]
    if n.chinese:
        head, magnitude = split_magnitude(value_text)
        if magnitude:
            # 两千亿元: the magnitude was read into the numeral; put it back
            um = pats.unit_after.match(norm, n.end)
            if not um:
                # 减少一千万以上 as 减少1000万以上
                return _bare_magnitude(norm, n, n.end, magnitude, parse_chinese(head), lex, pats)
            if um.group("magnitude") or um.group("between_after"):
                return None
            unit = lex.units[um.group("unit")]
            return _Unit(um.end(), magnitude + unit.name, lex.magnitudes[magnitude] * unit.factor,
                         unit.base, parse_chinese(head), um.group("between"))  # 一万多人
        if value_text in lex.magnitudes:
            # 万亩, 亿美元: a bare magnitude counts one of it
            um = pats.unit_after.match(norm, n.end)
            if not um or um.group("magnitude") or um.group("between_after"):
                return None
            unit = lex.units[um.group("unit")]
            return _Unit(um.end(), value_text + unit.name, lex.magnitudes[value_text] * unit.factor, unit.base, 1.0,
                         um.group("between"))
    um = pats.unit_after.match(norm, n.end)
    if um and n.cut and um.group("magnitude"):
        # 一千二|百万人: the numeral's own characters are no magnitude word
        # (一千二百|万人 is read from the whole numeral, above)
        return None
    if not um:
        # 1000万以上, 十多万。 (not a cut: 一千二|百万 is the numeral 一千二百万)
        return None if n.cut else _bare_magnitude(norm, n, n.end, None, n.value, lex, pats)
    if um.group("between_after") and (um.group("between") or not um.group("magnitude")):
        return None  # 多万多人, 多多人
    unit = lex.units[um.group("unit")]
    value, magnitude = _scaled(value_text, n, um.group("magnitude") or "")
    if value is None:
        return None
    factor = (lex.magnitudes[magnitude] if magnitude else 1.0) * unit.factor
    return _Unit(um.end(), magnitude + unit.name, factor, unit.base, value,
                 um.group("between") or um.group("between_after"), unit.exponent_of)


def _scaled(value_text: str, n: _Number, magnitude: str) -> tuple[float | None, str]:
    """The value and magnitude word of a number read before 多 or 余 and a
    magnitude word: 十多万 is 10 万, but in 一亿一千多万 the 万 scales 一千 only,
    so the value is 一亿一千万 with no magnitude word (as for 一亿二千万)."""
    if not (magnitude and n.chinese) or split_magnitude(value_text + magnitude)[1] == magnitude:
        return n.value, magnitude
    return parse_chinese(value_text + magnitude), ""


def _bare_magnitude(norm: str, n: _Number, pos: int, magnitude: str | None, value: float, lex, pats) -> _Unit | None:
    """减少1000万以上, 已达2.5亿。, 三百二十万。: a count in 万 or 亿 with no
    unit after it, taken only where the clause or a comparator word follows.
    The magnitude word is read at pos, or was read into a Chinese numeral."""
    between = None
    if magnitude is None:
        m = pats.bare_magnitude.match(norm, pos)
        if not m:
            return None
        pos, magnitude, between = m.end(), m.group("magnitude"), m.group("between")
        value, magnitude = _scaled(norm[n.start:n.end], n, magnitude)  # 1亿3千多万
        if value is None:
            return None
    rest = norm[pos:pos + 3]
    if rest[:1] not in pats.clause_ends and not pats.after.match(norm, pos):
        return None
    return _Unit(pos, magnitude, lex.magnitudes[magnitude] if magnitude else 1.0, "", value, between)


def _quantity_at(norm, n: _Number, lex, pats) -> Quantity | None:
    unit = _unit_of(norm, n, lex, pats)
    range_end = None
    if unit is None:
        # 6—7%: a bare number opening a range takes the unit of its end
        jm = pats.joiner.match(norm, n.end)
        if not jm:
            return None
        second = _number_after(norm, jm.end(), pats)
        if second is None:
            return None
        unit = _unit_of(norm, second, lex, pats)
        if unit is None:
            return None
        range_end, value, value_max = unit.end, n.value, unit.value
        if n.chinese:
            head, magnitude = split_magnitude(norm[n.start:n.end])
            if magnitude:
                # 二百八十万到三百万千瓦: the end's unit has the magnitude word
                if not unit.text.startswith(magnitude):
                    return None
                value = parse_chinese(head)
    else:
        value = unit.value
        jm = pats.joiner.match(norm, unit.end)
        second = _number_after(norm, jm.end(), pats) if jm else None
        if second is not None:
            unit2 = _unit_of(norm, second, lex, pats)
            if unit2 is not None and unit2.text == unit.text:
                range_end, value_max = unit2.end, unit2.value
    base_value = unit.exponent_of ** value if unit.exponent_of else value * unit.factor
    q = Quantity(start=n.start - len(n.percent_prefix or ""), end=range_end or unit.end,
                 value=value, unit=unit.text, base_value=_round(base_value),
                 base_unit=unit.base, comparator="=", chinese=n.chinese)
    if range_end:
        q.value_max, q.base_value_max, q.comparator = value_max, _round(value_max * unit.factor), "range"
    _comparators(norm, q, unit.between, lex, pats)
    return q


def _number_after(norm, pos, pats) -> _Number | None:
    m = pats.number.match(norm, pos)
    if not m or m.group("prefix"):
        return None
    readings = _read_number(None, m)
    return readings[0] if readings else None


def _round(x: float) -> float:
    # 1.39 * 1e12 should read 1390000000000.0, not 1390000000000.0002
    return float(f"{x:.12g}")


def _comparators(norm, q: Quantity, between, lex, pats) -> None:
    q.outer_start, q.outer_end = q.start, q.end
    bm = pats.before.search(norm, max(0, q.start - 4), q.start)
    am = pats.after.match(norm, q.end)
    if q.comparator == "range":
        return
    if bm:
        q.outer_start = bm.start()
        q.comparator = lex.comparators_before[bm.group()]
    if am:
        q.outer_end = am.end()
        q.comparator = lex.comparators_after[am.group()]
    elif between:
        q.comparator = lex.comparators_between[between]


# Why a quantity cannot be a target: an ordered list of named rules. The
# first rule that holds rejects the quantity, and its name is the reason the
# annotated page shows. A new rule goes here, in the place its precedence
# asks for; its words go in data/lexicon/rejections.yaml.

def _follower(norm: str, q: Quantity) -> str:
    return norm[q.outer_end:q.outer_end + 8]


def _is_ordinal(norm: str, q: Quantity, lex) -> bool:
    """第二届, 首批: an ordinal prefix right before the number."""
    return q.outer_start > 0 and norm[q.outer_start - 1] in lex.ordinal_prefixes


def _is_code(norm: str, q: Quantity, lex) -> bool:
    """G60, C919, 8+4: letters, digits or signs glued to the number."""
    if q.outer_start > 0:
        prev = norm[q.outer_start - 1]
        if prev.isascii() and (prev.isalnum() or prev in "+-."):
            return True
    nxt = norm[q.end:q.end + 1]
    return nxt.isascii() and nxt.isalpha()


def _is_quoted_name(norm: str, q: Quantity, lex) -> bool:
    """“上市100”: inside a short quotation."""
    return _in_quotes(norm, q.start, q.end, lex)


def _is_set_phrase(norm: str, q: Quantity, lex) -> bool:
    """万元千斤, 三个70%: a set phrase from the lexicon overlaps the number."""
    window_start = max(0, q.start - 6)
    window = norm[window_start:q.end + 6]
    for phrase in lex.set_phrases:
        i = window.find(phrase)
        while i >= 0:
            if window_start + i < q.end and q.start < window_start + i + len(phrase):
                return True
            i = window.find(phrase, i + 1)
    return False


def _is_magnitude_name(norm: str, q: Quantity, lex) -> bool:
    """（亿元）, 万元GDP: a magnitude alone is a unit's name, unless 超亿元."""
    return q.chinese and norm[q.start] in lex.magnitudes and q.outer_start == q.start


def _is_qualifier(norm: str, q: Quantity, lex) -> bool:
    """超过100万元的村, 10亿元以上“腰部”企业, 超亿美元项目: the number
    describes what is counted; but 实现6%以上的增长 is still a goal."""
    follower = _follower(norm, q)
    joiner = _qualifier_joiner(follower, 0, lex)
    if joiner and not follower[len(joiner):].startswith(lex.keep_after_de):
        return True
    # 12个百亿元、70个30亿元以上项目: an amount right after a count classes what is counted
    unit = lex.units.get(q.base_unit) or lex.units.get(q.unit)
    if unit is not None and unit.category in ("money", "physical") \
            and _patterns().count_before.search(norm, max(0, q.outer_start - 8), q.outer_start):
        return True
    # a bound on an amount is a threshold (10亿元以上“腰部”企业); on a count it is the
    # goal (培育150家以上华为云生态企业), and so is an approximation (100家左右领军企业)
    counted = unit is not None and unit.category == "counter"
    return _before_noun(follower, lex) and (q.outer_start < q.start or q.outer_end > q.end) \
        and q.comparator != "~" and not counted


def _is_structure_count(norm: str, q: Quantity, lex) -> bool:
    """提出6项指标, 从6个维度设置了29项主要指标, 预期性指标19项: the plan's
    own parts counted (用地指标6000亩 is land, not a count)."""
    if getattr(lex.units.get(q.base_unit), "category", None) != "counter":
        return False
    follower = _follower(norm, q)
    ends = _patterns().quantity_end
    noun = follower[:next((i for i, ch in enumerate(follower) if ch in ends), len(follower))]
    return any(w in noun for w in lex.structure_nouns) \
        or norm.endswith(lex.structure_nouns, max(0, q.outer_start - 8), q.outer_start)


def _is_project_capacity(norm: str, q: Quantity, lex) -> bool:
    """吉化120万吨乙烯转型升级项目: a capacity that names a project."""
    unit = lex.units.get(q.unit) or lex.units.get(q.base_unit)
    if unit is None or unit.category != "physical" or not _before_noun(_follower(norm, q), lex):
        return False
    rest = norm[q.outer_end:q.outer_end + lex.max_quote_length]
    ends = _patterns().quantity_end
    clause = rest[:next((i for i, ch in enumerate(rest) if ch in ends), len(rest))]
    return any(noun in clause for noun in lex.project_nouns)


def _is_duration_name(norm: str, q: Quantity, lex) -> bool:
    """15分钟便民生活圈, 三年行动: a duration before a noun names it."""
    unit = lex.units.get(q.unit)
    return bool(unit) and unit.category == "duration" and _before_noun(_follower(norm, q), lex)


def _is_enumeration(norm: str, q: Quantity, lex) -> bool:
    """两个市场, 百场活动, 走出一条新路子, 成熟一家、批准一家: a small
    Chinese numeral counts in passing; only 示范县一个。 is a figure."""
    if not q.chinese:
        return False
    follower = _follower(norm, q)
    small = q.value <= lex.max_enumeration_numeral
    if _before_noun(follower, lex) and (small or _bare_multiplier(norm[q.start:q.end], q.unit)):
        return True
    if small and follower[:1] not in _patterns().clause_ends:
        return True
    return norm[q.start:q.end - len(q.unit)] in lex.lone_numerals \
        and getattr(lex.units.get(q.unit), "category", "") != "doubling"  # 翻一番 is a goal


REJECTION_RULES = (
    ("ordinal", _is_ordinal),
    ("code", _is_code),
    ("quoted_name", _is_quoted_name),
    ("set_phrase", _is_set_phrase),
    ("no_unit", _is_magnitude_name),
    ("qualifier", _is_qualifier),
    ("structure_count", _is_structure_count),
    ("project_capacity", _is_project_capacity),
    ("duration_name", _is_duration_name),
    ("enumeration", _is_enumeration),
)


def _rejection(norm: str, q: Quantity, lex) -> str | None:
    """The name of the first rejection rule that holds, or None."""
    return next((name for name, holds in REJECTION_RULES if holds(norm, q, lex)), None)


def _bare_multiplier(mention: str, unit: str) -> bool:
    """百场, 千家, 万人: a lone multiplier before a noun reads as a name."""
    numeral = mention[: len(mention) - len(unit)] if mention.endswith(unit) else mention
    return len(numeral) <= 1 or mention[0] in _patterns().multipliers


def _before_noun(follower: str, lex) -> bool:
    """True when the words right after a quantity are a noun it describes."""
    return _noun_follows(follower)


@lru_cache(maxsize=8192)  # asked by several rules for the same few characters
def _noun_follows(follower: str) -> bool:
    lex = lexicon.load()
    if not follower or follower.startswith(lex.free_followers):
        return False
    ch = follower[0]
    if ch in lex.punctuation.noun_openers:
        return True
    if not ("\u4e00" <= ch <= "\u9fff"):
        return False
    return not starts_with_word(follower, lex.verbs)  # 积极性 is a noun, 实现… a verb


def _in_quotes(norm: str, start: int, end: int, lex) -> bool:
    limit = lex.max_quote_length
    for open_mark, close_mark in lex.quote_pairs:
        if open_mark == close_mark:
            # "…" with one mark for both ends: an odd number of them just before
            window_start = max(norm.rfind("\n", 0, start) + 1, start - limit)
            if norm.count(open_mark, window_start, start) % 2 == 1 and open_mark in norm[end:end + limit]:
                return True
            continue
        before = norm[max(0, start - limit):start]
        o, c = before.rfind(open_mark), before.rfind(close_mark)
        if o > c and "\n" not in before[o:]:
            after = norm[end:end + limit]
            close_at = after.find(close_mark)
            if close_at >= 0 and "\n" not in after[:close_at] and open_mark not in after[:close_at]:
                return True
    return False
