"""pandera (polars backend) schemas of the canonical case and order frames.

Validated lazily on *eager* DataFrames (a LazyFrame at the default depth checks nothing).
Failures are turned into plain rows (`_row`, column, value, message_zh, message_en) from
`failure_cases`, never from pandera's own text; auditor.io locates them in the source file.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
from pandera.errors import SchemaError, SchemaErrors

from auditor.model.fields import (
    CASE_FIELD,
    CASE_TYPES,
    DECISIONS,
    FREIGHT_PAYERS,
    ORDER_FIELD,
    REASON_CLASSES,
    STATUSES,
    Field,
    Kind,
)

DT = pl.Datetime(time_unit="us")


def _opt(**checks) -> pa.Field:
    return pa.Field(nullable=True, **checks)


class CaseSchema(pa.DataFrameModel):
    """One row per after-sales case (SPEC section 4)."""

    case_id: pl.String = pa.Field(nullable=False)
    order_id: pl.String = pa.Field(nullable=False)
    line_id: pl.String = _opt()
    shop: pl.String = _opt()
    category: pl.String = _opt()
    product: pl.String = _opt()
    case_type: pl.String = _opt(isin=list(CASE_TYPES))
    reason: pl.String = _opt()
    reason_class: pl.String = _opt(isin=list(REASON_CLASSES))
    paid_amount: pl.Float64 = _opt(ge=0)
    refund_amount: pl.Float64 = _opt(ge=0)
    freight_payer: pl.String = _opt(isin=list(FREIGHT_PAYERS))
    evidence: pl.Boolean = _opt()
    exclusion_confirmed: pl.Boolean = _opt()
    signed_at: DT = _opt()
    applied_at: DT = pa.Field(nullable=False)
    first_response_at: DT = _opt()
    decided_at: DT = _opt()
    decision: pl.String = _opt(isin=list(DECISIONS))
    reject_reason: pl.String = _opt()
    return_shipped_at: DT = _opt()
    return_received_at: DT = _opt()
    refunded_at: DT = _opt()
    exchange_shipped_at: DT = _opt()
    repair_completed_at: DT = _opt()
    closed_at: DT = _opt()
    status: pl.String = _opt(isin=list(STATUSES))
    escalated: pl.Boolean = _opt()
    satisfaction: pl.Int64 = _opt(in_range={"min_value": 1, "max_value": 5})
    agent: pl.String = _opt()

    class Config:
        strict = False  # source and bookkeeping columns ride along
        coerce = False  # io already typed every column; a wrong dtype is a bug


class OrderSchema(pa.DataFrameModel):
    """One row per order (sub-order exports already folded)."""

    order_id: pl.String = pa.Field(nullable=False)
    line_id: pl.String = _opt()
    shop: pl.String = _opt()
    category: pl.String = _opt()
    product: pl.String = _opt()
    paid_amount: pl.Float64 = _opt(ge=0)
    ordered_at: DT = _opt()
    paid_at: DT = _opt()
    shipped_at: DT = _opt()
    signed_at: DT = _opt()
    promised_ship_hours: pl.Int64 = _opt(ge=0)

    class Config:
        strict = False
        coerce = False


FAILURE_SCHEMA = {
    "_row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "message_zh": pl.String,
    "message_en": pl.String,
}


def _message(spec: Field | None, check: str) -> tuple[str, str]:
    zh_name = spec.zh if spec else "?"
    name = spec.name if spec else "?"
    if check == "not_nullable":
        return f"必填字段{zh_name}为空或无法识别", f"required field {name} is blank or unreadable"
    if check.startswith("isin"):
        allowed = ", ".join(spec.enum) if spec else ""
        return (
            f"{zh_name}的取值不在允许范围内（{allowed}）",
            f"{name} is not one of {allowed}",
        )
    if check.startswith("greater_than_or_equal_to"):
        return f"{zh_name}不能为负数", f"{name} must not be negative"
    if check.startswith("in_range"):
        return f"{zh_name}应在 1 到 5 之间", f"{name} must be between 1 and 5"
    if spec and spec.kind == Kind.DATETIME:
        return f"{zh_name}的类型不是时间", f"{name} is not a datetime column"
    return f"{zh_name}未通过检查 {check}", f"{name} failed check {check}"


def failures(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Row-located schema failures of a canonical frame (empty frame when valid)."""
    schema = CaseSchema if kind == "cases" else OrderSchema
    fields = CASE_FIELD if kind == "cases" else ORDER_FIELD
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
    except SchemaError as exc:  # defensive: lazy=True should collect them all
        cases = exc.failure_cases if isinstance(exc.failure_cases, pl.DataFrame) else None
        if cases is None:
            raise
    else:
        return pl.DataFrame(schema=FAILURE_SCHEMA)
    cases = cases.filter(pl.col("index").is_not_null())
    if cases.height == 0:
        return pl.DataFrame(schema=FAILURE_SCHEMA)
    # A handful of distinct (column, check) pairs: build their messages once, then join.
    pairs = cases.select("column", "check").unique()
    messages = pl.DataFrame(
        [
            {"column": c, "check": k, "message_zh": zh, "message_en": en}
            for c, k in pairs.iter_rows()
            for zh, en in [_message(fields.get(c), k)]
        ],
        schema={
            "column": pl.String,
            "check": pl.String,
            "message_zh": pl.String,
            "message_en": pl.String,
        },
    )
    return cases.join(messages, on=["column", "check"], how="left").select(
        pl.col("index").cast(pl.Int64).alias("_row"),
        pl.col("column"),
        pl.col("failure_case").cast(pl.String).alias("value"),
        pl.col("message_zh"),
        pl.col("message_en"),
    )
