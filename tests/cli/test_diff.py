"""`auditor diff A B [--out DIR]` through the CLI: help, terminal table, files, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from auditor.cli.main import cli, main
from tests.rundiff.test_run_diff import record, write_run


def invoke(*args: str):
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


@pytest.fixture
def runs(tmp_path):
    a = write_run(tmp_path / "a", record("A"), record("B", rule="W001", severity="error"))
    b = write_run(tmp_path / "b", record("A"), record("C", rule="D002"))
    return str(a), str(b)


def test_help_has_a_worked_example_and_says_what_updated_means():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "auditor diff 审计结果-03/findings.json 审计结果-04/findings.json" in result.output
    assert "run-diff.xlsx" in result.output and "not message" in result.output


def test_the_diff_is_printed_and_written(runs, tmp_path):
    out = tmp_path / "diff"
    result = invoke(*runs, "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "new 1 · resolved 1 · updated 0 · unchanged 1" in result.output
    assert f"wrote {out / 'run-diff.html'}" in result.output
    document = json.loads((out / "run-diff.json").read_text(encoding="utf-8"))
    assert {f["case_id"]: f["state"] for f in document["findings"]} == {
        "A": "unchanged",
        "B": "resolved",
        "C": "new",
    }


def test_without_out_nothing_is_written(runs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(*runs)
    assert result.exit_code == 0 and "新增 1 · 已解决 1 · 有更新 0 · 未变 1" in result.output
    assert not list(tmp_path.glob("run-diff.*"))


def test_a_missing_or_foreign_file_is_exit_2_with_a_located_line(runs, tmp_path, capsys):
    missing = tmp_path / "nope" / "findings.json"
    with pytest.raises(SystemExit) as exited:
        main(["diff", runs[0], str(missing)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"{missing}: 找不到findings.json文件" in err and "Traceback" not in err

    foreign = tmp_path / "report.json"
    foreign.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["diff", str(foreign), runs[1], "--lang", "en"])
    assert exited.value.code == 2
    assert "is not a findings.json written by auditor" in capsys.readouterr().err
