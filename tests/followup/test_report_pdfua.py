"""The report's structure tree, walked as a screen reader would: PDF/UA-1 tables and figures."""

from followup.report.pdf import render_pdf

from .pdf_tree import elements, kids, problems, rows


def test_a_table_cut_by_page_breaks_stays_one_table_of_rows():
    body = "".join(f"<tr><th scope='row'>Rad {i}</th><td>{i}</td></tr>" for i in range(120))
    html = (
        "<html lang='sv'><head><title>t</title></head><body><h1>Rubrik</h1>"
        "<table><caption>Lång tabell</caption><thead><tr><th scope='col'>Namn</th>"
        f"<th scope='col'>Tal</th></tr></thead><tbody>{body}</tbody></table>"
        "<table><caption>Kort tabell</caption><thead><tr><th scope='col'>A</th></tr></thead>"
        "<tbody><tr><td>x</td></tr></tbody></table></body></html>"
    )
    data = render_pdf(html)
    _pdf, found = elements(data)
    tables = [element for tag, element in found if tag == "/Table"]
    assert len(tables) == 2  # WeasyPrint alone makes one per page: four here
    body_rows = [r for r in rows(tables[0]) if r.P.S == "/TBody"]
    assert len(body_rows) == 120
    assert problems(data) == []


def test_the_walk_finds_what_weasyprint_leaves_out():
    """The check itself can fail: WeasyPrint's untreated output has unscoped headers."""
    from weasyprint import HTML

    html = (
        "<html lang='sv'><head><title>t</title></head><body><h1>R</h1><h3>Hopp</h3>"
        "<table><caption>c</caption><thead><tr><th scope='col'>A</th></tr></thead>"
        "<tbody><tr><td>x</td></tr></tbody></table></body></html>"
    )
    raw = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    found = problems(raw)
    assert "TH with scope None, expected /Column" in found
    assert "heading /H3 after H1" in found


def _page(element):
    while "/Pg" not in element:
        element = next(iter(kids(element)))
    return element.Pg.objgen


def test_the_demo_report_is_tagged_for_screen_readers_and_keeps_headings_with_tables(demo):
    """Every TH scoped, every Table of TR rows, every Figure with /Alt, no skipped heading
    level; and each heading on the page of its table's first rows."""
    from followup.report.render import report_pdf

    data = report_pdf(demo["pitea"], 2024)
    _pdf, found = elements(data)
    tags = [tag for tag, _element in found]
    assert tags.count("/TH") > 100 and tags.count("/Table") > 10 and "/Figure" in tags
    assert problems(data) == []
    heading = None
    checked = 0
    for tag, element in found:
        if tag in ("/H2", "/H3"):
            heading = element
        elif tag == "/Table" and heading is not None:
            first_row = next(r for r in rows(element) if r.P.S != "/THead")
            assert _page(heading) == _page(first_row), str(heading.get("/T", ""))
            heading, checked = None, checked + 1
    assert checked > 10
