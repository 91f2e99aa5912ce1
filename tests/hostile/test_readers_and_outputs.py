"""Hostile inputs to the readers and hostile output folders, through the command line: a
located Q001 or a located error (exit 2), never a silent blank, a traceback or a mixed set."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import polars as pl
import pytest

from auditor.io import load

HEADER = ["售后单号", "订单编号", "商品类目", "售后类型", "售后原因", "签收时间", "申请时间"]
HEADER += ["审核结果", "拒绝原因", "退款金额"]
# "#N/A" among them: the text "#N/A" is a blank placeholder (CSV exports write it for one),
# the error cell is not.
ERRORS = ["#VALUE!", "#N/A", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"]


def _case(case_id: str, signed: object, refund: object) -> list:
    applied = datetime(2026, 3, 3)
    return [
        case_id,
        f"O{case_id}",
        "女装",
        "退货退款",
        "不想要了",
        signed,
        applied,
        "拒绝",
        "x",
        refund,
    ]


@pytest.mark.parametrize("error", ERRORS)
def test_an_excel_error_in_a_date_or_amount_cell_is_a_located_q001(cli, tmp_path, error):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "明细"
    sheet.append(HEADER)
    sheet.append(_case("A1", datetime(2026, 3, 1, 10), 10.5))
    sheet.append(_case("A2", error, 12))  # F3
    sheet.append(_case("A3", datetime(2026, 3, 2, 9), error))  # J4
    book.save(tmp_path / "e.xlsx")
    run = cli("validate", tmp_path / "e.xlsx", "--json", tmp_path / "v.json")
    assert run.code == 1
    issues = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["data_issues"]
    found = {(i["check"], i["cell"], i["column"], i["value"]) for i in issues}
    assert found == {("Q001", "F3", "signed_at", error), ("Q001", "J4", "refund_amount", error)}


def test_an_excel_error_says_so_in_any_column_and_leaves_the_cell_blank(cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(_case("A1", datetime(2026, 3, 1, 10), 10))
    sheet.append(_case("#REF!", "#VALUE!", "#N/A"))  # A3 (the case id), F3, J3
    sheet.append(_case("A3", datetime(2026, 3, 1, 10), 12))
    sheet["E4"] = "#NAME?"  # the reason, a text column
    book.save(tmp_path / "e.xlsx")
    out = tmp_path / "out"
    assert cli("audit", tmp_path / "e.xlsx", "--out", out, "--fail-on", "never").code == 0
    issues = json.loads((out / "findings.json").read_text(encoding="utf-8"))["data_issues"]
    q001 = {
        i["cell"]: (i["case_id"], i["column"], i["message"]) for i in issues if i["check"] == "Q001"
    }
    assert q001 == {
        "A3": (None, "case_id", "单元格为 Excel 错误值 #REF!"),
        "F3": (None, "signed_at", "单元格为 Excel 错误值 #VALUE!"),
        "J3": (None, "refund_amount", "单元格为 Excel 错误值 #N/A"),
        "E4": ("A3", "reason", "单元格为 Excel 错误值 #NAME?"),
    }
    cases = load([tmp_path / "e.xlsx"]).cases
    assert "#REF!" not in cases["case_id"].to_list()
    assert cases.filter(pl.col("case_id") == "A3")["reason"].to_list() == [None]
    run = cli("validate", tmp_path / "e.xlsx", "--lang", "en")
    assert "the cell holds the Excel error #VALUE!" in run.out


def test_rows_beside_an_error_cell_keep_their_dates(cli, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(_case("A1", datetime(2026, 3, 1, 10, 30, 5), 10))
    sheet.append(_case("A2", "#VALUE!", 10))
    book.save(tmp_path / "e.xlsx")
    out = tmp_path / "out"
    run = cli("audit", tmp_path / "e.xlsx", "--out", out, "--fail-on", "never")
    assert run.code == 0
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    q001 = [i for i in document["data_issues"] if i["check"] == "Q001"]
    assert [(i["cell"], i["value"]) for i in q001] == [("F3", "#VALUE!")]


def _workbook(path):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(_case("A1", datetime(2026, 3, 1, 10), 10))
    book.save(path)
    return path


def test_an_xlsx_named_xls_is_read_as_the_workbook_it_is(cli, tmp_path):
    xls = tmp_path / "x.xls"
    xls.write_bytes(_workbook(tmp_path / "x.xlsx").read_bytes())
    run = cli("validate", xls, "--json", tmp_path / "v.json")
    assert run.code == 0, run.err
    inputs = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["inputs"]
    assert [i["rows"] for i in inputs] == [1]
    assert load([xls]).inputs[0].format == "xlsx"


def test_a_csv_named_xls_is_read_as_csv(cli, tmp_path):
    xls = tmp_path / "t.xls"
    xls.write_text("售后单号,订单编号,申请时间\nC1,O1,2026-03-03 10:00:00\n", encoding="gb18030")
    run = cli("validate", xls, "--json", tmp_path / "v.json")
    assert run.code == 0, run.err
    inputs = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["inputs"]
    assert [i["rows"] for i in inputs] == [1]
    assert load([xls]).inputs[0].format == "csv"


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        (
            b"\xef\xbb\xbf\r\n<html><body><table><tr><td>x</td></tr></table></body></html>",
            "这是网页（HTML）文件，只是扩展名为 .xls",
            "this is a web page (HTML) saved as .xls",
        ),
        (
            b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "这是 XML 表格（Excel 2003 XML）",
            "this is an XML spreadsheet (Excel 2003 XML)",
        ),
        (
            b"\x00\x01\x02\x03 not a workbook",
            "不是 Excel 工作簿（文件格式无法识别，可能已损坏）",
            "not an Excel workbook (the format is not recognised",
        ),
    ],
)
def test_other_content_named_xls_says_what_it_is(cli, tmp_path, content, zh, en):
    xls = tmp_path / "page.xls"
    xls.write_bytes(content)
    for lang, words in (("zh", zh), ("en", en)):
        run = cli("validate", xls, "--lang", lang)
        assert run.code == 2
        assert run.err.startswith(f"{xls}: ") and words in run.err
        assert "calamine" not in run.err and "OLE" not in run.err


@pytest.mark.parametrize("command", ["audit", "validate"])
def test_a_folder_given_as_input_is_called_a_folder(cli, tmp_path, command):
    folder = tmp_path / "d.xlsx"
    folder.mkdir()
    run = cli(command, folder, "--lang", "en")
    assert run.code == 2
    assert "is a folder, not a file" in run.err or "a folder, not a file" in run.err
    assert "no such file" not in run.err and "not found" not in run.err
    assert "是文件夹，不是文件" in cli(command, folder).err


def test_a_folder_in_place_of_an_output_keeps_the_earlier_set(cli, tmp_path):
    cases = _workbook(tmp_path / "cases.xlsx")
    out = tmp_path / "out"
    assert cli("audit", cases, "--out", out, "--fail-on", "never").code == 0
    (out / "report.html").unlink()
    (out / "report.html").mkdir()
    kept = {name: (out / name).read_bytes() for name in ("violations.xlsx", "findings.json")}
    run = cli("audit", cases, "--out", out, "--as-of", "2026-04-01", "--lang", "en")
    assert run.code == 2
    assert run.err.strip().splitlines() == [
        f"{out / 'report.html'}: cannot write report.html: a folder of that name is in the "
        "output folder; remove or rename it"
    ]
    assert {name: (out / name).read_bytes() for name in kept} == kept


ID_HEADER = ["售后单号", "订单编号", "售后类型", "售后原因", "申请时间", "审核结果", "拒绝原因"]


def _numeric_ids(path, *ids: tuple[int, int]):
    book = openpyxl.Workbook()
    book.active.append(ID_HEADER)
    for case_id, order_id in ids:
        book.active.append([case_id, order_id, "仅退款", "不想要了", "2026-03-03", "拒绝", "x"])
    book.save(path)
    return path


def _id_issues(cli, path, out) -> list[tuple]:
    assert cli("audit", path, "--out", out, "--fail-on", "never").code == 0
    issues = json.loads((out / "findings.json").read_text(encoding="utf-8"))["data_issues"]
    return sorted((i["check"], i["cell"], i["value"], i["message"]) for i in issues)


def test_ids_written_as_numbers_of_18_digits_are_digits_lost_not_duplicates(cli, tmp_path):
    """Excel keeps 15 digits of a number: two such cases must not merge into one."""
    path = _numeric_ids(
        tmp_path / "n.xlsx",
        (226031000000000007, 426031000000000149),
        (226031000000000008, 426031000000000150),
    )
    text = tmp_path / "t.csv"
    text.write_text(
        ",".join(ID_HEADER) + "\n"
        "2.26031E+17,4.26031E+17,仅退款,不想要了,2026-03-03,拒绝,x\n"
        "2.26031E+17,4.26031E+17,仅退款,不想要了,2026-03-03,拒绝,x\n",
        encoding="utf-8",
    )
    found = _id_issues(cli, path, tmp_path / "out")
    assert found == _id_issues(cli, text, tmp_path / "text-out")  # as the text form is
    assert [(check, cell, value) for check, cell, value, _ in found] == [
        ("Q001", "A2", "2.26031E+17"),
        ("Q001", "A3", "2.26031E+17"),
        ("Q001", "B2", "4.26031E+17"),
        ("Q001", "B3", "4.26031E+17"),
    ]
    assert found[0][3] == "售后单号「2.26031E+17」像是被 Excel 转成了科学计数法，位数已丢失"
    run = cli("validate", path, "--lang", "en")
    assert "case_id 2.26031E+17 looks converted to a float by Excel: digits lost" in run.out


def test_ids_as_excel_saves_long_numbers_are_digits_lost(cli, tmp_path):
    from tests.io.test_xlsx_head import with_cell_xml

    path = _numeric_ids(tmp_path / "n.xlsx", (1, 11), (2, 12))
    with_cell_xml(path, {"A2": '<c r="A2"><v>2.26031E+17</v></c>'})
    with_cell_xml(path, {"A3": '<c r="A3" t="n"><v>2.26031E+17</v></c>'})
    found = _id_issues(cli, path, tmp_path / "out")
    assert [(check, cell) for check, cell, _, _ in found] == [("Q001", "A2"), ("Q001", "A3")]


def test_ids_written_as_numbers_of_15_digits_are_kept(cli, tmp_path):
    path = _numeric_ids(tmp_path / "n.xlsx", (123456789012345, 999999999999999))
    assert _id_issues(cli, path, tmp_path / "out") == []
    cases = load([path]).cases
    assert cases.select("case_id", "order_id").rows() == [("123456789012345", "999999999999999")]


def test_an_excel_error_in_a_status_text_column_is_a_q001_not_a_blank_status(cli, tmp_path):
    from tests.io.helpers import profile_document, sample_sheet

    headers, row, _ = sample_sheet("taobao-refund-c")
    status = headers.index(profile_document("taobao-refund-c")["status_text"]["column"])
    book = openpyxl.Workbook()
    book.active.append(headers)
    book.active.append([*row[:status], "#N/A", *row[status + 1 :]])
    book.save(tmp_path / "t.xlsx")
    assert cli("validate", tmp_path / "t.xlsx", "--json", tmp_path / "v.json").code == 1
    issues = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["data_issues"]
    letter = openpyxl.utils.get_column_letter(status + 1)
    q001 = [(i["cell"], i["column"], i["value"]) for i in issues if i["check"] == "Q001"]
    assert q001 == [(f"{letter}2", "status", "#N/A")]
