"""Amount text read by one cast with the pattern for the cells it misses gives exactly
clean_amount's values, and leaves the input column as it was."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.io.cleaning import clean_amount, parse_amount_columns

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
