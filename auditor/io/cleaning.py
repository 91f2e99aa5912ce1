"""Column-wise cleaning of raw export cells into canonical types.

Every cleaner takes a column prepared by `prepare()` (trimmed text, blank placeholders
as null; or an already typed column from parquet, left as it is) and returns a `Cleaned` pair of expressions: the typed value, and a Boolean
"unparseable" flag (a non-blank cell that could not be read), which becomes a located Q001
data issue while the rest of the row is still used. Nothing here loops over rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from auditor.frames import ENGINE
from auditor.model.fields import EARLIEST, FIRST_YEAR, LAST_YEAR, LATEST, Kind

# Cells that mean "nothing here" in real exports (compared after trimming, lower-cased).
PLACEHOLDERS = ("", "-", "--", "—", "——", "/", "任意时间", "null", "none", "nan", "n/a", "#n/a")
# Amount placeholders: Taobao writes 无退款申请 in its refund amount column.
AMOUNT_PLACEHOLDERS = (*PLACEHOLDERS, "无", "无退款申请", "无需退款")
DATETIME_PLACEHOLDERS = (*PLACEHOLDERS, "无", "0000-00-00 00:00:00", "0000-00-00")

TRUE_TEXTS = ("是", "y", "yes", "true", "t", "1", "有", "已上传", "已确认", "已介入", "√", "✓")
FALSE_TEXTS = ("否", "n", "no", "false", "f", "0", "无", "未上传", "未确认", "未介入", "×")

DATETIME = pl.Datetime("us")
BEIJING_TZ = "Asia/Shanghai"
# Excel's day 0 is 1899-12-30 (the 1900 leap-year bug makes serials count from there).
EXCEL_EPOCH = pl.datetime(1899, 12, 30, time_unit="us")
# Serials between these are taken as datetimes (1954-10-03 .. 2173-10-14): no plausible
# id or amount in a datetime column looks like that, and real dates all fall inside.
SERIAL_MIN, SERIAL_MAX = 20000, 100000
# Outside the model's years (model.fields.EARLIEST..LATEST) a moment is a bad cell, and says so.
WINDOW_ZH = f"日期不在 {FIRST_YEAR}–{LAST_YEAR} 年之间"
WINDOW_EN = f"date not between the years {FIRST_YEAR} and {LAST_YEAR}"
BUILTIN_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


@dataclass(frozen=True)
class Cleaned:
    value: pl.Expr
    bad: pl.Expr


def _with_cases(words: tuple[str, ...]) -> list[str]:
    # Matching against every spelling is cheaper than lower-casing a whole column.
    return sorted({v for w in words for v in (w, w.lower(), w.upper(), w.capitalize())})


def placeholders_for(kind: Kind | None) -> tuple[str, ...]:
    if kind == Kind.AMOUNT:
        return AMOUNT_PLACEHOLDERS
    if kind == Kind.DATETIME:
        return DATETIME_PLACEHOLDERS
    return PLACEHOLDERS


def prepare(raw: pl.Expr, kind: Kind | None = None) -> pl.Expr:
    """Trimmed text with blank placeholders as null: the input of every cleaner below.

    strip_chars() trims Unicode whitespace (tab, the ideographic space, U+00A0). The
    cleaners take this as a materialised column: building it once keeps their
    expressions small (a nested placeholder test repeated in every branch is slow).
    """
    return without_placeholders(trimmed(raw), kind)


def trimmed(raw: pl.Expr) -> pl.Expr:
    """`prepare()`'s first half: the text with surrounding whitespace trimmed."""
    return raw.cast(pl.String).str.strip_chars()


def without_placeholders(text: pl.Expr, kind: Kind | None = None) -> pl.Expr:
    """`prepare()`'s second half, on trimmed text: blank placeholders (-, 无, N/A) as null."""
    return pl.when(text.is_in(_with_cases(placeholders_for(kind)))).then(None).otherwise(text)


def normalised_text(text: pl.Expr) -> pl.Expr:
    """Enum/status text for matching (as profile.normalise_value): no whitespace, ASCII
    punctuation, lower case."""
    return (
        text.cast(pl.String)
        .str.replace_all(r"[\s\u00a0\ufeff]+", "")
        .str.replace_all("（", "(", literal=True)
        .str.replace_all("）", ")", literal=True)
        .str.replace_all("，", ",", literal=True)
        .str.replace_all("：", ":", literal=True)
        .str.to_lowercase()
    )


def clean_text(text: pl.Expr) -> Cleaned:
    return Cleaned(text, pl.lit(False))


# What exports put around an id to keep Excel from turning it into a number.
ID_WRAPPERS = "=\"' \t"


def clean_id(text: pl.Expr, dtype: pl.DataType | None = None) -> Cleaned:
    """`="123"`, `'123`, a leading tab, `123.0`: the id as text. A float-mangled id is bad."""
    if dtype is not None and dtype.is_integer():
        return Cleaned(text.cast(pl.String), pl.lit(False))
    if dtype is not None and dtype.is_float():
        return _id_from_float(text)
    stripped = text.str.strip_chars(ID_WRAPPERS)
    whole = (
        pl.when(stripped.str.contains(r"^\d+\.0+$"))
        .then(stripped.str.replace(r"\.0+$", ""))
        .otherwise(stripped)
    )
    # 4.98896E+18: Excel already rounded it; the digits are gone.
    bad = stripped.str.contains(r"^\d+(\.\d+)?[eE]\+?\d+$").fill_null(False)
    value = pl.when(bad | (whole == "")).then(None).otherwise(whole)
    return Cleaned(value, bad)


def _id_from_float(number: pl.Expr) -> Cleaned:
    """A float id (parquet written from pandas) is its integer while that is exact; past
    2**53, or with a fraction, its digits are gone, as in `4.98896E+18`."""
    whole = _whole(number)
    return Cleaned(whole.cast(pl.String), number.is_not_null() & whole.is_null())


def unwrap_id(text: pl.Expr) -> pl.Expr:
    """clean_id's value for a column with no `.`, `e` or `E` in it: just the wrappers off."""
    stripped = text.str.strip_chars(ID_WRAPPERS)
    return pl.when(stripped != "").then(stripped)


def to_cents(value: pl.Expr) -> pl.Expr:
    """Round to 2 decimals, half away from zero as people do (12.345 -> 12.35), despite
    binary floats (12.345 is stored as 12.34499…)."""
    return (value + value.sign() * 1e-9).round(2, mode="half_away_from_zero")


# Amounts are compared in cents as Int64: anything from 10**15 yuan up is no real amount.
AMOUNT_MAX = 1e15


def _plausible(number: pl.Expr) -> pl.Expr:
    """NaN, ±inf and absurd sizes are no amount: null and reported, never compared."""
    return number.is_finite() & (number.abs() < AMOUNT_MAX)


def clean_amount(text: pl.Expr, dtype: pl.DataType | None = None) -> Cleaned:
    """`¥1,234.50`, `￥12元`, `1，000`: yuan as Float64 rounded to 2 decimals. `$150` is no
    yuan amount, and `1.500,00` or `1,50` (a decimal comma) is not read as 1.50 or 150."""
    if dtype is not None and dtype.is_numeric():
        number = text.cast(pl.Float64)
        finite = pl.when(_plausible(number)).then(number)
        return Cleaned(to_cents(finite), text.is_not_null() & finite.is_null())
    number = _amount_number(text)
    value = pl.when(_plausible(number)).then(number)
    return Cleaned(to_cents(value), text.is_not_null() & value.is_null())


# A comma that is no thousands separator: not followed by exactly three digits, or after the
# decimal point (`1.500,00`, `1,50`: a European decimal comma; which number it is, is a guess).
DECIMAL_COMMA = r"[,，](\d{0,2}(\D|$)|\d{4})|\.\d*[,，]"


def _amount_number(text: pl.Expr) -> pl.Expr:
    """The number in amount text, yuan signs, units and thousands separators dropped."""
    digits = text.str.replace_all(r"[¥￥元,，\s]|RMB|CNY", "").str.strip_prefix("+")
    number = digits.cast(pl.Float64, strict=False)
    return pl.when(~text.str.contains(DECIMAL_COMMA)).then(number)


def _missed_rows(frame: pl.DataFrame, source: str, output: str) -> pl.Series:
    """Positions where `source` has a cell and the fast path left `output` null: the few
    cells the slow path then reads on their own, to be put back in place."""
    gap = pl.col(source).is_not_null() & pl.col(output).is_null()
    return frame.select(pl.arg_where(gap)).to_series()


def _numbers_from_text(
    frame: pl.DataFrame, sources: dict[str, str], from_text: Callable[[pl.Expr], pl.Expr]
) -> pl.DataFrame:
    """Each text column's number as Float64 (`sources`: output -> input). One cast reads
    the plain cells (`129.00`, `5`); only the cells it misses (`¥2,208.30`, `5星`) go through
    `from_text`'s pattern, then are put back in place, so the whole column never does (two
    amount columns of 1M cases: 0.47 s -> 0.10 s). `from_text` must read a cell the cast
    reads as the same number: it only drops signs, separators and units."""
    frame = frame.with_columns(
        pl.col(i).cast(pl.String).cast(pl.Float64, strict=False).alias(o)
        for o, i in sources.items()
    )
    for output, source in sources.items():
        rows = _missed_rows(frame, source, output)
        if rows.len():
            missed = frame.select(from_text(pl.col(source).cast(pl.String).gather(rows)))
            frame = frame.with_columns(frame[output].scatter(rows, missed.to_series()))
    return frame


def parse_amount_columns(frame: pl.DataFrame, sources: dict[str, str]) -> pl.DataFrame:
    """clean_amount's values for several prepared text columns (`sources`: output -> input)."""
    frame = _numbers_from_text(frame, sources, _amount_number)
    return frame.with_columns(
        to_cents(pl.when(_plausible(pl.col(o))).then(pl.col(o))).alias(o) for o in sources
    )


def clean_int(text: pl.Expr, dtype: pl.DataType | None = None) -> Cleaned:
    if dtype is not None and dtype.is_integer():
        return Cleaned(text.cast(pl.Int64), pl.lit(False))
    if dtype is not None and dtype.is_numeric():  # 5.0 from a float column is the score 5
        value = _whole(text.cast(pl.Float64))
        return Cleaned(value, text.is_not_null() & value.is_null())
    value = _whole(_int_number(text))
    return Cleaned(value, text.is_not_null() & value.is_null())


def _int_number(text: pl.Expr) -> pl.Expr:
    """The number in a score or count (`5星`, `4分`)."""
    return text.str.replace(r"(星|分|颗星)$", "").cast(pl.Float64, strict=False)


def _whole(number: pl.Expr) -> pl.Expr:
    """The number as Int64 when it is a whole number, else null."""
    # inf, NaN and numbers past 2**53 are no whole number: casting them would raise.
    in_range = number.is_finite() & (number.abs() < 2**53)
    whole = (number.is_not_null() & in_range & (number == number.round(0))).fill_null(False)
    return pl.when(whole).then(number).otherwise(None).cast(pl.Int64)


def parse_int_columns(frame: pl.DataFrame, sources: dict[str, str]) -> pl.DataFrame:
    """clean_int's values for several prepared text columns (`sources`: output -> input)."""
    frame = _numbers_from_text(frame, sources, _int_number)
    return frame.with_columns(_whole(pl.col(o)).alias(o) for o in sources)


def clean_bool(
    text: pl.Expr, dtype: pl.DataType | None = None, mapping: dict | None = None
) -> Cleaned:
    """是/否, Y/N, 1/0, true/false, 有/无; a count (evidence: 3 photos) is true when > 0.

    `mapping` (a profile's `values` for this field, keys normalised) is applied first:
    "" maps a blank cell, "*" any other text.
    """
    if dtype is not None and dtype == pl.Boolean:
        return Cleaned(text, pl.lit(False))
    if dtype is not None and dtype.is_numeric():
        return Cleaned(text > 0, pl.lit(False))
    number = text.cast(pl.Float64, strict=False)
    value = (
        pl.when(text.is_in(_with_cases(TRUE_TEXTS)))
        .then(True)
        .when(text.is_in(_with_cases(FALSE_TEXTS)))
        .then(False)
        .when(number.is_not_null())
        .then(number > 0)
        .otherwise(None)
    )
    if mapping:
        specific = {k: v for k, v in mapping.items() if k not in ("", "*")}
        mapped = normalised_text(text).replace_strict(
            specific, default=None, return_dtype=pl.Boolean
        )
        if "" in mapping:
            mapped = pl.when(text.is_null()).then(pl.lit(mapping[""])).otherwise(mapped)
        if "*" in mapping:
            mapped = (
                pl.when(text.is_not_null() & mapped.is_null())
                .then(pl.lit(mapping["*"]))
                .otherwise(mapped)
            )
        value = pl.coalesce(mapped, value)
    return Cleaned(value, text.is_not_null() & value.is_null())


# One Aho-Corasick pass for every separator an export writes dates with: faster than the
# regex and literal replaces it took before (1M cells: 0.58 s -> 0.46 s), with the hour in
# words as well (`10时`, `10点30分`, `10时30分15秒`, `9点整`).
DATE_SEPARATORS = {"年": "-", "月": "-", "/": "-", "日": " ", "T": " "}
# The hour and minute words first become WORD_COLON, not `:`: only a time that ends in a
# word (`10时`, `10点`, `10点30分`) gets its minutes or seconds completed, while a literal
# colon at the end (`2026-03-15 18:`, a cell cut off mid-value) stays unreadable (Q001).
WORD_COLON = "\ue000"
HOUR_WORDS = {"时": WORD_COLON, "点": WORD_COLON, "分": WORD_COLON, "秒": "", "整": ""}


def _unified(text: pl.Expr) -> pl.Expr:
    """`2026/3/1 10:02`, `2026年3月1日 10:02`, `2026-03-01T10:02` -> `2026-3-1 10:02`;
    `2026年3月4日 10时` -> `2026-3-4 10:00` (a time ending in an hour or minute word gets
    its minutes or seconds; one ending in a literal `:` does not)."""
    words = DATE_SEPARATORS | HOUR_WORDS
    return (
        text.str.replace_many(list(words), list(words.values()))
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" -")
        .str.replace(f"{WORD_COLON}$", ":00")
        .str.replace_all(WORD_COLON, ":", literal=True)
    )


def _from_serial(text: pl.Expr) -> pl.Expr:
    """An Excel serial (days since 1899-12-30, the fraction is the time of day), rounded to
    the second because binary fractions like .4 never land on a whole second."""
    serial = text.cast(pl.Float64, strict=False)
    seconds = (serial * 86400).round(0).cast(pl.Int64)
    return pl.when(serial.is_between(SERIAL_MIN, SERIAL_MAX)).then(
        EXCEL_EPOCH + pl.duration(seconds=seconds)
    )


def _datetime_candidates(
    text: pl.Expr, unified: pl.Expr, extra_formats: tuple[str, ...]
) -> list[pl.Expr]:
    candidates = [
        unified.str.strptime(DATETIME, fmt, strict=False, exact=True)
        for fmt in BUILTIN_DATETIME_FORMATS
    ]
    candidates.append(_from_serial(text))
    # Extra formats (e.g. JD's %Y%m%d) apply to the text as written, not the unified one.
    candidates += [
        text.str.strptime(DATETIME, fmt, strict=False, exact=True) for fmt in extra_formats
    ]
    return candidates


def parse_datetime(
    text: pl.Expr, dtype: pl.DataType | None = None, extra_formats: tuple[str, ...] = ()
) -> Cleaned:
    """Excel serials, `2026-03-01 10:02:03`, `2026/3/1 10:02`, `2026年3月1日 10:02`, ISO `T`.

    A date alone is 00:00 of that day. All times are naive Beijing local time.
    One expression, for a few values; whole columns go through parse_datetime_columns.
    """
    if dtype is not None and is_temporal_date(dtype):
        return Cleaned(_typed_moment(text, dtype), pl.lit(False))
    if dtype is not None and dtype != pl.String:  # numbers, times of day: read as text
        text = text.cast(pl.String)
    value = in_window(pl.coalesce(_datetime_candidates(text, _unified(text), extra_formats)))
    return Cleaned(value, text.is_not_null() & value.is_null())


def _typed_moment(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A Date/Datetime column as naive Beijing Datetime("us"), null outside the window.

    Windowed first, on the stored numbers: a far moment in ms or s fits neither in us nor
    in a time zone's rules, and converting it would abort the process.
    """
    near = pl.when(~typed_outside_window(column, dtype)).then(column)
    if isinstance(dtype, pl.Datetime) and dtype.time_zone:
        # An aware time (parquet from another system) is shown as Beijing wall time.
        near = near.dt.convert_time_zone(BEIJING_TZ).dt.replace_time_zone(None)
    return near.cast(DATETIME)


_TICKS_PER_SECOND = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_EPOCH = datetime(1970, 1, 1)


def typed_outside_window(
    column: pl.Expr, dtype: pl.DataType, first: datetime = EARLIEST, last: datetime = LATEST
) -> pl.Expr:
    """outside_window for a Date/Datetime column, compared as stored (days, or ticks since
    1970 UTC: at the window's edges the zone's hours do not matter)."""
    low, high = (_stored(moment, dtype) for moment in (first, last))
    return column.is_not_null() & ~column.to_physical().is_between(low, high, closed="left")


def _stored(moment: datetime, dtype: pl.DataType) -> int:
    """The number a Date/Datetime column stores for `moment`, kept within Int64."""
    if dtype == pl.Date:  # the first whole day from `moment` on
        return -((_EPOCH - moment) // timedelta(days=1))
    ticks = (moment - _EPOCH) // timedelta(seconds=1) * _TICKS_PER_SECOND[dtype.time_unit]
    return max(min(ticks, 2**63 - 1), -(2**63))


def _as_written(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A typed date column as text for its messages. A moment past year 9999 cannot be
    formatted (polars aborts): it shows its stored number (`100000000000000000 ms`)."""
    far = typed_outside_window(column, dtype, datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59))
    unit = "days" if dtype == pl.Date else dtype.time_unit
    stored = pl.format("{} {}", column.to_physical(), pl.lit(unit))
    return pl.when(far).then(stored).otherwise(pl.when(~far).then(column).cast(pl.String))


def in_window(moment: pl.Expr) -> pl.Expr:
    """The moment when it lies between EARLIEST and LATEST, else null."""
    return pl.when(outside_window(moment).not_()).then(moment)


def outside_window(moment: pl.Expr) -> pl.Expr:
    """A moment (read, so not null) outside the years an export can hold."""
    return moment.is_not_null() & ~moment.is_between(
        pl.lit(EARLIEST), pl.lit(LATEST), closed="left"
    )


FAST_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # what fastexcel gives for datetime cells
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%.f"


def _parse_leftovers(leftover: pl.DataFrame, formats: tuple[str, ...]) -> pl.Series:
    """Cells the fast format did not read: ISO text first, then every other spelling."""
    text = pl.col("text")
    candidates = [text.str.strptime(DATETIME, ISO_FORMAT, strict=False)]
    candidates += _datetime_candidates(text, _unified(text), formats)
    query = leftover.lazy().select(pl.coalesce(candidates).alias("value"))
    return query.collect(engine=ENGINE)["value"]


def parse_datetime_columns(
    frame: pl.DataFrame,
    sources: dict[str, str],
    formats: tuple[str, ...] = (),
    bad_prefix: str = "__bad_",
    outside_prefix: str = "__outside_",
) -> pl.DataFrame:
    """Parse several text columns into datetimes: `sources` maps output -> input.

    The inputs need not be prepared: cells the fast format misses are prepared here, and
    written back, so each input ends as prepare() would have left it.

    Adds each output column, a `{bad_prefix}{output}` flag (the cell is not used) and an
    `{outside_prefix}{output}` one (it was read, but lies outside EARLIEST..LATEST: a bad
    cell too, told apart for its message). The exact format every
    Excel datetime cell arrives in is tried on all columns at once; the cells left over
    (other spellings: `2026/3/1`, `2026年3月1日`, serials, ISO) are gathered and parsed on
    their own, then put back in place.
    """
    typed = {o: i for o, i in sources.items() if is_temporal_date(frame.schema[i])}
    texts = {o: i for o, i in sources.items() if o not in typed}
    # A column of numbers or times of day (parquet) is read as its text, as a CSV's would be.
    frame = frame.with_columns(
        pl.col(i).cast(pl.String) for i in texts.values() if frame.schema[i] != pl.String
    )
    frame = frame.with_columns(
        *[parse_datetime(pl.col(i), frame.schema[i]).value.alias(o) for o, i in typed.items()],
        *[
            pl.col(i)
            .cast(pl.String)
            # No cache: nearly every timestamp is distinct, so a cache of them only costs
            # (four columns of 1M cells: 0.16 s -> 0.11 s).
            .str.strptime(DATETIME, FAST_DATETIME_FORMAT, strict=False, exact=True, cache=False)
            .alias(o)
            for o, i in texts.items()
        ],
    )
    for output, source in texts.items():
        rows = _missed_rows(frame, source, output)
        if rows.len() == 0:
            continue
        # The other spellings are tried on the left-over cells only (a few, usually), then
        # put back in place: the whole column never goes through the slow path.
        # Leftovers are trimmed and placeholders nulled here, so a column can come unprepared:
        # a cell the exact format reads has no blank around it and is no placeholder.
        leftover = frame.select(prepare(pl.col(source).gather(rows), Kind.DATETIME).alias("text"))
        parsed = _parse_leftovers(leftover, formats)
        frame = frame.with_columns(
            frame[source].cast(pl.String).scatter(rows, leftover["text"]),
            frame[output].scatter(rows, parsed),
        )
    # Typed columns are windowed as they are read (a far date in ms does not fit in us), so
    # a cell of theirs left null lies outside; text columns are windowed here, once parsed:
    # one comparison per cell, not per spelling.
    frame = frame.with_columns(
        *[outside_window(pl.col(o)).alias(f"{outside_prefix}{o}") for o in texts],
        *[_read_but_null(i, o).alias(f"{outside_prefix}{o}") for o, i in typed.items()],
    )
    frame = frame.with_columns(
        *[in_window(pl.col(o)).alias(o) for o in texts],
        *[
            (_read_but_null(i, o) | pl.col(f"{outside_prefix}{o}")).alias(f"{bad_prefix}{o}")
            for o, i in sources.items()
        ],
    )
    return _far_as_text(frame, typed, outside_prefix)


def _far_as_text(frame: pl.DataFrame, typed: dict[str, str], outside_prefix: str) -> pl.DataFrame:
    """Typed sources holding a moment outside the window, as text, so that their messages
    can show it (nearly always none: no column is touched)."""
    far = [i for o, i in typed.items() if frame[f"{outside_prefix}{o}"].any()]
    schema = frame.schema
    return frame.with_columns(_as_written(pl.col(i), schema[i]).alias(i) for i in far)


def _read_but_null(source: str, output: str) -> pl.Expr:
    return pl.col(source).is_not_null() & pl.col(output).is_null()


def is_temporal_date(dtype: pl.DataType) -> bool:
    """A column already holding dates or datetimes (parquet, an xlsx column of date cells)."""
    return isinstance(dtype, pl.Datetime) or dtype == pl.Date


# A length of time, the whole cell: `3.5天`, `12小时`, `2天3小时`, `72h`, `1天2小时30分`.
# Anchored, so a cell that only contains one (`-3天`, `约3天`, `3天前`) is not read as it.
LENGTH_OF_TIME = (
    r"(?i)^(?:(\d+(?:\.\d+)?)\s*[天日])?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*(?:个)?(?:小时|钟头|h|hrs?|hours?))?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min|mins|minutes?))?$"
)
SECONDS_IN = {"day": 86400, "hour": 3600}


def length_of_time(text: pl.Expr, bare_unit: str | None) -> Cleaned:
    """Seconds stated by a cell that is a length of time; `bad` for any other text.

    `bare_unit` is what a plain number means (Taobao 完结时间 `5` is days; a promised ship
    time `72` is read as hours elsewhere, so there None: a plain number is not a length).
    """
    parts = text.cast(pl.String).str.extract_groups(LENGTH_OF_TIME)
    days, hours, minutes = (parts.struct.field(g).cast(pl.Float64) for g in ("1", "2", "3"))
    stated = days.is_not_null() | hours.is_not_null() | minutes.is_not_null()
    seconds = days.fill_null(0) * 86400 + hours.fill_null(0) * 3600 + minutes.fill_null(0) * 60
    if bare_unit is not None:
        bare = text.cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
        bare = pl.when(bare >= 0).then(bare)
        seconds = pl.when(stated).then(seconds).otherwise(bare * SECONDS_IN[bare_unit])
        stated = stated | bare.is_not_null()
    value = pl.when(stated.fill_null(False)).then(seconds)
    return Cleaned(value, text.is_not_null() & ~stated.fill_null(False))


def parse_duration(text: pl.Expr) -> Cleaned:
    """Taobao 完结时间 such as `3.5天`, `12小时`, `2天3小时`, or a bare number of days."""
    seconds = length_of_time(text, bare_unit="day")
    return Cleaned(pl.duration(seconds=seconds.value.round(0).cast(pl.Int64)), seconds.bad)


def clean_expr(
    kind: Kind,
    text: pl.Expr,
    dtype: pl.DataType | None = None,
    *,
    mapping: dict | None = None,
    formats: tuple[str, ...] = (),
) -> Cleaned:
    """The cleaner of a field kind (enums are mapped by auditor.io.layout)."""
    if kind == Kind.ID:
        return clean_id(text, dtype)
    if kind == Kind.AMOUNT:
        return clean_amount(text, dtype)
    if kind == Kind.INT:
        return clean_int(text, dtype)
    if kind == Kind.BOOL:
        return clean_bool(text, dtype, mapping)
    if kind == Kind.DATETIME:
        return parse_datetime(text, dtype, formats)
    return clean_text(text)


def clean_series(series: pl.Series, kind: Kind, **options) -> pl.DataFrame:
    """Clean one column on its own: a frame with `value` and `bad` (tests, tools)."""
    frame = pl.DataFrame({"raw": series})
    dtype = series.dtype
    if dtype == pl.String or dtype == pl.Null:
        frame = frame.with_columns(prepare(pl.col("raw"), kind).alias("text"))
        dtype = pl.String
    else:
        frame = frame.with_columns(pl.col("raw").alias("text"))
    cleaned = clean_expr(kind, pl.col("text"), dtype, **options)
    return frame.select(cleaned.value.alias("value"), cleaned.bad.alias("bad"))
