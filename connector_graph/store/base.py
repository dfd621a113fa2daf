"""The Store protocol that every backend implements, and ``open_store``.

A store holds people, organisations, ties, introductions and wards. It takes
and returns model objects only; no driver record, row or cursor leaves it, and
driver errors come out as the project's own errors.

Rules every backend follows (and ``tests/store/test_contract.py`` checks):

- ``add_*`` is idempotent: adding a record that is already there unchanged
  does nothing; adding a different record under an existing id raises
  :class:`~connector_graph.errors.Duplicate` and changes nothing.
- ``update_*`` replaces a record and raises ``NotFound`` if it is absent.
- A reference to an actor that does not exist raises ``NotFound``; nothing
  is written.
- Every write that changes something moves :meth:`Store.graph_version` on.
- Every write that changes something appends one audit entry in the same
  transaction (see :mod:`connector_graph.audit`); a write that changes
  nothing appends none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from ..audit import AuditAction, AuditEntry
from ..auth import User
from ..config import Settings
from ..errors import InvalidInput, NotFound
from ..model import (
    StatusChange,
    Actor,
    Counts,
    ErasureRecord,
    ErasureReport,
    Introduction,
    IntroStatus,
    Organisation,
    Person,
    Tie,
    Ward,
)

__all__ = [
    "Store",
    "Batch",
    "IntroductionFilter",
    "Progress",
    "open_store",
    "check_batch_references",
    "missing_references",
    "BATCH_SIZE",
]

#: Rows written per transaction by :meth:`Store.bulk_load`.
BATCH_SIZE = 5000

#: Called with the number of records just written.
Progress = Callable[[int], None]


@dataclass
class Batch:
    """Records to load in bulk (seeding, imports, restores)."""

    wards: list[Ward] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    introductions: list[Introduction] = field(default_factory=list)
    #: keyed values of an import's own ids -> the ids given here (kept apart from the records and the audit log)
    source_ids: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return (
            len(self.wards)
            + len(self.people)
            + len(self.organisations)
            + len(self.ties)
            + len(self.introductions)
        )


@dataclass(frozen=True)
class IntroductionFilter:
    """Which introductions to list.

    ``ward`` matches an introduction when the person introduced or who they
    were introduced to is in that ward. Dates are inclusive.
    """

    since: dt.date | None = None
    until: dt.date | None = None
    introducer_id: str | None = None
    ward: str | None = None
    status: IntroStatus | None = None
    actor_id: str | None = None  # any of introducer, subject or target
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise InvalidInput(f"the date range is empty: {self.since} is after {self.until}")
        if self.limit is not None and self.limit < 0:
            raise InvalidInput("limit must not be negative")


@runtime_checkable
class Store(Protocol):
    """What every storage backend offers."""

    url: str

    # -- lifecycle
    def close(self) -> None:
        """Release the connection; the store is unusable afterwards."""

    # -- actors
    def add_person(self, person: Person) -> None:
        """Add a person (idempotent; ``Duplicate`` if the id holds someone else)."""

    def add_organisation(self, organisation: Organisation) -> None:
        """Add an organisation (idempotent; ``Duplicate`` on a clashing id)."""

    def update_person(self, person: Person) -> None:
        """Replace the person with the same id (``NotFound`` if absent)."""

    def update_organisation(self, organisation: Organisation) -> None:
        """Replace the organisation with the same id (``NotFound`` if absent)."""

    def get_actor(self, actor_id: str) -> Actor:
        """The person or organisation with this id (``NotFound`` if absent)."""

    def list_people(self, *, ward: str | None = None, limit: int | None = None, offset: int = 0) -> list[Person]:
        """People ordered by name then id, optionally in one ward."""

    def list_organisations(
        self, *, ward: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Organisation]:
        """Organisations ordered by name then id, optionally in one ward."""

    def search_actors(self, text: str, *, limit: int = 20) -> list[Actor]:
        """Actors whose name contains ``text`` (case-insensitive), best first."""

    def erase_actor(self, actor_id: str) -> ErasureReport:
        """Remove an actor, their ties and every introduction that names them; add them to the erasure register."""

    # -- erasure register
    def list_erasures(self) -> list[ErasureRecord]:
        """The erasure register (keyed values of erased ids and people's names and wards), oldest first."""

    def add_erasures(self, records: Sequence[ErasureRecord]) -> int:
        """Add register lines not there yet (from a backup); returns how many were added, audited."""

    # -- where imported records came from
    def map_source_ids(self, keys: Iterable[str]) -> dict[str, str]:
        """The ids given to the records whose source ids have these keyed values (those held).

        Written by :meth:`bulk_load` from ``Batch.source_ids``; erasing an
        actor removes its rows (and those of the introductions erased with it)
        and adds the actor's keys to the erasure register.
        """

    def list_source_ids(self) -> dict[str, str]:
        """The whole mapping (keyed source id -> id given), for backups and copies."""

    # -- ties and introductions
    def add_tie(self, tie: Tie) -> None:
        """Add a tie (idempotent; ``NotFound`` if an end is unknown)."""

    def list_ties(self, actor_id: str | None = None) -> list[Tie]:
        """Ties, all or those touching one actor, in id order."""

    def add_introduction(self, introduction: Introduction) -> None:
        """Log an introduction (idempotent; ``NotFound`` if an actor is unknown)."""

    def update_introduction(self, introduction: Introduction) -> None:
        """Replace an introduction, e.g. with its status and outcome (``NotFound`` if absent)."""

    def get_introduction(self, introduction_id: str) -> Introduction:
        """The introduction with this id (``NotFound`` if absent)."""

    def remove_introduction(self, introduction_id: str) -> None:
        """Delete one introduction, audited (``NotFound`` if absent): undoing a mistaken log."""

    def list_introductions(self, where: IntroductionFilter | None = None) -> list[Introduction]:
        """Introductions matching ``where``, newest first, then by id."""

    # -- audit
    def record_audit(self, action: AuditAction, target: str | None = None) -> None:
        """Append an audit entry for an action that changed no record (export, subject access)."""

    def list_audit(self, *, target: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries oldest first, all or about one record; ``limit`` keeps the newest."""

    # -- local accounts
    def add_user(self, user: User) -> None:
        """Add a local account (``Duplicate`` if the name is taken)."""

    def update_user(self, user: User) -> None:
        """Replace an account's role, password hash or active flag (``NotFound`` if absent)."""

    def get_user(self, username: str) -> User:
        """The account with this name (``NotFound`` if absent)."""

    def list_users(self) -> list[User]:
        """All accounts in name order."""

    def remove_user(self, username: str) -> None:
        """Delete an account (``NotFound`` if absent)."""

    # -- wards
    def add_wards(self, wards: Sequence[Ward]) -> None:
        """Add or replace wards by name."""

    def list_wards(self) -> list[Ward]:
        """All wards in name order."""

    # -- bulk and analysis
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` that name actors in the store."""

    def bulk_load(self, batch: Batch, progress: Progress | None = None) -> None:
        """Write many records in batched transactions (seeding, imports)."""

    def iter_actors(self) -> Iterator[Actor]:
        """Stream every actor (for building the analysis graph)."""

    def iter_ties(self) -> Iterator[Tie]:
        """Stream every tie."""

    def iter_introductions(self) -> Iterator[Introduction]:
        """Stream every introduction."""

    def introduction_history(self) -> dict[str, list[StatusChange]]:
        """Each introduction whose status or outcome was ever changed: its states, oldest first.

        The first state is the one logged (dated the introduction's date);
        each later one is dated the day ``update_introduction`` recorded it.
        Introductions never changed are absent (their status held throughout).
        """

    def tie_confirmations(self) -> dict[str, list[dt.date]]:
        """Each tie whose ``last_confirmed`` was ever changed from one date: every date it has held, oldest first.

        Kept whenever a tie is written again (``add_tie`` or ``bulk_load``)
        with another ``last_confirmed`` than the date it had. Other ties are
        absent (their ``last_confirmed``, if any, is their only
        confirmation); erasure removes the dates with the tie.
        """

    def counts(self) -> Counts:
        """How many of each record the store holds."""

    def graph_version(self) -> int:
        """A number that grows on every write, starting from when the store was created (so a store made
        again at the same address never repeats a version); cache analysis by it."""


def check_batch_references(store: Store, batch: Batch) -> None:
    """Raise ``NotFound`` if a tie or introduction in ``batch`` names an unknown actor.

    Actors in the batch itself count as known, so a batch can be loaded into
    an empty store in one go.
    """
    missing = missing_references(store, batch)
    if missing:
        sample = ", ".join(sorted(missing)[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise NotFound(f"unknown actor id(s): {sample}{more}; nothing was loaded")


def missing_references(store: Store, batch: Batch) -> set[str]:
    """Actor ids that ties or introductions in ``batch`` name but neither the batch nor the store holds."""
    in_batch = {p.id for p in batch.people} | {o.id for o in batch.organisations}
    referred: set[str] = set()
    for tie in batch.ties:
        referred.update((tie.source_id, tie.target_id))
    for intro in batch.introductions:
        referred.update((intro.introducer_id, intro.subject_id, intro.target_id))
    outside = referred - in_batch
    return outside - store.existing_ids(outside) if outside else set()


def chunks(items: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
    """Split ``items`` into consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def open_store(url: str | None = None, settings: Settings | None = None, *, create: bool = True) -> Store:
    """Open the store named by ``url`` (default: the settings' store URL).

    ``sqlite:///relative/path.db`` and ``sqlite:////absolute/path.db`` open
    the embedded store, creating the file and its folder unless ``create``
    is false (then a missing file is a one-line error naming the path; a
    file that cannot be written is opened read-only); ``bolt://`` and
    ``neo4j://`` (and their ``+s``/``+ssc`` forms) open Neo4j.

    Examples
    --------
    >>> import tempfile, os
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> store.counts().people
    0
    >>> store.close()
    """
    settings = settings or Settings.from_env()
    url = (url or settings.store_url).strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    from ..protection import Protection

    if scheme == "sqlite":
        from .sqlite_store import SqliteStore

        return SqliteStore(url, Protection.for_store(url, settings=settings), create=create)
    if scheme in ("bolt", "neo4j", "bolt+s", "bolt+ssc", "neo4j+s", "neo4j+ssc"):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(
            url,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
            retry_seconds=settings.neo4j_retry_seconds,
            settings=settings,
        )
    raise InvalidInput(
        f"unknown store URL {url!r}: use sqlite:///path/to/file.db, bolt://host:port or neo4j://host:port"
    )
