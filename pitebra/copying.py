"""A copy of a record: every value and link it has but its key, its version and what the copy
gets anew (its new parent, its link back).

The one way rows are copied (next year's goals and carried activities, a problem in a new
picture version, an agreement's parties, areas and risk periods), so a field added tomorrow
is copied without a list to remember.
"""

# Not copied: the copy starts at its own first version.
NOT_COPIED = {"version"}


def copied_values(obj, **changes) -> dict:
    """The values of a copy of `obj` with `changes` on top, ready for `Model(**values)`."""
    values = {
        field.attname: getattr(obj, field.attname)
        for field in type(obj)._meta.concrete_fields
        if not field.primary_key
        and field.name not in NOT_COPIED
        and field.name not in changes
        and field.attname not in changes
    }
    return {**values, **changes}


def copied_links(model) -> list[str]:
    """The model's many-to-many links, which a copy keeps as they are."""
    return [field.name for field in model._meta.many_to_many]


def copy_row(obj, **changes):
    """Save a copy of `obj` with `changes`, linked to what `obj` is linked to."""
    model = type(obj)
    copy = model.objects.create(**copied_values(obj, **changes))
    for link in copied_links(model):
        getattr(copy, link).set(getattr(obj, link).all())
    return copy
