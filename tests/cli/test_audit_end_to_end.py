"""`auditor audit` on a real export, through the real reader, engine and writers."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from auditor.cli.main import cli
from auditor.resources import package_data

DATA = Path(__file__).resolve().parents[1] / "data" / "report"
HOSTILE_SHOP = "=cmd|' /C calc'!A0"


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "cases.csv"
    shutil.copyfile(DATA / "cases.csv", path)
    return path


def audit(*args: str):
    return CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_end_to_end_outputs_summary_and_exit_code(export, tmp_path):
    before = sha256(export)
    out = tmp_path / "out"
    result = audit(str(export), "--out", str(out))
    assert result.exit_code == 1, result.output  # errors found, default --fail-on error
    assert sha256(export) == before

    document = json.loads((out / "findings.json").read_text("utf-8"))
    schema = json.loads(package_data("report", "findings.schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["inputs"][0]["sha256"] == before and document["inputs"][0]["rows"] == 4
    assert document["as_of"] == "2026-03-30T10:00:00"  # the latest time in the export
    assert document["as_of_source"] == "latest input time"
    found = {(f["case_id"], f["rule"]) for f in document["findings"]}
    assert {("AS1", "W001"), ("AS1", "E002"), ("AS2", "D003"), ("AS2", "D011")} <= found
    d011 = next(f for f in document["findings"] if f["rule"] == "D011")
    assert (d011["due"], d011["actual"], d011["overdue_hours"]) == (
        "2026-03-20T23:59:59",
        "2026-03-25T10:00:00",
        106.0,
    )
    assert d011["source"] == {"file": str(export), "sheet": None, "row": 3}

    assert "2026-03-30 10:00:00" in result.output and "D011" in result.output


def test_formula_text_from_the_export_stays_text_in_the_workbook(export, tmp_path):
    audit(str(export), "--out", str(tmp_path), "-q")
    workbook = openpyxl.load_workbook(tmp_path / "violations.xlsx")
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    todo = workbook["待办"]
    assert HOSTILE_SHOP in [c.value for row in todo.iter_rows() for c in row]


@pytest.mark.parametrize(
    ("fail_on", "code"), [("critical", 1), ("error", 1), ("warning", 1), ("never", 0)]
)
def test_fail_on(export, tmp_path, fail_on, code):
    assert audit(str(export), "--out", str(tmp_path), "-q", "--fail-on", fail_on).exit_code == code


def test_two_runs_give_identical_findings_json(export, tmp_path):
    audit(str(export), "--out", str(tmp_path / "a"), "-q")
    audit(str(export), "--out", str(tmp_path / "b"), "-q")
    first = (tmp_path / "a" / "findings.json").read_bytes()
    assert first == (tmp_path / "b" / "findings.json").read_bytes()


def test_as_of_date_means_end_of_that_day(export, tmp_path):
    audit(str(export), "--out", str(tmp_path), "-q", "--as-of", "2026-03-31")
    document = json.loads((tmp_path / "findings.json").read_text("utf-8"))
    assert (document["as_of"], document["as_of_source"]) == ("2026-03-31T23:59:59", "--as-of")


def test_bad_as_of_is_exit_2_and_leaves_earlier_outputs(export, tmp_path):
    from auditor.cli.main import main

    audit(str(export), "--out", str(tmp_path), "-q")
    before = (tmp_path / "findings.json").read_bytes()
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(export), "--out", str(tmp_path), "--as-of", "2026-13-45"])
    assert exited.value.code == 2
    assert (tmp_path / "findings.json").read_bytes() == before


def test_with_orders_the_order_level_finding_follows_the_case_findings(export, tmp_path):
    orders = tmp_path / "orders.csv"
    shutil.copyfile(DATA / "orders.csv", orders)
    before = sha256(orders)
    audit(str(export), "--orders", str(orders), "--out", str(tmp_path / "out"), "-q")
    document = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    last = document["findings"][-1]
    assert (last["rule"], last["case_id"], last["order_id"]) == ("D010", None, "O3")
    assert (last["due"], last["actual"], last["overdue_hours"]) == (
        "2026-02-28T10:00:00",
        "2026-02-28T12:00:00",
        2.0,
    )
    assert last["fingerprint"] == "D010|order:O3|platform-standard"
    assert all(f["case_id"] is not None for f in document["findings"][:-1])
    assert [i["kind"] for i in document["inputs"]] == ["cases", "orders"]
    assert document["inputs"][1]["sha256"] == before == sha256(orders)
