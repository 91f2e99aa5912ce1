"""Joining and folding on hashed ids gives exactly the string-keyed result."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.io.join import _distinct_lines, left_join_on_id

ids = st.one_of(st.none(), st.sampled_from(["A1", "A2", "426031000000000037", "", "x"]))


def by_string(left: pl.DataFrame, right: pl.DataFrame, key: str) -> pl.DataFrame:
    return left.join(right, on=key, how="left", maintain_order="left")


@settings(max_examples=60, deadline=None)
@given(left=st.lists(ids, max_size=12), right=st.lists(ids, max_size=8, unique=True))
def test_hashed_join_equals_the_string_join(left, right) -> None:
    lhs = pl.DataFrame(
        {"k": left, "n": list(range(len(left)))}, schema={"k": pl.String, "n": pl.Int64}
    )
    rhs = pl.DataFrame(
        {"k": right, "v": list(range(len(right)))}, schema={"k": pl.String, "v": pl.Int64}
    )
    assert left_join_on_id(lhs, rhs, "k").equals(by_string(lhs, rhs, "k"))


def test_a_null_id_matches_nothing() -> None:
    lhs = pl.DataFrame({"k": [None, "A"]}, schema={"k": pl.String})
    rhs = pl.DataFrame({"k": [None, "A"], "v": [1, 2]}, schema={"k": pl.String, "v": pl.Int64})
    assert left_join_on_id(lhs, rhs, "k")["v"].to_list() == [None, 2]


@pytest.fixture
def every_hash_collides(monkeypatch):
    """Two different ids sharing a hash: made certain by giving every id the same one."""
    monkeypatch.setattr(pl.Expr, "hash", lambda self, *args, **kwargs: pl.lit(7, pl.UInt64))


def test_a_hash_collision_falls_back_to_the_string_join(every_hash_collides) -> None:
    lhs = pl.DataFrame({"k": ["A", "B", "C"]})
    rhs = pl.DataFrame({"k": ["B", "A"], "v": [2, 1]})
    assert left_join_on_id(lhs, rhs, "k")["v"].to_list() == [1, 2, None]


def test_a_repeated_line_is_still_found_when_hashes_collide(every_hash_collides) -> None:
    lines = pl.DataFrame({"order_id": ["O1", "O1", "O2"], "line_id": ["L1", "L1", "L2"]})
    assert _distinct_lines(lines)["line_id"].to_list() == ["L1", "L2"]


def test_distinct_lines_are_kept_as_they_are_when_hashes_collide(every_hash_collides) -> None:
    lines = pl.DataFrame({"order_id": ["O1", "O1", "O2"], "line_id": ["L1", "L3", "L2"]})
    assert _distinct_lines(lines).equals(lines)


@pytest.mark.parametrize("collide", [False, True])
def test_repeated_case_ids_are_found_whether_or_not_hashes_collide(request, collide) -> None:
    from auditor.io.dataset import _duplicates, _letters_frame

    if collide:
        request.getfixturevalue("every_hash_collides")
    cases = pl.DataFrame(
        {
            "case_id": ["A", "B", "A", None, "C"],
            "_src_file": ["m.csv"] * 5,
            "_src_sheet": [None] * 5,
            "_src_row": [2, 3, 4, 5, 6],
            "_input": [0] * 5,
        },
        schema_overrides={"_src_sheet": pl.String, "_input": pl.Int32},
    )
    kept, issues = _duplicates(cases, _letters_frame([]))
    assert kept["_src_row"].to_list() == [2, 3, 5, 6]
    assert issues["source_row"].to_list() == [4]
