"""The published JSON Schema and plancli validate."""
import json

import pytest

from conftest import ROOT, NOTICE
from plancli.schema import schema_text, schemas


def test_published_schema_is_current():
    for name, body in schemas().items():
        published = ROOT / "data" / "schema" / name
        assert published.read_text(encoding="utf-8") == schema_text(body), \
            f"data/schema/{name} is stale: run `plancli schema -o data/schema`"


def test_schema_command_prints_the_document_schema(cli):
    run = cli("schema")
    assert run.code == 0 and json.loads(run.out)["title"] == "Document"
    run = cli("schema", "--model", "target")
    assert "indicator" in json.loads(run.out)["properties"]


def test_validate_accepts_parse_output(cli, tmp_path):
    out = tmp_path / "doc.json"
    assert cli("parse", str(NOTICE), "-o", str(out)).code == 0
    run = cli("validate", str(out))
    assert run.code == 0 and "valid document" in run.err
    targets = tmp_path / "targets.json"
    assert cli("targets", str(NOTICE), "--format", "json", "-o", str(targets)).code == 0
    assert cli("validate", str(targets)).code == 0


def test_validate_rejects_with_the_first_error(cli, tmp_path):
    out = tmp_path / "doc.json"
    cli("parse", str(NOTICE), "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    data["targets"][3]["comparator"] = "about"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = cli("validate", str(out))
    assert run.code == 1 and run.err.count("\n") == 1 and "targets.3.comparator" in run.err
    out.write_text("{not json", encoding="utf-8")
    run = cli("validate", str(out))
    assert run.code == 1 and "not JSON" in run.err


def test_validate_file_says_what_it_holds(tmp_path, notice_doc):
    from plancli.errors import InputError, UsageError
    from plancli.schema import validate_file

    doc = tmp_path / "doc.json"
    doc.write_text(notice_doc.model_dump_json(), encoding="utf-8")
    assert validate_file(doc) == "document"
    with pytest.raises(UsageError):
        validate_file(tmp_path / "missing.json")
    doc.write_text('[{"text": 1}]', encoding="utf-8")
    with pytest.raises(InputError, match=r"invalid: \[0\]"):
        validate_file(doc)


def test_an_actual_in_the_targets_list_is_invalid(cli, tmp_path):
    """Schema 2: achieved values are in `actuals`, never in `targets`; both
    plancli validate and the published JSON Schema say so."""
    import jsonschema

    from conftest import REPORTS

    out = tmp_path / "report.json"
    assert cli("parse", str(REPORTS / "2024.txt"), "-o", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == "2" and data["actuals"]
    assert {t["kind"] for t in data["targets"]} == {"target"} and {t["kind"] for t in data["actuals"]} == {"actual"}
    published = json.loads((ROOT / "data" / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, published)
    data["targets"].append(data["actuals"][0])
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = cli("validate", str(out))
    assert run.code == 1 and "targets holds a row of kind actual" in run.err
    with pytest.raises(jsonschema.ValidationError, match="'target' was expected"):
        jsonschema.validate(data, published)

# --- validate reads what plancli writes ---------------------------------------

REPORT_2024 = ROOT / "tests" / "data" / "gov-work-reports" / "2024.txt"


@pytest.mark.parametrize("command, name, holds", [
    (("parse", str(REPORT_2024)), "doc.json", "valid document"),
    (("parse", str(REPORT_2024)), "doc.yaml", "valid document"),
    (("outline", str(REPORT_2024), "--format", "json"), "outline.json", "valid document"),
    (("outline", str(REPORT_2024)), "outline.yml", "valid document"),
    (("targets", str(REPORT_2024), "--kind", "all"), "targets.json", "targets"),
    (("targets", str(REPORT_2024), "--kind", "all"), "targets.jsonl", "targets"),
    (("targets", str(REPORT_2024)), "targets.yaml", "targets"),
])
def test_validate_accepts_every_format_plancli_writes(cli, tmp_path, command, name, holds):
    out = tmp_path / name
    assert cli(*command, "-o", str(out)).code == 0
    run = cli("validate", str(out))
    assert run.code == 0 and run.err.count("\n") == 1 and holds in run.err, run.err
    if name.startswith("targets"):  # as many as the report has
        count = int(run.err.split("valid ")[1].split()[0])
        assert count == len(cli("targets", str(REPORT_2024), "--kind", "all" if "all" in command else "target",
                                "--format", "jsonl").out.splitlines())


def test_outline_json_is_the_section_tree_with_counts(cli, notice_doc):
    run = cli("outline", str(NOTICE), "--format", "json")
    data = json.loads(run.out)
    assert set(data) == {"schema_version", "meta", "sections"}
    assert [s["label"] for s in data["sections"]] == [s.label for s in notice_doc.sections]
    assert sum(s["target_count"] for s in data["sections"]) == sum(s.target_count for s in notice_doc.sections) > 0


def test_validate_reads_json_lines_from_standard_input(cli):
    rows = cli("targets", str(REPORT_2024), "--format", "jsonl").out
    run = cli("validate", "-", stdin=rows.encode())
    assert run.code == 0 and f"valid {len(rows.splitlines())} targets" in run.err
    one = rows.splitlines()[0] + "\n"  # a single line is a target, not a document
    assert "valid 1 targets" in cli("validate", "-", stdin=one.encode()).err
    doc = cli("parse", str(REPORT_2024)).out
    assert "valid document" in cli("validate", "-", stdin=doc.encode()).err


def test_validate_accepts_the_tables_batch_writes_as_json_lines(cli, tmp_path):
    from plancli import store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2024.txt").write_bytes(REPORT_2024.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "plans.jsonl"
    assert cli("batch", str(folder), "-o", str(out), "--workers", "1", "--quiet").code == 1  # the empty file
    for table, path in store.table_files(out, "jsonl").items():
        run = cli("validate", str(path))
        # targets and actuals share their columns: a row fits either
        named = "targets or actuals" if table in ("targets", "actuals") else table
        assert run.code == 0 and f"rows of the {named} table" in run.err, run.err
    # a wrong type in one cell: the line and the column are named
    lines = out.read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[2])
    row["start"] = "twelve"
    lines[2] = json.dumps(row, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("validate", str(out))
    assert run.code == 1 and run.err.count("\n") == 1 and "line 3" in run.err and "start" in run.err


def test_validate_names_the_line_that_is_wrong(cli, tmp_path):
    rows = cli("targets", str(REPORT_2024), "--format", "jsonl").out.splitlines()
    bad = json.loads(rows[4])
    bad["comparator"] = "about"
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(rows[:4] + [json.dumps(bad, ensure_ascii=False)] + rows[5:]) + "\n", encoding="utf-8")
    run = cli("validate", str(path))
    assert run.code == 1 and run.err.count("\n") == 1 and "line 5" in run.err and "comparator" in run.err
    path.write_text(rows[0] + "\n{\n", encoding="utf-8")
    run = cli("validate", str(path))
    assert run.code == 1 and "line 2: not JSON" in run.err
    yaml_file = tmp_path / "doc.yaml"
    yaml_file.write_text("meta: [unclosed\n", encoding="utf-8")
    run = cli("validate", str(yaml_file))
    assert run.code == 1 and run.err.count("\n") == 1 and "not YAML" in run.err
    yaml_file.write_text("just words\n", encoding="utf-8")
    run = cli("validate", str(yaml_file))
    assert run.code == 1 and "neither a document" in run.err
