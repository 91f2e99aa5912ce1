"""Layout profiles: every bundled profile loads, is detected, and maps a row."""

from __future__ import annotations

from datetime import datetime

import pytest

from auditor.errors import AuditorError
from auditor.io import load
from auditor.io.profile import (
    bundled_profiles,
    list_profiles,
    normalise_header,
    normalise_value,
    resolve_profile,
)
from tests.io.helpers import SAMPLE_TIME, profile_document, sample_sheet, write_xlsx

CASE_PROFILES = [
    "generic",
    "taobao-refund-a",
    "taobao-refund-b",
    "taobao-refund-c",
    "douyin-aftersales",
    "pdd-aftersales",
    "jd-aftersales",
    "kuaishou-aftersales",
    "wechat-aftersales",
]
ORDER_PROFILES = [
    "generic-orders",
    "taobao-orders-classic",
    "taobao-orders-qianniu",
    "taobao-orders-suborder",
    "douyin-orders",
    "pdd-orders",
    "jd-orders",
]


def _expected_value(value):
    return datetime.fromisoformat(value) if value == SAMPLE_TIME else value


def test_every_required_profile_is_bundled_with_its_kind():
    profiles = bundled_profiles()
    assert sorted(profiles) == sorted(CASE_PROFILES + ORDER_PROFILES)
    assert {p for p in profiles if profiles[p].kind == "cases"} == set(CASE_PROFILES)
    for profile in profiles.values():
        doc = profile_document(profile.id)
        assert doc["id"] == profile.id
        assert set(doc) >= {"id", "kind", "platform", "title", "detect", "columns"}
        assert doc["title"]["zh"] and doc["title"]["en"]


def test_generic_accepts_english_and_chinese_names_of_every_field():
    from auditor.model.fields import CASE_FIELDS, ORDER_FIELDS

    generic = resolve_profile("generic")
    for spec in CASE_FIELDS:
        if spec.name == "reason_class":
            continue  # derived from reason, never read
        assert spec.name in generic.columns[spec.name]
        assert normalise_header(spec.zh) in generic.columns[spec.name]
    orders = resolve_profile("generic-orders")
    for spec in ORDER_FIELDS:
        assert spec.name in orders.columns[spec.name]
        assert normalise_header(spec.zh) in orders.columns[spec.name]


def test_signed_at_never_comes_from_the_buyers_confirmation_time():
    for profile in bundled_profiles().values():
        aliases = profile.columns.get("signed_at", ())
        assert all("确认收货" not in alias for alias in aliases), profile.id


@pytest.mark.parametrize("profile_id", CASE_PROFILES)
def test_case_profile_is_detected_and_maps_a_row(tmp_path, profile_id):
    headers, row, expected = sample_sheet(profile_id)
    path = write_xlsx(tmp_path / f"{profile_id}.xlsx", {"导出": [headers, row]})
    ds = load([path])
    info = ds.inputs[0]
    assert info.profile == profile_id
    assert info.rows == 1
    assert info.details[0].signature  # the why: which signature headers matched
    case = ds.cases.row(0, named=True)
    for name, value in expected.items():
        assert case[name] == _expected_value(value), (profile_id, name)
    assert "13800000000" not in str(ds.cases.rows())  # buyer data dropped at read time
    assert ds.data_issues.filter(ds.data_issues["check"] == "Q001").height == 0


@pytest.mark.parametrize("profile_id", ORDER_PROFILES)
def test_order_profile_is_detected_and_maps_a_row(tmp_path, profile_id):
    headers, row, expected = sample_sheet(profile_id)
    orders = write_xlsx(tmp_path / f"{profile_id}.xlsx", {"订单": [headers, row]})
    cases_headers, cases_row, _ = sample_sheet("generic")
    cases = write_xlsx(tmp_path / "cases.xlsx", {"售后": [cases_headers, cases_row]})
    ds = load([cases], orders=[orders])
    assert ds.inputs[1].profile == profile_id
    assert ds.inputs[1].kind == "orders"
    order = ds.orders.row(0, named=True)
    for name, value in expected.items():
        if name == "line_id":
            continue  # a folded order of one line keeps it; tested with the join
        assert order[name] == _expected_value(value), (profile_id, name)
    assert "13800000000" not in str(ds.orders.rows())


def test_a_profile_can_be_forced_by_id_or_given_as_a_user_file(tmp_path):
    headers, row, _ = sample_sheet("generic")
    path = write_xlsx(tmp_path / "cases.xlsx", {"s": [headers, row]})
    assert load([path], profile="generic").inputs[0].profile == "generic"
    user = tmp_path / "my-shop.yaml"
    user.write_text(
        "id: my-shop\nkind: cases\nplatform: own\ntitle: {zh: 我的店, en: My shop}\n"
        "detect: {required: [单号, 下单]}\n"
        "columns: {case_id: [单号], order_id: [下单], applied_at: [提交时间]}\n",
        encoding="utf-8",
    )
    own = write_xlsx(
        tmp_path / "own.xlsx", {"s": [["单号", "下单", "提交时间"], ["A1", "O1", SAMPLE_TIME]]}
    )
    ds = load([own], profile=str(user))
    assert ds.inputs[0].profile == "my-shop"
    assert ds.cases["case_id"].to_list() == ["A1"]
    with pytest.raises(AuditorError) as err:
        load([path], profile=str(user))  # the user's layout does not fit this file
    assert "my-shop" in str(err.value)


def test_unknown_profile_name_is_a_located_error():
    with pytest.raises(AuditorError) as err:
        resolve_profile("taobao-refund-z")
    assert "taobao-refund-z" in str(err.value)
    assert "generic" in str(err.value)  # lists the known ones


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("kind: cases\nid: x\ncolumns: {}\n", "detect"),
        ("id: x\nkind: sales\ndetect: {required: [a]}\ncolumns: {}\n", "kind"),
        ("id: x\nkind: cases\ndetect: {required: [a]}\ncolumns: {nonsense: [a]}\n", "columns"),
        (
            "id: x\nkind: cases\ndetect: {required: [a]}\ncolumns: {case_id: [a]}\n"
            "values: {case_type: {退货: refund_everything}}\n",
            "values.case_type",
        ),
        (
            "id: x\nkind: cases\ndetect: {required: [a]}\ncolumns: {case_id: [a]}\n"
            "status_text: {column: s, map: {好: {decision: maybe}}}\n",
            "status_text",
        ),
    ],
)
def test_a_bad_profile_file_names_the_file_and_key(tmp_path, text, key):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditorError) as err:
        resolve_profile(str(path))
    problem = err.value.problems[0]
    assert problem.file == str(path)
    assert problem.column.startswith(key)


def test_header_and_value_normalisation():
    assert normalise_header(" 退商品金额（元） \n") == "退商品金额(元)"
    assert normalise_header("商品 id") == "商品id"
    assert normalise_value("同意退款，退款成功") == normalise_value("同意退款,退款成功")


def test_list_profiles_gives_plain_rows():
    rows = list_profiles()
    assert {r["id"] for r in rows} == set(CASE_PROFILES + ORDER_PROFILES)
    douyin = next(r for r in rows if r["id"] == "douyin-aftersales")
    assert douyin["kind"] == "cases"
    assert douyin["platform"] == "douyin"
    assert "售后单号" in douyin["signature"]
