"""The id shortcuts (plain, wrapped) give exactly what the full id cleaner gives."""

from __future__ import annotations

import polars as pl
import pytest

from auditor.io.cleaning import clean_series, prepare, unwrap_id
from auditor.io.layout import _id_shape
from auditor.model.fields import Kind

COLUMNS = {
    "plain": ["4260310001", "JD-998", None, "426031000000000037"],
    "wrapped": ['="4260310001"', "'426031000000000037", "\t998", ' "77" ', None],
    "other": ['="4260310001"', "4260310001.0", "4.98896E+18", "abc-e1", None],
}


@pytest.mark.parametrize("shape", list(COLUMNS))
def test_each_column_is_given_its_shape(shape) -> None:
    frame = pl.DataFrame({"raw": COLUMNS[shape]}, schema={"raw": pl.String})
    assert _id_shape(frame, "raw") == shape


def test_a_typed_column_takes_the_full_cleaner() -> None:
    assert _id_shape(pl.DataFrame({"raw": [1, 2]}), "raw") == "other"


@pytest.mark.parametrize(
    "values",
    [
        COLUMNS["plain"],
        COLUMNS["wrapped"],
        ['="   "', "=''", '="0012"', "'  12  '"],
    ],
)
def test_the_shortcuts_equal_the_full_cleaner(values) -> None:
    raw = pl.Series("raw", values, dtype=pl.String)
    full = clean_series(raw, Kind.ID)
    prepared = pl.DataFrame({"raw": raw}).select(prepare(pl.col("raw"), Kind.ID).alias("t"))
    shape = _id_shape(prepared, "t")
    assert shape in ("plain", "wrapped")
    shortcut = prepared.select(
        (pl.col("t") if shape == "plain" else unwrap_id(pl.col("t"))).alias("value")
    )
    assert shortcut["value"].to_list() == full["value"].to_list()
    assert not full["bad"].any()
