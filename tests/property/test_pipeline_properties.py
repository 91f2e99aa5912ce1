"""Property test of the whole pipeline on generated exports: reading, checking and auditing
never raise, and every non-blank input row is accounted for — audited as a case, or reported
as a data issue (Q001 no usable case_id, Q002 a repeated one)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from auditor.engine.run import audit_dataset
from auditor.io import load
from auditor.io.layout import FOOTER_LABEL
from auditor.policies import load_stack
from tests.hostile import corpus

STARTED = datetime(2026, 4, 1, 9, 0)
# Text without line breaks: a quoted multi-line cell shifts the line numbers of later rows,
# and rows are matched here by number.
junk = st.text(st.characters(exclude_characters="\r\n", exclude_categories=("Cs",)), max_size=10)
times = st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda m: m.strftime("%Y-%m-%d %H:%M:%S")
)
FIELDS = {
    "售后单号": st.one_of(st.sampled_from([f"AS{i}" for i in range(8)]), st.just(""), junk),
    "订单编号": st.one_of(st.sampled_from(["O1", "O2", "'1234567890123456789"]), junk),
    "店铺": st.one_of(st.sampled_from(["旗舰店", "=1+1", "😀"]), junk),
    "商品类目": st.sampled_from(["服装", "生鲜水果", "内衣", "化妆品", ""]),
    "售后类型": st.one_of(st.sampled_from(["退货退款", "仅退款", "换货", "维修", "投诉"]), junk),
    "售后原因": st.one_of(st.sampled_from(["不想要了", "质量问题", "发错货", "人为损坏"]), junk),
    "实付金额": st.one_of(st.sampled_from(["100", "¥1,234.50", "NaN", "inf", "-5", ""]), junk),
    "退款金额": st.one_of(st.sampled_from(["100", "0", "1e400", ""]), junk),
    "签收时间": st.one_of(times, st.sampled_from(["", "-", "2099-01-01", "45000.5"]), junk),
    "申请时间": st.one_of(times, st.sampled_from(["", "2026-02-30 10:00:00"]), junk),
    "审核时间": st.one_of(times, st.just("")),
    "审核结果": st.one_of(st.sampled_from(["同意", "拒绝", "待处理", ""]), junk),
    "拒绝原因": st.one_of(st.just(""), junk),
    "售后状态": st.one_of(st.sampled_from(["处理中", "已完结", "已撤销"]), junk),
    "处理人": st.one_of(st.sampled_from(["小王", "小李"]), junk),
}
rows = st.lists(st.fixed_dictionaries(FIELDS), min_size=1, max_size=12)
STACK = load_stack(service=[])
FOOTER = re.compile(FOOTER_LABEL)


def _is_footer(row: dict) -> bool:
    """A footer (合计…, 导出时间…, 共 4 条…) in an id column, or anywhere in a row without ids,
    is dropped by design (auditor.io.layout.FOOTER_LABEL)."""
    ids = [row["售后单号"].strip(), row["订单编号"].strip()]
    if any(FOOTER.match(i) for i in ids):
        return True
    return not any(ids) and any(FOOTER.match(v.strip()) for v in row.values())


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows)
def test_the_pipeline_never_raises_and_accounts_for_every_row(tmp_path_factory, generated):
    assume(not any(_is_footer(r) for r in generated))
    path = Path(tmp_path_factory.mktemp("gen")) / "cases.csv"
    table = [list(FIELDS)] + [list(r.values()) for r in generated]
    corpus.write_csv(path, table)

    dataset = load([path], run_started=STARTED)
    result = audit_dataset(dataset, STACK, as_of="2026-03-31", run_started=STARTED)

    text = pl.read_csv(path, infer_schema=False, has_header=True)
    blank = text.select(
        pl.all_horizontal(pl.all().str.strip_chars().fill_null("") == "").alias("blank")
    )["blank"]
    expected = {i + 2 for i, is_blank in enumerate(blank) if not is_blank}
    issues = dataset.data_issues
    reported = set(
        issues.filter(
            (pl.col("check") == "Q002")
            | ((pl.col("check") == "Q001") & (pl.col("column") == "case_id"))
        )["source_row"].to_list()
    )
    audited = set(dataset.cases["_src_row"].to_list())
    assert audited | reported == expected
    assert not audited & set(issues.filter(pl.col("check") == "Q002")["source_row"].to_list())
    assert result.cases == dataset.cases.height
    assert set(result.findings["source_row"].to_list()) <= audited
