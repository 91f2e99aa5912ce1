"""Canonical synthetic cases and orders for one month, column-wise with numpy.

Every case is first drawn *clean* (it breaks no rule of SPEC 6.3), then a share of the
cases (``violation_rate``) is reshaped into one planted breach each (see violations.py),
and finally every time after the export moment is blanked: cases still running are
``open``, exactly as a real export taken a few days after the month's end. No loop runs
over rows; the few loops here run over case types, shops, reason classes or kinds.

Times are handled as float seconds since 1970 (naive Beijing time), NaN for blank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from auditor.model.fields import CASE_FIELDS, CASE_TYPES, REASON_CLASSES
from auditor.sample import vocab
from auditor.sample.violations import Kind, applicable
from auditor.sample.workdays import due_end_working_days

HOUR = 3600.0
DAY = 86400.0
_EPOCH = dt.datetime(1970, 1, 1)

RR, RO, EX, RP, CP, OT = (CASE_TYPES.index(t) for t in CASE_TYPES)
NR, QU, NAD, WI, DIT, NRC, BD, OTH = range(len(REASON_CLASSES))
ODD = len(REASON_CLASSES)  # drawn like a class, stored as "other" with an unclassified text
SELLER_FAULT = (QU, NAD, WI, DIT)
PROOF_NEEDED = (QU, NAD)

APPROVED, REJECTED, PENDING, UNKNOWN = 0, 1, 2, 3
DECISION_NAMES = ("approved", "rejected", "pending", "unknown")

CASE_TYPE_WEIGHTS = {
    "return_refund": 0.45,
    "refund_only": 0.28,
    "exchange": 0.10,
    "repair": 0.05,
    "complaint": 0.06,
    "other": 0.06,
}
# Reason classes (NR QU NAD WI DIT NRC BD OTH ODD) by case type.
REASON_WEIGHTS = {
    RR: (0.55, 0.15, 0.10, 0.04, 0.06, 0.0, 0.02, 0.03, 0.05),
    RO: (0.25, 0.08, 0.05, 0.15, 0.10, 0.25, 0.0, 0.07, 0.05),
    EX: (0.55, 0.20, 0.10, 0.10, 0.0, 0.0, 0.0, 0.0, 0.05),
    RP: (0.0, 0.85, 0.0, 0.0, 0.0, 0.0, 0.12, 0.0, 0.03),
    CP: (0.0, 0.25, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5),
    OT: (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.9, 0.1),
}
SHOP_WEIGHTS = (0.45, 0.25, 0.15, 0.10, 0.05)
PROMISED_SHIP_HOURS = (48, 24, 48, 48, 24)  # per shop
# The export is taken on the 6th of the next month, 09:00: late enough that a repair received
# in the month's first days is past its 30-day limit even in February.
EXPORT_DELAY = 5 * DAY + 9 * HOUR

# Days before the month's end by which a planted case must have been applied, so that
# its deadline has passed (and mostly its late completion happened) before the export.
LEAD_DAYS = {
    "late_response": 4,
    "late_decision": 10,
    "late_refund_return": 18,
    "late_refund_statutory": 24,
    "late_refund_only": 6,
    "late_exchange": 12,
    "late_complaint": 4,
    "courtesy_return": 12,
    "buyer_freight": 12,
    "short_refund": 12,
    "double_refund": 6,
}
DEFAULT_LEAD_DAYS = 3
EARLY_KINDS = {"late_repair": 1, "no_decision_statutory": 10}  # applied in the first N days


@dataclass(frozen=True)
class GenerateSpec:
    cases: int
    month: str = "2026-03"
    violation_rate: float = 0.1
    seed: int = 0
    shops: int = 3
    case_types: tuple[str, ...] = CASE_TYPES
    # Canonical fields the target layout shows (plus 'orders' / 'orders_shipped_at' when an
    # orders export is written): decides which violations can be planted.
    fields: frozenset[str] = frozenset(
        [f.name for f in CASE_FIELDS] + ["orders", "orders_shipped_at"]
    )
    orders: bool = True
    orders_per_case: float = 2.0


@dataclass
class Synthetic:
    cases: pl.DataFrame  # canonical case columns + "_violation" (kind id or null)
    orders: pl.DataFrame  # one row per order line, canonical order columns + "_violation"
    export_at: dt.datetime
    planted: dict[str, int] = field(default_factory=dict)


def month_bounds(month: str) -> tuple[float, float]:
    year, mon = (int(part) for part in month.split("-"))
    start = dt.datetime(year, mon, 1)
    end = dt.datetime(year + mon // 12, mon % 12 + 1, 1)
    return (start - _EPOCH).total_seconds(), (end - _EPOCH).total_seconds()


class _Draw:
    """The seeded random source, with the few shapes the generator needs."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def uniform(self, low: float, high: float, size: int) -> np.ndarray:
        return self.rng.uniform(low, high, size)

    def chance(self, p: float, size: int) -> np.ndarray:
        return self.rng.random(size) < p

    def pick(self, options: int, size: int, weights=None) -> np.ndarray:
        if weights is not None:
            w = np.asarray(weights, dtype=float)
            weights = w / w.sum()
        return self.rng.choice(options, size=size, p=weights)


# -- catalogue ----------------------------------------------------------------------------
def _contains_any(text: str, keywords: tuple[str, ...]) -> bool:
    return any(k in text for k in keywords)


ITEM_EXCLUDED = np.array(
    [_contains_any(i.category, vocab.EXCLUSION_KEYWORDS) for i in vocab.CATALOGUE]
)
ITEM_CONFIRM = np.array(
    [
        _contains_any(i.category, vocab.CONFIRM_KEYWORDS) and not ITEM_EXCLUDED[n]
        for n, i in enumerate(vocab.CATALOGUE)
    ]
)
ITEM_PLAIN = ~ITEM_EXCLUDED & ~ITEM_CONFIRM
ITEM_DURABLE = np.array([i.durable for i in vocab.CATALOGUE])
ITEM_PRICE = np.array([i.price for i in vocab.CATALOGUE])
ITEM_SHOP = np.array([i.shop for i in vocab.CATALOGUE])


def _pick_items(draw: _Draw, shop: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """An item of each row's shop among `allowed` items (shop 0 when its shop has none)."""
    item = np.zeros(shop.size, dtype=np.int64)
    for s in np.unique(shop):
        rows = np.flatnonzero(shop == s)
        candidates = np.flatnonzero((s == ITEM_SHOP) & allowed)
        if candidates.size == 0:
            candidates = np.flatnonzero((ITEM_SHOP == 0) & allowed)
            shop[rows] = 0
        item[rows] = candidates[draw.pick(candidates.size, rows.size)]
    return item


# -- the generator -------------------------------------------------------------------------
class _Month:
    """Column arrays of one synthetic month; methods fill them in pipeline order."""

    def __init__(self, spec: GenerateSpec) -> None:
        self.spec = spec
        self.draw = _Draw(spec.seed)
        self.n = spec.cases
        self.m0, self.m1 = month_bounds(spec.month)
        self.export_at = self.m1 + EXPORT_DELAY
        self.n_shops = max(1, min(spec.shops, len(vocab.SHOPS)))
        self.kinds: list[Kind] = applicable(spec.fields, spec.case_types)

    # 1. what each case is about ------------------------------------------------------------
    def draw_cases(self) -> None:
        n, draw = self.n, self.draw
        self.shop = draw.pick(self.n_shops, n, SHOP_WEIGHTS[: self.n_shops])
        self.item = _pick_items(draw, self.shop, np.ones(len(vocab.CATALOGUE), dtype=bool))
        allowed = [CASE_TYPES.index(t) for t in self.spec.case_types]
        weights = [CASE_TYPE_WEIGHTS[CASE_TYPES[t]] for t in allowed]
        self.ctype = np.asarray(allowed)[draw.pick(len(allowed), n, weights)]
        fallback = next((t for t in (EX, RR, RO) if t in allowed), allowed[0])
        self.ctype[(self.ctype == RP) & ~ITEM_DURABLE[self.item]] = fallback
        self.rclass = np.zeros(n, dtype=np.int64)
        for ctype, weights in REASON_WEIGHTS.items():
            rows = np.flatnonzero(self.ctype == ctype)
            self.rclass[rows] = draw.pick(len(weights), rows.size, weights)
        self.cancelled = draw.chance(0.04, n) & (self.ctype != CP)
        self.evidence = np.where(
            np.isin(self.rclass, SELLER_FAULT), draw.chance(0.85, n), draw.chance(0.15, n)
        )
        self.confirmed = ITEM_CONFIRM[self.item] & draw.chance(0.6, n)
        # no-reason returns mostly inside the 7-day window; the rest come late
        self.in_window = draw.chance(0.9, n)
        self.violation = np.full(n, -1, dtype=np.int64)
        self.partner = np.full(n, -1, dtype=np.int64)

    # 2. plant the violations -------------------------------------------------------------
    def plant(self) -> None:
        n, draw = self.n, self.draw
        case_kinds = [k for k in self.kinds if not k.order_level]
        budget = round(self.spec.violation_rate * n)
        order_kind = next((k for k in self.kinds if k.order_level), None)
        self.order_violations = 0
        if order_kind is not None and self.spec.orders:
            total = sum(k.weight for k in self.kinds)
            self.order_violations = round(budget * order_kind.weight / total)
        n_case = min(budget - self.order_violations, n // 2)
        if not case_kinds or n_case <= 0:
            return
        rows = draw.rng.choice(n, size=n_case, replace=False)
        chosen = draw.pick(len(case_kinds), n_case, [k.weight for k in case_kinds])
        self.kind_ids = [k.id for k in case_kinds]
        self.violation[rows] = chosen
        for index, kind in enumerate(case_kinds):
            self._shape(kind, np.flatnonzero(self.violation == index))

    def _shape(self, kind: Kind, rows: np.ndarray) -> None:
        """Force the case shape the kind needs (clean apart from the planted breach)."""
        if rows.size == 0:
            return
        self.ctype[rows] = CASE_TYPES.index(kind.case_type)
        self.cancelled[rows] = False
        self.evidence[rows] = True
        self.in_window[rows] = True
        forced = {
            "late_response": (NR, ITEM_PLAIN),
            "late_decision": (NR, ITEM_PLAIN),
            "late_refund_return": (QU, None),
            "late_refund_statutory": (NR, ITEM_PLAIN),
            "late_refund_only": (WI, None),
            "late_exchange": (NR, None),
            "late_repair": (QU, ITEM_DURABLE),
            "late_complaint": (ODD, None),
            "rejected_no_reason": (NR, ITEM_PLAIN),
            "unconfirmed_exclusion": (NR, ITEM_CONFIRM),
            "courtesy_return": (NR, ITEM_PLAIN),
            "rejected_fault_evidence": (QU, None),
            "rejected_repair_warranty": (QU, ITEM_DURABLE),
            "buyer_freight": (QU, None),
            "short_refund": (QU, None),
            "over_refund": (WI, None),
            "double_refund": (WI, None),
            "missing_evidence": (QU, None),
            "missing_reject_reason": (NRC, None),
            "no_decision_statutory": (NR, ITEM_PLAIN),
        }[kind.id]
        self.rclass[rows] = forced[0]
        if forced[1] is not None:
            self.item[rows] = _pick_items(self.draw, self.shop[rows], forced[1])
            self.shop[rows] = ITEM_SHOP[self.item[rows]]
        if kind.id == "unconfirmed_exclusion":
            self.confirmed[rows] = False
        if kind.id == "courtesy_return":
            self.in_window[rows] = False
        if kind.id in ("missing_evidence",):
            self.evidence[rows] = False
        if kind.id == "double_refund":
            clean = np.flatnonzero(self.violation == -1)
            clean = clean[~np.isin(clean, rows)]
            partners = self.draw.rng.choice(clean, size=min(rows.size, clean.size), replace=False)
            self.violation[rows[partners.size :]] = -1  # too few clean cases to pair with
            rows = rows[: partners.size]
            self.partner[rows] = partners
            self.violation[partners] = self.kind_ids.index("double_refund")
            self.ctype[partners] = RO
            self.rclass[partners] = WI
            self.cancelled[partners] = False
            self.evidence[partners] = True
            self.shop[rows] = self.shop[partners]
            self.item[rows] = self.item[partners]

    def _kind_rows(self, kind_id: str) -> np.ndarray:
        if kind_id not in getattr(self, "kind_ids", []):
            return np.empty(0, dtype=np.int64)
        rows = np.flatnonzero(self.violation == self.kind_ids.index(kind_id))
        if kind_id == "double_refund":
            rows = rows[self.partner[rows] >= 0]  # the second refund; partners are the first
        return rows

    # 3. the timeline up to the application ---------------------------------------------------
    def draw_purchase(self) -> None:
        n, draw = self.n, self.draw
        self.applied = self.m0 + draw.uniform(0, 1, n) * (self.m1 - self.m0)
        for kind_id in getattr(self, "kind_ids", []):
            rows = np.flatnonzero(self.violation == self.kind_ids.index(kind_id))
            if kind_id in EARLY_KINDS:
                span = EARLY_KINDS[kind_id] * DAY
                self.applied[rows] = self.m0 + draw.uniform(0, span, rows.size)
            else:
                span = max(self.m1 - LEAD_DAYS.get(kind_id, DEFAULT_LEAD_DAYS) * DAY - self.m0, DAY)
                self.applied[rows] = self.m0 + draw.uniform(0, span, rows.size)
        gap = np.select(
            [
                self.rclass == NR,
                np.isin(self.rclass, SELLER_FAULT),
                self.ctype == RP,
            ],
            [
                np.where(self.in_window, draw.uniform(0.05, 6.8, n), draw.uniform(8.5, 25, n)),
                draw.uniform(0.05, 6.5, n),
                draw.uniform(30, 300, n),
            ],
            draw.uniform(0.5, 15, n),
        )
        gap = np.where(self.ctype == RP, draw.uniform(30, 300, n), gap)
        rejected_repair = self._kind_rows("rejected_repair_warranty")
        gap[rejected_repair] = draw.uniform(60, 300, rejected_repair.size)
        promise = np.asarray(PROMISED_SHIP_HOURS)[self.shop] * HOUR
        ship_delay = draw.uniform(0.3, 1, n) * (promise - 4 * HOUR)
        transit = draw.uniform(20, 96, n) * HOUR
        self.signed = self.applied - gap * DAY
        self.shipped = self.signed - transit
        # Refund before shipping (不想要了 on an unshipped order) and goods lost in transit.
        unshipped = (self.ctype == RO) & (self.rclass == NR)
        in_transit = self.rclass == NRC
        self.shipped = np.where(
            in_transit, self.applied - draw.uniform(3, 7, n) * DAY, self.shipped
        )
        self.paid = self.shipped - ship_delay
        self.paid = np.where(unshipped, self.applied - draw.uniform(0.1, 20, n) * HOUR, self.paid)
        self.signed[unshipped | in_transit] = np.nan
        self.shipped[unshipped] = np.nan
        self.ordered = self.paid - draw.uniform(10, 1800, n)
        self.promise = promise / HOUR
        qty = np.where(draw.chance(0.15, n), 2, 1)
        discount = np.asarray([1.0, 0.95, 0.9, 0.85, 0.8])[draw.pick(5, n)]
        self.paid_amount = np.round(ITEM_PRICE[self.item] * qty * discount, 2)
        self._share_lines()

    def _share_lines(self) -> None:
        """double_refund: the second case is on its partner's order line (refunded twice)."""
        rows = self._kind_rows("double_refund")
        partners = self.partner[rows]
        self.line = np.arange(self.n)
        self.line[rows] = partners
        for name in ("signed", "shipped", "paid", "ordered", "paid_amount", "promise"):
            getattr(self, name)[rows] = getattr(self, name)[partners]
        self.applied[rows] = self.applied[partners] + self.draw.uniform(1, 48, rows.size) * HOUR

    # 4. the decision ------------------------------------------------------------------------
    def decide(self) -> None:
        n, draw = self.n, self.draw
        rc, ct = self.rclass, self.ctype
        excluded = ITEM_EXCLUDED[self.item]
        confirm_ok = ITEM_CONFIRM[self.item] & self.confirmed
        nr_return = (rc == NR) & (ct == RR)
        fault = np.isin(rc, SELLER_FAULT)
        # Rejections the law allows, with the shop's reason (index into REJECT_REASONS_VALID).
        reasons = list(vocab.REJECT_REASONS_VALID)
        conditions = [
            (nr_return & ~self.in_window, 1.0, "out_of_window"),
            (nr_return & self.in_window & excluded, 0.7, "excluded"),
            (nr_return & self.in_window & confirm_ok, 0.5, "confirmed"),
            (fault & ~self.evidence & (ct != RP), 0.5, "no_evidence"),
            ((rc == BD), 0.8, "buyer_damage"),
            ((rc == NRC), 0.15, "delivered"),
            ((rc == ODD) & (ct != CP), 0.1, "no_evidence"),
            ((rc == OTH), 0.05, "no_evidence"),
        ]
        self.decision = np.full(n, APPROVED, dtype=np.int64)
        self.reject_code = np.full(n, -1, dtype=np.int64)
        for mask, p, code in reversed(conditions):  # the first matching condition wins
            hit = mask & draw.chance(p, n)
            self.decision[hit] = REJECTED
            self.reject_code[hit] = reasons.index(code)
        late_return = nr_return & ~self.in_window  # W002 would fire on an approval
        self.decision[late_return] = REJECTED
        self.reject_code[late_return] = reasons.index("out_of_window")
        self.decision[ct == CP] = UNKNOWN
        self.decision[self.cancelled] = UNKNOWN
        self.reject_text_invalid = np.full(n, -1, dtype=np.int64)
        for kind_id, text in (
            ("rejected_no_reason", 0),
            ("unconfirmed_exclusion", 1),
            ("rejected_fault_evidence", 2),
            ("rejected_repair_warranty", 3),
            ("missing_reject_reason", -2),
        ):
            rows = self._kind_rows(kind_id)
            self.decision[rows] = REJECTED
            self.reject_code[rows] = -1
            self.reject_text_invalid[rows] = text
        approved_kinds = [
            k
            for k in getattr(self, "kind_ids", [])
            if k
            not in (
                "rejected_no_reason",
                "unconfirmed_exclusion",
                "rejected_fault_evidence",
                "rejected_repair_warranty",
                "missing_reject_reason",
                "late_complaint",
            )
        ]
        for kind_id in approved_kinds:
            self.decision[self._kind_rows(kind_id)] = APPROVED
        self.decision[self.partner[self.partner >= 0]] = APPROVED
        # E001 is about approvals without proof: a clean approval has its proof.
        proof = np.isin(rc, PROOF_NEEDED) & (self.decision == APPROVED)
        self.evidence[proof] = True
        self.evidence[self._kind_rows("missing_evidence")] = False

    def money(self) -> None:
        n, draw = self.n, self.draw
        ct, rc = self.ctype, self.rclass
        fault = np.isin(rc, SELLER_FAULT)
        refund = np.full(n, np.nan)
        full = (ct == RR) | (ct == RO)
        refund[full] = self.paid_amount[full]
        partial = ((ct == RO) & fault & draw.chance(0.3, n)) | (ct == OT)
        share = np.where(ct == OT, draw.uniform(0.05, 0.3, n), draw.uniform(0.2, 0.8, n))
        refund[partial] = np.floor(self.paid_amount[partial] * share[partial] * 100) / 100
        rows = self._kind_rows("short_refund")
        refund[rows] = (
            np.floor(self.paid_amount[rows] * draw.uniform(0.5, 0.95, rows.size) * 100) / 100
        )
        rows = self._kind_rows("over_refund")
        refund[rows] = np.round(self.paid_amount[rows] + draw.uniform(5, 50, rows.size), 2)
        rows = self._kind_rows("double_refund")
        refund[rows] = np.round(self.paid_amount[rows] * draw.uniform(0.3, 1.0, rows.size), 2)
        refund[self.partner[self.partner >= 0]] = self.paid_amount[self.partner[self.partner >= 0]]
        self.refund_amount = refund
        goods_back = (ct == RR) | (ct == EX) | (ct == RP)
        payer = np.full(n, -1, dtype=np.int64)  # index into FREIGHT_PAYERS
        approved_fault = fault & (self.decision == APPROVED)
        fault_payer = np.asarray([1, 3, 2])[draw.pick(3, n, (0.55, 0.35, 0.10))]
        other_payer = np.asarray([0, 3])[draw.pick(2, n, (0.55, 0.45))]
        payer = np.where(goods_back, np.where(approved_fault, fault_payer, other_payer), payer)
        payer[self._kind_rows("buyer_freight")] = 0
        self.freight = payer

    # 5. the timeline after the application ---------------------------------------------------
    def handle(self) -> None:
        n, draw = self.n, self.draw
        nan = np.full(n, np.nan)
        ct, dec = self.ctype, self.decision
        applied = self.applied
        fast = draw.chance(0.5, n)
        resp_delay = np.where(fast, draw.uniform(0.02, 1, n), draw.uniform(1, 20, n)) * HOUR
        decide_after = draw.uniform(0, 2, n) * HOUR
        # Late beyond 48 hours: the longest limit of any platform-standard version (D001, D005).
        rows = self._kind_rows("late_response")
        resp_delay[rows] = draw.uniform(50, 80, rows.size) * HOUR
        self.first_response = applied + resp_delay
        decided = np.minimum(self.first_response + decide_after, applied + 23.5 * HOUR)
        decided = np.maximum(decided, self.first_response)
        rows = self._kind_rows("late_response")
        decided[rows] = self.first_response[rows] + decide_after[rows]
        for kind_id in ("late_decision", "no_decision_statutory"):
            rows = self._kind_rows(kind_id)
            self.first_response[rows] = applied[rows] + draw.uniform(0.3, 6, rows.size) * HOUR
        rows = self._kind_rows("late_decision")
        decided[rows] = (
            due_end_working_days(applied[rows], 1) + draw.uniform(2, 30, rows.size) * HOUR
        )
        decided[self._kind_rows("no_decision_statutory")] = np.nan
        decided[(ct == CP) | self.cancelled] = np.nan
        self.decided = decided

        approved = dec == APPROVED
        goods_back = approved & ((ct == RR) | (ct == EX) | (ct == RP))
        self.return_shipped = np.where(goods_back, decided + draw.uniform(2, 72, n) * HOUR, nan)
        self.return_received = self.return_shipped + draw.uniform(24, 96, n) * HOUR
        # A repair left undone must be past its 30 days at the export: quick hand-over.
        rows = self._kind_rows("late_repair")
        decided[rows] = applied[rows] + draw.uniform(0.5, 3, rows.size) * HOUR
        self.first_response[rows] = decided[rows]
        self.return_shipped[rows] = decided[rows] + draw.uniform(2, 6, rows.size) * HOUR
        self.return_received[rows] = (
            self.return_shipped[rows] + draw.uniform(20, 30, rows.size) * HOUR
        )
        recv = self.return_received
        refunded = nan.copy()
        rr = approved & (ct == RR)
        refunded[rr] = recv[rr] + draw.uniform(0.5, 20, n)[rr] * HOUR
        ro = approved & ((ct == RO) | (ct == OT))
        instant = draw.chance(0.5, n)
        ro_delay = np.where(instant, draw.uniform(5, 60, n), draw.uniform(0.1, 8, n) * HOUR)
        refunded[ro] = decided[ro] + ro_delay[ro]
        rows = self._kind_rows("late_refund_return")
        late = np.maximum(due_end_working_days(recv[rows], 3), recv[rows] + 72 * HOUR)
        refunded[rows] = late + draw.uniform(2, 30, rows.size) * HOUR
        rows = self._kind_rows("late_refund_statutory")
        refunded[rows] = recv[rows] + draw.uniform(8, 13, rows.size) * DAY
        rows = self._kind_rows("late_refund_only")
        refunded[rows] = decided[rows] + draw.uniform(50, 96, rows.size) * HOUR
        self.refunded = refunded

        ex = approved & (ct == EX)
        self.exchange_shipped = np.where(ex, recv + draw.uniform(1, 20, n) * HOUR, nan)
        rows = self._kind_rows("late_exchange")
        self.exchange_shipped[rows] = recv[rows] + draw.uniform(25, 60, rows.size) * HOUR
        rp = approved & (ct == RP)
        self.repair_completed = np.where(rp, recv + draw.uniform(3, 15, n) * DAY, nan)
        rows = self._kind_rows("late_repair")
        self.repair_completed[rows] = recv[rows] + draw.uniform(35, 50, rows.size) * DAY

        closed = nan.copy()
        closed[rr | ro] = refunded[rr | ro]
        closed[ex] = self.exchange_shipped[ex] + draw.uniform(48, 96, n)[ex] * HOUR
        closed[rp] = self.repair_completed[rp] + draw.uniform(24, 72, n)[rp] * HOUR
        closed[dec == REJECTED] = decided[dec == REJECTED]
        complaint = ct == CP
        self.first_response[complaint] = (
            applied[complaint] + draw.uniform(0.05, 2, n)[complaint] * HOUR
        )
        closed[complaint] = applied[complaint] + draw.uniform(1, 20, n)[complaint] * HOUR
        rows = self._kind_rows("late_complaint")
        closed[rows] = applied[rows] + draw.uniform(26, 72, rows.size) * HOUR
        cancel_at = applied + draw.uniform(0.1, 20, n) * HOUR
        closed[self.cancelled] = cancel_at[self.cancelled]
        self.first_response[self.cancelled & (self.first_response > cancel_at)] = np.nan
        self.closed = closed

    # 6. the export moment --------------------------------------------------------------------
    def cut(self) -> None:
        """Blank every time after the export; cases still running become open/pending."""
        for name in (
            "first_response",
            "decided",
            "return_shipped",
            "return_received",
            "refunded",
            "exchange_shipped",
            "repair_completed",
            "closed",
            "shipped",
            "signed",
        ):
            values = getattr(self, name)
            values[values > self.export_at] = np.nan
        undecided = np.isnan(self.decided) & (self.decision != UNKNOWN)
        self.decision[undecided] = PENDING
        self.reject_code[undecided] = -1
        self.reject_text_invalid[undecided] = -1
        self.status = np.where(np.isnan(self.closed), 0, 1)  # open / closed
        self.status[self.cancelled] = 2
        draw = self.draw
        rated = (self.status == 1) & draw.chance(0.6, self.n)
        stars = np.asarray([5, 4, 3, 2, 1])[draw.pick(5, self.n, (0.8, 0.16, 0.02, 0.01, 0.01))]
        self.satisfaction = np.where(rated, stars, -1)
        self.escalated = np.where(
            self.decision == REJECTED, draw.chance(0.2, self.n), draw.chance(0.01, self.n)
        )


def _reorder_by_application(month: _Month) -> None:
    """Put the cases in export order (applied_at), so case ids can grow with it."""
    order = np.argsort(month.applied, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    for name, values in list(vars(month).items()):
        if isinstance(values, np.ndarray) and values.shape == (month.n,):
            setattr(month, name, values[order])
    paired = month.partner >= 0
    month.partner[paired] = rank[month.partner[paired]]
    month.line = rank[month.line]


def _datetimes(seconds: np.ndarray) -> pl.Series:
    whole = np.floor(seconds)
    series = pl.Series(whole).fill_nan(None).cast(pl.Int64) * 1_000_000
    return series.cast(pl.Datetime("us"))


def _take(values: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """Text of each code (-1 → null), gathered column-wise."""
    lookup = pl.Series(list(values), dtype=pl.String)
    idx = pl.Series(codes)
    return lookup.gather(idx.set(idx < 0, 0)).set(idx < 0, None)  # type: ignore[arg-type]


def _increasing_ids(count: int, draw: _Draw) -> np.ndarray:
    """Distinct id numbers that grow with time, as platforms hand them out."""
    return np.cumsum(draw.rng.integers(1, 40, count)) + 10**12


def _id_text(lead: str, numbers: np.ndarray) -> pl.Series:
    """Long digit ids as text (13 digits after the lead)."""
    return lead + pl.Series(numbers, dtype=pl.Int64).cast(pl.String)


# -- frames ---------------------------------------------------------------------------------
_REASON_TEXTS = [vocab.REASONS[c] for c in REASON_CLASSES] + [vocab.ODD_REASONS[:5]]
_COMPLAINT_ODD = ("客服态度差", "发货太慢")


def _reason_text(month: _Month) -> pl.Series:
    """A platform reason text for each case, drawn within its class."""
    texts: list[str] = [t for group in _REASON_TEXTS for t in group] + list(_COMPLAINT_ODD)
    offsets = np.cumsum([0] + [len(g) for g in _REASON_TEXTS])
    sizes = np.asarray([len(g) for g in _REASON_TEXTS])
    pick = np.floor(month.draw.uniform(0, 1, month.n) * sizes[month.rclass]).astype(np.int64)
    code = offsets[month.rclass] + pick
    complaint_odd = (month.ctype == CP) & (month.rclass == ODD)
    code[complaint_odd] = len(texts) - 2 + month.draw.pick(2, int(complaint_odd.sum()))
    return _take(tuple(texts), code)


def _reject_reason(month: _Month) -> pl.Series:
    valid = [texts[0] for texts in vocab.REJECT_REASONS_VALID.values()]
    texts = tuple(valid) + vocab.REJECT_REASONS_INVALID
    code = np.where(month.reject_code >= 0, month.reject_code, -1)
    invalid = month.reject_text_invalid >= 0
    code[invalid] = len(valid) + month.reject_text_invalid[invalid]
    code[month.decision != REJECTED] = -1
    return _take(texts, code)


def _agents(month: _Month) -> pl.Series:
    lists = vocab.AGENTS
    names = tuple(name for group in lists for name in group)
    offsets = np.cumsum([0] + [len(g) for g in lists])[month.shop]
    sizes = np.asarray([len(g) for g in lists])[month.shop]
    code = offsets + np.floor(month.draw.uniform(0, 1, month.n) * sizes).astype(np.int64)
    nobody = np.isnan(month.first_response) & np.isnan(month.decided) & (month.status != 1)
    code[nobody] = -1
    return _take(names, code)


def _assign_ids(month: _Month) -> None:
    """Order and line ids for case lines, extra lines and extra orders, growing with paid_at."""
    draw, n = month.draw, month.n
    yymm = month.spec.month[2:4] + month.spec.month[5:7]
    case_lines = np.flatnonzero(month.line == np.arange(n))
    extra_orders = max(0, round(month.spec.orders_per_case * n) - case_lines.size)
    if not month.spec.orders:
        extra_orders = 0
    shop = draw.pick(month.n_shops, extra_orders, SHOP_WEIGHTS[: month.n_shops])
    item = _pick_items(draw, shop, np.ones(len(vocab.CATALOGUE), dtype=bool))
    paid = month.m0 - 15 * DAY + draw.uniform(0, 1, extra_orders) * (month.m1 - month.m0 + 15 * DAY)
    promise = np.asarray(PROMISED_SHIP_HOURS)[shop] * HOUR
    shipped = paid + draw.uniform(0.3, 1, extra_orders) * (promise - 4 * HOUR)
    late = np.zeros(extra_orders, dtype=bool)
    if month.order_violations and extra_orders:
        early_enough = np.flatnonzero(paid < month.m1 - 4 * DAY)
        count = min(month.order_violations, early_enough.size)
        late[draw.rng.choice(early_enough, size=count, replace=False)] = True
        # late for the shop's promise and for the 48 hours D010 uses when none is exported
        limit = np.maximum(promise[late], 48 * HOUR)
        shipped[late] = paid[late] + limit + draw.uniform(3, 40, count) * HOUR
    signed = shipped + draw.uniform(20, 96, extra_orders) * HOUR
    qty = np.where(draw.chance(0.15, extra_orders), 2, 1)
    amount = np.round(ITEM_PRICE[item] * qty, 2)
    # A tenth of the case orders carry a second line that has no case.
    # Planted cases stay on one-line orders: an amount inherited from an order of several
    # lines is not judged (A001/A002), and a second line would cover a double refund (A003).
    clean = (month.violation[case_lines] < 0) & ~np.isin(case_lines, month.line[month.partner >= 0])
    chosen = draw.chance(0.1, case_lines.size) & clean
    second = case_lines[chosen] if month.spec.orders else case_lines[:0]
    second_item = _pick_items(
        draw, month.shop[second].copy(), np.ones(len(vocab.CATALOGUE), dtype=bool)
    )
    # order keys: case orders are keyed by their case line, extra orders follow
    order_paid = np.concatenate([month.paid[case_lines], paid])
    order_key = np.concatenate([case_lines, n + np.arange(extra_orders)])
    rank = np.empty(order_key.size, dtype=np.int64)
    rank[np.argsort(order_paid, kind="stable")] = np.arange(order_key.size)
    order_numbers = _increasing_ids(order_key.size, draw)[rank]
    key_to_row = np.full(n + extra_orders, -1, dtype=np.int64)
    key_to_row[order_key] = np.arange(order_key.size)
    month.case_order_id = _id_text("4" + yymm, order_numbers[key_to_row[month.line]])
    lines = {
        "order": np.concatenate([key_to_row[case_lines], key_to_row[second], key_to_row[n:]]),
        "item": np.concatenate([month.item[case_lines], second_item, item]),
        "amount": np.concatenate(
            [month.paid_amount[case_lines], np.round(ITEM_PRICE[second_item], 2), amount]
        ),
        "ordered": np.concatenate(
            [
                month.ordered[case_lines],
                month.ordered[second],
                paid - draw.uniform(10, 1800, extra_orders),
            ]
        ),
        "paid": np.concatenate([month.paid[case_lines], month.paid[second], paid]),
        "shipped": np.concatenate([month.shipped[case_lines], month.shipped[second], shipped]),
        "signed": np.concatenate([month.signed[case_lines], month.signed[second], signed]),
        "promise": np.concatenate(
            [month.promise[case_lines], month.promise[second], promise / HOUR]
        ),
        "late": np.concatenate([np.zeros(case_lines.size + second.size, dtype=bool), late]),
        "case_line": np.concatenate([case_lines, np.full(second.size + extra_orders, -1)]),
    }
    for name in ("shipped", "signed"):
        lines[name][lines[name] > month.export_at] = np.nan
    # export order: by order (paid time), then line; line ids grow in that order
    export_order = np.lexsort((np.arange(lines["order"].size), rank[lines["order"]]))
    lines = {name: values[export_order] for name, values in lines.items()}
    line_numbers = _increasing_ids(export_order.size, draw)
    case_line_row = np.full(n, -1, dtype=np.int64)
    has_case = lines["case_line"] >= 0
    case_line_row[lines["case_line"][has_case]] = np.flatnonzero(has_case)
    month.case_line_id = _id_text("6" + yymm, line_numbers[case_line_row[month.line]])
    month.lines = lines
    month.line_ids = _id_text("6" + yymm, line_numbers)
    month.order_ids = _id_text("4" + yymm, order_numbers[lines["order"]])


def _case_frame(month: _Month) -> pl.DataFrame:
    categories = tuple(i.category for i in vocab.CATALOGUE)
    products = tuple(i.product for i in vocab.CATALOGUE)
    yymm = month.spec.month[2:4] + month.spec.month[5:7]
    decision = month.decision.copy()
    decision[month.ctype == CP] = -1
    violation = month.violation.copy()
    kinds = tuple(getattr(month, "kind_ids", ()))
    if not kinds:
        violation[:] = -1
    violation[month.partner[month.partner >= 0]] = -1  # the pair's finding is on the second case
    frame = pl.DataFrame(
        {
            "case_id": _id_text("2" + yymm, _increasing_ids(month.n, month.draw)),
            "order_id": month.case_order_id,
            "line_id": month.case_line_id,
            "shop": _take(vocab.SHOPS, month.shop),
            "category": _take(categories, month.item),
            "product": _take(products, month.item),
            "case_type": _take(CASE_TYPES, month.ctype),
            "reason": _reason_text(month),
            "reason_class": _take(REASON_CLASSES, np.minimum(month.rclass, OTH)),
            "paid_amount": month.paid_amount,
            "refund_amount": pl.Series(month.refund_amount).fill_nan(None),
            "freight_payer": _take(("buyer", "seller", "platform", "insurance"), month.freight),
            "evidence": month.evidence,
            "exclusion_confirmed": month.confirmed,
            "signed_at": _datetimes(month.signed),
            "applied_at": _datetimes(month.applied),
            "first_response_at": _datetimes(month.first_response),
            "decided_at": _datetimes(month.decided),
            "decision": _take(DECISION_NAMES, decision),
            "reject_reason": _reject_reason(month),
            "return_shipped_at": _datetimes(month.return_shipped),
            "return_received_at": _datetimes(month.return_received),
            "refunded_at": _datetimes(month.refunded),
            "exchange_shipped_at": _datetimes(month.exchange_shipped),
            "repair_completed_at": _datetimes(month.repair_completed),
            "closed_at": _datetimes(month.closed),
            "status": _take(("open", "closed", "cancelled"), month.status),
            "escalated": month.escalated,
            "satisfaction": pl.Series(month.satisfaction).set(
                pl.Series(month.satisfaction < 0),
                None,  # type: ignore[arg-type]
            ),
            "agent": _agents(month),
            "_violation": _take(kinds or ("",), violation),
        }
    )
    return frame  # in applied_at order; case ids grow with it


def _order_frame(month: _Month) -> pl.DataFrame:
    lines = month.lines
    categories = tuple(i.category for i in vocab.CATALOGUE)
    products = tuple(i.product for i in vocab.CATALOGUE)
    shop = ITEM_SHOP[lines["item"]]
    frame = pl.DataFrame(
        {
            "order_id": month.order_ids,
            "line_id": month.line_ids,
            "shop": _take(vocab.SHOPS, shop),
            "category": _take(categories, lines["item"]),
            "product": _take(products, lines["item"]),
            "paid_amount": lines["amount"],
            "ordered_at": _datetimes(lines["ordered"]),
            "paid_at": _datetimes(lines["paid"]),
            "shipped_at": _datetimes(lines["shipped"]),
            "signed_at": _datetimes(lines["signed"]),
            "promised_ship_hours": pl.Series(lines["promise"]).cast(pl.Int64),
            "_violation": _take(("late_shipping",), np.where(lines["late"], 0, -1)),
        }
    )
    return frame


def generate_month(spec: GenerateSpec) -> Synthetic:
    """One month of canonical cases (and order lines), deterministic for `spec.seed`."""
    month = _Month(spec)
    month.draw_cases()
    month.plant()
    month.draw_purchase()
    month.decide()
    month.money()
    month.handle()
    month.cut()
    _reorder_by_application(month)
    _assign_ids(month)
    cases = _case_frame(month)
    orders = _order_frame(month)
    planted = {}
    if hasattr(month, "kind_ids"):
        counts = cases.group_by("_violation").len().drop_nulls()
        planted = dict(zip(counts["_violation"], counts["len"], strict=True))
    if month.order_violations:
        planted["late_shipping"] = int(orders["_violation"].is_not_null().sum())
    export_at = _EPOCH + dt.timedelta(seconds=month.export_at)
    return Synthetic(
        cases=cases, orders=orders, export_at=export_at, planted=dict(sorted(planted.items()))
    )
