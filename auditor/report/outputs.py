"""The outputs of `auditor audit`, written as one set or not at all (SPEC section 7).

Every writer writes into ``OUT/.auditor-tmp/``; only when all of them succeeded are the files
moved into ``OUT``, one ``os.replace`` each, back to back. A writer that fails (or a run that
is interrupted) leaves the previous set in ``OUT`` untouched and no partial file behind.

``WRITERS`` is the registry: file name → writer ``(result, path, lang)``; a new output is one
more entry (or :func:`register_writer`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError, Problem
from auditor.report import html
from auditor.report.findings_json import write_findings_json
from auditor.report.xlsx import write_violations_xlsx

TMP_DIR = ".auditor-tmp"

Writer = Callable[[Any, Path, str], None]

WRITERS: dict[str, Writer] = {
    "violations.xlsx": write_violations_xlsx,
    "report.html": html.write,
    "findings.json": write_findings_json,
}


def register_writer(name: str, writer: Writer) -> None:
    WRITERS[name] = writer


def write_outputs(
    result: Any,
    out_dir: Path,
    lang: str = "zh",
    writers: Mapping[str, Writer] | None = None,
    protected: Iterable[Path] = (),
) -> list[Path]:
    """Write every output atomically into `out_dir`; returns the final paths.

    `protected` are the run's input files: an output that would replace one of them is refused
    before anything is written (the inputs are never modified).
    """
    writers = dict(WRITERS if writers is None else writers)
    out_dir = Path(out_dir)
    targets = [out_dir / name for name in writers]
    _refuse_overwriting_inputs(targets, protected)
    tmp = _fresh_tmp_dir(out_dir)
    try:
        for name, writer in writers.items():
            _run_writer(writer, result, tmp / name, lang)
        for name, target in zip(writers, targets, strict=True):
            os.replace(tmp / name, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return targets


def _run_writer(writer: Writer, result: Any, path: Path, lang: str) -> None:
    try:
        writer(result, path, lang)
    except OSError as exc:  # disk full, permission denied: a located line, not a traceback
        raise AuditorError(
            [
                Problem(
                    f"无法写出 {path.name}：{exc.strerror or exc}",
                    f"cannot write {path.name}: {exc.strerror or exc}",
                    file=str(path.parent.parent / path.name),
                )
            ]
        ) from exc


def _fresh_tmp_dir(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = out_dir / TMP_DIR
        # A leftover from an interrupted run is stale by definition: start clean.
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
    except OSError as exc:
        raise AuditorError(
            [
                Problem(
                    f"无法创建输出目录：{exc.strerror or exc}",
                    f"cannot create the output folder: {exc.strerror or exc}",
                    file=str(out_dir),
                )
            ]
        ) from exc
    return tmp


def _refuse_overwriting_inputs(targets: list[Path], protected: Iterable[Path]) -> None:
    inputs = {_identity(Path(p)) for p in protected}
    for target in targets:
        if target.exists() and _identity(target) in inputs:
            raise AuditorError(
                [
                    Problem(
                        "输出会覆盖输入文件，请换一个 --out 目录",
                        "the output would overwrite an input file; choose another --out folder",
                        file=str(target),
                    )
                ]
            )


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
