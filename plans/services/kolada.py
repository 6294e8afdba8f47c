"""Fetching Kolada's v3 data API with the standard library: pagination, timeout, clear errors."""

import http.client
import json
import urllib.error
import urllib.request
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_PAGES = 200


class KoladaError(Exception):
    """Kolada could not be read; the message says why, in words for the user."""


def data_url(*, base_url: str, kpi: str, municipalities: list[str], years: list[int]) -> str:
    path = "/data/kpi/{}/municipality/{}/year/{}".format(
        quote(kpi, safe=""),
        quote(",".join(municipalities), safe=","),
        ",".join(str(year) for year in years),
    )
    return base_url.rstrip("/") + path


def _get_json(url: str, timeout: float):
    if urlsplit(url).scheme not in {"http", "https"}:
        raise KoladaError(_("Kolada address must start with http or https: %(url)s") % {"url": url})
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url, headers={"Accept": "application/json", "User-Agent": "PiteBra"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as error:
        raise KoladaError(
            _("Kolada answered %(status)s for %(url)s.") % {"status": error.code, "url": url}
        ) from error
    except TimeoutError as error:
        raise KoladaError(
            _("Kolada did not answer within %(seconds)s seconds (%(url)s).")
            % {"seconds": timeout, "url": url}
        ) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise KoladaError(
                _("Kolada did not answer within %(seconds)s seconds (%(url)s).")
                % {"seconds": timeout, "url": url}
            ) from error
        raise KoladaError(
            _("Kolada could not be reached at %(url)s: %(reason)s")
            % {"url": url, "reason": error.reason}
        ) from error
    except (OSError, http.client.HTTPException) as error:
        # A dropped connection or a malformed answer, e.g. the server closing mid-response.
        raise KoladaError(
            _("Kolada could not be reached at %(url)s: %(reason)s") % {"url": url, "reason": error}
        ) from error
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise KoladaError(
            _("Kolada's answer is not valid JSON (%(url)s).") % {"url": url}
        ) from error


def fetch_data(
    *,
    kpi: str,
    municipalities: list[str],
    years: list[int],
    base_url: str | None = None,
    timeout: float | None = None,
) -> dict:
    """All pages of one KPI's values, combined into one {"values": [...]} document."""
    base_url = base_url or settings.KOLADA_BASE_URL
    timeout = timeout if timeout is not None else settings.KOLADA_TIMEOUT
    url = data_url(base_url=base_url, kpi=kpi, municipalities=municipalities, years=years)
    values, seen = [], set()
    for _page in range(MAX_PAGES):
        seen.add(url)
        page = _get_json(url, timeout)
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise KoladaError(
                _("Kolada's answer has no list called “values” (%(url)s).") % {"url": url}
            )
        values.extend(page["values"])
        next_page = page.get("next_page")
        if not next_page:
            return {"values": values, "count": len(values)}
        url = urljoin(url, next_page)
        if url in seen:
            raise KoladaError(_("Kolada's pages lead in a circle (%(url)s).") % {"url": url})
    raise KoladaError(_("Kolada gave more than %(n)s pages; stopped.") % {"n": MAX_PAGES})
