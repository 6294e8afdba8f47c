"""The agreement dashboard's year at a glance, given by the app that owns the figures.

The follow-up registers it in its `AppConfig.ready` (`register_glance`), as the apps register
the cycle's step derivers (`pitebra.cycle`): the core app never imports the apps built on it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GlanceSource:
    # (agreement, year, today, *, internal) -> what `pitebra/_glance.html` shows
    glance: Callable
    # (agreement) -> the newest year readers may see, or None
    published_year: Callable


_source: GlanceSource | None = None


def register_glance(*, glance: Callable, published_year: Callable) -> None:
    """Let an app provide the dashboard's year at a glance."""
    global _source
    _source = GlanceSource(glance, published_year)


def glance(agreement, year, today, *, internal):
    """The year at a glance, or None when no app provides one."""
    return _source.glance(agreement, year, today, internal=internal) if _source else None


def published_year(agreement):
    """The newest year with a published report, or None (also when no app provides one)."""
    return _source.published_year(agreement) if _source else None
