"""`auditor sample` on the command line: help, files, exit codes."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from auditor.cli.main import cli, main


def test_help_has_a_worked_example():
    result = CliRunner().invoke(cli, ["sample", "--help"])
    assert result.exit_code == 0
    assert "示例 Example" in result.output
    assert "auditor sample --cases 400 --orders --out demo" in result.output
    assert "--violation-rate" in result.output and "gb18030" in result.output


def test_writes_the_files_and_says_so(tmp_path):
    out = tmp_path / "demo"
    args = ["sample", "--cases", "120", "--orders", "--out", str(out), "--seed", "3"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (out / "cases.xlsx").is_file() and (out / "orders.xlsx").is_file()
    assert "售后单 120 行（generic）" in result.output
    english = CliRunner().invoke(cli, args[:-2] + ["--seed", "4", "--force", "--lang", "en"])
    assert english.exit_code == 0 and "120 cases (generic)" in english.output


def test_bad_month_exits_2_with_one_clear_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["sample", "--cases", "5", "--out", str(tmp_path), "--month", "2026-3", "--lang", "en"]
        )
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--month must be YYYY-MM (got 2026-3)" in err and "Traceback" not in err


def test_existing_output_exits_2(tmp_path, capsys):
    args = ["sample", "--cases", "5", "--out", str(tmp_path)]
    with pytest.raises(SystemExit) as first:
        main(args)
    assert first.value.code == 0
    with pytest.raises(SystemExit) as second:
        main(args)
    assert second.value.code == 2
    assert "cases.xlsx" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--seed", "-1"),
        ("--seed", str(2**64)),
        ("--orders-per-case", "nan"),
        ("--orders-per-case", "inf"),
        ("--cases", "-5"),
        ("--cases", "0"),
        ("--violation-rate", "nan"),
    ],
)
def test_an_impossible_number_is_an_option_error(tmp_path, capsys, option, value):
    out = tmp_path / "s"
    with pytest.raises(SystemExit) as exit_info:
        main(["sample", "--cases", "5", "--out", str(out), "--orders", option, value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert option in err and "Traceback" not in err and "内部错误" not in err
    assert not out.exists()
