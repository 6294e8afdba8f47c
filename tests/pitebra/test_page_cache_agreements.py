"""One data version per agreement: a write in one agreement leaves every other agreement's
cached pages valid, and every watched model's write (save, delete, m2m link, bulk service)
bumps the agreement it belongs to, or the shared version for users and organisations.

The versions are written after a commit: these tests run the on-commit callbacks of the
test's own transaction with `django_capture_on_commit_callbacks(execute=True)`.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pitebra import pagecache
from pitebra.models import Agreement, Membership
from pitebra.permissions import agreement_path
from plans.services.plan import item_move

from ..factories import (
    make_activity,
    make_agreement,
    make_goal,
    make_indicator,
    make_meeting,
    make_member,
    make_organisation,
    make_plan,
    make_strategy,
)

YEAR = 2025
PAGES = ["plans:plan-detail", "plans:plan-timeline", "followup:followup-year"]


def watched_models():
    return [
        model
        for app in sorted(pagecache.WATCHED_APPS)
        for model in apps.get_app_config(app).get_models()
        if pagecache.watches(model)
    ]


def settle():
    """Write the versions the test's own (never committed) transaction has bumped so far, as
    its commit would: the pages cache from here on."""
    for _ids, func, *_rest in connection.run_on_commit:
        if isinstance(func, pagecache._Pending) and not func.done:
            func()


def versions(*agreements):
    return {a.pk: pagecache.data_version(a) for a in agreements}


@pytest.fixture
def two(db):
    """Agreements A and B, each with a plan of one activity and a member who has seen it."""
    made = {}
    for name in ("A", "B"):
        agreement = make_agreement(title=f"Överenskommelse {name}")
        plan = make_plan(agreement, YEAR)
        strategy = make_strategy(make_goal(plan, title=f"Mål {name}"))
        activity = make_activity(strategy, title=f"Aktivitet {name}")
        member = make_member(agreement, Membership.Role.COORDINATOR, username=f"medlem{name}")
        made[name] = {"agreement": agreement, "plan": plan, "activity": activity, "user": member}
    settle()
    return made


def test_a_write_in_b_leaves_as_cached_pages_hits(client, two, django_capture_on_commit_callbacks):
    a, b = two["A"], two["B"]
    client.force_login(a["user"])
    for name in PAGES:  # A's pages are rendered and cached
        assert client.get(reverse(name, args=[a["agreement"].pk, YEAR])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        b["activity"].title = "Ändrad i B"
        b["activity"].save()

    for name in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, args=[a["agreement"].pk, YEAR]))
        assert response.status_code == 200
        assert "Aktivitet A" in response.content.decode()
        # A hit: the part came from the cache, no activity was read to render it.
        assert not [q for q in queries if "plans_activity" in q["sql"]], name

    client.force_login(b["user"])
    html = client.get(reverse("plans:plan-detail", args=[b["agreement"].pk, YEAR]))
    assert "Ändrad i B" in html.content.decode()


def test_a_write_in_a_is_a_miss_for_a(client, two, django_capture_on_commit_callbacks):
    a = two["A"]
    client.force_login(a["user"])
    url = reverse("plans:plan-detail", args=[a["agreement"].pk, YEAR])
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        a["activity"].title = "Ändrad i A"
        a["activity"].save()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "Ändrad i A" in html
    assert [q for q in queries if "plans_activity" in q["sql"]]


def test_every_watched_model_is_tied_to_an_agreement_or_declared_shared():
    """A model added tomorrow is either found under its agreement or listed as shared: never
    silently shared, which would evict every agreement's pages on each of its writes."""
    for model in watched_models():
        if model is Agreement or model in pagecache.shared_models():
            continue
        assert agreement_path(model), model


def test_each_watched_models_save_and_delete_bump_its_own_agreement_only(
    demo, django_capture_on_commit_callbacks
):
    """Rows of every watched model in the demo: saving one changes its agreement's version (or
    the shared one) and no other; so does deleting one (cascades included)."""
    settle()
    agreements = list(Agreement.objects.all())
    missing, wrong, deleted = [], [], set()

    def check(model, obj, action):
        expected = _expected(obj)
        before = {**versions(*agreements), "shared": pagecache.versions()}
        with django_capture_on_commit_callbacks(execute=True):
            try:
                with transaction.atomic():
                    obj.save() if action == "save" else obj.delete()
            except (ProtectedError, IntegrityError, ValidationError):
                return  # a row that may not change (published, protected) bumps nothing
        after = {**versions(*agreements), "shared": pagecache.versions()}
        changed = {key for key in before if before[key] != after[key]}
        if changed != expected:
            wrong.append((model._meta.label, action, changed, expected))
        if action == "delete":
            deleted.add(model._meta.label)

    for model in watched_models():
        rows = list(model._base_manager.all()[:3])
        if not rows:
            missing.append(model._meta.label)
        for obj in rows:
            check(model, obj, "save")
    for model in reversed(watched_models()):
        if model is Agreement or model in pagecache.shared_models():
            continue  # their deletion takes the demo with it; a shared row is covered above
        for obj in model._base_manager.all()[:1]:
            check(model, obj, "delete")
    assert not wrong
    # What the demo has no row of is covered by the other tests here; the list stays short.
    assert len(missing) <= 6, missing
    assert len(deleted) >= 15, deleted


def _expected(obj):
    """The keys of `versions()` a write of obj changes: its agreement (shared: all of them)."""
    if type(obj) in pagecache.shared_models():
        return set(Agreement.objects.values_list("pk", flat=True)) | {"shared"}
    if isinstance(obj, Agreement):
        return {pk for pk in (obj.pk, obj.previous_id) if pk}
    path = agreement_path(type(obj))
    pk = type(obj)._base_manager.filter(pk=obj.pk).values_list(f"{path}__pk", flat=True).get()
    return {pk}


def test_m2m_links_bump_the_agreement_not_the_shared_version(
    two, django_capture_on_commit_callbacks
):
    a, b = two["A"], two["B"]
    meeting = make_meeting(a["agreement"])
    partner = make_organisation(name="Fritidsgården")
    settle()
    shared_before = pagecache.versions()
    before = versions(a["agreement"], b["agreement"])
    with django_capture_on_commit_callbacks(execute=True):
        meeting.attendees.add(a["user"])
        a["activity"].partners.add(partner)
    after = versions(a["agreement"], b["agreement"])
    assert after[a["agreement"].pk] != before[a["agreement"].pk]
    assert after[b["agreement"].pk] == before[b["agreement"].pk]
    assert pagecache.versions() == shared_before
    # From the other side: the organisation joins B's agreement as a party.
    with django_capture_on_commit_callbacks(execute=True):
        partner.partner_agreements.add(b["agreement"])
    assert versions(b["agreement"])[b["agreement"].pk] != after[b["agreement"].pk]
    assert versions(a["agreement"])[a["agreement"].pk] == after[a["agreement"].pk]


def test_bulk_services_bump_the_agreement_they_write(two, django_capture_on_commit_callbacks):
    from plans.services.imports import ObservationRow, observations_import

    a, b = two["A"], two["B"]
    strategy = a["activity"].strategy
    make_activity(strategy, title="Andra i A")
    indicator = make_indicator(b["agreement"])
    settle()
    before = versions(a["agreement"], b["agreement"])
    with django_capture_on_commit_callbacks(execute=True):
        item_move(item=a["activity"], siblings=strategy.activities.all(), direction="down")
    middle = versions(a["agreement"], b["agreement"])
    assert middle[a["agreement"].pk] != before[a["agreement"].pk]
    assert middle[b["agreement"].pk] == before[b["agreement"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        observations_import(
            rows=[
                ObservationRow(
                    line=1,
                    indicator=indicator,
                    year=YEAR,
                    subperiod="",
                    scope="",
                    gender="",
                    value=1,
                )
            ]
        )
    after = versions(a["agreement"], b["agreement"])
    assert after[b["agreement"].pk] != middle[b["agreement"].pk]
    assert after[a["agreement"].pk] == middle[a["agreement"].pk]


def test_a_user_change_is_shared_and_reaches_every_agreement(
    two, django_capture_on_commit_callbacks
):
    before = versions(two["A"]["agreement"], two["B"]["agreement"])
    user = two["A"]["user"]
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Nytt namn"
        user.save()
    after = versions(two["A"]["agreement"], two["B"]["agreement"])
    assert all(after[pk] != before[pk] for pk in before)


def test_a_login_bumps_nothing(two, django_capture_on_commit_callbacks):
    from django.utils import timezone

    before = pagecache.data_version()
    user = two["A"]["user"]
    with django_capture_on_commit_callbacks(execute=True):
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    assert pagecache.data_version() == before


def test_facts_of_a_sibling_agreement_renew_the_dashboard_of_the_same_municipality(
    client, two, django_capture_on_commit_callbacks
):
    """Facts belong to the municipality: a new indicator in its next agreement changes what the
    first one's dashboard counts in step 1, while another municipality's write stays a hit."""
    a = two["A"]
    sibling = make_agreement(
        municipality=a["agreement"].municipality, first_year=2026, last_year=2028
    )
    settle()
    client.force_login(a["user"])
    url = reverse("agreement-detail", args=[a["agreement"].pk])
    client.get(url)

    def indicator_read():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return any("plans_indicator" in q["sql"] for q in queries)

    with django_capture_on_commit_callbacks(execute=True):
        make_indicator(two["B"]["agreement"])
    assert not indicator_read()  # another municipality's fact: still a hit

    with django_capture_on_commit_callbacks(execute=True):
        make_indicator(sibling)
    assert indicator_read()  # the same municipality's fact: built afresh


def test_the_versions_found_with_the_agreements_are_those_versions_gives(
    two, django_capture_on_commit_callbacks
):
    """The dashboard finds its agreements and their versions in one query: the same key as
    asking for the versions of those agreements, renewed by a write in any of them."""
    a, b = two["A"]["agreement"], two["B"]["agreement"]
    both = Agreement.objects.filter(pk__in=[a.pk, b.pk])

    def found():
        rows, version = pagecache.agreements_with_versions(both, "title")
        assert sorted(rows) == [("Överenskommelse A",), ("Överenskommelse B",)]
        assert version == pagecache.versions([a, b])
        return version

    before = found()
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(two["B"]["activity"].strategy, title="Ny i B")
    assert found() != before
    rows, version = pagecache.agreements_with_versions(Agreement.objects.none(), "title")
    assert rows == [] and version == pagecache.versions([])
