"""Return, exchange and repair *decisions* judged against the windows of the law.

W001 X001 W002 W003 W004. No-reason exchange is a platform courtesy, not a statutory right, so
W001, X001 and W002 judge return_refund cases only (SPEC 6.3).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from auditor.rules import terms as t
from auditor.rules.base import Example, Rule, RuleEnv, Verdict

_NO_REASON_NEEDS = ("reason_class", "case_type", "decision", "applied_at", "signed_at")


def _no_reason_return(env: RuleEnv, decision: str) -> pl.Expr:
    return t.all_of(
        t.equals(env, "reason_class", "no_reason"),
        t.equals(env, "case_type", "return_refund"),
        t.equals(env, "decision", decision),
    )


def _window_facts() -> dict[str, pl.Expr]:
    """When the application came, counted from signing (the day of signing is day 0)."""
    day = t.day_number("signed_at")
    return {
        "applied_zh": pl.when(day < 0)
        .then(pl.lit("于签收前申请"))
        .when(day == 0)
        .then(pl.lit("于签收当天申请"))
        .otherwise(pl.format("于签收后第{}天申请", day)),
        "applied_en": pl.when(day < 0)
        .then(pl.lit("applied before signing"))
        .when(day == 0)
        .then(pl.lit("applied on the day of signing"))
        .otherwise(pl.format("applied on day {} after signing", day)),
    }


def _promise_facts(by_promise: pl.Expr, zh: str, en: str) -> dict[str, pl.Expr]:
    """Which window bound: the law's, or the longer one the shop promised. ``by_promise``
    (t.PROMISE_FACT) also tells the engine to name the shop's policy version on the finding
    and in its basis."""
    return {
        t.PROMISE_FACT: by_promise,
        "window_zh": pl.when(by_promise).then(pl.lit(f"店铺承诺的{zh}")).otherwise(pl.lit(zh)),
        "window_en": pl.when(by_promise)
        .then(pl.lit(f"the shop's promised {en}"))
        .otherwise(pl.lit(en)),
    }


def _inside(env: RuleEnv, window: t.Window) -> pl.Expr:
    """Applied no later than the window's end; null when signed_at is blank or absent."""
    return pl.when(t.started(env, "signed_at")).then(window.inside)


def check_w001(env: RuleEnv) -> Verdict:
    """Rejected inside the window; category neither excluded nor confirm-required."""
    window = t.window(env, "no_reason_window")
    fires = _inside(env, window) & ~t.statutory_excluded(env) & ~t.confirm_required(env)
    return t.condition_verdict(
        env,
        scope=_no_reason_return(env, "rejected"),
        fires=fires,
        needs=(*_NO_REASON_NEEDS, "category"),
        blanks=("signed_at",),
        # A blank category leaves eligibility undecided where the rest would fire.
        extra=[*t.category_unknown(env, fires.is_null()), *window.reasons(fires)],
        facts={**_window_facts(), **_promise_facts(window.by_promise, "期限", "window")},
        due=window.due,
        actual=pl.col("applied_at"),
    )


def check_x001(env: RuleEnv) -> Verdict:
    """Rejected inside the window; confirm-required category without the confirmation."""
    window = t.window(env, "no_reason_window")
    fires = (
        _inside(env, window)
        & ~t.statutory_excluded(env)
        & t.confirm_required(env)
        & ~t.is_true(env, "exclusion_confirmed")
    )
    return t.condition_verdict(
        env,
        scope=_no_reason_return(env, "rejected"),
        fires=fires,
        needs=(*_NO_REASON_NEEDS, "category", "exclusion_confirmed"),
        blanks=("signed_at",),
        # A blank category leaves eligibility undecided where the rest would fire.
        extra=[*t.category_unknown(env, fires.is_null()), *window.reasons(fires)],
        facts={**_window_facts(), **_promise_facts(window.by_promise, "期限", "window")},
        due=window.due,
        actual=pl.col("applied_at"),
    )


def check_w002(env: RuleEnv) -> Verdict:
    """Approved although applied after the (statutory or promised) window."""
    window = t.window(env, "no_reason_window")
    fires = ~_inside(env, window)
    return t.condition_verdict(
        env,
        scope=_no_reason_return(env, "approved"),
        fires=fires,
        needs=_NO_REASON_NEEDS,
        blanks=("signed_at",),
        extra=window.reasons(fires),
        facts=_window_facts(),
        due=window.due,
        actual=pl.col("applied_at"),
    )


def check_w003(env: RuleEnv) -> Verdict:
    """Seller-fault return (7 days) or exchange (15 days) with evidence, rejected in the window."""
    is_return = t.equals(env, "case_type", "return_refund")
    is_exchange = t.equals(env, "case_type", "exchange")
    returns = t.window(env, "quality_return_window")
    exchanges = t.window(env, "quality_exchange_window")
    exchange = (pl.col("case_type") == "exchange").fill_null(False)
    due = pl.when(exchange).then(exchanges.due).otherwise(returns.due)
    fires = pl.when(t.started(env, "signed_at")).then(
        pl.when(exchange).then(exchanges.inside).otherwise(returns.inside)
    )
    # Each window's reasons only for its own case type.
    extra = [(exchange & c, r) for c, r in exchanges.reasons(fires)]
    extra += [(~exchange & c, r) for c, r in returns.reasons(fires)]
    by_promise = pl.when(exchange).then(exchanges.by_promise).otherwise(returns.by_promise)
    return t.condition_verdict(
        env,
        scope=t.all_of(
            t.is_in(env, "reason_class", t.seller_fault_reasons(env)),
            is_return | is_exchange,
            t.equals(env, "decision", "rejected"),
            t.is_true(env, "evidence"),
        ),
        fires=fires,
        needs=("reason_class", "case_type", "decision", "evidence", "applied_at", "signed_at"),
        blanks=("signed_at",),
        extra=extra,
        facts={**_window_facts(), **_promise_facts(by_promise, "期限", "window")},
        due=due,
        actual=pl.col("applied_at"),
    )


def _warranty(env: RuleEnv) -> t.Window:
    """12 months (or the law's category warranty) after signing; a longer promise, general or
    for the category, binds, counted from its own start."""
    applied = pl.col("applied_at")
    due = t.law_due(env, "warranty")
    inside = t.within(applied, due)
    unknown: list[tuple[pl.Expr, str]] = []
    for keyword, limit in sorted((t.stated(env.law, "warranty_by_category") or {}).items()):
        category_due = t.due_of(limit, "signed_at", env)
        if category_due is None:
            continue
        hit = t.category_matches(env, [keyword])
        category_in = t.within(applied, category_due)
        # The law's category warranty replaces the general one; without a category the
        # answer is open only where the two disagree.
        disagree = category_in != inside
        inside = pl.when(disagree).then((hit & category_in) | (~hit & inside)).otherwise(inside)
        due = pl.when(hit.fill_null(False)).then(category_due).otherwise(due)
        unknown += t.category_unknown(env, hit.is_null() & disagree)
    promises = [t.promise(env, t.stated(env.service, "warranty"))]
    for keyword, limit in sorted((t.stated(env.service, "warranty_by_category") or {}).items()):
        promises.append(t.promise(env, limit, applies=t.category_matches(env, [keyword])))
    return t.widen(due, inside, promises, unknown)


def check_w004(env: RuleEnv) -> Verdict:
    """Quality repair rejected inside the warranty."""
    window = _warranty(env)
    fires = pl.when(t.started(env, "signed_at")).then(window.inside)
    return t.condition_verdict(
        env,
        scope=t.all_of(
            t.equals(env, "reason_class", "quality"),
            t.equals(env, "case_type", "repair"),
            t.equals(env, "decision", "rejected"),
        ),
        fires=fires,
        needs=("reason_class", "case_type", "decision", "applied_at", "signed_at"),
        blanks=("signed_at",),
        extra=window.reasons(fires),
        facts=_promise_facts(window.by_promise, "保修期", "warranty"),
        due=window.due,
        actual=pl.col("applied_at"),
    )


W001 = Rule(
    id="W001",
    check=check_w001,
    name="returns.no_reason_rejected_in_window",
    layer="law",
    severity="error",
    title_zh="七天无理由退货期内被拒绝",
    title_en="No-reason return rejected within the 7-day window",
    basis="《消费者权益保护法》第25条；《网络购买商品七日无理由退货暂行办法》第10条、第31条第(一)项",
    basis_en=(
        "Consumer Rights Protection Law Art. 25; Interim Measures for Seven-Day No-Reason "
        "Returns of Online Purchases Art. 10 and Art. 31 item (1)"
    ),
    params=("no_reason_window", "statutory_exclusions", "confirm_required"),
    message_zh="七天无理由退货{applied}（{window}截至{due}），类目「{category}」不属于不适用范围，却被拒绝",
    message_en=(
        "no-reason return {applied} ({window} ends {due}); "
        "category '{category}' is not excluded, yet it was rejected"
    ),
    doc=(
        "A no_reason return_refund that was rejected although it was applied for within the "
        "no-reason window (7 calendar days after signed_at, the day of signing not counted; an "
        "application before signing counts as within) and its category matches neither a "
        "statutory exclusion nor a confirm-required keyword (the law's list, plus those the "
        "service policy adds). A longer window the service policy promises binds the shop "
        "(Implementing Regulations Art. 12); a finding it alone causes names the service "
        "version beside the law's (policy cn-law@…+shop@…)."
    ),
    doc_zh=(
        "原因为七天无理由、类型为退货退款、审核结果为拒绝，且在签收后7个自然日内（签收当日不计，"
        "签收前申请亦属期内）申请，类目既不属于法定不适用范围也不属于需确认类目（法律清单及服务层政策增加的）。店铺承诺的更长期限"
        "对店铺有约束力（实施条例第12条）；仅因店铺承诺而违规的，政策版本同时写明店铺政策版本。"
    ),
    example_fires=Example(
        "签收 2026-03-01 10:00，2026-03-08 23:59 申请（第7天），服装类目，被拒绝 → 违规",
        "signed 2026-03-01 10:00, applied 2026-03-08 23:59 (day 7), clothing, rejected → fires",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "rejected",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-08 23:59:00",
        },
    ),
    example_passes=Example(
        "同上但 2026-03-09 00:00 申请（第8天）→ 不违规",
        "the same applied 2026-03-09 00:00 (day 8) → does not fire",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "rejected",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-09 00:00:00",
        },
    ),
    in_force_from=date(2014, 3, 15),
)

X001 = Rule(
    id="X001",
    check=check_x001,
    name="returns.confirm_required_without_confirmation",
    layer="law",
    severity="error",
    title_zh="需确认类目未经消费者确认即拒绝无理由退货",
    title_en="Confirm-required goods rejected without the consumer's confirmation",
    basis="《网络购买商品七日无理由退货暂行办法》第7条、第20条；《消费者权益保护法实施条例》第19条第2款",
    basis_en=(
        "Interim Measures for Seven-Day No-Reason Returns of Online Purchases Art. 7 and "
        "Art. 20; CRPL Implementing Regulations Art. 19 para. 2"
    ),
    params=("no_reason_window", "statutory_exclusions", "confirm_required"),
    message_zh="类目「{category}」须经消费者购买时确认方可不适用七天无理由，本单未确认，期内{applied}却被拒绝",
    message_en=(
        "category '{category}' may be excluded only with the consumer's confirmation at purchase; "
        "none was given, yet the return {applied} was rejected"
    ),
    doc=(
        "A no_reason return_refund rejected within the window whose category is confirm-required "
        "(e.g. 内衣, 化妆品, 激活) but not a statutory exclusion, and exclusion_confirmed is not true."
    ),
    doc_zh="期内申请的七天无理由退货被拒绝，类目属于需确认类目（非法定不适用），但消费者未确认不适用。",
    example_fires=Example(
        "化妆品，未确认，第3天申请，被拒绝 → 违规",
        "cosmetics, not confirmed, applied on day 3, rejected → fires",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "rejected",
            "category": "化妆品",
            "exclusion_confirmed": False,
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-04 09:00:00",
        },
    ),
    example_passes=Example(
        "化妆品，购买时已确认 → 不违规",
        "cosmetics, confirmed at purchase → does not fire",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "rejected",
            "category": "化妆品",
            "exclusion_confirmed": True,
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-04 09:00:00",
        },
    ),
    in_force_from=date(2017, 3, 15),
)

W002 = Rule(
    id="W002",
    check=check_w002,
    name="returns.no_reason_approved_after_window",
    layer="service",
    severity="warning",
    title_zh="超出无理由退货期仍同意退货",
    title_en="No-reason return approved after the window",
    basis="平台标准：无理由退货期限（店铺政策可延长）",
    basis_en="platform standard: the no-reason return window (a shop policy may extend it)",
    params=("no_reason_window",),
    message_zh="七天无理由退货{applied}，已超出期限（截至{due}），仍被同意",
    message_en="no-reason return {applied}, after the window ({due}), was approved",
    doc=(
        "A no_reason return_refund approved although applied after the no-reason window (the "
        "statutory 7 days, or the longer window the service policy grants). Lawful, but a cost "
        "the shop's policy did not grant. Whatever the category."
    ),
    doc_zh="超出无理由退货期限（法定7天或店铺承诺的更长期限）后申请的七天无理由退货仍被同意：不违法，但属政策未授予的成本。",
    example_fires=Example(
        "签收 2026-03-01，2026-03-10 申请（第9天），同意 → 提示",
        "signed 2026-03-01, applied 2026-03-10 (day 9), approved → fires",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-10 09:00:00",
        },
    ),
    example_passes=Example(
        "第7天申请，同意 → 不提示",
        "applied on day 7, approved → does not fire",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-08 09:00:00",
        },
    ),
)

W003 = Rule(
    id="W003",
    check=check_w003,
    name="returns.seller_fault_rejected_in_window",
    layer="law",
    severity="error",
    title_zh="质量等商家责任问题在法定期内被拒绝退换",
    title_en="Seller-fault return/exchange rejected within the statutory window",
    basis="《消费者权益保护法》第24条；《部分商品修理更换退货责任规定》7日退货、15日换货",
    basis_en=(
        "Consumer Rights Protection Law Art. 24; Provisions on Repair, Replacement and "
        "Return of Certain Goods (the 'three guarantees'): return within 7 days, exchange "
        "within 15 days"
    ),
    params=("quality_return_window", "quality_exchange_window"),
    message_zh="商家责任原因（{reason_class}）有凭证，{applied}（{window}截至{due}），却被拒绝",
    message_en=(
        "seller-fault reason ({reason_class}) with evidence, {applied} "
        "({window} ends {due}), was rejected"
    ),
    doc=(
        "A return_refund (within 7 calendar days after signed_at) or exchange (within 15) for a "
        "seller-fault reason (quality, not_as_described, wrong_item, damaged_in_transit), with "
        "evidence, that was rejected."
    ),
    doc_zh="商家责任原因（质量问题、描述不符、发错/漏发、运输破损）且有凭证的退货（签收后7日内）或换货（15日内）申请被拒绝。",
    example_fires=Example(
        "质量问题换货，有凭证，第12天申请，被拒绝 → 违规",
        "quality exchange with evidence, applied on day 12, rejected → fires",
        case={
            "reason_class": "quality",
            "case_type": "exchange",
            "decision": "rejected",
            "evidence": True,
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-13 10:00:00",
        },
    ),
    example_passes=Example(
        "质量问题退货，有凭证，第12天申请（超过7天），被拒绝 → 不违规",
        "quality return with evidence, applied on day 12 (past 7), rejected → does not fire",
        case={
            "reason_class": "quality",
            "case_type": "return_refund",
            "decision": "rejected",
            "evidence": True,
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-13 10:00:00",
        },
    ),
    in_force_from=date(2014, 3, 15),
)

W004 = Rule(
    id="W004",
    check=check_w004,
    name="returns.repair_rejected_in_warranty",
    layer="law",
    severity="error",
    title_zh="保修期内质量问题维修被拒绝",
    title_en="Quality repair rejected within the warranty",
    basis="《部分商品修理更换退货责任规定》（三包）；《消费者权益保护法实施条例》第18条",
    basis_en=(
        "Provisions on Repair, Replacement and Return of Certain Goods (the 'three "
        "guarantees'); CRPL Implementing Regulations Art. 18"
    ),
    params=("warranty", "warranty_by_category"),
    message_zh="质量问题维修于保修期内申请（{window}截至{due}），却被拒绝",
    message_en="quality repair applied within the warranty ({window} ends {due}) was rejected",
    doc=(
        "A repair for a quality reason rejected although applied for within the warranty: 12 "
        "months after signed_at (clamped to the month's last day) unless a category warranty "
        "applies; a longer warranty the service policy promises binds the shop."
    ),
    doc_zh="质量问题维修在保修期内（签收后12个月，月末取当月最后一天；可按类目另定，店铺承诺更长者从其承诺）申请却被拒绝。",
    example_fires=Example(
        "签收 2025-05-10，2026-05-09 申请维修，被拒绝 → 违规",
        "signed 2025-05-10, repair applied 2026-05-09, rejected → fires",
        case={
            "reason_class": "quality",
            "case_type": "repair",
            "decision": "rejected",
            "signed_at": "2025-05-10 10:00:00",
            "applied_at": "2026-05-09 10:00:00",
        },
    ),
    example_passes=Example(
        "签收 2025-03-01，2026-03-02 申请（超过12个月），被拒绝 → 不违规",
        "signed 2025-03-01, applied 2026-03-02 (past 12 months), rejected → does not fire",
        case={
            "reason_class": "quality",
            "case_type": "repair",
            "decision": "rejected",
            "signed_at": "2025-03-01 10:00:00",
            "applied_at": "2026-03-02 10:00:00",
        },
    ),
    in_force_from=date(1995, 8, 25),
)
