"""pandera schemas of the canonical frames, and their failures as plain located rows."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from auditor.model import schemas
from auditor.model.fields import CASE_FIELDS, ORDER_FIELDS, Kind

DTYPES = {
    Kind.ID: pl.String,
    Kind.TEXT: pl.String,
    Kind.ENUM: pl.String,
    Kind.AMOUNT: pl.Float64,
    Kind.DATETIME: pl.Datetime("us"),
    Kind.BOOL: pl.Boolean,
    Kind.INT: pl.Int64,
}


def frame(fields, rows: dict) -> pl.DataFrame:
    n = len(next(iter(rows.values())))
    data = {f.name: rows.get(f.name, [None] * n) for f in fields}
    return pl.DataFrame(data, schema={f.name: DTYPES[f.kind] for f in fields})


def test_a_valid_case_frame_has_no_failures():
    cases = frame(
        CASE_FIELDS,
        {
            "case_id": ["A1"],
            "order_id": ["O1"],
            "applied_at": [datetime(2026, 3, 1)],
            "case_type": ["return_refund"],
            "satisfaction": [5],
            "refund_amount": [0.0],
        },
    )
    assert schemas.failures(cases, "cases").height == 0


def test_case_failures_are_row_located_with_both_languages():
    cases = frame(
        CASE_FIELDS,
        {
            "case_id": ["A1", None, "A3"],
            "order_id": ["O1", "O2", "O3"],
            "applied_at": [datetime(2026, 3, 1), datetime(2026, 3, 1), None],
            "case_type": ["return_refund", "swap", None],
            "refund_amount": [-1.0, 2.0, None],
            "satisfaction": [5, 9, None],
            "decision": ["approved", None, "maybe"],
        },
    )
    found = schemas.failures(cases, "cases").sort("_row", "column")
    assert found.select("_row", "column", "value").rows() == [
        (0, "refund_amount", "-1.0"),
        (1, "case_id", None),
        (1, "case_type", "swap"),
        (1, "satisfaction", "9"),
        (2, "applied_at", None),
        (2, "decision", "maybe"),
    ]
    messages = dict(zip(found["column"], found["message_zh"], strict=True))
    assert messages["satisfaction"] == "满意度应在 1 到 5 之间"
    assert messages["refund_amount"] == "退款金额不能为负数"
    assert "approved" in messages["decision"]
    assert all(m and "pandera" not in m for m in found["message_en"])


def test_order_failures():
    orders = frame(
        ORDER_FIELDS,
        {"order_id": ["O1", None], "paid_amount": [1.0, -3.0], "promised_ship_hours": [-1, 48]},
    )
    found = schemas.failures(orders, "orders").sort("_row", "column")
    assert found.select("_row", "column").rows() == [
        (0, "promised_ship_hours"),
        (1, "order_id"),
        (1, "paid_amount"),
    ]


def test_the_schema_really_checks_data_on_an_eager_frame():
    # The LazyFrame trap: validating a LazyFrame at the default depth finds nothing.
    cases = frame(
        CASE_FIELDS,
        {"case_id": ["A"], "order_id": ["O"], "applied_at": [datetime(2026, 3, 1)],
         "satisfaction": [7]},
    )  # fmt: skip
    assert schemas.failures(cases, "cases")["column"].to_list() == ["satisfaction"]
