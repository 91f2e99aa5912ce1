"""report.html under a shop policy that re-grades a rule and sets its own KPI target, through
the real command line: the page's numbers agree with findings.json, and a cell coloured
against another target than the header's prints that target."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from auditor.cli.main import main
from tests.report.generic_cases import GENERIC_HEADER

# 店A's policy re-grades D002 to error and asks 99% satisfaction (the default target is 95%).
SHOP_POLICY = """\
id: my-shop
version: "2026-01-01"
title: {zh: 店铺承诺, en: Shop promise}
layer: service
effective_from: 2025-01-01
extends: platform-standard
params:
  kpi_satisfaction:
    value: {ok: 0.99, error: 0.985}
    source: 店铺内部考核
rules:
  D002: {severity: error, source: 审核时限必须遵守}
"""


def _write_inputs(folder: Path) -> tuple[Path, Path]:
    """Three shops of 25 cases, 24 rated 5 (96% satisfied); 店A and 店C each decide one
    case late (D002: an error for 店A under its policy, a warning for 店C)."""
    cases = folder / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(GENERIC_HEADER)
        for shop in "ABC":
            for i in range(25):
                late = i == 0 and shop in "AC"
                done = "2026-03-13 10:00:00" if late else "2026-03-10 13:00:00"
                writer.writerow(
                    [
                        f"{shop}-{i:02d}",
                        f"O{shop}{i:02d}",
                        f"店{shop}",
                        "女装",
                        "仅退款",
                        "未收到货",
                        50,
                        50,
                        "2026-03-10 10:00:00",
                        "2026-03-10 11:00:00",
                        "2026-03-13 09:00:00" if late else "2026-03-10 12:00:00",
                        "同意",
                        done,
                        done,
                        "已完结",
                        2 if i == 24 else 5,
                        "小王",
                    ]
                )
    policy = folder / "shop.yaml"
    policy.write_text(SHOP_POLICY, encoding="utf-8")
    return cases, policy


def _audit(tmp_path: Path, capsys, lang: str) -> tuple[str, dict]:
    cases, policy = _write_inputs(tmp_path)
    out = tmp_path / f"out-{lang}"
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "audit",
                str(cases),
                "--policy",
                f"店A={policy}",
                "--out",
                str(out),
                "--fail-on",
                "never",
                "--quiet",
                "--lang",
                lang,
            ]
        )
    captured = capsys.readouterr()
    assert exited.value.code == 0, captured.err
    page = (out / "report.html").read_text(encoding="utf-8")
    return page, json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _by_rule_rows(page: str) -> list[tuple[str, str, int]]:
    table = page.split('id="by-rule-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<tr data-rule="(\w+)">.*?class="sev sev-(\w+)".*?<td class="num">([\d,]+)</td>',
        table,
        re.S,
    )
    return [(rule, severity, int(count.replace(",", ""))) for rule, severity, count in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_by_rule_counts_a_regraded_rule_once_per_severity(tmp_path, capsys, lang):
    page, findings = _audit(tmp_path, capsys, lang)
    expected = Counter((f["rule"], f["severity"]) for f in findings["findings"])
    assert expected[("D002", "error")] == 1 and expected[("D002", "warning")] == 1
    rows = _by_rule_rows(page)
    assert Counter({(rule, sev): n for rule, sev, n in rows}) == expected
    assert len(rows) == len(expected)  # one row per rule and severity, none repeated
    # the error rows add up to the page's (and the JSON's) error count
    errors = sum(n for _, sev, n in rows if sev == "error")
    assert errors == findings["summary"]["by_severity"]["error"]


def _scorecard_cells(page: str, shop: str) -> str:
    table = page.split('id="scorecard-table"', 1)[1].split("</table>", 1)[0]
    return re.search(rf"<tr><td>{shop}</td>.*?</tr>", table, re.S).group(0)


@pytest.mark.parametrize(("lang", "word"), [("zh", "目标"), ("en", "Target")])
def test_scorecard_cell_prints_its_own_target_where_it_differs(tmp_path, capsys, lang, word):
    page, findings = _audit(tmp_path, capsys, lang)
    k001 = {k["shop"]: k for k in findings["kpis"] if k["rule"] == "K001" and k["shop"]}
    assert k001["店A"]["target"] == 0.99 and k001["店B"]["target"] == 0.95
    header = page.split('id="scorecard-table"', 1)[1].split("</thead>", 1)[0]
    assert "≥ 95%" in header
    own = re.compile(r'<small class="own-target">([^<]*)</small>')
    # 店A's 96.0% is red against 99%: the target it fails is printed in the cell itself,
    # outside the hover title.
    shop_a = _scorecard_cells(page, "店A")
    assert own.findall(shop_a) == [f"{word} ≥ 99%"]
    assert "status-error" in shop_a
    # 店B and 店C are judged against the header's 95%: nothing more is printed.
    assert own.findall(_scorecard_cells(page, "店B")) == []
    assert own.findall(_scorecard_cells(page, "店C")) == []
