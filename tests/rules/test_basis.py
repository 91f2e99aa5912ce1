"""A rule's basis in the reader's language (Rule.basis_text)."""

import json
import re
from pathlib import Path

from click.testing import CliRunner

from auditor.cli.main import cli
from auditor.rules.registry import all_checks

REPO = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_rule_states_its_basis_in_english_too():
    """English readers get no Chinese sentence of the tool's own as a basis (findings.json,
    the workbook, the report, `auditor rules --lang en`)."""
    for rule in all_checks():
        assert rule.basis_text("zh") == rule.basis
        english = rule.basis_text("en")
        assert english and not CJK.search(english), (rule.id, english)


def _bases(tmp_path: Path, lang: str) -> dict[str, set[str]]:
    out = tmp_path / lang
    args = ["audit", str(REPO / "samples/cases/2026-03.xlsx"), "--orders"]
    args += [str(REPO / "samples/orders/orders.xlsx"), "--outputs", "json", "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--lang", lang, "--fail-on", "never", "-q"])
    assert result.exit_code == 0, result.output
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    bases: dict[str, set[str]] = {}
    for finding in findings:
        bases.setdefault(finding["rule"], set()).add(finding["basis"])
    return bases


def test_findings_json_gives_the_basis_in_the_run_language(tmp_path):
    zh, en = _bases(tmp_path, "zh"), _bases(tmp_path, "en")
    assert zh["D004"] == {"平台标准：收到退货后3个工作日内退款"}
    assert en["D004"] == {"platform standard: refund within 3 working days of receiving the return"}
    assert not any(CJK.search(b) for found in en.values() for b in found)
