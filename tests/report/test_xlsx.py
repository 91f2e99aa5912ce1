"""violations.xlsx read back with openpyxl: sheets per language, text never a formula, frozen
header and autofilter, real datetimes, severity colouring, overflow onto numbered sheets."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from auditor.report import xlsx
from auditor.report.xlsx import split_rows, write_violations_xlsx
from auditor.rules.registry import RULES
from tests.report.conftest import FORMULA_LIKE, build_result, empty_result, finding, make_findings

ZH_SHEETS = ["汇总", "违规明细", "待办", "数据问题", "KPI", "规则"]
EN_SHEETS = ["Summary", "Findings", "To do", "Data issues", "KPI", "Rules"]


def ooxml_text(value: str) -> str:
    """Undo the _xHHHH_ escapes OOXML uses for control characters (Excel shows the character;
    openpyxl leaves inline strings escaped)."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m[1], 16)), value)


def write(result, tmp_path: Path, lang: str = "zh", **kw) -> openpyxl.Workbook:
    path = tmp_path / f"violations-{lang}.xlsx"
    write_violations_xlsx(result, path, lang, **kw)
    return openpyxl.load_workbook(path)


def rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]


def as_dicts(sheet) -> list[dict]:
    header, *body = rows(sheet)
    return [dict(zip(header, r, strict=True)) for r in body]


@pytest.mark.parametrize(("lang", "names"), [("zh", ZH_SHEETS), ("en", EN_SHEETS)])
def test_sheet_names_follow_the_language(result, tmp_path, lang, names):
    assert write(result, tmp_path, lang).sheetnames == names


def test_every_sheet_has_a_frozen_header_and_an_autofilter(result, tmp_path):
    workbook = write(result, tmp_path)
    for sheet in workbook:
        assert sheet.freeze_panes == "A2", sheet.title
        last = sheet.cell(1, sheet.max_column).column_letter
        assert sheet.auto_filter.ref.startswith(f"A1:{last}"), sheet.title


def test_findings_sheet_one_row_per_finding_in_contract_order_with_chinese_headers(
    result, tmp_path
):
    sheet = write(result, tmp_path)["违规明细"]
    header, *body = rows(sheet)
    assert header[:5] == ["规则", "严重程度", "层级", "售后单号", "订单编号"]
    assert len(body) == result.findings.height
    assert [(r[3], r[0]) for r in body][:3] == [
        ("AS001", "D001"),
        ("AS001", "E002"),
        ("AS002", "D003"),
    ]
    assert body[0][1] == "警告" and body[0][2] == "服务"


def test_english_workbook_keeps_severity_codes(result, tmp_path):
    findings = as_dicts(write(result, tmp_path, "en")["Findings"])
    assert {f["Severity"] for f in findings} == {"critical", "error", "warning", "info"}


def test_formula_like_text_is_written_as_text_never_a_formula(tmp_path):
    hostile = [
        finding("D001", "warning", text, f"O{i}", message=text, shop=text)
        for i, text in enumerate(FORMULA_LIKE)
    ]
    result = build_result(findings=make_findings(hostile))
    workbook = write(result, tmp_path)
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert cells and all(c.data_type != "f" for c in cells)
    written = {ooxml_text(c.value) for c in cells if isinstance(c.value, str)}
    assert set(FORMULA_LIKE) <= written
    assert "=1+1" in written  # the data issue's value, on the data-issue sheet


def test_datetimes_are_real_excel_datetimes(result, tmp_path):
    workbook = write(result, tmp_path)
    d001 = next(r for r in as_dicts(workbook["违规明细"]) if r["规则"] == "D001")
    assert d001["截止时间"] == datetime(2026, 3, 2, 10, 0, 0)
    assert d001["实际时间"] == datetime(2026, 3, 2, 22, 30, 0)
    assert d001["超时(小时)"] == 12.5
    todo = as_dicts(workbook["待办"])
    assert [t["售后单号"] for t in todo] == ["AS006", "AS005"]  # soonest first
    assert isinstance(todo[0]["截止时间"], datetime)
    cell = workbook["违规明细"]["J2"]
    assert cell.is_date and "yy" in cell.number_format


def test_summary_counts_by_rule_severity_shop_and_month(result, tmp_path):
    summary = as_dicts(write(result, tmp_path)["汇总"])
    assert sum(r["违规数"] for r in summary) == result.findings.height
    a003 = next(r for r in summary if r["规则"] == "A003")
    assert (a003["严重程度"], a003["月份"], a003["违规数"]) == ("警告", "2026-02", 1)
    assert a003["规则名称"] == RULES["A003"].title_zh


def test_rules_sheet_lists_the_registry_with_parameters_and_coverage(result, tmp_path):
    sheet = as_dicts(write(result, tmp_path, "en")["Rules"])
    assert [r["Rule"] for r in sheet] == list(RULES)
    d001 = next(r for r in sheet if r["Rule"] == "D001")
    assert d001["Layer"] == "service" and d001["Severity"] == "warning"
    assert "hours" in d001["Parameters"] and d001["Basis"] == RULES["D001"].basis_text("en")
    assert (d001["Judged"], d001["Fired"]) == (4, 1)
    assert d001["Not judged (reason)"] == "field absent: first_response_at: 2"


def test_kpi_and_data_issue_sheets(result, tmp_path):
    workbook = write(result, tmp_path)
    kpis = as_dicts(workbook["KPI"])
    assert [(k["指标"], k["状态"]) for k in kpis] == [
        ("K001", "警告"),
        ("K002", "达标"),
        ("K003", "样本不足"),
    ]
    assert workbook["KPI"]["G2"].number_format == "0.0%"
    issues = as_dicts(workbook["数据问题"])
    assert issues[0]["说明"] == "退款时间早于申请时间" and issues[0]["单元格"] == "U3"


def test_severity_cells_are_coloured_by_conditional_format(result, tmp_path):
    sheet = write(result, tmp_path)["违规明细"]
    rules = [
        (str(rng.sqref), rule.text) for rng in sheet.conditional_formatting for rule in rng.rules
    ]
    assert {text for _, text in rules} == {"严重", "错误", "警告", "提示"}
    assert all(ref.startswith("B2:") for ref, _ in rules)  # the severity column's data


def test_empty_result_writes_every_sheet_with_its_header(tmp_path):
    workbook = write(empty_result(), tmp_path)
    assert workbook.sheetnames == ZH_SHEETS
    assert rows(workbook["违规明细"])[0][0] == "规则"
    assert len(rows(workbook["违规明细"])) == 1


def test_overlong_text_is_cut_to_what_excel_accepts(tmp_path):
    long = "长" * 40_000
    result = build_result(
        findings=make_findings([finding("D001", "warning", "AS1", "O1", message=long)])
    )
    message = as_dicts(write(result, tmp_path)["违规明细"])[0]["说明"]
    assert message.endswith("…") and 1000 < len(message) <= 32_767
    assert message[:-1] == long[: len(message) - 1]


@pytest.mark.parametrize(
    ("n_rows", "max_rows", "expected"),
    [
        (0, 5, [(0, 0)]),
        (4, 5, [(0, 4)]),
        (5, 5, [(0, 4), (4, 1)]),
        (9, 5, [(0, 4), (4, 4), (8, 1)]),
        (1_048_575, xlsx.EXCEL_MAX_ROWS, [(0, 1_048_575)]),
        (1_048_576, xlsx.EXCEL_MAX_ROWS, [(0, 1_048_575), (1_048_575, 1)]),
    ],
)
def test_split_rows_leaves_a_header_row_on_every_sheet(n_rows, max_rows, expected):
    assert split_rows(n_rows, max_rows) == expected


def test_sheet_names_number_the_continuations():
    assert xlsx.sheet_names("违规明细", 3) == ["违规明细", "违规明细2", "违规明细3"]
    long = "x" * 31
    assert all(len(n) <= 31 for n in xlsx.sheet_names(long, 12))
    assert xlsx.sheet_names(long, 12)[11].endswith("12")


def test_findings_past_the_row_limit_continue_on_numbered_sheets(tmp_path):
    many = [finding("D001", "warning", f"AS{i:03d}", f"O{i}") for i in range(10)]
    result = build_result(findings=make_findings(many))
    workbook = write(result, tmp_path, max_rows=4)
    parts = [n for n in workbook.sheetnames if n.startswith("违规明细")]
    assert parts == ["违规明细", "违规明细2", "违规明细3", "违规明细4"]
    case_ids = [r["售后单号"] for n in parts for r in as_dicts(workbook[n])]
    assert case_ids == [f"AS{i:03d}" for i in range(10)]
    assert all(workbook[n].freeze_panes == "A2" and workbook[n].auto_filter.ref for n in parts)


def test_unknown_columns_do_not_reach_the_workbook(tmp_path):
    # Buyer personal data never reaches an output: only the contract's columns are written.
    findings = build_result().findings.with_columns(pl.lit("13800138000").alias("buyer_phone"))
    workbook = write(build_result(findings=findings), tmp_path)
    assert all(
        "13800138000" not in str(c.value) for s in workbook for r in s.iter_rows() for c in r
    )


def test_categorical_and_enum_columns_are_written_as_their_text(tmp_path):
    # rustpy-xlsxwriter writes dictionary-encoded (Categorical) columns as blank cells; the
    # writer must turn them into plain text first.
    findings = build_result().findings.with_columns(pl.col("shop").cast(pl.Categorical))
    shops = {
        r["店铺"] for r in as_dicts(write(build_result(findings=findings), tmp_path)["违规明细"])
    }
    assert "旗舰店" in shops and None not in shops


def test_baseline_state_and_waiver_columns(tmp_path):
    findings = make_findings(
        [finding("D001", "warning", "AS1", "O1"), finding("W001", "error", "AS2", "O2")]
    ).with_columns(
        state=pl.Series(["new", "unchanged"]),
        waiver=pl.Series(
            [None, {"reason": "系统故障", "approved_by": "张三", "expires": "2026-06-30"}]
        ),
    )
    rows = as_dicts(write(build_result(findings=findings), tmp_path)["违规明细"])
    assert [(r["售后单号"], r["对比上次"]) for r in rows] == [("AS1", "新增"), ("AS2", "未变")]
    assert rows[0]["豁免原因"] is None
    assert (rows[1]["豁免原因"], rows[1]["豁免批准人"]) == ("系统故障", "张三")
    assert rows[1]["豁免到期"] == datetime(2026, 6, 30)


def test_the_chinese_rules_sheet_gives_not_judged_reasons_in_chinese(result, tmp_path):
    sheet = as_dicts(write(result, tmp_path)["规则"])
    d001 = next(r for r in sheet if r["规则"] == "D001")
    assert d001["未判定(原因)"] == "导出中没有该字段：首次响应时间（first_response_at）: 2"
