"""Deadlines: D001–D012. Each compares a completion time with a due time (SPEC 6.1).

Messages share two facts the engine fills in: ``{limit}`` (the limit in words, in the
requested language) and ``{actual_text}`` (the completion time and how late it was, or
"not done as of …" for an open case past due).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl

from auditor.rules import terms as t
from auditor.rules.base import Example, Rule, RuleEnv, Verdict

_DECIDED = ("approved", "rejected")


def _decision_recorded() -> pl.Expr:
    """A decision is on record although its time is blank: when it came cannot be judged."""
    return pl.col("decision").is_in(_DECIDED).fill_null(False)


def _service_deadline(
    env: RuleEnv,
    name: str,
    default_start: str,
    *,
    scope: pl.Expr,
    needs: tuple[str, ...],
    completion: pl.Expr,
    completion_field: str,
    decided_elsewhere: pl.Expr | None = None,
) -> Verdict:
    limit = t.param(env.service, name)
    start = t.limit_from(limit, default_start) if isinstance(limit, dict) else default_start
    return t.deadline_verdict(
        env,
        scope=scope,
        needs=tuple(dict.fromkeys((*needs, start))),
        limit=limit,
        limit_param=name,
        start=start,
        completion=completion,
        completion_field=completion_field,
        decided_elsewhere=decided_elsewhere,
    )


def _law_deadline(env: RuleEnv, name: str, default_start: str, **kwargs) -> Verdict:
    """A statutory limit. A service policy that restates it shorter binds the shop (a faster
    refund promised is owed: params.py, "more generous binds the shop"); a longer restatement
    never relaxes the law. The message names whichever limit bound the case."""
    limit = t.param(env.law, name)
    start = t.limit_from(limit, default_start)
    law_due = t.due_of(limit, start, env)
    stated = t.stated(env.service, name)
    promised = t.due_of(stated, start, env)
    units = {t.limit_unit(x) for x in (limit, stated) if isinstance(x, dict) and "unit" in x}
    due = law_due
    if law_due is not None and promised is not None:
        due = pl.min_horizontal(law_due, promised)
        if "working_days" in units:
            # A working-day due after the calendar's end is null, and min_horizontal skips
            # nulls: when the other due is after that end too, which comes first is unknown.
            end = pl.lit(env.calendar.end, dtype=pl.Datetime("us"))
            unknown = (law_due.is_null() | promised.is_null()) & (due > end)
            due = pl.when(unknown).then(None).otherwise(due)
    needs = tuple(dict.fromkeys((*kwargs.pop("needs"), start)))
    verdict = t.deadline_verdict(
        env,
        needs=needs,
        limit=limit,
        limit_param=name,
        start=start,
        due_override=due,
        working_days="working_days" in units,
        **kwargs,
    )
    if law_due is None or promised is None:
        return verdict
    shop_bound = promised < law_due
    facts = {
        f"limit_{lang}": pl.when(shop_bound)
        .then(pl.lit(t.promise_text(stated, lang)))
        .otherwise(pl.lit(t.limit_text(limit, lang)))
        for lang in ("zh", "en")
    }
    return replace(verdict, facts={**verdict.facts, **facts})


def _not_complaint(env: RuleEnv) -> pl.Expr:
    return ~t.equals(env, "case_type", "complaint")


def check_d001(env: RuleEnv) -> Verdict:
    """Response (earlier of first response and decision) later than the response limit."""
    response = pl.min_horizontal("first_response_at", "decided_at")
    return _service_deadline(
        env,
        "response_limit",
        "applied_at",
        scope=_not_complaint(env),
        needs=("case_type", "first_response_at"),
        completion=response,
        completion_field="first_response_at",
        decided_elsewhere=_decision_recorded() & pl.col("decided_at").is_null(),
    )


def check_d002(env: RuleEnv) -> Verdict:
    """Decision later than 1 working day after the application."""
    return _service_deadline(
        env,
        "decision_limit",
        "applied_at",
        scope=_not_complaint(env),
        needs=("case_type", "decided_at"),
        completion=pl.col("decided_at"),
        completion_field="decided_at",
        decided_elsewhere=_decision_recorded(),
    )


def _approved(env: RuleEnv, *case_types: str) -> pl.Expr:
    return t.is_in(env, "case_type", case_types) & t.equals(env, "decision", "approved")


def _statutory_approved(env: RuleEnv) -> pl.Expr:
    """In scope also where eligibility is unknown: unknown_if_late decides those."""
    return t.statutory_no_reason_return(env, unknown_eligibility=True) & t.equals(
        env, "decision", "approved"
    )


_STATUTORY_NEEDS = (
    "reason_class",
    "case_type",
    "decision",
    "category",
    "signed_at",
    "applied_at",
)


def check_d003(env: RuleEnv) -> Verdict:
    return _law_deadline(
        env,
        "refund_after_return_law",
        "return_received_at",
        scope=_statutory_approved(env),
        needs=(*_STATUTORY_NEEDS, "refunded_at"),
        completion=pl.col("refunded_at"),
        completion_field="refunded_at",
        scope_blanks=("signed_at",),
        unknown_if_late=t.eligibility_unknown(env),
    )


def check_d011(env: RuleEnv) -> Verdict:
    """The penalty line: only the law sets it (a shop promise does not move a penalty)."""
    limit = t.param(env.law, "refund_after_return_penalty")
    return t.deadline_verdict(
        env,
        scope=_statutory_approved(env),
        needs=(*_STATUTORY_NEEDS, "refunded_at", "return_received_at"),
        limit=limit,
        limit_param="refund_after_return_penalty",
        start=t.limit_from(limit, "return_received_at"),
        completion=pl.col("refunded_at"),
        completion_field="refunded_at",
        scope_blanks=("signed_at",),
        unknown_if_late=t.eligibility_unknown(env),
    )


def check_d012(env: RuleEnv) -> Verdict:
    limit = t.param(env.law, "decision_limit_penalty")
    return t.deadline_verdict(
        env,
        scope=t.statutory_no_reason_return(env, unknown_eligibility=True),
        needs=(*_STATUTORY_NEEDS, "decided_at"),
        limit=limit,
        limit_param="decision_limit_penalty",
        start=t.limit_from(limit, "applied_at"),
        completion=pl.col("decided_at"),
        completion_field="decided_at",
        decided_elsewhere=_decision_recorded(),
        scope_blanks=("signed_at",),
        unknown_if_late=t.eligibility_unknown(env),
    )


def check_d004(env: RuleEnv) -> Verdict:
    return _service_deadline(
        env,
        "refund_after_return",
        "return_received_at",
        scope=_approved(env, "return_refund"),
        needs=("case_type", "decision", "refunded_at"),
        completion=pl.col("refunded_at"),
        completion_field="refunded_at",
    )


def check_d005(env: RuleEnv) -> Verdict:
    return _service_deadline(
        env,
        "refund_only_limit",
        "decided_at",
        scope=_approved(env, "refund_only"),
        needs=("case_type", "decision", "refunded_at"),
        completion=pl.col("refunded_at"),
        completion_field="refunded_at",
    )


def check_d006(env: RuleEnv) -> Verdict:
    return _service_deadline(
        env,
        "exchange_ship_limit",
        "return_received_at",
        scope=_approved(env, "exchange"),
        needs=("case_type", "decision", "exchange_shipped_at"),
        completion=pl.col("exchange_shipped_at"),
        completion_field="exchange_shipped_at",
    )


def check_d007(env: RuleEnv) -> Verdict:
    return _law_deadline(
        env,
        "repair_limit",
        "return_received_at",
        scope=_approved(env, "repair"),
        needs=("case_type", "decision", "repair_completed_at"),
        completion=pl.col("repair_completed_at"),
        completion_field="repair_completed_at",
    )


def check_d008(env: RuleEnv) -> Verdict:
    is_exchange = pl.col("case_type") == "exchange"
    completion = (
        pl.when(is_exchange).then(pl.col("exchange_shipped_at")).otherwise(pl.col("refunded_at"))
    )
    verdict = _service_deadline(
        env,
        "return_handling_limit",
        "return_received_at",
        scope=_approved(env, "return_refund", "exchange"),
        needs=("case_type", "decision"),
        completion=completion,
        completion_field="refunded_at / exchange_shipped_at",
    )
    absent = (
        pl.when(is_exchange)
        .then(~env.present("exchange_shipped_at"))
        .otherwise(~env.present("refunded_at"))
    )
    which = (
        pl.when(is_exchange)
        .then(pl.lit("field absent: exchange_shipped_at"))
        .otherwise(pl.lit("field absent: refunded_at"))
    )
    return Verdict(
        scope=verdict.scope,
        not_judged=pl.when(absent).then(which).otherwise(verdict.not_judged),
        fired=verdict.fired,
        due=verdict.due,
        actual=verdict.actual,
        todo_due=verdict.todo_due,
        facts=verdict.facts,
        prelude=verdict.prelude,
    )


def check_d009(env: RuleEnv) -> Verdict:
    return _service_deadline(
        env,
        "complaint_limit",
        "applied_at",
        scope=t.equals(env, "case_type", "complaint"),
        needs=("case_type", "closed_at"),
        completion=pl.col("closed_at"),
        completion_field="closed_at",
    )


def check_d010(env: RuleEnv) -> Verdict:
    """Order-level: shipped later than the shipping limit (or the order's promise) after payment.
    Judged only when shipped_at is present (an unshipped order is not judged)."""
    limit = t.param(env.service, "ship_limit")
    if t.is_unspecified(limit) or not isinstance(limit, dict):
        return Verdict(
            scope=pl.lit(True),
            not_judged=t.reason_lit("limit unspecified: ship_limit"),
            fired=pl.lit(False),
        )
    standard = t.due_of(limit, "paid_at", env)
    promised = pl.col("paid_at") + pl.duration(hours=pl.col("promised_ship_hours").fill_null(0))
    has_promise = pl.col("promised_ship_hours").is_not_null()
    due = pl.when(has_promise).then(promised).otherwise(standard)
    # A working-day due after the calendar's last day: a shipment by that day's end is in time.
    end = pl.lit(env.calendar.end, dtype=pl.Datetime("us"))
    in_time = (
        env.calendar.due_after_end(due, pl.col("paid_at")) & t.within(pl.col("shipped_at"), end)
        if t.limit_unit(limit) == "working_days"
        else pl.lit(False)
    )
    reasons = [
        *t.absent_reasons(env, ("paid_at", "shipped_at")),
        *t.blank_reasons(("paid_at", "shipped_at")),
        (due.is_null() & ~in_time, "date outside calendar: paid_at"),
    ]
    limit_zh = (
        pl.when(has_promise)
        .then(pl.format("承诺的{}小时", pl.col("promised_ship_hours")))
        .otherwise(pl.lit(t.limit_text(limit, "zh")))
    )
    limit_en = (
        pl.when(has_promise)
        .then(pl.format("the promised {} hours", pl.col("promised_ship_hours")))
        .otherwise(pl.lit(t.limit_text(limit, "en")))
    )
    return Verdict(
        scope=pl.lit(True),
        not_judged=t.first_reason(reasons),
        fired=t.is_late(pl.col("shipped_at"), due).fill_null(False),
        due=due,
        actual=pl.col("shipped_at"),
        facts={"limit_zh": limit_zh, "limit_en": limit_en},
    )


_ACTION_REFUND_ZH = "完成退款"
_ACTION_REFUND_EN = "refund the buyer"

D001 = Rule(
    id="D001",
    check=check_d001,
    name="deadlines.first_response",
    layer="service",
    severity="warning",
    title_zh="首次响应超时",
    title_en="First response late",
    basis="平台标准：售后申请须在响应时限内响应（2025版48小时，2026版24小时）",
    basis_en=(
        "platform standard: respond to an after-sales request within the response limit "
        "(48 hours in the 2025 version, 24 hours in 2026)"
    ),
    params=("response_limit",),
    message_zh="申请后{limit}内应首次响应（截至 {due}），{actual_text}",
    message_en="a first response was due within {limit} of the application (by {due}); {actual_text}",
    doc=(
        "Every case except complaints: the response time (the earlier of first_response_at and "
        "decided_at; a decision is a response) later than the response limit after applied_at "
        "(platform-standard 2025-01-01: 48 hours; 2026-01-01: 24 hours). Not judged when the "
        "layout has no first_response_at."
    ),
    doc_zh="除投诉外的所有售后：响应时间（首次响应时间与审核时间中较早者）晚于申请后响应时限（平台标准2025版48小时、2026版24小时）。导出无首次响应时间列时不判定。",
    example_fires=Example(
        "2026-03-01 10:00 申请，2026-03-02 10:01 首次响应（24小时1分钟）→ 提示",
        "applied 2026-03-01 10:00, first response 2026-03-02 10:01 (24 h 1 min) → fires",
        case={
            "case_type": "return_refund",
            "applied_at": "2026-03-01 10:00:00",
            "first_response_at": "2026-03-02 10:01:00",
        },
    ),
    example_passes=Example(
        "2026-03-01 10:00 申请，2026-03-02 10:00 首次响应（恰好24小时）→ 不提示",
        "applied 2026-03-01 10:00, first response 2026-03-02 10:00 (exactly 24 h) → does not fire",
        case={
            "case_type": "return_refund",
            "applied_at": "2026-03-01 10:00:00",
            "first_response_at": "2026-03-02 10:00:00",
        },
    ),
    action_zh="首次响应买家",
    action_en="respond to the buyer",
)

D002 = Rule(
    id="D002",
    check=check_d002,
    name="deadlines.decision",
    layer="service",
    severity="warning",
    title_zh="审核超时",
    title_en="Decision late",
    basis="平台标准：售后申请须在1个工作日内审核",
    basis_en="platform standard: decide an after-sales request within 1 working day",
    params=("decision_limit",),
    message_zh="申请后{limit}内应完成审核（截至 {due}），{actual_text}",
    message_en="a decision was due within {limit} of the application (by {due}); {actual_text}",
    doc=(
        "Every case except complaints: decided_at later than 1 working day after applied_at, on "
        "the official mainland calendar (holidays off, make-up workdays on; the day of "
        "application never counts). Not judged when decided_at is blank but a decision is recorded."
    ),
    doc_zh="除投诉外的所有售后：审核时间晚于申请后1个工作日（按国务院公布的节假日与调休，申请当日不计）。有审核结果但审核时间为空时不判定。",
    example_fires=Example(
        "周五 2026-03-06 申请，周二 2026-03-10 审核 → 提示",
        "applied Friday 2026-03-06, decided Tuesday 2026-03-10 → fires",
        case={
            "case_type": "return_refund",
            "applied_at": "2026-03-06 15:00:00",
            "decided_at": "2026-03-10 09:00:00",
            "decision": "approved",
        },
    ),
    example_passes=Example(
        "周五 2026-03-06 申请，周一 2026-03-09 23:59 审核 → 不提示",
        "applied Friday 2026-03-06, decided Monday 2026-03-09 23:59 → does not fire",
        case={
            "case_type": "return_refund",
            "applied_at": "2026-03-06 15:00:00",
            "decided_at": "2026-03-09 23:59:00",
            "decision": "approved",
        },
    ),
    action_zh="审核售后申请",
    action_en="decide on the application",
)

_STATUTORY_ZH = "七天无理由退货（符合条件、签收后7日内申请的无理由退货退款）"

D003 = Rule(
    id="D003",
    check=check_d003,
    name="deadlines.refund_after_return_law",
    layer="law",
    severity="error",
    title_zh="无理由退货收货后7日内未退款",
    title_en="No-reason refund later than 7 days after the return arrived",
    basis="《消费者权益保护法》第25条第3款；《网络购买商品七日无理由退货暂行办法》第13条",
    basis_en=(
        "Consumer Rights Protection Law Art. 25 para. 3; Interim Measures for Seven-Day "
        "No-Reason Returns of Online Purchases Art. 13"
    ),
    params=("refund_after_return_law",),
    message_zh="法定无理由退货，商家收到退货后{limit}内应退款（截至 {due}），{actual_text}",
    message_en="statutory no-reason return: refund due within {limit} of receiving the return (by {due}); {actual_text}",
    doc=(
        "A statutory no-reason return (eligible no_reason return_refund applied within 7 calendar "
        "days after signed_at), approved, with return_received_at: refunded_at later than 7 "
        "calendar days after return_received_at."
    ),
    doc_zh=_STATUTORY_ZH + "已同意且有卖家收货时间：退款时间晚于收货后7个自然日。",
    example_fires=Example(
        "2026-03-05 10:00 收到退货，2026-03-13 00:00 退款（第8天）→ 违规",
        "return received 2026-03-05 10:00, refunded 2026-03-13 00:00 (day 8) → fires",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-02 10:00:00",
            "return_received_at": "2026-03-05 10:00:00",
            "refunded_at": "2026-03-13 00:00:00",
        },
    ),
    example_passes=Example(
        "2026-03-05 10:00 收到退货，2026-03-12 23:59 退款（第7天）→ 不违规",
        "return received 2026-03-05 10:00, refunded 2026-03-12 23:59 (day 7) → does not fire",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-02 10:00:00",
            "return_received_at": "2026-03-05 10:00:00",
            "refunded_at": "2026-03-12 23:59:00",
        },
    ),
    in_force_from=date(2014, 3, 15),
    action_zh=_ACTION_REFUND_ZH,
    action_en=_ACTION_REFUND_EN,
)

D004 = Rule(
    id="D004",
    check=check_d004,
    name="deadlines.refund_after_return",
    layer="service",
    severity="warning",
    title_zh="收到退货后3个工作日内未退款",
    title_en="Refund later than 3 working days after the return arrived",
    basis="平台标准：收到退货后3个工作日内退款",
    basis_en="platform standard: refund within 3 working days of receiving the return",
    params=("refund_after_return",),
    message_zh="收到退货后{limit}内应退款（截至 {due}），{actual_text}",
    message_en="refund due within {limit} of receiving the return (by {due}); {actual_text}",
    doc=(
        "An approved return_refund with return_received_at: refunded_at later than 3 working "
        "days after return_received_at (official calendar with make-up workdays)."
    ),
    doc_zh="已同意的退货退款且有卖家收货时间：退款时间晚于收货后3个工作日（含调休上班日）。",
    example_fires=Example(
        "周五 2026-02-13 收到退货，2026-02-26 退款（春节前调休上班的周六 02-14 计入，第3个工作日为 02-25）→ 提示",
        "return received Friday 2026-02-13, refunded 2026-02-26 (the make-up Saturday 02-14 "
        "counts; the 3rd working day is 02-25) → fires",
        case={
            "case_type": "return_refund",
            "decision": "approved",
            "return_received_at": "2026-02-13 10:00:00",
            "refunded_at": "2026-02-26 09:00:00",
        },
    ),
    example_passes=Example(
        "2026-02-13 收到退货，2026-02-25 18:00 退款（第3个工作日）→ 不提示",
        "return received 2026-02-13, refunded 2026-02-25 18:00 (3rd working day) → does not fire",
        case={
            "case_type": "return_refund",
            "decision": "approved",
            "return_received_at": "2026-02-13 10:00:00",
            "refunded_at": "2026-02-25 18:00:00",
        },
    ),
    action_zh=_ACTION_REFUND_ZH,
    action_en=_ACTION_REFUND_EN,
)

D005 = Rule(
    id="D005",
    check=check_d005,
    name="deadlines.refund_only",
    layer="service",
    severity="warning",
    title_zh="仅退款未按时退款",
    title_en="Refund-only paid late",
    basis="平台标准：仅退款审核同意后在时限内退款（2025版48小时，2026版24小时）",
    basis_en=(
        "platform standard: refund an approved refund-only request within the limit (48 "
        "hours in the 2025 version, 24 hours in 2026)"
    ),
    params=("refund_only_limit",),
    message_zh="仅退款{since}{limit}内应退款（截至 {due}），{actual_text}",
    message_en="refund-only: refund due within {limit} of {since} (by {due}); {actual_text}",
    doc=(
        "An approved refund_only with decided_at: refunded_at later than the refund-only limit "
        "after decided_at (platform-standard 2025-01-01: 48 hours; 2026-01-01: 24 hours), or "
        "after applied_at where the policy counts the limit from the application; the message "
        "names the start used."
    ),
    doc_zh="已同意且有审核时间的仅退款：退款时间晚于审核后仅退款时限（平台标准2025版48小时、2026版24小时）；政策规定自申请起算时按申请时间起算，提示中写明起算事件。",
    example_fires=Example(
        "2026-03-01 10:00 同意，2026-03-02 10:01 退款 → 提示",
        "approved 2026-03-01 10:00, refunded 2026-03-02 10:01 → fires",
        case={
            "case_type": "refund_only",
            "decision": "approved",
            "applied_at": "2026-03-01 09:00:00",
            "decided_at": "2026-03-01 10:00:00",
            "refunded_at": "2026-03-02 10:01:00",
        },
    ),
    example_passes=Example(
        "2026-03-01 10:00 同意，2026-03-02 10:00 退款 → 不提示",
        "approved 2026-03-01 10:00, refunded 2026-03-02 10:00 → does not fire",
        case={
            "case_type": "refund_only",
            "decision": "approved",
            "applied_at": "2026-03-01 09:00:00",
            "decided_at": "2026-03-01 10:00:00",
            "refunded_at": "2026-03-02 10:00:00",
        },
    ),
    action_zh=_ACTION_REFUND_ZH,
    action_en=_ACTION_REFUND_EN,
)

D006 = Rule(
    id="D006",
    check=check_d006,
    name="deadlines.exchange_shipment",
    layer="service",
    severity="warning",
    title_zh="换货发出超时",
    title_en="Exchange shipped late",
    basis="平台标准：收到退回商品后24小时内发出换货",
    basis_en="platform standard: ship the exchange within 24 hours of receiving the returned goods",
    params=("exchange_ship_limit",),
    message_zh="收到退回商品后{limit}内应发出换货（截至 {due}），{actual_text}",
    message_en="the exchange was due to ship within {limit} of receiving the return (by {due}); {actual_text}",
    doc=(
        "An approved exchange with return_received_at: exchange_shipped_at later than 24 hours "
        "after return_received_at."
    ),
    doc_zh="已同意的换货且有卖家收货时间：换货发出时间晚于收货后24小时。",
    example_fires=Example(
        "2026-03-05 10:00 收货，2026-03-06 10:01 发出 → 提示",
        "received 2026-03-05 10:00, shipped 2026-03-06 10:01 → fires",
        case={
            "case_type": "exchange",
            "decision": "approved",
            "return_received_at": "2026-03-05 10:00:00",
            "exchange_shipped_at": "2026-03-06 10:01:00",
        },
    ),
    example_passes=Example(
        "2026-03-05 10:00 收货，2026-03-06 10:00 发出 → 不提示",
        "received 2026-03-05 10:00, shipped 2026-03-06 10:00 → does not fire",
        case={
            "case_type": "exchange",
            "decision": "approved",
            "return_received_at": "2026-03-05 10:00:00",
            "exchange_shipped_at": "2026-03-06 10:00:00",
        },
    ),
    action_zh="发出换货商品",
    action_en="ship the exchange",
)

D007 = Rule(
    id="D007",
    check=check_d007,
    name="deadlines.repair",
    layer="law",
    severity="error",
    title_zh="维修超过30日",
    title_en="Repair took more than 30 days",
    basis="《部分商品修理更换退货责任规定》（三包）：修理时间超过30日",
    basis_en=(
        "Provisions on Repair, Replacement and Return of Certain Goods (the 'three "
        "guarantees'): a repair taking more than 30 days"
    ),
    params=("repair_limit",),
    message_zh="收到送修商品后{limit}内应修复（截至 {due}），{actual_text}",
    message_en="the repair was due within {limit} of receiving the item (by {due}); {actual_text}",
    doc=(
        "An approved repair with return_received_at: repair_completed_at later than 30 calendar "
        "days after return_received_at."
    ),
    doc_zh="已同意的维修且有卖家收货时间：维修完成时间晚于收货后30个自然日。",
    example_fires=Example(
        "2026-03-01 收货，2026-04-01 修复（第31天）→ 违规",
        "received 2026-03-01, repaired 2026-04-01 (day 31) → fires",
        case={
            "case_type": "repair",
            "decision": "approved",
            "return_received_at": "2026-03-01 10:00:00",
            "repair_completed_at": "2026-04-01 09:00:00",
        },
    ),
    example_passes=Example(
        "2026-03-01 收货，2026-03-31 修复（第30天）→ 不违规",
        "received 2026-03-01, repaired 2026-03-31 (day 30) → does not fire",
        case={
            "case_type": "repair",
            "decision": "approved",
            "return_received_at": "2026-03-01 10:00:00",
            "repair_completed_at": "2026-03-31 23:00:00",
        },
    ),
    in_force_from=date(1995, 8, 25),
    action_zh="完成维修",
    action_en="complete the repair",
)

D008 = Rule(
    id="D008",
    check=check_d008,
    name="deadlines.return_handling",
    layer="service",
    severity="warning",
    title_zh="退换货处理超过72小时",
    title_en="Return/exchange handled later than 72 hours",
    basis="平台标准：收到退回商品后72小时内完成退款或换货发出",
    basis_en=(
        "platform standard: refund or ship the exchange within 72 hours of receiving the "
        "returned goods"
    ),
    params=("return_handling_limit",),
    message_zh="收到退回商品后{limit}内应完成退款或换货发出（截至 {due}），{actual_text}",
    message_en="the refund or exchange shipment was due within {limit} of receiving the return (by {due}); {actual_text}",
    doc=(
        "An approved return_refund or exchange with return_received_at: the refund "
        "(return_refund) or exchange shipment (exchange) later than 72 hours after "
        "return_received_at."
    ),
    doc_zh="已同意的退货退款或换货且有卖家收货时间：退款（退货退款）或换货发出（换货）晚于收货后72小时。",
    example_fires=Example(
        "2026-03-05 10:00 收货，2026-03-08 10:01 退款 → 提示",
        "received 2026-03-05 10:00, refunded 2026-03-08 10:01 → fires",
        case={
            "case_type": "return_refund",
            "decision": "approved",
            "return_received_at": "2026-03-05 10:00:00",
            "refunded_at": "2026-03-08 10:01:00",
        },
    ),
    example_passes=Example(
        "2026-03-05 10:00 收货，2026-03-08 10:00 退款 → 不提示",
        "received 2026-03-05 10:00, refunded 2026-03-08 10:00 → does not fire",
        case={
            "case_type": "return_refund",
            "decision": "approved",
            "return_received_at": "2026-03-05 10:00:00",
            "refunded_at": "2026-03-08 10:00:00",
        },
    ),
    action_zh="完成退款或发出换货",
    action_en="refund or ship the exchange",
)

D009 = Rule(
    id="D009",
    check=check_d009,
    name="deadlines.complaint",
    layer="service",
    severity="warning",
    title_zh="投诉处理超过24小时",
    title_en="Complaint closed later than 24 hours",
    basis="平台标准：投诉24小时内处理完结",
    basis_en="platform standard: close a complaint within 24 hours",
    params=("complaint_limit",),
    message_zh="投诉应在申请后{limit}内处理完结（截至 {due}），{actual_text}",
    message_en="the complaint was due to close within {limit} (by {due}); {actual_text}",
    doc="A complaint: closed_at later than 24 hours after applied_at.",
    doc_zh="投诉：完结时间晚于申请后24小时。",
    example_fires=Example(
        "2026-03-01 10:00 投诉，2026-03-02 10:01 完结 → 提示",
        "complaint 2026-03-01 10:00, closed 2026-03-02 10:01 → fires",
        case={
            "case_type": "complaint",
            "applied_at": "2026-03-01 10:00:00",
            "closed_at": "2026-03-02 10:01:00",
            "status": "closed",
        },
    ),
    example_passes=Example(
        "2026-03-01 10:00 投诉，2026-03-02 10:00 完结 → 不提示",
        "complaint 2026-03-01 10:00, closed 2026-03-02 10:00 → does not fire",
        case={
            "case_type": "complaint",
            "applied_at": "2026-03-01 10:00:00",
            "closed_at": "2026-03-02 10:00:00",
            "status": "closed",
        },
    ),
    action_zh="处理并完结投诉",
    action_en="resolve and close the complaint",
)

D010 = Rule(
    id="D010",
    check=check_d010,
    name="deadlines.shipping",
    layer="service",
    severity="warning",
    title_zh="付款后超过48小时发货",
    title_en="Shipped later than 48 hours after payment",
    basis="平台标准：付款后48小时内发货（订单有承诺发货时长时从其承诺）",
    basis_en=(
        "platform standard: ship within 48 hours of payment (or within the order's "
        "promised shipping time)"
    ),
    params=("ship_limit",),
    message_zh="付款后{limit}内应发货（截至 {due}），{actual_text}",
    message_en="shipment was due within {limit} of payment (by {due}); {actual_text}",
    doc=(
        "Every order of the orders export with shipped_at: shipped_at later than 48 hours after "
        "paid_at (promised_ship_hours instead when the order carries it). One finding per order; "
        "the policy version is chosen by paid_at."
    ),
    doc_zh="订单导出中有发货时间的订单：发货时间晚于付款后48小时（订单有承诺发货时长时按承诺）。按订单计一条，政策版本按付款时间选择。",
    example_fires=Example(
        "2026-03-01 10:00 付款，2026-03-03 10:01 发货 → 提示",
        "paid 2026-03-01 10:00, shipped 2026-03-03 10:01 → fires",
        order={
            "order_id": "O1",
            "paid_at": "2026-03-01 10:00:00",
            "shipped_at": "2026-03-03 10:01:00",
        },
    ),
    example_passes=Example(
        "2026-03-01 10:00 付款，2026-03-03 10:00 发货 → 不提示",
        "paid 2026-03-01 10:00, shipped 2026-03-03 10:00 → does not fire",
        order={
            "order_id": "O1",
            "paid_at": "2026-03-01 10:00:00",
            "shipped_at": "2026-03-03 10:00:00",
        },
    ),
    scope="order",
)

D011 = Rule(
    id="D011",
    check=check_d011,
    name="deadlines.refund_after_return_penalty",
    layer="law",
    severity="critical",
    title_zh="无理由退货收货后超过15日未退款（处罚线）",
    title_en="No-reason refund later than 15 days after the return arrived (penalty line)",
    basis="《网络购买商品七日无理由退货暂行办法》第31条第(三)项；《消费者权益保护法》第56条",
    basis_en=(
        "Interim Measures for Seven-Day No-Reason Returns of Online Purchases Art. 31 item "
        "(3); Consumer Rights Protection Law Art. 56"
    ),
    params=("refund_after_return_penalty",),
    message_zh="法定无理由退货，收到退货后超过{limit}仍未退款即构成行政处罚情形（截至 {due}），{actual_text}",
    message_en="statutory no-reason return: a refund later than {limit} after receiving the return is a penalty case (due {due}); {actual_text}",
    doc=(
        "As D003, with 15 calendar days: the administrative-penalty line of the Interim Measures "
        "Art. 31(3)."
    ),
    doc_zh=_STATUTORY_ZH + "已同意且有卖家收货时间：退款时间晚于收货后15个自然日（行政处罚线）。",
    example_fires=Example(
        "2026-03-05 收到退货，2026-03-21 退款（第16天）→ 严重",
        "return received 2026-03-05, refunded 2026-03-21 (day 16) → fires",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-02 10:00:00",
            "return_received_at": "2026-03-05 10:00:00",
            "refunded_at": "2026-03-21 08:00:00",
        },
    ),
    example_passes=Example(
        "2026-03-05 收到退货，2026-03-20 23:00 退款（第15天）→ 不违规",
        "return received 2026-03-05, refunded 2026-03-20 23:00 (day 15) → does not fire",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-02 10:00:00",
            "return_received_at": "2026-03-05 10:00:00",
            "refunded_at": "2026-03-20 23:00:00",
        },
    ),
    in_force_from=date(2017, 3, 15),
    action_zh=_ACTION_REFUND_ZH,
    action_en=_ACTION_REFUND_EN,
)

D012 = Rule(
    id="D012",
    check=check_d012,
    name="deadlines.no_reason_decision_penalty",
    layer="law",
    severity="critical",
    title_zh="无理由退货申请超过15日未处理（处罚线）",
    title_en="No-reason return undecided for more than 15 days (penalty line)",
    basis="《网络购买商品七日无理由退货暂行办法》第31条第(二)项；《消费者权益保护法》第56条",
    basis_en=(
        "Interim Measures for Seven-Day No-Reason Returns of Online Purchases Art. 31 item "
        "(2); Consumer Rights Protection Law Art. 56"
    ),
    params=("decision_limit_penalty",),
    message_zh="法定无理由退货申请应在{limit}内处理（截至 {due}），{actual_text}",
    message_en="a statutory no-reason return must be handled within {limit} (by {due}); {actual_text}",
    doc=(
        "A statutory no-reason return with no decision (decided_at) within 15 calendar days "
        "after applied_at. Not judged when decided_at is blank but a decision is recorded."
    ),
    doc_zh=_STATUTORY_ZH
    + "：申请后15个自然日内无审核（审核时间）。有审核结果但审核时间为空时不判定。",
    example_fires=Example(
        "2026-03-02 申请，2026-03-18 审核（第16天）→ 严重",
        "applied 2026-03-02, decided 2026-03-18 (day 16) → fires",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-02 10:00:00",
            "decided_at": "2026-03-18 09:00:00",
        },
    ),
    example_passes=Example(
        "2026-03-02 申请，2026-03-17 审核（第15天）→ 不违规",
        "applied 2026-03-02, decided 2026-03-17 (day 15) → does not fire",
        case={
            "reason_class": "no_reason",
            "case_type": "return_refund",
            "decision": "approved",
            "category": "服装",
            "signed_at": "2026-03-01 10:00:00",
            "applied_at": "2026-03-02 10:00:00",
            "decided_at": "2026-03-17 09:00:00",
        },
    ),
    in_force_from=date(2017, 3, 15),
    action_zh="处理无理由退货申请",
    action_en="handle the no-reason return",
)
