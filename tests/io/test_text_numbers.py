"""Amounts and whole numbers in text, read by one cast with the pattern for the cells it
misses, give exactly clean_amount's and clean_int's values, and leave the input as it was."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.io.cleaning import clean_amount, clean_int, parse_amount_columns, parse_int_columns

PIECES = ["1", "2", "0", "9", ".", ",", "，", "¥", "￥", "$", "元", " ", "+", "-", "e", "E"]
WORDS = ["RMB", "CNY", "inf", "-inf", "NaN", "1e20", "1e14", "12.345", "0.005", "免费"]
amount_text = st.one_of(
    st.none(),
    st.lists(st.sampled_from(PIECES + WORDS), min_size=1, max_size=6).map("".join),
)


def by_pattern(frame: pl.DataFrame, column: str) -> pl.Series:
    return frame.select(clean_amount(pl.col(column)).value).to_series()


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(amount_text, max_size=12), other=st.lists(amount_text, max_size=12))
def test_cast_first_then_pattern_equals_the_pattern_everywhere(cells, other) -> None:
    other = (other + [None] * len(cells))[: len(cells)]
    frame = pl.DataFrame({"a": cells, "b": other}, schema={"a": pl.String, "b": pl.String})
    parsed = parse_amount_columns(frame, {"x": "a", "y": "b"})
    assert parsed["x"].to_list() == by_pattern(frame, "a").to_list()
    assert parsed["y"].to_list() == by_pattern(frame, "b").to_list()
    assert parsed.select("a", "b").equals(frame)


def test_plain_numbers_and_written_amounts_side_by_side() -> None:
    frame = pl.DataFrame({"a": ["129.00", "¥2,208.30", None, "12元", "1e20", "abc", "12.345"]})
    values = parse_amount_columns(frame, {"x": "a"})["x"].to_list()
    assert values == [129.0, 2208.3, None, 12.0, None, None, 12.35]


def test_an_all_null_column_stays_null() -> None:
    frame = pl.DataFrame({"a": [None, None]}, schema={"a": pl.Null})
    assert parse_amount_columns(frame, {"x": "a"})["x"].to_list() == [None, None]


INT_PIECES = ["1", "5", "0", ".", "0", "e", "3", "-", "+", "星", "分", "颗星", " ", "inf", "1e16"]
int_text = st.one_of(
    st.none(), st.lists(st.sampled_from(INT_PIECES), min_size=1, max_size=5).map("".join)
)


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(int_text, max_size=12))
def test_whole_numbers_cast_first_equal_clean_int(cells) -> None:
    frame = pl.DataFrame({"a": cells}, schema={"a": pl.String})
    parsed = parse_int_columns(frame, {"x": "a"})
    expected = frame.select(clean_int(pl.col("a")).value).to_series()
    assert parsed["x"].dtype == pl.Int64
    assert parsed["x"].to_list() == expected.to_list()
    assert parsed.select("a").equals(frame)


def test_scores_with_units_and_fractions() -> None:
    frame = pl.DataFrame({"a": ["5", "4星", "3分", "2颗星", "4.0", "4.5", "1e16", None, "好"]})
    values = parse_int_columns(frame, {"x": "a"})["x"].to_list()
    assert values == [5, 4, 3, 2, 4, None, None, None, None]
