"""Comparing plans: what changed between two documents' targets, and whether
a plan's targets were met by the actuals a later report gives.

Targets are aligned by canonical indicator and value type first (gdp,
growth), then by indicator text (rapidfuzz) within the same base unit.

Each row carries both sides' base values and shows the two figures in one
unit (`Scale`): 1800亿元 against 1.6万亿元 reads 0.18 → 1.6 万亿元, and the
change or gap is in that unit too."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from . import lexicon
from .emit import comparator_phrase, figure, value_phrase

if TYPE_CHECKING:  # the models only name types here: no Pydantic at start-up
    from .models import Document, Target


def _settings() -> lexicon.CompareSettings:
    return lexicon.load().compare


def _key(t: Target) -> tuple:
    return (t.indicator_id, t.value_type) if t.indicator_id else None


@dataclass(frozen=True)
class Scale:
    """The unit two figures of one base unit are shown in, and what one of it
    is in base units: 万亿元, 1e12."""

    unit: str
    factor: float | None  # None: the unit as written by both sides (番 is a power, not a factor)

    def of(self, t: Target) -> tuple[float, float | None]:
        """(value, value_max) of `t` in this unit."""
        if self.factor is None:
            return t.value, t.value_max
        return _shown(t.base_value / self.factor), (
            None if t.base_value_max is None else _shown(t.base_value_max / self.factor))

    def amount(self, base_amount: float) -> float | None:
        """A difference in base units, in this unit (none in a power such as 番)."""
        return None if self.factor is None else _shown(base_amount / self.factor)


def _shown(x: float) -> float:
    """A figure rid of float noise: 1.6 - 0.18 is 1.42, not 1.4200000000000002."""
    return float(f"{x:.12g}")


def written_scale(unit: str) -> tuple[float, float] | None:
    """(magnitude, factor to the base unit) of a unit as written, from
    data/lexicon/units.yaml: 万亿元 → (1e12, 1e12), 亿 → (1e8, 1e8), 个百分点 →
    (1, 1), 成 → (1, 10); None where no factor scales it (番: 翻两番 is 2 ** 2)."""
    lex = lexicon.load()
    for word, size in [("", 1.0), *sorted(lex.magnitudes.items(), key=lambda kv: -len(kv[0]))]:
        rest = unit[len(word):]
        if not unit.startswith(word) or (rest and rest not in lex.units):
            continue
        known = lex.units.get(rest)
        if known is not None and known.exponent_of:
            return None
        return size, size * (known.factor if known else 1.0)
    return None


def scale(*sides: Target) -> Scale | None:
    """The one unit to show figures of the same base unit in: the unit as
    written with the larger magnitude (1800亿元 and 1.6万亿元: 万亿元; 1.3万亿斤
    and 1.4万亿斤: 万亿斤), the later side's on a tie. None when the base units
    differ (元 and 美元 are not compared)."""
    if len({t.base_unit for t in sides}) > 1:
        return None
    if len({t.unit for t in sides}) == 1:
        found = written_scale(sides[0].unit)
        return Scale(sides[0].unit, found[1] if found else None)
    scales = [(written_scale(t.unit), i, t) for i, t in enumerate(sides)]
    if any(found is None for found, _, _ in scales):
        return Scale(sides[0].base_unit, 1.0)  # a unit the lexicon cannot scale: base units for all
    (_, factor), _, widest = max(scales, key=lambda x: (x[0][0], x[1]))
    return Scale(widest.unit, factor)


def say(t: Target | None, shown_in: Scale | None = None) -> str:
    """The action and the figure with its comparator, in the shown unit
    without naming it (the row's unit does): 增加 0.18; in its own unit
    where there is none: 增加 1800亿元."""
    if t is None:
        return ""
    phrase = value_phrase(t) if shown_in is None else comparator_phrase(t.comparator, figure(*shown_in.of(t)))
    return " ".join(x for x in (t.action, phrase) if x)


def _first_by_key(targets: list[Target]) -> dict:
    """The first target of each canonical key: a report restates its GDP goal."""
    out = {}
    for t in targets:
        k = _key(t)
        if k and k not in out:
            out[k] = t
    return out


def align(old: list[Target], new: list[Target]) -> list[tuple[Target | None, Target | None, float]]:
    """(old, new, similarity) pairs: canonical matches, then text matches,
    then what is left on either side alone."""
    from rapidfuzz import fuzz

    pairs = []
    old_keyed, new_keyed = _first_by_key(old), _first_by_key(new)
    used_old, used_new = set(), set()
    for k, o in old_keyed.items():
        if k in new_keyed:
            n = new_keyed[k]
            pairs.append((o, n, 100.0))
            used_old.add(id(o))
            used_new.add(id(n))
    # a duplicate of a matched key is not "dropped" or "added": it restates it
    rest_old = [t for t in old if id(t) not in used_old and not (_key(t) and _key(t) in new_keyed)]
    rest_new = [t for t in new if id(t) not in used_new and not (_key(t) and _key(t) in old_keyed)]
    candidates = sorted(((fuzz.ratio(o.indicator or "", n.indicator or ""), i, j)
                         for i, o in enumerate(rest_old) for j, n in enumerate(rest_new)
                         if o.indicator and n.indicator and o.base_unit == n.base_unit
                         and o.value_type == n.value_type), reverse=True)
    taken_o, taken_n = set(), set()
    for score, i, j in candidates:
        if score < _settings().min_similarity:
            break
        if i in taken_o or j in taken_n:
            continue
        taken_o.add(i)
        taken_n.add(j)
        pairs.append((rest_old[i], rest_new[j], round(score, 1)))
    pairs += [(o, None, 0.0) for i, o in enumerate(rest_old) if i not in taken_o]
    pairs += [(None, n, 0.0) for j, n in enumerate(rest_new) if j not in taken_n]
    return pairs


@dataclass
class DiffRow:
    status: str                # changed, unchanged, added, dropped
    indicator_id: str | None
    indicator: str | None
    old: str                   # action and figure in `unit`: 增加 0.18
    new: str                   # 增加 1.6
    unit: str | None           # the one unit both are shown in: 万亿元 (none when their base units differ)
    change: float | None       # new minus old, in `unit` (none for a range or a side missing)
    similarity: float
    old_value: float | None    # in `unit`
    old_value_max: float | None
    new_value: float | None
    new_value_max: float | None
    old_base_value: float | None  # in `base_unit`, as the target rows give them
    old_base_value_max: float | None
    new_base_value: float | None
    new_base_value_max: float | None
    base_unit: str | None
    old_comparator: str | None
    new_comparator: str | None
    old_text: str | None       # the mentions as written: 1800亿元, 1.6万亿元
    new_text: str | None
    old_start: int | None
    new_start: int | None
    note: str

    def as_dict(self) -> dict:
        return asdict(self)


def _difference(shown_in: Scale, o: Target, n: Target) -> float | None:
    """New minus old as shown: 1.6 - 0.18 = 1.42 (万亿元)."""
    if o.value_max is not None or n.value_max is not None:
        return None  # a range moves at both ends: old and new say it
    return _shown(shown_in.of(n)[0] - shown_in.of(o)[0])


def diff(old_doc: Document, new_doc: Document) -> list[DiffRow]:
    rows = []
    for o, n, score in align(old_doc.targets, new_doc.targets):
        if o and n:
            same = (o.base_value, o.base_value_max, o.comparator, o.base_unit, o.direction) == \
                   (n.base_value, n.base_value_max, n.comparator, n.base_unit, n.direction)
            status = "unchanged" if same else "changed"
        else:
            status = "dropped" if o else "added"
        either = n or o
        shown_in = scale(*(t for t in (o, n) if t))
        (old_value, old_max), (new_value, new_max) = ((shown_in.of(t) if t and shown_in else (None, None))
                                                      for t in (o, n))
        rows.append(DiffRow(
            status, either.indicator_id, either.indicator, say(o, shown_in), say(n, shown_in),
            shown_in.unit if shown_in else None,
            _difference(shown_in, o, n) if o and n and shown_in else None, score,
            old_value, old_max, new_value, new_max,
            o.base_value if o else None, o.base_value_max if o else None,
            n.base_value if n else None, n.base_value_max if n else None,
            either.base_unit if shown_in else None,
            o.comparator if o else None, n.comparator if n else None,
            o.text if o else None, n.text if n else None, o.start if o else None, n.start if n else None,
            "" if shown_in else f"units differ: {o.base_unit} and {n.base_unit}"))
    order = {"changed": 0, "unchanged": 1, "added": 2, "dropped": 3}
    rows.sort(key=lambda r: (order[r.status], r.old_start if r.old_start is not None else r.new_start))
    return rows


@dataclass
class AttainmentRow:
    status: str                # met, missed, unknown
    indicator_id: str | None
    indicator: str | None
    target: str                # action and figure in `unit`: ≥ 1.3
    actual: str                # 1.4
    unit: str | None           # the one unit both are shown in: 万亿斤
    gap: float | None          # actual minus target in `unit` (for a range, from the nearer end)
    target_value: float        # in `unit`
    target_value_max: float | None
    actual_value: float | None
    target_base_value: float   # in `base_unit`
    target_base_value_max: float | None
    actual_base_value: float | None
    base_unit: str
    comparator: str
    target_text: str
    actual_text: str | None
    target_start: int
    actual_start: int | None
    note: str                  # why: the tolerance that decided (within 0.5 points), or why unknown

    def as_dict(self) -> dict:
        return asdict(self)


def signed(t: Target) -> float:
    """Growth as a signed number: 下降2.5% is -2.5."""
    return -t.base_value if t.direction == "down" and t.value_type == "growth" else t.base_value


def judge(target: Target, actual: Target) -> tuple[str, float | None, str]:
    """(met, missed or unknown; gap in base units; note) of a target against
    an actual of the same indicator. The note names the tolerance only where
    it decided: about 5% against 5.3% is met within 0.5 points (the figures
    alone differ), against 5% it is met as it stands."""
    if target.base_unit != actual.base_unit:
        return "unknown", None, f"units differ: {target.base_unit} and {actual.base_unit}"
    want, got = signed(target), signed(actual)
    c = target.comparator
    if c == "range":
        lo, hi = sorted((want, -target.base_value_max if target.direction == "down" else target.base_value_max))
        met = lo <= got <= hi
        gap = 0.0 if met else (got - lo if got < lo else got - hi)
        return ("met" if met else "missed"), round(gap, 6), ""
    gap = round(got - want, 6)
    if c == "~":
        settings = _settings()
        points = target.base_unit in lexicon.load().percent_bases
        tolerance = settings.about_points if points else abs(want) * settings.about_relative
        if abs(gap) < 1e-9:
            return "met", gap, ""
        if gap < 0 and _about_is_ceiling(target.indicator_id):
            return "met", gap, "below the target, a limit for this indicator"  # 物价涨幅3%左右, 2%
        if abs(gap) <= tolerance + 1e-9:
            within = f"{settings.about_points:g} points" if points else f"{settings.about_relative:.0%} of the target"
            return "met", gap, f"within {within}"
        return "missed", gap, ""
    # a goal to fall (下降3%以上) is met by falling at least that far
    falls = target.direction == "down" and target.value_type == "growth"
    ok = {"=": abs(gap) < 1e-9 or (not falls and got >= want) or (falls and got <= want),
          ">=": got <= want if falls else got >= want,
          ">": got < want if falls else got > want,
          "<=": got >= want if falls else got <= want,
          "<": got > want if falls else got < want}[c]
    return ("met" if ok else "missed"), gap, ""


def _about_is_ceiling(indicator_id: str | None) -> bool:
    """Whether an "about" target of the indicator is a limit
    (about_is_ceiling in data/lexicon/indicators.yaml: prices, unemployment)."""
    return indicator_id is not None and any(
        e.about_is_ceiling for e in lexicon.load().indicators if e.id == indicator_id)


def attainment(plan: Document, report: Document) -> list[AttainmentRow]:
    actuals = _first_by_key(report.actuals)
    rows = []
    seen = set()
    for t in plan.targets:
        if not _key(t) or _key(t) in seen:
            continue
        seen.add(_key(t))
        a = actuals.get(_key(t))
        shown_in = scale(t, a) if a is not None else scale(t)
        target_value, target_max = shown_in.of(t) if shown_in else (t.value, t.value_max)
        if a is None:
            status, gap, note = "unknown", None, "no actual for this indicator in the report"
        else:
            status, gap, note = judge(t, a)
        rows.append(AttainmentRow(
            status, t.indicator_id, t.indicator, say(t, shown_in), say(a, shown_in),
            shown_in.unit if shown_in else None,
            shown_in.amount(gap) if shown_in and gap is not None else None,  # none for 番: a power has no gap
            target_value, target_max, shown_in.of(a)[0] if shown_in and a is not None else None,
            t.base_value, t.base_value_max, a.base_value if a is not None else None, t.base_unit, t.comparator,
            t.text, a.text if a is not None else None, t.start, a.start if a is not None else None, note))
    return rows
