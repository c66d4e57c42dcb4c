"""Language knowledge, loaded once from data/lexicon/ (YAML and txt).

Code elsewhere asks this module for word lists and compiled patterns; no
Chinese word list lives in the code. Adding a unit or a verb is a data
change.

Each YAML file has one typed model here (Units, Comparators, …, Patterns),
built by its `read` from the file's mapping; every value is checked as it
is read, so a bad edit fails at load with one line naming the file and the
key (`data/lexicon/units.yaml: magnitudes.万: expected a number`), which
the command line prints as is. The lexicon is read one way: `load()` and
its typed attributes (lex.document.body_markers, lex.punctuation.sentence_end,
lex.patterns.year_mention); indicators.yaml and compare.yaml are read on
first use, regions.yaml by plancli.regions with its own checks.
$PLANCLI_DATA_DIR points at another data directory (tests put a broken copy
there)."""
from __future__ import annotations

import marshal
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from .errors import PlancliError

_PACKAGE_DIR = Path(__file__).resolve().parent
# Points plancli at another data directory (one holding lexicon/): a copy
# with an edit under test, or a user's own word lists.
DATA_DIR_VARIABLE = "PLANCLI_DATA_DIR"


def data_dir() -> Path:
    """data/ as shipped in the wheel (plancli/_data) or in a source checkout,
    or the directory $PLANCLI_DATA_DIR names."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override)
    for candidate in (_PACKAGE_DIR / "_data", _PACKAGE_DIR.parent.parent / "data"):
        if (candidate / "lexicon").is_dir():
            return candidate
    raise FileNotFoundError("plancli data/lexicon not found: reinstall plancli")


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


class _ParsedYaml:
    """The lexicon's YAML files as data, kept in the per-user cache between
    runs: a file unchanged since (same size and modification time) loads
    from there with marshal, without importing yaml at all (a tenth of the
    time; start-up is what the command line pays for every file). One cache
    file per lexicon directory, rewritten whole when a file changed."""

    def __init__(self, lexicon_dir: Path):
        folder = cache_dir()
        key = f"{zlib.crc32(os.fsencode(lexicon_dir.resolve())):08x}"  # a name per directory (hashlib costs 4 ms)
        python = f"{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format is this Python's
        self.path = Path(folder) / f"lexicon-{key}-py{python}.marshal" if folder else None
        self.entries: dict = {}
        if self.path is not None:
            try:
                entries = marshal.loads(self.path.read_bytes())
                self.entries = entries if isinstance(entries, dict) else {}
            except (OSError, EOFError, ValueError, TypeError):
                pass  # none yet, or damaged: parsed again and rewritten

    def get(self, path: Path):
        try:
            info = os.stat(path)
        except OSError:
            info = None
        stamp = (info.st_mtime_ns, info.st_size) if info else None
        found = self.entries.get(path.name)
        if stamp and isinstance(found, tuple) and len(found) == 2 and found[0] == stamp:
            return found[1]
        data = _parse_yaml(path)
        if stamp and self.path is not None:
            self.entries[path.name] = (stamp, data)
            self._save()
        return data

    def _save(self) -> None:
        try:
            blob = marshal.dumps(self.entries)
        except ValueError:
            return  # a value marshal cannot hold (a date): parsed each time
        import tempfile

        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".lexicon-")
            with os.fdopen(fd, "wb") as f:
                f.write(blob)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time


@cache
def _yaml_cache(lexicon_dir: Path) -> _ParsedYaml:
    return _ParsedYaml(lexicon_dir)


def _parse_yaml(path: Path):
    import yaml

    # libyaml's loader when PyYAML was built with it: several times faster
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as f:
        try:
            return yaml.load(f, Loader=loader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark else ""
            raise LexiconError(f"{_shown(path)}: {where}not valid YAML: "
                               f"{getattr(error, 'problem', None) or error}") from None


class LexiconError(PlancliError):
    """A lexicon file that cannot be used: unreadable YAML, a missing key, a
    value of the wrong type, an invalid regular expression. The message
    names the file and the key: `data/lexicon/units.yaml: magnitudes.万:
    expected a number`."""


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_REQUIRED = object()


def _is_number(value) -> bool:
    """A number, or a string YAML left unread that is one (1.0e12: YAML 1.1
    wants a sign in the exponent)."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Node:
    """A mapping read from a lexicon file, handing out its values checked:
    each accessor raises LexiconError naming the file and the dotted key."""
    __slots__ = ("file", "path", "data")

    def __init__(self, file: Path, data, path: str = ""):
        self.file, self.path, self.data = file, path, data  # file shown only in an error
        if not isinstance(data, dict):
            raise LexiconError(f"{_shown(file)}: {path or '(top level)'}: expected a mapping")

    def key(self, key) -> str:
        return f"{self.path}.{key}" if self.path else str(key)

    def fail(self, key, problem: str):
        raise LexiconError(f"{_shown(self.file)}: {self.key(key)}: {problem}")

    def get(self, key, default=_REQUIRED):
        if key in self.data:
            return self.data[key]
        if default is _REQUIRED:
            self.fail(key, "missing")
        return default

    def text(self, key, default=_REQUIRED) -> str:
        value = self.get(key, default)
        if not isinstance(value, str):
            self.fail(key, "expected a string")
        return value

    def words(self, key) -> tuple[str, ...]:
        value = self.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            self.fail(key, "expected a list of words")
        return tuple(value)

    def number(self, key, default=_REQUIRED) -> float:
        value = self.get(key, default)
        if not _is_number(value):
            self.fail(key, "expected a number")
        return float(value)

    def integer(self, key) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "expected a whole number")
        return value

    def flag(self, key, default=_REQUIRED) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, "expected true or false")
        return value

    def regex(self, key, flags: int = 0) -> re.Pattern:
        return self._compile(key, self.text(key), flags)

    def alternation(self, key) -> re.Pattern:
        """A list of regular expressions, each checked (joined, a bad one
        can still compile: [\\d|…]), compiled as one alternation."""
        value = self.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            self.fail(key, "expected a list of regular expressions")
        for i, pattern in enumerate(value):
            self._compile(f"{key}[{i}]", pattern)
        return re.compile("(?:" + "|".join(value) + ")")

    def _compile(self, key, pattern: str, flags: int = 0) -> re.Pattern:
        try:
            return re.compile(pattern, flags)
        except re.error as error:
            self.fail(key, f"not a regular expression: {error}")

    def node(self, key) -> "_Node":
        value = self.get(key)
        if not isinstance(value, dict):
            self.fail(key, "expected a mapping")
        return _Node(self.file, value, self.key(key))

    def nodes(self, key) -> list["_Node"]:
        """A list of mappings."""
        value = self.get(key)
        if not isinstance(value, list):
            self.fail(key, "expected a list")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail(f"{key}[{i}]", "expected a mapping")
        return [_Node(self.file, item, f"{self.key(key)}[{i}]") for i, item in enumerate(value)]

    def entries(self, key) -> list[tuple[str, "_Node"]]:
        """A mapping of words to mappings, in file order."""
        node = self.node(key)
        for word, value in node.data.items():
            if not isinstance(word, str):
                node.fail(word, "expected a word as key")
            if not isinstance(value, dict):
                node.fail(word, "expected a mapping")
        return [(word, _Node(self.file, value, node.key(word))) for word, value in node.data.items()]

    def table(self, key, kind: str) -> dict:
        """A mapping of words to values of one kind: number, text, text or null."""
        node = self.node(key)
        for word, value in node.data.items():
            if not isinstance(word, str):
                node.fail(word, "expected a word as key")
            ok = {"number": _is_number(value),
                  "text": isinstance(value, str),
                  "text or null": value is None or isinstance(value, str)}[kind]
            if not ok:
                node.fail(word, {"number": "expected a number", "text": "expected a string",
                                 "text or null": "expected a string or null"}[kind])
        return dict(node.data)


def _read(lexicon_dir: Path, name: str) -> _Node:
    path = lexicon_dir / name
    try:
        data = _yaml_cache(lexicon_dir).get(path)
    except OSError as error:
        raise LexiconError(f"{_shown(path)}: cannot be read: {error.strerror}") from None
    return _Node(path, data)


def load_yaml(name: str) -> dict:
    """A lexicon file as plain data, unchecked; for tools. The parser reads
    the lexicon through `load()`."""
    lexicon_dir = data_dir() / "lexicon"
    return _yaml_cache(lexicon_dir).get(lexicon_dir / name)


def alternation(words) -> str:
    """A regex alternation that tries longer words first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Unit:
    name: str
    base: str
    factor: float
    category: str  # percent, money, physical, counter, duration, doubling
    exponent_of: float | None = None  # 翻两番: base value = 2 ** 2


@dataclass(frozen=True)
class HeadingStyle:
    name: str
    pattern: re.Pattern


class _Record:
    """A frozen record whose fields are its class annotations, in order: a
    frozen dataclass without generating methods at import (the lexicon's
    models are many, and start-up time counts)."""

    def __init__(self, *values, **named):
        fields = self._fields()
        if len(values) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields")
        for name, value in (*zip(fields, values), *named.items()):
            if name not in fields:
                raise TypeError(f"{type(self).__name__} has no field {name}")
            object.__setattr__(self, name, value)
        for name in fields:
            if name not in self.__dict__ and not hasattr(type(self), name):
                raise TypeError(f"{type(self).__name__} misses field {name}")

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        fields = cls.__dict__.get("_field_names")
        if fields is None:
            fields = tuple(cls.__annotations__)
            type.__setattr__(cls, "_field_names", fields)
        return fields

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is frozen")

    __delattr__ = __setattr__

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields())})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self._fields())

    __hash__ = None

    # how each annotated type is read from its file: a field is one line
    _READERS = {
        "tuple[str, ...]": lambda y, key: y.words(key),
        "str": lambda y, key: y.text(key),
        "int": lambda y, key: y.integer(key),
        "float": lambda y, key: y.number(key),
        "bool": lambda y, key: y.flag(key),
        "re.Pattern": lambda y, key: y.regex(key),
        "tuple[WordRule, ...]": lambda y, key: _word_rules(y, key),
    }

    @classmethod
    def read(cls, y: "_Node"):
        """Each field from the key of its name, read and checked as its type says."""
        return cls(*(cls._READERS[cls.__annotations__[name]](y, name) for name in cls._fields()))


# One model per file of data/lexicon/, each read (and checked) by its
# `read` from the file's top-level mapping.

class Units(_Record):
    """units.yaml"""
    magnitudes: dict[str, float]
    units: dict[str, Unit]
    percent_prefixes: dict[str, str]
    point_bases: frozenset[str]

    @classmethod
    def read(cls, y: _Node) -> "Units":
        magnitudes = {k: float(v) for k, v in y.table("magnitudes", "number").items()}
        units: dict[str, Unit] = {}
        percent = y.entries("percent")
        for name, spec in percent:
            units[name] = Unit(name, spec.text("base", name), spec.number("factor", 1), "percent")
        for section, category in (("money", "money"), ("physical", "physical"),
                                  ("counters", "counter"), ("durations", "duration")):
            for name in y.words(section):
                units[name] = Unit(name, name, 1.0, category)
        for name, spec in y.entries("doublings"):
            units[name] = Unit(name, spec.text("base"), 1.0, "doubling", spec.number("exponent_of"))
        return cls(magnitudes=magnitudes, units=units,
                   percent_prefixes=y.table("percent_prefix", "text"),
                   point_bases=frozenset(spec.text("base") for _, spec in percent if spec.flag("points", False)))


class Numerals(_Record):
    """numerals.yaml: the characters of Chinese numerals."""
    digits: dict[str, int]
    zeros: str
    small_units: dict[str, int]
    big_units: dict[str, int]
    decimal_point: str
    magnitudes: dict[str, int]  # longest first
    chars: str                  # every numeral character: digits, multipliers, the point

    @classmethod
    def read(cls, y: _Node) -> "Numerals":
        tables = {}
        for key in ("digits", "small_units", "big_units", "magnitudes"):
            table = y.table(key, "number")
            node = y.node(key)
            for word, value in table.items():
                if isinstance(value, str) or value != int(value):
                    node.fail(word, "expected a whole number")
            tables[key] = {word: int(value) for word, value in table.items()}
        for key in ("digits", "small_units", "big_units"):
            if any(len(word) != 1 for word in tables[key]):
                y.fail(key, "expected single characters as keys")
        zeros, point = y.text("zeros"), y.text("decimal_point")
        magnitudes = dict(sorted(tables["magnitudes"].items(), key=lambda kv: -len(kv[0])))
        return cls(tables["digits"], zeros, tables["small_units"], tables["big_units"], point, magnitudes,
                   "".join(tables["digits"]) + "".join(tables["small_units"]) + "".join(tables["big_units"]) + point)


class Patterns(_Record):
    """patterns.yaml: years, dates and plan periods."""
    year_mention: re.Pattern
    date: re.Pattern
    year_in_name: re.Pattern
    year_prefix: re.Pattern
    comparison_base: str   # a fragment, joined to the comparison markers
    previous_year: str     # a fragment, joined to the comparison markers
    five_year_plan: str    # 十{}五
    five_year_plan_digits: str
    five_year_plan_named: re.Pattern  # 十([一二…九])五|第十([一二…九])个五年: one group a form

    @classmethod
    def read(cls, y: _Node) -> "Patterns":
        plan, digits = y.text("five_year_plan"), y.text("five_year_plan_digits")
        if plan.count("{}") != 1:
            y.fail("five_year_plan", "expected one {} for the digit")
        forms = (plan, *y.words("five_year_plan_forms"))
        if any(form.count("{}") != 1 for form in forms):
            y.fail("five_year_plan_forms", "expected one {} for the digit in each")
        y.regex("comparison_base"), y.regex("previous_year")
        digit = f"([{re.escape(digits)}])"
        # one group a form: the digit is the group that matched
        named = "|".join(re.escape(head) + digit + re.escape(tail) for head, tail in (f.split("{}") for f in forms))
        return cls(y.regex("year_mention"), y.regex("date"), y.regex("year_in_name"), y.regex("year_prefix"),
                   y.text("comparison_base"), y.text("previous_year"), plan, digits, re.compile(named))


class LazyPattern:
    """A compiled pattern of patterns.yaml that a module can hold as a
    constant: it reads the lexicon on first use, so a bad lexicon is
    reported by the command line, not at import."""
    __slots__ = ("_name", "_pattern")

    def __init__(self, name: str):
        self._name, self._pattern = name, None

    def __getattr__(self, attr):  # search, finditer, sub, …
        if self._pattern is None:
            self._pattern = getattr(load().patterns, self._name)
        return getattr(self._pattern, attr)


class Comparators(_Record):
    """comparators.yaml"""
    before: dict[str, str]
    after: dict[str, str]
    between: dict[str, str]
    range_joiners: tuple[str, ...]

    @classmethod
    def read(cls, y: _Node) -> "Comparators":
        return cls(y.table("before", "text"), y.table("after", "text"), y.table("between", "text"),
                   y.words("range_joiners"))


class Verbs(_Record):
    """verbs.yaml"""
    actions: dict[str, str | None]
    change_end_suffixes: tuple[str, ...]
    leading: tuple[str, ...]
    object_verbs: tuple[str, ...]

    @classmethod
    def read(cls, y: _Node) -> "Verbs":
        return cls(y.table("actions", "text or null"), y.words("change_end_suffixes"), y.words("leading"),
                   y.words("object_verbs"))


class Modality(_Record):
    """modality.yaml"""
    modality: tuple[str, ...]



class IndicatorWords(_Record):
    """indicator_words.yaml"""
    strip_leading: tuple[str, ...]
    conjunctions: tuple[str, ...]
    strip_leading_year: bool
    strip_trailing: tuple[str, ...]
    trailing_only: str
    comparison_markers: tuple[str, ...]
    not_comparisons: tuple[str, ...]
    generic_heads: tuple[str, ...]
    respectively: tuple[str, ...]
    max_shared_modifier: int
    list_marks: tuple[str, ...]



class Kinds(_Record):
    """kinds.yaml"""
    review_sections: tuple[str, ...]
    plan_sections: tuple[str, ...]
    actual_cues: tuple[str, ...]
    target_cues: tuple[str, ...]
    baseline_prefixes: tuple[str, ...]
    base_year_prefixes: tuple[str, ...]
    review_paragraph_leads: tuple[str, ...]



class Rejections(_Record):
    """rejections.yaml"""
    ordinal_prefixes: tuple[str, ...]
    quote_pairs: tuple[tuple[str, str], ...]
    max_quote_length: int
    set_phrases: tuple[str, ...]
    qualifier_joiners: tuple[str, ...]
    keep_after_de: tuple[str, ...]
    structure_nouns: tuple[str, ...]
    project_nouns: tuple[str, ...]
    max_enumeration_numeral: int
    free_followers: tuple[str, ...]
    noun_after_strip: tuple[str, ...]
    lone_numerals: tuple[str, ...]

    @classmethod
    def read(cls, y: _Node) -> "Rejections":
        pairs = y.get("quote_pairs")
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2
                                                  and all(isinstance(m, str) and m for m in p) for p in pairs):
            y.fail("quote_pairs", "expected a list of [opening, closing] pairs")
        return cls(y.words("ordinal_prefixes"), tuple(tuple(p) for p in pairs), y.integer("max_quote_length"),
                   y.words("set_phrases"), y.words("qualifier_joiners"), y.words("keep_after_de"),
                   y.words("structure_nouns"), y.words("project_nouns"), y.integer("max_enumeration_numeral"),
                   y.words("free_followers"), y.words("noun_after_strip"), y.words("lone_numerals"))


class Headings(_Record):
    """headings.yaml"""
    styles: tuple[HeadingStyle, ...]
    plain_heading: re.Pattern
    plain_part_heading: re.Pattern
    enumeration_item: re.Pattern
    max_heading_chars: int
    max_heading_depth: int
    max_inline_title_chars: int
    inline_title_end: str

    @classmethod
    def read(cls, y: _Node) -> "Headings":
        return cls(tuple(HeadingStyle(s.text("name"), s.regex("pattern")) for s in y.nodes("styles")),
                   y.regex("plain_heading"), y.regex("plain_part_heading"), y.regex("enumeration_item", re.MULTILINE),
                   y.integer("max_heading_chars"), y.integer("max_heading_depth"),
                   y.integer("max_inline_title_chars"), y.text("inline_title_end"))


class WordRule(_Record):
    """A value named by any of its words (doc_types: five_year_plan ← 十四五)."""
    type: str
    words: tuple[str, ...]


def _word_rules(y: _Node, key: str) -> tuple[WordRule, ...]:
    return tuple(WordRule(r.text("type"), r.words("words")) for r in y.nodes(key))


class DocumentWords(_Record):
    """document.yaml: the wrapper and metadata of a plan document."""
    body_markers: tuple[str, ...]
    footer_markers: tuple[str, ...]
    max_trailer_line_chars: int
    footer_continuations: tuple[str, ...]
    trailer_prefixes: tuple[str, ...]
    original_title_prefix: str
    attachment_prefixes: tuple[str, ...]
    max_breadcrumbs: int
    max_breadcrumb_chars: int
    breadcrumb_marks: str
    date_stamp: re.Pattern
    date_stamp_reach: int
    title_words: tuple[str, ...]
    issuer_suffixes: tuple[str, ...]
    region_suffixes: tuple[str, ...]
    title_lead_words: tuple[str, ...]
    doc_types: tuple[WordRule, ...]
    doc_type_body_cues: tuple[WordRule, ...]
    occasion_prefixes: tuple[str, ...]
    occasion_words: tuple[str, ...]
    head_note_prefixes: tuple[str, ...]
    national_cues: tuple[str, ...]
    national_region: str



class Parts(_Record):
    """parts.yaml: review, goals and plan parts of a report."""
    goal_titles: tuple[str, ...]
    work_titles: tuple[str, ...]
    achieved_title_words: tuple[str, ...]
    headline_pattern: re.Pattern
    list_item_pattern: re.Pattern
    lead_chars: int
    this_year_leads: tuple[str, ...]
    five_year_leads: tuple[str, ...]
    five_year_cues: tuple[str, ...]
    result_cues: tuple[str, ...]
    goal_cues: tuple[str, ...]
    review_override_votes: int
    strong_paragraph_votes: int
    average_words: tuple[str, ...]
    period_words: tuple[str, ...]



class Layout(_Record):
    """layout.yaml: layout debris from PDFs and web pages."""
    page_marker: re.Pattern      # page_marker_lines, one alternation
    web_furniture: re.Pattern    # web_furniture_lines, one alternation
    repeated_header_min_count: int
    repeated_header_max_chars: int
    wrap_min_share: float
    wrap_min_lines: int
    wrap_min_width: int
    wrap_tolerance: int
    hard_line_prefixes: tuple[str, ...]

    @classmethod
    def read(cls, y: _Node) -> "Layout":
        return cls(y.alternation("page_marker_lines"), y.alternation("web_furniture_lines"),
                   y.integer("repeated_header_min_count"), y.integer("repeated_header_max_chars"),
                   y.number("wrap_min_share"), y.integer("wrap_min_lines"), y.integer("wrap_min_width"),
                   y.integer("wrap_tolerance"), y.words("hard_line_prefixes"))


class Punctuation(_Record):
    """punctuation.yaml: classes of marks, each a string of characters."""
    sentence_end: str
    clause_end: str
    quantity_end: str
    indicator_edges: str
    indicator_pairs: dict[str, str]  # both ways: “ → ” and ” → “
    pair_closers: str
    noun_openers: str
    modality_clause_end: frozenset[str]
    paragraph_end: str
    closers: str
    continuation_start: str
    clause_marks: str
    opening_marks: str

    @classmethod
    def read(cls, y: _Node) -> "Punctuation":
        pairs = y.get("indicator_pairs")
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 and all(
                isinstance(m, str) and len(m) == 1 for m in p) for p in pairs):
            y.fail("indicator_pairs", "expected a list of [opening, closing] marks")
        both = {o: c for o, c in pairs}
        both.update({c: o for o, c in pairs})
        return cls(y.text("sentence_end"), y.text("clause_end"), y.text("quantity_end"), y.text("indicator_edges"),
                   both, "".join(c for _, c in pairs), y.text("noun_openers"),
                   frozenset(y.text("modality_clause_end")),
                   y.text("paragraph_end"), y.text("closers"), y.text("continuation_start"),
                   y.text("clause_marks"), y.text("opening_marks"))


class CompareSettings(_Record):
    """compare.yaml: settings for plancli diff, attainment and report."""
    min_similarity: float
    about_points: float
    about_relative: float
    not_one_year: tuple[str, ...]
    change_starts: tuple[str, ...]
    this_year_words: tuple[str, ...]
    multi_year_sections: tuple[str, ...]
    one_year_words: tuple[str, ...]


class IndicatorAlias(_Record):
    alias: str
    measure: str | None = None    # growth, level, change
    direction: str | None = None  # up, down


class IndicatorEntry(_Record):
    id: str
    zh: str
    en: str
    aliases: tuple[IndicatorAlias, ...]
    about_is_ceiling: bool = False  # 居民消费价格涨幅3%左右: an outcome below it meets it


def _indicators(y: _Node) -> tuple[IndicatorEntry, ...]:
    entries = []
    for e in y.nodes("indicators"):
        raw = e.get("aliases")
        if not isinstance(raw, list):
            e.fail("aliases", "expected a list")
        aliases = []
        for i, a in enumerate(raw):
            if isinstance(a, str) and a:
                aliases.append(IndicatorAlias(a))
            elif isinstance(a, dict):
                a = _Node(e.file, a, e.key(f"aliases[{i}]"))
                measure, direction = a.get("measure", None), a.get("direction", None)
                if measure not in (None, "growth", "level", "change"):
                    a.fail("measure", "expected growth, level or change")
                if direction not in (None, "up", "down"):
                    a.fail("direction", "expected up or down")
                aliases.append(IndicatorAlias(a.text("alias"), measure, direction))
            else:
                e.fail(f"aliases[{i}]", "expected a word or a mapping with alias")
        ceiling = e.get("about_is_ceiling", False)
        if not isinstance(ceiling, bool):
            e.fail("about_is_ceiling", "expected true or false")
        entries.append(IndicatorEntry(e.text("id"), e.text("zh"), e.text("en"), tuple(aliases), ceiling))
    return tuple(entries)


@dataclass(frozen=True)
class Lexicon:
    magnitudes: dict[str, float]
    units: dict[str, Unit]
    percent_prefixes: dict[str, str]
    comparators_before: dict[str, str]
    comparators_after: dict[str, str]
    comparators_between: dict[str, str]
    range_joiners: tuple[str, ...]
    actions: dict[str, str | None]
    leading_verbs: frozenset[str]
    object_verbs: frozenset[str]
    modality: tuple[str, ...]
    strip_leading: tuple[str, ...]
    conjunctions: tuple[str, ...]
    respectively: tuple[str, ...]
    max_shared_modifier: int
    list_marks: tuple[str, ...]
    strip_leading_year: bool
    review_sections: tuple[str, ...]
    plan_sections: tuple[str, ...]
    actual_cues: tuple[str, ...]
    target_cues: tuple[str, ...]
    review_paragraph_leads: tuple[str, ...]
    ordinal_prefixes: tuple[str, ...]
    quote_pairs: tuple[tuple[str, str], ...]
    max_quote_length: int
    set_phrases: tuple[str, ...]
    qualifier_joiners: tuple[str, ...]
    keep_after_de: tuple[str, ...]
    structure_nouns: tuple[str, ...]
    project_nouns: tuple[str, ...]
    max_enumeration_numeral: int
    lone_numerals: tuple[str, ...]
    free_followers: tuple[str, ...]
    noun_after_strip: tuple[str, ...]
    strip_trailing: tuple[str, ...]
    trailing_only: str                  # 等: stripped from an indicator's end only
    comparison_markers: tuple[str, ...]
    not_comparisons: tuple[str, ...]
    generic_heads: tuple[str, ...]
    baseline_prefixes: tuple[str, ...]
    base_year_prefixes: tuple[str, ...]
    heading_styles: tuple[HeadingStyle, ...]
    plain_heading: re.Pattern
    plain_part_heading: re.Pattern
    enumeration_item: re.Pattern
    max_heading_chars: int
    max_heading_depth: int
    max_inline_title_chars: int
    inline_title_end: str
    document: DocumentWords
    parts: Parts
    layout: Layout
    numerals: Numerals
    punctuation: Punctuation
    patterns: Patterns
    segment_words: Path
    directory: Path  # the lexicon directory read, for the files read on first use

    verbs: frozenset[str]               # actions and leading verbs together
    change_end_verbs: tuple[str, ...]   # 降至, 提高到: verbs that name where a change ends
    percent_bases: frozenset[str]       # %, ‰, 百分点: base units of rates
    point_bases: frozenset[str]         # 百分点: rates that move by increments


    @cached_property
    def compare(self) -> CompareSettings:
        """compare.yaml, read on first use (only diff, attainment and report need it)."""
        return CompareSettings.read(_read(self.directory, "compare.yaml"))

    @cached_property
    def indicators(self) -> tuple[IndicatorEntry, ...]:
        """indicators.yaml, read on first use."""
        return _indicators(_read(self.directory, "indicators.yaml"))


@cache
def load() -> Lexicon:
    """The lexicon in data_dir(), read once."""
    return read(data_dir() / "lexicon")


def read(lexicon_dir: Path) -> Lexicon:
    """The lexicon in a directory, every file checked: LexiconError names the
    first bad file and key."""
    u = Units.read(_read(lexicon_dir, "units.yaml"))
    comparators = Comparators.read(_read(lexicon_dir, "comparators.yaml"))
    verbs = Verbs.read(_read(lexicon_dir, "verbs.yaml"))
    modality = Modality.read(_read(lexicon_dir, "modality.yaml"))
    words = IndicatorWords.read(_read(lexicon_dir, "indicator_words.yaml"))
    kinds = Kinds.read(_read(lexicon_dir, "kinds.yaml"))
    rejections = Rejections.read(_read(lexicon_dir, "rejections.yaml"))
    headings = Headings.read(_read(lexicon_dir, "headings.yaml"))
    return Lexicon(
        magnitudes=u.magnitudes,
        units=u.units,
        percent_prefixes=u.percent_prefixes,
        comparators_before=comparators.before,
        comparators_after=comparators.after,
        comparators_between=comparators.between,
        range_joiners=comparators.range_joiners,
        actions=verbs.actions,
        leading_verbs=frozenset(verbs.leading),
        verbs=frozenset(verbs.actions) | frozenset(verbs.leading),
        percent_bases=frozenset(unit.base for unit in u.units.values() if unit.category == "percent"),
        point_bases=u.point_bases,
        change_end_verbs=tuple(v for v in verbs.actions if v.endswith(verbs.change_end_suffixes)),
        object_verbs=frozenset(verbs.object_verbs),
        modality=modality.modality,
        strip_leading=words.strip_leading,
        conjunctions=words.conjunctions,
        respectively=words.respectively,
        max_shared_modifier=words.max_shared_modifier,
        list_marks=words.list_marks,
        strip_leading_year=words.strip_leading_year,
        review_sections=kinds.review_sections,
        plan_sections=kinds.plan_sections,
        actual_cues=kinds.actual_cues,
        target_cues=kinds.target_cues,
        review_paragraph_leads=kinds.review_paragraph_leads,
        ordinal_prefixes=rejections.ordinal_prefixes,
        quote_pairs=rejections.quote_pairs,
        max_quote_length=rejections.max_quote_length,
        set_phrases=rejections.set_phrases,
        qualifier_joiners=rejections.qualifier_joiners,
        keep_after_de=rejections.keep_after_de,
        structure_nouns=rejections.structure_nouns,
        project_nouns=rejections.project_nouns,
        max_enumeration_numeral=rejections.max_enumeration_numeral,
        lone_numerals=rejections.lone_numerals,
        free_followers=rejections.free_followers,
        noun_after_strip=rejections.noun_after_strip,
        strip_trailing=words.strip_trailing,
        trailing_only=words.trailing_only,
        comparison_markers=words.comparison_markers,
        not_comparisons=words.not_comparisons,
        generic_heads=words.generic_heads,
        baseline_prefixes=kinds.baseline_prefixes,
        base_year_prefixes=kinds.base_year_prefixes,
        heading_styles=headings.styles,
        plain_heading=headings.plain_heading,
        plain_part_heading=headings.plain_part_heading,
        enumeration_item=headings.enumeration_item,
        max_heading_chars=headings.max_heading_chars,
        max_heading_depth=headings.max_heading_depth,
        max_inline_title_chars=headings.max_inline_title_chars,
        inline_title_end=headings.inline_title_end,
        document=DocumentWords.read(_read(lexicon_dir, "document.yaml")),
        parts=Parts.read(_read(lexicon_dir, "parts.yaml")),
        layout=Layout.read(_read(lexicon_dir, "layout.yaml")),
        numerals=Numerals.read(_read(lexicon_dir, "numerals.yaml")),
        punctuation=Punctuation.read(_read(lexicon_dir, "punctuation.yaml")),
        patterns=Patterns.read(_read(lexicon_dir, "patterns.yaml")),
        segment_words=lexicon_dir / "segment_words.txt",
        directory=lexicon_dir,
    )
