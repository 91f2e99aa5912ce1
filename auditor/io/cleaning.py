"""Column-wise cleaning of raw export cells into canonical types.

Every cleaner takes the raw column (an expression over text, or an already typed column
from parquet) and returns a `Cleaned` pair of expressions: the typed value, and a Boolean
"unparseable" flag (a non-blank cell that could not be read), which becomes a located Q001
data issue while the rest of the row is still used. Nothing here loops over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from auditor.model.fields import Kind

# Cells that mean "nothing here" in real exports (compared after trimming, lower-cased).
PLACEHOLDERS = ("", "-", "--", "—", "——", "/", "任意时间", "null", "none", "nan", "n/a", "#n/a")
# Amount placeholders: Taobao writes 无退款申请 in its refund amount column.
AMOUNT_PLACEHOLDERS = (*PLACEHOLDERS, "无", "无退款申请", "无需退款")
DATETIME_PLACEHOLDERS = (*PLACEHOLDERS, "无", "0000-00-00 00:00:00", "0000-00-00")

TRUE_TEXTS = ("是", "y", "yes", "true", "t", "1", "有", "已上传", "已确认", "已介入", "√", "✓")
FALSE_TEXTS = ("否", "n", "no", "false", "f", "0", "无", "未上传", "未确认", "未介入", "×")

DATETIME = pl.Datetime("us")
# Excel's day 0 is 1899-12-30 (the 1900 leap-year bug makes serials count from there).
EXCEL_EPOCH = pl.datetime(1899, 12, 30, time_unit="us")
# Serials between these are taken as datetimes (1954-10-03 .. 2173-10-14): no plausible
# id or amount in a datetime column looks like that, and real dates all fall inside.
SERIAL_MIN, SERIAL_MAX = 20000, 100000
BUILTIN_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


@dataclass(frozen=True)
class Cleaned:
    value: pl.Expr
    bad: pl.Expr


def _trimmed(raw: pl.Expr) -> pl.Expr:
    # \s covers tab and the ideographic space; \u00a0 comes from HTML-ish exports.
    return raw.cast(pl.String).str.replace_all(r"^[\s\u00a0]+|[\s\u00a0]+$", "")


def normalised_text(raw: pl.Expr) -> pl.Expr:
    """Enum/status text for matching (as profile.normalise_value): no whitespace, ASCII
    punctuation, lower case."""
    return (
        raw.cast(pl.String)
        .str.replace_all(r"[\s\u00a0\ufeff]+", "")
        .str.replace_all("（", "(", literal=True)
        .str.replace_all("）", ")", literal=True)
        .str.replace_all("，", ",", literal=True)
        .str.replace_all("：", ":", literal=True)
        .str.to_lowercase()
    )


def blank_to_null(raw: pl.Expr, placeholders: tuple[str, ...] = PLACEHOLDERS) -> pl.Expr:
    text = _trimmed(raw)
    return pl.when(text.str.to_lowercase().is_in(placeholders)).then(None).otherwise(text)


def clean_text(raw: pl.Expr) -> Cleaned:
    return Cleaned(blank_to_null(raw), pl.lit(False))


def clean_id(raw: pl.Expr) -> Cleaned:
    """`="123"`, `'123`, a leading tab, `123.0`: the id as text. A float-mangled id is bad."""
    text = blank_to_null(raw)
    text = (
        text.str.replace(r'^=\s*"(.*)"$', "$1")
        .str.replace(r"^[=']+", "")
        .str.strip_chars('"\t ')
        .str.replace(r"^(\d+)\.0+$", "$1")
    )
    text = pl.when(text == "").then(None).otherwise(text)
    # 4.98896E+18: Excel already rounded it; the digits are gone.
    bad = text.str.contains(r"^\d+(\.\d+)?[eE]\+?\d+$").fill_null(False)
    return Cleaned(pl.when(bad).then(None).otherwise(text), bad)


def clean_amount(raw: pl.Expr, dtype: pl.DataType | None = None) -> Cleaned:
    if dtype is not None and dtype.is_numeric():
        return Cleaned(raw.cast(pl.Float64).round(2), pl.lit(False))
    text = blank_to_null(raw, AMOUNT_PLACEHOLDERS)
    digits = text.str.replace_all(r"[¥￥$元,，\s]|RMB|CNY", "").str.replace(r"^\+", "")
    value = digits.cast(pl.Float64, strict=False)
    bad = text.is_not_null() & value.is_null()
    return Cleaned(value.round(2), bad)


def clean_int(raw: pl.Expr, dtype: pl.DataType | None = None) -> Cleaned:
    if dtype is not None and dtype.is_integer():
        return Cleaned(raw.cast(pl.Int64), pl.lit(False))
    text = blank_to_null(raw)
    number = text.str.replace(r"(星|分|颗星)$", "").cast(pl.Float64, strict=False)
    whole = number.is_not_null() & (number == number.round(0))
    bad = text.is_not_null() & ~whole.fill_null(False)
    return Cleaned(pl.when(whole).then(number).otherwise(None).cast(pl.Int64), bad)


def clean_bool(
    raw: pl.Expr, dtype: pl.DataType | None = None, mapping: dict | None = None
) -> Cleaned:
    """是/否, Y/N, 1/0, true/false, 有/无; a count (evidence: 3 photos) is true when > 0.

    `mapping` (a profile's `values` for this field, keys normalised) is applied first:
    "" maps a blank cell, "*" any other text.
    """
    if dtype is not None and dtype == pl.Boolean:
        return Cleaned(raw, pl.lit(False))
    if dtype is not None and dtype.is_numeric():
        return Cleaned(raw > 0, pl.lit(False))
    text = blank_to_null(raw)
    lowered = text.str.to_lowercase()
    number = lowered.cast(pl.Float64, strict=False)
    value = (
        pl.when(lowered.is_in(TRUE_TEXTS))
        .then(True)
        .when(lowered.is_in(FALSE_TEXTS))
        .then(False)
        .when(number.is_not_null())
        .then(number > 0)
        .otherwise(None)
    )
    if mapping:
        key = normalised_text(raw)
        specific = {k: v for k, v in mapping.items() if k not in ("", "*")}
        mapped = key.replace_strict(specific, default=None, return_dtype=pl.Boolean)
        if "" in mapping:
            mapped = pl.when(text.is_null()).then(pl.lit(mapping[""])).otherwise(mapped)
        if "*" in mapping:
            mapped = (
                pl.when(text.is_not_null() & mapped.is_null())
                .then(pl.lit(mapping["*"]))
                .otherwise(mapped)
            )
        value = pl.coalesce(mapped, value)
    bad = text.is_not_null() & value.is_null()
    return Cleaned(value, bad)


def parse_datetime(
    raw: pl.Expr, dtype: pl.DataType | None = None, extra_formats: tuple[str, ...] = ()
) -> Cleaned:
    """Excel serials, `2026-03-01 10:02:03`, `2026/3/1 10:02`, `2026年3月1日 10:02`, ISO `T`.

    A date alone is 00:00 of that day. All times are naive Beijing local time.
    """
    if dtype is not None and isinstance(dtype, pl.Datetime):
        value = raw.dt.replace_time_zone(None) if dtype.time_zone else raw
        return Cleaned(value.cast(DATETIME), pl.lit(False))
    if dtype is not None and dtype == pl.Date:
        return Cleaned(raw.cast(DATETIME), pl.lit(False))
    text = blank_to_null(raw, DATETIME_PLACEHOLDERS)
    unified = (
        text.str.replace_all(r"[年月/]", "-")
        .str.replace(r"日", " ")
        .str.replace(r"(\d)T(\d)", "$1 $2")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars(" -")
    )
    # Excel serial (days since 1899-12-30, the fraction is the time of day), rounded to
    # the second because binary fractions like .4 never land on a whole second.
    serial = text.cast(pl.Float64, strict=False)
    is_serial = serial.is_between(SERIAL_MIN, SERIAL_MAX)
    from_serial = pl.when(is_serial).then(
        EXCEL_EPOCH + pl.duration(seconds=(serial * 86400).round(0).cast(pl.Int64))
    )
    candidates = [from_serial]
    candidates += [
        unified.str.strptime(DATETIME, fmt, strict=False, exact=True)
        for fmt in BUILTIN_DATETIME_FORMATS
    ]
    # Extra formats (e.g. JD's %Y%m%d) apply to the text as written, not the unified one.
    candidates += [
        text.str.strptime(DATETIME, fmt, strict=False, exact=True) for fmt in extra_formats
    ]
    value = pl.coalesce(candidates)
    bad = text.is_not_null() & value.is_null()
    return Cleaned(value, bad)


def parse_duration_days(raw: pl.Expr) -> Cleaned:
    """Taobao 完结时间 such as `3.5天`, `12小时`, `2天3小时`: a duration in microseconds."""
    text = blank_to_null(raw, DATETIME_PLACEHOLDERS)
    days = text.str.extract(r"([\d.]+)\s*天", 1).cast(pl.Float64, strict=False)
    hours = text.str.extract(r"([\d.]+)\s*(?:小时|时)", 1).cast(pl.Float64, strict=False)
    minutes = text.str.extract(r"([\d.]+)\s*分", 1).cast(pl.Float64, strict=False)
    bare = text.cast(pl.Float64, strict=False)  # a bare number is days
    seconds = days.fill_null(0) * 86400 + hours.fill_null(0) * 3600 + minutes.fill_null(0) * 60
    any_part = days.is_not_null() | hours.is_not_null() | minutes.is_not_null()
    total = pl.when(any_part).then(seconds).otherwise(bare * 86400)
    value = pl.duration(seconds=total.round(0).cast(pl.Int64))
    ok = any_part | bare.is_not_null()
    return Cleaned(pl.when(ok).then(value), text.is_not_null() & ~ok.fill_null(False))


def cleaner_for(kind: Kind):
    return {
        Kind.ID: clean_id,
        Kind.TEXT: clean_text,
        Kind.AMOUNT: clean_amount,
        Kind.INT: clean_int,
    }.get(kind)
