"""Commands other than audit: inputs never overwritten, foreign JSON refused, closed pipes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.hostile.conftest import digest

CASES = (
    "case_id,order_id,case_type,reason,refund_amount,applied_at,decided_at,decision,"
    "refunded_at,status\n"
    "C1,O1,仅退款,质量问题,100,2026-03-03,2026-03-03 01:00,同意,2026-03-03 02:00,已完结\n"
)
ORDERS = "order_id,paid_at,paid_amount\nO1,2026-02-27 10:00,100\n"


@pytest.fixture
def exports(tmp_path):
    cases, orders = tmp_path / "c.csv", tmp_path / "o.csv"
    cases.write_text(CASES, encoding="utf-8")
    orders.write_text(ORDERS, encoding="utf-8")
    return cases, orders


@pytest.mark.parametrize("target", ["cases", "orders"])
def test_validate_json_naming_an_input_is_refused_and_the_input_kept(cli, exports, target):
    cases, orders = exports
    victim = cases if target == "cases" else orders
    before = digest(victim)
    run = cli("validate", cases, "--orders", orders, "--json", victim, "--lang", "en")
    assert run.code == 2
    assert f"{victim}: --json would overwrite an input file" in run.err
    assert digest(victim) == before


def test_validate_json_naming_an_input_by_another_spelling_is_refused(cli, exports, monkeypatch):
    cases, _ = exports
    monkeypatch.chdir(cases.parent)
    before = digest(cases)
    run = cli("validate", cases, "--json", f"./{cases.name}")
    assert run.code == 2 and "--json 会覆盖输入文件" in run.err
    assert digest(cases) == before


def _run(tmp_path, cli, exports, name: str):
    cases, orders = exports
    out = tmp_path / name
    assert cli("audit", cases, "--orders", orders, "--out", out, "-q").code == 0
    return out / "findings.json"


def test_diff_out_that_would_replace_a_compared_run_is_refused(cli, tmp_path, exports):
    earlier, later = _run(tmp_path, cli, exports, "m03"), _run(tmp_path, cli, exports, "m04")
    folder = tmp_path / "ow"
    folder.mkdir()
    renamed = folder / "run-diff.json"
    renamed.write_bytes(earlier.read_bytes())
    before = digest(renamed)
    run = cli("diff", renamed, later, "--out", folder, "--lang", "en")
    assert run.code == 2
    assert f"{renamed}: the output would overwrite an input file" in run.err
    assert digest(renamed) == before
    assert sorted(p.name for p in folder.iterdir()) == ["run-diff.json"]


def test_a_run_diff_json_is_not_taken_as_a_baseline_or_a_run(cli, tmp_path, exports):
    cases, orders = exports
    earlier, later = _run(tmp_path, cli, exports, "m03"), _run(tmp_path, cli, exports, "m04")
    assert cli("diff", earlier, later, "--out", tmp_path / "d", "-q").code == 0
    run_diff = tmp_path / "d" / "run-diff.json"
    audit = cli(
        "audit", cases, "--orders", orders, "--out", tmp_path / "x",
        "--baseline", run_diff, "--new-only", "--lang", "en",
    )  # fmt: skip
    assert audit.code == 2
    assert f"{run_diff}: baseline file is not a findings.json written by auditor" in audit.err
    assert not (tmp_path / "x").exists()
    again = cli("diff", run_diff, later)
    assert again.code == 2 and "不是 auditor audit 写出的 findings.json" in again.err


def test_a_validate_json_is_not_taken_as_a_run(cli, tmp_path, exports):
    cases, _ = exports
    checks = tmp_path / "checks.json"
    assert cli("validate", cases, "--json", checks).code == 0
    run = cli("diff", checks, _run(tmp_path, cli, exports, "m04"), "--lang", "en")
    assert run.code == 2 and "missing tool, as_of, summary, findings" in run.err


@pytest.mark.parametrize(
    "args",
    [
        ["rules"],
        ["policy", "list"],
        ["profiles"],
        ["--help"],
        ["validate", "--help"],
        ["--version"],
    ],
)
def test_output_closed_by_its_reader_is_a_quiet_exit_2_for_every_command(args):
    # A real process and pipe: the reader is gone before the command writes its first line.
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()
    err = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    assert (process.wait(timeout=60), err) == (2, "")


def test_a_hand_edited_baseline_with_a_repeated_fingerprint_is_exit_2(cli, tmp_path, exports):
    cases, orders = exports
    baseline = _run(tmp_path, cli, exports, "m03")
    document = json.loads(baseline.read_text(encoding="utf-8"))
    first = {"rule": "D001", "severity": "warning", "fingerprint": "D001|case:C1|platform-standard"}
    document["findings"] = [first, {**first, "severity": "error"}]
    baseline.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    run = cli("audit", cases, "--orders", orders, "--out", tmp_path / "x", "--baseline", baseline)
    assert run.code == 2
    assert "基线文件中同一指纹出现多次：D001|case:C1|platform-standard" in run.err
