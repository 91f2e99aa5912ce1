"""Running the real command line in-process: exit code, stdout and stderr of one run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor.cli.main import main


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """cli(*args) → Run; asserts no Python traceback ever reaches the user."""

    def run(*args: str | Path) -> Run:
        with pytest.raises(SystemExit) as exited:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        assert "内部错误" not in captured.err and "internal error" not in captured.err
        return Run(exited.value.code, captured.out, captured.err)

    return run


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
