"""Choosing outputs by format (`--outputs`): select_writers, register_writer and stale removal."""

from __future__ import annotations

import pathlib

import pytest

from auditor.errors import AuditorError
from auditor.report import outputs
from auditor.report.outputs import FORMATS, TMP_DIR, select_writers, write_outputs


def test_formats_name_every_registered_output():
    assert FORMATS == {
        "xlsx": "violations.xlsx",
        "html": "report.html",
        "json": "findings.json",
    }
    assert set(FORMATS.values()) == set(outputs.WRITERS)


def test_select_writers_keeps_registry_order_and_refuses_unknown_formats():
    assert list(select_writers(None)) == list(outputs.WRITERS)
    assert list(select_writers(["json", "xlsx"])) == ["violations.xlsx", "findings.json"]
    with pytest.raises(ValueError, match="csv, pdf"):
        select_writers(["json", "pdf", "csv"])


def test_a_registered_writer_is_chosen_by_its_suffix(monkeypatch, result, tmp_path):
    monkeypatch.setattr(outputs, "WRITERS", dict(outputs.WRITERS))
    monkeypatch.setattr(outputs, "FORMATS", dict(outputs.FORMATS))

    def text_writer(result, path, lang):
        path.write_text(f"{result.findings.height} findings")

    outputs.register_writer("summary.txt", text_writer)
    written = write_outputs(result, tmp_path, formats=["txt"])
    assert [p.name for p in written] == ["summary.txt"]
    assert (tmp_path / "summary.txt").read_text() == "9 findings"


def test_formats_remove_the_unchosen_outputs_only_after_success(result, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_outputs(result, out)

    def broken(result, path, lang):
        raise RuntimeError("disk on fire")

    with monkeypatch.context() as patch:
        patch.setitem(outputs.WRITERS, "findings.json", broken)
        with pytest.raises(RuntimeError):
            write_outputs(result, out, formats=["json"])
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.json",
        "report.html",
        "violations.xlsx",
    ]
    write_outputs(result, out, formats=["json"])
    assert sorted(p.name for p in out.iterdir()) == ["findings.json"]
    assert not (out / TMP_DIR).exists()


def test_explicit_writers_remove_nothing(result, tmp_path):
    out = tmp_path / "out"
    write_outputs(result, out)
    only_json = {"findings.json": outputs.WRITERS["findings.json"]}
    write_outputs(result, out, writers=only_json)
    assert len(list(out.iterdir())) == 3


def test_a_stale_output_that_cannot_be_removed_is_a_located_error(result, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").mkdir()  # a folder where the stale file would be: left alone
    write_outputs(result, out, formats=["json"])
    assert (out / "report.html").is_dir()
    (out / "violations.xlsx").write_text("stale")

    def refuse(path, missing_ok=False):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pathlib.Path, "unlink", refuse)
    with pytest.raises(AuditorError) as caught:
        write_outputs(result, out, formats=["json"])
    line = caught.value.problems[0].render("en")
    assert "violations.xlsx" in line and "Permission denied" in line
