"""The command line: section filter, output formats read back, bad input."""
import csv
import io
import json
import subprocess
import sys

import pytest
import yaml

from conftest import NOTICE, PROVINCIAL
from plancli.models import Document, Target

N = str(NOTICE)


@pytest.mark.parametrize("spelling", ["三", "3", "科创"])
def test_section_filter_spellings(cli, spelling):
    run = cli("targets", N, "--section", spelling, "--format", "jsonl")
    assert run.code == 0, run.err
    rows = [json.loads(line) for line in run.out.splitlines()]
    assert len(rows) == 7
    assert {r["section"] for r in rows} == {"三"}
    assert [r["indicator"] for r in rows][:2] == ["省级研发中心", "省(重点)企业研究院"]


def test_headline_and_year_filters(cli):
    """The panel's rows: this year's main expected targets; the five-year goals."""
    report = str(PROVINCIAL / "anhui-2026-report.txt")
    run = cli("targets", report, "--headline", "--format", "jsonl")
    assert run.code == 0, run.err
    rows = [json.loads(line) for line in run.out.splitlines()]
    assert rows and all(r["headline"] and r["target_year"] == 2026 for r in rows)
    assert [r["indicator_id"] for r in rows].count("gdp") == 1
    run = cli("targets", report, "--year", "2030", "--format", "jsonl")
    rows = [json.loads(line) for line in run.out.splitlines()]
    assert rows and all(r["target_year"] == 2030 and not r["headline"] for r in rows)


def test_unknown_section_is_a_usage_error(cli):
    run = cli("targets", N, "--section", "不存在的标题")
    assert run.code == 2
    assert run.err.count("\n") == 1 and "no section matches" in run.err and "一 着力扩大有效需求" in run.err


def _coerce(row: dict) -> dict:
    """A CSV row back into typed fields ('' is None, section_path joined by /)."""
    out = {}
    for name in Target.model_fields:
        raw = row[name]
        if name == "section_path":
            out[name] = raw.split("/") if raw else []
        elif raw == "":
            out[name] = None
        elif name in ("start", "end", "sentence_start", "sentence_end"):
            out[name] = int(raw)
        elif name in ("value", "value_max", "base_value", "base_value_max"):
            out[name] = float(raw)
        else:
            out[name] = raw
    return out


def test_every_format_reads_back_equal(cli, notice_doc, tmp_path):
    expected = [t.model_dump(mode="json") for t in notice_doc.targets]
    outputs = {}
    for fmt in ("json", "jsonl", "yaml", "csv"):
        run = cli("targets", N, "--format", fmt)
        assert run.code == 0, run.err
        outputs[fmt] = run.out
    assert json.loads(outputs["json"]) == expected
    assert [json.loads(line) for line in outputs["jsonl"].splitlines()] == expected
    assert yaml.safe_load(outputs["yaml"]) == expected
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert list(rows[0].keys())[:19] == ["doc", "section", "section_title", "measure", "text", "start", "end",
                                         "indicator", "action", "value", "value_max", "unit", "base_value",
                                         "base_value_max", "base_unit", "comparator", "kind", "modality", "sentence"]
    assert [Target.model_validate(_coerce(r)) for r in rows] == notice_doc.targets


def test_parse_json_and_yaml_read_back_into_the_model(cli, notice_doc, tmp_path):
    out = tmp_path / "doc.json"
    run = cli("parse", N, "-o", str(out))
    assert run.code == 0 and run.out == ""
    assert Document.model_validate_json(out.read_text(encoding="utf-8")) == notice_doc
    run = cli("parse", N, "--format", "yaml")
    assert Document.model_validate(yaml.safe_load(run.out)) == notice_doc


def test_output_file_format_follows_its_extension(cli, tmp_path):
    out = tmp_path / "targets.csv"
    assert cli("targets", N, "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8").startswith("doc,section,section_title,")


def test_stdin(cli):
    run = cli("targets", "-", "--format", "jsonl", stdin=NOTICE.read_bytes())
    assert run.code == 0
    rows = [json.loads(line) for line in run.out.splitlines()]
    assert len(rows) >= 52 and rows[0]["doc"] is None


def test_kind_filter(cli):
    report = "一、2023年工作回顾\n国内生产总值增长5.2%。\n二、2024年主要预期目标\n国内生产总值增长5%左右。\n"
    runs = {k: cli("targets", "-", "--kind", k, "--format", "jsonl", stdin=report.encode()) for k in ("target", "actual", "all")}
    texts = {k: [json.loads(x)["text"] for x in r.out.splitlines()] for k, r in runs.items()}
    assert texts == {"target": ["5%"], "actual": ["5.2%"], "all": ["5.2%", "5%"]}


def test_table_and_outline_render(cli):
    run = cli("targets", N, "--format", "table")
    assert run.code == 0 and "规上工业增加值" in run.out and "≥" in run.out
    run = cli("outline", N)
    assert run.code == 0
    assert "着力增强科创动能" in run.out and "大力度培育创新主体" in run.out


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_bytes(b"  \n\n"), "empty"),
    (lambda p: p.write_bytes(b"\x81\x30\xff\xfe\xfa\xfb" * 10), "cannot decode"),
    (lambda p: p.write_bytes(b"\x00\x01\x02binary\x00" * 50), "binary"),
])
@pytest.mark.parametrize("command", ["parse", "targets", "outline"])
def test_bad_input_is_one_line_and_nonzero(cli, tmp_path, make, message, command):
    path = tmp_path / "input.txt"
    make(path)
    run = cli(command, str(path))
    assert run.code != 0
    assert run.err.count("\n") == 1, run.err
    assert message in run.err and str(path) in run.err
    assert "Traceback" not in run.err and run.out == ""


def test_usage_errors_are_one_line(cli):
    run = cli("targets", N, "--format", "xml")
    assert run.code == 2 and run.err.count("\n") == 1 and "xml" in run.err
    run = cli("targets")
    assert run.code == 2 and run.err.count("\n") == 1


def test_help_shows_examples(cli):
    run = cli("--help")
    assert run.code == 0 and "plancli targets data/raw/jiaxing-2024-plan.txt --section 三 --format csv" in run.out
    run = cli("targets", "--help")
    assert run.code == 0 and "--section" in run.out and "Examples" in run.out


def test_python_dash_m_entry_point(tmp_path):
    """The installed module runs as a real process; errors carry no traceback."""
    ok = subprocess.run([sys.executable, "-m", "plancli", "targets", N, "--section", "三", "--format", "csv"],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and len(ok.stdout.splitlines()) == 8
    bad = subprocess.run([sys.executable, "-m", "plancli", "parse", str(tmp_path / "missing.txt")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_output_is_written_whole_or_not_at_all(cli, tmp_path):
    out = tmp_path / "targets.csv"
    out.write_text("previous run\n", encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    run = cli("targets", str(bad), "-o", str(out))
    assert run.code == 1
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "targets.csv"]  # no temp file left
    run = cli("targets", N, "-o", str(tmp_path / "missing-dir" / "t.csv"))
    assert run.code == 2 and "no such directory" in run.err
