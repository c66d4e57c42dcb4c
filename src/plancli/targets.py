"""Targets: a quantity with the indicator it measures, the verb that governs
it, its modality and whether it is a goal or an achieved value.

The indicator is the noun phrase between the verb before the quantity and
the quantity (实现|固定资产投资|增长6%以上). jieba segments that stretch so
that verbs only count on word boundaries (增加 inside 增加值 does not)."""
from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import chain

from . import indicators, lexicon, parts
from .normalize import Source, fold
from .outline import YEAR_MENTION, Outline
from .quantities import Quantity, past_qualifier
from .records import Section, Target
from .segment import words_in as _words_in
from .sentences import clause_end, clause_start, sentence_spans

MAX_SENTENCE = 600  # characters of a run-on sentence kept around a quantity
MAX_CONTEXT = 80    # characters before a quantity searched for its indicator
_YEAR_PREFIX = lexicon.LazyPattern("year_prefix")


def _is_baseline(norm: str, q: Quantity, lex) -> bool:
    """从9.8%降至7.5%: a quantity followed by a verb of change that names
    where it ends is where the change starts."""
    return norm.startswith(lex.change_end_verbs, q.outer_end)


@dataclass(slots=True)
class _Place:
    section: Section | None
    path: list[Section]
    measure: str | None


def _containing(items: list, offset: int):
    """The item whose [start, end) holds offset, in a list sorted by start."""
    i = bisect_right(items, offset, key=lambda x: x.start) - 1
    return items[i] if i >= 0 and offset < items[i].end else None


def _place(sections: list[Section], offset: int) -> _Place:
    path: list[Section] = []
    level = sections
    while True:
        inner = _containing(level, offset)
        if inner is None:
            break
        path.append(inner)
        level = inner.children
    measure = None
    if path:
        m = _containing(path[-1].measures, offset)
        if m is not None:
            measure = m.title
        elif len(path) > 1:
            measure = path[-1].title
    return _Place(path[0] if path else None, path, measure)


@cache
def _comparison_tail(comparison_markers: tuple[str, ...]) -> re.Pattern:
    """比2010年, 较上年 at the end of an indicator: the base, not the name."""
    markers = lexicon.alternation(comparison_markers)
    return re.compile(rf"(?:{markers})(?:{lexicon.load().patterns.comparison_base})$")


@cache
def _comparison_head(comparison_markers: tuple[str, ...], not_comparisons: tuple[str, ...]) -> re.Pattern:
    """比上年, 较2020年, 同比 opening an indicator: the base of a comparison,
    not a name; 比例, 比重, 较大 only begin with a marker's character."""
    return re.compile(rf"(?!{lexicon.alternation(not_comparisons)})(?:{lexicon.alternation(comparison_markers)})")


def _pairs_inside(text: str, a: int, b: int) -> bool:
    """Whether the mark at an edge of text[a:b] pairs with one inside it."""
    punct = lexicon.load().punctuation
    pairs, closers = punct.indicator_pairs, punct.pair_closers
    if text[a] in pairs and text[a] not in closers:
        return pairs[text[a]] in text[a + 1:b]
    if text[b - 1] in pairs and text[b - 1] in closers:
        return pairs[text[b - 1]] in text[a:b - 1]
    return False


def _trim(text: str, a: int, b: int, lex, coordinated: bool = False) -> tuple[int, int]:
    """Narrow text[a:b] to the indicator: drop edge punctuation, time words
    and filler in front (and a conjunction, right after another quantity)."""
    leading = lex.strip_leading + lex.modality
    if coordinated:
        # 提高30元和|5元: a conjunction alone leaves no indicator of its own
        for word in lex.conjunctions:
            if text.startswith(word, a):
                a += len(word)
                break
    changed = True
    while changed and a < b:
        changed = False
        # a mark that pairs with one inside stays: “三公”经费, 省（自治区、直辖市）
        while a < b and text[a] in lex.punctuation.indicator_edges and not _pairs_inside(text, a, b):
            a, changed = a + 1, True
        while b > a and text[b - 1] in lex.punctuation.indicator_edges + lex.trailing_only and not _pairs_inside(text, a, b):
            b, changed = b - 1, True
        if text.startswith(leading, a):  # one test in C first: mostly none of them is there
            for word in leading:
                if text.startswith(word, a) and a + len(word) < b:
                    a, changed = a + len(word), True
        if text.endswith(lex.strip_trailing, a, b):
            for word in lex.strip_trailing:  # may leave nothing: 今年先|发行 names no indicator
                if text.endswith(word, a, b) and b - len(word) >= a:
                    b, changed = b - len(word), True
        m = _comparison_tail(lex.comparison_markers).search(text, a, b)
        if m and m.start() > a:
            b, changed = m.start(), True  # 国内生产总值|比2010年 翻一番
        if lex.strip_leading_year:
            m = _YEAR_PREFIX.match(text, a, b)
            if m and m.end() < b:
                a, changed = m.end(), True
    return a, b


def _kind(part: str | None, sentence: str, before: str, clause: str, year: int | None, lex) -> str:
    """target or actual: the part decides first (a review reports results:
    争取 there means obtained, 预计 estimated), then the words of the
    sentence before the quantity, then a year earlier than the document's."""
    if part == parts.REVIEW:
        # only a year after the review's in the quantity's own clause makes a goal
        return "target" if year and any(int(m.group(1)) >= year for m in YEAR_MENTION.finditer(clause)) \
            else "actual"
    if any(c in sentence for c in lex.target_cues):
        return "target"
    if part is not None:
        before = _comparison_base(lex.comparison_markers).sub("", before)  # 比上年增加: a goal's baseline
    if any(c in before for c in lex.actual_cues):
        return "actual"
    if year:
        for m in YEAR_MENTION.finditer(before):
            if int(m.group(1)) < year and not before[:m.start()].endswith(lex.base_year_prefixes):
                return "actual"  # 2023年，全市地区生产总值增长6.3%
    return "target"


@cache
def _comparison_base(comparison_markers: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"(?:{lexicon.alternation(comparison_markers)})(?:{lexicon.load().patterns.previous_year})")


@dataclass(slots=True)
class _Draft:
    """A quantity on its way to a Target: its stretch of the sentence
    (offsets in the cleaned text), then what each pass finds."""
    q: Quantity
    s_start: int          # the sentence, or a window of a run-on one
    s_end: int
    c_start: int          # the quantity's clause
    ctx_start: int        # where its indicator may start
    coordinated: bool     # another quantity of the sentence stands right before (、 和)
    baseline: bool        # 从9.8%降至7.5%: where a change starts
    indicator: str = ""
    action: str | None = None
    comparator: str = ""  # the quantity's own, unless a 分别 list shares one
    kind: str = "target"
    target_year: int | None = None
    headline: bool = False
    modality: str | None = None


@dataclass(frozen=True)
class _Doc:
    """What every pass may read about the document."""
    src: Source
    outline: Outline
    parts: parts.Parts
    quantities: list[Quantity]
    line_starts: array
    lex: object
    # each sentence's text, taken from the original once: the targets of a
    # sentence share one string (a report has thousands)
    sentence_texts: dict[tuple[int, int], str] = field(default_factory=dict)


def build(src: Source, outline: Outline, found_parts: parts.Parts, quantities: list[Quantity],
          doc: str | None) -> list[Target]:
    """Targets in text order, from named passes over each sentence's
    quantities: candidates → indicator and action → coordination → kind →
    period → modality, then the headline over the document. A new rule
    belongs to the pass that decides what it decides."""
    d = _Doc(src, outline, found_parts, quantities,
             array("q", chain((0,), (m.end() for m in re.finditer("\n", src.clean)))), lexicon.load())
    drafts: list[_Draft] = []
    for group in _candidates(d):
        for draft in group:
            _indicator_pass(d, draft)
        _coordination_pass(d, group)
        for draft in group:
            _kind_pass(d, draft)
            _period_pass(d, draft)
            _modality_pass(d, draft)
        drafts.extend(group)
    _headline_pass(d, drafts)
    return [_target(d, draft, doc) for draft in drafts]


def _candidates(d: _Doc) -> list[list[_Draft]]:
    """The quantities of the body, grouped by sentence, each with the
    stretch of text its indicator may come from."""
    norm, body = d.src.clean, d.outline.body
    # the sentences are walked beside the quantities (both in text order),
    # not listed: a list of a long text's spans would outweigh its targets
    spans = sentence_spans(norm, body.start, body.end)
    sentence = next(spans, None)
    groups: list[list[_Draft]] = []
    previous_q: Quantity | None = None
    for qi, q in enumerate(d.quantities):
        if not (body.start <= q.start < body.end):
            continue  # the editorial lead and trailer repeat the body
        while sentence is not None and sentence[1] <= q.start:
            sentence = next(spans, None)
        if sentence is None:
            break
        if previous_q is None or previous_q.outer_end <= sentence[0]:
            groups.append([])  # a new sentence shares nothing
            previous_q = None
        # a sentence, as far as this quantity is concerned: all of it, or a
        # window around the quantity when it runs on (text with no full stops)
        s_start = max(sentence[0], q.start - MAX_SENTENCE // 2)
        s_end = min(sentence[1], q.end + MAX_SENTENCE // 2)
        c_start = max(clause_start(norm, s_start, q.outer_start), q.outer_start - MAX_CONTEXT)
        coordinated = previous_q is not None and previous_q.outer_end >= c_start
        groups[-1].append(_Draft(q=q, s_start=s_start, s_end=s_end, c_start=c_start,
                                 ctx_start=previous_q.outer_end if coordinated else c_start,
                                 coordinated=coordinated,
                                 baseline=_is_baseline(norm, q, d.lex) or q.row_earlier))
        previous_q = q
    return groups


def _indicator_pass(d: _Doc, draft: _Draft) -> None:
    """The noun phrase and verb in the quantity's own stretch."""
    if draft.q.row_indicator:
        draft.indicator, draft.action = _row_indicator(d.src, draft.q.row_indicator, d.lex)
    else:
        draft.indicator, draft.action = _indicator_and_action(d.src, draft.ctx_start, draft.q, draft.s_end, d.lex,
                                                              draft.coordinated, draft.baseline)


def _coordination_pass(d: _Doc, group: list[_Draft]) -> None:
    """What quantities of one sentence share: a verb (新增A 500家、B 1200家),
    a 分别 list (A、B分别增长5.5%、6%), a subject carried over (国内生产总值
    超过126万亿元，增长5.2%), the object of an earlier verb."""
    norm, lex = d.src.clean, d.lex
    previous: _Draft | None = None
    respective: list[str] = []  # indicators still owed to a 分别 group
    for draft in group:
        if not draft.action and draft.coordinated and previous is not None:
            draft.action = previous.action
        if draft.indicator and _comparison_head(lex.comparison_markers, lex.not_comparisons).match(fold(draft.indicator)):
            draft.indicator = ""  # 比上年|增加1000亿元: the subject is the one before (but 比例 is a name)
        if any(w in norm[draft.ctx_start:draft.q.outer_start] for w in lex.respectively):
            at = d.quantities.index(draft.q)
            size = _coordinated_run(norm, d.quantities, at, lex)
            earlier = [x.indicator for x in group[:group.index(draft)] if x.indicator]
            pieces = _split_list(draft.indicator, lex, size) if draft.indicator \
                else list(dict.fromkeys(earlier))[-size:]
            if len(pieces) == size > 1:
                draft.indicator, respective = pieces[0], pieces[1:]
                _share_comparator(group[group.index(draft):], d.quantities[at + size - 1])
        elif draft.coordinated and respective:
            draft.indicator = respective.pop(0)
        if not draft.indicator and previous is not None:
            draft.indicator = previous.indicator
        if not draft.indicator and draft.action:
            draft.indicator = _object_of(d.src, norm, draft.s_start, draft.ctx_start, draft.action, lex)
        previous = draft


def _share_comparator(run: list[_Draft], last: Quantity) -> None:
    """分别增长5%、6%左右: a comparator word after the last of a 分别 list
    goes with every figure of it that has none of its own."""
    if last.outer_end <= last.end or last.comparator == "range":
        return
    for draft in run:
        if draft.q is last:
            break
        if draft.q.comparator == "=" and draft.q.outer_end == draft.q.end:
            draft.comparator = last.comparator


def _kind_pass(d: _Doc, draft: _Draft) -> None:
    norm, q = d.src.clean, draft.q
    if draft.baseline:
        draft.kind = "actual"
        return
    paragraph = d.parts.paragraph_at(q.start)
    draft.kind = _kind(paragraph.kind if paragraph else None, norm[draft.s_start:draft.s_end],
                       norm[draft.s_start:q.outer_start], norm[draft.c_start:q.outer_start],
                       d.outline.meta.year, d.lex)


def _period_pass(d: _Doc, draft: _Draft) -> None:
    """The year a target's goal is for: the plan year, the end of the
    five-year stretch its paragraph sets out, a later year its sentence
    names (到2030年, 2035年), or the plan's end for an average (年均增长5%)."""
    if draft.kind != "target":
        return
    norm, q, year = d.src.clean, draft.q, d.outline.meta.year
    paragraph = d.parts.paragraph_at(q.start)
    target_year = (paragraph.period_end if paragraph else None) \
        or parts.period_spoken_of(norm[draft.s_start:q.outer_start], year) or year
    for m in YEAR_MENTION.finditer(norm, draft.s_start, q.outer_start):
        if year and int(m.group(1)) > year:
            target_year = int(m.group(1))
    if target_year == year and any(w in norm[draft.c_start:q.outer_start] for w in d.lex.parts.average_words):
        target_year = parts.current_period_end(year)
    draft.target_year = target_year
    draft.headline = bool(paragraph and paragraph.headline_from is not None and q.start >= paragraph.headline_from
                          and target_year == year)


def _headline_pass(d: _Doc, drafts: list[_Draft]) -> None:
    """One headline target per canonical indicator: a restatement later in
    the statement (经济增长预期目标为5%左右) is not a second one."""
    seen: set[str] = set()
    for draft in drafts:
        if draft.headline:
            indicator_id = indicators.canonical(draft.indicator)[0]
            if indicator_id in seen:
                draft.headline = False
            elif indicator_id:
                seen.add(indicator_id)


def _modality_pass(d: _Doc, draft: _Draft) -> None:
    draft.modality = _modality(d.src.clean[draft.s_start:draft.q.outer_start], d.lex)


def _target(d: _Doc, draft: _Draft, doc: str | None) -> Target:
    src, q, lex = d.src, draft.q, d.lex
    start, end = src.span(q.start, q.end)
    sentence_start, sentence_end = src.span(draft.s_start, draft.s_end)
    indicator_id, alias_measure, alias_direction = indicators.canonical(draft.indicator)
    direction = (lex.actions.get(draft.action) if draft.action else None) or alias_direction
    place = _place(d.outline.sections, start)
    return Target(
        doc=doc,
        section=(place.section.label or place.section.title) if place.section else None,
        section_title=place.section.title if place.section else None,
        section_path=[s.label for s in place.path],
        measure=place.measure,
        text=src.original[start:end], start=start, end=end,
        indicator=draft.indicator or None, action=draft.action or None,
        direction=direction,
        indicator_id=indicator_id,
        value_type=indicators.value_type(draft.action, direction, q.base_unit, alias_measure),
        value=q.value, value_max=q.value_max, unit=q.unit,
        base_value=q.base_value, base_value_max=q.base_value_max, base_unit=q.base_unit,
        comparator=draft.comparator or q.comparator,
        kind=draft.kind,
        target_year=draft.target_year,
        headline=draft.headline,
        modality=draft.modality,
        sentence=d.sentence_texts.setdefault((sentence_start, sentence_end),
                                             src.original[sentence_start:sentence_end]),
        sentence_start=sentence_start, sentence_end=sentence_end,
    )


def _paragraph_lead(norm: str, line_starts: list[int], offset: int) -> str:
    """The first characters of the paragraph holding offset (line_starts:
    offsets after each line break, found once per document)."""
    line_start = line_starts[bisect_right(line_starts, offset) - 1]
    return norm[line_start:line_start + 8].lstrip(" —-")


def _indicator_and_action(src: Source, ctx_start, q: Quantity, s_end, lex, coordinated,
                          baseline) -> tuple[str, str | None]:
    norm = src.clean
    stretch = norm[ctx_start:q.outer_start]
    if baseline:
        # 起征点从月销售额|3万元提高到…: the indicator stops before 从
        marks = _words_in(stretch, lex.baseline_prefixes)
        if marks:
            stretch = stretch[:marks[-1][0]]
    verbs = _words_in(stretch, lex.verbs)
    action = None
    noun_from, noun_to = 0, len(stretch.rstrip())
    if verbs and verbs[-1][0] + len(verbs[-1][1]) >= noun_to:
        # a verb right before the number: 增长6%, 达到90%
        at, verb = verbs.pop()
        action, noun_to = (verb if verb in lex.actions else None), at
    if verbs:
        if action is None:
            # the governing verb: the last action verb; a leading verb after
            # it sits inside the noun (举办|境内投资促进活动|不少于100场)
            governing = [v for v in verbs if v[1] in lex.actions] or verbs
            at, verb = governing[-1]
            if len(governing) > 1 and stretch[at + len(verb):noun_to].strip() in lex.generic_heads:
                # 完成|农村公路路网提升工程|1万公里: a verb before a bare 工程 is inside the name
                at, verb = governing[-2]
            action = verb if verb in lex.actions else None
        else:
            at, verb = verbs[-1]  # 推动|社会消费品零售总额|增长
        noun_from = at + len(verb)
    a, b = _trim(norm, ctx_start + noun_from, ctx_start + noun_to, lex, coordinated)
    if norm[a:b] in lex.strip_leading:
        a = b  # 全年|开行2000列以上: a time word alone names nothing; the clause before may
    counts = getattr(lex.units.get(q.base_unit), "category", None) == "counter"
    if q.pre_noun and (b <= a or counts) and not norm.startswith(lex.qualifier_joiners, q.outer_end):
        # 加快16家省级服务业创新发展区建设, 稳妥推进55个扩面试点项目, …等5个项目:
        # a count right before a noun counts that noun (粮食产量跃上1.4万亿斤新台阶
        # is still 粮食产量)
        a = past_qualifier(norm, q.outer_end)
        b = clause_end(norm, a, s_end)
        b = min([b] + [i for i in (norm.find(mark, a, b) for mark in lex.list_marks) if i >= 0])  # …项目、30个…
        for word in lex.noun_after_strip:
            if norm.endswith(word, a, b) and b - len(word) > a:
                b -= len(word)
        a, b = _trim(norm, a, b, lex)
    return (src.slice(a, b) if b > a else ""), action


def _row_indicator(src: Source, cell: tuple[int, int], lex) -> tuple[str, str | None]:
    """地区生产总值增长 in a table's first cell: the indicator and its verb."""
    a, b = _trim(src.clean, *cell, lex)
    verbs = _words_in(src.clean[a:b], lex.actions)
    if verbs and verbs[-1][0] + len(verbs[-1][1]) == b - a and verbs[-1][0] > 0:
        at, verb = verbs[-1]
        return src.slice(a, a + at), verb
    return src.slice(a, b), None


def _object_of(src: Source, norm: str, s_start: int, until: int, verb: str, lex) -> str:
    """发行超长期特别国债，…，今年先发行1万亿元: with no noun of its own, a
    quantity measures what the same verb took earlier in the sentence."""
    at = norm.rfind(verb, s_start, until)
    while at >= 0:
        a = at + len(verb)
        b = clause_end(norm, a, until)
        a, b = _trim(norm, a, b, lex)
        if b > a:
            return src.slice(a, b)
        at = norm.rfind(verb, s_start, at)
    # 下调城镇职工基本养老保险单位缴费比例，各地可降至16%: the object of the
    # clause before
    c_start = clause_start(norm, s_start, until)
    if c_start <= s_start:
        return ""
    prev_start = clause_start(norm, s_start, c_start - 1)
    stretch = norm[prev_start:c_start - 1]
    verbs = _words_in(stretch, lex.verbs | lex.object_verbs)
    if verbs:
        a, b = _trim(norm, prev_start + verbs[-1][0] + len(verbs[-1][1]), c_start - 1, lex)
        if b > a:
            return src.slice(a, b)
    return ""


def _coordinated_run(norm: str, quantities: list[Quantity], i: int, lex) -> int:
    """How many quantities from i on are joined only by 、 or 和 (5.5%、6%)."""
    size = 1
    while i + size < len(quantities):
        gap = norm[quantities[i + size - 1].outer_end:quantities[i + size].outer_start].strip()
        if gap and gap not in lex.conjunctions:
            break
        size += 1
    return size


def _split_list(indicator: str, lex, size: int = 0) -> list[str]:
    """城镇居民人均可支配收入、农村居民人均可支配收入 → the two; 城镇和农村
    常住居民人均可支配收入 → 城镇常住居民人均可支配收入 and the rural one: a
    short modifier shares the head noun of the last item; 一二三产增加值 for
    three figures → 一产增加值, 二产增加值, 三产增加值."""
    digits = lex.numerals.digits
    lead = len(indicator) - len(indicator.lstrip("".join(digits)))
    if size > 1 and lead == size < len(indicator):
        return [d + indicator[lead:] for d in indicator[:lead]]
    pieces = [indicator]
    for mark in lex.conjunctions:
        pieces = [p for piece in pieces for p in piece.split(mark)]
    pieces = [p.strip() for p in pieces if p.strip()]
    last = pieces[-1] if pieces else ""
    return [p + last[len(p):] if len(p) <= lex.max_shared_modifier < len(last) - len(p) else p
            for p in pieces[:-1]] + pieces[-1:]


def _modality(before: str, lex) -> str | None:
    """The last modality word before the quantity that opens a clause's
    predicate (力争新增…), not one used as a noun at a clause end (要素争取，)."""
    best, found = -1, None
    for word in lex.modality:
        i = before.rfind(word)
        while i >= 0 and before[i + len(word):i + len(word) + 1] in lex.punctuation.modality_clause_end:
            i = before.rfind(word, 0, i)
        if i > best:
            best, found = i, word
    return found
