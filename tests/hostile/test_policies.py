"""Broken policy files through the command line (`policy check` and `audit --policy`): exit 2,
one located line per problem in zh and en, no output written. The loader's own tests
(tests/policies/test_loader.py) cover every message; these prove the CLI renders them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import corpus
from tests.hostile.conftest import digest
from tests.policies.conftest import GOOD

ALIAS_BOMB = (
    'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]\n'
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
)


def _one(tmp: Path, name: str, text: str) -> tuple[Path, Path]:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path, path


def _overlapping(tmp: Path) -> tuple[Path, Path]:
    family = tmp / "fam"
    family.mkdir()
    (family / "2026-01-01.yaml").write_text(
        GOOD.replace(
            "effective_from: 2026-01-01", "effective_from: 2026-01-01\neffective_to: 2026-06-30"
        ),
        encoding="utf-8",
    )
    later = family / "2026-06-01.yaml"
    later.write_text(
        GOOD.replace('"2026-01-01"', '"2026-06-01"').replace("2026-01-01", "2026-06-01"),
        encoding="utf-8",
    )
    return family, later


# name, builder → (argument, file named), zh part, en part (after "FILE: ")
BROKEN = [
    (
        "invalid yaml",
        lambda t: _one(t, "bad.yaml", "id: [unclosed\nversion: x\n"),
        "YAML 格式错误(第 2 行第 8 列)",
        "invalid YAML at line 2, column 8: did not find expected ',' or ']'",  # libyaml's words
    ),
    (
        "alias bomb",
        lambda t: _one(t, "bomb.yaml", ALIAS_BOMB),
        "不允许使用 YAML 别名(*a),第 2 行",
        "YAML aliases (*a) are not allowed in policy files (line 2)",
    ),
    (
        "unknown key",
        lambda t: _one(t, "unknown.yaml", GOOD + "colour: blue\n"),
        "colour: 未知的键",
        "colour: unknown key",
    ),
    (
        "wrong type",
        lambda t: _one(t, "types.yaml", GOOD.replace("amount: 12", "amount: twelve")),
        "params.response_limit.amount: 应为正数",
        "params.response_limit.amount: expected a positive number",
    ),
    (
        "nan amount",
        lambda t: _one(t, "nan.yaml", GOOD.replace("amount: 12", "amount: .nan")),
        "params.response_limit.amount: 应为正数",
        "params.response_limit.amount: expected a positive number",
    ),
    (
        "infinite amount",
        lambda t: _one(t, "inf.yaml", GOOD.replace("amount: 12", "amount: .inf")),
        "params.response_limit.amount: 应为正数",
        "params.response_limit.amount: expected a positive number",
    ),
    (
        "negative infinite amount",
        lambda t: _one(t, "neginf.yaml", GOOD.replace("amount: 12", "amount: -.inf")),
        "params.response_limit.amount: 应为正数",
        "params.response_limit.amount: expected a positive number",
    ),
    (
        "impossible date",
        lambda t: _one(t, "baddate.yaml", GOOD.replace("from: 2026-01-01", "from: 2026-02-30")),
        "effective_from: 应为日期 YYYY-MM-DD",
        "effective_from: expected a date YYYY-MM-DD",
    ),
    (
        "impossible end date",
        lambda t: _one(
            t,
            "badend.yaml",
            GOOD.replace("from: 2026-01-01", "from: 2026-01-01\neffective_to: 2026-13-01"),
        ),
        "effective_to: 应为日期 YYYY-MM-DD",
        "effective_to: expected a date YYYY-MM-DD",
    ),
    (
        "impossible rule date",
        lambda t: _one(
            t,
            "badrule.yaml",
            GOOD.replace("enabled: false,", "enabled: false, in_force_from: 2026-04-31,"),
        ),
        "rules.D002.in_force_from: 应为日期 YYYY-MM-DD",
        "rules.D002.in_force_from: expected a date YYYY-MM-DD",
    ),
    (
        "extends itself",
        lambda t: _one(t, "self.yaml", GOOD.replace("platform-standard", "my-shop")),
        "extends: extends 形成循环: my-shop@2026-01-01 → my-shop@2026-01-01",
        "extends: extends cycle: my-shop@2026-01-01 -> my-shop@2026-01-01",
    ),
    (
        "overlapping versions",
        _overlapping,
        "effective_from: 与 my-shop@2026-01-01",
        "effective_from: overlaps my-shop@2026-01-01",
    ),
]


@pytest.mark.parametrize(
    ("builder", "zh", "en"), [pytest.param(b, z, e, id=n) for n, b, z, e in BROKEN]
)
@pytest.mark.parametrize("command", ["policy check", "audit --policy"])
def test_a_broken_policy_is_one_located_line(cli, tmp_path, command, builder, zh, en):
    argument, named = builder(tmp_path)
    before = digest(named)
    cases = corpus.write_csv(tmp_path / "cases.csv", corpus.rows(2))
    out = tmp_path / "out"
    for lang, part in (("zh", zh), ("en", en)):
        if command == "policy check":
            run = cli("policy", "check", argument, "--lang", lang)
        else:
            run = cli("audit", cases, "--policy", argument, "--out", out, "--lang", lang)
        assert run.code == 2
        lines = run.err.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"{named}: {part}"), lines[0]
    assert digest(named) == before
    assert not out.exists()


def test_an_extends_cycle_across_two_shops_names_both_files(cli, tmp_path):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(GOOD.replace("id: my-shop", "id: shop-a").replace("platform-standard", "shop-b"))
    b.write_text(GOOD.replace("id: my-shop", "id: shop-b").replace("platform-standard", "shop-a"))
    cases = corpus.write_csv(tmp_path / "cases.csv", corpus.rows(2))
    run = cli("audit", cases, "--policy", f"A={a}", "--policy", f"B={b}", "--lang", "en")
    assert run.code == 2
    assert run.err.strip().splitlines() == [
        f"{a}: extends: extends cycle: shop-a@2026-01-01 -> shop-b@2026-01-01 -> shop-a@2026-01-01",
        f"{b}: extends: extends cycle: shop-b@2026-01-01 -> shop-a@2026-01-01 -> shop-b@2026-01-01",
    ]
