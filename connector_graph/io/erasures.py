"""The erasure register on the way in: no import, restore or copy brings an erased person back.

:func:`hold_back_erased` runs in :func:`connector_graph.io.loading.load`, the
one path every format, restore and copy takes into a store, so a new format
is covered without doing anything. A record is held back when its id, or
(for a person) the keyed fingerprint of their folded name and ward, is in
the store's register or in the register the file itself carries (a backup).
Ties and introductions naming a held-back record go with it.

An admin can bring people back only by giving a reason
(``bring_back_erased``); each one is audited with that reason.
"""

from __future__ import annotations

from ..audit import AuditAction
from ..auth import Permission, require
from ..errors import InvalidInput
from ..model import ErasureRecord, Person
from ..store.base import Batch, Store
from .report import Parsed

__all__ = ["hold_back_erased", "apply_register", "MIN_REASON"]

#: The shortest reason accepted for bringing an erased person back.
MIN_REASON = 10


def _register(store: Store, parsed: Parsed) -> tuple[set[str], set[str]]:
    records: list[ErasureRecord] = [*store.list_erasures(), *parsed.erasures]
    return {r.id_hash for r in records}, {r.fingerprint for r in records if r.fingerprint}


def hold_back_erased(store: Store, parsed: Parsed, bring_back_erased: str | None = None) -> list[str]:
    """Take erased actors (and what names them) out of ``parsed``; returns the ids held back.

    With ``bring_back_erased`` (a reason of at least :data:`MIN_REASON`
    characters, for admins) nothing is held back and the ids are listed in
    ``report.brought_back`` instead.
    """
    ids, prints = _register(store, parsed)
    if not ids:
        return []
    protection = store.protection
    batch = parsed.batch

    def erased(actor) -> bool:
        if protection.id_hash(actor.id) in ids:
            return True
        source = parsed.source_of.get(actor.id)  # the file's own id (see io.source_ids)
        if source is not None and protection.id_hash(source) in ids:
            return True
        return isinstance(actor, Person) and protection.fingerprint(actor.name, actor.ward) in prints

    found = [a.id for a in (*batch.people, *batch.organisations) if erased(a)]
    if not found:
        return []
    if bring_back_erased is not None:
        require(Permission.ERASE)
        if len(bring_back_erased.strip()) < MIN_REASON:
            raise InvalidInput(f"give the reason for bringing erased people back (at least {MIN_REASON} characters)")
        parsed.report.brought_back = found
        return []
    gone = set(found)
    parsed.report.skipped_erased = [parsed.where(i, i) for i in found]
    parsed.batch = Batch(
        wards=batch.wards,
        people=[p for p in batch.people if p.id not in gone],
        organisations=[o for o in batch.organisations if o.id not in gone],
        ties=[t for t in batch.ties if t.source_id not in gone and t.target_id not in gone],
        introductions=[i for i in batch.introductions if gone.isdisjoint((i.introducer_id, i.subject_id, i.target_id))],
    )
    kept = {a.id for a in (*parsed.batch.people, *parsed.batch.organisations)} | {i.id for i in parsed.batch.introductions}
    parsed.batch.source_ids = {k: i for k, i in batch.source_ids.items() if i in kept}
    dropped = len(batch) - len(parsed.batch)
    parsed.report.notes.append(
        f"left out {len(found):,} erased person(s) or organisation(s) and {dropped - len(found):,} tie(s) and "
        "introduction(s) naming them (the erasure register); an admin can bring them back with a reason"
    )
    return found


def apply_register(store: Store, parsed: Parsed, reason: str | None) -> None:
    """After a load: audit what was held back or brought back, and apply the register the file carried.

    People already in the store whose id is in the file's register are
    erased again (a restore re-applies its register); fingerprints are not
    used for that, so nobody is erased for sharing a name and ward.
    """
    report = parsed.report
    if report.skipped_erased:
        store.record_audit(AuditAction.SKIP_ERASED)
    for actor_id in report.brought_back:
        note = " ".join((reason or "").split())[:200]
        store.record_audit(AuditAction.BRING_BACK_ERASED, f"{actor_id} | {note}")
    if not parsed.erasures:
        return
    store.add_erasures(parsed.erasures)
    carried = {r.id_hash for r in parsed.erasures}
    brought = set(report.brought_back)
    protection = store.protection
    for actor in list(store.iter_actors()):
        if actor.id not in brought and protection.id_hash(actor.id) in carried:
            store.erase_actor(actor.id)
            report.erased_again.append(actor.id)
    if report.erased_again:
        report.notes.append(f"erased {len(report.erased_again):,} record(s) again that the backup's erasure register lists")
