"""Seven-day no-reason exclusions by the category names real exports carry (W001/X001), and
a shop policy's additions to the confirm-required list, through the real command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from auditor.cli.main import cli
from auditor.rules.params import PARAM

REPO = Path(__file__).resolve().parents[2]
COLUMNS = [
    "case_id",
    "order_id",
    "shop",
    "category",
    "case_type",
    "reason",
    "paid_amount",
    "refund_amount",
    "exclusion_confirmed",
    "signed_at",
    "applied_at",
    "first_response_at",
    "decided_at",
    "decision",
    "reject_reason",
    "status",
]


def _write_cases(path: Path, rows: list[tuple[str, str]]) -> None:
    """Rejected no-reason returns applied on day 2 after signing: (category, confirmed)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for n, (category, confirmed) in enumerate(rows, 1):
            out.writerow(
                [f"E{n:02d}", f"O{n:02d}", "店A", category, "退货退款", "七天无理由", "100", "100"]
                + [confirmed, "2026-03-01 10:00:00", "2026-03-03 10:00:00"]
                + ["2026-03-03 10:10:00", "2026-03-03 11:00:00", "拒绝", "不支持七天无理由"]
                + ["closed"]
            )


def _audit(tmp_path: Path, rows: list[tuple[str, str]], *policy: str) -> dict[str, set[str]]:
    """{category: rules W001/X001 that fired on it}."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    cases = tmp_path / "cases.csv"
    _write_cases(cases, rows)
    out = tmp_path / "out"
    args = ["audit", str(cases), "--out", str(out), "--outputs", "json", "--as-of", "2026-03-31"]
    result = CliRunner().invoke(cli, [*args, *policy, "--fail-on", "never", "-q"])
    assert result.exit_code == 0, result.output
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    category = {f"E{n:02d}": c for n, (c, _) in enumerate(rows, 1)}
    fired: dict[str, set[str]] = {c: set() for c, _ in rows}
    for finding in findings:
        if finding["rule"] in ("W001", "X001"):
            fired[category[finding["case_id"]]].add(finding["rule"])
    return fired


# Taobao/JD category names the law excludes: a rejection is lawful whatever the confirmation.
STATUTORY = [
    "水产肉类/新鲜蔬果/熟食",
    "鲜花速递/花卉仿真/绿植园艺",
    "私人订制西服",
    "杂志订阅",
    "网游装备/游戏币/帐号/代练",
    "数字阅读",
]
# Goods excluded only when confirmed at purchase (Interim Measures Art. 7).
CONFIRM = ["美容护肤/美体/精油", "个护化妆", "彩妆/香水/美妆工具", "女士内衣/男士内衣/家居服"]
# Physical goods that only look like a keyword (数字油画, VR 虚拟现实): not excluded.
PHYSICAL = ["十字绣/数字油画", "VR虚拟现实眼镜", "服装"]


def test_real_category_names_are_classified_as_the_law_intends(tmp_path):
    rows = [(c, v) for c in STATUTORY + CONFIRM + PHYSICAL for v in ("是", "否")]
    fired = _audit(tmp_path, rows)
    for category in STATUTORY:
        assert fired[category] == set(), category  # lawful rejection, confirmed or not
    for category in CONFIRM:
        assert fired[category] == {"X001"}, category  # only the unconfirmed one
    for category in PHYSICAL:
        assert fired[category] == {"W001"}, category  # both rejections are breaches


@pytest.mark.parametrize("version", ["2014-03-15", "2017-03-15", "2020-10-23", "2024-07-01"])
def test_every_law_version_carries_the_same_category_lists(version):
    """The goods are excluded by their nature under Art. 25 on every date; only the articles
    cited change. The declared defaults (docs/rules.md) are the lists of the versions."""
    raw = yaml.safe_load((REPO / f"policies/cn-law/{version}.yaml").read_text(encoding="utf-8"))
    for name in ("statutory_exclusions", "confirm_required"):
        assert raw["params"][name]["value"] == PARAM[name].default, (version, name)
        assert not {"数字", "虚拟"} & set(raw["params"][name]["value"])


SHOP = """\
id: beauty-shop
version: "2026-01-01"
title: {zh: 美妆店, en: Beauty shop}
layer: service
effective_from: 2026-01-01
extends: platform-standard
params:
  confirm_required: {value: [面膜], source: 平台类目规则:面膜拆封后不支持七天无理由(下单时确认)}
  statutory_exclusions: {value: [服装], source: 店铺自称服装不退}
"""


def test_a_shop_policy_adds_confirm_required_categories_but_never_statutory_ones(tmp_path):
    """Its confirm-required additions count with the consumer's confirmation (else X001);
    its statutory_exclusions cannot widen the law's list (Implementing Regulations Art. 19):
    服装 stays a W001 breach."""
    policy = tmp_path / "shop.yaml"
    policy.write_text(SHOP, encoding="utf-8")
    rows = [("面膜", "是"), ("面膜/补水", "否"), ("服装", "是")]
    assert _audit(tmp_path / "plain", rows) == {
        "面膜": {"W001"},
        "面膜/补水": {"W001"},
        "服装": {"W001"},
    }
    assert _audit(tmp_path / "shop", rows, "--policy", str(policy)) == {
        "面膜": set(),
        "面膜/补水": {"X001"},
        "服装": {"W001"},
    }
