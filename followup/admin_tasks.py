"""django-tasks-db registers its queue in the admin, across every agreement: taken out again.

The queue holds only ids of report renderings; operators read it with `manage.py shell` or SQL.
"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
