"""The page shell (the header with the agreement switcher, the agreement's crumbs and tabs) is
cached, costs a warm page at most three queries beyond its cached content, and is never stale
nor another user's: a change of membership, role, language or an agreement's short name shows
at once, and one user's switcher never reaches another.

These tests commit for real (`transaction=True`): data versions are bumped after a commit.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pitebra import pagecache
from pitebra.models import Membership
from plans.views import plan as plan_views

from ..factories import make_member, make_plan_tree

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = timezone.localdate().year


def header(page):
    text = page.content.decode()
    return text[text.index("<header") : text.index("</header>")]


def switcher(page):
    """The agreement names the header's switcher lists."""
    return re.findall(r'class="dropdown-item[^>]*>([^<]+)<span', header(page))


@pytest.fixture
def in_two(agreement, other_agreement):
    user = make_member(agreement, username="tvagrupper", first_name="Tove", last_name="Två")
    make_member(other_agreement, user=user)
    return user


def plan_url(agreement):
    return reverse("plans:plan-detail", args=[agreement.pk, YEAR])


def test_a_warm_plan_page_adds_at_most_three_queries_to_its_cached_content(
    client_for, in_two, agreement, monkeypatch
):
    make_plan_tree(agreement, YEAR, activities=5)
    client = client_for(in_two)
    url = plan_url(agreement)
    assert switcher(client.get(url))  # the switcher is part of what is measured
    client.get(url)  # warm: the content and the shell are cached
    # The queries that reach and serve the cached content (session, user, access, the plan and
    # its version) end where the view's cached part returns; the rest is the shell's.
    marks = []
    real = pagecache.cached_part

    def marked(*args, **kwargs):
        html = real(*args, **kwargs)
        marks.append(len(connection.queries))
        return html

    monkeypatch.setattr(plan_views.pagecache, "cached_part", marked)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    content = marks[0] - queries.initial_queries
    shell = len(queries) - content
    assert shell <= 3, [q["sql"] for q in queries.captured_queries[content:]]
    assert content <= 6, [q["sql"] for q in queries.captured_queries[:content]]
    assert "Tove Två" in header(page) or "tvagrupper" in header(page)


def test_the_switcher_follows_membership_at_once(client_for, in_two, agreement, other_agreement):
    client = client_for(in_two)
    url = reverse("agreement-detail", args=[agreement.pk])
    assert sorted(switcher(client.get(url))) == sorted([agreement.name, other_agreement.name])
    Membership.objects.filter(user=in_two, agreement=other_agreement).delete()
    page = client.get(url)
    assert switcher(page) == []  # one group left: no switcher at all
    assert other_agreement.name not in header(page)
    make_member(other_agreement, user=in_two)
    assert sorted(switcher(client.get(url))) == sorted([agreement.name, other_agreement.name])


def test_the_header_and_tabs_follow_a_change_of_role(client_for, in_two, agreement):
    client = client_for(in_two)
    url = reverse("agreement-detail", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert "Logga arbete" in page and "Administration" not in page
    membership = Membership.objects.get(user=in_two, agreement=agreement)
    membership.role = Membership.Role.COORDINATOR
    membership.save()
    assert "Administration" in header(client.get(url))
    membership.role = Membership.Role.READER
    membership.save()
    # Still a member of the other agreement, so “Log work” may lead there; this agreement's
    # tabs are a reader's now.
    page = client.get(url).content.decode()
    assert "Administration" not in page
    tabs = page[page.index('aria-label="Överenskommelsens delar"') :]
    assert "Planer" not in tabs[: tabs.index("</nav>")]
    assert "Genomförandeplan" not in tabs[: tabs.index("</nav>")]


def test_the_header_follows_the_language(client_for, in_two, agreement):
    client = client_for(in_two)
    url = reverse("agreement-detail", args=[agreement.pk])
    assert "Mina överenskommelser" in header(client.get(url))
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = header(client.get(url))
    assert "My agreements" in english and "Mina överenskommelser" not in english
    client.post(reverse("set_language"), {"language": "sv", "next": url})
    assert "Mina överenskommelser" in header(client.get(url))


def test_the_switcher_shows_a_renamed_agreement_at_once(
    client_for, in_two, agreement, other_agreement
):
    client = client_for(in_two)
    url = reverse("home")
    assert other_agreement.name in switcher(client.get(url))
    other_agreement.short_name = "Kommun 4 nytt namn"
    other_agreement.save()
    assert "Kommun 4 nytt namn" in switcher(client.get(url))


def test_no_user_ever_sees_another_users_switcher(in_two, agreement, other_agreement):
    """Users on the same pages, in turns: each header is their own, also between two people
    in the same working groups with the same roles."""
    only_one = make_member(agreement, username="enbart", first_name="Ella", last_name="En")
    twin = make_member(agreement, username="tvilling", first_name="Tor", last_name="Tvilling")
    make_member(other_agreement, user=twin)
    clients = {}
    for user in (in_two, only_one, twin):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    for url in (reverse("home"), reverse("agreement-detail", args=[agreement.pk])) * 2:
        mine = header(clients["tvagrupper"].get(url))
        theirs = header(clients["enbart"].get(url))
        twins = header(clients["tvilling"].get(url))
        assert other_agreement.name in mine and "Tove Två" in mine and "Tor" not in mine
        assert other_agreement.name not in theirs and "agreement-switch" not in theirs
        assert "Ella En" in theirs and "Tove Två" not in theirs
        assert "Tor Tvilling" in twins and "Tove Två" not in twins


def test_each_page_gets_its_own_language_return_path_and_csrf_token(client_for, in_two, agreement):
    client = client_for(in_two)
    for url in (reverse("home"), reverse("agreement-detail", args=[agreement.pk]) + "?x=1&y=2"):
        page = header(client.get(url))
        assert f'name="next" type="hidden" value="{url.replace("&", "&amp;")}"' in page
        assert pagecache.CSRF_PLACEHOLDER not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert len(token) == 64


def count_renders(monkeypatch, target, name):
    calls = []
    real = getattr(target, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, counted)
    return calls


def test_users_with_the_same_groups_share_one_header_each_with_their_own_name(
    agreement, monkeypatch
):
    """In a national installation thousands of users share a few headers: one per set of
    working groups and roles, the name put in after the cache, escaped."""
    from pitebra.navigation import Navigation

    renders = count_renders(monkeypatch, Navigation, "_render_header")
    first = make_member(agreement, username="forsta", first_name="Frida", last_name="Först")
    second = make_member(agreement, username="andra", first_name="<b>Adam", last_name="Andra")
    url = reverse("agreement-detail", args=[agreement.pk])
    pages = {}
    for user in (first, second):
        client = Client()
        client.force_login(user)
        pages[user.username] = header(client.get(url))
    assert len(renders) == 1
    assert "Frida Först" in pages["forsta"] and "Adam" not in pages["forsta"]
    assert "&lt;b&gt;Adam Andra" in pages["andra"] and "Frida" not in pages["andra"]
    assert "<b>Adam" not in pages["andra"]


def test_a_write_in_the_plan_leaves_the_header_cached_a_new_name_renews_it(
    client_for, in_two, agreement, monkeypatch
):
    from pitebra.navigation import Navigation

    _plan, strategy = make_plan_tree(agreement, YEAR, activities=2)
    client = client_for(in_two)
    url = plan_url(agreement)
    client.get(url)
    renders = count_renders(monkeypatch, Navigation, "_render_header")
    activity = strategy.activities.first()
    activity.title = "Nytt namn på aktiviteten"
    activity.save()
    page = client.get(url)
    assert "Nytt namn på aktiviteten" in page.content.decode()  # the plan itself is renewed
    assert renders == []  # the header shows nothing of the plan: still cached
    agreement.short_name = "Kommun nytt kortnamn"
    agreement.save()
    assert "Kommun nytt kortnamn" in switcher(client.get(url))
    assert len(renders) == 1


def test_members_share_the_dashboard_and_each_sees_only_the_successors_they_may_open(
    agreement, monkeypatch
):
    from tests.factories import make_agreement

    successor = make_agreement(
        title="Nästa överenskommelse", municipality=agreement.municipality, previous=agreement
    )
    from pitebra import views

    contexts = []
    real = pagecache.cached_part

    def counted(request, name, template, context_fn, **kwargs):
        def build():
            contexts.append(name)
            return context_fn()

        return real(request, name, template, build, **kwargs)

    monkeypatch.setattr(views.pagecache, "cached_part", counted)
    inside = make_member(agreement, username="inne", first_name="Ina", last_name="Inne")
    make_member(successor, user=inside)
    outside = make_member(agreement, username="ute", first_name="Ulf", last_name="Ute")
    also_outside = make_member(agreement, username="ute2", first_name="Ulla", last_name="Ute")
    url = reverse("agreement-detail", args=[agreement.pk])
    seen = {}
    for user in (outside, also_outside, inside):
        client = Client()
        client.force_login(user)
        page = client.get(url).content.decode()
        seen[user.username] = page[page.index("</header>") :]
    assert len(contexts) == 2  # one for those who may open the successor, one for the rest
    link = f'href="{reverse("agreement-detail", args=[successor.pk])}"'
    assert link in seen["inne"]
    assert link not in seen["ute"]
    assert link not in seen["ute2"]


def page_renders(monkeypatch):
    """The pages rendered from templates (a whole page from the cache renders none)."""
    from django.template import loader

    rendered = []
    real = loader.render_to_string

    def counted(template_name, *args, **kwargs):
        rendered.append(template_name)
        return real(template_name, *args, **kwargs)

    monkeypatch.setattr(loader, "render_to_string", counted)
    return rendered


def test_a_warm_dashboard_is_served_whole_each_user_with_their_name_and_token(
    agreement, monkeypatch
):
    first = make_member(agreement, username="hel1", first_name="Hanna", last_name="Hel")
    second = make_member(agreement, username="hel2", first_name="<i>Hugo", last_name="Hel")
    url = reverse("agreement-detail", args=[agreement.pk])
    clients = {}
    for user in (first, second):
        clients[user.username] = Client(enforce_csrf_checks=True)
        clients[user.username].force_login(user)
    clients["hel1"].get(url)  # the page is built
    rendered = page_renders(monkeypatch)
    page = clients["hel2"].get(url).content.decode()
    assert "pitebra/agreement_detail.html" not in rendered  # served whole from the cache
    mine_header = header(clients["hel2"].get(url))
    assert "&lt;i&gt;Hugo Hel" in mine_header and "Hanna" not in mine_header
    assert "<i>Hugo" not in page  # the members table lists both, escaped
    assert pagecache.CSRF_PLACEHOLDER not in page
    assert "__pitebra_user_placeholder__" not in page
    mine = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    other = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', clients["hel1"].get(url).content.decode()
    ).group(1)
    assert mine != other
    switch = {"language": "en", "next": url}
    with_other = clients["hel2"].post(
        reverse("set_language"), {**switch, "csrfmiddlewaretoken": other}
    )
    assert with_other.status_code == 403
    with_mine = clients["hel2"].post(
        reverse("set_language"), {**switch, "csrfmiddlewaretoken": mine}
    )
    assert with_mine.status_code == 302


def test_a_whole_page_follows_role_day_and_data_and_shows_a_waiting_message(agreement, monkeypatch):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    member = make_member(agreement, username="medlemmen")
    reader = make_member(agreement, Membership.Role.READER, username="lasaren")
    _plan, strategy = make_plan_tree(agreement, YEAR, activities=1)
    url = reverse("followup:followup-year", args=[agreement.pk, YEAR])
    as_member, as_reader = Client(), Client()
    as_member.force_login(member)
    as_reader.force_login(reader)
    assert as_member.get(url).status_code == 200
    assert as_reader.get(url).status_code in (403, 404)  # readers have no follow-up: not shared
    rendered = page_renders(monkeypatch)
    as_member.get(url)
    assert "followup/followup_year.html" not in rendered
    # A write in the agreement renews it.
    activity = strategy.activities.get()
    activity.title = "Omdöpt aktivitet"
    activity.save()
    assert "Omdöpt aktivitet" in as_member.get(url).content.decode()
    assert rendered.count("followup/followup_year.html") == 1
    # So does the next day.
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    as_member.get(url)
    assert rendered.count("followup/followup_year.html") == 2
    # A message waiting for the user is shown, not left out by the cache.
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, "Mötet sparades.")
    carrier = HttpResponse()
    storage.update(carrier)
    as_member.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    assert "Mötet sparades." in as_member.get(url).content.decode()
