"""The rows written column-wise are the rows rustpy would write: the same package, the same cells
(escapes, numbers, datetimes, styles, blanks), the ranges extended to the last row."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import fastexcel
import openpyxl
import polars as pl
import pytest

from auditor.report import xlsx, xlsx_rows
from auditor.report.xlsx_rows import can_write_rows, extend_ranges
from tests.report.conftest import FORMULA_LIKE, build_result, finding, make_findings
from tests.report.xlsx_package import assert_same_package

TRICKY_TEXT = [
    "a&b<c>d\"e'f",
    " leading space",
    "trailing tab\t",
    "\nleading newline",
    "\u3000全角空格开头",
    "cr\rlf\nend",
    "ctl\x01\x0b\x1fz",
    "\x00nul",
    "_x0041_ literal escape",
    "__x004a_ lower-case hex",
    "_X0041_ upper X",
    "_x0041 unterminated",
    "a\ufffeb\uffffc",
    "emoji😀 and 中文",
    "",
    " ",
    *FORMULA_LIKE,
]


def tricky_frame() -> pl.DataFrame:
    n = len(TRICKY_TEXT)
    moments = [datetime(1900, 3, 1), datetime(2026, 3, 1, 12, 30, 15, 123456), None]
    numbers = [0.1, 1e20, 1.5e-7, -0.0, float("nan"), float("inf"), -float("inf"), 1 / 3, None]
    return pl.DataFrame(
        {
            "text": TRICKY_TEXT,
            "moment": [moments[i % len(moments)] for i in range(n)],
            "number": [numbers[i % len(numbers)] for i in range(n)],
            "count": [None if i % 5 == 0 else (i * 2**40 if i % 2 else -i) for i in range(n)],
            "small": pl.Series([i % 120 for i in range(n)], dtype=pl.Int8),
            "flag": [None if i % 4 == 0 else i % 3 == 0 for i in range(n)],
        }
    )


def sheet(frame: pl.DataFrame) -> xlsx.SheetSpec:
    return xlsx.SheetSpec(
        key="findings",
        frame=frame,
        widths=[12.0] * frame.width,
        coloured={"text": {"ctl": "error", "emoji": "warning"}} if "text" in frame.columns else {},
        number_formats={"number": "0.00"} if "number" in frame.columns else {},
    )


def write_both(
    specs: list[xlsx.SheetSpec], tmp_path: Path, monkeypatch, max_rows: int = xlsx.EXCEL_MAX_ROWS
) -> tuple[Path, Path]:
    """The workbook as written, and as rustpy alone writes it (every sheet whole)."""
    spliced, whole = tmp_path / "spliced.xlsx", tmp_path / "whole.xlsx"
    xlsx._write_workbook(specs, spliced, "zh", max_rows)
    with monkeypatch.context() as patch:
        patch.setattr(xlsx_rows, "can_write_rows", lambda frame: False)
        xlsx._write_workbook(specs, whole, "zh", max_rows)
    return spliced, whole


def test_tricky_cells_are_written_as_rustpy_writes_them(tmp_path, monkeypatch):
    frame = tricky_frame()
    assert can_write_rows(frame)
    spliced, whole = write_both([sheet(frame)], tmp_path, monkeypatch)
    assert_same_package(spliced, whole)


def test_serial_dates_match_rustpy_to_the_last_digit(tmp_path, monkeypatch):
    # Polars divides by a scalar as a multiplication by its reciprocal, one unit in the last
    # place off for about one time in ten; a few thousand times catch it.
    start = datetime(2026, 1, 1)
    moments = pl.datetime_range(start, datetime(2026, 12, 31), "7919s", eager=True)
    frame = pl.DataFrame({"moment": moments}).with_columns(
        pl.when(pl.int_range(pl.len()) % 10 == 3)
        .then(None)
        .otherwise(pl.col("moment"))
        .alias("moment")
    )
    assert frame.height > 3000
    spliced, whole = write_both([sheet(frame)], tmp_path, monkeypatch)
    assert_same_package(spliced, whole)


def test_rows_across_chunks_and_sheets_match_rustpy(tmp_path, monkeypatch):
    frame = pl.concat([tricky_frame()] * 7)  # 154 rows
    monkeypatch.setattr(xlsx_rows, "ROWS_PER_CHUNK", 16)
    spliced, whole = write_both([sheet(frame)], tmp_path, monkeypatch, max_rows=60)
    assert_same_package(spliced, whole)
    assert openpyxl.load_workbook(spliced).sheetnames == ["违规明细", "违规明细2", "违规明细3"]


def test_a_whole_workbook_matches_rustpy(tmp_path, monkeypatch):
    findings = [
        finding("D001", "warning", f"AS{i}", f"O{i}", message=text)
        for i, text in enumerate(TRICKY_TEXT)
    ]
    result = build_result(findings=make_findings(findings))
    specs = [
        xlsx._summary_sheet(result, "zh"),
        xlsx._findings_sheet(result, "zh"),
        xlsx._todo_sheet(result, "zh"),
        xlsx._data_issues_sheet(result, "zh"),
        xlsx._kpi_sheet(result, "zh"),
        xlsx._rules_sheet(result, "zh"),
    ]
    spliced, whole = write_both(specs, tmp_path, monkeypatch)
    assert_same_package(spliced, whole)


def test_readers_see_every_row_and_range(tmp_path):
    frame = pl.concat([tricky_frame()] * 3)
    path = tmp_path / "v.xlsx"
    xlsx._write_workbook([sheet(frame)], path, "zh", xlsx.EXCEL_MAX_ROWS)
    last = frame.height + 1
    book = openpyxl.load_workbook(path)
    found = book["违规明细"]
    assert found.max_row == last
    assert found.auto_filter.ref == f"A1:F{last}"
    assert [str(r.sqref) for r in found.conditional_formatting] == [f"A2:A{last}"]
    workbook_xml = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert f"违规明细!$A$1:$F${last}</definedName>" in workbook_xml  # the autofilter's name
    read = fastexcel.read_excel(path).load_sheet_by_name("违规明细").to_polars()
    assert read.height == frame.height
    assert read["text"].to_list()[:3] == frame["text"].to_list()[:3]
    assert read["count"].drop_nulls().to_list() == frame["count"].drop_nulls().cast(float).to_list()


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (pl.DataFrame({"a": ["x"], "b": [1.5], "c": [True], "d": [datetime(2026, 1, 1)]}), True),
        (pl.DataFrame({"d": [datetime(1900, 2, 28)]}), False),  # Excel's 1900 leap-year bug
        (
            pl.DataFrame({"d": [datetime(2026, 1, 1)]}).with_columns(
                pl.col("d").dt.replace_time_zone("Asia/Shanghai")
            ),
            False,
        ),
        (pl.DataFrame({"m": ["1.50"]}).with_columns(pl.col("m").cast(pl.Decimal(10, 2))), False),
        (pl.DataFrame({"l": [[1, 2]]}), False),
    ],
)
def test_only_the_types_written_here_take_this_path(frame, expected):
    assert can_write_rows(frame) is expected


def test_a_sheet_rustpy_writes_whole_still_reads_back(tmp_path):
    early = pl.DataFrame({"when": [datetime(1900, 1, 1), datetime(2026, 3, 1)], "n": [1, 2]})
    path = tmp_path / "v.xlsx"
    xlsx._write_workbook([sheet(early)], path, "zh", xlsx.EXCEL_MAX_ROWS)
    rows = list(openpyxl.load_workbook(path)["违规明细"].iter_rows(min_row=2, values_only=True))
    assert rows == [(datetime(1900, 1, 1), 1), (datetime(2026, 3, 1), 2)]


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ('<dimension ref="A1:T2"/>', '<dimension ref="A1:T9"/>'),
        ('<autoFilter ref="A1:F2"/>', '<autoFilter ref="A1:F9"/>'),
        ('<conditionalFormatting sqref="B2">', '<conditionalFormatting sqref="B2:B9">'),
        ('<x sqref="B2:B2 D2:E2">', '<x sqref="B2:B9 D2:E9">'),
        ('<dimension ref="A1:F4"/>', '<dimension ref="A1:F4"/>'),  # not the template's
        ('<pane topLeftCell="A2"/>', '<pane topLeftCell="A2"/>'),  # not a range
        ('<x sqref="B12:B22">', '<x sqref="B12:B22">'),
    ],
)
def test_ranges_ending_on_the_template_row_reach_the_last_row(xml, expected):
    assert extend_ranges(xml, 9) == expected
    assert extend_ranges(xml, 2) == xml  # one data row: the template's ranges are the sheet's
