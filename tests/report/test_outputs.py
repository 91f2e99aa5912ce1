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
