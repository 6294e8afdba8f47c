"""A plan preview's rows in the user's words: Swedish labels, never internal codes."""

from django.utils.translation import gettext as _

from ..models import Activity

STATES = {
    "new": ("success", "New"),
    "changed": ("warning", "Changed"),
    "unchanged": ("secondary", "Unchanged"),
}


def _label(matcher, ref):
    action, value = ref
    if action == "use":
        labels = {str(target): label for target, label in matcher.names.values()}
        return labels.get(str(value), "")
    if action == "create":
        return _("%(name)s (new)") % {"name": value}
    return value


def _period(values):
    start, end = values.get("start"), values.get("end")
    if not (start or end):
        return ""
    if start == end:
        return start.isoformat()
    return f"{start.isoformat() if start else ''} – {end.isoformat() if end else ''}"


def state_label(state):
    return {"new": _("New"), "changed": _("Changed"), "unchanged": _("Unchanged")}[state]


def plan_rows_display(preview, limit):
    matchers = preview.matchers
    rows = []
    for row in preview.rows[:limit]:
        values = row.values
        org = values.get("responsible_organisation")
        status = values.get("status")
        rows.append(
            {
                "line": row.line,
                "state": row.state,
                "state_label": state_label(row.state),
                "colour": STATES[row.state][0],
                "changed": row.changed,
                "title": row.title,
                "area": _label(matchers["area"], row.area),
                "organisation": _label(matchers["organisation"], org) if org else "",
                "period": _period(values),
                "status": Activity.Status(status).label if status else "",
                "warnings": row.warnings,
            }
        )
    return rows
