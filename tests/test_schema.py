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
