"""plancli report: one self-contained HTML page of charts over a panel of
targets: each target against the outcome over the years, the regions side by
side in one year, and attainment with the sentences each status was judged
from.

The input is a dataset `plancli batch` wrote (.duckdb, a .parquet folder or
file, .csv, .jsonl) or documents, parsed on the way; both become rows with
the columns of the targets table (`load`). `Panel` holds them, `series`,
`regions_in_year` and `default_year` turn them into what the charts show, and
`render` draws the page. The charts are matplotlib figures written as inline
SVG with their text left as text (svg.fonttype none), so the browser draws
the Chinese with the CJK fonts of the page's CSS; matplotlib is the optional
extra `report` and is imported only to draw."""
from __future__ import annotations

import html
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import lexicon
from .errors import PlancliError, UsageError, require_extra
from .models import Target

# Text the browser draws: the first installed of these (the SVG's text too).
CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "Source Han Sans CN", "PingFang SC",
             "Microsoft YaHei")
NO_REGION = "(region not found)"
# The indicators of the showcase, drawn first where the data has them.
SHOWCASE = ("gdp", "cpi", "urban_surveyed_unemployment", "grain_output")
MAX_SERIES_CHARTS = 12
MAX_REGION_CHARTS = 8
STATUS_COLOURS = {"met": "#2e7d32", "missed": "#c62828", "unknown": "#8a8a8a"}
OUTCOME_COLOUR = "#1f4e9c"
_VALUE_TYPE_WORDS = {"growth": "增速", "level": "", "change": "增量"}


def require_plotting() -> None:
    """matplotlib, or one line naming the extra that brings it."""
    require_extra("report", "matplotlib", "plancli report (its charts)")


# ---- loading -----------------------------------------------------------------

@dataclass
class Panel:
    """Rows with the columns of the targets table (path, region, year, doc
    type and title, then the target's fields), targets and actuals apart."""

    targets: list[dict] = field(default_factory=list)
    actuals: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    not_read: list[tuple[str, str]] = field(default_factory=list)  # documents given that could not be parsed
    dataset_errors: int = 0  # rows of the datasets' errors tables

    def extend(self, other: "Panel") -> None:
        for name in ("targets", "actuals", "documents", "inputs", "not_read"):
            getattr(self, name).extend(getattr(other, name))
        self.dataset_errors += other.dataset_errors


def dataset_format(path: Path) -> str | None:
    """The format of a batch output, or None for documents (a folder with
    batch's targets.parquet is a dataset, any other folder holds documents)."""
    from .store import FOLDER, FORMATS, table_files

    if path.is_dir():
        return FOLDER if table_files(path, FOLDER)["targets"].exists() else None
    return FORMATS.get(path.suffix.lower())


def load(inputs: list[str]) -> Panel:
    """Every input, a dataset or documents, into one panel."""
    panel = Panel()
    documents = []
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        fmt = dataset_format(path)
        if fmt:
            panel.extend(_read_dataset(path, fmt))
        else:
            documents.append(raw)
    if documents:
        panel.extend(_parse_documents(documents))
    return panel


def _rows(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def _tables(con, path: Path, fmt: str) -> dict[str, tuple[str, list]]:
    """Each table of a dataset as what to select from and its parameters:
    a table of the .duckdb file, or the file `store.table_files` puts it in."""
    from .store import FOLDER, table_files

    if fmt == "duckdb":
        present = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {t: (f'"{t}"', []) for t in present}
    # a .parquet file holds the targets table alone, with its documents' columns
    files = {t: f for t, f in table_files(path, fmt).items() if f.exists()}
    reader = {"parquet": "read_parquet(?)", FOLDER: "read_parquet(?)", "csv": "read_csv(?, header=true, sample_size=-1)",
              "jsonl": "read_json(?, format='newline_delimited', sample_size=-1)"}[fmt]
    return {t: (reader, [str(f)]) for t, f in files.items()}


# The columns the charts read; a targets table without them is no batch output.
_NEEDED = ("path", "year", "region", "indicator_id", "value_type", "kind", "base_value", "base_unit", "comparator")


def _read_dataset(path: Path, fmt: str) -> Panel:
    """The rows of a batch output a chart can place (those with a canonical
    indicator). Actuals come from an `actuals` table where the dataset has
    one, else from the targets table's rows of kind actual."""
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True) if fmt == "duckdb" else duckdb.connect()
        try:
            tables = _tables(con, path, fmt)
            if "targets" not in tables:
                raise PlancliError(f"{path}: not a dataset plancli batch wrote: it has no targets table")

            def select(table: str, where: str = "") -> list[dict]:
                relation, params = tables[table]
                return _rows(con, f"SELECT * FROM {relation} {where}", params)

            columns = con.execute(f"SELECT * FROM {tables['targets'][0]} LIMIT 0", tables["targets"][1]).description
            missing = [c for c in _NEEDED if c not in {d[0] for d in columns}]
            if missing:
                raise PlancliError(f"{path}: not a dataset plancli batch wrote: its targets have no "
                                   f"{', '.join(missing)} column")
            rows = [_typed(r) for r in select("targets", "WHERE indicator_id IS NOT NULL")]
            actuals = [_typed(r) for r in select("actuals", "WHERE indicator_id IS NOT NULL")] \
                if "actuals" in tables else [r for r in rows if r["kind"] == "actual"]
            documents = select("documents") if "documents" in tables else []
            errors = len(select("errors")) if "errors" in tables else 0
        finally:
            con.close()
    except duckdb.Error as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise PlancliError(f"{path}: cannot be read as a dataset plancli batch wrote ({first})") from None
    return Panel([r for r in rows if r["kind"] == "target"], actuals, documents, [str(path)], [], errors)


def _parse_documents(paths: list[str]) -> Panel:
    """Documents and folders of them, parsed here one by one into the rows
    `plancli batch` would write (`plancli batch` first for a large corpus:
    it parses on every core)."""
    from .corpus import process_file, scan_inputs

    files, unread = scan_inputs(paths)
    panel = Panel(inputs=list(paths), not_read=[(r.path, r.error) for r in unread])
    for f in files:
        result = process_file(str(f))
        if result.error:
            panel.not_read.append((result.path, result.error))
            continue
        panel.documents.append(result.document)
        # a result may carry its actuals apart (the Document's actuals) or within its targets
        for row in [*result.targets, *getattr(result, "actuals", [])]:
            if row.get("indicator_id"):
                (panel.targets if row["kind"] == "target" else panel.actuals).append(_typed(row))
    return panel


def _typed(row: dict) -> dict:
    """A row as the models type it, whatever format it was read from."""
    for name in ("year", "target_year", "start", "end", "sentence_start", "sentence_end"):
        if row.get(name) is not None:
            row[name] = int(row[name])
    for name in ("value", "value_max", "base_value", "base_value_max"):
        if row.get(name) is not None:
            row[name] = float(row[name])
    headline = row.get("headline")
    row["headline"] = headline.lower() == "true" if isinstance(headline, str) else bool(headline)
    return row


def as_target(row: dict) -> Target:
    """A row as the model compare.judge and emit read."""
    from .rows import SECTION_PATH_SEPARATOR

    values = {k: row[k] for k in Target.model_fields if k in row}
    path = values.get("section_path")
    if isinstance(path, str):
        values["section_path"] = path.split(SECTION_PATH_SEPARATOR) if path else []
    return Target.model_construct(**values)


# ---- what the charts show ----------------------------------------------------

class SeriesKey(NamedTuple):
    region: str | None
    indicator_id: str
    value_type: str
    base_unit: str


def _key(row: dict) -> SeriesKey:
    return SeriesKey(row.get("region"), row["indicator_id"], row["value_type"], row["base_unit"])


_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=年)")


def _folded(text: str | None) -> str:
    from .normalize import fold

    return fold(text or "")


def _in_sentence(row: dict) -> int:
    """Where the mention starts in its sentence: by the offsets, else (a
    sentence whose line breaks an output took out) by its text; -1 if not there."""
    sentence, text = row.get("sentence") or "", row.get("text") or ""
    at = (row.get("start") or 0) - (row.get("sentence_start") or 0)
    if 0 <= at and sentence[at:at + len(text)] == text:
        return at
    return sentence.find(text) if text else -1


def _clause_before(row: dict) -> tuple[str, str]:
    """The words of a figure's clause before it, and the figure, folded:
    from the last ； (or the sentence's start) to the mention."""
    sentence, text = row.get("sentence") or "", row.get("text") or ""
    at = _in_sentence(row)
    if at < 0:
        return _folded(sentence), _folded(text)
    before = _folded(sentence[:at])
    return before[max(before.rfind("；"), before.rfind(";")) + 1:], _folded(text)


def _years_named(text: str) -> set[int]:
    """2024年, １９９１年 (folded) and 一九九一年."""
    text = _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)
    return {int(m.group(1)) for m in lexicon.load().patterns.year_mention.finditer(text)}


def of_year(row: dict, year: int, outcome: bool) -> bool:
    """Whether a figure is of `year` alone (compare.yaml says which words
    decide): not over several years or part of one (国内生产总值年均增长9.3%,
    比2002年增长65.5%, 一季度), not the start of a change (物价涨幅要从14.8%降到10%),
    not in a section of another year (2016年重点工作 holds no 2015 outcome), and
    in a section over several years alone (过去五年工作回顾) only where its
    sentence says it is one year's (全年国内生产总值增长3%). An `outcome`, a
    report's figure for the year before its own, is never in a clause of
    this year (今年)."""
    words = lexicon.load().compare
    before, text = _clause_before(row)
    clause = before + text
    if any(w in clause for w in words.not_one_year) or before.endswith(words.change_starts):
        return False
    if not _years_named(clause) <= {year}:
        return False
    if outcome and any(w in clause for w in words.this_year_words):
        return False
    title = _folded(row.get("section_title"))
    title_years = _years_named(title)
    if title_years and year not in title_years:
        return False
    if _spans_years(title, year):
        sentence = _folded(row.get("sentence"))
        return year in _years_named(sentence) or any(w in sentence for w in words.one_year_words)
    return True


def _spans_years(title: str, year: int) -> bool:
    """A section over several years and not also over `year` alone:
    过去五年工作回顾, but not 过去一年和五年工作回顾 or “十四五”时期发展成就和2025年工作回顾."""
    words = lexicon.load().compare
    return (any(w in title for w in words.multi_year_sections) and year not in _years_named(title)
            and not any(w in title for w in words.one_year_words))


def outcome_of(year: int, candidates: list[dict]) -> dict | None:
    """The outcome the report of year+1 gives for `year`: of the actuals of
    one indicator and value type in that report (`candidates`, in text order,
    so its review first), the first that is of `year` alone (`of_year`)."""
    return next((row for row in candidates if row["comparator"] not in _NOT_OUTCOMES
                 and of_year(row, year, outcome=True)), None)


# An outcome is stated flat (增长5.2%, 超过1.3万亿斤); about or a range is a goal
# quoted in the review (没有实现…能耗降低4%左右…的目标) or an estimate.
_NOT_OUTCOMES = ("~", "range")


@dataclass
class Point:
    """One year of a series: the target set for it, the outcome the next
    year's report gives, and the attainment compare.judge decides."""

    key: SeriesKey
    year: int
    target: dict | None = None
    headline: bool = True  # False: from an older report without a main-targets statement
    outcome: dict | None = None
    status: str = ""       # met, missed, unknown; empty without a target
    gap: float | None = None
    note: str = ""
    anchor: str = ""


@dataclass
class Series:
    key: SeriesKey
    points: list[Point]

    @property
    def targets(self) -> int:
        return sum(p.target is not None for p in self.points)

    @property
    def paired(self) -> int:
        return sum(p.target is not None and p.outcome is not None for p in self.points)

    @property
    def outcomes(self) -> int:
        return sum(p.outcome is not None for p in self.points)


def _by_document(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: (r["path"], r.get("start") or 0)):
        out.setdefault(r["path"], []).append(r)
    return out


def plan_targets(panel: Panel) -> dict[tuple[SeriesKey, int], tuple[dict, bool]]:
    """(key, year) → (target, headline): the headline target a document of
    that year sets for it; a document without any headline row (older
    national reports have no main-targets statement) gives its first target
    of its own year that is of that year alone (not 五年内 or 平均每年)."""
    chosen: dict[tuple[SeriesKey, int], tuple[dict, bool]] = {}
    for rows in _by_document(panel.targets).values():
        year = rows[0].get("year")
        if year is None:
            continue
        has_headline = any(r["headline"] for r in rows)
        for r in rows:
            if r.get("target_year") != year:
                continue
            if has_headline and not r["headline"]:
                continue
            if not has_headline and not of_year(r, year, outcome=False):
                continue
            k = (_key(r), year)
            if k not in chosen or (has_headline and not chosen[k][1]):
                chosen[k] = (r, has_headline)
    return chosen


def _actuals_by_report(panel: Panel) -> dict[tuple, list[dict]]:
    """(region, indicator, value type, base unit, report year) → its actuals in text order."""
    out: dict[tuple, list[dict]] = {}
    for r in sorted(panel.actuals, key=lambda r: (r["path"], r.get("start") or 0)):
        if r.get("year") is not None:
            out.setdefault((*_key(r), r["year"]), []).append(r)
    return out


def series(panel: Panel) -> list[Series]:
    """Every (region, indicator, value type, unit) with a target or an
    outcome, year by year, judged where both are there; the showcase
    indicators first, national before the rest, then by years paired."""
    from .compare import judge

    targets = plan_targets(panel)
    reports = _actuals_by_report(panel)
    years: dict[SeriesKey, set[int]] = {}
    for key, year in targets:
        years.setdefault(key, set()).add(year)
    for *key, report_year in reports:
        years.setdefault(SeriesKey(*key), set()).add(report_year - 1)
    out = []
    for key, wanted in years.items():
        points = []
        for year in sorted(wanted):
            outcome = outcome_of(year, reports.get((*key, year + 1), []))
            target, headline = targets.get((key, year), (None, True))
            if target is None and outcome is None:
                continue
            point = Point(key, year, target, headline, outcome)
            if target is not None:
                if outcome is None:
                    has_report = (*key, year + 1) in reports or _has_report(panel, key.region, year + 1)
                    point.status, point.note = "unknown", (
                        f"the {year + 1} report gives no outcome for it" if has_report
                        else f"no {year + 1} report in the data")
                else:
                    point.status, point.gap, point.note = judge(as_target(target), as_target(outcome))
            points.append(point)
        if points:
            out.append(Series(key, points))
    out.sort(key=_series_order)
    n = 0
    for s in out:
        for p in s.points:
            if p.target is not None:
                n += 1
                p.anchor = f"a-{n}"
    return out


def _has_report(panel: Panel, region: str | None, year: int) -> bool:
    return any(d.get("region") == region and d.get("year") == year for d in panel.documents)


def _indicator_rank(indicator_id: str) -> int:
    return SHOWCASE.index(indicator_id) if indicator_id in SHOWCASE else len(SHOWCASE)


def _is_national(region: str | None) -> bool:
    return region == lexicon.load().document.national_region


def _series_order(s: Series):
    return (not _is_national(s.key.region), s.key.region is None, s.key.region or "",
            _indicator_rank(s.key.indicator_id), -s.paired, -s.targets, s.key)


def charted(all_series: list[Series]) -> list[Series]:
    """The series worth a chart: two years or more with both a target and
    an outcome; national first, then the most paired."""
    worth = [s for s in all_series if s.paired >= 2]
    worth.sort(key=lambda s: (not _is_national(s.key.region), _indicator_rank(s.key.indicator_id), -s.paired))
    return worth[:MAX_SERIES_CHARTS]


def headline_targets_of(panel: Panel, year: int) -> list[dict]:
    """The headline targets documents of `year` set for it, one per region and key."""
    seen, out = set(), []
    for r in sorted(panel.targets, key=lambda r: (r["path"], r.get("start") or 0)):
        if r["headline"] and r.get("year") == year and r.get("target_year") == year and _key(r) not in seen:
            seen.add(_key(r))
            out.append(r)
    return out


def default_year(panel: Panel) -> int | None:
    """The latest plan year with headline targets of at least two regions."""
    regions: dict[int, set] = {}
    for r in panel.targets:
        if r["headline"] and r.get("year") is not None and r.get("target_year") == r["year"]:
            regions.setdefault(r["year"], set()).add(r.get("region"))
    years = [y for y, rs in regions.items() if len(rs) >= 2]
    return max(years) if years else None


def regions_in_year(panel: Panel, year: int) -> list[tuple[tuple[str, str, str], list[dict]]]:
    """(indicator, value type, base unit) → the headline target of each
    region, for indicators two regions or more set; the showcase first,
    then the most regions."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for r in headline_targets_of(panel, year):
        groups.setdefault((r["indicator_id"], r["value_type"], r["base_unit"]), []).append(r)
    kept = [(k, rows) for k, rows in groups.items() if len({r.get("region") for r in rows}) >= 2]
    kept.sort(key=lambda kv: (_indicator_rank(kv[0][0]), -len(kv[1]), kv[0]))
    return kept


# ---- display ------------------------------------------------------------------

def indicator_name(indicator_id: str) -> str:
    """gdp → 国内生产总值 (indicators.yaml)."""
    return next((e.zh for e in lexicon.load().indicators if e.id == indicator_id), indicator_id)


def _say(row: dict | None) -> str:
    from .compare import say  # the words attainment shows: 增长 about 5%

    return say(as_target(row)) if row else ""


def _signed(row: dict, base: float) -> float:
    """A value as compare.judge reads it: growth signed, 下降2.5% is -2.5."""
    from .compare import signed

    return signed(Target.model_construct(direction=row.get("direction"), value_type=row.get("value_type"),
                                         base_value=base))


class Scale(NamedTuple):
    unit: str
    factor: float  # base units per display unit: 1e12 for 万亿斤

    def of(self, row: dict, base: float) -> float:
        return _signed(row, base) / self.factor


def display_scale(rows: list[dict]) -> Scale:
    """The unit as the latest row writes it (万亿斤, %), applied to all."""
    latest = max(rows, key=lambda r: (r.get("year") or 0, r.get("start") or 0))
    factor = latest["base_value"] / latest["value"] if latest.get("value") else 1.0
    return Scale(latest.get("unit") or latest["base_unit"], factor or 1.0)


def _bounds(row: dict, scale: Scale) -> tuple[float, float]:
    lo = scale.of(row, row["base_value"])
    hi = scale.of(row, row["base_value_max"]) if row.get("base_value_max") is not None else lo
    return min(lo, hi), max(lo, hi)


def _region_label(region: str | None) -> str:
    return region or NO_REGION


def _chart_title(key: SeriesKey, scale: Scale, region: bool = True) -> str:
    words = "，".join(w for w in (_VALUE_TYPE_WORDS.get(key.value_type, ""), scale.unit) if w)
    title = f"{indicator_name(key.indicator_id)}（{words}）"
    return f"{title} · {_region_label(key.region)}" if region else title


# ---- charts -----------------------------------------------------------------

def _rc() -> dict:
    return {"svg.fonttype": "none", "svg.hashsalt": "plancli", "font.family": "sans-serif",
            "font.sans-serif": [*CJK_FONTS, "DejaVu Sans"], "axes.unicode_minus": False,
            "axes.spines.top": False, "axes.spines.right": False, "font.size": 10}


@contextmanager
def _drawing():
    """matplotlib with the page's settings and without its font warnings:
    the browser, not matplotlib, draws the text, and a machine without a
    CJK font only gets a rougher layout."""
    import logging
    import warnings

    import matplotlib

    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), matplotlib.rc_context(_rc()):
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
            yield
    finally:
        fonts.setLevel(level)


def _svg(fig, tooltips: dict[str, str]) -> str:
    """The figure as an <svg> element: no XML prolog or metadata, scaled to
    the page, each mark with an id given its tooltip."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = svg.replace("<svg ", '<svg class="chart" role="img" ', 1)
    svg = re.sub(r'(<a xlink:href="#[^"]*") target="_blank"', r"\1", svg)  # a mark opens its row here
    for gid, tip in tooltips.items():
        svg = svg.replace(f'<g id="{gid}">', f'<g id="{gid}"><title>{html.escape(tip)}</title>', 1)
    return svg


def _target_mark(ax, at: float, row: dict, scale: Scale, colour: str, filled: bool, horizontal: bool,
                 gid: str, url: str | None) -> None:
    """A target drawn by its comparator: a range as a band, >= as a floor,
    <= as a ceiling, ~ and = as a point. `horizontal`: values along x, `at`
    the row's place on y."""
    from matplotlib.markers import CARETDOWNBASE, CARETLEFTBASE, CARETRIGHTBASE, CARETUPBASE
    from matplotlib.patches import Rectangle

    lo, hi = _bounds(row, scale)
    c = row["comparator"]
    face = colour if filled else "white"
    artists = []
    if c == "range":
        rect = Rectangle((lo, at - 0.3), hi - lo, 0.6) if horizontal else Rectangle((at - 0.3, lo), 0.6, hi - lo)
        rect.set(facecolor=colour, alpha=0.4 if filled else 0.15, edgecolor=colour, linewidth=1.2)
        ax.add_patch(rect)
        artists.append(rect)
    elif c in (">=", ">", "<=", "<"):
        up = c in (">=", ">")
        bar = ([lo, lo], [at - 0.3, at + 0.3]) if horizontal else ([at - 0.3, at + 0.3], [lo, lo])
        artists += ax.plot(*bar, color=colour, linewidth=2.4)
        marker = (CARETRIGHTBASE if up else CARETLEFTBASE) if horizontal else (CARETUPBASE if up else CARETDOWNBASE)
        artists += ax.plot(*(([lo], [at]) if horizontal else ([at], [lo])), marker=marker, markersize=9,
                           color=colour, markerfacecolor=face, linestyle="none")
    else:
        artists += ax.plot(*(([lo], [at]) if horizontal else ([at], [lo])), marker="D" if c == "~" else "s",
                           markersize=7, color=colour, markerfacecolor=face, markeredgewidth=1.5, linestyle="none")
    for a in artists:
        a.set_gid(gid)
        if url:
            a.set_url(url)
        gid = f"{gid}-"  # ids stay unique; the first carries the tooltip


def shown_points(s: Series) -> list[Point]:
    """The years a chart shows: from ten years before the first with both a
    target and an outcome (a lone 1958 grain target would squeeze the rest)."""
    first = min((p.year for p in s.points if p.target and p.outcome), default=s.points[0].year)
    return [p for p in s.points if p.year >= first - 10]


def series_chart(s: Series, number: int) -> str:
    """Target against outcome over the years, as SVG; `number` keeps its ids
    apart from other charts'."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    scale = series_scale(s)
    points = shown_points(s)
    tooltips = {}
    with _drawing():
        fig = Figure(figsize=(9.6, 3.3))
        ax = fig.subplots()
        line_x, line_y = [], []
        for p in points:
            if p.outcome is None:
                continue
            if line_x and p.year != line_x[-1] + 1:
                line_x.append(p.year - 0.5)
                line_y.append(float("nan"))  # a year without an outcome breaks the line
            line_x.append(p.year)
            line_y.append(scale.of(p.outcome, p.outcome["base_value"]))
        ax.plot(line_x, line_y, color=OUTCOME_COLOUR, linewidth=1.6, zorder=3)
        for p in points:
            if p.target is not None:
                gid = f"t{p.anchor}"
                _target_mark(ax, p.year, p.target, scale, STATUS_COLOURS[p.status], p.headline, False,
                             gid, f"#{p.anchor}")
                tooltips[gid] = (f"{p.year} target: {_say(p.target)} — {p.status}"
                                 + (f"; outcome {_say(p.outcome)}" if p.outcome else f"; {p.note}"))
            if p.outcome is not None:
                gid = f"o{number}-{p.year}"
                mark = ax.plot([p.year], [scale.of(p.outcome, p.outcome["base_value"])], marker="o",
                               markersize=5.5, color=OUTCOME_COLOUR, linestyle="none", zorder=4)[0]
                mark.set_gid(gid)
                if p.anchor:
                    mark.set_url(f"#{p.anchor}")
                tooltips[gid] = f"{p.year} outcome (the {p.year + 1} report): {_say(p.outcome)}"
        years = [p.year for p in points]
        ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=16))
        ax.grid(axis="y", color="#e4e4e4", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_ylabel(scale.unit)
        ax.set_title(_chart_title(s.key, scale), loc="left", fontsize=12)
        return _svg(fig, tooltips)


def regions_chart(year: int, key: tuple[str, str, str], rows: list[dict], number: int) -> str:
    """The headline targets of every region for one indicator in one year,
    sorted by value (the highest on top), ranges as intervals, as SVG."""
    from matplotlib.figure import Figure

    scale = display_scale(rows)
    ordered = by_value(rows)
    tooltips = {}
    with _drawing():
        fig = Figure(figsize=(6.2, 0.8 + 0.3 * len(ordered)))
        ax = fig.subplots()
        for i, r in enumerate(ordered):
            colour = REGION_COLOURS[_is_national(r.get("region"))]
            gid = f"r{number}-{i}"
            _target_mark(ax, i, r, scale, colour, True, True, gid, None)
            ax.annotate(value_words(r), (_bounds(r, scale)[1], i), xytext=(8, 0), textcoords="offset points",
                        va="center", fontsize=8, color="#444")
            tooltips[gid] = f"{_region_label(r.get('region'))}: {_say(r)} ({r.get('indicator')})"
        ax.set_yticks(range(len(ordered)), [_region_label(r.get("region")) for r in ordered])
        ax.set_ylim(-0.7, len(ordered) - 0.3)
        lows = [_bounds(r, scale)[0] for r in ordered]
        highs = [_bounds(r, scale)[1] for r in ordered]
        pad = max((max(highs) - min(lows)) * 0.2, abs(max(highs)) * 0.05, 0.5 if scale.unit == "%" else 0)
        ax.set_xlim(min(lows) - pad, max(highs) + pad * 1.8)  # room for the value on the right
        ax.grid(axis="x", color="#e4e4e4", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_xlabel(scale.unit)
        ax.set_title(f"{year}年 " + _chart_title(SeriesKey(None, *key), scale, region=False), loc="left",
                     fontsize=12)
        return _svg(fig, tooltips)


REGION_COLOURS = {False: "#e08a1e", True: "#8c4500"}  # a region, the national target


def by_value(rows: list[dict]) -> list[dict]:
    """Lowest first (a range by its middle), as the regions chart stacks them from the bottom."""
    scale = display_scale(rows)
    return sorted(rows, key=lambda r: (sum(_bounds(r, scale)) / 2, _region_label(r.get("region"))))


def value_words(row: dict) -> str:
    """The figure with its comparator, without the verb: about 5%, ≥ 1.3万亿斤."""
    from .emit import value_phrase

    return value_phrase(as_target(row))


def series_scale(s: Series) -> Scale:
    return display_scale([r for p in s.points for r in (p.target, p.outcome) if r])


# ---- the page ---------------------------------------------------------------

_CSS = """
*{box-sizing:border-box}
body{margin:0 auto;max-width:1160px;padding:18px 28px 60px;color:#222;background:#fff;font:15px/1.6 %(fonts)s}
svg.chart{max-width:100%%;height:auto;display:block}
svg.chart text{font-family:%(fonts)s !important}
h1{font-size:24px;margin:6px 0} h2{font-size:19px;margin:34px 0 8px;border-bottom:1px solid #ddd}
p.lead{color:#555;margin:4px 0 14px} nav a{margin-right:16px}
figure{margin:14px 0 22px} figcaption{color:#555;font-size:13px}
.cols{display:grid;grid-template-columns:repeat(auto-fill,minmax(500px,1fr));gap:4px 28px}
.legend{font-size:13px;color:#444;margin:6px 0 4px} .legend span{white-space:nowrap;margin-right:14px}
.legend svg{vertical-align:middle;margin-right:4px}
table.rows{border-collapse:collapse;width:100%%;font-size:13px}
table.rows th,table.rows td{text-align:left;padding:4px 6px;border-bottom:1px solid #eee;vertical-align:top}
table.rows th{background:#f6f6f4} table.rows td.v{white-space:nowrap}
.s{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.s.met{background:%(met)s} .s.missed{background:%(missed)s} .s.unknown{background:%(unknown)s}
summary{cursor:pointer;color:#234} blockquote{margin:4px 0 8px 12px;padding-left:8px;border-left:3px solid #ddd}
mark{background:#ffe08a} .src{color:#777;font-size:12px} tr.focus{background:#fff6d6}
table.grid{border-collapse:separate;border-spacing:2px;font-size:12px;margin:8px 0 18px}
table.grid td{padding:0;width:16px;height:16px;border-radius:2px} table.grid td a{display:block;height:16px}
table.grid th{font-weight:normal;text-align:right;white-space:nowrap;padding-right:8px}
table.grid th.yr{writing-mode:vertical-rl;transform:rotate(180deg);color:#777;font-size:10px;padding:0;text-align:left}
table.grid td.met{background:%(met)s} table.grid td.missed{background:%(missed)s}
table.grid td.unknown{background:#c9c9c9}
"""

_SCRIPT = """
(function(){
  function open(){
    var row = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if(!row || row.tagName !== 'TR') return;
    var d = row.querySelector('details'); if(d) d.open = true;
    document.querySelectorAll('tr.focus').forEach(function(r){ r.classList.remove('focus'); });
    row.classList.add('focus');
  }
  window.addEventListener('hashchange', open); open();
})();
"""

# The legend's symbols, drawn as the charts draw them (20×12 SVG).
_SYMBOLS = {
    "outcome": '<line x1="0" y1="6" x2="20" y2="6" stroke="{c}" stroke-width="1.6"/><circle cx="10" cy="6" r="3.2" fill="{c}"/>',
    "range": '<rect x="4" y="1" width="12" height="10" fill="{c}" fill-opacity=".4" stroke="{c}"/>',
    "floor": '<line x1="3" y1="10" x2="17" y2="10" stroke="{c}" stroke-width="2.4"/><path d="M6 10L10 3L14 10Z" fill="{c}"/>',
    "ceiling": '<line x1="3" y1="2" x2="17" y2="2" stroke="{c}" stroke-width="2.4"/><path d="M6 2L10 9L14 2Z" fill="{c}"/>',
    "right": '<line x1="5" y1="1" x2="5" y2="11" stroke="{c}" stroke-width="2.4"/><path d="M5 2L12 6L5 10Z" fill="{c}"/>',
    "left": '<line x1="15" y1="1" x2="15" y2="11" stroke="{c}" stroke-width="2.4"/><path d="M15 2L8 6L15 10Z" fill="{c}"/>',
    "about": '<path d="M10 1L15 6L10 11L5 6Z" fill="{c}" stroke="{c}"/>',
    "exactly": '<rect x="5" y="1" width="10" height="10" fill="{c}"/>',
    "chip": '<rect x="3" y="1" width="14" height="10" rx="2" fill="{c}"/>',
    "hollow": '<path d="M10 1L15 6L10 11L5 6Z" fill="#fff" stroke="{c}" stroke-width="1.5"/>',
}


def _legend(items: list[tuple[str, str, str]]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><svg width="20" height="12" aria-hidden="true">{_SYMBOLS[symbol].format(c=colour)}</svg>'
        f"{_e(words)}</span>" for symbol, colour, words in items) + "</div>"


def _series_legend() -> str:
    grey = STATUS_COLOURS["unknown"]
    return _legend([("outcome", OUTCOME_COLOUR, "outcome (next year's report)"),
                    ("range", grey, "target range"), ("floor", grey, "≥ floor"), ("ceiling", grey, "≤ ceiling"),
                    ("about", grey, "about (~)"), ("exactly", grey, "exactly (=)"),
                    *(("chip", c, f"target {s}") for s, c in STATUS_COLOURS.items()),
                    ("hollow", grey, "target of a report without headline targets")])


def _regions_legend() -> str:
    c = REGION_COLOURS[False]
    return _legend([("range", c, "range"), ("right", c, "≥ floor"), ("left", c, "≤ ceiling"),
                    ("about", c, "about (~)"), ("exactly", c, "exactly (=)"),
                    ("chip", REGION_COLOURS[True], "the national target")])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _quote(row: dict) -> str:
    """The sentence a figure stands in, the figure marked, and where it is."""
    sentence = row.get("sentence") or ""
    at = _in_sentence(row)
    end = at + len(row.get("text") or "")
    if at >= 0:
        body = f"{_e(sentence[:at])}<mark>{_e(sentence[at:end])}</mark>{_e(sentence[end:])}"
    else:
        body = _e(sentence)
    return (f'<blockquote>{body}<div class="src">{_e(row.get("path"))}, characters '
            f"{_e(row.get('start'))}–{_e(row.get('end'))}</div></blockquote>")


def gap_words(p: Point, scale: Scale) -> str:
    """The outcome less the target in the chart's unit: +2.1 points, +0.07万亿斤."""
    if p.gap is None:
        return ""
    if p.target["base_unit"] in lexicon.load().percent_bases:
        return f"{p.gap:+.3g} points" if p.gap else "0 points"
    return f"{p.gap / scale.factor:+.3g}{scale.unit}" if p.gap else f"0{scale.unit}"


def _attainment_rows(all_series: list[Series]) -> str:
    out = []
    for s in all_series:
        scale = series_scale(s)
        for p in s.points:
            if p.target is None:
                continue
            quotes = f"<div>target ({p.year} report):</div>{_quote(p.target)}"
            quotes += (f"<div>outcome ({p.year + 1} report):</div>{_quote(p.outcome)}" if p.outcome
                       else f"<div>outcome: none — {_e(p.note)}</div>")
            origin = "" if p.headline else ' <span class="src">(report without headline targets)</span>'
            out.append(
                f'<tr id="{p.anchor}"><td><span class="s {p.status}">{p.status}</span></td>'
                f'<td>{_e(indicator_name(s.key.indicator_id))}<div class="src">{_e(s.key.indicator_id)} · '
                f"{_e(s.key.value_type)}</div></td><td>{_e(_region_label(s.key.region))}</td><td>{p.year}</td>"
                f'<td class="v">{_e(_say(p.target))}{origin}</td><td class="v">{_e(_say(p.outcome))}</td>'
                f'<td class="v">{_e(gap_words(p, scale))}</td><td>{_e(p.note)}'
                f"<details><summary>sentences</summary>{quotes}</details></td></tr>")
    return "\n".join(out)


def _attainment_grid(all_series: list[Series]) -> str:
    """Met / missed / unknown by series and year, each cell a link to its row."""
    rows = [s for s in all_series if s.targets >= 2]
    if not rows:
        return ""
    years = sorted({p.year for s in rows for p in s.points if p.target is not None})
    head = "".join(f'<th class="yr">{y}</th>' for y in years)
    body = []
    for s in rows:
        by_year = {p.year: p for p in s.points if p.target is not None}
        cells = "".join(
            f'<td class="{by_year[y].status}" title="{y}: {by_year[y].status}">'
            f'<a href="#{by_year[y].anchor}" aria-label="{y} {by_year[y].status}"></a></td>'
            if y in by_year else "<td></td>" for y in years)
        body.append(f"<tr><th>{_e(_chart_title(s.key, series_scale(s)))}</th>{cells}</tr>")
    return f'<table class="grid"><tr><th></th>{head}</tr>{"".join(body)}</table>'


def coverage(s: Series) -> str:
    """25 years with a target, 24 with an outcome, 19 with both (1991–2025); 11 met, 8 missed, 6 unknown"""
    years = [p.year for p in s.points]
    counts = ", ".join(f"{n} {status}" for status in STATUS_COLOURS
                       if (n := sum(p.status == status for p in s.points)))
    return (f"{s.targets} years with a target, {s.outcomes} with an outcome, {s.paired} with both "
            f"({min(years)}–{max(years)}); {counts}")


def _summary(panel: Panel) -> str:
    documents = panel.documents or [{"path": p} for p in {r["path"] for r in panel.targets}]
    regions = {_region_label(d.get("region")) for d in panel.documents} or \
        {_region_label(r.get("region")) for r in panel.targets}
    years = sorted({d.get("year") for d in panel.documents if d.get("year")} or
                   {r.get("year") for r in panel.targets if r.get("year")})
    span = f"{years[0]}–{years[-1]}" if years else "none"
    return (f"{len(documents)} documents · {len(regions)} regions · plan years {span} · {len(panel.targets)} "
            f"targets and {len(panel.actuals)} actuals with a canonical indicator")


def render(panel: Panel, year: int | None = None) -> str:
    """The page; `year` the year of the regions charts (default_year when None)."""
    from . import __version__

    require_plotting()
    all_series = series(panel)
    shown = charted(all_series)
    worth = sum(s.paired >= 2 for s in all_series)
    year = year if year is not None else default_year(panel)
    groups = regions_in_year(panel, year) if year is not None else []
    fonts = ", ".join(f'"{f}"' for f in CJK_FONTS) + ", sans-serif"
    notes = []
    if panel.not_read:
        notes.append(f"{_count(len(panel.not_read), 'file')} could not be read: "
                     + "; ".join(f"{p} ({why})" for p, why in panel.not_read[:10]))
    if panel.dataset_errors:
        notes.append(f"{_count(panel.dataset_errors, 'file')} in the datasets' errors tables.")
    out = [f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>plancli report</title>
<style>{_CSS % {"fonts": fonts, **STATUS_COLOURS}}</style></head><body>
<h1>Plan targets: what was set, what came of it</h1>
<p class="lead">{_e(_summary(panel))}. From {_e(", ".join(panel.inputs))}.</p>
{"".join(f'<p class="lead">{_e(n)}</p>' for n in notes)}
<nav><a href="#over-time">Target against outcome</a><a href="#regions">Regions in {_e(year or "—")}</a><a
href="#attainment">Attainment</a></nav>
<h2 id="over-time">Target against outcome over the years</h2>
<p class="lead">The headline target a report sets for its year (主要预期目标) against the outcome the next
year's report gives for that year: the first actual of the same indicator in it that is of that year alone
(not a five-year average such as 年均增长, not part of the year, no other year named). Colours say whether
the target was met; a mark links to the sentences it was judged from.</p>"""]
    if shown:
        out.append(_series_legend())
    else:
        out.append('<p class="lead">No indicator has two years or more with both a target and an outcome '
                   "in this data.</p>")
    for number, s in enumerate(shown):
        out.append(f'<figure id="series-{number}">{series_chart(s, number)}'
                   f"<figcaption>{_e(coverage(s))}</figcaption></figure>")
    if worth > len(shown):
        out.append(f'<p class="lead">{worth - len(shown)} more series are in the attainment table.</p>')

    out.append(f'<h2 id="regions">Regions side by side in {_e(year or "—")}</h2>')
    if not groups:
        out.append('<p class="lead">No year has headline targets of two regions or more in this data.</p>')
    else:
        out.append(f'<p class="lead">The headline target of every region for {year}, sorted by value.</p>')
        out.append(_regions_legend() + '<div class="cols">')
        for number, (key, rows) in enumerate(groups[:MAX_REGION_CHARTS]):
            out.append(f'<figure id="regions-{number}">{regions_chart(year, key, rows, number)}'
                       f"<figcaption>{len(rows)} regions</figcaption></figure>")
        out.append("</div>")
        if len(groups) > MAX_REGION_CHARTS:
            out.append(f'<p class="lead">{len(groups) - MAX_REGION_CHARTS} more indicators have headline '
                       f"targets of two regions or more in {year}.</p>")

    out.append('<h2 id="attainment">Attainment</h2><p class="lead">Each target against the outcome the next '
               "year's report gives, judged as <code>plancli attainment</code> judges (about 5% is met within "
               "0.5 points, data/lexicon/compare.yaml). A cell or row opens the sentences.</p>")
    out.append(_attainment_grid(all_series))
    out.append('<table class="rows"><tr><th>status</th><th>indicator</th><th>region</th><th>year</th>'
               "<th>target</th><th>outcome</th><th>gap</th><th>why</th></tr>")
    out.append(_attainment_rows(all_series))
    out.append(f'</table>\n<p class="src">plancli {_e(__version__)}</p>\n<script>{_SCRIPT}</script>'
               "</body></html>\n")
    return "\n".join(out)
