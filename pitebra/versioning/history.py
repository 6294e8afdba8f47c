"""One history entry per save, and none for a save that changed nothing.

django-simple-history writes a record on every `save()` and another on every change of a
many-to-many field, so saving a form with partners and causes leaves several records, and a
save that changed nothing leaves one too. Here the records of one object made in one
save are folded into the last (keeping "created" when the first said so), and a record
that shows no change against the one before is removed. Folding happens inside
`one_entry_per_save()`, which every save path (pages, admin, imports) wraps its save in.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from simple_history.signals import post_create_historical_record

from .display import model_value_display

HIDDEN = {"version", "position", "edit_version"}
_pending: ContextVar[dict | None] = ContextVar("pitebra_history_pending", default=None)


def visible_change(record, before) -> bool:
    """Whether `record` differs from `before` in anything a person edits."""
    fields = [
        f.name
        for f in record.instance_type._meta.get_fields()
        if f.concrete and not f.auto_created and f.name not in HIDDEN
    ]
    tracked = {f.name for f in record._meta.get_fields()} | {
        f.name for f in getattr(record, "_history_m2m_fields", [])
    }
    return bool(
        record.diff_against(before, included_fields=[f for f in fields if f in tracked]).changes
    )


@contextmanager
def one_entry_per_save():
    """Within this block, each object's records are folded into one (a form's save, say)."""
    token = _pending.set({})
    try:
        yield
    finally:
        _pending.reset(token)


def fold_history(sender, instance, history_instance, **kwargs):
    pending = _pending.get()
    key = (sender, instance.pk)
    earlier = pending.pop(key, None) if pending is not None else None
    if earlier is not None:
        if earlier.history_type == "+" and history_instance.history_type == "~":
            history_instance.history_type = "+"
            history_instance.save(update_fields=["history_type"])
        sender.objects.filter(pk=earlier.pk).delete()
    if history_instance.history_type == "~":
        before = (
            sender.objects.filter(**{sender.instance_type._meta.pk.attname: instance.pk})
            .exclude(pk=history_instance.pk)
            .order_by("-history_date", "-pk")
            .first()
        )
        if before is not None and not visible_change(history_instance, before):
            history_instance.delete()
            return
    if pending is not None:
        pending[key] = history_instance


def history_rows(model, records):
    """(record, [(label, before, after)]) newest first, values as the page says them."""
    rows = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None and newer.history_type == "~":
            for change in newer.diff_against(older, excluded_fields=sorted(HIDDEN)).changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    (
                        field.verbose_name,
                        model_value_display(field, change.old),
                        model_value_display(field, change.new),
                    )
                )
        rows.append((newer, changes))
    return rows


def connect():
    post_create_historical_record.connect(fold_history, dispatch_uid="pitebra-fold-history")
