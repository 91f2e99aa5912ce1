"""Compiled templates are kept between runs, and an edited template is never served stale."""

from __future__ import annotations

from auditor.report.html import environment


def test_templates_are_compiled_once_across_runs() -> None:
    assert environment().bytecode_cache is not None


def test_an_edited_template_is_compiled_again(tmp_path) -> None:
    template = tmp_path / "note.html.j2"
    template.write_text("first {{ 1 + 1 }}", encoding="utf-8")
    assert environment([tmp_path]).get_template("note.html.j2").render() == "first 2"
    template.write_text("second {{ 2 + 2 }}", encoding="utf-8")
    # A fresh environment, as in the next run: only the shared bytecode cache remains.
    assert environment([tmp_path]).get_template("note.html.j2").render() == "second 4"
