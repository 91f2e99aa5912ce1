"""The audit: canonical frames + policies → findings, coverage, scorecards and the to-do list.

``run_audit`` reads the files (``auditor.io.load``) and the policies
(``auditor.policies.load_stack``); ``audit_dataset`` does the judging on frames already read,
so tests and other callers can hand it frames directly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import polars as pl

from auditor.calendars.cn_workdays import official_calendar
from auditor.engine.as_of import parse_as_of, resolve_as_of
from auditor.engine.evaluate import Frame, evaluate_rules
from auditor.engine.findings import (
    coverage_of,
    empty_findings,
    fired_findings,
    merge_todo,
    sort_findings,
    todo_rows,
)
from auditor.engine.monthly import annotate, prepare
from auditor.engine.request import AuditRequest, AuditResult
from auditor.engine.scorecards import scorecards
from auditor.io.issues import ISSUE_SCHEMA
from auditor.io.join import left_join_on_id
from auditor.model.fields import CASE_FIELDS, ORDER_FIELDS
from auditor.rules.base import Rule
from auditor.rules.registry import RULES
from auditor.rules.terms import promise_starts

CASE_KEYS = ("case_id", "order_id", "shop", "agent", "applied_at")
ORDER_INPUT = "__order_input"  # the `_input` of a case's order, where a promise needs its times
ORDER_KEYS = ("order_id", "shop")
KPI_SOURCES = ("D001", "D008")  # K002 and K004 are read from these rules' verdicts
REFUND_RULES = ("A003",)  # order rules judged on the orders refunded more than once
OUTSIDE_CALENDAR = "date outside calendar: "


def run_audit(request: AuditRequest) -> AuditResult:
    """Read the inputs and policies named by ``request`` and audit them (contracts.md §4)."""
    from auditor.io import load  # the stages before ours, imported when first needed
    from auditor.io.dataset import beijing_now
    from auditor.policies import load_stack

    run_started = request.run_started or beijing_now().replace(microsecond=0)
    if request.as_of is not None:
        parse_as_of(request.as_of)  # a bad --as-of stops the run before any file is read
    stack = load_stack(service=list(request.policies))
    monthly = prepare(request)  # a bad waivers file or baseline stops the run before reading
    if request.progress:
        request.progress("read")
    dataset = load(
        cases=list(request.cases),
        orders=list(request.orders),
        profile=request.profile,
        run_started=run_started,
        reasons=list(request.reasons),
        limits=request.limits,
    )
    stack.refuse_unknown_shops(_shops_in(dataset))
    if request.progress:
        request.progress("check")
    result = audit_dataset(
        dataset, stack, as_of=request.as_of, lang=request.lang, run_started=run_started
    )
    return annotate(result, dataset, monthly)


def _shops_in(dataset: Any) -> list[str]:
    """Every shop the cases and orders name (a blank shop is its file's name by now)."""
    frames = [f for f in (dataset.cases, dataset.orders) if f is not None]
    shops = pl.concat([f.select(pl.col("shop").cast(pl.String)) for f in frames])
    return shops.get_column("shop").drop_nulls().unique().to_list()


def _order_presence(dataset: Any) -> Callable[[str], pl.Expr]:
    """Whether each order row's layout carries a field (from the inputs of kind 'orders')."""
    inputs = list(getattr(dataset, "inputs", []) or [])

    def present(name: str) -> pl.Expr:
        if not inputs:
            return pl.lit(True)
        carrying = [
            i
            for i, info in enumerate(inputs)
            if getattr(info, "kind", None) == "orders" and name in getattr(info, "fields", ())
        ]
        return pl.col("_input").is_in(carrying).fill_null(False)

    return present


def _with_order_starts(
    assigned: pl.DataFrame, dataset: Any, stack: Any
) -> tuple[pl.DataFrame, Callable[[str], pl.Expr]]:
    """The case frame with the order times a shop's promise counts from (paid_at, ordered_at:
    "30 days from purchase"), joined from the orders export, and where they are present.

    Only when a service policy in force for the cases counts a window from one of them: the
    join is a pass over every case that most runs do not need.
    """
    present = dataset.field_present
    refs = assigned.get_column("_service_ref").drop_nulls().unique().to_list()
    starts = set().union(*[promise_starts(stack.get(ref)) for ref in refs]) if refs else set()
    starts -= set(assigned.columns)
    orders = getattr(dataset, "orders", None)
    if not starts:
        return assigned, present
    inputs = list(getattr(dataset, "inputs", []) or [])
    carried = {
        name
        for name in starts
        if orders is not None
        and name in orders.columns
        and any(getattr(i, "kind", None) == "orders" and name in i.fields for i in inputs)
    }
    # The orders inputs whose layout has each time: an order from an export without that
    # column has it absent, not blank (two exports, one with 付款时间 and one without).
    carrying = {
        name: [
            i
            for i, info in enumerate(inputs)
            if getattr(info, "kind", None) == "orders" and name in info.fields
        ]
        for name in carried
    }
    if carried:
        found = left_join_on_id(
            assigned.select("order_id"),
            orders.select("order_id", pl.col("_input").alias(ORDER_INPUT), *sorted(carried)),
            "order_id",
        )
        assigned = assigned.hstack(found.select(ORDER_INPUT, *sorted(carried)))
    else:  # named all the same, so a rule may refer to it; every row is "field absent"
        assigned = assigned.with_columns(
            pl.lit(None, dtype=pl.Datetime("us")).alias(name) for name in sorted(starts)
        )

    def case_present(name: str) -> pl.Expr:
        if name in starts:
            # A case has its order's time where its order was found in an export carrying it.
            if name not in carried:
                return pl.lit(False)
            return pl.col(ORDER_INPUT).is_in(carrying[name]).fill_null(False)
        return present(name)

    return assigned, case_present


def _order_frame(orders: pl.DataFrame, cases: pl.DataFrame, present: Callable) -> pl.DataFrame:
    """The orders A003 can apply to — two or more approved cases with a refund time (any
    status) — with how many, their refunds' sum, and whether their layouts carry the amount.
    Every other order is outside A003's scope, so it is left out rather than joined."""
    refunded = cases.filter(
        (pl.col("decision") == "approved") & pl.col("refunded_at").is_not_null()
    )
    carried = present("refund_amount") & present("refunded_at") & present("decision")
    per_order = (
        refunded.group_by("order_id")
        .agg(
            pl.len().cast(pl.Int64).alias("_n_refunds"),
            pl.col("refund_amount").sum().alias("_refund_total"),
            carried.all().alias("_refund_fields_present"),
        )
        .filter(pl.col("_n_refunds") >= 2)
    )
    # The small side first: the join then probes the orders once (no copy of all of them).
    joined = per_order.join(orders, on="order_id", how="inner")
    return joined.select(*orders.columns, "_n_refunds", "_refund_total", "_refund_fields_present")


def _outside_calendar(verdicts: pl.DataFrame, rule_id: str, key: str) -> pl.DataFrame:
    """(key, column, rule) where a working-day rule met a date the calendar cannot count from."""
    reasons = verdicts.filter(pl.col("_reason").is_not_null()).select(
        key, pl.col("_reason").cast(pl.String)
    )
    return reasons.filter(pl.col("_reason").str.starts_with(OUTSIDE_CALENDAR)).select(
        pl.col(key).cast(pl.String).alias("_key"),
        pl.col("_reason").str.strip_prefix(OUTSIDE_CALENDAR).alias("column"),
        pl.lit(rule_id).alias("rule"),
    )


def _q006(
    parts: list[pl.DataFrame], rows: pl.DataFrame, key: str, letters: pl.DataFrame | None
) -> pl.DataFrame:
    """One data issue per case (or order) and date a working-day rule could not count from:
    which rules, why (the due falls after the calendar's last year, or the date is before its
    first) and the cell, so the user can tell a typo from a December deadline."""
    parts = [p for p in parts if p.height]
    if not parts:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    hits = (
        pl.concat(parts)
        .group_by("_key", "column", maintain_order=True)
        .agg(pl.col("rule").unique(maintain_order=True).sort())
    )
    calendar = official_calendar()
    first, last = calendar.years
    columns = [c for c in hits.get_column("column").unique().to_list() if c in rows.columns]
    sources = rows.select(
        pl.col(key).cast(pl.String).alias("_key"),
        *[c for c in ("case_id", "order_id") if c in rows.columns and c != key],
        *[pl.col(c) for c in columns],
        "_input",
        "_src_file",
        "_src_sheet",
        "_src_row",
    )
    found = hits.join(sources, on="_key", how="left")
    if letters is not None and letters.height:
        found = found.join(
            letters.select("_input", "_src_sheet", "column", "letter"),
            on=["_input", "_src_sheet", "column"],
            how="left",
            nulls_equal=True,
        )
    else:
        found = found.with_columns(pl.lit(None, dtype=pl.String).alias("letter"))
    moment = pl.coalesce(
        [pl.when(pl.col("column") == c).then(pl.col(c)) for c in columns]
        or [pl.lit(None, dtype=pl.Datetime("us"))]
    )
    value = moment.dt.strftime("%Y-%m-%d %H:%M:%S")
    zh_names = {f.name: f.zh for f in (*CASE_FIELDS, *ORDER_FIELDS)}
    name_zh = pl.col("column").replace_strict(zh_names, default=pl.col("column"))
    rules_zh, rules_en = pl.col("rule").list.join("、"), pl.col("rule").list.join(", ")
    what_zh, what_en = ("该订单", "this order") if key == "order_id" else ("该售后", "this case")
    before = moment.dt.date() < pl.lit(calendar.first)
    message_zh = (
        pl.when(before)
        .then(
            pl.format(
                f"「{{}}」{{}} 早于工作日日历已知的第一年（{first}），{what_zh}的 {{}} 不判定",
                name_zh,
                value,
                rules_zh,
            )
        )
        .otherwise(
            pl.format(
                f"从「{{}}」{{}} 起算的期限落在工作日日历已知的最后一年（{last}）之后，"
                f"{what_zh}的 {{}} 不判定",
                name_zh,
                value,
                rules_zh,
            )
        )
    )
    message_en = (
        pl.when(before)
        .then(
            pl.format(
                f"{{}} {{}} is before the first year the working-day calendar knows ({first}), "
                f"so {{}} is not judged for {what_en}",
                pl.col("column"),
                value,
                rules_en,
            )
        )
        .otherwise(
            pl.format(
                f"the deadline counted from {{}} {{}} falls after the last year the working-day "
                f"calendar knows ({last}), so {{}} is not judged for {what_en}",
                pl.col("column"),
                value,
                rules_en,
            )
        )
    )
    row = pl.col("_src_row").cast(pl.Int64)
    return found.select(
        pl.lit("Q006").alias("check"),
        (pl.col("_key") if key == "case_id" else pl.lit(None, dtype=pl.String)).alias("case_id"),
        (pl.col("_key") if key == "order_id" else pl.col("order_id").cast(pl.String)).alias(
            "order_id"
        ),
        pl.col("column"),
        pl.concat_str(pl.col("letter"), row.cast(pl.String)).alias("cell"),
        value.alias("value"),
        message_zh.alias("message_zh"),
        message_en.alias("message_en"),
        pl.col("_src_file").cast(pl.String).alias("source_file"),
        pl.col("_src_sheet").cast(pl.String).alias("source_sheet"),
        row.alias("source_row"),
    ).sort("case_id", "order_id", "column", nulls_last=True)


def _q006_issues(
    dataset: Any, outcomes: dict[str, pl.DataFrame], order_parts: list[pl.DataFrame]
) -> pl.DataFrame:
    letters = getattr(dataset, "letters", None)
    case_parts = [v for k, v in outcomes.items() if k.startswith("Q006:")]
    issues = _q006(case_parts, dataset.cases, "case_id", letters)
    if order_parts and dataset.orders is not None:
        issues = pl.concat([issues, _q006(order_parts, dataset.orders, "order_id", letters)])
    return issues


def _data_issues(dataset: Any, q006: pl.DataFrame) -> pl.DataFrame:
    existing = getattr(dataset, "data_issues", None)
    if existing is None or existing.height == 0:
        return q006
    return pl.concat([existing.cast(ISSUE_SCHEMA, strict=False), q006], how="diagonal_relaxed")


def _judge(
    rules: list[Rule],
    frame: Frame,
    stack: Any,
    as_of: datetime,
    lang: str,
    order_level: bool,
) -> tuple[list[pl.DataFrame], list[pl.DataFrame], dict, dict[str, pl.DataFrame]]:
    """Each rule in turn; only slim results are kept, so memory stays near one rule's."""
    calendar = official_calendar()
    findings, todo, coverage, kept = [], [], {}, {}
    for rule, outcome in evaluate_rules(rules, frame, stack, as_of, calendar):
        coverage[rule.id] = coverage_of(outcome.verdicts)
        findings.append(
            fired_findings(outcome.hits, rule, lang=lang, as_of=as_of, order_level=order_level)
        )
        if any(r.startswith(OUTSIDE_CALENDAR) for r in coverage[rule.id]["not_judged"]):
            key = "order_id" if order_level else "case_id"
            kept[f"Q006:{rule.id}"] = _outside_calendar(outcome.verdicts, rule.id, key)
        if not order_level:
            todo.append(todo_rows(outcome.verdicts, rule, lang))
            if rule.id in KPI_SOURCES:
                kept[rule.id] = outcome.verdicts.select(
                    "case_id", "shop", "agent", "applied_at", "_scope", "_reason", "_fired"
                )
    return findings, todo, coverage, kept


def audit_dataset(
    dataset: Any,
    stack: Any,
    *,
    as_of: Any = None,
    lang: str = "zh",
    run_started: datetime | None = None,
) -> AuditResult:
    """Judge a read dataset (``auditor.io.Dataset`` or anything shaped like it)."""
    run_started = run_started or datetime.now().replace(microsecond=0)
    cases: pl.DataFrame = dataset.cases
    orders: pl.DataFrame | None = dataset.orders
    as_of_value, as_of_source = resolve_as_of(as_of, [cases, orders], run_started)

    case_rules = [r for r in RULES.values() if r.scope == "case" and r.check is not None]
    order_rules = [r for r in RULES.values() if r.scope == "order" and r.check is not None]

    assigned = stack.assign(cases, date_col="applied_at", shop_col="shop")
    assigned, case_present = _with_order_starts(assigned, dataset, stack)
    case_frame = Frame(assigned, case_present, "applied_at", CASE_KEYS)
    findings, todo, coverage, outcomes = _judge(
        case_rules, case_frame, stack, as_of_value, lang, order_level=False
    )
    policies = set(assigned.get_column("_law_ref").drop_nulls().unique().to_list())
    policies |= set(assigned.get_column("_service_ref").drop_nulls().unique().to_list())

    order_q006: list[pl.DataFrame] = []
    if orders is not None and orders.height > 0:
        order_present = _order_presence(dataset)
        orders_in = stack.assign(orders, date_col="paid_at", shop_col="shop")
        refunded = stack.assign(
            _order_frame(orders, cases, dataset.field_present), date_col="paid_at", shop_col="shop"
        )
        for rule in order_rules:
            # A003 looks only at orders refunded more than once; D010 at every order.
            data = refunded if rule.id in REFUND_RULES else orders_in
            order_frame = Frame(data, order_present, "paid_at", ORDER_KEYS)
            more, _, order_coverage, order_kept = _judge(
                [rule], order_frame, stack, as_of_value, lang, order_level=True
            )
            findings += more
            coverage.update(order_coverage)
            order_q006 += [v for k, v in order_kept.items() if k.startswith("Q006:")]
            if rule.id not in REFUND_RULES:
                policies |= set(data.get_column("_service_ref").drop_nulls().unique().to_list())
    else:
        for rule in order_rules:
            coverage[rule.id] = {"judged": 0, "fired": 0, "not_judged": {}}

    frames = [f for f in findings if f.height]
    all_findings = (
        sort_findings(pl.concat(frames, how="vertical_relaxed")) if frames else empty_findings()
    )
    kpis = scorecards(cases, orders, dataset.field_present, outcomes, stack)
    ordered = {rule_id: coverage[rule_id] for rule_id in RULES if rule_id in coverage}
    return AuditResult(
        findings=all_findings,
        todo=merge_todo(todo),
        coverage=ordered,
        kpis=kpis,
        data_issues=_data_issues(dataset, _q006_issues(dataset, outcomes, order_q006)),
        inputs=list(getattr(dataset, "inputs", []) or []),
        policies=sorted(policies),
        as_of=as_of_value,
        as_of_source=as_of_source,
        cases=cases.height,
        lang=lang,
        rules=[r.id for r in (*case_rules, *order_rules)],
        stack=stack,
    )
