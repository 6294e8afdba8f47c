"""Template helpers of the year-end report."""

from django import template

from ..report.charts import as_data_uri, describe_counts, status_bars_svg

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key], or 0/None when absent (Counters and dicts in the report)."""
    if not mapping:
        return None
    return mapping.get(key, 0 if hasattr(mapping, "most_common") else None)


@register.filter
def status_chart(summary, labels):
    return as_data_uri(status_bars_svg(summary.by_status, labels))


@register.filter
def status_text(summary, labels):
    return describe_counts(summary.by_status, labels)


@register.filter
def svg_data_uri(svg):
    return as_data_uri(svg)
