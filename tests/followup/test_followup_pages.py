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
