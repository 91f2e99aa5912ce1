"""Click's path and range checks and the OS's reasons a file cannot be written, said in
Chinese by default (English under --lang en), through the real command line."""

from __future__ import annotations

import errno
import os

import pytest

from auditor.cli.main import main
from auditor.report.labels import os_error_text

CASES = (
    "售后单号,订单编号,店铺,售后类型,售后原因,实付金额,退款金额,申请时间,首次响应时间,售后状态\n"
    "C1,O1,店A,仅退款,未收到货,50,50,2026-03-10 10:00:00,2026-03-10 11:00:00,处理中\n"
)
ENGLISH_LEAKS = (
    "is a file",
    "is a directory",
    "does not exist",
    "is not in the range",
    "is not a valid",
    "No such file",
    "Not a directory",
)


def run(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "内部错误" not in captured.err
    return exited.value.code, captured.err


@pytest.fixture
def cases(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(CASES, encoding="utf-8")
    return path


def _no_english(err: str) -> None:
    for words in ENGLISH_LEAKS:
        assert words not in err, err


def test_out_that_is_a_file(capsys, cases):
    code, err = run(capsys, "audit", cases, "--out", cases)
    assert code == 2
    assert f"错误：'--out' 的值无效：'{cases}' 是文件，不是文件夹" in err
    _no_english(err)
    code, err = run(capsys, "audit", cases, "--out", cases, "--lang", "en")
    assert code == 2 and "is a file" in err


def test_json_that_is_a_folder(capsys, cases, tmp_path):
    code, err = run(capsys, "validate", cases, "--json", tmp_path)
    assert code == 2
    assert f"错误：'--json' 的值无效：'{tmp_path}' 是文件夹，不是文件" in err
    _no_english(err)


def test_json_in_a_missing_folder(capsys, cases, tmp_path):
    target = tmp_path / "nonexist" / "dir" / "a.json"
    code, err = run(capsys, "validate", cases, "--json", target)
    assert code == 2
    assert f"{target}: 无法写入：所在文件夹不存在" in err
    _no_english(err)
    code, err = run(capsys, "validate", cases, "--json", target, "--lang", "en")
    assert code == 2 and f"{target}: cannot write: No such file or directory" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("sample", "--shops", "60"), "错误：'--shops' 的值无效：60 超出允许范围（1 ≤ x ≤ 5）"),
        (("sample", "--shops", "abc"), "错误：'--shops' 的值无效：'abc' 不是整数"),
        (
            ("validate", "x.csv", "--max-rows", "0"),
            "错误：'--max-rows' 的值无效：0 超出允许范围（x ≥ 1）",
        ),
    ],
)
def test_numbers_out_of_range(capsys, tmp_path, args, expected):
    code, err = run(capsys, *args, *(["--out", tmp_path / "s"] if args[0] == "sample" else []))
    assert code == 2
    assert expected in err
    _no_english(err)


def test_numbers_out_of_range_in_english(capsys, tmp_path):
    code, err = run(capsys, "sample", "--shops", "60", "--out", tmp_path / "s", "--lang", "en")
    assert code == 2 and "60 is not in the range 1<=x<=5." in err


@pytest.mark.parametrize("command", ["audit", "diff"])
def test_an_output_folder_below_a_file(capsys, cases, tmp_path, command):
    below = cases / "sub"  # a path through a file: ENOTDIR from the OS
    if command == "audit":
        args = ("audit", cases, "--out", below, "--quiet")
    else:
        out = tmp_path / "run"
        assert run(capsys, "audit", cases, "--out", out, "--quiet")[0] == 0
        args = ("diff", out / "findings.json", out / "findings.json", "--out", below)
    code, err = run(capsys, *args)
    assert code == 2
    assert f"{below}: 无法创建输出目录：路径中有一段是文件，不是文件夹" in err
    _no_english(err)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOENT, "所在文件夹不存在"),
        (errno.EACCES, "没有权限"),
        (errno.EISDIR, "这是文件夹，不是文件"),
        (errno.ENOTDIR, "路径中有一段是文件，不是文件夹"),
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EROFS, "只读文件系统，无法写入"),
    ],
)
def test_os_errors_in_chinese_and_english(number, words):
    exc = OSError(number, os.strerror(number))
    assert os_error_text(exc, "zh") == words
    assert os_error_text(exc, "en") == os.strerror(number)


def test_an_unusual_os_error_keeps_the_systems_words_inside_chinese():
    exc = OSError(errno.EMFILE, os.strerror(errno.EMFILE))
    assert os_error_text(exc, "zh") == f"系统错误：{os.strerror(errno.EMFILE)}"
