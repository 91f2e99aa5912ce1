"""A sub-order line listed again with other facts (two overlapping per-line exports, the
first taken before the line shipped) is one line: its amount once, its times merged, so the
later shipping and signing count for the order and for a case naming the line; each later
listing is a located Q002."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from auditor.io.dataset import load
from tests.io.helpers import write_csv

RUN = datetime(2026, 4, 1, 12, 0)
CASES = [["case_id", "order_id", "line_id", "applied_at", "refund_amount"]]
LINES = ["order_id", "line_id", "shop", "paid_amount", "paid_at", "shipped_at", "signed_at"]


def _load(tmp_path, early_rows, late_rows):
    cases = write_csv(tmp_path / "c.csv", CASES + [["C1", "O1", "L1", "2026-03-10 10:00", "50"]])
    early = write_csv(tmp_path / "0305.csv", [LINES, *early_rows])
    late = write_csv(tmp_path / "0331.csv", [LINES, *late_rows])
    return load([cases], [early, late], run_started=RUN)


def test_a_line_listed_again_keeps_the_later_shipping_and_its_amount_once(tmp_path):
    data = _load(
        tmp_path,
        [
            ["O1", "L1", "好物店", "60", "2026-03-01 09:00", "", ""],
            ["O1", "L2", "好物店", "40", "2026-03-01 09:00", "", ""],
        ],
        [["O1", "L1", "好物店", "60", "2026-03-01 09:00", "2026-03-04 08:00", "2026-03-06 15:00"]],
    )
    order = data.orders.row(0, named=True)
    assert order["paid_amount"] == 100.0  # L1 once (60) and L2 (40), not 160
    assert order["shipped_at"] == datetime(2026, 3, 4, 8, 0)  # not the stale blank
    case = data.cases.row(0, named=True)
    assert case["signed_at"] == datetime(2026, 3, 6, 15, 0)  # from the line's later listing
    q002 = data.data_issues.filter(pl.col("check") == "Q002")
    assert q002.height == 1
    issue = q002.row(0, named=True)
    assert (issue["order_id"], issue["cell"], issue["source_row"]) == ("O1", "A2", 2)
    assert "0331.csv" in issue["source_file"]
    assert issue["message_zh"].startswith("同一订单行再次列出：订单编号和子订单号与 ")
    assert "0305.csv!2 行相同" in issue["message_zh"]
    assert "发货时间、签收时间不同" in issue["message_zh"]
    assert "line listed again" in issue["message_en"] and "shipped_at" in issue["message_en"]


def test_lines_listed_once_are_left_as_they_are(tmp_path):
    data = _load(
        tmp_path,
        [["O1", "L1", "好物店", "60", "2026-03-01 09:00", "2026-03-02 08:00", ""]],
        [["O1", "L2", "好物店", "40", "2026-03-01 09:00", "2026-03-03 08:00", ""]],
    )
    assert data.orders["paid_amount"].to_list() == [100.0]
    assert data.orders["shipped_at"].to_list() == [datetime(2026, 3, 3, 8, 0)]
    assert data.data_issues.filter(pl.col("check") == "Q002").height == 0


def test_lines_sharing_only_a_hash_are_told_apart(tmp_path, monkeypatch):
    # Every (order, line) pair hashing alike: the pairs themselves decide what repeats.
    monkeypatch.setattr(
        pl.DataFrame,
        "hash_rows",
        lambda self, *a, **k: pl.Series([7] * self.height, dtype=pl.UInt64),
    )
    data = _load(
        tmp_path,
        [
            ["O1", "L1", "好物店", "60", "2026-03-01 09:00", "", ""],
            ["O1", "L2", "好物店", "40", "2026-03-01 09:00", "", ""],
        ],
        [["O1", "L1", "好物店", "60", "2026-03-01 09:00", "2026-03-04 08:00", ""]],
    )
    assert data.orders["paid_amount"].to_list() == [100.0]
    assert data.orders["shipped_at"].to_list() == [datetime(2026, 3, 4, 8, 0)]
    assert data.data_issues.filter(pl.col("check") == "Q002").height == 1
