"""No lost updates: every item a person edits carries a version that every save checks.

`Versioned` (or `VersionChecked` with a field of its own) makes the check a property of the
data: `save()` of an existing row is one conditional ``UPDATE … WHERE version = <loaded>``, so
a save based on an older version raises `StaleVersion` whichever path it comes from (a page,
the admin, an import, a command), and a save of a row deleted meanwhile `DeletedMeanwhile`
(never an INSERT that brings it back). `forms.VersionedForm` turns a refused save into a three-way
merge: the other person's current values with this user's own changes on top.
"""

from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _


class StaleVersion(Exception):
    """Someone else saved the row after it was loaded; `current` is the row as it is now."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")
        self.current = current


class DeletedMeanwhile(Exception):
    """Someone else deleted the row after it was loaded: a save must not bring it back."""

    def __init__(self, obj):
        super().__init__(f"{type(obj).__name__} {obj.pk} was deleted by someone else")
        self.obj = obj


DELETED_MESSAGE = _(
    "Someone else deleted this after you opened it, so it was not saved. Go back to the list "
    "to see what is there now."
)


class VersionChecked:
    """Mixin for a model with a version counter named `version_field`."""

    version_field = "version"

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        name = self.version_field
        loaded = getattr(self, name)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using)
        with transaction.atomic(using=using):
            # Row-locking and atomic on every database: of two saves of the same version,
            # exactly one matches.
            if not rows.filter(pk=self.pk, **{name: loaded}).update(**{name: loaded + 1}):
                current = rows.filter(pk=self.pk).first()
                if current is None:
                    raise DeletedMeanwhile(self)
                raise StaleVersion(current)
            setattr(self, name, loaded + 1)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], name}
            return super().save(*args, **kwargs)


class Versioned(VersionChecked, models.Model):
    """An optimistic-lock counter: a save based on an older version is refused."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def version_of(obj) -> int:
    return getattr(obj, obj.version_field)
