"""The SVG chart is pure, labelled for screen readers and escapes every text."""

import xml.etree.ElementTree as ET

from plans.charts import line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_well_formed_labelled_and_escaped():
    svg = line_chart(
        title='Brott <per> "100 000" & fler',
        series=[
            ("Kommunen", {2022: 8470, 2023: 8120.5, 2024: 7930}),
            ("Hela <riket>", {2022: 13840, 2024: 12980}),
        ],
        unit="per 100 000 inv.",
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Brott <per> "100 000" & fler'
    assert root.find(f"{SVG}title").text == 'Brott <per> "100 000" & fler'
    assert "<riket>" not in svg
    assert "Hela &lt;riket&gt;" in svg
    assert len(root.findall(f".//{SVG}polyline")) == 2
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched
    assert "font-face" not in svg


def test_chart_without_values_is_still_a_labelled_image():
    svg = line_chart(title="Tomt", series=[("Kommunen", {})])
    root = ET.fromstring(svg)  # noqa: S314
    assert root.get("aria-label") == "Tomt"


def _read_back(svg):
    """The first series as a reader sees it, and the values the gridlines are labelled with.

    A point counts when it is drawn with its marker (a circle) inside the image and between
    the gridlines; its year is read from the label below it, its value from the gridlines'
    labels beside it."""
    root = ET.fromstring(svg)  # noqa: S314
    _left, _top, width, height = map(float, root.get("viewBox").split())
    group = root.find(f"{SVG}g")
    children = list(group)
    ticks = [  # (y, value) of each gridline, from the label that follows it
        (float(line.get("y1")), float(label.text.replace("\u00a0", "").replace(",", ".")))
        for line, label in zip(children, children[1:], strict=False)
        if line.tag == f"{SVG}line" and label.get("text-anchor") == "end"
    ]
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    years = {
        float(text.get("x")): int(text.text)
        for text in group.findall(f"{SVG}text")
        if text.get("text-anchor") == "middle"
    }
    circles = {(float(c.get("cx")), float(c.get("cy"))) for c in group.findall(f"{SVG}circle")}
    points = [
        tuple(map(float, point.split(",")))
        for point in group.find(f"{SVG}polyline").get("points").split()
    ]
    return [
        (years[x], round(v0 + (y - y0) * (v1 - v0) / (y1 - y0), 2))
        for x, y in points
        if (x, y) in circles and 0 <= x <= width and 0 <= min(y0, y1) <= y <= max(y0, y1) <= height
    ], {value for _y, value in ticks}


def test_single_point_is_drawn_where_its_value_is():
    svg = line_chart(title="En punkt", series=[("A", {2024: -3.5})])
    points, _gridline_values = _read_back(svg)
    assert points == [(2024, -3.5)]


def test_negative_and_positive_values_are_drawn_on_either_side_of_zero():
    svg = line_chart(title="Förändring", series=[("A", {2022: 2, 2023: 0.5, 2024: -3.5})])
    points, gridline_values = _read_back(svg)
    assert points == [(2022, 2.0), (2023, 0.5), (2024, -3.5)]
    assert 0 in gridline_values  # a zero line between the values above and below it
