"""Policy lint P001–P008 (SPEC 6.5): a policy's clauses against the statutory baseline.

Each clause is judged on its own: a window's length and its start are separate findings; a
working-day limit is judged at its worst case on the official calendar; a term more
generous than the law, a vague term or a term the policy does not state never fires (vague
terms are listed as unspecified instead). The baseline is the ``cn-law`` version in force
on the day the policy's span starts.

Law-layer parameters are judged: a service policy that restates a statutory term (its
window, its refund promise, who pays freight) tells the consumer what it owes, and that is
what the law bounds. Service levels (response limits...) are targets judged on top of the
law, which still applies in full, so they never fire, with one exception: a refund term is
a refund term whichever key states it. "收到退货后30天内退款" written as the service level
``refund_after_return`` (as the guide's own example writes its refund sentence) allows a
refund later than the law's 7 days just as much as under ``refund_after_return_law``, so P003
judges both, each at its longest: "3个工作日内退款" can end 12 or 13 days after a return that
arrives just before the Spring Festival, in seed-06 and in ``platform-standard`` alike.
The service level is judged in the family that states it: a policy that merely inherits
``platform-standard``'s refund level does not repeat that family's finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.model.fields import SELLER_FAULT_REASONS
from auditor.policies.render import _enum, limit_text
from auditor.policies.spans import Worst, due_date, worst_case
from auditor.policies.stack import ResolvedPolicy
from auditor.rules.params import PARAM

BEFORE_DELIVERY = ("paid_at", "ordered_at")


@dataclass(frozen=True)
class LintFinding:
    rule: str  # P001…P008
    clause: str  # parameter name (and key, e.g. freight_by_reason.wrong_item)
    policy_value_zh: str
    policy_value_en: str
    legal_zh: str
    legal_en: str
    basis: str  # the law's article(s), from cn-law
    source: str  # the policy's own sentence
    origin: str  # ref of the file that states the clause
    detail_zh: str = ""
    detail_en: str = ""
    basis_en: str = ""  # the basis in English; empty: ``basis`` as is

    def basis_text(self, lang: str) -> str:
        return self.basis_en if lang == "en" and self.basis_en else self.basis

    def policy_value(self, lang: str) -> str:
        return self.policy_value_en if lang == "en" else self.policy_value_zh

    def legal(self, lang: str) -> str:
        return self.legal_en if lang == "en" else self.legal_zh

    def detail(self, lang: str) -> str:
        return self.detail_en if lang == "en" else self.detail_zh


@dataclass(frozen=True)
class Unspecified:
    """A vague term, and what the audit really applies for it: the number the chain states
    elsewhere (``applied_*``, from ``applied_from``); for a statutory term (``statutory``)
    the law's own term, which a service policy can only lengthen; else nothing, and the
    rules that need it are not judged ("政策未明确期限")."""

    clause: str
    text: str
    source: str
    origin: str
    applied_zh: str | None = None  # the number in force, as text; None: none in the chain
    applied_en: str | None = None
    applied_from: str | None = None  # ref of the file that states that number
    statutory: bool = False  # a law-layer term: the law's number applies whatever the policy

    def verdict(self, lang: str) -> str:
        """What the audit does with the clause, in one phrase."""
        en = lang == "en"
        said = f"unspecified '{self.text}'" if en else f"未明确「{self.text}」"
        if self.applied_zh is not None and self.statutory:
            if en:
                return (
                    f"{said}: judged with {self.applied_en} as promised by {self.applied_from} "
                    "(the statutory term where that is longer)"
                )
            return f"{said}：按 {self.applied_from} 承诺的 {self.applied_zh} 判定（法定期限更长时按法定）"
        if self.applied_zh is not None:
            if en:
                return f"{said}: judged with {self.applied_en} as stated in {self.applied_from}"
            return f"{said}：按 {self.applied_from} 所定的 {self.applied_zh} 判定"
        if self.statutory:
            if en:
                return f"{said}: no longer term promised, judged with the statutory term"
            return f"{said}：没有更长的承诺，按法定期限判定"
        if en:
            return f"{said} and no number inherited: not judged"
        return f"{said}，也没有继承的数字：不判定"


RULE_TITLES = {
    "P001": ("无理由退货期限短于 7 天", "no-reason window shorter than 7 days"),
    "P002": ("期限从交付前起算", "window starts before delivery"),
    "P003": ("退款晚于收到退货后 7 天", "refund later than 7 days after the return arrives"),
    "P004": ("不当排除无理由退货", "unlawful no-reason exclusion"),
    "P005": ("卖家责任退换货由买家付运费", "buyer pays freight for a seller-fault return"),
    "P006": ("质量问题退/换货期限过短", "quality return/exchange window too short"),
    "P007": (
        "保修期短于三包或自交付前起算",
        "warranty shorter than 三包 or starting before delivery",
    ),
    "P008": ("无效格式条款", "void standard-form clause"),
}

# What each check looks for in a policy file (SPEC 6.5); `auditor rules P00n` shows it.
RULE_DESCRIPTIONS = {
    "P001": (
        "政策给出的无理由退货期限短于 7 天。",
        "The policy gives a no-reason return window shorter than 7 days.",
    ),
    "P002": (
        "某个期限从交付之前起算（下单、付款或购买时）。",
        "A window starts before delivery (from purchase, order or payment).",
    ),
    "P003": (
        "允许在收到退回商品 7 天之后才退款。",
        "A refund may come later than 7 days after the returned goods arrive.",
    ),
    "P004": (
        "把法定和须确认清单以外的类目排除在无理由退货之外，或未经确认就排除须确认的商品。",
        "Excludes from no-reason returns a category outside the statutory and "
        "confirm-required lists, or excludes confirm-required goods without confirmation.",
    ),
    "P005": (
        "卖家责任的退货、换货或维修由买家承担运费。",
        "Makes the buyer pay freight for seller-fault returns, exchanges or repairs.",
    ),
    "P006": (
        "质量问题退货、换货期限短于 7 天 / 15 天。",
        "Gives quality return / exchange windows shorter than 7 / 15 days.",
    ),
    "P007": (
        "保修期短于该类目的三包最低期限，或自交付之前起算。",
        "Gives a warranty shorter than the 三包 minimum for the category, or lets it start "
        "before delivery.",
    ),
    "P008": (
        "含无效的格式条款（最终解释权归商家、签收即视为质量合格、拆封不退、不得投诉等）。",
        'Contains a void clause (final-interpretation right, "signed means quality accepted", '
        '"opened means no return", no complaints).',
    ),
}


class _Linter:
    def __init__(self, policy: ResolvedPolicy, law: ResolvedPolicy) -> None:
        self.policy, self.law = policy, law
        self.findings: list[LintFinding] = []
        # The days both versions are in force: the worst case is looked for there.
        ends = [d for d in (policy.effective_to, law.effective_to) if d is not None]
        self.days = (max(policy.effective_from, law.effective_from), min(ends, default=None))

    def worst(self, policy_limit: dict, law_limit: dict, shorter: bool) -> Worst | None:
        return worst_case(policy_limit, law_limit, shorter, *self.days)

    def stated(self, name: str):  # type: ignore[no-untyped-def]
        found = self.policy.clause(name)
        if found is None or found[0].unspecified:
            return None
        return found

    def add(self, rule: str, clause: str, found, legal_name: str, **texts: str) -> None:  # type: ignore[no-untyped-def]
        clause_obj, origin = found
        law_value = self.law.param(legal_name)
        legal_zh = texts.pop("legal_zh", None) or limit_text(law_value, "zh")
        legal_en = texts.pop("legal_en", None) or limit_text(law_value, "en")
        value = clause_obj.value
        if isinstance(value, dict) and "amount" in value and not clause_obj.from_stated:
            value = {**value, "from": None}  # the policy names no start: do not invent one
        self.findings.append(
            LintFinding(
                rule=rule,
                clause=clause,
                policy_value_zh=texts.pop("value_zh", None) or limit_text(value, "zh"),
                policy_value_en=texts.pop("value_en", None) or limit_text(value, "en"),
                legal_zh=legal_zh,
                legal_en=legal_en,
                basis=texts.get("basis") or self.law.param_source(legal_name) or "",
                basis_en=texts.get("basis_en") or _basis_en(rule, legal_name),
                source=clause_obj.source,
                origin=origin.ref,
                detail_zh=texts.get("detail_zh", ""),
                detail_en=texts.get("detail_en", ""),
            )
        )

    # -- windows -------------------------------------------------------------------------

    def window(self, rule: str, name: str, law_name: str | None = None) -> None:
        """A consumer's window: length judged at its shortest."""
        found = self.stated(name)
        law_value = self.law.param(law_name or name)
        if found is None or law_value is None:
            return
        worst = self.worst(found[0].value, law_value, shorter=True)
        if worst is not None:
            self.add(
                rule, name, found, law_name or name, **_example(found[0].value, law_value, worst)
            )

    def start(self, rule: str, name: str) -> None:
        found = self.stated(name)
        if found is None or not found[0].from_stated:
            return
        start = found[0].value["from"]
        if start in BEFORE_DELIVERY:
            law_value = self.law.param(name) or {"from": "signed_at"}
            event_zh = "付款" if start == "paid_at" else "下单"
            self.add(
                rule,
                f"{name}.from",
                found,
                name,
                value_zh=f"自{event_zh}起({start})",
                value_en=f"from {start}",
                legal_zh="自签收(交付)起(signed_at)",
                legal_en=f"from delivery ({law_value.get('from', 'signed_at')})",
                detail_zh="起算早于交付:运输途中的天数被计入期限"
                "(审计仍按法定期限自签收起算;此期限结束得更晚时按此期限)",
                detail_en="counted before delivery: days in transit eat into the window (the "
                "audit still counts the law's window from delivery, and this one where it "
                "ends later)",
            )

    def refund(self) -> None:
        """P003: every refund term the policy states, whichever key, judged at its longest
        against the law's refund limit; one sentence encoded under both keys (same file,
        same source, same value) is reported once."""
        law_value = self.law.param("refund_after_return_law")
        if law_value is None:
            return
        reported: set[tuple] = set()
        for name in ("refund_after_return_law", "refund_after_return"):
            found = self.stated(name)
            if found is None:
                continue
            clause, origin = found
            if name == "refund_after_return" and origin.id != self.policy.family:
                # an inherited service level is its own family's term, reported when that
                # family is checked: otherwise every policy extending platform-standard
                # would repeat platform-standard's finding as its own
                continue
            same = (origin.ref, clause.source, clause.value["amount"], clause.value["unit"])
            if same in reported:
                continue
            reported.add(same)
            worst = self.worst(clause.value, law_value, shorter=False)
            if worst is not None:
                self.add(
                    "P003",
                    name,
                    found,
                    "refund_after_return_law",
                    **_example(clause.value, law_value, worst),
                )

    # -- lists ---------------------------------------------------------------------------

    def exclusions(self) -> None:
        statutory = self.law.param("statutory_exclusions") or []
        confirm = self.law.param("confirm_required") or []

        def matches(keyword: str, keywords: list[str]) -> bool:
            return any(k in keyword for k in keywords)

        checks = (
            ("no_reason_exclusions", lambda k: matches(k, statutory)),
            ("statutory_exclusions", lambda k: matches(k, statutory)),
            ("confirm_required", lambda k: matches(k, statutory) or matches(k, confirm)),
        )
        for name, allowed in checks:
            found = self.stated(name)
            if found is None or found[1].layer == "law":
                continue
            for keyword in found[0].value:
                if allowed(keyword):
                    continue
                needs_confirm = name == "no_reason_exclusions" and matches(keyword, confirm)
                detail = (
                    (
                        "须经消费者购买时确认才能排除",
                        "may be excluded only with the consumer's confirmation at purchase",
                    )
                    if needs_confirm
                    else (
                        "不在法定排除和须确认清单之内",
                        "outside the statutory and confirm-required lists",
                    )
                )
                self.add(
                    "P004",
                    f"{name}: {keyword}",
                    found,
                    "confirm_required" if needs_confirm else "statutory_exclusions",
                    value_zh=f"排除「{keyword}」",
                    value_en=f"excludes '{keyword}'",
                    legal_zh="法定排除:" + "、".join(statutory) + ";须确认:" + "、".join(confirm),
                    legal_en="statutory: "
                    + ", ".join(statutory)
                    + "; with confirmation: "
                    + ", ".join(confirm),
                    detail_zh=detail[0],
                    detail_en=detail[1],
                )

    def freight(self) -> None:
        found = self.stated("freight_by_reason")
        if found is None:
            return
        for reason in SELLER_FAULT_REASONS:
            if found[0].value.get(reason) == "buyer":
                self.add(
                    "P005",
                    f"freight_by_reason.{reason}",
                    found,
                    "freight_by_reason",
                    value_zh=f"{_enum('reason_class', reason, 'zh')}: 买家承担运费",
                    value_en=f"{reason}: buyer pays",
                    legal_zh=f"{_enum('reason_class', reason, 'zh')}: 经营者承担运输等必要费用",
                    legal_en=f"{reason}: the seller pays transport costs",
                )

    def warranty(self) -> None:
        self.window("P007", "warranty")
        self.start("P007", "warranty")
        found = self.stated("warranty_by_category")
        law_default = self.law.param("warranty")
        law_by_category = self.law.param("warranty_by_category") or {}
        if found is None or law_default is None:
            return
        for category, limit in found[0].value.items():
            law_value = next((v for k, v in law_by_category.items() if k in category), law_default)
            worst = self.worst(limit, law_value, shorter=True)
            texts = {
                "value_zh": f"{category}: {limit_text(limit, 'zh')}",
                "value_en": f"{category}: {limit_text(limit, 'en')}",
            }
            if worst is not None:
                self.add(
                    "P007",
                    f"warranty_by_category.{category}",
                    found,
                    "warranty",
                    **{**_example(limit, law_value, worst), **texts},
                )
            if limit.get("from") in BEFORE_DELIVERY and "from" in limit:
                self.add(
                    "P007",
                    f"warranty_by_category.{category}.from",
                    found,
                    "warranty",
                    **texts,
                    legal_zh="自签收(交付)起",
                    legal_en="from delivery (signed_at)",
                    detail_zh="起算早于交付",
                    detail_en="counted before delivery",
                )

    def void_clauses(self) -> None:
        found = self.stated("void_clauses")
        if found is None:
            return
        for sentence in found[0].value:
            for pattern, zh, en, basis, basis_en in VOID_PATTERNS:
                if re.search(pattern, sentence):
                    self.add(
                        "P008",
                        "void_clauses",
                        found,
                        "statutory_exclusions",
                        value_zh=sentence,
                        value_en=sentence,
                        legal_zh=zh,
                        legal_en=en,
                        basis=basis,
                        basis_en=basis_en,
                    )
                    break

    def run(self) -> list[LintFinding]:
        self.window("P001", "no_reason_window")
        for name in ("no_reason_window", "quality_return_window", "quality_exchange_window"):
            self.start("P002", name)
        self.refund()
        self.exclusions()
        self.freight()
        self.window("P006", "quality_return_window")
        self.window("P006", "quality_exchange_window")
        self.warranty()
        self.void_clauses()
        return self.findings


VOID_PATTERNS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        r"解释权",
        "无效:经营者单方享有解释权或最终解释权",
        "void: the seller reserves the (final) right of interpretation",
        "网络交易监督管理办法第二十一条;最高人民法院网络消费纠纷规定(一)第一条",
        "Measures for the Supervision and Administration of Online Transactions Art. 21; "
        "Supreme People's Court Provisions on Online Consumer Disputes (I) Art. 1",
    ),
    (
        r"签收.{0,6}(视为|即|代表|表示).{0,8}(合格|无误|认可|确认|满意)",
        "无效:签收即视为认可商品质量",
        "void: signing for the goods means their quality is accepted",
        "最高人民法院网络消费纠纷规定(一)第一条",
        "Supreme People's Court Provisions on Online Consumer Disputes (I) Art. 1",
    ),
    (
        r"(拆封|开封|拆开|已拆|激活|试用).{0,6}(不退|不予|不支持|不接受|不能)|包装.{0,6}完好无损|未拆封",
        "无效:拆封查验或合理试用不影响商品完好,不得据此拒绝退货",
        "void: opening to inspect or reasonable trial does not make goods unfit for return",
        "网络购买商品七日无理由退货暂行办法第八条、第三十一条第(一)项;消费者权益保护法实施条例第十九条第三款",
        "Interim Measures for Seven-Day No-Reason Returns of Online Purchases Art. 8 and "
        "Art. 31 item (1); CRPL Implementing Regulations Art. 19 para. 3",
    ),
    (
        r"(不接受|不受理|不得|禁止|放弃).{0,4}(投诉|起诉|诉讼|仲裁|维权)",
        "无效:限制消费者投诉、起诉等权利",
        "void: restricts the consumer's right to complain or sue",
        "消费者权益保护法第二十六条;消费者权益保护法实施条例第十七条",
        "Consumer Rights Protection Law Art. 26; CRPL Implementing Regulations Art. 17",
    ),
)


# The audit rule whose law each lint check applies: its English basis is the finding's
# (cn-law states its citations in Chinese only). P004 on a confirm-required keyword is X001's.
_BASIS_RULE = {"P003": "D003", "P005": "C001", "P006": "W003", "P007": "W004"}


def _basis_en(rule: str, legal_name: str) -> str:
    from auditor.rules.registry import RULES

    rule_id = _BASIS_RULE.get(rule)
    if rule_id is None:
        rule_id = "X001" if legal_name == "confirm_required" else None
    if rule_id is None:
        by_param = {"quality_return_window": "W003", "quality_exchange_window": "W003"}
        rule_id = by_param.get(legal_name, "W004" if legal_name == "warranty" else "W001")
    found = RULES.get(rule_id)
    return found.basis_text("en") if found is not None else ""


def _example(policy_limit: dict, law_limit: dict, worst: Worst) -> dict[str, str]:
    """The worst case as a sentence: start date and both due dates."""
    start = worst.start
    if policy_limit["unit"] == "hours" or law_limit["unit"] == "hours":
        return {
            "detail_zh": f"最不利情形:{limit_text(policy_limit, 'zh', False)} 对比 "
            f"{limit_text(law_limit, 'zh', False)}(按事件发生的时刻)",
            "detail_en": f"worst case: {limit_text(policy_limit, 'en', False)} against "
            f"{limit_text(law_limit, 'en', False)} (by the event's time of day)",
        }
    p_due, l_due = due_date(policy_limit, start), due_date(law_limit, start)
    p_days, l_days = (p_due - start).days, (l_due - start).days
    return {
        "detail_zh": f"最不利情形:{start} 起算,本策略到 {p_due} 截止({p_days} 天),"
        f"法定到 {l_due}({l_days} 天)",
        "detail_en": f"worst case: from {start}, this policy ends {p_due} ({p_days} days), "
        f"the law {l_due} ({l_days} days)",
    }


def lint(policy: ResolvedPolicy, law: ResolvedPolicy) -> list[LintFinding]:
    return _Linter(policy, law).run()


def unspecified_terms(policy: ResolvedPolicy) -> list[Unspecified]:
    """Every vague term of the chain, with the number the audit applies in its place:
    :meth:`ResolvedPolicy.clause` keeps a concrete value of the chain in force over vague
    words, so that value, not "not judged", is what the user must be told."""
    from auditor.policies.render import value_text

    terms = []
    for clause, origin in policy.unspecified_terms():
        in_force = policy.clause(clause.name)
        param = PARAM.get(clause.name)
        applied: dict = {"statutory": param is not None and param.layer == "law"}
        if in_force is not None and not in_force[0].unspecified:
            kind = param.kind.value if param is not None else "limit"
            applied |= {
                "applied_zh": value_text(kind, in_force[0].value, "zh"),
                "applied_en": value_text(kind, in_force[0].value, "en"),
                "applied_from": in_force[1].ref,
            }
        terms.append(
            Unspecified(clause.name, clause.text or "", clause.source, origin.ref, **applied)
        )
    return terms


def param_title(name: str, lang: str) -> str:
    param = PARAM.get(name.split(".")[0].split(":")[0].strip())
    if param is None:
        return name
    return param.en if lang == "en" else param.zh


@dataclass(frozen=True)
class VersionReport:
    ref: str  # the version (family@version)
    law_refs: tuple[str, ...]  # the cn-law version(s) it was judged against
    findings: list[LintFinding]
    unspecified: list[Unspecified]


def check(target: str, root=None) -> list[VersionReport]:  # type: ignore[no-untyped-def]
    """Lint every version of a bundled family or a policy file (``FILE_OR_ID``): each span
    of the version (one per base version it extends) against the cn-law in force when the
    span starts; a clause found in several spans is reported once."""
    from auditor.policies.stack import resolve_target, segments

    catalog, family = resolve_target(target, root)
    law_segments = segments(catalog, catalog.families["cn-law"])
    reports: list[VersionReport] = []
    for version in family.versions:
        findings: dict[tuple, LintFinding] = {}
        vague: dict[tuple, Unspecified] = {}
        law_refs: list[str] = []
        for span in (s for s in segments(catalog, family) if s.top is version):
            law = next(
                (s for s in reversed(law_segments) if s.effective_from <= span.effective_from),
                law_segments[0],
            )
            if law.ref not in law_refs:
                law_refs.append(law.ref)
            for f in lint(span, law):
                findings.setdefault((f.rule, f.clause, f.origin, f.policy_value_en), f)
            for u in unspecified_terms(span):
                # one line per number really applied: spans over different base
                # versions may inherit different numbers for the same vague words
                vague.setdefault((u.clause, u.origin, u.applied_from, u.applied_en), u)
        reports.append(
            VersionReport(
                version.ref, tuple(law_refs), list(findings.values()), list(vague.values())
            )
        )
    return reports
