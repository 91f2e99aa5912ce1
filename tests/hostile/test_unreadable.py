"""Files that cannot be read at all: exit 2 and one located line in zh and in en, for
`validate` and `audit` alike; the input is never modified and no output is written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile import corpus
from tests.hostile.conftest import digest


def _zero(tmp: Path, name: str) -> Path:
    path = tmp / name
    path.write_bytes(b"")
    return path


def _csv_named_xlsx(tmp: Path) -> Path:
    return corpus.write_csv(tmp / "售后.xlsx", corpus.rows(2))


def _xlsx_named_csv(tmp: Path) -> Path:
    path = corpus.write_xlsx(tmp / "real.xlsx", corpus.rows(2))
    return path.rename(tmp / "售后.csv")


def _encrypted(tmp: Path) -> Path:
    # What Excel writes for a workbook with an open password: an OLE/CFB container.
    path = tmp / "加密.xlsx"
    path.write_bytes(corpus.OLE_HEADER + b"\x00" * 4088)
    return path


def _corrupt_zip(tmp: Path) -> Path:
    whole = corpus.write_xlsx(tmp / "whole.xlsx", corpus.rows(2)).read_bytes()
    path = tmp / "损坏.xlsx"
    path.write_bytes(whole[: len(whole) // 2])  # cut in transfer: no central directory
    return path


def _mixed_encodings(tmp: Path) -> Path:
    utf8 = corpus.csv_bytes(corpus.rows(2))
    gbk_line = corpus.csv_bytes([corpus.row(3, 售后原因="尺码拍错")], "gbk")
    path = tmp / "混合编码.csv"
    path.write_bytes(utf8 + gbk_line)
    return path


# name, builder, (zh part, en part), row named in the location or None
UNREADABLE = [
    (
        "zero-byte csv",
        lambda t: _zero(t, "空.csv"),
        ("文件为空（0 字节）", "the file is empty (0 bytes)"),
        None,
    ),
    ("zero-byte xlsx", lambda t: _zero(t, "空.xlsx"), ("文件为空", "the file is empty"), None),
    ("csv named .xlsx", _csv_named_xlsx, ("请把扩展名改为 .csv", "rename it to .csv"), None),
    ("xlsx named .csv", _xlsx_named_csv, ("请把扩展名改为 .xlsx", "rename it to .xlsx"), None),
    ("password-protected xlsx", _encrypted, ("设置了打开密码", "password-protected"), None),
    ("corrupt zip", _corrupt_zip, ("Excel 工作簿已损坏", "the workbook is damaged"), None),
    ("mixed encodings", _mixed_encodings, ("第 4 行起不是 UTF-8", "line 4 is not UTF-8"), 4),
    ("zip bomb", lambda t: corpus.zip_bomb(t), ("疑似 zip 炸弹", "(a zip bomb?)"), None),
]


@pytest.mark.parametrize(
    ("builder", "expected", "row"),
    [pytest.param(b, e, r, id=name) for name, b, e, r in UNREADABLE],
)
@pytest.mark.parametrize("command", ["validate", "audit"])
def test_an_unreadable_file_is_one_located_line(cli, tmp_path, command, builder, expected, row):
    path = builder(tmp_path)
    before = digest(path)
    out = tmp_path / "out"
    extra = ["--out", out] if command == "audit" else []
    where = f"{path}!{row}" if row else str(path)
    for lang, part in zip(("zh", "en"), expected, strict=True):
        run = cli(command, path, *extra, "--lang", lang)
        assert run.code == 2
        lines = run.err.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"{where}: "), lines[0]
        assert part in lines[0]
        assert ("无法读取" in lines[0]) == (lang == "zh")
    assert digest(path) == before
    assert not out.exists()


def test_the_zip_bomb_is_refused_before_it_is_inflated(cli, tmp_path):
    bomb = corpus.zip_bomb(tmp_path, inflated_mb=2048)
    assert bomb.stat().st_size < 4 << 20  # 2 GB of sheet XML in about 2 MB
    started = time.perf_counter()
    run = cli("validate", bomb, "--lang", "en")
    assert time.perf_counter() - started < 5  # inflating 2 GB would take far longer
    assert run.code == 2
    assert "part xl/worksheets/sheet1.xml has a compression ratio of 1,0" in run.err


def test_a_workbook_over_max_uncompressed_mb_is_refused(cli, tmp_path):
    # A legitimate ratio (random product codes): 1.5 MB of sheet XML, over a 1 MB limit.
    codes = [os.urandom(500).hex() for _ in range(1300)]
    table = corpus.rows(0) + [corpus.row(i, 商品名称=c) for i, c in enumerate(codes, 1)]
    path = corpus.write_xlsx(tmp_path / "大.xlsx", table)
    run = cli("validate", path, "--max-uncompressed-mb", "1", "--lang", "en")
    assert run.code == 2
    assert run.err.startswith(f"{path}: cannot read: the workbook inflates to 2 MB, ")
    assert "more than --max-uncompressed-mb 1 MB" in run.err
    assert cli("validate", path, "--lang", "en").code == 0  # the default limit reads it


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("command", ["validate", "audit"])
def test_more_rows_than_max_rows_is_refused(cli, tmp_path, suffix, command):
    table = corpus.rows(3)
    path = tmp_path / f"cases.{suffix}"
    (corpus.write_csv if suffix == "csv" else corpus.write_xlsx)(path, table)
    extra = ["--out", tmp_path / "out"] if command == "audit" else []
    expected_ok = {"validate": 0, "audit": 1}  # no data issue; W001 errors
    run = cli(command, path, *extra, "--max-rows", "2", "--lang", "en")
    assert run.code == 2
    assert run.err.startswith(f"{path}")
    assert "3 data rows" in run.err and "more than --max-rows 2" in run.err
    assert (
        cli(command, path, *extra, "--max-rows", "3", "--lang", "en").code == expected_ok[command]
    )


@pytest.mark.parametrize("build", [corpus.entity_bomb, corpus.shared_strings_entity_bomb])
def test_entity_expansion_is_not_performed_by_the_reader(cli, tmp_path, build):
    path = build(tmp_path)
    started = time.perf_counter()
    run = cli("validate", path, "--lang", "en")
    assert time.perf_counter() - started < 5
    assert run.code == 2
    line = run.err.strip()
    # Sheet XML fails when its sheet loads; shared strings when the workbook opens.
    assert line.startswith(
        f"{path}!售后: cannot read sheet: the workbook is damaged"
        if build is corpus.entity_bomb
        else f"{path}: cannot read: not a valid workbook ("
    )
    assert "unrecognized entity" in line and "\n" not in line


def test_a_real_process_shows_one_line_per_file_and_no_traceback(tmp_path):
    """The corpus above runs in-process; this one proves the console itself stays clean."""
    empty = _zero(tmp_path, "空.csv")
    bomb = corpus.zip_bomb(tmp_path, inflated_mb=64)
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "validate", empty, bomb, "--lang", "en"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    first, second = done.stderr.splitlines()
    assert first == f"{empty}: cannot read: the file is empty (0 bytes)"
    assert re.fullmatch(
        re.escape(f"{bomb}: cannot read: part xl/worksheets/sheet1.xml has a compression ratio of ")
        + r"[\d,]+:1, more than the limit 500:1 \(a zip bomb\?\)",
        second,
    )
