"""An optional log of how long the server spends on each run of a page's script.

Set ``CONNECTOR_GRAPH_TIMING_LOG`` to a file path and the dashboard appends
one JSON line per script run: when it ended (``at``, seconds since the
epoch), the page, the seconds the run took on the server, a short tag of the
browser session, the buttons pressed for that run (``actions``) and how it
ended (``done``, ``stopped``, ``rerun`` or an error's class name). The load
benchmark (``bench/load.py``) reads it; without the setting nothing is
written. Lines hold no names or ids of people.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from typing import Iterator, Sequence

__all__ = ["TIMING_LOG", "timing_log_path", "script_run", "read_runs"]

#: The environment variable naming the log file.
TIMING_LOG = "CONNECTOR_GRAPH_TIMING_LOG"
_LOCK = threading.Lock()


def timing_log_path() -> str | None:
    """The log file, or None when timing is off."""
    return os.environ.get(TIMING_LOG) or None


def _outcome(exc: BaseException | None) -> str:
    if exc is None:
        return "done"
    name = type(exc).__name__
    return {"StopException": "stopped", "RerunException": "rerun"}.get(name, name)


@contextlib.contextmanager
def script_run(
    page: str, *, session: str = "", actions: Sequence[str] = (), started: float | None = None
) -> Iterator[None]:
    """Time the block (one run of a page's script) and append its line to the log, if timing is on.

    ``started`` (a ``time.perf_counter()`` reading) counts the run from
    earlier than the block, such as the top of the app's script.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "t.jsonl")
    >>> os.environ[TIMING_LOG] = path
    >>> with script_run("log", session="abc", actions=["intro"]):
    ...     pass
    >>> [(r["page"], r["actions"], r["done"]) for r in read_runs(path)]
    [('log', ['intro'], 'done')]
    >>> del os.environ[TIMING_LOG]
    """
    path = timing_log_path()
    if path is None:
        yield
        return
    start = time.perf_counter() if started is None else started
    failed: BaseException | None = None
    try:
        yield
    except BaseException as exc:
        failed = exc
        raise
    finally:
        line = {
            "at": round(time.time(), 3),
            "page": page,
            "seconds": round(time.perf_counter() - start, 4),
            "session": hashlib.sha256(session.encode()).hexdigest()[:10] if session else "",
            "actions": list(actions),
            "done": _outcome(failed),
        }
        with _LOCK, open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")


def read_runs(path: str | os.PathLike) -> list[dict]:
    """Every line of a timing log (a missing file: none)."""
    try:
        with open(path, encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]
    except FileNotFoundError:
        return []
