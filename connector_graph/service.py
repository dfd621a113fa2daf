"""Use cases shared by the CLI and the dashboard.

Each function takes a store and plain values, validates them into model
objects, checks them against what the store holds (known wards, known
actors) and makes one store call. Nothing is written unless every check
passes.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any, Iterable

from .auth import Permission, require
from .caching import forget_everything
from .changes import announce
from .errors import InvalidInput
from .model import (
    Counts,
    ErasureReport,
    Introduction,
    Organisation,
    Person,
    Tie,
    Ward,
    build,
)
from .store.base import Batch, Progress, Store

__all__ = [
    "add_person",
    "add_organisation",
    "add_tie",
    "log_introduction",
    "record_follow_up",
    "edit_introduction",
    "undo_introduction",
    "get_introduction",
    "update_actor",
    "erase_actor",
    "load_batch",
    "stats",
    "canonical_ward",
]


def canonical_ward(store: Store, ward: str | None) -> str | None:
    """The ward's name as the store knows it.

    When the store holds wards, a name must match one of them (ignoring
    case); otherwise any name is accepted as written.
    """
    if ward is None or not ward.strip():
        return None
    ward = build(Ward, name=ward).name
    known = [w.name for w in store.list_wards()]
    if not known:
        return ward
    by_fold = {name.casefold(): name for name in known}
    if ward.casefold() in by_fold:
        return by_fold[ward.casefold()]
    close = difflib.get_close_matches(ward, known, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise InvalidInput(f"unknown ward {ward!r}{hint}")


def add_person(
    store: Store,
    name: str,
    *,
    ward: str | None = None,
    roles: Iterable[str] = (),
    gifts: Iterable[str] = (),
    skills: Iterable[str] = (),
    interests: Iterable[str] = (),
    needs: Iterable[str] = (),
    person_id: str | None = None,
    **privacy: Any,
) -> Person:
    """Validate and add a person; returns the stored person with their id.

    ``privacy`` takes the person's data-protection fields: ``lawful_basis``,
    ``consent_given_on``, ``consent_method``, ``consent_recorded_by``,
    ``article9_condition``, ``restricted`` and ``retain_until``.
    """
    require(Permission.LOG)
    fields: dict = {
        "name": name,
        "ward": canonical_ward(store, ward),
        "gifts": list(gifts),
        "skills": list(skills),
        "interests": list(interests),
        "needs": list(needs),
        **{key: value for key, value in privacy.items() if value is not None},
    }
    roles = list(roles)
    if roles:
        fields["roles"] = roles
    if person_id:
        fields["id"] = person_id
    person = build(Person, **fields)
    store.add_person(person)
    announce(store, person)
    return person


def add_organisation(
    store: Store,
    name: str,
    *,
    sector: str,
    kind: str | None = None,
    ward: str | None = None,
    offers: Iterable[str] = (),
    spaces: Iterable[str] = (),
    organisation_id: str | None = None,
) -> Organisation:
    """Validate and add an organisation; returns it with its id."""
    require(Permission.LOG)
    fields: dict = {
        "name": name,
        "sector": sector,
        "ward": canonical_ward(store, ward),
        "offers": list(offers),
        "spaces": list(spaces),
    }
    if kind:
        fields["kind"] = kind
    if organisation_id:
        fields["id"] = organisation_id
    organisation = build(Organisation, **fields)
    store.add_organisation(organisation)
    announce(store, organisation)
    return organisation


def add_tie(
    store: Store,
    source_id: str,
    target_id: str,
    *,
    kind: str = "knows",
    since: dt.date | None = None,
    last_confirmed: dt.date | None = None,
    source: str = "other",
) -> Tie:
    """Validate and record a tie between two existing actors."""
    require(Permission.LOG)
    tie = build(
        Tie,
        source_id=source_id,
        target_id=target_id,
        kind=kind,
        since=since,
        last_confirmed=last_confirmed,
        source=source,
    )
    store.add_tie(tie)
    return tie


def log_introduction(
    store: Store,
    *,
    introducer_id: str,
    subject_id: str,
    target_id: str,
    date: dt.date | None = None,
    purposes: Iterable[str] = (),
    channel: str | None = None,
    status: str | None = None,
    follow_up: dt.date | None = None,
    outcome: str | None = None,
    introduction_id: str | None = None,
) -> Introduction:
    """Validate and log an introduction; returns it with its id."""
    require(Permission.LOG)
    fields: dict = {
        "introducer_id": introducer_id,
        "subject_id": subject_id,
        "target_id": target_id,
        "purposes": list(purposes),
        "follow_up": follow_up,
        "outcome": outcome,
    }
    for key, value in (("date", date), ("channel", channel), ("status", status), ("id", introduction_id)):
        if value is not None:
            fields[key] = value
    intro = build(Introduction, **fields)
    store.add_introduction(intro)
    announce(store, intro)
    return intro


def record_follow_up(
    store: Store,
    introduction_id: str,
    *,
    status: str | None = None,
    outcome: str | None = None,
    follow_up: dt.date | None = None,
) -> Introduction:
    """Record what came of an introduction: its new status, outcome or follow-up date."""
    return edit_introduction(store, introduction_id, status=status, outcome=outcome, follow_up=follow_up)


def edit_introduction(store: Store, introduction_id: str, **changes: Any) -> Introduction:
    """Change some details of a logged introduction (``None`` leaves a detail as it is).

    ``changes`` names fields of :class:`~connector_graph.model.Introduction`
    other than the three people (to change who was introduced, undo it and
    log it again); the whole record is validated again before it is written.
    """
    require(Permission.LOG)
    people = {"introducer_id", "subject_id", "target_id", "id"} & {k for k, v in changes.items() if v is not None}
    if people:
        raise InvalidInput("who made, received or was introduced cannot be edited; undo the introduction and log it again")
    current = store.get_introduction(introduction_id)
    fields = current.model_dump()
    fields.update({key: value for key, value in changes.items() if value is not None})
    updated = build(Introduction, **fields)
    if updated != current:
        store.update_introduction(updated)
        announce(store, updated)
    return updated


def get_introduction(store: Store, introduction_id: str) -> Introduction:
    """One introduction by id (``NotFound`` if absent)."""
    require(Permission.VIEW)
    return store.get_introduction(introduction_id)


def undo_introduction(store: Store, introduction_id: str) -> Introduction:
    """Remove an introduction logged by mistake; the audit log records who removed it and when.

    Returns what was removed, so the caller can say what was undone.
    """
    require(Permission.LOG)
    removed = store.get_introduction(introduction_id)
    store.remove_introduction(introduction_id)
    return removed


def update_actor(store: Store, actor_id: str, **changes: Any) -> Person | Organisation:
    """Change some of an actor's fields; returns the stored actor.

    ``changes`` names model fields (``name``, ``ward``, ``roles``, ``gifts``,
    ``offers``...); the whole record is validated again before anything is
    written, and the id cannot change.
    """
    require(Permission.LOG)
    current = store.get_actor(actor_id)
    changes.pop("id", None)
    if "ward" in changes:
        changes["ward"] = canonical_ward(store, changes["ward"])
    updated = build(type(current), **{**current.model_dump(), **changes})
    if updated != current:
        if isinstance(updated, Person):
            store.update_person(updated)
        else:
            store.update_organisation(updated)
        announce(store, updated)
    return updated


def erase_actor(store: Store, actor_id: str) -> ErasureReport:
    """Erase a person or organisation with their ties and introductions."""
    require(Permission.ERASE)
    report = store.erase_actor(actor_id)
    forget_everything()  # no cached graph, report or view may still hold them
    return report


def load_batch(store: Store, batch: Batch, progress: Progress | None = None) -> Counts:
    """Load a batch (seed, import) and return the store's new counts."""
    require(Permission.IMPORT)
    store.bulk_load(batch, progress)
    return store.counts()


def stats(store: Store) -> Counts:
    """How much the store holds."""
    require(Permission.VIEW)
    return store.counts()
