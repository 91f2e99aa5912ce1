"""K001–K006 per shop × month and per agent × month (SPEC 6.4)."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from auditor.engine import audit_dataset
from auditor.engine.scorecards import shown_value
from tests.rules.frames import FakeStack, dataset

RUN = datetime(2026, 5, 1)


def _cases(n: int, good: int, *, prefix: str = "C", **fields) -> list[dict]:
    """n closed refund-only cases, ``good`` of them rated 5 and the rest rated 2."""
    rows = []
    for i in range(n):
        row = {
            "case_id": f"{prefix}{i:03d}",
            "order_id": f"O{prefix}{i:03d}",
            "shop": "店铺A",
            "agent": "小王",
            "case_type": "refund_only",
            "applied_at": "2026-03-10 10:00:00",
            "status": "closed",
            "satisfaction": 5 if i < good else 2,
        }
        rows.append({**row, **fields})
    return rows


def _kpi(result, rule: str, *, shop="店铺A", agent=None, month="2026-03") -> dict:
    frame = result.kpis.filter(
        (pl.col("rule") == rule)
        & (pl.col("month") == month)
        & (pl.col("shop").eq_missing(shop))
        & (pl.col("agent").eq_missing(agent))
    )
    assert frame.height == 1, result.kpis
    return frame.row(0, named=True)


def _audit(cases, orders=None):
    return audit_dataset(dataset(cases, orders), FakeStack(), as_of="2026-04-30", run_started=RUN)


def test_satisfaction_grades_ok_warning_error_and_small_groups_na() -> None:
    for good, status in ((19, "ok"), (18, "warning"), (17, "error")):
        row = _kpi(_audit(_cases(20, good)), "K001")
        assert (row["n"], row["value"], row["target"], row["status"]) == (
            20,
            good / 20,
            0.95,
            status,
        )
    assert _kpi(_audit(_cases(19, 19)), "K001")["status"] == "n/a"


def test_per_agent_rows_and_complaints_scored_apart() -> None:
    cases = _cases(20, 20) + _cases(20, 17, prefix="K", case_type="complaint", agent="小李")
    result = _audit(cases)
    assert _kpi(result, "K001")["value"] == 1.0
    assert _kpi(result, "K006")["value"] == 0.85 and _kpi(result, "K006")["status"] == "error"
    agent = _kpi(result, "K006", shop=None, agent="小李")
    assert (agent["n"], agent["status"]) == (20, "error")
    assert _kpi(result, "K001", shop=None, agent="小王")["n"] == 20


def test_unrated_cases_do_not_count() -> None:
    cases = _cases(20, 20) + _cases(5, 0, prefix="U", satisfaction=None)
    assert _kpi(_audit(cases), "K001")["n"] == 20


def test_response_and_handling_come_from_d001_and_d008() -> None:
    cases = _cases(20, 20, first_response_at="2026-03-10 12:00:00")
    for row in cases[:2]:
        row["first_response_at"] = "2026-03-12 12:00:00"
    returns = _cases(
        20,
        20,
        prefix="R",
        case_type="return_refund",
        decision="approved",
        return_received_at="2026-03-12 10:00:00",
        refunded_at="2026-03-13 10:00:00",
    )
    returns[0]["refunded_at"] = "2026-03-20 10:00:00"
    result = _audit(cases + returns)
    k002 = _kpi(result, "K002")
    assert (k002["n"], k002["value"], k002["status"]) == (20, 0.9, "warning")
    k004 = _kpi(result, "K004")
    assert (k004["n"], k004["value"], k004["status"]) == (20, 0.95, "ok")
    assert result.coverage["D001"]["fired"] == 2


def test_first_contact_resolution_counts_closed_not_escalated() -> None:
    cases = _cases(20, 20, escalated=False) + _cases(3, 3, prefix="E", escalated=True)
    cases += _cases(5, 5, prefix="O", status="open", escalated=True)
    row = _kpi(_audit(cases), "K003")
    assert (row["n"], row["value"], row["status"]) == (23, round(20 / 23, 4), "warning")


def test_no_reason_rate_needs_orders_and_uses_paid_month() -> None:
    returns = _cases(5, 5, case_type="return_refund", reason_class="no_reason")
    assert _audit(returns).kpis.filter(pl.col("rule") == "K005").height == 0
    orders = [
        {"order_id": f"P{i}", "shop": "店铺A", "paid_at": "2026-03-05 10:00:00"} for i in range(100)
    ] + [{"order_id": "Q1", "shop": "店铺A", "paid_at": "2026-02-05 10:00:00"}]
    row = _kpi(_audit(returns, orders), "K005")
    assert (row["n"], row["value"], row["target"], row["status"]) == (100, 0.05, 0.05, "warning")
    row = _kpi(_audit(returns[:4], orders), "K005")
    assert (row["value"], row["status"]) == (0.04, "ok")
    assert _kpi(_audit(returns, orders), "K005", month="2026-02")["status"] == "n/a"


def test_every_month_in_the_data_and_no_platform_version_is_na() -> None:
    cases = _cases(20, 20) + _cases(20, 20, prefix="F", applied_at="2026-02-10 10:00:00")
    cases += _cases(20, 20, prefix="Y", applied_at="2024-11-10 10:00:00")
    result = _audit(cases)
    assert _kpi(result, "K001", month="2026-02")["status"] == "ok"
    old = _kpi(result, "K001", month="2024-11")
    assert (old["status"], old["target"]) == ("n/a", None)


def test_every_shop_and_month_gets_a_row_even_with_nothing_to_score() -> None:
    cases = _cases(3, 0, satisfaction=None)  # nobody rated: K001 has n = 0
    row = _kpi(_audit(cases), "K001")
    assert (row["n"], row["value"], row["status"]) == (0, None, "n/a")
    orders = [{"order_id": "P1", "shop": "店铺A", "paid_at": "2026-02-05 10:00:00"}]
    k005 = _kpi(
        _audit(_cases(3, 3, case_type="return_refund", reason_class="no_reason"), orders), "K005"
    )
    assert (k005["n"], k005["value"], k005["status"]) == (0, None, "n/a")


def test_months_of_extreme_years_are_graded_and_written_with_four_digit_years() -> None:
    cases = (
        _cases(20, 19)
        + _cases(3, 3, prefix="Y", applied_at="0026-03-10 10:00:00")
        + _cases(3, 3, prefix="Z", applied_at="9999-12-31 10:00:00")
    )
    result = _audit(cases)
    assert _kpi(result, "K001", month="0026-03")["status"] == "n/a"
    assert _kpi(result, "K001", month="9999-12")["n"] == 3
    assert _kpi(result, "K001")["status"] == "ok"


@pytest.mark.parametrize(
    ("value", "target", "stored"),
    [
        (0.94997, 0.95, 0.94997),  # misses 95%: never stored as 0.95 beside a warning
        (0.9499999, 0.95, 0.9499999),
        (0.950004, 0.95, 0.950004),
        (0.94444444, 0.95, 0.9444),
        (0.95, 0.95, 0.95),
        (0.123456, None, 0.1235),
    ],
)
def test_a_kpi_value_is_never_stored_as_the_target_it_misses(value, target, stored):
    assert shown_value(value, target) == stored
