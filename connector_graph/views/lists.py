"""Picker lists and names shared by every user of one server process, never rebuilt on the request path.

Every write moves the store's graph version on. Lists keyed by the version
alone (every actor for a picker, the purposes used lately) would be read
again in full by the next page view of every user after each write. Here:

- one **base** per store is shared by the whole process and made by the
  background worker of :mod:`connector_graph.analysis.shared`; after a write
  a page gets the last complete base at once while the worker reads a new
  one (an erasure, here or in another process, makes the page wait for a
  fresh base instead: nothing erased is ever listed);
- the **writes made in this process** (announced by
  :mod:`connector_graph.service` through :mod:`connector_graph.changes`)
  are folded into the lists at once: a person added, or renamed, is in every
  picker right after the write, with no full read. Each is kept only until a
  base made after it arrives, and at most :data:`CHANGES_KEPT` per store, so
  memory stays bounded however many writes come in while a base is made;
- the merged list is made once per (base, changes) and shared too.

Writes by another process (the command line, a second server) reach the
lists with the next base, a few seconds later.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable, Mapping, TypeVar

from ..analysis.shared import latest
from ..caching import register
from ..changes import listen
from ..errors import NotFound
from ..model import Actor, Introduction, Organisation, Person
from ..store.base import Store
from .lookups import recent_purpose_counts

__all__ = ["Listed", "CHANGES_KEPT", "label_of", "listed", "actors", "sorted_actors", "from_sorted", "purpose_counts", "names",
           "pending_changes"]

T = TypeVar("T")

#: In-process changes kept per store and kind while a new base is made (the oldest go first past it).
CHANGES_KEPT = 2000
#: Merged lists kept (one per store and kind).
_MERGED_KEPT = 12


@dataclass(frozen=True, slots=True)
class Listed:
    """An actor as the pickers and name look-ups need it."""

    id: str
    name: str
    label: str
    actor_type: str
    ward: str | None


def label_of(actor: Actor) -> str:
    """``name (roles, ward)`` for a person, ``name (kind, ward)`` for an organisation."""
    where = f", {actor.ward}" if actor.ward else ""
    if isinstance(actor, Person):
        roles = "/".join(role.label for role in actor.roles)
        return f"{actor.name} ({roles}{where})"
    return f"{actor.name} ({actor.kind.label}{where})"


def listed(actor: Actor) -> Listed:
    """The :class:`Listed` form of ``actor``."""
    return Listed(actor.id, actor.name, label_of(actor), actor.actor_type, actor.ward)


class _Changes:
    """Records written in this process since the base was made: per (store URL, kind), key -> (version, value)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: "OrderedDict[tuple[str, str], OrderedDict[str, tuple[int, Any]]]" = OrderedDict()
        self._stamp = 0  # moves on at every change, so merged lists know when to be made again

    def note(self, url: str, kind: str, key: str, version: int, value: Any) -> None:
        with self._lock:
            held = self._held.setdefault((url, kind), OrderedDict())
            held.pop(key, None)
            held[key] = (version, value)
            while len(held) > CHANGES_KEPT:
                held.popitem(last=False)
            self._stamp += 1

    def since(self, url: str, kind: str, version: int) -> tuple[int, list[tuple[str, Any]]]:
        """(stamp, [(key, value)]) of the changes newer than ``version``; older ones are dropped."""
        with self._lock:
            held = self._held.get((url, kind))
            if not held:
                return self._stamp, []
            old = [k for k, (v, _value) in held.items() if v <= version]
            for k in old:
                del held[k]
            if old:
                self._stamp += 1
            return self._stamp, [(k, value) for k, (_v, value) in held.items()]

    def count(self, url: str, kind: str) -> int:
        with self._lock:
            return len(self._held.get((url, kind), ()))

    def clear(self) -> None:
        """Forget every change (an erasure: the next base is read afresh)."""
        with self._lock:
            self._held.clear()
            self._stamp += 1


_CHANGES = _Changes()
_MERGED: "OrderedDict[Hashable, Any]" = OrderedDict()
_MERGED_LOCK = threading.Lock()


class _Merged:
    """Forgets every merged list (registered with :func:`connector_graph.caching.register`)."""

    def clear(self) -> None:
        with _MERGED_LOCK:
            _MERGED.clear()


register(_CHANGES)
register(_Merged())


def _on_write(store: Any, record: Any) -> None:
    """Fold a record just written in this process into the shared lists of its store."""
    if not isinstance(record, (Person, Organisation, Introduction)):
        return
    version = int(store.graph_version())
    if isinstance(record, Introduction):
        _CHANGES.note(store.url, "purposes", record.id, version, tuple(record.purposes))
    else:
        _CHANGES.note(store.url, "actors", record.id, version, listed(record))


listen(_on_write)


def _merged(key: Hashable, make: Callable[[], T]) -> T:
    with _MERGED_LOCK:
        if key in _MERGED:
            _MERGED.move_to_end(key)
            return _MERGED[key]
    value = make()
    with _MERGED_LOCK:
        _MERGED[key] = value
        while len(_MERGED) > _MERGED_KEPT:
            _MERGED.popitem(last=False)
    return value


def _drop_before(url: str, version: int, purposes: bool = False) -> None:
    """Forget the merged lists (of actors, or of ``purposes``) of ``url`` made from bases older than ``version``,
    so nothing erased since stays in memory."""
    with _MERGED_LOCK:
        for key in [k for k in _MERGED if k[1] == url and k[2] < version and (k[0] == "purposes") == purposes]:
            del _MERGED[key]


def _read_actors(store: Store) -> dict[str, Listed]:
    return {a.id: listed(a) for a in store.iter_actors()}


def _current_actors(store: Store) -> tuple[Hashable, Mapping[str, Listed]]:
    """(a key naming this exact list, the list): the shared base with this process's later writes folded in."""
    base = latest(store, "actor-list", lambda: _read_actors(store))
    assert base is not None  # waited for
    stamp, changed = _CHANGES.since(store.url, "actors", base.version)
    key = (store.url, base.version, base.finished_at, stamp if changed else None)
    _drop_before(store.url, base.version)
    if not changed:
        return key, base.value
    return key, _merged(("actors", *key), lambda: {**base.value, **dict(changed)})


def actors(store: Store) -> Mapping[str, Listed]:
    """Every actor by id: the shared base with this process's later writes folded in. Read-only.

    The caller checks permission (this is a building block of the view functions).
    """
    return _current_actors(store)[1]


def sorted_actors(store: Store) -> list[Listed]:
    """:func:`actors` sorted by label (case folded), then id; made once per list and shared. Read-only."""
    return from_sorted(store, "sorted-list", lambda ordered: ordered)


def from_sorted(store: Store, name: str, make: Callable[[list[Listed]], T]) -> T:
    """``make(sorted_actors(store))``, made once per list and shared (``name`` tells results apart). Read-only."""
    key, current = _current_actors(store)
    ordered = _merged(("sorted", *key), lambda: sorted(current.values(), key=lambda a: (a.label.casefold(), a.id)))
    return _merged((name, *key), lambda: make(ordered))


def purpose_counts(store: Store) -> Counter[str]:
    """How often each purpose was used by the most recent introductions, with this process's later ones. Read-only."""
    base = latest(store, "recent-purposes", lambda: recent_purpose_counts(store))
    assert base is not None
    stamp, changed = _CHANGES.since(store.url, "purposes", base.version)
    _drop_before(store.url, base.version, purposes=True)
    if not changed:
        return base.value

    def merge() -> Counter[str]:
        counts = Counter(base.value)
        for _key, purposes in changed:
            counts.update(purposes)
        return counts

    return _merged(("purposes", store.url, base.version, base.finished_at, stamp), merge)


def names(store: Store, ids: Iterable[str], *, missing: str | None = None) -> dict[str, str]:
    """The name of each id: from the shared list, else read one by one (``missing``, or the id itself, for
    anyone not held)."""
    wanted = set(ids)
    known = actors(store)
    found = {i: known[i].name for i in wanted if i in known}
    for i in wanted - set(found):
        try:
            found[i] = store.get_actor(i).name
        except NotFound:
            found[i] = i if missing is None else missing
    return found


def pending_changes(store: Store, kind: str = "actors") -> int:
    """How many of this process's writes (``actors`` or ``purposes``) are held until the next base."""
    return _CHANGES.count(store.url, kind)
