"""Working-day arithmetic for the generator, as a per-day lookup table.

The generator needs "the end of the N-th working day after date(t)" for whole columns.
The official calendar is asked once per calendar day of the sample's range (a few hundred
days, not rows); the rows then index that table with numpy.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np

DAY = 86_400
_EPOCH = dt.date(1970, 1, 1)


def _is_workday(day: dt.date) -> bool:
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (ImportError, NotImplementedError):
        # A year the calendar does not know: weekends only. The sample stays plausible;
        # the auditor itself reports such dates (Q006).
        return day.weekday() < 5


@lru_cache(maxsize=8)
def _table(first_day: int, last_day: int, n: int) -> np.ndarray:
    """For every epoch day in [first_day, last_day]: the epoch day of the n-th working day after."""
    days = np.arange(first_day, last_day + 1 + 40 * n)
    work = np.array([_is_workday(_EPOCH + dt.timedelta(days=int(d))) for d in days])
    out = np.empty(last_day - first_day + 1, dtype=np.int64)
    work_days = days[work]
    # n-th working day strictly after day d: searchsorted finds the first working day > d.
    first_after = np.searchsorted(work_days, days[: out.size], side="right")
    out[:] = work_days[first_after + n - 1]
    return out


def due_end_working_days(t: np.ndarray, n: int) -> np.ndarray:
    """End (23:59:59) of the n-th working day after date(t); t in epoch seconds (NaN kept)."""
    valid = ~np.isnan(t)
    out = np.full(t.shape, np.nan)
    if not valid.any():
        return out
    day = np.floor(t[valid] / DAY).astype(np.int64)
    first, last = int(day.min()), int(day.max())
    # Round the range outward so that repeated calls share a cached table.
    first, last = first - first % 64, last - last % 64 + 63
    table = _table(first, last, n)
    out[valid] = (table[day - first] + 1) * DAY - 1
    return out
