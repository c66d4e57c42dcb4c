"""The text the patterns see, and the way back to the text as read.

`Source` holds the original text and a cleaned copy: full-width digits and
signs become ASCII, traditional characters simplified (one character for
one), and layout debris is removed — page markers, running headers, hard
line breaks inside paragraphs, spaces between Chinese characters. Every
stage matches on `clean`; every offset it reports goes through `span`, so
it indexes the original and `original[start:end]` is the reported text."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import cache

from . import lexicon

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20  # ideographic space
_CJK = r"\u3400-\u9fff"
# a space (or several) between two Chinese characters, or a Chinese character and a digit
_SPACE = r"[ \t\u00a0\u3000]+"
_INNER_SPACES = re.compile(rf"(?<=[{_CJK}\d%％])(?:{_SPACE})(?=[{_CJK}])|(?<=[{_CJK}])(?:{_SPACE})(?=[\d０-９])"
                           rf"|(?<=[\d０-９])(?:{_SPACE})(?=[%％‰])")


@cache
def _char_map() -> dict[int, int]:
    table = dict(_FULL_WIDTH)
    path = lexicon.data_dir() / "lexicon" / "t2s_chars.txt"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) == 3 and line[1] == "\t":
                table[ord(line[0])] = ord(line[2])
    return table


@cache
def _layout():
    conf = lexicon.load_yaml("layout.yaml")
    marker = re.compile("(?:" + "|".join(conf["page_marker_lines"]) + ")")
    return conf, marker


class Source:
    """Original text, cleaned text, and the map between their offsets."""

    def __init__(self, original: str):
        self.original = original
        kept = _kept_segments(original)
        self._clean_starts = []
        self._orig_starts = []
        pieces, pos = [], 0
        for a, b in kept:
            self._clean_starts.append(pos)
            self._orig_starts.append(a)
            pieces.append(original[a:b])
            pos += b - a
        self.clean = "".join(pieces).translate(_char_map())

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


def _kept_segments(text: str) -> list[tuple[int, int]]:
    """Spans of the original to keep, in order."""
    conf, marker = _layout()
    lines = []  # (start, end without line break, end with it)
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append((pos, pos + len(body), pos + len(raw)))
        pos += len(raw)
    stripped = [text[a:b].strip() for a, b, _ in lines]
    counts = Counter(s for s in stripped if s and len(s) <= conf["repeated_header_max_chars"])
    headers = {s for s, n in counts.items() if n >= conf["repeated_header_min_count"] and not _is_heading(s)}
    wrap = _wrap_width(stripped, conf)

    removed: list[tuple[int, int]] = []
    for i, (a, b, c) in enumerate(lines):
        s = stripped[i]
        if s and (marker.fullmatch(s) or s in headers):
            removed.append((a, c))  # the whole line, with its break
            continue
        if wrap and s and c > b and len(s) >= wrap - conf["wrap_tolerance"] \
                and s[-1] not in conf["paragraph_end"] and not _is_heading(s):
            nxt = next((stripped[j] for j in range(i + 1, len(lines))
                        if not (stripped[j] and (marker.fullmatch(stripped[j]) or stripped[j] in headers))), "")
            if nxt and not _is_heading(nxt):
                removed.append((b, c))  # a soft line break
        for m in _INNER_SPACES.finditer(text, a, b):
            removed.append((m.start(), m.end()))
    removed.sort()
    kept, pos = [], 0
    for a, b in removed:
        if a > pos:
            kept.append((pos, a))
        pos = max(pos, b)
    if pos < len(text):
        kept.append((pos, len(text)))
    return kept


def _is_heading(line: str) -> bool:
    return any(style.pattern.match(line) for style in lexicon.load().heading_styles) or line.startswith(("——", "附件"))


def _wrap_width(stripped: list[str], conf) -> int | None:
    """The width a hard-wrapped text breaks its lines at, or None."""
    ends = [len(s) for s in stripped if len(s) >= conf["wrap_min_width"]
            and s[-1] not in conf["paragraph_end"] and not _is_heading(s)]
    if len(ends) < conf["wrap_min_lines"]:
        return None
    width, _ = Counter(ends).most_common(1)[0]
    near = sum(1 for n in ends if abs(n - width) <= conf["wrap_tolerance"])
    if near / len(ends) >= conf["wrap_min_share"] and near >= conf["wrap_min_lines"]:
        return width
    return None
