"""Small in-process caches of derived results, and one switch to forget them all.

Analysis results are keyed by the store's graph version, so a write never
returns a stale answer; but an erasure must also make the erased person's
details leave memory at once, so :func:`forget_everything` empties every
cache registered here (the projection and report caches included).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable, TypeVar

__all__ = ["LruCache", "forget_everything"]

T = TypeVar("T")

_REGISTRY: list["LruCache"] = []


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

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._items: "OrderedDict[Hashable, Any]" = OrderedDict()
        self._lock = threading.Lock()
        _REGISTRY.append(self)

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The cached value for ``key``, made (outside the lock) when missing."""
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

    def clear(self) -> None:
        """Forget everything held."""
        with self._lock:
            self._items.clear()


def forget_everything() -> None:
    """Empty every cache of derived results (call after an erasure)."""
    for cache in list(_REGISTRY):
        cache.clear()
