"""One scheme for the URLs of steps 1–5, and one way to link a row.

The scheme: `<collection>/<id>/<action>/`. A row is addressed under its plural collection
(`goals/7/edit/`, never `goal/7/move/`), a year under the section it belongs to
(`situation/2025/start/`, never `situation/start/2025/`), and every path ends in `/` or in
a file name. A row's link on a long page comes from `pitebra.links.row_link` (one reverse()
per URL name), never from a `{% url %}` or a hand-joined string per row.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import get_converters
from django.urls.resolvers import RoutePattern

from pitebra.links import link_rows, row_link

ROOT = Path(__file__).resolve().parent.parent
SEGMENT = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def _patterns(namespace):
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == namespace:
            for pattern in resolver.url_patterns:
                assert isinstance(pattern, URLPattern), pattern
                yield pattern


def _collections(part):
    """Whether a parameter's converter puts only plural collections in a URL."""
    parameter = PARAMETER.fullmatch(part)
    converter = parameter and get_converters().get(parameter["converter"] or "")
    words = getattr(converter, "regex", "").split("|")
    return bool(converter) and all(re.fullmatch(r"[a-z-]+s", word) for word in words)


def _scheme_errors(pattern):
    """What in one pattern breaks the scheme (an empty list when nothing does)."""
    if not isinstance(pattern.pattern, RoutePattern):
        return ["a regular expression: write it as path() with a converter"]
    route = str(pattern.pattern)
    if not route:
        return []
    errors = []
    parts = route.rstrip("/").split("/")
    if not route.endswith("/") and "." not in parts[-1]:
        errors.append("ends neither in / nor in a file name")
    for i, part in enumerate(parts):
        parameter = PARAMETER.fullmatch(part)
        if parameter is None:
            if "." not in part and "<" not in part and not SEGMENT.fullmatch(part):
                errors.append(f"{part!r} is not lower-case words joined by hyphens")
            continue
        before = parts[i - 1] if i else ""
        if _collections(part):
            continue  # a converter that names the collection (`<item_kind:kind>` → goals)
        if parameter["name"] == "year":
            if i != 1:
                errors.append(f"the year follows {before!r}, not its section {parts[0]!r}")
        elif not (before.endswith("s") or _collections(before)):
            errors.append(f"{part} follows {before!r}, not a plural collection")
    return errors


@pytest.mark.parametrize("namespace", ["plans", "followup"])
def test_every_url_of_the_steps_follows_one_scheme(namespace):
    broken = {str(p.pattern): errors for p in _patterns(namespace) if (errors := _scheme_errors(p))}
    assert broken == {}


def test_the_scheme_check_catches_the_old_mixed_urls():
    from django.urls import path, re_path

    def view(request):
        return None

    assert _scheme_errors(re_path(r"^(?P<kind>goal|strategy)/(?P<pk>[0-9]+)/move/$", view))
    assert _scheme_errors(path("goal/<int:pk>/move/", view))
    assert _scheme_errors(path("log/<int:pk>/delete/", view))
    assert _scheme_errors(path("situation/start/<int:year>/", view))
    assert _scheme_errors(path("goals/<int:pk>/Edit", view))
    assert not _scheme_errors(path("goals/<int:pk>/edit/", view))
    assert not _scheme_errors(path("reports/<int:year>/v<int:version>.pdf", view))


def test_item_urls_name_the_collection_and_keep_their_names():
    """Templates reverse `plans:item-move` with the item's kind, as before."""
    assert reverse("plans:item-move", args=[3, "goal", 7]) == "/agreements/3/goals/7/move/"
    assert (
        reverse("plans:item-delete", args=[3, "activity", 8])
        == "/agreements/3/activities/8/delete/"
    )
    assert reverse("plans:item-move", args=[3, "strategy", 9]).endswith("/strategies/9/move/")
    assert reverse("plans:item-move", args=[3, "promise", 1]).endswith("/promises/1/move/")


def test_a_row_link_is_the_reversed_url_of_that_row():
    link = row_link("plans:activity-detail", agreement_pk=3)
    for pk in (1, 21, 3, 2147483647):
        assert link(pk) == reverse("plans:activity-detail", args=[3, pk])
    move = row_link("plans:item-move", agreement_pk=3, kind="goal")
    assert move(12) == reverse("plans:item-move", args=[3, "goal", 12])
    assert move.pattern == "/agreements/3/goals/{pk}/move/"
    add = row_link("plans:strategy-create", key="goal_pk", agreement_pk=3)
    assert add(5) == reverse("plans:strategy-create", args=[3, 5])


def test_link_rows_sets_each_rows_links():
    class Row:
        def __init__(self, pk):
            self.pk = pk

    rows = link_rows(
        (Row(pk) for pk in (4, 5)),
        url=row_link("plans:activity-detail", agreement_pk=2),
        followup_url=row_link("followup:activity-followup", agreement_pk=2),
    )
    assert [(r.url, r.followup_url) for r in rows] == [
        ("/agreements/2/activities/4/", "/agreements/2/activities/4/followup/"),
        ("/agreements/2/activities/5/", "/agreements/2/activities/5/followup/"),
    ]


# `href="{{ base_url }}goals/{{ goal.pk }}/edit/"`: a path joined by hand in the template (a
# query string after a reversed URL is not a path).
JOINED_IN_TEMPLATE = re.compile(r"""(href|action|data-\w+)="\{\{ *\w*url *\}\}[^"?]*\{\{""")
# `reverse(…)[:-2]`: a prefix cut out of a reversed URL by hand.
CUT_FROM_REVERSE = re.compile(r"reverse\([^()]*(\([^()]*\)[^()]*)*\)\[")


# The pages whose rows grow with the plan: their rows' links come from `row_link`.
ROW_TEMPLATES = [
    "plans/_plan_tree.html",
    "plans/_timeline_table.html",
    "followup/_year_lists.html",
    "followup/_activity_table.html",
    "followup/evaluation_list.html",
    "followup/meeting_list.html",
]
URL_IN_LOOP = re.compile(r"{%\s*(for|endfor|url)\b")


def test_no_long_list_reverses_a_url_per_row():
    per_row = []
    for name in ROW_TEMPLATES:
        depth = 0
        for match in URL_IN_LOOP.finditer((ROOT / "templates" / name).read_text()):
            depth += {"for": 1, "endfor": -1}.get(match[1], 0)
            if match[1] == "url" and depth > 0:
                per_row.append(name)
    assert per_row == []


def test_no_row_link_is_joined_by_hand():
    joined = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in JOINED_IN_TEMPLATE.finditer(path.read_text())
    ]
    cut = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for app in ("pitebra", "plans", "followup", "public", "security")
        for path in (ROOT / app).rglob("*.py")
        for match in CUT_FROM_REVERSE.finditer(path.read_text())
    ]
    assert joined == []
    assert cut == []


LINK = re.compile(r'(?:href|action|data-href|data-formaction|data-action)="(/agreements/[^"#?]*)')


def _views_linked(html, pk):
    """The URL names of every agreement link on a page, `{pk}` read as the row `pk`."""
    from django.urls import resolve

    return {resolve(url.replace("{pk}", str(pk))).view_name for url in LINK.findall(html)}


@pytest.mark.django_db
def test_every_row_link_on_the_plan_pages_leads_to_its_view(agreement, member, client_for):
    from tests.factories import make_plan_tree, make_promise

    plan, strategy = make_plan_tree(agreement, activities=2)
    make_promise(plan)
    activity = strategy.activities.first()
    activity.start, activity.end = datetime.date(2024, 3, 1), datetime.date(2024, 5, 1)
    activity.save()
    client = client_for(member)
    tree = client.get(reverse("plans:plan-detail", args=[agreement.pk, 2024])).content.decode()
    assert {
        "plans:goal-create",
        "plans:goal-edit",
        "plans:strategy-create",
        "plans:strategy-edit",
        "plans:activity-create",
        "plans:activity-detail",
        "plans:activity-edit",
        "plans:promise-edit",
        "plans:item-move",
        "plans:item-delete",
        "followup:activity-followup",
    } <= _views_linked(tree, activity.pk)
    assert f'data-action="/agreements/{agreement.pk}/activities/{{pk}}/move/"' in tree
    timeline = client.get(reverse("plans:plan-timeline", args=[agreement.pk, 2024]))
    assert reverse("plans:activity-detail", args=[agreement.pk, activity.pk]) in (
        timeline.content.decode()
    )
