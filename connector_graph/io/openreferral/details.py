"""Where and when an organisation's services run, as the text the model keeps.

``locations``: one line per distinct place (name, first address line, city,
postcode), in the order the directory lists them. ``schedule``: one line per
timetable, ``"<offer>: <times>"``, the offer being the service's tag so an
export can put each line back on its service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the tables module uses this one
    from .tables import Row, Tables

__all__ = ["where_and_when", "location_line", "schedule_times"]

_ADDRESS_PARTS = ("address_1", "city", "postal_code")
_DAYS = {"1": "Mon", "2": "Tue", "3": "Wed", "4": "Thu", "5": "Fri", "6": "Sat", "7": "Sun"}


def location_line(location: Row, addresses: list[Row]) -> str:
    """One line naming a place: its name, then its first address's street, city and postcode.

    Examples
    --------
    >>> location_line({"name": "Civic Centre"}, [{"address_1": "1 Main St", "city": "Leeds", "postal_code": "LS1 1AA"}])
    'Civic Centre, 1 Main St, Leeds, LS1 1AA'
    """
    parts = [location.get("name", "")]
    if addresses:
        parts += [addresses[0].get(c, "") for c in _ADDRESS_PARTS]
    seen: dict[str, None] = {}
    for part in parts:
        part = " ".join(part.split())
        if part and part.casefold() not in {s.casefold() for s in seen}:
            seen[part] = None
    return ", ".join(seen)


def schedule_times(schedule: Row) -> str:
    """A schedule row (HSDS 1.x regular_schedules or HSDS 3 schedules) as short text.

    Examples
    --------
    >>> schedule_times({"weekday": "1", "opens_at": "09:00:00", "closes_at": "17:00:00"})
    'Mon 09:00-17:00'
    >>> schedule_times({"freq": "WEEKLY", "byday": "TH,FR", "opens_at": "10:00", "closes_at": "18:00"})
    'weekly TH,FR 10:00-18:00'
    >>> schedule_times({"description": "Term time only"})
    'Term time only'
    """
    day = schedule.get("weekday", "")
    parts = [
        schedule.get("freq", "").casefold(),
        _DAYS.get(day, day),
        schedule.get("byday", ""),
        "-".join(_hhmm(schedule.get(k, "")) for k in ("opens_at", "closes_at") if schedule.get(k)),
    ]
    structured = " ".join(p for p in parts if p)
    return structured or " ".join(schedule.get("description", "").split())


def _hhmm(time: str) -> str:
    return time[:5] if len(time) >= 5 and time[2] == ":" else time


def where_and_when(tables: Tables, service_org: dict[str, str], service_tag: dict[str, str]) -> dict[str, tuple[list[str], list[str]]]:
    """Each organisation's location lines and schedule lines, by ORUK organization id."""
    out: dict[str, tuple[list[str], list[str]]] = {}

    def add(org_id: str, which: int, line: str) -> None:
        lines = out.setdefault(org_id, ([], []))[which]
        if line and line not in lines:
            lines.append(line)

    addresses: dict[str, list[Row]] = {}
    for _where, row in tables.get("physical_addresses", ([], []))[0]:
        addresses.setdefault(row.get("location_id", ""), []).append(row)
    lines = {row.get("id", ""): location_line(row, addresses.get(row.get("id", ""), []))
             for _where, row in tables.get("locations", ([], []))[0]}
    for _where, row in tables.get("service_at_locations", ([], []))[0]:
        org_id = service_org.get(row.get("service_id", ""))
        if org_id and row.get("location_id") in lines:
            add(org_id, 0, lines[row["location_id"]])
    for _where, row in tables.get("locations", ([], []))[0]:
        if row.get("organization_id"):
            add(row["organization_id"], 0, lines[row.get("id", "")])
    for _where, row in tables.get("schedules", ([], []))[0]:
        sid = row.get("service_id", "")
        org_id, tag, times = service_org.get(sid), service_tag.get(sid), schedule_times(row)
        if org_id and tag and times:
            add(org_id, 1, f"{tag}: {times}")
    return out
