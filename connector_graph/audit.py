"""The audit log: who did what to which record, made tamper-evident by a hash chain.

Every write a store makes appends one entry in the same transaction, so a
change and its audit entry are stored together or not at all. Entries hold
an action, a record id and the user's name; never a resident's name or
other personal detail. Each entry's hash covers the previous entry's hash,
so editing, removing or reordering an entry breaks every hash after it and
:func:`verify_chain` finds the first break.

The hash is keyed (HMAC-SHA256 with a key kept outside the database, see
:mod:`connector_graph.protection`; such hashes start ``k1:``), so someone
who can edit the database cannot write a new chain that verifies. A signed
checkpoint outside the database records the newest entry, so removing the
newest entries, or all of them, is found too. Entries written before the
key existed carry plain SHA-256 hashes and are accepted only before the
first keyed entry.

The user is the signed-in principal (:mod:`connector_graph.auth`); each CLI
run and each dashboard session sets it with ``acting_as`` for its own work.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
from typing import TYPE_CHECKING, Iterable

from pydantic import BaseModel, ConfigDict

from .auth import acting_as, current_principal

if TYPE_CHECKING:
    from .protection import Checkpoint

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
    SKIP_ERASED = "skip_erased"
    BRING_BACK_ERASED = "bring_back_erased"
    ERASURE_REGISTER = "erasure_register"
    EXPORT_NAMED = "export_named"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"

    def __str__(self) -> str:
        return self.value


class AuditEntry(BaseModel):
    """One line of the audit log."""

    model_config = ConfigDict(defer_build=True)

    seq: int
    at: dt.datetime
    who: str
    action: AuditAction
    target: str | None = None
    prev_hash: str
    hash: str


class ChainReport(BaseModel):
    """The result of checking the hash chain."""

    model_config = ConfigDict(defer_build=True)

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None
    legacy: int = 0  # entries written before the key existed (plain SHA-256)
    warning: str | None = None  # something the check could not vouch for, short of a break


def current_user() -> str:
    """The user writes are attributed to now (``anonymous`` when nobody signed in)."""
    principal = current_principal()
    return principal.username if principal else "anonymous"


def _stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: The start of a keyed hash.
KEYED = "k1:"


def chain_hash(
    prev_hash: str, seq: int, at: dt.datetime, who: str, action: str, target: str | None, key: bytes | None = None
) -> str:
    """The hash of one entry, covering the previous entry's hash; keyed (``k1:``) when ``key`` is given.

    Examples
    --------
    >>> at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    >>> chain_hash(GENESIS, 1, at, "cath", "add_person", "p-1")[:12]
    '2cd97e1ca9ac'
    >>> chain_hash(GENESIS, 1, at, "cath", "add_person", "p-1", b"k" * 32)[:15]
    'k1:746c198e98a7'
    """
    text = "\x1f".join([prev_hash, str(seq), _stamp(at), who, str(action), target or ""]).encode("utf-8")
    if key is None:
        return hashlib.sha256(text).hexdigest()
    return KEYED + hmac.new(key, text, hashlib.sha256).hexdigest()


def new_entry(
    prev: tuple[int, str] | None, action: AuditAction | str, target: str | None, key: bytes | None = None
) -> AuditEntry:
    """The entry that follows ``prev`` (its ``(seq, hash)``, or ``None`` for the first), keyed with ``key``."""
    seq, prev_hash = (prev[0] + 1, prev[1]) if prev else (1, GENESIS)
    at = dt.datetime.now(dt.timezone.utc)
    who = current_user()
    action = AuditAction(action)
    return AuditEntry(
        seq=seq, at=at, who=who, action=action, target=target, prev_hash=prev_hash,
        hash=chain_hash(prev_hash, seq, at, who, action.value, target, key),
    )


def _entry_problem(entry: AuditEntry, expected_seq: int, expected_prev: str, key: bytes | None, keyed_seen: bool) -> str | None:
    if entry.seq != expected_seq:
        if entry.seq < expected_seq:
            return f"entry {entry.seq} is out of order (entry {expected_seq} was expected)"
        return f"entry {expected_seq} is missing (found {entry.seq} next)"
    if entry.prev_hash != expected_prev:
        return f"entry {entry.seq} does not follow the entry before it"
    fields = (entry.prev_hash, entry.seq, entry.at, entry.who, entry.action.value, entry.target)
    if entry.hash.startswith(KEYED):
        if key is None:
            return f"entry {entry.seq} is keyed, and no key was given to check it"
        if not hmac.compare_digest(entry.hash, chain_hash(*fields, key)):
            return f"entry {entry.seq} was changed after it was written, or signed with another key"
        return None
    if keyed_seen:
        return f"entry {entry.seq} is not signed with this installation's key: the chain was re-hashed"
    if entry.hash != chain_hash(*fields):
        return f"entry {entry.seq} was changed after it was written"
    return None


def verify_chain(
    entries: Iterable[AuditEntry], key: bytes | None = None, checkpoint: "Checkpoint | None" = None
) -> ChainReport:
    """Check that the entries, in order, form an unbroken chain from the start, up to ``checkpoint``.

    ``key`` checks keyed entries; ``checkpoint`` (already checked as
    genuine) is the newest entry the store is known to have written: fewer
    entries, or another hash at that number, means entries were removed or
    rewritten.
    """
    expected_prev, expected_seq, checked, legacy, keyed_seen = GENESIS, 1, 0, 0, False
    at_checkpoint: str | None = None
    for entry in entries:
        problem = _entry_problem(entry, expected_seq, expected_prev, key, keyed_seen)
        if problem:
            return ChainReport(ok=False, checked=checked, first_bad_seq=entry.seq, problem=problem, legacy=legacy)
        keyed_seen = keyed_seen or entry.hash.startswith(KEYED)
        legacy += 0 if keyed_seen else 1
        if checkpoint is not None and entry.seq == checkpoint.seq:
            at_checkpoint = entry.hash
        expected_prev, expected_seq, checked = entry.hash, entry.seq + 1, checked + 1
    if checkpoint is not None and checkpoint.seq > 0:
        if checked == 0:
            return ChainReport(ok=False, checked=0, first_bad_seq=1, problem=(
                f"all {checkpoint.seq} entries were removed (the signed checkpoint records {checkpoint.seq})"))
        if checked < checkpoint.seq:
            return ChainReport(ok=False, checked=checked, first_bad_seq=checked + 1, legacy=legacy, problem=(
                f"the newest entries {checked + 1} to {checkpoint.seq} were removed "
                f"(the signed checkpoint records {checkpoint.seq}, the log ends at {checked})"))
        if at_checkpoint != checkpoint.head:
            return ChainReport(ok=False, checked=checked, first_bad_seq=checkpoint.seq, legacy=legacy, problem=(
                f"entry {checkpoint.seq} is not the one the signed checkpoint records: the log was rewritten"))
    return ChainReport(ok=True, checked=checked, legacy=legacy)
