"""Reason classification from the shipped synonym table, extended by the user."""

from __future__ import annotations

import polars as pl
import pytest

from auditor.errors import AuditorError
from auditor.io import load
from auditor.io.reasons import classify, load_reason_table
from tests.io.helpers import write_xlsx


def classes(texts, table=None):
    table = table or load_reason_table()
    frame = pl.DataFrame({"reason": texts}, schema={"reason": pl.String})
    return frame.select(classify(pl.col("reason"), table))["reason"].to_list()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7天无理由退换货", "no_reason"),
        ("七天无理由", "no_reason"),
        ("不想要了", "no_reason"),
        ("尺码拍错/不喜欢/效果不好", "no_reason"),
        ("多拍/拍错/不想要", "no_reason"),
        ("尺码不合适", "no_reason"),
        ("质量问题", "quality"),
        ("做工粗糙/有瑕疵", "quality"),
        ("商品故障", "quality"),
        ("用了两天就坏了", "quality"),
        ("与商品描述不符", "not_as_described"),
        ("实物与图片不符", "not_as_described"),
        ("大小/尺寸与商品描述不符", "not_as_described"),
        ("色差严重", "not_as_described"),
        ("少件/漏发", "wrong_item"),
        ("发错货", "wrong_item"),
        ("快递/物流破损", "damaged_in_transit"),
        ("运输途中损坏", "damaged_in_transit"),
        ("快递/物流一直未送到", "not_received"),
        ("未收到货", "not_received"),
        ("人为损坏", "buyer_damage"),
        ("空包裹", "not_received"),
        ("商品与页面描述不符", "not_as_described"),
        ("收到假货", "not_as_described"),
        ("有污渍", "quality"),
        ("地址信息填写错误", "no_reason"),
        ("其他", "other"),
        ("协商一致退款", "other"),
        ("月亮太圆", None),
        (None, None),
    ],
)
def test_shipped_table(text, expected):
    assert classes([text]) == [expected]


def test_classification_ignores_spaces_and_case():
    assert classes(["七天 无理由", " 质量 问题 "]) == ["no_reason", "quality"]


def test_user_synonyms_come_first(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "exact:\n  月亮太圆: not_as_described\n"
        "classes:\n  - class: buyer_damage\n    keywords: [摔了]\n"
        "  - class: quality\n    keywords: [不想要]\n",  # overrides the shipped no_reason entry
        encoding="utf-8",
    )
    table = load_reason_table([extra])
    assert classes(["月亮太圆", "被我摔了", "不想要了", "质量问题"], table) == [
        "not_as_described",
        "buyer_damage",
        "quality",
        "quality",
    ]


def test_user_synonyms_through_load(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("exact:\n  月亮太圆: other\n", encoding="utf-8")
    cases = write_xlsx(
        tmp_path / "c.xlsx",
        {
            "s": [
                ["case_id", "order_id", "applied_at", "reason"],
                ["A", "O", "2026-03-01", "月亮太圆"],
            ]
        },
    )
    assert load([cases]).data_issues["check"].to_list() == ["Q005"]
    assert load([cases], reasons=[extra]).data_issues.height == 0


@pytest.mark.parametrize(
    "text",
    ["exact:\n  x: nonsense\n", "classes:\n  - class: quality\n    keywords: 质量\n", "- a\n"],
)
def test_a_bad_synonym_file_is_a_located_error(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditorError) as err:
        load_reason_table([path])
    assert err.value.problems[0].file == str(path)
