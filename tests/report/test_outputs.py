"""Outputs are written as one set or not at all; inputs are never touched."""

from __future__ import annotations

import hashlib

import pytest

from auditor.errors import AuditorError
from auditor.report import outputs
from auditor.report.outputs import TMP_DIR, write_outputs


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_every_registered_output_and_removes_the_temp_folder(result, tmp_path):
    written = write_outputs(result, tmp_path / "out")
    assert sorted(p.name for p in written) == ["findings.json", "report.html", "violations.xlsx"]
    assert all(p.stat().st_size > 0 for p in written)
    assert not (tmp_path / "out" / TMP_DIR).exists()


def test_a_failing_writer_leaves_the_previous_set_intact(result, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_outputs(result, out)
    before = {p.name: digest(p) for p in out.iterdir()}

    def broken(result, path, lang):
        path.write_text("half a workbook")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(outputs.WRITERS, "violations.xlsx", broken)
    changed = result.findings.head(2)
    with pytest.raises(RuntimeError):
        write_outputs(type(result)(**{**result.__dict__, "findings": changed}), out)
    after = {p.name: digest(p) for p in out.iterdir()}
    assert after == before  # findings.json was written in the temp folder, never moved
    assert not (out / TMP_DIR).exists()


def test_a_writer_failing_after_another_succeeded_moves_nothing(result, tmp_path, monkeypatch):
    out = tmp_path / "fresh"

    def broken(result, path, lang):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(outputs.WRITERS, "findings.json", broken)
    with pytest.raises(AuditorError) as caught:
        write_outputs(result, out)
    assert "findings.json" in caught.value.problems[0].render("en")
    assert list(out.iterdir()) == []


def test_a_stale_temp_folder_from_an_interrupted_run_is_discarded(result, tmp_path):
    out = tmp_path / "out"
    (out / TMP_DIR).mkdir(parents=True)
    (out / TMP_DIR / "violations.xlsx").write_text("stale")
    write_outputs(result, out)
    assert not (out / TMP_DIR).exists()
    assert (out / "violations.xlsx").read_bytes()[:2] == b"PK"


def test_an_output_that_would_replace_an_input_is_refused(result, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = out / "findings.json"
    victim.write_text('{"input": true}')
    with pytest.raises(AuditorError):
        write_outputs(result, out, protected=[victim])
    assert victim.read_text() == '{"input": true}'


def test_an_output_name_taken_by_a_folder_is_refused_before_anything_moves(result, tmp_path):
    out = tmp_path / "out"
    write_outputs(result, out)
    (out / "report.html").unlink()
    (out / "report.html").mkdir()
    (out / "report.html" / "x").write_text("kept")
    before = {name: digest(out / name) for name in ("violations.xlsx", "findings.json")}
    with pytest.raises(AuditorError) as caught:
        write_outputs(result.__class__(**{**result.__dict__, "findings": result.findings[:1]}), out)
    [problem] = caught.value.problems
    assert problem.file == str(out / "report.html")
    assert "folder" in problem.message_en and "文件夹" in problem.message_zh
    assert {name: digest(out / name) for name in before} == before
    assert (out / "report.html" / "x").read_text() == "kept"
    assert not (out / TMP_DIR).exists()


def test_an_output_that_cannot_be_replaced_puts_every_earlier_one_back(
    result, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    write_outputs(result, out)
    before = {p.name: digest(p) for p in out.iterdir()}
    real_replace = outputs.os.replace

    def locked(source, target):
        # findings.json is held open by another program (Windows refuses the rename).
        if str(source) == str(out / "findings.json"):
            raise PermissionError(13, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", locked)
    with pytest.raises(AuditorError) as caught:
        write_outputs(result.__class__(**{**result.__dict__, "findings": result.findings[:1]}), out)
    monkeypatch.undo()
    [problem] = caught.value.problems
    assert problem.file == str(out / "findings.json")
    assert "Excel" in problem.message_en and "earlier outputs are kept" in problem.message_en
    assert {p.name: digest(p) for p in out.iterdir()} == before


def test_a_new_output_failing_to_move_in_takes_the_others_back_out(result, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_outputs(result, out)
    before = {p.name: digest(p) for p in out.iterdir()}
    real_replace = outputs.os.replace

    def failing(source, target):
        if str(source) == str(out / TMP_DIR / "findings.json"):
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", failing)
    with pytest.raises(AuditorError):
        write_outputs(result.__class__(**{**result.__dict__, "findings": result.findings[:1]}), out)
    monkeypatch.undo()
    assert {p.name: digest(p) for p in out.iterdir()} == before
