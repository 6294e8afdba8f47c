from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .permissions import is_coordinator_anywhere


def site(request):
    """Values every page's header and footer use."""
    return {
        "accessibility_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
        "is_coordinator": SimpleLazyObject(lambda: is_coordinator_anywhere(request.user)),
    }
