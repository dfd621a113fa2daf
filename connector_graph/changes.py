"""Writes made in this process, announced to whatever keeps shared lists current by itself.

:mod:`connector_graph.service` announces each record it has just written
(an actor added or changed, an introduction logged or edited). A listener,
such as the dashboard's shared picker lists
(:mod:`connector_graph.views.lists`), folds the record into what it holds
instead of reading everything again. Listeners must be quick and must not
fail a write: an error in one is swallowed (the listener then just waits for
its next full refresh). Nothing listens in the command line, so a write
there costs nothing more.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

__all__ = ["Listener", "listen", "stop_listening", "announce"]

#: Called with the store written to and the record written (a model object).
Listener = Callable[[Any, Any], None]

_LISTENERS: list[Listener] = []
_LOCK = threading.Lock()


def listen(listener: Listener) -> None:
    """Call ``listener(store, record)`` after every announced write (once, however often it is registered)."""
    with _LOCK:
        if listener not in _LISTENERS:
            _LISTENERS.append(listener)


def stop_listening(listener: Listener) -> None:
    """No longer call ``listener``."""
    with _LOCK:
        if listener in _LISTENERS:
            _LISTENERS.remove(listener)


def announce(store: Any, record: Any) -> None:
    """Tell every listener that ``record`` was just written to ``store``.

    Examples
    --------
    >>> seen = []
    >>> def note(store, record): seen.append(record)
    >>> listen(note)
    >>> announce(None, "a record")
    >>> stop_listening(note); announce(None, "another")
    >>> seen
    ['a record']
    """
    with _LOCK:
        listeners = list(_LISTENERS)
    for listener in listeners:
        try:
            listener(store, record)
        except Exception:  # noqa: BLE001 - a listener never fails a write that has been made
            pass
