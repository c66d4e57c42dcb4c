"""Word boundaries: jieba's segmentation (no HMM) over the project's word
list, without jieba at run time.

Rules match verbs and markers only where a word boundary falls, so 增加
does not fire inside 增加值 nor 积极 inside 积极性. The word list
(data/lexicon/segment_words.txt, built by tools/build_jieba_dict.py from
jieba's dictionary and data/lexicon/jieba_user_dict.txt) holds one line per
first character; a line is unpacked the first time a text needs a word
starting with that character, so start-up reads a file and no more.
The path scoring is jieba's own, step for step, so the boundaries are the
ones jieba gives (a test compares them on real text)."""
from __future__ import annotations

import re
from functools import cache, lru_cache
from math import log

from . import lexicon

# jieba's own character classes: a run of these is segmented by word;
# anything else (punctuation, spaces) is a word of one character
_SEGMENTED_RUN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class _WordList:
    """Each word's score in jieba's path scoring (log of its frequency over
    the total) and, as None, every proper prefix of a word: the dictionary
    jieba walks, filled one first character at a time."""

    def __init__(self, text: str):
        head, _, body = text.partition("\n")
        self.log_total = log(int(head.split()[1]))
        self._lines = {line[0]: line for line in body.split("\n") if line}
        self._by_first: dict[str, dict[str, float | None]] = {}

    def starting_with(self, ch: str) -> dict[str, float | None]:
        words = self._by_first.get(ch)
        if words is None:
            words = {}
            line = self._lines.get(ch)
            if line:
                log_total = self.log_total
                for entry in line.split("\t"):
                    word, _, freq = entry.rpartition(" ")
                    words[word] = log(int(freq)) - log_total
                for word in list(words):
                    for end in range(1, len(word)):
                        words.setdefault(word[:end], None)
            self._by_first[ch] = words
        return words


@cache
def _word_list() -> _WordList:
    return _WordList(lexicon.load().segment_words.read_text(encoding="utf-8"))


def _run_boundaries(run: str, words: _WordList, at: int, bounds: set[int]) -> None:
    """Adds the word ends of one run, offset by `at`: jieba's get_DAG, calc
    and cut without HMM, with the same arithmetic in the same order, so the
    same path wins (ties go to the longer word, as in jieba's max)."""
    n = len(run)
    unknown = -words.log_total  # log(1) - log_total: a character no word starts
    best_end = [0] * n
    score = [0.0] * (n + 1)
    for k in range(n - 1, -1, -1):
        scores = words.starting_with(run[k])
        best, end = None, k
        i, frag = k, run[k]
        while i < n and frag in scores:
            word_score = scores[frag]
            if word_score is not None:
                path = word_score + score[i + 1]
                if best is None or path >= best:
                    best, end = path, i
            i += 1
            frag = run[k:i + 1]
        if best is None:  # no word starts here: the character alone
            best = unknown + score[k + 1]
        score[k], best_end[k] = best, end
    x, ascii_run = 0, False
    while x < n:
        y = best_end[x] + 1
        # jieba joins single ASCII letters and digits into one word (GDP)
        single_ascii = y - x == 1 and run[x] in _ASCII_ALNUM
        if not (single_ascii and ascii_run):
            bounds.add(at + x)
        ascii_run = single_ascii
        x = y
    bounds.add(at + n)


@lru_cache(maxsize=4096)  # a quarter of the stretches asked about come again (the same clause, another rule)
def boundaries(stretch: str) -> frozenset[int]:
    """The offsets in `stretch` where a word starts or ends."""
    words = _word_list()
    bounds, pos = {0}, 0
    for piece in _SEGMENTED_RUN.split(stretch):
        if not piece:
            continue
        if _SEGMENTED_RUN.fullmatch(piece):
            _run_boundaries(piece, words, pos, bounds)
        else:  # one word a character, but \r\n is one word
            j = 0
            while j < len(piece):
                j += 2 if piece.startswith("\r\n", j) else 1
                bounds.add(pos + j)
        pos += len(piece)
    return frozenset(bounds)


@cache
def _by_first_char(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The words indexed by their first character, longest first: a position
    is tried only against the words that can start there."""
    index: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        if word:
            index.setdefault(word[0], []).append(word)
    return {ch: tuple(ws) for ch, ws in index.items()}


def _index(words) -> dict[str, tuple[str, ...]]:
    # frozenset(a frozenset) is that frozenset: the common case costs nothing
    return _by_first_char(words if isinstance(words, frozenset) else frozenset(words))


def words_in(stretch: str, words) -> list[tuple[int, str]]:
    """(offset, word) for each of `words` in `stretch` that starts and ends
    on a word boundary, left to right, longest first."""
    if not stretch:
        return []
    index = _index(words)
    if not any(ch in index for ch in stretch):
        return []  # no word can start anywhere: no need to segment
    bounds = boundaries(stretch)
    found, i = [], 0
    while i < len(stretch):
        if i in bounds:
            for word in index.get(stretch[i], ()):
                if stretch.startswith(word, i) and i + len(word) in bounds:
                    found.append((i, word))
                    i += len(word) - 1
                    break
        i += 1
    return found


def starts_with_word(stretch: str, words) -> bool:
    """Whether `stretch` opens with one of `words` as a whole word."""
    if not stretch:
        return False
    candidates = [w for w in _index(words).get(stretch[0], ()) if stretch.startswith(w)]
    if not candidates:
        return False
    bounds = boundaries(stretch)
    return any(len(w) in bounds for w in candidates)
