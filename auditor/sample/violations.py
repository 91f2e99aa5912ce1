"""The kinds of rule breach the generator plants (SPEC 6.3), and which layouts can show them.

A kind is planted only when the target layout (plus the orders join, when orders are
written) carries the fields its rule needs; otherwise the auditor could not see it and the
violation rate would not be honoured. ``rules`` lists every rule the planted case is
expected to fire (a late refund after a return breaks D004 and D008 at once).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    id: str
    rules: tuple[str, ...]
    weight: float
    needs: frozenset[str]
    case_type: str | None  # the case type the kind forces (None: order-level)
    order_level: bool = False


def _k(
    id: str, rules: str, weight: float, needs: str, case_type: str | None, order_level=False
) -> Kind:
    return Kind(id, tuple(rules.split()), weight, frozenset(needs.split()), case_type, order_level)


KINDS: tuple[Kind, ...] = (
    _k("late_response", "D001", 0.18, "first_response_at decided_at", "return_refund"),
    _k("late_decision", "D002", 0.08, "decided_at", "return_refund"),
    _k("late_refund_return", "D004 D008", 0.09, "return_received_at refunded_at", "return_refund"),
    _k(
        "late_refund_statutory",
        "D003 D004 D008",
        0.03,
        "return_received_at refunded_at signed_at category",
        "return_refund",
    ),
    _k("late_refund_only", "D005", 0.07, "decided_at refunded_at", "refund_only"),
    _k("late_exchange", "D006", 0.03, "return_received_at exchange_shipped_at", "exchange"),
    _k("late_repair", "D007", 0.015, "return_received_at repair_completed_at", "repair"),
    _k("late_complaint", "D009", 0.025, "closed_at", "complaint"),
    _k("rejected_no_reason", "W001", 0.06, "signed_at category decision", "return_refund"),
    _k(
        "unconfirmed_exclusion",
        "X001",
        0.02,
        "signed_at category decision exclusion_confirmed",
        "return_refund",
    ),
    _k("courtesy_return", "W002", 0.04, "signed_at decision", "return_refund"),
    _k("rejected_fault_evidence", "W003", 0.03, "signed_at evidence decision", "return_refund"),
    _k("rejected_repair_warranty", "W004", 0.01, "signed_at decision", "repair"),
    _k("buyer_freight", "C001", 0.05, "freight_payer decision", "return_refund"),
    _k("short_refund", "A002", 0.05, "paid_amount refund_amount refunded_at", "return_refund"),
    _k("over_refund", "A001", 0.01, "paid_amount refund_amount", "refund_only"),
    _k("double_refund", "A003", 0.02, "refund_amount refunded_at orders", "refund_only"),
    _k("missing_evidence", "E001", 0.05, "evidence decision", "return_refund"),
    _k("missing_reject_reason", "E002", 0.05, "reject_reason decision", "refund_only"),
    _k(
        "no_decision_statutory", "D012 D002", 0.01, "signed_at category decided_at", "return_refund"
    ),
    _k("late_shipping", "D010", 0.08, "orders_shipped_at", None, order_level=True),
)
KIND = {k.id: k for k in KINDS}


def applicable(fields: frozenset[str], case_types: tuple[str, ...]) -> list[Kind]:
    """The kinds a layout with `fields` (incl. pseudo-fields 'orders', 'orders_shipped_at') shows."""
    chosen = []
    for kind in KINDS:
        if not kind.needs <= fields:
            continue
        if kind.case_type is not None and kind.case_type not in case_types:
            continue
        chosen.append(kind)
    return chosen
