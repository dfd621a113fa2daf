"""The embedded store: one SQLite file, no server.

WAL mode, a generous ``busy_timeout`` and ``BEGIN IMMEDIATE`` for every write
let several processes log introductions at once without "database is locked";
``secure_delete`` overwrites erased records and a checkpoint after an erasure
clears them from the write-ahead log too.

Each record is kept as its validated JSON with the columns that queries need
(name, ward, ends, dates) alongside.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence, TypeVar

from pydantic import BaseModel

from ..audit import AuditAction, AuditEntry, new_entry
from ..auth import User
from ..identity import name_key
from ..protection import Protection
from ..errors import Duplicate, InvalidInput, NotFound, StoreUnavailable
from ..model import (
    StatusChange,
    IntroStatus,
    from_store,
    Actor,
    Counts,
    ErasureRecord,
    ErasureReport,
    Introduction,
    Organisation,
    Person,
    Tie,
    Ward,
)
from . import common
from .base import Batch, IntroductionFilter, Progress, check_batch_references, chunks
from .columns import GraphColumns, discard_projection_cache

__all__ = ["SqliteStore", "sqlite_path"]

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000
#: Idle reading connections kept open for the next read (more are opened while more threads read at once).
IDLE_READERS = 4
#: Page cache of each reading connection, in KiB (the writing connection keeps 64 MiB for bulk loads).
READER_CACHE_KIB = 8192
_PAGE = 5000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS actors (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('person', 'organisation')),
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    ward TEXT,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS actors_by_name ON actors (type, name_fold);
CREATE INDEX IF NOT EXISTS actors_by_ward ON actors (ward);
CREATE TABLE IF NOT EXISTS ties (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    weight REAL NOT NULL DEFAULT 1,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ties_by_source ON ties (source_id);
CREATE INDEX IF NOT EXISTS ties_by_target ON ties (target_id);
CREATE TABLE IF NOT EXISTS introductions (
    id TEXT PRIMARY KEY,
    date TEXT NOT NULL,
    introducer_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    subject_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS introduction_history (
    introduction_id TEXT NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    day TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    PRIMARY KEY (introduction_id, seq)
);
CREATE TABLE IF NOT EXISTS tie_confirmations (
    tie_id TEXT NOT NULL REFERENCES ties (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    PRIMARY KEY (tie_id, day)
);
CREATE TRIGGER IF NOT EXISTS ties_keep_confirmations AFTER UPDATE OF body ON ties
WHEN json_extract(old.body, '$.last_confirmed') IS NOT NULL
 AND json_extract(old.body, '$.last_confirmed') IS NOT json_extract(new.body, '$.last_confirmed')
BEGIN INSERT INTO tie_confirmations (tie_id, day)
 SELECT new.id, d FROM (SELECT json_extract(old.body, '$.last_confirmed') AS d
                        UNION SELECT json_extract(new.body, '$.last_confirmed'))
 WHERE d IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tie_confirmations WHERE tie_id = new.id AND day = d); END;
CREATE INDEX IF NOT EXISTS intros_by_date ON introductions (date);
CREATE INDEX IF NOT EXISTS intros_by_introducer ON introductions (introducer_id);
CREATE INDEX IF NOT EXISTS intros_by_subject ON introductions (subject_id);
CREATE INDEX IF NOT EXISTS intros_by_target ON introductions (target_id);
CREATE TABLE IF NOT EXISTS wards (name TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit (target);
CREATE TABLE IF NOT EXISTS users (username TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS erasures (id_hash TEXT PRIMARY KEY, fingerprint TEXT, erased_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS erasures_by_fingerprint ON erasures (fingerprint);
CREATE TABLE IF NOT EXISTS source_ids (key TEXT PRIMARY KEY, id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS source_ids_by_id ON source_ids (id);
CREATE TRIGGER IF NOT EXISTS audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- the version starts at the creation time in microseconds, so a store made again at the same
-- path never repeats a version an earlier one had (caches are keyed by URL and version)
INSERT OR IGNORE INTO meta (key, value) VALUES ('version', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', 1);
"""

M = TypeVar("M", bound=BaseModel)


def sqlite_path(url: str) -> Path:
    """The file a ``sqlite:///`` URL names.

    Examples
    --------
    >>> str(sqlite_path("sqlite:///data/g.db"))
    'data/g.db'
    >>> str(sqlite_path("sqlite:////tmp/g.db"))
    '/tmp/g.db'
    """
    prefix = "sqlite:///"
    if not url.lower().startswith(prefix) or len(url) == len(prefix):
        raise InvalidInput(f"a SQLite store URL looks like sqlite:///data/connector_graph.db, not {url!r}")
    return Path(url[len(prefix) :])


def _dump(model: BaseModel) -> str:
    return model.model_dump_json()


def _load_actor(type_: str, body: str) -> Actor:
    model = Person if type_ == "person" else Organisation
    return from_store(model, body, json=True)


#: Columns added after a store may have been created: (table, column, definition).
_ADDED_COLUMNS = [("ties", "weight", "REAL NOT NULL DEFAULT 1")]


def _add_missing_columns(cur: sqlite3.Cursor) -> None:
    """Bring a store made by an earlier version up to date (ties made before weights weigh 1)."""
    for table, column, definition in _ADDED_COLUMNS:
        present = {row[1] for row in cur.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            cur.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def _state(intro_id: str, day: str, status: str, outcome: str | None) -> StatusChange:
    return StatusChange(intro_id, dt.date.fromisoformat(day), IntroStatus(status), outcome)


class SqliteStore:
    """A store in one SQLite file (the default backend)."""

    def __init__(self, url: str, protection: Protection | None = None, *, create: bool = True) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self._lock = threading.RLock()  # the one writing connection: writes are serialised
        self._writer: int | None = None  # the thread inside a write transaction, which reads what it writes
        self._pool_lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._readers: set[sqlite3.Connection] = set()
        self._generation = 0  # moves on at an erasure: readers out at the time are closed when handed back
        self.protection = protection or Protection.for_store(url)
        self._damage: str | None = None
        self.read_only = False
        if not create and not self.path.exists():
            raise InvalidInput(f"there is no store at {self.path}: check the path (nothing was created)")
        if self.path.exists() and not os.access(self.path, os.W_OK) or (
            self.path.exists() and not os.access(self.path.parent, os.W_OK)
        ):
            self.read_only = True
            self._damage = f"{self.path} is read-only here: it can be read and backed up, not changed"
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.read_only:
                # a folder that cannot be written cannot hold the WAL's shared-memory file either
                flags = "mode=ro" if os.access(self.path.parent, os.W_OK) else "mode=ro&immutable=1"
                self._conn = sqlite3.connect(
                    f"file:{self.path}?{flags}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None, check_same_thread=False,
                )
            else:
                self._conn = sqlite3.connect(
                    self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
                )
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"cannot open the database file {self.path}: {exc}") from exc
        # The whole file is checked before this process first writes to it, not at every open: the check
        # reads every page (0.4 s at 100,000 actors), and commands that only read need not wait for it.
        self._checked = False
        try:
            if self.read_only:
                self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            else:
                self._configure()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreUnavailable(f"{self.path} is not a connector_graph database: {exc}") from exc

    # ------------------------------------------------------------ plumbing

    def _check_once(self) -> None:
        """Check every page of the file once, before this process's first write; damage refuses writes.

        Reads stay possible on a damaged file, so what is left can be backed up;
        writes would spread the damage.
        """
        if self._checked or self._damage:
            return
        try:
            found = [row[0] for row in self._conn.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            found = [str(exc)]
        self._checked = True
        if found != ["ok"]:
            self._damage = (
                f"{self.path} is damaged ({found[0]}); writes are refused: back up what can be read "
                "and restore into a new store"
            )

    def _configure(self) -> None:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: keeps bulk index inserts in memory
        for attempt in range(50):
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:  # switching modes can report busy at once
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.05 * (attempt + 1))
        else:
            raise StoreUnavailable(f"{self.path} stayed locked by another program")
        if str(mode).lower() != "wal":
            raise StoreUnavailable(f"cannot switch {self.path} to WAL mode (got {mode})")
        with self._write(bump=False, check=False) as cur:
            for statement in filter(str.strip, _SCHEMA.split(";\n")):
                cur.execute(statement)
            _add_missing_columns(cur)
            found = cur.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
            if found > SCHEMA_VERSION:
                raise StoreUnavailable(
                    f"{self.path} was written by a newer connector_graph (schema {found}); upgrade to open it"
                )
            if cur.execute("SELECT 1 FROM meta WHERE key = 'name_key'").fetchone() is None:
                # names are found by identity.name_key since this key was added: fold stored names again
                rows = cur.execute("SELECT id, name FROM actors").fetchall()
                cur.executemany("UPDATE actors SET name_fold = ? WHERE id = ?", [(name_key(n), i) for i, n in rows])
                cur.execute("INSERT INTO meta (key, value) VALUES ('name_key', 1)")

    @contextlib.contextmanager
    def _write(
        self, action: AuditAction | None = None, target: str | None = None, *, bump: bool = True, check: bool = True
    ) -> Iterator[sqlite3.Cursor]:
        """One write transaction, with its audit entry; the graph version moves on unless told not to.

        ``check=False`` only for preparing the schema at open (as before any integrity check).
        """
        with self._lock:
            if check:
                self._check_once()
            cur = self._conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"the database is busy or read-only: {exc}") from exc
            if self._damage:
                raise StoreUnavailable(self._damage)
            entry = None
            outer, self._writer = self._writer, threading.get_ident()
            try:
                yield cur
                if bump:
                    cur.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
                if action is not None:
                    entry = self._append_audit(cur, action, target)
                cur.execute("COMMIT")
                if entry is not None:
                    self.protection.advance(entry.seq, entry.hash)
            except BaseException as exc:
                with contextlib.suppress(sqlite3.Error):
                    cur.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise StoreUnavailable(f"the database refused the write: {exc}") from exc
                if isinstance(exc, sqlite3.IntegrityError):
                    raise InvalidInput(f"the write breaks a rule of the database: {exc}") from exc
                raise
            finally:
                self._writer = outer
                cur.close()

    def _open_reader(self) -> sqlite3.Connection:
        """A new connection for reading only (WAL lets it read while another connection writes)."""
        if self.read_only:
            flags = "mode=ro" if os.access(self.path.parent, os.W_OK) else "mode=ro&immutable=1"
            conn = sqlite3.connect(f"file:{self.path}?{flags}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute(f"PRAGMA cache_size = -{READER_CACHE_KIB}")
        conn.execute("PRAGMA query_only = ON")
        return conn

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with: the writing one inside this thread's own write, else one of the pool.

        Readers never wait for the write lock, so reads run while another
        thread's write transaction is open (they see the last commit).
        """
        if self._writer == threading.get_ident():
            with self._lock:
                yield self._conn
            return
        with self._pool_lock:
            conn = self._idle.pop() if self._idle else None
            generation = self._generation
        if conn is None:
            try:
                conn = self._open_reader()
            except (OSError, sqlite3.Error) as exc:
                raise StoreUnavailable(f"cannot read the database: {exc}") from exc
            with self._pool_lock:
                self._readers.add(conn)
        try:
            yield conn
        finally:
            with self._pool_lock:
                keep = conn in self._readers and generation == self._generation and len(self._idle) < IDLE_READERS
                if keep:
                    self._idle.append(conn)
                else:
                    self._readers.discard(conn)
            if not keep:
                conn.close()

    def _drop_readers(self) -> None:
        """Close the idle reading connections (their page caches may hold erased records)."""
        with self._pool_lock:
            idle, self._idle = self._idle, []
            self._readers.difference_update(idle)
            self._generation += 1
        for conn in idle:
            conn.close()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        try:
            with self._reading() as conn:
                return conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read the database: {exc}") from exc

    def close(self) -> None:
        """Close every connection: the idle readers now, a reader in use by its own thread when its read ends.

        Closing a connection another thread is reading with frees what that
        read is using (the process crashes); a reader taken from the pool is
        closed by :meth:`_reading` once it is no longer among the readers.
        """
        with self._pool_lock:
            idle, self._idle = self._idle, []
            self._readers.clear()
            self._generation += 1
        for conn in idle:
            conn.close()
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "SqliteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- actors

    def _add_actor(self, actor: Actor) -> None:
        body = _dump(actor)
        action = AuditAction.ADD_PERSON if actor.actor_type == "person" else AuditAction.ADD_ORGANISATION
        with self._write(action, actor.id) as cur:
            row = cur.execute("SELECT type, body FROM actors WHERE id = ?", (actor.id,)).fetchone()
            if row is not None:
                common.check_same_actor(actor, row[0], json.loads(row[1]))
                raise _NoChange
            cur.execute(
                "INSERT INTO actors (id, type, name, name_fold, ward, body) VALUES (?, ?, ?, ?, ?, ?)",
                (actor.id, actor.actor_type, actor.name, name_key(actor.name), actor.ward, body),
            )

    def add_person(self, person: Person) -> None:
        """Add a person (idempotent)."""
        with contextlib.suppress(_NoChange):
            self._add_actor(common.require(person, Person))

    def add_organisation(self, organisation: Organisation) -> None:
        """Add an organisation (idempotent)."""
        with contextlib.suppress(_NoChange):
            self._add_actor(common.require(organisation, Organisation))

    def _update_actor(self, actor: Actor) -> None:
        action = AuditAction.UPDATE_PERSON if actor.actor_type == "person" else AuditAction.UPDATE_ORGANISATION
        with self._write(action, actor.id) as cur:
            row = cur.execute("SELECT type FROM actors WHERE id = ?", (actor.id,)).fetchone()
            if row is None or row[0] != actor.actor_type:
                raise NotFound(f"no {actor.actor_type} with id {actor.id!r}")
            cur.execute(
                "UPDATE actors SET name = ?, name_fold = ?, ward = ?, body = ? WHERE id = ?",
                (actor.name, name_key(actor.name), actor.ward, _dump(actor), actor.id),
            )

    def update_person(self, person: Person) -> None:
        """Replace a person's details."""
        self._update_actor(common.require(person, Person))

    def update_organisation(self, organisation: Organisation) -> None:
        """Replace an organisation's details."""
        self._update_actor(common.require(organisation, Organisation))

    def get_actor(self, actor_id: str) -> Actor:
        """The actor with this id."""
        rows = self._read("SELECT type, body FROM actors WHERE id = ?", (actor_id,))
        if not rows:
            raise NotFound(f"no person or organisation with id {actor_id!r}")
        return _load_actor(*rows[0])

    def _list_actors(self, type_: str, ward: str | None, limit: int | None, offset: int) -> list:
        common.check_page(limit, offset)
        sql = "SELECT type, body FROM actors WHERE type = ?"
        params: list[Any] = [type_]
        if ward is not None:
            sql += " AND ward = ?"
            params.append(ward)
        sql += " ORDER BY name_fold, id LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        return [_load_actor(*row) for row in self._read(sql, params)]

    def list_people(self, *, ward: str | None = None, limit: int | None = None, offset: int = 0) -> list[Person]:
        """People in name order."""
        return self._list_actors("person", ward, limit, offset)

    def list_organisations(
        self, *, ward: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Organisation]:
        """Organisations in name order."""
        return self._list_actors("organisation", ward, limit, offset)

    def search_actors(self, text: str, *, limit: int = 20) -> list[Actor]:
        """Actors whose name contains ``text``; names starting with it first."""
        needle = common.search_needle(text)
        if not needle:
            return []
        like = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._read(
            "SELECT type, body FROM actors WHERE name_fold LIKE ? ESCAPE '\\' "
            "ORDER BY (substr(name_fold, 1, ?) != ?), name_fold, id LIMIT ?",
            ("%" + like + "%", len(needle), needle, max(0, limit)),
        )
        return [_load_actor(*row) for row in rows]

    def erase_actor(self, actor_id: str) -> ErasureReport:
        """Remove an actor, their ties and the introductions that name them."""
        with self._write(AuditAction.ERASE, actor_id) as cur:
            row = cur.execute("SELECT type, name, ward FROM actors WHERE id = ?", (actor_id,)).fetchone()
            if row is None:
                raise NotFound(f"no person or organisation with id {actor_id!r}")
            record = common.erasure_record(self.protection, actor_id, *row)
            cur.execute(
                "INSERT OR REPLACE INTO erasures (id_hash, fingerprint, erased_at) VALUES (?, ?, ?)",
                (record.id_hash, record.fingerprint, record.erased_at.isoformat()),
            )
            # the keys of the actor's source ids join the register (a re-import is held back by them);
            # their mapping rows and those of the introductions erased with them go
            cur.execute(
                "INSERT OR IGNORE INTO erasures (id_hash, fingerprint, erased_at) "
                "SELECT key, NULL, ? FROM source_ids WHERE id = ?",
                (record.erased_at.isoformat(), actor_id),
            )
            cur.execute(
                "DELETE FROM source_ids WHERE id = ? OR id IN (SELECT id FROM introductions "
                "WHERE ? IN (introducer_id, subject_id, target_id))",
                (actor_id, actor_id),
            )
            intros = cur.execute(
                "DELETE FROM introductions WHERE ? IN (introducer_id, subject_id, target_id)", (actor_id,)
            ).rowcount
            ties = cur.execute("DELETE FROM ties WHERE ? IN (source_id, target_id)", (actor_id,)).rowcount
            cur.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
        self._drop_readers()
        self._checkpoint()
        discard_projection_cache(self.url)  # the cached projection named them
        return ErasureReport(actor_id=actor_id, ties=ties, introductions=intros)

    def _checkpoint(self) -> None:
        """Copy the WAL into the main file and empty it, so erased bytes leave the log."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _no_source_ids(self) -> bool:
        """True for a read-only file made before the mapping existed (it was not brought up to date)."""
        return self.read_only and not self._read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'source_ids'")

    def map_source_ids(self, keys: Iterable[str]) -> dict[str, str]:
        """The ids given to imported records, by the keyed values of their source ids (those held)."""
        if self._no_source_ids():
            return {}
        found: dict[str, str] = {}
        for part in chunks(list(dict.fromkeys(keys)), 900):
            marks = ",".join("?" * len(part))
            found.update(self._read(f"SELECT key, id FROM source_ids WHERE key IN ({marks})", list(part)))
        return found

    def list_source_ids(self) -> dict[str, str]:
        """The whole mapping from keyed source ids to the ids given (for backups and copies)."""
        if self._no_source_ids():
            return {}
        return dict(self._read("SELECT key, id FROM source_ids ORDER BY key"))

    # ------------------------------------------- ties and introductions

    def _require_actors(self, cur: sqlite3.Cursor, ids: Iterable[str]) -> None:
        for actor_id in dict.fromkeys(ids):
            if cur.execute("SELECT 1 FROM actors WHERE id = ?", (actor_id,)).fetchone() is None:
                raise NotFound(f"no person or organisation with id {actor_id!r}")

    def add_tie(self, tie: Tie) -> None:
        """Add a tie, or refresh its details if it is already there."""
        tie = common.require(tie, Tie)
        body = _dump(tie)
        with contextlib.suppress(_NoChange), self._write(AuditAction.ADD_TIE, tie.id) as cur:
            self._require_actors(cur, (tie.source_id, tie.target_id))
            row = cur.execute("SELECT body FROM ties WHERE id = ?", (tie.id,)).fetchone()
            if row is not None and json.loads(row[0]) == json.loads(body):
                raise _NoChange
            cur.execute(
                "INSERT INTO ties (id, source_id, target_id, kind, weight, body) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET weight = excluded.weight, body = excluded.body",
                (tie.id, tie.source_id, tie.target_id, tie.kind.value, tie.weight, body),
            )

    def list_ties(self, actor_id: str | None = None) -> list[Tie]:
        """Ties in id order, all or one actor's."""
        if actor_id is None:
            rows = self._read("SELECT body FROM ties ORDER BY id")
        else:
            rows = self._read(
                "SELECT body FROM ties WHERE source_id = ? OR target_id = ? ORDER BY id", (actor_id, actor_id)
            )
        return [from_store(Tie, row[0], json=True) for row in rows]

    def add_introduction(self, introduction: Introduction) -> None:
        """Log an introduction (idempotent)."""
        intro = common.require(introduction, Introduction)
        body = _dump(intro)
        with contextlib.suppress(_NoChange), self._write(AuditAction.ADD_INTRODUCTION, intro.id) as cur:
            row = cur.execute("SELECT body FROM introductions WHERE id = ?", (intro.id,)).fetchone()
            if row is not None:
                if json.loads(row[0]) != json.loads(body):
                    raise Duplicate(f"another introduction already has the id {intro.id!r}")
                raise _NoChange
            self._require_actors(cur, (intro.introducer_id, intro.subject_id, intro.target_id))
            cur.execute(
                "INSERT INTO introductions (id, date, introducer_id, subject_id, target_id, status, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    intro.id,
                    intro.date.isoformat(),
                    intro.introducer_id,
                    intro.subject_id,
                    intro.target_id,
                    intro.status.value,
                    body,
                ),
            )

    def update_introduction(self, introduction: Introduction) -> None:
        """Replace an introduction's status, outcome and other details."""
        intro = common.require(introduction, Introduction)
        with self._write(AuditAction.UPDATE_INTRODUCTION, intro.id) as cur:
            row = cur.execute("SELECT body FROM introductions WHERE id = ?", (intro.id,)).fetchone()
            if row is None:
                raise NotFound(f"no introduction with id {intro.id!r}")
            before = from_store(Introduction, row[0], json=True)
            common.check_same_people(before, intro)
            cur.execute(
                "UPDATE introductions SET date = ?, status = ?, body = ? WHERE id = ?",
                (intro.date.isoformat(), intro.status.value, _dump(intro), intro.id),
            )
            rows = cur.execute(
                "SELECT day, status, outcome FROM introduction_history WHERE introduction_id = ? ORDER BY seq",
                (intro.id,),
            ).fetchall()
            states = common.next_history(before, intro, [_state(intro.id, *r) for r in rows])
            if states is not None:
                cur.execute("DELETE FROM introduction_history WHERE introduction_id = ?", (intro.id,))
                cur.executemany(
                    "INSERT INTO introduction_history (introduction_id, seq, day, status, outcome) VALUES (?, ?, ?, ?, ?)",
                    [(intro.id, i, c.day.isoformat(), c.status.value, c.outcome) for i, c in enumerate(states)],
                )

    def introduction_history(self) -> dict[str, list[StatusChange]]:
        """Each changed introduction's states, oldest first (see :class:`~connector_graph.store.base.Store`)."""
        rows = self._read(
            "SELECT introduction_id, day, status, outcome FROM introduction_history ORDER BY introduction_id, seq"
        )
        out: dict[str, list[StatusChange]] = {}
        for intro_id, *state in rows:
            out.setdefault(intro_id, []).append(_state(intro_id, *state))
        return out

    def tie_confirmations(self) -> dict[str, list[dt.date]]:
        """Each tie whose last confirmation changed: every date it held, oldest first (kept by a trigger on ``ties``)."""
        out: dict[str, list[dt.date]] = {}
        for tie_id, day in self._read("SELECT tie_id, day FROM tie_confirmations ORDER BY tie_id, day"):
            out.setdefault(tie_id, []).append(dt.date.fromisoformat(day))
        return out

    def remove_introduction(self, introduction_id: str) -> None:
        """Delete one introduction (undo), with its audit entry."""
        with self._write(AuditAction.REMOVE_INTRODUCTION, introduction_id) as cur:
            if cur.execute("DELETE FROM introductions WHERE id = ?", (introduction_id,)).rowcount == 0:
                raise NotFound(f"no introduction with id {introduction_id!r}")

    def get_introduction(self, introduction_id: str) -> Introduction:
        """The introduction with this id."""
        rows = self._read("SELECT body FROM introductions WHERE id = ?", (introduction_id,))
        if not rows:
            raise NotFound(f"no introduction with id {introduction_id!r}")
        return from_store(Introduction, rows[0][0], json=True)

    def list_introductions(self, where: IntroductionFilter | None = None) -> list[Introduction]:
        """Introductions matching ``where``, newest first."""
        where = where or IntroductionFilter()
        clauses: list[str] = []
        params: list[Any] = []
        if where.since:
            clauses.append("date >= ?")
            params.append(where.since.isoformat())
        if where.until:
            clauses.append("date <= ?")
            params.append(where.until.isoformat())
        if where.introducer_id:
            clauses.append("introducer_id = ?")
            params.append(where.introducer_id)
        if where.status:
            clauses.append("status = ?")
            params.append(where.status.value)
        if where.actor_id:
            clauses.append("? IN (introducer_id, subject_id, target_id)")
            params.append(where.actor_id)
        if where.ward:
            clauses.append(
                "(subject_id IN (SELECT id FROM actors WHERE ward = ?) "
                "OR target_id IN (SELECT id FROM actors WHERE ward = ?))"
            )
            params += [where.ward, where.ward]
        sql = "SELECT body FROM introductions"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY date DESC, id LIMIT ?"
        params.append(-1 if where.limit is None else where.limit)
        return [from_store(Introduction, row[0], json=True) for row in self._read(sql, params)]

    # --------------------------------------------------------------- audit

    def _append_audit(self, cur: sqlite3.Cursor, action: AuditAction, target: str | None) -> AuditEntry:
        last = cur.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        entry = new_entry(tuple(last) if last else None, action, target, self.protection.audit_key)
        cur.execute(
            "INSERT INTO audit (seq, at, who, action, target, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry.seq, entry.at.isoformat(), entry.who, entry.action.value, entry.target, entry.prev_hash, entry.hash),
        )
        return entry

    # ----------------------------------------------------- erasure register

    def list_erasures(self) -> list[ErasureRecord]:
        """The erasure register, oldest first."""
        rows = self._read("SELECT id_hash, fingerprint, erased_at FROM erasures ORDER BY erased_at, id_hash")
        return [ErasureRecord(id_hash=i, fingerprint=f, erased_at=at) for i, f, at in rows]

    def add_erasures(self, records: Sequence[ErasureRecord]) -> int:
        """Add register lines (from a backup) that are not there yet; returns how many were added."""
        with contextlib.suppress(_NoChange), self._write(AuditAction.ERASURE_REGISTER, bump=False) as cur:
            before = cur.execute("SELECT count(*) FROM erasures").fetchone()[0]
            cur.executemany(
                "INSERT OR IGNORE INTO erasures (id_hash, fingerprint, erased_at) VALUES (?, ?, ?)",
                [(r.id_hash, r.fingerprint, r.erased_at.isoformat()) for r in records],
            )
            added = cur.execute("SELECT count(*) FROM erasures").fetchone()[0] - before
            if not added:
                raise _NoChange
            return added
        return 0

    def record_audit(self, action: AuditAction, target: str | None = None) -> None:
        """Append an audit entry for something that changed no record (an export, a subject access)."""
        with self._write(AuditAction(action), target, bump=False):
            pass

    def list_audit(self, *, target: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first; all or those about one record; ``limit`` keeps the newest."""
        sql = "SELECT seq, at, who, action, target, prev_hash, hash FROM audit"
        params: list[Any] = []
        if target is not None:
            sql += " WHERE target = ?"
            params.append(target)
        sql += " ORDER BY seq DESC LIMIT ?"
        params.append(-1 if limit is None else limit)
        rows = self._read(sql, params)
        keys = ("seq", "at", "who", "action", "target", "prev_hash", "hash")
        return [AuditEntry.model_validate(dict(zip(keys, row))) for row in reversed(rows)]

    # ------------------------------------------------------ local accounts

    def add_user(self, user: User) -> None:
        """Add a local account."""
        user = common.require(user, User)
        with self._write(AuditAction.ADD_USER, user.username, bump=False) as cur:
            if cur.execute("SELECT 1 FROM users WHERE username = ?", (user.username,)).fetchone():
                raise Duplicate(f"there is already a user called {user.username!r}")
            cur.execute("INSERT INTO users (username, body) VALUES (?, ?)", (user.username, _dump(user)))

    def update_user(self, user: User) -> None:
        """Replace an account's details."""
        user = common.require(user, User)
        with self._write(AuditAction.ROLE_CHANGE, user.username, bump=False) as cur:
            if cur.execute("UPDATE users SET body = ? WHERE username = ?", (_dump(user), user.username)).rowcount == 0:
                raise NotFound(f"no user called {user.username!r}")

    def get_user(self, username: str) -> User:
        """The account with this name."""
        rows = self._read("SELECT body FROM users WHERE username = ?", (username,))
        if not rows:
            raise NotFound(f"no user called {username!r}")
        return User.model_validate_json(rows[0][0])

    def list_users(self) -> list[User]:
        """All accounts in name order."""
        return [User.model_validate_json(r[0]) for r in self._read("SELECT body FROM users ORDER BY username")]

    def remove_user(self, username: str) -> None:
        """Delete an account."""
        with self._write(AuditAction.REMOVE_USER, username, bump=False) as cur:
            if cur.execute("DELETE FROM users WHERE username = ?", (username,)).rowcount == 0:
                raise NotFound(f"no user called {username!r}")

    # --------------------------------------------------------------- wards

    def add_wards(self, wards: Sequence[Ward]) -> None:
        """Add or replace wards by name."""
        rows = [(w.name, _dump(common.require(w, Ward))) for w in wards]
        if not rows:
            return
        with self._write(AuditAction.ADD_WARDS) as cur:
            cur.executemany(
                "INSERT INTO wards (name, body) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body",
                rows,
            )

    def list_wards(self) -> list[Ward]:
        """All wards in name order."""
        return [Ward.model_validate_json(r[0]) for r in self._read("SELECT body FROM wards ORDER BY name")]

    # ---------------------------------------------------- bulk and analysis

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` name actors here."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for part in chunks(wanted, 900):
            marks = ",".join("?" * len(part))
            found.update(r[0] for r in self._read(f"SELECT id FROM actors WHERE id IN ({marks})", list(part)))
        return found

    def bulk_load(self, batch: Batch, progress: Progress | None = None) -> None:
        """Write a whole batch in one transaction: all of it or none of it."""
        check_batch_references(self, batch)
        report = progress or (lambda n: None)
        with self._write(AuditAction.BULK_LOAD) as cur:
            for part in chunks(batch.wards):
                cur.executemany(
                    "INSERT INTO wards (name, body) VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET body = excluded.body",
                    [(w.name, _dump(w)) for w in part],
                )
                report(len(part))
            actors: list[Actor] = [*batch.people, *batch.organisations]
            for part in chunks(actors):
                cur.executemany(
                    "INSERT INTO actors (id, type, name, name_fold, ward, body) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, "
                    "name_fold = excluded.name_fold, ward = excluded.ward, body = excluded.body",
                    [(a.id, a.actor_type, a.name, name_key(a.name), a.ward, _dump(a)) for a in part],
                )
                report(len(part))
            for part in chunks(batch.ties):
                cur.executemany(
                    "INSERT INTO ties (id, source_id, target_id, kind, weight, body) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET weight = excluded.weight, body = excluded.body",
                    [(t.id, t.source_id, t.target_id, t.kind.value, t.weight, _dump(t)) for t in part],
                )
                report(len(part))
            for part in chunks(batch.introductions):
                cur.executemany(
                    "INSERT INTO introductions (id, date, introducer_id, subject_id, target_id, status, body) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET date = excluded.date, "
                    "introducer_id = excluded.introducer_id, subject_id = excluded.subject_id, "
                    "target_id = excluded.target_id, status = excluded.status, body = excluded.body",
                    [
                        (i.id, i.date.isoformat(), i.introducer_id, i.subject_id, i.target_id, i.status.value, _dump(i))
                        for i in part
                    ],
                )
                report(len(part))
            cur.executemany(
                "INSERT INTO source_ids (key, id) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET id = excluded.id",
                list(batch.source_ids.items()),
            )

    def _pages(self, sql_first: str, sql_next: str) -> Iterator[tuple]:
        """Keyset pagination by id so a long stream never holds the lock."""
        rows = self._read(sql_first, (_PAGE,))
        while rows:
            yield from rows
            if len(rows) < _PAGE:
                return
            rows = self._read(sql_next, (rows[-1][0], _PAGE))

    def iter_actors(self) -> Iterator[Actor]:
        """Every actor, in id order."""
        for _id, type_, body in self._pages(
            "SELECT id, type, body FROM actors ORDER BY id LIMIT ?",
            "SELECT id, type, body FROM actors WHERE id > ? ORDER BY id LIMIT ?",
        ):
            yield _load_actor(type_, body)

    def iter_ties(self) -> Iterator[Tie]:
        """Every tie, in id order."""
        for _id, body in self._pages(
            "SELECT id, body FROM ties ORDER BY id LIMIT ?",
            "SELECT id, body FROM ties WHERE id > ? ORDER BY id LIMIT ?",
        ):
            yield from_store(Tie, body, json=True)

    def iter_introductions(self) -> Iterator[Introduction]:
        """Every introduction, in id order."""
        for _id, body in self._pages(
            "SELECT id, body FROM introductions ORDER BY id LIMIT ?",
            "SELECT id, body FROM introductions WHERE id > ? ORDER BY id LIMIT ?",
        ):
            yield from_store(Introduction, body, json=True)

    def read_columns(self) -> GraphColumns:
        """Actors, ties and introductions as columns: one query per table, one snapshot, no models."""
        try:
            with self._reading() as conn:
                conn.execute("BEGIN")
                try:
                    return _columns(conn)
                finally:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot read the database: {exc}") from exc

    def counts(self) -> Counts:
        """How many records of each kind."""
        row = self._read(
            "SELECT (SELECT count(*) FROM actors WHERE type = 'person'), "
            "(SELECT count(*) FROM actors WHERE type = 'organisation'), "
            "(SELECT count(*) FROM ties), (SELECT count(*) FROM introductions), (SELECT count(*) FROM wards)"
        )[0]
        return Counts(people=row[0], organisations=row[1], ties=row[2], introductions=row[3], wards=row[4])

    def graph_version(self) -> int:
        """Grows by one on every write that changed something."""
        return int(self._read("SELECT value FROM meta WHERE key = 'version'")[0][0])

    def __repr__(self) -> str:
        return f"SqliteStore({os.fspath(self.path)!r})"


# One query per table; each selected column lands in the GraphColumns field named beside it.
_COLUMN_QUERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "SELECT id, type, name, ward, json_extract(body, '$.sector'), json_extract(body, '$.kind'), "
        "json_extract(body, '$.roles'), "
        "coalesce(json_extract(body, '$.restricted'), 0) = 0 AND json_extract(body, '$.consent_withdrawn_on') IS NULL "
        "FROM actors ORDER BY id",
        ("actor_id", "actor_type", "name", "ward", "sector", "kind", "roles", "in_analysis"),
    ),
    (
        "SELECT id, source_id, target_id, kind, json_extract(body, '$.since'), json_extract(body, '$.last_confirmed'), "
        "coalesce(json_extract(body, '$.weight'), 1.0) FROM ties ORDER BY id",
        ("tie_id", "tie_source", "tie_target", "tie_kind", "tie_since", "tie_last_confirmed", "tie_weight"),
    ),
    (
        "SELECT id, date, introducer_id, subject_id, target_id, status, json_extract(body, '$.follow_up'), "
        "coalesce(json_extract(body, '$.outcome'), '') != '' FROM introductions ORDER BY id",
        ("intro_id", "intro_date", "intro_introducer", "intro_subject", "intro_target", "intro_status",
         "intro_follow_up", "intro_has_outcome"),
    ),
)
# SQLite gives JSON lists as text and booleans as 0/1.
_CONVERT = {
    "roles": lambda values: [json.loads(r) if r and r != "[]" else [] for r in values],
    "in_analysis": lambda values: [bool(v) for v in values],
    "intro_has_outcome": lambda values: [bool(v) for v in values],
}


def _columns(conn: sqlite3.Connection) -> GraphColumns:
    """Read the graph's columns with ``conn`` (inside a read transaction)."""
    out = GraphColumns(version=int(conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]))
    for sql, names in _COLUMN_QUERIES:
        rows = conn.execute(sql).fetchall()
        for name, values in zip(names, zip(*rows)):
            setattr(out, name, _CONVERT.get(name, list)(values))
    return out


class _NoChange(Exception):
    """Raised inside a write to roll it back because nothing needs changing."""
