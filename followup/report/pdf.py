"""HTML → PDF with WeasyPrint, fetching nothing but the app's own static files.

WeasyPrint's default fetcher reads any file:// URL and any http:// address named in the HTML
(`<link rel="attachment" href="file:///etc/passwd">` would embed that file). This module owns
the one fetcher the app uses: `data:` URIs and files under our own static directory; anything
else is refused and recorded.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

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
    """A tagged PDF/UA-1 of the HTML; relative URLs resolve inside the static directory."""
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1", presentational_hints=False)
