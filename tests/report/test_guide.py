"""The user guide stays true: its example files load, its commands and options exist, its links
resolve. (The rule catalogue it links to is checked by test_catalogue.py.)"""

from __future__ import annotations

import re
import shlex
from datetime import datetime
from pathlib import Path

import click
import pytest

from auditor.cli.main import cli

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "guide"
PAGES = sorted(GUIDE.glob("*.md"))
BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)


def example_files(page: Path) -> dict[str, str]:
    """Code blocks whose first line is ``# file: NAME``, by name (that line removed)."""
    files = {}
    for _, body in BLOCK.findall(page.read_text(encoding="utf-8")):
        first, _, rest = body.partition("\n")
        found = re.fullmatch(r"# file: (\S+)", first.strip())
        if found:
            files[found.group(1)] = rest
    return files


def shell_commands() -> list[tuple[Path, list[str]]]:
    commands = []
    for page in PAGES:
        for lang, body in BLOCK.findall(page.read_text(encoding="utf-8")):
            if lang != "sh":
                continue
            text = body.replace("\\\n", " ")
            for line in text.splitlines():
                line = line.split("  #")[0].strip()
                if line.startswith("auditor "):
                    commands.append((page, shlex.split(line)[1:]))
    return commands


def test_the_guide_has_its_pages():
    names = {p.name for p in PAGES}
    assert {
        "README.md",
        "quickstart-compliance.md",
        "quickstart-merchant.md",
        "quickstart-consultant.md",
        "policy-files.md",
        "layout-profiles.md",
        "reading-the-report.md",
        "monthly-review.md",
    } <= names


@pytest.mark.parametrize(
    ("page", "args"), shell_commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else v.name
)
def test_every_command_and_option_in_the_guide_exists(page, args):
    command: click.Command = cli
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        assert name in command.commands, f"{page.name}: no command {name!r}"
        command = command.commands[name]
    if command is cli:  # `auditor --version`
        assert rest in (["--version"], ["--help"]), rest
        return
    known = {opt for p in command.params for opt in getattr(p, "opts", [])}
    known |= {"--help", "-h"}
    used = {a.split("=")[0] for a in rest if a.startswith("-")}
    assert used <= known, f"{page.name}: unknown options {used - known} for {args}"


def test_the_policy_example_loads_and_says_what_the_page_says(tmp_path):
    from auditor.policies import load_stack

    files = example_files(GUIDE / "policy-files.md")
    path = tmp_path / "my-shop.yaml"
    path.write_text(files["my-shop.yaml"], encoding="utf-8")
    stack = load_stack(service=[str(path)])
    policy = stack.get("my-shop@2026-01-01")
    assert policy.param("response_limit") == {"amount": 12, "unit": "hours", "from": "applied_at"}
    assert policy.param("no_reason_window")["amount"] == 15
    assert policy.param("kpi_satisfaction") == {"ok": 0.97, "error": 0.92}
    assert not policy.rule_enabled("W002")
    assert policy.rule_severity("D002") == "info"
    # the vague clause does not hide the inherited number (as the page explains)
    assert policy.param("refund_after_return")["amount"] == 3


def test_the_profile_example_reads_the_example_export(tmp_path):
    from auditor.io import load

    files = example_files(GUIDE / "layout-profiles.md")
    for name in ("my-erp.yaml", "erp.csv"):
        (tmp_path / name).write_text(files[name], encoding="utf-8")
    ds = load(
        cases=[tmp_path / "erp.csv"],
        profile=str(tmp_path / "my-erp.yaml"),
        run_started=datetime(2026, 4, 1),
    )
    assert ds.cases["case_id"].to_list() == ["G001", "G002"]
    assert ds.cases["order_id"].to_list() == ["1001", "1002"]  # ="1001" and '1002 cleaned
    assert ds.cases["paid_amount"].to_list() == [199.0, 88.0]  # ¥199.00
    assert ds.cases["decision"].to_list() == ["rejected", "approved"]
    assert ds.cases["case_type"].to_list() == ["return_refund", "refund_only"]
    assert ds.inputs[0].profile == "my-erp"
    assert ds.data_issues.height == 0


def test_the_waivers_example_loads(tmp_path):
    from auditor.engine.waivers import load_waivers

    path = tmp_path / "waivers.yaml"
    path.write_text(example_files(GUIDE / "monthly-review.md")["waivers.yaml"], encoding="utf-8")
    entries = load_waivers(path).entries
    assert entries["rule"].to_list() == ["D001", "D002"]
    assert entries["case_id"].to_list()[0] == "AS20260301001"
    assert entries["month"].to_list()[1] == "2026-03"


def test_relative_links_resolve():
    rules_anchors = set(re.findall(r'<a id="([^"]+)"></a>', (DOCS / "rules.md").read_text("utf-8")))
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#:]+?\.md)(?:#([^)]+))?\)", page.read_text("utf-8")):
            file, anchor = target
            resolved = (page.parent / file).resolve()
            assert resolved.exists(), f"{page.name} links to missing {file}"
            if resolved.name == "rules.md" and anchor:
                assert anchor in rules_anchors, f"{page.name}: no anchor #{anchor} in rules.md"
