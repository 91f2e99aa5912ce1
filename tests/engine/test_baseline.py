"""Baselines: new / unchanged / updated by fingerprint, absent findings, and reading a previous
findings.json (anything else is a located error)."""

from __future__ import annotations

import json
from datetime import datetime

import polars as pl
import pytest

from auditor.engine.baseline import (
    classify,
    comparable,
    load_findings_json,
    mark_states,
    state_counts,
)
from auditor.engine.findings import FINDING_SCHEMA
from auditor.errors import AuditorError


def finding(case_id: str, rule: str = "D001", **fields) -> dict:
    return {
        "rule": rule,
        "severity": "warning",
        "layer": "service",
        "case_id": case_id,
        "order_id": f"O-{case_id}",
        "shop": "旗舰店",
        "policy": "platform-standard@2026-01-01",
        "basis": "…",
        "message": "申请后24小时内应首次响应",
        "due": datetime(2026, 3, 2, 10, 0),
        "actual": datetime(2026, 3, 2, 22, 30),
        "overdue_hours": 12.5,
        "fingerprint": f"{rule}|case:{case_id}|platform-standard",
        "source_file": "cases.xlsx",
        "source_sheet": "Sheet1",
        "source_row": 2,
        "month": "2026-03",
        **fields,
    }


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=FINDING_SCHEMA)


def previous_file(tmp_path, *rows: dict, **header) -> object:
    """A findings.json as `auditor audit` writes it (the keys the baseline reads)."""
    records = comparable(frame(*rows)).drop("waived").to_dicts()
    document = {
        "tool": {"name": "auditor", "version": "0"},
        "as_of": "2026-03-31T23:59:59",
        "lang": "zh",
        "summary": {"findings": len(records)},
        "findings": [{**r, "waiver": None, "source": {"row": 2}} for r in records],
        "data_issues": [],
        **header,
    }
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return load_findings_json(path)


def states(current: pl.DataFrame, baseline) -> dict[str, str]:
    marked, _ = mark_states(current, baseline)
    return dict(zip(marked["case_id"].to_list(), marked["state"].to_list(), strict=True))


def test_same_fingerprint_and_facts_is_unchanged_whatever_the_row_message_or_language(tmp_path):
    baseline = previous_file(tmp_path, finding("A"))
    moved = finding(
        "A",
        source_row=917,
        source_file="2026-04.xlsx",
        message="first response was 12.5 h late",  # an English run
    )
    assert states(frame(moved), baseline) == {"A": "unchanged"}


@pytest.mark.parametrize(
    "change",
    [
        {"severity": "error"},
        {"due": datetime(2026, 3, 2, 11, 0)},
        {"actual": None},
        {"overdue_hours": 13.0},
        {"policy": "platform-standard@2026-07-01"},  # same family, new version
    ],
)
def test_a_changed_fact_makes_the_finding_updated(tmp_path, change):
    baseline = previous_file(tmp_path, finding("A"))
    assert states(frame(finding("A", **change)), baseline) == {"A": "updated"}


def test_hours_equal_once_rounded_as_findings_json_writes_them_are_unchanged(tmp_path):
    baseline = previous_file(tmp_path, finding("A", overdue_hours=12.5))
    assert states(frame(finding("A", overdue_hours=12.501)), baseline) == {"A": "unchanged"}


def test_new_and_absent_fingerprints(tmp_path):
    baseline = previous_file(tmp_path, finding("A"), finding("B"), finding("B", rule="D002"))
    current = frame(finding("A"), finding("C"), finding("B", rule="D002"))
    marked, absent = mark_states(current, baseline)
    assert marked.get_column("state").to_list() == ["unchanged", "new", "unchanged"]
    assert marked.select("case_id", "rule").rows() == current.select("case_id", "rule").rows()
    assert absent.get_column("fingerprint").to_list() == ["D001|case:B|platform-standard"]
    assert state_counts(marked) == {"new": 1, "unchanged": 2, "updated": 0}


def test_classify_keeps_the_previous_facts_beside_the_current_ones(tmp_path):
    before = comparable(frame(finding("A"), finding("B")))
    after = comparable(frame(finding("A", severity="error"), finding("C")))
    table = classify(after, before).sort("fingerprint")
    assert table.select("case_id", "state", "severity", "before_severity").rows() == [
        ("A", "updated", "error", "warning"),
        ("B", "absent", "warning", "warning"),
        ("C", "new", "warning", None),
    ]


def test_a_baseline_that_is_not_a_findings_json_is_a_located_error(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(AuditorError, match="baseline file not found"):
        load_findings_json(missing)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(AuditorError, match="not valid JSON") as caught:
        load_findings_json(broken)
    problem = caught.value.problems[0]
    assert problem.file == str(broken)
    # The place in the reader's language; no English sentence of the parser's inside "(…)".
    assert problem.message_zh.startswith("基线文件不是有效的 JSON（第 1 行第 2 列）：")
    assert problem.message_en.startswith("baseline file is not valid JSON (line 1, column 2): ")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"tool": "caf\xe9"}')
    with pytest.raises(AuditorError) as caught:
        load_findings_json(latin1)
    assert caught.value.problems[0].message_zh == "基线文件不是 UTF-8 编码的 JSON（第 14 个字节）"
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"findings": [{"rule": "D001"}]}), encoding="utf-8")
    with pytest.raises(AuditorError, match="not a findings.json written by auditor"):
        load_findings_json(other)


AUDIT_KEYS = {"tool": {"name": "auditor"}, "as_of": None, "summary": {}, "data_issues": []}


@pytest.mark.parametrize(
    ("document", "missing"),
    [
        # run-diff.json: a findings list of fingerprints, but the diff of two runs
        (
            {"tool": {"name": "auditor"}, "a": {}, "b": {}, "totals": {}, "findings": []},
            "as_of, summary, data_issues",
        ),
        ({"inputs": [], "data_issues": []}, "tool, as_of, summary, findings"),  # validate --json
        ({**AUDIT_KEYS, "tool": {"name": "other"}, "findings": []}, "tool.name"),
        ([], "tool, as_of, summary, findings, data_issues"),
    ],
)
def test_only_an_audit_findings_json_is_a_baseline(tmp_path, document, missing):
    path = tmp_path / "run-diff.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(AuditorError, match="not a findings.json written by auditor") as caught:
        load_findings_json(path)
    assert caught.value.problems[0].message_en.endswith(f"(missing {missing})")
    assert caught.value.problems[0].file == str(path)


def test_a_waived_previous_finding_is_read_as_waived(tmp_path):
    path = tmp_path / "findings.json"
    record = {"fingerprint": "D001|case:A|platform-standard", "rule": "D001", "case_id": "A"}
    waiver = {"reason": "r", "approved_by": "x", "expires": "2026-06-30"}
    document = {
        "tool": {"name": "auditor"},
        "as_of": None,
        "summary": {},
        "data_issues": [],
        "findings": [
            {**record, "waiver": waiver},
            {**record, "case_id": "B", "fingerprint": "f2", "waiver": None},
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_findings_json(path).findings.get_column("waived").to_list() == [True, False]


def test_a_baseline_listing_a_fingerprint_twice_is_refused_naming_it(tmp_path):
    edited = finding("A", severity="error")
    with pytest.raises(AuditorError, match="same fingerprint more than once") as caught:
        previous_file(tmp_path, finding("A"), finding("B"), edited)
    problem = caught.value.problems[0]
    assert problem.message_en.endswith(": D001|case:A|platform-standard")
    assert problem.file == str(tmp_path / "findings.json")
