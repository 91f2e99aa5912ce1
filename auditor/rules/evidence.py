"""Evidence and reasons on record. E001 E002."""

from __future__ import annotations

import polars as pl

from auditor.rules import terms as t
from auditor.rules.base import Example, Rule, RuleEnv, Verdict


def check_e001(env: RuleEnv) -> Verdict:
    """Approved, not a complaint, proof-needed reason, evidence not true."""
    return t.condition_verdict(
        env,
        scope=t.all_of(
            t.is_in(env, "reason_class", t.proof_needed_reasons(env)),
            ~t.equals(env, "case_type", "complaint"),
            t.equals(env, "decision", "approved"),
        ),
        fires=~t.is_true(env, "evidence"),
        needs=("reason_class", "case_type", "decision", "evidence"),
    )


def check_e002(env: RuleEnv) -> Verdict:
    """Rejected with a blank reject reason."""
    return t.condition_verdict(
        env,
        scope=t.equals(env, "decision", "rejected"),
        fires=pl.col("reject_reason").str.strip_chars().fill_null("") == "",
        needs=("decision", "reject_reason"),
    )


E001 = Rule(
    id="E001",
    check=check_e001,
    name="evidence.approved_without_proof",
    layer="service",
    severity="warning",
    title_zh="需凭证的原因无凭证即同意",
    title_en="Approved without the proof the reason needs",
    basis="平台标准：质量问题、描述不符须提供凭证（照片/视频）",
    basis_en=(
        "platform standard: quality and not-as-described claims need evidence (photos or video)"
    ),
    params=("evidence_required_reasons",),
    message_zh="原因「{reason_class}」需要凭证，本单无凭证即被同意",
    message_en="reason '{reason_class}' needs proof; approved without evidence",
    doc=(
        "An approved case (not a complaint) whose reason class needs proof (quality, "
        "not_as_described, or the policy's list) and whose evidence is not true (blank in an "
        "existing column means not given)."
    ),
    doc_zh="非投诉、已同意、原因需要凭证（质量问题、描述不符或政策所列），凭证不为真（列存在但为空即未提供）。",
    example_fires=Example(
        "质量问题，已同意，无凭证 → 提示",
        "quality, approved, no evidence → fires",
        case={
            "reason_class": "quality",
            "case_type": "return_refund",
            "decision": "approved",
            "evidence": False,
        },
    ),
    example_passes=Example(
        "质量问题，已同意，有凭证 → 不提示",
        "quality, approved, evidence attached → does not fire",
        case={
            "reason_class": "quality",
            "case_type": "return_refund",
            "decision": "approved",
            "evidence": True,
        },
    ),
)

E002 = Rule(
    id="E002",
    check=check_e002,
    name="evidence.rejected_without_reason",
    layer="service",
    severity="error",
    title_zh="拒绝售后未写明拒绝原因",
    title_en="Rejected without a stated reason",
    basis="平台标准：拒绝售后须说明理由（platform-standard 定为必须遵守的条款）",
    basis_en=(
        "platform standard: a rejection must state its reason (a mandatory clause of "
        "platform-standard)"
    ),
    params=(),
    message_zh="售后被拒绝，但拒绝原因为空",
    message_en="the case was rejected with a blank reject reason",
    doc="A rejected case whose reject_reason is blank (in a layout that carries the column).",
    doc_zh="审核结果为拒绝，但拒绝原因为空（导出含该列时判定）。",
    example_fires=Example(
        "拒绝，拒绝原因为空 → 违规",
        "rejected, reject_reason blank → fires",
        case={"decision": "rejected", "reject_reason": None},
    ),
    example_passes=Example(
        "拒绝，拒绝原因「商品已使用」→ 不违规",
        "rejected, reject_reason '商品已使用' → does not fire",
        case={"decision": "rejected", "reject_reason": "商品已使用"},
    ),
)
