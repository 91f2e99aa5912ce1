"""Run one rule over test rows and read back each row's verdict as a word."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import polars as pl

from auditor.calendars.cn_workdays import official_calendar
from auditor.engine.evaluate import Frame, evaluate_rule
from auditor.engine.run import CASE_KEYS, ORDER_KEYS, _order_frame
from auditor.rules.registry import get_rule
from tests.rules.frames import FakeStack, case_frame, field_present, order_frame

DEFAULT_CASE = {
    "order_id": "O1",
    "shop": "店铺A",
    "applied_at": "2026-03-02 10:00:00",
    "status": "closed",
}


def verdict_word(scope: Any, reason: Any, fired: Any) -> str:
    if scope is False:
        return "not applicable"
    if reason is not None:
        return f"not judged: {reason}"
    return "fired" if fired else "passed"


def judge_cases(
    rule_id: str,
    rows: list[dict],
    *,
    as_of: datetime = datetime(2026, 6, 30, 23, 59, 59),
    stack: FakeStack | None = None,
) -> list[str]:
    """The verdict of ``rule_id`` for each row, in row order."""
    rule = get_rule(rule_id)
    stack = stack or FakeStack()
    full = [{"case_id": f"C{i:03d}", **DEFAULT_CASE, **row} for i, row in enumerate(rows)]
    frame = stack.assign(case_frame(full), date_col="applied_at", shop_col="shop")
    outcome = evaluate_rule(
        rule,
        Frame(frame, field_present, "applied_at", CASE_KEYS),
        stack,
        as_of,
        official_calendar(),
    )
    words = {
        case_id: verdict_word(scope, reason, fired)
        for case_id, scope, reason, fired in outcome.verdicts.select(
            "case_id", "_scope", "_reason", "_fired"
        ).iter_rows()
    }
    return [words[row["case_id"]] for row in full]


def judge_orders(
    rule_id: str,
    orders: list[dict],
    cases: list[dict] = (),  # type: ignore[assignment]
    *,
    as_of: datetime = datetime(2026, 6, 30, 23, 59, 59),
    stack: FakeStack | None = None,
) -> list[str]:
    rule = get_rule(rule_id)
    stack = stack or FakeStack()
    full_cases = [{"case_id": f"C{i:03d}", **DEFAULT_CASE, **row} for i, row in enumerate(cases)]
    orders_df = order_frame([{"shop": "店铺A", **o} for o in orders])
    if rule_id == "A003":
        orders_df = _order_frame(orders_df, case_frame(full_cases), field_present)
    frame = stack.assign(orders_df, date_col="paid_at", shop_col="shop")
    outcome = evaluate_rule(
        rule,
        Frame(frame, lambda name: pl.lit(True), "paid_at", ORDER_KEYS),
        stack,
        as_of,
        official_calendar(),
    )
    words = {
        order_id: verdict_word(scope, reason, fired)
        for order_id, scope, reason, fired in outcome.verdicts.select(
            "order_id", "_scope", "_reason", "_fired"
        ).iter_rows()
    }
    # An order with fewer than two refunded cases is not even in A003's frame.
    return [words.get(str(o["order_id"]), "not applicable") for o in orders]
