"""What the core app announces for the apps built on it; it never imports them
(`tests/test_architecture.py`)."""

from django.dispatch import Signal

# Sent when a coordinator downloads an agreement's backup archive, with `agreement` (the
# security app records it in the audit log).
agreement_exported = Signal()

# Sent when an account is closed (pitebra.dataprotection.erasure), with `erasure` and `actor`
# (the security app records it in the audit trail).
account_closed = Signal()
