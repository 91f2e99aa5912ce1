"""Click's usage errors in the reader's language: Chinese by default, Click's English with
--lang en; exit 2 either way, never a traceback."""

from __future__ import annotations

import pytest

from auditor.cli.main import main


def run(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return exited.value.code, captured.err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("audit", "x.xlsx", "--fail-on", "bogus"),
            "错误：'--fail-on' 的值 'bogus' 无效，可选：critical、error、warning、info、never",
        ),
        (("audit",), "错误：缺少参数 'CASES...'"),
        (("audit", "x.xlsx", "--fial-on", "error"), "错误：没有选项 --fial-on（是不是想用"),
        (("audit", "x.xlsx", "--out"), "错误：选项 --out 后面要跟一个值"),
        (("bogus",), "错误：没有命令 'bogus'"),
        (("rules", "D001", "D002"), "错误：多余的参数：D002"),
        (("policy", "show", "cn-law", "--on", "31/12/2025"), "错误：'--on' 的值无效：应为日期"),
    ],
)
def test_usage_errors_are_chinese_by_default(capsys, args, expected) -> None:
    code, err = run(capsys, *args)
    assert code == 2
    assert expected in err
    assert "Error:" not in err and "Invalid value" not in err and "Missing argument" not in err


def test_usage_line_and_help_hint_in_chinese(capsys) -> None:
    _, err = run(capsys, "audit", "x.xlsx", "--fail-on", "bogus")
    assert err.startswith("用法: auditor audit [OPTIONS] CASES...\n查看帮助：auditor audit --help")


def test_english_keeps_clicks_own_words(capsys) -> None:
    code, err = run(capsys, "audit", "x.xlsx", "--fail-on", "bogus", "--lang", "en")
    assert code == 2
    assert "Error: Invalid value for '--fail-on': 'bogus' is not one of" in err
