"""violations.xlsx's Rules sheet names the window a law rule actually applied: the law's, and
beside it each shop policy version that promises a longer one (the finding's deadline comes
from that promise), through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from auditor.cli.main import main

VERSION = """\
id: my-shop
version: "{version}"
title: {{zh: 旗舰店承诺, en: Flagship promise}}
layer: service
effective_from: {version}
{to}extends: platform-standard
params:
  no_reason_window: {{amount: {days}, unit: calendar_days, from: signed_at, source: 店铺首页}}
"""
HEADER = "case_id,order_id,shop,category,case_type,reason,paid_amount,refund_amount,"
HEADER += "signed_at,applied_at,first_response_at,decided_at,decision,status\n"


def _row(case: str, applied: str) -> str:
    # a no-reason return rejected 13 or 19 days after signing: inside the shop's promise only
    return (
        f"{case},O{case},旗舰店,服装,退货退款,七天无理由,100,100,2026-03-01 10:00:00,"
        f"{applied},{applied},{applied},拒绝,closed\n"
    )


def _inputs(folder: Path) -> tuple[Path, Path]:
    policy = folder / "my-shop"
    policy.mkdir()
    (policy / "2026-01-01.yaml").write_text(
        VERSION.format(version="2026-01-01", to="effective_to: 2026-03-15\n", days=15),
        encoding="utf-8",
    )
    (policy / "2026-03-16.yaml").write_text(
        VERSION.format(version="2026-03-16", to="", days=30), encoding="utf-8"
    )
    cases = folder / "cases.csv"
    cases.write_text(
        HEADER + _row("V05", "2026-03-14 10:00:00") + _row("V07", "2026-03-20 10:00:00"),
        encoding="utf-8",
    )
    return cases, policy


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_sheet_shows_the_shop_promise_a_finding_used(tmp_path, capsys, lang):
    cases, policy = _inputs(tmp_path)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main(
            ["audit", str(cases), "--policy", str(policy), "--out", str(out)]
            + ["--as-of", "2026-03-31", "--fail-on", "never", "--quiet", "--lang", lang]
        )
    assert exited.value.code == 0, capsys.readouterr().err
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    # the findings' deadlines are the promises' (15 and 30 days), not the law's 7
    due = {f["case_id"]: f["due"] for f in findings if f["rule"] == "W001"}
    assert due == {"V05": "2026-03-16T23:59:59", "V07": "2026-03-31T23:59:59"}

    sheet = openpyxl.load_workbook(out / "violations.xlsx")["规则" if lang == "zh" else "Rules"]
    params = {r[0]: r[4] for r in sheet.iter_rows(min_row=2, values_only=True)}
    if lang == "zh":
        window = (
            "七天无理由退货期限 = 签收时间后7个自然日（店铺承诺更长的按承诺："
            "my-shop@2026-01-01: 签收时间后15个自然日, my-shop@2026-03-16: 签收时间后30个自然日）"
        )
    else:
        window = (
            "= 7 calendar days after signed_at (where longer, the shop's promise applies: "
            "my-shop@2026-01-01: 15 calendar days after signed_at, "
            "my-shop@2026-03-16: 30 calendar days after signed_at)"
        )
    assert window in params["W001"]
    assert window in params["X001"]
    # a window no shop version promises is the law's alone
    assert "my-shop" not in params["W003"] and "my-shop" not in params["W004"]
