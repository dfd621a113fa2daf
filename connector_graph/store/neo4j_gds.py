"""Analysis inside Neo4j with the Graph Data Science library (GDS).

Everything here runs server-side on an in-memory GDS projection of the
analysis graph (the same graph :func:`connector_graph.graph.build_graph`
builds in Python: actors as nodes; ties and introductions as undirected
links weighted by how many of them join the pair). Each algorithm *mutates*
the projection; the results come back in bulk, one row per measure holding
every node's value (never one row per node), and the projection is dropped
afterwards, even on error.

This is the only module with GDS Cypher in it; every value is a parameter.
OpenGDS conventions are converted to the Python engines' here: PageRank is
normalised to sum to 1, betweenness is divided by the number of node pairs,
and sampled betweenness takes GDS's seeded sample (not the Python engines'
pivots).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Collection, Iterator

import neo4j
import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .neo4j_store import Neo4jStore

__all__ = [
    "CLOSENESS_EXACT_WORK",
    "GdsMeasures",
    "gds_version",
    "gds_measures",
    "actor_columns",
    "introductions_made",
    "ward_table",
    "sector_table",
]

#: Up to this many actors × links, exact harmonic closeness (GDS's multi-source search) is computed even
#: when bridging is sampled: it is then cheaper than summing the pivots' searches in Cypher. Measured on
#: 2 cores at 100,000 actors and 727,426 links (7.3e10): exact 87 s, 256 pivots 115 s; at 20,000 actors
#: exact 8.5 s, pivots 27 s. The pivots' cost grows with actors, the exact search's with actors × links.
CLOSENESS_EXACT_WORK = 100_000_000_000

#: Actors kept in the analysis graph: the same rule as ``build_graph``.
_KEEP = (
    "($orgs OR NOT a:Organisation) AND ($wards IS NULL OR a.ward IN $wards) "
    "AND (a:Organisation OR (coalesce(a.restricted, false) = false AND a.consent_withdrawn_on IS NULL))"
)
_KEEP_B = _KEEP.replace("a.", "b.").replace("a:", "b:")
_TIES = "KNOWS|MEMBER_OF|WORKS_AT|VOLUNTEERS_AT|PARTNERS_WITH|ATTENDS"

#: Stands for "no ward" in a column of ward names (a ward's name never holds a NUL character).
_NO_WARD = "\u0000"

#: One row per link of the analysis graph (a pair may appear several times: each adds 1 to its weight).
_LINKS = (
    "CALL () {"
    f" MATCH (a:Actor)-[r:{_TIES}]->(b:Actor)"
    f" WHERE a <> b AND ($as_of IS NULL OR r.since IS NULL OR r.since <= $as_of) AND {_KEEP} AND {_KEEP_B}"
    " RETURN a, b"
    " UNION ALL"
    " MATCH (i:Introduction)-[:MADE_BY]->(a:Actor), (i)-[:INTRODUCED|TO]->(b:Actor)"
    f" WHERE a <> b AND i.status IN ['made', 'followed_up'] AND i.date <= $day AND {_KEEP} AND {_KEEP_B}"
    " RETURN a, b"
    " UNION ALL"
    " MATCH (a:Actor)<-[:INTRODUCED]-(i:Introduction)-[:TO]->(b:Actor)"
    " WHERE a <> b AND i.status IN ['made', 'followed_up'] AND i.date <= $day"
    f" AND {_KEEP} AND {_KEEP_B}"
    " RETURN a, b"
    "}"
)

_PROJECT = (
    "CALL () {"
    f" MATCH (a:Actor) WHERE {_KEEP} RETURN a AS source, null AS target, 0.0 AS weight"
    " UNION ALL"
    f" {_LINKS}"
    " WITH CASE WHEN a.id < b.id THEN a ELSE b END AS lo, CASE WHEN a.id < b.id THEN b ELSE a END AS hi"
    " WITH lo, hi, toFloat(count(*)) AS w"
    " RETURN lo AS source, hi AS target, w AS weight"
    "} "
    "WITH gds.graph.project($name, source, target,"
    " CASE WHEN target IS NULL THEN {} ELSE {relationshipProperties: {weight: weight}} END,"
    " {undirectedRelationshipTypes: ['*']}) AS g "
    "RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships"
)

_READ = (
    "CALL gds.graph.nodeProperties.stream($name, $props) YIELD nodeId, nodeProperty, propertyValue "
    "WITH nodeProperty, collect(nodeId) AS ids, collect(propertyValue) AS values "
    "RETURN nodeProperty, ids, values"
)
_IDS = (
    "CALL gds.graph.nodeProperties.stream($name, ['degree']) YIELD nodeId "
    "WITH collect(nodeId) AS ids RETURN ids, [i IN ids | gds.util.asNode(i).id] AS keys"
)


@dataclass
class GdsMeasures:
    """Every node's measures, computed by GDS, as arrays in actor-id order.

    ``ids`` are the analysed actors' ids, sorted; ``arrays`` maps a measure
    (``degree``, ``betweenness``, ``closeness``, ``pagerank``,
    ``eigenvector``, ``triangles``, ``community``, ``component``,
    ``cut_point``) to a numpy array holding actor ``ids[i]``'s value at
    position ``i``, already in the Python engines' conventions. No
    per-actor dictionary is kept: :meth:`as_dict` builds one on request.
    ``bridges`` are actor-id pairs.
    """

    nodes: int
    links: int
    ids: list[str]
    arrays: dict[str, np.ndarray]
    bridges: list[tuple[str, str]]
    communities: int
    modularity: float
    components: int
    samples: int | None
    seed: int
    version: str
    timings: dict[str, float] = field(default_factory=dict)
    closeness_exact: bool = True

    def position(self, actor_id: str) -> int:
        """Where ``actor_id`` sits in :attr:`ids` (``ValueError`` when it is not analysed)."""
        at = bisect.bisect_left(self.ids, actor_id)
        if at == len(self.ids) or self.ids[at] != actor_id:
            raise ValueError(f"{actor_id!r} is not in the analysed network")
        return at

    def as_dict(self, measure: str) -> dict[str, Any]:
        """One measure as ``{actor id: value}`` (plain Python numbers), for callers that want a mapping."""
        values = self.arrays.get(measure)
        if values is None:
            return {}
        return dict(zip(self.ids, values.tolist()))


class _Positions:
    """GDS node ids to positions in the sorted actor ids, with numpy (no per-node dictionary)."""

    def __init__(self, node_ids: list[int], keys: list[str]) -> None:
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self.ids = [keys[i] for i in order]
        self._nodes = np.asarray(node_ids, dtype=np.int64)[np.asarray(order, dtype=np.int64)]
        self._sorter = np.argsort(self._nodes, kind="stable")

    def of(self, node_ids: list[int]) -> np.ndarray:
        """The positions of ``node_ids``."""
        wanted = np.asarray(node_ids, dtype=np.int64)
        return self._sorter[np.searchsorted(self._nodes, wanted, sorter=self._sorter)]


def gds_version(store: "Neo4jStore") -> str | None:
    """The GDS version installed in the store's database, or None when there is none.

    Examples
    --------
    >>> gds_version.__name__
    'gds_version'
    """
    from ..errors import StoreUnavailable

    try:
        return str(_read(store, "RETURN gds.version() AS v", {})[0]["v"])
    except StoreUnavailable as exc:
        if "gds.version" in str(exc) or "Unknown function" in str(exc):
            return None
        raise


def _filters(as_of: dt.date | None, wards: Collection[str] | None, include_organisations: bool) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "day": as_of or dt.date.today(),  # introductions dated later add nothing, as in analysis/asof.py
        "wards": None if wards is None else sorted({str(w) for w in wards}),
        "orgs": bool(include_organisations),
    }


@contextlib.contextmanager
def _projection(session: neo4j.Session, filters: dict[str, Any]) -> Iterator[tuple[str, int, int]]:
    """Project the analysis graph; drop it afterwards whatever happens."""
    name = "connector_graph_" + uuid.uuid4().hex
    try:
        row = session.run(_PROJECT, name=name, **filters).single(strict=True)
        yield name, int(row["nodes"]), int(row["relationships"]) // 2
    finally:
        session.run("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", name=name).consume()


def gds_measures(
    store: "Neo4jStore",
    *,
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
    include_organisations: bool = True,
    samples: int | None = None,
    seed: int = 0,
    concurrency: int = 4,
    closeness: str = "auto",
) -> GdsMeasures:
    """Compute every measure of the analysis graph in GDS and read them back in bulk.

    ``samples=None`` gives exact betweenness and closeness; otherwise GDS
    samples that many source nodes for betweenness with ``seed``. Closeness
    is then exact while actors × links stay within
    :data:`CLOSENESS_EXACT_WORK` (``closeness="auto"``), or always estimated
    from the Python engines' own ``samples`` pivots (breadth-first searches in
    GDS) with ``closeness="sampled"``; ``closeness_exact`` says which.
    Leiden runs with ``randomSeed=seed`` on one thread, so the partition is
    repeatable.
    """
    if closeness not in ("auto", "sampled"):
        raise ValueError(f"closeness must be 'auto' or 'sampled', not {closeness!r}")
    filters = _filters(as_of, wards, include_organisations)
    timings: dict[str, float] = {}
    version = gds_version(store) or "?"
    # Projections and mutate-mode algorithms are reads: with a neo4j:// URL to a cluster, the
    # driver routes them to a secondary (where GDS belongs), never to the primary.
    with store._errors(), store._session(
        default_access_mode=neo4j.READ_ACCESS, notifications_min_severity="OFF"
    ) as session:
        started = time.perf_counter()
        with _projection(session, filters) as (name, n, links):
            timings["projection"] = time.perf_counter() - started
            common = {"concurrency": concurrency}
            between: dict[str, Any] = dict(common, mutateProperty="betweenness")
            if samples is not None and samples < n:
                between.update(samplingSize=samples, samplingSeed=seed)
            calls = [
                ("degree", "CALL gds.degree.mutate($name, $c) YIELD nodePropertiesWritten RETURN 0 AS x",
                 dict(common, mutateProperty="degree")),
                ("pagerank", "CALL gds.pageRank.mutate($name, $c) YIELD nodePropertiesWritten RETURN 0 AS x",
                 dict(common, mutateProperty="pagerank", dampingFactor=0.85, maxIterations=1000,
                      tolerance=1e-12, relationshipWeightProperty="weight")),
                ("eigenvector", "CALL gds.eigenvector.mutate($name, $c) YIELD nodePropertiesWritten RETURN 0 AS x",
                 dict(common, mutateProperty="eigenvector", maxIterations=1000, tolerance=1e-10)),
                ("betweenness", "CALL gds.betweenness.mutate($name, $c) YIELD nodePropertiesWritten RETURN 0 AS x",
                 between),
                ("triangles", "CALL gds.triangleCount.mutate($name, $c) YIELD nodePropertiesWritten RETURN 0 AS x",
                 dict(common, mutateProperty="triangles")),
                ("component", "CALL gds.wcc.mutate($name, $c) YIELD componentCount RETURN componentCount AS x",
                 dict(common, mutateProperty="component")),
                ("community", "CALL gds.leiden.mutate($name, $c) YIELD communityCount, modularity "
                 "RETURN [communityCount, modularity] AS x",
                 dict(mutateProperty="community", randomSeed=seed, concurrency=1,
                      relationshipWeightProperty="weight")),
                ("cut_point", "CALL gds.articulationPoints.mutate($name, $c) YIELD nodePropertiesWritten "
                 "RETURN 0 AS x", dict(mutateProperty="cut_point")),
            ]
            sampled = "samplingSize" in between
            exact_closeness = not sampled or (closeness == "auto" and n * links <= CLOSENESS_EXACT_WORK)
            if exact_closeness:  # n searches, 64 at a time: cheaper than summing pivots' searches in Cypher
                calls.append(
                    ("closeness", "CALL gds.closeness.harmonic.mutate($name, $c) YIELD nodePropertiesWritten "
                     "RETURN 0 AS x", dict(common, mutateProperty="closeness"))
                )
            outputs: dict[str, Any] = {}
            for key, query, config in calls:
                t0 = time.perf_counter()
                outputs[key] = session.run(query, name=name, c=config).single(strict=True)["x"] if n else 0
                timings[key] = time.perf_counter() - t0
            t0 = time.perf_counter()
            where, values = _read_back(session, name, [key for key, _q, _c in calls]) if n else (None, {})
            bridges = _bridges(session, name) if n else []
            timings["read"] = time.perf_counter() - t0
            if not exact_closeness and where is not None:
                t0 = time.perf_counter()
                values["closeness"] = _sampled_closeness(store, name, where, samples or 0, seed, concurrency)
                timings["closeness"] = time.perf_counter() - t0
    _to_python_conventions(values, n)
    community_count, modularity = outputs.get("community") or (0, 0.0)
    return GdsMeasures(
        nodes=n,
        links=links,
        ids=where.ids if where is not None else [],
        arrays=values,
        bridges=bridges,
        communities=int(community_count),
        modularity=float(modularity),
        components=int(outputs.get("component") or 0),
        samples=between.get("samplingSize"),
        closeness_exact=exact_closeness,
        seed=seed,
        version=version,
        timings=timings,
    )


def _read_back(session: neo4j.Session, name: str, props: list[str]) -> tuple[_Positions, dict[str, np.ndarray]]:
    """Every node's value of every property: one row per property, lists of all nodes, kept as arrays."""
    row = session.run(_IDS, name=name).single(strict=True)
    where = _Positions(row["ids"], row["keys"])
    del row
    n = len(where.ids)
    values: dict[str, np.ndarray] = {}
    for record in session.run(_READ, name=name, props=props):
        column = np.empty(n, dtype=float)
        column[where.of(record["ids"])] = np.asarray(record["values"], dtype=float)
        values[record["nodeProperty"]] = column
    return where, values


def _sampled_closeness(
    store: "Neo4jStore", name: str, where: _Positions, k: int, seed: int, concurrency: int
) -> np.ndarray:
    """Harmonic closeness from ``k`` pivots: the Python engines' pivots, searched in GDS.

    The pivots are those the Python engines draw (``random.Random(seed)``
    over the actor ids in order), so the estimate is theirs exactly. Each
    pivot's breadth-first distances are summed as 1/distance per actor
    inside the server; one row of lists comes back per group of pivots.
    Cypher runs each query on one server thread, so the pivots are split
    into ``concurrency`` groups searched at once, each in its own session.
    """
    import random
    from concurrent.futures import ThreadPoolExecutor

    ids = where.ids
    pivots = random.Random(seed).sample(ids, k)
    parts = max(concurrency, 1)
    groups = [group for group in (pivots[i::parts] for i in range(parts)) if group]

    def search(group: list[str]) -> tuple[list[Any], list[float]]:
        with store._session(default_access_mode=neo4j.READ_ACCESS, notifications_min_severity="OFF") as session:
            row = session.run(
                "UNWIND $pivots AS pivot MATCH (s:Actor {id: pivot}) "
                "CALL gds.allShortestPaths.delta.stream($name, {sourceNode: s}) YIELD targetNode, totalCost "
                "WITH targetNode, totalCost WHERE totalCost > 0 "
                "WITH targetNode, sum(1.0 / totalCost) AS total "
                "RETURN collect(targetNode) AS nodes, collect(total) AS totals",
                name=name,
                pivots=group,
            ).single(strict=True)
            return row["nodes"], row["totals"]

    totals = np.zeros(len(ids), dtype=float)
    with ThreadPoolExecutor(max_workers=parts) as pool:
        for nodes, sums in pool.map(search, groups):
            np.add.at(totals, where.of(nodes), np.asarray(sums, dtype=float))
    out = totals / k
    picked = np.asarray([bisect.bisect_left(ids, p) for p in pivots], dtype=np.int64)
    out[picked] = totals[picked] / (k - 1) if k > 1 else 0.0
    return out


def _bridges(session: neo4j.Session, name: str) -> list[tuple[str, str]]:
    row = session.run(
        "CALL gds.bridges.stream($name) YIELD from, to "
        "WITH gds.util.asNode(from).id AS a, gds.util.asNode(to).id AS b "
        "RETURN collect(CASE WHEN a < b THEN [a, b] ELSE [b, a] END) AS pairs",
        name=name,
    ).single(strict=True)
    return sorted((a, b) for a, b in row["pairs"])


def _to_python_conventions(values: dict[str, np.ndarray], n: int) -> None:
    """Normalise GDS's raw numbers as networkx normalises its own (in place)."""
    if not values:
        return
    values["degree"] = values["degree"] / (n - 1) if n > 1 else np.zeros(n)
    pairs = (n - 1) * (n - 2) / 2
    values["betweenness"] = values["betweenness"] / pairs if pairs else np.zeros(n)
    total = math.fsum(values["pagerank"]) or 1.0
    values["pagerank"] = values["pagerank"] / total
    values["cut_point"] = values["cut_point"] != 0
    for key in ("triangles", "community", "component"):
        if key in values:
            values[key] = values[key].astype(np.int64)


def _read(store: "Neo4jStore", query: str, params: dict[str, Any]) -> list[neo4j.Record]:
    """One read query, with the store's error translation and no notifications."""
    with store._errors(), store._session(
        default_access_mode=neo4j.READ_ACCESS, notifications_min_severity="OFF"
    ) as session:
        return list(session.run(query, params))


def actor_columns(
    store: "Neo4jStore", *, as_of: dt.date | None = None, wards: Collection[str] | None = None,
    include_organisations: bool = True,
) -> dict[str, list[Any]]:
    """The analysed actors as columns (``id``, ``ward``, ``organisation``, ``connector``), in one row."""
    filters = _filters(as_of, wards, include_organisations)
    # collect() skips nulls: an actor without a ward is read as a value no ward name can be, in the same row
    row = _read(
        store,
        f"MATCH (a:Actor) WHERE {_KEEP} WITH a ORDER BY a.id "
        "RETURN collect(a.id) AS id, collect(coalesce(a.ward, $no_ward)) AS ward, "
        "collect(a:Organisation) AS organisation, collect('connector' IN coalesce(a.roles, [])) AS connector",
        dict(filters, no_ward=_NO_WARD),
    )[0]
    return {
        "id": list(row["id"]),
        "ward": [None if w == _NO_WARD else w for w in row["ward"]],
        "organisation": list(row["organisation"]),
        "connector": list(row["connector"]),
    }


def introductions_made(
    store: "Neo4jStore", *, as_of: dt.date | None = None, wards: Collection[str] | None = None,
    include_organisations: bool = True,
) -> dict[str, int]:
    """How many introductions each analysed actor made (in the window), counted in Cypher."""
    filters = _filters(as_of, wards, include_organisations)
    row = _read(
        store,
        "MATCH (i:Introduction)-[:MADE_BY]->(a:Actor) "
        f"WHERE i.date <= $day AND i.status IN ['made', 'followed_up'] AND {_KEEP} "
        "WITH a.id AS id, count(i) AS n RETURN collect(id) AS ids, collect(n) AS counts",
        filters,
    )[0]
    return dict(zip(row["ids"], (int(n) for n in row["counts"])))


def ward_table(
    store: "Neo4jStore", *, as_of: dt.date | None = None, wards: Collection[str] | None = None,
    include_organisations: bool = True,
) -> list[dict[str, Any]]:
    """Per ward: actors, people, organisations, connectors, and ties within and out, counted in Cypher.

    A pair of actors joined by one or more ties counts once, as in the Python engine.
    """
    filters = _filters(as_of, wards, include_organisations)
    query = (
        f"MATCH (a:Actor) WHERE a.ward IS NOT NULL AND {_KEEP} "
        "WITH a.ward AS ward, count(a) AS actors, count(CASE WHEN NOT a:Organisation THEN 1 END) AS people, "
        "count(CASE WHEN a:Organisation THEN 1 END) AS organisations, "
        "count(CASE WHEN NOT a:Organisation AND 'connector' IN coalesce(a.roles, []) THEN 1 END) AS connectors "
        "CALL (ward) {"
        f" MATCH (a:Actor {{ward: ward}})-[r:{_TIES}]-(b:Actor)"
        f" WHERE a <> b AND ($as_of IS NULL OR r.since IS NULL OR r.since <= $as_of) AND {_KEEP} AND {_KEEP_B}"
        " WITH DISTINCT a, b"
        " RETURN count(CASE WHEN b.ward = ward THEN 1 END) / 2 AS ties_within,"
        " count(CASE WHEN b.ward IS NULL OR b.ward <> ward THEN 1 END) AS ties_out"
        "} "
        "RETURN ward, actors, people, organisations, connectors, ties_within, ties_out ORDER BY ward"
    )
    return [dict(r) for r in _read(store, query, filters)]


def sector_table(
    store: "Neo4jStore", *, as_of: dt.date | None = None, wards: Collection[str] | None = None,
    include_organisations: bool = True,
) -> tuple[list[str], dict[tuple[str, str], int]]:
    """The analysed organisations' sectors, and tied pairs of organisations per sorted sector pair.

    Counted in Cypher; a pair of organisations with several ties counts once.
    """
    filters = _filters(as_of, wards, include_organisations)
    present = _read(
        store,
        f"MATCH (a:Organisation) WHERE a.sector IS NOT NULL AND {_KEEP} "
        "WITH DISTINCT a.sector AS sector ORDER BY sector RETURN collect(sector) AS sectors",
        filters,
    )[0]["sectors"]
    query = (
        f"MATCH (a:Organisation)-[r:{_TIES}]-(b:Organisation) "
        "WHERE a.id < b.id AND a.sector IS NOT NULL AND b.sector IS NOT NULL "
        f"AND ($as_of IS NULL OR r.since IS NULL OR r.since <= $as_of) AND {_KEEP} AND {_KEEP_B} "
        "WITH DISTINCT a, b "
        "WITH CASE WHEN a.sector <= b.sector THEN [a.sector, b.sector] ELSE [b.sector, a.sector] END AS pair "
        "RETURN pair, count(*) AS n ORDER BY pair"
    )
    return list(present), {(r["pair"][0], r["pair"][1]): int(r["n"]) for r in _read(store, query, filters)}
