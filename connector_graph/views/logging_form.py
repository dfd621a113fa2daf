"""What the logging page says and lists: confirmations in words, follow-ups grouped and named.

Pure reading and wording; the page draws it and the service writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from ..auth import Permission, require
from ..caching import LruCache
from ..errors import NotFound
from ..model import Introduction, IntroStatus
from ..store.base import IntroductionFilter, Store
from . import lists
from .pickers import uk_date

__all__ = [
    "EDIT_KEYS",
    "FollowUp",
    "FollowUpGroup",
    "PAGE_SIZE",
    "edit_values",
    "follow_up_groups",
    "logged_sentence",
    "short_title",
    "when_words",
]

#: Follow-ups shown per page of a group.
PAGE_SIZE = 10
#: The edit box's widget keys, as :func:`edit_values` fills them.
EDIT_KEYS = ("edit_date", "edit_purposes", "edit_channel", "edit_status", "edit_follow_up", "edit_outcome")
_OPEN = frozenset({IntroStatus.PLANNED, IntroStatus.MADE, IntroStatus.UNKNOWN})


@dataclass(frozen=True)
class FollowUp:
    """One introduction waiting for its outcome, as the list shows it."""

    id: str
    label: str
    follow_up: dt.date | None


@dataclass(frozen=True)
class FollowUpGroup:
    """Follow-ups that are overdue, due this week, or later (or undated)."""

    key: str
    title: str
    items: list[FollowUp]


def _name(store: Store, actor_id: str) -> str:
    try:
        return store.get_actor(actor_id).name
    except NotFound:
        return "someone no longer held"


def when_words(day: dt.date, today: dt.date | None = None) -> str:
    """``today``, ``yesterday`` or ``on 12/11/2026``.

    Examples
    --------
    >>> when_words(dt.date(2026, 11, 12), dt.date(2026, 11, 12)), when_words(dt.date(2026, 11, 2), dt.date(2026, 11, 12))
    ('today', 'on 02/11/2026')
    """
    today = today or dt.date.today()
    if day == today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    return f"on {uk_date(day)}"


def logged_sentence(store: Store, intro: Introduction, me: str | None, *, today: dt.date | None = None) -> str:
    """"Logged: Jean Firth introduced to Pudsey Community Hub by you, today" (names, not ids)."""
    require(Permission.VIEW)
    by = "you" if me and intro.introducer_id == me else _name(store, intro.introducer_id)
    return (f"Logged: {_name(store, intro.subject_id)} introduced to {_name(store, intro.target_id)} by {by}, "
            f"{when_words(intro.date, today)}")


def short_title(store: Store, intro: Introduction) -> str:
    """"Jean Firth → Swillington Community Centre, 12 Nov" (the year too when it is not this year)."""
    require(Permission.VIEW)
    day = f"{intro.date.day} {intro.date:%b}" + ("" if intro.date.year == dt.date.today().year else f" {intro.date.year}")
    return f"{_name(store, intro.subject_id)} → {_name(store, intro.target_id)}, {day}"


def edit_values(intro: Introduction) -> dict[str, Any]:
    """The edit box's starting values for ``intro``, by widget key."""
    return {
        "edit_date": intro.date,
        "edit_purposes": list(intro.purposes),
        "edit_channel": intro.channel.value,
        "edit_status": intro.status.value,
        "edit_follow_up": intro.follow_up,
        "edit_outcome": intro.outcome or "",
    }


T = TypeVar("T")
#: Each introducer's follow-up lists, kept per graph version (any write makes new ones).
_LISTS = LruCache(8)


def _per_version(store: Store, name: str, make: Callable[[], T]) -> T:
    return _LISTS.get_or_make((store.url, store.graph_version(), name), make)


def follow_up_groups(store: Store, introducer_id: str, *, today: dt.date | None = None) -> list[FollowUpGroup]:
    """The introducer's introductions with no outcome yet: overdue first, then due this week, then the rest.

    Each item names the people and gives UK dates; the list is read once per
    graph version (any write, such as saving an outcome, makes a new one).
    """
    require(Permission.VIEW)
    today = today or dt.date.today()
    return _per_version(store, f"follow-ups-{introducer_id}-{today}", lambda: _groups(store, introducer_id, today))


def _groups(store: Store, introducer_id: str, today: dt.date) -> list[FollowUpGroup]:
    waiting = [i for i in store.list_introductions(IntroductionFilter(introducer_id=introducer_id))
               if i.outcome is None and i.status in _OPEN]
    names = lists.names(store, {x for i in waiting for x in (i.subject_id, i.target_id)},
                        missing="someone no longer held")  # the list every user shares, not a read per name
    week = today + dt.timedelta(days=7)
    buckets: dict[str, list[FollowUp]] = {"overdue": [], "week": [], "later": []}
    for intro in sorted(waiting, key=lambda i: (i.follow_up or dt.date.max, i.date, i.id)):
        due = intro.follow_up
        key = "overdue" if due and due < today else "week" if due and due <= week else "later"
        when = f"follow up {uk_date(due)}" if due else "no follow-up date"
        label = f"{names[intro.subject_id]} → {names[intro.target_id]} (introduced {uk_date(intro.date)}; {when})"
        buckets[key].append(FollowUp(intro.id, label, due))
    titles = {"overdue": "Overdue", "week": "Due this week", "later": "Later or no date"}
    return [FollowUpGroup(key, titles[key], items) for key, items in buckets.items()]
