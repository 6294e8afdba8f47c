"""The merge form rests on the model's conditional UPDATE alone.

A stale form is not caught while it is validated (no query of its own, no rebinding in the
middle of `is_valid()`): the one conditional UPDATE refuses the save, and `save_versioned`
binds the form again to the current row with the user's changes on top.
"""

import inspect

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pitebra.versioning import forms as versioning_forms
from pitebra.versioning.forms import save_versioned
from plans.forms.plan import ActivityForm
from plans.models import Activity

from .test_versioning import _browser, _open, activity  # noqa: F401 - the fixture

PRE_CHECK = 'SELECT "plans_activity"."version" FROM'


def test_a_stale_form_is_valid_and_its_save_comes_back_merged(agreement, member, activity):  # noqa: F811
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    posted = _open(_browser(member), url)
    posted["places"] = "Öjebyn"
    Activity.objects.filter(pk=activity.pk).update(
        title="Nattvandring i centrum", version=activity.version + 1
    )
    current = Activity.objects.get(pk=activity.pk)
    form = ActivityForm(posted, instance=current, plan=activity.strategy.goal.plan)
    with CaptureQueriesContext(connection) as validating:
        assert form.is_valid(), form.errors
    # The pre-check's query (the row's version alone) is not made.
    assert not [q for q in validating.captured_queries if q["sql"].startswith(PRE_CHECK)]

    assert save_versioned(form) is None
    assert form.conflict is not None
    assert form["title"].value() == "Nattvandring i centrum"  # theirs, which this user kept
    assert form["places"].value() == "Öjebyn"  # this user's own change, on top
    assert Activity.objects.get(pk=activity.pk).places == ""


def test_the_merge_needs_no_django_internals():
    """No captured constructor keywords, no reset of a form's private cache."""
    source = inspect.getsource(versioning_forms)
    assert "__new__" not in source
    assert "_bound_fields_cache" not in source
