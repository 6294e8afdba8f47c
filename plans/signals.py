"""What the plan announces for other apps to react to; plans never imports them (the arrows
run followup → plans → pitebra, `tests/test_architecture.py`)."""

from django.dispatch import Signal

# Sent after the plan's activity form saved a new traffic light, with `activity`,
# `previous_light`, `comment` and `by` (the follow-up keeps the status history).
traffic_light_changed = Signal()
