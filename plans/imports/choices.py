"""The decisions of an import, saved per agreement and offered the next time."""

from ..models import ImportChoice
from .values import key


def saved_choices(agreement):
    """{kind: {text: 'action' or 'use:target'}} of the agreement's saved decisions."""
    saved = {}
    for choice in ImportChoice.objects.filter(agreement=agreement):
        value = f"use:{choice.target}" if choice.action == "use" else choice.action
        if choice.kind.startswith("column-"):
            value = choice.target
        saved.setdefault(choice.kind, {})[choice.text] = value
    return saved


def save_choices(agreement, choices):
    """Store decisions [(kind, text, value)] so the next import offers them again."""
    for kind, text, value in choices:
        action, _sep, target = value.partition(":")
        if kind.startswith("column-"):
            action, target = "use", value
        ImportChoice.objects.update_or_create(
            agreement=agreement,
            kind=kind,
            text=key(text)[:300],
            defaults={"action": action, "target": str(target)[:100]},
        )
