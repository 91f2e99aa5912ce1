"""Header rows read from the sheet XML, and datetime columns read typed below them."""

from __future__ import annotations

import logging
import re
import zipfile
from datetime import datetime

import fastexcel
import openpyxl
import polars as pl
import pytest

from auditor.io import load, xlsx_head
from auditor.io.readers import read_sheets
from auditor.io.xlsx_head import MisreadCells, misread_cells, read_head
from tests.io.helpers import write_xlsx

RUN = datetime(2026, 4, 1, 12, 0)
HEADER = ["case_id", "order_id", "applied_at", "signed_at", "reason"]


def fastexcel_head(path, n=30):
    reader = fastexcel.read_excel(str(path))
    sheet = reader.load_sheet(0, header_row=None, skip_rows=0, n_rows=n, dtypes="string")
    return [list(row) for row in sheet.to_polars().rows()], [
        c.absolute_index for c in sheet.available_columns()
    ]


def test_shared_string_headers_below_a_title_and_off_the_first_column(tmp_path):
    rows = [
        ["三月售后导出"],
        None,
        HEADER,
        ["A1", "O1", datetime(2026, 3, 1, 10), None, "不想要了"],
    ]
    path = write_xlsx(tmp_path / "c.xlsx", {"售后": rows}, start="C4")
    head = read_head(str(path), "售后", 30)
    expected, columns = fastexcel_head(path)
    assert (head.first_col, head.last_col) == (columns[0], columns[-1])
    assert head.rows[:6] == expected[:6]  # title, blank and header rows alike
    assert head.last_row == 7


def test_inline_strings_and_rich_text_runs(tmp_path):
    import xlsxwriter

    path = tmp_path / "inline.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("s")
    bold = book.add_format({"bold": True})
    sheet.write_rich_string("A1", bold, "售后", "单号")
    sheet.write_row("B1", HEADER[1:])
    sheet.write_row("A2", ["A1", "O1", "2026-03-01 10:00:00", None, "质量问题"])
    book.close()
    head = read_head(str(path), "s", 30)
    assert head.rows[0] == ["售后单号", *HEADER[1:]]


def test_a_doctype_or_a_missing_dimension_means_the_sheet_is_read_whole(tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", {"s": [HEADER, ["A1", "O1", "2026-03-01", None, "x"]]})
    for name, change in [
        (
            "doctype.xlsx",
            lambda xml: xml.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1),
        ),
        ("nodim.xlsx", lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml)),
    ]:
        changed = tmp_path / name
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(changed, "w") as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = change(data)
                dst.writestr(item, data)
        assert read_head(str(changed), "s", 30) is None
        if name == "nodim.xlsx":  # still read, the old way
            ds = load([changed], run_started=RUN)
            assert ds.cases["case_id"].to_list() == ["A1"]


def test_date_cells_are_read_typed_and_give_the_same_cases(tmp_path):
    rows = [HEADER] + [
        [f"A{i}", f"O{i}", datetime(2026, 3, 1 + i, 9, 30, 15), datetime(2026, 2, 20 + i), "x"]
        for i in range(5)
    ]
    path = write_xlsx(tmp_path / "c.xlsx", {"s": rows})
    sheet = read_sheets(str(path))[0][0]
    body = sheet.body(0, [2, 3])
    assert isinstance(body.frame.schema["c2"], pl.Datetime)
    assert body.first_row == 2
    ds = load([path], run_started=RUN)
    assert ds.cases["applied_at"].to_list() == [
        datetime(2026, 3, 1 + i, 9, 30, 15) for i in range(5)
    ]
    assert ds.cases["signed_at"].to_list() == [datetime(2026, 2, 20 + i) for i in range(5)]


@pytest.mark.parametrize("late_row", [3, 1500])
def test_a_datetime_column_mixing_date_cells_and_text_is_read_as_text(tmp_path, late_row):
    """No cell is lost to type inference, however far down the odd one sits."""
    rows = [HEADER] + [
        [f"A{i}", f"O{i}", datetime(2026, 3, 1, 10, 0, 0), None, "x"] for i in range(late_row)
    ]
    rows.append(["B1", "O9", "2026/3/2 8:05", None, "x"])
    rows.append(["B2", "O9", "下周", None, "x"])
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "mixed.xlsx"
    workbook.save(path)
    sheet = read_sheets(str(path))[0][0]
    assert sheet.body(0, [2]).frame.schema["c2"] == pl.String
    ds = load([path], run_started=RUN)
    cases = ds.cases.filter(pl.col("case_id").str.starts_with("B")).sort("case_id")
    assert cases["applied_at"].to_list() == [datetime(2026, 3, 2, 8, 5), None]
    q001 = ds.data_issues.filter(pl.col("check") == "Q001")
    assert q001.select("case_id", "column", "cell").rows() == [
        ("B2", "applied_at", f"C{late_row + 3}")
    ]


ERRORS = ["#VALUE!", "#N/A", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"]


def test_error_cells_are_found_with_their_position_and_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["售后单号", "申请时间"])
    for i, error in enumerate(ERRORS):
        sheet.append([f"E{i}", error])  # openpyxl writes "#…" error texts as t="e" cells
    book.save(tmp_path / "e.xlsx")
    found = misread_cells(str(tmp_path / "e.xlsx"), sheet.title)
    assert found.errors is not None
    assert found.errors.rows() == [(i + 2, 1, error) for i, error in enumerate(ERRORS)]
    assert found.long_numbers is None


def test_a_sheet_without_error_cells_or_long_numbers_has_none(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["售后单号", "#not an error", 123456789012345, 46083.5, 1039.2])
    book.active.append(["226031000000000007", "1.5E+17", -2.5e17, 1.23456789012345e14])
    book.save(tmp_path / "ok.xlsx")
    assert misread_cells(str(tmp_path / "ok.xlsx"), book.active.title) == MisreadCells()


def test_error_cells_across_chunk_edges_are_all_found(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_head, "ERROR_CHUNK", 97)
    book = openpyxl.Workbook()
    for i in range(200):
        book.active.append([f"C{i}", "#N/A" if i % 7 == 0 else i])
    book.save(tmp_path / "many.xlsx")
    found = misread_cells(str(tmp_path / "many.xlsx"), book.active.title).errors
    assert found is not None
    assert found["row"].to_list() == [i + 1 for i in range(200) if i % 7 == 0]


def with_cell_xml(path, cells: dict[str, str]):
    """The workbook with the named cells' XML replaced, as other writers than openpyxl
    write them (Excel: `<v>2.26031E+17</v>`; some: all 18 digits; formulas)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    for ref, cell in cells.items():
        xml, replaced = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell, xml, count=1)
        assert replaced == 1, ref
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_numbers_of_16_digits_or_more_are_found_as_excel_shows_them(tmp_path):
    book = openpyxl.Workbook()
    for _ in range(10):
        book.active.append(["x", "x"])
    book.save(tmp_path / "n.xlsx")
    long_ones = {
        "A1": '<c r="A1"><v>226031000000000007</v></c>',
        "A2": '<c r="A2" s="1" t="n"><v>2.26031E+17</v></c>',
        "A3": '<c r="A3"><f>B3*1</f><v>4.260310000000001e+17</v></c>',
        "A4": '<c r="A4"><f t="shared" si="0"/><v>1234567890123456.0</v></c>',
        "B4": '<c r="B4"><v>3E+18</v></c>',
    }
    others = {
        "A5": '<c r="A5"><v>123456789012345</v></c>',  # 15 digits: Excel keeps them all
        "A6": '<c r="A6" t="str"><f>B6</f><v>226031000000000007</v></c>',  # a text result
        "A7": '<c r="A7"><v>46083.50000000001</v></c>',
        "A8": '<c r="A8"><v>1.23456789012345E+14</v></c>',
        "A9": '<c r="A9"><v>0.1234567890123456</v></c>',
        "A10": '<c r="A10"><v>-2.26031E+17</v></c>',  # no id is negative
    }
    path = with_cell_xml(tmp_path / "n.xlsx", {**long_ones, **others})
    found = misread_cells(str(path), book.active.title)
    assert found.errors is None
    assert found.long_numbers is not None
    assert sorted(found.long_numbers.rows()) == [
        (1, 0, "2.26031E+17"),
        (2, 0, "2.26031E+17"),
        (3, 0, "4.26031E+17"),
        (4, 0, "1.23456789012346E+15"),
        (4, 1, "3E+18"),
    ]


def test_long_numbers_across_chunk_edges_are_all_found(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_head, "ERROR_CHUNK", 97)
    book = openpyxl.Workbook()
    for i in range(200):
        book.active.append([f"C{i}", 2.26031e17 + i if i % 7 == 0 else i])
    book.save(tmp_path / "many.xlsx")
    found = misread_cells(str(tmp_path / "many.xlsx"), book.active.title).long_numbers
    assert found is not None
    assert found["row"].to_list() == [i + 1 for i in range(200) if i % 7 == 0]
    assert set(found["col"]) == {1}


def _blank_datetime_column(path):
    book = openpyxl.Workbook()
    book.active.append(["售后单号", "订单编号", "申请时间", "签收时间"])
    book.active.append(["A1", "O1", datetime(2026, 3, 3), None])
    book.save(path)
    return path


def test_a_blank_column_gets_no_fastexcel_warning(tmp_path, caplog):
    ds = load([_blank_datetime_column(tmp_path / "blank.xlsx")])
    assert ds.cases["case_id"].to_list() == ["A1"]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("fastexcel")] == []
    assert not logging.getLogger("fastexcel.types.dtype").filters  # gone after the read


def test_the_fastexcel_warning_is_dropped_only_during_the_read(tmp_path, caplog, monkeypatch):
    import contextlib

    from auditor.io import readers

    monkeypatch.setattr(readers, "_without_dtype_warnings", contextlib.nullcontext)
    load([_blank_datetime_column(tmp_path / "blank.xlsx")])
    # The check above would catch the warning: without the filter, fastexcel logs it.
    assert any(r.name.startswith("fastexcel") for r in caplog.records)
