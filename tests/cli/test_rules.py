"""`auditor rules`: the catalogue and one rule's page, in zh and en, from the registry."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from auditor.cli.main import cli, main
from auditor.rules.registry import DATA_CHECKS, RULES


def _run(*args: str):
    return CliRunner().invoke(cli, ["rules", *args])


def test_catalogue_lists_every_rule_with_severity_layer_and_title() -> None:
    result = _run()
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["编号", "严重度", "层级", "标题"]
    for rule in (*RULES.values(), *DATA_CHECKS.values()):
        line = next(x for x in lines if x.startswith(rule.id + " "))
        assert rule.title_zh in line
    w001 = next(x for x in lines if x.startswith("W001"))
    assert "错误" in w001 and "法律层" in w001
    ids = [x.split()[0] for x in lines[1 : 1 + len(RULES)]]
    assert ids == list(RULES)


def test_catalogue_in_english() -> None:
    result = _run("--lang", "en")
    assert result.exit_code == 0
    d011 = next(x for x in result.output.splitlines() if x.startswith("D011"))
    assert d011.split()[1:3] == ["critical", "law"]
    assert RULES["D011"].title_en in d011


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rule_has_a_page_with_basis_parameters_and_examples(rule_id: str) -> None:
    rule = RULES[rule_id]
    result = _run(rule_id)
    assert result.exit_code == 0, result.output
    page = result.output
    for heading in ("检查内容", "依据", "参数及默认值", "触发的例子", "不触发的例子"):
        assert heading in page
    assert rule.basis in page
    for name in rule.params:
        assert name in page
    assert rule.example_fires.zh in page and rule.example_passes.zh in page


def test_page_in_english_shows_parameter_defaults() -> None:
    result = _run("D001", "--lang", "en")
    assert "What it checks" in result.output
    assert "response_limit (first response limit) = 24 hours (from applied_at)" in result.output
    assert "Example that does not fire" in result.output


def test_page_by_dotted_name_and_law_rules_say_they_cannot_be_relaxed() -> None:
    result = _run("returns.no_reason_rejected_in_window")
    assert result.output.startswith("W001")
    assert "店铺政策不能停用或放宽" in result.output
    assert "1995-08-25" in _run("W004").output


def test_unknown_rule_is_exit_2_with_a_clear_line(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["rules", "Z999"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Z999" in err and "Traceback" not in err


def test_help_has_a_worked_example() -> None:
    result = _run("--help")
    assert result.exit_code == 0
    assert "auditor rules W001" in result.output


def test_the_catalogue_lists_the_policy_checks_after_the_rules() -> None:
    from auditor.policies.lint import RULE_TITLES

    lines = _run().output.splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("政策检查"))
    assert "auditor policy check" in lines[start]
    listed = [x.split()[0] for x in lines[start + 1 : start + 1 + len(RULE_TITLES)]]
    assert listed == [f"P00{n}" for n in range(1, 9)]
    english = _run("--lang", "en").output
    assert "P005  buyer pays freight for a seller-fault return" in english


@pytest.mark.parametrize("lint_id", [f"P00{n}" for n in range(1, 9)])
def test_every_policy_check_has_a_page(lint_id: str) -> None:
    from auditor.policies.lint import RULE_DESCRIPTIONS, RULE_TITLES

    result = _run(lint_id.lower())
    assert result.exit_code == 0
    assert result.output.startswith(f"{lint_id}  {RULE_TITLES[lint_id][0]}")
    assert RULE_DESCRIPTIONS[lint_id][0] in result.output
    assert "auditor policy check" in result.output
    english = _run(lint_id, "--lang", "en").output
    assert RULE_DESCRIPTIONS[lint_id][1] in english and "policy check" in english
