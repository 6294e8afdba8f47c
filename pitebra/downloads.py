"""What every download and export answers with, whatever its type."""

from functools import wraps


def private_download(view):
    """Downloads hold an agreement's data: no browser, proxy or shared cache may keep a copy."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped
