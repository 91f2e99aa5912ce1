"""Refund amounts. A001 A002 (per case), A003 (per order: refunded twice)."""

from __future__ import annotations

from datetime import date

import polars as pl

from auditor.rules import terms as t
from auditor.rules.base import Example, Rule, RuleEnv, Verdict

_MULTILINE = "amount from a multi-line order: paid_amount"


def _multiline() -> pl.Expr:
    return pl.col("_paid_amount_multiline").fill_null(False)


def _cents(column: str) -> pl.Expr:
    """Whole cents, so that 0.1 + 0.2 compares as money, not as binary floats."""
    return (pl.col(column) * 100).round(0).cast(pl.Int64)


def check_a001(env: RuleEnv) -> Verdict:
    """Refund larger than the amount paid (both present)."""
    return t.condition_verdict(
        env,
        scope=t.has_value(env, "refund_amount") & t.has_value(env, "paid_amount"),
        fires=_cents("refund_amount") > _cents("paid_amount"),
        needs=("refund_amount", "paid_amount"),
        extra=[(_multiline(), _MULTILINE)],
    )


def check_a002(env: RuleEnv) -> Verdict:
    """Seller-fault full return refunded short by more than the tolerance."""
    tolerance = round(float(t.param(env.law, "amount_tolerance")) * 100)
    return t.condition_verdict(
        env,
        scope=t.all_of(
            t.is_in(env, "reason_class", t.seller_fault_reasons(env)),
            t.equals(env, "case_type", "return_refund"),
            t.equals(env, "decision", "approved"),
            t.has_value(env, "refunded_at"),
        ),
        fires=_cents("refund_amount") < _cents("paid_amount") - tolerance,
        needs=(
            "reason_class",
            "case_type",
            "decision",
            "refunded_at",
            "refund_amount",
            "paid_amount",
        ),
        blanks=("refund_amount", "paid_amount"),
        extra=[(_multiline(), _MULTILINE)],
    )


def check_a003(env: RuleEnv) -> Verdict:
    """Order-level: two or more refunded approved cases adding up to more than paid + tolerance.

    The engine puts ``_n_refunds``, ``_refund_total`` and ``_refund_fields_present`` on each
    order row (from the deduplicated cases) before this check runs."""
    tolerance = round(float(t.param(env.law, "amount_tolerance")) * 100)
    total_cents = (pl.col("_refund_total") * 100).round(0).cast(pl.Int64)
    return t.condition_verdict(
        env,
        scope=pl.col("_n_refunds") >= 2,
        fires=total_cents > _cents("paid_amount") + tolerance,
        needs=("paid_amount",),
        blanks=("paid_amount",),
        extra=[(~pl.col("_refund_fields_present"), "field absent: refund_amount")],
        facts={"n_refunds": pl.col("_n_refunds"), "refund_total": pl.col("_refund_total")},
    )


A001 = Rule(
    id="A001",
    check=check_a001,
    name="amounts.refund_exceeds_paid",
    layer="service",
    severity="warning",
    title_zh="退款金额超过实付金额",
    title_en="Refund larger than the amount paid",
    basis="平台标准：退款以实付金额为限",
    basis_en="platform standard: a refund is capped at the amount paid",
    params=(),
    message_zh="退款金额 {refund_amount} 元超过实付金额 {paid_amount} 元",
    message_en="refund {refund_amount} yuan exceeds the {paid_amount} yuan paid",
    doc=(
        "Any case with both refund_amount and paid_amount where the refund is larger. Not judged "
        "when paid_amount was inherited from an order of several lines."
    ),
    doc_zh="退款金额与实付金额均有值且退款金额更大。实付金额继承自多行订单时不判定。",
    example_fires=Example(
        "实付 100.00，退款 120.00 → 提示",
        "paid 100.00, refunded 120.00 → fires",
        case={"paid_amount": 100.0, "refund_amount": 120.0},
    ),
    example_passes=Example(
        "实付 100.00，退款 100.00 → 不提示",
        "paid 100.00, refunded 100.00 → does not fire",
        case={"paid_amount": 100.0, "refund_amount": 100.0},
    ),
)

A002 = Rule(
    id="A002",
    check=check_a002,
    name="amounts.short_refund_seller_fault",
    layer="law",
    severity="error",
    title_zh="商家责任退货退款金额不足",
    title_en="Short refund on a seller-fault return",
    basis="《消费者权益保护法》第24条；《消费者权益保护法实施条例》第18条第2款（一次性退清货款）",
    basis_en=(
        "Consumer Rights Protection Law Art. 24; CRPL Implementing Regulations Art. 18 "
        "para. 2 (the price refunded in one payment)"
    ),
    params=("amount_tolerance",),
    message_zh="商家责任原因（{reason_class}）的退货退款只退了 {refund_amount} 元，实付 {paid_amount} 元",
    message_en="seller-fault ({reason_class}) return refunded {refund_amount} yuan of {paid_amount} yuan paid",
    doc=(
        "An approved return_refund for a seller-fault reason, refunded (refunded_at present), "
        "whose refund_amount is below paid_amount minus 0.01 yuan. Not judged when paid_amount "
        "was inherited from an order of several lines."
    ),
    doc_zh="商家责任原因的退货退款已同意并已退款，退款金额低于实付金额减0.01元。实付金额继承自多行订单时不判定。",
    example_fires=Example(
        "质量问题退货，实付 100.00，退款 90.00 → 违规",
        "quality return, paid 100.00, refunded 90.00 → fires",
        case={
            "reason_class": "quality",
            "case_type": "return_refund",
            "decision": "approved",
            "paid_amount": 100.0,
            "refund_amount": 90.0,
            "refunded_at": "2026-03-05 10:00:00",
        },
    ),
    example_passes=Example(
        "质量问题退货，实付 100.00，退款 99.99 → 不违规（容差0.01）",
        "quality return, paid 100.00, refunded 99.99 → does not fire (0.01 tolerance)",
        case={
            "reason_class": "quality",
            "case_type": "return_refund",
            "decision": "approved",
            "paid_amount": 100.0,
            "refund_amount": 99.99,
            "refunded_at": "2026-03-05 10:00:00",
        },
    ),
    in_force_from=date(2014, 3, 15),
)

A003 = Rule(
    id="A003",
    check=check_a003,
    name="amounts.order_refunded_twice",
    layer="service",
    severity="warning",
    title_zh="同一订单重复退款",
    title_en="Order refunded twice",
    basis="平台标准：同一订单退款合计不超过实付金额",
    basis_en="platform standard: an order's refunds together do not exceed the amount paid",
    params=("amount_tolerance",),
    message_zh="订单的 {n_refunds} 笔已退款售后合计 {refund_total} 元，超过订单实付 {paid_amount} 元",
    message_en="{n_refunds} refunded cases of the order total {refund_total} yuan, above the {paid_amount} yuan paid",
    doc=(
        "An order of the orders export with two or more approved cases that have refunded_at "
        "(any status) whose refunds add up to more than the order's paid_amount + 0.01. One "
        "finding per order; the policy version is chosen by the order's paid_at."
    ),
    doc_zh="订单导出中的订单有两笔及以上已同意且有退款时间的售后（不论状态），退款合计超过订单实付金额+0.01元。按订单计一条，政策版本按付款时间选择。",
    example_fires=Example(
        "订单实付 100.00，两笔退款 60.00 + 60.00 → 提示",
        "order paid 100.00, two refunds 60.00 + 60.00 → fires",
        order={"order_id": "O1", "paid_amount": 100.0, "paid_at": "2026-03-01 10:00:00"},
        cases=(
            {
                "case_id": "C1",
                "order_id": "O1",
                "decision": "approved",
                "refund_amount": 60.0,
                "refunded_at": "2026-03-05 10:00:00",
                "applied_at": "2026-03-03 10:00:00",
            },
            {
                "case_id": "C2",
                "order_id": "O1",
                "decision": "approved",
                "refund_amount": 60.0,
                "refunded_at": "2026-03-06 10:00:00",
                "applied_at": "2026-03-04 10:00:00",
            },
        ),
    ),
    example_passes=Example(
        "订单实付 100.00，两笔退款 40.00 + 60.00 → 不提示",
        "order paid 100.00, two refunds 40.00 + 60.00 → does not fire",
        order={"order_id": "O1", "paid_amount": 100.0, "paid_at": "2026-03-01 10:00:00"},
        cases=(
            {
                "case_id": "C1",
                "order_id": "O1",
                "decision": "approved",
                "refund_amount": 40.0,
                "refunded_at": "2026-03-05 10:00:00",
                "applied_at": "2026-03-03 10:00:00",
            },
            {
                "case_id": "C2",
                "order_id": "O1",
                "decision": "approved",
                "refund_amount": 60.0,
                "refunded_at": "2026-03-06 10:00:00",
                "applied_at": "2026-03-04 10:00:00",
            },
        ),
    ),
    scope="order",
)
