"""The shape of a document: its editorial wrapper, metadata and section tree.

Works line by line on the cleaned text (paragraphs, once hard line breaks
are joined); every span it hands out indexes the original text."""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from pathlib import Path

from . import lexicon, regions
from .normalize import CleanSpan, Source, ends_paragraph, fold
from .numbers import parse_chinese
from .record import SentenceViews
from .records import Item, Measure, Meta, Section, Sentence, Span
from .sentences import sentence_spans

_DATE = lexicon.LazyPattern("date")
YEAR_MENTION = lexicon.LazyPattern("year_mention")
_YEAR_IN_NAME = lexicon.LazyPattern("year_in_name")
_INNER_SPACE = re.compile(r"\s+")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class Line:
    start: int  # offset of the first non-space character
    end: int    # offset after the last non-space character
    text: str   # normalized text of the line, stripped


@dataclass
class _Block:
    """A measure while the outline is read: offsets in the cleaned text."""
    title_start: int
    title_end: int
    start: int
    end: int
    sentences: array  # start, end, start, end … of each sentence
    items: list[list]  # [label, start, end]


@dataclass
class _Heading:
    """A section while the outline is read: offsets in the cleaned text."""
    label: str
    style: str
    level: int
    title_start: int
    title_end: int
    start: int
    end: int
    kind: str | None
    measures: list[_Block]
    children: list["_Heading"]


@dataclass(frozen=True)
class Outline:
    meta: Meta
    sections: list[Section]  # in original offsets, like every model
    body: CleanSpan          # the document proper, for the stages that match on the cleaned text


def _lines(norm: str) -> list[Line]:
    lines, pos = [], 0
    for raw in norm.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return lines


def _squash(s: str) -> str:
    return _INNER_SPACE.sub("", s)


def _iso_date(m: re.Match) -> str:
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _split_list(s: str) -> list[str]:
    """Split recipients on commas that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for ch in s:
        depth += ch in "(（"
        depth -= ch in ")）"
        if ch in ",，" and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def build(src: Source, source: str | None = None) -> Outline:
    """Meta (with the plan year) and section tree. Everything in the models
    indexes src.original; Outline.body is a CleanSpan for the stages that
    match on the cleaned text."""
    lex = lexicon.load()
    conf = lex.document
    text = src.slice
    lines = _lines(src.clean)
    meta = Meta(source=source, chars=len(src.original))

    # Editorial lead: everything before a 文件原文如下 line.
    first_body = 0
    for i, line in enumerate(lines):
        if len(line.text) <= 30 and any(m in line.text for m in conf.body_markers):
            meta.lead = [text(x.start, x.end) for x in lines[:i]]
            first_body = i + 1
            break

    # Editorial trailer at the end: a licence footer, 原标题, 来源, …
    last_body = _trailer_start(lines, first_body, conf, _heading_matcher(lex))
    while last_body > first_body and lines[last_body - 1].text.startswith(tuple(conf.trailer_prefixes)):
        last_body -= 1
    for line in lines[last_body:]:
        original = text(line.start, line.end)
        meta.trailer.append(original)
        prefix = conf.original_title_prefix
        if line.text.startswith(prefix):
            meta.original_title = original[len(prefix):].lstrip(":： ")
    body = lines[first_body:last_body]

    # Signature block, read upwards: dates, the issuer, attachments.
    while body:
        line = body[-1]
        date = _DATE.fullmatch(line.text)
        if date:
            meta.date = meta.date or _iso_date(date)
        elif len(line.text) <= 30 and line.text.endswith(tuple(conf.issuer_suffixes)):
            meta.issuer = meta.issuer or text(line.start, line.end)
        elif line.text.startswith(tuple(conf.attachment_prefixes)):
            meta.attachments.insert(0, text(line.start, line.end).split(":", 1)[-1].split("：", 1)[-1].strip())
        else:
            break
        body.pop()

    # Title, occasion, speaker and recipients at the top.
    heading_at = _heading_matcher(lex)
    i = 0
    # the title: the first line, or one after a web page's breadcrumbs (首页 > 云南要闻)
    at = next((k for k, line in enumerate(body[:conf.max_breadcrumbs + 1]) if _is_title(line, conf, heading_at)), None)
    if at is not None and all((len(line.text) <= conf.max_breadcrumb_chars
                               or any(ch in line.text for ch in conf.breadcrumb_marks))
                              and not ends_paragraph(line.text) for line in body[:at]):
        meta.lead.extend(text(line.start, line.end) for line in body[:at])
        meta.title = text(body[at].start, body[at].end)
        start, end = src.span(body[at].start, body[at].end)
        meta.title_span = Span(start=start, end=end)
        i = at + 1
    head_limit = min(len(body), i + 8)
    j = i
    while j < head_limit:
        line = body[j]
        if line.text.startswith(tuple(conf.head_note_prefixes)):
            meta.lead.append(text(line.start, line.end))  # 来源：新华日报, 时间：2026-02-09
            i = j = j + 1
            continue
        if _is_occasion(line.text, conf):
            meta.occasion = text(line.start, line.end).lstrip("—- ")
            date = _DATE.search(line.text)
            meta.date = meta.date or (_iso_date(date) if date else None)
            speaker = []
            k = j + 1
            while k < head_limit and len(body[k].text) <= 20 and not body[k].text.endswith((":", "：")):
                if body[k].text.startswith(tuple(conf.head_note_prefixes)):
                    meta.lead.append(text(body[k].start, body[k].end))
                else:
                    speaker.append(_squash(body[k].text))
                k += 1
            if speaker:
                meta.speaker = " ".join(speaker)
            i = j = k
            continue
        found = heading_at(line)
        if (found is not None and found[0] != "plain") or "。" in line.text:
            break  # the body has begun: a numbered heading, or a sentence before any salutation
        if line.text.endswith((":", "：")) and len(line.text) <= 80:
            meta.recipients = _split_list(text(line.start, line.end).rstrip(":："))
            i = j + 1
            break
        j += 1
    body = body[i:]

    _fill_meta(meta, conf)
    body_start = body[0].start if body else 0
    body_end = body[-1].end if body else 0
    start, end = src.span(body_start, body_end)
    meta.body = Span(start=start, end=end)
    opening = src.clean[body_start:body_start + 300]
    found_region = regions.find_region(meta.title, meta.issuer, meta.speaker, meta.occasion, opening)
    if found_region:
        meta.region, meta.region_code = found_region
    elif meta.region is None and any(c in opening or c in (meta.speaker or "") for c in conf.national_cues):
        meta.region = conf.national_region
    if meta.doc_type == "unknown":
        meta.doc_type = next((rule.type for rule in conf.doc_type_body_cues
                              if any(w in opening for w in rule.words)), "unknown")
    headings = _sections(src, body, body_end, lex, heading_at)
    meta.year = _plan_year(meta, headings, src, source, conf)
    return Outline(meta=meta, sections=_to_models(headings, src), body=CleanSpan(body_start, body_end))


_PERIOD = lexicon.LazyPattern("five_year_plan_named")


def five_year_plan_end(label_digit: str) -> int | None:
    """十四五 → 2025, 十五五 → 2030: the last year of the 1X-th five-year plan."""
    digits = lexicon.load().patterns.five_year_plan_digits
    return 1955 + 5 * (10 + digits.index(label_digit) + 1) if label_digit in digits else None


def _digit(m: re.Match) -> str:
    return next(g for g in m.groups() if g)  # one group a form of the name


def period_named(text: str) -> int | None:
    """The end year of a five-year plan named in text: “十五五”时期, 第十五个五年 → 2030."""
    m = _PERIOD.search(text)
    return five_year_plan_end(_digit(m)) if m else None


def _plan_year(meta: Meta, headings: list[_Heading], src: Source, source: str | None,
               conf: lexicon.DocumentWords) -> int | None:
    """The year the document plans for, decided here only: the latest year
    of the title (2023年计划执行情况与2024年计划草案 → 2024), the date of
    issue, the parts (2019年政府工作任务 → 2019, 2018年工作回顾 → 2019),
    and last the file name (2019.txt, jiaxing-2024-plan.txt)."""
    years = [int(y) for y in YEAR_MENTION.findall(fold(meta.title or ""))]  # ２０２６年 too
    if years:
        return max(years)
    plan_end = period_named(fold(meta.title or ""))
    if plan_end and meta.doc_type == "five_year_plan":
        return plan_end - 4  # 第十五个五年规划纲要: the plan runs from 2026
    if meta.date:
        return int(meta.date[:4])
    # a web page's or a news item's stamp before the body (时间：2026-02-01, 2026-01-27 18:32)
    head = fold(src.original[:meta.body.start + conf.date_stamp_reach]) if meta.body else ""
    stamp = conf.date_stamp.search(head)
    if stamp:
        return int(stamp.group(1))
    for kind, shift in (("target", 0), ("actual", 1)):
        for h in headings:
            m = YEAR_MENTION.search(src.clean, h.title_start, h.title_end)
            if m and h.kind == kind:
                return int(m.group(1)) + shift
    if source and source != "<stdin>":
        m = _YEAR_IN_NAME.search(Path(source).stem)
        if m:
            return int(m.group(1))
    return None


def _trailer_start(lines: list[Line], first_body: int, conf: lexicon.DocumentWords, heading_at) -> int:
    """Where the licence footer at the very end starts (len(lines) if none).
    A footer line with the document going on after it (a file holding two
    copies, each with its footer) is not the end: only the last run of
    footers, with no heading or paragraph between them, is trailer."""
    footers = [i for i in range(first_body, len(lines)) if lines[i].text.startswith(tuple(conf.footer_markers))]
    if not footers:
        return len(lines)

    def body_like(line: Line) -> bool:
        found = heading_at(line)
        return (found is not None and found[0] != "plain") or len(line.text) > conf.max_trailer_line_chars

    start = footers[-1]
    if any(body_like(line) for line in lines[start + 1:]
           if not line.text.startswith(tuple(conf.footer_markers) + tuple(conf.footer_continuations))):
        return len(lines)
    for earlier in reversed(footers[:-1]):
        if any(body_like(line) for line in lines[earlier + 1:start]):
            break
        start = earlier
    return start


def _is_title(line: Line, conf: lexicon.DocumentWords, heading_at) -> bool:
    return len(line.text) <= 80 and (heading_at(line) or ("plain",))[0] == "plain" \
        and not ends_paragraph(line.text) and "," not in line.text \
        and not any(ch in line.text for ch in conf.breadcrumb_marks) \
        and any(w in line.text for w in conf.title_words)


def _is_occasion(line: str, conf: lexicon.DocumentWords) -> bool:
    """——2026年2月3日在江苏省第十四届人民代表大会第五次会议上, also in
    parentheses or with no dash at all: the speech's date and occasion."""
    date = _DATE.search(line)
    if len(line) > 80:
        return False
    if line.startswith(tuple(conf.occasion_prefixes)):
        # ——在吉林省第十四届人民代表大会第五次会议上: the date may be left out
        return date is not None or any(w in line for w in conf.occasion_words)
    return date is not None and date.start() <= 1 and any(w in line for w in conf.occasion_words)


def _fill_meta(meta: Meta, conf: lexicon.DocumentWords) -> None:
    title = meta.title or ""
    for rule in conf.doc_types:
        if any(w in title for w in rule.words):
            meta.doc_type = rule.type
            break
    issuer = meta.issuer or ""
    for suffix in sorted(conf.issuer_suffixes, key=len, reverse=True):
        if issuer.endswith(suffix) and len(issuer) > len(suffix):
            meta.region = issuer[: -len(suffix)]
            break
    if meta.region is None and title:
        meta.region = _region_in(title, conf)


def _region_in(title: str, conf: lexicon.DocumentWords) -> str | None:
    """The place a title opens with: 嘉兴市人民政府关于…, 关于杭州市2023年…,
    2024年嘉兴市国民经济…. Suffixes are tried in order, so 杭州市 is not 杭州."""
    head = YEAR_MENTION.sub("", title)
    for word in conf.title_lead_words:
        head = head.removeprefix(word)
    head = YEAR_MENTION.sub("", head[:12])
    for suffix in conf.region_suffixes:
        m = re.match("([\u4e00-\u9fff]{1,8}?" + re.escape(suffix) + ")", head)
        if m:
            return m.group(1)
    return None


def _heading_matcher(lex: lexicon.Lexicon):
    def heading_at(line: Line):
        """(style, label, title_offset_in_line) for a heading line, else None."""
        for style in lex.heading_styles:
            m = style.pattern.match(line.text)
            if m and m.end() < len(line.text):
                return style.name, m.group("label"), m.end()
        if lex.plain_heading.fullmatch(line.text) or (
                lex.plain_part_heading.fullmatch(line.text)
                and any(w in line.text for w in lex.review_sections + lex.plan_sections)):
            return "plain", "", 0
        return None
    return heading_at


def _title_end(line_text: str, from_: int, limit: int) -> int | None:
    """End of a heading's title inside its line: the whole line when short,
    else its first sentence when that is short; None when neither is."""
    if len(line_text) - from_ <= limit and "。" not in line_text[from_:-1]:
        return len(line_text)
    stop = line_text.find("。", from_)
    if 0 < stop - from_ <= limit:
        return stop
    return None


def _label_number(label: str) -> int | None:
    if not label:
        return None
    if label in _CIRCLED:  # before isdigit(), which ① passes
        return _CIRCLED.index(label) + 1
    if label.isdigit():
        return int(label)
    value = parse_chinese(label)
    return int(value) if value is not None else None


def _sections(src: Source, body, body_end, lex, heading_at) -> list[_Heading]:
    """The heading tree. A heading continues the numbering of an open
    heading of its style (二 after 一) and closes what is below it; a 一 that
    continues nothing opens a list one level down; any other number that
    continues nothing is a list item inside a paragraph, not a heading.
    Unnumbered heading lines are siblings of each other."""
    roots: list[_Heading] = []
    stack: list[_Heading] = []
    paragraphs: list[tuple[Line, list[_Heading]]] = []  # non-heading lines with their open sections
    previous_closed = True  # the line before ended its paragraph, or was a heading
    for line in body:
        found = heading_at(line)
        if found and found[0] == "plain" and not previous_closed:
            found = None  # a line of its own inside a sentence is no heading
        title_end = _title_end(line.text, found[2], lex.max_heading_chars) if found else None
        parent_depth = None
        if found and title_end is not None:
            style, label, title_from = found
            number = _label_number(label)
            same = [i for i, s in enumerate(stack) if s.style == style]
            continues = [i for i in same if number is not None and _label_number(stack[i].label) == number - 1]
            if continues:
                parent_depth = continues[-1]
            elif style == "plain" and same:
                parent_depth = same[0]
            elif number == 1 or (style == "plain") or (number is None and not same):
                parent_depth = len(stack)
            if parent_depth is not None and parent_depth >= lex.max_heading_depth:
                parent_depth = None  # deeper than any real outline: a list, not headings
        if parent_depth is not None:
            del stack[parent_depth:]
            title_start, title_stop = line.start + title_from, line.start + title_end
            title = src.clean[title_start:title_stop].rstrip("。 ")
            section = _Heading(label=label, style=style, level=len(stack) + 1, title_start=title_start,
                               title_end=title_start + len(title), start=line.start, end=body_end,
                               kind=_section_kind(title, lex), measures=[], children=[])
            (stack[-1].children if stack else roots).append(section)
            stack.append(section)
            if title_stop < line.end:
                paragraphs.append((Line(title_stop, line.end, line.text[title_end:]), list(stack)))
            previous_closed = title_stop == line.end or ends_paragraph(line.text)
        else:
            paragraphs.append((line, list(stack)))
            previous_closed = ends_paragraph(line.text)
    _close_all(roots, body_end)
    _attach_measures(src, paragraphs, lex)
    return roots


def _section_kind(title: str, lex) -> str | None:
    """A review part (2023年工作回顾) holds actuals, a plan part targets; a
    title that names both (发展成就和主要目标任务) leaves it to the sentences."""
    review = any(w in title for w in lex.review_sections)
    plan = any(w in title for w in lex.plan_sections)
    if review != plan:
        return "actual" if review else "target"
    return None


def _close_all(sections: list[_Heading], end: int) -> None:
    """Each section ends where its next sibling starts, or with its parent."""
    for i, section in enumerate(sections):
        section.end = sections[i + 1].start if i + 1 < len(sections) else end
        _close_all(section.children, section.end)


def _attach_measures(src: Source, paragraphs, lex) -> None:
    """Measures: paragraphs titled by their lead phrase, inside the
    innermost open section. A paragraph without a title joins the measure
    before it."""
    current: _Block | None = None
    current_owner: _Heading | None = None
    for line, open_sections in paragraphs:
        owner = open_sections[-1] if open_sections else None
        if owner is not current_owner:
            current, current_owner = None, owner
        title_len = _inline_title_length(line.text, lex)
        if owner is not None and title_len:
            title_start = line.start + (len(line.text) - len(line.text.lstrip("—-— ")))
            title_end = line.start + title_len
            current = _Block(title_start=title_start, title_end=title_end, start=line.start, end=line.end,
                             sentences=array("q"), items=[])
            owner.measures.append(current)
        elif current is not None:
            current.end = line.end
        else:
            continue
        for a, b in sentence_spans(src.clean, line.start, line.end):
            current.sentences.extend((a, b))
        for m in lex.enumeration_item.finditer(src.clean, line.start, line.end):
            if current.items:
                current.items[-1][2] = m.start("label")
            current.items.append([m.group("label"), m.start("label"), line.end])


def _inline_title_length(line_text: str, lex) -> int:
    """Length of the lead phrase that titles a paragraph, or 0."""
    body = line_text.lstrip("—-— ")
    offset = len(line_text) - len(body)
    for i, ch in enumerate(body[: lex.max_inline_title_chars + 1]):
        if ch in lex.inline_title_end:
            if i == 0 or i == len(body) - 1:
                return 0
            title = body[:i]
            if any(p in title for p in ",，;；、") or any(c.isdigit() for c in title):
                return 0
            return offset + i
    return 0


def _to_models(headings: list[_Heading], src: Source) -> list[Section]:
    """The section tree as models: offsets into the original, titles and
    sentences as written. Every offset goes through src.span."""
    def span(a: int, b: int) -> dict:
        start, end = src.span(a, b)
        return {"start": start, "end": end}

    def title(a: int, b: int) -> dict:
        start, end = src.span(a, b)
        return {"title": src.original[start:end], "title_start": start, "title_end": end}

    def sentences(flat: array) -> SentenceViews:
        starts, ends = array("q"), array("q")
        for i in range(0, len(flat), 2):
            start, end = src.span(flat[i], flat[i + 1])
            starts.append(start)
            ends.append(end)
        return SentenceViews(src.original, starts, ends, Sentence)

    return [Section(label=h.label, style=h.style, level=h.level, kind=h.kind, **span(h.start, h.end),
                    **title(h.title_start, h.title_end),
                    measures=[Measure(**span(m.start, m.end), **title(m.title_start, m.title_end),
                                      sentences=sentences(m.sentences),
                                      items=[Item(label=label, **span(a, b)) for label, a, b in m.items])
                              for m in h.measures],
                    children=_to_models(h.children, src))
            for h in headings]
