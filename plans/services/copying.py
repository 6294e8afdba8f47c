"""What a copy of an item takes along (a carried activity, a problem in a new picture version):
every field and link the model has, so a field added tomorrow is copied without a list to
remember."""


def copied_fields(model, *, besides=()):
    """The attribute names of the model's own values: all but its key, its version and `besides`
    (the parent and back-links the copy gets anew)."""
    skip = {"version", *besides}
    return [
        field.attname
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in skip
    ]


def copied_links(model):
    """The model's many-to-many links, copied as they are."""
    return [field.name for field in model._meta.many_to_many]
