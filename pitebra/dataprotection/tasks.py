"""The thinning as a task of the background worker (django-tasks)."""

from django_tasks import task

from .thinning import thin


@task()
def thin_task() -> int:
    """Thin what is due; the number of rows removed."""
    return sum(log.count for log in thin())
