"""The project package: settings, the root URLconf and the WSGI entry point.

The core app (users, organisations, agreements, memberships, access rules) is `pitebra/`; its
app label is `pitebra`, so its tables and migrations are the same as when both were one package.
"""
