"""Submissions that are saved once, even when they are sent again after a crash.

Every form that writes a record gives it an id made from a **submission
key** the browser keeps (the dashboard puts it in the page's address), so
a server that dies after the database commit but before the confirmation
reaches the browser leaves the same key behind: pressing the button again
finds the record already there, stores nothing new, and says when it was
saved ("Already saved at 10:42", UK time). Follow-up outcomes need no key:
an outcome identical to the one already held is, by its content, the same
submission.

This module is pure library code (no Streamlit); the pages keep the key.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

from .auth import Permission, require
from .errors import NotFound
from .lookalike import name_key
from .model import Actor, Introduction
from .store.base import Store

__all__ = [
    "UK",
    "already_saved",
    "fresh_key",
    "record_id",
    "saved_at",
    "same_actor",
    "taken",
    "same_introduction",
    "uk_time",
    "valid_key",
]

#: The time zone the confirmation speaks in.
UK = ZoneInfo("Europe/London")
_KEY = re.compile(r"[0-9a-f]{16}")


def fresh_key() -> str:
    """A new submission key: 16 hex digits, e.g. ``3f2a9c1e4b7d0a5e``."""
    return uuid.uuid4().hex[:16]


def valid_key(text: object) -> str | None:
    """``text`` when it is a well-formed submission key (it comes from the address bar), else ``None``.

    Examples
    --------
    >>> valid_key("3f2a9c1e4b7d0a5e"), valid_key("x' OR 1=1"), valid_key(None)
    ('3f2a9c1e4b7d0a5e', None, None)
    """
    return text if isinstance(text, str) and _KEY.fullmatch(text) else None


def record_id(prefix: str, key: str) -> str:
    """The id of the record a submission with ``key`` writes, e.g. ``i-3f2a9c1e4b7d0a5e``.

    Examples
    --------
    >>> record_id("i", "3f2a9c1e4b7d0a5e")
    'i-3f2a9c1e4b7d0a5e'
    """
    return f"{prefix}-{key}"


def saved_at(store: Store, record: str) -> dt.datetime | None:
    """When the record with this id was last written (from the audit log), or ``None`` if never."""
    require(Permission.LOG)
    entries = store.list_audit(target=record, limit=1)
    return entries[-1].at if entries else None


def uk_time(moment: dt.datetime) -> str:
    """A moment as a UK clock shows it, e.g. ``10:42`` (a naive moment is taken as UTC).

    Examples
    --------
    >>> uk_time(dt.datetime(2026, 7, 1, 9, 42, tzinfo=dt.timezone.utc)), uk_time(dt.datetime(2026, 12, 1, 10, 42))
    ('10:42', '10:42')
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return f"{moment.astimezone(UK):%H:%M}"


def already_saved(store: Store, record: str) -> str:
    """"Already saved at 10:42" for a record the store holds (the time it was written, UK time)."""
    moment = saved_at(store, record)
    return f"Already saved at {uk_time(moment)}" if moment else "Already saved"


def same_introduction(store: Store, introduction_id: str, *, introducer_id: str, subject_id: str,
                      target_id: str) -> Introduction | None:
    """The introduction held under ``introduction_id`` when it joins the same three people, else ``None``.

    A held record with other people under that id is not this submission
    (the key was reused, e.g. an old address opened again): the caller
    takes a fresh key instead.
    """
    require(Permission.LOG)
    try:
        held = store.get_introduction(introduction_id)
    except NotFound:
        return None
    if (held.introducer_id, held.subject_id, held.target_id) != (introducer_id, subject_id, target_id):
        return None
    return held


def taken(store: Store, record: str) -> bool:
    """True when some record already has this id (a reused key: the caller takes a fresh one)."""
    require(Permission.LOG)
    if record.startswith("i-"):
        try:
            store.get_introduction(record)
            return True
        except NotFound:
            return False
    return bool(store.existing_ids([record]))


def same_actor(store: Store, actor_id: str, *, name: str) -> Actor | None:
    """The actor held under ``actor_id`` when it has this name (a retried "add someone new"), else ``None``."""
    require(Permission.LOG)
    try:
        held = store.get_actor(actor_id)
    except NotFound:
        return None
    return held if name_key(held.name) == name_key(name) else None
