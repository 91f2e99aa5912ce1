"""Rendering into every layout profile, the writers, quirks and the manifest."""

from __future__ import annotations

import json

import polars as pl
import pytest
import yaml

from auditor.errors import AuditorError
from auditor.sample import SampleRequest, write_sample
from auditor.sample.generate import GenerateSpec, generate_month
from auditor.sample.layout import PROFILE_DIR, load_layout, profile_ids, render


@pytest.fixture(scope="module")
def month():
    return generate_month(GenerateSpec(cases=800, seed=2))


def _profile(pid: str) -> dict:
    return yaml.safe_load((PROFILE_DIR / f"{pid}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("pid", profile_ids("cases"))
def test_every_case_profile_renders_with_its_own_headers(month, pid):
    layout = load_layout(pid, "cases")
    frame, _ = render(month.cases, layout, "zh")
    data = _profile(pid)
    for header in data["detect"]["required"]:
        if header in frame.columns:
            continue
        # generic: the Chinese alias of a required English header is written instead
        field = next(f for f, aliases in data["columns"].items() if header in aliases)
        assert any(a in frame.columns for a in data["columns"][field]), header
    assert frame.height == month.cases.height
    if "status_text" in data:
        column = data["status_text"]["column"]
        known = set(data["status_text"]["map"])
        assert set(frame[column].drop_nulls().unique()) <= known
        assert frame[column].null_count() == 0


@pytest.mark.parametrize("pid", ["taobao-refund-c", "douyin-aftersales", "pdd-aftersales"])
def test_status_text_maps_back_to_the_canonical_decision(pid):
    layout = load_layout(pid, "cases")
    month = generate_month(GenerateSpec(cases=800, seed=2, case_types=layout.case_types))
    frame, _ = render(month.cases, layout, "zh")
    table = _profile(pid)["status_text"]["map"]
    back = frame[layout.status_text["column"]].replace_strict(
        {t: (v or {}).get("decision") for t, v in table.items()}, return_dtype=pl.String
    )
    assert (back == month.cases["decision"]).all()


def test_enum_values_use_the_platform_texts(month):
    layout = load_layout("douyin-aftersales", "cases")
    frame, _ = render(month.cases.filter(pl.col("case_type") != "complaint"), layout, "zh")
    assert set(frame["售后类型"].unique()) <= set(
        _profile("douyin-aftersales")["values"]["case_type"]
    )
    assert frame.filter(pl.col("同意售后申请时间").is_not_null()).height > 0
    generic, _ = render(month.cases, load_layout("generic", "cases"), "en")
    assert "case_id" in generic.columns and set(generic["decision"].drop_nulls()) <= {
        "approved",
        "rejected",
        "pending",
        "unknown",
    }


@pytest.mark.parametrize("pid", profile_ids("orders"))
def test_every_orders_profile_renders(month, pid):
    layout = load_layout(pid, "orders")
    frame, ids = render(month.orders, layout, "zh")
    assert frame.height == month.orders.height
    assert ids and ids[0] in frame.columns


def test_taobao_export_holds_refunds_only():
    layout = load_layout("taobao-refund-c", "cases")
    assert layout.case_types == ("return_refund", "refund_only")


def test_xlsx_has_real_datetimes_and_text_quirks(tmp_path):
    result = write_sample(SampleRequest(cases=1200, out=tmp_path, orders=True, seed=9))
    frame = pl.read_excel(tmp_path / "cases.xlsx")
    assert frame.height == 1200
    assert frame.schema["申请时间"] in (pl.Datetime("ms"), pl.Datetime("us"))
    slash = result.quirks["slash_datetime"]
    quirk_col = json.loads((tmp_path / "sample-manifest.json").read_text())["quirks"]["columns"]
    texts = frame.filter(pl.col("售后单号").is_in(slash))[quirk_col["slash_datetime"]]
    assert texts.str.contains(r"^2026/\d{1,2}/\d{1,2} \d\d:\d\d$").all()
    yuan = frame.filter(pl.col("售后单号").is_in(result.quirks["yuan_amount"]))
    assert yuan[quirk_col["yuan_amount"]].str.starts_with("¥").all()
    dup = result.quirks["duplicate_case"]
    assert frame.filter(pl.col("售后单号").is_in(dup)).height == 2 * len(dup)
    orders = pl.read_excel(tmp_path / "orders.xlsx")
    missing = frame.filter(pl.col("售后单号").is_in(result.quirks["missing_order"]))["订单编号"]
    assert not missing.is_in(orders["订单编号"].implode()).any()


def test_gb18030_csv_really_is_gb18030_with_wrapped_ids(tmp_path):
    write_sample(
        SampleRequest(
            cases=300, out=tmp_path, profile="taobao-refund-c", format="csv", encoding="gb18030"
        )
    )
    raw = (tmp_path / "cases.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    header, first = text.splitlines()[:2]
    assert header.startswith("退款编号,订单编号")
    assert first.startswith('="')
    assert "退款成功" in text


def test_utf8_csv_has_a_bom_unless_asked_not_to(tmp_path):
    write_sample(SampleRequest(cases=50, out=tmp_path / "a", format="csv"))
    write_sample(SampleRequest(cases=50, out=tmp_path / "b", format="csv", bom=False))
    assert (tmp_path / "a" / "cases.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (tmp_path / "b" / "cases.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_parquet_and_xlsx_hold_the_same_cases(tmp_path):
    write_sample(SampleRequest(cases=200, out=tmp_path / "x", quirks=False, seed=4))
    write_sample(
        SampleRequest(cases=200, out=tmp_path / "p", quirks=False, seed=4, format="parquet")
    )
    x = pl.read_excel(tmp_path / "x" / "cases.xlsx")
    p = pl.read_parquet(tmp_path / "p" / "cases.parquet")
    assert x["售后单号"].to_list() == p["售后单号"].to_list()
    assert x["退款金额"].to_list() == p["退款金额"].to_list()


def test_title_rows_sit_above_the_header(tmp_path):
    write_sample(SampleRequest(cases=30, out=tmp_path, profile="jd-aftersales", title_rows=1))
    frame = pl.read_excel(tmp_path / "cases.xlsx", read_options={"header_row": 1})
    assert frame.columns[0] == "服务单号" and frame.height == 30


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_generic_with_two_title_rows_reads_back(tmp_path, fmt):
    from auditor.io import load

    result = write_sample(
        SampleRequest(
            cases=40,
            out=tmp_path,
            title_rows=2,
            format=fmt,
            encoding="gb18030" if fmt == "csv" else "utf-8",
            quirks=False,
        )
    )
    dataset = load(cases=result.files, orders=[], profile="auto", run_started=None)
    assert dataset.inputs[0].profile == "generic" and dataset.cases.height == 40
    assert dataset.cases["_src_row"].min() == 4  # two titles, the header, then data


def test_existing_files_are_not_overwritten_without_force(tmp_path):
    write_sample(SampleRequest(cases=20, out=tmp_path))
    before = (tmp_path / "cases.xlsx").read_bytes()
    with pytest.raises(AuditorError) as err:
        write_sample(SampleRequest(cases=30, out=tmp_path, seed=1))
    assert "cases.xlsx" in str(err.value)
    assert (tmp_path / "cases.xlsx").read_bytes() == before
    write_sample(SampleRequest(cases=30, out=tmp_path, seed=1, force=True))
    assert pl.read_excel(tmp_path / "cases.xlsx").height == 30


@pytest.mark.parametrize(
    "bad",
    [
        {"month": "2026-13"},
        {"cases": 0},
        {"violation_rate": 0.9},
        {"profile": "no-such-layout"},
        {"encoding": "gb18030"},  # xlsx has no encoding
    ],
)
def test_bad_requests_are_located_errors(tmp_path, bad):
    options = {"cases": 10, "out": tmp_path} | bad
    with pytest.raises(AuditorError):
        write_sample(SampleRequest(**options))
    assert not (tmp_path / "cases.xlsx").exists()


def test_manifest_lists_planted_cases_and_expected_rules(tmp_path):
    result = write_sample(SampleRequest(cases=1000, out=tmp_path, orders=True, seed=1))
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert manifest["rows"] == {"cases": 1000, "orders": result.orders}
    planted = sum(manifest["planted"].values())
    assert 80 <= planted <= 120
    listed = sum(len(v["case_ids"]) for v in manifest["violations"].values())
    assert listed == planted - manifest["planted"].get("late_shipping", 0)
    assert manifest["expected_rules_at_least"]["D001"] >= 1


def test_an_export_longer_than_a_sheet_continues_on_further_sheets(tmp_path, monkeypatch):
    from auditor.io import load
    from auditor.sample import writers

    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 101)  # 100 data rows a sheet
    result = write_sample(SampleRequest(cases=250, out=tmp_path, seed=5, quirks=False))
    book = pl.read_excel(tmp_path / "cases.xlsx", sheet_id=0)
    assert list(book) == ["Sheet1", "Sheet2", "Sheet3"]
    assert [len(book[s]) for s in book] == [100, 100, 50]
    dataset = load(cases=result.files[:1], orders=[], profile="auto", run_started=None)
    assert dataset.cases.height == 250
    assert sorted(dataset.cases["_src_sheet"].unique()) == ["Sheet1", "Sheet2", "Sheet3"]


def test_edited_canonical_frames_can_be_written_in_any_layout(tmp_path):
    from auditor.io import load
    from auditor.sample import synthesize, write_frames

    synthetic, _, _ = synthesize(SampleRequest(cases=100, out=tmp_path, orders=True, seed=6))
    fixed = synthetic.cases.with_columns(pl.lit("小雨").alias("agent"))
    files = write_frames(
        fixed,
        tmp_path / "month2.csv",
        profile="douyin-aftersales",
        orders=synthetic.orders,
        orders_path=tmp_path / "orders2.csv",
    )
    dataset = load(cases=files[:1], orders=files[1:], profile="auto", run_started=None)
    assert dataset.inputs[0].profile == "douyin-aftersales"
    assert dataset.inputs[1].profile == "douyin-orders"
    assert sorted(dataset.cases["case_id"]) == sorted(fixed["case_id"])
    assert dataset.data_issues.filter(pl.col("check") == "Q004").height == 0


@pytest.mark.parametrize(
    ("pid", "start"),
    [("douyin-aftersales", "'"), ("pdd-aftersales", "\t"), ("jd-aftersales", '="')],
)
def test_csv_ids_are_guarded_the_platforms_way(tmp_path, pid, start):
    write_sample(SampleRequest(cases=20, out=tmp_path, profile=pid, format="csv"))
    first_row = (tmp_path / "cases.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert first_row.startswith(start + "2")


def test_exports_carry_unused_and_masked_personal_columns_that_the_reader_drops(tmp_path):
    from auditor.io import load

    result = write_sample(
        SampleRequest(cases=60, out=tmp_path, profile="douyin-aftersales", orders=True, seed=8)
    )
    orders = pl.read_excel(result.files[1])
    assert orders["收件人手机号"].str.contains(r"^1\d{2}\*{4}\d{4}$").all()
    assert orders["收件人"].str.ends_with("**").all()
    cases = pl.read_excel(result.files[0])
    assert {"商品ID", "商品发货状态", "用户售后说明"} <= set(cases.columns)
    dataset = load(
        cases=result.files[:1], orders=result.files[1:], profile="auto", run_started=None
    )
    kept = set(dataset.orders.columns) | set(dataset.cases.columns)
    assert not kept & {"收件人", "收件人手机号", "详细地址", "商品ID"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "parquet"])
def test_the_same_seed_gives_the_same_bytes(tmp_path, fmt):
    for name in ("a", "b"):
        write_sample(SampleRequest(cases=120, out=tmp_path / name, format=fmt, orders=True, seed=7))
    for file in (f"cases.{fmt}", f"orders.{fmt}", "sample-manifest.json"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


def test_a_users_profile_file_is_used_and_a_broken_one_is_a_located_error(tmp_path):
    own = tmp_path / "my-shop.yaml"
    own.write_text(
        "id: my-shop\nkind: cases\ncolumns:\n  case_id: [单号]\n  order_id: [订单]\n"
        "  applied_at: [申请]\n  decision: [结果]\nvalues:\n  decision: {同意: approved, 拒绝: rejected}\n",
        encoding="utf-8",
    )
    write_sample(SampleRequest(cases=30, out=tmp_path / "out", profile=str(own)))
    frame = pl.read_excel(tmp_path / "out" / "cases.xlsx")
    assert frame.columns == ["单号", "订单", "申请", "结果"]
    assert set(frame["结果"].drop_nulls()) <= {"同意", "拒绝"}
    broken = tmp_path / "broken.yaml"
    broken.write_text("columns: [oops\n", encoding="utf-8")
    with pytest.raises(AuditorError) as err:
        write_sample(SampleRequest(cases=30, out=tmp_path / "out2", profile=str(broken)))
    assert err.value.problems[0].file == str(broken)


def test_an_orders_profile_is_refused_for_cases(tmp_path):
    with pytest.raises(AuditorError) as err:
        write_sample(SampleRequest(cases=10, out=tmp_path, profile="douyin-orders"))
    assert "cases" in err.value.problems[0].message_en


def test_one_values_table_two_headers_each_gets_its_own_texts():
    month = generate_month(
        GenerateSpec(cases=300, seed=2, case_types=("return_refund", "refund_only"))
    )
    old, _ = render(month.cases, load_layout("taobao-refund-a", "cases"), "zh")
    new, _ = render(month.cases, load_layout("taobao-refund-c", "cases"), "zh")
    assert set(old["是否需要退货"]) == {"是", "否"}
    assert set(new["售后类型"]) == {"退货退款", "仅退款"}
