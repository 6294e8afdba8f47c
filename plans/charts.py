"""Line charts as SVG text, drawn on the server: the same chart serves the page and the PDF.

Pure: data in, SVG out; no fonts or URLs fetched, every piece of text escaped.
"""

import math
from html import escape

# Colour and dash both tell the series apart, so colour is never the only cue.
STYLES = [
    ("#0a58ca", ""),
    ("#b02a37", "6 4"),
    ("#146c43", "2 3"),
    ("#6f42c1", "8 3 2 3"),
]
MARKERS = ["circle", "square", "diamond", "triangle"]


def svg_text(value) -> str:
    """Any value as text safe inside an SVG element or attribute (every chart's one escaping)."""
    return escape(str(value))


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _format(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        corners = [(x, y - 4.5), (x + 4.5, y), (x, y + 4.5), (x - 4.5, y)]
        points = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "triangle":
        points = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def line_chart(
    *,
    title: str,
    series: list[tuple[str, dict[int, float]]],
    unit: str = "",
    description: str = "",
    width: int = 640,
    height: int = 300,
) -> str:
    """An SVG line chart of one or more series of {year: value}, labelled for screen readers."""
    series = [(label, points) for label, points in series if points]
    years = sorted({year for _label, points in series for year in points})
    label = svg_text(title)
    summary = svg_text(description or title)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-label="{label}" font-family="DejaVu Sans, sans-serif" font-size="12">'
        f"<title>{label}</title><desc>{summary}</desc>"
    )
    if not years:
        return head + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">–</text></svg>'

    legend_rows = math.ceil(len(series) / 2)
    left, right, bottom = 64, 16, 36
    top = 16 + 18 * legend_rows + (22 if unit else 6)
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _label, points in series for v in points.values()]
    low, high = min(0.0, min(values)), max(values)
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = max(math.ceil(high / step) * step, low + step)

    def x_of(year):
        if len(years) == 1:
            return left + plot_w / 2
        return left + plot_w * (years.index(year) / (len(years) - 1))

    def y_of(value):
        return top + plot_h * (1 - (float(value) - low) / (high - low))

    parts = [head, '<g aria-hidden="true">']
    tick = low
    while tick <= high + step / 2:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ced4da"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#212529">'
            f"{svg_text(_format(tick))}</text>"
        )
        tick += step
    every = max(1, math.ceil(len(years) / 10))
    for index, year in enumerate(years):
        if index % every == 0:
            parts.append(
                f'<text x="{x_of(year):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                f'fill="#212529">{year}</text>'
            )
    if unit:
        parts.append(f'<text x="4" y="{top - 12}" fill="#212529">{svg_text(unit)}</text>')
    for index, (name, points) in enumerate(series):
        colour, dash = STYLES[index % len(STYLES)]
        marker = MARKERS[index % len(MARKERS)]
        coords = [(x_of(year), y_of(points[year])) for year in years if year in points]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            '<polyline fill="none" stroke-width="2.5" stroke="{}"{} points="{}"/>'.format(
                colour, dash_attr, " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            )
        )
        parts.extend(_marker(marker, x, y, colour) for x, y in coords)
        lx = left + (index % 2) * (plot_w / 2)
        ly = 14 + 18 * (index // 2)
        parts.append(
            f'<line x1="{lx:.1f}" x2="{lx + 28:.1f}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>{_marker(marker, lx + 14, ly - 4, colour)}'
            f'<text x="{lx + 34:.1f}" y="{ly}" fill="#212529">{svg_text(name)}</text>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def decimals_needed(values, *, most: int = 2) -> int:
    """How many decimals a column needs so that every value in it shows the same number of
    them (14,80 beside 14,00, never 14 beside 14,80)."""
    needed = 0
    for value in values:
        if value is None:
            continue
        text = f"{float(value):.{most}f}".rstrip("0")
        needed = max(needed, len(text.split(".")[1]) if "." in text else 0)
    return needed


def indicator_chart(indicator, *, until: int | None = None):
    """An indicator's chart (SVG) against its comparison scopes, and the rows of its table.

    Serves the facts pages and the year-end report alike; `until` ends it at a year (the
    report's), so a report never shows values from after its year.
    """
    from django.utils.translation import gettext as _

    from .models import Observation

    series = indicator.series()
    if until is not None:
        series = {
            scope: {y: v for y, v in points.items() if y <= until}
            for scope, points in series.items()
        }
    labels = dict(Observation.Scope.choices)
    present = [scope for scope in Observation.Scope.values if series[scope]]
    years = sorted({year for scope in present for year in series[scope]})
    title = indicator.name + (f" ({indicator.unit})" if indicator.unit else "")
    description = _(
        "Line chart of %(name)s per year: %(scopes)s. The table beside it has the values."
    ) % {
        "name": indicator.name,
        "scopes": ", ".join(str(labels[s]) for s in present),
    }
    chart = line_chart(
        title=title,
        series=[(str(labels[scope]), series[scope]) for scope in present],
        unit=indicator.unit,
        description=description,
    )
    decimals = decimals_needed(v for scope in present for v in series[scope].values())
    return {
        "indicator": indicator,
        "chart": chart,
        "number_format": f"{decimals}g",
        "description": description,
        "columns": [labels[scope] for scope in present],
        "rows": [(year, [series[scope].get(year) for scope in present]) for year in years],
    }
