"""The outputs of `auditor audit`, written as one set or not at all (SPEC section 7).

Every writer writes into ``OUT/.auditor-tmp/``; only when all of them succeeded are the files
moved into ``OUT``, one ``os.replace`` each, back to back. A writer that fails (or a run that
is interrupted) leaves the previous set in ``OUT`` untouched and no partial file behind.

``WRITERS`` is the registry: file name → writer ``(result, path, lang)``; a new output is one
more entry (or :func:`register_writer`). ``FORMATS`` names each output for `--outputs`
(``xlsx``, ``html``, ``json``). When only some are asked for, the others of the registry still
lying in ``OUT`` from an earlier run are removed once the new ones are in place, so the folder
never holds a set mixed from two runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError, Problem
from auditor.report.labels import os_error_text

TMP_DIR = ".auditor-tmp"

Writer = Callable[[Any, Path, str], None]


# Each writer's module is imported when it writes: a `--outputs json` run for a pipeline
# never loads jinja2 or the workbook writer (a quarter of a second at start-up).
def write_violations_xlsx(result: Any, path: Path, lang: str) -> None:
    from auditor.report.xlsx import write_violations_xlsx as write

    write(result, path, lang)


def write_report_html(result: Any, path: Path, lang: str) -> None:
    from auditor.report.html import write

    write(result, path, lang)


def write_findings_json(result: Any, path: Path, lang: str) -> None:
    from auditor.report.findings_json import write_findings_json as write

    write(result, path, lang)


WRITERS: dict[str, Writer] = {
    "violations.xlsx": write_violations_xlsx,
    "report.html": write_report_html,
    "findings.json": write_findings_json,
}


# `--outputs` value → file name. Several names may share a value; every writer has one.
FORMATS: dict[str, str] = {
    "xlsx": "violations.xlsx",
    "html": "report.html",
    "json": "findings.json",
}


def register_writer(name: str, writer: Writer, output_format: str | None = None) -> None:
    """Add an output; ``output_format`` (default: the file's suffix) selects it in --outputs."""
    WRITERS[name] = writer
    FORMATS.setdefault(output_format or Path(name).suffix.lstrip("."), name)


def output_formats() -> list[str]:
    """The values `--outputs` accepts, in registry order."""
    return list(FORMATS)


def select_writers(formats: Iterable[str] | None) -> dict[str, Writer]:
    """The registered writers for the chosen formats (all of them for ``None``), registry order.

    An unknown format is a ``ValueError`` naming it; the CLI turns that into a usage error.
    """
    if formats is None:
        return dict(WRITERS)
    chosen = set(formats)
    unknown = sorted(chosen - set(FORMATS))
    if unknown:
        raise ValueError(", ".join(unknown))
    names = {FORMATS[f] for f in chosen}
    return {name: writer for name, writer in WRITERS.items() if name in names}


def write_outputs(
    result: Any,
    out_dir: Path,
    lang: str = "zh",
    writers: Mapping[str, Writer] | None = None,
    protected: Iterable[Path] = (),
    formats: Iterable[str] | None = None,
) -> list[Path]:
    """Write the outputs atomically into `out_dir`; returns the final paths.

    `formats` picks outputs by their `--outputs` value (default: every registered one); the
    registered outputs not picked are removed from `out_dir` after the new ones are in place
    (stale files of an earlier run must not pass for this run's). `writers` replaces the
    registry altogether (then nothing is removed). `protected` are the run's input files: an
    output that would replace one of them is refused before anything is written, and one is
    never removed as stale (the inputs are never modified).
    """
    protected = list(protected)
    picking = writers is None and formats is not None
    writers = select_writers(formats) if writers is None else dict(writers)
    stale = [name for name in WRITERS if name not in writers] if picking else []
    out_dir = Path(out_dir)
    targets = [out_dir / name for name in writers]
    refuse_overwriting_inputs(targets, protected)
    _refuse_replacing_folders(targets)
    tmp = _fresh_tmp_dir(out_dir)
    try:
        for name, writer in writers.items():
            _run_writer(writer, result, tmp / name, lang)
        _move_into_place(tmp, list(writers), targets)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _remove_stale(out_dir, stale, protected)
    return targets


def _move_into_place(tmp: Path, names: list[str], targets: list[Path]) -> None:
    """Every new output in place, or (when one cannot be: a file open in Excel on Windows,
    a folder made meanwhile) every earlier output back as it was: never a mixed set."""
    previous = tmp / "previous"
    previous.mkdir()
    set_aside: list[tuple[Path, Path]] = []  # (target, where its earlier file waits)
    placed: list[Path] = []
    target = targets[0] if targets else tmp
    try:
        for name, target in zip(names, targets, strict=True):
            if os.path.lexists(target):
                os.replace(target, previous / name)
                set_aside.append((target, previous / name))
        for name, target in zip(names, targets, strict=True):
            os.replace(tmp / name, target)
            placed.append(target)
    except OSError as exc:
        _restore(placed, set_aside)
        raise AuditorError(
            [
                Problem(
                    f"无法替换 {target.name}（文件可能正在被其他程序使用，例如在 Excel 中打开）："
                    f"{os_error_text(exc, 'zh')}；上次的输出保持不变",
                    f"cannot replace {target.name} (is it open in another program, such as "
                    f"Excel?): {os_error_text(exc, 'en')}; the earlier outputs are kept",
                    file=str(target),
                )
            ]
        ) from exc


def _restore(placed: list[Path], set_aside: list[tuple[Path, Path]]) -> None:
    """Undo a half-done move: the new files out, the earlier ones back (each name was just
    vacated by this run, so putting it back does not fail short of the disk going away)."""
    for target in placed:
        with contextlib.suppress(OSError):
            target.unlink()
    for target, earlier in set_aside:
        with contextlib.suppress(OSError):
            os.replace(earlier, target)


def _refuse_replacing_folders(targets: list[Path]) -> None:
    """An output name taken by a folder (or anything but a file) is refused before any
    output is written: os.replace would fail on it half-way through the set."""
    problems = [
        Problem(
            f"无法写出 {target.name}：输出目录里有同名的文件夹，请删除或改名",
            f"cannot write {target.name}: a folder of that name is in the output folder; "
            "remove or rename it",
            file=str(target),
        )
        for target in targets
        if os.path.lexists(target) and not target.is_file()
    ]
    if problems:
        raise AuditorError(problems)


def _remove_stale(out_dir: Path, names: list[str], protected: list[Path]) -> None:
    """Remove earlier runs' outputs this run did not write (never an input file)."""
    inputs = {same_file_identity(Path(p)) for p in protected}
    for name in names:
        path = out_dir / name
        if path.is_file() and same_file_identity(path) not in inputs:
            try:
                path.unlink()
            except OSError as exc:
                raise AuditorError(
                    [
                        Problem(
                            f"无法删除上次运行留下的 {name}：{os_error_text(exc, 'zh')}",
                            f"cannot remove {name} left by an earlier run: {os_error_text(exc, 'en')}",
                            file=str(path),
                        )
                    ]
                ) from exc


def _run_writer(writer: Writer, result: Any, path: Path, lang: str) -> None:
    try:
        writer(result, path, lang)
    except OSError as exc:  # disk full, permission denied: a located line, not a traceback
        raise AuditorError(
            [
                Problem(
                    f"无法写出 {path.name}：{os_error_text(exc, 'zh')}",
                    f"cannot write {path.name}: {os_error_text(exc, 'en')}",
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
                    f"无法创建输出目录：{os_error_text(exc, 'zh')}",
                    f"cannot create the output folder: {os_error_text(exc, 'en')}",
                    file=str(out_dir),
                )
            ]
        ) from exc
    return tmp


def refuse_overwriting_inputs(targets: list[Path], protected: Iterable[Path]) -> None:
    inputs = {same_file_identity(Path(p)) for p in protected}
    for target in targets:
        if target.exists() and same_file_identity(target) in inputs:
            raise AuditorError(
                [
                    Problem(
                        "输出会覆盖输入文件，请换一个 --out 目录",
                        "the output would overwrite an input file; choose another --out folder",
                        file=str(target),
                    )
                ]
            )


def same_file_identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()
