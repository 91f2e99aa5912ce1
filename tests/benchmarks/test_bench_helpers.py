"""The benchmark's helpers (benchmarks/*.py) on tiny inputs: the frictionless schema, the
results merge and rendering, the skip without frictionless, and the writers' comparison."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from click.testing import CliRunner

from auditor.cli.main import cli
from auditor.engine.findings import FINDING_SCHEMA

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = load("run")
writers = load("writers")
schema = load("frictionless_schema")


def measured(cases: int, fmt: str, audit_s: float, date: str = "2026-12-01") -> dict:
    return {
        "cases": cases,
        "format": fmt,
        "machine": "2 cores (test)",
        "date": date,
        "read_s": 1.0,
        "read_mb": 100,
        "audit_s": audit_s,
        "audit_mb": 150,
        "json_s": None if fmt == "xlsx" else 2.0,
        "json_mb": None if fmt == "xlsx" else 120,
        "findings": cases // 10,
        "audit_ratio": audit_s,
        "json_ratio": None if fmt == "xlsx" else 2.0,
        "memory_ratio": 1.5,
    }


def test_the_committed_frictionless_schema_is_current():
    assert schema.SCHEMA_PATH.read_text("utf-8") == schema.render_schema()


def test_the_schema_names_the_generic_sample_headers_in_order(tmp_path):
    out = tmp_path / "sample"
    args = ["sample", "--cases", "30", "--format", "csv", "--encoding", "gb18030"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    header = (out / "cases.csv").read_bytes().decode("gb18030").splitlines()[0].split(",")
    document = schema.build_schema()
    assert [f["name"] for f in document["fields"]] == header
    by_name = {f["name"]: f for f in document["fields"]}
    assert by_name["申请时间"]["constraints"] == {"required": True}
    assert by_name["申请时间"]["format"] == "%Y-%m-%d %H:%M:%S"
    assert "已完结" in by_name["售后状态"]["constraints"]["enum"]
    assert by_name["实付金额"]["type"] == "number" and by_name["满意度"]["type"] == "integer"
    assert document["primaryKey"] == ["售后单号"]


def test_frictionless_validates_every_row_with_the_schema():
    command = bench.frictionless_command(Path("cases.csv"))
    assert command[1:3] == ["validate", "cases.csv"]
    assert command[command.index("--schema") + 1] == str(bench.SCHEMA)
    assert command[command.index("--encoding") + 1] == "gb18030"
    assert int(command[command.index("--limit-errors") + 1]) >= 10**9


def test_merge_replaces_only_the_rows_of_the_same_key():
    old = [measured(100_000, "csv", 7.0), measured(1_000_000, "xlsx", 90.0)]
    merged = bench.merge(old, [measured(100_000, "csv", 3.0)], ("cases", "format"))
    assert {(r["cases"], r["format"], r["audit_s"]) for r in merged} == {
        (100_000, "csv", 3.0),
        (1_000_000, "xlsx", 90.0),
    }


def test_a_run_of_one_size_keeps_the_other_rows_in_results_and_latest(tmp_path, capsys):
    results = tmp_path / "results"
    carried = {**measured(1_000_000, "xlsx", 91.6), "note": "carried over"}
    bench.save_results(
        {"rows": [carried], "frictionless": [], "writers": [], "split": None},
        results / "results.json",
    )
    bench.main(["--sizes", "", "--frictionless", "0", "--writers", "0", "--results", str(results)])
    data = json.loads((results / "results.json").read_text("utf-8"))
    assert [r["cases"] for r in data["rows"]] == [1_000_000]
    latest = (results / "latest.md").read_text("utf-8")
    assert "| 1,000,000 | xlsx | 1 | 1.0 | 91.6 | 91.60 | — | — |" in latest
    assert "M1: 2 cores (test)" in latest and "2026-12-01* |" in latest
    assert "\\* carried over" in latest
    assert "1,000,000 | xlsx" in capsys.readouterr().out


def test_render_shows_the_json_ratio_and_frictionless_comparison():
    data = {
        "rows": [measured(100_000, "parquet", 5.0), measured(100_000, "xlsx", 11.0)],
        "frictionless": [
            {
                "cases": 100_000,
                "machine": "2 cores (test)",
                "date": "2026-12-01",
                "frictionless_s": 60.0,
                "frictionless_mb": 50,
                "audit_s": 5.0,
                "validate_s": 2.5,
                "floor_s": 3.0,
                "errors": 530,
                "encoding": "gb18030",
            }
        ],
        "writers": [],
        "split": None,
    }
    text = bench.render(data)
    lines = text.splitlines()
    xlsx = next(i for i, line in enumerate(lines) if "| xlsx |" in line)
    parquet = next(i for i, line in enumerate(lines) if "| parquet |" in line)
    assert xlsx < parquet  # xlsx, csv, parquet within a size
    assert "| 2.0 | 2.00 |" in lines[parquet] and "| — | — |" in lines[xlsx]
    assert "| 100,000 | 1 | 60.0 | 50 | 530 | 2.5 | 24.0 | 5.0 | 12.0 | 3.0 | 20.0 |" in text


def test_a_comparison_measured_before_the_floor_shows_it_as_not_measured():
    row = {"cases": 100_000, "machine": "m", "date": "2026-11-01", "frictionless_s": 20.0}
    row |= {"frictionless_mb": 50, "audit_s": 4.0, "validate_s": 2.0, "errors": 1}
    text = bench.render({"rows": [], "frictionless": [row], "writers": [], "split": None})
    assert "| 4.0 | 5.0 | — | — | M1, 2026-11-01 |" in text


def test_the_audit_floor_imports_the_engine_then_reads_every_file(tmp_path):
    paths = [tmp_path / "cases.csv", tmp_path / "orders.csv"]
    for path in paths:
        path.write_text("a,b\n1,2\n", encoding="gb18030")
    run = bench.audit_floor(paths, "csv")
    assert run.returncode == 0
    code = bench.AUDIT_IMPORTS + bench.bare_read_code(paths, "csv")
    assert code.startswith("import auditor.cli.audit, auditor.engine.run")
    assert str(paths[1]) in code and "gb18030" in code


def test_a_repeated_command_keeps_its_fastest_run(monkeypatch):
    timings = iter([3.0, 2.0, 2.5])
    calls = []

    def once(command, stdout_path):
        calls.append(command)
        seconds = next(timings)
        return bench.Measure(seconds, 100 + seconds, 0)

    monkeypatch.setattr(bench, "_measure_once", once)
    fastest = bench.measure(["auditor", "validate", "x.csv"], repeat=3)
    assert len(calls) == 3 and fastest.seconds == 2.0 and fastest.peak_rss_mb == 102.0


def test_only_short_runs_are_repeated():
    assert bench.repeats_for(100_000, 3) == 3
    assert bench.repeats_for(1_000_000, 3) == 1
    assert bench.repeats_for(100_000, 1) == 1


def test_a_measured_child_reports_its_own_time_and_memory(tmp_path):
    out = tmp_path / "stdout.txt"
    code = "import time; b = bytearray(64 * 2**20); time.sleep(0.2); print('done')"
    run = bench.measure([sys.executable, "-c", code], repeat=2, stdout_path=out)
    assert run.seconds >= 0.2 and run.peak_rss_mb >= 64 and run.returncode == 0
    assert out.read_text() == "done\n"


def test_without_frictionless_the_comparison_is_skipped_with_a_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "frictionless_installed", lambda: False)

    def no_sample(*args):
        raise AssertionError("nothing is sampled when the comparison is skipped")

    monkeypatch.setattr(bench, "make_sample", no_sample)
    results = tmp_path / "results"
    bench.main(["--sizes", "", "--writers", "0", "--results", str(results)])
    assert "frictionless not installed: comparison skipped" in capsys.readouterr().out
    assert json.loads((results / "results.json").read_text("utf-8"))["frictionless"] == []


def test_synthetic_findings_have_the_engine_schema():
    frame = writers.synthetic_findings(1_000)
    assert frame.height == 1_000 and frame.schema == pl.Schema(FINDING_SCHEMA)
    assert frame.get_column("case_id").n_unique() == 1_000
    assert frame.get_column("actual").null_count() == 200


@pytest.mark.parametrize("name", ["auditor", "xlsxwriter", "openpyxl"])
def test_each_writer_writes_every_finding(tmp_path, name):
    findings = writers.synthetic_findings(300)
    row = writers.time_writer(name, findings, tmp_path)
    assert row["findings"] == 300 and row["per_second"] > 0
    reader = fastexcel.read_excel(str(tmp_path / f"{name}.xlsx"))
    sheet = reader.load_sheet("违规明细", dtypes="string")
    assert sheet.height == 300
    case_ids = sheet.to_polars().to_series(3)  # rule, severity, layer, case_id, ...
    assert case_ids.to_list() == findings.get_column("case_id").to_list()


def test_findings_past_the_sheet_limit_continue_on_numbered_sheets(tmp_path):
    split = writers.split_check(tmp_path, findings=250, max_rows=101)
    assert split["ok"]
    assert split["sheets"] == ["违规明细", "违规明细2", "违规明细3"]
    assert split["rows"] == [100, 100, 50]
    assert split["sheets_for_1.5M"] == 2


def test_measured_children_keep_pythons_bytecode_cache(tmp_path, monkeypatch):
    # A sandbox's PYTHONDONTWRITEBYTECODE would make every measured run compile the tool.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    out = tmp_path / "flag.txt"
    code = "import sys; print(sys.flags.dont_write_bytecode)"
    bench.measure([sys.executable, "-c", code], stdout_path=out)
    assert out.read_text().strip() == "0"
