"""Version selection at its boundaries, extends per date, and the frame assignment."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from auditor.policies import load_stack
from tests.policies.conftest import GOOD

PS25, PS26 = "platform-standard@2025-01-01", "platform-standard@2026-01-01"


@pytest.fixture(scope="module")
def stack():
    return load_stack([])


def refs_on(stack, days: list[str], shops: list[str | None] | None = None) -> list[tuple]:
    frame = pl.DataFrame(
        {
            "applied_at": [datetime.fromisoformat(d) if d else None for d in days],
            "shop": shops or [None] * len(days),
        },
        schema={"applied_at": pl.Datetime("us"), "shop": pl.String},
    )
    out = stack.assign(frame, date_col="applied_at", shop_col="shop")
    return list(zip(out["_law_ref"], out["_service_ref"], strict=True))


def test_platform_standard_boundaries(stack) -> None:
    got = refs_on(
        stack,
        [
            "2024-12-31 23:59:59",
            "2025-01-01 00:00:00",
            "2025-01-02 08:00:00",
            "2025-12-31 23:59:59",
            "2026-01-01 00:00:00",
            "2026-01-02 12:00:00",
        ],
    )
    assert [s for _, s in got] == [None, PS25, PS25, PS25, PS26, PS26]


def test_cn_law_boundaries(stack) -> None:
    days = [
        "2017-03-14",
        "2017-03-15",
        "2017-03-16",
        "2020-10-22",
        "2020-10-23",
        "2024-06-30",
        "2024-07-01",
        "2024-07-02",
    ]
    got = [law for law, _ in refs_on(stack, [d + " 10:00:00" for d in days])]
    assert got == [
        "cn-law@2014-03-15",
        "cn-law@2017-03-15",
        "cn-law@2017-03-15",
        "cn-law@2017-03-15",
        "cn-law@2020-10-23",
        "cn-law@2020-10-23",
        "cn-law@2024-07-01",
        "cn-law@2024-07-01",
    ]


def test_before_the_first_law_version_rules_keep_their_own_dates(stack) -> None:
    ((law_ref, service_ref),) = refs_on(stack, ["2010-05-01 09:00:00"])
    assert (law_ref, service_ref) == ("cn-law@2014-03-15", None)
    law = stack.get(law_ref)
    assert law.rule_in_force("W004", date(2010, 5, 1))  # 三包, 1995-08-25
    assert law.rule_in_force("D007", date(1995, 8, 25))
    assert not law.rule_in_force("D007", date(1995, 8, 24))
    assert not law.rule_in_force("W001", date(2010, 5, 1))  # Consumer Law 2013 amendment
    assert law.rule_in_force("W001", date(2014, 3, 15))


def test_interim_measures_rules_start_on_2017_03_15(stack) -> None:
    law = stack.law_on(date(2017, 3, 15))
    for rule in ("X001", "D011", "D012"):
        assert law.rule_effective_from(rule) == date(2017, 3, 15)
        assert law.rule_in_force(rule, date(2017, 3, 15))
        assert not law.rule_in_force(rule, date(2017, 3, 14))
    assert stack.law_on(date(2017, 3, 14)).param("refund_after_return_penalty") is None
    assert law.param("refund_after_return_penalty") == {
        "amount": 15,
        "unit": "calendar_days",
        "from": "return_received_at",
    }
    assert law.rule_severity("D011") == "critical"


def test_blank_date_gets_no_policy(stack) -> None:
    assert refs_on(stack, [None]) == [(None, None)]


def test_response_limit_changes_on_2026_01_01(stack) -> None:
    hours = [
        stack.service_on(date.fromisoformat(d)).param("response_limit")["amount"]
        for d in ("2025-12-31", "2026-01-01")
    ]
    assert hours == [48, 24]
    ps26 = stack.get(PS26)
    assert ps26.param("refund_only_limit")["amount"] == 24
    # unchanged terms come from the 2025 file through `extends`
    assert ps26.param_origin("decision_limit").ref == PS25
    assert "种子文档 08 第 337 行" in ps26.param_source("decision_limit")
    assert ps26.rule_severity("E002") == "error"
    assert ps26.rule_enabled("D001") and not ps26.rule_enabled("W001")


def test_seed_policy_follows_platform_standard_per_date() -> None:
    stack = load_stack(["seed-07-service-standard"])
    got = refs_on(stack, ["2024-12-31 10:00:00", "2025-12-31 10:00:00", "2026-01-01 10:00:00"])
    assert [s for _, s in got] == [
        None,
        "seed-07-service-standard@2025-01-01+platform-standard@2025-01-01",
        "seed-07-service-standard@2025-01-01+platform-standard@2026-01-01",
    ]
    before, after = (stack.get(s) for _, s in got[1:])
    assert before.family == after.family == "seed-07-service-standard"
    assert before.version == "2025-01-01"
    # its own 15-day window on both sides; the inherited response limit changes
    assert (
        before.param("no_reason_window")["amount"]
        == after.param("no_reason_window")["amount"]
        == 15
    )
    assert before.param("response_limit")["amount"] == 48
    assert after.param("response_limit")["amount"] == 24


def test_a_vague_term_never_hides_an_inherited_number() -> None:
    seed = load_stack(["seed-07-service-standard"]).service_on(date(2026, 3, 1))
    # seed-07 says 及时 for responses: platform-standard's 24 hours stay in force
    assert seed.param("response_limit") == {"amount": 24, "unit": "hours", "from": "applied_at"}
    vague = {c.name: c.text for c, _ in seed.unspecified_terms()}
    assert vague == {
        "refund_after_return_law": "及时",
        "response_limit": "及时",
        "warranty": "一定的保证期限",
    }
    # with nothing below it, the vague term is what the policy says
    assert seed.param("warranty") == {"unspecified": True, "text": "一定的保证期限"}


def test_shop_policies_and_default(write) -> None:
    mine = write("mine.yaml", GOOD)
    stack = load_stack(["seed-09-management-rules", f"店铺A={mine}"])
    got = refs_on(
        stack,
        [
            "2026-03-01 10:00:00",
            "2026-03-01 10:00:00",
            "2025-12-31 10:00:00",
            "2026-03-01 10:00:00",
        ],
        ["店铺A", "店铺B", "店铺A", None],
    )
    assert [s for _, s in got] == [
        "my-shop@2026-01-01",
        "seed-09-management-rules@2025-01-01+platform-standard@2026-01-01",
        None,  # my-shop starts 2026-01-01: no service version in force before
        "seed-09-management-rules@2025-01-01+platform-standard@2026-01-01",
    ]
    mine_policy = stack.get("my-shop@2026-01-01")
    assert mine_policy.param("response_limit")["amount"] == 12
    assert not mine_policy.rule_enabled("D002")
    assert mine_policy.param("decision_limit")["unit"] == "working_days"  # from platform-standard


def test_assign_keeps_rows_and_columns(stack) -> None:
    n = 10_000
    frame = pl.DataFrame(
        {
            "case_id": [str(i) for i in range(n)],
            "applied_at": pl.datetime_range(
                datetime(2025, 12, 25), datetime(2026, 1, 5), interval="95s", eager=True
            )[:n],
        }
    )
    out = stack.assign(frame, "applied_at", "shop")  # no shop column: the default applies
    assert out.height == n and out.columns == ["case_id", "applied_at", "_law_ref", "_service_ref"]
    new_year = pl.col("applied_at") >= datetime(2026, 1, 1)
    assert out.filter(~new_year)["_service_ref"].unique().to_list() == [PS25]
    assert out.filter(new_year)["_service_ref"].unique().to_list() == [PS26]
    assert out.filter(new_year).height > 0


def test_assign_by_paid_at_for_order_rules(stack) -> None:
    orders = pl.DataFrame({"paid_at": [date(2025, 12, 31), date(2026, 1, 1)]})
    out = stack.assign(orders, date_col="paid_at", shop_col=None)
    assert out["_service_ref"].to_list() == [PS25, PS26]


def test_get_unknown_ref(stack) -> None:
    with pytest.raises(KeyError):
        stack.get("platform-standard@2030-01-01")


def test_bundled_rule_settings_agree_with_the_registry(stack) -> None:
    from auditor.rules.registry import RULES

    law_rules = {rid for rid, rule in RULES.items() if rule.layer == "law"}
    for law in stack.segments_of("cn-law"):
        assert set(law.top.rules) == law_rules
        for rule_id in law_rules:
            assert law.rule_effective_from(rule_id) == RULES[rule_id].in_force_from, rule_id
            assert law.rule_severity(rule_id) == RULES[rule_id].severity, rule_id
    for service in stack.segments_of("platform-standard"):
        for rule_id, rule in RULES.items():
            if rule.layer == "service":
                assert service.rule_enabled(rule_id), rule_id
                assert service.rule_severity(rule_id) == rule.severity, rule_id


def test_bundled_policy_by_path_is_the_bundled_family() -> None:
    from auditor.resources import policies_dir

    folder = policies_dir() / "seed-07-service-standard"
    for target in (str(folder), str(folder / "2025-01-01.yaml")):
        stack = load_stack([target])
        assert stack.default_service.id == "seed-07-service-standard"
        assert len(stack.default_service.versions) == 1


def test_a_shop_policy_for_a_shop_the_data_has_is_kept() -> None:
    stack = load_stack(["店铺A=seed-01-platform-policy"])
    stack.refuse_unknown_shops(["店铺A", "店铺B"])  # no error


def test_a_shop_policy_for_a_shop_not_in_the_data_names_the_shops_found() -> None:
    from auditor.errors import AuditorError

    stack = load_stack(["店铺A=seed-01-platform-policy", "店铺X=seed-02-aftersales-rules"])
    with pytest.raises(AuditorError) as error:
        stack.refuse_unknown_shops(["店铺B", "店铺A"])
    [problem] = error.value.problems
    assert problem.column == "--policy"
    assert "「店铺X」" in problem.message_zh and "店铺A、店铺B" in problem.message_zh
    assert (
        "'店铺X'" in problem.message_en and "shops in the data: 店铺A, 店铺B" in problem.message_en
    )


def test_a_long_list_of_shops_is_cut_short_with_a_count() -> None:
    from auditor.errors import AuditorError

    stack = load_stack(["店铺X=seed-01-platform-policy"])
    with pytest.raises(AuditorError) as error:
        stack.refuse_unknown_shops([f"S{i:02d}" for i in range(25)])
    assert "等共 25 个" in error.value.problems[0].message_zh
    assert "S19 and 5 more" in error.value.problems[0].message_en


@pytest.mark.parametrize("spec", ["店铺A=", "=platform-standard", "店铺A= "])
def test_an_empty_shop_or_policy_is_refused_before_any_folder_is_read(
    spec, tmp_path, monkeypatch
) -> None:
    from auditor.errors import AuditorError

    # `店铺A=` once named the current folder: every YAML file in it was loaded.
    (tmp_path / "stray.yaml").write_text("not: a policy\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AuditorError) as error:
        load_stack(service=[spec])
    problem = error.value.problems[0]
    assert "都不能为空" in problem.message_zh
    assert "may be empty" in problem.message_en
    assert problem.column == f"--policy {spec}"
