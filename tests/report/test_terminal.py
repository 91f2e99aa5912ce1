"""The terminal summary: counts by severity and rule, as_of and its source, outputs; GBK-safe."""

from __future__ import annotations

from pathlib import Path

from auditor.report.terminal import fit_encoding, render_summary
from tests.report.conftest import empty_result

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


def test_verbose_adds_inputs_policies_and_not_judged(result):
    plain = render_summary(result, OUTS, "zh")
    verbose = render_summary(result, OUTS, "zh", verbose=True)
    assert "cn-law@2024-07-01" in verbose and "cn-law@2024-07-01" not in plain
    assert "D001 导出中没有该字段：首次响应时间（first_response_at）: 2" in verbose
    english = render_summary(result, OUTS, "en", verbose=True)
    assert "D001 field absent: first_response_at: 2" in english
    assert "exports/售后.xlsx" in verbose


def test_no_findings_says_so():
    text = render_summary(empty_result(), OUTS, "en")
    assert "No findings." in text
    assert line_with(text, "error").split() == ["error", "0"]
