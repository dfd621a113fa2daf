"""Check a parsed import against the store, then write it all or not at all.

Readers validate each row on its own; :func:`load` adds the checks that need
the store (actors named by ties and introductions exist, an id is not taken
by an actor of the other type, wards are known) and writes the batch with
:meth:`Store.bulk_load` only when no row was rejected and it is not a dry run.
"""

from __future__ import annotations

import difflib

from ..errors import InvalidInput
from ..model import Counts
from ..auth import Permission, require
from ..store.base import Batch, Progress, Store, missing_references
from .changes import compare_with_store
from ..caching import forget_everything
from .erasures import apply_register, hold_back_erased
from .source_ids import give_ids
from .report import ImportReport, Parsed

__all__ = ["load", "check_against_store", "is_empty", "TYPE_LOOKUP_LIMIT"]

#: Above this many already-stored actors, their types are read in one stream instead of one by one.
TYPE_LOOKUP_LIMIT = 2000
#: At most this many new people and organisations are compared with held names (and named in the report).
LOOK_ALIKE_LIMIT = 5000
LOOK_ALIKE_SHOWN = 20


def is_empty(counts: Counts) -> bool:
    """True when the store holds no people, organisations, ties or introductions."""
    return not (counts.people or counts.organisations or counts.ties or counts.introductions)


def load(
    store: Store,
    parsed: Parsed,
    *,
    dry_run: bool = False,
    require_empty: bool = False,
    progress: Progress | None = None,
    bring_back_erased: str | None = None,
) -> ImportReport:
    """Check ``parsed`` against ``store`` and write it unless a row was rejected.

    With ``dry_run`` nothing is written; the report says what would be.
    With ``require_empty`` a store that already holds records is refused
    (restores and copies, unless the user asks to merge).

    Imported records are given the store's ids for them, or random ones
    (:func:`connector_graph.io.source_ids.give_ids`): a file's own ids never
    reach the records or the audit log.

    Erased people never come back: records the erasure register names (the
    store's, and a backup's own) are left out and listed, unless an admin
    gives ``bring_back_erased`` (a reason, audited). A backup's register is
    added to the store's and applied to what the store already held.
    """
    require(Permission.IMPORT)
    report = parsed.report
    report.dry_run = dry_run
    report.before = store.counts()
    if require_empty and not is_empty(report.before):
        held = report.before.people + report.before.organisations
        raise InvalidInput(
            f"the store already holds {held:,} people and organisations; "
            "restore into an empty store, or add --merge to combine them"
        )
    give_ids(store, parsed)
    hold_back_erased(store, parsed, bring_back_erased)
    report = parsed.report
    check_against_store(store, parsed)
    report.count(parsed.batch)
    compare_with_store(store, parsed.batch, report)
    if report.ok and not dry_run:
        store.bulk_load(parsed.batch, progress)
        apply_register(store, parsed, bring_back_erased)
        if report.erased_again:
            forget_everything()
        report.written = True
        report.after = store.counts()
    return report


def check_against_store(store: Store, parsed: Parsed) -> None:
    """Reject rows that the store would refuse or that would corrupt it.

    - a tie or introduction naming an actor that is neither in the file nor
      in the store;
    - an actor whose id the store holds as the other type (a person id
      reused for an organisation);
    - an actor in a ward that is not known, when the store or the file lists
      wards (the name's case is corrected when it matches one).
    """
    batch, report = parsed.batch, parsed.report
    _check_references(store, parsed)
    _check_types(store, parsed)
    _canonical_wards(store, batch, parsed)
    _note_look_alikes(store, parsed)
    if not report.ok:
        report.notes.append("nothing was written: fix the rejected rows and import again (all or nothing)")


def _check_references(store: Store, parsed: Parsed) -> None:
    batch = parsed.batch
    missing = missing_references(store, batch)
    if not missing:
        return
    for tie in batch.ties:
        unknown = [i for i in (tie.source_id, tie.target_id) if i in missing]
        if unknown:
            parsed.report.reject(parsed.where(tie.id, f"tie {tie.id}"), f"unknown actor {unknown[0]!r}")
    for intro in batch.introductions:
        unknown = [i for i in (intro.introducer_id, intro.subject_id, intro.target_id) if i in missing]
        if unknown:
            parsed.report.reject(parsed.where(intro.id, f"introduction {intro.id}"), f"unknown actor {unknown[0]!r}")


def _note_look_alikes(store: Store, parsed: Parsed) -> None:
    """Report new people and organisations whose whole names look like ones held or elsewhere in the file.

    A report, not a rejection: two people may share a name. See
    :mod:`connector_graph.lookalike` for how names are compared.
    """
    from ..lookalike import Candidate, alike_within

    batch = parsed.batch
    actors = [*batch.people, *batch.organisations]
    held_ids = store.existing_ids([a.id for a in actors]) if actors else set()
    new = [Candidate(a.id, a.name, a.actor_type, a.ward) for a in actors if a.id not in held_ids][:LOOK_ALIKE_LIMIT]
    if not new:
        return
    held = [Candidate(a.id, a.name, a.actor_type, a.ward) for a in store.iter_actors()] if not is_empty(store.counts()) else []
    pairs = alike_within(new, held + new, limit=1)
    for record, (match, *_) in pairs[:LOOK_ALIKE_SHOWN]:
        other = match.candidate
        parsed.report.notes.append(
            f"look-alike names: {record.name!r} ({record.id}) looks like {other.name!r} ({other.id}"
            f"{', ' + other.ward if other.ward else ''}); check they are not the same {record.actor_type}"
        )
    if len(pairs) > LOOK_ALIKE_SHOWN:
        parsed.report.notes.append(f"look-alike names: {len(pairs) - LOOK_ALIKE_SHOWN:,} more new records look like others")


def _check_types(store: Store, parsed: Parsed) -> None:
    batch = parsed.batch
    wanted = {a.id: a.actor_type for a in (*batch.people, *batch.organisations)}
    stored_ids = store.existing_ids(wanted) if wanted else set()
    if not stored_ids:
        return
    if len(stored_ids) <= TYPE_LOOKUP_LIMIT:
        stored = {i: store.get_actor(i).actor_type for i in stored_ids}
    else:
        stored = {a.id: a.actor_type for a in store.iter_actors() if a.id in stored_ids}
    for actor_id, actor_type in wanted.items():
        held = stored.get(actor_id)
        if held and held != actor_type:
            parsed.report.reject(
                parsed.where(actor_id, f"{actor_type} {actor_id}"),
                f"the id {actor_id!r} already belongs to an {held} in the store, not a {actor_type}",
            )


def _canonical_wards(store: Store, batch: Batch, parsed: Parsed) -> None:
    known = {w.name.casefold(): w.name for w in store.list_wards()}
    known.update({w.name.casefold(): w.name for w in batch.wards})
    if not known:
        return
    names = sorted(set(known.values()))
    exact = set(names)
    for attr in ("people", "organisations"):
        fixed = []
        for actor in getattr(batch, attr):
            if actor.ward is None or actor.ward in exact:
                fixed.append(actor)
                continue
            canonical = known.get(actor.ward.casefold())
            if canonical:
                fixed.append(actor.model_copy(update={"ward": canonical}))
                continue
            close = difflib.get_close_matches(actor.ward, names, n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            parsed.report.reject(parsed.where(actor.id, f"{actor.actor_type} {actor.id}"), f"unknown ward {actor.ward!r}{hint}")
            fixed.append(actor)
        setattr(batch, attr, fixed)
