"""An interrupted or failed run leaves the previous outputs intact and no partial file; Python
itself never parses XML with a parser open to entity tricks."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl.xml

import auditor
from auditor.report import outputs
from auditor.report.outputs import TMP_DIR
from tests.hostile import corpus
from tests.hostile.conftest import digest


def _snapshot(out: Path) -> dict[str, str]:
    return {p.name: digest(p) for p in out.iterdir()}


def test_ctrl_c_while_writing_leaves_the_previous_outputs(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = corpus.write_csv(tmp_path / "3月.csv", corpus.rows(2))
    assert cli("audit", first, "--out", out, "--as-of", "2026-03-31").code == 1
    before = _snapshot(out)
    assert sorted(before) == ["findings.json", "report.html", "violations.xlsx"]

    def interrupted(result, path, lang):
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise KeyboardInterrupt  # the user presses Ctrl-C halfway through the workbook

    monkeypatch.setitem(outputs.WRITERS, "violations.xlsx", interrupted)
    second = corpus.write_csv(tmp_path / "4月.csv", corpus.rows(5))
    run = cli("audit", second, "--out", out, "--as-of", "2026-03-31", "--lang", "en")
    assert run.code == 2
    assert "Aborted" in run.err
    assert _snapshot(out) == before  # nothing moved, nothing half-written
    assert not (out / TMP_DIR).exists()


def test_a_run_that_cannot_be_done_leaves_the_previous_outputs(cli, tmp_path):
    out = tmp_path / "out"
    good = corpus.write_csv(tmp_path / "3月.csv", corpus.rows(2))
    assert cli("audit", good, "--out", out, "--as-of", "2026-03-31").code == 1
    before = _snapshot(out)
    bomb = corpus.zip_bomb(tmp_path, inflated_mb=64)
    assert cli("audit", bomb, "--out", out).code == 2
    assert _snapshot(out) == before


UNSAFE_XML = re.compile(r"^\s*(from|import)\s+(xml\.(etree|dom|sax)|lxml)\b", re.MULTILINE)


def test_no_module_parses_xml_with_an_unsafe_parser():
    package = Path(auditor.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if UNSAFE_XML.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_openpyxl_parses_with_defusedxml():
    # openpyxl switches to defusedxml when it is installed (a dependency of auditor).
    assert openpyxl.xml.DEFUSEDXML is True
