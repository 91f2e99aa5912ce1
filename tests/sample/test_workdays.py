"""The generator's working-day table agrees with the official calendar."""

from __future__ import annotations

import datetime as dt

import numpy as np

from auditor.sample.workdays import due_end_working_days

EPOCH = dt.datetime(1970, 1, 1)


def _seconds(*args: int) -> float:
    return (dt.datetime(*args) - EPOCH).total_seconds()


def _as_datetime(seconds: float) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=float(seconds))


def test_friday_plus_one_working_day_is_monday_end_of_day():
    due = due_end_working_days(np.array([_seconds(2026, 3, 6, 15, 0)]), 1)
    assert _as_datetime(due[0]) == dt.datetime(2026, 3, 9, 23, 59, 59)


def test_holidays_and_make_up_workdays_count_as_the_official_calendar_says():
    # National Day 2025: 10-01…10-08 off; Saturday 10-11 a make-up working day.
    due = due_end_working_days(np.array([_seconds(2025, 9, 30, 10, 0)]), 1)
    assert _as_datetime(due[0]).date() == dt.date(2025, 10, 9)
    due3 = due_end_working_days(np.array([_seconds(2025, 10, 9, 10, 0)]), 2)
    assert _as_datetime(due3[0]).date() == dt.date(2025, 10, 11)


def test_blank_times_stay_blank():
    due = due_end_working_days(np.array([np.nan, _seconds(2026, 3, 2)]), 3)
    assert np.isnan(due[0]) and _as_datetime(due[1]).date() == dt.date(2026, 3, 5)
