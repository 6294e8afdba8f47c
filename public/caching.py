"""How every public response is served: cached by anyone, revalidated by ETag, no session.

A public page is the one page a whole town may open at once (a link in the local paper), so
its body is kept in the cache under the data version (`pitebra.pagecache`: a committed write
makes a new version, so a cached page is never older than the data), and its ETag is that
version: a browser or proxy that already holds the page gets a 304 from one query.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.translation import get_language

from pitebra import pagecache

MAX_AGE = 300  # seconds a shared cache may serve a page without asking again
PUBLIC_MARK = "_pitebra_public"  # the middleware strips cookies and Vary: Cookie from these


def public_response(response, *, etag=None, max_age=MAX_AGE):
    response["Cache-Control"] = f"public, max-age={max_age}"
    if etag:
        response["ETag"] = etag
    setattr(response, PUBLIC_MARK, True)
    return response


def _etag(request, version):
    raw = "\x1f".join([version, request.get_full_path(), get_language() or ""])
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def _matches(request, etag):
    header = request.headers.get("If-None-Match", "")
    return etag in {tag.strip() for tag in header.split(",")} or header.strip() == "*"


def public_view(content_type="text/html; charset=utf-8", max_age=MAX_AGE):
    """A view returning text (or bytes) for anyone: GET and HEAD only, cached and validated.

    The view is called `view(request, **kwargs)` and returns the body; it must not depend on
    who asks (no user, no session), which is what makes one cached copy right for all.
    """

    def decorator(view):
        @login_not_required
        @wraps(view)
        def wrapped(request, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            # In the site's language whatever the visitor's cookie says: one copy for all.
            with translation.override(settings.LANGUAGE_CODE):
                return _serve(request, view, kwargs, max_age, content_type)

        return wrapped

    return decorator


def _serve(request, view, kwargs, max_age, content_type):
    version = pagecache.data_version()
    etag = _etag(request, version) if version else None
    if etag and _matches(request, etag):
        return public_response(HttpResponseNotModified(), etag=etag, max_age=max_age)
    name = f"public:{view.__module__}.{view.__name__}"
    body = pagecache.cached_text(request, name, lambda: view(request, **kwargs))
    response = HttpResponse(body, content_type=content_type)
    return public_response(response, etag=etag, max_age=max_age)


PREFIXES = ("/public/", "/offentligt/")


def _response_key(request):
    """The key of a whole public response, or None when it must not be served from the cache
    (not a public path, not a read, or this connection holds writes not yet committed)."""
    if request.method not in ("GET", "HEAD") or not request.path_info.startswith(PREFIXES):
        return None
    version = pagecache.data_version()
    if version is None:
        return None
    raw = "\x1f".join([version, request.get_full_path(), timezone.localdate().isoformat()])
    return "pitebra:public:" + hashlib.sha256(raw.encode()).hexdigest()


def _replay(request, stored):
    status, headers, content = stored
    etag = dict(headers).get("ETag")
    if etag and _matches(request, etag):
        response = HttpResponseNotModified()
        content = b""
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        if name.lower() not in ("content-length",) and not (
            content == b"" and name.lower() == "content-type"
        ):
            response[name] = value
    return response


def public_responses(get_response):
    """Outermost middleware: whole public responses, cached, and never with a cookie.

    A public page is the one page a whole town may open at once. Its finished response (the
    security headers the inner middleware added included) is kept under the data version, the
    path and the day, and served from here without passing the session, sign-in and CSP
    middleware again: one query for the version, then the stored bytes (or a 304).

    The session and sign-in middleware read the (absent) session of every request, which adds
    `Vary: Cookie`; a public body is the same for everyone, so that is removed and a shared
    cache may keep one copy.
    """

    def middleware(request):
        key = _response_key(request)
        if key is not None:
            stored = cache.get(key)
            if stored is not None:
                return _replay(request, stored)
        response = get_response(request)
        if getattr(response, PUBLIC_MARK, False):
            vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
            vary = [v for v in vary if v.lower() != "cookie"]
            if vary:
                response["Vary"] = ", ".join(vary)
            elif "Vary" in response:
                del response["Vary"]
            response.cookies.clear()
            if key is not None and response.status_code == 200 and not response.streaming:
                stored = (response.status_code, list(response.items()), response.content)
                cache.set(key, stored, pagecache.TIMEOUT)
        return response

    return middleware
