"""Our organisations as an Open Referral UK 3.0 JSON package, for a directory owner.

The file is one ORUK 3.0 organizations page (``total_items``, ``total_pages``,
``page_number``, ... ``contents``) whose organizations each nest their
services, and it validates against the ORUK 3.0 ``organization`` schema:

- organisation -> ``organization``: its id a UUID (the directory's own id
  when it came from an ORUK import as ``oruk-<uuid>``), ``description`` from
  its kind, sector and ward, our id kept under the identifier type
  ``connector_graph``, and its kind, sector and ward as taxonomy terms
  (``connector_graph:kind`` / ``:sector`` / ``:ward``);
- each offer -> an active ``service``; each space to share -> a service with
  the term ``connector_graph:space``; the ward -> each service's ``service_areas``;
- ``locations`` lines -> each service's ``service_at_locations`` (a physical
  location named by the line); ``schedule`` lines ``"<offer>: <times>"`` ->
  that service's ``schedules`` (the times as the description).

People, ties and introductions are not part of a services directory and are
not written. An organisation with neither offers nor spaces has no service to
carry its locations and schedule, so those two are left out for it.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Callable

from ...model import Organisation
from ...store.base import Batch, Progress, Store
from ..files import safe_output
from .nested import KIND_TAXONOMY, SCHEME, SECTOR_TAXONOMY, SPACE_TAXONOMY, WARD_TAXONOMY

__all__ = ["export_organisations", "write_openreferral", "oruk_document", "oruk_uuid"]
_NAMESPACE = uuid.UUID("6f1c1f3e-9d7a-4f0e-8a51-0c4e3b2a1d55")  # this project's namespace for derived ids


def oruk_uuid(*key: str) -> str:
    """A UUID for an ORUK record: the directory's own for ``oruk-<uuid>`` ids, else one derived from ``key``.

    Examples
    --------
    >>> oruk_uuid("oruk-d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
    'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610'
    >>> oruk_uuid("lib") == oruk_uuid("lib") != oruk_uuid("lib", "books")
    True
    """
    if len(key) == 1 and key[0].startswith("oruk-"):
        try:
            return str(uuid.UUID(key[0][5:]))
        except ValueError:
            pass
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(key)))


def export_organisations(
    store: Store, path: Path | str, transform: Callable[[Batch], Batch] | None = None, progress: Progress | None = None
) -> tuple[Path, int]:
    """Write the store's organisations (only they are read) to ``path``; returns the file and how many.

    ``transform`` (e.g. a pseudonymiser) is applied to them first.
    """
    batch = Batch(organisations=store.list_organisations())
    if progress:
        progress(len(batch.organisations))
    if transform is not None:
        batch = transform(batch)
    return write_openreferral(batch, path), len(batch.organisations)


def write_openreferral(batch: Batch, path: Path | str) -> Path:
    """Write the organisations of ``batch`` to ``path`` as an ORUK 3.0 organizations page."""
    text = json.dumps(oruk_document(batch.organisations), ensure_ascii=False, indent=1)
    with safe_output(path) as handle:
        handle.write(text + "\n")
    return Path(path)


def oruk_document(organisations: list[Organisation]) -> dict[str, Any]:
    """The ORUK 3.0 organizations page for ``organisations``."""
    contents = [_organization(o) for o in organisations]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def _organization(org: Organisation) -> dict[str, Any]:
    oid = oruk_uuid(org.id)
    about = f"{org.kind.label.capitalize()}, {org.sector.label} sector" + (f", in {org.ward}" if org.ward else "")
    terms = [(KIND_TAXONOMY, org.kind.value), (SECTOR_TAXONOMY, org.sector.value)]
    if org.ward:
        terms.append((WARD_TAXONOMY, org.ward))
    services = [_service(org, oid, name, space=False) for name in org.offers]
    services += [_service(org, oid, name, space=True) for name in org.spaces]
    return {
        "id": oid,
        "name": org.name,
        "description": about,
        "organization_identifiers": [{
            "id": oruk_uuid(org.id, "identifier"),
            "organization_id": oid,
            "identifier_scheme": SCHEME,
            "identifier_type": SCHEME,
            "identifier": org.id,
        }],
        "attributes": [_attribute(oid, "organization", taxonomy, name) for taxonomy, name in terms],
        "services": services,
    }


def _service(org: Organisation, oid: str, name: str, *, space: bool) -> dict[str, Any]:
    sid = oruk_uuid(org.id, "space" if space else "offer", name)
    service: dict[str, Any] = {"id": sid, "organization_id": oid, "name": name, "status": "active"}
    if space:
        service["attributes"] = [_attribute(sid, "service", SPACE_TAXONOMY, "space to share")]
    if org.ward:
        service["service_areas"] = [{"id": oruk_uuid(sid, "area"), "service_id": sid, "name": org.ward}]
    links = []
    for line in (org.locations or "").splitlines():
        lid = oruk_uuid(org.id, "location", line)
        links.append({
            "id": oruk_uuid(sid, lid),
            "service_id": sid,
            "location_id": lid,
            "location": {"id": lid, "location_type": "physical", "name": line},
        })
    if links:
        service["service_at_locations"] = links
    schedules = []
    for line in (org.schedule or "").splitlines():
        offer, _, times = line.partition(": ")
        if offer == name and times and not space:
            schedules.append({"id": oruk_uuid(sid, "schedule", times), "service_id": sid, "description": times})
    if schedules:
        service["schedules"] = schedules
    return service


def _attribute(link_id: str, link_type: str, taxonomy: str, name: str) -> dict[str, Any]:
    term_id = oruk_uuid(taxonomy, name)
    return {
        "id": oruk_uuid(link_id, taxonomy),
        "link_id": link_id,
        "link_type": link_type,
        "taxonomy_term_id": term_id,
        "taxonomy_term": {"id": term_id, "name": name, "description": taxonomy.split(":")[1], "taxonomy": taxonomy},
    }
