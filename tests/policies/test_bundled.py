"""The bundled policy files: each seed clause quotes its document verbatim, at the lines it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.policies.catalog import bundled_files
from auditor.resources import policies_dir

# a copy of ../shared/seeds/000_1c2da78c0be39c04.txt (the nine seed documents)
SEEDS = Path(__file__).resolve().parents[1] / "data" / "policies" / "seeds.txt"
LINES = SEEDS.read_text(encoding="utf-8").splitlines()
MARK = re.compile(r"第 ([\d、]+) 行:")
FILES = bundled_files(policies_dir())
SEED_FILES = [p for p in FILES if p.id.startswith("seed-")]


def quoted_parts(source: str) -> list[tuple[list[int], str]]:
    """(line numbers, quoted text) for every "第 N 行:" mark in a source."""
    marks = list(MARK.finditer(source))
    parts = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(source)
        numbers = [int(n) for n in mark.group(1).split("、")]
        parts.append((numbers, source[mark.end() : end]))
    return parts


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=。)", text.strip()) if s.strip()]


def test_nine_seed_families_single_version() -> None:
    assert sorted(p.id for p in SEED_FILES) == [
        "seed-01-platform-policy",
        "seed-02-aftersales-rules",
        "seed-03-terms-norms",
        "seed-04-reward-penalty",
        "seed-05-platform-rules",
        "seed-06-platform-rules-latest",
        "seed-07-service-standard",
        "seed-08-process-rules",
        "seed-09-management-rules",
    ]
    assert {(p.version, p.extends, p.layer) for p in SEED_FILES} == {
        ("2025-01-01", "platform-standard", "service")
    }


@pytest.mark.parametrize("policy", SEED_FILES, ids=lambda p: p.id)
def test_seed_clauses_quote_their_document_verbatim(policy) -> None:
    first, last = policy.document["lines"]
    sources = [c.source for c in policy.params.values()]
    assert sources, "a seed policy encodes at least one clause"
    for source in sources:
        parts = quoted_parts(source)
        assert parts, f"no line reference in {source!r}"
        for numbers, text in parts:
            assert all(first <= n <= last for n in numbers), (numbers, policy.id)
            cited = "".join(LINES[n - 1].strip() for n in numbers)
            for sentence in sentences(text):
                assert sentence in cited, (policy.id, numbers, sentence)


def test_vague_words_appear_in_their_sentence() -> None:
    for policy in SEED_FILES:
        for clause in policy.params.values():
            if clause.unspecified:
                assert clause.text in clause.source, (policy.id, clause.name)


def test_platform_standard_quotes_are_verbatim_too() -> None:
    for policy in (p for p in FILES if p.id == "platform-standard"):
        for clause in policy.params.values():
            for numbers, text in quoted_parts(clause.source):
                cited = "".join(LINES[n - 1].strip() for n in numbers)
                for sentence in sentences(text):
                    assert sentence.rstrip("。") in cited, (clause.name, sentence)


def test_law_versions_cite_their_articles() -> None:
    law = {p.version: p for p in FILES if p.id == "cn-law"}
    assert sorted(law) == ["2014-03-15", "2017-03-15", "2020-10-23", "2024-07-01"]
    assert all(p.citations and p.layer == "law" for p in law.values())
    assert "暂行办法" not in law["2014-03-15"].params["refund_after_return_law"].source
    assert "第十三条" in law["2017-03-15"].params["refund_after_return_law"].source
    assert "2020 年修订" in law["2020-10-23"].params["refund_after_return_law"].source
    assert "实施条例第十八条" in law["2024-07-01"].params["warranty"].source
    assert "refund_after_return_penalty" not in law["2014-03-15"].params
    for policy in law.values():
        for clause in policy.params.values():
            assert clause.source.strip()
