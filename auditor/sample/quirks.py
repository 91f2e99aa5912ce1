"""Real-export quirks and a few bad rows, planted in a small documented share of rows.

Canonical level (before rendering):
- ``duplicate_case``: a later row repeats an earlier case row, same 售后单号 (Q002);
- ``missing_order``: a case whose order is left out of the orders export (Q004);
- ``refund_before_application``: a refund-only case refunded 3 hours before it was applied
  for, as a clock or import error gives it (Q003).

(No future-year typo (Q007) is planted: its data issue quotes the moment the run started,
so outputs of two runs on such a file differ, and samples feed golden-output tests.)

Layout level (after rendering; the column becomes text in xlsx and parquet):
- ``slash_datetime``: a time written ``2026/3/1 10:02`` (parseable, minute precision);
- ``bad_datetime``: a date that does not exist, ``2026-02-30 10:00:00`` (Q001);
- ``yuan_amount``: an amount written ``¥1,299.00`` (parseable).

CSV level (writers.py): ids written ``="…"`` as Taobao and JD CSVs do (Douyin: ``'…``,
PDD: a leading tab), in every CSV.

Rows are chosen among cases with no planted violation and no shared order, so the
quirks never change which findings the sample is expected to give.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

SHARE = {"slash_datetime": 0.005, "yuan_amount": 0.005}
FEW = {  # one per N rows, at least one
    "bad_datetime": 5000,
    "duplicate_case": 5000,
    "missing_order": 5000,
    "refund_before_application": 5000,
}
DATETIME_QUIRK_FIELDS = ("return_shipped_at", "signed_at", "closed_at", "refunded_at")
AMOUNT_QUIRK_FIELDS = ("paid_amount", "refund_amount")


@dataclass
class Planted:
    """What was planted where (case ids), for the manifest and the tests."""

    rows: dict[str, list[str]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # quirk -> header


def _count(kind: str, n: int) -> int:
    if kind in SHARE:
        return max(1, round(SHARE[kind] * n))
    return max(1, n // FEW[kind])


def _candidates(cases: pl.DataFrame) -> np.ndarray:
    """Rows a quirk may touch: no planted breach, no order shared with another case."""
    shared = cases["order_id"].is_duplicated()
    return np.flatnonzero((cases["_violation"].is_null() & ~shared).to_numpy())


def plant_rows(
    cases: pl.DataFrame, orders: pl.DataFrame | None, seed: int, planted: Planted
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Duplicate a case row and drop one case's order."""
    rng = np.random.default_rng([seed, 1])
    pool = _candidates(cases)
    if pool.size < 4:
        return cases, orders
    take = rng.choice(
        pool, size=min(pool.size, 3 * _count("duplicate_case", cases.height)), replace=False
    )
    k = _count("duplicate_case", cases.height)
    firsts, seconds = np.sort(take[:k]), take[k : 2 * k]
    pairs = [(a, b) for a, b in zip(firsts, seconds, strict=False) if a != b]
    index = np.arange(cases.height)
    for first, second in pairs:  # a handful of pairs, not rows
        index[max(first, second)] = min(first, second)
    cases = cases[index]
    planted.rows["duplicate_case"] = [cases["case_id"][int(max(a, b))] for a, b in pairs]
    if orders is not None:
        still = np.setdiff1d(
            take[2 * k :], [max(a, b) for a, b in pairs] + [min(a, b) for a, b in pairs]
        )
        gone = cases["order_id"].gather(still[: _count("missing_order", cases.height)])
        orders = orders.filter(~pl.col("order_id").is_in(gone.implode()))
        planted.rows["missing_order"] = (
            cases["case_id"].gather(still[: _count("missing_order", cases.height)]).to_list()
        )
    return cases, orders


def plant_times(
    cases: pl.DataFrame, seed: int, planted: Planted, fields: frozenset[str]
) -> pl.DataFrame:
    """A refund before its application (Q003), where the layout (`fields`) shows refunds."""
    rng = np.random.default_rng([seed, 3])
    pool = _candidates(cases)
    row = pl.int_range(pl.len())
    refunds = pool[
        cases.select((pl.col("case_type") == "refund_only") & pl.col("refunded_at").is_not_null())
        .to_series()
        .gather(pool)
        .to_numpy()
    ]
    if refunds.size and "refunded_at" in fields:
        rows = rng.choice(
            refunds,
            size=min(refunds.size, _count("refund_before_application", cases.height)),
            replace=False,
        )
        early = pl.col("applied_at") - pl.duration(hours=3)
        hit = row.is_in(pl.Series(rows).implode())
        cases = cases.with_columns(
            pl.when(hit & (pl.col("closed_at") == pl.col("refunded_at")))
            .then(early)
            .otherwise(pl.col("closed_at"))
            .alias("closed_at"),
            pl.when(hit).then(early).otherwise(pl.col("refunded_at")).alias("refunded_at"),
        )
        planted.rows["refund_before_application"] = cases["case_id"].gather(rows).to_list()
    return cases


def plant_cells(
    rendered: pl.DataFrame,
    cases: pl.DataFrame,
    headers: dict[str, str],
    seed: int,
    planted: Planted,
) -> pl.DataFrame:
    """Text quirks in one datetime and one amount column the layout has (headers: field->header)."""
    rng = np.random.default_rng([seed, 2])
    pool = _candidates(cases)
    dt_field = next((f for f in DATETIME_QUIRK_FIELDS if f in headers), None)
    if dt_field is not None and pool.size:
        header = headers[dt_field]
        filled = pool[cases[dt_field].gather(pool).is_not_null().to_numpy()]
        if filled.size:
            picks = rng.choice(
                filled,
                size=min(filled.size, _count("slash_datetime", cases.height) + 1),
                replace=False,
            )
            bad, slash = picks[:1], picks[1:]
            text = pl.col(header).dt.strftime("%Y-%m-%d %H:%M:%S")
            slash_text = pl.col(header).dt.strftime("%Y/%-m/%-d %H:%M")
            row = pl.int_range(pl.len())
            rendered = rendered.with_columns(
                pl.when(row.is_in(pl.Series(bad).implode()))
                .then(pl.lit("2026-02-30 10:00:00"))
                .when(row.is_in(pl.Series(slash).implode()))
                .then(slash_text)
                .otherwise(text)
                .alias(header)
            )
            planted.columns["slash_datetime"] = planted.columns["bad_datetime"] = header
            planted.rows["bad_datetime"] = cases["case_id"].gather(bad).to_list()
            planted.rows["slash_datetime"] = cases["case_id"].gather(slash).to_list()
    amount_field = next((f for f in AMOUNT_QUIRK_FIELDS if f in headers), None)
    if amount_field is not None and pool.size:
        header = headers[amount_field]
        filled = pool[cases[amount_field].gather(pool).is_not_null().to_numpy()]
        if filled.size:
            big = filled[(cases[amount_field].gather(filled) >= 1000).to_numpy()]
            count = min(filled.size, _count("yuan_amount", cases.height))
            picks = np.concatenate(
                [big[: count // 2], rng.choice(filled, size=count, replace=False)]
            )
            picks = np.unique(picks)[:count]
            row = pl.int_range(pl.len())
            rendered = rendered.with_columns(
                pl.when(row.is_in(pl.Series(picks).implode()))
                .then(pl.lit("¥") + _thousands(pl.col(header)))
                .otherwise(_fixed2(pl.col(header)))
                .alias(header)
            )
            planted.columns["yuan_amount"] = header
            planted.rows["yuan_amount"] = cases["case_id"].gather(picks).to_list()
    return rendered


def _fixed2(col: pl.Expr) -> pl.Expr:
    """1234.5 -> '1234.50', as exports print amounts."""
    cents = (col * 100).round(0).cast(pl.Int64)
    return (cents // 100).cast(pl.String) + "." + (cents % 100).cast(pl.String).str.zfill(2)


def _thousands(col: pl.Expr) -> pl.Expr:
    """1234.5 -> '1,234.50'."""
    cents = (col * 100).round(0).cast(pl.Int64)
    whole = (cents // 100).cast(pl.String)
    n = whole.str.len_chars().cast(pl.Int64)
    grouped = (
        pl.when(n > 6)
        .then(
            whole.str.slice(0, n - 6)
            + ","
            + whole.str.slice(n - 6, 3)
            + ","
            + whole.str.slice(n - 3, 3)
        )
        .when(n > 3)
        .then(whole.str.slice(0, n - 3) + "," + whole.str.slice(n - 3, 3))
        .otherwise(whole)
    )
    return grouped + "." + (cents % 100).cast(pl.String).str.zfill(2)
