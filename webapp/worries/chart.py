"""A small server-drawn SVG line chart of one person's scores on one worry. No chart library."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 34, 12, 12, 28


def score_chart(
    points: Sequence[tuple[date, int]], label: str, first_label: str = "", last_label: str = "", baseline: int | None = None
) -> Markup:
    """An SVG of scores over time (oldest on the start side). The page's table carries the numbers.

    With `baseline` (the index of the baseline score), a dashed line at its score shows the distance travelled since.
    """
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(score: int) -> float:
        return TOP + plot_h * (10 - score) / 10

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" focusable="false">'
    ]
    for score in (0, 5, 10):
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(score):.1f}" y2="{y(score):.1f}"/>')
        parts.append(f'<text class="chart-axis" x="{LEFT - 8}" y="{y(score) + 4:.1f}" text-anchor="end">{score}</text>')
    if points:
        count = len(points)
        step = plot_w / (count - 1) if count > 1 else 0
        coords = [(LEFT + (i * step if count > 1 else plot_w / 2), y(score)) for i, (_when, score) in enumerate(points)]
        if count > 1:
            path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coords)
            parts.append(f'<polyline class="chart-line" points="{path}"/>')
        if baseline is not None and 0 <= baseline < count:
            level = coords[baseline][1]
            parts.append(
                f'<line class="chart-baseline" x1="{coords[baseline][0]:.1f}" x2="{WIDTH - RIGHT}" y1="{level:.1f}" y2="{level:.1f}"'
                ' stroke-dasharray="4 3"/>'
            )
        for i, (x, yy) in enumerate(coords):
            shape = "chart-dot chart-dot-baseline" if i == baseline else "chart-dot"
            parts.append(f'<circle class="{shape}" cx="{x:.1f}" cy="{yy:.1f}" r="{6 if i == baseline else 4.5}"/>')
        parts.append(f'<text class="chart-axis" x="{LEFT}" y="{HEIGHT - 8}" text-anchor="start">{escape(first_label)}</text>')
        if count > 1:
            parts.append(f'<text class="chart-axis" x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end">{escape(last_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
