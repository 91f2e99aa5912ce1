"""An order listed again in an export of one row per order (no line column) is the same
order, not a second line: its amount is not added, its shipped time counts, and each later
listing is a located Q002 (SPEC section 4: only a per-line export sums its amounts)."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.io.dataset import conform, load
from auditor.io.join import fold_orders
from auditor.model.fields import ORDER_FIELDS
from tests.io.helpers import write_csv

RUN = datetime(2026, 4, 1, 12, 0)
CASES = [["case_id", "order_id", "line_id", "applied_at", "refund_amount"]]
ORDERS = ["order_id", "shop", "paid_amount", "paid_at", "shipped_at"]


def _cases(tmp_path, *rows):
    return write_csv(tmp_path / "c.csv", CASES + [list(r) for r in rows])


def _q002(data) -> pl.DataFrame:
    return data.data_issues.filter(pl.col("check") == "Q002")


def test_an_order_listed_twice_in_one_export_counts_once_with_its_shipped_time(tmp_path):
    orders = write_csv(
        tmp_path / "o.csv",
        [
            ORDERS,
            ["O1", "好物店", "100", "2026-03-01 09:00", ""],
            ["O2", "好物店", "30", "2026-03-01 09:00", "2026-03-01 12:00"],
            ["O1", "好物店", "100", "2026-03-01 09:00", "2026-03-02 08:00"],
        ],
    )
    data = load(
        [_cases(tmp_path, ["C1", "O1", None, "2026-03-05", "80"])], [orders], run_started=RUN
    )
    o1 = data.orders.filter(pl.col("order_id") == "O1").row(0, named=True)
    assert o1["paid_amount"] == 100.0  # not 200: A003 still sees what the buyer paid
    assert o1["shipped_at"] == datetime(2026, 3, 2, 8, 0)
    assert data.cases["_paid_amount_multiline"].to_list() == [False]  # one order, not 2 lines
    issue = _q002(data).row(0, named=True)
    assert _q002(data).height == 1
    assert (issue["order_id"], issue["column"], issue["cell"], issue["source_row"]) == (
        "O1",
        "order_id",
        "A4",
        4,
    )
    assert issue["message_zh"].startswith("同一订单再次列出：订单编号与 ")
    assert "o.csv!2 行相同" in issue["message_zh"]
    assert "发货时间不同" in issue["message_zh"] and "金额不相加" in issue["message_zh"]
    assert "实付金额不一致" not in issue["message_zh"]
    assert "listed again" in issue["message_en"] and "shipped_at" in issue["message_en"]


def test_a_listing_with_another_amount_says_which_amount_counts(tmp_path):
    header = ["order_id", "paid_amount", "paid_at"]
    first = write_csv(tmp_path / "0301.csv", [header, ["O1", "100", "2026-03-01 09:00"]])
    second = write_csv(tmp_path / "0331.csv", [header, ["O1", "90.5", "2026-03-01 09:00"]])
    data = load([_cases(tmp_path, ["C1", "O1", None, "2026-03-05", "80"])], [first, second])
    assert data.orders["paid_amount"].to_list() == [100.0]
    [message] = _q002(data)["message_zh"].to_list()
    assert "0301.csv!2 行" in message and "实付金额不同" in message
    assert message.endswith("；实付金额不一致（本行 90.50，按 100.00 计）")
    [english] = _q002(data)["message_en"].to_list()
    assert english.endswith("; the paid amounts differ (this row 90.50, 100.00 is counted)")


def test_per_line_and_per_order_exports_in_one_month_each_fold_as_they_are(tmp_path):
    lines = write_csv(
        tmp_path / "lines.csv",
        [
            ["order_id", "line_id", "paid_amount", "paid_at"],
            ["L-O1", "L1", "60", "2026-03-01 09:00"],
            ["L-O1", "L2", "40", "2026-03-01 09:00"],
            ["O3", "L3", "20", "2026-03-01 09:00"],
        ],
    )
    whole = write_csv(
        tmp_path / "whole.csv",
        [
            ["order_id", "paid_amount", "paid_at", "shipped_at"],
            ["O2", "50", "2026-03-01 09:00", ""],
            ["O2", "50", "2026-03-01 09:00", "2026-03-02 09:00"],
            ["O3", "25", "2026-03-01 09:00", ""],  # O3's order total: its line is 20
        ],
    )
    cases = _cases(
        tmp_path,
        ["C1", "O2", None, "2026-03-05", "10"],
        ["C2", "L-O1", None, "2026-03-05", "10"],
        ["C3", "O3", None, "2026-03-05", "10"],
    )
    data = load([cases], [lines, whole])
    amounts = dict(data.orders.select("order_id", "paid_amount").iter_rows())
    assert amounts == {"L-O1": 100.0, "O2": 50.0, "O3": 25.0}
    # The cases take their order's amount; only L-O1's is the total of several lines.
    assert data.cases["paid_amount"].to_list() == [50.0, 100.0, 25.0]
    assert data.cases["_paid_amount_multiline"].to_list() == [False, True, False]
    # Only O2's second row is a repeat: an order in both kinds of export is not reported.
    assert _q002(data).select("order_id", "source_row").rows() == [("O2", 3)]


def test_product_rows_repeating_the_order_amount_are_not_listings_again(tmp_path):
    # JD: one row per product, each with the order's amount (fold_amount: max).
    jd = write_csv(
        tmp_path / "jd.csv",
        [
            ["订单号", "商品名称", "应付金额", "付款确认时间"],
            ["J1", "鞋", "80", "2026-03-01 09:00"],
            ["J1", "袜子", "80", "2026-03-01 09:00"],
        ],
    )
    data = load([_cases(tmp_path, ["C1", "J1", None, "2026-03-05", "10"])], [jd])
    assert data.orders["paid_amount"].to_list() == [80.0]
    assert _q002(data).height == 0


def test_two_shopless_exports_are_not_two_shops(tmp_path):
    header = ["order_id", "paid_amount", "paid_at", "shipped_at"]
    early = write_csv(tmp_path / "orders_0301.csv", [header, ["O1", "100", "2026-03-01 09:00", ""]])
    late = write_csv(
        tmp_path / "orders_0331.csv",
        [header, ["O1", "100", "2026-03-01 09:00", "2026-03-03 21:00"]],
    )
    data = load([_cases(tmp_path, ["C1", "O1", None, "2026-03-05", "10"])], [early, late])
    assert data.orders["shipped_at"].to_list() == [datetime(2026, 3, 3, 21, 0)]
    [message] = _q002(data)["message_zh"].to_list()
    assert "店铺不同" not in message and "orders_0301.csv!2 行" in message


def test_a_blank_shop_and_a_named_shop_are_one_shop_and_two_named_shops_are_two(tmp_path):
    from auditor.io.dataset import _letters_frame, _other_shops_lines

    lines = conform(
        pl.DataFrame(
            {
                "order_id": ["O1", "O1", "O2", "O2", "O2"],
                "shop": [None, "甲", "甲", None, "乙"],
                "_src_file": ["a.csv"] * 5,
                "_src_row": [2, 3, 4, 5, 6],
                "_input": [1] * 5,
            }
        ),
        ORDER_FIELDS,
    )
    kept, issues = _other_shops_lines(lines, _letters_frame([]))
    assert kept["_src_row"].to_list() == [2, 3, 4, 5]
    assert issues["message_zh"].to_list() == [
        "订单编号与 a.csv!4 行的订单相同但店铺不同（本行 乙，该订单 甲）；以首次出现为准，本行不计"
    ]
    only_blank = lines.with_columns(pl.lit(None, dtype=pl.String).alias("shop"))
    assert _other_shops_lines(only_blank, _letters_frame([]))[1].height == 0


def test_the_same_file_given_twice_is_read_once_and_says_so(tmp_path):
    cases = _cases(tmp_path, ["C1", "O1", None, "2026-03-05", "10"])
    data = load([cases, f"{tmp_path}/./c.csv", cases])
    assert data.cases.height == 1 and _q002(data).height == 0
    [info] = data.inputs
    assert info.note_zh == f"同一文件给出 3 次，只读一次：{cases}"
    assert info.note_en == f"the same file was given 3 times; it is read once: {cases}"


# --------------------------------------------------------------------------- the fold


FOLD_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["O1", "O2", "O3", "O4"]),
        st.one_of(st.none(), st.sampled_from([10.0, 10.005, 99.99])),
        st.booleans(),  # a whole order (per-order export) or a line
        st.booleans(),  # amount repeated on each product row
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda row: row[0],  # one row per order: the shortcut's case
)


@settings(max_examples=40, deadline=None)
@given(rows=FOLD_ROWS)
def test_the_one_row_per_order_shortcut_folds_as_the_aggregation(rows):
    frame = conform(
        pl.DataFrame(
            {
                "order_id": [r[0] for r in rows],
                "paid_amount": [r[1] for r in rows],
                "_src_file": "o.csv",
                "_src_row": list(range(2, len(rows) + 2)),
                "_input": 1,
            },
            schema_overrides={"paid_amount": pl.Float64},
        ),
        ORDER_FIELDS,
    ).with_columns(
        pl.Series("_per_order", [r[2] for r in rows]),
        pl.Series("_amount_repeated", [r[3] for r in rows]),
    )
    shortcut = fold_orders(frame)
    with pytest.MonkeyPatch.context() as patch:  # every hash equal: the aggregation runs
        patch.setattr(pl.Expr, "hash", lambda self, *a, **k: self.is_null().cast(pl.UInt64) * 0 + 7)
        aggregated = fold_orders(frame)
    assert shortcut.equals(aggregated)
