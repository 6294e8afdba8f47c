"""Navigation: the current agreement remembered, the switcher, “Log work”, breadcrumbs and the
agreement's tabs on every page inside it; and the templates keep to the coming strict CSP."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

from pitebra.models import Membership
from pitebra.navigation import COOKIE

from ..factories import make_member, make_plan_tree

BREADCRUMB = '<nav aria-label="Brödsmulor">\n  <ol class="breadcrumb'


@pytest.fixture
def in_two(agreement, other_agreement):
    """A police officer in two working groups."""
    user = make_member(agreement, username="tvagrupper")
    make_member(other_agreement, user=user)
    return user


def test_a_page_inside_an_agreement_makes_it_the_current_one(client_for, in_two, other_agreement):
    client = client_for(in_two)
    response = client.get(reverse("agreement-detail", args=[other_agreement.pk]))
    assert response.cookies[COOKIE].value == str(other_agreement.pk)
    assert response.cookies[COOKIE]["httponly"]
    # Back on a page outside any agreement, “Log work” goes straight to that agreement's form.
    home = client.get(reverse("home")).content.decode()
    log_form = reverse("followup:log-create", args=[other_agreement.pk])
    assert f'href="{log_form}">Logga arbete</a>' in home
    response = client.get(reverse("log-work"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == log_form


def test_without_a_current_agreement_someone_in_two_groups_chooses(client_for, in_two):
    page = client_for(in_two).get(reverse("log-work"))
    assert page.status_code == HTTPStatus.OK
    assert "Vilken överenskommelse gäller arbetet?" in page.content.decode()


def test_a_forged_cookie_for_someone_elses_agreement_is_ignored(client, in_two, agreement):
    stranger = make_member(agreement, username="bara-en")  # member of `agreement` only
    client.force_login(stranger)
    client.cookies[COOKIE] = "999999"
    response = client.get(reverse("log-work"))
    assert response["Location"] == reverse("followup:log-create", args=[agreement.pk])


def test_the_switcher_lists_my_agreements_only_when_i_have_several(
    client_for, in_two, agreement, other_agreement, member
):
    page = client_for(in_two).get(reverse("home")).content.decode()
    assert "agreement-switch" in page
    for item in (agreement, other_agreement):
        assert reverse("agreement-detail", args=[item.pk]) in page
    single = client_for(member).get(reverse("home")).content.decode()
    assert "agreement-switch" not in single


def test_readers_get_no_log_link_and_only_their_tabs(client_for, agreement, reader):
    page = client_for(reader).get(reverse("agreement-detail", args=[agreement.pk]))
    text = page.content.decode()
    assert "Logga arbete" not in text
    tab_nav = text[text.index('aria-label="Överenskommelsens delar"') :]
    tab_nav = tab_nav[: tab_nav.index("</nav>")]
    tabs = re.findall(r'<a class="nav-link[^"]*"[^>]*>([^<]+)</a>', tab_nav)
    assert tabs == ["Översikt", "Rapporter"]


@pytest.mark.parametrize(
    "name",
    [
        "plans:activity-detail",
        "plans:activity-edit",
        "followup:activity-followup",
        "plans:goal-edit",
        "plans:strategy-edit",
    ],
)
def test_breadcrumbs_and_tabs_on_item_pages(client_for, agreement, member, name):
    plan, strategy = make_plan_tree(agreement, activities=1)
    activity = strategy.activities.get()
    pk = {"plans:goal-edit": strategy.goal_id, "plans:strategy-edit": strategy.pk}.get(
        name, activity.pk
    )
    text = client_for(member).get(reverse(name, args=[agreement.pk, pk])).content.decode()
    assert BREADCRUMB in text
    assert 'aria-label="Överenskommelsens delar"' in text
    section = "Uppföljning" if name.startswith("followup") else "Genomförandeplan"
    assert re.search(rf'active" aria-current="page" href="[^"]+">{section}</a>', text)
    assert f'<a href="{reverse("agreement-detail", args=[agreement.pk])}">' in text


def test_the_report_preview_sits_inside_the_agreement_with_its_actions(
    client_for, agreement, coordinator
):
    text = (
        client_for(coordinator)
        .get(reverse("followup:report-preview", args=[agreement.pk, 2024]))
        .content.decode()
    )
    assert BREADCRUMB in text
    for url in [
        reverse("followup:report-list", args=[agreement.pk]),
        reverse("followup:report-draft-pdf", args=[agreement.pk, 2024]),
        reverse("followup:report-publish", args=[agreement.pk, 2024]),
    ]:
        assert url in text


def test_the_header_collapses_with_bootstraps_script_served_by_the_app(client_for, member):
    text = client_for(member).get(reverse("home")).content.decode()
    assert 'data-bs-toggle="collapse" data-bs-target="#site-menu"' in text
    assert re.search(
        r'<script src="/static/js/bootstrap\.bundle\.min(\.[0-9a-f]+)?\.js" defer>', text
    )


def test_no_template_has_inline_scripts_or_event_handlers():
    """A strict Content-Security-Policy ('self' scripts only) must not break any page."""
    offenders = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(str(path))
    assert offenders == []


def test_remembering_an_agreement_costs_no_query(
    client_for, agreement, member, django_assert_max_num_queries
):
    client = client_for(member)
    url = reverse("plans:plan-list", args=[agreement.pk])
    client.get(url)  # the cookie is set now
    with django_assert_max_num_queries(8) as first:
        client.get(reverse("plans:plan-list", args=[agreement.pk]))
    client.cookies.pop(COOKIE)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert COOKIE in response.cookies


def test_membership_role_changes_what_the_log_link_does(client_for, agreement):
    user = make_member(agreement, role=Membership.Role.READER, username="blir-medlem")
    assert "Logga arbete" not in client_for(user).get(reverse("home")).content.decode()
    Membership.objects.filter(user=user).update(role=Membership.Role.MEMBER)
    text = client_for(user).get(reverse("home")).content.decode()
    assert reverse("followup:log-create", args=[agreement.pk]) in text
