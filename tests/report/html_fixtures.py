"""AuditResult-shaped objects for the report.html tests (contracts.md section 4).

Built here rather than from the engine so the page can be tested on exactly the situations it
must show: several shops and months, every severity, KPI statuses, agents, an open case to do,
data issues, coverage with not-judged reasons, and hostile text in names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from auditor.engine.findings import FINDING_SCHEMA

EVIL = "<script>alert(1)</script>"


@dataclass
class InputInfo:
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
    inputs: list[InputInfo]
    policies: list[str]
    as_of: datetime
    as_of_source: str
    cases: int
    lang: str = "zh"
    extra: dict = field(default_factory=dict)


def _finding(rule, severity, layer, case_id, order_id, shop, month, overdue=None, row=2, **kw):
    due = datetime(2026, int(month[-2:]), 2, 10, 0) if overdue is not None else None
    return {
        "rule": rule,
        "severity": severity,
        "layer": layer,
        "case_id": case_id,
        "order_id": order_id,
        "shop": shop,
        "policy": "cn-law@2024-07-01" if layer == "law" else "platform-standard@2026-01-01",
        "basis": kw.get("basis", "《消费者权益保护法》第25条"),
        "message": kw.get("message", f"{rule} 消息 {case_id}"),
        "due": due,
        "actual": kw.get("actual"),
        "overdue_hours": overdue,
        "fingerprint": f"{rule}|case:{case_id}|x",
        "source_file": kw.get("file", "/data/exports/店铺A-2026-03.xlsx"),
        "source_sheet": kw.get("sheet", "售后"),
        "source_row": row,
        "month": month,
    }


def findings_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=FINDING_SCHEMA)


def sample_result(lang: str = "zh") -> FakeResult:
    """A small but complete result: two shops (one with a hostile name), two months."""
    f = _finding
    rows = [
        f("D011", "critical", "law", "AS001", "O001", "店铺A", "2026-02", 400.0, 5),
        f("D003", "error", "law", "AS001", "O001", "店铺A", "2026-02", 232.0, 5),
        f("W001", "error", "law", "AS002", "O002", "店铺A", "2026-03", None, 6),
        f("D001", "warning", "service", "AS003", "O003", "店铺A", "2026-03", 12.5, 7),
        f(
            "D001",
            "warning",
            "service",
            "AS004",
            "O004",
            EVIL,
            "2026-03",
            30.0,
            8,
            file="b.csv",
            sheet=None,
        ),
        f(
            "E002",
            "error",
            "service",
            "AS005",
            "O005",
            EVIL,
            "2026-03",
            None,
            9,
            file="b.csv",
            sheet=None,
            message=f"拒绝原因为空 {EVIL}",
        ),
        f(
            "D010",
            "warning",
            "service",
            None,
            "O009",
            "店铺A",
            "2026-03",
            5.0,
            3,
            file="orders.xlsx",
            sheet="订单",
        ),
    ]
    todo = pl.DataFrame(
        {
            "case_id": ["AS010", "AS011"],
            "order_id": ["O010", "O011"],
            "shop": ["店铺A", EVIL],
            "rule": ["D004", "D001"],
            "action": ["请在期限前退款", f"尽快回复 {EVIL}"],
            "due": [datetime(2026, 4, 2, 9, 0), datetime(2026, 4, 1, 18, 0)],
        }
    )
    kpi_rows = []
    for shop in ("店铺A", EVIL):
        for month in ("2026-02", "2026-03"):
            kpi_rows += [
                ("K001", shop, None, month, 120, 0.97, 0.95, "ok"),
                ("K002", shop, None, month, 110, 0.93, 0.95, "warning"),
                ("K003", shop, None, month, 100, 0.75, 0.90, "error"),
                ("K005", shop, None, month, 400, 0.03, 0.05, "ok"),
                ("K006", shop, None, month, 5, None, 0.95, "n/a"),
            ]
    kpi_rows += [
        ("K001", "店铺A", "客服小王", "2026-03", 60, 0.91, 0.95, "warning"),
        ("K002", "店铺A", "客服小王", "2026-03", 60, 0.99, 0.95, "ok"),
    ]
    kpis = pl.DataFrame(
        kpi_rows,
        schema={
            "rule": pl.String,
            "shop": pl.String,
            "agent": pl.String,
            "month": pl.String,
            "n": pl.Int64,
            "value": pl.Float64,
            "target": pl.Float64,
            "status": pl.String,
        },
        orient="row",
    )
    issues = pl.DataFrame(
        {
            "check": ["Q003", "Q003", "Q005", "Q001"],
            "case_id": ["AS001", "AS002", "AS003", None],
            "order_id": ["O001", "O002", "O003", None],
            "column": ["refunded_at", "refunded_at", "reason", "applied_at"],
            "cell": ["U12", "U13", "H14", "F15"],
            "value": ["2026-02-28 09:00:00", "2026-02-27 09:00:00", "看心情", "2026-13-01"],
            "message_zh": [
                "退款时间早于申请时间",
                "退款时间早于申请时间",
                "原因无法归类",
                "无法解析的日期",
            ],
            "message_en": [
                "refund before application",
                "refund before application",
                "unclassified reason",
                "unparseable date",
            ],
            "source_file": ["/data/a.xlsx"] * 4,
            "source_sheet": ["售后"] * 4,
            "source_row": [12, 13, 14, 15],
        },
        schema_overrides={"source_row": pl.Int64},
    )
    coverage = {
        "D001": {"judged": 90, "fired": 2, "not_judged": {"field absent: first_response_at": 30}},
        "W001": {"judged": 40, "fired": 1, "not_judged": {"field blank: signed_at": 3}},
        "D011": {"judged": 10, "fired": 1, "not_judged": {}},
    }
    return FakeResult(
        findings=findings_frame(rows),
        todo=todo,
        coverage=coverage,
        kpis=kpis,
        data_issues=issues,
        inputs=[
            InputInfo(
                "/data/exports/店铺A-2026-03.xlsx", "ab" * 32, "cases", "taobao-refund-c", 120
            ),
            InputInfo("b.csv", "cd" * 32, "cases", "generic", 30),
            InputInfo("orders.xlsx", "ef" * 32, "orders", "generic-orders", 200),
        ],
        policies=["cn-law@2024-07-01", "platform-standard@2026-01-01"],
        as_of=datetime(2026, 3, 31, 23, 59, 59),
        as_of_source="--as-of",
        cases=150,
        lang=lang,
    )


def large_result(n_findings: int = 100_000, shops: int = 40, months: int = 12) -> FakeResult:
    """A run with many findings, built column-wise, to check the page stays small and fast."""
    idx = pl.int_range(0, n_findings, eager=True)
    rules = ["D001", "D002", "D004", "D008", "E001", "W001", "D011", "A001"]
    severities = [
        "warning",
        "warning",
        "warning",
        "warning",
        "warning",
        "error",
        "critical",
        "warning",
    ]
    layers = ["service"] * 5 + ["law", "law", "service"]
    pick = idx % len(rules)
    frame = pl.DataFrame({"i": idx, "pick": pick}).select(
        pl.col("pick").replace_strict(dict(enumerate(rules))).alias("rule"),
        pl.col("pick").replace_strict(dict(enumerate(severities))).alias("severity"),
        pl.col("pick").replace_strict(dict(enumerate(layers))).alias("layer"),
        pl.format("AS{}", pl.col("i") // 2).alias("case_id"),
        pl.format("O{}", pl.col("i") // 2).alias("order_id"),
        pl.format("店铺{}", pl.col("i") % shops).alias("shop"),
        pl.lit("platform-standard@2026-01-01").alias("policy"),
        pl.lit("clause").alias("basis"),
        pl.format("message {}", pl.col("i")).alias("message"),
        pl.lit(datetime(2026, 3, 1)).cast(pl.Datetime("us")).alias("due"),
        pl.lit(None, dtype=pl.Datetime("us")).alias("actual"),
        ((pl.col("i") * 7919) % 1000 / 10).cast(pl.Float64).alias("overdue_hours"),
        pl.format("fp{}", pl.col("i")).alias("fingerprint"),
        pl.lit("big.parquet").alias("source_file"),
        pl.lit(None, dtype=pl.String).alias("source_sheet"),
        (pl.col("i") // 2 + 2).cast(pl.Int64).alias("source_row"),
        pl.format("2025-{}", (pl.col("i") % months + 1).cast(pl.String).str.zfill(2)).alias(
            "month"
        ),
    )
    todo = pl.DataFrame(
        {
            "case_id": [f"T{i}" for i in range(5000)],
            "order_id": [f"OT{i}" for i in range(5000)],
            "shop": ["店铺1"] * 5000,
            "rule": ["D004"] * 5000,
            "action": ["退款"] * 5000,
            "due": [datetime(2026, 4, 1 + i % 28) for i in range(5000)],
        }
    )
    base = sample_result()
    return FakeResult(
        findings=frame,
        todo=todo,
        coverage=base.coverage,
        kpis=base.kpis,
        data_issues=base.data_issues,
        inputs=base.inputs,
        policies=base.policies,
        as_of=base.as_of,
        as_of_source="latest input time",
        cases=n_findings * 5,
    )
