"""Comparing plans: what changed between two documents' targets, and whether
a plan's targets were met by the actuals a later report gives.

Targets are aligned by canonical indicator and value type first (gdp,
growth), then by indicator text (rapidfuzz) within the same base unit."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from . import lexicon
from .emit import value_phrase
from .models import Document, Target


def _settings() -> lexicon.CompareSettings:
    return lexicon.load().compare


def _key(t: Target) -> tuple:
    return (t.indicator_id, t.value_type) if t.indicator_id else None


def _say(t: Target | None) -> str:
    if t is None:
        return ""
    return " ".join(x for x in (t.action, value_phrase(t)) if x)


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
    old: str
    new: str
    similarity: float
    old_value: float | None
    new_value: float | None
    unit: str | None
    old_comparator: str | None
    new_comparator: str | None
    old_text: str | None
    new_text: str | None
    old_start: int | None
    new_start: int | None

    def as_dict(self) -> dict:
        return asdict(self)


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
        rows.append(DiffRow(status, either.indicator_id, (n or o).indicator, _say(o), _say(n), score,
                            o.value if o else None, n.value if n else None, either.unit,
                            o.comparator if o else None, n.comparator if n else None,
                            o.text if o else None, n.text if n else None,
                            o.start if o else None, n.start if n else None))
    order = {"changed": 0, "unchanged": 1, "added": 2, "dropped": 3}
    rows.sort(key=lambda r: (order[r.status], r.old_start if r.old_start is not None else r.new_start))
    return rows


@dataclass
class AttainmentRow:
    status: str                # met, missed, unknown
    indicator_id: str | None
    indicator: str | None
    target: str
    actual: str
    gap: float | None          # actual minus target, in base units (for a range, from the nearer end)
    target_value: float
    actual_value: float | None
    base_unit: str
    comparator: str
    target_text: str
    actual_text: str | None
    target_start: int
    actual_start: int | None
    note: str

    def as_dict(self) -> dict:
        return asdict(self)


def _signed(t: Target) -> float:
    """Growth as a signed number: 下降2.5% is -2.5."""
    return -t.base_value if t.direction == "down" and t.value_type == "growth" else t.base_value


def judge(target: Target, actual: Target) -> tuple[str, float, str]:
    """(met or missed, gap, note) of a target against an actual of the same indicator."""
    if target.base_unit != actual.base_unit:
        return "unknown", None, f"units differ: {target.base_unit} and {actual.base_unit}"
    want, got = _signed(target), _signed(actual)
    c = target.comparator
    if c == "range":
        lo, hi = sorted((want, -target.base_value_max if target.direction == "down" else target.base_value_max))
        met = lo <= got <= hi
        gap = 0.0 if met else (got - lo if got < lo else got - hi)
        return ("met" if met else "missed"), round(gap, 6), f"range {lo:g} to {hi:g}"
    gap = round(got - want, 6)
    if c == "~":
        points = target.base_unit in lexicon.load().percent_bases
        tolerance = _settings().about_points if points else abs(want) * _settings().about_relative
        met = abs(gap) <= tolerance + 1e-9
        return ("met" if met else "missed"), gap, f"within {tolerance:g} {'points' if points else target.base_unit}"
    # a goal to fall (下降3%以上) is met by falling at least that far
    falls = target.direction == "down" and target.value_type == "growth"
    ok = {"=": abs(gap) < 1e-9 or (not falls and got >= want) or (falls and got <= want),
          ">=": got <= want if falls else got >= want,
          ">": got < want if falls else got > want,
          "<=": got >= want if falls else got <= want,
          "<": got > want if falls else got < want}[c]
    return ("met" if ok else "missed"), gap, ""


def attainment(plan: Document, report: Document) -> list[AttainmentRow]:
    actuals = _first_by_key(report.actuals)
    rows = []
    seen = set()
    for t in plan.targets:
        if not _key(t) or _key(t) in seen:
            continue
        seen.add(_key(t))
        a = actuals.get(_key(t))
        if a is None:
            rows.append(AttainmentRow("unknown", t.indicator_id, t.indicator, _say(t), "", None, t.base_value,
                                      None, t.base_unit, t.comparator, t.text, None, t.start, None,
                                      "no actual for this indicator in the report"))
            continue
        status, gap, note = judge(t, a)
        rows.append(AttainmentRow(status, t.indicator_id, t.indicator, _say(t), _say(a), gap, t.base_value,
                                  a.base_value, t.base_unit, t.comparator, t.text, a.text, t.start, a.start, note))
    return rows
