"""`auditor profiles`: the bundled layout profiles."""

from __future__ import annotations

import pytest

from auditor.cli.main import main


def run(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    return exited.value.code, capsys.readouterr().out


def test_lists_every_profile_with_kind_platform_and_title(capsys):
    code, out = run(["profiles"], capsys)
    assert code == 0
    lines = out.splitlines()
    douyin = next(line for line in lines if line.startswith("douyin-aftersales "))
    assert "cases" in douyin and "douyin" in douyin and "抖店 售后单导出" in douyin
    for profile in ("generic", "taobao-refund-c", "jd-orders", "wechat-aftersales"):
        assert any(line.startswith(profile + " ") for line in lines)


def test_filter_by_kind_in_english(capsys):
    code, out = run(["profiles", "--kind", "orders", "--lang", "en"], capsys)
    assert code == 0
    assert "Douyin order export" in out
    assert "douyin-aftersales" not in out


def test_help_has_a_worked_example(capsys):
    code, out = run(["profiles", "--help"], capsys)
    assert code == 0
    assert "auditor profiles --kind orders" in out
