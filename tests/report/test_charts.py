"""The SVG chart module: well-formed SVG, one mark per datum, proportional sizes, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from auditor.report import charts
from auditor.report.charts import Series

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on malformed markup or unescaped text
    assert root.tag == f"{SVG}svg"
    assert root.get("class") == "chart"
    return root


def marks(root: ET.Element, tag: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if e.get("class") == "mark"]


def test_bar_chart_draws_one_bar_per_item_proportional_to_value():
    root = parse(charts.bar_chart([("D001", 40), ("W001", 10), ("A001", 0)], title="按规则"))
    bars = marks(root, "rect")
    assert len(bars) == 3
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == pytest.approx(4 * widths[1])
    assert widths[2] == 0
    assert root.find(f"{SVG}title").text == "按规则"


def test_bar_chart_escapes_labels_and_title():
    evil = "<script>alert(1)</script>"
    svg = charts.bar_chart([(evil, 3)], title=f'"{evil}"')
    assert "<script>" not in svg
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and t.startswith("<script>") for t in texts)  # shown as text, shortened
    assert root.get("aria-label") == f'"{evil}"'


def test_long_labels_are_shortened_with_full_text_in_the_tooltip():
    label = "一个非常非常非常非常非常非常非常非常非常长的店铺名称旗舰店"
    root = parse(charts.bar_chart([(label, 1)], title="t", width=400))
    shown = next(t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end")
    assert shown.endswith("…") and len(shown) < len(label)
    assert marks(root, "rect")[0].find(f"{SVG}title").text.startswith(label)


def test_stacked_bars_split_each_category_into_its_series():
    series = [
        Series("critical", [1, 0], charts.SEVERITY_COLOURS["critical"]),
        Series("error", [2, 5]),
        Series("warning", [3, 5]),
    ]
    root = parse(charts.stacked_bar_chart(["店铺A", "店铺B"], series, title="按店铺"))
    segs = marks(root, "rect")
    assert len(segs) == 5  # the zero part draws nothing
    a = [s for s in segs if s.find(f"{SVG}title").text.startswith("店铺A")]
    b = [s for s in segs if s.find(f"{SVG}title").text.startswith("店铺B")]
    width_a = sum(float(s.get("width")) for s in a)
    width_b = sum(float(s.get("width")) for s in b)
    assert width_b == pytest.approx(width_a * 10 / 6)
    # segments of one bar abut: each starts where the previous ended
    xs = [(float(s.get("x")), float(s.get("width"))) for s in a]
    assert xs[1][0] == pytest.approx(xs[0][0] + xs[0][1], abs=0.01)
    assert a[0].get("fill") == charts.SEVERITY_COLOURS["critical"]
    legend = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "legend-swatch"]
    assert len(legend) == 3


def test_grouped_bars_draw_one_bar_per_series_and_category():
    series = [Series("违规", [4, 2]), Series("严重", [1, None])]
    root = parse(charts.grouped_bar_chart(["A", "B"], series, title="对比"))
    assert len(marks(root, "rect")) == 3  # None is no bar


def test_line_chart_points_and_gaps():
    series = [Series("K001", [0.9, None, 0.95, 0.97]), Series("K002", [0.5, 0.6, 0.7, 0.8])]
    root = parse(
        charts.line_chart(
            ["2026-01", "2026-02", "2026-03", "2026-04"],
            series,
            title="趋势",
            value_format=charts.percent_format,
            y_max=1.0,
        )
    )
    circles = marks(root, "circle")
    assert len(circles) == 7
    lines = marks(root, "polyline")
    assert len(lines) == 2  # K001's gap leaves a single point (no line) + one line; K002 one line
    # higher values sit higher on the page (smaller y)
    k2 = [c for c in circles if c.find(f"{SVG}title").text.startswith("K002")]
    ys = [float(c.get("cy")) for c in k2]
    assert ys == sorted(ys, reverse=True)


def test_line_chart_with_one_month_still_draws_a_point():
    root = parse(charts.line_chart(["2026-03"], [Series("违规数", [12])], title="t"))
    assert len(marks(root, "circle")) == 1
    assert not marks(root, "polyline")


def test_empty_bar_chart_is_valid_svg_without_marks():
    root = parse(charts.bar_chart([], title="空"))
    assert marks(root, "rect") == []


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (7, 10), (10, 10), (11, 20), (23, 25), (260, 500), (0.93, 1)]
)
def test_nice_max(value, expected):
    assert charts.nice_max(value) == pytest.approx(expected)


def test_text_width_counts_cjk_as_one_em():
    assert charts.text_width("售后", 10) == pytest.approx(20)
    assert charts.text_width("ab", 10) == pytest.approx(12)


def test_line_chart_baseline_can_start_above_zero():
    root = parse(
        charts.line_chart(
            ["1", "2"],
            [Series("K001", [0.9, 1.0])],
            title="t",
            y_min=0.9,
            y_max=1.0,
            value_format=charts.percent_format,
            height=240,
        )
    )
    low, high = (float(c.get("cy")) for c in marks(root, "circle"))
    assert low == pytest.approx(240 - 24)  # on the baseline
    assert high < low - 100  # a 10-point change spans most of the plot
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "90.0%" in labels and "100.0%" in labels and "0.0%" not in labels


def test_dot_chart_places_each_value_on_a_shared_axis():
    series = [Series("K001", [0.9, 1.0]), Series("K002", [0.95, None])]
    root = parse(
        charts.dot_chart(
            ["店铺A", "店铺B"],
            series,
            title="KPI",
            x_min=0.9,
            x_max=1.0,
            value_format=charts.percent_format,
        )
    )
    dots = marks(root, "circle")
    assert len(dots) == 3  # None draws nothing
    xs = {d.find(f"{SVG}title").text: float(d.get("cx")) for d in dots}
    low, mid, high = (
        xs["店铺A · K001: 90.0%"],
        xs["店铺A · K002: 95.0%"],
        xs["店铺B · K001: 100.0%"],
    )
    assert mid - low == pytest.approx(high - mid)  # linear from the lifted origin
    assert low < mid < high
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "90.0%" in labels and "100.0%" in labels
