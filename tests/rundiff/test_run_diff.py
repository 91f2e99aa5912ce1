"""`auditor.rundiff`: states by fingerprint, counts by rule/severity/shop, and the three files
(run-diff.json deterministic, run-diff.xlsx without formulas, run-diff.html escaped and
self-contained)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditor.report import xlsx_rows
from auditor.rundiff import run_diff
from auditor.rundiff.outputs import render_text, write_outputs
from tests.report.xlsx_package import assert_same_package


def record(case_id: str, rule: str = "D001", **fields) -> dict:
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
        "due": "2026-03-02T10:00:00",
        "actual": "2026-03-02T22:30:00",
        "overdue_hours": 12.5,
        "fingerprint": f"{rule}|case:{case_id}|platform-standard",
        "source": {"file": "cases.xlsx", "sheet": "Sheet1", "row": 2},
        "waiver": None,
        "state": None,
        **fields,
    }


def write_run(folder: Path, *findings: dict, as_of: str = "2026-03-31T23:59:59") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "findings.json"
    document = {
        "tool": {"name": "auditor"},
        "as_of": as_of,
        "lang": "zh",
        "summary": {"findings": len(findings)},
        "findings": list(findings),
        "data_issues": [],
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def runs(tmp_path):
    a = write_run(
        tmp_path / "2026-03",
        record("A"),
        record("B"),
        record("C", rule="W001", severity="error", shop="专营店"),
        record("D", rule="D002"),
    )
    b = write_run(
        tmp_path / "2026-04",
        record("A", message="first response late", source={"file": "x", "sheet": None, "row": 99}),
        record("C", rule="W001", severity="critical", shop="专营店"),
        record("D", rule="D002", overdue_hours=30.0, actual="2026-03-03T16:00:00"),
        record("E", rule="D002", shop='=HYPERLINK("http://x")', message="<script>x</script>"),
        as_of="2026-04-30T23:59:59",
    )
    return a, b


def test_states_and_totals(runs):
    diff = run_diff(*runs)
    states = dict(zip(diff.findings["case_id"], diff.findings["state"], strict=True))
    assert states == {"A": "unchanged", "B": "resolved", "C": "updated", "D": "updated", "E": "new"}
    assert diff.totals() == {"new": 1, "resolved": 1, "updated": 2, "unchanged": 1}


def test_counts_by_rule_severity_and_shop(runs):
    diff = run_diff(*runs)
    by_rule = {r["rule"]: r for r in diff.by("rule").to_dicts()}
    assert by_rule["D001"] == {
        "rule": "D001",
        "new": 0,
        "resolved": 1,
        "updated": 0,
        "unchanged": 1,
        "before": 2,
        "after": 1,
        "change": -1,
    }
    assert (by_rule["D002"]["new"], by_rule["D002"]["updated"]) == (1, 1)
    severities = diff.by("severity")
    # most severe first; an updated finding counts under its new severity
    assert severities["severity"].to_list() == ["critical", "warning"]
    assert severities.filter(severities["severity"] == "critical")["updated"].to_list() == [1]
    shops = {r["shop"]: r["after"] for r in diff.by("shop").to_dicts()}
    assert shops == {"旗舰店": 2, "专营店": 1, '=HYPERLINK("http://x")': 1}


def test_changed_facts_are_named(runs):
    diff = run_diff(*runs)
    table = diff.findings.with_columns(diff.changed_facts()).sort("case_id")
    assert table["changed"].to_list() == [None, None, "severity", "actual, overdue_hours", None]


def test_changed_facts_use_the_column_labels_of_the_readers_language(runs, tmp_path):
    diff = run_diff(*runs)
    written = write_outputs(diff, tmp_path / "zh", "zh")
    header, *rows = openpyxl.load_workbook(written[1])["明细"].iter_rows(values_only=True)
    changed = {row[header.index("变化项")] for row in rows} - {None}
    assert changed == {"严重程度", "实际时间、超时(小时)"}
    page = written[2].read_text(encoding="utf-8")
    assert "实际时间、超时(小时)" in page and "actual, overdue_hours" not in page
    english = write_outputs(diff, tmp_path / "en", "en")
    header, *rows = openpyxl.load_workbook(english[1])["Findings"].iter_rows(values_only=True)
    assert {row[header.index("Changed")] for row in rows} - {None} == {
        "Severity",
        "Actual, Overdue (hours)",
    }


def test_the_files(runs, tmp_path):
    diff = run_diff(*runs)
    written = write_outputs(diff, tmp_path / "out", "zh")
    assert [p.name for p in written] == ["run-diff.json", "run-diff.xlsx", "run-diff.html"]
    assert not (tmp_path / "out" / ".auditor-tmp").exists()

    document = json.loads(written[0].read_text(encoding="utf-8"))
    assert document["totals"] == diff.totals()
    assert document["a"]["as_of"] == "2026-03-31T23:59:59" and document["b"]["findings"] == 4
    assert [f["state"] for f in document["findings"]] == [
        "new",
        "resolved",
        "updated",
        "updated",
        "unchanged",
    ]
    updated = next(f for f in document["findings"] if f["case_id"] == "C")
    assert updated["before"]["severity"] == "error" and updated["severity"] == "critical"
    first = written[0].read_bytes()
    write_outputs(diff, tmp_path / "out", "zh")
    assert written[0].read_bytes() == first  # deterministic

    workbook = openpyxl.load_workbook(written[1])
    assert workbook.sheetnames == ["汇总", "按规则", "按严重程度", "按店铺", "明细"]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
    shop_cells = [row[5] for row in workbook["明细"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in shop_cells
    with zipfile.ZipFile(written[1]) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode() for n in sheets)  # never a formula

    page = written[2].read_text(encoding="utf-8")
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)  # self-contained
    assert "两次审计对比" in page and "有更新 (2)" in page


def test_english_text(runs):
    text = render_text(run_diff(*runs), "en")
    assert "new 1 · resolved 1 · updated 2 · unchanged 1" in text
    assert re.search(r"D002\s+1\s+0\s+1\s+0\s+1\s+2", text)


def test_the_workbook_rows_are_the_ones_rustpy_writes(runs, tmp_path, monkeypatch):
    diff = run_diff(*runs)
    ours = write_outputs(diff, tmp_path / "ours", "zh")[1]
    monkeypatch.setattr(xlsx_rows, "can_write_rows", lambda frame: False)
    whole = write_outputs(diff, tmp_path / "whole", "zh")[1]
    assert_same_package(ours, whole)
