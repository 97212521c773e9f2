"""Stories per day as an inline SVG bar chart, drawn on the server: no script, no download, and it
prints. Time runs left to right with the first and last day labelled, as in the numbers around
it, whatever the page's direction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 600, 110
TOP, BOTTOM, SIDE = 14, 22, 28      # room for the maximum's label, the dates, the count axis


@dataclass(frozen=True)
class DayCounts:
    days: tuple[date, ...]
    counts: tuple[int, ...]


def bar_chart(series: DayCounts, label: str, colour: str = "#2f6f8f") -> Markup:
    """One topic's stories per day; every bar carries its day and count as a tooltip (<title>)."""
    peak = max(series.counts, default=0)
    plot_w, plot_h = WIDTH - SIDE, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(series.days))
    bars = []
    for index, (day, count) in enumerate(zip(series.days, series.counts)):
        height = plot_h * count / peak if peak else 0
        x, y = SIDE + index * step + 1, TOP + plot_h - height
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, step - 2):.1f}" height="{height:.1f}" '
                    f'fill="{colour}"><title>{day.isoformat()}: {count}</title></rect>')
    first, last = (series.days[0], series.days[-1]) if series.days else (None, None)
    axis = (f'<line x1="{SIDE}" y1="{TOP + plot_h}" x2="{WIDTH}" y2="{TOP + plot_h}" stroke="#999"/>'
            f'<text x="{SIDE - 4}" y="{TOP + 4}" text-anchor="end">{peak}</text>'
            f'<text x="{SIDE - 4}" y="{TOP + plot_h}" text-anchor="end">0</text>')
    dates = (f'<text x="{SIDE}" y="{HEIGHT - 6}">{first.isoformat()}</text>'
             f'<text x="{WIDTH}" y="{HEIGHT - 6}" text-anchor="end">{last.isoformat()}</text>') if first else ""
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
                  f'direction="ltr" font-size="11" xmlns="http://www.w3.org/2000/svg">'
                  f'<title>{escape(label)}</title>{axis}{"".join(bars)}{dates}</svg>')
