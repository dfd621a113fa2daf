"""Read a live Open Referral UK API from its base URL.

``GET <base>/services?page=N`` is followed from page 1 to the ``total_pages``
the first page states; ``<base>/organizations`` is read the same way when the
API offers it (the ORUK 3.0 profile does not require it). Every page is read
with a timeout and a size limit, the number of pages is capped, and any
HTTP or network failure stops the import with one sentence naming the page:
nothing is written unless every page was read.

ORUK 3.0's ``/services`` list holds only a service's one-to-one fields; its
locations, addresses and schedules come from ``GET <base>/services/{id}``.
A listed service without them (no ``service_at_locations``, ``locations`` or
``schedules``, or no ``organization``) is therefore fetched once more by its
id, for at most ``FeedLimits.max_details`` services, each call with the same
timeout and size limit. A detail the API refuses (an HTTP error, not JSON,
not that service) leaves the list's summary in place, and the report says so;
a network failure stops the import like a failing page.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ... import __version__
from ...errors import InvalidInput
from ...store.base import Progress
from ..report import Parsed
from . import read_document

__all__ = ["FeedLimits", "is_url", "read_openreferral_api"]

Say = Callable[[str], None]


@dataclass(frozen=True)
class FeedLimits:
    """How long to wait for a page, how big a page may be and how many pages to read."""

    timeout: float = 30.0  # seconds per request
    max_page_bytes: int = 20_000_000
    max_pages: int = 500  # per endpoint
    max_details: int = 2000  # services fetched one by one for their nested details


def is_url(text: str) -> bool:
    """True for an ``http://`` or ``https://`` address.

    Examples
    --------
    >>> is_url("https://example.council.gov.uk/api"), is_url("services.json")
    (True, False)
    """
    return text.lower().startswith(("http://", "https://"))


def read_openreferral_api(
    url: str,
    known_wards: Iterable[str] = (),
    *,
    say: Say | None = None,
    progress: Progress | None = None,
    limits: FeedLimits = FeedLimits(),
) -> Parsed:
    """Read every page of an ORUK API's services (and organizations, if offered) into organisations.

    ``say`` is told about each page as it is read. Nothing is written.
    """
    base = _base(url)
    say = say or (lambda _line: None)
    services, service_pages = _all_pages(f"{base}/services", limits, say, required=True)
    services, details = _with_details(base, services, limits, say)
    organizations, org_pages = _all_pages(f"{base}/organizations", limits, say, required=False)
    parsed = read_document({"contents": [*services, *organizations]}, base, known_wards, progress)
    read = f"read {service_pages} page(s) of services ({len(services):,} records)"
    if org_pages:
        read += f" and {org_pages} page(s) of organizations ({len(organizations):,} records)"
    else:
        read += "; the API offers no /organizations list"
    parsed.report.notes.insert(0, f"{read} from {base}")
    if details:
        parsed.report.notes.insert(1, details)
    return parsed


#: Keys of a fully nested ORUK service that a ``/services`` list summary leaves out.
_NESTED = ("service_at_locations", "locations", "schedules")


def _is_summary(record: Any) -> bool:
    """True for a listed service that lacks its nested organization, locations and schedules."""
    return isinstance(record, dict) and bool(record.get("id")) and (
        not isinstance(record.get("organization"), dict) or not any(key in record for key in _NESTED)
    )


def _with_details(base: str, services: list[Any], limits: FeedLimits, say: Say) -> tuple[list[Any], str]:
    """The services, each summary replaced by ``/services/{id}``; and a report line (empty if none was fetched)."""
    wanted = list(dict.fromkeys(str(record["id"]) for record in services if _is_summary(record)))
    if not wanted:
        return services, ""
    fetch = wanted[: max(limits.max_details, 0)]
    say(f"{base}/services/{{id}}: fetching the details of {len(fetch):,} of {len(wanted):,} listed services")
    full: dict[str, dict[str, Any]] = {}
    refused: list[str] = []
    for number, service_id in enumerate(fetch, start=1):
        url = f"{base}/services/{urllib.parse.quote(service_id, safe='')}"
        try:
            detail = _get(url, limits, missing_ok=False)
        except _Refused as exc:
            refused.append(str(exc).split("; ")[0])
            continue
        if not isinstance(detail, dict) or str(detail.get("id", "")) != service_id:
            refused.append(f"{url} is not the service {service_id}")
            continue
        full[service_id] = detail
        if number % 100 == 0:
            say(f"{base}/services/{{id}}: {number:,} of {len(fetch):,} details read")
    merged = [
        {**record, **full[str(record["id"])]} if isinstance(record, dict) and str(record.get("id")) in full else record
        for record in services
    ]
    line = f"details fetched from /services/{{id}} for {len(full):,} of {len(wanted):,} listed services"
    if len(wanted) > len(fetch):
        line += f"; {len(wanted) - len(fetch):,} beyond the limit of {limits.max_details:,} were read from the list alone"
    if refused:
        line += f"; {len(refused):,} refused, read from the list alone (first: {refused[0]})"
    return merged, line


def _base(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"{url!r} is not an http(s) address of an Open Referral API")
    path = parts.path.rstrip("/")
    for tail in ("/services", "/organizations"):
        if path.endswith(tail):
            path = path[: -len(tail)]
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc, path, "", ""))


def _all_pages(endpoint: str, limits: FeedLimits, say: Say, *, required: bool) -> tuple[list[Any], int]:
    records: list[Any] = []
    page, total, read = 1, 1, 0
    while page <= total:
        document = _get(f"{endpoint}?page={page}", limits, missing_ok=not required and page == 1)
        if document is None:
            return [], 0
        items = document.get("contents", document.get("content")) if isinstance(document, dict) else document
        if not isinstance(items, list):
            raise InvalidInput(f"{endpoint}?page={page} is not an Open Referral list page (no contents list)")
        if page == 1 and isinstance(document, dict):
            total = _whole(document.get("total_pages"), 1)
            if total > limits.max_pages:
                raise InvalidInput(
                    f"{endpoint} has {total:,} pages, more than the limit of {limits.max_pages:,}; nothing was imported"
                )
        say(f"{endpoint}: page {page} of {total} ({len(items):,} records)")
        records.extend(items)
        read += 1
        if not items:
            break
        page += 1
    return records, read


def _whole(value: Any, default: int) -> int:
    try:
        return max(int(value), default)
    except (TypeError, ValueError):
        return default


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to other http(s) addresses."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if not is_url(newurl):
            raise InvalidInput(f"{req.full_url} redirects to {newurl!r}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


class _Refused(InvalidInput):
    """The server answered, but not with a usable document (an HTTP error status, or not JSON)."""


def _get(url: str, limits: FeedLimits, *, missing_ok: bool) -> Any:
    request = urllib.request.Request(url, headers={
        "Accept": "application/json",
        "User-Agent": f"connector-graph/{__version__}",
    })
    try:
        with _OPENER.open(request, timeout=limits.timeout) as response:
            body = response.read(limits.max_page_bytes + 1)
    except urllib.error.HTTPError as exc:
        if missing_ok and exc.code in (400, 404, 405, 501):
            return None
        raise _Refused(f"{url} answered HTTP {exc.code} ({exc.reason}); nothing was imported") from None
    except urllib.error.URLError as exc:
        raise InvalidInput(f"cannot reach {url}: {_why(exc.reason)}; nothing was imported") from None
    except (TimeoutError, OSError) as exc:
        raise InvalidInput(f"cannot read {url}: {_why(exc)}; nothing was imported") from None
    if len(body) > limits.max_page_bytes:
        raise InvalidInput(f"{url} sent more than {limits.max_page_bytes:,} bytes for one page; nothing was imported")
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        if missing_ok:
            return None
        raise _Refused(f"{url} did not answer with JSON; is it the base address of an Open Referral API?") from None


def _why(reason: Any) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "no answer in time"
    return str(getattr(reason, "strerror", None) or reason)
