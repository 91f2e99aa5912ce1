"""Data checks on the canonical frames beyond the schema: Q003 (timeline out of order) and
Q007 (a time later than the run started). Each returns plain rows (`_row`, check, column,
value, message_zh, message_en) that auditor.io locates in the source file.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from auditor.model.fields import CASE_FIELD, CASE_FIELDS, ORDER_FIELD, ORDER_FIELDS, Kind

CHECK_SCHEMA = {
    "_row": pl.Int64,
    "check": pl.String,
    "column": pl.String,
    "value": pl.String,
    "message_zh": pl.String,
    "message_en": pl.String,
}

# (later field, earlier field): the later one must not come before the earlier one.
CASE_TIMELINE = (
    ("refunded_at", "applied_at"),
    ("decided_at", "applied_at"),
    ("first_response_at", "applied_at"),
    ("return_received_at", "return_shipped_at"),
)
ORDER_TIMELINE = (
    ("signed_at", "shipped_at"),
    ("signed_at", "paid_at"),
)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=CHECK_SCHEMA)


def _zh(name: str) -> str:
    spec = CASE_FIELD.get(name) or ORDER_FIELD.get(name)
    return spec.zh if spec else name


def timeline_issues(
    frame: pl.DataFrame, pairs: tuple[tuple[str, str], ...], earlier_labels: dict | None = None
) -> pl.DataFrame:
    """Q003: `later` before `earlier` (both present). The times are still used as given."""
    earlier_labels = earlier_labels or {}
    indexed = frame.with_row_index("_row")
    parts = []
    for later, earlier in pairs:
        source = earlier_labels.get(earlier, earlier)
        if later not in frame.columns or source not in frame.columns:
            continue
        bad = indexed.filter(pl.col(later) < pl.col(source))
        if bad.height == 0:
            continue
        later_text = pl.col(later).dt.strftime(TIME_FORMAT)
        earlier_text = pl.col(source).dt.strftime(TIME_FORMAT)
        parts.append(
            bad.select(
                pl.col("_row").cast(pl.Int64),
                pl.lit("Q003").alias("check"),
                pl.lit(later).alias("column"),
                later_text.alias("value"),
                pl.format(
                    "{}（{}）早于{}（{}）",
                    pl.lit(_zh(later)),
                    later_text,
                    pl.lit(_zh(earlier)),
                    earlier_text,
                ).alias("message_zh"),
                pl.format(
                    "{} ({}) is before {} ({})",
                    pl.lit(later),
                    later_text,
                    pl.lit(earlier),
                    earlier_text,
                ).alias("message_en"),
            )
        )
    return pl.concat(parts) if parts else _empty()


def future_issues(frame: pl.DataFrame, kind: str, run_started: datetime) -> pl.DataFrame:
    """Q007: a time later than the moment the run started (a typo such as 2062)."""
    fields = CASE_FIELDS if kind == "cases" else ORDER_FIELDS
    indexed = frame.with_row_index("_row")
    limit = pl.lit(run_started.replace(tzinfo=None)).cast(pl.Datetime("us"))
    parts = []
    for spec in fields:
        if spec.kind != Kind.DATETIME or spec.name not in frame.columns:
            continue
        bad = indexed.filter(pl.col(spec.name) > limit)
        if bad.height == 0:
            continue
        text = pl.col(spec.name).dt.strftime(TIME_FORMAT)
        parts.append(
            bad.select(
                pl.col("_row").cast(pl.Int64),
                pl.lit("Q007").alias("check"),
                pl.lit(spec.name).alias("column"),
                text.alias("value"),
                # The run's start is not in the text: two runs must write the same bytes.
                pl.format(
                    "{}（{}）晚于本次运行开始的时刻，可能是录入错误", pl.lit(spec.zh), text
                ).alias("message_zh"),
                pl.format(
                    "{} ({}) is later than the moment the run started: a typo?",
                    pl.lit(spec.name),
                    text,
                ).alias("message_en"),
            )
        )
    return pl.concat(parts) if parts else _empty()
