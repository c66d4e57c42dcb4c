"""The Python API as a caller meets it: the package's type information,
standard exceptions for standard faults, and read_dataset over every output
plancli batch writes."""
import errno
import importlib.resources
import os
import shutil
import sys

import pytest

import plancli
from conftest import NOTICE, REPORTS
from plancli.cli import exit_code
from plancli.errors import EXIT_BAD_DOCUMENT, EXIT_USAGE, PlancliError

DATASETS = ("duckdb", "folder", "parquet", "csv", "jsonl")  # what -o can be: plans.duckdb, plans/, plans.parquet, …


def test_the_package_says_it_is_typed():
    """py.typed (PEP 561) sits in the package the wheel ships (pyproject:
    packages = ["src/plancli"] takes every file of it)."""
    assert importlib.resources.files("plancli").joinpath("py.typed").is_file()


# ---- standard exceptions -------------------------------------------------

def _raised(call):
    with pytest.raises(PlancliError) as info:
        call()
    return info.value


def test_a_missing_file_is_file_not_found(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    error = _raised(lambda: plancli.parse_file(missing))
    assert isinstance(error, FileNotFoundError)
    assert (error.errno, error.filename, str(error)) == (errno.ENOENT, str(missing), f"{missing}: no such file")
    assert exit_code(error) == EXIT_USAGE  # the command line's mapping stays
    assert capsys.readouterr().err == f"plancli: {missing}: no such file\n"


def test_a_folder_is_a_directory_error(tmp_path):
    error = _raised(lambda: plancli.parse_file(tmp_path))
    assert isinstance(error, IsADirectoryError) and error.filename == str(tmp_path)
    assert exit_code(error) == EXIT_USAGE


def test_a_file_without_permission_is_a_permission_error(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    shutil.copy(NOTICE, path)
    if os.geteuid() == 0:  # root reads any file: the system refuses the open as it would for anyone else
        real_open = os.open

        def refuse(name, *args, **kwargs):
            if os.fspath(name) == str(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_open(name, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    else:
        path.chmod(0)
    error = _raised(lambda: plancli.parse_file(path))
    assert isinstance(error, PermissionError) and error.errno == errno.EACCES
    assert str(error) == f"{path}: cannot read: Permission denied"
    assert exit_code(error) == EXIT_BAD_DOCUMENT


@pytest.mark.parametrize("content, says", [
    (b"", "the file is empty"),
    (bytes(range(256)) * 8, "binary file"),
    ("国内生产总值增长5%".encode("utf-8")[:-4] + b"\xff\xfe\xfd" * 40, "cannot decode"),
    (b"PK\x03\x04 broken zip", "not a readable .docx"),
])
def test_a_file_that_is_no_document_is_a_value_error(tmp_path, content, says):
    path = tmp_path / ("broken.docx" if content.startswith(b"PK") else "plan.txt")
    path.write_bytes(content)
    error = _raised(lambda: plancli.parse_file(path))
    assert isinstance(error, ValueError) and not isinstance(error, OSError)
    assert says in str(error) and str(path) in str(error)
    assert exit_code(error) == EXIT_BAD_DOCUMENT


def test_bad_arguments_are_value_and_lookup_errors():
    with pytest.raises(ValueError, match="max_bytes must be positive"):
        plancli.parse_file(NOTICE, max_bytes=0)
    with pytest.raises(LookupError, match="unknown encoding 'klingon'"):
        plancli.parse_file(NOTICE, encoding="klingon")
    with pytest.raises(ValueError, match="unknown input format"):
        plancli.parse_file(NOTICE, input_format="odt")


def test_the_command_line_still_says_one_line(cli, tmp_path):
    run = cli("targets", str(tmp_path / "missing.txt"))
    assert run.code == EXIT_USAGE and run.err == f"plancli: {tmp_path / 'missing.txt'}: no such file\n"
    run = cli("targets", str(tmp_path))
    assert run.code == EXIT_USAGE and run.err.count("\n") == 1 and "is a directory" in run.err


# ---- read_dataset ----------------------------------------------------------

@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    """The 2024 and 2025 national reports, and a file that fails, written by
    plancli batch in each format."""
    from plancli import corpus, store

    folder = tmp_path_factory.mktemp("reports")
    for name in ("2024.txt", "2025.txt"):
        shutil.copy(REPORTS / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path_factory.mktemp("datasets")
    files = sorted(folder.iterdir())
    made = {}
    for fmt in DATASETS:
        made[fmt] = out / (f"plans.{fmt}" if fmt != "folder" else "plans")
        summary = corpus.run(files, store.Store(made[fmt]), workers=1)
        assert (summary.documents, summary.errors) == (2, 1)
    return made


def test_read_dataset_of_one_parquet_file_gives_its_targets(datasets):
    frames = plancli.read_dataset(datasets["parquet"])
    whole = plancli.read_dataset(datasets["duckdb"])
    assert list(frames) == ["targets"]
    assert len(frames["targets"]) == len(whole["targets"]) > 0


def _sorted(frame):
    keys = [c for c in ("path", "start", "section_path") if c in frame.columns]
    return frame.sort_values(keys).reset_index(drop=True)


@pytest.mark.parametrize("fmt", [f for f in DATASETS if f != "parquet"])
def test_read_dataset_gives_every_table_as_written(datasets, fmt):
    import duckdb
    import pandas as pd

    from plancli.store import TABLES

    frames = plancli.read_dataset(datasets[fmt])
    assert list(frames) == list(TABLES)
    for table, frame in frames.items():
        assert isinstance(frame, pd.DataFrame) and list(frame.columns) == TABLES[table]
    documents, targets, actuals = frames["documents"], frames["targets"], frames["actuals"]
    assert sorted(documents.path.str.rsplit("/", n=1).str[-1]) == ["2024.txt", "2025.txt"]
    assert frames["errors"].path.str.endswith("empty.txt").tolist() == [True]
    assert set(targets.kind) == {"target"} and set(actuals.kind) == {"actual"}
    assert (len(targets), len(actuals)) == (documents.targets.sum(), documents.actuals.sum())
    # the same rows and types as DuckDB itself reads from the .duckdb output
    con = duckdb.connect(str(datasets["duckdb"]), read_only=True)
    for table in TABLES:
        expected = _sorted(con.execute(f"SELECT * FROM {table}").df())
        got = _sorted(frames[table])
        if fmt == "csv":  # a CSV cell cannot tell an empty text from no text
            expected, got = expected.replace("", None), got.replace("", None)
        pd.testing.assert_frame_equal(got, expected)
    con.close()
    gdp = targets[(targets.indicator_id == "gdp") & targets.headline]
    assert sorted(zip(gdp.year, gdp.value, gdp.comparator)) == [(2024, 5.0, "~"), (2025, 5.0, "~")]


def test_read_dataset_of_an_output_before_schema_2(datasets, tmp_path):
    """A dataset written with the achieved values inside targets reads with
    them in actuals."""
    from test_batch import _as_schema_1

    old = tmp_path / "old.jsonl"
    for source in datasets["jsonl"].parent.glob("plans*.jsonl"):
        shutil.copy(source, tmp_path / source.name.replace("plans", "old", 1))
    fresh = plancli.read_dataset(old)
    _as_schema_1(old, "jsonl")
    frames = plancli.read_dataset(old)
    assert set(frames["targets"].kind) == {"target"} and set(frames["actuals"].kind) == {"actual"}
    assert (len(frames["targets"]), len(frames["actuals"])) == (len(fresh["targets"]), len(fresh["actuals"]))


def test_read_dataset_faults(datasets, tmp_path):
    with pytest.raises(FileNotFoundError, match="no such dataset"):
        plancli.read_dataset(tmp_path / "none.duckdb")
    with pytest.raises(ValueError, match=r"not a dataset plancli batch writes: a folder or a name ending in \.csv"):
        plancli.read_dataset(tmp_path / "plans.xlsx")
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("not a database", encoding="utf-8")
    with pytest.raises(ValueError, match="bogus.duckdb: not a dataset plancli can read"):
        plancli.read_dataset(bogus)


def test_read_dataset_without_pandas_names_the_extra(datasets, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails as if it were not installed
    with pytest.raises(ImportError, match=r"pip install 'plancli\[pandas\]'"):
        plancli.read_dataset(datasets["duckdb"])


def test_import_plancli_loads_neither_pandas_nor_duckdb():
    import subprocess

    code = "import sys, plancli; print(sorted({'pandas', 'duckdb'} & set(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert run.returncode == 0 and run.stdout.strip() == "[]", run.stderr
