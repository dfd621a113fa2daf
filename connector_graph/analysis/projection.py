"""The analysis projection: the store's graph as numpy arrays, cached on disk by graph version.

This is the one road from a store to the analysis. :func:`load_projection`
reads the store with one query per table (``Store.read_columns``) into a
:class:`Projection`, a plain structure of numpy arrays that any engine can
take, and keeps it in a cache file next to the store (SQLite) or in the
app's cache folder (Neo4j; see
:func:`~connector_graph.store.columns.projection_cache_file`). A new process
with an unchanged store loads the file instead of reading the store.

The file carries the graph version it was made at. Every write moves the
version on, an erasure too, so a projection is never served after the data
changed; a store also deletes the file when it erases someone, and a stale
file is deleted when it is found. ``use_cache=False`` (``analyse
--no-cache``) reads the store again and rewrites the file. The finished report is kept
the same way (:mod:`connector_graph.analysis.report_cache`).

Layout of a :class:`Projection` (``n`` actors in id order, ``m`` ties, ``k``
introductions; ends are positions in ``ids``)::

    ids, names, wards, sectors, kinds      str arrays (n)    "" where empty
    is_org, in_analysis                    bool arrays (n)
    roles                                  str array (n)     roles joined by ","
    tie_ids, tie_kinds                     str arrays (m)
    tie_u, tie_v                           int32 arrays (m)
    tie_since, tie_last_confirmed          datetime64[D] (m) NaT where unknown
    tie_weight                             float64 (m)       stored weight, 1.0 by default
    intro_ids, intro_status                str arrays (k)
    intro_by, intro_subject, intro_target  int32 arrays (k)
    intro_date, intro_follow_up            datetime64[D] (k)
    intro_has_outcome                      bool (k)

What the analysis graph is made of (which actors, which ties, which
introductions count) is decided by :func:`select` alone, with the as-of
rule in :func:`as_of_masks`: the one place to change when that rule
changes. :func:`to_networkx` and :func:`to_igraph` build graphs from a
selection; the networkx graph is only made for the measures that need it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
import tempfile
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Collection, Mapping, NamedTuple, Sequence

import numpy as np

from ..store.columns import GraphColumns, projection_cache_file

__all__ = [
    "Projection",
    "Selection",
    "FORMAT",
    "from_columns",
    "load_projection",
    "as_of_masks",
    "select",
    "to_networkx",
    "to_igraph",
    "TieRecord",
    "IntroductionRecord",
    "tie_records",
    "introduction_records",
]

log = logging.getLogger(__name__)

#: The cache file's layout; a file of another format is ignored and replaced.
FORMAT = 1

_HAPPENED = ("made", "followed_up")


@dataclass(frozen=True)
class Projection:
    """The whole stored graph as arrays (see the module notes for each field)."""

    url: str
    version: int
    ids: np.ndarray
    names: np.ndarray
    wards: np.ndarray
    sectors: np.ndarray
    kinds: np.ndarray
    roles: np.ndarray
    is_org: np.ndarray
    in_analysis: np.ndarray
    tie_ids: np.ndarray
    tie_kinds: np.ndarray
    tie_u: np.ndarray
    tie_v: np.ndarray
    tie_since: np.ndarray
    tie_last_confirmed: np.ndarray
    tie_weight: np.ndarray
    intro_ids: np.ndarray
    intro_status: np.ndarray
    intro_by: np.ndarray
    intro_subject: np.ndarray
    intro_target: np.ndarray
    intro_date: np.ndarray
    intro_follow_up: np.ndarray
    intro_has_outcome: np.ndarray

    @property
    def n(self) -> int:
        """How many actors the store holds."""
        return len(self.ids)


def _text(values: list[Any]) -> np.ndarray:
    """A fixed-width str array ("" for None), saved and loaded without pickle."""
    return np.array(["" if v is None else v for v in values], dtype=str) if values else np.zeros(0, dtype="<U1")


def _dates(values: list[str | None]) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]") if values else np.zeros(0, dtype="datetime64[D]")


def _positions(ids: np.ndarray, ends: list[str]) -> np.ndarray:
    """Positions in the sorted ``ids`` of each end (every end names a stored actor: the stores check it)."""
    if not ends:
        return np.zeros(0, dtype=np.int32)
    wanted = np.array(ends, dtype=str)
    at = np.searchsorted(ids, wanted)
    if not len(ids) or at.max() >= len(ids) or not np.array_equal(ids[at], wanted):
        raise ValueError("a tie or introduction names an actor the store does not hold")
    return at.astype(np.int32)


def from_columns(url: str, columns: GraphColumns) -> Projection:
    """Arrays from a store's columns (actors put in id order).

    Examples
    --------
    >>> c = GraphColumns(version=3, actor_id=["b", "a"], actor_type=["person", "organisation"], name=["B", "A"],
    ...                  ward=[None, "W"], sector=[None, "faith"], kind=[None, "faith_group"],
    ...                  roles=[["connector"], []], in_analysis=[True, True],
    ...                  tie_id=["t"], tie_source=["a"], tie_target=["b"], tie_kind=["knows"],
    ...                  tie_since=["2025-01-02"], tie_last_confirmed=[None], tie_weight=[1.0])
    >>> p = from_columns("sqlite:///x.db", c)
    >>> p.ids.tolist(), p.is_org.tolist(), p.tie_u.tolist(), p.tie_v.tolist(), str(p.tie_since[0])
    (['a', 'b'], [True, False], [0], [1], '2025-01-02')
    """
    columns.lengths()
    order = sorted(range(len(columns.actor_id)), key=columns.actor_id.__getitem__)

    def by_id(values: list[Any]) -> list[Any]:
        return [values[i] for i in order]

    ids = _text(by_id(columns.actor_id))
    return Projection(
        url=url,
        version=int(columns.version),
        ids=ids,
        names=_text(by_id(columns.name)),
        wards=_text(by_id(columns.ward)),
        sectors=_text(by_id(columns.sector)),
        kinds=_text(by_id(columns.kind)),
        roles=_text([",".join(r) for r in by_id(columns.roles)]),
        is_org=np.array([t == "organisation" for t in by_id(columns.actor_type)], dtype=bool),
        in_analysis=np.array(by_id(columns.in_analysis), dtype=bool),
        tie_ids=_text(columns.tie_id),
        tie_kinds=_text(columns.tie_kind),
        tie_u=_positions(ids, columns.tie_source),
        tie_v=_positions(ids, columns.tie_target),
        tie_since=_dates(columns.tie_since),
        tie_last_confirmed=_dates(columns.tie_last_confirmed),
        tie_weight=np.array(columns.tie_weight, dtype=float),
        intro_ids=_text(columns.intro_id),
        intro_status=_text(columns.intro_status),
        intro_by=_positions(ids, columns.intro_introducer),
        intro_subject=_positions(ids, columns.intro_subject),
        intro_target=_positions(ids, columns.intro_target),
        intro_date=_dates(columns.intro_date),
        intro_follow_up=_dates(columns.intro_follow_up),
        intro_has_outcome=np.array(columns.intro_has_outcome, dtype=bool),
    )


# ------------------------------------------------------------------ the cache file

_ARRAYS = tuple(f.name for f in fields(Projection) if f.name not in ("url", "version"))


def _save(path: Path, projection: Projection) -> None:
    """Write the cache file atomically (a reader sees the old file or the new one, never half of one)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, format=np.array(FORMAT), url=np.array(projection.url),
                         version=np.array(projection.version, dtype=np.int64),
                         **{name: getattr(projection, name) for name in _ARRAYS})
            os.chmod(temporary, 0o600)  # it holds names: readable by the store's owner only
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:  # a read-only folder: analyse anyway, without the cache
        log.info("cannot write the projection cache %s: %s", path, exc)


def _load(path: Path, url: str, version: int) -> Projection | None:
    """The cached projection of ``url`` at ``version``, or None (a stale or unreadable file is deleted)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != FORMAT or str(data["url"]) != url or int(data["version"]) != version:
                raise ValueError("stale")
            return Projection(url=url, version=version, **{name: data[name] for name in _ARRAYS})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)  # stale (perhaps from before an erasure) or damaged: never kept
        return None


def load_projection(store: Any, *, use_cache: bool = True) -> Projection:
    """The store's graph as a :class:`Projection`, from the cache file when it is current.

    With ``use_cache=False`` the store is read again and the file rewritten.
    A store without ``read_columns`` (another backend) is read through its
    ``iter_*`` streams instead.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from connector_graph.store import open_store
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with open_store(f"sqlite:///{folder}/net.db") as net:
    ...     first = load_projection(net)
    ...     again = load_projection(net)
    >>> first.n, again.version == first.version, (folder / "net.db.cache" / "projection.npz").exists()
    (0, True, True)
    """
    path = projection_cache_file(store.url, getattr(store, "_database", None))
    if use_cache:
        cached = _load(path, store.url, store.graph_version())
        if cached is not None:
            return cached
    columns = store.read_columns() if hasattr(store, "read_columns") else _columns_from_records(store)
    projection = from_columns(store.url, columns)
    _save(path, projection)
    return projection


def _columns_from_records(store: Any) -> GraphColumns:
    """Columns of a store that only streams model objects (slow; for other backends)."""
    out = GraphColumns(version=store.graph_version())
    for a in store.iter_actors():
        is_org = a.actor_type == "organisation"
        out.actor_id.append(a.id)
        out.actor_type.append(a.actor_type)
        out.name.append(a.name)
        out.ward.append(a.ward)
        out.sector.append(a.sector.value if is_org else None)
        out.kind.append(a.kind.value if is_org else None)
        out.roles.append([] if is_org else [r.value for r in a.roles])
        out.in_analysis.append(True if is_org else a.in_analysis)
    for t in store.iter_ties():
        for name, value in (("tie_id", t.id), ("tie_source", t.source_id), ("tie_target", t.target_id),
                            ("tie_kind", t.kind.value), ("tie_since", _iso(t.since)),
                            ("tie_last_confirmed", _iso(t.last_confirmed)),
                            ("tie_weight", float(getattr(t, "weight", 1.0)))):
            getattr(out, name).append(value)
    for i in store.iter_introductions():
        for name, value in (("intro_id", i.id), ("intro_date", _iso(i.date)), ("intro_introducer", i.introducer_id),
                            ("intro_subject", i.subject_id), ("intro_target", i.target_id),
                            ("intro_status", i.status.value), ("intro_follow_up", _iso(i.follow_up)),
                            ("intro_has_outcome", bool(i.outcome))):
            getattr(out, name).append(value)
    return out


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


# ------------------------------------------------------------------ what the analysis graph holds


def as_of_masks(projection: Projection, as_of: dt.date | None) -> tuple[np.ndarray, np.ndarray]:
    """``(ties, introductions)`` kept when looking at the network as it was on ``as_of``.

    The rules of :mod:`connector_graph.analysis.asof`, on arrays: a tie is
    kept unless it began after ``as_of`` (a tie with no ``since`` date is
    always kept); an introduction is kept when dated on or before ``as_of``,
    or on or before today when no date is given (introductions planned for
    later add nothing).
    """
    day = np.datetime64(as_of or dt.date.today(), "D")
    ties = np.ones(len(projection.tie_u), dtype=bool)
    if as_of is not None:
        ties = np.isnat(projection.tie_since) | (projection.tie_since <= day)
    intros = projection.intro_date <= day
    return ties, intros


def states_as_of(
    projection: Projection, as_of: dt.date | None, history: Mapping[str, Sequence[Any]] | None
) -> tuple[np.ndarray, np.ndarray]:
    """``(status, has_outcome)`` of every introduction as it stood on ``as_of``.

    ``history`` is ``Store.introduction_history()`` (each changed
    introduction's states, oldest first); an introduction with no history
    kept its logged status throughout. Without ``as_of`` or history the
    stored values are returned.
    """
    status, outcome = projection.intro_status, projection.intro_has_outcome
    if as_of is None or not history:
        return status, outcome
    status, outcome = status.copy(), outcome.copy()
    row_of = {intro_id: row for row, intro_id in enumerate(projection.intro_ids.tolist())}
    for intro_id, states in history.items():
        row = row_of.get(intro_id)
        if row is None or not states:
            continue
        known = [s for s in states if s.day <= as_of]
        state = known[-1] if known else states[0]  # changed only after the day: the logged state held
        status[row] = getattr(state.status, "value", state.status)
        outcome[row] = bool(state.outcome)
    return status, outcome


def confirmed_as_of_column(
    projection: Projection, as_of: dt.date | None, confirmations: Mapping[str, Sequence[dt.date]] | None
) -> np.ndarray:
    """Every tie's last confirmation as known on ``as_of`` (NaT where never confirmed).

    A confirmation after the day was not known on it: the latest
    confirmation on or before the day counts, from ``confirmations``
    (``Store.tie_confirmations()``: every date a changed tie has held) and
    ``last_confirmed``; when all came later, the day the tie began (see
    :func:`connector_graph.analysis.asof.confirmed_as_of`).
    """
    confirmed = projection.tie_last_confirmed
    if as_of is None:
        return confirmed
    day = np.datetime64(as_of, "D")
    later = ~np.isnat(confirmed) & (confirmed > day)
    confirmed = np.where(later, projection.tie_since, confirmed)
    if confirmations:
        from .asof import confirmed_as_of

        row_of = {tie_id: row for row, tie_id in enumerate(projection.tie_ids.tolist())}
        for tie_id, days in confirmations.items():
            row = row_of.get(tie_id)
            if row is None:
                continue
            last, since = projection.tie_last_confirmed[row], projection.tie_since[row]
            found = confirmed_as_of(None if np.isnat(last) else last.item(), None if np.isnat(since) else since.item(),
                                    as_of, days)
            confirmed[row] = np.datetime64("NaT", "D") if found is None else np.datetime64(found, "D")
    return confirmed


@dataclass(frozen=True)
class Selection:
    """Which actors, ties and introductions one analysis uses (boolean masks over a :class:`Projection`)."""

    projection: Projection
    actors: np.ndarray
    ties: np.ndarray
    introductions: np.ndarray
    as_of: dt.date | None = None
    status: np.ndarray | None = None  # each introduction's status as of the day (None: as stored)
    has_outcome: np.ndarray | None = None  # whether it had an outcome by then (None: as stored)
    confirmed: np.ndarray | None = None  # each tie's last confirmation as known on the day (None: as stored)

    @property
    def intro_status(self) -> np.ndarray:
        """Every introduction's status as it stood on the selection's day."""
        return self.projection.intro_status if self.status is None else self.status

    @property
    def intro_has_outcome(self) -> np.ndarray:
        """Whether every introduction had an outcome recorded by the selection's day."""
        return self.projection.intro_has_outcome if self.has_outcome is None else self.has_outcome

    @functools.cached_property
    def edge_table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[list[str]]]:
        """:meth:`edges`, worked out once per selection."""
        return self.edges()

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[list[str]]]:
        """``(u, v, weight, introductions, kinds)``: one entry per linked pair of selected actors.

        ``u < v`` are positions in ``actors``' order among the selected actors;
        ``weight`` is the tie weights plus one per introduction along the
        pair; ``kinds`` the sorted tie kinds of each pair.
        """
        p = self.projection
        position = np.cumsum(self.actors) - 1  # store position -> position among the selected
        keep = self.actors
        tie_u, tie_v = p.tie_u[self.ties], p.tie_v[self.ties]
        linked = keep[tie_u] & keep[tie_v]
        tie_u, tie_v = position[tie_u[linked]], position[tie_v[linked]]
        tie_w, tie_k = p.tie_weight[self.ties][linked], p.tie_kinds[self.ties][linked]
        by = p.intro_by[self.introductions]
        subject = p.intro_subject[self.introductions]
        target = p.intro_target[self.introductions]
        happened = np.isin(self.intro_status[self.introductions], _HAPPENED)
        # one definition of a link (analysis/links.py): an introduction links anyone only once it happened
        ends = [(by, subject, happened & keep[by] & keep[subject]), (by, target, happened & keep[by] & keep[target]),
                (subject, target, happened & keep[subject] & keep[target])]
        intro_u = np.concatenate([position[a[m]] for a, _b, m in ends]).astype(np.int64)
        intro_v = np.concatenate([position[b[m]] for _a, b, m in ends]).astype(np.int64)
        us = np.concatenate([tie_u, intro_u]).astype(np.int64)
        vs = np.concatenate([tie_v, intro_v]).astype(np.int64)
        lo, hi = np.minimum(us, vs), np.maximum(us, vs)
        size = max(int(keep.sum()), 1)
        keys = lo * size + hi
        pairs, inverse = np.unique(keys, return_inverse=True)
        weights = np.bincount(inverse, weights=np.concatenate([tie_w, np.ones(len(intro_u))]), minlength=len(pairs))
        intro_counts = np.bincount(inverse[len(tie_u):], minlength=len(pairs)).astype(np.int64)
        kinds = _kinds_per_pair(inverse[: len(tie_u)], tie_k, len(pairs))
        return pairs // size, pairs % size, weights, intro_counts, kinds

    def introductions_made(self) -> np.ndarray:
        """How many selected introductions each selected actor made."""
        p = self.projection
        made = self.introductions & np.isin(self.intro_status, _HAPPENED)
        counts = np.bincount(p.intro_by[made], minlength=p.n)
        return counts[self.actors]


def _kinds_per_pair(slots: np.ndarray, kinds: np.ndarray, pairs: int) -> list[list[str]]:
    """The sorted distinct tie kinds of each pair, given each tie's pair ``slots`` (bit sets, not Python sets)."""
    names, codes = np.unique(kinds, return_inverse=True)
    if len(names) > 62:  # pragma: no cover - the model has six kinds
        raise ValueError("too many tie kinds for a bit set")
    bits = np.zeros(pairs, dtype=np.int64)
    np.bitwise_or.at(bits, slots, np.left_shift(np.int64(1), codes.astype(np.int64)))
    names = names.tolist()  # sorted, so each bit set lists its kinds in order
    spelled: dict[int, list[str]] = {}
    out = []
    for mask in bits.tolist():
        kinds_of = spelled.get(mask)
        if kinds_of is None:
            kinds_of = spelled[mask] = [name for i, name in enumerate(names) if mask >> i & 1]
        out.append(kinds_of)
    return out


def select(
    projection: Projection,
    *,
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
    include_organisations: bool = True,
    tie_kinds: Collection[str] | None = None,
    history: Mapping[str, Sequence[Any]] | None = None,
    confirmations: Mapping[str, Sequence[dt.date]] | None = None,
) -> Selection:
    """The part of the network one analysis looks at.

    People whose consent was withdrawn, or whose record is restricted, are
    never selected. ``wards`` keeps actors in those wards only (actors with
    no ward are left out); ``tie_kinds`` keeps ties of those kinds (every
    introduction is kept); ``as_of`` applies :func:`as_of_masks`, and
    ``history`` (``Store.introduction_history()``) gives each introduction
    the status it had then (:func:`states_as_of`), and ``confirmations``
    (``Store.tie_confirmations()``) each tie's last confirmation as known
    then (:func:`confirmed_as_of_column`).
    """
    actors = projection.in_analysis | projection.is_org
    if not include_organisations:
        actors = actors & ~projection.is_org
    if wards is not None:
        actors = actors & np.isin(projection.wards, [str(w) for w in wards if str(w)])
    ties, intros = as_of_masks(projection, as_of)
    if tie_kinds is not None:
        ties = ties & np.isin(projection.tie_kinds, [str(getattr(k, "value", k)) for k in tie_kinds])
    status, has_outcome = states_as_of(projection, as_of, history)
    confirmed = confirmed_as_of_column(projection, as_of, confirmations) if as_of is not None else None
    return Selection(projection, actors, ties, intros, as_of, status, has_outcome, confirmed)


# ------------------------------------------------------------------ records for the report


class TieRecord(NamedTuple):
    """The fields of a :class:`~connector_graph.model.Tie` the gap tables read, without validating a model."""

    id: str
    source_id: str
    target_id: str
    kind: Any  # TieKind
    since: dt.date | None
    last_confirmed: dt.date | None


class IntroductionRecord(NamedTuple):
    """The fields of an :class:`~connector_graph.model.Introduction` the gap tables read."""

    id: str
    introducer_id: str
    subject_id: str
    target_id: str
    date: dt.date
    status: Any  # IntroStatus
    follow_up: dt.date | None
    outcome: bool  # whether an outcome was recorded (the text itself is not needed)


def tie_records(selection: Selection) -> list[TieRecord]:
    """The selected ties between selected actors, in store order."""
    from ..model import TieKind

    p = selection.projection
    rows = selection.ties & selection.actors[p.tie_u] & selection.actors[p.tie_v]
    ids = p.ids.tolist()
    kind_of = {k.value: k for k in TieKind}
    if selection.confirmed is not None:  # as known on the day
        confirmed_on = selection.confirmed[rows]
    else:
        confirmed_on = confirmed_as_of_column(p, selection.as_of, None)[rows]
    return [
        TieRecord(tie_id, ids[u], ids[v], kind_of[kind], since, confirmed)
        for tie_id, u, v, kind, since, confirmed in zip(
            p.tie_ids[rows].tolist(), p.tie_u[rows].tolist(), p.tie_v[rows].tolist(), p.tie_kinds[rows].tolist(),
            p.tie_since[rows].tolist(), confirmed_on.tolist())
    ]


def introduction_records(selection: Selection) -> list[IntroductionRecord]:
    """The selected introductions that name at least one selected actor, in store order."""
    from ..model import IntroStatus

    p = selection.projection
    keep = selection.actors
    rows = selection.introductions & (keep[p.intro_by] | keep[p.intro_subject] | keep[p.intro_target])
    ids = p.ids.tolist()
    status_of = {s.value: s for s in IntroStatus}
    return [
        IntroductionRecord(intro_id, ids[by], ids[subject], ids[target], day, status_of[status], follow_up, outcome)
        for intro_id, by, subject, target, day, status, follow_up, outcome in zip(
            p.intro_ids[rows].tolist(), p.intro_by[rows].tolist(), p.intro_subject[rows].tolist(),
            p.intro_target[rows].tolist(), p.intro_date[rows].tolist(), selection.intro_status[rows].tolist(),
            p.intro_follow_up[rows].tolist(), selection.intro_has_outcome[rows].tolist())
    ]


# ------------------------------------------------------------------ graphs


def to_networkx(selection: Selection) -> Any:
    """The selection as the networkx graph :func:`connector_graph.graph.build_graph` documents.

    The igraph conversion of the same edges is remembered with the graph
    (so the measures that run in igraph never convert it again).
    """
    import networkx as nx

    from .engine import remember

    p = selection.projection
    keep = selection.actors
    ids = p.ids[keep].tolist()
    is_org = p.is_org[keep].tolist()
    wards, sectors, kinds = p.wards[keep].tolist(), p.sectors[keep].tolist(), p.kinds[keep].tolist()
    names, roles = p.names[keep].tolist(), p.roles[keep].tolist()
    made = selection.introductions_made().tolist()
    G = nx.Graph()
    G.add_nodes_from(
        (
            ids[i],
            {
                "name": names[i],
                "actor_type": "organisation" if is_org[i] else "person",
                "ward": wards[i] or None,
                "sector": sectors[i] or None,
                "kind": kinds[i] or None,
                "roles": roles[i].split(",") if roles[i] else [],
                "introductions_made": made[i],
            },
        )
        for i in range(len(ids))
    )
    u, v, weight, intro_counts, tie_kinds = selection.edge_table
    plain_weights = [int(w) if float(w).is_integer() else float(w) for w in weight.tolist()]
    G.add_edges_from(
        (ids[a], ids[b], {"weight": w, "kinds": k, "introductions": c})
        for a, b, w, c, k in zip(u.tolist(), v.tolist(), plain_weights, intro_counts.tolist(), tie_kinds)
    )
    if len(ids) and _igraph_installed():
        remember(G, "igraph:weight", lambda: (_igraph_from(len(ids), u, v, weight), ids))
    return G


def to_igraph(selection: Selection) -> tuple[Any, list[str]]:
    """The selection as an undirected igraph graph with ``weight`` on its edges, and the vertex ids."""
    u, v, weight, _c, _k = selection.edge_table
    ids = selection.projection.ids[selection.actors].tolist()
    return _igraph_from(len(ids), u, v, weight), ids


def _igraph_from(n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray) -> Any:
    import igraph as ig

    g = ig.Graph(n=n, edges=np.column_stack([u, v]).tolist() if len(u) else [], directed=False)
    g.es["weight"] = weight.astype(float).tolist()
    return g


def _igraph_installed() -> bool:
    from .engine import igraph_available

    return igraph_available()
