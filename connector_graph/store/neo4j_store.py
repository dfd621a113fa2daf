"""The Neo4j store, for production.

The graph in Neo4j:

- ``(:Actor:Person {id, name, ...})`` and ``(:Actor:Organisation {id, ...})``;
- ties as typed relationships between actors (``KNOWS``, ``MEMBER_OF``,
  ``WORKS_AT``, ``VOLUNTEERS_AT``, ``PARTNERS_WITH``, ``ATTENDS``), each with
  the tie's ``id``, ``since``, ``last_confirmed`` and ``source``;
- introductions reified as ``(:Introduction {id, date, status, ...})`` with
  ``-[:MADE_BY]->`` the introducer, ``-[:INTRODUCED]->`` the subject and
  ``-[:TO]->`` the target;
- ``(:Ward {name, ...})`` and one ``(:Meta {id: 'graph', version})`` node.

Every query takes its values as parameters. Relationship types and labels are
never taken from input: they come from the fixed table ``_TIE_TYPES``.

Each write transaction first bumps the version on the ``Meta`` node. That
takes the same lock in every writer, so concurrent writers queue instead of
deadlocking, and the version moves on exactly once per write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import threading
import urllib.parse
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

import neo4j
from neo4j import exceptions as nx_err

from ..audit import AuditAction, AuditEntry, new_entry
from ..auth import User
from ..identity import name_key
from ..config import Settings
from ..protection import Protection
from ..errors import ConnectorGraphError, Duplicate, InvalidInput, NotFound, StoreUnavailable
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
    TieKind,
    Ward,
)
from . import common
from .base import Batch, IntroductionFilter, Progress, check_batch_references, chunks
from .columns import GraphColumns, discard_projection_cache

__all__ = ["Neo4jStore"]

T = TypeVar("T")

# Server notifications: warnings only, and none about labels or types not created yet (an empty
# store has none; a query naming them is still right). The driver logs what is left to the
# "neo4j.notifications" logger, and its retries through a lost connection to "neo4j.pool". A null
# handler on "neo4j" keeps them out of the user's terminal (Python would otherwise print each as a
# last resort; the user gets one line from the store instead), while an app that configures
# logging still sees them.
_NOTIFICATIONS: dict[str, Any] = {
    "notifications_min_severity": neo4j.NotificationMinimumSeverity.WARNING,
    "notifications_disabled_categories": [
        neo4j.NotificationDisabledCategory.UNRECOGNIZED,
        neo4j.NotificationDisabledCategory.HINT,
    ],
}
logging.getLogger("neo4j").addHandler(logging.NullHandler())

_TIE_TYPES: dict[TieKind, str] = {kind: kind.value.upper() for kind in TieKind}
_ANY_TIE = "|".join(_TIE_TYPES.values())
_DATE_FIELDS = ("since", "last_confirmed", "date", "follow_up", "consent_given_on", "consent_withdrawn_on", "retain_until")

_SCHEMA = (
    "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT introduction_id IF NOT EXISTS FOR (i:Introduction) REQUIRE i.id IS UNIQUE",
    "CREATE CONSTRAINT ward_name IF NOT EXISTS FOR (w:Ward) REQUIRE w.name IS UNIQUE",
    "CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (m:Meta) REQUIRE m.id IS UNIQUE",
    "CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (e:AuditEntry) REQUIRE e.seq IS UNIQUE",
    "CREATE INDEX audit_target IF NOT EXISTS FOR (e:AuditEntry) ON (e.target)",
    "CREATE CONSTRAINT user_name IF NOT EXISTS FOR (u:User) REQUIRE u.username IS UNIQUE",
    "CREATE CONSTRAINT erasure_id IF NOT EXISTS FOR (e:Erasure) REQUIRE e.id_hash IS UNIQUE",
    "CREATE CONSTRAINT source_key IF NOT EXISTS FOR (k:SourceId) REQUIRE k.key IS UNIQUE",
    "CREATE INDEX source_id_target IF NOT EXISTS FOR (k:SourceId) ON (k.id)",
    "CREATE INDEX actor_name IF NOT EXISTS FOR (a:Actor) ON (a.name_fold)",
    "CREATE INDEX actor_ward IF NOT EXISTS FOR (a:Actor) ON (a.ward)",
    "CREATE INDEX introduction_date IF NOT EXISTS FOR (i:Introduction) ON (i.date)",
)
#: Records per bulk-load transaction: large enough that commits do not dominate, small enough for a 512 MB heap.
_BULK_ROWS = 20_000
_BUMP = "MERGE (m:Meta {id: 'graph'}) ON CREATE SET m.version = timestamp() * 1000 SET m.version = m.version + 1"
_LOCK = "MERGE (m:Meta {id: 'graph'}) ON CREATE SET m.version = timestamp() * 1000 SET m.version = m.version"


def _props(model: Any) -> dict[str, Any]:
    """A model as Neo4j properties: enums as text, dates as dates, no nulls."""
    data = model.model_dump(mode="json")
    for key in _DATE_FIELDS:
        if data.get(key):
            data[key] = dt.date.fromisoformat(data[key])
    return {k: v for k, v in data.items() if v is not None}


def _plain(props: dict[str, Any], drop: Sequence[str] = ()) -> dict[str, Any]:
    """Neo4j properties back into plain Python values for a model."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if key in drop:
            continue
        out[key] = value.to_native() if hasattr(value, "to_native") else value
    return out


def _actor(props: dict[str, Any], labels: Iterable[str]) -> Actor:
    data = _plain(props, drop=("name_fold",))
    return from_store(Person if "Person" in labels else Organisation, data)


def _actor_props(actor: Actor) -> dict[str, Any]:
    return {**_props(actor), "name_fold": name_key(actor.name)}


def _tie(props: dict[str, Any], source_id: str, target_id: str) -> Tie:
    return from_store(Tie, {**_plain(props, drop=("confirmations",)), "source_id": source_id, "target_id": target_id})


# After ``MERGE`` of a tie as ``x`` with its new properties in ``new``: replace them, keeping in
# ``x.confirmations`` every other ``last_confirmed`` the tie has held (absent when there is none).
_SET_KEEPING_CONFIRMATIONS = (
    "WITH x, new, coalesce(x.confirmations, []) + "
    "CASE WHEN x.last_confirmed IS NULL THEN [] ELSE [x.last_confirmed] END AS held "
    "SET x = new "
    "WITH x, reduce(acc = [], d IN held | CASE WHEN d IN acc OR d = x.last_confirmed THEN acc ELSE acc + d END) AS others "
    "SET x.confirmations = CASE WHEN size(others) = 0 THEN null ELSE others END"
)


def _intro(props: dict[str, Any], by: str, subject: str, to: str) -> Introduction:
    data = _plain(props, drop=("history",))
    return from_store(Introduction, {**data, "introducer_id": by, "subject_id": subject, "target_id": to})


def _history(intro_id: str, stored: Sequence[str] | None) -> list[StatusChange]:
    """An introduction's states from its ``history`` property (one JSON triple per state)."""
    states = [json.loads(item) for item in stored or ()]
    return [StatusChange(intro_id, dt.date.fromisoformat(d), IntroStatus(st), out) for d, st, out in states]


def _intro_props(intro: Introduction) -> dict[str, Any]:
    data = _props(intro)
    for key in ("introducer_id", "subject_id", "target_id"):
        data.pop(key)
    return data


def _tie_props(tie: Tie) -> dict[str, Any]:
    data = _props(tie)
    data.pop("source_id")
    data.pop("target_id")
    return data


_INTRO_MATCH = "MATCH (i)-[:MADE_BY]->(by:Actor), (i)-[:INTRODUCED]->(s:Actor), (i)-[:TO]->(t:Actor) "
_INTRO_RETURN = _INTRO_MATCH + "RETURN properties(i) AS i, by.id AS by, s.id AS s, t.id AS t"


_VERSION = "OPTIONAL MATCH (m:Meta {id: 'graph'}) RETURN m.version"
_NULLABLE = frozenset({"ward", "sector", "kind", "tie_since", "tie_last_confirmed", "intro_follow_up"})
# One query per table, each returning one record of columns. The dates come back as ISO text.
_COLUMN_QUERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "MATCH (a:Actor) WITH a ORDER BY a.id "
        "RETURN collect(a.id) AS actor_id, "
        "collect(CASE WHEN a:Person THEN 'person' ELSE 'organisation' END) AS actor_type, "
        "collect(a.name) AS name, collect([a.ward]) AS ward, collect([a.sector]) AS sector, "
        "collect([a.kind]) AS kind, collect(coalesce(a.roles, [])) AS roles, "
        "collect(NOT coalesce(a.restricted, false) AND a.consent_withdrawn_on IS NULL) AS in_analysis",
        ("actor_id", "actor_type", "name", "ward", "sector", "kind", "roles", "in_analysis"),
    ),
    (
        f"MATCH (a:Actor)-[r:{_ANY_TIE}]->(b:Actor) WITH a, r, b ORDER BY r.id "
        "RETURN collect(r.id) AS tie_id, collect(a.id) AS tie_source, collect(b.id) AS tie_target, "
        "collect(r.kind) AS tie_kind, collect([toString(r.since)]) AS tie_since, "
        "collect([toString(r.last_confirmed)]) AS tie_last_confirmed, "
        "collect(toFloat(coalesce(r.weight, 1.0))) AS tie_weight",
        ("tie_id", "tie_source", "tie_target", "tie_kind", "tie_since", "tie_last_confirmed", "tie_weight"),
    ),
    (
        "MATCH (i:Introduction)-[:MADE_BY]->(by:Actor), (i)-[:INTRODUCED]->(s:Actor), (i)-[:TO]->(t:Actor) "
        "WITH i, by, s, t ORDER BY i.id "
        "RETURN collect(i.id) AS intro_id, collect(toString(i.date)) AS intro_date, "
        "collect(by.id) AS intro_introducer, collect(s.id) AS intro_subject, collect(t.id) AS intro_target, "
        "collect(i.status) AS intro_status, collect([toString(i.follow_up)]) AS intro_follow_up, "
        "collect(coalesce(i.outcome, '') <> '') AS intro_has_outcome",
        ("intro_id", "intro_date", "intro_introducer", "intro_subject", "intro_target", "intro_status",
         "intro_follow_up", "intro_has_outcome"),
    ),
)


class _NoChange(Exception):
    """Ends a write transaction that has nothing to change (rolled back)."""


def _split_url(url: str) -> tuple[str, tuple[str, str] | None]:
    """Take credentials out of a ``bolt://user:password@host:port`` URL."""
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        raise InvalidInput(f"a Neo4j store URL looks like bolt://host:7687, not {url!r}")
    auth = None
    if parts.username is not None:
        auth = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), auth


class Neo4jStore:
    """A store in a Neo4j 5 database."""

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        retry_seconds: float = 30.0,
        settings: Settings | None = None,
    ) -> None:
        address, auth = _split_url(url)
        if auth is None and password is not None:
            auth = (user or "neo4j", password)
        self.url = address  # never keep the password in the URL we show
        self._database = database or None
        self.protection = Protection.for_store(address, database, settings)
        self._in_use = 0  # sessions open now, in any thread; close() waits for them
        self._closed = False
        self._idle = threading.Condition()
        try:
            self._driver = neo4j.GraphDatabase.driver(
                address,
                auth=auth,
                max_transaction_retry_time=retry_seconds,
                connection_acquisition_timeout=retry_seconds,
                **_NOTIFICATIONS,
            )
        except (ValueError, nx_err.ConfigurationError) as exc:
            raise InvalidInput(f"cannot use the Neo4j URL {address!r}: {exc}") from exc
        try:
            with self._errors():
                self._driver.verify_connectivity()
                self._ensure_schema()
        except ConnectorGraphError:
            self._driver.close()
            raise

    # ------------------------------------------------------------ plumbing

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """Translate driver errors into the project's own."""
        try:
            yield
        except (ConnectorGraphError, _NoChange):
            raise
        except nx_err.AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.url} refused the user name or password") from exc
        except (nx_err.ServiceUnavailable, nx_err.SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j is not reachable at {self.url}") from exc
        except nx_err.ConstraintError as exc:
            raise Duplicate(f"that record already exists: {exc.message}") from exc
        except nx_err.Neo4jError as exc:
            raise StoreUnavailable(f"Neo4j refused the request: {exc.message}") from exc
        except nx_err.DriverError as exc:
            raise StoreUnavailable(f"Neo4j driver error: {exc}") from exc

    @contextlib.contextmanager
    def _session(self, **config: Any) -> Iterator[neo4j.Session]:
        """A driver session on the store's database, counted so that :meth:`close` waits for it.

        A background thread (a shared analysis, the pickers' base) may still be
        reading when the store is closed; closing the driver under it would break
        the connection it is using. After close, a new session is refused.
        """
        with self._idle:
            if self._closed:
                raise StoreUnavailable(f"the connection to Neo4j at {self.url} has been closed")
            self._in_use += 1
        # one bookmark manager for every session: a read sees the writes made before it, also when a
        # neo4j:// URL routes reads to another member of a cluster
        config.setdefault("bookmark_manager", self._driver.execute_query_bookmark_manager)
        try:
            with self._driver.session(database=self._database, **config) as session:
                yield session
        finally:
            with self._idle:
                self._in_use -= 1
                self._idle.notify_all()

    def _ensure_schema(self) -> None:
        """Create constraints and indexes once; safe when several processes race."""
        with self._session() as session:
            existing = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
            existing |= {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
            for statement in _SCHEMA:
                name = statement.split()[2]
                if name in existing:
                    continue
                try:
                    session.run(statement).consume()
                except nx_err.ClientError as exc:  # another process created it first
                    if "already exists" not in (exc.message or "") and "Equivalent" not in (exc.message or ""):
                        raise
            # Read first: an opened store (every CLI call) need not queue for the write lock on its Meta node.
            found = session.execute_read(lambda tx: tx.run("MATCH (m:Meta {id: 'graph'}) RETURN m.name_key AS k").single())
            if found is None:
                session.execute_write(lambda tx: tx.run("MERGE (m:Meta {id: 'graph'}) ON CREATE SET m.version = timestamp() * 1000"))
            if found is None or not found["k"]:
                session.execute_write(self._fold_names_again)

    @staticmethod
    def _fold_names_again(tx: neo4j.ManagedTransaction) -> None:
        """Stores made before names were folded by ``identity.name_key``: fold them again, once."""
        if tx.run("MATCH (m:Meta {id: 'graph'}) RETURN m.name_key AS k").single()["k"]:
            return
        rows = [{"id": r["id"], "fold": name_key(r["name"])} for r in tx.run("MATCH (a:Actor) RETURN a.id AS id, a.name AS name")]
        tx.run("UNWIND $rows AS r MATCH (a:Actor {id: r.id}) SET a.name_fold = r.fold", rows=rows).consume()
        tx.run("MATCH (m:Meta {id: 'graph'}) SET m.name_key = 1").consume()

    def _write(
        self,
        work: Callable[[neo4j.ManagedTransaction], T],
        action: AuditAction | None = None,
        target: str | None = None,
        *,
        bump: bool = True,
    ) -> T | None:
        """Run ``work`` in one write transaction that bumps the graph version first and ends with its audit entry."""

        written: list[AuditEntry] = []

        def unit(tx: neo4j.ManagedTransaction) -> T:
            written.clear()  # a retried transaction starts again
            tx.run(_BUMP if bump else _LOCK).consume()
            result = work(tx)
            if action is not None:
                written.append(self._append_audit(tx, action, target))
            return result

        with contextlib.suppress(_NoChange), self._errors():
            with self._session() as session:
                result = session.execute_write(unit)
            if written:
                self.protection.advance(written[0].seq, written[0].hash)
            return result
        return None

    def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        with self._errors(), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            return list(session.execute_read(lambda tx: list(tx.run(query, params))))

    def _stream(self, query: str, **params: Any) -> Iterator[neo4j.Record]:
        with self._errors(), self._session() as session:
            yield from session.run(query, params)

    def close(self, wait: float = 30.0) -> None:
        """Close the driver, once the sessions other threads have open end (at most ``wait`` seconds)."""
        with self._idle:
            if self._closed:
                return
            self._closed = True
            self._idle.wait_for(lambda: self._in_use == 0, timeout=wait)
        self._driver.close()

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- actors

    def _add_actor(self, actor: Actor, label: str) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            found = tx.run("MATCH (a:Actor {id: $id}) RETURN properties(a) AS p, labels(a) AS l", id=actor.id).single()
            if found is not None:
                stored = _actor(found["p"], found["l"])
                common.check_same_actor(actor, stored.actor_type, stored.model_dump(mode="json"))
                raise _NoChange
            tx.run(f"CREATE (a:Actor:{label}) SET a = $props", props=_actor_props(actor)).consume()

        self._write(work, AuditAction.ADD_PERSON if label == "Person" else AuditAction.ADD_ORGANISATION, actor.id)

    def add_person(self, person: Person) -> None:
        """Add a person (idempotent)."""
        self._add_actor(common.require(person, Person), "Person")

    def add_organisation(self, organisation: Organisation) -> None:
        """Add an organisation (idempotent)."""
        self._add_actor(common.require(organisation, Organisation), "Organisation")

    def _update_actor(self, actor: Actor, label: str) -> None:
        def work(tx: neo4j.ManagedTransaction) -> None:
            found = tx.run(
                f"MATCH (a:{label} {{id: $id}}) SET a = $props RETURN a.id", id=actor.id, props=_actor_props(actor)
            ).single()
            if found is None:
                raise NotFound(f"no {actor.actor_type} with id {actor.id!r}")

        self._write(work, AuditAction.UPDATE_PERSON if label == "Person" else AuditAction.UPDATE_ORGANISATION, actor.id)

    def update_person(self, person: Person) -> None:
        """Replace a person's details."""
        self._update_actor(common.require(person, Person), "Person")

    def update_organisation(self, organisation: Organisation) -> None:
        """Replace an organisation's details."""
        self._update_actor(common.require(organisation, Organisation), "Organisation")

    def get_actor(self, actor_id: str) -> Actor:
        """The actor with this id."""
        rows = self._read("MATCH (a:Actor {id: $id}) RETURN properties(a) AS p, labels(a) AS l", id=actor_id)
        if not rows:
            raise NotFound(f"no person or organisation with id {actor_id!r}")
        return _actor(rows[0]["p"], rows[0]["l"])

    def _list_actors(self, label: str, ward: str | None, limit: int | None, offset: int) -> list:
        common.check_page(limit, offset)
        query = f"MATCH (a:{label}) WHERE $ward IS NULL OR a.ward = $ward RETURN properties(a) AS p, labels(a) AS l "
        query += "ORDER BY a.name_fold, a.id SKIP $offset"
        if limit is not None:
            query += " LIMIT $limit"
        rows = self._read(query, ward=ward, offset=offset, limit=limit)
        return [_actor(r["p"], r["l"]) for r in rows]

    def list_people(self, *, ward: str | None = None, limit: int | None = None, offset: int = 0) -> list[Person]:
        """People in name order."""
        return self._list_actors("Person", ward, limit, offset)

    def list_organisations(
        self, *, ward: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Organisation]:
        """Organisations in name order."""
        return self._list_actors("Organisation", ward, limit, offset)

    def search_actors(self, text: str, *, limit: int = 20) -> list[Actor]:
        """Actors whose name contains ``text``; names starting with it first."""
        needle = common.search_needle(text)
        if not needle:
            return []
        rows = self._read(
            "MATCH (a:Actor) WHERE a.name_fold CONTAINS $needle "
            "RETURN properties(a) AS p, labels(a) AS l "
            "ORDER BY CASE WHEN a.name_fold STARTS WITH $needle THEN 0 ELSE 1 END, a.name_fold, a.id LIMIT $limit",
            needle=needle,
            limit=max(0, limit),
        )
        return [_actor(r["p"], r["l"]) for r in rows]

    def erase_actor(self, actor_id: str) -> ErasureReport:
        """Remove an actor, their ties and the introductions that name them."""

        def work(tx: neo4j.ManagedTransaction) -> ErasureReport:
            found = tx.run(
                "MATCH (a:Actor {id: $id}) RETURN a.name AS name, a.ward AS ward, 'Person' IN labels(a) AS person",
                id=actor_id,
            ).single()
            if found is None:
                raise NotFound(f"no person or organisation with id {actor_id!r}")
            record = common.erasure_record(
                self.protection, actor_id, "person" if found["person"] else "organisation", found["name"], found["ward"]
            )
            tx.run(
                "MERGE (e:Erasure {id_hash: $i}) SET e.fingerprint = $f, e.erased_at = $at",
                i=record.id_hash, f=record.fingerprint, at=record.erased_at.isoformat(),
            ).consume()
            # the keys of the actor's source ids join the register (a re-import is held back by them);
            # their mapping nodes and those of the introductions erased with them go
            tx.run(
                "MATCH (k:SourceId {id: $id}) MERGE (e:Erasure {id_hash: k.key}) "
                "ON CREATE SET e.erased_at = $at",
                id=actor_id, at=record.erased_at.isoformat(),
            ).consume()
            tx.run(
                "OPTIONAL MATCH (i:Introduction)-[:MADE_BY|INTRODUCED|TO]->(:Actor {id: $id}) "
                "WITH [$id] + collect(DISTINCT i.id) AS ids "
                "MATCH (k:SourceId) WHERE k.id IN ids DETACH DELETE k",
                id=actor_id,
            ).consume()
            intros = tx.run(
                "MATCH (i:Introduction)-[:MADE_BY|INTRODUCED|TO]->(:Actor {id: $id}) "
                "WITH DISTINCT i DETACH DELETE i RETURN count(i) AS n",
                id=actor_id,
            ).single()["n"]
            ties = tx.run(
                f"MATCH (a:Actor {{id: $id}}) OPTIONAL MATCH (a)-[t:{_ANY_TIE}]-(:Actor) "
                "WITH a, count(DISTINCT t) AS n DETACH DELETE a RETURN n",
                id=actor_id,
            ).single()["n"]
            return ErasureReport(actor_id=actor_id, ties=ties, introductions=intros)

        report = self._write(work, AuditAction.ERASE, actor_id)
        assert report is not None
        discard_projection_cache(self.url, self._database)  # the cached projection named them
        return report

    # ------------------------------------------- ties and introductions

    @staticmethod
    def _require_actors(tx: neo4j.ManagedTransaction, ids: Sequence[str]) -> None:
        wanted = list(dict.fromkeys(ids))
        found = {r["id"] for r in tx.run("UNWIND $ids AS id MATCH (a:Actor {id: id}) RETURN a.id AS id", ids=wanted)}
        for actor_id in wanted:
            if actor_id not in found:
                raise NotFound(f"no person or organisation with id {actor_id!r}")

    def add_tie(self, tie: Tie) -> None:
        """Add a tie, or refresh its details if it is already there."""
        tie = common.require(tie, Tie)
        rel = _TIE_TYPES[tie.kind]
        props = _tie_props(tie)

        def work(tx: neo4j.ManagedTransaction) -> None:
            self._require_actors(tx, (tie.source_id, tie.target_id))
            found = tx.run(
                f"MATCH (:Actor {{id: $s}})-[r:{rel} {{id: $id}}]->(:Actor {{id: $t}}) RETURN properties(r) AS p",
                s=tie.source_id,
                t=tie.target_id,
                id=tie.id,
            ).single()
            if found is not None and _tie(found["p"], tie.source_id, tie.target_id) == tie:
                raise _NoChange
            tx.run(
                f"MATCH (a:Actor {{id: $s}}), (b:Actor {{id: $t}}) MERGE (a)-[x:{rel} {{id: $id}}]->(b) "
                f"WITH x, $props AS new {_SET_KEEPING_CONFIRMATIONS}",
                s=tie.source_id,
                t=tie.target_id,
                id=tie.id,
                props=props,
            ).consume()

        self._write(work, AuditAction.ADD_TIE, tie.id)

    def list_ties(self, actor_id: str | None = None) -> list[Tie]:
        """Ties in id order, all or one actor's."""
        rows = self._read(
            f"MATCH (a:Actor)-[r:{_ANY_TIE}]->(b:Actor) WHERE $id IS NULL OR $id IN [a.id, b.id] "
            "RETURN properties(r) AS p, a.id AS s, b.id AS t ORDER BY r.id",
            id=actor_id,
        )
        return [_tie(r["p"], r["s"], r["t"]) for r in rows]

    def add_introduction(self, introduction: Introduction) -> None:
        """Log an introduction (idempotent)."""
        intro = common.require(introduction, Introduction)

        def work(tx: neo4j.ManagedTransaction) -> None:
            found = tx.run("MATCH (i:Introduction {id: $id}) " + _INTRO_RETURN, id=intro.id).single()
            if found is not None:
                if _intro(found["i"], found["by"], found["s"], found["t"]) != intro:
                    raise Duplicate(f"another introduction already has the id {intro.id!r}")
                raise _NoChange
            self._require_actors(tx, (intro.introducer_id, intro.subject_id, intro.target_id))
            tx.run(
                "MATCH (by:Actor {id: $by}), (s:Actor {id: $s}), (t:Actor {id: $t}) "
                "CREATE (i:Introduction) SET i = $props "
                "CREATE (i)-[:MADE_BY]->(by), (i)-[:INTRODUCED]->(s), (i)-[:TO]->(t)",
                by=intro.introducer_id,
                s=intro.subject_id,
                t=intro.target_id,
                props=_intro_props(intro),
            ).consume()

        self._write(work, AuditAction.ADD_INTRODUCTION, intro.id)

    def update_introduction(self, introduction: Introduction) -> None:
        """Replace an introduction's status, outcome and other details."""
        intro = common.require(introduction, Introduction)

        def work(tx: neo4j.ManagedTransaction) -> None:
            found = tx.run("MATCH (i:Introduction {id: $id}) " + _INTRO_RETURN, id=intro.id).single()
            if found is None:
                raise NotFound(f"no introduction with id {intro.id!r}")
            before = _intro(found["i"], found["by"], found["s"], found["t"])
            common.check_same_people(before, intro)
            props = _intro_props(intro)
            stored = found["i"].get("history")
            states = common.next_history(before, intro, _history(intro.id, stored))
            if states is not None:
                stored = [json.dumps([c.day.isoformat(), c.status.value, c.outcome]) for c in states]
            if stored:
                props["history"] = list(stored)
            tx.run("MATCH (i:Introduction {id: $id}) SET i = $props", id=intro.id, props=props).consume()

        self._write(work, AuditAction.UPDATE_INTRODUCTION, intro.id)

    def remove_introduction(self, introduction_id: str) -> None:
        """Delete one introduction (undo), with its audit entry."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            found = tx.run("MATCH (i:Introduction {id: $id}) DETACH DELETE i RETURN count(*) AS n", id=introduction_id)
            if found.single()["n"] == 0:
                raise NotFound(f"no introduction with id {introduction_id!r}")

        self._write(work, AuditAction.REMOVE_INTRODUCTION, introduction_id)

    def get_introduction(self, introduction_id: str) -> Introduction:
        """The introduction with this id."""
        rows = self._read("MATCH (i:Introduction {id: $id}) " + _INTRO_RETURN, id=introduction_id)
        if not rows:
            raise NotFound(f"no introduction with id {introduction_id!r}")
        r = rows[0]
        return _intro(r["i"], r["by"], r["s"], r["t"])

    def list_introductions(self, where: IntroductionFilter | None = None) -> list[Introduction]:
        """Introductions matching ``where``, newest first."""
        where = where or IntroductionFilter()
        query = (
            "MATCH (i:Introduction) "
            + _INTRO_MATCH
            + "WHERE ($since IS NULL OR i.date >= $since) AND ($until IS NULL OR i.date <= $until) "
            "AND ($status IS NULL OR i.status = $status) AND ($by IS NULL OR by.id = $by) "
            "AND ($ward IS NULL OR s.ward = $ward OR t.ward = $ward) "
            "AND ($actor IS NULL OR $actor IN [by.id, s.id, t.id]) "
            "RETURN properties(i) AS i, by.id AS by, s.id AS s, t.id AS t ORDER BY i.date DESC, i.id"
        )
        if where.limit is not None:
            query += " LIMIT $limit"
        rows = self._read(
            query,
            since=where.since,
            until=where.until,
            status=where.status.value if where.status else None,
            by=where.introducer_id,
            ward=where.ward,
            actor=where.actor_id,
            limit=where.limit,
        )
        return [_intro(r["i"], r["by"], r["s"], r["t"]) for r in rows]

    # --------------------------------------------------------------- audit

    def _append_audit(self, tx: neo4j.ManagedTransaction, action: AuditAction, target: str | None) -> AuditEntry:
        head = tx.run("MATCH (m:Meta {id: 'graph'}) RETURN m.audit_seq AS seq, m.audit_head AS hash").single()
        prev = (head["seq"], head["hash"]) if head and head["seq"] else None
        entry = new_entry(prev, action, target, self.protection.audit_key)
        props = entry.model_dump(mode="json")
        tx.run(
            "MATCH (m:Meta {id: 'graph'}) SET m.audit_seq = $seq, m.audit_head = $hash "
            "CREATE (e:AuditEntry) SET e = $props",
            seq=entry.seq,
            hash=entry.hash,
            props={k: v for k, v in props.items() if v is not None},
        ).consume()
        return entry

    # ----------------------------------------------------- erasure register

    def list_erasures(self) -> list[ErasureRecord]:
        """The erasure register, oldest first."""
        rows = self._read(
            "MATCH (e:Erasure) RETURN e.id_hash AS i, e.fingerprint AS f, e.erased_at AS at ORDER BY at, i"
        )
        return [ErasureRecord(id_hash=r["i"], fingerprint=r["f"], erased_at=r["at"]) for r in rows]

    def add_erasures(self, records: Sequence[ErasureRecord]) -> int:
        """Add register lines (from a backup) that are not there yet; returns how many were added."""
        rows = [{"i": r.id_hash, "f": r.fingerprint, "at": r.erased_at.isoformat()} for r in records]

        def work(tx: neo4j.ManagedTransaction) -> int:
            added = tx.run(
                "UNWIND $rows AS r OPTIONAL MATCH (old:Erasure {id_hash: r.i}) WITH r, old WHERE old IS NULL "
                "CREATE (e:Erasure {id_hash: r.i, erased_at: r.at}) SET e.fingerprint = r.f RETURN count(e) AS n",
                rows=rows,
            ).single()["n"]
            if not added:
                raise _NoChange
            return added

        return self._write(work, AuditAction.ERASURE_REGISTER, bump=False) or 0

    def record_audit(self, action: AuditAction, target: str | None = None) -> None:
        """Append an audit entry for something that changed no record (an export, a subject access)."""
        self._write(lambda tx: None, AuditAction(action), target, bump=False)

    def list_audit(self, *, target: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first; all or those about one record; ``limit`` keeps the newest."""
        query = "MATCH (e:AuditEntry) WHERE $target IS NULL OR e.target = $target RETURN properties(e) AS e ORDER BY e.seq DESC"
        if limit is not None:
            query += " LIMIT $limit"
        rows = self._read(query, target=target, limit=limit)
        return [AuditEntry.model_validate(r["e"]) for r in reversed(rows)]

    # ------------------------------------------------------ local accounts

    def add_user(self, user: User) -> None:
        """Add a local account."""
        user = common.require(user, User)

        def work(tx: neo4j.ManagedTransaction) -> None:
            if tx.run("MATCH (u:User {username: $name}) RETURN u.username", name=user.username).single():
                raise Duplicate(f"there is already a user called {user.username!r}")
            tx.run("CREATE (u:User) SET u = $props", props=_props(user)).consume()

        self._write(work, AuditAction.ADD_USER, user.username, bump=False)

    def update_user(self, user: User) -> None:
        """Replace an account's details."""
        user = common.require(user, User)

        def work(tx: neo4j.ManagedTransaction) -> None:
            found = tx.run(
                "MATCH (u:User {username: $name}) SET u = $props RETURN u.username", name=user.username, props=_props(user)
            ).single()
            if found is None:
                raise NotFound(f"no user called {user.username!r}")

        self._write(work, AuditAction.ROLE_CHANGE, user.username, bump=False)

    def get_user(self, username: str) -> User:
        """The account with this name."""
        rows = self._read("MATCH (u:User {username: $name}) RETURN properties(u) AS u", name=username)
        if not rows:
            raise NotFound(f"no user called {username!r}")
        return User.model_validate(rows[0]["u"])

    def list_users(self) -> list[User]:
        """All accounts in name order."""
        return [User.model_validate(r["u"]) for r in self._read("MATCH (u:User) RETURN properties(u) AS u ORDER BY u.username")]

    def remove_user(self, username: str) -> None:
        """Delete an account."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            if tx.run("MATCH (u:User {username: $name}) DELETE u RETURN count(*) AS n", name=username).single()["n"] == 0:
                raise NotFound(f"no user called {username!r}")

        self._write(work, AuditAction.REMOVE_USER, username, bump=False)

    # --------------------------------------------------------------- wards

    def add_wards(self, wards: Sequence[Ward]) -> None:
        """Add or replace wards by name."""
        rows = [_props(common.require(w, Ward)) for w in wards]
        if rows:
            self._write(
                lambda tx: tx.run("UNWIND $rows AS r MERGE (w:Ward {name: r.name}) SET w = r", rows=rows).consume(),
                AuditAction.ADD_WARDS,
            )

    def list_wards(self) -> list[Ward]:
        """All wards in name order."""
        rows = self._read("MATCH (w:Ward) RETURN properties(w) AS p ORDER BY w.name")
        return [Ward.model_validate(r["p"]) for r in rows]

    # ---------------------------------------------------- bulk and analysis

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` name actors here."""
        found: set[str] = set()
        for part in chunks(list(dict.fromkeys(ids)), 10_000):
            rows = self._read("UNWIND $ids AS id MATCH (a:Actor {id: id}) RETURN a.id AS id", ids=list(part))
            found.update(r["id"] for r in rows)
        return found

    def map_source_ids(self, keys: Iterable[str]) -> dict[str, str]:
        """The ids given to imported records, by the keyed values of their source ids (those held)."""
        found: dict[str, str] = {}
        for part in chunks(list(dict.fromkeys(keys)), 10_000):
            rows = self._read("UNWIND $keys AS k MATCH (s:SourceId {key: k}) RETURN s.key AS k, s.id AS id", keys=list(part))
            found.update((r["k"], r["id"]) for r in rows)
        return found

    def list_source_ids(self) -> dict[str, str]:
        """The whole mapping from keyed source ids to the ids given (for backups and copies)."""
        return {r["k"]: r["id"] for r in self._read("MATCH (s:SourceId) RETURN s.key AS k, s.id AS id ORDER BY k")}

    def bulk_load(self, batch: Batch, progress: Progress | None = None) -> None:
        """Write a batch with parameterised UNWIND queries, up to 20,000 records per transaction.

        Every MATCH and MERGE goes through a unique constraint's index; each
        transaction is one round trip of rows, so the rate is set by the server,
        not by the number of records.
        """
        check_batch_references(self, batch)
        report = progress or (lambda n: None)

        def run(query: str, rows: list[dict[str, Any]]) -> None:
            self._write(lambda tx: tx.run(query, rows=rows).consume(), AuditAction.BULK_LOAD)
            report(len(rows))

        for part in chunks(batch.wards, _BULK_ROWS):
            run("UNWIND $rows AS r MERGE (w:Ward {name: r.name}) SET w = r", [_props(w) for w in part])
        for label, actors in (("Person", batch.people), ("Organisation", batch.organisations)):
            for part in chunks(actors, _BULK_ROWS):
                run(
                    f"UNWIND $rows AS r MERGE (a:Actor {{id: r.id}}) SET a = r, a:{label}",
                    [_actor_props(a) for a in part],
                )
        for kind, rel in _TIE_TYPES.items():
            ties = [t for t in batch.ties if t.kind is kind]
            for part in chunks(ties, _BULK_ROWS):
                run(
                    f"UNWIND $rows AS r MATCH (a:Actor {{id: r.s}}), (b:Actor {{id: r.t}}) "
                    f"MERGE (a)-[x:{rel} {{id: r.props.id}}]->(b) WITH x, r.props AS new {_SET_KEEPING_CONFIRMATIONS}",
                    [{"s": t.source_id, "t": t.target_id, "props": _tie_props(t)} for t in part],
                )
        for part in chunks(batch.introductions, _BULK_ROWS):
            run(
                "UNWIND $rows AS r MATCH (by:Actor {id: r.by}), (s:Actor {id: r.s}), (t:Actor {id: r.t}) "
                "MERGE (i:Introduction {id: r.props.id}) SET i = r.props "
                "WITH i, by, s, t OPTIONAL MATCH (i)-[old:MADE_BY|INTRODUCED|TO]->() DELETE old "
                "WITH DISTINCT i, by, s, t "
                "CREATE (i)-[:MADE_BY]->(by), (i)-[:INTRODUCED]->(s), (i)-[:TO]->(t)",
                [
                    {"by": i.introducer_id, "s": i.subject_id, "t": i.target_id, "props": _intro_props(i)}
                    for i in part
                ],
            )
        rows = [{"key": k, "id": i} for k, i in batch.source_ids.items()]
        for part in chunks(rows, _BULK_ROWS):
            self._write(
                lambda tx, part=part: tx.run("UNWIND $rows AS r MERGE (k:SourceId {key: r.key}) SET k.id = r.id", rows=part).consume(),
                bump=False,
            )

    def iter_actors(self) -> Iterator[Actor]:
        """Every actor, in id order."""
        for r in self._stream("MATCH (a:Actor) RETURN properties(a) AS p, labels(a) AS l ORDER BY a.id"):
            yield _actor(r["p"], r["l"])

    def iter_ties(self) -> Iterator[Tie]:
        """Every tie, in id order."""
        for r in self._stream(
            f"MATCH (a:Actor)-[r:{_ANY_TIE}]->(b:Actor) RETURN properties(r) AS p, a.id AS s, b.id AS t ORDER BY r.id"
        ):
            yield _tie(r["p"], r["s"], r["t"])

    def iter_introductions(self) -> Iterator[Introduction]:
        """Every introduction, in id order."""
        for r in self._stream("MATCH (i:Introduction) " + _INTRO_RETURN + " ORDER BY i.id"):
            yield _intro(r["i"], r["by"], r["s"], r["t"])

    def introduction_history(self) -> dict[str, list[StatusChange]]:
        """Each changed introduction's states, oldest first (see :class:`~connector_graph.store.base.Store`)."""
        rows = self._read("MATCH (i:Introduction) WHERE i.history IS NOT NULL RETURN i.id AS id, i.history AS h ORDER BY i.id")
        return {r["id"]: _history(r["id"], r["h"]) for r in rows}

    def tie_confirmations(self) -> dict[str, list[dt.date]]:
        """Each tie whose last confirmation changed: every date it held, oldest first (its ``confirmations`` and now)."""
        rows = self._read(
            f"MATCH ()-[r:{_ANY_TIE}]->() WHERE r.confirmations IS NOT NULL "
            "RETURN r.id AS id, r.confirmations AS held, r.last_confirmed AS now ORDER BY r.id"
        )
        out: dict[str, list[dt.date]] = {}
        for r in rows:
            days = {d.to_native() if hasattr(d, "to_native") else d for d in [*r["held"], r["now"]] if d is not None}
            out[r["id"]] = sorted(days)
        return out

    def read_columns(self) -> GraphColumns:
        """Actors, ties and introductions as columns: one query per table, one read transaction, no models.

        Each query returns one record of lists (built by ``collect`` in the
        server), so the driver decodes a few large values instead of a
        record per row.
        """

        def work(tx: neo4j.ManagedTransaction) -> GraphColumns:
            out = GraphColumns(version=int(tx.run(_VERSION).single(strict=True)[0] or 0))
            for query, names in _COLUMN_QUERIES:
                record = tx.run(query).single(strict=True)
                for name in names:
                    column = record[name]
                    # a nullable value travels wrapped in a one-item list (collect() drops bare nulls)
                    setattr(out, name, [v[0] for v in column] if name in _NULLABLE else column)
            return out

        with self._errors(), self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            return session.execute_read(work)

    def counts(self) -> Counts:
        """How many records of each kind."""
        r = self._read(
            "CALL () { MATCH (p:Person) RETURN count(p) AS people } "
            "CALL () { MATCH (o:Organisation) RETURN count(o) AS organisations } "
            f"CALL () {{ MATCH (:Actor)-[t:{_ANY_TIE}]->(:Actor) RETURN count(t) AS ties }} "
            "CALL () { MATCH (i:Introduction) RETURN count(i) AS introductions } "
            "CALL () { MATCH (w:Ward) RETURN count(w) AS wards } "
            "RETURN people, organisations, ties, introductions, wards"
        )[0]
        return Counts(**dict(r))

    def graph_version(self) -> int:
        """Grows by one on every write that changed something."""
        rows = self._read("MATCH (m:Meta {id: 'graph'}) RETURN m.version AS v")
        return int(rows[0]["v"]) if rows else 0

    def __repr__(self) -> str:
        return f"Neo4jStore({self.url!r})"
