"""Outputs that land right in analysts' tools: CSV for Excel (a byte-order
mark on request, no line break inside a cell), extensions plancli cannot
write refused, Parquet as one file or a folder of one file per table, and
a missing extra named in one line."""
import csv
import io
import json
import shutil
import sys

import duckdb
import pytest

from conftest import NOTICE, REPORTS
from plancli.rows import TABLES, csv_cell

N = str(NOTICE)


@pytest.fixture(scope="module")
def wrapped():
    """The notice as a PDF's text layer gives it: every paragraph broken into lines of 38 characters."""
    text = NOTICE.read_bytes().decode("utf-8-sig")
    return "\n".join(p[i:i + 38] for p in text.split("\n") for i in range(0, max(len(p), 1), 38))


def test_csv_cells_hold_no_line_break_and_json_keeps_the_text(cli, wrapped):
    as_json = json.loads(cli("targets", "-", "--format", "json", stdin=wrapped.encode()).out)
    broken = [t for t in as_json if "\n" in t["sentence"]]
    assert len(broken) > 10  # the hard line breaks are in the sentences as read
    assert all(wrapped[t["start"]:t["end"]] == t["text"] for t in as_json)  # offsets index the text as read
    as_csv = list(csv.DictReader(io.StringIO(cli("targets", "-", "--format", "csv", stdin=wrapped.encode()).out)))
    assert len(as_csv) == len(as_json)
    assert not [r for r in as_csv if any("\n" in v or "\r" in v for v in r.values())]
    for row, target in zip(as_csv, as_json):
        assert row["sentence"] == csv_cell(target["sentence"]) and row["text"] == csv_cell(target["text"])
    # a break inside a sentence is one space in CSV: 国内生产总值增长\n5% → 国内生产总值增长 5%
    first = next(t for t in broken)
    cut = first["sentence"].index("\n")
    assert as_csv[as_json.index(first)]["sentence"][cut] == " "


def test_bom_for_excel(cli, tmp_path):
    out = tmp_path / "targets.csv"
    assert cli("targets", N, "-o", str(out), "--bom").code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdoc,section,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    plain = cli("targets", N, "--format", "csv").out
    assert not plain.startswith("\ufeff") and len(rows) == len(plain.splitlines()) - 1 > 50
    run = cli("targets", N, "--format", "csv", "--bom")
    assert run.out.startswith("\ufeffdoc,")
    run = cli("diff", str(REPORTS / "2024.txt"), str(REPORTS / "2025.txt"), "--format", "csv", "--bom")
    assert run.code == 0 and run.out.startswith("\ufeffstatus,")


@pytest.mark.parametrize("args", [("--format", "jsonl"), ("-o", "t.json"), ("--format", "table")])
def test_bom_with_another_format_is_a_usage_error(cli, tmp_path, args):
    args = tuple(str(tmp_path / a) if a.endswith(".json") else a for a in args)
    run = cli("targets", N, "--bom", *args)
    assert run.code == 2 and run.err.count("\n") == 1 and "--bom is for CSV" in run.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command, name, formats", [
    ("targets", "x.xlsx", ".csv, .json, .jsonl, .yaml"),
    ("targets", "x.parquet", ".csv, .json, .jsonl, .yaml"),
    ("parse", "x.csv", ".json, .yaml"),
    ("outline", "x.txt", ".json, .yaml"),
])
def test_an_extension_plancli_cannot_write_is_a_usage_error(cli, tmp_path, command, name, formats):
    out = tmp_path / name
    run = cli(command, N, "-o", str(out))
    assert run.code == 2 and run.err.count("\n") == 1, run.err
    assert str(out) in run.err and f"cannot write a {out.suffix} file" in run.err and formats in run.err
    assert not out.exists()
    # --format says what to write whatever the name
    assert cli("targets", N, "-o", str(tmp_path / "x.txt"), "--format", "csv").code == 0


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for year in ("2023", "2024"):
        shutil.copy(REPORTS / f"{year}.txt", d / f"{year}.txt")
    (d / "empty.txt").write_bytes(b"")
    (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 legacy")
    return d


def test_a_parquet_file_holds_the_targets_and_names_failed_files_on_stderr(cli, folder, tmp_path):
    out = tmp_path / "plans.parquet"
    run = cli("batch", str(folder), "-o", str(out), "--workers", "1", "--quiet")
    assert run.code == 1
    lines = run.err.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("plancli: 2 documents, 2 errors (1 not read)")
    assert any("empty.txt: " in line and "empty" in line for line in lines[:2])
    assert any("old.doc: unsupported type .doc" in line for line in lines[:2])
    assert out.is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["in", "plans.parquet"]
    con = duckdb.connect()
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}')").fetchall()]
    assert columns == TABLES["targets"].names
    rows = con.execute(f"SELECT count(*), count(DISTINCT path), count(DISTINCT kind) FROM read_parquet('{out}')").fetchone()
    from plancli import parse_file
    assert rows == (sum(len(parse_file(folder / f"{y}.txt").targets) for y in ("2023", "2024")), 2, 1)
    # --resume: the reports are known by their targets and not read again; no row twice
    run = cli("batch", str(folder), "-o", str(out), "--workers", "1", "--quiet", "--resume")
    assert "0 documents, 2 errors (1 not read), 0 targets, 2 already in" in run.err
    assert con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0] == rows[0]


def test_a_folder_output_keeps_what_else_is_in_it(cli, folder, tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    (out / "notes.md").write_text("my notes", encoding="utf-8")
    run = cli("batch", str(folder), "-o", f"{out}/", "--workers", "1", "--quiet")
    assert run.code == 1 and run.err.count("\n") == 1 and run.err.rstrip().endswith(f"→ {out}/")
    assert sorted(p.name for p in out.iterdir()) == sorted(["notes.md", *(f"{t}.parquet" for t in TABLES)])
    assert (out / "notes.md").read_text(encoding="utf-8") == "my notes"
    errors = duckdb.connect().execute(f"SELECT path FROM read_parquet('{out / 'errors.parquet'}')").fetchall()
    assert sorted(p.rsplit("/", 1)[-1] for p, in errors) == ["empty.txt", "old.doc"]
    # a name without extension is a folder too, made for the run
    run = cli("batch", str(folder), "-o", str(tmp_path / "made"), "--workers", "1", "--quiet")
    assert (tmp_path / "made" / "documents.parquet").is_file()


def test_a_parquet_name_that_is_a_folder_is_refused(cli, folder, tmp_path):
    """What plancli wrote before (a folder called plans.parquet) is never replaced by a file."""
    old = tmp_path / "plans.parquet"
    old.mkdir()
    (old / "targets.parquet").write_bytes(b"old")
    run = cli("batch", str(folder), "-o", str(old), "--workers", "1", "--quiet")
    assert run.code == 2 and run.err.count("\n") == 1 and f"give {old}/ to write" in run.err
    assert (old / "targets.parquet").read_bytes() == b"old"
    run = cli("batch", str(folder), "-o", f"{old}/", "--workers", "1", "--quiet")
    assert run.code == 1 and (old / "documents.parquet").is_file()


def test_batch_csv_with_a_bom_and_resume(cli, folder, tmp_path):
    out = tmp_path / "plans.csv"
    assert cli("batch", str(folder), "-o", str(out), "--workers", "1", "--quiet", "--bom").code == 1
    files = sorted(p for p in tmp_path.iterdir() if p.name.startswith("plans."))
    assert len(files) == len(TABLES) and all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in files)
    before = out.read_bytes()
    run = cli("batch", str(folder), "-o", str(out), "--workers", "1", "--quiet", "--bom", "--resume")
    assert run.code == 0 and "4 already in" in run.err  # the marked files read back
    assert out.read_bytes() == before


def test_a_missing_extra_is_named_in_one_line(cli, folder, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if the dask extra were not installed
    out = tmp_path / "plans.duckdb"
    run = cli("batch", str(folder), "-o", str(out), "--engine", "dask")
    assert run.code == 2 and run.err.count("\n") == 1
    assert run.err == ("plancli: --engine dask needs plancli's dask extra, which is not installed: "
                       "pip install 'plancli[dask]'\n")
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in"]
