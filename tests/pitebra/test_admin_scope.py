"""Every model the admin shows, walked as a coordinator of agreement A against agreement B.

The models come from `admin.site._registry`, so a model registered tomorrow is walked too: it
fails here unless it is scoped (and unless `admin_world.populate` makes one of its records).
"""

import datetime
import importlib
import sys
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.db import models
from django.urls import clear_url_caches, reverse

from pitebra import rowsecurity
from pitebra.admin_scoping import OperatorOnlyAdmin, ScopedHistoryAdmin
from pitebra.models import Membership

from ..factories import make_member
from .admin_world import populate, records_of

MARKER = "bortom"  # every record of agreement B carries it in its text
REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def world(db):
    a = populate("Hemma")
    b = populate("Bortom")
    coordinator = make_member(a, Membership.Role.COORDINATOR, username="samordnare-a")
    return SimpleNamespace(a=a, b=b, coordinator=coordinator)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _choice_fields(context):
    """(form, name, field) for every choice field on the page, inlines included."""
    adminform = context.get("adminform")
    found = []
    if adminform is not None:
        found += [(adminform.form, n, f) for n, f in adminform.form.fields.items()]
    for inline in context.get("inline_admin_formsets", []):
        # An inline row's hidden id is looked up among the parent's own rows, never offered.
        pk = inline.formset.model._meta.pk.name
        for form in [*inline.formset.forms, inline.formset.empty_form]:
            found += [(form, n, f) for n, f in form.fields.items() if n != pk]
    return [(form, n, f) for form, n, f in found if isinstance(f, forms.ModelChoiceField)]


def _shows_nothing_of_b(response, b):
    assert MARKER not in response.content.decode().lower()
    for _form, name, field in _choice_fields(response.context):
        leaked = field.queryset.filter(pk__in=records_of(field.queryset.model, b).values("pk"))
        assert not leaked.exists(), f"the choices of {name} offer B's {list(leaked)}"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_a_coordinator_reaches_nothing_of_another_agreement(client, world, model):
    model_admin = admin.site._registry[model]
    client.force_login(world.coordinator)
    if isinstance(model_admin, OperatorOnlyAdmin):
        assert client.get(admin_url(model, "changelist")).status_code == HTTPStatus.FORBIDDEN
        assert client.get(admin_url(model, "add")).status_code == HTTPStatus.FORBIDDEN
        return
    theirs = list(records_of(model, world.b))
    assert theirs, f"admin_world.populate makes no {model._meta.label} for agreement B"
    assert records_of(model, world.a).exists()

    changelist = client.get(admin_url(model, "changelist"))
    assert changelist.status_code == HTTPStatus.OK
    shown = {obj.pk for obj in changelist.context["cl"].result_list}
    assert shown and not shown & {obj.pk for obj in theirs}
    _shows_nothing_of_b(changelist, world.b)  # the rows and every filter in the sidebar

    add = client.get(admin_url(model, "add"))
    assert add.status_code in (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
    if add.status_code == HTTPStatus.OK:
        _shows_nothing_of_b(add, world.b)

    for obj in theirs:
        for view in ["change", "delete", *(["history"] if _has_history(model_admin) else [])]:
            response = client.get(admin_url(model, view, obj.pk))
            assert response.status_code == HTTPStatus.NOT_FOUND, (view, obj)
        response = client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert model._default_manager.filter(pk=obj.pk).exists()
        if _has_history(model_admin):
            for version in obj.history.all():
                url = admin_url(model, "simple_history", obj.pk, version.pk)
                assert client.get(url).status_code == HTTPStatus.NOT_FOUND
                assert client.post(url, {}).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_autocomplete_and_raw_id_labels_show_nothing_of_another_agreement(client, world, model):
    client.force_login(world.coordinator)
    relations = [
        f
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model in admin.site._registry
    ]
    for field in relations:
        if isinstance(admin.site._registry[field.related_model], OperatorOnlyAdmin):
            continue
        theirs = records_of(field.related_model, world.b)
        for term in ["", MARKER, "a"]:
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field.name,
                    "term": term,
                },
            )
            if response.status_code != HTTPStatus.OK:
                continue  # the other model has no search: nothing answered at all
            ids = {str(row["id"]) for row in response.json()["results"]}
            assert not ids & {str(pk) for pk in theirs.values_list("pk", flat=True)}
        # The add form prints the label of a record given in the query string (raw-id fields).
        for obj in theirs[:3]:
            response = client.get(admin_url(model, "add"), {field.name: obj.pk})
            if response.status_code == HTTPStatus.OK:
                assert MARKER not in response.content.decode().lower(), (field.name, obj)


def _has_history(model_admin):
    return isinstance(model_admin, ScopedHistoryAdmin)


def _post_data(context):
    """What the browser would post back from an admin change page, untouched."""
    data = {}
    adminform = context["adminform"]
    page_forms = [adminform.form]
    for inline in context.get("inline_admin_formsets", []):
        page_forms += [inline.formset.management_form, *inline.formset.forms]
    for form in page_forms:
        for name, field in form.fields.items():
            key, value = form.add_prefix(name), form[name].value()
            if value is None or field.disabled:
                continue
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif isinstance(value, datetime.datetime):
                data[f"{key}_0"], data[f"{key}_1"] = value.date(), value.time()
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    return data


def _snapshot(model_admin):
    tables = [model_admin.model, *(inline.model for inline in model_admin.inlines)]
    rows = {}
    for table in tables:
        rows[table._meta.label] = list(table._default_manager.order_by("pk").values())
        for m2m in table._meta.many_to_many:
            through = m2m.remote_field.through
            rows[through._meta.label] = list(through.objects.order_by("pk").values())
    return rows


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_a_post_pointing_at_another_agreement_is_refused_and_saves_nothing(client, world, model):
    model_admin = admin.site._registry[model]
    client.force_login(world.coordinator)
    if isinstance(model_admin, OperatorOnlyAdmin):
        return
    ours = records_of(model, world.a).order_by("pk").first()
    change = admin_url(model, "change", ours.pk)
    page = client.get(change)
    if not page.context["has_change_permission"]:
        return  # read-only to coordinators (e.g. a party organisation)
    data = _post_data(page.context)
    # The page posted back as it is saves: the attacks below are refused for their B value only.
    assert client.post(change, data).status_code == HTTPStatus.FOUND
    page = client.get(change)
    data = _post_data(page.context)
    before = _snapshot(model_admin)
    attacked = 0
    for form, name, field in _choice_fields(page.context):
        target = records_of(field.queryset.model, world.b).first()
        key = form.add_prefix(name)
        if target is None or key.startswith(("__prefix__", "-")) or "__prefix__" in key:
            continue
        value = [str(target.pk)] if isinstance(field, forms.ModelMultipleChoiceField) else target.pk
        for url in [change, admin_url(model, "add")]:
            response = client.post(url, {**data, key: value})
            assert response.status_code != HTTPStatus.FOUND, (url, key)
            assert _snapshot(model_admin) == before, (url, key)
        attacked += 1
    relations = [f for f in model._meta.get_fields() if f.is_relation and f.concrete]
    if any(f.editable and not isinstance(f, models.OneToOneField) for f in relations):
        assert attacked or model_admin.get_readonly_fields(page.wsgi_request, ours)


def test_every_registered_admin_is_scoped():
    """The site's system check refuses an admin or inline that is not scoped."""
    assert admin.site.check(None) == []
    call_command("check")


def test_an_unscoped_admin_fails_the_check_and_the_walk(client, world):
    """A model registered with a plain ModelAdmin that lets coordinators in: caught twice."""
    from plans.models import Place

    class UnscopedPlaceAdmin(admin.ModelAdmin):
        def has_module_permission(self, request):
            return True

        def has_view_permission(self, request, obj=None):
            return True

    def register(admin_class):
        admin.site.unregister(Place)
        admin.site.register(Place, admin_class)
        importlib.reload(sys.modules[settings.ROOT_URLCONF])  # the admin's URLs bind instances
        clear_url_caches()

    original = type(admin.site._registry[Place])
    register(UnscopedPlaceAdmin)
    try:
        assert {e.id for e in admin.site.check(None)} == {"pitebra.E001"}
        client.force_login(world.coordinator)
        page = client.get(admin_url(Place, "changelist"))
        if rowsecurity.active():
            # Under row-level security PostgreSQL hides B's place even from this admin.
            assert MARKER not in page.content.decode().lower()
        else:
            # What the walk above asserts against: B's place shows.
            assert MARKER in page.content.decode().lower(), page.context["cl"].result_list
    finally:
        register(original)


@pytest.mark.parametrize("name", ["plans_activity", "pitebra_user", "followup_logentry"])
def test_a_scoped_changelist_stays_within_a_query_budget(
    client, world, name, django_assert_max_num_queries
):
    from followup.models import LogEntry
    from plans.models import Activity

    from ..factories import make_activity, make_log_entry

    strategy = Activity.objects.filter(strategy__goal__plan__agreement=world.a).first().strategy
    for n in range(30):  # enough rows that a query per row would show
        activity = make_activity(strategy, title=f"Hemma extra {n}")
        make_log_entry(activity)
        make_member(
            world.a, username=f"hemma-extra-{n}", organisation=activity.responsible_organisation
        )
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(15):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == HTTPStatus.OK
    assert LogEntry.objects.count() > 30
