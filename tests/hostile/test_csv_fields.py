"""CSV rows whose field count is not the header's, quotes inside cells, UTF-16 text and
web pages saved as workbooks: read as a spreadsheet program reads them, or reported where
they are; never judged from shifted values, never a crash that prints the file's rows."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.hostile.corpus import write_xlsx

HEADER = (
    "售后单号,订单编号,商品名称,售后类型,售后原因,签收时间,申请时间,首次响应时间,审核时间,"
    "审核结果,买家退货时间,卖家收货时间,退款时间,售后状态"
)
# A late refund after the return arrived: D004 and D008 fire.
LATE = (
    "C1,O1,保温杯 500ml,退货退款,不想要了,2026-03-01 10:00:00,2026-03-02 10:00:00,"
    "2026-03-02 10:30:00,2026-03-02 11:00:00,同意,2026-03-03 10:00:00,2026-03-05 10:00:00,"
    "2026-03-20 10:00:00,已完结"
)
# A clean case (answered in 30 minutes) whose product name holds an unquoted comma.
SHIFTED = (
    "C3,O3,保温杯,500ml,退货退款,不想要了,2026-03-01 10:00:00,2026-03-05 10:00:00,"
    "2026-03-05 10:30:00,2026-03-05 11:00:00,同意,2026-03-06 10:00:00,2026-03-07 10:00:00,"
    "2026-03-07 12:00:00,已完结"
)


def _audit(cli, path: Path, out: Path, lang: str = "zh") -> dict:
    run = cli(
        "audit", path, "--out", out, "--as-of", "2026-04-01", "--fail-on", "never", "--lang", lang
    )
    assert run.code == 0, run.err
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _write(path: Path, lines: list[str], end: str = "\r\n", final: bool = True) -> Path:
    path.write_bytes((end.join(lines) + (end if final else "")).encode())
    return path


def _by_case(report: dict) -> tuple[dict, dict]:
    findings: dict = {}
    for f in report["findings"]:
        findings.setdefault(f["case_id"], set()).add(f["rule"])
    issues: dict = {}
    for i in report["data_issues"]:
        issues.setdefault(i["case_id"], []).append(i)
    return findings, issues


@pytest.mark.parametrize("end", ["\r\n", "\n"])
def test_a_short_row_and_a_long_row_are_reported_and_not_judged(cli, tmp_path, end):
    short = LATE.replace("C1,O1", "C2,O2").rsplit(",", 3)[0]
    path = _write(tmp_path / "cases.csv", [HEADER, LATE, short, SHIFTED], end)
    findings, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert findings["C1"] == {"D004", "D008"}  # the whole row is judged as before
    assert "C3" not in findings  # no D001/D002 from values one column to the right
    assert [(i["check"], i["source"]["row"], i["message"]) for i in issues["C2"]] == [
        ("Q001", 3, "第 3 行有 11 个字段，表头 14 个，本行不判定（本行末尾缺少字段）")
    ]
    assert [(i["check"], i["source"]["row"], i["message"]) for i in issues["C3"]] == [
        ("Q001", 4, "第 4 行有 15 个字段，表头 14 个，本行不判定（可能有单元格含未加引号的逗号）")
    ]


def test_a_long_row_is_told_in_english_under_lang_en(cli, tmp_path):
    path = _write(tmp_path / "cases.csv", [HEADER, LATE, SHIFTED])
    _, issues = _by_case(_audit(cli, path, tmp_path / "out", "en"))
    assert [i["message"] for i in issues["C3"]] == [
        "row 3 has 15 fields, the header 14; row not judged (a cell may hold an unquoted comma)"
    ]


def test_a_file_cut_off_mid_row_says_it_may_be_truncated(cli, tmp_path):
    cut = LATE.replace("C1,O1", "C2,O2")[: LATE.index("2026-03-05 10:00:00") + 14]
    assert cut.endswith("18:") or cut.endswith("10:")
    path = _write(tmp_path / "cut.csv", [HEADER, LATE, cut], final=False)
    findings, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert findings["C1"] == {"D004", "D008"}
    (issue,) = issues["C2"]
    assert issue["source"]["row"] == 3
    assert "可能被截断" in issue["message"]


def test_a_last_row_without_a_line_break_is_a_row_like_any_other(cli, tmp_path):
    path = _write(
        tmp_path / "cases.csv", [HEADER, LATE.replace("C1,O1", "C0,O0"), LATE], final=False
    )
    findings, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert findings["C1"] == {"D004", "D008"} and not issues


def test_quoted_commas_line_breaks_and_blank_trailing_cells_are_not_ragged(cli, tmp_path):
    quoted = LATE.replace("保温杯 500ml", '"保温杯,500ml\n大号"')
    trailing = LATE.replace("C1,O1", "C4,O4").rsplit(",", 1)[0] + ","  # status left blank
    path = _write(tmp_path / "cases.csv", [HEADER, quoted, "", trailing])
    findings, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert findings["C1"] == {"D004", "D008"}
    assert not [i for i in issues.get("C1", []) + issues.get("C4", []) if i["check"] == "Q001"]


def test_an_export_that_ends_every_row_with_a_separator_is_read(cli, tmp_path):
    rows = [LATE.replace("C1,O1", f"C{i},O{i}") + "," for i in range(1, 4)]
    path = _write(tmp_path / "cases.csv", [HEADER, *rows])
    findings, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert findings == {f"C{i}": {"D004", "D008"} for i in range(1, 4)}
    assert not issues


def test_a_quote_inside_a_cell_is_text(cli, tmp_path):
    inch = LATE.replace("保温杯 500ml", '27" 显示器')
    path = _write(tmp_path / "cases.csv", [HEADER, inch, LATE.replace("C1,O1", "C2,O2")])
    findings, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert findings == {"C1": {"D004", "D008"}, "C2": {"D004", "D008"}}
    assert not issues


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unclosed_quote_is_a_located_issue_and_no_rows_are_printed(cli, tmp_path, lang):
    opened = LATE.replace("C1,O1", "C2,O2").replace("不想要了", '"屏幕5寸太小')
    path = _write(tmp_path / "cases.csv", [HEADER, LATE, opened, LATE.replace("C1,O1", "C3,O3")])
    run_dir = tmp_path / "out"
    report = _audit(cli, path, run_dir, lang)
    findings, issues = _by_case(report)
    assert findings == {c: {"D004", "D008"} for c in ("C1", "C2", "C3")}
    (issue,) = [i for i in issues["C2"] if i["check"] == "Q001"]
    assert (issue["cell"], issue["source"]["row"]) == ("E3", 3)
    assert ("引号未闭合" if lang == "zh" else "never closes it") in issue["message"]


def test_validate_names_the_unclosed_quote_without_the_raw_rows(cli, tmp_path):
    opened = LATE.replace("C1,O1", "C2,O2").replace("不想要了", '"屏幕5寸太小')
    path = _write(tmp_path / "cases.csv", [HEADER, opened, LATE])
    run = cli("validate", path)
    assert "引号未闭合" in run.out
    assert "ComputeError" not in run.out + run.err
    assert "C1,O1" not in run.out + run.err  # no raw line of another row


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_excel_unicode_text_utf16_tab_separated_is_read(cli, tmp_path, bom, codec):
    text = "\r\n".join(line.replace(",", "\t") for line in (HEADER, LATE)) + "\r\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(bom + text.encode(codec))
    findings, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert findings == {"C1": {"D004", "D008"}} and not issues


def test_a_web_page_saved_as_xlsx_is_called_a_web_page(cli, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text(
        "<html><meta charset='utf-8'><table><tr><td>售后单号</td></tr></table>", encoding="utf-8"
    )
    run = cli("validate", path)
    assert run.code == 2
    assert "网页（HTML）" in run.err and "CSV" not in run.err
    assert "web page (HTML)" in cli("validate", path, "--lang", "en").err


def test_a_damaged_sheet_is_told_in_chinese(cli, tmp_path):
    good = write_xlsx(
        tmp_path / "good.xlsx",
        [["售后单号", "订单编号", "申请时间"], ["C1", "O1", "2026-03-01 10:00:00"]],
    )
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"C1", b"C\xff\xfe1")  # invalid UTF-8 in a cell
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(b"C1", b"C\xff\xfe1")
            dst.writestr(item, data)
    run = cli("validate", bad)
    assert run.code == 2
    assert "calamine" not in run.err and "error" not in run.err.lower()
    assert "损坏" in run.err
    assert "calamine" in cli("validate", bad, "--lang", "en").err


def test_a_cut_time_cell_is_a_located_q001(cli, tmp_path):
    cut = LATE.replace("2026-03-05 10:00:00", "2026-03-05 18:")
    path = _write(tmp_path / "cases.csv", [HEADER, cut])
    _, issues = _by_case(_audit(cli, path, tmp_path / "out"))
    assert [(i["check"], i["cell"]) for i in issues["C1"]] == [("Q001", "L2")]
