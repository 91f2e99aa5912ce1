"""Policy-files sweep: P003 on either refund key, no lint crash on long or absurd terms,
load-time refusals (whole working days and months, bounds, inverted KPI lines), zh YAML
errors, an English basis, and one policy file named for two shops. Through the real CLI."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from auditor.cli.main import main
from auditor.policies.lint import check

HEAD = """\
id: sweep-shop
version: "2026-01-01"
title: {zh: 店铺, en: Shop}
layer: service
effective_from: 2026-01-01
extends: platform-standard
params:
"""


@pytest.fixture
def cli(capsys):
    """cli(*args) → (exit code, stdout, stderr); never a traceback or an internal error."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        out = capsys.readouterr()
        assert "Traceback" not in out.err + out.out
        assert "内部错误" not in out.err and "internal error" not in out.err
        return exited.value.code, out.out, out.err

    return run


def policy(tmp_path: Path, params: str, name: str = "shop.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + params, encoding="utf-8")
    return path


# -- 1. P003 whichever key states the refund term ---------------------------------------


def test_p003_on_refund_after_return(cli, tmp_path: Path) -> None:
    path = policy(
        tmp_path,
        "  refund_after_return: {amount: 30, unit: calendar_days, from: return_received_at,"
        " source: 收到退货30天内退款}\n",
    )
    code, out, _ = cli("policy", "check", path)
    assert code == 1
    assert "P003" in out and "条款: refund_after_return (" in out


def test_p003_not_on_a_refund_within_seven_days(cli, tmp_path: Path) -> None:
    path = policy(
        tmp_path,
        "  refund_after_return: {amount: 5, unit: calendar_days, source: 收到退货5天内退款}\n",
    )
    code, out, _ = cli("policy", "check", path)
    assert code == 0 and "P003" not in out


def test_same_refund_sentence_judged_alike_under_both_keys() -> None:
    # "3个工作日内退款" ends 12 days after a return that arrives on 2025-01-24 (Spring
    # Festival): seed-06 (refund_after_return_law) and platform-standard's 2025 version
    # (refund_after_return) state the same sentence and get the same finding; each version
    # is shown the worst case of its own years (2026's for platform-standard@2026-01-01)
    def p003(family: str) -> list:
        return [f for r in check(family) for f in r.findings if f.rule == "P003"]

    seed, platform = p003("seed-06-platform-rules-latest"), p003("platform-standard")
    assert len(seed) == 1 and len(platform) == 2
    assert seed[0].detail_en in {f.detail_en for f in platform}
    assert "from 2025-01-24" in seed[0].detail_en and "(12 days)" in seed[0].detail_en
    assert any("from 2026-02-14" in f.detail_en for f in platform)


def test_inherited_service_refund_is_not_repeated() -> None:
    # seed-08 states no refund term of its own: platform-standard's is reported there
    assert not [f for r in check("seed-08-process-rules") for f in r.findings if f.rule == "P003"]


# -- 2. no crash on long working-day windows, absurd amounts refused at load -------------


@pytest.mark.parametrize(
    "params",
    [
        "  quality_exchange_window: {amount: 90, unit: working_days, from: signed_at, source: x}\n",
        "  no_reason_window: {amount: 200, unit: working_days, from: signed_at, source: x}\n",
        "  refund_after_return_law: {amount: 100, unit: working_days, source: x}\n",
        "  quality_return_window: {amount: 250, unit: working_days, source: x}\n",
    ],
)
def test_long_working_day_windows_are_linted(cli, tmp_path: Path, params: str) -> None:
    code, _, err = cli("policy", "check", policy(tmp_path, params))
    assert code in (0, 1), err


@pytest.mark.parametrize(
    ("params", "key", "zh", "en"),
    [
        (
            "  warranty: {amount: 96000, unit: months, source: x}\n",
            "params.warranty.amount",
            "上限为 1200个月",
            "at most 1200 months",
        ),
        (
            "  no_reason_window: {amount: 3000000, unit: calendar_days, source: x}\n",
            "params.no_reason_window.amount",
            "上限为 36500自然日",
            "at most 36500 calendar days",
        ),
        (
            "  warranty_by_category: {value: {手机: {amount: 99999, unit: months}}, source: x}\n",
            "params.warranty_by_category.value.手机.amount",
            "期限过长",
            "limit too long",
        ),
        (
            "  response_limit: {amount: 1000000, unit: hours, source: x}\n",
            "params.response_limit.amount",
            "上限为 876000小时",
            "at most 876000 hours",
        ),
        (
            "  quality_exchange_window: {amount: 251, unit: working_days, source: x}\n",
            "params.quality_exchange_window.amount",
            "上限为 250工作日",
            "at most 250 working days",
        ),
    ],
)
def test_absurd_amounts_refused_at_load(cli, tmp_path, params, key, zh, en) -> None:
    path = policy(tmp_path, params)
    code, _, err = cli("policy", "check", path)
    assert code == 2 and str(path) in err and key in err and zh in err
    code, _, err = cli("policy", "check", path, "--lang", "en")
    assert code == 2 and key in err and en in err


# -- 3. whole working days and months; KPI lines the right way round ---------------------


@pytest.mark.parametrize(
    ("params", "key", "zh"),
    [
        (
            "  decision_limit: {amount: 0.5, unit: working_days, source: x}\n",
            "decision_limit",
            "工作日数须为整数",
        ),
        (
            "  decision_limit: {amount: 1.5, unit: working_days, source: x}\n",
            "decision_limit",
            "工作日数须为整数",
        ),
        ("  warranty: {amount: 1.5, unit: months, source: x}\n", "warranty", "月数须为整数"),
    ],
)
def test_fractional_days_refused(cli, tmp_path: Path, params: str, key: str, zh: str) -> None:
    path = policy(tmp_path, params)
    code, _, err = cli("policy", "check", path)
    assert code == 2 and f"params.{key}.amount" in err and zh in err
    code, _, err = cli("policy", "show", path, "--lang", "en")
    assert code == 2 and "must be a whole number" in err


def test_whole_float_working_days_accepted(cli, tmp_path: Path) -> None:
    path = policy(tmp_path, "  decision_limit: {amount: 2.0, unit: working_days, source: x}\n")
    code, _, err = cli("policy", "check", path)
    assert code in (0, 1), err


def test_inverted_kpi_lines_refused(cli, tmp_path: Path) -> None:
    path = policy(tmp_path, "  kpi_satisfaction: {value: {ok: 0.90, error: 0.95}, source: x}\n")
    code, _, err = cli("policy", "check", path)
    assert code == 2 and "params.kpi_satisfaction.value.error" in err and "高于 ok 线" in err
    ok = policy(tmp_path, "  kpi_satisfaction: {value: {ok: 0.95, error: 0.90}, source: x}\n")
    assert cli("policy", "check", ok)[0] in (0, 1)


# -- 4. languages: zh YAML errors, English basis ----------------------------------------


def test_yaml_syntax_error_in_zh_has_no_english(cli, tmp_path: Path) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text(HEAD + "  response_limit: {amount: 12, unit: hours\nrules: {}\n", "utf-8")
    code, _, err = cli("policy", "check", path)
    assert code == 2 and "YAML 格式错误(第" in err
    assert not re.search(r"[A-Za-z]{4,}", err.split("):", 1)[1]), err  # no English words
    code, _, err = cli("policy", "check", path, "--lang", "en")
    assert code == 2 and "did not find expected" in err


def test_lint_findings_carry_an_english_basis() -> None:
    findings = [f for r in check("seed-08-process-rules") for f in r.findings]
    findings += [f for r in check("seed-02-aftersales-rules") for f in r.findings]  # P008
    assert findings
    for f in findings:
        assert f.basis_text("en") and not re.search(r"[\u4e00-\u9fff]", f.basis_text("en"))
        assert re.search(r"[\u4e00-\u9fff]", f.basis_text("zh"))


# -- 5. one policy file for two shops -----------------------------------------------------


def test_one_policy_file_for_two_shops(cli, tmp_path: Path) -> None:
    code, _, err = cli(
        "sample", "--cases", "40", "--format", "csv", "--shops", "2", "--out", tmp_path / "smp"
    )
    assert code == 0, err
    cases = tmp_path / "smp" / "cases.csv"
    shops = sorted(pl.read_csv(cases, infer_schema=False)["店铺"].unique().to_list())
    assert len(shops) == 2
    path = policy(tmp_path, "  response_limit: {amount: 1, unit: hours, source: 1小时内响应}\n")
    code, _, err = cli(
        "audit",
        cases,
        "--policy",
        f"{shops[0]}={path}",
        "--policy",
        f"{shops[1]}={path}",
        "--out",
        tmp_path / "out",
        "--fail-on",
        "never",
        "--quiet",
    )
    assert code == 0, err
    findings = (tmp_path / "out" / "findings.json").read_text("utf-8")
    assert "sweep-shop@2026-01-01" in findings
