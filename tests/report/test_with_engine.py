"""The writers on a result the real engine made (frames built in the test, bundled policies)."""

from __future__ import annotations

import json

import jsonschema
import openpyxl
import pytest

from auditor.engine import audit_dataset
from auditor.policies import load_stack
from auditor.report.outputs import write_outputs
from auditor.resources import package_data
from tests.rules.frames import dataset

CASES = [
    {
        "case_id": "AS1",
        "order_id": "O1",
        "shop": "店铺A",
        "category": "服装",
        "case_type": "return_refund",
        "reason_class": "no_reason",
        "decision": "rejected",
        "signed_at": "2026-03-01 10:00:00",
        "applied_at": "2026-03-03 10:00:00",
        "decided_at": "2026-03-03 12:00:00",
        "status": "closed",
        "agent": "张三",
    },
    {
        "case_id": "AS2",
        "order_id": "O2",
        "shop": '=HYPERLINK("http://x")',
        "category": "服装",
        "case_type": "refund_only",
        "reason_class": "quality",
        "decision": "pending",
        "signed_at": "2026-03-01 10:00:00",
        "applied_at": "2026-03-31 10:00:00",
        "status": "open",
    },
    {
        "case_id": "AS3",
        "order_id": "O3",
        "shop": "店铺A",
        "category": "服装",
        "case_type": "return_refund",
        "reason_class": "no_reason",
        "decision": "approved",
        "signed_at": "2026-03-01 10:00:00",
        "applied_at": "2026-03-02 10:00:00",
        "decided_at": "2026-03-02 11:00:00",
        "return_received_at": "2026-03-05 10:00:00",
        "refunded_at": "2026-03-25 10:00:00",
        "status": "closed",
        "paid_amount": 100,
        "refund_amount": 100,
    },
]
ORDERS = [
    {
        "order_id": "O1",
        "shop": "店铺A",
        "paid_at": "2026-02-27 10:00:00",
        "shipped_at": "2026-03-01 12:00:00",
        "paid_amount": 100,
    }
]


@pytest.fixture(scope="module")
def engine_result():
    return audit_dataset(
        dataset(CASES, ORDERS), load_stack(service=[]), as_of="2026-03-31", lang="zh"
    )


def test_engine_result_writes_valid_findings_json(engine_result, tmp_path):
    write_outputs(engine_result, tmp_path)
    document = json.loads((tmp_path / "findings.json").read_text("utf-8"))
    schema = json.loads(package_data("report", "findings.schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    rules = {(f["case_id"], f["rule"]) for f in document["findings"]}
    assert {("AS1", "W001"), ("AS3", "D011"), (None, "D010")} <= rules
    assert document["policies"] == ["cn-law@2024-07-01", "platform-standard@2026-01-01"]
    assert document["as_of"] == "2026-03-31T23:59:59" and document["as_of_source"] == "--as-of"


def test_two_runs_of_audit_and_write_give_identical_bytes(engine_result, tmp_path):
    again = audit_dataset(
        dataset(CASES, ORDERS), load_stack(service=[]), as_of="2026-03-31", lang="zh"
    )
    write_outputs(engine_result, tmp_path / "a")
    write_outputs(again, tmp_path / "b")
    first = (tmp_path / "a" / "findings.json").read_bytes()
    assert first == (tmp_path / "b" / "findings.json").read_bytes()


def test_rules_sheet_shows_the_parameters_of_the_versions_used(engine_result, tmp_path):
    write_outputs(engine_result, tmp_path, lang="en")
    sheet = openpyxl.load_workbook(tmp_path / "violations.xlsx")["Rules"]
    header, *rows = sheet.iter_rows(values_only=True)
    by_rule = {row[0]: dict(zip(header, row, strict=True)) for row in rows if row[0]}
    assert by_rule["D001"]["Parameters"] == "first response limit = 24 hours after applied_at"
    assert by_rule["D001"]["Judged"] == engine_result.coverage["D001"]["judged"]


def test_open_case_with_a_deadline_ahead_is_on_the_to_do_sheet(engine_result, tmp_path):
    write_outputs(engine_result, tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "violations.xlsx")["待办"]
    header, *rows = sheet.iter_rows(values_only=True)
    todo = [dict(zip(header, r, strict=True)) for r in rows if r[0] is not None]
    assert todo and {t["售后单号"] for t in todo} == {"AS2"}
    assert [t["截止时间"] for t in todo] == sorted(t["截止时间"] for t in todo)


SHOP_POLICY = """\
id: my-shop
version: "2026-01-01"
title: {zh: 我的店铺政策, en: My shop policy}
layer: service
effective_from: 2026-01-01
extends: platform-standard
params:
  response_limit: {amount: 12, unit: hours, from: applied_at, source: 店铺承诺 12 小时内响应}
rules:
  D001: {severity: error, source: 店铺把响应超时定为错误}
  D002: {enabled: false, source: 店铺不考核审核时限}
"""


def test_rules_sheet_shows_a_shop_policy_regrading_and_switching_off(tmp_path):
    policy = tmp_path / "my-shop.yaml"
    policy.write_text(SHOP_POLICY, encoding="utf-8")
    stack = load_stack(service=[f"店铺A={policy}"])
    result = audit_dataset(dataset(CASES, ORDERS), stack, as_of="2026-03-31", lang="zh")
    write_outputs(result, tmp_path / "out", lang="zh")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "violations.xlsx")["规则"]
    header, *rows = sheet.iter_rows(values_only=True)
    by_rule = {row[0]: dict(zip(header, row, strict=True)) for row in rows if row[0]}
    assert by_rule["D001"]["严重程度"] == "警告 (my-shop@2026-01-01: 错误)"
    assert by_rule["D002"]["严重程度"] == "警告 (my-shop@2026-01-01: 停用)"
    assert by_rule["D001"]["参数"] == (
        "首次响应时限 = my-shop@2026-01-01: 申请时间后12小时, "
        "platform-standard@2026-01-01: 申请时间后24小时"
    )
    assert by_rule["W001"]["严重程度"] == "错误"


def test_rules_sheet_shows_reason_and_payer_codes_in_words(engine_result, tmp_path):
    """Codes such as quality / seller are shown as `auditor policy show` shows them."""
    write_outputs(engine_result, tmp_path, lang="zh")
    sheet = openpyxl.load_workbook(tmp_path / "violations.xlsx")["规则"]
    header, *rows = sheet.iter_rows(values_only=True)
    by_rule = {row[0]: dict(zip(header, row, strict=True)) for row in rows if row[0]}
    assert by_rule["C001"]["参数"].startswith("退换货运费承担 = 质量问题: 卖家; 描述不符: 卖家")
    assert by_rule["E001"]["参数"] == "需凭证的原因 = 质量问题、描述不符"
    assert "分类目保修期 = 无" in by_rule["W004"]["参数"]
    cells = " ".join(str(row["参数"]) for row in by_rule.values())
    assert not any(code in cells for code in ("quality", "seller", "not_as_described", "{}"))
