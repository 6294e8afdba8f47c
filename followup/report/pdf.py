"""HTML → PDF with WeasyPrint, fetching nothing but the app's own static files.

WeasyPrint's default fetcher reads any file:// URL and any http:// address named in the HTML
(`<link rel="attachment" href="file:///etc/passwd">` would embed that file). This module owns
the one fetcher the app uses: `data:` URIs and files under our own static directory; anything
else is refused and recorded.
"""

import io
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

logging.getLogger("pikepdf").setLevel(logging.WARNING)  # it announces its C++ logger at INFO
import pikepdf  # noqa: E402

STATIC_DIR = Path(settings.BASE_DIR / "static").resolve()


class StaticOnlyFetcher(URLFetcher):
    """Serves `data:` URIs and files below `roots`; refuses every other URL, no redirects."""

    def __init__(self, roots=(STATIC_DIR,)):
        super().__init__(allowed_protocols=["data", "file"], allow_redirects=False, timeout=1)
        self.roots = [Path(root).resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlparse(url).path)).resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), headers={"Content-Type": content_type}
                )
        self.refused.append(url)
        raise URLFetchingError(f"PiteBra's report fetches no such resource: {url}")


def render_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """A tagged PDF/UA-1 of the HTML; relative URLs resolve inside the static directory.

    In the background worker (`isolation.worker_rendering()`) the render runs in a child
    process of capped memory, one at a time per machine."""
    from . import isolation

    if fetcher is None and isolation.in_worker():
        return isolation.render_in_child(html)
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return tag_tables(document.write_pdf(pdf_variant="pdf/ua-1", presentational_hints=False))


# WeasyPrint 70 tags tables without the two things PDF/UA-1 asks of them (Matterhorn 15-003:
# every TH has a /Scope), and it cuts a table into one /Table element per page: a caption left
# at a page's foot becomes a table of no rows. The fix-up below adds the scopes and joins the
# pieces of one table again (each HTML table of the report has a caption, so a /Table without
# one continues the table before it).


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _raw_kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _set_kids(element, kids):
    element.K = pikepdf.Array(kids)
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            kid.P = element


def _add_scope(th, scope):
    attributes = th.get("/A")
    if isinstance(attributes, pikepdf.Array):
        table = next((a for a in attributes if a.get("/O") == pikepdf.Name.Table), None)
        if table is None:
            attributes.append(pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope))
        else:
            table.Scope = scope
    elif isinstance(attributes, pikepdf.Dictionary) and attributes.get("/O") == pikepdf.Name.Table:
        attributes.Scope = scope
    else:
        new = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
        th.A = pikepdf.Array([attributes, new]) if attributes is not None else new


def _scope_headers(element, in_head=False):
    for kid in _kids(element):
        if kid.S == pikepdf.Name.TH:
            _add_scope(kid, pikepdf.Name.Column if in_head else pikepdf.Name.Row)
        _scope_headers(kid, in_head or pikepdf.Name.THead == kid.S)


def _join_tables(element):
    """Join the per-page pieces of each table back into one /Table, depth first."""
    kids = _raw_kids(element)
    joined = []
    for kid in kids:
        if not (isinstance(kid, pikepdf.Dictionary) and "/S" in kid):
            joined.append(kid)
            continue
        _join_tables(kid)
        before = joined[-1] if joined else None
        continues = (
            pikepdf.Name.Table == kid.S
            and isinstance(before, pikepdf.Dictionary)
            and before.get("/S") == pikepdf.Name.Table
            and not any(pikepdf.Name.Caption == k.S for k in _kids(kid))
        )
        if continues:
            _set_kids(before, _raw_kids(before) + _raw_kids(kid))
            continue
        joined.append(kid)
    if len(joined) != len(kids):
        _set_kids(element, joined)


def tag_tables(data: bytes) -> bytes:
    """Add /Scope to every TH and join tables split by page breaks; the rest is untouched."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return data
        _join_tables(root)
        _scope_headers(root)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)  # the same report, the same bytes (and SHA-256)
        return out.getvalue()
