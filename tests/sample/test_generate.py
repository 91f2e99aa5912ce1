"""The canonical generator: determinism, counts, consistency, clean cases, violation rate."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from auditor.sample.generate import GenerateSpec, generate_month
from auditor.sample.violations import KINDS

SELLER_FAULT = ["quality", "not_as_described", "wrong_item", "damaged_in_transit"]


@pytest.fixture(scope="module")
def month():
    return generate_month(GenerateSpec(cases=4000, seed=11))


def test_same_seed_same_frames_other_seed_other_frames():
    a = generate_month(GenerateSpec(cases=600, seed=3))
    b = generate_month(GenerateSpec(cases=600, seed=3))
    c = generate_month(GenerateSpec(cases=600, seed=4))
    assert a.cases.equals(b.cases) and a.orders.equals(b.orders)
    assert not a.cases.equals(c.cases)


def test_row_counts_and_unique_ids(month):
    assert month.cases.height == 4000
    assert month.cases["case_id"].n_unique() == 4000
    # every case's order line is in the orders export, and orders ≈ 2 per case
    lines = month.orders.select("order_id", "line_id")
    missing = month.cases.join(lines, on=["order_id", "line_id"], how="anti")
    assert missing.height == 0
    assert 7500 <= month.orders["order_id"].n_unique() <= 8500
    assert month.orders["line_id"].n_unique() == month.orders.height


def test_times_fall_in_the_month_and_never_after_the_export(month):
    cases = month.cases
    assert cases["applied_at"].min() >= dt.datetime(2026, 3, 1)
    assert cases["applied_at"].max() < dt.datetime(2026, 4, 1)
    times = [c for c, t in cases.schema.items() if t == pl.Datetime("us")]
    latest = cases.select(pl.max_horizontal(times)).to_series().max()
    assert latest <= month.export_at


def test_timeline_is_in_order(month):
    chain = [
        "applied_at",
        "first_response_at",
        "decided_at",
        "return_shipped_at",
        "return_received_at",
        "refunded_at",
    ]
    c = month.cases
    for earlier, later in zip(chain, chain[1:], strict=False):
        bad = c.filter(pl.col(later) < pl.col(earlier))
        assert bad.height == 0, (earlier, later, bad.select("case_id", earlier, later).head())
    o = month.orders
    assert o.filter(pl.col("shipped_at") < pl.col("paid_at")).height == 0
    assert o.filter(pl.col("signed_at") < pl.col("shipped_at")).height == 0


def test_status_agrees_with_times_and_decision(month):
    c = month.cases
    assert c.filter((pl.col("status") == "closed") & pl.col("closed_at").is_null()).height == 0
    assert c.filter((pl.col("status") == "open") & pl.col("closed_at").is_not_null()).height == 0
    pending = c.filter(pl.col("decision") == "pending")
    assert pending["decided_at"].null_count() == pending.height
    assert set(pending["status"].unique()) <= {"open"}
    cancelled = c.filter(pl.col("status") == "cancelled")
    assert cancelled.height > 0 and set(cancelled["decision"].unique()) == {"unknown"}
    rejected = c.filter(pl.col("decision") == "rejected")
    assert rejected["refunded_at"].null_count() == rejected.height
    assert set(c["status"].unique()) == {"open", "closed", "cancelled"}


def test_clean_cases_answer_within_24_hours_and_decide_next_day(month):
    clean = month.cases.filter(
        pl.col("_violation").is_null() & (pl.col("case_type") != "complaint")
    )
    response = pl.min_horizontal("first_response_at", "decided_at")
    late = clean.filter(response - pl.col("applied_at") > pl.duration(hours=24))
    assert late.height == 0
    two_days = clean.filter(
        pl.col("decided_at").dt.date() > pl.col("applied_at").dt.date() + pl.duration(days=1)
    )
    assert two_days.height == 0


def test_clean_no_reason_returns_follow_the_seven_day_rule(month):
    c = month.cases.filter(
        pl.col("_violation").is_null()
        & (pl.col("reason_class") == "no_reason")
        & (pl.col("case_type") == "return_refund")
    )
    days = (pl.col("applied_at").dt.date() - pl.col("signed_at").dt.date()).dt.total_days()
    late_approved = c.filter((days > 7) & (pl.col("decision") == "approved"))
    assert late_approved.height == 0  # W002
    plain = ~pl.col("category").str.contains("定制|生鲜|内衣|化妆品|美妆|临期")
    rejected_inside = c.filter((days <= 7) & plain & (pl.col("decision") == "rejected"))
    assert rejected_inside.height == 0  # W001


def test_clean_seller_fault_returns_refund_in_full_and_seller_pays_freight(month):
    c = month.cases.filter(
        pl.col("_violation").is_null()
        & pl.col("reason_class").is_in(SELLER_FAULT)
        & (pl.col("case_type") == "return_refund")
        & (pl.col("decision") == "approved")
    )
    assert c.height > 0
    assert c.filter(pl.col("freight_payer") == "buyer").height == 0  # C001
    assert c.filter(pl.col("refund_amount") < pl.col("paid_amount") - 0.01).height == 0  # A002
    rejected = month.cases.filter(pl.col("decision") == "rejected")
    assert (
        rejected.filter(pl.col("_violation").is_null() & pl.col("reject_reason").is_null()).height
        == 0
    )  # E002


def test_planted_violations_match_the_rate():
    for rate in (0.0, 0.1, 0.3):
        month = generate_month(GenerateSpec(cases=3000, seed=5, violation_rate=rate))
        planted = sum(month.planted.values())
        assert abs(planted - rate * 3000) <= 0.02 * 3000, (rate, planted)
    assert generate_month(GenerateSpec(cases=500, seed=5, violation_rate=0.0)).planted == {}


def test_planted_cases_have_the_shape_of_their_breach(month):
    c = month.cases
    w001 = c.filter(pl.col("_violation") == "rejected_no_reason")
    assert w001.height > 0
    assert set(w001["decision"]) == {"rejected"} and set(w001["reason_class"]) == {"no_reason"}
    late = c.filter(pl.col("_violation") == "late_response")
    response = pl.min_horizontal("first_response_at", "decided_at")
    assert late.filter(response - pl.col("applied_at") <= pl.duration(hours=24)).height == 0
    short = c.filter(pl.col("_violation") == "short_refund")
    assert short.filter(pl.col("refund_amount") >= pl.col("paid_amount")).height == 0
    d010 = month.orders.filter(pl.col("_violation") == "late_shipping")
    assert d010.height > 0
    hours = (pl.col("shipped_at") - pl.col("paid_at")).dt.total_hours()
    assert d010.filter(hours <= pl.col("promised_ship_hours")).height == 0


def test_double_refund_puts_two_refunds_on_one_order_line(month):
    second = month.cases.filter(pl.col("_violation") == "double_refund")
    assert second.height > 0
    pair = month.cases.filter(pl.col("line_id").is_in(second["line_id"].implode()))
    sums = pair.group_by("line_id").agg(
        pl.col("refund_amount").sum(), pl.col("paid_amount").first()
    )
    assert sums.filter(pl.col("refund_amount") <= pl.col("paid_amount")).height == 0


def test_only_kinds_the_layout_shows_are_planted():
    fields = frozenset({"case_id", "order_id", "applied_at", "refund_amount", "paid_amount"})
    month = generate_month(GenerateSpec(cases=2000, seed=1, fields=fields, orders=False))
    assert set(month.planted) == {"over_refund"}
    assert {k.id for k in KINDS} >= set(month.planted)


def test_unclassified_reasons_are_a_small_share(month):
    from auditor.sample.vocab import ODD_REASONS

    odd = month.cases.filter(pl.col("reason").is_in(list(ODD_REASONS))).height
    assert 0.01 * month.cases.height < odd < 0.1 * month.cases.height
