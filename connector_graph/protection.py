"""The secret key and what it protects, kept outside every database.

- :func:`secret_key` reads the installation's key file (``CONNECTOR_GRAPH_KEY_FILE``),
  creating it with mode 0600 on first use. Someone who can edit the database
  but not read this file cannot forge audit entries or erasure fingerprints.
- :class:`Protection` gives a store its keys and its audit checkpoint: a file
  outside the database holding the newest audit entry's number and hash,
  signed with the key, moved on after every audit write. Removing the newest
  entries (or all of them) then no longer verifies.
- :func:`fingerprints` and :func:`id_hash` are keyed one-way values of a
  person's id and identifying fields for the erasure register: they match the
  same person again without holding their name.

Keep a copy of the key file with the backups, apart from them: a backup's
erasure register and checkpoint can only be checked with the key that
signed them.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from . import config
from .errors import InvalidInput
from .identity import name_key

__all__ = [
    "secret_key",
    "Protection",
    "Checkpoint",
    "checkpoint_path",
    "store_identity",
    "locked",
    "write_private_json",
    "KEY_BYTES",
]

KEY_BYTES = 32
_keys: dict[Path, bytes] = {}
_keys_lock = threading.Lock()


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:  # another process made it first
        return
    try:
        os.write(fd, secrets.token_hex(KEY_BYTES).encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)


def secret_key(path: Path | None = None) -> bytes:
    """The installation's secret key, from ``path`` (default: the settings' key file).

    Made with 64 random hex digits and mode 0600 when it does not exist. A
    key file that others may read, that is not a regular file or that does
    not hold a key is refused with a one-line message.
    """
    path = Path(path or config.key_file())
    with _keys_lock:
        if path in _keys:
            return _keys[path]
        if not path.exists():
            _create_key(path)
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError as exc:
            raise InvalidInput(f"cannot read the key file {path}: {exc.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise InvalidInput(f"the key file {path} is not a regular file")
        if info.st_mode & 0o077:
            raise InvalidInput(f"the key file {path} may be read by other users; make it private: chmod 600 {path}")
        text = path.read_text(encoding="ascii", errors="replace").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) < 16:
            raise InvalidInput(f"the key file {path} does not hold a key (64 hex digits)")
        _keys[path] = key
        return key


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file (``path.lock``, 0600) for the block, across processes."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_private_json(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON in one step, mode 0600 (call while holding :func:`locked`)."""
    partial = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    os.replace(partial, path)


def _derive(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, purpose.encode("ascii"), hashlib.sha256).digest()


def store_identity(url: str, database: str | None = None) -> str:
    """What names one store for its checkpoint: a SQLite file's full path, or a Neo4j URL and database."""
    if url.lower().startswith("sqlite:///"):
        return "sqlite:" + str(Path(url[len("sqlite:///") :]).expanduser().resolve())
    return url + "#" + (database or "neo4j")


def checkpoint_path(identity: str, state: Path | None = None) -> Path:
    """The checkpoint file of the store named by ``identity``."""
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]
    return Path(state or config.state_dir()) / "checkpoints" / f"{digest}.json"


@dataclass(frozen=True)
class Checkpoint:
    """The newest audit entry a store had written: its number and hash, signed."""

    seq: int
    head: str
    signature: str

    def as_dict(self) -> dict[str, Any]:
        """The checkpoint as JSON-ready data (for backups)."""
        return {"seq": self.seq, "head": self.head, "signature": self.signature}


class Protection:
    """A store's keys and its audit checkpoint file."""

    def __init__(self, key: bytes, checkpoint: Path) -> None:
        self.audit_key = _derive(key, "audit-chain")
        self._checkpoint_key = _derive(key, "audit-checkpoint")
        self._erasure_key = _derive(key, "erasure-register")
        self.checkpoint_file = checkpoint

    @classmethod
    def for_store(cls, url: str, database: str | None = None, settings: "config.Settings | None" = None) -> "Protection":
        """The protection of the store at ``url``: the key and checkpoint folder from ``settings`` (or the environment)."""
        key = secret_key(settings.key_file if settings else None)
        return cls(key, checkpoint_path(store_identity(url, database), settings.state_dir if settings else None))

    # ------------------------------------------------------------ checkpoint

    def sign(self, seq: int, head: str) -> Checkpoint:
        """A checkpoint of (``seq``, ``head``) signed with this installation's key."""
        text = f"{seq}\x1f{head}".encode("utf-8")
        return Checkpoint(seq, head, hmac.new(self._checkpoint_key, text, hashlib.sha256).hexdigest())

    def genuine(self, checkpoint: Checkpoint) -> bool:
        """True when ``checkpoint`` was signed with this installation's key."""
        return hmac.compare_digest(self.sign(checkpoint.seq, checkpoint.head).signature, checkpoint.signature)

    def read_checkpoint(self) -> Checkpoint | None | str:
        """The checkpoint on file; ``None`` when there is none; a problem (text) when it cannot be read."""
        try:
            data = json.loads(self.checkpoint_file.read_text(encoding="utf-8"))
            return Checkpoint(int(data["seq"]), str(data["head"]), str(data["signature"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            return f"the checkpoint file {self.checkpoint_file} cannot be read ({type(exc).__name__})"

    def advance(self, seq: int, head: str) -> None:
        """Move the checkpoint on to entry ``seq`` (never back: another process may be further on)."""
        with locked(self.checkpoint_file):
            current = self.read_checkpoint()
            if isinstance(current, Checkpoint) and current.seq >= seq:
                return
            write_private_json(self.checkpoint_file, self.sign(seq, head).as_dict())

    def forget_checkpoint(self) -> None:
        """Remove the checkpoint (only when the store itself is deleted and made again)."""
        with contextlib.suppress(FileNotFoundError):
            self.checkpoint_file.unlink()

    # ------------------------------------------------------------ erasure register

    def id_hash(self, actor_id: str) -> str:
        """A keyed one-way value of an id, for the erasure register."""
        return hmac.new(self._erasure_key, b"id\x1f" + actor_id.encode("utf-8"), hashlib.sha256).hexdigest()

    def fingerprint(self, name: str, ward: str | None) -> str:
        """A keyed one-way value of a person's folded name and ward (never the name itself)."""
        text = "person\x1f" + name_key(name) + "\x1f" + name_key(ward or "")
        return hmac.new(self._erasure_key, text.encode("utf-8"), hashlib.sha256).hexdigest()
