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


def test_single_point_and_negative_values_are_drawn():
    svg = line_chart(title="En punkt", series=[("A", {2024: -3.5})])
    ET.fromstring(svg)  # noqa: S314
    assert "<circle" in svg
