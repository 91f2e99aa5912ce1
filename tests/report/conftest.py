"""A small AuditResult (contracts.md section 4) built by hand, for testing the writers alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl
import pytest

# The frames' shapes are the engine's own (contracts.md section 4): one definition.
from auditor.engine.findings import FINDING_SCHEMA, TODO_SCHEMA
from auditor.engine.scorecards import KPI_SCHEMA
from auditor.io.issues import ISSUE_SCHEMA

LAW = "cn-law@2024-07-01"
SERVICE = "platform-standard@2026-01-01"
FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "+86 138", "-1+2", "@SUM(A1)", "\tTAB", "\rCR"]


@dataclass
class FakeInput:
    path: str
    sha256: str
    kind: str
    profile: str
    rows: int
    fields: frozenset = frozenset()
    sheets: tuple = ()


@dataclass
class FakeResult:
    findings: pl.DataFrame
    todo: pl.DataFrame
    coverage: dict[str, Any]
    kpis: pl.DataFrame
    data_issues: pl.DataFrame
    inputs: list[Any]
    policies: list[str]
    as_of: datetime
    as_of_source: str
    cases: int
    lang: str = "zh"
    extra: dict[str, Any] = field(default_factory=dict)


def finding(rule: str, severity: str, case_id: str | None, order_id: str, **over: Any) -> dict:
    layer = over.pop("layer", "law" if severity in ("critical", "error") else "service")
    policy = over.pop("policy", LAW if layer == "law" else SERVICE)
    family = policy.split("@")[0]
    key = f"case:{case_id}" if case_id else f"order:{order_id}"
    row = {
        "rule": rule,
        "severity": severity,
        "layer": layer,
        "case_id": case_id,
        "order_id": order_id,
        "shop": "旗舰店",
        "policy": policy,
        "basis": "《消费者权益保护法》第25条",
        "message": f"{rule} 违规说明",
        "due": None,
        "actual": None,
        "overdue_hours": None,
        "fingerprint": f"{rule}|{key}|{family}",
        "source_file": "exports/售后.xlsx",
        "source_sheet": "Sheet1",
        "source_row": 2,
        "month": "2026-03",
    }
    row.update(over)
    return row


def make_findings(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=FINDING_SCHEMA, orient="row")


def sample_findings() -> pl.DataFrame:
    """Two findings of each severity, case- and order-level, deliberately unsorted, with a
    formula-like message and a Chinese shop name."""
    rows = [
        finding("W001", "error", "AS003", "O3", source_row=4, message=FORMULA_LIKE[0]),
        finding(
            "D001",
            "warning",
            "AS001",
            "O1",
            due=datetime(2026, 3, 2, 10, 0, 0),
            actual=datetime(2026, 3, 2, 22, 30, 0),
            overdue_hours=12.5,
        ),
        finding(
            "D011",
            "critical",
            "AS002",
            "O2",
            due=datetime(2026, 3, 17, 23, 59, 59),
            actual=None,
            overdue_hours=1.0 / 3.0,
            source_row=3,
            shop="=cmd|' /C calc'!A0",
        ),
        finding("D003", "error", "AS002", "O2", source_row=3),
        finding("A003", "warning", None, "O9", layer="service", source_row=9, month="2026-02"),
        finding("D010", "warning", None, "O8", layer="service", source_row=8, month="2026-02"),
        finding("E002", "info", "AS001", "O1", layer="service"),
        finding("D012", "critical", "AS004", "O4", source_row=5, overdue_hours=-0.001),
        finding("D002", "info", "AS004", "O4", layer="service", source_row=5),
    ]
    return make_findings(rows)


def sample_todo() -> pl.DataFrame:
    return pl.DataFrame(
        [
            (
                "AS005",
                "O5",
                "旗舰店",
                "D004",
                "收到退货后尽快退款",
                datetime(2026, 4, 3, 23, 59, 59),
            ),
            ("AS006", "O6", "旗舰店", "D001", "+回复买家", datetime(2026, 4, 1, 9, 0, 0)),
        ],
        schema=TODO_SCHEMA,
        orient="row",
    )


def sample_kpis() -> pl.DataFrame:
    return pl.DataFrame(
        [
            ("K001", "旗舰店", None, "2026-03", 120, 0.93, 0.95, "warning"),
            ("K003", "旗舰店", None, "2026-03", 10, None, 0.9, "n/a"),
            ("K002", "旗舰店", "张三", "2026-03", 40, 0.975, 0.95, "ok"),
        ],
        schema=KPI_SCHEMA,
        orient="row",
    )


def sample_issues() -> pl.DataFrame:
    return pl.DataFrame(
        [
            (
                "Q003",
                "AS002",
                "O2",
                "refunded_at",
                "U3",
                "2026-02-28 09:00:00",
                "退款时间早于申请时间",
                "refunded_at before applied_at",
                "exports/售后.xlsx",
                "Sheet1",
                3,
            ),
            (
                "Q005",
                None,
                None,
                "reason",
                None,
                "=1+1",
                "无法归类的原因文本（2 件）",
                "unclassified reason text (2 cases)",
                "exports/售后.xlsx",
                None,
                None,
            ),
        ],
        schema=ISSUE_SCHEMA,
        orient="row",
    )


def build_result(**over: Any) -> FakeResult:
    values: dict[str, Any] = {
        "findings": sample_findings(),
        "todo": sample_todo(),
        "coverage": {
            "D001": {"judged": 4, "fired": 1, "not_judged": {"field absent: first_response_at": 2}},
            "W001": {"judged": 1, "fired": 1, "not_judged": {}},
        },
        "kpis": sample_kpis(),
        "data_issues": sample_issues(),
        "inputs": [
            FakeInput("exports/售后.xlsx", "a" * 64, "cases", "generic", 6),
            FakeInput("exports/orders.csv", "b" * 64, "orders", "generic", 9),
        ],
        "policies": [SERVICE, LAW, "cn-law@2017-03-15"],
        "as_of": datetime(2026, 3, 31, 23, 59, 59),
        "as_of_source": "--as-of",
        "cases": 6,
    }
    values.update(over)
    return FakeResult(**values)


def empty_result() -> FakeResult:
    return build_result(
        findings=make_findings([]),
        todo=pl.DataFrame(schema=TODO_SCHEMA),
        kpis=pl.DataFrame(schema=KPI_SCHEMA),
        data_issues=pl.DataFrame(schema=ISSUE_SCHEMA),
        coverage={},
        cases=0,
    )


@pytest.fixture
def result() -> FakeResult:
    return build_result()
