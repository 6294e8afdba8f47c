from django.conf import settings


def site(request):
    """Values every page's footer uses (the header's come from `navigation`)."""
    return {"accessibility_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL}
