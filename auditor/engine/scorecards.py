"""K001–K006 scorecards per shop × month and per agent × month (SPEC 6.4).

Each scorecard is a share of "good" rows over a denominator of cases (K005: a rate over the
shop's orders). Targets come from the service policy in force on the month's last day for
the shop (agents: the default service policy); a group with fewer than ``kpi_min_cases``
cases in its denominator is ``n/a``; a month with no service version in force is ``n/a``.
"""

from __future__ import annotations

import calendar as _month_calendar
from collections.abc import Callable
from datetime import date
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
    return pl.col(column).dt.strftime("%Y-%m")


def _judged_by(outcome: pl.DataFrame | None) -> pl.DataFrame:
    """case_id and good (= not fired) for the cases a deadline rule judged."""
    if outcome is None or outcome.height == 0:
        return pl.DataFrame(schema={"case_id": pl.String, "good": pl.Boolean})
    return outcome.filter(pl.col("_scope").fill_null(False) & pl.col("_reason").is_null()).select(
        pl.col("case_id"), (~pl.col("_fired")).alias("good")
    )


def _case_rows(
    cases: pl.DataFrame,
    present: Callable[[str], pl.Expr],
    outcomes: dict[str, pl.DataFrame],
) -> pl.DataFrame:
    """One row per (scorecard, case in its denominator) with ``good``."""
    base = cases.select(
        "case_id",
        pl.col("shop").cast(pl.String),
        pl.col("agent").cast(pl.String),
        _month("applied_at").alias("month"),
        pl.col("case_type"),
        pl.col("satisfaction"),
        pl.col("status"),
        pl.col("escalated"),
        present("satisfaction").alias("_has_sat"),
        present("escalated").alias("_has_esc"),
    )
    complaint = pl.col("case_type").fill_null("") == "complaint"
    rated = pl.col("_has_sat") & pl.col("satisfaction").is_not_null()
    pieces = [
        base.filter(rated & ~complaint).with_columns(
            pl.lit("K001").alias("rule"), (pl.col("satisfaction") >= 4).alias("good")
        ),
        base.filter(rated & complaint).with_columns(
            pl.lit("K006").alias("rule"), (pl.col("satisfaction") >= 4).alias("good")
        ),
        base.filter(pl.col("_has_esc") & (pl.col("status") == "closed")).with_columns(
            pl.lit("K003").alias("rule"), (~pl.col("escalated").fill_null(False)).alias("good")
        ),
    ]
    for rule_id, source in (("K002", "D001"), ("K004", "D008")):
        judged = _judged_by(outcomes.get(source))
        pieces.append(
            base.drop("case_type", "satisfaction", "status", "escalated")
            .join(judged, on="case_id", how="inner")
            .with_columns(pl.lit(rule_id).alias("rule"))
        )
    keep = ["rule", "shop", "agent", "month", "good"]
    return pl.concat([p.select(keep) for p in pieces], how="vertical_relaxed")


def _shares(rows: pl.DataFrame) -> pl.DataFrame:
    by_shop = (
        rows.filter(pl.col("shop").is_not_null())
        .group_by("rule", "shop", "month")
        .agg(pl.len().alias("n"), pl.col("good").mean().alias("value"))
        .with_columns(pl.lit(None, dtype=pl.String).alias("agent"))
    )
    by_agent = (
        rows.filter(pl.col("agent").is_not_null())
        .group_by("rule", "agent", "month")
        .agg(pl.len().alias("n"), pl.col("good").mean().alias("value"))
        .with_columns(pl.lit(None, dtype=pl.String).alias("shop"))
    )
    columns = ["rule", "shop", "agent", "month", "n", "value"]
    return pl.concat([by_shop.select(columns), by_agent.select(columns)], how="vertical_relaxed")


def _no_reason_rate(cases: pl.DataFrame, orders: pl.DataFrame | None) -> pl.DataFrame:
    """K005 per shop × month: no-reason returns (applied that month) ÷ orders paid that month."""
    columns = ["rule", "shop", "agent", "month", "n", "value"]
    if orders is None or orders.height == 0:
        return pl.DataFrame(schema={c: KPI_SCHEMA[c] for c in columns})
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
    return (
        paid.join(returns, on=["shop", "month"], how="left")
        .with_columns(
            pl.lit("K005").alias("rule"),
            pl.lit(None, dtype=pl.String).alias("agent"),
            (pl.col("returns").fill_null(0) / pl.col("n")).alias("value"),
        )
        .select(columns)
    )


def _month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, _month_calendar.monthrange(year, mon)[1])


def _grade(rule_id: str, value: float, n: int, policy: Any) -> tuple[float | None, str]:
    if policy is None:
        return None, "n/a"
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
    groups = pl.concat(
        [_shares(_case_rows(cases, present, outcomes)), _no_reason_rate(cases, orders)],
        how="vertical_relaxed",
    )
    if groups.height == 0:
        return empty_kpis()
    # Grade per (shop, month): a handful of policy look-ups, not one per case.
    keys = (
        groups.select("shop", "month")
        .unique()
        .with_columns(pl.col("month").map_elements(_month_end, return_dtype=pl.Date).alias("_day"))
    )
    keys = stack.assign(keys, date_col="_day", shop_col="shop")
    refs = {(s, m): r for s, m, r in keys.select("shop", "month", "_service_ref").iter_rows()}
    graded = []
    for rule_id, shop, agent, month, n, value in groups.iter_rows():
        ref = refs.get((shop, month))
        policy = stack.get(ref) if ref else None
        if policy is not None and not policy.rule_enabled(rule_id):
            continue
        target, status = _grade(rule_id, value, n, policy)
        graded.append((rule_id, shop, agent, month, n, round(value, 4), target, status))
    frame = pl.DataFrame(graded, schema=KPI_SCHEMA, orient="row")
    return frame.sort(
        [pl.col("agent").is_not_null(), "rule", "shop", "agent", "month"], nulls_last=True
    )
