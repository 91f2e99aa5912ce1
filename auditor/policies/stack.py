"""Resolved policies and the two-layer stack the audit runs on (contracts.md section 3).

A *segment* is a span of days over which a version and everything it extends stay the same;
its :class:`ResolvedPolicy` answers ``param``/``rule_*`` with ``extends`` applied. A version
whose base family changes inside its own span (a seed policy extending ``platform-standard``
across 2026-01-01) has one segment per base version, named ``family@version+base@version``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from auditor.errors import AuditorError, Problem
from auditor.policies.catalog import Catalog, Family, bundled_files, load_file
from auditor.policies.model import Clause, PolicyFile, rule_layers
from auditor.resources import policies_dir

LAW_FAMILY = "cn-law"
DEFAULT_SERVICE = "platform-standard"
SHOPS_LISTED = 20  # shops named when a --policy shop is not in the data; the rest counted


def _registry_severity(rule_id: str) -> str | None:
    from auditor.rules.registry import RULES

    rule = RULES.get(rule_id)
    return getattr(rule, "severity", None) if rule else None


@dataclass(frozen=True, eq=False)
class ResolvedPolicy:
    ref: str
    chain: tuple[PolicyFile, ...]  # the version itself first, then what it extends
    effective_from: date
    effective_to: date | None  # inclusive; None = open-ended

    @property
    def top(self) -> PolicyFile:
        return self.chain[0]

    @property
    def family(self) -> str:
        return self.top.id

    @property
    def version(self) -> str:
        return self.top.version

    @property
    def layer(self) -> str:
        return self.top.layer

    @property
    def title(self) -> dict[str, str]:
        return dict(self.top.title)

    @property
    def path(self) -> Path:
        return self.top.path

    # -- parameters ----------------------------------------------------------------------

    def clause(self, name: str) -> tuple[Clause, PolicyFile] | None:
        """The clause in force and the file that states it. A vague term never hides a
        concrete value it inherits: the base's number stays in force (the vague words are
        listed by :meth:`unspecified_terms`)."""
        vague = None
        for policy in self.chain:
            clause = policy.params.get(name)
            if clause is None:
                continue
            if not clause.unspecified:
                return clause, policy
            vague = vague or (clause, policy)
        return vague

    def param(self, name: str) -> Any:
        found = self.clause(name)
        return copy.deepcopy(found[0].value) if found else None

    def param_source(self, name: str) -> str | None:
        found = self.clause(name)
        return found[0].source if found else None

    def param_origin(self, name: str) -> PolicyFile | None:
        found = self.clause(name)
        return found[1] if found else None

    def param_names(self) -> list[str]:
        names: dict[str, None] = {}
        for policy in self.chain:
            names.update(dict.fromkeys(policy.params))
        return list(names)

    def unspecified_terms(self) -> list[tuple[Clause, PolicyFile]]:
        """Every vague term the chain states, in chain order."""
        return [
            (clause, policy)
            for policy in self.chain
            for clause in policy.params.values()
            if clause.unspecified
        ]

    # -- rules ---------------------------------------------------------------------------

    def _rule(self, rule_id: str):  # type: ignore[no-untyped-def]
        for policy in self.chain:
            setting = policy.rules.get(rule_id)
            if setting is not None:
                return setting
        return None

    def rule_enabled(self, rule_id: str) -> bool:
        if rule_layers().get(rule_id) != self.layer:
            return False  # another layer's rule is never judged through this policy
        setting = self._rule(rule_id)
        return True if setting is None or setting.enabled is None else setting.enabled

    def rule_severity(self, rule_id: str) -> str | None:
        setting = self._rule(rule_id)
        if setting is not None and setting.severity is not None:
            return setting.severity
        return _registry_severity(rule_id)

    def rule_source(self, rule_id: str) -> str | None:
        setting = self._rule(rule_id)
        return setting.source if setting else None

    def rule_effective_from(self, rule_id: str) -> date | None:
        """The date the rule's law took effect (law layer); for a service rule, the start of
        this policy's span. None when the rule is not enabled here."""
        if not self.rule_enabled(rule_id):
            return None
        setting = self._rule(rule_id)
        if setting is not None and setting.in_force_from is not None:
            return setting.in_force_from
        return self.effective_from

    def rule_in_force(self, rule_id: str, on: date) -> bool:
        start = self.rule_effective_from(rule_id)
        return start is not None and on >= start


# -- segments ----------------------------------------------------------------------------


def segments(catalog: Catalog, family: Family) -> list[ResolvedPolicy]:
    """Every resolved span of a family, in date order."""
    out: list[ResolvedPolicy] = []
    for policy in family.versions:
        start, end = policy.effective_from, family.end(policy)
        cuts = sorted(
            d for d in catalog.boundaries(policy) if start < d and (end is None or d <= end)
        )
        spans: list[tuple[date, date | None, tuple[PolicyFile, ...]]] = []
        for i, first in enumerate([start, *cuts]):
            last = cuts[i] - timedelta(days=1) if i < len(cuts) else end
            chain = tuple(catalog.chain(policy, first))
            if spans and spans[-1][2] == chain:
                spans[-1] = (spans[-1][0], last, chain)
            else:
                spans.append((first, last, chain))
        short = ["+".join(p.ref for p in chain[:2]) for _, _, chain in spans]
        unique = len(set(short)) == len(short)
        for (first, last, chain), name in zip(spans, short, strict=True):
            ref = policy.ref
            if len(spans) > 1:  # name the base too, so each span has its own ref
                ref = name if unique else "+".join(p.ref for p in chain)
            out.append(ResolvedPolicy(ref, chain, first, last))
    return out


def _in_span(day: pl.Expr, seg: ResolvedPolicy) -> pl.Expr:
    cond = day >= pl.lit(seg.effective_from)
    if seg.effective_to is not None:
        cond = cond & (day <= pl.lit(seg.effective_to))
    return cond


def _ref_expr(day: pl.Expr, segs: list[ResolvedPolicy], before_first: str | None) -> pl.Expr:
    expr: Any = pl
    if before_first is not None and segs:
        expr = expr.when(day < pl.lit(segs[0].effective_from)).then(pl.lit(before_first))
    for seg in segs:
        expr = expr.when(_in_span(day, seg)).then(pl.lit(seg.ref))
    if expr is pl:
        return pl.lit(None, dtype=pl.String)
    return expr.otherwise(pl.lit(None, dtype=pl.String))


@dataclass
class PolicyStack:
    """cn-law plus one service family per shop (a default one for every other shop)."""

    catalog: Catalog
    law: Family
    default_service: Family
    by_shop: dict[str, Family] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._segments: dict[str, list[ResolvedPolicy]] = {}
        for family in [self.law, self.default_service, *self.by_shop.values()]:
            self._segments.setdefault(family.id, segments(self.catalog, family))
        self._by_ref = {s.ref: s for segs in self._segments.values() for s in segs}

    # -- lookups -------------------------------------------------------------------------

    def get(self, ref: str) -> ResolvedPolicy:
        try:
            return self._by_ref[ref]
        except KeyError:
            raise KeyError(f"no policy {ref!r} in this stack") from None

    def refs(self) -> list[str]:
        return sorted(self._by_ref)

    def segments_of(self, family_id: str) -> list[ResolvedPolicy]:
        return list(self._segments[family_id])

    def law_on(self, on: date) -> ResolvedPolicy | None:
        """cn-law on ``on``; before its first version, the first version (its rules carry
        their own in-force dates, e.g. W004 and D007 from 1995-08-25)."""
        segs = self._segments[self.law.id]
        if segs and on < segs[0].effective_from:
            return segs[0]
        return _segment_on(segs, on)

    def service_on(self, on: date, shop: str | None = None) -> ResolvedPolicy | None:
        family = self.by_shop.get(shop, self.default_service) if shop else self.default_service
        return _segment_on(self._segments[family.id], on)

    def refuse_unknown_shops(self, shops_in_data: list[str]) -> None:
        """A ``--policy SHOP=…`` whose shop is not in the data would never apply (a typo, or
        the shop written differently): stop, naming the shops the data has."""
        known = set(shops_in_data)
        unknown = [shop for shop in self.by_shop if shop not in known]
        if not unknown:
            return
        found = sorted(shops_in_data)
        listed = "、".join(found[:SHOPS_LISTED]) or "（无）"
        listed_en = ", ".join(found[:SHOPS_LISTED]) or "(none)"
        if len(found) > SHOPS_LISTED:
            listed += f" 等共 {len(found)} 个"
            listed_en += f" and {len(found) - SHOPS_LISTED} more"
        raise AuditorError(
            [
                Problem(
                    f"数据中没有店铺「{shop}」，该店铺的策略不会被使用；数据中的店铺：{listed}",
                    f"no shop '{shop}' in the data, so its policy would never apply; "
                    f"shops in the data: {listed_en}",
                    column="--policy",
                )
                for shop in unknown
            ]
        )

    # -- the frame -----------------------------------------------------------------------

    def assign(self, frame: pl.DataFrame, date_col: str, shop_col: str | None = "shop"):
        """``frame`` plus ``_law_ref`` and ``_service_ref`` (String refs, null when none in
        force or the date is blank), chosen column-wise by the date in ``date_col``."""
        day = pl.col(date_col).cast(pl.Date)
        law_segs = self._segments[self.law.id]
        law = _ref_expr(day, law_segs, law_segs[0].ref if law_segs else None)
        service = _ref_expr(day, self._segments[self.default_service.id], None)
        if shop_col is not None and shop_col in frame.columns:
            for shop, family in self.by_shop.items():
                own = _ref_expr(day, self._segments[family.id], None)
                service = pl.when(pl.col(shop_col) == pl.lit(shop)).then(own).otherwise(service)
        return frame.with_columns(law.alias("_law_ref"), service.alias("_service_ref"))


def _segment_on(segs: list[ResolvedPolicy], on: date) -> ResolvedPolicy | None:
    for seg in segs:
        if seg.effective_from <= on and (seg.effective_to is None or on <= seg.effective_to):
            return seg
    return None


# -- building a stack ----------------------------------------------------------------------


def load_catalog(extra: list[PolicyFile] = (), root: Path | None = None) -> Catalog:  # type: ignore[assignment]
    return Catalog(bundled_files(root or policies_dir()) + list(extra))


def _problem(spec: str, zh: str, en: str) -> AuditorError:
    return AuditorError([Problem(zh, en, column=f"--policy {spec}")])


def _user_files(
    target: str,
    bundled_ids: set[str],
    bundled_paths: set[Path],
    loaded: dict[Path, PolicyFile] | None = None,
) -> list[PolicyFile]:
    """The user's policy files at ``target``. ``loaded`` (resolved path → file) holds those an
    earlier ``--policy`` already read: one file named for two shops is one policy, and must
    not enter the catalog twice (it would overlap with itself); it is returned but not new."""
    path = Path(target)
    paths = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    files = []
    for p in paths:
        if p.resolve() in bundled_paths:
            continue
        if loaded is not None and p.resolve() in loaded:
            files.append(loaded[p.resolve()])
            continue
        policy = load_file(p)
        if loaded is not None:
            loaded[p.resolve()] = policy
        if policy.id in bundled_ids:
            raise AuditorError(
                [
                    Problem(
                        f"id「{policy.id}」是内置策略族,请为自己的策略另取 id",
                        f"id '{policy.id}' is a bundled family; give your policy its own id",
                        file=str(p),
                        column="id",
                    )
                ]
            )
        files.append(policy)
    return files


def _bundled_ids_at(path: Path, bundled: list[PolicyFile]) -> set[str]:
    """The bundled family a path names: one of its files, or its folder."""
    where = path.resolve()
    return {p.id for p in bundled if where in (p.path.resolve(), p.path.parent.resolve())}


def _split(spec: str) -> tuple[str | None, str]:
    """``SHOP=ID_OR_PATH`` or ``ID_OR_PATH`` (a path that itself holds "=" wins)."""
    if "=" in spec and not Path(spec).exists():
        shop, _, target = spec.partition("=")
        return shop.strip(), target.strip()
    return None, spec


def load_stack(service: list[str] | tuple[str, ...] = (), root: Path | None = None) -> PolicyStack:
    """The stack for ``--policy`` values (``[]`` → platform-standard for every shop)."""
    root = root or policies_dir()
    bundled = bundled_files(root)
    bundled_ids = {p.id for p in bundled}
    bundled_paths = {p.path.resolve() for p in bundled}
    wanted: list[tuple[str, str | None, str]] = []  # (spec, shop, family id)
    extra: list[PolicyFile] = []
    loaded: dict[Path, PolicyFile] = {}  # resolved path → file, so each is read once
    for spec in service:
        shop, target = _split(spec)
        if not target or shop == "":
            # `店=` would otherwise name the current folder, and every YAML file in it.
            raise _problem(
                spec,
                "应写成「店铺=策略」或「策略」，店铺名和策略（内置策略族 id 或文件路径）都不能为空",
                "expected SHOP=POLICY or POLICY; neither the shop nor the policy (a bundled "
                "family id or a file path) may be empty",
            )
        if target in bundled_ids:
            wanted.append((spec, shop, target))
            continue
        path = Path(target)
        if not path.exists():
            raise _problem(
                spec,
                f"未知策略「{target}」: 既不是内置策略族,也没有这个文件",
                f"unknown policy '{target}': not a bundled family and no such file",
            )
        files = _user_files(target, bundled_ids, bundled_paths, loaded)
        ids = {p.id for p in files} or _bundled_ids_at(path, bundled)
        if len(ids) != 1:
            raise _problem(
                spec,
                "一个 --policy 只能给出一个策略族",
                "one --policy value must hold exactly one policy family",
            )
        extra.extend(p for p in files if not any(p is e for e in extra))
        wanted.append((spec, shop, ids.pop()))
    catalog = Catalog(bundled + extra)
    return _stack(catalog, wanted)


def _stack(catalog: Catalog, wanted: list[tuple[str, str | None, str]]) -> PolicyStack:
    default: Family | None = None
    by_shop: dict[str, Family] = {}
    for spec, shop, family_id in wanted:
        family = catalog.families[family_id]
        if family.layer != "service":
            raise _problem(
                spec,
                f"--policy 需要服务层策略,「{family_id}」是法律层",
                f"--policy takes a service policy; '{family_id}' is the law layer",
            )
        if shop is None:
            if default is not None:
                raise _problem(
                    spec,
                    "只能给出一个不带店铺的 --policy",
                    "only one --policy may apply to every shop",
                )
            default = family
        elif shop in by_shop:
            raise _problem(
                spec, f"店铺「{shop}」给了两个策略", f"shop '{shop}' is given two policies"
            )
        else:
            by_shop[shop] = family
    return PolicyStack(
        catalog=catalog,
        law=catalog.families[LAW_FAMILY],
        default_service=default or catalog.families[DEFAULT_SERVICE],
        by_shop=by_shop,
    )


def resolve_target(target: str, root: Path | None = None) -> tuple[Catalog, Family]:
    """A bundled family id, a policy file or a folder of one family's files."""
    bundled = bundled_files(root or policies_dir())
    bundled_ids = {p.id for p in bundled}
    if target in bundled_ids:
        catalog = Catalog(bundled)
        return catalog, catalog.families[target]
    path = Path(target)
    if not path.exists():
        raise AuditorError(
            [
                Problem(
                    f"未知策略「{target}」: 既不是内置策略族,也没有这个文件",
                    f"unknown policy '{target}': not a bundled family and no such file",
                )
            ]
        )
    bundled_paths = {p.path.resolve() for p in bundled}
    files = _user_files(target, bundled_ids, bundled_paths)
    ids = {p.id for p in files} or _bundled_ids_at(path, bundled)
    if len(ids) != 1:
        raise AuditorError(
            [
                Problem(
                    "需要恰好一个策略族的文件",
                    "expected the files of exactly one policy family",
                    file=target,
                )
            ]
        )
    catalog = Catalog(bundled + files)
    return catalog, catalog.families[ids.pop()]
