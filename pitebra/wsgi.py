"""WSGI entry point (gunicorn pitebra.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitebra.settings")
application = get_wsgi_application()
