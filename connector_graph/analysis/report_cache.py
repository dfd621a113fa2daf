"""The finished analysis report, kept on disk by graph version so a new process does not redo it.

A report is a JSON-ready dictionary (see :mod:`connector_graph.analysis.report`).
It is written to the store's cache folder
(:func:`~connector_graph.store.columns.cache_folder`) under a name made of the
graph version and a digest of everything else the report depends on (its
options and today's date). A file is used only when the store's current
version, URL and options match what it records; reports of other versions are
deleted when a new one is written, and the store empties the folder when it
erases someone, so a report is never served after a write or an erasure.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from ..store.columns import cache_folder

__all__ = ["report_file", "load_report", "save_report", "kept", "FORMAT"]

log = logging.getLogger(__name__)

#: The file's layout; a file of another format is ignored (2: reports carry ``betweenness_sampling``).
FORMAT = 2


def _key_text(options: dict[str, Any]) -> str:
    return json.dumps(options, sort_keys=True, default=str)


def report_file(url: str, database: str | None, version: int, options: dict[str, Any]) -> Path:
    """Where the report of ``url`` at ``version`` with ``options`` is kept.

    Examples
    --------
    >>> report_file("sqlite:///g.db", None, 7, {"top": 10}).name.startswith("report-7-")
    True
    """
    digest = hashlib.sha256(f"{url}\n{database or ''}\n{_key_text(options)}".encode()).hexdigest()[:24]
    return cache_folder(url, database) / f"report-{version}-{digest}.json"


def load_report(url: str, database: str | None, version: int, options: dict[str, Any]) -> dict[str, Any] | None:
    """The kept report, or None when there is none for exactly this version and these options."""
    path = report_file(url, database, version, options)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if (data.get("format"), data.get("url"), data.get("version"), data.get("options")) != (
            FORMAT, url, version, _key_text(options)):
            return None
        return data["report"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def save_report(url: str, database: str | None, version: int, options: dict[str, Any], report: dict[str, Any]) -> None:
    """Keep ``report`` (atomically, readable by its owner only) and drop reports of other versions."""
    path = report_file(url, database, version, options)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        body = json.dumps({"format": FORMAT, "url": url, "version": version, "options": _key_text(options),
                           "report": report}, ensure_ascii=False)
        handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for old in path.parent.glob("report-*.json"):
            if not old.name.startswith(f"report-{version}-"):
                with contextlib.suppress(OSError):
                    old.unlink()
    except OSError as exc:
        log.info("cannot keep the report in %s: %s", path.parent, exc)


def kept(url: str, database: str | None, version: int, options: dict[str, Any],
         make: Callable[[], dict[str, Any]], *, use_cache: bool = True) -> dict[str, Any]:
    """The kept report when there is one (and ``use_cache``), else ``make()``, kept for next time."""
    if use_cache:
        found = load_report(url, database, version, options)
        if found is not None:
            return found
    report = make()
    save_report(url, database, version, options, report)
    return report
