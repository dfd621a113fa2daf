"""Sign-in throttling: exponential delay, then a temporary lockout, per account and per address.

Failures are counted in a small file outside the database (in the state
folder, ``CONNECTOR_GRAPH_STATE_DIR``), shared by every process of the
installation under a file lock. Accounts and addresses are kept only as
keyed one-way values.

Policy (per account; an address gets three times the allowance, since
several people may share one):

- the first :data:`FREE` failures cost nothing extra;
- each further failure doubles the wait before the next attempt is even
  checked (1 s, 2 s, 4 s ... up to :data:`MAX_DELAY`);
- after :data:`LOCK_AT` failures in a row the account is locked for
  :data:`LOCK_SECONDS`;
- a successful sign-in clears the account's count (not the address's).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Iterator

from . import config
from .protection import locked, secret_key, write_private_json

__all__ = ["Throttle", "FREE", "MAX_DELAY", "LOCK_AT", "LOCK_SECONDS"]

FREE = 3
MAX_DELAY = 60.0
LOCK_AT = 10
LOCK_SECONDS = 15 * 60.0
_ADDRESS_FACTOR = 3


class Throttle:
    """Counts failed sign-ins and says how long someone must wait."""

    def __init__(self, path: Path | None = None, key: bytes | None = None) -> None:
        self.path = Path(path or config.state_dir() / "signin.json")
        self._key = hmac.new(key or secret_key(), b"sign-in-throttle", hashlib.sha256).digest()

    def _id(self, kind: str, value: str) -> str:
        return kind + ":" + hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    @contextlib.contextmanager
    def _state(self) -> Iterator[dict]:
        with locked(self.path):
            try:
                state = json.loads(self.path.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                state = {}
            yield state
            write_private_json(self.path, state)

    @staticmethod
    def _wait(entry: dict | None, factor: int, now: float) -> float:
        if not entry:
            return 0.0
        failures, last = entry.get("n", 0), entry.get("t", 0.0)
        if failures >= LOCK_AT * factor:
            return max(0.0, last + LOCK_SECONDS - now)
        if failures < FREE * factor:
            return 0.0
        return max(0.0, last + min(MAX_DELAY, 2.0 ** (failures - FREE * factor)) - now)

    def wait_seconds(self, account: str, address: str | None, now: float | None = None) -> float:
        """How long before the next attempt for this account (from this address) will be checked."""
        now = time.time() if now is None else now
        with self._state() as state:
            waits = [self._wait(state.get(self._id("a", account)), 1, now)]
            if address:
                waits.append(self._wait(state.get(self._id("ip", address)), _ADDRESS_FACTOR, now))
        return max(waits)

    def failed(self, account: str, address: str | None, now: float | None = None) -> None:
        """Count one failed attempt."""
        now = time.time() if now is None else now
        with self._state() as state:
            for key in [self._id("a", account)] + ([self._id("ip", address)] if address else []):
                entry = state.get(key) or {"n": 0}
                state[key] = {"n": entry["n"] + 1, "t": now}

    def succeeded(self, account: str) -> None:
        """Clear the account's count after a correct password."""
        with self._state() as state:
            state.pop(self._id("a", account), None)
