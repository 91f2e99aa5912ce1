"""The zip pre-flight of a workbook, before the Rust reader opens it (auditor.io.preflight)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from auditor.errors import AuditorError
from auditor.io import load
from auditor.io.preflight import Limits, check_workbook
from tests.hostile import corpus

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def refusal(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(AuditorError) as caught:
        check_workbook(str(path), limits)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    return problem.message_en


def test_default_limits_admit_a_million_case_export():
    workbook = SAMPLES / "cases" / "2026-03.xlsx"
    cases = json.loads((SAMPLES / "cases-manifest.json").read_text(encoding="utf-8"))["rows"][
        "cases"
    ]
    with zipfile.ZipFile(workbook) as archive:
        members = archive.infolist()
    per_case = sum(m.file_size for m in members) / cases
    limits = Limits()
    # The real export of 1,000,000 cases, extrapolated from the sample generator's layout.
    assert per_case * 1_000_000 < limits.max_uncompressed_mb * (1 << 20) / 2
    assert max(m.file_size / m.compress_size for m in members if m.compress_size) < (
        limits.max_ratio / 10
    )
    assert limits.max_rows > 1_000_000
    check_workbook(str(workbook))  # and the sample itself passes


def test_too_many_members_is_refused(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(30):
            archive.writestr(f"xl/media/image{i}.png", b"x")
    message = refusal(path, Limits(max_members=20))
    assert (
        message
        == "cannot read: the workbook has 30 parts, more than the limit 20 (a hostile file?)"
    )


def test_a_small_member_may_compress_extremely_well(tmp_path):
    # Blank styled sheets compress hundreds of times: below 1 MB the ratio is not judged.
    path = tmp_path / "blank.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 900_000)
    check_workbook(str(path))


def test_a_highly_compressed_large_member_is_refused(tmp_path):
    message = refusal(corpus.zip_bomb(tmp_path, inflated_mb=8))
    assert message.startswith(
        "cannot read: part xl/worksheets/sheet1.xml has a compression ratio of "
    )
    assert message.endswith(":1, more than the limit 500:1 (a zip bomb?)")
    check_workbook(str(corpus.zip_bomb(tmp_path, "ok.xlsx", 8)), Limits(max_ratio=2000))


def test_the_declared_dimension_is_checked_before_reading(tmp_path):
    path = corpus.write_xlsx(tmp_path / "cases.xlsx", corpus.rows(5))
    message = refusal(path, Limits(max_rows=4))
    assert message == (
        "cannot read: 5 data rows (xl/worksheets/sheet1.xml), more than --max-rows 4"
    )
    check_workbook(str(path), Limits(max_rows=5))


def test_a_dimension_that_lies_is_caught_by_the_reader(tmp_path):
    honest = corpus.write_xlsx(tmp_path / "honest.xlsx", corpus.rows(5))
    with zipfile.ZipFile(honest) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").replace(b'ref="A1:P6"', b'ref="A1:P2"')
    lying = corpus.rebuild_xlsx(honest, tmp_path / "lying.xlsx", corpus._deflated(xml))
    check_workbook(str(lying), Limits(max_rows=4))  # the directory looks fine
    with pytest.raises(AuditorError) as caught:
        load([lying], limits=Limits(max_rows=4))
    (problem,) = caught.value.problems
    assert (problem.file, problem.sheet) == (str(lying), "售后")
    assert problem.message_en == "cannot read: 5 data rows, more than --max-rows 4"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("售后单号,订单编号\n1,2\n".encode("gbk"), "this is a text (CSV) file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not an Excel workbook (not a zip archive"),
        (corpus.OLE_HEADER + bytes(512), "password-protected (encrypted)"),
        (b"PK\x03\x04" + bytes(100), "the workbook is damaged"),
    ],
)
def test_what_the_first_bytes_say(tmp_path, content, expected):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    assert expected in refusal(path)
