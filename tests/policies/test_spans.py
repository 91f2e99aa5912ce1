"""Limit arithmetic on the official calendar (SPEC 6.1) as the lint uses it."""

from __future__ import annotations

from datetime import date

from auditor.policies.spans import add_months, due_date, worst_case

CAL = {"unit": "calendar_days"}
WORK = {"unit": "working_days"}


def test_working_days_skip_weekends_and_holidays() -> None:
    # SPEC 6.1: applied Friday 2026-03-06 → 1 working day after = Monday 2026-03-09
    assert due_date({**WORK, "amount": 1}, date(2026, 3, 6)) == date(2026, 3, 9)
    # the day of the event never counts, even when it is a working day
    assert due_date({**WORK, "amount": 1}, date(2026, 3, 9)) == date(2026, 3, 10)
    # National Day 2025: 1 October – 8 October off, Saturday 11 October a make-up working day
    assert due_date({**WORK, "amount": 1}, date(2025, 9, 30)) == date(2025, 10, 9)
    assert due_date({**WORK, "amount": 2}, date(2025, 9, 30)) == date(2025, 10, 10)
    assert due_date({**WORK, "amount": 3}, date(2025, 9, 30)) == date(2025, 10, 11)


def test_calendar_days_and_months() -> None:
    assert due_date({**CAL, "amount": 7}, date(2026, 2, 26)) == date(2026, 3, 5)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert due_date({"unit": "months", "amount": 6}, date(2025, 8, 31)) == date(2026, 2, 28)


def test_worst_case_for_a_consumer_window() -> None:
    law = {**CAL, "amount": 7}
    assert worst_case({**CAL, "amount": 7}, law, shorter=True) is None
    worst = worst_case({**WORK, "amount": 4}, law, shorter=True)
    assert worst is not None and worst.policy_days == 4 and worst.law_days == 7
    assert worst_case({**WORK, "amount": 5}, law, shorter=True).policy_days == 5  # Sunday → Friday
    # hours against days: a delivery at 00:05 leaves the law's window almost 8 days
    assert worst_case({"unit": "hours", "amount": 191}, law, shorter=True) is not None
    assert worst_case({"unit": "hours", "amount": 192}, law, shorter=True) is None


def test_worst_case_for_a_seller_deadline() -> None:
    law = {**CAL, "amount": 7}
    worst = worst_case({**WORK, "amount": 3}, law, shorter=False)
    assert worst is not None and worst.policy_days > 7
    assert due_date({**WORK, "amount": 3}, worst.start) == date.fromordinal(
        worst.start.toordinal() + int(worst.policy_days)
    )
    assert worst_case({"unit": "hours", "amount": 168}, law, shorter=False) is None
    assert worst_case({"unit": "hours", "amount": 169}, law, shorter=False) is not None
    assert worst_case({**CAL, "amount": 7}, law, shorter=False) is None


def test_a_working_day_limit_is_judged_on_the_days_its_version_is_in_force() -> None:
    refund = {"amount": 3, "unit": "working_days"}
    law = {"amount": 7, "unit": "calendar_days"}
    anywhere = worst_case(refund, law, shorter=False)
    assert anywhere is not None and anywhere.start == date(2020, 1, 23)  # the long 2020 break
    in_force = worst_case(refund, law, shorter=False, since=date(2026, 1, 1))
    assert in_force is not None and in_force.start == date(2026, 2, 14)
    assert due_date(refund, in_force.start) == date(2026, 2, 26)
    # 1 March to 20 April 2026 holds no break long enough (Qingming is 3 days): none there
    assert worst_case(refund, law, False, date(2026, 3, 1), date(2026, 4, 20)) is None
    assert worst_case(refund, law, False, date(2026, 3, 1), date(2026, 4, 30)) is not None


def test_calendar_day_limits_keep_every_year_for_the_29th_of_february() -> None:
    # 365 days of warranty is a day short of a year only across a 29 February: a version
    # in force from 2025 is still told, as its years reach 2028
    year = {"amount": 12, "unit": "months"}
    days = {"amount": 365, "unit": "calendar_days"}
    assert worst_case(days, year, shorter=True, since=date(2025, 1, 1)) is not None
