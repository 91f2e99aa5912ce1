"""`auditor audit` through click's CliRunner: options → AuditRequest, outputs, summary, exit codes.

The command's own logic is tested with the engine replaced by a function returning a known
result; tests/cli/test_audit_end_to_end.py runs the real pipeline on samples/.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import auditor.engine
from auditor.cli.main import cli, main
from tests.report.conftest import build_result, empty_result, finding, make_findings

CALLS: list = []


@pytest.fixture
def exports(tmp_path):
    cases = tmp_path / "售后.xlsx"
    orders = tmp_path / "订单.csv"
    cases.write_bytes(b"cases")
    orders.write_bytes(b"orders")
    return cases, orders


def use_result(monkeypatch, result) -> None:
    def fake_run_audit(request):
        CALLS.append(request)
        return result

    CALLS.clear()
    monkeypatch.setattr(auditor.engine, "run_audit", fake_run_audit)


def run(args: list[str]):
    return CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)


def test_help_has_a_worked_example_and_the_exit_codes():
    result = run(["--help"])
    assert result.exit_code == 0
    text = result.output
    assert "auditor audit 售后-2026-03.xlsx --orders" in text
    for code in ("0 ", "1 ", "2 "):
        assert f"  {code}" in text
    assert "--fail-on" in text and "--fail-on-data-issues" in text


def test_options_become_the_request(monkeypatch, exports, tmp_path):
    use_result(monkeypatch, build_result())
    cases, orders = exports
    args = [str(cases), "--orders", str(orders), "--orders", str(orders)]
    args += ["--policy", "seed-07-service-standard", "--policy", "旗舰店=my.yaml"]
    args += ["--as-of", "2026-03-31", "--profile", "generic", "--lang", "en"]
    args += ["--out", str(tmp_path / "out"), "--fail-on", "never"]
    result = run(args)
    assert result.exit_code == 0, result.output
    request = CALLS[0]
    assert [str(p) for p in request.cases] == [str(cases)]
    assert [str(p) for p in request.orders] == [str(orders), str(orders)]
    assert list(request.policies) == ["seed-07-service-standard", "旗舰店=my.yaml"]
    assert (request.as_of, request.profile, request.lang) == ("2026-03-31", "generic", "en")


def test_writes_the_outputs_and_prints_the_summary(monkeypatch, exports, tmp_path):
    use_result(monkeypatch, build_result())
    out = tmp_path / "out"
    result = run([str(exports[0]), "--out", str(out), "--fail-on", "never"])
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.json",
        "report.html",
        "violations.xlsx",
    ]
    document = json.loads((out / "findings.json").read_text("utf-8"))
    assert document["summary"]["findings"] == 9 and document["lang"] == "zh"
    assert "2026-03-31 23:59:59" in result.output
    assert str(out / "findings.json") in result.output


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("critical", 1), ("error", 1), ("warning", 1), ("info", 1), ("never", 0)],
)
def test_exit_code_when_every_severity_is_present(
    monkeypatch, exports, tmp_path, fail_on, expected
):
    use_result(monkeypatch, build_result())
    result = run([str(exports[0]), "--out", str(tmp_path), "--fail-on", fail_on, "-q"])
    assert result.exit_code == expected


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("critical", 0), ("error", 0), ("warning", 1), ("info", 1), ("never", 0)],
)
def test_exit_code_when_the_worst_finding_is_a_warning(
    monkeypatch, exports, tmp_path, fail_on, expected
):
    findings = make_findings([finding("D001", "warning", "AS1", "O1")])
    use_result(monkeypatch, build_result(findings=findings))
    result = run([str(exports[0]), "--out", str(tmp_path), "--fail-on", fail_on, "-q"])
    assert result.exit_code == expected


def test_default_fail_on_is_error(monkeypatch, exports, tmp_path):
    findings = make_findings([finding("D001", "warning", "AS1", "O1")])
    use_result(monkeypatch, build_result(findings=findings))
    assert run([str(exports[0]), "--out", str(tmp_path), "-q"]).exit_code == 0
    findings = make_findings([finding("E002", "error", "AS1", "O1")])
    use_result(monkeypatch, build_result(findings=findings))
    assert run([str(exports[0]), "--out", str(tmp_path), "-q"]).exit_code == 1


def test_data_issues_set_exit_1_only_when_asked(monkeypatch, exports, tmp_path):
    result = empty_result()
    result.data_issues = build_result().data_issues
    use_result(monkeypatch, result)
    assert run([str(exports[0]), "--out", str(tmp_path), "-q"]).exit_code == 0
    assert (
        run([str(exports[0]), "--out", str(tmp_path), "-q", "--fail-on-data-issues"]).exit_code == 1
    )


def test_quiet_prints_nothing_and_verbose_prints_more(monkeypatch, exports, tmp_path):
    use_result(monkeypatch, build_result())
    base = [str(exports[0]), "--out", str(tmp_path), "--fail-on", "never"]
    assert run([*base, "--quiet"]).output == ""
    plain, verbose = run(base).output, run([*base, "--verbose"]).output
    assert "platform-standard@2026-01-01" in verbose and "platform-standard@2026-01-01" not in plain


def test_missing_input_is_exit_2_with_a_located_line_and_no_traceback(
    monkeypatch, tmp_path, capsys
):
    use_result(monkeypatch, build_result())
    missing = tmp_path / "nope.xlsx"
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(missing), "--out", str(tmp_path / "out")])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"{missing}: 文件不存在" in err and "Traceback" not in err
    assert not CALLS and not (tmp_path / "out").exists()


def test_engine_error_is_exit_2_and_earlier_outputs_stay(monkeypatch, exports, tmp_path, capsys):
    from auditor.errors import AuditorError, Problem

    use_result(monkeypatch, build_result())
    out = tmp_path / "out"
    run([str(exports[0]), "--out", str(out), "-q"])
    before = (out / "findings.json").read_bytes()

    def failing(request):
        raise AuditorError([Problem("坏政策", "bad policy", file="my.yaml", column="params")])

    monkeypatch.setattr(auditor.engine, "run_audit", failing)
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(exports[0]), "--out", str(out), "--lang", "en"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip() == "my.yaml: params: bad policy"
    assert (out / "findings.json").read_bytes() == before


def test_inputs_are_never_modified(monkeypatch, exports, tmp_path):
    use_result(monkeypatch, build_result())
    before = [p.read_bytes() for p in exports]
    run([str(exports[0]), "--orders", str(exports[1]), "--out", str(tmp_path)])
    assert [p.read_bytes() for p in exports] == before


def test_summary_on_a_gbk_console_has_no_box_drawing(monkeypatch, exports, tmp_path):
    use_result(monkeypatch, build_result())
    runner = CliRunner(charset="gbk")
    args = ["audit", str(exports[0]), "--out", str(tmp_path), "--fail-on", "never"]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    result.stdout_bytes.decode("gbk")  # every byte is GBK
    assert "─" not in result.output and "严重" in result.output
