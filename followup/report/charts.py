"""Small server-side SVG charts for the report: the same image serves the page and the PDF."""

import base64

from plans.charts import svg_text

COLOURS = {
    "done": "#146c43",
    "ongoing": "#0a58ca",
    "planned": "#6c757d",
    "postponed": "#7a4d00",
    "cancelled": "#b02a37",
}


def status_bars_svg(counts: dict, labels: dict, *, width=420, bar_height=18) -> str:
    """Horizontal bars, one per status, with the count written beside each bar."""
    rows = [(key, counts.get(key, 0)) for key in COLOURS]
    top = max([n for _k, n in rows] + [1])
    label_width, gap = 110, 6
    height = len(rows) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    for i, (key, n) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        bar = int((width - label_width - 40) * n / top)
        parts.append(
            f'<text x="0" y="{y + bar_height - 5}" fill="#212529">{svg_text(labels[key])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" '
            f'fill="{COLOURS[key]}"/>'
            f'<text x="{label_width + bar + 4}" y="{y + bar_height - 5}" fill="#212529">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def as_data_uri(svg: str) -> str:
    """An <img>-ready URI, so the PDF tags the chart as a figure with its alternative text."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def describe_counts(counts: dict, labels: dict) -> str:
    """The chart's alternative text: the same numbers in words."""
    return ", ".join(f"{labels[k]}: {counts.get(k, 0)}" for k in COLOURS)
