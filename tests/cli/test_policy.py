"""`auditor policy list|show|check|diff`: output, languages and exit codes (SPEC section 2)."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from auditor.cli.main import cli


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["policy", *args])


def test_list_shows_every_family_and_version() -> None:
    result = run("list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["策略族", "层级", "版本"]
    assert len(lines) == 1 + 4 + 2 + 9
    cn = [line.split() for line in lines if line.startswith("cn-law")]
    assert [c[2:5] for c in cn] == [
        ["2014-03-15", "2014-03-15", "2017-03-14"],
        ["2017-03-15", "2017-03-15", "2020-10-22"],
        ["2020-10-23", "2020-10-23", "2024-06-30"],
        ["2024-07-01", "2024-07-01", "—"],
    ]
    assert any(
        line.startswith("seed-09-management-rules") and "电子商务售后管理规定" in line
        for line in lines
    )


def test_list_in_english() -> None:
    result = run("list", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split()[:3] == ["family", "layer", "version"]
    assert "Platform after-sales service standard (2026)" in result.output


@pytest.mark.parametrize(
    ("day", "ref", "hours"),
    [
        ("2025-12-31", "platform-standard@2025-01-01", "48小时(自申请起)"),
        ("2026-01-01", "platform-standard@2026-01-01", "24小时(自申请起)"),
    ],
)
def test_show_on_either_side_of_a_new_version(day: str, ref: str, hours: str) -> None:
    result = run("show", "platform-standard", "--on", day)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(ref)
    at = lines.index("response_limit  (首次响应时限)")
    assert lines[at + 1] == f"    = {hours}"
    assert lines[at + 2].startswith(f"    来自: {ref} [service] ")


def test_show_names_origin_layer_and_source() -> None:
    result = run("show", "seed-07-service-standard", "--on", "2026-03-01", "--lang", "en")
    assert result.exit_code == 0
    out = result.output
    assert (
        "no_reason_window  (no-reason return window)\n    = 15 calendar days from delivery (signed_at)"
        in out
    )
    assert "[start not stated: default used]" in out
    assert "from: platform-standard@2025-01-01 [service]" in out  # inherited decision limit
    assert "Unspecified terms:" in out
    assert "not judged" not in out  # each vague term here is judged with some number
    assert (
        "  refund_after_return_law: unspecified '及时': no longer term promised, "
        "judged with the statutory term\n    source (seed-07-service-standard@2025-01-01): "
        "line 307:" in out
    )
    assert (
        "  response_limit: unspecified '及时': judged with 24 hours from application "
        "(applied_at) as stated in platform-standard@2026-01-01" in out
    )


def test_unspecified_term_says_the_number_the_audit_applies(tmp_path) -> None:
    """policy-files.md: an inherited number stays in force; only a chain with no number at
    all leaves the rule not judged. show and check must say the same as the audit."""
    head = (
        'id: my-shop\nversion: "2026-01-01"\ntitle: {zh: 店, en: Shop}\nlayer: service\n'
        "effective_from: 2026-01-01\n"
    )
    vague = "  refund_after_return: {unspecified: true, text: 尽快, source: 第 3 行:尽快退款}\n"
    inherits = tmp_path / "inherits.yaml"
    inherits.write_text(head + "extends: platform-standard\nparams:\n" + vague, "utf-8")
    alone = tmp_path / "alone.yaml"
    alone.write_text(head + "params:\n" + vague, "utf-8")

    check_zh = run("check", str(inherits)).output
    assert (
        "  ~ refund_after_return (收到退货后退款时限): 未明确「尽快」：按 "
        "platform-standard@2025-01-01 所定的 3工作日(自卖家收到退货起) 判定" in check_zh
    )
    assert "不判定" not in check_zh
    show_en = run("show", str(inherits), "--on", "2026-03-01", "--lang", "en").output
    assert (
        "  refund_after_return: unspecified '尽快': judged with 3 working days from return "
        "received (return_received_at) as stated in platform-standard@2025-01-01\n"
        "    source (my-shop@2026-01-01): line 3:尽快退款" in show_en
    )
    assert "not judged" not in show_en

    assert "未明确「尽快」，也没有继承的数字：不判定" in run("check", str(alone)).output
    show_alone = run("show", str(alone), "--on", "2026-03-01", "--lang", "en").output
    assert "refund_after_return: unspecified '尽快' and no number inherited: not judged" in (
        show_alone
    )


def test_show_law_rules_with_their_dates() -> None:
    result = run("show", "cn-law", "--on", "2016-06-01", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("cn-law@2014-03-15")
    assert "  W004: error, from 1995-08-25 — " in result.output
    assert "  D011: critical, from 2017-03-15 (not yet in force that day) — " in result.output


def test_show_with_no_version_in_force() -> None:
    result = run("show", "platform-standard", "--on", "2024-12-31", "--lang", "en")
    assert result.exit_code == 2
    assert "no version of platform-standard is in force on 2024-12-31" in result.output


def test_show_rejects_a_bad_date() -> None:
    result = run("show", "cn-law", "--on", "31/12/2025")
    assert result.exit_code == 2
    assert "expected a date YYYY-MM-DD" in result.output


def test_check_exit_codes() -> None:
    assert run("check", "cn-law").exit_code == 0
    # 3 working days to refund can end 12 days after a return received before the Spring
    # Festival: P003, as for seed-06's same sentence
    assert run("check", "platform-standard").exit_code == 1
    assert run("check", "seed-07-service-standard").exit_code == 0
    result = run("check", "seed-08-process-rules")
    assert result.exit_code == 1
    assert result.output.count("  P00") == 4
    assert result.output.splitlines()[-1] == "共 4 项发现"


def test_check_finding_in_english() -> None:
    result = run("check", "seed-06-platform-rules-latest", "--lang", "en")
    assert result.exit_code == 1
    out = result.output
    assert "  P003 refund later than 7 days after the return arrives" in out
    assert "    clause: refund_after_return_law (refund after the no-reason return arrives)" in out
    assert "    policy: 3 working days from return received (return_received_at)" in out
    assert "    legal minimum: 7 calendar days from return received (return_received_at)" in out
    assert "    basis: Consumer Rights Protection Law Art. 25 para. 3" in out
    assert "source (seed-06-platform-rules-latest@2025-01-01): line 269:" in out
    assert "第 269 行" not in out  # the tool's own framing words are English under --lang en


def test_check_lists_vague_terms_without_failing() -> None:
    result = run("check", "seed-03-terms-norms")
    assert result.exit_code == 1  # the 7-working-day exchange window
    # the audit judges D001/D002/complaints with platform-standard's numbers: so say so
    assert (
        "  ~ complaint_limit (投诉处理时限): 未明确「最短时间内」：按 "
        "platform-standard@2025-01-01 所定的 24小时(自申请起) 判定" in result.output
    )
    assert "不判定" not in result.output


def test_check_bad_policy_exits_2_with_located_message(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        textwrap.dedent(
            """\
            id: bad-shop
            version: "2026-01-01"
            title: {zh: 坏, en: Bad}
            layer: service
            effective_from: 2026-01-01
            params:
              response_limit: {amount: 2, unit: fortnights, source: x}
            """
        ),
        encoding="utf-8",
    )
    result = run("check", str(bad), "--lang", "en")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"{bad}: params.response_limit.unit: unit 'fortnights' is not allowed for response_limit; "
        "expected one of: hours, working_days, calendar_days"
    )
    zh = run("check", str(bad))
    assert zh.exit_code == 2
    assert "response_limit 不能用单位「fortnights」" in zh.output


def test_check_unknown_target() -> None:
    result = run("check", "seed-99", "--lang", "en")
    assert result.exit_code == 2
    assert "unknown policy 'seed-99': not a bundled family and no such file" in result.output


def test_diff_three_seeds_to_files(tmp_path) -> None:
    result = run(
        "diff",
        "seed-01-platform-policy",
        "seed-06-platform-rules-latest",
        "seed-08-process-rules",
        "--on",
        "2026-03-01",
        "--out",
        str(tmp_path),
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "参数",
        "seed-01-platform-policy",
        "seed-06-platform-rules-latest",
        "seed-08-process-rules",
    ]
    warranty = next(line for line in lines if " warranty " in line)
    assert warranty.startswith("≠")
    assert warranty.split()[-1] == "6个月(自付款起)"
    assert next(line for line in lines if " response_limit " in line).startswith("  ")
    assert (tmp_path / "policy-diff.xlsx").is_file() and (tmp_path / "policy-diff.html").is_file()


def test_diff_needs_two_policies() -> None:
    assert run("diff", "cn-law").exit_code == 2


def test_help_has_worked_examples() -> None:
    for command in ("list", "show", "check", "diff"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "auditor policy " + command in result.output
        assert "--lang" in result.output


EXAMPLE = "tests/data/policies/example-shop.yaml"


def test_users_own_policy_file(monkeypatch) -> None:
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    assert run("check", EXAMPLE).exit_code == 0
    shown = run("show", EXAMPLE, "--on", "2026-03-01", "--lang", "en")
    assert shown.exit_code == 0
    assert (
        shown.output.splitlines()[0] == "example-shop@2026-01-01  Example shop after-sales policy"
    )
    assert f"from: example-shop@2026-01-01 [service] {EXAMPLE}" in shown.output
    assert "  D002: off — 第 4 条:审核时限不单独考核。" in shown.output
    assert "  E002: warning, from 2026-01-01 — 第 5 条:拒绝原因缺失按警告处理。" in shown.output


def test_diff_and_show_speak_the_readers_language(tmp_path) -> None:
    """Severities and KPI targets in zh words (the workbook's 严重/错误/警告/提示, 达标/错误),
    and sources that cite the rule page users have, not the design document (SPEC 6.3)."""
    import openpyxl

    result = run(
        "diff", "platform-standard@2025-01-01", "seed-04-reward-penalty", "--out", str(tmp_path)
    )
    assert result.exit_code == 0
    out = result.output
    kpi = next(line for line in out.splitlines() if " kpi_satisfaction " in line)
    assert "达标 ≥ 95%，错误 < 90%" in kpi
    d002 = next(line for line in out.splitlines() if " rule:D002 " in line)
    assert "警告" in d002 and "warning" not in d002
    book = openpyxl.load_workbook(tmp_path / "policy-diff.xlsx")
    cells = [str(c) for row in book["策略对比"].iter_rows(values_only=True) for c in row if c]
    assert "警告" in cells
    assert not {"warning", "info", "error", "critical"} & set(cells)
    assert not any(c.startswith("ok ≥") for c in cells)
    sources = [r[2] for r in book["来源"].iter_rows(min_row=2, values_only=True)]
    assert any(s.startswith("auditor rules D004") for s in sources)
    assert not any("SPEC" in s for s in sources)
    page = (tmp_path / "policy-diff.html").read_text("utf-8")
    assert "SPEC" not in page and ">warning<" not in page

    show = run("show", "platform-standard", "--on", "2026-03-01").output
    assert "  E002: 错误,自 2026-01-01 起 — auditor rules E002" in show
    assert "SPEC" not in show and "ok ≥" not in show
    show_en = run("show", "platform-standard", "--on", "2026-03-01", "--lang", "en").output
    assert "    = ok ≥ 95%, error < 90%" in show_en
    assert "    source: auditor rules K004:" in show_en
    assert "  D002: warning, from 2026-01-01 — auditor rules D002" in show_en


def test_one_unit_is_singular_in_english() -> None:
    out = run("show", "platform-standard", "--on", "2026-03-01", "--lang", "en").output
    assert "    = 1 working day from application (applied_at)" in out
    assert "1 working days" not in out
