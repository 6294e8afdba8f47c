"""seed_bench makes benchmark agreements of the size asked for, and replaces its own earlier run."""

import io

import pytest
from django.core.management import CommandError, call_command

from followup.models import LogEntry
from pitebra.models import Agreement, Membership
from plans.models import Activity
from tests.factories import make_agreement


def _seed(**kw):
    call_command("seed_bench", force=True, stdout=io.StringIO(), year=2026, **kw)


@pytest.mark.django_db
def test_makes_the_number_of_activities_asked_for_in_each_agreement():
    _seed(activities=30, agreements=3)
    bench = Agreement.objects.filter(title__startswith="Benchmark ")
    assert bench.count() == 3
    for agreement in bench:
        activities = Activity.objects.filter(strategy__goal__plan__agreement=agreement)
        assert activities.count() == 30
        assert LogEntry.objects.filter(activity__in=activities).count() == 60
    # Each agreement has a working group of its own, as in a national installation: the
    # benchmark user coordinates the first and sees no other.
    first = bench.get(title="Benchmark 1")
    assert list(
        Membership.objects.filter(user__username="bench").values_list("agreement", "role")
    ) == [(first.pk, "coordinator")]
    assert Membership.objects.filter(agreement__in=bench, role="coordinator").count() == 3


@pytest.mark.django_db
def test_running_again_replaces_its_own_data_and_leaves_other_agreements_alone():
    other = make_agreement(title="Piteå")
    _seed(activities=10, agreements=2)
    _seed(activities=5)
    assert Agreement.objects.filter(title__startswith="Benchmark ").count() == 1
    assert Activity.objects.count() == 5
    assert Agreement.objects.filter(pk=other.pk).exists()
    assert not Membership.objects.filter(user__username="bench-2").exists()


@pytest.mark.django_db
def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_bench", activities=1, stdout=io.StringIO())
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_working_group_of_the_size_asked_for_each_agreement_its_own():
    """The national load test's installation: each agreement's 20 people see it alone."""
    _seed(activities=3, agreements=2, users=4)
    for agreement in Agreement.objects.filter(title__startswith="Benchmark "):
        group = Membership.objects.filter(agreement=agreement)
        assert group.count() == 4
        assert sorted(group.values_list("role", flat=True)) == ["coordinator"] + ["member"] * 3
        assert (
            not Membership.objects.filter(user__in=group.values("user"))
            .exclude(agreement=agreement)
            .exists()
        )
    _seed(activities=1)
    assert not Membership.objects.filter(user__username__startswith="bench-1-").exists()
