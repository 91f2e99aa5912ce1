"""Side-by-side diff: the table, the workbook (never a formula) and the self-contained page."""

from __future__ import annotations

import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from auditor.errors import AuditorError
from auditor.policies.diff import build_diff, pick, write_outputs

THREE = ["seed-01-platform-policy", "seed-06-platform-rules-latest", "seed-08-process-rules"]


@pytest.fixture(scope="module")
def three():
    return build_diff([pick(t, date(2026, 3, 1)) for t in THREE])


def row(diff, key: str):
    return next(r for r in diff.rows if r.key == key)


def test_every_parameter_side_by_side(three) -> None:
    from auditor.rules.params import PARAMS

    keys = [r.key for r in three.rows]
    assert keys[: len(PARAMS)] == [p.name for p in PARAMS]
    exchange = row(three, "quality_exchange_window")
    assert exchange.values_zh == ("7自然日(自付款起)", "7自然日(自签收起)", "3工作日(自签收起)")
    assert exchange.differs
    response = row(three, "response_limit")
    assert response.values_en == ("24 hours from application (applied_at)",) * 3
    assert not response.differs
    assert row(three, "warranty").values_zh == ("—", "—", "6个月(自付款起)")


def test_rule_settings_are_compared(write) -> None:
    mine = write(
        "mine.yaml",
        """\
        id: my-shop
        version: "2026-01-01"
        title: {zh: 我的店, en: Mine}
        layer: service
        effective_from: 2026-01-01
        extends: platform-standard
        rules:
          D002: {enabled: false, source: 不考核}
          E002: {severity: warning, source: 降级}
        """,
    )
    diff = build_diff([pick("platform-standard", date(2026, 3, 1)), pick(str(mine), None)])
    assert row(diff, "rule:D002").values_en == ("warning", "off")
    assert row(diff, "rule:E002").values_en == ("error", "warning")
    assert not row(diff, "rule:D001").differs


def test_versions_of_one_family(write) -> None:
    diff = build_diff(
        [pick("platform-standard@2025-01-01", None), pick("platform-standard@2026-01-01", None)]
    )
    assert {r.key for r in diff.rows if r.differs} == {"response_limit", "refund_only_limit"}
    with pytest.raises(AuditorError) as info:
        pick("platform-standard@2024-01-01", None)
    assert info.value.problems[0].message_en == (
        "platform-standard has no version 2024-01-01 (known: 2025-01-01, 2026-01-01)"
    )
    with pytest.raises(AuditorError) as info:
        pick("platform-standard", date(2024, 6, 1))
    assert (
        info.value.problems[0].message_en
        == "no version of platform-standard is in force on 2024-06-01"
    )


def test_files_are_safe_and_readable(write, tmp_path) -> None:
    hostile = write(
        "hostile.yaml",
        """\
        id: hostile-shop
        version: "2026-01-01"
        title: {zh: "<b>店</b>", en: Shop}
        layer: service
        effective_from: 2026-01-01
        params:
          void_clauses:
            value: ['=HYPERLINK("http://evil.example","click")', "<script>alert(1)</script>"]
            source: "@SUM(A1:A2)"
        """,
    )
    diff = build_diff(
        [pick("seed-02-aftersales-rules", date(2026, 3, 1)), pick(str(hostile), None)]
    )
    out = tmp_path / "out"
    xlsx, html = write_outputs(diff, out, "zh")
    assert sorted(p.name for p in out.iterdir()) == ["policy-diff.html", "policy-diff.xlsx"]

    wb = load_workbook(xlsx)
    sheet = wb["策略对比"]
    assert sheet.freeze_panes == "C2"
    assert [c.value for c in sheet[1]][:2] == ["参数", "名称"]
    void_row = next(r for r in sheet.iter_rows() if r[0].value == "void_clauses")
    assert void_row[3].value.startswith('=HYPERLINK("http://evil.example"')
    assert void_row[3].data_type == "s"
    assert void_row[-1].value == "是"
    with zipfile.ZipFile(xlsx) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s for s in sheets)  # no cell is a formula
    sources = wb["来源"]
    assert any(
        r[2].value == "@SUM(A1:A2)" and r[2].data_type == "s" for r in sources.iter_rows(min_row=2)
    )

    page = html.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;店&lt;/b&gt;" in page
    assert "<link" not in page and "src=" not in page  # self-contained
    assert page.count('class="differs"') == sum(r.differs for r in diff.rows)


def test_english_outputs(three, tmp_path) -> None:
    xlsx, html = write_outputs(three, tmp_path, "en")
    assert load_workbook(xlsx).sheetnames == ["Policy diff", "Sources"]
    assert "Show differences only" in html.read_text(encoding="utf-8")
