"""A quoted CSV cell may hold line breaks (a buyer's note pasted from chat): rows after it keep
their real line numbers, so every location still points at the right line of the file."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from auditor.io import load

RUN = datetime(2026, 4, 1, 12, 0)


def test_rows_after_a_multi_line_cell_keep_their_line_numbers(tmp_path):
    path = tmp_path / "售后.csv"
    path.write_bytes(
        (
            "case_id,order_id,applied_at,reason\r\n"
            'A1,O1,2026-03-05 10:00:00,"质量\r\n问题\r\n很严重"\r\n'  # lines 2-4
            "A2,O2,2026-03-05 10:00:00,不想要了\r\n"  # line 5
            'A3,O3,not a date,"两行\n原因"\r\n'  # lines 6-7
            "A4,O4,2026-03-06,不想要了\r\n"  # line 8
        ).encode("gb18030")
    )
    ds = load([path], run_started=RUN)
    rows = dict(ds.cases.select("case_id", "_src_row").rows())
    assert rows == {"A1": 2, "A2": 5, "A3": 6, "A4": 8}
    assert ds.cases.filter(pl.col("case_id") == "A1")["reason"].item() == "质量\r\n问题\r\n很严重"
    bad = ds.data_issues.filter(pl.col("check") == "Q001").select("cell", "source_row").rows()
    assert bad == [("C6", 6)]


def test_one_line_rows_are_numbered_by_line(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "case_id,order_id,applied_at\nB1,O1,2026-03-05\n\nB2,O2,2026-03-05\n", encoding="utf-8"
    )
    ds = load([path], run_started=RUN)
    assert dict(ds.cases.select("case_id", "_src_row").rows()) == {"B1": 2, "B2": 4}


def test_old_mac_line_ends_are_line_breaks(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(
        (
            "case_id,order_id,applied_at,reason\r"
            "M1,O1,2026-03-05,不想要了\r"
            'M2,O2,not a date,"两行\r原因"\r'  # lines 3-4
            "M3,O3,2026-03-06,质量问题\r"  # line 5
        ).encode("gb18030")
    )
    ds = load([path], run_started=RUN)
    assert dict(ds.cases.select("case_id", "_src_row").rows()) == {"M1": 2, "M2": 3, "M3": 5}
    assert ds.cases["reason"].to_list() == ["不想要了", "两行\n原因", "质量问题"]
    bad = ds.data_issues.filter(pl.col("check") == "Q001").select("cell", "source_row").rows()
    assert bad == [("C3", 3)]


def test_a_stray_carriage_return_in_a_windows_file_ends_its_line(tmp_path):
    path = tmp_path / "stray.csv"
    path.write_bytes(
        b"case_id,order_id,applied_at\r\nS1,O1,2026-03-05\rS2,O2,2026-03-05\r\nS3,O3,2026-03-06"
    )
    ds = load([path], run_started=RUN)
    assert dict(ds.cases.select("case_id", "_src_row").rows()) == {"S1": 2, "S2": 3, "S3": 4}
