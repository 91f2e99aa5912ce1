"""Joining and folding on hashed ids gives exactly the string-keyed result."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.io.join import left_join_on_id

ids = st.one_of(st.none(), st.sampled_from(["A1", "A2", "426031000000000037", "", "x"]))


def by_string(left: pl.DataFrame, right: pl.DataFrame, key: str) -> pl.DataFrame:
    return left.join(right, on=key, how="left", maintain_order="left")


@settings(max_examples=60, deadline=None)
@given(left=st.lists(ids, max_size=12), right=st.lists(ids, max_size=8, unique=True))
def test_hashed_join_equals_the_string_join(left, right) -> None:
    lhs = pl.DataFrame(
        {"k": left, "n": list(range(len(left)))}, schema={"k": pl.String, "n": pl.Int64}
    )
    rhs = pl.DataFrame(
        {"k": right, "v": list(range(len(right)))}, schema={"k": pl.String, "v": pl.Int64}
    )
    assert left_join_on_id(lhs, rhs, "k").equals(by_string(lhs, rhs, "k"))


def test_a_null_id_matches_nothing() -> None:
    lhs = pl.DataFrame({"k": [None, "A"]}, schema={"k": pl.String})
    rhs = pl.DataFrame({"k": [None, "A"], "v": [1, 2]}, schema={"k": pl.String, "v": pl.Int64})
    assert left_join_on_id(lhs, rhs, "k")["v"].to_list() == [None, 2]


@pytest.fixture
def every_hash_collides(monkeypatch):
    """Two different ids sharing a hash: made certain by giving every id the same one (a
    column of 7s as long as the input, so Series.hash, built on it, collides too)."""
    monkeypatch.setattr(
        pl.Expr, "hash", lambda self, *args, **kwargs: self.is_null().cast(pl.UInt64) * 0 + 7
    )


def test_a_hash_collision_falls_back_to_the_string_join(every_hash_collides) -> None:
    lhs = pl.DataFrame({"k": ["A", "B", "C"]})
    rhs = pl.DataFrame({"k": ["B", "A"], "v": [2, 1]})
    assert left_join_on_id(lhs, rhs, "k")["v"].to_list() == [1, 2, None]


@pytest.mark.parametrize("collide", [False, True])
def test_repeated_case_ids_are_found_whether_or_not_hashes_collide(request, collide) -> None:
    from auditor.io.dataset import _duplicates, _letters_frame

    if collide:
        request.getfixturevalue("every_hash_collides")
    cases = pl.DataFrame(
        {
            "case_id": ["A", "B", "A", None, "C"],
            "_src_file": ["m.csv"] * 5,
            "_src_sheet": [None] * 5,
            "_src_row": [2, 3, 4, 5, 6],
            "_input": [0] * 5,
        },
        schema_overrides={"_src_sheet": pl.String, "_input": pl.Int32},
    )
    kept, issues = _duplicates(cases, _letters_frame([]))
    assert kept["_src_row"].to_list() == [2, 3, 5, 6]
    assert issues["source_row"].to_list() == [4]


def _order_lines() -> pl.DataFrame:
    from datetime import datetime

    from auditor.io.dataset import ORDER_FIELDS, conform

    day = datetime(2026, 3, 1, 10)
    return conform(
        pl.DataFrame(
            {
                "order_id": ["O1", "O1", "O2", "O3", "O3"],
                "line_id": ["L1", "L2", None, "L4", "L4"],  # a null id, a repeated one
                "paid_amount": [10.0, 20.0, 5.0, 7.0, 7.0],
                "shop": ["甲", "甲", "乙", None, "丙"],
                "category": ["服装", "鞋", None, "食品", "食品"],
                "paid_at": [day, day, day, day, day],
                "signed_at": [day, None, day, day, day],
                "product": ["衬衫", "鞋子", "帽子", "饼干", "饼干"],
            }
        ).with_columns(
            pl.lit("orders.xlsx").alias("_src_file"),
            pl.int_range(2, 7).alias("_src_row"),
            pl.lit(1, dtype=pl.Int32).alias("_input"),
        ),
        ORDER_FIELDS,
        {"_amount_repeated": pl.Boolean},
    ).with_columns(pl.col("_amount_repeated").fill_null(False))


def test_the_slim_lines_join_as_every_line_does() -> None:
    from auditor.io.dataset import CASE_FIELDS, conform
    from auditor.io.join import fold_orders, join_orders, lines_for_join

    lines = _order_lines()
    cases = conform(
        pl.DataFrame(
            {
                "case_id": ["C1", "C2", "C3", "C4", "C5"],
                "order_id": ["O1", "O1", "O2", "O3", "O9"],
                "line_id": ["L2", None, None, "L4", "L9"],
            }
        ),
        CASE_FIELDS,
    )
    slim = lines_for_join(lines)
    assert slim.width < lines.width and slim["line_id"].null_count() == 0
    full = join_orders(cases, lines, fold_orders(lines))
    assert join_orders(cases, slim, fold_orders(lines)).equals(full)
    assert full["category"].to_list() == ["鞋", "服装", None, "食品", None]
    assert full["_paid_amount_multiline"].to_list() == [False, True, False, False, False]


def by_text(ids: list) -> list:
    series = pl.Series(ids, dtype=pl.String)
    return (series.is_first_distinct() | series.is_null()).to_list()


@settings(max_examples=80, deadline=None)
@given(values=st.lists(ids, max_size=15))
def test_first_occurrence_on_hashes_equals_the_text(values) -> None:
    from auditor.io.dataset import first_occurrence

    assert first_occurrence(pl.Series(values, dtype=pl.String)).to_list() == by_text(values)


@pytest.mark.parametrize(
    "values", [["A", "B", "A", None, "C", None, "B"], ["x", "y", "z"], [None, None], []]
)
def test_first_occurrence_when_every_hash_collides(every_hash_collides, values) -> None:
    from auditor.io.dataset import first_occurrence

    assert pl.Series(["a", "b"]).hash().to_list() == [7, 7]
    assert first_occurrence(pl.Series(values, dtype=pl.String)).to_list() == by_text(values)


@pytest.mark.parametrize("collide", [False, True])
def test_repeated_order_rows_are_found_whether_or_not_hashes_collide(request, collide) -> None:
    from auditor.io.dataset import _letters_frame, _repeated_order_lines, conform
    from auditor.model.fields import ORDER_FIELDS

    if collide:
        request.getfixturevalue("every_hash_collides")
    lines = conform(
        pl.DataFrame(
            {
                "order_id": ["O1", "O1", "O2", "O1", "O2"],
                "paid_amount": [100.0, 100.0, 30.0, 100.0, 31.0],
                "_src_file": ["o.csv"] * 5,
                "_src_row": [2, 3, 4, 5, 6],
                "_input": [1] * 5,
            }
        ),
        ORDER_FIELDS,
    )
    kept, issues = _repeated_order_lines(lines, _letters_frame([]))
    assert kept["_src_row"].to_list() == [2, 4, 6]
    assert issues["source_row"].to_list() == [3, 5]
    assert all("o.csv!2" in m for m in issues["message_zh"])


def _lines_of_shops(order_ids: list, shops: list) -> pl.DataFrame:
    from auditor.io.dataset import conform
    from auditor.model.fields import ORDER_FIELDS

    n = len(order_ids)
    return conform(
        pl.DataFrame(
            {
                "order_id": order_ids,
                "shop": shops,
                "_src_file": ["a.csv"] * (n // 2) + ["b.csv"] * (n - n // 2),
                "_src_row": list(range(2, n + 2)),
                "_input": [1] * n,
            }
        ),
        ORDER_FIELDS,
    )


@pytest.mark.parametrize("collide", [False, True])
def test_an_order_id_of_two_shops_keeps_the_first_shops_lines(request, collide) -> None:
    from auditor.io.dataset import _letters_frame, _other_shops_lines

    if collide:
        request.getfixturevalue("every_hash_collides")
    lines = _lines_of_shops(
        ["O1", "O2", "O1", "O3", "O1", "O2"], ["甲", "甲", "甲", "乙", "乙", "甲"]
    )
    kept, issues = _other_shops_lines(lines, _letters_frame([]))
    assert kept["_src_row"].to_list() == [2, 3, 4, 5, 7]
    assert issues["source_row"].to_list() == [6]
    assert issues["message_zh"].to_list() == [
        "订单编号与 a.csv!2 行的订单相同但店铺不同（本行 乙，该订单 甲）；以首次出现为准，本行不计"
    ]
    assert "(this row: 乙, that order: 甲)" in issues["message_en"][0]


@pytest.mark.parametrize("collide", [False, True])
def test_orders_of_one_shop_each_are_kept_as_they_are(request, collide) -> None:
    from auditor.io.dataset import _letters_frame, _other_shops_lines

    if collide:  # every order id shares a hash: the lines are looked at, and all kept
        request.getfixturevalue("every_hash_collides")
    lines = _lines_of_shops(["O1", "O2", "O1", "O3"], ["甲", "乙", "甲", "丙"])
    kept, issues = _other_shops_lines(lines, _letters_frame([]))
    assert kept.equals(lines) and issues.height == 0
    empty = lines.clear()
    assert _other_shops_lines(empty, _letters_frame([]))[0].equals(empty)
