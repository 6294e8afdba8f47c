"""The core app: users, organisations, agreements, memberships, the access rules and the admin
that every other app builds on. It is also the project package (settings, root URLconf, WSGI)."""
