"""Who the person using the app is: the person record behind the signed-in user.

An account links to its person through :func:`connector_graph.accounts.link_person`.
Single-user local mode has no account, so its answer to "who are you?" is
kept in a small JSON file beside the store (``<folder of the SQLite
file>/local_user.json``; ``data/local_user.json`` for Neo4j; or the path in
``CONNECTOR_GRAPH_LOCAL_PROFILE``), keyed by store URL, so it survives
reloads and restarts.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from . import accounts
from .auth import Permission, require
from .errors import InvalidInput, NotFound
from .model import Person
from .store.base import Store

__all__ = ["my_person", "remember_me", "can_remember", "profile_path"]


def profile_path(store: Store) -> Path:
    """Where single-user mode keeps its answer to "who are you?"."""
    configured = os.environ.get("CONNECTOR_GRAPH_LOCAL_PROFILE")
    if configured:
        return Path(configured)
    if store.url.startswith("sqlite:///") and ":memory:" not in store.url:
        return Path(store.url[len("sqlite:///"):]).parent / "local_user.json"
    return Path("data") / "local_user.json"


def _has_account(store: Store, username: str) -> bool:
    try:
        store.get_user(username)
        return True
    except (NotFound, InvalidInput):
        return False


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def my_person(store: Store, username: str) -> str | None:
    """The id of the person ``username`` is, if known and still held; else ``None``."""
    require(Permission.VIEW)
    person_id = accounts.person_of(store, username)
    if person_id is None and not _has_account(store, username):
        person_id = _read(profile_path(store)).get(store.url)
    if person_id is None:
        return None
    try:
        return person_id if isinstance(store.get_actor(person_id), Person) else None
    except NotFound:
        return None


def can_remember(store: Store, username: str) -> bool:
    """True in single-user mode (no account of this name), where the app itself asks "who are you?"."""
    require(Permission.VIEW)
    return not _has_account(store, username)


def remember_me(store: Store, username: str, person_id: str) -> None:
    """Remember that the single local user is this person (written atomically beside the store).

    Accounts are linked by an admin instead (``connector-graph user link``).
    """
    require(Permission.LOG)
    if _has_account(store, username):
        raise InvalidInput("an account is linked to its person by an admin: connector-graph user link NAME --person ID")
    if not isinstance(store.get_actor(person_id), Person):
        raise InvalidInput("choose a person, not an organisation")
    path = profile_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**_read(path), store.url: person_id}
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
    os.replace(handle.name, path)
