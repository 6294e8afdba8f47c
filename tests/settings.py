"""Settings for the test suite: production settings with a test key and a fast hasher."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-" + "x" * 40)

from pitebra.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as runserver does: no collectstatic for tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No persistent connections: the live server's threads must not hold the test database open.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Background tasks run at once in tests; tests of the queue itself switch to the database
# backend and run the worker explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The second factor is demanded only by the tests that test it (override_settings).
PITEBRA_REQUIRE_2FA = False
# Row-level security (PostgreSQL): off by default, as a superuser connection is never stopped
# by it; the request scoping is tested as a plain role in tests/pitebra/test_row_security.py.
# `.ci/run` runs the suite again with PITEBRA_ROW_SECURITY=1, connected as a role that cannot
# bypass it: each request then reads only its user's agreements, while the tests' own setup
# and assertions run as a command does, with an explicit scope of every agreement.
PITEBRA_ROW_SECURITY = os.environ.get("PITEBRA_ROW_SECURITY", "0") == "1"
if PITEBRA_ROW_SECURITY:
    os.environ.setdefault("PITEBRA_ROW_SCOPE", "all")
