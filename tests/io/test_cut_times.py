"""A time cut off after its colon (`2026-03-15 18:`, a download cut mid-value) is not read
as 18:00; only the hour and minute words (`18点`, `18时`, `10点30分`) are completed."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from auditor.io.cleaning import parse_datetime


def _read(text: str):
    return pl.DataFrame({"t": [text]}).select(parse_datetime(pl.col("t"), pl.String).value).item()


@pytest.mark.parametrize("cut", ["2026-03-15 18:", "2026-03-15 18:30:", "2026/3/15 18:"])
def test_a_time_ending_in_a_colon_is_unreadable(cut):
    assert _read(cut) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年3月15日 18时", datetime(2026, 3, 15, 18)),
        ("2026-03-15 18点", datetime(2026, 3, 15, 18)),
        ("2026-03-15 18点30分", datetime(2026, 3, 15, 18, 30)),
        ("2026-03-15 18时30分15秒", datetime(2026, 3, 15, 18, 30, 15)),
        ("2026-03-15 9点整", datetime(2026, 3, 15, 9)),
    ],
)
def test_hours_in_words_are_still_completed(text, expected):
    assert _read(text) == expected
