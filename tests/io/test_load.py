"""load(): the canonical frames, platform semantics, the orders join and the Q checks."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from auditor.io import load
from auditor.io.issues import ISSUE_SCHEMA
from auditor.model.fields import CASE_FIELDS, ORDER_FIELDS, Kind
from tests.io.helpers import write_xlsx

RUN = datetime(2026, 4, 1, 12, 0)
GENERIC = ["case_id", "order_id", "line_id", "applied_at", "paid_amount", "signed_at", "reason"]


def generic_case(case_id, order_id, line_id=None, applied="2026-03-05 10:00:00", paid=None,
                 signed=None, reason="不想要了"):  # fmt: skip
    return [case_id, order_id, line_id, applied, paid, signed, reason]


def issue_rows(ds, check):
    return (
        ds.data_issues.filter(pl.col("check") == check)
        .select("case_id", "column", "cell", "source_row")
        .rows()
    )


# --------------------------------------------------------------------------- frames


def test_frames_follow_the_contract_types(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "O1")]})
    orders = write_xlsx(
        tmp_path / "o.xlsx", {"s": [["order_id", "paid_at"], ["O1", "2026-03-01 09:00:00"]]}
    )
    ds = load([path], orders=[orders], run_started=RUN)
    kinds = {
        Kind.ID: pl.String,
        Kind.TEXT: pl.String,
        Kind.ENUM: pl.String,
        Kind.AMOUNT: pl.Float64,
        Kind.DATETIME: pl.Datetime("us"),
        Kind.BOOL: pl.Boolean,
        Kind.INT: pl.Int64,
    }
    for spec in CASE_FIELDS:
        assert ds.cases.schema[spec.name] == kinds[spec.kind], spec.name
    for spec in ORDER_FIELDS:
        assert ds.orders.schema[spec.name] == kinds[spec.kind], spec.name
    for frame in (ds.cases, ds.orders):
        assert frame.schema["_src_file"] == pl.String
        assert frame.schema["_src_sheet"] == pl.String
        assert frame.schema["_src_row"] == pl.Int64
        assert frame.schema["_input"] == pl.Int32
    assert ds.cases.schema["_paid_amount_multiline"] == pl.Boolean
    assert dict(ds.data_issues.schema) == ISSUE_SCHEMA
    assert ds.cases["_input"].to_list() == [0]
    assert ds.orders["_input"].to_list() == [1]
    assert [i.kind for i in ds.inputs] == ["cases", "orders"]
    assert len(ds.inputs[0].sha256) == 64


def test_no_orders_means_orders_is_none(tmp_path):
    ds = load([write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "O1")]})])
    assert ds.orders is None
    assert ds.cases["_paid_amount_multiline"].to_list() == [False]


# --------------------------------------------------------------------------- platforms

TAOBAO_C = [
    "订单编号", "退款编号", "支付单号", "退款完结时间", "买家实际支付金额", "宝贝标题", "买家退款金额",
    "售后类型", "退款的申请时间", "退款状态", "客服介入状态", "买家退款原因", "完结时间", "卖家真实姓名",
]  # fmt: skip


@pytest.mark.parametrize(
    ("status", "decision", "state", "refunded"),
    [
        ("买家已经申请退款，等待卖家同意", "pending", "open", None),
        ("卖家已经同意退款，等待买家退货", "approved", "open", None),
        ("买家已经退货，等待卖家确认收货", "approved", "open", None),
        ("卖家拒绝退款", "rejected", "open", None),
        ("退款成功", "approved", "closed", datetime(2026, 3, 4, 9)),
        ("退款关闭", "unknown", "cancelled", None),
    ],
)
def test_taobao_refund_status_table(tmp_path, status, decision, state, refunded):
    row = ["T1", "R1", "P1", "2026-03-04 09:00:00", "99", "裙子", "99", "退货退款",
           "2026-03-01 10:00:00", status, "未介入", "7天无理由退换货", "", "卖家甲"]  # fmt: skip
    ds = load([write_xlsx(tmp_path / "tb.xlsx", {"s": [TAOBAO_C, row]})], run_started=RUN)
    case = ds.cases.row(0, named=True)
    assert ds.inputs[0].profile == "taobao-refund-c"
    assert (case["decision"], case["status"], case["refunded_at"]) == (decision, state, refunded)
    assert case["closed_at"] == datetime(2026, 3, 4, 9)
    assert case["escalated"] is False
    assert case["reason_class"] == "no_reason"
    assert ds.data_issues.height == 0


def test_taobao_completion_given_as_days_is_a_duration(tmp_path):
    row = ["T1", "R1", "P1", "", "99", "裙子", "99", "仅退款", "2026-03-01 10:00:00",
           "退款关闭", "客服介入中", "质量问题", "3.5天", "卖家甲"]  # fmt: skip
    ds = load([write_xlsx(tmp_path / "tb.xlsx", {"s": [TAOBAO_C, row]})], run_started=RUN)
    case = ds.cases.row(0, named=True)
    assert case["closed_at"] == datetime(2026, 3, 1, 10) + timedelta(days=3, hours=12)
    assert case["escalated"] is True
    assert case["case_type"] == "refund_only"
    assert "closed_at" in ds.inputs[0].fields


DOUYIN = ["售后单号", "订单号", "商品单号", "售后类型", "退商品金额（元）", "售后申请时间",
          "同意售后申请时间", "商家退款时间", "仲裁状态", "售后状态", "售后原因"]  # fmt: skip


@pytest.mark.parametrize(
    ("status", "decision", "state"),
    [
        ("待商家处理", "pending", "open"),
        ("待买家退货", "approved", "open"),
        ("待商家收货", "approved", "open"),
        ("同意退款，退款成功", "approved", "closed"),
        ("同意退款,退款成功", "approved", "closed"),  # ASCII comma: the same text
        ("退款成功", "approved", "closed"),
        ("拒绝售后", "rejected", "closed"),
        ("售后关闭", "unknown", "cancelled"),
    ],
)
def test_douyin_status_table(tmp_path, status, decision, state):
    row = ["D1", "O1", "L1", "已发货仅退款", "10.00", "2026-03-01 10:00:00",
           "2026-03-01 11:00:00", "2026-03-01 12:00:00", "", status, "不想要了"]  # fmt: skip
    ds = load([write_xlsx(tmp_path / "dy.xlsx", {"s": [DOUYIN, row]})], run_started=RUN)
    case = ds.cases.row(0, named=True)
    assert (case["decision"], case["status"]) == (decision, state)
    assert case["decided_at"] == datetime(2026, 3, 1, 11)
    assert case["refunded_at"] == datetime(2026, 3, 1, 12)
    assert case["escalated"] is False
    assert case["case_type"] == "refund_only"


def test_unknown_status_texts_are_q001_with_their_counts(tmp_path):
    rows = [
        ["D1", "O1", "L1", "换货", "1", "2026-03-01 10:00:00", "", "", "仲裁中", "神秘状态", "x"],
        ["D2", "O1", "L2", "换货", "1", "2026-03-01 10:00:00", "", "", "无", "神秘状态", "x"],
        ["D3", "O1", "L3", "换货", "1", "2026-03-01 10:00:00", "", "", "", "另一种", "x"],
    ]
    ds = load([write_xlsx(tmp_path / "dy.xlsx", {"s": [DOUYIN, *rows]})], run_started=RUN)
    found = ds.data_issues.filter((pl.col("check") == "Q001") & (pl.col("column") == "status"))
    assert found["cell"].to_list() == ["J2", "J3", "J4"]
    assert found["message_zh"].to_list()[0] == "未知的状态文字「神秘状态」（共 2 行）"
    assert "另一种" in found["message_en"].to_list()[2]
    assert ds.cases["escalated"].to_list() == [True, False, False]
    assert ds.cases["decision"].to_list() == [None, None, None]


# --------------------------------------------------------------------------- Q checks


def test_unparseable_cells_are_located_and_the_rest_of_the_row_is_used(tmp_path):
    header = ["case_id", "order_id", "applied_at", "refund_amount", "evidence", "satisfaction"]
    rows = [["A1", "O1", "2026-03-01 10:00", "abc", "也许", "9"]]
    ds = load([write_xlsx(tmp_path / "c.xlsx", {"s": [header, *rows]})], run_started=RUN)
    assert sorted(issue_rows(ds, "Q001")) == [
        ("A1", "evidence", "E2", 2),
        ("A1", "refund_amount", "D2", 2),
        ("A1", "satisfaction", "F2", 2),
    ]
    case = ds.cases.row(0, named=True)
    assert case["applied_at"] == datetime(2026, 3, 1, 10)
    assert (case["refund_amount"], case["evidence"], case["satisfaction"]) == (None, None, 9)


def test_missing_required_values_and_columns(tmp_path):
    header = ["case_id", "order_id", "applied_at"]
    rows = [["A1", "", "2026-03-01 10:00"], ["", "O2", "2026-03-01 10:00"], ["A3", "O3", ""]]
    ds = load([write_xlsx(tmp_path / "c.xlsx", {"s": [header, *rows]})], run_started=RUN)
    assert issue_rows(ds, "Q001") == [
        ("A1", "order_id", "B2", 2),
        (None, "case_id", "A3", 3),
        ("A3", "applied_at", "C4", 4),
    ]
    assert ds.cases["case_id"].to_list() == ["A1", "A3"]  # a row without an id is not a case
    # A layout without a required column: one issue for the sheet.
    no_time = write_xlsx(tmp_path / "n.xlsx", {"s": [["售后单号", "订单编号", "申请时间"]]})
    assert load([no_time]).cases.height == 0
    headers_only = write_xlsx(
        tmp_path / "m.xlsx",
        {"s": [["case_id", "order_id", "applied_at", "x"], ["A", "O", "", "1"]]},
    )
    assert load([headers_only], run_started=RUN).data_issues.height == 1


def test_duplicates_keep_the_first_in_file_sheet_row_order(tmp_path):
    first = write_xlsx(
        tmp_path / "1.xlsx",
        {
            "a": [GENERIC, generic_case("A1", "O1", reason="质量问题"), generic_case("A2", "O2")],
            "b": [GENERIC, generic_case("A2", "O9")],
        },
    )
    second = write_xlsx(tmp_path / "2.xlsx", {"s": [GENERIC, generic_case("A1", "O7")]})
    ds = load([first, second], run_started=RUN)
    assert ds.cases["case_id"].to_list() == ["A1", "A2"]
    assert ds.cases["order_id"].to_list() == ["O1", "O2"]
    q002 = ds.data_issues.filter(pl.col("check") == "Q002")
    assert q002.select("case_id", "source_file", "source_sheet", "cell").rows() == [
        ("A2", str(first), "b", "A2"),
        ("A1", str(second), "s", "A2"),
    ]
    assert "1.xlsx!a!3" in q002["message_zh"][0]  # where A2 was first seen


def test_timeline_out_of_order_is_q003(tmp_path):
    header = ["case_id", "order_id", "applied_at", "decided_at", "refunded_at",
              "return_shipped_at", "return_received_at"]  # fmt: skip
    row = ["A1", "O1", "2026-03-05 10:00", "2026-03-04 10:00", "2026-03-06 10:00",
           "2026-03-07 10:00", "2026-03-06 12:00"]  # fmt: skip
    ds = load([write_xlsx(tmp_path / "c.xlsx", {"s": [header, row]})], run_started=RUN)
    assert sorted(issue_rows(ds, "Q003")) == [
        ("A1", "decided_at", "D2", 2),
        ("A1", "return_received_at", "G2", 2),
    ]
    assert ds.cases["decided_at"].to_list() == [datetime(2026, 3, 4, 10)]  # used as given


def test_times_after_the_run_started_are_q007(tmp_path):
    rows = [generic_case("A1", "O1", applied="2062-03-05 10:00:00"), generic_case("A2", "O2")]
    ds = load([write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, *rows]})], run_started=RUN)
    assert issue_rows(ds, "Q007") == [("A1", "applied_at", "D2", 2)]
    assert "2062-03-05 10:00:00" in ds.data_issues.filter(pl.col("check") == "Q007")["value"][0]


def test_reasons_no_synonym_classifies_are_q005_once_per_text(tmp_path):
    rows = [
        generic_case("A1", "O1", reason="月亮太圆"),
        generic_case("A2", "O2", reason="月亮太圆"),
        generic_case("A3", "O3", reason="发错货了"),
        generic_case("A4", "O4", reason=None),
    ]
    ds = load([write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, *rows]})], run_started=RUN)
    assert ds.cases["reason_class"].to_list() == ["other", "other", "wrong_item", None]
    q005 = ds.data_issues.filter(pl.col("check") == "Q005")
    assert q005.select("case_id", "cell", "value").rows() == [("A1", "G2", "月亮太圆")]
    assert "共 2 个" in q005["message_zh"][0]
    assert "2 case(s)" in q005["message_en"][0]


# --------------------------------------------------------------------------- orders


ORDER_LINES = ["主订单编号", "子订单编号", "商品标题", "买家实付金额", "订单付款时间", "发货时间"]


def test_sub_order_lines_fold_to_one_order_and_cases_join_their_line(tmp_path):
    lines = [
        ORDER_LINES,
        # (="…" would be a formula in a workbook; tabs and apostrophes are text quirks)
        ["\t900", "'901", "裙子", "100", "2026-03-01 10:00:00", "2026-03-02 10:00:00"],
        ["\t900", "'902", "帽子", "50.5", "2026-03-01 09:00:00", "2026-03-03 10:00:00"],
        ["800", "801.0", "鞋", "30", "2026-03-01 08:00:00", ""],
    ]
    orders = write_xlsx(tmp_path / "orders.xlsx", {"子订单": lines})
    cases = write_xlsx(
        tmp_path / "cases.xlsx",
        {
            "s": [
                GENERIC,
                generic_case("A1", "900", line_id="902"),  # names its line
                generic_case("A2", "900"),  # the whole order: several lines
                generic_case("A3", "800"),  # a one-line order
                generic_case("A4", "900", paid="20"),  # own amount wins
                generic_case("A5", "777"),  # not in the orders export
            ]
        },
    )
    ds = load([cases], orders=[orders], run_started=RUN)
    assert ds.inputs[1].profile == "taobao-orders-suborder"
    order = ds.orders.filter(pl.col("order_id") == "900").row(0, named=True)
    assert order["paid_amount"] == 150.5
    assert order["paid_at"] == datetime(2026, 3, 1, 9)  # earliest
    assert order["shipped_at"] == datetime(2026, 3, 3, 10)  # latest
    assert ds.orders.height == 2
    assert ds.cases["paid_amount"].to_list() == [50.5, 150.5, 30.0, 20.0, None]
    assert ds.cases["_paid_amount_multiline"].to_list() == [False, True, False, False, False]
    assert ds.cases["_order_found"].to_list() == [True, True, True, True, False]
    assert issue_rows(ds, "Q004") == [("A5", "order_id", "B6", 6)]
    # Neither export has a shop column: a case is its own file's shop, order found or not
    # (an orders file's name is no shop a case can take), and the orders export is the shop
    # of the cases that name its orders, as they are all one shop.
    assert ds.cases["shop"].to_list() == ["cases"] * 5
    assert ds.orders["shop"].to_list() == ["cases"] * 2


def test_signed_at_and_category_come_from_the_order_when_blank(tmp_path):
    orders = write_xlsx(
        tmp_path / "o.xlsx",
        {
            "s": [
                ["order_id", "shop", "category", "paid_at", "shipped_at", "signed_at"],
                [
                    "O1",
                    "旗舰店",
                    "女装",
                    "2026-03-01 09:00",
                    "2026-03-02 09:00",
                    "2026-03-03 09:00",
                ],
                [
                    "O2",
                    "旗舰店",
                    "生鲜",
                    "2026-03-01 09:00",
                    "2026-03-04 09:00",
                    "2026-03-03 09:00",
                ],
            ]
        },
    )
    cases = write_xlsx(
        tmp_path / "c.xlsx",
        {"s": [GENERIC, generic_case("A1", "O1"), generic_case("A2", "O2", signed="2026-03-04")]},
    )
    ds = load([cases], orders=[orders], run_started=RUN)
    assert ds.cases["signed_at"].to_list() == [datetime(2026, 3, 3, 9), datetime(2026, 3, 4)]
    assert ds.cases["category"].to_list() == ["女装", "生鲜"]
    assert ds.cases["shop"].to_list() == ["旗舰店", "旗舰店"]
    # Signed before shipped: the order's own row (orders export), and the case's own
    # signed_at against its order; an inherited signed_at is not reported twice.
    assert sorted(
        ds.data_issues.filter(pl.col("check") == "Q003")
        .select("order_id", "column", "source_file", "cell")
        .rows()
    ) == [("O2", "signed_at", str(cases), "F3"), ("O2", "signed_at", str(orders), "F3")]
    present = ds.cases.select(
        ds.field_present("signed_at").alias("signed"),
        ds.field_present("category").alias("category"),
        ds.field_present("refunded_at").alias("refunded"),
        ds.field_present("reason_class").alias("reason_class"),
    )
    assert present.rows() == [(True, True, False, True), (True, True, False, True)]


def test_field_present_follows_each_input_layout(tmp_path):
    with_refund = write_xlsx(
        tmp_path / "a.xlsx",
        {
            "s": [
                ["case_id", "order_id", "applied_at", "refunded_at"],
                ["A1", "O", "2026-03-01", ""],
            ]
        },
    )
    without = write_xlsx(
        tmp_path / "b.xlsx",
        {"s": [["case_id", "order_id", "applied_at"], ["B1", "O", "2026-03-01"]]},
    )
    ds = load([with_refund, without], run_started=RUN)
    assert ds.cases.select(ds.field_present("refunded_at"))["_input"].to_list() == [True, False]
    assert ds.cases.select(ds.field_present("shop")).to_series().to_list() == [True, True]
    assert ds.cases.select(ds.field_present("signed_at")).to_series().to_list() == [False, False]
    assert ds.cases["shop"].to_list() == ["a", "b"]  # the file name when nothing else says


def test_an_order_amount_repeated_on_each_product_row_is_not_summed(tmp_path):
    jd = ["订单号", "商品ID", "商品名称", "应付金额", "下单时间", "付款确认时间", "客户姓名"]
    orders = write_xlsx(
        tmp_path / "jd.xlsx",
        {
            "s": [
                jd,
                ["11729439936", "1001", "耳机", "299.00", "2026-03-01 10:00:00", "2026-03-01 10:01:00", "李"],
                ["11729439936", "1002", "耳机套", "299.00", "2026-03-01 10:00:00", "2026-03-01 10:01:00", "李"],
            ]
        },
    )  # fmt: skip
    cases = write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "11729439936")]})
    ds = load([cases], orders=[orders], run_started=RUN)
    assert ds.inputs[1].profile == "jd-orders"
    assert ds.orders["paid_amount"].to_list() == [299.0]
    assert ds.cases["paid_amount"].to_list() == [299.0]
    assert ds.cases["_paid_amount_multiline"].to_list() == [True]  # several products
    assert "_amount_repeated" not in ds.orders.columns


def test_datetime_cells_with_blanks_around_or_placeholders_read_as_when_prepared(tmp_path):
    """Datetime columns are prepared only where the exact format fails: the outcome is the
    same as trimming every cell first (values, no Q001 for placeholders, blank rows gone)."""
    from tests.io.helpers import write_csv

    header = ["case_id", "order_id", "applied_at", "signed_at"]
    rows = [
        ["A1", "O1", " 2026-03-01 10:00:00\u3000", "-"],
        ["A2", "O2", "2026-03-02 10:00:00", "无"],
        ["", "", "", " -- "],  # blank but for a placeholder in a datetime column
        ["A3", "O3", "2026/3/3 9:05", "  "],
        ["A4", "O4", "2026-03-04 10:00:00", "明天"],
    ]
    ds = load([write_csv(tmp_path / "c.csv", [header, *rows])], run_started=RUN)
    cases = ds.cases.sort("case_id")
    assert cases["case_id"].to_list() == ["A1", "A2", "A3", "A4"]
    assert cases["applied_at"].to_list() == [
        datetime(2026, 3, 1, 10),
        datetime(2026, 3, 2, 10),
        datetime(2026, 3, 3, 9, 5),
        datetime(2026, 3, 4, 10),
    ]
    assert cases["signed_at"].to_list() == [None] * 4
    assert issue_rows(ds, "Q001") == [("A4", "signed_at", "D6", 6)]
    assert ds.data_issues.filter(pl.col("check") == "Q001")["value"].to_list() == ["明天"]


# --------------------------------------------------------------------------- repeated order rows

ORDER_ROWS = [["order_id", "paid_at", "paid_amount"], ["O1", "2026-02-27 10:00:00", "100"]]


def test_the_same_orders_export_given_twice_counts_each_order_once(tmp_path):
    orders = write_xlsx(tmp_path / "o.xlsx", {"s": ORDER_ROWS})
    cases = write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "O1")]})
    ds = load([cases], orders=[orders, orders], run_started=RUN)
    assert ds.orders["paid_amount"].to_list() == [100.0]
    assert ds.cases["paid_amount"].to_list() == [100.0]
    assert ds.cases["_paid_amount_multiline"].to_list() == [False]
    # The same file is read once, and says so (not one Q002 per row).
    assert ds.data_issues.filter(pl.col("check") == "Q002").height == 0
    assert [i.note_zh for i in ds.inputs if i.kind == "orders"] == [
        f"同一文件给出两次，只读一次：{orders}"
    ]


def test_a_repeated_order_row_counts_once_and_different_lines_still_add_up(tmp_path):
    # A per-line export (a line column, SPEC section 4): its lines add up. Without the
    # column each row is a whole order (tests/io/test_orders_listed_again.py).
    rows = [
        ["order_id", "line_id", "paid_at", "paid_amount", "product"],
        ["O1", "L1", "2026-02-27 10:00:00", "100", "裙子"],
        ["O1", "L1", "2026-02-27 10:00:00", "100", "裙子"],  # the same row copied
        ["O2", "L2", "2026-02-27 10:00:00", "30", "鞋"],
        ["O2", "L3", "2026-02-27 10:00:00", "30", "袜子"],  # another line of O2
        ["O2", "L2", "2026-02-27 10:00:00", "30", "鞋"],
    ]
    orders = write_xlsx(tmp_path / "o.xlsx", {"s": rows})
    cases = write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "O1")]})
    ds = load([cases], orders=[orders], run_started=RUN)
    assert ds.orders.sort("order_id")["paid_amount"].to_list() == [100.0, 60.0]
    assert issue_rows(ds, "Q002") == [(None, "order_id", "A3", 3), (None, "order_id", "A6", 6)]
    messages = ds.data_issues.filter(pl.col("check") == "Q002")["message_zh"].to_list()
    assert ["o.xlsx!s!2" in messages[0], "o.xlsx!s!4" in messages[1]] == [True, True]


def test_orders_with_every_line_id_distinct_have_no_repeated_rows(tmp_path):
    rows = [
        ["order_id", "line_id", "paid_at", "paid_amount"],
        ["O1", "L1", "2026-02-27 10:00:00", "100"],
        ["O1", "L2", "2026-02-27 10:00:00", "100"],
    ]
    orders = write_xlsx(tmp_path / "o.xlsx", {"s": rows})
    cases = write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "O1")]})
    ds = load([cases], orders=[orders], run_started=RUN)
    assert ds.orders["paid_amount"].to_list() == [200.0]
    assert issue_rows(ds, "Q002") == []


# --------------------------------------------------------------------------- forced profiles


def test_an_orders_profile_forced_with_no_orders_file_is_refused(tmp_path):
    from auditor.errors import AuditorError

    cases = write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "O1")]})
    with pytest.raises(AuditorError) as error:
        load([cases], profile="generic-orders", run_started=RUN)
    [problem] = error.value.problems
    assert problem.column == "--profile"
    assert "generic-orders" in problem.message_zh and "--orders" in problem.message_zh
    assert "is an orders layout and applies to --orders files" in problem.message_en


def test_an_orders_profile_forced_with_an_orders_file_reads_the_orders_by_it(tmp_path):
    orders = write_xlsx(tmp_path / "o.xlsx", {"s": ORDER_ROWS})
    cases = write_xlsx(tmp_path / "c.xlsx", {"s": [GENERIC, generic_case("A1", "O1")]})
    ds = load([cases], orders=[orders], profile="generic-orders", run_started=RUN)
    assert [i.profile for i in ds.inputs] == ["generic", "generic-orders"]
