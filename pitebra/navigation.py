"""The header and agreement navigation every page shares: the current agreement (remembered in
the session), the switcher, where “Log work” leads, and which tab of an agreement is open.

Both are cached parts (`pitebra/pagecache.py`): the header keyed on the user's working
groups, their roles and what it shows of those agreements (one query), shared by every user
with the same groups and roles (the name is put in after the cache); the agreement's
breadcrumbs and tabs per agreement, role and section. A page that finds them
cached asks the database nothing more than that one query.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import pagecache, permissions
from .models import Agreement, Membership

# Remembered in a cookie rather than the session: switching agreements then writes nothing to
# the database. The value is only a preference, checked against the user's memberships.
COOKIE = "pitebra_agreement"
COOKIE_AGE = 180 * 24 * 3600

# The agreement tab a page belongs to, by its URL name (app namespace, then name prefix).
_SECTIONS = [
    ("agreement-", "dashboard"),
    ("plans:indicator-", "facts"),
    ("plans:import-", "facts"),
    ("plans:document-", "facts"),
    ("plans:source-", "facts"),
    ("plans:situation-", "situation"),
    ("plans:problem-", "situation"),
    ("plans:", "plan"),
    ("followup:report-", "reports"),
    ("followup:", "followup"),
]


# The agreement's tabs: (section, label, URL name, shown to readers).
TABS = [
    ("dashboard", _("Overview"), "agreement-detail", True),
    ("facts", _("Facts"), "plans:indicator-list", False),
    ("situation", _("Situation picture"), "plans:situation-list", False),
    ("plan", _("Implementation plan"), "plans:plan-list", False),
    ("followup", _("Follow-up"), "followup:followup-index", False),
    ("reports", _("Reports"), "followup:report-list", True),
]


def remembered(request):
    value = request.COOKIES.get(COOKIE, "")
    return int(value) if value.isdigit() else None


def remember_agreement(request, response, agreement):
    """Called for every page inside an agreement: it becomes the current one."""
    if remembered(request) != agreement.pk and hasattr(response, "set_cookie"):
        response.set_cookie(
            COOKIE,
            str(agreement.pk),
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


def section_of(view_name):
    for prefix, section in _SECTIONS:
        if view_name.startswith(prefix):
            return section
    return ""


# The language form's "next" field: the page's own path, put in after the cache.
NEXT_PLACEHOLDER = "__pitebra_next_placeholder__"
# The signed-in user's name in the header, put in after the cache (the header is shared).
USER_PLACEHOLDER = "__pitebra_user_placeholder__"


class Navigation:
    """Computed once per page, lazily: one query for the user's agreements, roles and their
    versions; the agreements themselves only when the header is not cached."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def _keyed(self):
        """([(agreement id, role)…], key string or None) without loading the agreements.

        The key string holds everything the header shows of the user's agreements: their
        ids, the user's roles and the agreements' labels (None: do not cache). A superuser's
        header lists every agreement: it keys on the installation's version."""
        user = self.request.user
        if not user.is_authenticated:
            return [], "anonymous"
        if user.is_superuser:
            version = pagecache.data_version()
            pks = Agreement.objects.order_by("pk").values_list("pk", flat=True)
            return [(pk, permissions.COORDINATOR) for pk in pks], version
        found = pagecache.memberships_with_labels(user)
        if found is None:
            return [(pk, Membership.Role(role)) for pk, role in self._membership_rows()], None
        labels = "\x1f".join(f"{pk}\x1d{role}\x1d{label}" for pk, role, label in found)
        return [(pk, Membership.Role(role)) for pk, role, _label in found], f"groups:{labels}"

    def _membership_rows(self):
        return Membership.objects.filter(user=self.request.user).values_list("agreement", "role")

    @cached_property
    def current_id(self):
        """The current agreement's id (as `current`), without loading it."""
        pks = [pk for pk, _role in self._keyed[0]]
        if self.current_pk in pks:
            return self.current_pk
        return pks[0] if len(pks) == 1 else None

    @cached_property
    def header_html(self):
        """The site header, from the cache while the user's groups, roles and what it shows of
        those agreements are unchanged. Users with the same groups and roles share it: the
        user's name is put in after the cache, as the language form's "next" is."""
        request = self.request
        _rows, version = self._keyed
        pending = bool(getattr(request, "two_factor_pending", False))
        user = request.user
        superuser = user.pk if user.is_superuser else ""
        parts = [version, superuser, user.is_active, pending, self.current_id]
        if version is None:
            html = self._render_header()
        else:
            html = pagecache.cached_by_key("header", parts, self._render_header)
        html = html.replace(NEXT_PLACEHOLDER, escape(request.get_full_path()))
        if not getattr(request, "pitebra_defer_csrf", False):  # see `cached_page`
            html = html.replace(USER_PLACEHOLDER, escape(str(user)))
        return pagecache.with_csrf(request, html)

    def _render_header(self):
        request = self.request
        return render_to_string(
            "includes/_header.html",
            {
                "request": request,
                "user": request.user,
                "nav": self,
                "is_coordinator": self.is_coordinator,
                "csrf_token": pagecache.CSRF_PLACEHOLDER,
                "next_path": NEXT_PLACEHOLDER,
                "user_name": USER_PLACEHOLDER,
                "LANGUAGE_CODE": get_language(),
            },
        )

    @cached_property
    def inside_id(self):
        """The id of the agreement this page lies inside (and the user may see), or None."""
        match = self.request.resolver_match
        if not match or "agreement_pk" not in match.kwargs or self.role is None:
            return None
        return self.current_id

    @cached_property
    def agreement_header_html(self):
        """The agreement's breadcrumbs and tabs, cached per agreement, role and section."""
        agreement_pk = self.inside_id
        if agreement_pk is None:
            return ""
        _rows, version = self._keyed
        here = self.request.path
        home = reverse("agreement-detail", args=[agreement_pk])
        section_urls = [
            reverse(name, args=[agreement_pk])
            for section, _label, name, _readers in TABS[1:]
            if section == self.section
        ]
        parts = [version, agreement_pk, self.role, self.section, here == home]
        parts += [here == url for url in section_urls]

        def build():
            return render_to_string("includes/_agreement_header.html", {"nav": self})

        if version is None:
            return mark_safe(build())  # noqa: S308 – a rendered template
        return mark_safe(pagecache.cached_by_key("agreement-header", parts, build))  # noqa: S308

    @cached_property
    def choices(self):
        """(agreement, role) for every agreement the user works in, by title."""
        user = self.request.user
        if not user.is_authenticated:
            return []
        if user.is_superuser:
            agreements = Agreement.objects.select_related("municipality").order_by("title")
            return [(agreement, permissions.role_in(user, agreement)) for agreement in agreements]
        memberships = (
            Membership.objects.filter(user=user)
            .select_related("agreement__municipality")
            .order_by("agreement__title")
        )
        return [(m.agreement, Membership.Role(m.role)) for m in memberships]

    @cached_property
    def current_pk(self):
        match = self.request.resolver_match
        pk = match.kwargs.get("agreement_pk") if match else None
        return pk if pk is not None else remembered(self.request)

    @cached_property
    def current(self):
        """The agreement being worked in: this page's, else the one remembered, else the
        only one."""
        by_pk = {agreement.pk: agreement for agreement, _ in self.choices}
        if self.current_pk in by_pk:
            return by_pk[self.current_pk]
        if len(self.choices) == 1:
            return self.choices[0][0]
        return None

    @property
    def switch(self):
        """The other agreements to switch to (empty for someone in one working group)."""
        if len(self.choices) < 2:
            return []
        return [agreement for agreement, _ in self.choices]

    @cached_property
    def log_work_url(self):
        """Straight to the current agreement's log form; else a choice; nothing for readers."""
        editable = [a for a, role in self.choices if permissions.can_edit(role)]
        current = self.current
        if current is not None and current in editable:
            return reverse("followup:log-create", args=[current.pk])
        if len(editable) == 1:
            return reverse("followup:log-create", args=[editable[0].pk])
        return reverse("log-work") if editable else ""

    @cached_property
    def role(self):
        return dict(self._keyed[0]).get(self.current_pk)

    @cached_property
    def inside(self):
        """The agreement this page lies inside (and the user may see), or None."""
        return None if self.inside_id is None else self.current

    @cached_property
    def tabs(self):
        """(label, url, active) for the agreement's tabs the user may open."""
        agreement = self.inside
        if agreement is None:
            return []
        reader = not permissions.can_edit(self.role)
        return [
            (label, reverse(name, args=[agreement.pk]), section == self.section)
            for section, label, name, for_readers in TABS
            if for_readers or not reader
        ]

    @cached_property
    def crumbs(self):
        """(label, url) from “My agreements” to this page's section; the last is the page's
        own when the page is the section's start page (then url is empty)."""
        agreement = self.inside
        if agreement is None:
            return []
        here = self.request.path
        crumbs = [(_("My agreements"), reverse("home"))]
        home = reverse("agreement-detail", args=[agreement.pk])
        crumbs.append((agreement.municipality.name, "" if here == home else home))
        for section, label, name, _readers in TABS[1:]:
            if section == self.section:
                url = reverse(name, args=[agreement.pk])
                crumbs.append((label, "" if here == url else url))
        return crumbs

    @cached_property
    def section(self):
        match = self.request.resolver_match
        return section_of(match.view_name) if match else ""

    @cached_property
    def is_coordinator(self):
        user = self.request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return any(permissions.can_manage(role) for _, role in self._keyed[0])


# A page is kept whole for an address up to this length (as the login page).
PAGE_CACHED_PATH = 300


def cached_page(request, name, parts, render_page):
    """A signed-in page made only of cached parts (its content and the shell), kept whole:
    served without rendering a template while its data, the address, the language and
    everything the shell keys on hold (the user's groups, roles, what the header shows of
    those agreements, the current agreement, the second-factor step). The user's name and
    CSRF token are put in on the way out, as the header's are; users with the same groups and
    roles share the page, as they share its parts.

    `parts` must hold the versions and everything else the page's content varies on (its
    role, its `vary`); None among them, a message waiting to be shown or a long address:
    the page is rendered. `render_page(extra)` renders it with `extra` in its context.
    """
    from django.contrib import messages
    from django.http import HttpResponse

    user = request.user
    nav = Navigation(request)
    path = request.get_full_path()
    _rows, shell = nav._keyed
    cacheable = (
        user.is_authenticated
        and shell is not None
        and None not in parts
        and len(path) <= PAGE_CACHED_PATH
        and not len(messages.get_messages(request))  # counts them, leaves them to show
    )
    if not cacheable:
        return render_page({"nav": nav})

    def build():
        request.pitebra_defer_csrf = True
        try:
            response = render_page({"nav": nav, "csrf_token": pagecache.CSRF_PLACEHOLDER})
        finally:
            request.pitebra_defer_csrf = False
        return response.content.decode()

    pending = bool(getattr(request, "two_factor_pending", False))
    superuser = user.pk if user.is_superuser else ""
    day = timezone.localdate().isoformat()  # as every cached part: "today" moves at midnight
    key = [*parts, path, day, shell, nav.current_id, pending, user.is_active, superuser]
    html = pagecache.cached_by_key(f"page:{name}", key, build)
    html = html.replace(USER_PLACEHOLDER, escape(str(user)))
    return HttpResponse(pagecache.with_csrf(request, html))


def navigation(request):
    nav = SimpleLazyObject(lambda: Navigation(request))
    return {"nav": nav, "is_coordinator": SimpleLazyObject(lambda: nav.is_coordinator)}
