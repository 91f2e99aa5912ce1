"""Every way a policy file can be bad gives a located code-2 problem with an exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import AuditorError
from auditor.policies.catalog import load_file
from auditor.policies.stack import load_stack
from tests.policies.conftest import GOOD


def problems_of(call) -> list:  # type: ignore[no-untyped-def]
    with pytest.raises(AuditorError) as info:
        call()
    return info.value.problems


def only_problem(call):  # type: ignore[no-untyped-def]
    problems = problems_of(call)
    assert len(problems) == 1, [p.render("en") for p in problems]
    return problems[0]


def test_good_file_loads_with_its_clauses(write) -> None:
    policy = load_file(write("my.yaml", GOOD))
    assert policy.ref == "my-shop@2026-01-01"
    assert policy.params["response_limit"].value == {
        "amount": 12,
        "unit": "hours",
        "from": "applied_at",
    }
    assert policy.params["response_limit"].source == "第 1 条:12 小时内响应"
    assert policy.rules["D002"].enabled is False


def test_invalid_yaml_names_line_and_column(write) -> None:
    path = write("bad.yaml", "id: [unclosed\nversion: x\n")
    problem = only_problem(lambda: load_file(path))
    assert problem.file == str(path)
    assert problem.message_en.startswith("invalid YAML at line 2, column 8: ")
    assert problem.message_zh.startswith("YAML 格式错误(第 2 行第 8 列): ")


def test_aliases_are_refused_before_any_expansion(write) -> None:
    bomb = (
        'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    )
    problem = only_problem(lambda: load_file(write("bomb.yaml", bomb)))
    assert problem.message_en == "YAML aliases (*a) are not allowed in policy files (line 2)"
    assert problem.message_zh == "不允许使用 YAML 别名(*a),第 2 行"


def test_duplicate_keys_are_refused(write) -> None:
    text = GOOD.replace("layer: service\n", "layer: service\nlayer: law\n")
    problem = only_problem(lambda: load_file(write("dup.yaml", text)))
    assert problem.message_en == "duplicate key 'layer' (line 5)"


def test_oversized_file_is_refused(write) -> None:
    path = write("big.yaml", GOOD + "#" * 1_000_001 + "\n")
    problem = only_problem(lambda: load_file(path))
    assert problem.message_en.startswith("policy file too large (")
    assert problem.message_en.endswith("bytes, limit 1000000)")


def test_top_level_must_be_a_mapping(write) -> None:
    problem = only_problem(lambda: load_file(write("list.yaml", "- a\n- b\n")))
    assert problem.message_en == "the top level must be a mapping"


def test_unknown_top_level_key(write) -> None:
    problem = only_problem(lambda: load_file(write("k.yaml", GOOD + "owner: me\n")))
    assert (problem.column, problem.message_en, problem.message_zh) == (
        "owner",
        "unknown key",
        "未知的键",
    )


def test_missing_required_key(write) -> None:
    text = GOOD.replace("layer: service\n", "")
    problem = only_problem(lambda: load_file(write("m.yaml", text)))
    assert (problem.column, problem.message_en) == ("layer", "required key missing")


def test_wrong_types_are_named(write) -> None:
    text = GOOD.replace("effective_from: 2026-01-01", "effective_from: soon").replace(
        "enabled: false", "enabled: nope"
    )
    problems = problems_of(lambda: load_file(write("t.yaml", text)))
    found = {(p.column, p.message_en) for p in problems}
    assert found == {
        ("effective_from", "expected a date YYYY-MM-DD"),
        ("rules.D002.enabled", "expected true or false"),
    }


def test_layer_must_be_law_or_service(write) -> None:
    text = GOOD.replace("layer: service", "layer: shop")
    problem = only_problem(lambda: load_file(write("l.yaml", text)))
    assert (problem.column, problem.message_en) == ("layer", "expected one of: law, service")


def test_unknown_parameter(write) -> None:
    text = GOOD.replace("  response_limit:", "  reply_limit:")
    problem = only_problem(lambda: load_file(write("p.yaml", text)))
    assert problem.column == "params.reply_limit"
    assert problem.message_en == "unknown parameter 'reply_limit'"
    assert problem.message_zh == "未知参数「reply_limit」"


def test_wrong_unit_for_a_parameter(write) -> None:
    text = GOOD.replace("unit: hours", "unit: months")
    problem = only_problem(lambda: load_file(write("u.yaml", text)))
    assert problem.column == "params.response_limit.unit"
    assert problem.message_en == (
        "unit 'months' is not allowed for response_limit; "
        "expected one of: hours, working_days, calendar_days"
    )
    assert problem.message_zh == (
        "response_limit 不能用单位「months」,应为: hours, working_days, calendar_days"
    )


def test_wrong_start_event_for_a_parameter(write) -> None:
    text = GOOD.replace("from: applied_at", "from: signed_at")
    problem = only_problem(lambda: load_file(write("f.yaml", text)))
    assert problem.column == "params.response_limit.from"
    assert problem.message_en == (
        "'signed_at' is not a start event for response_limit; expected one of: applied_at"
    )


def test_limit_amount_must_be_positive(write) -> None:
    text = GOOD.replace("amount: 12", "amount: -1")
    problem = only_problem(lambda: load_file(write("a.yaml", text)))
    assert (problem.column, problem.message_en) == (
        "params.response_limit.amount",
        "expected a positive number",
    )


@pytest.mark.parametrize("amount", [".nan", ".inf", "-.inf"])
def test_limit_amount_must_be_a_finite_number(write, amount: str) -> None:
    text = GOOD.replace("amount: 12", f"amount: {amount}")
    problem = only_problem(lambda: load_file(write("a.yaml", text)))
    assert (problem.column, problem.message_zh) == ("params.response_limit.amount", "应为正数")


@pytest.mark.parametrize("amount", [".nan", ".inf"])
def test_money_amount_must_be_a_finite_number(write, amount: str) -> None:
    text = (
        GOOD.replace("layer: service", "layer: law")
        .replace("extends: platform-standard\n", "")
        .replace("rules:\n", "")
        .replace('  D002: {enabled: false, source: "第 2 条:不考核审核时限"}\n', "")
        .replace(
            "  response_limit: {amount: 12, unit: hours, from: applied_at, "
            'source: "第 1 条:12 小时内响应"}',
            f"  amount_tolerance: {{value: {amount}, source: x}}",
        )
    )
    problem = only_problem(lambda: load_file(write("t.yaml", text)))
    assert (problem.column, problem.message_en) == (
        "params.amount_tolerance.value",
        "expected a number not below 0",
    )


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("effective_from", "effective_from: 2026-02-30"),
        ("effective_to", "effective_from: 2026-01-01\neffective_to: 2026-12-32"),
    ],
)
def test_a_day_that_does_not_exist_is_not_a_date(write, key: str, line: str) -> None:
    text = GOOD.replace("effective_from: 2026-01-01", line)
    problem = only_problem(lambda: load_file(write("d.yaml", text)))
    assert (problem.column, problem.message_zh) == (key, "应为日期 YYYY-MM-DD")


def test_every_clause_needs_its_source(write) -> None:
    text = GOOD.replace(', source: "第 1 条:12 小时内响应"', "")
    problem = only_problem(lambda: load_file(write("s.yaml", text)))
    assert (problem.column, problem.message_en) == (
        "params.response_limit.source",
        "required key missing",
    )


def test_unknown_key_inside_a_parameter(write) -> None:
    text = GOOD.replace("from: applied_at,", "from: applied_at, per: case,")
    problem = only_problem(lambda: load_file(write("pk.yaml", text)))
    assert (problem.column, problem.message_en) == ("params.response_limit.per", "unknown key")


def test_vague_term_is_recorded_not_invented(write) -> None:
    text = GOOD.replace(
        '{amount: 12, unit: hours, from: applied_at, source: "第 1 条:12 小时内响应"}',
        '{unspecified: true, text: 尽快, source: "第 1 条:尽快响应"}',
    )
    policy = load_file(write("v.yaml", text))
    clause = policy.params["response_limit"]
    assert clause.unspecified and clause.text == "尽快"
    assert clause.value == {"unspecified": True, "text": "尽快"}


def test_vague_term_only_for_limits(write) -> None:
    text = GOOD.replace(
        "  response_limit:",
        "  kpi_min_cases: {unspecified: true, text: 足够, source: x}\n  response_limit:",
    )
    problem = only_problem(lambda: load_file(write("vk.yaml", text)))
    assert (problem.column, problem.message_en) == (
        "params.kpi_min_cases.unspecified",
        "kpi_min_cases cannot be recorded as unspecified",
    )


def test_value_types_by_kind(write) -> None:
    text = GOOD.replace(
        "  response_limit:",
        "  evidence_required_reasons: {value: [quality, mood], source: x}\n"
        "  freight_by_reason: {value: {quality: courier}, source: x}\n"
        "  kpi_satisfaction: {value: {ok: 95}, source: x}\n"
        "  response_limit:",
    )
    problems = problems_of(lambda: load_file(write("vt.yaml", text)))
    found = {(p.column, p.message_en) for p in problems}
    assert found == {
        (
            "params.evidence_required_reasons.value",
            "unknown value mood; expected one of: no_reason, quality, not_as_described, "
            "wrong_item, damaged_in_transit, not_received, buyer_damage, other",
        ),
        (
            "params.freight_by_reason.value.quality",
            "expected one of: buyer, seller, platform, insurance",
        ),
        (
            "params.kpi_satisfaction.value",
            "expected {ok: share, error: share or null} or {max: share} (shares between 0 and 1)",
        ),
    }


def test_unknown_rule_id(write) -> None:
    text = GOOD.replace("  D002:", "  D999:")
    problem = only_problem(lambda: load_file(write("r.yaml", text)))
    assert (problem.column, problem.message_en, problem.message_zh) == (
        "rules.D999",
        "unknown rule id 'D999'",
        "未知规则「D999」",
    )


@pytest.mark.parametrize("setting", ["{enabled: false, source: x}", "{severity: info, source: x}"])
def test_service_policy_may_not_touch_a_law_rule(write, setting: str) -> None:
    text = GOOD.replace(
        '  D002: {enabled: false, source: "第 2 条:不考核审核时限"}', f"  W001: {setting}"
    )
    problem = only_problem(lambda: load_file(write("law.yaml", text)))
    assert problem.column == "rules.W001"
    assert problem.message_en == (
        "rule W001 belongs to the law layer; a service policy may not switch it off or re-grade it"
    )
    assert problem.message_zh == "规则 W001 属于法律层,服务层策略不能关闭或改变其等级"


def test_law_policy_may_not_set_service_parameters(write) -> None:
    text = GOOD.replace("layer: service", "layer: law").replace(
        '  D002: {enabled: false, source: "第 2 条:不考核审核时限"}\n', ""
    )
    text = text.replace("rules:\n", "")
    problem = only_problem(lambda: load_file(write("ls.yaml", text)))
    assert (problem.column, problem.message_en) == (
        "params.response_limit",
        "a law policy may not set the service parameter 'response_limit'",
    )


def test_effective_to_before_from(write) -> None:
    text = GOOD.replace(
        "effective_from: 2026-01-01", "effective_from: 2026-01-01\neffective_to: 2025-12-31"
    )
    problem = only_problem(lambda: load_file(write("et.yaml", text)))
    assert (problem.column, problem.message_en) == (
        "effective_to",
        "effective_to is before effective_from",
    )


def test_missing_file(tmp_path: Path) -> None:
    problem = only_problem(lambda: load_file(tmp_path / "nope.yaml"))
    assert problem.message_en == "policy file not found"


# -- across files -------------------------------------------------------------------------


def test_overlapping_versions_of_one_family(write) -> None:
    write(
        "fam/2026-01-01.yaml",
        GOOD.replace(
            "effective_from: 2026-01-01", "effective_from: 2026-01-01\neffective_to: 2026-06-30"
        ),
    )
    later = write(
        "fam/2026-06-01.yaml",
        GOOD.replace('"2026-01-01"', '"2026-06-01"').replace("2026-01-01", "2026-06-01"),
    )
    problem = only_problem(lambda: load_stack([str(later.parent)]))
    assert problem.file == str(later)
    assert problem.column == "effective_from"
    assert problem.message_en == (
        f"overlaps my-shop@2026-01-01 ({later.parent / '2026-01-01.yaml'}, "
        "in force 2026-01-01 to 2026-06-30)"
    )


def test_open_ended_versions_do_not_overlap(write) -> None:
    write("fam/2026-01-01.yaml", GOOD)
    write(
        "fam/2026-06-01.yaml",
        GOOD.replace('"2026-01-01"', '"2026-06-01"').replace("2026-01-01", "2026-06-01"),
    )
    stack = load_stack([str(write("fam/2026-01-01.yaml", GOOD).parent)])
    assert [s.ref for s in stack.segments_of("my-shop")] == [
        "my-shop@2026-01-01",
        "my-shop@2026-06-01",
    ]


def test_extends_cycle(write) -> None:
    a = write(
        "a.yaml",
        GOOD.replace("id: my-shop", "id: shop-a").replace(
            "extends: platform-standard", "extends: shop-b"
        ),
    )
    b = write(
        "b.yaml",
        GOOD.replace("id: my-shop", "id: shop-b").replace(
            "extends: platform-standard", "extends: shop-a"
        ),
    )
    problems = problems_of(lambda: load_stack([f"A={a}", f"B={b}"]))
    messages = {p.message_en for p in problems}
    assert messages == {
        "extends cycle: shop-a@2026-01-01 -> shop-b@2026-01-01 -> shop-a@2026-01-01",
        "extends cycle: shop-b@2026-01-01 -> shop-a@2026-01-01 -> shop-b@2026-01-01",
    }
    assert {p.column for p in problems} == {"extends"}


def test_extends_itself(write) -> None:
    path = write("self.yaml", GOOD.replace("extends: platform-standard", "extends: my-shop"))
    problem = only_problem(lambda: load_stack([str(path)]))
    assert problem.message_en == "extends cycle: my-shop@2026-01-01 -> my-shop@2026-01-01"


def test_extends_unknown_policy(write) -> None:
    path = write(
        "x.yaml",
        GOOD.replace("extends: platform-standard", "extends: platform-standard@2019-01-01"),
    )
    problem = only_problem(lambda: load_stack([str(path)]))
    assert (problem.column, problem.message_en) == (
        "extends",
        "extends unknown policy 'platform-standard@2019-01-01'",
    )


def test_service_policy_cannot_extend_the_law(write) -> None:
    path = write("xl.yaml", GOOD.replace("extends: platform-standard", "extends: cn-law"))
    problem = only_problem(lambda: load_stack([str(path)]))
    assert problem.message_en == "a service policy cannot extend the law policy 'cn-law'"


def test_user_policy_may_not_reuse_a_bundled_id(write) -> None:
    path = write("ps.yaml", GOOD.replace("id: my-shop", "id: platform-standard"))
    problem = only_problem(lambda: load_stack([str(path)]))
    assert (
        problem.message_en
        == "id 'platform-standard' is a bundled family; give your policy its own id"
    )


def test_unknown_policy_target() -> None:
    problem = only_problem(lambda: load_stack(["no-such-policy"]))
    assert problem.column == "--policy no-such-policy"
    assert (
        problem.message_en
        == "unknown policy 'no-such-policy': not a bundled family and no such file"
    )


def test_policy_option_takes_a_service_policy() -> None:
    problem = only_problem(lambda: load_stack(["cn-law"]))
    assert problem.message_en == "--policy takes a service policy; 'cn-law' is the law layer"


def test_one_default_and_one_policy_per_shop() -> None:
    two_defaults = only_problem(
        lambda: load_stack(["seed-01-platform-policy", "seed-02-aftersales-rules"])
    )
    assert two_defaults.message_en == "only one --policy may apply to every shop"
    same_shop = only_problem(
        lambda: load_stack(["店铺A=seed-01-platform-policy", "店铺A=seed-02-aftersales-rules"])
    )
    assert same_shop.message_en == "shop '店铺A' is given two policies"


def test_deep_nesting_is_refused(write) -> None:
    path = write("deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    problem = only_problem(lambda: load_file(path))
    assert problem.message_en == "YAML nested too deeply"


def test_bundled_tree_checks_folder_and_file_names(write) -> None:
    from auditor.policies.catalog import bundled_files

    good = write("tree/my-shop/2026-01-01.yaml", GOOD)
    write("tree/other-folder/2026-01-01.yaml", GOOD)
    write(
        "tree/my-shop/2026-02-01.yaml",
        GOOD.replace("2026-01-01", "2026-02-01").replace(
            "effective_from: 2026-02-01", "effective_from: 2026-03-01"
        ),
    )
    problems = problems_of(lambda: bundled_files(good.parents[1]))
    assert sorted((Path(p.file).name, p.column, p.message_en) for p in problems) == [
        (
            "2026-01-01.yaml",
            "id",
            "id 'my-shop' does not match its folder 'other-folder'",
        ),
        (
            "2026-02-01.yaml",
            "effective_from",
            "the file should be named by its effective_from: 2026-03-01.yaml",
        ),
    ]
