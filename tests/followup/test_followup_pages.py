"""The follow-up page lists what needs attention a page at a time past `PAGE_ROWS`."""

import datetime
import re

from django.urls import reverse

from pitebra import paging

from ..factories import make_activity, make_plan_tree


def test_what_needs_attention_comes_a_page_at_a_time(client_for, agreement, member, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_ROWS", 2)
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    for n in range(3):
        make_activity(strategy, title=f"Sen {n}", status="ongoing", end=datetime.date(2024, 3, 1))
    client = client_for(member)
    url = reverse("followup:followup-year", args=[agreement.pk, 2024])

    def late(query):
        return re.findall(r">(Sen \d)</a></th>", client.get(url + query).content.decode())

    first, second = late("?reason=overdue"), late("?reason=overdue&page=2")
    assert len(first) == 2 and len(second) == 1
    assert sorted(first + second) == ["Sen 0", "Sen 1", "Sen 2"]
    page = client.get(url + "?reason=overdue").content.decode()
    assert 'href="?reason=overdue&amp;page=2#attention" rel="next">Nästa sida</a>' in page
    assert "Behöver uppmärksamhet (3)" in page  # the count is of them all, not of the page


def test_the_report_preview_pages_its_activities_and_the_pdf_lists_them_all(
    client_for, agreement, member, monkeypatch
):
    from followup.report.content import build_report
    from followup.report.render import report_html

    monkeypatch.setattr(paging, "PAGE_ROWS", 2)
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    for n in range(3):
        make_activity(strategy, title=f"Rad {n}")
    client = client_for(member)
    url = reverse("followup:report-preview-document", args=[agreement.pk, 2024])

    def rows(query):
        page = client.get(url + query).content.decode()
        return re.findall(r'<th scope="row">(Rad \d)</th>', page), page

    (first, page), (second, _page) = rows(""), rows("?page=2")
    assert len(first) == 2 and len(second) == 1
    assert sorted(first + second) == ["Rad 0", "Rad 1", "Rad 2"]
    assert "Sida 1 av 2: rad 1–2 av 3" in page
    assert "Planen hade 3 aktiviteter." in page  # the figures count every activity
    pdf_html = report_html(build_report(agreement, 2024), for_pdf=True)
    assert sorted(re.findall(r"<th scope=\"row\">(Rad \d)</th>", pdf_html)) == sorted(
        first + second
    )
    assert "Nästa sida" not in pdf_html


def test_the_wheel_sums_activities_per_month_past_a_page(
    client_for, agreement, member, monkeypatch
):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    for n in range(3):
        make_activity(
            strategy,
            title=f"Hjul {n}",
            start=datetime.date(2024, 3, 1 + n),
            end=datetime.date(2024, 4, 10),
        )
    client = client_for(member)
    url = reverse("followup:wheel", args=[agreement.pk, 2024])
    one_by_one = client.get(url).content.decode()
    assert all(f"Hjul {n}" in one_by_one for n in range(3))
    monkeypatch.setattr(paging, "PAGE_ROWS", 2)
    from django.core.cache import cache

    cache.clear()
    summed = client.get(url).content.decode()
    assert "Hjul 0" not in summed
    assert "aktivitetsringen visar hur många som pågår varje månad" in summed
    assert "3 aktiviteter pågår" in summed  # March and April, each a link to the timeline
    timeline = reverse("plans:plan-timeline", args=[agreement.pk, 2024])
    assert summed.count(f'<a href="{timeline}">3 aktiviteter pågår</a>') == 2
