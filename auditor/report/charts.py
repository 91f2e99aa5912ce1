"""Small inline-SVG charts for report.html: pure Python, no browser runtime, no dependencies.

Every function returns one ``<svg class="chart">`` string. All text (labels, titles, series
names) is escaped here, so the caller may mark the result safe. Every drawn datum carries the
class ``mark`` (bars, points, lines), which the browser test counts. Data arrive already
aggregated and capped by the view model: these functions never see a finding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Colours read on white and in greyscale print; severities keep their conventional hues.
PALETTE = ("#2f6fb0", "#e08a1e", "#3a9a5b", "#b5423c", "#7b5ea7", "#5d6d7e", "#c4a000", "#1b998b")
SEVERITY_COLOURS = {
    "critical": "#8e1b1b",
    "error": "#d0433a",
    "warning": "#e5a023",
    "info": "#6c8ebf",
}

_FONT_PX = 12
_ROW_PX = 22
_BAR_PX = 14


@dataclass(frozen=True)
class Series:
    """One named series of values, aligned with the chart's categories (None = no value)."""

    name: str
    values: Sequence[float | None]
    colour: str = ""


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    # Short, stable coordinates: two decimals, no trailing zeros.
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, font_px: float = _FONT_PX) -> float:
    """Estimated rendered width: CJK and full-width characters are one em, others ~0.6 em."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return (wide + 0.6 * (len(text) - wide)) * font_px


def shorten(text: str, max_px: float, font_px: float = _FONT_PX) -> str:
    """Cut a label to fit ``max_px`` (estimated), ending with an ellipsis when cut."""
    if text_width(text, font_px) <= max_px:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", font_px) > max_px:
            break
        out += ch
    return out + "…"


def default_format(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def percent_format(value: float) -> str:
    return f"{value * 100:.1f}%"


def nice_max(value: float) -> float:
    """The smallest 1/2/2.5/5 × 10^k at or above ``value`` (an axis end a reader can use)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value - 1e-12:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _open_svg(width: float, height: float, title: str) -> list[str]:
    return [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'aria-label="{_esc(title)}">',
        f"<title>{_esc(title)}</title>",
    ]


def _legend(series: Sequence[Series], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend swatches laid out left to right, wrapping; returns the parts and the height used."""
    parts: list[str] = []
    cx, cy = x, y
    for item in series:
        item_w = 16 + text_width(item.name) + 14
        if cx + item_w > x + width and cx > x:
            cx, cy = x, cy + 18
        parts.append(
            f'<rect class="legend-swatch" x="{_num(cx)}" y="{_num(cy)}" width="10" height="10" '
            f'fill="{_esc(item.colour)}"/>'
            f'<text x="{_num(cx + 14)}" y="{_num(cy + 9)}" font-size="{_FONT_PX}">'
            f"{_esc(item.name)}</text>"
        )
        cx += item_w
    return parts, (cy - y) + 18 if series else 0


def _coloured(series: Sequence[Series]) -> list[Series]:
    return [
        s if s.colour else Series(s.name, s.values, PALETTE[i % len(PALETTE)])
        for i, s in enumerate(series)
    ]


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    colour: str = PALETTE[0],
    colours: Sequence[str] | None = None,
    value_format: Callable[[float], str] = default_format,
    label_max: float = 220,
) -> str:
    """Horizontal bars, one row per (label, value), in the order given."""
    label_w = min(label_max, max((text_width(lbl) for lbl, _ in items), default=40) + 8)
    value_w = max((text_width(value_format(v)) for _, v in items), default=20) + 10
    plot_w = max(60.0, width - label_w - value_w - 8)
    height = len(items) * _ROW_PX + 12
    top = max((v for _, v in items), default=0)
    scale = plot_w / nice_max(top) if top > 0 else 0.0
    parts = _open_svg(width, height, title)
    for i, (label, value) in enumerate(items):
        y = 6 + i * _ROW_PX
        fill = colours[i] if colours else colour
        bar_w = max(value * scale, 1.0 if value > 0 else 0.0)
        parts.append(
            f'<text x="{_num(label_w - 8)}" y="{_num(y + 12)}" text-anchor="end" '
            f'font-size="{_FONT_PX}">{_esc(shorten(label, label_w - 8))}</text>'
            f'<rect class="mark" x="{_num(label_w)}" y="{_num(y + 2)}" width="{_num(bar_w)}" '
            f'height="{_BAR_PX}" fill="{_esc(fill)}"><title>{_esc(label)}: '
            f"{_esc(value_format(value))}</title></rect>"
            f'<text x="{_num(label_w + bar_w + 4)}" y="{_num(y + 12)}" font-size="{_FONT_PX}">'
            f"{_esc(value_format(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    value_format: Callable[[float], str] = default_format,
) -> str:
    """Horizontal bars per category, each split into the series' parts (e.g. severities)."""
    series = _coloured(series)
    totals = [sum((s.values[i] or 0) for s in series) for i in range(len(categories))]
    label_w = min(220.0, max((text_width(c) for c in categories), default=40) + 8)
    value_w = max((text_width(value_format(t)) for t in totals), default=20) + 10
    plot_w = max(60.0, width - label_w - value_w - 8)
    legend, legend_h = _legend(series, label_w, 4, plot_w)
    body_top = 8 + legend_h
    height = body_top + len(categories) * _ROW_PX + 8
    top = max(totals, default=0)
    scale = plot_w / nice_max(top) if top > 0 else 0.0
    parts = _open_svg(width, height, title) + legend
    for i, category in enumerate(categories):
        y = body_top + i * _ROW_PX
        parts.append(
            f'<text x="{_num(label_w - 8)}" y="{_num(y + 12)}" text-anchor="end" '
            f'font-size="{_FONT_PX}">{_esc(shorten(category, label_w - 8))}</text>'
        )
        x = label_w
        for s in series:
            value = s.values[i] or 0
            if value <= 0:
                continue
            seg_w = max(value * scale, 1.0)
            parts.append(
                f'<rect class="mark" x="{_num(x)}" y="{_num(y + 2)}" width="{_num(seg_w)}" '
                f'height="{_BAR_PX}" fill="{_esc(s.colour)}"><title>{_esc(category)} · '
                f"{_esc(s.name)}: {_esc(value_format(value))}</title></rect>"
            )
            x += seg_w
        parts.append(
            f'<text x="{_num(x + 4)}" y="{_num(y + 12)}" font-size="{_FONT_PX}">'
            f"{_esc(value_format(totals[i]))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    value_format: Callable[[float], str] = default_format,
) -> str:
    """Horizontal bars per category, one thin bar per series side by side (compare shops)."""
    series = _coloured(series)
    values = [v for s in series for v in s.values if v is not None]
    label_w = min(220.0, max((text_width(c) for c in categories), default=40) + 8)
    value_w = max((text_width(value_format(v)) for v in values), default=20) + 10
    plot_w = max(60.0, width - label_w - value_w - 8)
    legend, legend_h = _legend(series, label_w, 4, plot_w)
    body_top = 8 + legend_h
    bar_h = 10
    group_h = bar_h * len(series) + 8
    height = body_top + len(categories) * group_h + 8
    top = max(values, default=0)
    scale = plot_w / nice_max(top) if top > 0 else 0.0
    parts = _open_svg(width, height, title) + legend
    for i, category in enumerate(categories):
        y0 = body_top + i * group_h
        parts.append(
            f'<text x="{_num(label_w - 8)}" y="{_num(y0 + group_h / 2 + 2)}" text-anchor="end" '
            f'font-size="{_FONT_PX}">{_esc(shorten(category, label_w - 8))}</text>'
        )
        for j, s in enumerate(series):
            value = s.values[i]
            if value is None:
                continue
            y = y0 + 4 + j * bar_h
            bar_w = max(value * scale, 1.0 if value > 0 else 0.0)
            parts.append(
                f'<rect class="mark" x="{_num(label_w)}" y="{_num(y)}" width="{_num(bar_w)}" '
                f'height="{bar_h - 2}" fill="{_esc(s.colour)}"><title>{_esc(category)} · '
                f"{_esc(s.name)}: {_esc(value_format(value))}</title></rect>"
                f'<text x="{_num(label_w + bar_w + 3)}" y="{_num(y + 8)}" font-size="10">'
                f"{_esc(value_format(value))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def dot_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    value_format: Callable[[float], str] = default_format,
    x_min: float = 0.0,
    x_max: float | None = None,
) -> str:
    """One row per category, one dot per series on a shared horizontal axis that may start
    above zero: for comparing shares that all sit close together (shops' KPIs near 95%)."""
    series = _coloured(series)
    values = [v for s in series for v in s.values if v is not None]
    right = x_max if x_max is not None else nice_max(max(values, default=0))
    left = min(x_min, right)
    label_w = min(220.0, max((text_width(c) for c in categories), default=40) + 8)
    plot_left, plot_right = label_w + 4, width - 24
    legend, legend_h = _legend(series, plot_left, 4, plot_right - plot_left)
    body_top = 8 + legend_h
    axis_y = body_top + len(categories) * _ROW_PX + 4
    height = axis_y + 20

    def x_at(v: float) -> float:
        if right <= left:
            return plot_left
        share = (min(max(v, left), right) - left) / (right - left)
        return plot_left + share * (plot_right - plot_left)

    parts = _open_svg(width, height, title) + legend
    for k in range(5):
        tick = left + (right - left) * k / 4
        x = x_at(tick)
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(body_top)}" x2="{_num(x)}" y2="{_num(axis_y)}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{_num(x)}" y="{_num(axis_y + 14)}" text-anchor="middle" font-size="11">'
            f"{_esc(value_format(tick))}</text>"
        )
    for i, category in enumerate(categories):
        y = body_top + i * _ROW_PX + _ROW_PX / 2
        parts.append(
            f'<text x="{_num(label_w - 4)}" y="{_num(y + 4)}" text-anchor="end" '
            f'font-size="{_FONT_PX}">{_esc(shorten(category, label_w - 8))}</text>'
            f'<line x1="{_num(plot_left)}" y1="{_num(y)}" x2="{_num(plot_right)}" '
            f'y2="{_num(y)}" stroke="#eee" stroke-width="1"/>'
        )
        for s in series:
            value = s.values[i]
            if value is None:
                continue
            parts.append(
                f'<circle class="mark" cx="{_num(x_at(value))}" cy="{_num(y)}" r="5" '
                f'fill="{_esc(s.colour)}" fill-opacity="0.85"><title>{_esc(category)} · '
                f"{_esc(s.name)}: {_esc(value_format(value))}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
    value_format: Callable[[float], str] = default_format,
    y_max: float | None = None,
    y_min: float = 0.0,
) -> str:
    """Lines over ordered x labels (months); a None value breaks the line; points are marked.

    ``y_min`` lifts the baseline (a line, unlike a bar, may start above zero: KPI shares that
    all sit between 90% and 100% would otherwise be one flat line at the top)."""
    series = _coloured(series)
    values = [v for s in series for v in s.values if v is not None]
    top = y_max if y_max is not None else nice_max(max(values, default=0))
    bottom = min(y_min, top)
    ticks = [bottom + (top - bottom) * k / 4 for k in range(5)]
    axis_w = max(text_width(value_format(t)) for t in ticks) + 10
    legend, legend_h = _legend(series, axis_w, 4, width - axis_w - 10)
    plot_top = 10 + legend_h
    plot_bottom = height - 24
    # Room on the right for the last month's label, which is centred on its point.
    plot_left, plot_right = axis_w, width - 8 - text_width(x_labels[-1] if x_labels else "") / 2
    plot_h = plot_bottom - plot_top
    step = (plot_right - plot_left) / max(len(x_labels) - 1, 1)

    def x_at(i: int) -> float:
        # A single month sits in the middle rather than on the axis.
        return plot_left + (i * step if len(x_labels) > 1 else (plot_right - plot_left) / 2)

    def y_at(v: float) -> float:
        if top <= bottom:
            return plot_bottom
        return plot_bottom - (min(max(v, bottom), top) - bottom) / (top - bottom) * plot_h

    parts = _open_svg(width, height, title) + legend
    for t in ticks:
        y = y_at(t)
        parts.append(
            f'<line x1="{_num(plot_left)}" y1="{_num(y)}" x2="{_num(plot_right)}" y2="{_num(y)}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{_num(plot_left - 6)}" y="{_num(y + 4)}" text-anchor="end" font-size="11">'
            f"{_esc(value_format(t))}</text>"
        )
    label_every = max(1, math.ceil(len(x_labels) * 60 / max(plot_right - plot_left, 1)))
    for i, label in enumerate(x_labels):
        if i % label_every == 0:
            parts.append(
                f'<text x="{_num(x_at(i))}" y="{_num(height - 8)}" text-anchor="middle" '
                f'font-size="11">{_esc(label)}</text>'
            )
    for s in series:
        for segment in _segments(s.values):
            if len(segment) > 1:
                points = " ".join(f"{_num(x_at(i))},{_num(y_at(v))}" for i, v in segment)
                parts.append(
                    f'<polyline class="mark" points="{points}" fill="none" '
                    f'stroke="{_esc(s.colour)}" stroke-width="2"/>'
                )
            for i, v in segment:
                parts.append(
                    f'<circle class="mark" cx="{_num(x_at(i))}" cy="{_num(y_at(v))}" r="3" '
                    f'fill="{_esc(s.colour)}"><title>{_esc(s.name)} · {_esc(x_labels[i])}: '
                    f"{_esc(value_format(v))}</title></circle>"
                )
    parts.append("</svg>")
    return "".join(parts)


def _segments(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive present values, with their x index."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, float(v)))
    if current:
        runs.append(current)
    return runs
