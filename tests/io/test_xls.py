"""Legacy .xls workbooks (BIFF8, as older Taobao and JD back offices still export) read through
the same fastexcel path as .xlsx: header below a title row, real date cells, long ids as text."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import xlwt

from auditor.io import load

RUN = datetime(2026, 4, 1, 12, 0)


def _write_xls(path, rows, title=None):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("退款明细")
    when = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    offset = 0
    if title:
        sheet.write(0, 0, title)
        offset = 1
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(r + offset, c, value, when)
            elif value is not None:
                sheet.write(r + offset, c, value)
    book.save(str(path))
    return path


def test_xls_reads_with_its_row_numbers_dates_and_long_ids(tmp_path):
    path = _write_xls(
        tmp_path / "售后.xls",
        [
            ["售后单号", "订单编号", "申请时间", "退款金额", "售后原因"],
            [
                "4988964832002768612",
                "3553498017448001",
                datetime(2026, 3, 5, 10, 2, 3),
                12.5,
                "不想要了",
            ],
            ["4988964832002768613", "3553498017448002", "2026/3/6 9:00", "¥1,299.00", "质量问题"],
            ["4988964832002768614", "3553498017448003", "not a date", 3, "质量问题"],
        ],
        title="售后单导出 2026-03",
    )
    ds = load([path], run_started=RUN)
    assert ds.inputs[0].profile == "generic"
    assert ds.inputs[0].rows == 3
    cases = ds.cases.sort("case_id")
    assert cases["case_id"].to_list() == [
        "4988964832002768612",
        "4988964832002768613",
        "4988964832002768614",
    ]
    assert cases["applied_at"].to_list()[:2] == [
        datetime(2026, 3, 5, 10, 2, 3),
        datetime(2026, 3, 6, 9, 0),
    ]
    assert cases["refund_amount"].to_list()[:2] == [12.5, 1299.0]
    # the title row pushes the header to row 2: data rows are Excel rows 3, 4, 5
    assert cases["_src_row"].to_list() == [3, 4, 5]
    bad = ds.data_issues.filter(pl.col("check") == "Q001").select("column", "cell").rows()
    assert ("applied_at", "C5") in bad
