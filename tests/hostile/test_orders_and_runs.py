"""Orders given twice, shop-scoped policies, forced layouts and --as-of at the CLI."""

from __future__ import annotations

import json
from pathlib import Path

CASES = (
    "case_id,order_id,case_type,reason,refund_amount,applied_at,decided_at,decision,"
    "refunded_at,status\n"
    "C1,O1,仅退款,质量问题,100,2026-03-03,2026-03-03 01:00,同意,2026-03-03 02:00,已完结\n"
    "C2,O1,仅退款,质量问题,100,2026-03-04,2026-03-04 01:00,同意,2026-03-04 02:00,已完结\n"
)
ORDERS = "order_id,paid_at,paid_amount\nO1,2026-02-27 10:00,100\n"


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    cases, orders = tmp_path / "c.csv", tmp_path / "o.csv"
    cases.write_text(CASES, encoding="utf-8")
    orders.write_text(ORDERS, encoding="utf-8")
    return cases, orders


def _rules_fired(out: Path) -> list[str]:
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return sorted(f["rule"] for f in findings["findings"])


def test_the_same_orders_file_twice_still_finds_the_order_refunded_twice(cli, tmp_path):
    cases, orders = _inputs(tmp_path)
    once = cli("audit", cases, "--orders", orders, "--out", tmp_path / "once")
    twice = cli("audit", cases, "--orders", orders, "--orders", orders, "--out", tmp_path / "two")
    assert once.code == twice.code == 0  # A003 is a warning
    assert _rules_fired(tmp_path / "once") == _rules_fired(tmp_path / "two") == ["A003"]
    issues = json.loads((tmp_path / "two" / "findings.json").read_text(encoding="utf-8"))
    assert issues["data_issues"] == []  # read once, said once in the summary
    assert f"同一文件给出两次，只读一次：{orders}" in twice.out


def test_an_as_of_outside_the_years_2000_to_2099_stops_the_run_before_any_output(cli, tmp_path):
    cases, _ = _inputs(tmp_path)
    zh = cli("audit", cases, "--as-of", "0001-01-01", "--out", tmp_path / "out")
    en = cli("audit", cases, "--as-of", "2100-01-01", "--out", tmp_path / "out", "--lang", "en")
    assert zh.code == en.code == 2
    assert "--as-of" in zh.err and "2000-01-01 至 2099-12-31" in zh.err
    assert "between 2000-01-01 and 2099-12-31" in en.err
    assert not (tmp_path / "out").exists()


SAMPLE_MONTH = Path(__file__).parents[2] / "samples" / "cases" / "2026-03.xlsx"


def test_a_policy_for_a_shop_not_in_the_data_stops_the_run(cli, tmp_path):
    out = tmp_path / "out"
    args = ["audit", SAMPLE_MONTH, "--out", out, "--fail-on", "never"]
    zh = cli(*args, "--policy", "不存在的店=platform-standard")
    en = cli(*args, "--policy", "不存在的店=platform-standard", "--lang", "en")
    assert zh.code == en.code == 2
    assert "不存在的店" in zh.err and "悦享生活旗舰店" in zh.err
    assert "no shop '不存在的店' in the data" in en.err and "悦享生活旗舰店" in en.err
    assert not out.exists()
    kept = cli(*args, "--policy", "悦享生活旗舰店=seed-01-platform-policy")
    assert kept.code == 0 and (out / "findings.json").exists()


def test_an_orders_layout_forced_on_a_cases_only_run_is_refused(cli, tmp_path):
    cases, _ = _inputs(tmp_path)
    audit = cli("audit", cases, "--profile", "generic-orders", "--out", tmp_path / "out")
    validate = cli("validate", cases, "--profile", "generic-orders", "--lang", "en")
    assert audit.code == validate.code == 2
    assert "generic-orders" in audit.err and "只用于 --orders 文件" in audit.err
    assert "is an orders layout and applies to --orders files" in validate.err
    assert not (tmp_path / "out").exists()
