"""The terminal summary: counts by severity and rule, as_of and its source, outputs; GBK-safe."""

from __future__ import annotations

from pathlib import Path

from auditor.report.terminal import fit_encoding, render_summary
from tests.report.conftest import build_result, empty_result

OUTS = [Path("audit-out/violations.xlsx"), Path("audit-out/findings.json")]


def line_with(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_counts_by_severity_and_rule_as_of_and_outputs(result):
    text = render_summary(result, OUTS, "zh")
    assert "2026-03-31 23:59:59" in text and "--as-of" in text
    assert line_with(text, "严重 ").split() == ["严重", "2"]
    assert line_with(text, "警告 ").split() == ["警告", "3"]
    assert line_with(text, "D011").split()[:3] == ["D011", "严重", "1"]
    assert "audit-out/findings.json" in text.replace("\\", "/")
    assert "Q003 1" in text


def test_english(result):
    text = render_summary(result, OUTS, "en")
    assert "As of: 2026-03-31 23:59:59 (--as-of)" in text
    assert line_with(text, "critical").split() == ["critical", "2"]
    assert "6 cases, 4 with findings; 9 findings" in text


def test_gbk_console_gets_only_gbk_text_and_no_box_drawing(result):
    text = render_summary(result, OUTS, "zh", verbose=True, encoding="gbk")
    text.encode("gbk")  # raises if a character cannot be shown
    assert "─" not in text and "-----" in text


def test_utf8_console_may_draw_lines(result):
    assert "─" in render_summary(result, OUTS, "zh", encoding="utf-8")


def test_fit_encoding_replaces_what_the_console_cannot_show():
    assert fit_encoding("店铺😀", "gbk") == "店铺?"
    assert fit_encoding("店铺😀", "utf-8") == "店铺😀"


def test_verbose_adds_policies_and_not_judged(result):
    plain = render_summary(result, OUTS, "zh")
    verbose = render_summary(result, OUTS, "zh", verbose=True)
    assert "cn-law@2024-07-01" in verbose and "cn-law@2024-07-01" not in plain
    assert "D001 导出中没有该字段：首次响应时间（first_response_at）: 2" in verbose
    assert "D001 导出中没有该字段" not in plain
    english = render_summary(result, OUTS, "en", verbose=True)
    assert "D001 field absent: first_response_at: 2" in english
    assert verbose.count("exports/售后.xlsx") == 1  # listed once, not again under -v


def test_default_summary_names_each_inputs_layout(result):
    """quickstart-merchant.md: the tool tells which layout it picked, without -v."""
    plain = render_summary(result, OUTS, "zh").splitlines()
    at = plain.index("输入文件：")
    assert plain[at + 1 : at + 3] == [
        "  exports/售后.xlsx（售后单，版式 generic，6 行）",
        "  exports/orders.csv（订单，版式 generic，9 行）",
    ]
    english = render_summary(result, OUTS, "en")
    assert "  exports/orders.csv (orders, layout generic, 9 rows)" in english


def test_default_summary_counts_rules_left_unjudged_by_absent_columns(result):
    plain = render_summary(result, OUTS, "zh")
    assert (
        "1 条规则因导出缺少所需字段，有售后单未能判定"
        "（哪些规则：加 -v 重新运行，或看 violations.xlsx 的「规则」表）" in plain
    )
    english = render_summary(result, [Path("out/findings.json")], "en")
    assert (
        "Rules that left cases not judged because the export lacks a column: 1 "
        "(which: run again with -v)" in english
    )
    assert "violations.xlsx" not in english.split("Outputs:")[0]  # not written: not pointed at
    blank_only = build_result(
        coverage={"D010": {"judged": 3, "fired": 0, "not_judged": {"field blank: shipped_at": 2}}}
    )
    assert "未能判定" not in render_summary(blank_only, OUTS, "zh")


def test_no_findings_says_so():
    text = render_summary(empty_result(), OUTS, "en")
    assert "No findings." in text
    assert line_with(text, "error").split() == ["error", "0"]
