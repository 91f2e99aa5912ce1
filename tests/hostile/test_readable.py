"""Hostile but readable inputs: every row is audited or reported as a data issue, the outputs
hold text as text (never a live formula, never markup), the input is never modified, and two
runs give the same findings.json bytes."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from auditor.io.readers import column_letter
from tests.hostile import corpus
from tests.hostile.conftest import digest

AS_OF = "2026-03-31"
# Text that a spreadsheet would run as a formula, and markup a page would run.
DANGEROUS = [
    '=HYPERLINK("http://evil.example/x","点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "<script>alert(1)</script>",
]


def audit(cli, path: Path, out: Path, *extra: str):
    before = digest(path)
    run = cli("audit", path, "--out", out, "--as-of", AS_OF, "--lang", "en", *extra)
    assert digest(path) == before  # the input is never modified
    return run


def findings_json(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def workbook_cells(out: Path) -> list:
    workbook = openpyxl.load_workbook(out / "violations.xlsx")
    return [cell for sheet in workbook for line in sheet.iter_rows() for cell in line]


def assert_no_formula_anywhere(out: Path) -> None:
    with zipfile.ZipFile(out / "violations.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<f[ >/]", xml), name
    assert all(cell.data_type != "f" for cell in workbook_cells(out))


def test_formula_like_text_is_text_in_every_output(cli, tmp_path):
    table = corpus.rows(0) + [
        corpus.row(i, 店铺=text, 售后单号=f"{text}#{i}" if text[0] in "+-@" else f"AS{i:04d}")
        for i, text in enumerate(DANGEROUS, 1)
    ]
    table.append(corpus.row(7, 店铺="\t制表符店", 售后原因="\r回车原因"))
    path = corpus.write_csv(tmp_path / "注入.csv", table)
    out = tmp_path / "out"
    run = audit(cli, path, out)
    assert run.code == 1  # W001 and E002 are errors
    assert_no_formula_anywhere(out)
    strings = {cell.value for cell in workbook_cells(out) if cell.data_type == "s"}
    data = findings_json(out)
    shops = {f["shop"] for f in data["findings"]}
    for text in DANGEROUS:
        assert text in strings and text in shops
    for text in ("+1+1#3", "-2+3#4", "@SUM(A1:A9)#5"):
        assert text in strings
        assert text in {f["case_id"] for f in data["findings"]}
    assert "制表符店" in shops  # surrounding whitespace is trimmed, the text kept
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert data["summary"]["cases"] == 7


def test_formula_cells_in_an_input_workbook_are_never_evaluated(cli, tmp_path):
    table = corpus.rows(0) + [
        corpus.row(1, 店铺=DANGEROUS[0], 售后原因=DANGEROUS[1]),
        corpus.row(2, 商品名称='=HYPERLINK("http://evil.example","x")'),
        corpus.row(3),
    ]
    path = corpus.write_xlsx(tmp_path / "公式.xlsx", table)
    out = tmp_path / "out"
    run = audit(cli, path, out)
    assert run.code == 1
    data = findings_json(out)
    # A formula cell is read as its cached value (none was saved): never run, row kept.
    assert data["summary"]["cases"] == 3
    assert {f["case_id"] for f in data["findings"]} == {"AS0001", "AS0002", "AS0003"}
    assert_no_formula_anywhere(out)


def test_formula_text_in_a_workbook_comes_out_as_text(cli, tmp_path):
    table = corpus.rows(0) + [corpus.row(i, 店铺=t) for i, t in enumerate(DANGEROUS, 1)]
    path = corpus.write_xlsx(tmp_path / "文本.xlsx", table, as_text=True)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    assert {f["shop"] for f in findings_json(out)["findings"]} == set(DANGEROUS)
    assert_no_formula_anywhere(out)


def _issues(data: dict, check: str) -> dict[str, dict]:
    return {i["cell"]: i for i in data["data_issues"] if i["check"] == check}


def test_negative_nan_and_infinite_amounts_are_located_data_issues(cli, tmp_path):
    bad = ["-5", "NaN", "inf", "-inf", "1e400", "9e18"]
    table = corpus.rows(0) + [corpus.row(i, 实付金额=v) for i, v in enumerate(bad, 1)]
    table.append(corpus.row(len(bad) + 1, 退款金额="Infinity"))
    path = corpus.write_csv(tmp_path / "金额.csv", table)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    data = findings_json(out)
    q001 = _issues(data, "Q001")
    # 实付金额 is column H, 退款金额 column I; rows 2.. in file order.
    assert set(q001) == {f"H{r}" for r in range(2, 8)} | {"I8"}
    assert q001["H3"]["value"] == "NaN" and q001["I8"]["value"] == "Infinity"
    assert data["summary"]["cases"] == 7  # every row still audited
    assert {f["case_id"] for f in data["findings"]} == {f"AS{i:04d}" for i in range(1, 8)}


def test_a_date_past_the_calendar_is_a_data_issue_and_the_rest_is_audited(cli, tmp_path):
    table = corpus.rows(0) + [
        corpus.row(1, 申请时间="2099-03-02 10:00:00", 审核时间="2099-03-09 10:00:00"),
        corpus.row(2),
    ]
    path = corpus.write_csv(tmp_path / "远期.csv", table)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    data = findings_json(out)
    checks = {(i["check"], i["case_id"], i["column"]) for i in data["data_issues"]}
    assert ("Q006", "AS0001", "applied_at") in checks
    assert ("Q007", "AS0001", "applied_at") in checks
    d002 = data["coverage"]["D002"]["not_judged"]
    assert d002 == {"date outside calendar: applied_at": 1}
    assert {f["case_id"] for f in data["findings"] if f["rule"] == "W001"} == {"AS0002"}


def test_long_ids_and_emoji_survive_every_output(cli, tmp_path):
    long_id = "AS" + "7" * 198
    table = corpus.rows(0) + [
        corpus.row(1, 售后单号=long_id, 订单编号="O" + "8" * 199),
        corpus.row(2, 店铺="🎉旗舰店😀", 处理人="小王👍", 商品名称="🧧" * 50),
    ]
    path = corpus.write_csv(tmp_path / "表情.csv", table)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    data = findings_json(out)
    assert long_id in {f["case_id"] for f in data["findings"]}
    assert "🎉旗舰店😀" in {f["shop"] for f in data["findings"]}
    strings = {c.value for c in workbook_cells(out) if c.data_type == "s"}
    assert long_id in strings and "🎉旗舰店😀" in strings
    assert "🎉旗舰店😀" in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_10_mb_cell_is_read_and_only_quoted_in_the_outputs(cli, tmp_path, suffix):
    huge = "说不清的原因" + "很" * (10 * 1024 * 1024 // 3)
    table = corpus.rows(0) + [corpus.row(1, 售后原因=huge, 商品名称=huge), corpus.row(2)]
    path = tmp_path / f"大单元格.{suffix}"
    (corpus.write_csv if suffix == "csv" else corpus.write_xlsx)(path, table)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    data = findings_json(out)
    assert data["summary"]["cases"] == 2
    assert all(len(str(c.value or "")) <= 32767 for c in workbook_cells(out))
    # The unclassified reason (Q005) is quoted, not copied: findings.json stays small.
    (q005,) = [i for i in data["data_issues"] if i["check"] == "Q005"]
    assert q005["cell"] == "G2" and q005["value"] == huge[:200] + "…"
    assert (out / "findings.json").stat().st_size < 100_000


def test_a_header_only_file_audits_nothing_and_says_so(cli, tmp_path):
    path = corpus.write_xlsx(tmp_path / "只有表头.xlsx", corpus.rows(0))
    run = cli("validate", path, "--lang", "en")
    assert run.code == 0
    assert f"input [cases] {path}: profile generic, rows 0" in run.out
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 0
    data = findings_json(out)
    assert data["summary"]["cases"] == 0 and data["findings"] == []


def test_duplicate_headers_read_the_first_column_and_say_so(cli, tmp_path):
    table = [[*corpus.HEADERS, "售后单号", "店铺"]] + [
        [*corpus.row(i), f"DUP{i}", "别的店"] for i in (1, 2)
    ]
    path = corpus.write_csv(tmp_path / "重复表头.csv", table)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    data = findings_json(out)
    assert {f["case_id"] for f in data["findings"]} == {"AS0001", "AS0002"}
    assert {f["shop"] for f in data["findings"]} == {"旗舰店"}
    first = column_letter(corpus.HEADERS.index("售后单号"))
    again = column_letter(len(corpus.HEADERS))
    issues = {i["column"]: i for i in data["data_issues"] if i["check"] == "Q001"}
    assert set(issues) == {"case_id", "shop"}
    assert issues["case_id"]["cell"] == f"{again}1"
    assert issues["case_id"]["message"] == (
        f"header '售后单号' appears more than once (columns {first}, {again}): "
        f"only the first, {first}, is read"
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_all_blank_rows_are_skipped_and_rows_keep_their_numbers(cli, tmp_path, suffix):
    blank = [""] * len(corpus.HEADERS)
    table = [corpus.HEADERS, corpus.row(1), blank, blank, corpus.row(2), blank]
    path = tmp_path / f"空行.{suffix}"
    (corpus.write_csv if suffix == "csv" else corpus.write_xlsx)(path, table)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    data = findings_json(out)
    rows = {f["case_id"]: f["source"]["row"] for f in data["findings"]}
    assert rows == {"AS0001": 2, "AS0002": 5}
    assert data["summary"]["cases"] == 2 and data["data_issues"] == []


def test_nul_bytes_in_a_csv_do_not_break_any_output(cli, tmp_path):
    data = corpus.csv_bytes(
        corpus.rows(0) + [corpus.row(1, 店铺="旗舰\x00店", 售后原因="质量\x00问题"), corpus.row(2)]
    )
    path = tmp_path / "空字符.csv"
    path.write_bytes(data)
    out = tmp_path / "out"
    assert audit(cli, path, out).code == 1
    result = findings_json(out)
    assert result["summary"]["cases"] == 2
    assert {f["case_id"] for f in result["findings"]} >= {"AS0001", "AS0002"}
    assert_no_formula_anywhere(out)  # the workbook opens (NUL is not legal XML)
    assert "\x00" not in (out / "report.html").read_text(encoding="utf-8")


def _everything_hostile(tmp: Path) -> Path:
    blank = [""] * len(corpus.HEADERS)
    table = corpus.rows(0) + [
        corpus.row(1, 店铺=DANGEROUS[0], 实付金额="NaN"),
        corpus.row(2, 店铺=DANGEROUS[1], 退款金额="-inf", 售后原因="\x00"),
        blank,
        corpus.row(3, 售后单号="@" + "9" * 199, 店铺="😀", 申请时间="2099-01-01 00:00:00"),
        corpus.row(4, 售后单号="AS0001"),  # a duplicate
        corpus.row(5, 售后单号="", 店铺="+1+1"),  # no id
    ]
    return corpus.write_csv(tmp / "全部.csv", table)


def test_two_runs_on_hostile_input_give_identical_findings_json(cli, tmp_path):
    path = _everything_hostile(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    assert audit(cli, path, first).code == audit(cli, path, second).code == 1
    assert (first / "findings.json").read_bytes() == (second / "findings.json").read_bytes()


def test_every_row_of_hostile_input_is_audited_or_reported(cli, tmp_path):
    path = _everything_hostile(tmp_path)
    out = tmp_path / "out"
    audit(cli, path, out)
    data = findings_json(out)
    audited = {f["source"]["row"] for f in data["findings"]}
    reported = {i["source"]["row"] for i in data["data_issues"] if i["check"] in ("Q001", "Q002")}
    # rows 2, 3, 5, 6, 7 hold cases (row 4 is blank); 6 is a duplicate, 7 has no id.
    assert data["summary"]["cases"] == 3
    assert audited | reported == {2, 3, 5, 6, 7}
    assert {6, 7} <= reported
