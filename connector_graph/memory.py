"""Giving back to the system the memory a long-running server no longer uses.

The dashboard runs each browser session's script on a thread of its own.
The C library's allocator (glibc) keeps what those threads free in arenas
of their own, and after a large block is freed it raises the size from
which blocks are mapped separately, so later large blocks (a drawing's HTML,
a projection's arrays) are carved out of those arenas too. Freed, they stay
in the process: a server's resident memory then climbs with every wave of
sessions although Python holds no more objects (measured with
``bench/load.py --soak``).

:func:`keep_memory_settled` fixes the mapping size (blocks of 256 KiB and
more are mapped and given back whole when freed), keeps at most two arenas,
and starts one daemon thread that asks the allocator to give free pages back
(``malloc_trim``) once a minute. On a C library without these calls (musl,
macOS) it does nothing. It never touches Python objects, so nothing a page
holds changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import threading

__all__ = ["keep_memory_settled", "give_back"]

_LOG = logging.getLogger(__name__)
#: mallopt parameters (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
#: Blocks of this size and more are mapped on their own and unmapped when freed.
MAPPED_FROM = 256 * 1024
#: Arenas glibc may make for the server's threads.
ARENAS = 2
#: Seconds between two requests to give free pages back.
INTERVAL = 60.0

_started = False
_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def give_back() -> bool:
    """Ask the allocator to return its free pages to the system now; False where it cannot (not glibc)."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


def keep_memory_settled(interval: float = INTERVAL) -> bool:
    """Tune the allocator and start the once-a-minute :func:`give_back` thread (once per process).

    Returns False where the C library offers no such calls (nothing is done then).
    """
    global _started
    with _lock:
        if _started:
            return True
        libc = _libc()
        if libc is None:
            return False
        libc.mallopt(_M_MMAP_THRESHOLD, MAPPED_FROM)
        libc.mallopt(_M_ARENA_MAX, ARENAS)
        stop = threading.Event()

        def trim() -> None:
            while not stop.wait(interval):
                try:
                    libc.malloc_trim(0)
                except Exception:  # noqa: BLE001 - a missed trim loses nothing
                    _LOG.debug("malloc_trim failed", exc_info=True)

        threading.Thread(target=trim, name="connector-graph-give-back", daemon=True).start()
        _started = True
        return True
