"""Q003 (timeline out of order) and Q007 (times after the run started)."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from auditor.model import checks

T = pl.Datetime("us")


def test_timeline_pairs_compare_present_times_only():
    cases = pl.DataFrame(
        {
            "applied_at": [datetime(2026, 3, 5), datetime(2026, 3, 5), None],
            "refunded_at": [datetime(2026, 3, 4), datetime(2026, 3, 6), datetime(2026, 1, 1)],
            "decided_at": [None, datetime(2026, 3, 5), None],
            "first_response_at": [None, None, None],
            "return_shipped_at": [None, datetime(2026, 3, 7), None],
            "return_received_at": [None, datetime(2026, 3, 6), None],
        },
        schema_overrides=dict.fromkeys(
            ["applied_at", "refunded_at", "decided_at", "first_response_at",
             "return_shipped_at", "return_received_at"], T),
    )  # fmt: skip
    found = checks.timeline_issues(cases, checks.CASE_TIMELINE)
    assert found.select("_row", "check", "column").rows() == [
        (0, "Q003", "refunded_at"),
        (1, "Q003", "return_received_at"),
    ]
    assert (
        found["message_zh"][0]
        == "退款时间（2026-03-04 00:00:00）早于申请时间（2026-03-05 00:00:00）"
    )


def test_future_times():
    frame = pl.DataFrame(
        {"applied_at": [datetime(2062, 3, 1), datetime(2026, 3, 1)], "refunded_at": [None, None]},
        schema_overrides={"applied_at": T, "refunded_at": T},
    )
    found = checks.future_issues(frame, "cases", datetime(2026, 4, 1, 8, 30))
    assert found.select("_row", "check", "column", "value").rows() == [
        (0, "Q007", "applied_at", "2062-03-01 00:00:00")
    ]
    assert "2062-03-01 00:00:00" in found["message_en"][0]
    # The run's start stays out of the text, so two runs write the same bytes.
    assert "2026-04-01" not in found["message_en"][0] + found["message_zh"][0]
