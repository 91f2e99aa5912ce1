"""Column-wise cleaning of raw export cells (auditor.io.cleaning)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import polars as pl
import pytest

from auditor.io.cleaning import (
    clean_series,
    length_of_time,
    parse_datetime_columns,
    parse_duration,
    prepare,
)
from auditor.model.fields import Kind


def cleaned(values, kind, **options):
    frame = clean_series(pl.Series("raw", values, dtype=pl.String), kind, **options)
    return frame["value"].to_list(), frame["bad"].to_list()


def test_ids_lose_their_export_wrappers_and_stay_text():
    values, bad = cleaned(
        ['="3553498017448001"', "'4988964832002768612", "\t123", "1234567.0", "AS-01", " 77 "],
        Kind.ID,
    )
    assert values == ["3553498017448001", "4988964832002768612", "123", "1234567", "AS-01", "77"]
    assert bad == [False] * 6


def test_an_id_excel_turned_into_a_float_is_bad_not_guessed():
    values, bad = cleaned(["4.98896E+18", "1.2e+15"], Kind.ID)
    assert values == [None, None]
    assert bad == [True, True]


def test_amounts_with_currency_signs_separators_and_placeholders():
    values, bad = cleaned(
        ["¥1,234.50", "￥12元", "1，000", " 3 ", "无退款申请", "-", "", None, "12.345"], Kind.AMOUNT
    )
    assert values == [1234.5, 12.0, 1000.0, 3.0, None, None, None, None, 12.35]
    assert bad == [False] * 9


def test_an_unreadable_amount_is_flagged():
    values, bad = cleaned(["abc", "12,3x"], Kind.AMOUNT)
    assert values == [None, None]
    assert bad == [True, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01 10:02:03", datetime(2026, 3, 1, 10, 2, 3)),
        ("2026/3/1 10:02", datetime(2026, 3, 1, 10, 2)),
        ("2026年3月1日 10:02", datetime(2026, 3, 1, 10, 2)),
        ("2026年3月1日", datetime(2026, 3, 1)),
        ("2026年3月4日 10时", datetime(2026, 3, 4, 10)),  # Douyin's 承诺发货时间
        ("2026年3月4日 10点30分", datetime(2026, 3, 4, 10, 30)),
        ("2026年3月4日10时30分15秒", datetime(2026, 3, 4, 10, 30, 15)),
        ("2026-03-04 9点整", datetime(2026, 3, 4, 9)),
        ("2026-03-01", datetime(2026, 3, 1)),
        ("2026-03-01T10:02:03", datetime(2026, 3, 1, 10, 2, 3)),
        ("2026-03-01 10:02:03.500", datetime(2026, 3, 1, 10, 2, 3, 500000)),
        ("46082.5", datetime(2026, 3, 1, 12, 0)),  # an Excel serial that arrived as text
        ("46082", datetime(2026, 3, 1)),
    ],
)
def test_datetimes_in_every_export_spelling(text, expected):
    values, bad = cleaned([text], Kind.DATETIME)
    assert values == [expected]
    assert bad == [False]


def test_datetime_placeholders_are_missing_and_nonsense_is_bad():
    values, bad = cleaned(["任意时间", "-", "", "2026-02-30 10:00", "昨天", "123"], Kind.DATETIME)
    assert values == [None, None, None, None, None, None]
    assert bad == [False, False, False, True, True, True]


def test_extra_datetime_formats_from_a_profile():
    values, bad = cleaned(["20260708"], Kind.DATETIME, formats=("%Y%m%d",))
    assert values == [datetime(2026, 7, 8)]
    assert bad == [False]


def test_datetime_fast_path_and_fallback_per_column():
    frame = pl.DataFrame(
        {
            "a": ["2026-03-01 10:00:00", "2026-03-02 11:00:00"],
            "b": ["2026-03-01 10:00:00", "2026/3/2 11:00"],
            "c": ["2026-03-01 10:00:00", "later"],
        }
    )
    out = parse_datetime_columns(frame, {"x": "a", "y": "b", "z": "c"})
    assert out["x"].to_list() == [datetime(2026, 3, 1, 10), datetime(2026, 3, 2, 11)]
    assert out["y"].to_list() == [datetime(2026, 3, 1, 10), datetime(2026, 3, 2, 11)]
    assert out["z"].to_list() == [datetime(2026, 3, 1, 10), None]
    assert out["__bad_z"].to_list() == [False, True]
    assert out["__bad_y"].to_list() == [False, False]


def test_typed_parquet_columns_are_used_as_they_are():
    frame = clean_series(pl.Series([datetime(2026, 3, 1, 8)]), Kind.DATETIME)
    assert frame["value"].to_list() == [datetime(2026, 3, 1, 8)]
    frame = clean_series(pl.Series([12.345, None]), Kind.AMOUNT)
    assert frame["value"].to_list() == [12.35, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("有", True),
        ("无", False),
        ("3", True),  # evidence given as a count of photos
    ],
)
def test_booleans(text, expected):
    values, bad = cleaned([text], Kind.BOOL)
    assert values == [expected]
    assert bad == [False]


def test_booleans_with_a_profile_value_map():
    mapping = {"": False, "无": False, "*": True}  # Douyin 仲裁状态
    values, bad = cleaned(["", "无", "仲裁中", "平台已介入"], Kind.BOOL, mapping=mapping)
    assert values == [False, False, True, True]
    assert bad == [False] * 4


def test_an_unreadable_boolean_is_bad():
    values, bad = cleaned(["maybe"], Kind.BOOL)
    assert values == [None]
    assert bad == [True]


def test_whole_numbers():
    values, bad = cleaned(["5", "4.0", "3星", "4.5", "x"], Kind.INT)
    assert values == [5, 4, 3, None, None]
    assert bad == [False, False, False, True, True]


def test_taobao_durations():
    frame = pl.DataFrame({"t": ["3.5天", "12小时", "2天3小时", "5", "", "x", "-3天"]})
    frame = frame.with_columns(prepare(pl.col("t"), Kind.DATETIME).alias("t"))
    result = parse_duration(pl.col("t"))
    out = frame.select(result.value.alias("v"), result.bad.alias("b"))
    assert out["v"].to_list() == [
        timedelta(days=3, hours=12),
        timedelta(hours=12),
        timedelta(days=2, hours=3),
        timedelta(days=5),
        None,
        None,
        None,  # not 3 days: the sign is not dropped
    ]
    assert out["b"].to_list() == [False, False, False, False, False, True, True]


@pytest.mark.parametrize(
    ("text", "bare_unit", "seconds"),
    [
        ("3.5天", "day", 3.5 * 86400),
        ("2天3小时", None, 2 * 86400 + 3 * 3600),
        ("1天2小时30分", None, 86400 + 2 * 3600 + 1800),
        ("72h", None, 72 * 3600),
        ("48 Hours", None, 48 * 3600),
        ("90分钟", None, 5400),
        ("5", "day", 5 * 86400),
        ("5", "hour", 5 * 3600),
        # A plain number is a length only where the column says its unit.
        ("5", None, None),
        # The whole cell must be the length: these only contain one.
        ("-3天", "day", None),
        ("-3", "day", None),
        ("约3天", "day", None),
        ("3天前", "day", None),
        ("2026-03-04 10:00:00", "day", None),
    ],
)
def test_a_length_of_time_is_the_whole_cell(text, bare_unit, seconds):
    cleaned = length_of_time(pl.col("t"), bare_unit)
    value, bad = pl.DataFrame({"t": [text]}).select(cleaned.value, cleaned.bad).row(0)
    assert value == seconds
    assert bad is (seconds is None)


def test_an_aware_parquet_time_becomes_beijing_wall_time():
    utc = pl.Series([datetime(2026, 3, 1, 2, 0)]).dt.replace_time_zone("UTC")
    frame = clean_series(utc, Kind.DATETIME)
    assert frame["value"].to_list() == [datetime(2026, 3, 1, 10, 0)]
    assert frame["value"].dtype == pl.Datetime("us")


@pytest.mark.parametrize("text", ["26-3-3", "0999-01-01", "9999-12-31", "1899-12-30 10:00:00"])
def test_a_date_outside_2000_to_2099_is_bad_and_not_used(text):
    assert cleaned([text, "2026-03-03"], Kind.DATETIME) == (
        [None, datetime(2026, 3, 3)],
        [True, False],
    )


def test_whole_columns_flag_dates_outside_the_window_apart_from_unreadable_ones():
    frame = pl.DataFrame({"a": ["1970-01-01 08:00:00", "2099-12-31 23:59:59", "x", None]})
    parsed = parse_datetime_columns(frame, {"out": "a"})
    assert parsed["out"].to_list() == [None, datetime(2099, 12, 31, 23, 59, 59), None, None]
    assert parsed["__bad_out"].to_list() == [True, False, True, False]
    assert parsed["__outside_out"].to_list() == [True, False, False, False]


@pytest.mark.parametrize("unit", ["ms", "us", "ns"])
def test_typed_datetimes_are_windowed_before_any_conversion(unit):
    moments = [datetime(1970, 1, 1), datetime(2026, 3, 3), datetime(2100, 1, 1), None]
    column = pl.Series("a", moments, dtype=pl.Datetime(unit))
    if unit != "ns":  # past what ns can hold; in ms it aborts polars if converted to us
        column = pl.concat([column, pl.Series("a", [10**17]).cast(pl.Datetime(unit))])
    parsed = parse_datetime_columns(pl.DataFrame({"a": column}), {"out": "a"})
    assert parsed["out"].to_list()[:4] == [None, datetime(2026, 3, 3), None, None]
    assert parsed["__outside_out"].to_list()[:4] == [True, False, True, False]
    assert all(parsed["__outside_out"].to_list()[4:])


def test_typed_dates_and_aware_datetimes_are_windowed():
    dates = pl.Series([date(1, 1, 1), date(2026, 3, 3), date(9999, 12, 31)])
    frame = clean_series(dates, Kind.DATETIME)
    assert frame["value"].to_list() == [None, datetime(2026, 3, 3), None]
    aware = pl.Series([datetime(2026, 3, 3, 2), datetime(1999, 12, 31)]).dt.replace_time_zone("UTC")
    assert clean_series(aware, Kind.DATETIME)["value"].to_list() == [datetime(2026, 3, 3, 10), None]


def test_number_and_time_typed_date_columns_are_read_as_their_text():
    frame = pl.DataFrame({"n": [20260303, 46084, 5], "t": [time(10)] * 3})
    parsed = parse_datetime_columns(frame, {"N": "n", "T": "t"}, ("%Y%m%d",))
    assert parsed["N"].to_list() == [datetime(2026, 3, 3), datetime(2026, 3, 3), None]
    assert parsed["__bad_N"].to_list() == [False, False, True]
    assert parsed["__bad_T"].to_list() == [True] * 3


def test_typed_ids_are_their_digits_and_inexact_floats_are_bad():
    ints = clean_series(pl.Series([7, 426031000000000149]), Kind.ID)
    assert ints["value"].to_list() == ["7", "426031000000000149"]
    floats = clean_series(pl.Series([12345.0, 2.0**53, 1.5, None]), Kind.ID)
    assert floats["value"].to_list() == ["12345", None, None, None]
    assert floats["bad"].to_list() == [False, True, True, False]


def test_a_whole_float_score_is_its_integer():
    frame = clean_series(pl.Series([5.0, 3.5, None]), Kind.INT)
    assert frame["value"].to_list() == [5, None, None]
    assert frame["bad"].to_list() == [False, True, False]


def test_a_decimal_comma_or_a_foreign_currency_is_no_yuan_amount():
    values, bad = cleaned(
        ["1.500,00", "1,50", "$150", "1,5000", "1,500.00", "¥1,234.50", "RMB 12", "1，000元"],
        Kind.AMOUNT,
    )
    assert values == [None, None, None, None, 1500.0, 1234.5, 12.0, 1000.0]
    assert bad == [True] * 4 + [False] * 4
