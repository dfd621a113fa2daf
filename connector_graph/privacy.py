"""Data-protection use cases: subject access, retention and the erasure register.

- :func:`subject_access` gathers everything held about one person (their
  details, consent, ties, introductions, simple derived figures and the
  audit entries about them) with every other person pseudonymised.
- :func:`retention_review` finds the people whose details are due for
  erasure under the retention policy; :func:`apply_retention` erases them.
- :func:`erasure_register` lists every erasure the audit log records, so an
  older backup restored later can have them applied again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict

from .audit import AuditAction, AuditEntry, ChainReport, verify_chain
from .auth import Permission, require
from .caching import forget_everything
from .errors import NotFound
from .model import Person
from .protection import Checkpoint
from .store.base import IntroductionFilter, Store

__all__ = [
    "SubjectAccessReport",
    "subject_access",
    "render_subject_access",
    "RetentionItem",
    "RetentionReview",
    "retention_review",
    "apply_retention",
    "erasure_register",
    "reapply_erasures",
    "audit_log",
    "verify_audit",
    "Pseudonymiser",
]


class Pseudonymiser:
    """Keyed pseudonyms: the same id gives the same pseudonym within one use, another next time.

    Examples
    --------
    >>> p = Pseudonymiser(b"k" * 32, prefix="Person")
    >>> p("p-1") == p("p-1"), p("p-1") == p("p-2")
    (True, False)
    >>> p("p-1")
    'Person 3132CEBF'
    """

    def __init__(self, key: bytes | None = None, prefix: str = "Person") -> None:
        self._key = key or secrets.token_bytes(32)
        self._prefix = prefix

    def __call__(self, identifier: str) -> str:
        digest = hmac.new(self._key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()[:8].upper()
        return f"{self._prefix} {digest}"


class SubjectAccessReport(BaseModel):
    """Everything held about one person, others pseudonymised."""

    model_config = ConfigDict(defer_build=True)

    generated_at: dt.datetime
    person: dict[str, Any]
    ties: list[dict[str, Any]]
    introductions: list[dict[str, Any]]
    derived: dict[str, Any]
    audit: list[dict[str, Any]]


def _other(store: Store, actor_id: str, pseudonym: Pseudonymiser, names: dict[str, str]) -> str:
    """How another party appears: organisations by name, people only by pseudonym."""
    if actor_id not in names:
        try:
            actor = store.get_actor(actor_id)
            names[actor_id] = actor.name if actor.actor_type == "organisation" else pseudonym(actor_id)
        except NotFound:
            names[actor_id] = pseudonym(actor_id)
    return names[actor_id]


def subject_access(store: Store, person_id: str, *, now: dt.datetime | None = None) -> SubjectAccessReport:
    """Gather what is held about ``person_id`` and record the request in the audit log."""
    require(Permission.SUBJECT_ACCESS)
    person = store.get_actor(person_id)
    if not isinstance(person, Person):
        raise NotFound(f"{person_id!r} is an organisation; subject access is for people")
    pseudonym = Pseudonymiser()
    names: dict[str, str] = {}
    ties = [
        {
            "kind": tie.kind.label,
            "with": _other(store, tie.target_id if tie.source_id == person_id else tie.source_id, pseudonym, names),
            "since": tie.since,
            "last_confirmed": tie.last_confirmed,
            "how_we_know": tie.source.label,
        }
        for tie in store.list_ties(person_id)
    ]
    intros = store.list_introductions(IntroductionFilter(actor_id=person_id))
    introductions = []
    for intro in intros:
        role = (
            "made the introduction" if intro.introducer_id == person_id
            else "was introduced" if intro.subject_id == person_id
            else "was introduced to"
        )
        introductions.append(
            {
                "date": intro.date,
                "their_part": role,
                "introducer": "them" if intro.introducer_id == person_id else _other(store, intro.introducer_id, pseudonym, names),
                "introduced": "them" if intro.subject_id == person_id else _other(store, intro.subject_id, pseudonym, names),
                "to": "them" if intro.target_id == person_id else _other(store, intro.target_id, pseudonym, names),
                "purposes": intro.purposes,
                "channel": intro.channel.label,
                "status": intro.status.label,
                "follow_up": intro.follow_up,
                "outcome": intro.outcome,
            }
        )
    derived = {
        "ties": len(ties),
        "introductions_made": sum(1 for i in intros if i.introducer_id == person_id),
        "introductions_received": sum(1 for i in intros if i.subject_id == person_id),
        "included_in_analysis": person.in_analysis,
    }
    audit = [_audit_row(e) for e in store.list_audit(target=person_id)]
    store.record_audit(AuditAction.SUBJECT_ACCESS, person_id)
    return SubjectAccessReport(
        generated_at=now or dt.datetime.now(dt.timezone.utc),
        person=person.model_dump(mode="json"),
        ties=ties,
        introductions=introductions,
        derived=derived,
        audit=audit,
    )


def _audit_row(entry: AuditEntry) -> dict[str, Any]:
    return {"when": entry.at.isoformat(timespec="seconds"), "who": entry.who, "action": entry.action.value}


def render_subject_access(report: SubjectAccessReport) -> str:
    """A readable version of the report, for sending to the person."""
    p = report.person
    lines = [
        f"# What we hold about {p['name']}",
        "",
        f"Prepared {report.generated_at:%d %B %Y}. Other people are shown by a code, not their name.",
        "",
        "## Your details",
    ]
    for key, value in p.items():
        if value not in (None, [], False):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            lines.append(f"- {key.replace('_', ' ')}: {shown}")
    lines += ["", f"## Your connections ({len(report.ties)})"]
    lines += [f"- {t['kind']} {t['with']}" + (f" since {t['since']}" if t["since"] else "") for t in report.ties] or ["- none"]
    lines += ["", f"## Introductions ({len(report.introductions)})"]
    for i in report.introductions:
        lines.append(
            f"- {i['date']}: {i['introducer']} introduced {i['introduced']} to {i['to']} ({i['status']})"
            + (f"; outcome: {i['outcome']}" if i["outcome"] else "")
        )
    if not report.introductions:
        lines.append("- none")
    lines += ["", "## Who has worked with your record"]
    lines += [f"- {a['when']}: {a['who']} ({a['action'].replace('_', ' ')})" for a in report.audit] or ["- nobody yet"]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- retention


class RetentionItem(BaseModel):
    """One person under the retention policy."""

    model_config = ConfigDict(defer_build=True)

    id: str
    due_on: dt.date | None
    reason: str


class RetentionReview(BaseModel):
    """Who is due for erasure, and who has no date to judge by."""

    model_config = ConfigDict(defer_build=True)

    today: dt.date
    due: list[RetentionItem]
    undated: list[RetentionItem]
    months: int | None = None  # the policy the review used, so applying it can check each person again


def _last_activity(store: Store, today: dt.date) -> dict[str, dt.date]:
    latest: dict[str, dt.date] = {}

    def seen(actor_id: str, when: dt.date | None) -> None:
        if when and (actor_id not in latest or when > latest[actor_id]):
            latest[actor_id] = when

    for tie in store.iter_ties():
        for end in (tie.source_id, tie.target_id):
            seen(end, tie.last_confirmed or tie.since)
    for intro in store.iter_introductions():
        for actor_id in (intro.introducer_id, intro.subject_id, intro.target_id):
            seen(actor_id, intro.follow_up if intro.follow_up and intro.follow_up <= today else intro.date)
    return latest


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months``, never past the last date Python can hold.

    Examples
    --------
    >>> _add_months(dt.date(2026, 1, 31), 1), _add_months(dt.date(9999, 12, 1), 24)
    (datetime.date(2026, 2, 28), datetime.date(9999, 12, 31))
    """
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month, min(day.day, 28))


def retention_review(store: Store, *, months: int, today: dt.date | None = None) -> RetentionReview:
    """People whose retain-until date has passed, or whose last activity is older than ``months``."""
    require(Permission.RETENTION)
    today = today or dt.date.today()
    activity = _last_activity(store, today)
    due: list[RetentionItem] = []
    undated: list[RetentionItem] = []
    for actor in store.iter_actors():
        if not isinstance(actor, Person):
            continue
        if actor.retain_until:
            if actor.retain_until < today:
                due.append(RetentionItem(id=actor.id, due_on=actor.retain_until, reason="retain-until date passed"))
            continue
        last = max(filter(None, (activity.get(actor.id), actor.consent_given_on)), default=None)
        if last is None:
            undated.append(RetentionItem(id=actor.id, due_on=None, reason="no activity or consent date recorded"))
            continue
        due_on = _add_months(last, months)
        if due_on < today:
            due.append(RetentionItem(id=actor.id, due_on=due_on, reason=f"no activity for {months} months"))
    return RetentionReview(today=today, due=due, undated=undated, months=months)


def apply_retention(store: Store, review: RetentionReview) -> int:
    """Erase everyone the review found due who is still due now; returns how many were erased.

    Each person is checked again first: someone whose record changed since
    the review (new activity, a later retain-until date) is kept.
    """
    require(Permission.RETENTION)
    still_due = None
    if review.months is not None:
        still_due = {i.id for i in retention_review(store, months=review.months, today=review.today).due}
    erased = 0
    for item in review.due:
        if still_due is not None and item.id not in still_due:
            continue
        try:
            store.erase_actor(item.id)
            erased += 1
        except NotFound:  # erased meanwhile
            continue
    if erased:
        forget_everything()
    return erased


# ------------------------------------------------------------ erasure register


def erasure_register(store: Store) -> list[tuple[str, dt.datetime]]:
    """Every erased id with when it was erased, oldest first, from the audit log."""
    require(Permission.ERASE)
    return [(e.target, e.at) for e in store.list_audit() if e.action is AuditAction.ERASE and e.target]


def reapply_erasures(store: Store, register: Iterable[tuple[str, Any]]) -> list[str]:
    """Erase again anyone in ``register`` who is back (after restoring an older backup)."""
    require(Permission.ERASE)
    back = [actor_id for actor_id, _ in register if actor_id in store.existing_ids([actor_id])]
    for actor_id in back:
        store.erase_actor(actor_id)
    if back:
        forget_everything()
    return back


# ------------------------------------------------------------ audit


def audit_log(store: Store, *, target: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    """The audit log (newest last), optionally about one record only; for admins."""
    require(Permission.AUDIT)
    return store.list_audit(target=target, limit=limit)


def verify_audit(store: Store, *, extra: Iterable[Checkpoint] = ()) -> ChainReport:
    """Check the whole keyed chain of the audit log against the signed checkpoint(s); for admins.

    The store's own checkpoint (outside the database) is always used;
    ``extra`` adds checkpoints carried by backups. A checkpoint that was not
    signed with this installation's key, or that is missing while the log
    holds keyed entries, is reported as such.
    """
    require(Permission.AUDIT)
    protection = store.protection
    entries = store.list_audit()
    on_file = protection.read_checkpoint()
    if isinstance(on_file, str):
        return ChainReport(ok=False, checked=0, problem=on_file)
    known = [c for c in (on_file, *extra) if c is not None]
    for checkpoint in known:
        if not protection.genuine(checkpoint):
            return ChainReport(ok=False, checked=0, problem=(
                f"the checkpoint recording entry {checkpoint.seq} is not signed with this installation's key: it was altered"))
    newest = max(known, key=lambda c: c.seq, default=None)
    report = verify_chain(entries, protection.audit_key, newest)
    if report.ok and on_file is None and entries:
        # A store file copied or moved to another path, or a checkpoint deleted: the chain is intact
        # as far as it goes, but nothing outside the database vouches for its newest entries.
        report.warning = (
            f"no signed checkpoint was found for this store ({protection.checkpoint_file}): the newest "
            "entries cannot be vouched for; the store was moved or copied, or the checkpoint was deleted. "
            "One is written now"
        )
        protection.advance(entries[-1].seq, entries[-1].hash)
    return report
