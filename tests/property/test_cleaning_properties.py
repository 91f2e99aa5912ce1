"""Property tests of the cleaners (auditor.io.cleaning): any text in, never an exception, a
value of the canonical type or null, and `bad` exactly when a non-blank cell was not read."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.io.cleaning import (
    AMOUNT_MAX,
    FALSE_TEXTS,
    TRUE_TEXTS,
    clean_series,
    parse_datetime_columns,
    prepare,
)
from auditor.model.fields import Kind

FAST = settings(max_examples=60, deadline=None)
cells = st.lists(st.one_of(st.none(), st.text(max_size=24)), min_size=1, max_size=12)


def cleaned(values: list, kind: Kind) -> pl.DataFrame:
    return clean_series(pl.Series("raw", values, dtype=pl.String), kind)


def blank_after_prepare(values: list, kind: Kind) -> list[bool]:
    frame = pl.DataFrame({"raw": pl.Series(values, dtype=pl.String)})
    return frame.select(prepare(pl.col("raw"), kind).is_null().alias("raw"))["raw"].to_list()


def assert_bad_iff_unread(values: list, kind: Kind, frame: pl.DataFrame) -> None:
    blank = blank_after_prepare(values, kind)
    for is_blank, value, bad in zip(blank, frame["value"], frame["bad"], strict=True):
        assert bad == (not is_blank and value is None)


@FAST
@given(cells)
def test_any_text_as_an_id_is_text_or_null(values):
    frame = cleaned(values, Kind.ID)
    assert frame.schema["value"] == pl.String
    for value in frame["value"]:
        assert value is None or (value and value == value.strip("=\"' \t"))


@FAST
@given(
    st.integers(min_value=0, max_value=10**19 - 1),
    st.sampled_from(['="{}"', "'{}", "\t{}", "{}.0", "{}"]),
)
def test_an_id_written_any_export_way_is_its_digits(number, spelling):
    value = cleaned([spelling.format(number)], Kind.ID)["value"][0]
    assert value == str(number)


@FAST
@given(cells)
def test_any_text_as_an_amount_is_a_finite_amount_or_reported(values):
    frame = cleaned(values, Kind.AMOUNT)
    for value in frame["value"]:
        assert value is None or (math.isfinite(value) and abs(value) < AMOUNT_MAX)
        assert value is None or round(value, 2) == value
    assert_bad_iff_unread(values, Kind.AMOUNT, frame)


@FAST
@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["{}", "¥{}", "￥{}元", "{} 元", "RMB{}"]),
    st.booleans(),
)
def test_an_amount_written_with_currency_and_separators_is_read(amount, spelling, grouped):
    text = f"{amount:,}" if grouped else str(amount)
    value = cleaned([spelling.format(text)], Kind.AMOUNT)["value"][0]
    assert Decimal(str(value)) == amount


@FAST
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=10))
def test_typed_amounts_from_parquet_are_finite_or_reported(values):
    frame = clean_series(pl.Series("raw", values, dtype=pl.Float64), Kind.AMOUNT)
    for raw, value, bad in zip(values, frame["value"], frame["bad"], strict=True):
        readable = math.isfinite(raw) and abs(raw) < AMOUNT_MAX
        assert (value is not None) == readable
        assert bad == (not readable)


@FAST
@given(cells)
def test_any_text_as_a_whole_number_never_raises(values):
    frame = cleaned(values, Kind.INT)
    assert frame.schema["value"] == pl.Int64
    assert_bad_iff_unread(values, Kind.INT, frame)


@FAST
@given(cells)
def test_any_text_as_a_yes_no_value_never_raises(values):
    frame = cleaned(values, Kind.BOOL)
    assert frame.schema["value"] == pl.Boolean
    assert_bad_iff_unread(values, Kind.BOOL, frame)


@FAST
@given(st.lists(st.sampled_from(TRUE_TEXTS + FALSE_TEXTS), min_size=1, max_size=10))
def test_yes_and_no_words_are_read(words):
    values = cleaned(words, Kind.BOOL)["value"].to_list()
    assert values == [w in TRUE_TEXTS for w in words]


moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
)
SPELLINGS = [
    lambda m: m.strftime("%Y-%m-%d %H:%M:%S"),
    lambda m: f"{m.year}/{m.month}/{m.day} {m:%H:%M:%S}",
    lambda m: f"{m.year}年{m.month}月{m.day}日 {m:%H:%M:%S}",
    lambda m: m.strftime("%Y-%m-%dT%H:%M:%S"),
]


@FAST
@given(moments, st.sampled_from(SPELLINGS))
def test_a_datetime_in_any_export_spelling_is_that_moment(moment, spelling):
    frame = cleaned([spelling(moment)], Kind.DATETIME)
    assert frame["value"][0] == moment and frame["bad"][0] is False


@FAST
@given(cells)
def test_any_text_as_a_datetime_never_raises(values):
    frame = cleaned(values, Kind.DATETIME)
    assert frame.schema["value"] == pl.Datetime("us")
    assert_bad_iff_unread(values, Kind.DATETIME, frame)


@FAST
@given(cells, cells)
def test_whole_datetime_columns_agree_with_the_single_cleaner(first, second):
    size = min(len(first), len(second))
    raw = pl.DataFrame(
        {
            "a": pl.Series(first[:size], dtype=pl.String),
            "b": pl.Series(second[:size], dtype=pl.String),
        }
    )
    prepared = raw.select(prepare(pl.col(c), Kind.DATETIME).alias(c) for c in ("a", "b"))
    parsed = parse_datetime_columns(prepared, {"out_a": "a", "out_b": "b"})
    for source, output in (("a", "out_a"), ("b", "out_b")):
        alone = cleaned(raw[source].to_list(), Kind.DATETIME)
        assert parsed[output].to_list() == alone["value"].to_list()
        assert parsed[f"__bad_{output}"].to_list() == alone["bad"].to_list()
