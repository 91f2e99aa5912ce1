"""What a finding says about where its duty came from: the policy versions (a shop's longer
promise names the shop's version), the legal basis of the law version in force on the case
date, and coverage wording for cancelled cases. Through the real command line."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from click.testing import CliRunner

from auditor.cli.main import cli
from auditor.rules import citations

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
COLUMNS = [
    "case_id",
    "order_id",
    "shop",
    "category",
    "case_type",
    "reason",
    "paid_amount",
    "refund_amount",
    "evidence",
    "exclusion_confirmed",
    "signed_at",
    "applied_at",
    "first_response_at",
    "decided_at",
    "decision",
    "reject_reason",
    "status",
]


def _case(case_id: str, reason: str, signed: str, applied: str, **more: str) -> dict:
    return {
        "case_id": case_id,
        "order_id": "O" + case_id,
        "shop": "旗舰店",
        "category": "服装",
        "case_type": "退货退款",
        "reason": reason,
        "paid_amount": "100",
        "refund_amount": "100",
        "evidence": "是",
        "exclusion_confirmed": "否",
        "signed_at": signed,
        "applied_at": applied,
        "first_response_at": applied[:11] + "23:00:00",
        "decided_at": applied[:11] + "23:30:00",
        "decision": "拒绝",
        "reject_reason": "超过期限",
        "status": "closed",
        **more,
    }


def _audit(tmp_path: Path, rows: list[dict], *args: str, lang: str = "zh") -> dict:
    tmp_path.mkdir(parents=True, exist_ok=True)
    cases = tmp_path / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as f:
        out = csv.DictWriter(f, fieldnames=COLUMNS)
        out.writeheader()
        out.writerows({c: r.get(c, "") for c in COLUMNS} for r in rows)
    out_dir = tmp_path / f"out-{lang}"
    run = ["audit", str(cases), "--out", str(out_dir), "--outputs", "json", "--lang", lang]
    result = CliRunner().invoke(cli, [*run, *args, "--fail-on", "never", "-q"])
    assert result.exit_code == 0, result.output
    return json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))


SHOP = """\
id: my-shop
version: "2026-03-16"
title: {zh: 旗舰店, en: Flagship}
layer: service
effective_from: 2026-03-16
extends: platform-standard
params:
  no_reason_window: {amount: 30, unit: calendar_days, from: signed_at, source: 30天无理由退货}
  quality_return_window: {amount: 30, unit: calendar_days, from: signed_at, source: 质量问题30天包退}
"""


def test_a_finding_the_shops_promise_caused_names_the_shop_version(tmp_path):
    policy = tmp_path / "shop.yaml"
    policy.write_text(SHOP, encoding="utf-8")
    rows = [
        # day 19 and day 24: inside only the shop's 30 days
        _case("P1", "七天无理由", "2026-03-10 10:00:00", "2026-03-29 10:00:00"),
        _case("P2", "质量问题", "2026-03-05 10:00:00", "2026-03-29 10:00:00"),
        # day 3: inside the law's own 7 days, whatever the shop promised
        _case("P3", "七天无理由", "2026-03-26 10:00:00", "2026-03-29 10:00:00"),
    ]
    zh = {f["case_id"]: f for f in _audit(tmp_path, rows, "--policy", str(policy))["findings"]}
    en = {
        f["case_id"]: f
        for f in _audit(tmp_path, rows, "--policy", str(policy), lang="en")["findings"]
    }
    for case_id, rule in (("P1", "W001"), ("P2", "W003")):
        finding = zh[case_id]
        assert finding["rule"] == rule
        assert finding["policy"] == "cn-law@2024-07-01+my-shop@2026-03-16"
        assert finding["fingerprint"] == f"{rule}|case:{case_id}|cn-law"  # baselines still match
        assert "店铺承诺的期限截至2026-04-" in finding["message"]
        assert "my-shop@2026-03-16" in finding["basis"]
        assert "the shop's promised window ends 2026-04-" in en[case_id]["message"]
        assert "my-shop@2026-03-16" in en[case_id]["basis"]
        assert not CJK.search(en[case_id]["basis"])
    assert zh["P3"]["policy"] == "cn-law@2024-07-01"
    assert "店铺" not in zh["P3"]["basis"] and "（期限截至" in zh["P3"]["message"]


def test_a_promise_counted_from_payment_is_named_too(tmp_path):
    policy = tmp_path / "paid.yaml"
    policy.write_text(
        SHOP.replace(
            "from: signed_at, source: 30天无理由退货", "from: paid_at, source: 付款后30天"
        ),
        encoding="utf-8",
    )
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,shop,paid_at,paid_amount\nOP1,旗舰店,2026-03-09 10:00:00,100\n", encoding="utf-8"
    )
    rows = [_case("P1", "七天无理由", "2026-03-10 10:00:00", "2026-03-29 10:00:00")]
    found = _audit(tmp_path, rows, "--policy", str(policy), "--orders", str(orders))["findings"]
    assert [(f["rule"], f["policy"]) for f in found] == [
        ("W001", "cn-law@2024-07-01+my-shop@2026-03-16")
    ]


def test_the_basis_is_the_citation_of_the_law_version_in_force(tmp_path):
    """A 2016 rejection may not cite the Interim Measures (2017-03-15), nor a 2017 one the
    Implementing Regulations (2024-07-01); the 2024 version cites both."""
    rows = [
        _case("L0", "七天无理由", "2016-05-01 10:00:00", "2016-05-03 10:00:00"),
        _case("L1", "七天无理由", "2017-05-01 10:00:00", "2017-05-03 10:00:00", category="内衣"),
        _case("L2", "七天无理由", "2026-03-01 10:00:00", "2026-03-03 10:00:00", category="内衣"),
    ]
    zh = {f["case_id"]: f for f in _audit(tmp_path, rows)["findings"]}
    en = {f["case_id"]: f for f in _audit(tmp_path, rows, lang="en")["findings"]}
    assert (zh["L0"]["rule"], zh["L0"]["policy"]) == ("W001", "cn-law@2014-03-15")
    assert "暂行办法" not in zh["L0"]["basis"] and "消费者权益保护法》第25条" in zh["L0"]["basis"]
    assert "Interim Measures" not in en["L0"]["basis"]
    assert (zh["L1"]["rule"], zh["L1"]["policy"]) == ("X001", "cn-law@2017-03-15")
    assert "实施条例" not in zh["L1"]["basis"] and "暂行办法》第7条" in zh["L1"]["basis"]
    assert "Implementing Regulations" not in en["L1"]["basis"]
    assert "实施条例》第19条第2款" in zh["L2"]["basis"]
    assert "Implementing Regulations Art. 19 para. 2" in en["L2"]["basis"]
    assert not any(CJK.search(f["basis"]) for f in en.values())


def test_every_law_version_citation_reads_in_english():
    """A citation the glossary cannot render would show in Chinese under --lang en."""
    import yaml

    for path in sorted((REPO / "policies/cn-law").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule_id, setting in raw["rules"].items():
            assert citations.english(setting["source"]), (path.name, rule_id, setting["source"])


def test_coverage_says_cancelled_not_closed(tmp_path):
    """A 已撤销 case without a decision time is not reported as 已完结 (closed)."""
    rows = [
        _case("C1", "未收到货", "", "2026-03-10 10:00:00", status="cancelled"),
        _case("C2", "未收到货", "", "2026-03-10 10:00:00"),
    ]
    for row in rows:
        row.update(case_type="仅退款", first_response_at="", decided_at="", decision="")
    coverage = _audit(tmp_path, rows)["coverage"]
    assert coverage["D002"]["not_judged"] == {
        "cancelled without decided_at": 1,
        "closed without decided_at": 1,
    }


def test_the_current_law_version_cites_what_the_rule_catalogue_says():
    """docs/rules.md shows each rule's basis; on today's dates the findings cite the same."""
    import yaml

    from auditor.rules.registry import RULES

    raw = yaml.safe_load((REPO / "policies/cn-law/2024-07-01.yaml").read_text(encoding="utf-8"))
    for rule_id, setting in raw["rules"].items():
        assert setting["source"] == RULES[rule_id].basis, rule_id
