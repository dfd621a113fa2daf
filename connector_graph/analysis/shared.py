"""Analysis results shared by every user of one server process, refreshed off the request path.

A dashboard serves many people at once. Every write moves the store's graph
version on, and analysis keyed by version alone would be made again by the
next page view of every user, on the request path. Here one result per
(store, analysis, options) is kept for the whole process, and one background
worker thread makes new ones, one at a time:

- the result for the current graph version is returned at once;
- when the store has moved on, the last complete result is returned at once
  (``Latest.refreshing`` is true, :func:`freshness_note` words it as
  "updated N seconds ago; refreshing") and the worker computes the new one;
  a request for a version already being computed joins that computation; a
  result that took a while to make is made again only after a pause as long
  as it took (:data:`PAUSE_AFTER`), so a stream of writes never keeps the
  worker, which shares the server process, busy all the time;
- after an erasure nothing computed before it is ever returned: an erasure
  in this process (:func:`connector_graph.caching.forget_everything`) drops
  every result and discards a computation under way when it ends; an erasure
  by another process is seen in the store's erasure register, and a result
  made before it is not served, so the caller waits for a fresh one.

The computation runs in the worker with a copy of the caller's context (so
the caller's role is checked inside as usual); callers check their own
permission before asking, since the result is shared.
"""

from __future__ import annotations

import contextvars
import dataclasses
import queue
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from typing import Any, Callable, Generic, Hashable, TypeVar

from ..caching import register

__all__ = ["Latest", "SharedResults", "freshness_note", "latest", "RESULTS"]

T = TypeVar("T")

#: How many (url, version) -> erasure mark answers are remembered.
_MARKS_KEPT = 64
#: How many results are kept (each store, analysis and options is one); the least recently asked goes first.
RESULTS_KEPT = 32
#: A result whose computation took at least this many seconds is not made again until as long again has
#: passed since it finished (the last one is served meanwhile), so under a stream of writes the worker is
#: busy with it at most about half the time and page requests keep their share of the server.
PAUSE_AFTER = 0.5


@dataclasses.dataclass(frozen=True)
class Latest(Generic[T]):
    """One shared result: the value, the graph version it was computed from, and how fresh it is."""

    value: T
    version: int
    finished_at: float
    refreshing: bool = False

    def age(self, now: float | None = None) -> float:
        """Seconds since the computation finished."""
        return max(0.0, (time.time() if now is None else now) - self.finished_at)


def freshness_note(result: Latest[Any], now: float | None = None) -> str | None:
    """A plain note for a page showing ``result``, or None when it is current.

    Examples
    --------
    >>> freshness_note(Latest("r", 3, 100.0, refreshing=True), now=112.4)
    'Updated 12 seconds ago; refreshing.'
    >>> freshness_note(Latest("r", 3, 100.0, refreshing=True), now=100.5)
    'Updated 0 seconds ago; refreshing.'
    >>> freshness_note(Latest("r", 3, 100.0)) is None
    True
    """
    if not result.refreshing:
        return None
    seconds = int(result.age(now))
    return f"Updated {seconds} second{'' if seconds == 1 else 's'} ago; refreshing."


@dataclasses.dataclass
class _Entry:
    result: Latest[Any] | None = None
    mark: Hashable = None
    pending: Future | None = None
    pending_version: int = -1
    took: float = 0.0


class SharedResults:
    """The process-wide holder of shared results and their one worker thread.

    Examples
    --------
    >>> import os, tempfile
    >>> from connector_graph.store import open_store
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> shared = SharedResults()
    >>> first = shared.latest(store, "people", lambda: store.counts().people)
    >>> first.value, first.refreshing
    (0, False)
    >>> shared.latest(store, "people", lambda: 99) is first  # unchanged store: kept, not made again
    True
    >>> store.close()
    """

    def __init__(self, *, pause: bool = True) -> None:
        """``pause``: make slow results again only after a pause (:data:`PAUSE_AFTER`); off, at once."""
        self._pause = pause
        self._lock = threading.Lock()
        self._entries: "OrderedDict[Hashable, _Entry]" = OrderedDict()
        self._marks: dict[tuple[str, int], Hashable] = {}
        self._epoch = 0  # moves on at every erasure in this process
        self._jobs: "queue.SimpleQueue[Callable[[], None]]" = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        register(self)

    # ----------------------------------------------------------- asking

    def latest(
        self,
        store: Any,
        name: str,
        compute: Callable[[], T],
        *,
        options: Hashable = (),
        wait: bool = True,
    ) -> Latest[T] | None:
        """The newest usable result of ``compute`` for ``store``, made at most once per graph version.

        ``name`` and ``options`` say which result (they and the store's URL
        are the key). When the store has moved on since the last result,
        that result is returned marked ``refreshing`` and the worker makes the
        new one. When there is no usable result (none yet, or an erasure
        since), the call waits for the worker, or returns None if ``wait`` is
        false. Errors raised by ``compute`` reach the caller that waits.
        """
        key = (store.url, name, options)
        if threading.current_thread() is self._worker:  # asked from inside a computation: waiting would deadlock
            return Latest(compute(), int(store.graph_version()), time.time())
        while True:
            version = int(store.graph_version())
            with self._lock:
                entry = self._entry(key)
                held = entry.result
                if held is not None and held.version == version:
                    return held
            mark = self._mark(store, version)
            with self._lock:
                entry = self._entry(key)
                held = entry.result
                if held is not None and held.version == version:
                    return held
                if held is not None and entry.mark == mark and entry.pending is None and self._resting(entry, held):
                    return dataclasses.replace(held, refreshing=True)  # made again once the pause is over
                job = self._start(entry, store, compute, version, mark)
                if held is not None and entry.mark == mark:
                    return dataclasses.replace(held, refreshing=True)
            if not wait:
                return None
            job.result()  # raises what compute raised; then look again (an erasure may have voided it)

    def _resting(self, entry: _Entry, held: Latest[Any]) -> bool:
        """True while a slow result's pause after its last computation lasts (see :data:`PAUSE_AFTER`)."""
        return self._pause and entry.took >= PAUSE_AFTER and time.time() - held.finished_at < entry.took

    def _entry(self, key: Hashable) -> _Entry:
        """The entry for ``key``, made if missing; the least recently asked idle ones go past the bound (lock held)."""
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
        self._entries.move_to_end(key)
        if len(self._entries) > RESULTS_KEPT:
            for old in [k for k, e in self._entries.items() if k != key and e.pending is None][: len(self._entries) - RESULTS_KEPT]:
                del self._entries[old]
        return entry

    def _start(self, entry: _Entry, store: Any, compute: Callable[[], Any], version: int, mark: Hashable) -> Future:
        """The computation that will answer for ``version``: one under way, or a new one (lock held)."""
        if entry.pending is not None and not entry.pending.done() and entry.pending_version >= version:
            return entry.pending
        if entry.pending is not None and not entry.pending.done():
            return entry.pending  # one at a time per result: the next request after it asks for the newer version
        job: Future = Future()
        epoch = self._epoch
        context = contextvars.copy_context()

        def run() -> None:
            started = time.monotonic()
            try:
                value = context.run(compute)
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
                with self._lock:
                    if entry.pending is job:
                        entry.pending = None
                job.set_exception(exc)
                return
            with self._lock:
                entry.took = time.monotonic() - started
                if self._epoch == epoch:  # no erasure here since it started: keep it
                    entry.result = Latest(value, version, time.time())
                    entry.mark = mark
                if entry.pending is job:
                    entry.pending = None
            job.set_result(None)

        entry.pending, entry.pending_version = job, version
        self._jobs.put(run)
        self._ensure_worker()
        return job

    def _ensure_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="connector-graph-shared-analysis", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            self._jobs.get()()

    def _mark(self, store: Any, version: int) -> Hashable:
        """What the store's erasure register looked like at ``version`` (every erasure moves the version)."""
        key = (store.url, version)
        with self._lock:
            if key in self._marks:
                return self._marks[key]
        register_ = store.list_erasures()
        mark = (len(register_), max((r.erased_at.isoformat() for r in register_), default=""))
        with self._lock:
            self._marks[key] = mark
            while len(self._marks) > _MARKS_KEPT:
                self._marks.pop(next(iter(self._marks)))
        return mark

    # --------------------------------------------------------- forgetting

    def clear(self) -> None:
        """Forget every result (an erasure): computations under way are discarded when they end."""
        with self._lock:
            self._epoch += 1
            for entry in self._entries.values():
                entry.result = None
                entry.mark = None
            self._marks.clear()

    def __len__(self) -> int:
        with self._lock:
            return sum(1 for e in self._entries.values() if e.result is not None)


#: The one holder of the process.
RESULTS = SharedResults()


def latest(
    store: Any, name: str, compute: Callable[[], T], *, options: Hashable = (), wait: bool = True
) -> Latest[T] | None:
    """:meth:`SharedResults.latest` on the process's one holder."""
    return RESULTS.latest(store, name, compute, options=options, wait=wait)
