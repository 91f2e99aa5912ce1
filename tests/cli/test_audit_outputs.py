"""`auditor audit --outputs`: exactly the chosen files are written, as one set, and outputs of an
earlier run that were not chosen are removed so --out never mixes two runs."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import auditor.engine
from auditor.cli.main import cli, main
from tests.report.conftest import build_result

ALL = ["findings.json", "report.html", "violations.xlsx"]


@pytest.fixture
def cases(tmp_path, monkeypatch):
    monkeypatch.setattr(auditor.engine, "run_audit", lambda request: build_result())
    path = tmp_path / "售后.csv"
    path.write_bytes(b"cases")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_default_writes_all_three(cases, tmp_path):
    out = tmp_path / "out"
    assert run(str(cases), "--out", str(out), "-q", "--fail-on", "never").exit_code == 0
    assert names(out) == ALL


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["json"], ["findings.json"]),
        (["xlsx"], ["violations.xlsx"]),
        (["html"], ["report.html"]),
        (["xlsx,json"], ["findings.json", "violations.xlsx"]),
        (["xlsx", "html"], ["report.html", "violations.xlsx"]),
        ([" JSON , html ,"], ["findings.json", "report.html"]),
        (["json,json", "json"], ["findings.json"]),
        (["json,html,xlsx"], ALL),
    ],
)
def test_only_the_chosen_outputs_are_written(cases, tmp_path, given, expected):
    out = tmp_path / "out"
    options = [arg for value in given for arg in ("--outputs", value)]
    result = run(str(cases), "--out", str(out), "-q", "--fail-on", "never", *options)
    assert result.exit_code == 0, result.output
    assert names(out) == expected


def test_json_only_is_the_full_findings_document(cases, tmp_path):
    out = tmp_path / "out"
    run(str(cases), "--out", str(out), "--outputs", "json", "-q", "--fail-on", "never")
    document = json.loads((out / "findings.json").read_text("utf-8"))
    assert document["summary"]["findings"] == 9 and len(document["findings"]) == 9


def test_stale_outputs_of_an_earlier_run_are_removed_and_other_files_kept(cases, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ALL:
        (out / name).write_text("from last month")
    (out / "notes.txt").write_text("mine")
    result = run(str(cases), "--out", str(out), "--outputs", "json", "--fail-on", "never")
    assert result.exit_code == 0
    assert names(out) == ["findings.json", "notes.txt"]
    assert (out / "findings.json").read_text("utf-8") != "from last month"
    assert (out / "notes.txt").read_text() == "mine"


def test_the_summary_lists_only_the_written_file(cases, tmp_path):
    out = tmp_path / "out"
    result = run(str(cases), "--out", str(out), "--outputs", "json", "--fail-on", "never")
    assert str(out / "findings.json") in result.output
    assert "violations.xlsx" not in result.output and "report.html" not in result.output


def test_an_input_named_like_a_stale_output_is_never_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(auditor.engine, "run_audit", lambda request: build_result())
    out = tmp_path / "out"
    out.mkdir()
    workbook = out / "violations.xlsx"  # the user's own export, kept in the output folder
    workbook.write_bytes(b"an export")
    result = run(str(workbook), "--out", str(out), "--outputs", "json", "--fail-on", "never")
    assert result.exit_code == 0
    assert names(out) == ["findings.json", "violations.xlsx"]
    assert workbook.read_bytes() == b"an export"


@pytest.mark.parametrize("value", ["pdf", "json,csv", ",", ""])
def test_unknown_output_is_a_usage_error_and_touches_nothing(cases, tmp_path, value):
    out = tmp_path / "out"
    out.mkdir()
    (out / "violations.xlsx").write_text("earlier")
    result = run(str(cases), "--out", str(out), "--outputs", value)
    assert result.exit_code == 2
    assert "--outputs" in result.output and "xlsx, html, json" in result.output
    assert names(out) == ["violations.xlsx"]


def test_a_failed_run_keeps_the_earlier_set_whole(cases, tmp_path, monkeypatch, capsys):
    from auditor.errors import AuditorError, Problem

    out = tmp_path / "out"
    run(str(cases), "--out", str(out), "-q", "--fail-on", "never")
    before = {name: (out / name).read_bytes() for name in ALL}

    def failing(request):
        raise AuditorError([Problem("坏政策", "bad policy", file="my.yaml")])

    monkeypatch.setattr(auditor.engine, "run_audit", failing)
    with pytest.raises(SystemExit) as exited:
        main(["audit", str(cases), "--out", str(out), "--outputs", "json"])
    assert exited.value.code == 2
    assert {name: (out / name).read_bytes() for name in ALL} == before
    capsys.readouterr()


def test_help_names_the_option_in_both_languages():
    text = run("--help").output
    assert "--outputs xlsx,html,json" in text
    assert "要写出的文件" in text and "outputs to" in text
    assert "--outputs json" in text  # the worked pipeline example
