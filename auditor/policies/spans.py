"""How long a limit really is, day by day, on the official mainland calendar (SPEC 6.1).

The lint compares a policy's limit with the law's over every start date the working-day
calendar knows: a consumer's window is judged at its shortest, a seller's deadline at its
longest (3 working days after a return that arrives just before the Spring Festival is more
than 7 calendar days). Day-based limits end at 24:00 of their last day; an hour limit ends
exactly N hours after the event, so the event's time of day matters when the two are mixed.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from auditor.calendars.cn_workdays import official_calendar

# room after the last start date for the usual working-day limits; a longer one is judged on
# the start dates whose due the calendar still knows (on_calendar)
_MARGIN = timedelta(days=120)


@lru_cache(maxsize=1)
def _working_days() -> list[date]:
    """The project's official calendar (auditor.calendars), as a sorted list of dates."""
    return official_calendar().workdays.to_list()


@lru_cache(maxsize=1)
def start_dates() -> tuple[date, ...]:
    """Every start date judged: the calendar's years, less a margin at the end."""
    cal = official_calendar()
    days = (cal.last - _MARGIN - cal.first).days + 1
    return tuple(cal.first + timedelta(days=i) for i in range(days))


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def on_calendar(limit: dict, start: date) -> bool:
    """Whether the limit's last day from ``start`` is one the calendar can name: a working-day
    limit that runs past the calendar's last year has no known due date (the holidays of later
    years are not published), so that start cannot be compared."""
    if limit["unit"] != "working_days":
        return True
    working = _working_days()
    return bisect_right(working, start) + int(limit["amount"]) <= len(working)


def due_date(limit: dict, start: date) -> date:
    """The last day of a day-based limit (calendar days, working days or months)."""
    amount, unit = limit["amount"], limit["unit"]
    if unit == "calendar_days":
        return start + timedelta(days=amount)
    if unit == "working_days":
        if not on_calendar(limit, start):
            raise ValueError(f"{amount} working days from {start} run past the calendar's end")
        working = _working_days()
        return working[bisect_right(working, start) + int(amount) - 1]
    if unit == "months":
        return add_months(start, int(amount))
    raise ValueError(f"not a day-based unit: {unit}")


def _days(limit: dict, start: date) -> float:
    if limit["unit"] == "hours":
        return limit["amount"] / 24
    return (due_date(limit, start) - start).days


@dataclass(frozen=True)
class Worst:
    """The start date where the policy is furthest from the law, with both due dates."""

    start: date
    policy_days: float
    law_days: float


def _gap(policy: dict, law: dict, start: date, shorter: bool) -> float:
    """policy − law in days at the event time of day least favourable to the consumer."""
    p, q = _days(policy, start), _days(law, start)
    p_hours, q_hours = policy["unit"] == "hours", law["unit"] == "hours"
    if p_hours == q_hours:
        return p - q
    # a day-based limit from an event at time f of its day lasts (days + 1 − f)
    if shorter:  # smallest policy − law
        return p - (q + 1) if p_hours else p - q
    return p - q if p_hours else p + 1 - q


def _key(limit: dict) -> tuple:
    return (limit["amount"], limit["unit"])


def worst_case(
    policy: dict,
    law: dict,
    shorter: bool,
    since: date | None = None,
    until: date | None = None,
) -> Worst | None:
    """Where the policy's limit is shorter (``shorter``) or longer than the law's, the
    start date where the gap is largest (the latest such date on a tie); None when never.

    A working-day limit is judged on the start dates from ``since`` to ``until`` (the days
    both versions are in force), so a 2026 version is shown its own Spring Festival, not
    2020's; a version whose days the calendar does not reach yet is judged on every year it
    knows.
    """
    if "working_days" not in (policy["unit"], law["unit"]):
        # Calendar days, months and hours repeat their pattern every four years (a 29
        # February): any year shows it, and the years a version will run are not all on
        # the holiday calendar yet.
        since = until = None
    known = start_dates()
    low = since if since is not None and since > known[0] else None
    high = until if until is not None and until < known[-1] else None
    if (low or known[0]) > (high or known[-1]):
        low = high = None
    return _worst_case(_key(policy), _key(law), shorter, low, high)


@lru_cache(maxsize=256)
def _worst_case(
    policy_key: tuple, law_key: tuple, shorter: bool, since: date | None, until: date | None
) -> Worst | None:
    policy = {"amount": policy_key[0], "unit": policy_key[1]}
    law = {"amount": law_key[0], "unit": law_key[1]}
    if policy["unit"] == "hours" and law["unit"] == "hours":
        gap = policy["amount"] - law["amount"]
        hit = gap < 0 if shorter else gap > 0
        if not hit:
            return None
        first = start_dates()[0]
        return Worst(first, policy["amount"] / 24, law["amount"] / 24)
    best: tuple[float, date] | None = None
    for start in start_dates():
        if (since is not None and start < since) or (until is not None and start > until):
            continue
        if not (on_calendar(policy, start) and on_calendar(law, start)):
            continue  # past the calendar's last year: judged on the years it knows
        gap = _gap(policy, law, start, shorter)
        score = -gap if shorter else gap
        if score > 0 and (best is None or score >= best[0]):
            best = (score, start)
    if best is None:
        return None
    start = best[1]
    return Worst(start, _days(policy, start), _days(law, start))
