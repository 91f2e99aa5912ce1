"""Reading files: formats, encodings, header rows, sheets, and exact cell locations."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.errors import AuditorError
from auditor.io import load
from auditor.io.readers import column_letter, decode_text
from tests.io.helpers import write_csv, write_xlsx

HEADER = ["售后单号", "订单编号", "申请时间", "实付金额", "退款金额", "售后原因", "买家姓名"]


def rows(n: int = 2) -> list[list]:
    return [
        [f"AS{i}", f"O{i}", f"2026-03-0{i} 10:00:00", "100", "50", "七天无理由", "张三"]
        for i in range(1, n + 1)
    ]


def issues(ds, check: str | None = None) -> list[tuple]:
    frame = ds.data_issues
    if check:
        frame = frame.filter(pl.col("check") == check)
    return frame.select("check", "column", "cell", "source_sheet", "source_row").rows()


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


def test_header_found_below_two_title_rows(tmp_path):
    path = write_xlsx(
        tmp_path / "cases.xlsx",
        {"售后": [["某某旗舰店 售后明细"], ["导出时间：2026-04-01 08:00"], HEADER, *rows(2)]},
    )
    ds = load([path])
    assert ds.inputs[0].details[0].header_row == 3
    assert ds.cases["_src_row"].to_list() == [4, 5]
    assert ds.inputs[0].rows == 2


@pytest.mark.parametrize("title_in_a1", [False, True])
def test_blank_leading_rows_and_columns_keep_cells_right(tmp_path, title_in_a1):
    data = [HEADER, *rows(2)]
    data[2][3] = "一百"  # paid_amount of the second case: column F (C + 3), row 6
    path = write_xlsx(tmp_path / "c4.xlsx", {"售后": data}, start="C4")
    if title_in_a1:
        import openpyxl

        book = openpyxl.load_workbook(path)
        book["售后"]["A1"] = "标题"
        book.save(path)
    ds = load([path])
    assert ds.cases["_src_row"].to_list() == [5, 6]
    assert issues(ds, "Q001") == [("Q001", "paid_amount", "F6", "售后", 6)]


def test_blank_and_total_rows_are_skipped_but_rows_keep_their_numbers(tmp_path):
    data = [
        HEADER,
        rows(1)[0],
        None,
        ["AS2", "O2", "2026-03-02 10:00:00", "x", "1"],
        ["合计", None],
    ]
    ds = load([write_xlsx(tmp_path / "c.xlsx", {"s": data})])
    assert ds.cases["case_id"].to_list() == ["AS1", "AS2"]
    assert ds.cases["_src_row"].to_list() == [2, 4]
    assert issues(ds, "Q001") == [("Q001", "paid_amount", "D4", "s", 4)]


def test_every_matching_sheet_is_read_in_order(tmp_path):
    douyin = ["售后单号", "订单号", "商品单号", "售后申请时间", "售后状态"]
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "说明": [["本文件由系统导出"], ["请勿修改"]],
            "三月": [HEADER, *rows(2)],
            "四月": [HEADER, ["AS9", "O9", "2026-04-01 09:00:00", "1", "1"]],
            "抖店": [douyin, ["D1", "O1", "L1", "2026-04-02 09:00:00", "待商家处理"]],
        },
    )
    ds = load([path])
    info = ds.inputs[0]
    assert info.sheets == ("三月", "四月", "抖店")
    assert info.profile == "generic+douyin-aftersales"
    assert info.rows == 4
    assert ds.cases["_src_sheet"].to_list() == ["三月", "三月", "四月", "抖店"]
    assert ds.cases["case_id"].to_list() == ["AS1", "AS2", "AS9", "D1"]
    assert ds.cases.filter(pl.col("case_id") == "D1")["decision"].to_list() == ["pending"]


def test_gb18030_csv_with_excel_text_ids(tmp_path):
    lines = [
        "售后明细（导出）",
        ",".join(HEADER),
        '="4988964832002768612",="3553498017448001",2026/3/1 10:02,"1,299.00",¥50,不想要了,王五',
        "'4988964832002768613,\t3553498017448002,2026年3月2日 09:00,88,无退款申请,质量问题,赵六",
    ]
    path = tmp_path / "taobao.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    ds = load([path])
    assert ds.inputs[0].format == "csv"
    assert ds.cases["case_id"].to_list() == ["4988964832002768612", "4988964832002768613"]
    assert ds.cases["order_id"].to_list() == ["3553498017448001", "3553498017448002"]
    assert ds.cases["paid_amount"].to_list() == [1299.0, 88.0]
    assert ds.cases["refund_amount"].to_list() == [50.0, None]
    assert ds.cases["applied_at"].to_list() == [
        datetime(2026, 3, 1, 10, 2),
        datetime(2026, 3, 2, 9),
    ]
    assert ds.cases["_src_row"].to_list() == [3, 4]
    assert ds.cases["_src_sheet"].to_list() == [None, None]
    assert ds.cases["reason_class"].to_list() == ["no_reason", "quality"]


def test_utf8_with_bom_and_tab_separated_text(tmp_path):
    body = [HEADER, *rows(1)]
    bom = write_csv(tmp_path / "bom.csv", body, bom=True)
    assert load([bom]).cases["case_id"].to_list() == ["AS1"]
    tsv = tmp_path / "amazon.txt"
    tsv.write_text("\n".join("\t".join(r) for r in body) + "\n", encoding="utf-8")
    assert load([tsv]).cases["case_id"].to_list() == ["AS1"]


def test_csv_blank_lines_keep_line_numbers_and_bad_cells_are_located(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        # Every row has the header's 7 fields (a shorter one is a Q001 of its own).
        "标题\n\n" + ",".join(HEADER) + "\nAS1,O1,2026-03-01 10:00,1,1,,\n\nAS2,O2,昨天,1,1,,\n",
        encoding="utf-8",
    )
    ds = load([path])
    assert ds.cases["_src_row"].to_list() == [4, 6]
    assert issues(ds, "Q001") == [("Q001", "applied_at", "C6", None, 6)]


def test_decode_prefers_utf8_then_gb18030():
    assert decode_text("售后".encode()) == ("售后", "utf-8")
    assert decode_text(b"\xef\xbb\xbf" + "售后".encode()) == ("售后", "utf-8")
    assert decode_text("售后".encode("gbk")) == ("售后", "gb18030")


def test_a_character_cut_by_the_utf8_probe_is_still_utf8():
    from auditor.io.readers import UTF8_PROBE

    # "售" is three bytes in UTF-8: one starts a byte before the probe ends.
    text = "a" * (UTF8_PROBE - 1) + "售后" * 10
    assert decode_text(text.encode()) == (text, "utf-8")


def test_utf8_past_the_probe_and_gb18030_from_the_start_are_both_told_apart():
    from auditor.io.readers import UTF8_PROBE

    late = "a" * (UTF8_PROBE * 2) + "售后"
    assert decode_text(late.encode()) == (late, "utf-8")
    # GB18030 whose first 64 KB are ASCII: the probe passes, the whole file does not.
    assert decode_text(late.encode("gb18030")) == (late, "gb18030")
    assert decode_text(("售后," * UTF8_PROBE).encode("gb18030"))[1] == "gb18030"


def test_parquet_with_typed_columns(tmp_path):
    frame = pl.DataFrame(
        {
            "case_id": ["P1", "P2"],
            "order_id": ["O1", "O2"],
            "applied_at": [datetime(2026, 3, 1, 10), datetime(2026, 3, 2, 11)],
            "refund_amount": [12.345, -1.0],
            "evidence": [True, None],
            "satisfaction": [5, 9],
        }
    )
    path = tmp_path / "cases.parquet"
    frame.write_parquet(path)
    ds = load([path])
    assert ds.inputs[0].profile == "generic"
    assert ds.cases["applied_at"].to_list() == [datetime(2026, 3, 1, 10), datetime(2026, 3, 2, 11)]
    # A negative amount is a Q001 and is not used (the cell reads as blank).
    assert ds.cases["refund_amount"].to_list() == [12.35, None]
    assert ds.cases["evidence"].to_list() == [True, None]
    assert ds.cases["_src_row"].to_list() == [2, 3]  # as if the header were row 1
    assert sorted(issues(ds, "Q001")) == [
        ("Q001", "refund_amount", "D3", None, 3),
        ("Q001", "satisfaction", "F3", None, 3),
    ]


def test_ids_written_as_numbers_keep_every_digit(tmp_path):
    path = write_xlsx(
        tmp_path / "n.xlsx",
        {"s": [HEADER[:3], [1234567, 9876543210.0, "2026-03-01 10:00:00"]]},
    )
    ds = load([path])
    assert ds.cases["case_id"].to_list() == ["1234567"]
    assert ds.cases["order_id"].to_list() == ["9876543210"]


def test_excel_datetime_cells_and_serials(tmp_path):
    path = write_xlsx(
        tmp_path / "d.xlsx",
        {
            "s": [
                HEADER[:3],
                ["A1", "O1", datetime(2026, 3, 1, 10, 2, 3)],
                ["A2", "O2", 46082.5],  # a serial in a cell without a date format
            ]
        },
    )
    assert load([path]).cases["applied_at"].to_list() == [
        datetime(2026, 3, 1, 10, 2, 3),
        datetime(2026, 3, 1, 12),
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.xlsx", None, "文件不存在"),
        ("cases.json", b"{}", "不支持的文件格式"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "无法读取"),
        ("bad.parquet", b"nope", "parquet"),
    ],
)
def test_unreadable_files_are_located_errors(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AuditorError) as err:
        load([path])
    problem = err.value.problems[0]
    assert problem.file == str(path)
    assert expected in problem.message_zh


def test_a_file_with_no_known_layout_says_what_it_saw(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", {"s": [["姓名", "电话"], ["张三", "138"]]})
    with pytest.raises(AuditorError) as err:
        load([path])
    problem = err.value.problems[0]
    assert problem.file == str(path)
    assert "姓名" in problem.message_zh
    assert "layout" in problem.message_en


def test_every_unreadable_file_is_reported_at_once(tmp_path):
    good = write_xlsx(tmp_path / "ok.xlsx", {"s": [HEADER, *rows(1)]})
    with pytest.raises(AuditorError) as err:
        load([tmp_path / "a.xlsx", good], orders=[tmp_path / "b.csv"])
    assert [p.file for p in err.value.problems] == [
        str(tmp_path / "a.xlsx"),
        str(tmp_path / "b.csv"),
    ]


def test_merged_title_rows_above_the_header(tmp_path):
    import openpyxl

    path = write_xlsx(
        tmp_path / "m.xlsx", {"s": [["售后明细"], ["店铺：旗舰店"], HEADER, *rows(1)]}
    )
    book = openpyxl.load_workbook(path)
    book["s"].merge_cells("A1:G1")
    book["s"].merge_cells("A2:G2")
    book.save(path)
    ds = load([path])
    assert ds.inputs[0].details[0].header_row == 3
    assert ds.cases["case_id"].to_list() == ["AS1"]
    assert ds.cases["_src_row"].to_list() == [4]


def test_headers_with_noise_still_match(tmp_path):
    noisy = ["售后单号 ", " 订单编号", "申请\n时间", "实付金额"]
    path = write_xlsx(tmp_path / "n.xlsx", {"s": [noisy, ["A", "O", "2026-03-01", "1"]]})
    ds = load([path])
    assert ds.inputs[0].profile == "generic"
    assert ds.cases["applied_at"].to_list() == [datetime(2026, 3, 1)]


def test_a_chart_sheet_beside_the_data_is_passed_over(tmp_path):
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    data = book.active
    data.title = "明细"
    data.append(HEADER)
    data.append(rows(1)[0])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=4, min_row=1, max_row=2))
    book.create_chartsheet("图表").add_chart(chart)
    book.save(tmp_path / "with-chart.xlsx")
    ds = load([tmp_path / "with-chart.xlsx"])
    assert ds.inputs[0].sheets == ("明细",)
    assert ds.cases["case_id"].to_list() == ["AS1"]


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=300) | st.lists(st.sampled_from([b"\r", b"\n", b"a"])).map(b"".join),
    chunk=st.sampled_from([1, 7, 64, 1 << 26]),
)
def test_scan_counts_line_breaks_and_finds_control_bytes(data, chunk):
    from auditor.io import readers

    newlines, control, lone_returns = readers.scan_bytes(data, chunk)
    assert newlines == data.count(b"\n")
    assert control == (data.translate(None, readers.CONTROL_BYTES) != data)
    assert lone_returns == data.count(b"\r") - data.count(b"\r\n")


def test_a_csv_with_control_bytes_is_read_without_them(tmp_path):
    path = tmp_path / "cases.csv"
    lines = [
        "售后单号,订单编号,申请时间",
        "C\x001,O1,2026-03-01 10:00:00",
        "C2,O\x1f2,2026-03-02 10:00:00",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    ds = load(cases=[str(path)])
    assert ds.cases["case_id"].to_list() == ["C1", "C2"]
    assert ds.cases["order_id"].to_list() == ["O1", "O2"]
    assert ds.cases["_src_row"].to_list() == [2, 3]
