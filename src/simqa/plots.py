"""Inline SVG plots for the HTML report: grouped bars, threshold curves, a histogram."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

W, H = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 28, 64
COLORS = ("#2f6db3", "#d9822b", "#3c9a5f", "#a4508b", "#6c757d")


def _frame(plot_id: str, title: str, body: list[str], legend: Sequence[str] = ()) -> str:
    items = []
    for i, name in enumerate(legend):
        x = LEFT + i * 170
        items.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLORS[i % 5]}"/>'
                     f'<text x="{x + 16}" y="16" class="legend">{escape(name)}</text>')
    return (f'<svg id="{plot_id}" class="plot" role="img" viewBox="0 0 {W} {H}" '
            f'width="{W}" height="{H}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>{''.join(items)}{''.join(body)}</svg>")


def _y_axis(label: str, top: float = 1.0, ticks: int = 5, fmt: str = "{:.1f}") -> list[str]:
    out = []
    for i in range(ticks + 1):
        value = top * i / ticks
        y = _y(value, top)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                   f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
                   f"{fmt.format(value)}</text>")
    out.append(f'<text transform="translate(14 {TOP + (H - TOP - BOTTOM) / 2}) rotate(-90)" '
               f'text-anchor="middle" class="axis-label">{escape(label)}</text>')
    return out


def _y(value: float, top: float) -> float:
    span = H - TOP - BOTTOM
    return H - BOTTOM - span * (value / top if top else 0.0)


def grouped_bars(plot_id: str, title: str, groups: Sequence[str],
                 series: dict[str, Sequence[float | None]], y_label: str = "score") -> str:
    """One group of bars per category (e.g. question type), one colour per series (metric)."""
    body = _y_axis(y_label)
    n_series = max(len(series), 1)
    slot = (W - LEFT - RIGHT) / max(len(groups), 1)
    bar = min(28.0, slot * 0.8 / n_series)
    for g, group in enumerate(groups):
        x0 = LEFT + g * slot + (slot - bar * n_series) / 2
        for s, (name, values) in enumerate(series.items()):
            value = values[g]
            if value is None:
                continue
            y = _y(value, 1.0)
            body.append(f'<rect class="bar" x="{x0 + s * bar:.1f}" y="{y:.1f}" '
                        f'width="{bar - 1:.1f}" height="{H - BOTTOM - y:.1f}" '
                        f'fill="{COLORS[s % 5]}"><title>{escape(group)} {escape(name)}: '
                        f"{value:.3f}</title></rect>")
        cx = LEFT + g * slot + slot / 2
        body.append(f'<text transform="translate({cx:.1f} {H - BOTTOM + 12}) rotate(35)" '
                    f'class="tick">{escape(group)}</text>')
    return _frame(plot_id, title, body, list(series))


def curves(plot_id: str, title: str, xs: Sequence[float], series: dict[str, Sequence[float]],
           marker: float | None = None, marker_label: str = "", x_label: str = "") -> str:
    """Lines over a shared x axis (e.g. a threshold sweep), with an optional vertical marker."""
    body = _y_axis("share of items")
    low, high = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if marker is not None:
        low, high = min(low, marker), max(high, marker)
    width = (high - low) or 1.0

    def x_of(value: float) -> float:
        return LEFT + (W - LEFT - RIGHT) * (value - low) / width

    for i in range(6):
        value = low + width * i / 5
        body.append(f'<text x="{x_of(value):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" '
                    f'class="tick">{value:.2f}</text>')
    body.append(f'<text x="{LEFT + (W - LEFT - RIGHT) / 2}" y="{H - 24}" text-anchor="middle" '
                f'class="axis-label">{escape(x_label)}</text>')
    for s, (name, values) in enumerate(series.items()):
        points = " ".join(f"{x_of(x):.1f},{_y(v, 1.0):.1f}" for x, v in zip(xs, values,
                                                                             strict=True))
        body.append(f'<polyline class="curve" data-series="{escape(name)}" points="{points}" '
                    f'fill="none" stroke="{COLORS[s % 5]}" stroke-width="2"/>')
    if marker is not None:
        mx = x_of(marker)
        body.append(f'<line id="{plot_id}-marker" class="marker" x1="{mx:.1f}" x2="{mx:.1f}" '
                    f'y1="{TOP}" y2="{H - BOTTOM}" stroke="#c0392b" stroke-dasharray="4 3"/>'
                    f'<text x="{mx + 4:.1f}" y="{TOP + 12}" class="marker-label">'
                    f"{escape(marker_label)}</text>")
    return _frame(plot_id, title, body, list(series))


def histogram(plot_id: str, title: str, values: Sequence[float], bins: int = 20,
              x_label: str = "", scale: float = 1.0, unit: str = "") -> str:
    """Counts of values in equal-width bins; scale converts values for the axis labels."""
    if not values:
        return _frame(plot_id, title, ['<text x="60" y="60">no data</text>'])
    low, high = min(values), max(values)
    width = (high - low) / bins or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - low) / width))] += 1
    top = max(counts)
    step = max(1, math.ceil(top / 5))
    top = step * 5
    body = _y_axis("questions", top=top, fmt="{:.0f}")
    slot = (W - LEFT - RIGHT) / bins
    for i, count in enumerate(counts):
        y = _y(count, top)
        lo = (low + i * width) * scale
        body.append(f'<rect class="bar" x="{LEFT + i * slot + 1:.1f}" y="{y:.1f}" '
                    f'width="{slot - 2:.1f}" height="{H - BOTTOM - y:.1f}" fill="{COLORS[0]}">'
                    f"<title>{lo:.1f}-{lo + width * scale:.1f} {unit}: {count}</title></rect>")
    digits = 0 if (high - low) * scale >= 10 else 1 if (high - low) * scale >= 1 else 2
    for i in range(0, bins + 1, max(1, bins // 5)):
        x = LEFT + i * slot
        body.append(f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" '
                    f'class="tick">{(low + i * width) * scale:.{digits}f}</text>')
    body.append(f'<text x="{LEFT + (W - LEFT - RIGHT) / 2}" y="{H - 24}" text-anchor="middle" '
                f'class="axis-label">{escape(x_label)}</text>')
    return _frame(plot_id, title, body)
