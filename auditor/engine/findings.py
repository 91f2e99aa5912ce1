"""Turn rule outcomes into the findings frame of contracts.md section 4 (SPEC section 7 keys),
the coverage block and the to-do list."""

from __future__ import annotations

import string
from datetime import datetime
from typing import Any

import polars as pl

from auditor.model.fields import ENUM_ZH
from auditor.rules.base import Rule

FINDING_COLUMNS = (
    "rule",
    "severity",
    "layer",
    "case_id",
    "order_id",
    "shop",
    "policy",
    "basis",
    "message",
    "due",
    "actual",
    "overdue_hours",
    "fingerprint",
    "source_file",
    "source_sheet",
    "source_row",
    "month",
)
FINDING_SCHEMA: dict[str, Any] = {
    "rule": pl.String,
    "severity": pl.String,
    "layer": pl.String,
    "case_id": pl.String,
    "order_id": pl.String,
    "shop": pl.String,
    "policy": pl.String,
    "basis": pl.String,
    "message": pl.String,
    "due": pl.Datetime("us"),
    "actual": pl.Datetime("us"),
    "overdue_hours": pl.Float64,
    "fingerprint": pl.String,
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
    "month": pl.String,
}
TODO_SCHEMA: dict[str, Any] = {
    "case_id": pl.String,
    "order_id": pl.String,
    "shop": pl.String,
    "rule": pl.String,
    "action": pl.String,
    "due": pl.Datetime("us"),
}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
OPEN_NOT_DUE = "open, not yet due"
AMOUNT_FACTS = ("refund_amount", "paid_amount", "refund_total")


def empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)


def empty_todo() -> pl.DataFrame:
    return pl.DataFrame(schema=TODO_SCHEMA)


def _money(column: str) -> pl.Expr:
    cents = (pl.col(column).cast(pl.Float64) * 100).round(0).cast(pl.Int64)
    return pl.format(
        "{}.{}",
        cents // 100,
        (cents % 100).cast(pl.String).str.zfill(2),
    )


def _text(column: str, name: str, dtype: Any, lang: str) -> pl.Expr:
    """A column as message text: money with 2 decimals, times to the second, enums in zh."""
    if name in AMOUNT_FACTS and dtype.is_numeric():
        return _money(column)
    if isinstance(dtype, pl.Datetime):
        return pl.col(column).dt.strftime(TIME_FORMAT)
    if lang != "en" and name in ENUM_ZH:
        return pl.col(column).replace(ENUM_ZH[name])
    return pl.col(column).cast(pl.String)


def _lateness(as_of: datetime, lang: str) -> pl.Expr:
    """How late, in words: seconds or minutes under an hour (a fired finding never says
    "0.0 hours" late), else hours to 2 decimals as ``overdue_hours`` has them."""
    as_of_lit = pl.lit(as_of, dtype=pl.Datetime("us"))
    seconds = (pl.coalesce("actual", as_of_lit) - pl.col("due")).dt.total_seconds()
    hours = pl.col("overdue_hours").round(2).cast(pl.String)
    units = ("s", "min", "h") if lang == "en" else ("秒", "分钟", "小时")
    return (
        pl.when(seconds < 60)
        .then(pl.format("{} " + units[0], seconds))
        .when(seconds < 3600)
        .then(pl.format("{} " + units[1], seconds // 60))
        .otherwise(pl.format("{} " + units[2], hours))
    )


def _actual_text(as_of: datetime, lang: str) -> pl.Expr:
    """The completion and how late, or "not done as of …" for an open case past due."""
    late = _lateness(as_of, lang)
    stamp = as_of.isoformat(sep=" ", timespec="seconds")  # strftime drops a year's zeros
    actual = pl.col("actual").dt.strftime(TIME_FORMAT)
    if lang == "en":
        done = pl.format("done {}, {} late", actual, late)
        undone = pl.format("not done as of {}, {} overdue", pl.lit(stamp), late)
    else:
        done = pl.format("实际 {}，超时 {}", actual, late)
        undone = pl.format("截至 {} 仍未完成，已超时 {}", pl.lit(stamp), late)
    return pl.when(pl.col("actual").is_not_null()).then(done).otherwise(undone)


def render_message(frame: pl.DataFrame, rule: Rule, lang: str, as_of: datetime) -> pl.Expr:
    """The rule's zh or en template filled in column-wise from the fact columns."""
    template = rule.message(lang)
    pieces: list[str] = []
    values: list[pl.Expr] = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        pieces.append(literal)
        if name is None:
            continue
        pieces.append("{}")
        if name == "actual_text":
            values.append(_actual_text(as_of, lang))
        elif f"_f_{name}_{lang}" in frame.columns:
            values.append(pl.col(f"_f_{name}_{lang}"))
        elif f"_f_{name}" in frame.columns:
            column = f"_f_{name}"
            values.append(_text(column, name, frame.schema[column], lang))
        elif name in frame.columns:
            values.append(_text(name, name, frame.schema[name], lang))
        else:
            values.append(pl.lit("—"))
    values = [v.cast(pl.String).fill_null("—") for v in values]
    if not values:
        return pl.lit(template)
    return pl.format("".join(pieces), *values)


def fired_findings(
    hits: pl.DataFrame,
    rule: Rule,
    *,
    lang: str,
    as_of: datetime,
    order_level: bool,
) -> pl.DataFrame:
    """One finding per row where the rule was judged and fired (``Outcome.hits``)."""
    if hits.height == 0:
        return empty_findings()
    is_deadline = rule.id.startswith("D")
    as_of_lit = pl.lit(as_of, dtype=pl.Datetime("us"))
    late = (pl.coalesce("_actual", as_of_lit) - pl.col("_due")).dt.total_seconds() / 3600
    # A finding that fired is late by at least a second: 0.01 at least, so that a filter on
    # overdue_hours > 0 keeps it (SPEC 7 rounds to 2 decimals).
    overdue = (
        pl.when(late > 0).then(pl.max_horizontal(late.round(2), pl.lit(0.01))).otherwise(late)
        if is_deadline
        else pl.lit(None, dtype=pl.Float64)
    )
    month_source = "paid_at" if order_level else "applied_at"
    family = pl.col("_policy").str.split("+").list.first().str.split("@").list.first()
    key = pl.col("order_id") if order_level else pl.col("case_id")
    prefix = "order" if order_level else "case"
    hits = hits.with_columns(
        pl.col("_due").alias("due"),
        pl.col("_actual").alias("actual"),
        overdue.cast(pl.Float64).alias("overdue_hours"),
    )
    message = render_message(hits, rule, lang, as_of)
    # The law version's own citation (engine/evaluate.py); the rule's text when none given.
    column = f"_basis_{'en' if lang == 'en' else 'zh'}"
    basis = pl.col(column) if column in hits.columns else pl.lit(rule.basis_text(lang))
    return hits.select(
        pl.lit(rule.id).alias("rule"),
        pl.col("_severity").alias("severity"),
        pl.lit(rule.layer).alias("layer"),
        (pl.lit(None, dtype=pl.String) if order_level else pl.col("case_id")).alias("case_id"),
        pl.col("order_id").cast(pl.String),
        pl.col("shop").cast(pl.String),
        pl.col("_policy").alias("policy"),
        basis.alias("basis"),
        message.alias("message"),
        pl.col("due"),
        pl.col("actual"),
        pl.col("overdue_hours"),
        pl.format("{}|{}:{}|{}", pl.lit(rule.id), pl.lit(prefix), key, family).alias("fingerprint"),
        pl.col("_src_file").cast(pl.String).alias("source_file"),
        pl.col("_src_sheet").cast(pl.String).alias("source_sheet"),
        pl.col("_src_row").cast(pl.Int64).alias("source_row"),
        pl.col(month_source).dt.strftime("%Y-%m").alias("month"),
    ).cast(FINDING_SCHEMA)  # type: ignore[arg-type]


def sort_findings(findings: pl.DataFrame) -> pl.DataFrame:
    """Case findings by case_id then rule, then order findings by order_id then rule."""
    order_level = pl.col("case_id").is_null()
    return (
        findings.with_columns(
            order_level.alias("_order_level"),
            pl.coalesce("case_id", "order_id").alias("_key"),
        )
        .sort(["_order_level", "_key", "rule"], maintain_order=True)
        .drop("_order_level", "_key")
    )


def coverage_of(outcome: pl.DataFrame) -> dict[str, Any]:
    """judged, fired and not-judged counts by reason, over the rows the rule applies to."""
    if outcome.height == 0:
        return {"judged": 0, "fired": 0, "not_judged": {}}
    counts = (
        outcome.filter(pl.col("_scope").fill_null(True))
        .group_by("_reason")
        .agg(pl.len().alias("n"), pl.col("_fired").fill_null(False).sum().alias("fired"))
        .with_columns(pl.col("_reason").cast(pl.String))  # sorted as text, not as categories
        .sort("_reason", nulls_last=True)
    )
    judged, fired, not_judged = 0, 0, {}
    for reason, n, hits in counts.iter_rows():
        if reason is None:
            judged, fired = int(n), int(hits)
        else:
            not_judged[reason] = int(n)
    return {"judged": judged, "fired": fired, "not_judged": not_judged}


def todo_rows(outcome: pl.DataFrame, rule: Rule, lang: str) -> pl.DataFrame:
    """Open cases still inside this rule's deadline."""
    if outcome.height == 0 or "_todo_due" not in outcome.columns:
        return empty_todo()
    pending = outcome.filter(
        pl.col("_scope").fill_null(False)
        & (pl.col("_reason") == OPEN_NOT_DUE)
        & pl.col("_todo_due").is_not_null()
    )
    return pending.select(
        pl.col("case_id").cast(pl.String),
        pl.col("order_id").cast(pl.String),
        pl.col("shop").cast(pl.String),
        pl.lit(rule.id).alias("rule"),
        pl.lit(rule.action(lang)).alias("action"),
        pl.col("_todo_due").alias("due"),
    ).cast(TODO_SCHEMA)  # type: ignore[arg-type]


def merge_todo(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The merchant's fix-list: one row per case and action (the soonest deadline), soonest
    first."""
    if not parts:
        return empty_todo()
    todo = pl.concat(parts, how="vertical_relaxed")
    if todo.height == 0:
        return empty_todo()
    return (
        todo.sort(["due", "case_id", "rule"])
        .unique(subset=["case_id", "action"], keep="first", maintain_order=True)
        .select(list(TODO_SCHEMA))
    )
