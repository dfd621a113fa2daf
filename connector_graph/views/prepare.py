"""Start the results every page shares as soon as a store is first opened, off the request path.

A page that needs a shared result nobody has made yet (:mod:`connector_graph.analysis.shared`)
waits for it, and the first Gaps page of the day on a large network waits
for the whole analysis. :func:`prepare` starts those results the first time
a store is opened in the server process, in a thread of their own, as the
user who opened it (so the role checks inside apply as usual; results that
user may not see are not started). By the time anyone opens an analysis
page they are usually ready. The same thread also loads the libraries the
pages draw with (:data:`DRAWING_MODULES`), so the first person to open a
chart, table or network drawing does not wait for their import either.

The thread lets the first page anyone opens after a restart draw its first
screen before it starts (:func:`first_screen_drawn`, at most
:data:`FIRST_SCREEN_WAIT` seconds): its reads would otherwise share the
interpreter with that page, and slow its first paint.
"""

from __future__ import annotations

import contextvars
import importlib
import threading
from typing import Callable, Sequence

from ..auth import Permission, allowed
from ..store.base import Store

__all__ = ["prepare", "prepared", "first_screen_drawn", "DRAWING_MODULES", "FIRST_SCREEN_WAIT"]

#: Loaded by :func:`prepare` after the lists every page uses: the network drawing (pyvis and its
#: templates), styled tables (pandas' Styler, jinja2) and Streamlit's own charts (Altair).
DRAWING_MODULES = ("pyvis.network", "jinja2", "pandas.io.formats.style", "altair")

#: Longest the preparing thread waits for the first page's first screen (seconds).
FIRST_SCREEN_WAIT = 3.0
_FIRST_SCREEN = threading.Event()
_STARTED: dict[str, threading.Thread] = {}
_LOCK = threading.Lock()
#: Stores remembered as started (the oldest are forgotten past it).
_KEPT = 32


def _load_drawing_modules() -> None:
    for name in DRAWING_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part missing: the page that needs it says so
            pass


def _make_all(store: Store, also: Sequence[Callable[[], object]] = ()) -> None:
    _FIRST_SCREEN.wait(FIRST_SCREEN_WAIT)
    from ..analysis.centrality import METRICS  # here, not at the top: networkx loads after the first page
    from . import answers, directory, insights, pulse
    from .measures import shared_measures

    steps = [lambda: directory.choices(store), lambda: pulse.shared_pulse(store), _load_drawing_modules, *also]
    if allowed(Permission.ANALYSE):
        steps += [lambda: answers.shared_gaps(store), lambda: shared_measures(store),
                  lambda: insights.shared_analysis(store, top=20, by=next(iter(METRICS)))]
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001 - the page that needs it asks again and says what is wrong
            pass


def prepare(store: Store, also: Sequence[Callable[[], object]] = ()) -> None:
    """Start making the shared results for ``store`` (once per store and process); returns at once.

    ``also``: more warming up for the same thread, after the drawing libraries (the dashboard passes
    what its own first runs would otherwise wait for).
    """
    with _LOCK:
        if store.url in _STARTED:
            return
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(_make_all, store, tuple(also)),
                                  name="connector-graph-prepare", daemon=True)
        _STARTED[store.url] = thread
        while len(_STARTED) > _KEPT:
            _STARTED.pop(next(iter(_STARTED)))
    thread.start()


def first_screen_drawn() -> None:
    """Say that a page has drawn its first screen (or its run ended): what :func:`prepare` started goes on."""
    _FIRST_SCREEN.set()


def prepared(store: Store, timeout: float | None = None) -> bool:
    """Wait until what :func:`prepare` started for ``store`` is made (True), or ``timeout`` seconds pass."""
    with _LOCK:
        thread = _STARTED.get(store.url)
    if thread is None:
        return False
    thread.join(timeout)
    return not thread.is_alive()
