"""`auditor audit` on the committed samples/: every output, the planted violations, the golden
findings.json.

The golden file is regenerated only by hand, with tests/data/report/regenerate-golden.sh, after
a deliberate change (and its diff reviewed); a test never rewrites it.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from auditor import __version__
from auditor.cli.main import cli
from auditor.resources import package_data

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "data" / "report" / "samples-findings.json"
SAMPLES = {
    "generic": (
        "samples/cases/2026-03.xlsx",
        "samples/orders/orders.xlsx",
        "samples/cases-manifest.json",
    ),
    "taobao-refund-c": (
        "samples/platforms/taobao-refund-c/cases.xlsx",
        "samples/platforms/taobao-refund-c/orders.xlsx",
        "samples/platforms/taobao-refund-c/sample-manifest.json",
    ),
    "douyin-aftersales": (
        "samples/platforms/douyin-aftersales/cases.xlsx",
        "samples/platforms/douyin-aftersales/orders.xlsx",
        "samples/platforms/douyin-aftersales/sample-manifest.json",
    ),
}
ORDER_LEVEL = {"A003", "D010"}  # keyed by order id; the manifests list the planted cases


def audit_sample(name: str, out: Path, *extra: str):
    cases, orders, _ = SAMPLES[name]
    args = ["audit", cases, "--orders", orders, "--out", str(out), "-q", *extra]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[int, Path]]:
    """Each sample audited once, from the repository root so paths are recorded as given."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        done = {}
        for name in SAMPLES:
            out = tmp_path_factory.mktemp(name)
            done[name] = (audit_sample(name, out).exit_code, out)
    return done


def findings_of(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text("utf-8"))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_sample_outputs_are_complete_and_valid(runs, name):
    code, out = runs[name]
    assert code == 1  # every sample carries error-grade findings
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.json",
        "report.html",
        "violations.xlsx",
    ]
    document = findings_of(out)
    schema = json.loads(package_data("report", "findings.schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    workbook = openpyxl.load_workbook(out / "violations.xlsx")
    assert workbook.sheetnames == ["汇总", "违规明细", "待办", "数据问题", "KPI", "规则"]
    findings_rows = workbook["违规明细"].max_row - 1
    assert findings_rows == document["summary"]["findings"] > 0
    assert all(c.data_type != "f" for s in workbook for r in s.iter_rows() for c in r)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_every_planted_case_violation_is_found(runs, name):
    manifest = json.loads((REPO / SAMPLES[name][2]).read_text("utf-8"))
    found = {(f["case_id"], f["rule"]) for f in findings_of(runs[name][1])["findings"]}
    missing = [
        (kind, case_id, rule)
        for kind, planted in manifest["violations"].items()
        for case_id in planted.get("case_ids", [])
        for rule in planted["rules"]
        if rule not in ORDER_LEVEL and (case_id, rule) not in found
    ]
    assert missing == []


def test_generic_sample_matches_the_golden_findings_json(runs):
    produced = (runs["generic"][1] / "findings.json").read_bytes()
    expected = GOLDEN.read_bytes()
    # The tool's version is the one key a release changes on purpose.
    version = f'"version":"{__version__}"'.encode()
    expected = expected.replace(
        b'"version":"' + json.loads(expected)["tool"]["version"].encode() + b'"', version
    )
    if produced != expected:  # show which findings differ, not two walls of bytes
        got, want = json.loads(produced), json.loads(expected)
        assert got["summary"] == want["summary"]
        assert got["findings"] == want["findings"]
        assert got == want
    assert produced == expected


def test_a_second_run_gives_identical_bytes(runs, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    audit_sample("generic", tmp_path)
    assert (tmp_path / "findings.json").read_bytes() == (
        runs["generic"][1] / "findings.json"
    ).read_bytes()


def test_default_output_tells_the_layout_picked_and_rules_without_columns(
    tmp_path, monkeypatch
) -> None:
    """quickstart-merchant.md: the audit says which layout it picked (no -v needed), and
    that rules could not judge cases because this export lacks their columns."""
    monkeypatch.chdir(REPO)
    cases, orders, _ = SAMPLES["taobao-refund-c"]
    args = ["audit", cases, "--orders", orders, "--out", str(tmp_path), "--fail-on", "never"]
    out = CliRunner().invoke(cli, args, catch_exceptions=False).output
    assert f"  {cases}（售后单，版式 taobao-refund-c，" in out
    assert f"  {orders}（订单，版式 taobao-orders-qianniu，" in out
    line = next(x for x in out.splitlines() if "因导出缺少所需字段" in x)
    assert int(line.split()[0]) >= 2  # D001, D002 at least: no response or decision times
    assert "violations.xlsx 的「规则」表" in line
    quiet = CliRunner().invoke(cli, [*args, "-q"], catch_exceptions=False).output
    assert quiet == ""
