"""What an imported row would change on an existing activity, by field, in the user's words."""

from decimal import Decimal

from ..models import Activity

FK_FIELDS = {"responsible_organisation", "contact_user"}
M2M_FIELDS = {"partners", "causes"}


def label(name):
    return str(Activity._meta.get_field(name).verbose_name)


def _same(old, new):
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return (old is None) == (new is None) and (old is None or Decimal(old) == Decimal(new))
    return (old or "") == (new or "")


def target_strategy(row, preview):
    """(area ref, goal title, strategy title) the row asks for, or None to leave it where it is."""
    if not {"goal", "strategy"} & set(preview.columns):
        return None
    return row.area, row.goal, row.strategy


def scalar_value(row, name):
    value = row.values[name]
    if name == "responsible_organisation":
        return int(value[1]) if value[0] == "use" else value
    return value


def activity_changes(row, preview):
    """The names of the fields that would change (empty: the row is unchanged)."""
    activity = row.activity
    changed = []
    for name, value in row.values.items():
        if name in M2M_FIELDS:
            current = preview.links[name].get(activity.pk, set())
            wanted = {int(ref[1]) if ref[0] == "use" else ref for ref in value}
            if current != wanted:
                changed.append(label(name))
        elif name in FK_FIELDS:
            new = scalar_value(row, name)
            if getattr(activity, f"{name}_id") != new:
                changed.append(label(name))
        elif not _same(getattr(activity, name), value):
            changed.append(label(name))
    wanted = target_strategy(row, preview)
    if wanted is not None:
        area, goal, strategy = wanted
        current = activity.strategy
        if (
            area[0] != "use"
            or int(area[1]) != current.goal.priority_area_id
            or (goal and goal.casefold() != current.goal.title.casefold())
            or (strategy and strategy.casefold() != current.title.casefold())
        ):
            changed.append(label("strategy"))
    return changed
