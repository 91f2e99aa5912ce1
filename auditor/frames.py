"""Frame helpers every stage uses.

polars runs an eager `DataFrame.with_columns` without common-subexpression elimination:
a cleaner that uses its input three times (an amount's regex, then its range check, then
its rounding) evaluates it three times. Going through a LazyFrame turns the optimiser on,
so each shared subexpression is computed once: measured here on 1,000,000 cells, 2-4x
faster for the id, amount and integer cleaners (README, Benchmark).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

# polars 2's default ("auto") may run a query on its streaming engine, which here built a
# malformed string column (a panic later, found by the pipeline property test): every
# lazy query of ours runs in memory, as eager code does.
ENGINE = "in-memory"


def with_columns_cse(frame: pl.DataFrame, exprs: Iterable[pl.Expr]) -> pl.DataFrame:
    """`frame.with_columns(*exprs)`, evaluated with shared subexpressions computed once."""
    exprs = list(exprs)
    if not exprs:
        return frame
    return frame.lazy().with_columns(exprs).collect(engine=ENGINE)


def with_per_distinct(
    frame: pl.DataFrame, column: str, outputs: dict[str, pl.Expr]
) -> pl.DataFrame:
    """Add columns computed from `column` alone, evaluated once per distinct value.

    Status, type and reason texts repeat a few values over many rows: normalising,
    mapping or classifying the distinct texts, then joining, is much cheaper than doing it
    on every row.
    """
    distinct = frame.select(pl.col(column).unique()).with_columns(
        expr.alias(name) for name, expr in outputs.items()
    )
    # The key column alone goes through the join, then the outputs are set beside the
    # frame: joining the whole frame would copy every one of its columns.
    found = (
        frame.select(column)
        .join(distinct, on=column, how="left", nulls_equal=True, maintain_order="left")
        .drop(column)
    )
    return frame.with_columns(found.get_columns())
