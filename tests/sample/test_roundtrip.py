"""Round trip: what `auditor sample` writes, `auditor.io.load` reads back, and the audit finds
exactly the planted breaches (no finding on a clean case)."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from auditor.engine.request import AuditRequest
from auditor.engine.run import run_audit
from auditor.io import load
from auditor.sample import SampleRequest, synthesize, write_sample
from auditor.sample.layout import profile_ids

RUN_STARTED = dt.datetime(2026, 11, 1)


def _load(result, orders=()):
    return load(
        cases=[result.files[0]], orders=list(orders), profile="auto", run_started=RUN_STARTED
    )


@pytest.mark.parametrize("pid", profile_ids("cases"))
@pytest.mark.parametrize(
    ("fmt", "encoding"),
    [("xlsx", "utf-8"), ("csv", "gb18030"), ("csv", "utf-8"), ("parquet", "utf-8")],
)
def test_every_layout_and_format_reads_back_with_its_bad_rows(tmp_path, pid, fmt, encoding):
    result = write_sample(
        SampleRequest(cases=300, out=tmp_path, profile=pid, format=fmt, encoding=encoding, seed=1)
    )
    dataset = _load(result)
    assert dataset.inputs[0].profile == pid
    assert dataset.inputs[0].rows == 300
    assert dataset.cases.height == 300 - len(result.quirks["duplicate_case"])
    issues = dataset.data_issues
    q002 = issues.filter(pl.col("check") == "Q002")["case_id"].to_list()
    assert q002 == result.quirks["duplicate_case"]
    for check, quirk in (
        ("Q001", "bad_datetime"),
        ("Q003", "refund_before_application"),
    ):
        listed = sorted(set(issues.filter(pl.col("check") == check)["case_id"].to_list()))
        assert listed == sorted(result.quirks.get(quirk, [])), check
    # the parseable quirks (2026/3/1 10:02, ¥1,299.00) are no data issue
    assert set(issues["check"].unique()) <= {"Q001", "Q002", "Q003", "Q005"}


@pytest.mark.parametrize("pid", profile_ids("cases"))
def test_every_field_the_layout_carries_comes_back_unchanged(tmp_path, pid):
    request = SampleRequest(cases=300, out=tmp_path, profile=pid, seed=2, quirks=False)
    synthetic, layout, _ = synthesize(request)
    got = _load(write_sample(request)).cases.sort("case_id")
    want = synthetic.cases.sort("case_id")
    fields = sorted(layout.fields & set(want.columns))
    if layout.platform == "taobao":
        fields.remove("status")  # 卖家拒绝退款 is rejected *and open* in Taobao's own model
    if pid == "douyin-aftersales":  # 同意售后申请时间: the decision time of approvals only
        want = want.with_columns(
            pl.when(pl.col("decision") == "approved").then(pl.col("decided_at")).alias("decided_at")
        )
    for name in fields:
        a, b = got[name], want[name]
        if b.dtype == pl.Datetime("us"):
            a = a.cast(pl.Datetime("us"))
        same = ((a == b) | (a.is_null() & b.is_null())).fill_null(False)
        assert same.all(), (
            name,
            a.filter(~same).head(3).to_list(),
            b.filter(~same).head(3).to_list(),
        )


@pytest.mark.parametrize(
    ("pid", "month"),
    [
        ("generic", "2026-03"),
        ("generic", "2026-02"),
        ("douyin-aftersales", "2025-10"),
        ("taobao-refund-c", "2026-03"),
    ],
)
def test_the_audit_finds_the_planted_breaches_and_nothing_else(tmp_path, pid, month):
    result = write_sample(SampleRequest(cases=2000, out=tmp_path, profile=pid, month=month, seed=3))
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    planted = {case for v in manifest["violations"].values() for case in v["case_ids"]}
    audit = run_audit(AuditRequest(cases=[result.files[0]], run_started=RUN_STARTED))
    findings = audit.findings.filter(pl.col("case_id").is_not_null())
    assert set(findings["case_id"]) <= planted  # no finding on a clean case
    fired = dict(findings.group_by("rule").len().iter_rows())
    expected = {
        r: n for r, n in manifest["expected_rules_at_least"].items() if r not in ("A003", "D010")
    }
    assert expected, manifest
    for rule, count in expected.items():
        assert fired.get(rule, 0) >= count, (rule, fired.get(rule, 0), count)
    # about one case in ten has a finding
    assert 0.08 <= findings["case_id"].n_unique() / audit.cases <= 0.12


@pytest.mark.parametrize("pid", profile_ids("cases"))
def test_with_orders_every_layout_shows_its_planted_breaches_only(tmp_path, pid):
    result = write_sample(SampleRequest(cases=1500, out=tmp_path, profile=pid, orders=True, seed=4))
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    planted_cases = {case for v in manifest["violations"].values() for case in v["case_ids"]}
    audit = run_audit(
        AuditRequest(cases=[result.files[0]], orders=[result.files[1]], run_started=RUN_STARTED)
    )
    case_findings = audit.findings.filter(pl.col("case_id").is_not_null())
    assert set(case_findings["case_id"]) <= planted_cases
    fired = dict(audit.findings.group_by("rule").len().iter_rows())
    for rule, count in manifest["expected_rules_at_least"].items():
        assert fired.get(rule, 0) >= count, (rule, fired.get(rule, 0), count)
    # the one case whose order was left out of the orders export is Q004
    q004 = audit.data_issues.filter(pl.col("check") == "Q004")["case_id"].to_list()
    assert q004 == result.quirks["missing_order"]
    # findings ≈ violation rate × cases (multi-rule breaches add a little in rich layouts)
    assert 0.09 <= audit.findings.height / audit.cases <= 0.16
