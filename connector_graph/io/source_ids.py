"""Random ids for imported records, and the store's mapping from the source's ids to them.

A file's own ids can be personal data (a Kumu ID such as
``john.smith.dob-1961-03-04``, or a hash of a name and ward), and a record's
id reaches the append-only audit log. So every imported person,
organisation and introduction is given a random id of the model's form
(``p-…``, ``o-…``, ``i-…``), and the store keeps, apart from the records and
never in the audit log, the keyed value of the source's id (the same keyed
one-way value as the erasure register's, :meth:`Protection.id_hash`) beside
the id given (:meth:`Store.map_source_ids`, written by
:meth:`Store.bulk_load`). Importing the same file again therefore finds the
same records, and ties and introductions naming a record imported earlier
resolve through the mapping. Erasing a person removes their mapping and
adds its keys to the erasure register, so a re-import is held back.

Ids already of our form (a re-imported export) are kept; so are records the
store already holds under the file's id (stores written by earlier versions,
which used the file's ids), and every id of a backup or a copy
(``Parsed.keep_ids``).
"""

from __future__ import annotations

import re

from ..errors import NotFound
from ..model import Introduction, Person, Tie, new_id
from ..store.base import Batch, Store
from .report import Parsed

__all__ = ["give_ids", "is_our_id", "stored_id"]

_OURS = re.compile(r"[poi]-[0-9a-f]{16}")
#: Above this many unmapped introduction ids, the store's introductions are read in one stream.
_ONE_BY_ONE = 200


def is_our_id(record_id: str) -> bool:
    """True for an id of the form the model makes (``p-``, ``o-`` or ``i-`` and 16 hex digits).

    Examples
    --------
    >>> is_our_id("p-3f2a9c1e4b7d0a11"), is_our_id("john.smith.dob-1961-03-04"), is_our_id("p-kumu-3f2a9c1e4b7d0a11")
    (True, False, False)
    """
    return bool(_OURS.fullmatch(record_id))


def _held_introductions(store: Store, ids: list[str]) -> set[str]:
    if not ids or not store.counts().introductions:
        return set()
    if len(ids) > _ONE_BY_ONE:
        wanted = set(ids)
        return {i.id for i in store.iter_introductions() if i.id in wanted}
    held = set()
    for intro_id in ids:
        try:
            store.get_introduction(intro_id)
        except NotFound:
            continue
        held.add(intro_id)
    return held


def give_ids(store: Store, parsed: Parsed) -> Parsed:
    """Give the records of ``parsed`` the store's ids for them, or new random ones; returns ``parsed``.

    Runs once per import (later calls do nothing). Nothing is written: the
    mapping of new records travels in ``parsed.batch.source_ids`` and is
    written with them.
    """
    if parsed.keep_ids or parsed.ids_given:
        return parsed
    parsed.ids_given = True
    batch = parsed.batch
    key = store.protection.id_hash
    actors = [*batch.people, *batch.organisations]
    in_batch = {a.id for a in actors}
    named = {t.source_id for t in batch.ties} | {t.target_id for t in batch.ties}
    for intro in batch.introductions:
        named.update((intro.introducer_id, intro.subject_id, intro.target_id))
    outside = sorted(i for i in named - in_batch if not is_our_id(i))
    foreign = [a.id for a in actors if not is_our_id(a.id)]
    foreign_intros = [i.id for i in batch.introductions if not is_our_id(i.id)]
    keys = {sid: key(sid) for sid in (*foreign, *outside, *foreign_intros)}
    if not keys:
        return parsed
    held = store.map_source_ids(keys.values())
    unmapped = [sid for sid in (*foreign, *outside) if keys[sid] not in held]
    earlier = store.existing_ids(unmapped) if unmapped else set()  # stored under the file's id by an earlier version
    earlier |= _held_introductions(store, [i for i in foreign_intros if keys[i] not in held])

    ids: dict[str, str] = {}
    for actor in actors:
        if actor.id in keys:
            prefix = "p" if isinstance(actor, Person) else "o"
            ids[actor.id] = held.get(keys[actor.id]) or (actor.id if actor.id in earlier else new_id(prefix))
    for sid in outside:
        if keys[sid] in held:
            ids[sid] = held[keys[sid]]
    intro_ids = {
        i: held.get(keys[i]) or (i if i in earlier else new_id("i")) for i in foreign_intros
    }
    _rewrite(parsed, ids, intro_ids)
    batch = parsed.batch
    batch.source_ids.update({keys[sid]: ours for sid, ours in ids.items() if sid not in outside})
    batch.source_ids.update({keys[sid]: ours for sid, ours in intro_ids.items()})
    parsed.source_of.update({ours: sid for sid, ours in ids.items() if sid not in outside})
    parsed.source_of.update({ours: sid for sid, ours in intro_ids.items()})
    return parsed


def _rewrite(parsed: Parsed, ids: dict[str, str], intro_ids: dict[str, str]) -> None:
    """Put the ids given in place of the file's, in the records, the ties' and introductions' ends and ``origins``."""
    batch = parsed.batch

    def ours(actor_id: str) -> str:
        return ids.get(actor_id, actor_id)

    ties = []
    for tie in batch.ties:
        if tie.source_id in ids or tie.target_id in ids:
            data = tie.model_dump(exclude={"id"})
            data.update(source_id=ours(tie.source_id), target_id=ours(tie.target_id))
            new = Tie.model_validate(data)
            if tie.id in parsed.origins:
                parsed.origins[new.id] = parsed.origins.pop(tie.id)
            tie = new
        ties.append(tie)
    intros: list[Introduction] = []
    for intro in batch.introductions:
        update = {
            "id": intro_ids.get(intro.id, intro.id),
            "introducer_id": ours(intro.introducer_id),
            "subject_id": ours(intro.subject_id),
            "target_id": ours(intro.target_id),
        }
        intros.append(intro.model_copy(update=update))
    for sid, new_intro in intro_ids.items():
        if sid in parsed.origins:
            parsed.origins[new_intro] = parsed.origins.pop(sid)
    for sid, new_actor in ids.items():
        if sid in parsed.origins:
            parsed.origins[new_actor] = parsed.origins.pop(sid)
    parsed.batch = Batch(
        wards=batch.wards,
        people=[p.model_copy(update={"id": ours(p.id)}) for p in batch.people],
        organisations=[o.model_copy(update={"id": ours(o.id)}) for o in batch.organisations],
        ties=ties,
        introductions=intros,
        source_ids=dict(batch.source_ids),
    )


def stored_id(store: Store, source_id: str) -> str | None:
    """The id ``store`` gave the record a file called ``source_id`` (or that id, if it is ours), else None."""
    if is_our_id(source_id):
        return source_id
    key = store.protection.id_hash(source_id)
    found = store.map_source_ids([key]).get(key)
    if found is None and store.existing_ids([source_id]):
        return source_id  # stored by an earlier version under the file's id
    return found
