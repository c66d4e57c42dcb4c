"""Parts of a report: the review (what the past year or five years
achieved), the goals (this year's main expected targets, the five-year
goals) and the plan (this year's work).

A part is found from the headings first (一、2025年工作回顾, “十四五”时期工作
回顾 on a line of its own), then from how a paragraph opens (过去五年，…;
“十四五”时期是极不平凡的五年), then from what its sentences say: a stretch
whose numbers are reported as results (比上年增长, 2025年…达到) is a review
whatever its title says (一、一年接着一年干，…取得新进展新成效).

Matching runs on the cleaned text; the Part models carry original offsets."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .normalize import Source, fold
from .outline import _PERIOD, YEAR_MENTION, Outline, _digit, five_year_plan_end
from .outline import period_named as _period_named
from .quantities import Quantity
from .records import Part, Section
from .sentences import line_spans, sentence_spans

REVIEW, GOALS, PLAN = "review", "goals", "plan"
MIXED = -1  # the pool of a section whose heading names two parts: none


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int            # offsets in the cleaned text
    end: int
    kind: str | None      # review, goals, plan, or None where nothing tells
    period_end: int | None = None  # 十五五 goals and 今后五年: the year the period ends
    headline_from: int | None = None  # where the main expected targets statement starts


@dataclass(frozen=True)
class Parts:
    paragraphs: list[Paragraph]  # every paragraph of the body, in order
    models: list[Part]           # runs of one kind, in original offsets

    def paragraph_at(self, offset: int) -> Paragraph | None:
        i = bisect_right(self.paragraphs, offset, key=lambda p: p.start) - 1
        return self.paragraphs[i] if i >= 0 and offset < self.paragraphs[i].end else None


def find(src: Source, outline: Outline, quantities: list[Quantity]) -> Parts:
    lex = lexicon.load()
    conf = lex.parts
    # cue words as the cleaned text has them: 纲要（草案） → 纲要(草案)
    five_year_cues = tuple(fold(w) for w in conf.five_year_cues)
    headline_at = conf.headline_pattern.search
    list_item = conf.list_item_pattern.match
    norm = src.clean
    year = outline.meta.year
    body = outline.body
    paragraphs: list[Paragraph] = []
    by_start = sorted(quantities, key=lambda q: q.start)
    qi = 0
    section_start = None  # the top-level section the paragraphs are in
    # a five-year plan (第十五个五年规划纲要) sets out goals for its end year throughout
    plan_end = _period_named(fold(outline.meta.title or "")) if outline.meta.doc_type == "five_year_plan" else None
    period = plan_end     # the end year of the five-year stretch being set out, if one is
    headline_open = False  # a statement that ends with a colon goes on in the —— lines after it
    headline_cue_line = False  # the line before was the cue itself (主要预期目标是：)
    undecided: list[tuple[int, int, int | None]] = []  # (paragraph, its votes, the part it pools with)
    pool: int | None = None
    for start, end in line_spans(norm, body.start, body.end):
        line = norm[start:end]  # one line at a time, not a copy of the body split
        if not line.strip():
            continue
        inside = []
        while qi < len(by_start) and by_start[qi].start < end:
            if by_start[qi].start >= start:
                inside.append(by_start[qi])
            qi += 1
        original_start = src.span(start, start + 1)[0]
        top = next((s for s in outline.sections if s.start <= original_start < s.end), None)
        if top is not None and top.start != section_start:
            section_start = top.start
            period = _title_period(top.title, year, conf) or plan_end
            # a heading that names no part (一、一年接着一年干，…) makes one part of its
            # section, decided by all its numbers; one naming two (发展成就和主要目标)
            # leaves each paragraph to follow the one before
            pool = section_start if _names_no_part(top.title, lex) else MIXED
        elif top is None:
            pool = None
        title_kind = _title_kind(outline.sections, original_start, lex)
        lead = line.lstrip(" \t—-")
        lead = lead[:conf.lead_chars]
        named_at = _PERIOD.search(lead)
        named = five_year_plan_end(_digit(named_at)) if named_at else None
        kind, headline_from = title_kind, None
        found = headline_at(line)
        cue = found.start() if found else -1
        if lead.startswith(tuple(conf.this_year_leads)) or (year and lead.startswith(f"{year}年")):
            period = None  # 今年是“十五五”开局之年: this year's work from here on
        before_cue = _sentence_before(line, cue)
        if cue >= 0 and period is None and not _period_named(before_cue) \
                and not any(c in before_cue for c in five_year_cues):
            kind, headline_from = GOALS, start + cue
            headline_open = line.rstrip().endswith((":", "："))
            headline_cue_line = headline_open and len(line.strip()) - cue <= conf.lead_chars
        elif headline_open and (headline_cue_line or list_item(line.lstrip())):
            # the statement after a cue on a line of its own, or its —— / 1. items
            headline_cue_line = False
            kind, headline_from = GOALS, start
        else:
            headline_open = False
            if lead.startswith(lex.review_paragraph_leads) or (named is not None and year and named < year):
                kind = REVIEW  # 过去五年，…; “十四五”时期是极不平凡的五年
            elif (named is not None and year and named >= year and named_at.start() <= 2) \
                    or lead.startswith(tuple(conf.five_year_leads)) \
                    or any(c in lead for c in five_year_cues):
                period = named if named and year and named >= year else current_period_end(year)
                kind = GOALS if title_kind != REVIEW else title_kind
            votes = _votes(norm, start, end, inside, year, lex)
            if kind is None:
                # nothing said: the numbers decide, of the part (below) or the paragraph
                undecided.append((len(paragraphs), votes, pool))
            elif kind != title_kind and top is not None:
                # an opening that says review (2025年是“十四五”收官之年) speaks for its part too
                undecided.append((-1, conf.strong_paragraph_votes * (1 if kind == REVIEW else -1), section_start))
            elif kind != REVIEW and votes >= conf.review_override_votes:
                kind = REVIEW  # a part titled as plan whose numbers are results
        if kind == REVIEW:
            paragraphs.append(Paragraph(start, end, kind))
        else:
            paragraphs.append(Paragraph(start, end, kind, period, headline_from))
    paragraphs = _fill(_decide_by_votes(paragraphs, undecided, conf.strong_paragraph_votes))
    return Parts(paragraphs, _models(src, outline.sections, paragraphs))


def _decide_by_votes(paragraphs: list[Paragraph], undecided, strong: int) -> list[Paragraph]:
    """Paragraphs nothing else decides, by what their numbers report: a
    section whose heading says nothing (一、一年接着一年干，…) is one part,
    decided by all its numbers; only a paragraph that votes strongly on its
    own goes the other way. Outside any section, each paragraph decides."""
    by_section: dict[int, int] = {}
    for _, votes, section in undecided:
        if section is not None:
            by_section[section] = by_section.get(section, 0) + votes
    out = list(paragraphs)
    for i, votes, section in undecided:
        if i < 0:
            continue  # a vote for the part only
        if section is None or abs(votes) >= strong:
            total = votes
        else:
            total = 0 if section == MIXED else by_section[section]
        kind = REVIEW if total > 0 else PLAN if total < 0 else None
        p = out[i]
        out[i] = Paragraph(p.start, p.end, kind) if kind == REVIEW else \
            Paragraph(p.start, p.end, kind, p.period_end, p.headline_from)
    return out


def _sentence_before(line: str, at: int) -> str:
    """The sentence of line up to offset at: 今年是“十五五”开局之年。…主要预期目标 → …主要."""
    return line[max(line.rfind(mark, 0, at) for mark in "。；;") + 1:at]


def _title_period(title: str, year: int | None, conf) -> int | None:
    """A heading that names a five-year plan ahead and not this year
    (二、“十五五”时期主要目标任务) sets out goals for the plan's end."""
    named = _period_named(title)
    if named is None or year is None or named < year:
        return None
    if str(year) in title or any(w in title for w in conf.this_year_leads):
        return None  # “十五五”时期目标任务和2026年工作安排: the paragraphs decide
    return named


def _title_kind(sections: list[Section], offset: int, lex) -> str | None:
    """The part the innermost titled section holding offset names."""
    kind = None
    level = sections
    while True:
        inner = next((s for s in level if s.start <= offset < s.end), None)
        if inner is None:
            return kind
        kind = _title_names_kind(inner.title) or kind
        level = inner.children


def _names_no_part(title: str, lex) -> bool:
    return not any(w in title for w in lex.review_sections + lex.plan_sections)


@lru_cache(maxsize=1024)  # asked once a line, of the few titles above it
def _title_names_kind(title: str) -> str | None:
    return _kind_of_title(title, lexicon.load())


def _kind_of_title(title: str, lex) -> str | None:
    review = any(w in title for w in lex.review_sections)
    plan = any(w in title for w in lex.plan_sections)
    if review and plan:
        return None  # 发展成就和主要目标任务: the paragraphs decide
    if review:
        return REVIEW
    if plan and any(w in title for w in lex.parts.achieved_title_words) \
            and not (YEAR_MENTION.search(title) or any(w in title for w in lex.parts.this_year_leads)):
        return REVIEW  # 圆满完成“十四五”目标任务: a plan done
    if plan:
        goals = any(w in title for w in lex.parts.goal_titles)
        work = any(w in title for w in lex.parts.work_titles)
        return GOALS if goals and not work else PLAN
    return None


def period_spoken_of(text: str, year: int | None) -> int | None:
    """The end year of a five-year plan ahead that text speaks of as a
    stretch of time (“十五五”时期…新增人口100万 → 2030), not as a name or
    a year of it (“十五五”开局之年)."""
    if year is None:
        return None
    words = lexicon.load().parts.period_words
    for m in _PERIOD.finditer(text):
        end = five_year_plan_end(_digit(m))
        after = text[m.end():m.end() + 4].lstrip("”\"' ")
        if end and end >= year and after.startswith(words):
            return end
    return None


def current_period_end(year: int | None) -> int | None:
    """The end of the five-year plan that holds year: 2026 → 2030, 2024 → 2025."""
    return None if year is None else 2025 + 5 * ((year - 2021) // 5)


def _votes(norm: str, start: int, end: int, inside: list[Quantity], year: int | None, lex) -> int:
    """Results minus goals among the paragraph's numbers: a number votes for
    a result when its sentence names an earlier year or a result cue before
    it, for a goal when a goal cue or a hedging comparator (左右, 以上) goes
    with it."""
    if not inside:
        return 0
    conf = lex.parts
    sentences = list(sentence_spans(norm, start, end))
    votes = 0
    si = 0
    for q in inside:
        while si < len(sentences) - 1 and sentences[si][1] <= q.start:
            si += 1
        s_start = sentences[si][0] if sentences else start
        before = norm[s_start:q.outer_start]
        past = year is not None and any(int(m.group(1)) < year and not before[:m.start()].endswith(lex.base_year_prefixes)
                                         for m in YEAR_MENTION.finditer(before))
        # a figure to the decimal stated flat (增长25.6%, 3172.8亿元), or one
        # passed (超过, 突破), is how results read; goals are round or hedged
        measured = q.comparator == ">" or (q.comparator == "=" and q.value != int(q.value))
        result = past or measured or any(c in before for c in conf.result_cues)
        goal = q.comparator in ("~", ">=", "range") or any(c in before for c in conf.goal_cues)
        votes += (result and not goal) - (goal and not result)
    return votes


def _fill(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A paragraph nothing decides belongs to the part before it."""
    out, kind = [], None
    for p in paragraphs:
        if p.kind is None and kind is not None:
            p = Paragraph(p.start, p.end, kind, None, None)
        kind = p.kind or kind
        out.append(p)
    return out


def _models(src: Source, sections: list[Section], paragraphs: list[Paragraph]) -> list[Part]:
    """Runs of paragraphs of one kind, titled by the heading they open with."""
    parts: list[Part] = []
    run: list[Paragraph] = []
    for p in paragraphs + [Paragraph(0, 0, "end")]:
        if run and p.kind != run[0].kind:
            if run[0].kind in (REVIEW, GOALS, PLAN):
                start, _ = src.span(run[0].start, run[0].start + 1)
                _, end = src.span(run[-1].end - 1, run[-1].end)
                title = next((s.title for s in _all(sections) if s.start == start), None)
                parts.append(Part(kind=run[0].kind, title=title, start=start, end=end))
            run = []
        run.append(p)
    return parts


def _all(sections: list[Section]):
    for s in sections:
        yield s
        yield from _all(s.children)
