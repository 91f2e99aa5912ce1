"""Every not-judged reason the engine and the rules can write has a zh translation.

The reasons are fixed English phrases (findings.json keeps them); the zh workbook, page and
terminal translate them through ``labels.reason_text``. This test reads the rules' and the
engine's source for every phrase that can become a reason, so a reason added without a
translation fails here instead of leaking English into zh output.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from auditor.engine.findings import OPEN_NOT_DUE
from auditor.report.labels import reason_text

ROOT = Path(__file__).resolve().parents[2] / "auditor"
PHRASE = re.compile(r"^[a-z][a-z0-9 ,:_\-]*$")  # lowercase English words: a reason's shape
CJK = re.compile(r"[\u4e00-\u9fff]")
# Phrases of the same shape that are not reasons (the as-of sources, translated elsewhere).
NOT_REASONS = {Path("engine/request.py")}


def _render(node: ast.AST) -> str | None:
    """The text of a string or f-string, with a field name (or a date) for each {…}."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                text += str(part.value)
            else:
                text += "2026-01-01" if "isoformat" in ast.unparse(part) else "signed_at"
    else:
        return None
    if text.endswith(": "):
        text += "signed_at"  # a prefix the engine completes with a field name
    return text if " " in text and PHRASE.match(text) else None


def _message_parts(tree: ast.AST) -> set[int]:
    """Nodes inside message facts ({"applied_en": …}), which are English on purpose."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and str(key.value).endswith(("_en", "_zh")):
                    inside.update(id(n) for n in ast.walk(value))
    return inside


def reason_phrases() -> dict[str, str]:
    """Phrase → where it is written: arguments of reason_lit/pl.lit, (condition, reason)
    pairs, the engine's constants and the phrases its helpers return."""
    found: dict[str, str] = {}
    for path in sorted([*ROOT.glob("rules/*.py"), *ROOT.glob("engine/*.py")]):
        if path.relative_to(ROOT) in NOT_REASONS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _message_parts(tree)
        engine = path.parent.name == "engine"
        nodes: list[ast.AST] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                if ast.unparse(node.func).rsplit(".", 1)[-1] in ("reason_lit", "lit"):
                    nodes.append(node.args[0])
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
                if not isinstance(node.elts[0], ast.Constant | ast.JoinedStr):
                    nodes.append(node.elts[1])
            elif isinstance(node, ast.Assign) and engine:
                if all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
                    nodes.append(node.value)
            elif isinstance(node, ast.Return) and engine and node.value is not None:
                nodes.append(node.value)
        for node in nodes:
            text = None if id(node) in skip else _render(node)
            if text:
                found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")  # type: ignore[attr-defined]
    return found


PHRASES = reason_phrases()


def test_the_scan_finds_the_known_reasons() -> None:
    """Guards the scan itself: if it found nothing, the test below could not fail."""
    assert {
        OPEN_NOT_DUE,
        "field blank: signed_at",
        "field absent: refund_amount",
        "no policy version in force",
        "rule not in force before 2026-01-01",
        "limit unspecified: ship_limit",
        "date outside calendar: signed_at",
    } <= set(PHRASES)


@pytest.mark.parametrize(("reason", "where"), sorted(PHRASES.items()))
def test_every_reason_has_a_chinese_text(reason: str, where: str) -> None:
    zh = reason_text(reason, "zh")
    assert zh != reason and CJK.search(zh), f"{where}: no zh text for reason {reason!r}"
    # what is left in Latin letters is only a code the zh text names, e.g. （signed_at）
    assert not re.search(r"[A-Za-z]+ [A-Za-z]+", zh), f"{where}: {zh!r} is still English"
    assert reason_text(reason, "en") == reason
