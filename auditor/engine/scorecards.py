"""K001–K006 scorecards per shop × month and per agent × month (SPEC 6.4).

Each scorecard is a share of "good" rows over a denominator of cases (K005: a rate over the
shop's orders). Targets come from the service policy in force on the month's last day for
the shop (agents: the default service policy); a group with fewer than ``kpi_min_cases``
cases in its denominator is ``n/a``; a month with no service version in force is ``n/a``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from auditor.rules.params import PARAM
from auditor.rules.registry import RULES

KPI_SCHEMA: dict[str, Any] = {
    "rule": pl.String,
    "shop": pl.String,
    "agent": pl.String,
    "month": pl.String,
    "n": pl.Int64,
    "value": pl.Float64,
    "target": pl.Float64,
    "status": pl.String,
}
TARGET_PARAM = {rule.id: rule.params[0] for rule in RULES.values() if rule.scope == "scorecard"}


def empty_kpis() -> pl.DataFrame:
    return pl.DataFrame(schema=KPI_SCHEMA)


def _month(column: str) -> pl.Expr:
    """The month as a number (202603): cheap to group by; written as text once grouped."""
    return pl.col(column).dt.year() * 100 + pl.col(column).dt.month()


def _counts(frame: pl.DataFrame, specs: dict[str, tuple[pl.Expr, pl.Expr]]) -> pl.DataFrame:
    """Per shop × month and per agent × month, for each scorecard: n (rows in its
    denominator) and good (rows that met it). One pass per grouping, no rows copied."""
    aggs = []
    for rule_id, (denominator, good) in specs.items():
        aggs.append(denominator.fill_null(False).sum().alias(f"{rule_id}|n"))
        aggs.append((denominator & good).fill_null(False).sum().alias(f"{rule_id}|good"))
    columns = ["rule", "shop", "agent", "month", "n", "value"]
    out = []
    for key, other in (("shop", "agent"), ("agent", "shop")):
        grouped = (
            frame.filter(pl.col(key).is_not_null())
            .group_by(pl.col(key).cast(pl.String), "month")
            .agg(aggs)
        )
        for rule_id in specs:
            n = pl.col(f"{rule_id}|n")
            # Every shop/agent × month in the data gets its row, n = 0 included (n/a).
            part = grouped.select(
                pl.lit(rule_id).alias("rule"),
                pl.col(key),
                pl.lit(None, dtype=pl.String).alias(other),
                pl.col("month"),
                n.cast(pl.Int64).alias("n"),
                pl.when(n > 0).then(pl.col(f"{rule_id}|good") / n).alias("value"),
            )
            out.append(part.select(columns))
    return pl.concat(out, how="vertical_relaxed")


def _case_counts(cases: pl.DataFrame, present: Callable[[str], pl.Expr]) -> pl.DataFrame:
    """K001 satisfaction, K006 complaint satisfaction, K003 first-contact resolution."""
    complaint = pl.col("case_type").fill_null("") == "complaint"
    rated = present("satisfaction") & pl.col("satisfaction").is_not_null()
    satisfied = pl.col("satisfaction") >= 4
    closed = present("escalated") & (pl.col("status") == "closed")
    frame = cases.select(
        "shop",
        "agent",
        _month("applied_at").alias("month"),
        (
            pl.struct(
                rated=rated,
                complaint=complaint,
                satisfied=satisfied,
                closed=closed,
                escalated=pl.col("escalated").fill_null(False),
            )
        ).alias("_k"),
    ).unnest("_k")
    return _counts(
        frame,
        {
            "K001": (pl.col("rated") & ~pl.col("complaint"), pl.col("satisfied")),
            "K003": (pl.col("closed"), ~pl.col("escalated")),
            "K006": (pl.col("rated") & pl.col("complaint"), pl.col("satisfied")),
        },
    )


def _verdict_counts(cases: pl.DataFrame, outcomes: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """K002 from D001's verdicts, K004 from D008's: judged cases, and those not flagged."""
    parts = []
    for rule_id, source in (("K002", "D001"), ("K004", "D008")):
        verdicts = outcomes.get(source)
        if verdicts is None or verdicts.height == 0:
            continue
        judged = verdicts.filter(pl.col("_scope").fill_null(False) & pl.col("_reason").is_null())
        frame = judged.select(
            "shop", "agent", _month("applied_at").alias("month"), (~pl.col("_fired")).alias("ok")
        )
        parts.append(_counts(frame, {rule_id: (pl.col("ok").is_not_null(), pl.col("ok"))}))
    return pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame()


def _no_reason_rate(cases: pl.DataFrame, orders: pl.DataFrame | None) -> pl.DataFrame:
    """K005 per shop × month: no-reason returns (applied that month) ÷ orders paid that month."""
    columns = ["rule", "shop", "agent", "month", "n", "value"]
    if orders is None or orders.height == 0:
        schema = {c: KPI_SCHEMA[c] for c in columns} | {"month": pl.Int32}
        return pl.DataFrame(schema=schema)
    paid = (
        orders.filter(pl.col("paid_at").is_not_null() & pl.col("shop").is_not_null())
        .group_by(pl.col("shop").cast(pl.String), _month("paid_at").alias("month"))
        .agg(pl.len().alias("n"))
    )
    returns = (
        cases.filter(
            (pl.col("reason_class") == "no_reason") & (pl.col("case_type") == "return_refund")
        )
        .group_by(pl.col("shop").cast(pl.String), _month("applied_at").alias("month"))
        .agg(pl.len().alias("returns"))
    )
    n = pl.col("n").fill_null(0)
    return (
        paid.join(returns, on=["shop", "month"], how="full", coalesce=True)
        .with_columns(
            pl.lit("K005").alias("rule"),
            pl.lit(None, dtype=pl.String).alias("agent"),
            n.alias("n"),
            pl.when(n > 0).then(pl.col("returns").fill_null(0) / n).alias("value"),
        )
        .select(columns)
    )


def _month_end(column: str) -> pl.Expr:
    """The last day of a numeric month (202603 -> 2026-03-31), built by polars for any year."""
    return pl.date(pl.col(column) // 100, pl.col(column) % 100, 1).dt.month_end()


def _month_text(column: str) -> pl.Expr:
    """202603 -> "2026-03"; the year always four digits (0026-03), so months sort as text."""
    return pl.format(
        "{}-{}",
        (pl.col(column) // 100).cast(pl.String).str.zfill(4),
        (pl.col(column) % 100).cast(pl.String).str.zfill(2),
    ).alias(column)


def _grade(rule_id: str, value: float | None, n: int, policy: Any) -> tuple[float | None, str]:
    if policy is None:
        return None, "n/a"
    if value is None:  # nothing in the denominator: n = 0
        value = 0.0 if "max" in (policy.param(TARGET_PARAM[rule_id]) or {}) else 1.0
    target = policy.param(TARGET_PARAM[rule_id]) or PARAM[TARGET_PARAM[rule_id]].default
    min_cases = policy.param("kpi_min_cases") or PARAM["kpi_min_cases"].default
    if "max" in target:
        limit = float(target["max"])
        status = "ok" if value < limit else "warning"
    else:
        limit = float(target["ok"])
        error = target.get("error")
        if value >= limit:
            status = "ok"
        elif error is not None and value < float(error):
            status = "error"
        else:
            status = "warning"
    return limit, ("n/a" if n < int(min_cases) else status)


def shown_value(value: float, target: float | None) -> float:
    """The value to 4 decimals, or as many more as keep a value that misses its target from
    reading as the target (0.94997 against 0.95 is stored 0.94997, not 0.95 beside 警告)."""
    for digits in range(4, 11):
        shown = round(value, digits)
        if target is None or value == target or shown != target:
            return shown
    return value


def scorecards(
    cases: pl.DataFrame,
    orders: pl.DataFrame | None,
    present: Callable[[str], pl.Expr],
    outcomes: dict[str, pl.DataFrame],
    stack: Any,
) -> pl.DataFrame:
    """Every scorecard for every shop × month and agent × month in the data."""
    if cases.height == 0:
        return empty_kpis()
    pieces = [
        _case_counts(cases, present),
        _verdict_counts(cases, outcomes),
        _no_reason_rate(cases, orders),
    ]
    pieces = [p for p in pieces if p.height]
    if not pieces:
        return empty_kpis()
    groups = pl.concat(pieces, how="vertical_relaxed")
    # Grade per (shop, month): a handful of policy look-ups, not one per case.
    keys = groups.select("shop", "month").unique().with_columns(_month_end("month").alias("_day"))
    groups = groups.with_columns(_month_text("month"))
    keys = keys.with_columns(_month_text("month"))
    keys = stack.assign(keys, date_col="_day", shop_col="shop")
    refs = {(s, m): r for s, m, r in keys.select("shop", "month", "_service_ref").iter_rows()}
    graded = []
    for rule_id, shop, agent, month, n, value in groups.iter_rows():
        ref = refs.get((shop, month))
        policy = stack.get(ref) if ref else None
        if policy is not None and not policy.rule_enabled(rule_id):
            continue
        target, status = _grade(rule_id, value, n, policy)
        shown = None if value is None else shown_value(value, target)
        graded.append((rule_id, shop, agent, month, n, shown, target, status))
    frame = pl.DataFrame(graded, schema=KPI_SCHEMA, orient="row")
    return frame.sort(
        [pl.col("agent").is_not_null(), "rule", "shop", "agent", "month"], nulls_last=True
    )
