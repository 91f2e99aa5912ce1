"""The working-day lookup against the State Council's 2026 holiday notice, typed in here.

The oracle is the notice itself (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04),
not the ``chinese_calendar`` package the lookup is built from, so a wrong package table
would fail here. The second oracle is numpy's business-day arithmetic used the only way it
is exact for a calendar with make-up workdays: a seven-day weekmask and every non-working
date listed as a holiday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from auditor.calendars.cn_workdays import official_calendar

CAL = official_calendar()

# The notice: days off (放假调休) and weekend days worked (上班).
OFF_2026 = [
    (date(2026, 1, 1), date(2026, 1, 3)),  # 元旦
    (date(2026, 2, 15), date(2026, 2, 23)),  # 春节
    (date(2026, 4, 4), date(2026, 4, 6)),  # 清明节
    (date(2026, 5, 1), date(2026, 5, 5)),  # 劳动节
    (date(2026, 6, 19), date(2026, 6, 21)),  # 端午节
    (date(2026, 9, 25), date(2026, 9, 27)),  # 中秋节
    (date(2026, 10, 1), date(2026, 10, 7)),  # 国庆节
]
MAKEUP_2026 = [
    date(2026, 1, 4),  # Sunday
    date(2026, 2, 14),  # Saturday
    date(2026, 2, 28),  # Saturday
    date(2026, 5, 9),  # Saturday
    date(2026, 9, 20),  # Sunday
    date(2026, 10, 10),  # Saturday
]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _notice_workdays(year: int = 2026) -> set[date]:
    off = {d for first, last in OFF_2026 for d in _days(first, last)}
    weekdays = {d for d in _days(date(year, 1, 1), date(year, 12, 31)) if d.weekday() < 5}
    return (weekdays - off) | set(MAKEUP_2026)


def _due_days(starts: list[date], n: int) -> list[date]:
    frame = pl.DataFrame({"e": pl.Series(starts, dtype=pl.Date).cast(pl.Datetime("us"))})
    got = frame.select(CAL.add_working_days(pl.col("e"), n)).to_series()
    assert got.dt.time().unique().to_list() == [datetime(2000, 1, 1, 23, 59, 59).time()]
    return got.dt.date().to_list()


def test_every_working_day_of_2026_is_the_notices() -> None:
    ours = {d for d in CAL.workdays.to_list() if d.year == 2026}
    expected = _notice_workdays()
    assert ours == expected
    assert all(d.weekday() >= 5 for d in MAKEUP_2026)  # the notice's make-up days are weekends
    assert len(expected) == 248  # 261 Monday-Fridays - 19 of them off + 6 weekend days on


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # New Year: the first working day after 2025-12-31 is Sunday 2026-01-04.
        (date(2025, 12, 31), 1, date(2026, 1, 4)),
        (date(2026, 1, 4), 1, date(2026, 1, 5)),
        # Spring Festival: Saturday 02-28 is worked, so it counts.
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        (date(2026, 2, 26), 2, date(2026, 2, 28)),
        (date(2026, 2, 27), 2, date(2026, 3, 2)),
        (date(2026, 2, 28), 1, date(2026, 3, 2)),  # an event on the make-up day itself
        (date(2026, 2, 12), 3, date(2026, 2, 24)),  # 13th, 14th (Sat), then 24th
        (date(2026, 2, 23), 1, date(2026, 2, 24)),  # last day off
        # Labour Day and its make-up Saturday.
        (date(2026, 4, 30), 1, date(2026, 5, 6)),
        (date(2026, 5, 8), 1, date(2026, 5, 9)),
        # Mid-Autumn, then National Day with a make-up Sunday before and Saturday after.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 24), 1, date(2026, 9, 28)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 10, 8), 2, date(2026, 10, 10)),
    ],
)
def test_due_days_across_the_2026_make_up_workdays(start: date, n: int, due: date) -> None:
    assert _due_days([start], n) == [due]


def test_numpy_default_weekmask_gets_the_make_up_days_wrong() -> None:
    """Mon-Fri weekmask with the days off as holidays: still skips Saturday 2026-02-28."""
    off = [d for first, last in OFF_2026 for d in _days(first, last)]
    naive = np.busday_offset(np.datetime64("2026-02-27"), 1, roll="backward", holidays=off)
    assert naive == np.datetime64("2026-03-02")
    assert _due_days([date(2026, 2, 27)], 1) == [date(2026, 2, 28)]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 10, 15])
def test_lookup_agrees_with_seven_day_weekmask_busday_over_2026(n: int) -> None:
    starts = _days(date(2026, 1, 1), date(2026, 12, 10))
    span = _days(date(2025, 12, 1), date(2027, 1, 31))
    workdays = _notice_workdays(2026)
    # Outside 2026 (only the edges are reached) the package's own days stand in.
    workdays |= {d for d in CAL.workdays.to_list() if d.year != 2026}
    non_working = [d for d in span if d not in workdays]
    expected = np.busday_offset(
        np.array(starts, dtype="datetime64[D]"),
        n,
        roll="backward",  # a day off first rolls back to the last working day before it
        weekmask="1111111",
        holidays=non_working,
    )
    assert _due_days(starts, n) == expected.astype(date).tolist()
