"""waivers.yaml: loading (every problem located by entry), matching by rule + case/order id or
scope, expiry against as_of, expired and unused entries, the exit-code count."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from auditor.engine.findings import FINDING_SCHEMA
from auditor.engine.waivers import (
    apply_waivers,
    counted_severities,
    find_beside,
    load_waivers,
    no_waiver_columns,
)
from auditor.errors import AuditorError

DATA = Path(__file__).resolve().parents[1] / "data" / "waivers"
AS_OF = datetime(2026, 3, 31, 23, 59, 59)


def finding(rule: str, case_id: str | None, **fields) -> dict:
    order_id = fields.pop("order_id", f"O-{case_id}")
    key = f"case:{case_id}" if case_id else f"order:{order_id}"
    return {
        "rule": rule,
        "severity": "warning",
        "layer": "service",
        "case_id": case_id,
        "order_id": order_id,
        "shop": "旗舰店",
        "policy": "platform-standard@2026-01-01",
        "basis": "…",
        "message": "…",
        "fingerprint": f"{rule}|{key}|platform-standard",
        "month": "2026-03",
        **fields,
    }


def findings(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=FINDING_SCHEMA)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def entry(rule: str, expires: str = "2026-06-30", **scope: str) -> str:
    keys = "".join(f"    {k}: {v}\n" for k, v in scope.items())
    return (
        f"  - rule: {rule}\n{keys}    reason: 原因\n    approved_by: 张三\n    expires: {expires}\n"
    )


# -- loading -------------------------------------------------------------------------------


def test_a_valid_file_loads_every_entry_in_order_with_its_line():
    waivers = load_waivers(DATA / "valid.yaml")
    rows = waivers.entries.to_dicts()
    assert [r["rule"] for r in rows] == ["D001", "D002", "W001", "D010"]  # d002 upper-cased
    assert [r["line"] for r in rows] == [3, 8, 14, 19]
    assert rows[0]["expires"] == date(2026, 6, 30)
    assert rows[1]["shop"] == "旗舰店" and rows[1]["month"] == "2026-03"
    # an id with a leading zero stays text (YAML 1.1 would read it as an octal number)
    assert rows[3]["order_id"] == "0123456789"


@pytest.mark.parametrize(
    ("name", "column", "words"),
    [
        ("missing-reason.yaml", "waivers[2].reason", "第 2 条豁免（第 7 行）：缺少必填项 reason"),
        ("unknown-rule.yaml", "waivers[1].rule", "未知的规则「D999」"),
        ("bad-expiry.yaml", "waivers[1].expires", "expires 须为日期 YYYY-MM-DD"),
        ("no-scope.yaml", "waivers[1]", "须写明 case_id"),
        ("unknown-key.yaml", "waivers[1].expire", "未知的键「expire」"),
        ("not-a-list.yaml", "waivers", "waivers:"),
    ],
)
def test_a_malformed_file_is_an_error_naming_the_entry(name, column, words):
    with pytest.raises(AuditorError) as caught:
        load_waivers(DATA / name)
    rendered = [p.render("zh") for p in caught.value.problems]
    assert any(p.column == column for p in caught.value.problems), rendered
    assert any(words in line for line in rendered), rendered
    assert all(str(DATA / name) in line for line in rendered)


def test_a_file_missing_an_expiry_names_it_in_english_too(tmp_path):
    path = write(
        tmp_path, "waivers:\n  - rule: D001\n    case_id: A\n    reason: r\n    approved_by: x\n"
    )
    with pytest.raises(AuditorError) as caught:
        load_waivers(path)
    assert "waiver #1 (line 2): 'expires' is required" in caught.value.problems[0].render("en")


def test_duplicate_keys_and_aliases_are_refused(tmp_path):
    with pytest.raises(AuditorError, match="duplicate key 'case_id'"):
        load_waivers(DATA / "duplicate-key.yaml")
    alias = "waivers:\n  - &a\n    rule: D001\n    case_id: A\n    reason: r\n    approved_by: x\n"
    alias += "    expires: 2026-06-30\n  - *a\n"
    with pytest.raises(AuditorError, match="aliases are not allowed"):
        load_waivers(write(tmp_path, alias))


def test_an_empty_file_has_no_entries_and_a_missing_one_is_an_error(tmp_path):
    assert load_waivers(write(tmp_path, "")).entries.height == 0
    with pytest.raises(AuditorError, match="waivers file not found"):
        load_waivers(tmp_path / "nope.yaml")


def test_a_waivers_file_is_found_beside_the_inputs(tmp_path):
    inputs = tmp_path / "2026-04"
    inputs.mkdir()
    cases = inputs / "cases.xlsx"
    assert find_beside([cases]) is None
    (inputs / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    assert find_beside([tmp_path / "elsewhere.xlsx", cases]) == (inputs / "waivers.yaml").resolve()


# -- applying ------------------------------------------------------------------------------


def test_a_case_waiver_marks_only_its_rule_and_case_and_nothing_vanishes(tmp_path):
    frame = findings(finding("D001", "A"), finding("D002", "A"), finding("D001", "B"))
    waivers = load_waivers(write(tmp_path, "waivers:\n" + entry("D001", case_id="A")))
    marked, outcome = apply_waivers(frame, waivers, AS_OF)
    assert marked.height == 3
    assert marked.select("rule", "case_id").rows() == frame.select("rule", "case_id").rows()
    assert marked.get_column("waiver_reason").to_list() == ["原因", None, None]
    assert marked.get_column("waiver").to_list()[0] == {
        "reason": "原因",
        "approved_by": "张三",
        "expires": "2026-06-30",
    }
    assert marked.get_column("waiver_expires").to_list()[0] == date(2026, 6, 30)
    assert outcome.waived == 1 and outcome.unused.height == 0 and outcome.expired.height == 0


def test_scopes_combine_shop_month_and_category(tmp_path):
    frame = findings(
        finding("D002", "A", shop="旗舰店", month="2026-03"),
        finding("D002", "B", shop="旗舰店", month="2026-04"),
        finding("D002", "C", shop="专营店", month="2026-03"),
        finding("W001", "D"),
        finding("W001", "E"),
    )
    text = "waivers:\n" + entry("D002", shop="旗舰店", month="2026-03")
    text += entry("W001", category="定制商品")
    categories = pl.DataFrame({"key": ["D", "E"], "category": ["定制商品", "女装"]})
    marked, outcome = apply_waivers(frame, load_waivers(write(tmp_path, text)), AS_OF, categories)
    waived = marked.filter(pl.col("waiver_reason").is_not_null()).get_column("case_id")
    assert waived.to_list() == ["A", "D"]
    assert outcome.used == {1: 1, 2: 1}


def test_an_order_waiver_matches_an_order_level_finding(tmp_path):
    frame = findings(finding("D010", None, order_id="0123"), finding("D010", None, order_id="9"))
    waivers = load_waivers(write(tmp_path, "waivers:\n" + entry("D010", order_id="0123")))
    marked, _ = apply_waivers(frame, waivers, AS_OF)
    assert marked.get_column("waiver_reason").is_not_null().to_list() == [True, False]


def test_expiry_is_judged_against_as_of_not_the_clock(tmp_path):
    frame = findings(finding("D001", "A"))
    waivers = load_waivers(write(tmp_path, "waivers:\n" + entry("D001", "2026-03-31", case_id="A")))
    on_the_day, kept = apply_waivers(frame, waivers, datetime(2026, 3, 31, 23, 59, 59))
    assert on_the_day.get_column("waiver_reason").to_list() == ["原因"]
    assert kept.expired.height == 0
    next_day, outcome = apply_waivers(frame, waivers, datetime(2026, 4, 1, 0, 0, 0))
    assert next_day.get_column("waiver_reason").to_list() == [None]
    assert outcome.waived == 0
    expired = outcome.expired.to_dicts()
    assert [(e["entry"], e["rule"], e["case_id"], e["matches"]) for e in expired] == [
        (1, "D001", "A", 1)
    ]
    assert outcome.unused.height == 0  # an expired entry is reported as expired, not unused


def test_an_entry_matching_nothing_is_reported_unused(tmp_path):
    frame = findings(finding("D001", "A"))
    text = "waivers:\n" + entry("D001", case_id="A") + entry("D002", case_id="A")
    text += entry("D001", case_id="Z")
    _, outcome = apply_waivers(frame, load_waivers(write(tmp_path, text)), AS_OF)
    assert outcome.unused.get_column("entry").to_list() == [2, 3]
    assert outcome.unused.get_column("line").to_list() == [7, 12]


def test_the_first_matching_entry_in_the_file_wins(tmp_path):
    frame = findings(finding("D001", "A"))
    text = "waivers:\n" + entry("D001", shop="旗舰店")
    text += entry("D001", case_id="A").replace("原因", "单独批准")
    marked, outcome = apply_waivers(frame, load_waivers(write(tmp_path, text)), AS_OF)
    assert marked.get_column("waiver_reason").to_list() == ["原因"]
    assert outcome.waived == 1
    assert outcome.unused.height == 0  # the second entry matched too: not stale


def test_waived_findings_do_not_count_for_the_exit_code(tmp_path):
    frame = findings(
        finding("W001", "A", severity="error"), finding("D001", "B", severity="warning")
    )
    assert counted_severities(no_waiver_columns(frame)) == {"error", "warning"}
    waivers = load_waivers(write(tmp_path, "waivers:\n" + entry("W001", case_id="A")))
    marked, _ = apply_waivers(frame, waivers, AS_OF)
    assert counted_severities(marked) == {"warning"}
    new_only = marked.with_columns(pl.Series("state", ["new", "unchanged"]))
    assert counted_severities(new_only, new_only=True) == set()  # the new one is waived


def test_waivers_and_no_waivers_together_is_an_error(tmp_path):
    from auditor.engine.monthly import prepare
    from auditor.engine.request import AuditRequest

    path = write(tmp_path, "waivers:\n" + entry("D001", case_id="A"))
    with pytest.raises(AuditorError, match="cannot be used together"):
        prepare(AuditRequest(cases=[tmp_path / "c.xlsx"], waivers=path, no_waivers=True))
    beside = prepare(AuditRequest(cases=[tmp_path / "c.xlsx"]))
    assert beside.waivers is not None and beside.waivers.found_beside_inputs
    assert prepare(AuditRequest(cases=[tmp_path / "c.xlsx"], no_waivers=True)).waivers is None


def test_broken_yaml_names_its_line_and_column(tmp_path):
    broken = tmp_path / "waivers.yaml"
    broken.write_text("waivers:\n  - rule: D001\n    reason: [unclosed\n", encoding="utf-8")
    with pytest.raises(AuditorError) as caught:
        load_waivers(broken)
    problem = caught.value.problems[0]
    assert problem.message_zh.startswith("YAML 格式错误（第 4 行第 1 列）："), problem.message_zh
    assert problem.message_en.startswith("invalid YAML at line 4, column 1: ")
