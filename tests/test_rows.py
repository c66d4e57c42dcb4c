"""One row schema: every output's columns come from the models (rows.py)."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from typing import Literal, Optional

import duckdb
import pytest
from pydantic import Field

from conftest import NOTICE, ROOT
from plancli import corpus, rows, store
from plancli.models import Meta, Section, Span, Target


def _duckdb_columns(path, table):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name: sql_type for name, sql_type, *_ in con.execute(f"DESCRIBE {table}").fetchall()}
    finally:
        con.close()


def test_every_target_field_is_in_every_output(cli, tmp_path):
    header = next(csv.reader(io.StringIO(cli("targets", str(NOTICE), "--format", "csv").out)))
    assert set(header) == set(Target.model_fields)
    keys = json.loads(cli("targets", str(NOTICE), "--format", "jsonl").out.splitlines()[0])
    assert list(keys) == list(Target.model_fields)
    out = tmp_path / "plans.duckdb"
    corpus.run([NOTICE], store.Store(out), workers=1)
    target_columns = _duckdb_columns(out, "targets")
    assert set(Target.model_fields) <= set(target_columns)
    assert {"sha256", "path", "region", "year", "doc_type", "doc_title"} <= set(target_columns)
    # every Meta field is a documents column, but for those rows.py leaves out
    assert set(Meta.model_fields) - rows._LEFT_OUT[Meta] <= set(_duckdb_columns(out, "documents"))
    assert set(Section.model_fields) - rows._LEFT_OUT[Section] <= set(_duckdb_columns(out, "sections"))


def test_published_column_order_holds():
    # the public contract of a target row (DESIGN.md) opens the CSV, in its order
    assert rows.TARGET_CSV_COLUMNS[:19] == [
        "doc", "section", "section_title", "measure", "text", "start", "end", "indicator", "action", "value",
        "value_max", "unit", "base_value", "base_value_max", "base_unit", "comparator", "kind", "modality",
        "sentence"]
    # a published column that is no longer a field is a broken contract, not a silent drop
    for table, names in rows._PUBLISHED.items():
        columns = rows.TARGET_CSV_COLUMNS if table == "target_csv" else rows.TABLES[table].names
        assert set(names) <= set(columns), table


class _Wider(Target):
    """Target with fields of every kind a model may gain."""

    target_year: Optional[int] = None
    headline: bool = False
    ratio: float | None = None
    level: Literal["city", "province"] = "city"
    tags: list[str] = Field(default_factory=list)
    part: Optional[Span] = None
    spans: list[Span] = Field(default_factory=list)


def test_types_and_cells_follow_annotations():
    columns = {c.name: c for c in rows.model_columns(_Wider)}
    assert {name: columns[name].sql_type for name in
            ("target_year", "headline", "ratio", "level", "tags", "part", "spans", "start", "sentence_end")} == {
        "target_year": "INTEGER", "headline": "BOOLEAN", "ratio": "DOUBLE", "level": "VARCHAR", "tags": "VARCHAR",
        "part": "VARCHAR", "spans": "INTEGER", "start": "BIGINT", "sentence_end": "BIGINT"}
    assert columns["tags"].cell(["a", "b"]) == '["a", "b"]'
    assert columns["part"].cell(Span(start=1, end=2)) == '{"start": 1, "end": 2}'
    assert columns["spans"].cell([Span(start=1, end=2)]) == 1
    assert columns["section_path"].cell(["三", "1"]) == "三/1"
    new = [c.name for c in rows.in_published_order(rows.model_columns(_Wider), rows._PUBLISHED["target_csv"])]
    assert new[-7:] == ["target_year", "headline", "ratio", "level", "tags", "part", "spans"]


_PROBE = {
    "Target": '    probe_year: Optional[int] = None\n    probe_flag: bool = False\n'
              '    probe_tags: list[str] = Field(default_factory=list)\n',
    "Meta": '    probe_code: Optional[str] = None\n',
    "Document": '    probe_parts: list[Span] = Field(default_factory=list)\n',
}

_CHECK = r'''
import csv, io, json, sys
from pathlib import Path
import duckdb
from plancli import corpus, emit, parse_file, store

notice, out = Path(sys.argv[1]), Path(sys.argv[2])
doc = parse_file(notice)
header, first = list(csv.reader(io.StringIO(emit.targets_text(doc.targets, "csv"))))[:2]
cells = dict(zip(header, first))
assert [cells[n] for n in ("probe_year", "probe_flag", "probe_tags")] == ["", "False", "[]"], cells
keys = json.loads(emit.targets_text(doc.targets, "jsonl").splitlines()[0])
assert {"probe_year", "probe_flag", "probe_tags"} <= set(keys) and "probe_parts" not in keys
for name in ("plans.duckdb", "plans.parquet", "plans", "plans.csv", "plans.jsonl"):
    summary = corpus.run([notice], store.Store(out / name), workers=1)
    assert summary.documents == 1 and summary.errors == 0, name
con = duckdb.connect(str(out / "plans.duckdb"), read_only=True)
types = {r[0]: r[1] for r in con.execute("DESCRIBE targets").fetchall()}
assert (types["probe_year"], types["probe_flag"], types["probe_tags"]) == ("INTEGER", "BOOLEAN", "VARCHAR"), types
assert "probe_code" in {r[0] for r in con.execute("DESCRIBE documents").fetchall()}
flags = con.execute("SELECT DISTINCT probe_flag FROM targets").fetchall()
assert flags == [(False,)], flags
for parquet_file in (out / "plans.parquet", out / "plans" / "targets.parquet"):  # one file; a folder's
    parquet = duckdb.connect().execute(
        f"SELECT probe_flag, probe_tags FROM read_parquet('{parquet_file}')").fetchall()
    assert parquet and set(parquet) == {(False, "[]")}, parquet
assert "probe_code" in {r[0] for r in duckdb.connect().execute(
    f"DESCRIBE SELECT * FROM read_parquet('{out / 'plans' / 'documents.parquet'}')").fetchall()}
with open(out / "plans.csv", encoding="utf-8", newline="") as f:
    assert {r["probe_flag"] for r in csv.DictReader(f)} == {"false"}
assert "probe_code" in json.loads((out / "plans.documents.jsonl").read_text(encoding="utf-8").splitlines()[0])
print("ok")
'''


def test_a_field_added_to_the_models_reaches_every_output(tmp_path):
    """Adding a field is one edit in models.py: on a copy of the package
    with new fields on Target, Meta and Document, every output has them."""
    package = tmp_path / "src" / "plancli"
    shutil.copytree(ROOT / "src" / "plancli", package, ignore=shutil.ignore_patterns("__pycache__", "_data"))
    (package / "_data").symlink_to(ROOT / "data", target_is_directory=True)
    models = (package / "models.py").read_text(encoding="utf-8")
    for model, fields in _PROBE.items():
        # the new fields go right after the class line and its docstring
        models, found = re.subn(rf'(class {model}\([\w, ]+\):\n(?:    """.*?"""\n)?)', lambda m: m.group(1) + fields,
                                models, count=1, flags=re.S)
        assert found, model
    (package / "models.py").write_text(models, encoding="utf-8")
    # and the parser's records follow from the models (tools/build_records.py)
    build = subprocess.run([sys.executable, str(ROOT / "tools" / "build_records.py"), str(tmp_path / "src")],
                           capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    out = tmp_path / "out"
    out.mkdir()
    run = subprocess.run([sys.executable, "-c", _CHECK, str(NOTICE), str(out)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(tmp_path / "src")}, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-3000:]


def test_records_are_current():
    """src/plancli/records.py is generated from models.py: run
    python tools/build_records.py after changing the models."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_records", ROOT / "tools" / "build_records.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert (ROOT / "src" / "plancli" / "records.py").read_text(encoding="utf-8") == build.render(), \
        "run python tools/build_records.py"


def test_the_command_line_output_is_the_validated_models_output(tmp_path):
    """The command line emits the parser's records; the API validates them
    into the models: the same JSON, field for field, on real reports."""
    from conftest import PROVINCIAL, REPORTS
    from plancli import emit, parser

    for path in (NOTICE, sorted(REPORTS.glob("*.txt"))[-1], sorted(PROVINCIAL.glob("*.txt"))[0]):
        record = parser.read(path)
        model = parser.validated(record)
        assert emit.document_text(record, "json") == emit.document_text(model, "json")
        assert emit.targets_text(record.targets, "csv") == emit.targets_text(model.targets, "csv")


def test_a_measures_sentences_are_views_of_the_text():
    """A measure's sentences are held as offsets into the text, a Sentence
    record made when one is asked for: they read as the list they stand
    for (index, slice, iteration, equality, dump), each text is
    input[start:end], and the validated model holds the same sentences."""
    from conftest import PROVINCIAL
    from plancli import parser
    from plancli.record import SentenceViews
    from plancli.records import Sentence

    path = sorted(PROVINCIAL.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    record = parser.build(text, str(path))
    measures = [m for s in record.sections for m in _walk_measures(s)]
    assert sum(len(m.sentences) for m in measures) > 100
    model = parser.validated(record)
    model_measures = [m for s in model.sections for m in _walk_measures(s)]
    for m, validated in zip(measures, model_measures):
        views = m.sentences
        assert isinstance(views, SentenceViews)
        listed = list(views)
        assert all(type(x) is Sentence and text[x.start:x.end] == x.text for x in listed)
        assert [(x.start, x.end, x.text) for x in validated.sentences] == [(x.start, x.end, x.text) for x in listed]
        assert views == listed and views[:] == listed and len(views) == len(listed)
        assert m.model_dump()["sentences"] == [x.model_dump() for x in listed] == rows._jsonable(views)
        if listed:
            assert views[-1] == listed[-1] and views[1:3] == listed[1:3]
            assert m.sentences[0].start >= m.start and m.sentences[-1].end <= m.end
            assert m.model_copy().sentences == views  # a copy shares the view
    with pytest.raises(IndexError):
        measures[0].sentences[len(measures[0].sentences)]


def _walk_measures(section):
    yield from section.measures
    for child in section.children:
        yield from _walk_measures(child)
