"""report.html structure: self-contained, escaped, both languages, numbers equal to findings.json."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from auditor.engine.evaluate import TIME_OUT_OF_RANGE
from auditor.report import html, labels
from auditor.report.findings_json import write_findings_json
from tests.report.html_fixtures import EVIL, findings_frame, large_result, sample_result

VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "source", "wbr"}
CJK = re.compile(r"[\u3400-\u9fff]")


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node] = []
        self.parts: list[str] = []

    def text(self) -> str:
        return "".join(self.parts)

    def iter(self, tag: str | None = None):
        for child in self.children:
            if tag is None or child.tag == tag:
                yield child
            yield from child.iter(tag)

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [
            n for n in self.iter(tag) if cls is None or cls in (n.attrs.get("class") or "").split()
        ]


class Dom(HTMLParser):
    """A small DOM from the standard library parser (entities decoded in text)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.ids: dict[str, Node] = {}
        self._open = self.root
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self._open)
        self._open.children.append(node)
        if node.attrs.get("id"):
            assert node.attrs["id"] not in self.ids, f"duplicate id {node.attrs['id']}"
            self.ids[node.attrs["id"]] = node
        if tag not in VOID:
            self._open = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open = self._open.parent

    def handle_endtag(self, tag):
        node = self._open
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"stray </{tag}>"
        self._open = node.parent

    def handle_data(self, data):
        node = self._open
        while node is not None:  # text belongs to every enclosing element
            node.parts.append(data)
            node = node.parent

    def table_rows(self, table_id: str) -> list[list[str]]:
        body = self.ids[table_id].find_all("tbody")[0]
        return [[" ".join(td.text().split()) for td in tr.find_all("td")] for tr in body.iter("tr")]


@pytest.fixture(scope="module")
def zh_page() -> str:
    return html.render(sample_result(), "zh")


@pytest.fixture(scope="module")
def en_page() -> str:
    return html.render(sample_result(), "en")


def big(dom: Dom, card_id: str) -> str:
    node = dom.ids[card_id]
    return next(n for n in node.find_all("div", "big")).text().strip()


def test_page_is_self_contained(zh_page):
    lowered = zh_page.lower()
    for needle in (
        "<script",
        "<link",
        "<img",
        "<iframe",
        "src=",
        "@import",
        "url(",
        "http://",
        "https://",
    ):
        if needle in ("http://",):
            # the only http URL allowed is the SVG namespace, which is not fetched
            assert lowered.count(needle) == lowered.count('xmlns="http://www.w3.org/2000/svg"')
            continue
        assert needle not in lowered, needle
    assert "<style>" in zh_page
    assert lowered.count("<svg") >= 5


def test_hostile_text_is_escaped_not_markup(zh_page):
    assert EVIL not in zh_page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in zh_page
    dom = Dom(zh_page)
    shops = [row[1] for row in dom.table_rows("shop-table")]
    assert EVIL in shops  # decoded back to the literal text the user typed
    assert any(EVIL in " ".join(row) for row in dom.table_rows("todo-table"))
    assert not dom.root.find_all("script")


def test_headline_numbers_equal_findings_json(tmp_path, zh_page):
    result = sample_result()
    write_findings_json(result, tmp_path / "findings.json", "zh")
    summary = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))["summary"]
    dom = Dom(zh_page)
    assert big(dom, "headline-cases") == f"{summary['cases']:,}"
    assert big(dom, "headline-cases-with-findings") == str(summary["cases_with_findings"])
    assert big(dom, "headline-findings") == str(summary["findings"])
    for severity, count in summary["by_severity"].items():
        assert big(dom, f"headline-{severity}") == str(count)
    by_rule = {row[0]: int(row[4]) for row in dom.table_rows("by-rule-table")}
    assert by_rule == summary["by_rule"]
    share = dom.ids["headline-cases-with-findings"].text()
    assert f"{5 / 150 * 100:.1f}%" in share


def test_rules_sorted_by_severity_then_count_and_linked_to_their_docs(zh_page):
    dom = Dom(zh_page)
    rows = dom.table_rows("by-rule-table")
    assert [r[0] for r in rows][:1] == ["D011"]
    severities = [r[2] for r in rows]
    order = ["严重", "错误", "警告", "提示"]
    assert severities == sorted(severities, key=order.index)
    warnings = [r for r in rows if r[2] == "警告"]
    assert warnings[0][0] == "D001"  # two D001 before one D010
    links = [a.attrs["href"] for a in dom.ids["by-rule-table"].find_all("a")]
    assert "#rule-D011" in links
    for href in (a.attrs["href"] for a in dom.root.find_all("a")):
        assert href.startswith("#"), href
        assert href[1:] in dom.ids, f"in-page link {href} has no target"
    doc = dom.ids["rule-D011"]
    assert "第31条" in doc.text()  # the registry's basis, with its article


def test_by_shop_ranks_several_shops_and_draws_a_chart(zh_page):
    dom = Dom(zh_page)
    rows = dom.table_rows("shop-table")
    assert [r[0] for r in rows] == ["1", "2"]
    assert rows[0][1] == "店铺A"  # has the critical finding
    assert rows[0][2] == "5" and rows[1][2] == "2"
    section = dom.ids["by-shop"]
    assert len(section.find_all("svg", "chart")) == 2  # severity bars and KPI comparison


def test_shop_by_rule_matrix(zh_page):
    dom = Dom(zh_page)
    header = [th.text() for th in dom.ids["shop-rule-table"].find_all("th")]
    assert header[:2] == ["店铺", "D001"]  # the most frequent rule first
    rows = {r[0]: r[1:] for r in dom.table_rows("shop-rule-table")}
    d001 = header.index("D001") - 1
    assert rows["店铺A"][d001] == "1" and rows[EVIL][d001] == "1"
    assert rows[EVIL][header.index("D011") - 1] == "·"  # none


def test_single_shop_has_no_ranking_or_chart():
    result = sample_result()
    result.findings = result.findings.filter(pl.col("shop") == "店铺A")
    result.kpis = result.kpis.filter(pl.col("shop") == "店铺A")
    dom = Dom(html.render(result, "zh"))
    headers = [th.text() for th in dom.ids["shop-table"].find_all("th")]
    assert "排名" not in headers
    assert "shop-rule-table" not in dom.ids
    assert not dom.ids["by-shop"].find_all("svg")


def test_month_trend_has_findings_and_kpi_values(zh_page):
    dom = Dom(zh_page)
    rows = dom.table_rows("month-table")
    assert [r[0] for r in rows] == ["2026-02", "2026-03"]
    assert rows[0][1] == "2" and rows[1][1] == "5"  # one D011+D003 in Feb, five in March
    header = [th.text() for th in dom.ids["month-table"].find_all("th")]
    assert "K001" in header
    assert rows[1][header.index("K001")] == "97.0%"
    svgs = dom.ids["by-month"].find_all("svg", "chart")
    # findings; the shares to reach (K001–K003) from 70%; the K005 rate on its own axis
    assert [s.attrs["aria-label"] for s in svgs] == [
        "各月违规数",
        "各月 KPI（全部店铺）",
        "各月无理由退货率 K005（全部店铺）",
    ]
    shares = [t.text() for t in svgs[1].iter("text")]
    assert "K005" not in shares and "K003" in shares
    assert "70.0%" in shares and "0.0%" not in shares  # K003 at 75% → floor 70%
    assert "K005" in [t.text() for t in svgs[2].iter("text")]


def test_one_month_has_a_table_but_no_trend_chart():
    result = sample_result()
    result.findings = result.findings.filter(pl.col("month") == "2026-03")
    result.kpis = result.kpis.filter(pl.col("month") == "2026-03")
    dom = Dom(html.render(result, "zh"))
    assert [r[0] for r in dom.table_rows("month-table")] == ["2026-03"]
    assert not dom.ids["by-month"].find_all("svg")


@pytest.mark.parametrize(
    ("lowest", "floor"), [(0.97, 0.9), (0.93, 0.9), (0.915, 0.8), (0.75, 0.7), (0.01, 0.0)]
)
def test_kpi_axis_floor(lowest, floor):
    assert html.kpi_axis_floor(lowest) == pytest.approx(floor)


def test_scorecards_coloured_by_status(zh_page):
    dom = Dom(zh_page)
    cells = dom.ids["scorecard-table"].find_all("td", "kpi")
    by_class = {
        status: [c for c in cells if f"status-{status}" in c.attrs["class"]]
        for status in ("ok", "warning", "error", "na")
    }
    # 2 shops × 2 months: K001 and K005 ok, K002 warning, K003 error, K006 n/a
    assert (len(by_class["ok"]), len(by_class["warning"]), len(by_class["error"])) == (8, 4, 4)
    assert len(by_class["na"]) == 4
    assert by_class["error"][0].text().startswith("75.0%")
    assert "目标 ≥ 90%" in " ".join(th.text() for th in dom.ids["scorecard-table"].find_all("th"))
    assert "目标 < 5%" in " ".join(th.text() for th in dom.ids["scorecard-table"].find_all("th"))
    agents = dom.table_rows("agent-table")
    assert agents[0][:2] == ["客服小王", "2026-03"]


@pytest.mark.parametrize(
    ("value", "target", "shown"),
    [(0.9497, 0.95, "94.97%"), (0.95, 0.95, "95.0%"), (0.931, 0.95, "93.1%"), (None, 0.9, "—")],
)
def test_kpi_values_never_round_onto_their_target(value, target, shown):
    assert html.kpi_percent(value, target) == shown


def test_top_cases_by_severity_then_overdue_with_source_rows(zh_page):
    dom = Dom(zh_page)
    rows = dom.table_rows("top-cases-table")
    # columns: #, severity, case / order, shop, rules, overdue, due / actual, message, source
    assert [r[2].split()[0] for r in rows] == ["AS001", "AS002", "AS005", "AS004", "AS003", "—"]
    assert rows[0][4] == "D003, D011"  # every rule of the case
    assert rows[0][5] == "400.0"  # the overdue hours of its most serious finding (D011)
    assert rows[0][6] == "2026-02-02 10:00 截至审计时未完成"
    assert rows[0][-1] == "店铺A-2026-03.xlsx!售后!5"
    assert rows[2][-1] == "b.csv!9"  # CSV: no sheet
    assert rows[5][2] == "— O009"  # the order-level finding keeps its order


def test_a_case_is_ranked_by_its_most_serious_finding():
    result = sample_result()
    extra = result.findings.filter(pl.col("case_id") == "AS003").with_columns(
        pl.lit("D002").alias("rule"), pl.lit(900.0).alias("overdue_hours")
    )
    result.findings = pl.concat([result.findings, extra])
    rows = Dom(html.render(result, "zh")).table_rows("top-cases-table")
    cases = [r[2].split()[0] for r in rows]
    as003 = rows[cases.index("AS003")]
    assert as003[4] == "D001, D002"
    assert as003[5] == "900.0"  # both warnings: the later one leads
    assert rows[0][5] == "400.0"  # D011 (critical) leads, not D003's 232 hours
    assert cases.index("AS003") < cases.index("AS004")


def test_top_cases_capped_at_twenty_for_a_large_run():
    start = time.perf_counter()
    page = html.render(large_result(100_000), "en")
    elapsed = time.perf_counter() - start
    assert elapsed < 20
    assert len(page.encode("utf-8")) < 500_000
    dom = Dom(page)
    rows = dom.table_rows("top-cases-table")
    assert len(rows) == 20
    assert all(r[1] == "critical" for r in rows)
    overdue = [float(r[5]) for r in rows]
    assert overdue == sorted(overdue, reverse=True)
    assert "Showing the first 20 of 50,000." in dom.ids["top-cases"].text()
    todo = dom.table_rows("todo-table")
    assert len(todo) == html.TODO_LIMIT
    assert "of 5,000" in dom.ids["todo"].text()
    assert big(dom, "headline-findings") == "100,000"
    # 40 shops with findings, plus the two that only have scorecards
    assert len(dom.table_rows("shop-table")) == 42


def test_todo_soonest_first(zh_page):
    rows = Dom(zh_page).table_rows("todo-table")
    assert [r[1] for r in rows] == ["AS011", "AS010"]


def test_data_issues_grouped_by_check_and_column(zh_page):
    dom = Dom(zh_page)
    rows = dom.table_rows("data-issue-table")
    assert rows[1][:3] == ["Q003", "refunded_at", "2"]
    assert rows[1][-1] == "a.xlsx!售后!U12"
    checks = dom.table_rows("data-issue-checks")
    assert [(r[0], r[2]) for r in checks] == [("Q001", "1"), ("Q003", "2"), ("Q005", "1")]


def test_coverage_with_reasons_translated(zh_page, en_page):
    rows = {r[0]: r for r in Dom(zh_page).table_rows("coverage-table")}
    assert rows["D001"][2:5] == ["90", "2", "30"]
    assert "导出中没有该字段：首次响应时间（first_response_at）: 30" in rows["D001"][5]
    en_rows = {r[0]: r for r in Dom(en_page).table_rows("coverage-table")}
    assert "field absent: first_response_at: 30" in en_rows["D001"][5]


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("field blank: signed_at", "字段为空：签收时间（signed_at）"),
        ("no policy version in force", "当日没有生效的政策版本"),
        ("rule not in force before 2014-03-15", "2014-03-15 之前该规则尚未生效"),
        (
            "limit unspecified: refund_after_return",
            "政策未明确期限：收到退货后退款时限（refund_after_return）",
        ),
        ("open, not yet due", "处理中，尚未到期"),
        (TIME_OUT_OF_RANGE, "时间超出可显示的年份（1–9999）"),
        ("closed without first_response_at", "已完结但没有首次响应时间（first_response_at）"),
        ("date outside calendar: paid_at", "日期超出工作日日历的年份：付款时间（paid_at）"),
        ("something new", "something new"),
    ],
)
def test_reason_text(reason, expected):
    assert labels.reason_text(reason, "zh") == expected
    assert labels.reason_text(reason, "en") == reason


def test_inputs_and_policies(zh_page):
    dom = Dom(zh_page)
    rows = dom.table_rows("input-table")
    assert rows[0] == [
        "/data/exports/店铺A-2026-03.xlsx",
        "售后单",
        "taobao-refund-c",
        "120",
        "ab" * 32,
    ]
    assert rows[2][1] == "订单"
    policies = [li.text() for li in dom.ids["policy-list"].find_all("li")]
    assert policies == ["cn-law@2024-07-01", "platform-standard@2026-01-01"]  # no stack: refs


def test_policies_show_layer_and_title_from_the_run_stack():
    from auditor.policies import load_stack

    result = sample_result()
    result.stack = load_stack(service=[])
    dom = Dom(html.render(result, "zh"))
    policies = [" ".join(li.text().split()) for li in dom.ids["policy-list"].find_all("li")]
    assert policies[0].startswith("cn-law@2024-07-01 · 法律 · ")
    assert policies[1] == "platform-standard@2026-01-01 · 服务 · 平台通用售后服务标准(2026)"


def test_languages(zh_page, en_page):
    zh, en = Dom(zh_page), Dom(en_page)
    assert zh.root.find_all("html")[0].attrs["lang"] == "zh-CN"
    assert en.root.find_all("html")[0].attrs["lang"] == "en"
    assert zh.root.find_all("h1")[0].text() == "售后合规审计报告"
    assert en.root.find_all("h1")[0].text() == "After-sales compliance audit report"
    assert "Findings by rule" in en_page and "按规则" not in en_page
    # Every label exists in both languages, and the English ones carry no Chinese.
    for key, (zh_text, en_text) in html.LABELS.items():
        assert zh_text and en_text, key
        assert not CJK.search(en_text), key


def test_as_of_and_its_source(zh_page, en_page):
    assert "2026-03-31 23:59:59" in zh_page
    assert "截止时间来源: 命令行 --as-of" in zh_page
    assert "as-of source: --as-of" in en_page
    assert html.as_of_source_text("latest input time", "zh") == "输入中最晚的时间"
    assert html.as_of_source_text("something else", "zh") == "something else"


def test_font_stack_names_the_cjk_fonts(zh_page):
    assert '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"' in zh_page


def test_empty_result_renders_without_charts():
    result = sample_result()
    result.findings = findings_frame([])
    result.kpis = result.kpis.clear()
    result.todo = result.todo.clear()
    result.data_issues = result.data_issues.clear()
    result.coverage = {}
    page = html.render(result, "zh")
    assert "<svg" not in page
    assert "没有违规。" in page and "没有待办。" in page and "没有数据问题。" in page
    assert big(Dom(page), "headline-findings") == "0"


def test_degrades_without_the_rule_registry(monkeypatch):
    monkeypatch.setattr(html, "_registry_rules", lambda: None)
    page = html.render(sample_result(), "en")
    dom = Dom(page)
    assert "rule catalogue is not available" in page
    assert "rule-D011" in dom.ids and "rule-W001" in dom.ids
    rows = {r[0]: r for r in dom.table_rows("by-rule-table")}
    assert rows["D011"][7] == "《消费者权益保护法》第25条"  # basis from the finding itself


def test_catalogue_lists_every_registered_rule(en_page):
    from auditor.rules.registry import all_checks

    dom = Dom(en_page)
    for rule in all_checks():
        doc = dom.ids[f"rule-{rule.id}"]
        assert rule.title_en in doc.text()


def test_user_template_dir_overrides_a_partial(tmp_path):
    (tmp_path / "_summary.html.j2").write_text(
        '<section id="summary"><p id="custom">{{ t("cases") }}: {{ view.summary.cases }}'
        "</p></section>",
        encoding="utf-8",
    )
    page = html.render(sample_result(), "zh", template_dirs=[tmp_path])
    assert '<p id="custom">售后单: 150</p>' in page
    assert 'id="by-rule"' in page  # the other partials still come from the bundle


def test_write_creates_utf8_file(tmp_path):
    target = tmp_path / "report.html"
    html.write(sample_result(), target, "en")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert html.render(sample_result(), "en") == text  # deterministic


def test_templates_are_autoescaped_whatever_their_name():
    env = html.environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_bundled_templates_exist():
    from auditor.resources import templates_dir

    names = {p.name for p in Path(templates_dir()).glob("*.j2")}
    assert "report.html.j2" in names and "_summary.html.j2" in names
