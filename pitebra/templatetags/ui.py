"""PiteBra's one status component: text + colour + shape, never colour alone.

Tags rather than `{% include %}`s because they sit in every row of long tables (an include per
row is most of a 1,000-activity page's rendering time).
"""

import secrets

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


# (status, traffic light, language) -> the badge's HTML: a few dozen exist, each built once
# (a 1,000-row page otherwise spends a third of its time translating the same labels). It
# memoises code constants, no data, so every process may hold its own.
_BADGES = {}


@register.simple_tag
def status(activity):
    """An activity's status and, when set, its traffic light."""
    key = (activity.status, activity.traffic_light, get_language())
    html = _BADGES.get(key)
    if html is None:
        html = format_html(
            '<span class="pb-status pb-status-{}"><span class="pb-shape" aria-hidden="true">'
            "</span>{}</span>",
            activity.status,
            activity.get_status_display(),
        )
        if activity.traffic_light:
            html += format_html(
                " {}", light(activity.traffic_light, activity.get_traffic_light_display())
            )
        if len(_BADGES) < 256:
            _BADGES[key] = html
    return html


@register.simple_tag
def light(value, label=""):
    """A traffic light (green circle, yellow triangle, red square) with its name."""
    if not value:
        return format_html('<span class="pb-light pb-light-none">{}</span>', _("No assessment"))
    return format_html(
        '<span class="pb-light pb-light-{}"><span class="pb-shape" aria-hidden="true"></span>'
        "{}</span>",
        value,
        label or value,
    )


@register.simple_tag
def state(value, label):
    """A step's or promise's state (done, in progress, not started; on / off track)."""
    return format_html(
        '<span class="pb-status pb-state-{}"><span class="pb-shape" aria-hidden="true"></span>'
        "{}</span>",
        value,
        label,
    )


@register.simple_tag
def unique_id(prefix="id"):
    """An id unique on the page, so that repeated parts (a table per goal) name their own."""
    return f"{prefix}-{secrets.token_hex(4)}"


@register.filter
def at(sequence, index):
    """sequence[index] in a template: a column's heading for a cell's stacked label."""
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return ""


# Swedish short months as Språkrådet writes them: a full stop only where letters are dropped.
SV_MONTHS = ["jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.",
             "nov.", "dec."]  # fmt: skip


@register.filter
def day_month(value):
    """'31 dec.' in Swedish, '31 Dec' in English: a date in a short list."""
    if not value:
        return ""
    if (get_language() or "").startswith("sv"):
        return f"{value.day} {SV_MONTHS[value.month - 1]}"
    return f"{value.day} {value.strftime('%b')}"
