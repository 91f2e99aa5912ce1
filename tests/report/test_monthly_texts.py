"""The waiver lines in English: one finding is "finding", not "findings"."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import polars as pl

from auditor.report.monthly import html_view, terminal_lines
from tests.report.conftest import build_result


def _result(matches: int, waived: int):  # type: ignore[no-untyped-def]
    expired = pl.DataFrame(
        [
            {
                "entry": 3,
                "line": 12,
                "rule": "D001",
                "case_id": "C1",
                "expires": date(2026, 4, 30),
                "matches": matches,
            }
        ]
    )
    outcome = SimpleNamespace(
        file="waivers.yaml",
        found_beside_inputs=False,
        waived=waived,
        expired=expired,
        unused=expired.clear(),
    )
    base = build_result()
    findings = base.findings.with_columns(  # a run with waivers carries their columns
        pl.lit(None, pl.String).alias("waiver_reason"),
        pl.lit(None, pl.String).alias("waiver_approved_by"),
        pl.lit(None, pl.Date).alias("waiver_expires"),
    )
    return SimpleNamespace(
        **{**vars(base), "findings": findings, "waivers": outcome, "baseline": None}
    )


def test_one_finding_is_singular_in_english() -> None:
    lines = "\n".join(terminal_lines(_result(1, 1), "en"))
    assert "1 finding waived (still listed" in lines
    assert "(it would cover 1 finding)" in lines
    assert "1 findings" not in lines
    view = html_view(_result(1, 1), "en")
    assert view is not None and view["waivers"]["problems"][0]["covers"] == "would cover 1 finding"


def test_several_findings_and_chinese() -> None:
    lines = "\n".join(terminal_lines(_result(3, 2), "en"))
    assert "2 findings waived" in lines and "(it would cover 3 findings)" in lines
    zh = "\n".join(terminal_lines(_result(3, 2), "zh"))
    assert "已豁免 2 条违规" in zh and "本可覆盖 3 条违规" in zh
    view = html_view(_result(3, 2), "zh")
    assert view is not None and view["waivers"]["problems"][0]["covers"] == "本可覆盖 3 条违规"
