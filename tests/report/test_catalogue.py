"""docs/rules.md is generated from the registry and must equal what the registry gives now."""

from __future__ import annotations

from auditor.report import catalogue
from auditor.rules.registry import all_checks


def test_committed_rule_catalogue_is_up_to_date():
    committed = catalogue.DOC_PATH.read_text(encoding="utf-8")
    assert committed == catalogue.render_markdown(), (
        f"docs/rules.md is out of date: run {catalogue.REGENERATE}"
    )


def test_every_rule_has_an_anchor_a_row_and_its_texts():
    page = catalogue.render_markdown()
    for rule in all_checks():
        assert f'<a id="{rule.id.lower()}"></a>' in page
        assert f"| [{rule.id}](#{rule.id.lower()}) | {rule.title_zh} | {rule.title_en} |" in page
        assert rule.basis in page
        if rule.example_fires is not None:
            assert rule.example_fires.zh in page and rule.example_fires.en in page


def test_check_mode_reports_a_stale_page(tmp_path, capsys):
    stale = tmp_path / "rules.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert catalogue.main([str(stale), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert catalogue.main([str(stale)]) == 0
    assert catalogue.main([str(stale), "--check"]) == 0


def test_parameter_defaults_are_readable():
    assert catalogue.format_default(
        {"amount": 7, "unit": "calendar_days", "from": "signed_at"}
    ) == ("7 calendar_days, from signed_at")
    assert catalogue.format_default(["定制", "鲜活"]) == "定制、鲜活"
    assert catalogue.format_default({"ok": 0.95, "error": None}) == "ok: 0.95; error: —"
    assert catalogue.format_default({}) == "—"
    assert catalogue.format_default({"unspecified": True, "text": "尽快"}).startswith(
        "未规定（尽快）"
    )
