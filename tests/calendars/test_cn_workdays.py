"""SPEC 6.1 time arithmetic on whole columns, on the official mainland calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.calendars.cn_workdays import (
    add_calendar_days,
    add_hours,
    add_months,
    due_after,
    is_late,
    official_calendar,
    within,
)

CAL = official_calendar()


def _one(expr: pl.Expr, when: datetime | None) -> datetime | None:
    return pl.DataFrame({"e": [when]}, schema={"e": pl.Datetime("us")}).select(expr).item()


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # SPEC example: applied Friday 2026-03-06 + 1 working day = Monday 2026-03-09 23:59:59
        (datetime(2026, 3, 6, 15), 1, datetime(2026, 3, 9, 23, 59, 59)),
        # the day of E never counts, even when it is a working day at 00:00
        (datetime(2026, 3, 9, 0, 0), 1, datetime(2026, 3, 10, 23, 59, 59)),
        # nor when it is a Saturday
        (datetime(2026, 3, 7, 9), 1, datetime(2026, 3, 9, 23, 59, 59)),
        # Spring Festival 2026: Sat 02-14 is a make-up workday, 02-15..02-23 off
        (datetime(2026, 2, 13, 10), 1, datetime(2026, 2, 14, 23, 59, 59)),
        (datetime(2026, 2, 13, 10), 3, datetime(2026, 2, 25, 23, 59, 59)),
        (datetime(2026, 2, 15, 10), 3, datetime(2026, 2, 26, 23, 59, 59)),
        # National Day 2025: Sun 09-28 and Sat 10-11 are make-up workdays, 10-01..10-08 off
        (datetime(2025, 9, 26, 10), 3, datetime(2025, 9, 30, 23, 59, 59)),
        (datetime(2025, 9, 27, 10), 1, datetime(2025, 9, 28, 23, 59, 59)),
        (datetime(2025, 9, 30, 10), 3, datetime(2025, 10, 11, 23, 59, 59)),
        (datetime(2025, 9, 30, 10), 1, datetime(2025, 10, 9, 23, 59, 59)),
    ],
)
def test_working_days(start: datetime, n: int, due: datetime) -> None:
    assert _one(CAL.add_working_days(pl.col("e"), n), start) == due


def test_numpy_style_weekmask_would_be_wrong_here() -> None:
    """The trap the cumulative lookup avoids: a Mon–Fri weekmask skips the make-up Sunday."""
    start = date(2025, 9, 26)
    naive = pl.select(pl.lit(start).dt.add_business_days(3, holidays=[date(2025, 10, 1)])).item()
    exact = _one(CAL.add_working_days(pl.col("e"), 3), datetime(2025, 9, 26, 10))
    assert naive != exact.date()
    assert exact.date() == date(2025, 9, 30)


def _second_workday_after(day: date) -> date:
    """An independent, slow oracle: walk the days one by one."""
    found = 0
    while found < 2:
        day += timedelta(days=1)
        found += chinese_calendar.is_workday(day)
    return day


def test_working_days_agree_with_chinese_calendar_over_a_whole_year() -> None:
    days = pl.date_range(date(2025, 1, 1), date(2025, 12, 20), "1d", eager=True)
    frame = pl.DataFrame({"e": days.cast(pl.Datetime("us"))})
    got = frame.select(CAL.add_working_days(pl.col("e"), 2)).to_series().dt.date().to_list()
    for day, due in zip(days.to_list(), got, strict=True):
        assert due == _second_workday_after(day), day


def test_outside_the_calendar_years_is_null_not_a_guess() -> None:
    assert CAL.first == date(2004, 1, 1) and CAL.last.year >= 2026
    assert _one(CAL.add_working_days(pl.col("e"), 1), datetime(2003, 5, 6)) is None
    last = datetime(CAL.last.year, 12, 31, 10)
    assert _one(CAL.add_working_days(pl.col("e"), 1), last) is None
    assert _one(CAL.add_working_days(pl.col("e"), 1), None) is None


def test_calendar_days_day_of_event_not_counted() -> None:
    due = _one(add_calendar_days(pl.col("e"), 7), datetime(2026, 3, 1, 10))
    assert due == datetime(2026, 3, 8, 23, 59, 59)
    late = (
        pl.DataFrame(
            {
                "t": [
                    datetime(2026, 3, 8, 23, 59),
                    datetime(2026, 3, 8, 23, 59, 59, 900000),
                    datetime(2026, 3, 9, 0, 0),
                ]
            }
        )
        .select(is_late(pl.col("t"), pl.lit(due)))
        .to_series()
        .to_list()
    )
    assert late == [False, False, True]


def test_hours_exact_to_the_minute() -> None:
    due = _one(add_hours(pl.col("e"), 24), datetime(2026, 3, 1, 10))
    assert due == datetime(2026, 3, 2, 10)
    late = (
        pl.DataFrame({"t": [datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 10, 1)]})
        .select(is_late(pl.col("t"), pl.lit(due)))
        .to_series()
        .to_list()
    )
    assert late == [False, True]


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (datetime(2026, 1, 31, 10), 1, datetime(2026, 2, 28, 23, 59, 59)),
        (datetime(2024, 1, 31, 10), 1, datetime(2024, 2, 29, 23, 59, 59)),
        (datetime(2024, 2, 29, 10), 12, datetime(2025, 2, 28, 23, 59, 59)),
        (datetime(2025, 3, 10, 10), 12, datetime(2026, 3, 10, 23, 59, 59)),
    ],
)
def test_months_clamped(start: datetime, months: int, due: datetime) -> None:
    assert _one(add_months(pl.col("e"), months), start) == due


def test_due_after_dispatches_on_unit_and_event_before_start_is_within() -> None:
    start = datetime(2026, 3, 1, 10)
    assert _one(due_after(pl.col("e"), 2, "calendar_days", CAL), start) == datetime(
        2026, 3, 3, 23, 59, 59
    )
    assert _one(due_after(pl.col("e"), 1.5, "hours", CAL), start) == datetime(2026, 3, 1, 11, 30)
    with pytest.raises(ValueError):
        due_after(pl.col("e"), 1, "fortnights", CAL)
    before = pl.select(within(pl.lit(datetime(2026, 2, 27)), pl.lit(start))).item()
    assert before is True


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2004, 1, 1), max_value=datetime(2026, 11, 30)),
    n=st.integers(min_value=1, max_value=10),
)
def test_working_days_property(start: datetime, n: int) -> None:
    """The due day is a working day, and exactly n working days lie in (date(E), due]."""
    due = _one(CAL.add_working_days(pl.col("e"), n), start)
    assert due.time() == datetime(2000, 1, 1, 23, 59, 59).time()
    assert chinese_calendar.is_workday(due.date())
    day, count = start.date(), 0
    while day < due.date():
        day += timedelta(days=1)
        count += chinese_calendar.is_workday(day)
    assert count == n
