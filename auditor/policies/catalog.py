"""Families of policy versions: loading a folder tree, checking versions and ``extends`` links.

A family is every file with one ``id``; its versions may not overlap. A version without
``effective_to`` runs until the day before the family's next version (or open-ended).
``extends: family`` follows the base family's version in force on each date;
``extends: family@version`` pins one version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from auditor.errors import AuditorError, Problem
from auditor.policies.model import PolicyFile, parse_policy
from auditor.policies.yamlsafe import read_yaml


def load_file(path: Path) -> PolicyFile:
    return parse_policy(read_yaml(path), path)


@dataclass
class Family:
    id: str
    versions: list[PolicyFile] = field(default_factory=list)  # sorted by effective_from

    @property
    def layer(self) -> str:
        return self.versions[0].layer

    def end(self, policy: PolicyFile) -> date | None:
        """Last day in force (inclusive); None = open-ended."""
        if policy.effective_to is not None:
            return policy.effective_to
        later = [v for v in self.versions if v.effective_from > policy.effective_from]
        return later[0].effective_from - timedelta(days=1) if later else None

    def in_force(self, on: date) -> PolicyFile | None:
        for version in self.versions:
            end = self.end(version)
            if version.effective_from <= on and (end is None or on <= end):
                return version
        return None

    def version(self, version: str) -> PolicyFile | None:
        return next((v for v in self.versions if v.version == version), None)


class Catalog:
    """Every known family, validated together (versions, layers, extends)."""

    def __init__(self, files: list[PolicyFile]) -> None:
        self.families: dict[str, Family] = {}
        for policy in files:
            self.families.setdefault(policy.id, Family(policy.id)).versions.append(policy)
        for family in self.families.values():
            family.versions.sort(key=lambda v: v.effective_from)
        problems = self._check_layers() + self._check_overlaps() + self._check_extends()
        if problems:
            raise AuditorError(problems)

    # -- checks ----------------------------------------------------------------------------

    def _check_layers(self) -> list[Problem]:
        problems = []
        for family in self.families.values():
            first = family.versions[0]
            for policy in family.versions[1:]:
                if policy.layer != first.layer:
                    problems.append(
                        Problem(
                            f"与同族版本 {first.ref} 的层级({first.layer})不一致",
                            f"layer differs from {first.ref} of the same family ({first.layer})",
                            file=str(policy.path),
                            column="layer",
                        )
                    )
        return problems

    def _check_overlaps(self) -> list[Problem]:
        problems = []
        for family in self.families.values():
            versions = family.versions
            for earlier, later in zip(versions, versions[1:], strict=False):
                end = family.end(earlier)
                if end is None or end >= later.effective_from:
                    until = end.isoformat() if end else "…"
                    problems.append(
                        Problem(
                            f"与 {earlier.ref}({earlier.path},"
                            f"{earlier.effective_from} 至 {until})的有效期重叠",
                            f"overlaps {earlier.ref} ({earlier.path}, "
                            f"in force {earlier.effective_from} to {until})",
                            file=str(later.path),
                            column="effective_from",
                        )
                    )
        return problems

    def _check_extends(self) -> list[Problem]:
        problems = []
        for family in self.families.values():
            for policy in family.versions:
                problem = self._check_target(policy)
                if problem is not None:
                    problems.append(problem)
        if problems:
            return problems
        for family in self.families.values():
            for policy in family.versions:
                cycle = self._cycle_from(policy)
                if cycle:
                    problems.append(
                        Problem(
                            f"extends 形成循环: {' → '.join(cycle)}",
                            f"extends cycle: {' -> '.join(cycle)}",
                            file=str(policy.path),
                            column="extends",
                        )
                    )
                    break  # one report per family is enough
        return problems

    def _check_target(self, policy: PolicyFile) -> Problem | None:
        if policy.extends is None:
            return None
        family_id, _, version = policy.extends.partition("@")
        base = self.families.get(family_id)
        where = str(policy.path)
        if base is None or (version and base.version(version) is None):
            return Problem(
                f"extends 指向未知策略「{policy.extends}」",
                f"extends unknown policy '{policy.extends}'",
                file=where,
                column="extends",
            )
        if base.layer != policy.layer:
            return Problem(
                f"{policy.layer} 层策略不能继承 {base.layer} 层策略「{policy.extends}」",
                f"a {policy.layer} policy cannot extend the {base.layer} policy '{policy.extends}'",
                file=where,
                column="extends",
            )
        return None

    def bases(self, policy: PolicyFile) -> list[PolicyFile]:
        """Every version ``policy`` may extend (one when pinned, the family otherwise)."""
        if policy.extends is None:
            return []
        family_id, _, version = policy.extends.partition("@")
        family = self.families[family_id]
        return [family.version(version)] if version else list(family.versions)

    def _cycle_from(self, start: PolicyFile) -> list[str]:
        path: list[PolicyFile] = []

        def walk(policy: PolicyFile) -> list[str]:
            if any(p is policy for p in path):
                at = next(i for i, p in enumerate(path) if p is policy)
                return [p.ref for p in path[at:]] + [policy.ref]
            path.append(policy)
            for base in self.bases(policy):
                found = walk(base)
                if found:
                    return found
            path.pop()
            return []

        return walk(start)

    # -- lookups ---------------------------------------------------------------------------

    def chain(self, policy: PolicyFile, on: date) -> list[PolicyFile]:
        """``policy`` then the versions it extends in force on ``on`` (top first)."""
        out = [policy]
        current = policy
        while current.extends is not None:
            family_id, _, version = current.extends.partition("@")
            family = self.families[family_id]
            base = family.version(version) if version else family.in_force(on)
            if base is None:
                break  # the base family has no version that day: only the own terms apply
            out.append(base)
            current = base
        return out

    def boundaries(self, policy: PolicyFile) -> set[date]:
        """Dates on which some version reachable through ``extends`` starts or ends."""
        found: set[date] = set()
        seen: set[int] = set()
        todo = self.bases(policy)
        while todo:
            base = todo.pop()
            if id(base) in seen:
                continue
            seen.add(id(base))
            found.add(base.effective_from)
            end = self.families[base.id].end(base)
            if end is not None:
                found.add(end + timedelta(days=1))
            todo.extend(self.bases(base))
        return found


def bundled_files(root: Path) -> list[PolicyFile]:
    """Every ``root/<family>/<version>.yaml``; all problems reported together."""
    files, problems = [], []
    for path in sorted(root.glob("*/*.yaml")):
        try:
            policy = load_file(path)
        except AuditorError as exc:
            problems.extend(exc.problems)
            continue
        if policy.id != path.parent.name:
            problems.append(
                Problem(
                    f"id「{policy.id}」与所在文件夹「{path.parent.name}」不一致",
                    f"id '{policy.id}' does not match its folder '{path.parent.name}'",
                    file=str(path),
                    column="id",
                )
            )
            continue
        if path.stem != policy.effective_from.isoformat():
            problems.append(
                Problem(
                    f"文件名应为生效日期 {policy.effective_from}.yaml",
                    f"the file should be named by its effective_from: {policy.effective_from}.yaml",
                    file=str(path),
                    column="effective_from",
                )
            )
            continue
        files.append(policy)
    if problems:
        raise AuditorError(problems)
    return files
