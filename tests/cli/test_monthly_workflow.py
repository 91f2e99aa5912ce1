"""The monthly workflow end to end (issue 8), through the real CLI.

Month 1 is a synthetic March from :mod:`auditor.sample`. Month 2 is the same export a month on,
rows reshuffled: three late-response cases were fixed (answered in time after all), one late
refund was corrected to an even later time, and April's cases were added, two of them with an
error-level breach. Beside month 2's export lies a waivers.yaml with the two new breaches
waived, one expired entry and one entry that matches nothing.

Both runs use the same --as-of, so every fact of an untouched case is identical and the
expected states follow from the edits alone.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import jsonschema
import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

from auditor.cli.main import cli, main
from auditor.resources import package_data
from auditor.sample import SampleRequest, synthesize, write_frames

AS_OF = "2026-05-15"
FIXED = 3  # late-response cases answered in time in month 2's export
ONE_RULE_ERRORS = ("rejected_no_reason", "buyer_freight", "rejected_fault_evidence")


def audit(*args: str):
    return CliRunner().invoke(cli, ["audit", *args], catch_exceptions=False)


def fails(args: list[str], capsys) -> str:
    """Run the console entry point, expect exit 2, return what it printed on stderr."""
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def findings_of(out: Path) -> dict[str, dict]:
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return {f["fingerprint"]: f for f in document["findings"]}


def _violating(cases: pl.DataFrame, kind: str, n: int = 1) -> list[str]:
    ids = cases.filter(pl.col("_violation") == kind).get_column("case_id").head(n).to_list()
    assert len(ids) == n, f"the sample planted fewer than {n} {kind}"
    return ids


@pytest.fixture(scope="module")
def months(tmp_path_factory):
    root = tmp_path_factory.mktemp("monthly")
    march, _, _ = synthesize(
        SampleRequest(cases=300, out=root, violation_rate=0.4, seed=11, month="2026-03")
    )
    april, _, _ = synthesize(
        SampleRequest(cases=120, out=root, violation_rate=0.5, seed=12, month="2026-04")
    )
    month1 = march.cases
    fixed = _violating(month1, "late_response", FIXED)
    corrected = _violating(month1, "late_refund_only")[0]
    added_kinds = [k for k in ONE_RULE_ERRORS if k in april.cases.get_column("_violation")][:2]
    assert len(added_kinds) == 2
    waived_cases = [_violating(april.cases, kind)[0] for kind in added_kinds]

    month2_march = month1.with_columns(
        pl.when(pl.col("case_id").is_in(fixed))
        .then(pl.col("applied_at") + timedelta(minutes=30))
        .otherwise(pl.col("first_response_at"))
        .alias("first_response_at"),
        pl.when(pl.col("case_id") == corrected)
        .then(pl.col("refunded_at") + timedelta(hours=5))
        .otherwise(pl.col("refunded_at"))
        .alias("refunded_at"),
    )
    added = april.cases.filter(
        pl.col("_violation").is_null() | pl.col("case_id").is_in(waived_cases)
    )
    month2 = pl.concat([added, month2_march]).sample(fraction=1.0, shuffle=True, seed=3)

    (root / "m1").mkdir()
    (root / "m2").mkdir()
    write_frames(month1, root / "m1" / "cases.xlsx")
    write_frames(month2, root / "m2" / "cases.xlsx")
    out1 = root / "out1"
    first = audit(str(root / "m1" / "cases.xlsx"), "--as-of", AS_OF, "--out", str(out1))
    assert first.exit_code == 1, first.output  # March has error-level findings
    return {
        "root": root,
        "month1": month1,
        "out1": out1,
        "fixed": fixed,
        "corrected": corrected,
        "waived_cases": waived_cases,
        "cases2": root / "m2" / "cases.xlsx",
    }


@pytest.fixture(scope="module")
def expired_target(months):
    """An error-level March finding left untouched: the expired entry names it."""
    before = findings_of(months["out1"])
    untouched = [
        f
        for f in before.values()
        if f["severity"] == "error" and f["case_id"] not in (*months["fixed"], months["corrected"])
    ]
    return untouched[0]


@pytest.fixture(scope="module")
def waivers_file(months, expired_target):
    first, second = months["waived_cases"]
    month2 = findings_of_cases(months, [first, second])
    entries = [
        (month2[first], "2026-12-31", "新品试销期，已与平台报备"),
        (month2[second], "2026-12-31", "仓库系统迁移，已补偿买家"),
        ((expired_target["rule"], expired_target["case_id"]), "2026-04-30", "三月大促积压"),
        (("D001", "226049999999999999"), "2026-12-31", "单号写错的条目"),
    ]
    text = "waivers:\n" + "".join(
        f"  - rule: {rule}\n    case_id: '{case_id}'\n    reason: {reason}\n"
        f"    approved_by: 合规部张三\n    expires: {expires}\n"
        for (rule, case_id), expires, reason in entries
    )
    path = months["cases2"].parent / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def findings_of_cases(months, case_ids: list[str]) -> dict[str, tuple[str, str]]:
    """(rule, case_id) of the one finding each added case has, from a run without waivers."""
    out = months["root"] / "probe"
    result = audit(
        str(months["cases2"]), "--as-of", AS_OF, "--out", str(out), "--fail-on", "never", "-q"
    )
    assert result.exit_code == 0, result.output
    by_case: dict[str, list[str]] = {}
    for f in findings_of(out).values():
        if f["case_id"] in case_ids:
            by_case.setdefault(f["case_id"], []).append(f["rule"])
    assert sorted(by_case) == sorted(case_ids)
    assert all(len(rules) == 1 for rules in by_case.values()), by_case
    return {case: (rules[0], case) for case, rules in by_case.items()}


@pytest.fixture(scope="module")
def month2(months, waivers_file):
    out2 = months["root"] / "out2"
    baseline = str(months["out1"] / "findings.json")
    result = audit(
        str(months["cases2"]), "--as-of", AS_OF, "--baseline", baseline, "--out", str(out2)
    )
    return {"result": result, "out": out2, "findings": findings_of(out2)}


# -- states --------------------------------------------------------------------------------


def test_states_follow_the_edits(months, month2):
    before = findings_of(months["out1"])
    after = month2["findings"]
    state = {fp: f["state"] for fp, f in after.items()}
    new = {fp for fp, f in after.items() if f["case_id"] in months["waived_cases"]}
    updated = {fp for fp, f in after.items() if f["case_id"] == months["corrected"]}
    # answering in time fixes D001 only: a late decision of the same case stays unchanged
    resolved = {
        fp for fp, f in before.items() if f["case_id"] in months["fixed"] and f["rule"] == "D001"
    }

    assert len(new) == 2 and len(updated) == 1 and len(resolved) == FIXED
    assert {fp for fp, s in state.items() if s == "new"} == new
    assert {fp for fp, s in state.items() if s == "updated"} == updated
    assert {fp for fp, s in state.items() if s == "unchanged"} == set(before) - resolved - updated
    assert all(fp.startswith("D001|") for fp in resolved)
    document = json.loads((month2["out"] / "findings.json").read_text(encoding="utf-8"))
    assert document["baseline_absent"] == sorted(resolved)


def test_an_updated_finding_differs_in_its_facts_and_an_unchanged_one_does_not(months, month2):
    before = findings_of(months["out1"])
    facts = ("severity", "policy", "due", "actual", "overdue_hours")
    for fp, f in month2["findings"].items():
        if f["state"] == "unchanged":
            assert [f[k] for k in facts] == [before[fp][k] for k in facts]
        if f["state"] == "updated":
            assert f["overdue_hours"] == pytest.approx(before[fp]["overdue_hours"] + 5)
            assert f["actual"] != before[fp]["actual"]


def test_the_fingerprint_of_an_unchanged_case_survives_a_moved_row(months, month2):
    before = findings_of(months["out1"])
    moved = [
        fp
        for fp, f in month2["findings"].items()
        if f["state"] == "unchanged" and f["source"]["row"] != before[fp]["source"]["row"]
    ]
    assert len(moved) > len(before) // 2  # the reshuffle moved most rows
    fp = moved[0]
    assert month2["findings"][fp]["case_id"] == before[fp]["case_id"]
    assert fp == f"{before[fp]['rule']}|case:{before[fp]['case_id']}|{fp.rsplit('|', 1)[1]}"


# -- waivers -------------------------------------------------------------------------------


def test_two_findings_waived_and_still_listed(months, month2, waivers_file):
    waived = {fp: f for fp, f in month2["findings"].items() if f["waiver"] is not None}
    assert sorted(f["case_id"] for f in waived.values()) == sorted(months["waived_cases"])
    assert {f["waiver"]["reason"] for f in waived.values()} == {
        "新品试销期，已与平台报备",
        "仓库系统迁移，已补偿买家",
    }
    assert all(f["waiver"]["approved_by"] == "合规部张三" for f in waived.values())
    assert all(f["waiver"]["expires"] == "2026-12-31" for f in waived.values())
    everything = months["root"] / "out-no-waivers"
    shown = audit(
        str(months["cases2"]), "--as-of", AS_OF, "--no-waivers", "--out", str(everything), "-q"
    )
    assert shown.exit_code == 1
    assert set(findings_of(everything)) == set(month2["findings"])  # nothing vanished
    assert all(f["waiver"] is None for f in findings_of(everything).values())


def test_the_expired_entry_no_longer_applies(month2, expired_target):
    target = month2["findings"][expired_target["fingerprint"]]
    assert target["waiver"] is None and target["state"] == "unchanged"


def test_the_terminal_names_the_file_found_beside_the_inputs_and_warns(month2, waivers_file):
    output = month2["result"].output
    assert str(waivers_file.resolve()) in output and "在输入文件旁找到" in output
    assert "已豁免 2 条违规" in output
    assert "第 3 条豁免（第 12 行" in output and "已于 2026-04-30 过期" in output
    assert "第 4 条豁免（第 17 行，D001 case_id=226049999999999999）未匹配任何违规" in output


def test_the_workbook_has_the_waived_sheet_and_the_waiver_problems(month2):
    workbook = openpyxl.load_workbook(month2["out"] / "violations.xlsx", read_only=True)
    assert "已豁免" in workbook.sheetnames and "豁免问题" in workbook.sheetnames
    waived = list(workbook["已豁免"].iter_rows(values_only=True))
    assert waived[0][:3] == ("规则", "严重程度", "售后单号") and len(waived) == 3
    problems = list(workbook["豁免问题"].iter_rows(values_only=True))
    assert [(row[0], row[1]) for row in problems[1:]] == [("已过期", 3), ("未匹配", 4)]


# -- exit codes ----------------------------------------------------------------------------


def test_exit_codes(months, month2, waivers_file, tmp_path, capsys):
    baseline = str(months["out1"] / "findings.json")
    cases = str(months["cases2"])
    # untouched March errors (the expired entry's among them) still count
    assert month2["result"].exit_code == 1
    # new findings only: both are waived
    new_only = audit(
        cases,
        "--as-of",
        AS_OF,
        "--baseline",
        baseline,
        "--new-only",
        "--out",
        str(tmp_path / "a"),
        "-q",
    )
    assert new_only.exit_code == 0, new_only.output
    # ... and without the waivers, the two new errors count
    unwaived = audit(
        cases,
        "--as-of",
        AS_OF,
        "--baseline",
        baseline,
        "--new-only",
        "--no-waivers",
        "--out",
        str(tmp_path / "b"),
        "-q",
    )
    assert unwaived.exit_code == 1
    # --new-only means nothing without a baseline
    err = fails(["audit", cases, "--new-only", "--out", str(tmp_path / "c")], capsys)
    assert "--new-only needs --baseline" not in err and "--new-only 需要同时给出 --baseline" in err


def test_a_malformed_waivers_file_stops_the_run_naming_the_entry(months, tmp_path, capsys):
    bad = tmp_path / "waivers.yaml"
    bad.write_text(
        "waivers:\n  - rule: D001\n    case_id: A\n    reason: r\n    approved_by: x\n"
        "    expires: 2026-02-30\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    err = fails(["audit", str(months["cases2"]), "--waivers", str(bad), "--out", str(out)], capsys)
    assert f"{bad}: waivers[1].expires: 第 1 条豁免（第 2 行）：expires 须为日期" in err
    assert "2026-02-30" in err
    assert not out.exists()


# -- run diff ------------------------------------------------------------------------------


def test_auditor_diff_of_the_two_months(months, month2, tmp_path):
    out = tmp_path / "diff"
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            str(months["out1"] / "findings.json"),
            str(month2["out"] / "findings.json"),
            "--out",
            str(out),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "run-diff.json").read_text(encoding="utf-8"))
    unchanged = sum(f["state"] == "unchanged" for f in month2["findings"].values())
    assert document["totals"] == {"new": 2, "resolved": FIXED, "updated": 1, "unchanged": unchanged}
    by_rule = {row["rule"]: row for row in document["by_rule"]}
    assert by_rule["D001"]["resolved"] == FIXED
    assert by_rule["D005"]["updated"] == 1
    assert "新增 2 · 已解决 3 · 有更新 1" in result.output


def test_the_report_has_the_waived_section_and_the_state_counts(months, month2):
    page = (month2["out"] / "report.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="monthly">') :]
    section = section[: section.index("</section>")]
    waived = section[section.index('id="waived-table"') :]
    waived = waived[: waived.index("</table>")]
    assert waived.count("<tr>") == 3  # header + the two waived findings
    assert all(case in waived for case in months["waived_cases"])
    assert "新品试销期，已与平台报备" in waived and "合规部张三" in waived
    counts = {
        state: int(re.search(rf'id="state-{state}">.*?class="big">([\d,]+)<', section).group(1))
        for state in ("new", "unchanged", "updated", "absent")
    }
    states = [f["state"] for f in month2["findings"].values()]
    assert counts == {
        "new": 2,
        "unchanged": states.count("unchanged"),
        "updated": 1,
        "absent": FIXED,
    }
    assert "已过期" in section and "未匹配任何违规" in section


def test_findings_json_with_waivers_and_states_meets_its_schema(month2):
    document = json.loads((month2["out"] / "findings.json").read_text(encoding="utf-8"))
    schema = json.loads(package_data("report", "findings.schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert {f["state"] for f in document["findings"]} == {"new", "unchanged", "updated"}
    assert sum(f["waiver"] is not None for f in document["findings"]) == 2


def test_the_top_cases_show_each_case_state(month2):
    page = (month2["out"] / "report.html").read_text(encoding="utf-8")
    table = page[page.index('id="top-cases-table"') :]
    table = table[: table.index("</table>")]
    rows = table.count("<tr data-case=")
    assert rows > 0
    badges = re.findall(r'<small class="state state-(new|unchanged|updated)">', table)
    assert len(badges) == rows
