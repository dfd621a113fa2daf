"""Key connectors: who holds the network together, by several measures.

Every measure is explained in one plain sentence in :data:`METRICS`, which
the CLI and the dashboard show next to the numbers. Values follow networkx's
normalised conventions (see :mod:`connector_graph.analysis.engine`).

Exact or sampled
    Bridging (betweenness) and closeness look at every shortest path, which
    takes time growing with nodes x links. Up to :func:`exact_limit` nodes
    (:data:`EXACT_LIMIT_NETWORKX` with plain networkx,
    :data:`EXACT_LIMIT_IGRAPH` with python-igraph) they are exact; above it
    they are estimated from ``samples`` seeded pivots, so the same network
    always gives the same answer.

Composite ranking
    ``score`` is a weighted mean of percentile ranks (0 = lowest in the
    network, 1 = highest; ties share their average rank), using the weights
    in :data:`COMPOSITE_WEIGHTS`: bridging 30%, reach 20%, influence 15%,
    brokerage (effective size) 15%, closeness 10%, introductions made 10%.
    Percentile ranks make measures on different scales comparable, and a
    few extreme values cannot swamp the rest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Hashable, Iterable, Mapping

import networkx as nx
import numpy as np

from . import engine as engines

__all__ = [
    "Metric",
    "METRICS",
    "COMPOSITE_WEIGHTS",
    "EXACT_LIMIT_NETWORKX",
    "EXACT_LIMIT_IGRAPH",
    "DEFAULT_SAMPLES",
    "MetricTable",
    "ConnectorScore",
    "exact_limit",
    "brokerage",
    "percentile_ranks",
    "rank_shares",
    "compute_metrics",
    "key_connectors",
]

#: Exact betweenness and closeness up to this many nodes with networkx only.
EXACT_LIMIT_NETWORKX = 1_000
#: Exact betweenness and closeness up to this many nodes with python-igraph.
EXACT_LIMIT_IGRAPH = 3_000
#: Pivots used above the exact limit.
DEFAULT_SAMPLES = 256


@dataclass(frozen=True)
class Metric:
    """A measure, how to read it and whether more means more central."""

    key: str
    label: str
    explanation: str
    higher_is_better: bool = True


#: Every measure in the order shown, with its plain-English explanation.
METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("degree", "Reach", "Reach: how many people and organisations this actor is directly linked to, "
               "as a share of everyone else."),
        Metric("betweenness", "Bridging", "Bridging: how much of the shortest routes between other actors run "
               "through this actor; it does not mean anyone would be cut off without them (see single points of "
               "failure for that)."),
        Metric("closeness", "Closeness", "Closeness: how near this actor is to everyone else, averaged over "
               "everyone: one step away counts 1, two steps 1/2, three steps 1/3, and someone they cannot reach "
               "at all counts 0; higher means closer to everyone."),
        Metric("pagerank", "Influence", "Influence: how much of the network's attention ends up with this actor "
               "(PageRank): each contact passes on their own attention split among all their links, so a contact "
               "with few other links passes on more, and several such contacts can outrank a place in a busy "
               "group; where link strengths are recorded, stronger links pass on more."),
        Metric("eigenvector", "Standing", "Standing: how well linked this actor is to well-linked actors "
               "(eigenvector centrality); compare it only among people joined to each other, directly or "
               "through others, as separate parts of the network are scored separately."),
        Metric("effective_size", "Brokerage", "Brokerage: roughly how many separate groups this actor reaches "
               "(Burt's effective size): each contact counts 1, less a share for each of the actor's other "
               "contacts they already know; 1 for someone whose contacts all know each other."),
        Metric("constraint", "Constraint", "Constraint: how much this actor depends on a few contacts who are "
               "closely tied to each other; high means few or overlapping contacts, low means they link separate "
               "groups (Burt's constraint).", higher_is_better=False),
        Metric("introductions", "Introductions made", "Introductions made: how many of the introductions this "
               "actor logged had happened (made or followed up) by the date looked at; planned, declined and "
               "unknown ones do not count."),
        Metric("score", "Overall", "Overall: a weighted blend of the measures above (bridging counts most)."),
    )
}

#: Weights of the percentile ranks that make up ``score``.
COMPOSITE_WEIGHTS: dict[str, float] = {
    "betweenness": 0.30,
    "degree": 0.20,
    "pagerank": 0.15,
    "effective_size": 0.15,
    "closeness": 0.10,
    "introductions": 0.10,
}


@dataclass(frozen=True)
class ConnectorScore:
    """One actor's measures; ``rank`` is 1 for the first in the chosen order."""

    id: str
    name: str
    actor_type: str
    ward: str | None
    roles: list[str]
    degree: float
    betweenness: float
    closeness: float
    pagerank: float
    effective_size: float | None
    constraint: float | None
    introductions: int
    score: float
    rank: int = 0
    eigenvector: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """A plain dictionary (for JSON)."""
        return asdict(self)


@dataclass(frozen=True)
class MetricTable:
    """Every measure for every node, and how it was computed."""

    values: dict[str, dict[Hashable, Any]]
    engine: str
    exact: bool
    samples: int | None
    seed: int
    notes: list[str] = field(default_factory=list)
    pivots: int | None = None
    agreement: int | None = None


def betweenness_sampling(table: MetricTable, actors: int) -> dict[str, Any]:
    """How bridging (betweenness) was computed: ``{exact, pivots, actors, agreement_top20}``.

    ``pivots`` is how many actors the shortest paths were counted from (all
    of them when ``exact``); ``agreement_top20`` how many of the top 20 the
    last two sampling rounds shared (null when exact).

    Examples
    --------
    >>> betweenness_sampling(compute_metrics(nx.path_graph(3)), 3)
    {'exact': True, 'pivots': 3, 'actors': 3, 'agreement_top20': None}
    """
    pivots = actors if table.pivots is None else table.pivots
    exact = pivots >= actors
    return {"exact": exact, "pivots": pivots, "actors": actors, "agreement_top20": None if exact else table.agreement}


def exact_limit(engine: str) -> int:
    """The largest graph (in nodes) whose betweenness and closeness are computed exactly.

    Examples
    --------
    >>> exact_limit("networkx") < exact_limit("igraph")
    True
    """
    return EXACT_LIMIT_IGRAPH if engine == "igraph" else EXACT_LIMIT_NETWORKX


def brokerage(G: nx.Graph, *, engine: str = "auto") -> tuple[dict[Hashable, float | None], dict[Hashable, float | None]]:
    """Burt's effective size and constraint, unweighted, as networkx computes them.

    Actors with no links get ``None`` for both (networkx gives NaN).

    Examples
    --------
    >>> size, constraint = brokerage(nx.star_graph(3))
    >>> size[0], constraint[0], size[1]
    (3.0, 0.3333333333333333, 1.0)
    """
    if engines.choose_engine(G, engine) == "networkx":
        return _brokerage_python(G)
    g, nodes = engines.to_igraph(G)
    degrees = g.degree()
    local = g.transitivity_local_undirected(mode="zero")
    burt = g.constraint()
    size_out: dict[Hashable, float | None] = {}
    constraint_out: dict[Hashable, float | None] = {}
    for i, node in enumerate(nodes):
        d = degrees[i]
        if d == 0:
            size_out[node] = constraint_out[node] = None
            continue
        links_among_contacts = local[i] * d * (d - 1) / 2
        size_out[node] = d - 2 * links_among_contacts / d
        constraint_out[node] = float(burt[i])
    return size_out, constraint_out


def _brokerage_python(G: nx.Graph) -> tuple[dict[Hashable, float | None], dict[Hashable, float | None]]:
    """Burt's measures from neighbour sets, without networkx's per-node ego graphs.

    For an unweighted graph, actor i spends 1/d(i) of their attention on each
    contact, so constraint is the sum over contacts j of
    ``(1/d(i) + sum over shared contacts q of 1/(d(i) d(q)))**2`` and
    effective size is ``d(i) - 2 t(i) / d(i)`` with t(i) the links among i's
    contacts. Same numbers as ``nx.constraint`` and ``nx.effective_size``
    (``tests/analysis`` checks it), in a fraction of the time on graphs with hubs.
    """
    adjacency = {node: set(G[node]) - {node} for node in G}
    degree = {node: len(contacts) for node, contacts in adjacency.items()}
    size: dict[Hashable, float | None] = {}
    constraint: dict[Hashable, float | None] = {}
    for i, contacts in adjacency.items():
        d = degree[i]
        if d == 0:
            size[i] = constraint[i] = None
            continue
        links_among = 0
        total = 0.0
        for j in contacts:
            shared = contacts & adjacency[j]
            links_among += len(shared)
            indirect = sum(1.0 / degree[q] for q in shared)
            total += (1.0 / d + indirect / d) ** 2
        size[i] = d - links_among / d  # each link among contacts was seen from both ends: 2t = links_among
        constraint[i] = total
    return size, constraint


def percentile_ranks(values: Mapping[Hashable, float | None], *, higher_is_better: bool = True) -> dict[Hashable, float]:
    """Each value's rank as a share in [0, 1]; ties share their average rank, None ranks lowest.

    Values equal to ten significant digits count as tied.

    Examples
    --------
    >>> percentile_ranks({"a": 1, "b": 5, "c": 5})
    {'a': 0.0, 'b': 0.75, 'c': 0.75}
    >>> percentile_ranks({"a": 3})
    {'a': 1.0}
    """
    n = len(values)
    if n == 0:
        return {}
    if n == 1:
        return dict.fromkeys(values, 1.0)
    nodes = list(values)
    raw = np.array([np.nan if values[node] is None else float(values[node]) for node in nodes], dtype=float)
    return dict(zip(nodes, rank_shares(raw, higher_is_better=higher_is_better).tolist()))


def rank_shares(raw: "np.ndarray", *, higher_is_better: bool = True) -> "np.ndarray":
    """:func:`percentile_ranks` on an array (NaN for a missing value): the same numbers, position by position.

    Examples
    --------
    >>> rank_shares(np.array([1.0, 5.0, 5.0, np.nan])).tolist()
    [0.3333333333333333, 0.8333333333333334, 0.8333333333333334, 0.0]
    """
    n = len(raw)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.ones(1)
    key = _ten_digits(raw)
    key = np.where(np.isnan(raw), -np.inf, key if higher_is_better else -key)
    # average ranks of tied keys, 0-based, as a share of n - 1
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    group = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], n] - 1
    average = (starts + ends) / 2 / (n - 1)
    ranks = np.empty(n)
    ranks[order] = average[group]
    return ranks


def _ten_digits(x: "np.ndarray") -> "np.ndarray":
    """``x`` rounded to ten significant digits (engines differ in a float's last bits)."""
    out = x.copy()
    finite = np.isfinite(x) & (x != 0)
    magnitude = np.clip(np.floor(np.log10(np.abs(x[finite]))), -290, 290)
    scale = 10.0 ** (9 - magnitude)
    out[finite] = np.round(x[finite] * scale) / scale
    return out


def sampling_plan(
    G: nx.Graph, *, engine: str = "auto", samples: int = DEFAULT_SAMPLES, exact: bool | None = None
) -> tuple[str, int | None]:
    """The engine to use and how many pivots to sample (``None``: exact) for ``G``.

    Examples
    --------
    >>> sampling_plan(nx.path_graph(10))
    ('networkx', None)
    """
    chosen = engines.choose_engine(G, engine)
    n = G.number_of_nodes()
    if exact is None:
        exact = n <= exact_limit(chosen)
    return chosen, (None if exact or samples >= n else samples)


def beside_measures(G: nx.Graph, *, engine: str, k: int | None, seed: int = 0) -> dict[str, dict[Hashable, Any]]:
    """The measures :func:`compute_metrics` can take from elsewhere: closeness and brokerage.

    Examples
    --------
    >>> sorted(beside_measures(nx.path_graph(3), engine="networkx", k=None))
    ['closeness', 'constraint', 'effective_size']
    """
    size, constraint = brokerage(G, engine=engine)
    closeness = engines.harmonic_closeness(G, k=k, seed=seed, engine=engine)
    return {"closeness": closeness, "effective_size": size, "constraint": constraint}


def compute_metrics(
    G: nx.Graph,
    *,
    engine: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    exact: bool | None = None,
    elsewhere: Callable[[], Mapping[str, Mapping[Hashable, Any]]] | None = None,
) -> MetricTable:
    """Every measure in :data:`METRICS` for every node of ``G``.

    Parameters
    ----------
    G
        The analysis graph (see :func:`connector_graph.graph.build_graph`);
        the ``introductions_made`` node attribute feeds ``introductions``.
    engine
        ``"auto"`` (python-igraph for large graphs when installed),
        ``"networkx"`` or ``"igraph"``.
    samples, seed
        Pivots for betweenness and closeness above the exact limit.
    exact
        Force exact (True) or sampled (False) paths; by default exact up to
        :func:`exact_limit` nodes.
    elsewhere
        A call returning ``closeness``, ``effective_size`` and ``constraint``
        computed elsewhere with the same plan (see :func:`beside_measures`);
        it is made after the other measures, so that work overlaps.

    Examples
    --------
    >>> table = compute_metrics(nx.path_graph(["a", "b", "c"]))
    >>> table.values["betweenness"]["b"], table.exact, table.engine
    (1.0, True, 'networkx')
    """
    chosen, k = sampling_plan(G, engine=engine, samples=samples, exact=exact)
    n = G.number_of_nodes()
    notes = []
    pivots = agreement = None
    if k is None:
        between = engines.betweenness(G, k=None, seed=seed, engine=chosen)
    else:
        notes.append(f"closeness estimated from {k} of {n:,} actors (seed {seed})")
        estimate = engines.adaptive_betweenness(G, seed=seed, engine=chosen, start=k)
        between, pivots, agreement = estimate.values, estimate.pivots, estimate.agreement
        if estimate.exact:
            notes.append("bridging computed exactly: the estimate had not settled before every actor was a pivot")
        elif estimate.limited:
            notes.append(f"bridging estimated from {pivots:,} of {n:,} actors (seed {seed}): the work limit "
                         f"stopped the rounds when the last two agreed on {agreement} of the top {estimate.top}, "
                         f"short of {engines.AGREE_TOP20}, so read the order of close bridging values loosely")
        else:
            notes.append(f"bridging estimated from {pivots:,} of {n:,} actors (seed {seed}): the last two rounds "
                         f"agreed on {agreement} of the top {estimate.top}")
    ranks = engines.pagerank(G, engine=chosen)
    standing, parts = engines.eigenvector(G)
    if parts > 1:
        notes.append(f"the network is in {parts} separate parts: standing (eigenvector) is computed within each "
                     "part, so compare it within one part")
    degree = nx.degree_centrality(G) if n > 1 else dict.fromkeys(G, 0.0)
    if elsewhere is None:
        close = engines.harmonic_closeness(G, k=k, seed=seed, engine=chosen)
        size, constraint = brokerage(G, engine=chosen)
    else:  # computed in another process, asked for last so that work overlaps with the above
        done = elsewhere()
        close, size, constraint = done["closeness"], done["effective_size"], done["constraint"]
    made = {node: int(data.get("introductions_made", 0)) for node, data in G.nodes(data=True)}
    values: dict[str, dict[Hashable, Any]] = {
        "degree": degree,
        "betweenness": between,
        "closeness": close,
        "pagerank": ranks,
        "eigenvector": standing,
        "effective_size": size,
        "constraint": constraint,
        "introductions": made,
    }
    score = dict.fromkeys(G, 0.0)
    for metric, weight in COMPOSITE_WEIGHTS.items():
        for node, pct in percentile_ranks(values[metric]).items():
            score[node] += weight * pct
    values["score"] = {node: round(value, 12) for node, value in score.items()}
    return MetricTable(values=values, engine=chosen, exact=k is None, samples=k, seed=seed, notes=notes,
                       pivots=pivots, agreement=agreement)


def key_connectors(
    G: nx.Graph,
    top: int | None = 10,
    *,
    by: str = "score",
    people_only: bool = False,
    table: MetricTable | None = None,
    engine: str = "auto",
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
) -> list[ConnectorScore]:
    """Rank actors by ``by`` (any key of :data:`METRICS`), best first.

    Ties are broken by the overall ``score``, then by id, so the order is
    repeatable. Lower ``constraint`` is better, so it sorts ascending.

    Parameters
    ----------
    top
        How many to return (``None`` for everyone).
    people_only
        Leave organisations out of the ranking (their links still count).
    table
        Measures already computed by :func:`compute_metrics` (else computed).

    Examples
    --------
    >>> [c.id for c in key_connectors(nx.path_graph(["ana", "ben", "cy"]), top=1)]
    ['ben']
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c")])
    >>> best = key_connectors(G, top=1, by="degree")[0]
    >>> best.id, best.degree, best.betweenness
    ('hub', 1.0, 1.0)
    """
    if by not in METRICS:
        raise ValueError(f"unknown measure {by!r}; choose one of {', '.join(METRICS)}")
    if top is not None and top < 0:
        raise ValueError("top must not be negative")
    table = table or compute_metrics(G, engine=engine, samples=samples, seed=seed)
    values = table.values
    nodes: Iterable[Hashable] = G.nodes
    if people_only:
        nodes = [n for n in G.nodes if G.nodes[n].get("actor_type", "person") == "person"]
    metric = METRICS[by]
    sign = 1.0 if metric.higher_is_better else -1.0

    def order(node: Hashable) -> tuple:
        value = values[by][node]
        missing = value is None
        return (missing, -sign * (value or 0.0), -values["score"][node], str(node))

    ranked = sorted(nodes, key=order)
    if top is not None:
        ranked = ranked[:top]
    out = []
    for position, node in enumerate(ranked, start=1):
        data = G.nodes[node]
        out.append(
            ConnectorScore(
                id=str(node),
                name=str(data.get("name", node)),
                actor_type=str(data.get("actor_type", "person")),
                ward=data.get("ward"),
                roles=list(data.get("roles", [])),
                degree=float(values["degree"][node]),
                betweenness=float(values["betweenness"][node]),
                closeness=float(values["closeness"][node]),
                pagerank=float(values["pagerank"][node]),
                eigenvector=float(values["eigenvector"][node]),
                effective_size=values["effective_size"][node],
                constraint=values["constraint"][node],
                introductions=int(values["introductions"][node]),
                score=float(values["score"][node]),
                rank=position,
            )
        )
    return out
