"""Rules shared by every backend, so both behave the same way."""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import Duplicate, InvalidInput
import datetime as dt

from ..identity import name_key
from ..model import MAX_NAME, Actor, ErasureRecord, Introduction, StatusChange
from ..protection import Protection

__all__ = ["next_history", "require", "check_same_actor", "check_same_people", "check_page", "search_needle", "erasure_record"]

T = TypeVar("T")


def require(value: Any, model: type[T]) -> T:
    """Return ``value`` if it is a ``model``; otherwise raise ``InvalidInput``."""
    if not isinstance(value, model):
        raise InvalidInput(f"expected a {model.__name__}, got {type(value).__name__}")
    return value


def check_same_actor(actor: Actor, stored_type: str, stored: dict[str, Any]) -> None:
    """Raise ``Duplicate`` unless ``actor`` is exactly what is stored under its id."""
    if stored_type != actor.actor_type:
        raise Duplicate(f"the id {actor.id!r} already belongs to an {stored_type}, not a {actor.actor_type}")
    if stored != actor.model_dump(mode="json"):
        raise Duplicate(
            f"a different {actor.actor_type} already has the id {actor.id!r}; update it instead of adding it again"
        )


def check_same_people(old: Introduction, new: Introduction) -> None:
    """An update may change status, dates and outcome, never who was involved."""
    if (old.introducer_id, old.subject_id, old.target_id) != (new.introducer_id, new.subject_id, new.target_id):
        raise InvalidInput(
            "who made, received or was the target of an introduction cannot be changed; log a new introduction"
        )


def check_page(limit: int | None, offset: int) -> None:
    """Reject negative paging values with a clear message."""
    if limit is not None and limit < 0:
        raise InvalidInput("limit must not be negative")
    if offset < 0:
        raise InvalidInput("offset must not be negative")


def search_needle(text: str) -> str:
    """The search text as :func:`connector_graph.identity.name_key` folds names (empty: nothing can match).

    Look-alike letters, invisible characters, case and accents are folded
    the same way as the stored names, so "\u0410nna" finds "Anna". A text longer than the longest allowed name cannot match any name, so it
    is answered at once instead of being sent to the database.
    """
    needle = name_key((text or "")[: MAX_NAME * 4])
    return needle if len(needle) <= MAX_NAME else ""


def next_history(old: Introduction, new: Introduction, history: list[StatusChange]) -> list[StatusChange] | None:
    """The introduction's states after ``new`` replaces ``old``, or None when status and outcome did not change.

    With no history yet, the logged state (dated the introduction's date)
    comes first; the new state is dated today. A second change on the same
    day replaces that day's state.
    """
    if (old.status, old.outcome) == (new.status, new.outcome):
        return None
    states = list(history) or [StatusChange(old.id, old.date, old.status, old.outcome)]
    today = dt.date.today()
    if states[-1].day == today and len(states) > 1:
        states.pop()
    states.append(StatusChange(new.id, max(today, new.date), new.status, new.outcome))
    return states


def erasure_record(protection: Protection, actor_id: str, actor_type: str, name: str, ward: str | None) -> ErasureRecord:
    """The erasure register line for an actor being erased (a fingerprint for people only)."""
    return ErasureRecord(
        id_hash=protection.id_hash(actor_id),
        fingerprint=protection.fingerprint(name, ward) if actor_type == "person" else None,
        erased_at=dt.datetime.now(dt.timezone.utc),
    )
