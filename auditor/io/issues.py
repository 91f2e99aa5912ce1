"""Data-issue records (Q checks): one frame shape for every producer (io and model).

Columns (contracts.md section 1): check, case_id, order_id, column, cell, value,
message_zh, message_en, source_file, source_sheet, source_row.
"""

from __future__ import annotations

import polars as pl

ISSUE_SCHEMA: dict[str, pl.DataType] = {
    "check": pl.String,
    "case_id": pl.String,
    "order_id": pl.String,
    "column": pl.String,
    "cell": pl.String,
    "value": pl.String,
    "message_zh": pl.String,
    "message_en": pl.String,
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int64,
}
ISSUE_COLUMNS = tuple(ISSUE_SCHEMA)
# Issues sort by where they are, so two runs print the same table.
ISSUE_ORDER = ("source_file", "source_sheet", "source_row", "check", "column")


def empty_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


def _text(value: pl.Expr | str | None) -> pl.Expr:
    if value is None:
        return pl.lit(None, dtype=pl.String)
    if isinstance(value, str):
        return pl.lit(value, dtype=pl.String)
    return value.cast(pl.String)


def issue_rows(
    frame: pl.DataFrame,
    *,
    check: str,
    column: str | None,
    message_zh: pl.Expr | str,
    message_en: pl.Expr | str,
    value: pl.Expr | str | None = None,
    letter: pl.Expr | str | None = None,
) -> pl.DataFrame:
    """One issue per row of `frame` (already filtered to the offending rows).

    `frame` carries the canonical `case_id`/`order_id` (when it has them) and the
    source columns `_src_file`, `_src_sheet`, `_src_row`.
    """
    if frame.height == 0:
        return empty_issues()
    cols = frame.columns

    def col(name: str) -> pl.Expr:
        return pl.col(name).cast(pl.String) if name in cols else pl.lit(None, dtype=pl.String)

    row = pl.col("_src_row").cast(pl.Int64) if "_src_row" in cols else pl.lit(None, pl.Int64)
    letter_expr = _text(letter)
    return frame.select(
        pl.lit(check, dtype=pl.String).alias("check"),
        col("case_id").alias("case_id"),
        col("order_id").alias("order_id"),
        pl.lit(column, dtype=pl.String).alias("column"),
        pl.when(letter_expr.is_not_null() & row.is_not_null())
        .then(pl.concat_str(letter_expr, row.cast(pl.String)))
        .otherwise(None)
        .alias("cell"),
        _text(value).alias("value"),
        _text(message_zh).alias("message_zh"),
        _text(message_en).alias("message_en"),
        col("_src_file").alias("source_file"),
        col("_src_sheet").alias("source_sheet"),
        row.alias("source_row"),
    )


def single_issue(
    *,
    check: str,
    message_zh: str,
    message_en: str,
    file: str | None = None,
    sheet: str | None = None,
    column: str | None = None,
    row: int | None = None,
    cell: str | None = None,
    value: str | None = None,
    case_id: str | None = None,
    order_id: str | None = None,
) -> pl.DataFrame:
    """A single issue not tied to a frame row (e.g. a required column missing)."""
    return pl.DataFrame(
        [
            {
                "check": check,
                "case_id": case_id,
                "order_id": order_id,
                "column": column,
                "cell": cell,
                "value": value,
                "message_zh": message_zh,
                "message_en": message_en,
                "source_file": file,
                "source_sheet": sheet,
                "source_row": row,
            }
        ],
        schema=ISSUE_SCHEMA,
    )


def concat_issues(parts: list[pl.DataFrame]) -> pl.DataFrame:
    parts = [p.select(ISSUE_COLUMNS) for p in parts if p.height]
    if not parts:
        return empty_issues()
    return pl.concat(parts, how="vertical")


def finalise_issues(issues: pl.DataFrame) -> pl.DataFrame:
    """Deduplicate (one cell is reported once per check) and sort by location."""
    if issues.height == 0:
        return empty_issues()
    keyed = issues.with_columns(pl.int_range(pl.len()).alias("_order"))
    # A cell that failed to parse (Q001) and then failed the null check is one problem.
    deduped = keyed.unique(
        subset=["check", "source_file", "source_sheet", "source_row", "column", "case_id"],
        keep="first",
        maintain_order=True,
    )
    ordered = deduped.sort([*ISSUE_ORDER, "_order"], nulls_last=False, maintain_order=True)
    return ordered.drop("_order").with_columns(
        _capped("value", QUOTED_CHARS),
        _capped("message_zh", MESSAGE_CHARS),
        _capped("message_en", MESSAGE_CHARS),
    )


# A data issue quotes its cell: a 10 MB cell is quoted, not copied into every output.
QUOTED_CHARS = 200
MESSAGE_CHARS = 500


def _capped(column: str, limit: int) -> pl.Expr:
    text = pl.col(column)
    return (
        pl.when(text.str.len_chars() > limit)
        .then(text.str.slice(0, limit) + "…")
        .otherwise(text)
        .alias(column)
    )
