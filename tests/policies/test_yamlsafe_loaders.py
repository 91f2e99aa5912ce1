"""The fast (libyaml) and the pure-Python strict readers refuse the same things."""

from __future__ import annotations

import pytest
import yaml

from auditor.errors import AuditorError
from auditor.policies import yamlsafe
from auditor.policies.yamlsafe import read_yaml


def test_a_text_without_anchors_takes_libyaml_and_one_with_anchors_the_strict_parser() -> None:
    # PyYAML's wheels ship libyaml: the policy and profile files are read by it on every run.
    assert yaml.__with_libyaml__
    assert yamlsafe._loader_for("a: 1\n") is yamlsafe._FastStrictLoader
    assert yamlsafe._loader_for("a: &x 1\nb: *x\n") is yamlsafe._StrictLoader


@pytest.mark.parametrize("anchor", ["", "c: &keep 3\n"])
def test_duplicate_keys_are_refused_by_either_reader(tmp_path, anchor) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"{anchor}a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(AuditorError) as caught:
        read_yaml(path)
    assert caught.value.problems[0].message_en == f"duplicate key 'a' (line {3 + bool(anchor)})"


@pytest.mark.parametrize("anchor", ["", "c: &keep 3\n"])
def test_both_readers_give_the_same_document(tmp_path, anchor) -> None:
    path = tmp_path / "p.yaml"
    body = "id: x\nrules:\n  R001: {enabled: true, window: 7 days}\nlist: [1, 2.5, 是]\n"
    path.write_text(anchor + body, encoding="utf-8")
    expected = yaml.load(anchor + body, Loader=yaml.SafeLoader)  # noqa: S506
    assert read_yaml(path) == expected
