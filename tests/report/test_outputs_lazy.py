"""A writer's module is loaded only when its output is asked for: `--outputs json` (a
pipeline's run) starts without jinja2 or the workbook writer."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("jinja2", "rustpy_xlsxwriter", "auditor.report.html", "auditor.report.xlsx")

SCRIPT = """
import sys
from auditor.cli.main import main
try:
    main(["audit", {cases!r}, "--out", {out!r}, "--outputs", {outputs!r},
          "--quiet", "--fail-on", "never"])
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print(sorted(m for m in {heavy!r} if m in sys.modules))
"""


def _loaded(outputs: str, out: Path) -> list[str]:
    script = SCRIPT.format(
        cases=str(ROOT / "samples" / "cases" / "2026-03.xlsx"),
        out=str(out),
        outputs=outputs,
        heavy=HEAVY,
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


def test_json_only_loads_no_report_or_workbook_writer(tmp_path: Path) -> None:
    assert _loaded("json", tmp_path / "json") == []
    assert (tmp_path / "json" / "findings.json").is_file()


def test_each_chosen_writer_loads_its_own_module(tmp_path: Path) -> None:
    assert _loaded("html", tmp_path / "html") == ["auditor.report.html", "jinja2"]
    assert _loaded("xlsx", tmp_path / "xlsx") == ["auditor.report.xlsx", "rustpy_xlsxwriter"]
