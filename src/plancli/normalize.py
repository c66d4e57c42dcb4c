"""The text the patterns see, and the way back to the text as read.

`Source` holds the original text and a cleaned copy: full-width digits and
signs become ASCII, traditional characters simplified (one character for
one), and layout debris is removed — page markers, running headers, hard
line breaks inside paragraphs, spaces between Chinese characters. Every
stage matches on `clean`; every offset it reports goes through `span`, so
it indexes the original and `original[start:end]` is the reported text."""
from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import Counter
from functools import cache, lru_cache
from typing import NamedTuple

from . import lexicon

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space
_SPACE_RUN = re.compile(r"[ \u00a0\u3000]+")  # not tabs: they separate table cells
_PAST_THE_PLANE = re.compile("[\U00010000-\U0010FFFF]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]+")
_SPACED_DIGITS = re.compile(r"\d(?:[ \u3000]\d){2,}")


def _inner_spaces(text: str):
    """(start, end) of each run of spaces between two Chinese characters, a
    digit or % and a Chinese character, a Chinese character and a digit, or
    a digit and %: 国 内 生 产 总 值, 增长 6 %. (The neighbours are tested
    here rather than by lookarounds in the regex: five times faster.)"""
    last = len(text)
    for m in _SPACE_RUN.finditer(text):
        a, b = m.start(), m.end()
        if a == 0 or b == last:
            continue
        before, after = text[a - 1], text[b]
        cjk_before, digit_before = "\u3400" <= before <= "\u9fff", before.isdecimal()  # isdecimal: regex \d
        if ("\u3400" <= after <= "\u9fff" and (cjk_before or digit_before or before in "%％")) \
                or (cjk_before and after.isdecimal()) or (digit_before and after in "%％‰"):
            yield a, b


@cache
def _char_maps() -> tuple[tuple[int, ...], dict[int, int]]:
    """The folding table: for the Basic Multilingual Plane a tuple indexed by
    code point (str.translate reads one twice as fast as a dict, and 65,536
    entries build in a millisecond), for the few characters past it (𠮷-like
    traditional forms) a dict."""
    table = dict(_FULL_WIDTH)
    path = lexicon.data_dir() / "lexicon" / "t2s_chars.txt"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) == 3 and line[1] == "\t":
                table[ord(line[0])] = ord(line[2])
    plane = list(range(0x10000))
    beyond = {}
    for code, folded in table.items():
        if code < 0x10000:
            plane[code] = folded
        else:
            beyond[code] = folded
    return tuple(plane), beyond


def fold(text: str) -> str:
    """A string as the patterns see it (full-width → ASCII, traditional →
    simplified), for text taken from the original: 等於 → 等于."""
    plane, beyond = _char_maps()
    folded = text.translate(plane)  # a code point past the tuple's end stays as it is
    if beyond and _PAST_THE_PLANE.search(folded):
        folded = folded.translate(beyond)
    return folded


@cache
def _layout():
    conf = lexicon.load().layout
    return conf, conf.page_marker


class CleanSpan(NamedTuple):
    """A span of Source.clean. Only Source.span turns it into offsets of the
    original, which is what every model holds."""
    start: int
    end: int


class Source:
    """Original text, cleaned text, and the map between their offsets."""

    def __init__(self, original: str):
        self.original = original
        kept, folded = _kept_segments(original)
        # the offset maps as arrays of machine integers: 8 bytes an entry, not a
        # Python int's 36 (a long text keeps tens of thousands of segments)
        self._clean_starts = array("q")
        self._orig_starts = array("q")
        pieces, pos = [], 0
        for a, b in kept:
            self._clean_starts.append(pos)
            self._orig_starts.append(a)
            pieces.append(folded[a:b])
            pos += b - a
        self.clean = "".join(pieces)  # folded once, one character for one

    def offset(self, clean_offset: int) -> int:
        """The original offset of the character at clean_offset."""
        i = bisect_right(self._clean_starts, clean_offset) - 1
        if i < 0:
            return clean_offset
        return self._orig_starts[i] + clean_offset - self._clean_starts[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of clean[start:end]."""
        if end <= start:
            o = self.offset(start) if start < len(self.clean) else len(self.original)
            return o, o
        return self.offset(start), self.offset(end - 1) + 1

    def slice(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


# what str.splitlines breaks a line at; \r\n is one break
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _line_spans(text: str) -> tuple[array, array, array]:
    """(starts, ends without the break, ends with it) of the lines
    text.splitlines(keepends=True) gives, with raw.rstrip("\r\n") as the end
    without the break (a \u2028 stays in its line, as there)."""
    line_ends = [m.end() for m in _LINE_BREAK.finditer(text)]
    if text and (not line_ends or line_ends[-1] < len(text)):
        line_ends.append(len(text))  # the last line, with no break after it
    starts, ends, next_starts = array("q"), array("q"), array("q")
    pos = 0
    for line_end in line_ends:
        end = line_end
        while end > pos and text[end - 1] in "\r\n":
            end -= 1
        starts.append(pos)
        ends.append(end)
        next_starts.append(line_end)
        pos = line_end
    return starts, ends, next_starts


def _kept_segments(text: str) -> tuple[list[tuple[int, int]], str]:
    """Spans of the original to keep, in order, and the text folded (full-width
    → ASCII, traditional → simplified: one character for one, so its offsets
    are the original's)."""
    conf, marker = _layout()
    # each line's start, end without its line break and end with it, as
    # str.splitlines(keepends=True) splits, in arrays (not a tuple a line)
    starts, ends, next_starts = _line_spans(text)
    folded = fold(text)  # one character for one: 下載 is 下载, furniture in any script
    stripped = [folded[a:b].strip() for a, b in zip(starts, ends)]
    # Running headers repeat once a page, so only a paged text has them, and
    # no more often than it has pages.
    # Bare numbers on lines of their own are page numbers when they count up
    # through the text (1, 2, 3 …); a single one is a split-off fragment (M / 2).
    bare = [int(s) for s in stripped if s.isascii() and s.isdigit() and len(s) <= 4]
    numbered_pages = len(bare) >= 3 and sum(b > a for a, b in zip(bare, bare[1:])) >= 0.8 * (len(bare) - 1)
    pages = sum(1 for s in stripped if s and marker.fullmatch(s)) + (len(bare) if numbered_pages else 0)
    counts = Counter(s for s in stripped if s and len(s) <= conf.repeated_header_max_chars)
    headers = {s for s, n in counts.items()
               if conf.repeated_header_min_count <= n <= pages + 1 and not _is_heading(s)} if pages >= 2 else set()
    wrap = _wrap_width(stripped, conf)

    def furniture(line: str) -> bool:
        return bool(line) and (marker.fullmatch(line) is not None or line in headers
                               or conf.web_furniture.fullmatch(line) is not None
                               or (numbered_pages and line.isascii() and line.isdigit() and len(line) <= 4))

    is_furniture = [furniture(s) for s in stripped]
    # the next line with text on it, past blank lines and furniture
    next_content: list[int | None] = [None] * len(starts)
    following = None
    for i in range(len(starts) - 1, -1, -1):
        next_content[i] = following
        if stripped[i] and not is_furniture[i]:
            following = i
    clause_marks = lexicon.load().punctuation.clause_marks
    removed: list[tuple[int, int]] = []
    running_text = False  # the paragraph so far (soft breaks joined) has a comma
    for i, (a, b, c) in enumerate(zip(starts, ends, next_starts)):
        s = stripped[i]
        if is_furniture[i]:
            removed.append((a, c))  # the whole line, with its break
            continue
        if not s:
            continue
        running_text = running_text or any(p in s for p in clause_marks)
        j = next_content[i]
        k = None if j is None else next_content[j]
        if j is not None and _runs_on(running_text, s, stripped[j], stripped[k] if k else "", wrap, conf):
            # a soft break, with any blank lines after it: the sentence goes on
            removed.append((b, starts[j] + len(text[starts[j]:ends[j]]) - len(text[starts[j]:ends[j]].lstrip())))
        else:
            running_text = False
    # spaces and zero-width marks inside a line (none of these spans a line
    # break, and one inside a furniture line goes with the line)
    removed.extend(_inner_spaces(text))
    for m in _ZERO_WIDTH.finditer(text):
        removed.append((m.start(), m.end()))
    for m in _SPACED_DIGITS.finditer(text):  # 1 9 9 8 年
        removed.extend((k, k + 1) for k in range(m.start(), m.end()) if not text[k].isdigit())
    removed.sort()
    kept, pos = [], 0
    for a, b in removed:
        if a > pos:
            kept.append((pos, a))
        pos = max(pos, b)
    if pos < len(text):
        kept.append((pos, len(text)))
    return kept, folded


def _ends_paragraph(line: str, conf) -> bool:
    return line.rstrip(lexicon.load().punctuation.closers)[-1:] in tuple(lexicon.load().punctuation.paragraph_end)


def ends_paragraph(line: str) -> bool:
    """Whether a line ends with the punctuation that closes a paragraph."""
    return _ends_paragraph(line, _layout()[0])


def _runs_on(running_text: bool, line: str, nxt: str, after: str, wrap: int | None, conf) -> bool:
    """Whether the break after `line` is soft: the sentence goes on in `nxt`
    (`after` is the line after that)."""
    if line and line[-1] in lexicon.load().punctuation.opening_marks:
        return True  # 三、关于《 / 国民经济和社会发展第十一个五年规划纲要 / 》…
    if not line or _ends_paragraph(line, conf) or _is_heading(line) or _is_heading(nxt):
        return False
    if nxt[0] in lexicon.load().punctuation.continuation_start:
        return True  # the next line opens with ，or 。: it cannot start a paragraph
    if _fragment(nxt) or _fragment(line):
        return True  # 广义货币M / 2 / 预期增长12%: a link split off a word
    if after and after[0] in lexicon.load().punctuation.continuation_start and not _ends_paragraph(nxt, conf):
        return True  # a link on a line of its own: 締結了 / 友好同盟互助條約 / 。蘇聯…
    if wrap and len(line) >= wrap - conf.wrap_tolerance:
        return True  # a full line of a hard-wrapped page
    # running text (it has a comma) that stops without punctuation
    return running_text and not line.startswith(conf.hard_line_prefixes)


def _fragment(line: str) -> bool:
    """A line of a few letters or digits and nothing else (M2's 2, C919)."""
    return len(line) <= 4 and line.isascii() and line.isalnum()


@lru_cache(maxsize=4096)
def _is_heading(line: str) -> bool:
    return any(style.pattern.match(line) for style in lexicon.load().heading_styles) or line.startswith("——")


def _wrap_width(stripped: list[str], conf) -> int | None:
    """The width a hard-wrapped text breaks its lines at, or None."""
    ends = [len(s) for s in stripped if len(s) >= conf.wrap_min_width
            and s.rstrip(lexicon.load().punctuation.closers)[-1] not in lexicon.load().punctuation.paragraph_end and not _is_heading(s)]
    if len(ends) < conf.wrap_min_lines:
        return None
    width, _ = Counter(ends).most_common(1)[0]
    near = sum(1 for n in ends if abs(n - width) <= conf.wrap_tolerance)
    if near / len(ends) >= conf.wrap_min_share and near >= conf.wrap_min_lines:
        return width
    return None
