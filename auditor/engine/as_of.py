"""The moment the audit judges open cases against (SPEC 6.1)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import polars as pl

from auditor.engine.request import AS_OF_GIVEN, AS_OF_LATEST, AS_OF_RUN_START
from auditor.errors import AuditorError, Problem
from auditor.model.fields import FIRST_YEAR, LAST_YEAR  # the years cleaning keeps dates to

_DATE = re.compile(r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*$")
_DATETIME = re.compile(
    r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*$"
)
END_OF_DAY = time(23, 59, 59)


def parse_as_of(value: datetime | date | str) -> datetime:
    """``--as-of``: a datetime as given; a date alone is 23:59:59 of that day."""
    return _within_years(_as_datetime(value), value)


def _as_datetime(value: datetime | date | str) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, END_OF_DAY)
    try:
        if m := _DATE.match(value):
            return datetime.combine(date(*map(int, m.groups())), END_OF_DAY)
        if m := _DATETIME.match(value):
            y, mo, d, h, mi, s = m.groups()
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except ValueError:
        pass
    raise AuditorError(
        [
            Problem(
                f"「{value}」不是有效的日期或时间（例：2026-03-31 或 2026-03-31 18:00）",
                f"'{value}' is not a valid date or time (e.g. 2026-03-31 or 2026-03-31 18:00)",
                column="--as-of",
            )
        ]
    )


def _within_years(moment: datetime, given: datetime | date | str) -> datetime:
    if FIRST_YEAR <= moment.year <= LAST_YEAR:
        return moment
    raise AuditorError(
        [
            Problem(
                f"「{given}」超出可用范围：截止时间须在 {FIRST_YEAR}-01-01 至 {LAST_YEAR}-12-31 之间",
                f"'{given}' is out of range: the as-of time must be between "
                f"{FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31",
                column="--as-of",
            )
        ]
    )


def latest_input_time(frames: list[pl.DataFrame | None], run_started: datetime) -> datetime | None:
    """The latest timestamp in the inputs that is not later than the run's start (Q007 times
    are left out), so a re-run on the same files gives the same result."""
    limit = pl.lit(run_started, dtype=pl.Datetime("us"))
    # A time before year 1 (parquet can hold one) has no Python datetime to become.
    first = pl.lit(datetime.min, dtype=pl.Datetime("us"))
    latest: list[datetime] = []
    for frame in frames:
        if frame is None or frame.height == 0:
            continue
        columns = [
            name
            for name, dtype in frame.schema.items()
            if isinstance(dtype, pl.Datetime) and not name.startswith("_")
        ]
        if not columns:
            continue
        found = frame.select(
            pl.max_horizontal(
                [pl.col(c).filter(pl.col(c).is_between(first, limit)).max() for c in columns]
            ).alias("m")
        ).item()
        if found is not None:
            latest.append(found)
    return max(latest) if latest else None


def resolve_as_of(
    given: datetime | date | str | None,
    frames: list[pl.DataFrame | None],
    run_started: datetime,
) -> tuple[datetime, str]:
    if given is not None and given != "":
        return parse_as_of(given), AS_OF_GIVEN
    latest = latest_input_time(frames, run_started)
    if latest is None:
        return run_started.replace(microsecond=0), AS_OF_RUN_START
    return latest, AS_OF_LATEST
