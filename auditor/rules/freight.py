"""Who pays the return freight. C001."""

from __future__ import annotations

from datetime import date

from auditor.rules import terms as t
from auditor.rules.base import Example, Rule, RuleEnv, Verdict


def check_c001(env: RuleEnv) -> Verdict:
    """Approved seller-fault return/exchange/repair where the buyer pays the freight.
    ``insurance`` (运费险) and ``platform`` are not the buyer paying."""
    return t.condition_verdict(
        env,
        scope=t.all_of(
            t.is_in(env, "reason_class", t.seller_fault_reasons(env)),
            t.is_in(env, "case_type", ("return_refund", "exchange", "repair")),
            t.equals(env, "decision", "approved"),
        ),
        fires=t.equals(env, "freight_payer", "buyer"),
        needs=("reason_class", "case_type", "decision", "freight_payer"),
    )


C001 = Rule(
    id="C001",
    check=check_c001,
    name="freight.buyer_pays_seller_fault",
    layer="law",
    severity="error",
    title_zh="商家责任的退换修由买家承担运费",
    title_en="Buyer pays freight on a seller-fault return, exchange or repair",
    basis="《消费者权益保护法》第24条第2款（经营者应当承担运输等必要费用）",
    basis_en=(
        "Consumer Rights Protection Law Art. 24 para. 2 (the business bears transport and "
        "other necessary costs)"
    ),
    params=("freight_by_reason",),
    message_zh="商家责任原因（{reason_class}）的{case_type}已同意，运费却由买家承担",
    message_en="approved {case_type} for a seller-fault reason ({reason_class}), yet the buyer pays the freight",
    doc=(
        "An approved return_refund, exchange or repair for a seller-fault reason (quality, "
        "not_as_described, wrong_item, damaged_in_transit) with freight_payer = buyer. Freight "
        "insurance (运费险) and the platform paying are not the buyer paying."
    ),
    doc_zh="商家责任原因（质量问题、描述不符、发错/漏发、运输破损）的退货、换货或维修已同意，运费承担方却为买家（运费险、平台承担不算买家承担）。",
    example_fires=Example(
        "质量问题退货退款，已同意，运费承担方=买家 → 违规",
        "quality return_refund, approved, freight_payer=buyer → fires",
        case={
            "reason_class": "quality",
            "case_type": "return_refund",
            "decision": "approved",
            "freight_payer": "buyer",
        },
    ),
    example_passes=Example(
        "同上但运费承担方=运费险 → 不违规",
        "the same with freight_payer=insurance → does not fire",
        case={
            "reason_class": "quality",
            "case_type": "return_refund",
            "decision": "approved",
            "freight_payer": "insurance",
        },
    ),
    in_force_from=date(2014, 3, 15),
)
