"""Small in-process caches of derived results, and one switch to forget them all.

Analysis results are keyed by the store's graph version, so a write never
returns a stale answer; but an erasure must also make the erased person's
details leave memory at once, so :func:`forget_everything` empties every
cache registered here (the projection and report caches included).

Another process's erasure moves the graph version on too. Keys that start
with ``(store URL, graph version, ...)`` are watched: the first time a
newer version of a store is asked for, every entry of that store's older
versions is dropped from every cache, so nothing derived from before the
erasure stays in this process's memory either.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

__all__ = ["LruCache", "forget_everything", "register"]

T = TypeVar("T")

_REGISTRY: list["LruCache"] = []
_HOLDERS: list[Any] = []
_NEWEST: dict[str, int] = {}
_NEWEST_LOCK = threading.Lock()


def _versioned(key: Hashable) -> tuple[str, int] | None:
    if isinstance(key, tuple) and len(key) >= 2 and isinstance(key[0], str) and isinstance(key[1], int):
        return key[0], key[1]
    return None


def _note_version(key: Hashable) -> None:
    """Drop every cached entry of older versions of the store ``key`` names, once a newer one is asked for."""
    found = _versioned(key)
    if found is None:
        return
    url, version = found
    with _NEWEST_LOCK:
        if version <= _NEWEST.get(url, -1):
            return
        _NEWEST[url] = version
    for cache in list(_REGISTRY):
        cache.drop(lambda k: (v := _versioned(k)) is not None and v[0] == url and v[1] < version)


class LruCache:
    """A thread-safe cache of the last ``size`` results, keyed by any hashable.

    Examples
    --------
    >>> cache = LruCache(2)
    >>> cache.get_or_make(("a",), lambda: 1), cache.get_or_make(("a",), lambda: 2)
    (1, 1)
    >>> cache.clear(); cache.get_or_make(("a",), lambda: 3)
    3
    """

    def __init__(self, size: int = 4, *, register: bool = True) -> None:
        """``register``: emptied by :func:`forget_everything` (off only for a cache that lives inside a
        result which is itself forgotten, so it goes with it)."""
        self.size = size
        self._items: "OrderedDict[Hashable, Any]" = OrderedDict()
        self._lock = threading.Lock()
        if register:
            _REGISTRY.append(self)

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The cached value for ``key``, made (outside the lock) when missing."""
        _note_version(key)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def forget(self, key: Hashable) -> None:
        """Drop ``key`` if held (the next :meth:`get_or_make` makes it again)."""
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def drop(self, stale: Callable[[Hashable], bool]) -> None:
        """Forget the entries whose key ``stale`` picks."""
        with self._lock:
            for key in [k for k in self._items if stale(k)]:
                del self._items[key]

    def clear(self) -> None:
        """Forget everything held."""
        with self._lock:
            self._items.clear()


def register(holder: Any) -> None:
    """Have :func:`forget_everything` call ``holder.clear()`` too.

    For holders of derived results other than :class:`LruCache` (such as the
    shared analysis results of :mod:`connector_graph.analysis.shared`).
    """
    _HOLDERS.append(holder)


def forget_everything() -> None:
    """Empty every cache of derived results (call after an erasure)."""
    for holder in [*_REGISTRY, *_HOLDERS]:
        holder.clear()
