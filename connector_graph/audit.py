"""The audit log: who did what to which record, made tamper-evident by a hash chain.

Every write a store makes appends one entry in the same transaction, so a
change and its audit entry are stored together or not at all. Entries hold
an action, a record id and the user's name; never a resident's name or
other personal detail. Each entry's hash covers the previous entry's hash,
so editing, removing or reordering an entry breaks every hash after it and
:func:`verify_chain` finds the first break.

The user is the signed-in principal (:mod:`connector_graph.auth`); each CLI
run and each dashboard session sets it with ``acting_as`` for its own work.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from typing import Iterable

from pydantic import BaseModel

from .auth import acting_as, current_principal

__all__ = [
    "AuditAction",
    "AuditEntry",
    "ChainReport",
    "GENESIS",
    "acting_as",
    "current_user",
    "chain_hash",
    "new_entry",
    "verify_chain",
]

#: The "previous hash" of the first entry.
GENESIS = "0" * 64

class AuditAction(str, enum.Enum):
    """What an audit entry records."""

    ADD_PERSON = "add_person"
    UPDATE_PERSON = "update_person"
    ADD_ORGANISATION = "add_organisation"
    UPDATE_ORGANISATION = "update_organisation"
    ERASE = "erase"
    ADD_TIE = "add_tie"
    ADD_INTRODUCTION = "add_introduction"
    UPDATE_INTRODUCTION = "update_introduction"
    REMOVE_INTRODUCTION = "remove_introduction"
    ADD_WARDS = "add_wards"
    BULK_LOAD = "bulk_load"
    EXPORT = "export"
    SUBJECT_ACCESS = "subject_access"
    ROLE_CHANGE = "role_change"
    RETENTION = "retention"
    ADD_USER = "add_user"
    REMOVE_USER = "remove_user"

    def __str__(self) -> str:
        return self.value


class AuditEntry(BaseModel):
    """One line of the audit log."""

    seq: int
    at: dt.datetime
    who: str
    action: AuditAction
    target: str | None = None
    prev_hash: str
    hash: str


class ChainReport(BaseModel):
    """The result of checking the hash chain."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


def current_user() -> str:
    """The user writes are attributed to now (``anonymous`` when nobody signed in)."""
    principal = current_principal()
    return principal.username if principal else "anonymous"


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chain_hash(prev_hash: str, seq: int, at: dt.datetime, who: str, action: str, target: str | None) -> str:
    """The hash of one entry, covering the previous entry's hash.

    Examples
    --------
    >>> at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    >>> chain_hash(GENESIS, 1, at, "cath", "add_person", "p-1")[:12]
    '2cd97e1ca9ac'
    """
    text = "\x1f".join([prev_hash, str(seq), _stamp(at), who, str(action), target or ""])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_entry(prev: tuple[int, str] | None, action: AuditAction | str, target: str | None) -> AuditEntry:
    """The entry that follows ``prev`` (its ``(seq, hash)``, or ``None`` for the first)."""
    seq, prev_hash = (prev[0] + 1, prev[1]) if prev else (1, GENESIS)
    at = dt.datetime.now(dt.timezone.utc)
    who = current_user()
    action = AuditAction(action)
    return AuditEntry(
        seq=seq, at=at, who=who, action=action, target=target, prev_hash=prev_hash,
        hash=chain_hash(prev_hash, seq, at, who, action.value, target),
    )


def verify_chain(entries: Iterable[AuditEntry]) -> ChainReport:
    """Check that the entries, in order, form an unbroken chain from the start."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in entries:
        problem = None
        if entry.seq != expected_seq:
            problem = f"entry {expected_seq} is missing (found {entry.seq} next)"
        elif entry.prev_hash != expected_prev:
            problem = f"entry {entry.seq} does not follow the entry before it"
        elif entry.hash != chain_hash(entry.prev_hash, entry.seq, entry.at, entry.who, entry.action.value, entry.target):
            problem = f"entry {entry.seq} was changed after it was written"
        if problem:
            return ChainReport(ok=False, checked=checked, first_bad_seq=entry.seq, problem=problem)
        expected_prev, expected_seq, checked = entry.hash, entry.seq + 1, checked + 1
    return ChainReport(ok=True, checked=checked)
