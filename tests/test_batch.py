"""Corpus mode: a folder into one dataset, nothing lost."""
import csv
import json
import shutil

import duckdb
import pytest

from conftest import NOTICE, REPORTS
from plancli.store import TABLES
from test_formats import PARAGRAPHS, write_docx, write_html, write_pdf

GOOD = 6  # notice as .txt, .docx, .html, .pdf, and two work reports


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("corpus")
    sub = d / "reports"
    sub.mkdir()
    shutil.copy(NOTICE, d / "notice.txt")
    write_docx(d / "notice.docx", PARAGRAPHS)
    write_html(d / "notice.html", PARAGRAPHS)
    write_pdf(d / "notice.pdf", PARAGRAPHS)
    shutil.copy(REPORTS / "2024.txt", sub / "2024.txt")
    shutil.copy(REPORTS / "2019.txt", sub / "2019.txt")
    (d / "corrupt.docx").write_bytes(b"PK\x03\x04 broken zip")
    (d / "empty.txt").write_bytes(b"")
    (sub / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "notes.xyz").write_text("not a document", encoding="utf-8")  # not a suffix plancli reads: an error row
    return d


def rows_of(out, table):
    """A table of any output as sorted tuples of strings (its file named by store.table_files)."""
    from plancli import store

    fmt = store.output_format(out)
    if fmt == "duckdb":
        con = duckdb.connect(str(out), read_only=True)
        cur = con.execute(f"SELECT * FROM {table}")
        names = [c[0] for c in cur.description]
        data = [dict(zip(names, r)) for r in cur.fetchall()]
        con.close()
    else:
        path = store.table_files(out, fmt)[table]
        if path.suffix == ".parquet":
            cur = duckdb.connect().execute(f"SELECT * FROM read_parquet('{path}')")
            names = [c[0] for c in cur.description]
            data = [dict(zip(names, r)) for r in cur.fetchall()]
        elif path.suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as f:
                data = list(csv.DictReader(f))
        else:
            data = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    def norm(v):
        if v is None or v == "":
            return ""
        if isinstance(v, bool):  # a BOOLEAN column reads back as true/false from CSV
            return str(v).lower()
        if isinstance(v, float) or (isinstance(v, str) and v.replace(".", "", 1).lstrip("-").isdigit()):
            return f"{float(v):g}"
        return str(v)
    return sorted(tuple((k, norm(v)) for k, v in sorted(r.items())) for r in data)


@pytest.fixture(scope="module")
def outputs(folder, tmp_path_factory):
    from plancli import cli
    import sys
    out_dir = tmp_path_factory.mktemp("out")
    results = {}
    for name in ("plans.duckdb", "plans", "plans.parquet", "plans.csv", "plans.jsonl"):
        out = out_dir / name
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "argv", ["plancli", "batch", str(folder), "-o", str(out), "--workers", "2", "--quiet"])
            with pytest.raises(SystemExit) as e:
                cli.main()
        results[name] = (out, e.value.code)
    return results


def test_exit_code_says_something_failed(outputs):
    assert {code for _, code in outputs.values()} == {1}


def test_every_input_is_accounted_for(outputs, folder):
    out = outputs["plans.duckdb"][0]
    con = duckdb.connect(str(out), read_only=True)
    docs = {r[0].rsplit("/", 1)[-1] for r in con.execute("SELECT path FROM documents").fetchall()}
    errors = dict(con.execute("SELECT path, reason FROM errors").fetchall())
    assert docs == {"notice.txt", "notice.docx", "notice.html", "notice.pdf", "2024.txt", "2019.txt"}
    assert {p.rsplit("/", 1)[-1] for p in errors} == {"corrupt.docx", "empty.txt", "binary.txt", "notes.xyz"}
    assert "unsupported type .xyz" in next(r for p, r in errors.items() if p.endswith("notes.xyz"))
    assert all(reason for reason in errors.values())
    # every target row carries its document's metadata
    row = con.execute("SELECT region, year, doc_type, path, sha256 FROM targets "
                      "WHERE indicator = '国内生产总值' AND kind = 'target' AND year = 2024").fetchone()
    assert row[:3] == ("全国", 2024, "work_report") and len(row[4]) == 64
    # the same notice in four formats gives the same target rows
    per_format = con.execute("SELECT input_format, count(*) FROM targets JOIN documents USING (sha256) "
                             "WHERE documents.doc LIKE 'notice%' GROUP BY input_format").fetchall()
    assert len({n for _, n in per_format}) == 1 and len(per_format) == 4
    # achieved values in a table of their own, in the same columns, as many as each document counts
    assert con.execute("SELECT DISTINCT kind FROM targets").fetchall() == [("target",)]
    assert con.execute("SELECT DISTINCT kind FROM actuals").fetchall() == [("actual",)]
    assert [c[0] for c in con.execute("DESCRIBE actuals").fetchall()] == \
        [c[0] for c in con.execute("DESCRIBE targets").fetchall()]
    assert con.execute("SELECT sum(actuals), sum(targets) FROM documents").fetchone() == \
        (con.execute("SELECT count(*) FROM actuals").fetchone()[0], con.execute("SELECT count(*) FROM targets").fetchone()[0])
    row = con.execute("SELECT region, year, value FROM actuals WHERE indicator = '国内生产总值' AND action = '增长' "
                      "AND year = 2024").fetchone()
    assert row == ("全国", 2024, 5.2)  # the 2024 report's review: 国内生产总值…增长5.2%
    con.close()


def one_line(rows):
    """Rows as CSV holds them: a line break in a cell is a space (rows.csv_cell)."""
    from plancli.rows import csv_cell

    return sorted(tuple((k, csv_cell(v)) for k, v in r) for r in rows)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_format_has_the_same_rows(outputs, table):
    from plancli import store

    baseline = rows_of(outputs["plans.duckdb"][0], table)
    assert baseline
    for name in ("plans", "plans.parquet", "plans.csv", "plans.jsonl"):
        out = outputs[name][0]
        if table not in store.table_files(out, store.output_format(out)):
            continue  # a single .parquet file keeps the targets alone
        expected = one_line(baseline) if name.endswith(".csv") else baseline
        assert rows_of(out, table) == expected, name


def test_csv_cells_hold_no_line_break_and_json_keeps_the_text(outputs):
    """The PDF's hard line breaks stay in its sentences as read (offsets
    index them); in CSV each becomes a space, in JSON Lines they are kept."""
    broken = [r for r in rows_of(outputs["plans.jsonl"][0], "targets")
              if "\n" in dict(r)["sentence"] and dict(r)["path"].endswith(".pdf")]
    assert broken
    csv_rows = rows_of(outputs["plans.csv"][0], "targets")
    assert not [r for r in csv_rows if any("\n" in v or "\r" in v for _, v in r)]
    assert set(one_line(broken)) <= set(csv_rows)


def test_parquet_file_and_folder_read_in_pandas_and_duckdb(outputs):
    """-o plans.parquet is one file, the targets with their document's
    columns; -o plans/ one file per table, named by table. pandas and
    DuckDB read each as one table."""
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from plancli.rows import TABLES

    single, folder = outputs["plans.parquet"][0], outputs["plans"][0]
    assert single.is_file() and folder.is_dir()
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    frame = pandas.read_parquet(single)
    assert list(frame.columns) == TABLES["targets"].names
    assert {"region", "year", "doc_type", "doc_title", "path", "sha256"} <= set(frame.columns)
    gdp = frame[(frame.indicator == "国内生产总值") & (frame.kind == "target") & (frame.year == 2024)]
    assert set(gdp.region) == {"全国"}
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM read_parquet('{single}')").fetchone()[0] == len(frame)
    for table in TABLES:
        path = folder / f"{table}.parquet"
        frame = pandas.read_parquet(path)
        assert list(frame.columns) == TABLES[table].names, table
        assert con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0] == len(frame) > 0


def test_resume_on_an_unchanged_folder_parses_nothing(cli, folder, outputs):
    for name in ("plans.duckdb", "plans.jsonl"):
        out = outputs[name][0]
        before = rows_of(out, "targets")
        run = cli("batch", str(folder), "-o", str(out), "--resume", "--quiet")
        assert run.code == 0, run.err
        assert "0 documents, 0 errors, 0 targets, 10 already in" in run.err
        assert rows_of(out, "targets") == before


def test_resume_parses_only_what_is_new(cli, folder, tmp_path):
    out = tmp_path / "grow.duckdb"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(REPORTS / "2024.txt", first / "a.txt")
    assert cli("batch", str(first), "-o", str(out), "--quiet", "--workers", "1").code == 0
    shutil.copy(REPORTS / "2025.txt", first / "b.txt")
    run = cli("batch", str(first), "-o", str(out), "--resume", "--quiet", "--workers", "1")
    assert run.code == 0 and "1 documents" in run.err and "1 already in" in run.err
    con = duckdb.connect(str(out), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    con.close()


def test_glob_selects_files(cli, folder, tmp_path):
    out = tmp_path / "only-txt.jsonl"
    run = cli("batch", str(folder), "-o", str(out), "--glob", "*.txt", "--quiet", "--workers", "1")
    docs = [json.loads(x)["path"] for x in out.with_name("only-txt.documents.jsonl").read_text().splitlines()]
    assert sorted(p.rsplit("/", 1)[-1] for p in docs) == ["2019.txt", "2024.txt", "notice.txt"]
    assert run.code == 1  # empty.txt and binary.txt are .txt too


def test_bad_output_and_missing_input(cli, folder, tmp_path):
    run = cli("batch", str(folder), "-o", str(tmp_path / "out.xlsx"))
    assert run.code == 2 and run.err.count("\n") == 1 and ".duckdb" in run.err
    run = cli("batch", str(tmp_path / "nope"), "-o", str(tmp_path / "out.duckdb"))
    assert run.code == 2 and "no such file or folder" in run.err


def test_dask_gives_the_same_rows_as_the_process_pool(cli, folder, outputs, tmp_path):
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed")
    out = tmp_path / "dask.duckdb"
    run = cli("batch", str(folder), "-o", str(out), "--engine", "dask", "--workers", "2", "--quiet")
    assert run.code == 1, run.err
    for table in ("documents", "targets", "errors"):
        assert rows_of(out, table) == rows_of(outputs["plans.duckdb"][0], table)


def _interrupt_after(n):
    seen = []

    def progress(result):
        seen.append(result)
        if len(seen) == n:
            raise KeyboardInterrupt
    return progress


def test_interrupted_run_leaves_the_output_as_it_was(folder, outputs, tmp_path):
    from plancli import corpus, store
    out = tmp_path / "keep.duckdb"
    shutil.copy(outputs["plans.duckdb"][0], out)
    before = rows_of(out, "documents")
    files = corpus.find_inputs([str(folder)])
    summary = corpus.run(files, store.Store(out), workers=1, progress=_interrupt_after(3))
    assert summary.interrupted
    assert rows_of(out, "documents") == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.duckdb"]  # no staging file left


def test_interrupted_resume_keeps_committed_batches(folder, tmp_path):
    from plancli import corpus, store
    out = tmp_path / "partial.duckdb"
    files = corpus.find_inputs([str(folder)])
    summary = corpus.run(files, store.Store(out, resume=True, batch=2), workers=1, resume=True,
                         progress=_interrupt_after(5))
    assert summary.interrupted
    con = duckdb.connect(str(out), read_only=True)
    kept = con.execute("SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM errors)").fetchone()[0]
    con.close()
    assert kept == 4  # two committed batches of two; the fifth file's batch rolled back
    summary = corpus.run(files, store.Store(out, resume=True), workers=1, resume=True)
    assert summary.skipped == 4 and summary.documents + summary.errors == len(files) - 4


def test_progress_bar_on_a_terminal_only(cli, folder, tmp_path, monkeypatch):
    import sys
    run = cli("batch", str(folder / "reports"), "-o", str(tmp_path / "a.duckdb"), "--workers", "1")
    assert "parsing" not in run.err  # not a terminal: the summary line only
    assert run.err.count("\n") == 1
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    run = cli("batch", str(folder / "reports"), "-o", str(tmp_path / "b.duckdb"), "--workers", "1")
    assert "plancli: 2 documents, 1 errors" in run.err
    assert "parsing" in run.err and "files/s" in run.err  # the bar: files, targets, errors, rate


def _as_schema_1(out, fmt):
    """Turn an output into what plancli wrote before schema 2: achieved values
    inside targets, no actuals table, no sections.actual_count column."""
    from plancli.store import FOLDER, table_files, table_reader

    if fmt == "duckdb":
        con = duckdb.connect(str(out))
    else:
        con = duckdb.connect()
        for table, path in table_files(out, fmt).items():
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM {table_reader(fmt, table, path)}")
    con.execute("INSERT INTO targets SELECT * FROM actuals")
    con.execute("DROP TABLE actuals")
    con.execute("ALTER TABLE sections DROP COLUMN actual_count")
    if fmt != "duckdb":
        files = table_files(out, fmt)
        files.pop("actuals").unlink()
        options = {FOLDER: "(FORMAT PARQUET)", "csv": "(FORMAT CSV, HEADER)", "jsonl": "(FORMAT JSON)"}[fmt]
        for table, path in files.items():
            con.execute(f"COPY {table} TO '{path}' {options}")
    con.close()


@pytest.mark.parametrize("name", ["old.duckdb", "old", "old.csv", "old.jsonl"])
def test_resume_moves_the_actuals_of_an_older_output(cli, tmp_path, name):
    """--resume on an output written before schema 2: its achieved values
    move from targets to actuals, the new column is added, new rows follow."""
    from plancli import store

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPORTS / "2024.txt", folder / "2024.txt")
    out = tmp_path / name
    assert cli("batch", str(folder), "-o", str(out), "--quiet", "--workers", "1").code == 0
    fresh = {t: rows_of(out, t) for t in ("targets", "actuals")}
    _as_schema_1(out, store.output_format(out))
    assert len(rows_of(out, "targets")) == len(fresh["targets"]) + len(fresh["actuals"])
    shutil.copy(REPORTS / "2025.txt", folder / "2025.txt")
    run = cli("batch", str(folder), "-o", str(out), "--resume", "--quiet", "--workers", "1")
    assert run.code == 0 and "1 documents" in run.err and "1 already in" in run.err, run.err
    kinds = {t: {dict(r)["kind"] for r in rows_of(out, t)} for t in ("targets", "actuals")}
    assert kinds == {"targets": {"target"}, "actuals": {"actual"}}
    old_rows = {t: [r for r in rows_of(out, t) if dict(r)["path"].endswith("2024.txt")] for t in fresh}
    assert old_rows == fresh
    sections = rows_of(out, "sections")
    counted = {dict(r)["path"].rsplit("/", 1)[-1]: dict(r)["actual_count"] for r in sections}
    assert counted["2024.txt"] == "" and counted["2025.txt"] != ""  # unknown for the old rows, counted for new


def test_the_pool_holds_a_window_of_files_and_no_result_is_kept(tmp_path, monkeypatch):
    """Files go to the pool a window at a time (two per worker), and each
    result is stored and dropped: the files in flight never exceed the
    window and reach it (the workers are kept fed), and when a result is
    stored no more results are alive than that window, however many files
    the run reads."""
    import threading
    import weakref

    from plancli import corpus, store

    folder = tmp_path / "in"
    folder.mkdir()
    shortest = sorted(REPORTS.glob("*.txt"), key=lambda p: p.stat().st_size)[:8]
    for copy in range(3):
        for src in shortest:
            (folder / f"{copy}-{src.name}").write_bytes(src.read_bytes())
    workers = 2
    lock, in_flight, most = threading.Lock(), set(), [0]
    new_pool = corpus._new_pool

    def counting_pool(n):
        pool = new_pool(n)
        submit = pool.submit

        def counted(fn, *args):
            future = submit(fn, *args)
            with lock:
                in_flight.add(future)
                most[0] = max(most[0], len(in_flight))

            def done(f):
                with lock:
                    in_flight.discard(f)
            future.add_done_callback(done)
            return future
        pool.submit = counted
        return pool

    monkeypatch.setattr(corpus, "_new_pool", counting_pool)
    stored, alive_at_add = [], []
    sink = store.Store(tmp_path / "w.duckdb")
    add = sink.add

    def tracking_add(result):
        stored.append(weakref.ref(result))
        alive_at_add.append(sum(r() is not None for r in stored))
        add(result)
    sink.add = tracking_add
    summary = corpus.run(corpus.find_inputs([str(folder)]), sink, workers=workers)
    assert summary.documents == 24 and summary.errors == 0
    assert most[0] == corpus.window(workers) == 4
    assert max(alive_at_add) <= corpus.window(workers)
    assert all(r() is None for r in stored)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(DISTINCT path) FROM documents").fetchone()[0] == 24
    assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == summary.targets
    con.close()


@pytest.mark.parametrize("name", ["small.duckdb", "small.parquet"])
def test_duckdb_short_of_memory_is_given_more(tmp_path, monkeypatch, name):
    """DuckDB runs under a small memory limit; a load or export that does not
    fit is rolled back and run again under the next limit, and the output
    is whole. 1 MB fits nothing: alone it fails the run (exit 3's error)."""
    from plancli import corpus, store
    from plancli.errors import OutputError

    files = [REPORTS / "2024.txt", REPORTS / "2019.txt"]
    monkeypatch.setattr(store, "MEMORY_LIMITS", ("1MB",))
    with pytest.raises(OutputError, match="Out of Memory"):
        corpus.run(files, store.Store(tmp_path / name), workers=1)
    assert [p.name for p in tmp_path.iterdir()] == []  # nothing staged left
    monkeypatch.setattr(store, "MEMORY_LIMITS", ("1MB", "256MB"))
    summary = corpus.run(files, store.Store(tmp_path / name), workers=1)
    targets = rows_of(tmp_path / name, "targets")
    assert summary.documents == 2 and len(targets) == summary.targets > 50
    assert len({dict(r)["path"] for r in targets}) == 2


@pytest.mark.parametrize("name", ["sets.duckdb", "sets.csv"])
def test_rows_staged_in_many_sets_are_the_rows_of_one(folder, outputs, tmp_path, name):
    """A set of staged rows per file (more sets than one load takes) gives
    the same tables as the whole corpus in one set."""
    from plancli import corpus, store

    out = tmp_path / name
    files, unread = corpus.scan_inputs([str(folder)])
    corpus.run(files, store.Store(out, batch=1), workers=2, unread=unread)
    assert len(list(folder.rglob("*.*"))) > store.SETS_PER_LOAD
    for table in TABLES:  # against the same format: CSV cells have no line breaks
        assert rows_of(out, table) == rows_of(outputs[f"plans{out.suffix}"][0], table), table
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # nothing staged left
