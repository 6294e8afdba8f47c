"""The core app: users, organisations, agreements, memberships, the access rules and the admin
that every other app builds on. The project (settings, root URLconf, WSGI) is `config/`."""
