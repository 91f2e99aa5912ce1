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
from auditor.rules.base import Rule
from auditor.rules.registry import RULES
from auditor.rules.terms import promise_starts

CASE_KEYS = ("case_id", "order_id", "shop", "agent", "applied_at")
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
    if carried:
        found = left_join_on_id(
            assigned.select("order_id"), orders.select("order_id", *sorted(carried)), "order_id"
        )
        assigned = assigned.hstack(found.select(sorted(carried)))
    else:  # named all the same, so a rule may refer to it; every row is "field absent"
        assigned = assigned.with_columns(
            pl.lit(None, dtype=pl.Datetime("us")).alias(name) for name in sorted(starts)
        )

    def case_present(name: str) -> pl.Expr:
        if name in starts:
            # A case has its order's time where its order was found in an export carrying it.
            return pl.col("_order_found").fill_null(False) if name in carried else pl.lit(False)
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


def _outside_calendar(verdicts: pl.DataFrame) -> pl.DataFrame:
    """(case_id, column) where a working-day rule met a date the calendar does not cover."""
    reasons = verdicts.filter(pl.col("_reason").is_not_null()).select(
        "case_id", pl.col("_reason").cast(pl.String)
    )
    return reasons.filter(pl.col("_reason").str.starts_with(OUTSIDE_CALENDAR)).select(
        "case_id", pl.col("_reason").str.strip_prefix(OUTSIDE_CALENDAR).alias("column")
    )


def _q006(parts: list[pl.DataFrame], cases: pl.DataFrame) -> pl.DataFrame:
    """One data issue per case and date the working-day calendar does not cover."""
    parts = [p for p in parts if p.height]
    if not parts:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    hits = pl.concat(parts).unique(maintain_order=True)
    if hits.height == 0:
        return pl.DataFrame(schema=ISSUE_SCHEMA)
    years = official_calendar().years
    span = f"{years[0]}–{years[1]}"
    rows = hits.join(cases, on="case_id", how="left")
    value = pl.coalesce(
        [
            pl.when(pl.col("column") == c).then(pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S"))
            for c in hits.get_column("column").unique().to_list()
            if c in cases.columns
        ]
        or [pl.lit(None, dtype=pl.String)]
    )
    return rows.select(
        pl.lit("Q006").alias("check"),
        pl.col("case_id").cast(pl.String),
        pl.col("order_id").cast(pl.String),
        pl.col("column"),
        pl.lit(None, dtype=pl.String).alias("cell"),
        value.alias("value"),
        pl.format(
            "{}「{}」超出工作日历已知年份（{}），该售后的工作日规则不判定",
            pl.col("column"),
            value,
            pl.lit(span),
        ).alias("message_zh"),
        pl.format(
            "{} '{}' is outside the years the working-day calendar knows ({}); "
            "working-day rules are not judged for this case",
            pl.col("column"),
            value,
            pl.lit(span),
        ).alias("message_en"),
        pl.col("_src_file").cast(pl.String).alias("source_file"),
        pl.col("_src_sheet").cast(pl.String).alias("source_sheet"),
        pl.col("_src_row").cast(pl.Int64).alias("source_row"),
    ).sort("case_id", "column")


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
        if not order_level:
            todo.append(todo_rows(outcome.verdicts, rule, lang))
            if any(r.startswith(OUTSIDE_CALENDAR) for r in coverage[rule.id]["not_judged"]):
                kept[f"Q006:{rule.id}"] = _outside_calendar(outcome.verdicts)
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
            more, _, order_coverage, _ = _judge(
                [rule], order_frame, stack, as_of_value, lang, order_level=True
            )
            findings += more
            coverage.update(order_coverage)
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
        data_issues=_data_issues(
            dataset, _q006([v for k, v in outcomes.items() if k.startswith("Q006:")], cases)
        ),
        inputs=list(getattr(dataset, "inputs", []) or []),
        policies=sorted(policies),
        as_of=as_of_value,
        as_of_source=as_of_source,
        cases=cases.height,
        lang=lang,
        rules=[r.id for r in (*case_rules, *order_rules)],
        stack=stack,
    )
