"""What the core app announces for the apps built on it; it never imports them
(`tests/test_architecture.py`)."""

from django.dispatch import Signal

# Sent when a coordinator downloads an agreement's backup archive, with `agreement` (the
# security app records it in the audit log).
agreement_exported = Signal()

# Sent when an account is closed (pitebra.dataprotection.erasure), with `erasure` and `actor`
# (the security app records it in the audit trail).
account_closed = Signal()
# Sent when import_agreement has restored an archive, with `agreement` (the new one) and
# `archive_sha256`: the restore itself is this installation's own event.
agreement_imported = Signal()

# Sent when a new agreement is started from a previous one (`services.agreement_copy`), with
# `source` and `agreement`: the apps above copy what of theirs carries over (the risk periods).
agreement_copied = Signal()
