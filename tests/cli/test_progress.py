"""The stage progress bar: drawn on a terminal, never when piped or --quiet."""

from __future__ import annotations

import io

from click.testing import CliRunner

from auditor.cli.main import cli
from auditor.cli.progress import StageProgress

SAMPLE = ["samples/cases/2026-03.xlsx", "--orders", "samples/orders/orders.xlsx"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run_stages(stream, **kwargs) -> str:
    with StageProgress("en", stream=stream, **kwargs) as progress:
        progress.stage("read")
        progress.stage("check")
        progress.stage("write")
    return stream.getvalue()


def test_a_terminal_sees_every_stage_and_the_end():
    shown = _run_stages(Terminal(), quiet=False)
    assert "writing" in shown
    assert "done" in shown and "3/3" in shown
    assert shown.isascii()  # a GBK console draws it as well as a UTF-8 one


def test_chinese_labels():
    with StageProgress("zh", stream=(stream := Terminal()), quiet=False) as progress:
        progress.stage("check")
    assert "检查" in stream.getvalue()


def test_piped_or_quiet_prints_nothing():
    assert _run_stages(io.StringIO(), quiet=False) == ""
    assert _run_stages(Terminal(), quiet=True) == ""


def test_a_failed_stage_does_not_claim_completion():
    stream = Terminal()
    try:
        with StageProgress("en", stream=stream, quiet=False) as progress:
            progress.stage("check")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert "3/3" not in stream.getvalue()


def test_audit_output_piped_has_no_progress_bar(tmp_path):
    result = CliRunner().invoke(
        cli, ["audit", *SAMPLE, "--out", str(tmp_path / "out"), "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    assert "reading" not in result.output and "#" not in result.output
