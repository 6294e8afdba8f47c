"""The dashboard at a glance, the follow-up meeting screen, and the plan page's row tools."""

import datetime
from http import HTTPStatus

from django.urls import reverse

from followup.models import PublishedReport, YearEndReport
from plans.models import Activity, StatusUpdate

from ..factories import (
    make_activity,
    make_goal,
    make_log_entry,
    make_plan_tree,
    make_priority_area,
    make_promise,
    make_strategy,
)


def _publish(agreement, year, by):
    report = YearEndReport.objects.create(agreement=agreement, year=year)
    PublishedReport.objects.create(
        report=report, version=1, pdf=b"%PDF", sha256="0" * 64, size=4, published_by=by
    )


def test_the_dashboard_counts_each_area_by_status_and_light(client_for, agreement, member):
    area = make_priority_area(agreement, name="Trygga miljöer")
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    strategy.goal.priority_area = area
    strategy.goal.save()
    make_activity(strategy, status="ongoing", traffic_light="red")
    make_activity(strategy, status="ongoing", traffic_light="green")
    make_activity(strategy, status="done")
    make_log_entry(make_activity(strategy, title="Loggad"), description="Kvällsvandring i parken")
    page = client_for(member).get(reverse("agreement-detail", args=[agreement.pk]), {"year": 2024})
    text = page.content.decode()
    assert "2024 i korthet" in text
    assert "Pågår: 2</span>" in text
    assert "Klart: 1</span>" in text
    red = '<span class="pb-light pb-light-red"><span class="pb-shape" aria-hidden="true">'
    assert red + "</span>Röd: 1</span>" in text
    assert "Ingen bedömning: 2" in text
    assert "Kvällsvandring i parken" in text  # latest logged work, for the working group


def test_the_reader_sees_the_published_years_figures_without_internal_detail(
    client_for, agreement, reader, coordinator
):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    make_activity(strategy, status="done", traffic_light="green")
    make_log_entry(make_activity(strategy), description="Internt: samtal med rektor")
    make_promise(plan, promise="Fem insatser i veckan")
    url = reverse("agreement-detail", args=[agreement.pk])
    before = client_for(reader).get(url).content.decode()
    assert "när den första årsrapporten har publicerats" in before
    assert "i korthet" not in before

    _publish(agreement, 2024, coordinator)
    text = client_for(reader).get(url, {"year": 2023}).content.decode()
    assert "2024 i korthet" in text  # readers cannot pick an unpublished year
    assert "Klart: 1</span>" in text
    assert "Fem insatser i veckan" in text
    for internal in ["Internt: samtal med rektor", "Närmaste slutdatum", "Arbetsgrupp"]:
        assert internal not in text


def test_dashboard_queries_do_not_grow_with_the_plan(
    client_for, agreement, member, django_assert_max_num_queries
):
    plan, strategy = make_plan_tree(agreement, year=2025)
    make_promise(plan)
    client = client_for(member)
    url = reverse("agreement-detail", args=[agreement.pk]) + "?year=2025"
    # A fixed number: the page, its access check, the cache key's agreements (the
    # municipality's, whose facts step 1 counts) and the dashboard's parts.
    with django_assert_max_num_queries(23) as small:
        assert client.get(url).status_code == HTTPStatus.OK
    for n in range(30):
        goal = (
            make_goal(plan, priority_area=make_priority_area(agreement))
            if n % 10 == 0
            else strategy.goal
        )
        activity = make_activity(make_strategy(goal), end=datetime.date(plan.year, 12, 1))
        make_log_entry(activity, date=datetime.date(plan.year, 3, 1))
        make_promise(plan)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == HTTPStatus.OK


def test_follow_up_lists_each_activity_once_with_its_reasons_and_filters(
    client_for, agreement, member
):
    plan, strategy = make_plan_tree(agreement, year=2024, activities=0)
    both = make_activity(
        strategy,
        title="Både röd och sen",
        status="ongoing",
        traffic_light="red",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 2, 1),
    )
    make_activity(strategy, title="Bara röd", status="planned", traffic_light="red")
    url = reverse("followup:followup-year", args=[agreement.pk, 2024])
    client = client_for(member)
    text = client.get(url).content.decode()
    assert text.count(f"/activities/{both.pk}/followup/") == 1
    row = text[text.index(f"/activities/{both.pk}/followup/") :]
    row = row[: row.index("</tr>")]
    assert '<span class="tag tag-overdue">Försenad</span>' in row
    assert '<span class="tag tag-red">Röd</span>' in row
    assert 'href="?reason=overdue"' in text
    overdue_only = client.get(url, {"reason": "overdue"}).content.decode()
    assert "Både röd och sen" in overdue_only and "Bara röd" not in overdue_only
    # An unknown reason shows everything rather than nothing.
    assert "Bara röd" in client.get(url, {"reason": "<x>"}).content.decode()


def test_plan_search_finds_titles_and_descriptions_of_every_level(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    make_activity(strategy, title="Nattvandring", description="Vuxna ute på fredagar")
    make_activity(strategy, title="Belysning")
    other = make_strategy(strategy.goal, title="Skolsamverkan", description="Med rektorerna")
    make_activity(other, title="Föräldramöte")
    url = reverse("plans:plan-detail", args=[agreement.pk, plan.year])
    client = client_for(member)

    def found(words):
        response = client.get(url, {"q": words})
        tree = response.context["tree"]
        return sorted(a.title for _, goals in tree for _, s in goals for _, acts in s for a in acts)

    assert found("fredagar") == ["Nattvandring"]
    assert found("REKTOR") == ["Föräldramöte"]
    assert found("ingenting sådant") == []


def test_status_changes_from_the_plan_row_with_a_comment_and_returns_to_the_row(
    client_for, agreement, member
):
    plan, strategy = make_plan_tree(agreement, activities=1)
    activity = strategy.activities.get()
    plan_url = reverse("plans:plan-detail", args=[agreement.pk, plan.year])
    page = client_for(member).get(plan_url).content.decode()
    status_url = reverse("followup:activity-status", args=[agreement.pk, activity.pk])
    followup_url = reverse("followup:activity-followup", args=[agreement.pk, activity.pk])
    # The row's "Change status" opens the page's one status form (static/js/pitebra.js aims it
    # at the row's status URL); without JavaScript it leads to the activity's status form.
    assert f'href="{followup_url}#status" data-status-dialog=' in page
    assert page.count('id="status-dialog"') == 1
    followup_page = client_for(member).get(followup_url).content.decode()
    assert f'action="{status_url}"' in followup_page
    response = client_for(member).post(
        status_url,
        {
            "status": "ongoing",
            "traffic_light": "yellow",
            "comment": "Lokalen saknas",
            "next": f"{plan_url}#activity-{activity.pk}",
        },
    )
    assert response["Location"] == f"{plan_url}#activity-{activity.pk}"
    activity.refresh_from_db()
    assert (activity.status, activity.traffic_light) == ("ongoing", "yellow")
    assert StatusUpdate.objects.get(activity=activity).comment == "Lokalen saknas"


def test_status_form_refuses_a_missing_comment_and_foreign_return_addresses(
    client_for, agreement, member, other_agreement
):
    plan, strategy = make_plan_tree(agreement, activities=1)
    activity = strategy.activities.get()
    status_url = reverse("followup:activity-status", args=[agreement.pk, activity.pk])
    client = client_for(member)
    response = client.post(status_url, {"status": "done", "traffic_light": "", "comment": ""})
    activity.refresh_from_db()
    assert activity.status != Activity.Status.DONE
    followup = reverse("followup:activity-followup", args=[agreement.pk, activity.pk])
    for evil in [
        "https://evil.example/",
        "//evil.example/x",
        reverse("agreement-detail", args=[other_agreement.pk]),
    ]:
        response = client.post(
            status_url, {"status": "ongoing", "traffic_light": "", "comment": "ok", "next": evil}
        )
        assert response["Location"].startswith(followup), evil


def test_an_adopted_plan_says_so_next_to_its_edit_links(client_for, agreement, member, coordinator):
    plan, strategy = make_plan_tree(agreement, activities=2)
    url = reverse("plans:plan-detail", args=[agreement.pk, plan.year])
    assert "fastställd plan" not in client_for(member).get(url).content.decode()
    client_for(coordinator).post(reverse("plans:plan-adopt", args=[agreement.pk, plan.year]))
    text = client_for(member).get(url).content.decode()
    # goal: edit + add strategy; strategy: add activity + edit; the activities' shared menu;
    # goal and promise adds
    assert text.count('<span class="adopted-note">fastställd plan</span>') >= 7


def test_the_plan_page_renders_no_url_tag_per_row(client_for, agreement, member):
    """Rows build their links from one prefix: a thousand rows cost no reversing."""
    plan, strategy = make_plan_tree(agreement, activities=3)
    text = (
        client_for(member)
        .get(reverse("plans:plan-detail", args=[agreement.pk, plan.year]))
        .content.decode()
    )
    for activity in strategy.activities.all():
        assert reverse("plans:activity-detail", args=[agreement.pk, activity.pk]) in text
        assert reverse("followup:activity-followup", args=[agreement.pk, activity.pk]) in text


def test_timeline_and_plan_queries_do_not_grow_with_activities(
    client_for, agreement, member, django_assert_max_num_queries
):
    plan, strategy = make_plan_tree(agreement, activities=2)
    # One row in every list from the start: a list with no rows skips its query, which is
    # not growth with size.
    make_activity(
        strategy,
        title="Aktivitet först",
        start=datetime.date(plan.year, 1, 1),
        end=datetime.date(plan.year, 2, 1),
    )
    client = client_for(member)
    urls = [
        reverse("plans:plan-timeline", args=[agreement.pk, plan.year]),
        reverse("plans:plan-detail", args=[agreement.pk, plan.year]) + "?q=Aktivitet",
        # A reason some rows have from the start ("stale": nothing logged): a list that is
        # empty needs no query for its rows, and the count is of a list with rows.
        reverse("followup:followup-year", args=[agreement.pk, plan.year]) + "?reason=stale",
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(25) as small:
            assert client.get(url).status_code == HTTPStatus.OK
        counts.append(len(small.captured_queries))
    for n in range(40):
        goal = make_goal(plan) if n % 10 == 0 else strategy.goal
        make_activity(
            make_strategy(goal),
            title=f"Aktivitet {n}",
            start=datetime.date(plan.year, 1, 1),
            end=datetime.date(plan.year, 2, 1),
        )
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == HTTPStatus.OK
