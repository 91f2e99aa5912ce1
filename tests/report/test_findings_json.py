"""findings.json: the schema, every key, the order, the number and time formats, identical bytes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import jsonschema
import polars as pl
import pytest

from auditor.report import findings_json
from auditor.report.findings_json import write_findings_json
from auditor.resources import package_data
from tests.report.conftest import (
    FORMULA_LIKE,
    build_result,
    empty_result,
    finding,
    make_findings,
)

FINDING_KEYS = [
    "rule",
    "severity",
    "layer",
    "case_id",
    "order_id",
    "shop",
    "policy",
    "basis",
    "message",
    "due",
    "actual",
    "overdue_hours",
    "fingerprint",
    "source",
    "waiver",
    "state",
]


def schema() -> dict:
    return json.loads(package_data("report", "findings.schema.json").read_text("utf-8"))


def validate(document: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def write(result, tmp_path: Path, name: str = "findings.json", lang: str = "zh") -> Path:
    path = tmp_path / name
    write_findings_json(result, path, lang)
    return path


def load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_schema_is_a_valid_draft_2020_12_schema():
    document = schema()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)


def test_output_validates_against_the_shipped_schema(result, tmp_path):
    validate(load(write(result, tmp_path)))


def test_empty_result_validates_and_keeps_every_key(tmp_path):
    document = load(write(empty_result(), tmp_path))
    validate(document)
    assert document["findings"] == [] and document["kpis"] == [] and document["data_issues"] == []
    assert document["summary"]["by_severity"] == {
        "critical": 0,
        "error": 0,
        "warning": 0,
        "info": 0,
    }
    assert document["summary"]["by_rule"] == {}


def test_schema_rejects_a_finding_with_a_missing_key(result, tmp_path):
    document = load(write(result, tmp_path))
    del document["findings"][0]["due"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema(), cls=jsonschema.Draft202012Validator)


def test_top_level_keys_in_contract_order(result, tmp_path):
    assert list(load(write(result, tmp_path))) == [
        "tool",
        "as_of",
        "as_of_source",
        "lang",
        "inputs",
        "policies",
        "summary",
        "findings",
        "coverage",
        "kpis",
        "data_issues",
        "baseline_absent",
    ]


def test_every_finding_has_every_key_with_null_for_what_does_not_apply(result, tmp_path):
    findings = load(write(result, tmp_path))["findings"]
    assert all(list(f) == FINDING_KEYS for f in findings)
    w001 = next(f for f in findings if f["rule"] == "W001")
    assert w001["due"] is None and w001["actual"] is None and w001["overdue_hours"] is None
    order_level = next(f for f in findings if f["rule"] == "A003")
    assert order_level["case_id"] is None and order_level["order_id"] == "O9"


def test_case_findings_sorted_by_case_then_rule_and_order_findings_follow(result, tmp_path):
    findings = load(write(result, tmp_path))["findings"]
    keys = [(f["case_id"], f["order_id"], f["rule"]) for f in findings]
    assert keys == [
        ("AS001", "O1", "D001"),
        ("AS001", "O1", "E002"),
        ("AS002", "O2", "D003"),
        ("AS002", "O2", "D011"),
        ("AS003", "O3", "W001"),
        ("AS004", "O4", "D002"),
        ("AS004", "O4", "D012"),
        (None, "O8", "D010"),
        (None, "O9", "A003"),
    ]


def test_times_are_naive_beijing_iso_seconds_and_numbers_have_two_decimals(result, tmp_path):
    document = load(write(result, tmp_path))
    assert document["as_of"] == "2026-03-31T23:59:59"
    d001 = next(f for f in document["findings"] if f["rule"] == "D001")
    assert (d001["due"], d001["actual"], d001["overdue_hours"]) == (
        "2026-03-02T10:00:00",
        "2026-03-02T22:30:00",
        12.5,
    )
    d011 = next(f for f in document["findings"] if f["rule"] == "D011")
    assert d011["overdue_hours"] == 0.33  # 1/3 rounded
    assert d011["actual"] is None
    d012 = next(f for f in document["findings"] if f["rule"] == "D012")
    assert d012["overdue_hours"] == 0 and "-0.0" not in json.dumps(d012)


def test_summary_counts(result, tmp_path):
    summary = load(write(result, tmp_path))["summary"]
    assert summary == {
        "cases": 6,
        "cases_with_findings": 4,
        "findings": 9,
        "by_rule": {
            "A003": 1,
            "D001": 1,
            "D002": 1,
            "D003": 1,
            "D010": 1,
            "D011": 1,
            "D012": 1,
            "E002": 1,
            "W001": 1,
        },
        "by_severity": {"critical": 2, "error": 2, "warning": 3, "info": 2},
    }


def test_inputs_policies_coverage_kpis_and_issues(result, tmp_path):
    document = load(write(result, tmp_path, lang="en"))
    assert document["lang"] == "en"
    assert document["inputs"][0] == {
        "path": "exports/售后.xlsx",
        "sha256": "a" * 64,
        "kind": "cases",
        "profile": "generic",
        "rows": 6,
    }
    assert document["policies"] == sorted(result.policies)
    assert document["coverage"]["D001"] == {
        "judged": 4,
        "fired": 1,
        "not_judged": {"field absent: first_response_at": 2},
    }
    assert [k["rule"] for k in document["kpis"]] == ["K001", "K002", "K003"]
    assert document["kpis"][1]["agent"] == "张三" and document["kpis"][0]["agent"] is None
    q003 = document["data_issues"][0]
    assert q003["message"] == "refunded_at before applied_at"  # --lang en
    assert q003["source"] == {"file": "exports/售后.xlsx", "sheet": "Sheet1", "row": 3}


def test_utf8_without_ascii_escapes_and_text_kept_verbatim(result, tmp_path):
    raw = write(result, tmp_path).read_bytes()
    assert "旗舰店".encode() in raw and b"\\u" not in raw.replace(b"\\u0001", b"")
    messages = {f["message"] for f in json.loads(raw)["findings"]}
    assert FORMULA_LIKE[0] in messages


def test_two_writes_give_identical_bytes(result, tmp_path):
    first = write(result, tmp_path, "a.json").read_bytes()
    second = write(build_result(), tmp_path, "b.json").read_bytes()
    assert first == second


def test_row_order_of_the_engine_does_not_change_the_bytes(result, tmp_path):
    shuffled = build_result(findings=result.findings.reverse(), kpis=result.kpis.reverse())
    assert (
        write(result, tmp_path, "a.json").read_bytes()
        == write(shuffled, tmp_path, "b.json").read_bytes()
    )


def test_large_sets_are_written_in_chunks_and_stay_valid(tmp_path, monkeypatch):
    monkeypatch.setattr(findings_json, "CHUNK_ROWS", 7)
    rows = [
        finding("D001", "warning", f"AS{i:04d}", f"O{i}", due=datetime(2026, 3, 1), actual=None)
        for i in range(50)
    ]
    document = load(write(build_result(findings=make_findings(rows)), tmp_path))
    validate(document)
    assert [f["case_id"] for f in document["findings"]] == [f"AS{i:04d}" for i in range(50)]


def test_control_characters_and_quotes_are_escaped(tmp_path):
    rows = [finding("D001", "warning", "AS1", "O1", message='a"b\\c\nd\x01e')]
    document = load(write(build_result(findings=make_findings(rows)), tmp_path))
    assert document["findings"][0]["message"] == 'a"b\\c\nd\x01e'


def test_waiver_and_state_pass_through_when_the_result_has_them(tmp_path):
    findings = make_findings([finding("D001", "warning", "AS1", "O1")]).with_columns(
        waiver=pl.struct(
            reason=pl.lit("系统故障"), approved_by=pl.lit("张三"), expires=pl.lit("2026-06-30")
        ),
        state=pl.lit("new"),
    )
    document = load(write(build_result(findings=findings), tmp_path))
    validate(document)
    assert document["findings"][0]["waiver"] == {
        "reason": "系统故障",
        "approved_by": "张三",
        "expires": "2026-06-30",
    }
    assert document["findings"][0]["state"] == "new"


def test_baseline_absent_is_null_without_a_baseline_and_sorted_fingerprints_with_one(tmp_path):
    assert load(write(build_result(), tmp_path))["baseline_absent"] is None
    absent = pl.DataFrame(
        {"fingerprint": ["W001|case:AS9|cn-law", "D001|case:AS8|platform-standard"]}
    )
    result = build_result()
    result.baseline_absent = absent
    document = load(write(result, tmp_path, "b.json"))
    validate(document)
    assert document["baseline_absent"] == [
        "D001|case:AS8|platform-standard",
        "W001|case:AS9|cn-law",
    ]
