"""PiteBra's one status component: text + colour + shape, never colour alone.

Tags rather than `{% include %}`s because they sit in every row of long tables (an include per
row is most of a 1,000-activity page's rendering time).
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def status(activity):
    """An activity's status and, when set, its traffic light."""
    return _status_html(type(activity), activity.status, activity.traffic_light, get_language())


@functools.lru_cache(maxsize=256)
def _status_html(model, value, traffic_light, language):
    """The badge for one (status, light) in one language: a few dozen exist, built once each
    (a 1,000-row page otherwise spends a third of its time translating the same labels). The
    model comes from the activity itself: the core app does not import the plan's app."""
    html = format_html(
        '<span class="pb-status pb-status-{}"><span class="pb-shape" aria-hidden="true">'
        "</span>{}</span>",
        value,
        model.Status(value).label if value in model.Status.values else value,
    )
    if traffic_light:
        label = model.TrafficLight(traffic_light).label
        html += format_html(" {}", light(traffic_light, label))
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
