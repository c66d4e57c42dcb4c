"""Word boundaries from jieba, with the project's user dictionary.

Rules match verbs and markers only where jieba puts a word boundary, so 增加
does not fire inside 增加值 nor 积极 inside 积极性."""
from __future__ import annotations

import logging
import os
import shutil
import stat
import sys
import tempfile
from functools import cache

from . import lexicon


@cache
def _tokenizer():
    # jieba finds its files through pkg_resources when that imports, which
    # alone costs more than the rest of jieba; its fallback reads them from
    # its own folder just the same.
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    # jieba logs a traceback when it cannot write its cache: not for users
    jieba.setLogLevel(logging.CRITICAL)
    lex = lexicon.load()
    # a compact dictionary (tools/build_jieba_dict.py): the words that can
    # cross a verb's boundary, at a fraction of the full one's start-up cost
    tokenizer = jieba.Tokenizer(dictionary=str(lex.jieba_dict))
    # jieba keeps its prefix dictionary in the shared temporary folder by
    # default, where another user can plant one; ours lives in a per-user
    # cache folder, or in a private one removed at once when there is none
    private = None
    tokenizer.tmp_dir = cache_dir()
    if tokenizer.tmp_dir is None:
        private = tokenizer.tmp_dir = tempfile.mkdtemp(prefix="plancli-jieba-")
    try:
        tokenizer.load_userdict(str(lex.jieba_user_dict))
    finally:
        if private:
            shutil.rmtree(private, ignore_errors=True)
    return tokenizer


def cache_dir() -> str | None:
    """$XDG_CACHE_HOME/plancli or ~/.cache/plancli, created 0700; None when
    it cannot be made or is not safely ours (another owner, a symbolic link,
    writable by others)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    path = os.path.join(base, "plancli")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return None
    uid = getattr(os, "getuid", lambda: info.st_uid)()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != uid or info.st_mode & 0o022:
        return None
    return path


def boundaries(stretch: str) -> set[int]:
    bounds, pos = {0}, 0
    for token in _tokenizer().cut(stretch, HMM=False):
        pos += len(token)
        bounds.add(pos)
    return bounds


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
