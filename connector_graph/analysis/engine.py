"""The heavy metrics, computed by networkx or by python-igraph.

networkx is the reference and the API; python-igraph (C) computes the same
numbers many times faster. :func:`choose_engine` picks igraph for graphs of
:data:`ACCELERATE_FROM` nodes or more when it is installed, networkx
otherwise. Both engines use the same seeded pivots when sampling, so they
give the same values, not just similar ones (``tests/analysis`` checks it).

Conventions (those of networkx):

- betweenness is normalised by the number of node pairs, ``(n-1)(n-2)/2``,
  and counts each link as one step (tie strength is not a distance);
- sampled betweenness uses ``k`` pivots drawn as networkx draws them
  (``random.Random(seed).sample(list(G), k)``) and networkx's rescaling;
- closeness is harmonic: the mean of ``1/distance`` to every other actor
  (0 for someone unreachable), i.e. networkx's ``harmonic_centrality``
  divided by ``n - 1``; sampled, it is the mean over the pivots;
- PageRank uses the ``weight`` edge attribute, damping 0.85, and spreads the
  rank of actors with no links evenly, as networkx does.

Large igraph jobs are split over the machine's cores in forked worker
processes when the work is big enough to repay starting them
(:data:`PARALLEL_WORK`); python-igraph holds the GIL, so threads would not
help. Where ``fork`` is unavailable the work runs in one process.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import threading
import weakref
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterator, Sequence, TypeVar

import networkx as nx

T = TypeVar("T")

__all__ = [
    "AGREE_TOP20",
    "BRIDGING_WORK",
    "BetweennessEstimate",
    "adaptive_betweenness",
    "eigenvector",
    "ACCELERATE_FROM",
    "PARALLEL_WORK",
    "igraph_available",
    "choose_engine",
    "pivots",
    "betweenness",
    "harmonic_closeness",
    "pagerank",
    "to_igraph",
]

#: Graphs with at least this many nodes use python-igraph when it is installed.
ACCELERATE_FROM = 300

#: Adaptive bridging stops when two independent halves agree on this many of their top 20. The
#: combined estimate is better than either half: at 18, it found at least 18 of the exact top 20
#: (mostly 19 or 20) on random, scale-free and seeded networks of 5,000-20,000 actors, with a half
#: to a quarter of the pivots 19 needed (docs/analysis.md, "Exact or sampled").
AGREE_TOP20 = 18

#: Adaptive bridging counts shortest paths from at most this many pivots x links (edge visits).
#: It bounds the first analysis of a large network whose top 20 will not settle: about 8,000 pivots
#: at 20,000 actors of the seeded city (136,538 links; its top is flat and needs them), about 1,000 at
#: 100,000 (727,426 links) instead of half an hour or more. A count of work, not a clock, so the same
#: network gives the same answer on every machine. Stopped by it, the estimate reports the agreement it
#: reached (below :data:`AGREE_TOP20`) and the note says why (docs/analysis.md, "Exact or sampled").
BRIDGING_WORK = 1_200_000_000

#: igraph jobs of more than this many edge visits (sources x edges, a few
#: seconds of work) use every core. Below it, starting workers costs more
#: than it saves, and on a machine whose other core is busy it never pays.
PARALLEL_WORK = 200_000_000

ENGINES = ("auto", "networkx", "igraph")


def igraph_available() -> bool:
    """True when python-igraph can be imported.

    Examples
    --------
    >>> isinstance(igraph_available(), bool)
    True
    """
    import importlib.util

    return importlib.util.find_spec("igraph") is not None


def choose_engine(G: nx.Graph, engine: str = "auto") -> str:
    """``"igraph"`` or ``"networkx"``: the engine that will compute ``G``'s metrics.

    Examples
    --------
    >>> choose_engine(nx.path_graph(3))
    'networkx'
    >>> choose_engine(nx.path_graph(3), "networkx")
    'networkx'
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "igraph":
        if not igraph_available():
            raise ValueError("the igraph engine needs python-igraph: pip install python-igraph")
        return "igraph"
    if engine == "networkx":
        return "networkx"
    return "igraph" if G.number_of_nodes() >= ACCELERATE_FROM and igraph_available() else "networkx"


def pivots(G: nx.Graph, k: int | None, seed: int) -> list[Hashable] | None:
    """The sampled source nodes networkx would use for ``k`` pivots, or None for all.

    Examples
    --------
    >>> pivots(nx.path_graph(5), None, 1) is None
    True
    >>> len(pivots(nx.path_graph(5), 2, 1))
    2
    """
    if k is None or k >= G.number_of_nodes():
        return None
    return random.Random(seed).sample(list(G.nodes()), k)


def to_igraph(G: nx.Graph, weight: str | None = "weight") -> tuple[Any, list[Hashable]]:
    """``G`` as an undirected igraph graph, with the node list giving vertex order.

    The edges carry ``G``'s ``weight`` attribute (default 1) as igraph's
    ``"weight"``; measures that ignore weights simply do not pass them. The
    conversion is remembered for as long as ``G`` lives and keeps its size,
    so the measures of one analysis convert once; like every analysis
    function, this treats ``G`` as read-only.

    Examples
    --------
    >>> g, nodes = to_igraph(nx.path_graph(["a", "b", "c"]))
    >>> g.vcount(), nodes, g.es["weight"]
    (3, ['a', 'b', 'c'], [1.0, 1.0])
    """
    weight = weight or "weight"
    return remember(G, f"igraph:{weight}", lambda: _convert(G, weight))


def _convert(G: nx.Graph, weight: str) -> tuple[Any, list[Hashable]]:
    import igraph as ig

    nodes = list(G.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    triples = [(index[u], index[v], w) for u, v, w in G.edges(data=weight, default=1)]
    g = ig.Graph(n=len(nodes), edges=[(u, v) for u, v, _w in triples], directed=False)
    g.es["weight"] = [float(w) for _u, _v, w in triples]
    return g, nodes


#: What has been derived from each graph, with the graph's size when it was made.
_derived: "weakref.WeakKeyDictionary[nx.Graph, dict[str, tuple[Any, tuple[int, int]]]]" = weakref.WeakKeyDictionary()


def remember(G: nx.Graph, key: str, make: Callable[[], T]) -> T:
    """``make()``, remembered with ``G`` for as long as it lives and keeps its size."""
    size = (G.number_of_nodes(), G.number_of_edges())
    try:
        derived = _derived.setdefault(G, {})
    except TypeError:  # pragma: no cover - a graph class that cannot be weakly referenced
        return make()
    hit = derived.get(key)
    if hit is not None and hit[1] == size:
        return hit[0]
    value = make()
    derived[key] = (value, size)
    return value


def tie_edge_mask(G: nx.Graph) -> Any:
    """A boolean numpy array over :func:`edge_arrays`' edges: True for ties, False for introductions only."""
    import numpy as np

    return remember(
        G, "tie-mask", lambda: np.fromiter((bool(k) for _u, _v, k in G.edges(data="kinds", default=True)), bool,
                                           count=G.number_of_edges())
    )


def edge_arrays(G: nx.Graph, weight: str = "weight") -> tuple[list[Hashable], Any, Any, Any]:
    """``(nodes, sources, targets, weights)``: the edges as numpy arrays of node positions.

    Built from the (remembered) igraph conversion when python-igraph is
    installed, so table work over every edge runs in numpy, not Python.

    Examples
    --------
    >>> nodes, u, v, w = edge_arrays(nx.path_graph(["a", "b", "c"]))
    >>> nodes, u.tolist(), v.tolist(), w.tolist()
    (['a', 'b', 'c'], [0, 1], [1, 2], [1.0, 1.0])
    """
    return remember(G, f"arrays:{weight}", lambda: _edge_arrays(G, weight))


def _edge_arrays(G: nx.Graph, weight: str) -> tuple[list[Hashable], Any, Any, Any]:
    import numpy as np

    if igraph_available():
        g, nodes = to_igraph(G, weight=weight)
        pairs = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        weights = np.array(g.es["weight"], dtype=float) if g.ecount() else np.zeros(0)
        return nodes, pairs[:, 0], pairs[:, 1], weights
    nodes = list(G.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    triples = [(index[u], index[v], float(w)) for u, v, w in G.edges(data=weight, default=1)]
    array = np.array(triples, dtype=float).reshape(-1, 3)
    return nodes, array[:, 0].astype(np.int64), array[:, 1].astype(np.int64), array[:, 2]


# ------------------------------------------------------------- betweenness


def betweenness(G: nx.Graph, *, k: int | None = None, seed: int = 0, engine: str = "auto") -> dict[Hashable, float]:
    """Normalised betweenness, exact (``k=None``) or from ``k`` seeded pivots.

    Examples
    --------
    >>> betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    n = G.number_of_nodes()
    sources = pivots(G, k, seed)
    if choose_engine(G, engine) == "networkx" or n < 3:
        if sources is None:
            return nx.betweenness_centrality(G)
        return nx.betweenness_centrality(G, k=len(sources), seed=seed)
    g, nodes = to_igraph(G)
    index = {node: i for i, node in enumerate(nodes)}
    source_ids = None if sources is None else [index[s] for s in sources]
    raw = _igraph_betweenness(g, source_ids)
    if source_ids is None:
        scale = 2.0 / ((n - 1) * (n - 2))
        return {node: raw[i] * scale for i, node in enumerate(nodes)}
    # networkx's rescaling for sampled pivots without endpoints.
    kk = len(source_ids)
    picked = set(source_ids)
    on_source = 2.0 / ((kk - 1) * (n - 2)) if kk > 1 else math.nan
    off_source = 2.0 / (kk * (n - 2))
    return {node: raw[i] * (on_source if i in picked else off_source) for i, node in enumerate(nodes)}


@dataclass(frozen=True)
class BetweennessEstimate:
    """Betweenness from pivots chosen until the top stabilised.

    ``pivots`` is how many sources were used (all of them: ``exact``);
    ``agreement`` how many of the top ``top`` the last two rounds shared
    (``None`` when the estimate became exact before two rounds agreed);
    ``limited`` is True when the work limit stopped the rounds before they agreed.
    """

    values: dict[Hashable, float]
    pivots: int
    agreement: int | None
    exact: bool
    top: int
    limited: bool = False


def adaptive_betweenness(
    G: nx.Graph,
    *,
    seed: int = 0,
    engine: str = "auto",
    start: int = 256,
    top: int = 20,
    agree: int | None = None,
    work: int | None = None,
) -> BetweennessEstimate:
    """Normalised betweenness from doubling rounds of seeded pivots until the top ``top`` stabilises.

    The pivots are a seeded shuffle of the actors: the first ``start`` make
    the first estimate; each next round takes as many fresh pivots as all
    before it, so the new round and everything before are two independent
    estimates of the same size. When they agree on at least ``agree`` of
    their top ``top`` (ranked by value, then id; ``agree`` defaults to
    :data:`AGREE_TOP20`), the two are combined and returned. Otherwise they are combined and the next round is twice as
    large, until the rest would cost less than a round: then every actor is
    a pivot, which is the exact answer at the exact cost. No source is ever
    computed twice. Sampled values use networkx's rescaling for pivots.

    ``work`` (default :data:`BRIDGING_WORK`) bounds pivots x links: a round
    that would pass it is not started, and the estimate so far is returned
    with ``limited`` set. The first two rounds always run, so there is an
    agreement to report.

    Examples
    --------
    >>> est = adaptive_betweenness(nx.path_graph(5), start=2, top=2, agree=2)
    >>> est.exact, est.pivots, round(est.values[2], 3)
    (True, 5, 0.667)
    >>> capped = adaptive_betweenness(nx.path_graph(40), start=2, top=5, agree=5, work=4 * 39)
    >>> capped.exact, capped.pivots, capped.limited
    (False, 4, True)
    """
    import numpy as np

    if agree is None:
        agree = AGREE_TOP20
    nodes = list(G.nodes())
    n = len(nodes)
    order = random.Random(seed).sample(range(n), n)
    chosen = choose_engine(G, engine)
    if chosen == "igraph" and n >= 3:
        g, _same = to_igraph(G)

        def sums(batch: list[int]) -> "np.ndarray":
            return np.asarray(_igraph_betweenness(g, batch), dtype=float)
    else:

        def sums(batch: list[int]) -> "np.ndarray":
            found = nx.betweenness_centrality_subset(G, [nodes[i] for i in batch], nodes, normalized=False)
            return np.array([found[node] for node in nodes], dtype=float)

    keys = [str(node) for node in nodes]

    def scaled(raw: "np.ndarray", chosen_sources: list[int]) -> "np.ndarray":
        picked = np.zeros(n, dtype=bool)
        picked[chosen_sources] = True
        k = len(chosen_sources)
        return raw * np.where(picked, 2.0 / ((k - 1) * (n - 2)), 2.0 / (k * (n - 2)))

    def leaders(values: "np.ndarray") -> set[int]:
        return set(sorted(range(n), key=lambda i: (-values[i], keys[i]))[:top])

    used = min(max(start, 2), n)
    # The most pivots the work limit allows; never fewer than the first two rounds.
    most = max((BRIDGING_WORK if work is None else work) // max(G.number_of_edges(), 1), 2 * used)
    totals = sums(order[:used])
    agreement = None
    while used < n and n >= 3:
        # A new round as large as everything so far, from fresh pivots: two independent estimates.
        batch = order[used : 2 * used]
        if len(batch) < used:
            break  # the rest costs less than a full round: finish exactly
        if used + len(batch) > most:
            return BetweennessEstimate(dict(zip(nodes, scaled(totals, order[:used]).tolist())), used, agreement,
                                       False, top, limited=True)
        fresh = sums(batch)
        agreement = len(leaders(scaled(totals, order[:used])) & leaders(scaled(fresh, batch)))
        totals = totals + fresh
        used += len(batch)
        if agreement >= agree and used < n:
            return BetweennessEstimate(dict(zip(nodes, scaled(totals, order[:used]).tolist())), used, agreement,
                                       False, top)
    if used < n and n > most:
        return BetweennessEstimate(dict(zip(nodes, scaled(totals, order[:used]).tolist())), used, agreement,
                                   False, top, limited=True)
    if used < n:
        totals = totals + sums(order[used:])
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return BetweennessEstimate(dict(zip(nodes, (totals * scale).tolist())), n, agreement, True, top)


def _igraph_betweenness(g: Any, sources: list[int] | None) -> list[float]:
    count = g.vcount() if sources is None else len(sources)
    if not _in_workers(count * max(g.ecount(), 1)):
        if sources is None:
            return g.betweenness(directed=False)
        return g.betweenness(directed=False, sources=sources)
    everyone = list(range(g.vcount())) if sources is None else sources
    totals = [0.0] * g.vcount()
    for part in _map_over_cores(_betweenness_part, g, everyone):
        for i, value in enumerate(part):
            totals[i] += value
    return totals


def _betweenness_part(sources: list[int]) -> list[float]:
    return _shared.betweenness(directed=False, sources=sources)


# --------------------------------------------------------------- closeness


def harmonic_closeness(
    G: nx.Graph, *, k: int | None = None, seed: int = 0, engine: str = "auto"
) -> dict[Hashable, float]:
    """Harmonic closeness in [0, 1]: the mean of 1/distance to the others.

    With ``k`` pivots, the mean is taken over the pivots (other than the
    actor itself) instead of over everyone.

    Examples
    --------
    >>> harmonic_closeness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.75, 'b': 1.0, 'c': 0.75}
    """
    n = G.number_of_nodes()
    if n < 2:
        return dict.fromkeys(G, 0.0)
    sources = pivots(G, k, seed)
    use_igraph = choose_engine(G, engine) == "igraph"
    if sources is None:
        if not use_igraph:
            sums = nx.harmonic_centrality(G)
            return {node: sums[node] / (n - 1) for node in G}
        g, nodes = to_igraph(G)
        values = _igraph_harmonic(g)
        return {node: float(values[i]) for i, node in enumerate(nodes)}
    totals = dict.fromkeys(G, 0.0)
    if not use_igraph:
        for source in sources:
            for node, distance in nx.single_source_shortest_path_length(G, source).items():
                if distance:
                    totals[node] += 1.0 / distance
    else:
        g, nodes = to_igraph(G)
        index = {node: i for i, node in enumerate(nodes)}
        sums = _igraph_inverse_distance_sums(g, [index[s] for s in sources])
        totals = {node: sums[i] for i, node in enumerate(nodes)}
    picked = set(sources)
    kk = len(sources)
    return {
        node: (total / (kk - 1) if kk > 1 else 0.0) if node in picked else total / kk for node, total in totals.items()
    }


def _igraph_harmonic(g: Any) -> list[float]:
    if not _in_workers(g.vcount() * max(g.ecount(), 1)):
        return g.harmonic_centrality(normalized=True)
    out: list[float] = []
    for part in _map_over_cores(_harmonic_part, g, list(range(g.vcount()))):
        out.extend(part)
    return out


def _harmonic_part(vertices: list[int]) -> list[float]:
    return _shared.harmonic_centrality(vertices=vertices, normalized=True)


def _igraph_inverse_distance_sums(g: Any, sources: list[int]) -> list[float]:
    if not _in_workers(len(sources) * max(g.ecount(), 1)):
        return _inverse_distance_sums(g, sources)
    totals = [0.0] * g.vcount()
    for part in _map_over_cores(_inverse_distance_part, g, sources):
        for i, value in enumerate(part):
            totals[i] += value
    return totals


def _inverse_distance_part(sources: list[int]) -> list[float]:
    return _inverse_distance_sums(_shared, sources)


def _inverse_distance_sums(g: Any, sources: list[int]) -> list[float]:
    import numpy as np

    sums = np.zeros(g.vcount())
    for start in range(0, len(sources), 32):
        block = np.array(g.distances(source=sources[start : start + 32]), dtype=float)
        with np.errstate(divide="ignore"):
            inverse = np.where((block > 0) & np.isfinite(block), 1.0 / block, 0.0)
        sums += inverse.sum(axis=0)
    return sums.tolist()


# ---------------------------------------------------------------- PageRank


def pagerank(
    G: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight", tol: float = 1e-12, engine: str = "auto"
) -> dict[Hashable, float]:
    """PageRank of an undirected, weighted graph (sums to 1).

    Examples
    --------
    >>> ranks = pagerank(nx.star_graph(3))
    >>> max(ranks, key=ranks.get), round(sum(ranks.values()), 6)
    (0, 1.0)
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if choose_engine(G, engine) == "igraph":
        g, nodes = to_igraph(G, weight=weight)
        # ARPACK: igraph's default (PRPACK) takes 0.5-1 s on undirected graphs
        # with unequal weights even at a few hundred nodes; ARPACK takes milliseconds.
        values = g.pagerank(
            directed=False, damping=alpha, weights="weight" if weight else None, implementation="arpack"
        )
        return {node: float(values[i]) for i, node in enumerate(nodes)}
    return _pagerank_numpy(G, alpha=alpha, weight=weight, tol=tol)


def _pagerank_numpy(G: nx.Graph, *, alpha: float, weight: str | None, tol: float) -> dict[Hashable, float]:
    """Power iteration with numpy; the same answer as ``nx.pagerank`` without scipy."""
    import numpy as np

    nodes = list(G.nodes())
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    rows, cols, vals = [], [], []
    for u, v, data in G.edges(data=True):
        w = float(data.get(weight, 1)) if weight else 1.0
        i, j = index[u], index[v]
        rows.append(i)
        cols.append(j)
        vals.append(w)
        if i != j:
            rows.append(j)
            cols.append(i)
            vals.append(w)
    src = np.array(rows, dtype=np.int64)
    dst = np.array(cols, dtype=np.int64)
    weights = np.array(vals, dtype=float)
    out_strength = np.bincount(src, weights=weights, minlength=n) if len(src) else np.zeros(n)
    dangling = out_strength == 0
    share = np.divide(weights, out_strength[src], out=np.zeros_like(weights), where=out_strength[src] > 0)
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        previous = x
        flow = np.bincount(dst, weights=previous[src] * share, minlength=n) if len(src) else np.zeros(n)
        x = alpha * (flow + previous[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - previous).sum() < n * tol:
            break
    x = x / x.sum()
    return {node: float(x[i]) for i, node in enumerate(nodes)}


# ------------------------------------------------------------ worker pool

# The graph being worked on, inherited by forked workers instead of pickled.
_shared: Any = None
_FORKING = threading.Lock()


def eigenvector(
    G: nx.Graph, *, weight: str | None = "weight", tol: float = 1e-12, max_iter: int = 5000
) -> tuple[dict[Hashable, float], int]:
    """Eigenvector centrality within each connected part, and how many parts have links.

    Power iteration on ``A + I`` (as networkx's ``eigenvector_centrality``
    does, so bipartite networks converge too), with ``weight`` as the link
    strength when present, run on every part at once in numpy. Each part's
    vector has unit length, then is scaled by ``sqrt(part size / n)``: on a
    connected network the values equal networkx's; on a disconnected one each
    part is ranked on its own (a whole-graph eigenvector gives zero to every
    part but the dominant one). Actors with no links get 0.

    Examples
    --------
    >>> values, parts = eigenvector(nx.star_graph(2))
    >>> round(values[0], 6), round(values[1], 6), parts
    (0.707107, 0.5, 1)
    """
    import numpy as np

    nodes, u, v, w = edge_arrays(G, weight or "__unweighted__")
    n = len(nodes)
    if n == 0:
        return {}, 0
    label = np.empty(n, dtype=np.int64)
    index = {node: i for i, node in enumerate(nodes)}
    for number, part in enumerate(nx.connected_components(G)):
        label[[index[node] for node in part]] = number
    sizes = np.bincount(label)
    linked = sizes[label] > 1
    x = np.where(linked, 1.0, 0.0)
    for _ in range(max_iter):
        y = x + np.bincount(u, weights=w * x[v], minlength=n) + np.bincount(v, weights=w * x[u], minlength=n)
        norm = np.sqrt(np.bincount(label, weights=y * y))
        y = np.divide(y, norm[label], out=np.zeros(n), where=norm[label] > 0)
        done = float(np.abs(y - x).sum()) < n * tol
        x = y
        if done:
            break
    x = x * np.sqrt(sizes[label] / n)
    return dict(zip(nodes, x.tolist())), int(np.count_nonzero(sizes > 1))


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _can_fork() -> bool:
    import multiprocessing
    import sys

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _in_workers(work: int) -> bool:
    """Whether an igraph job of ``work`` edge visits is split over the cores (:func:`_map_over_cores`)."""
    return work >= PARALLEL_WORK and _cores() >= 2 and _can_fork()


def _map_over_cores(function: Any, g: Any, items: Sequence[int]) -> list[Any]:
    """Run ``function(part)`` on one slice of ``items`` per core, in forked workers.

    Forked workers start in milliseconds, inherit the graph without copying
    it, and never re-run the caller's main script (as spawned ones would).
    Only igraph's C code runs in them: no database connection or lock of the
    parent is touched.
    """
    global _shared
    import multiprocessing

    parts = _split(items, _cores())
    with _FORKING:  # one graph at a time in _shared, which the forked workers read
        _shared = g
        try:
            with ProcessPoolExecutor(max_workers=len(parts), mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(function, parts))
        finally:
            _shared = None


def _split(items: Sequence[int], parts: int) -> list[list[int]]:
    size = math.ceil(len(items) / parts)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


# --------------------------------------------------------- work beside the caller

#: Below this many nodes, work asked for "beside" simply runs in the caller.
BESIDE_FROM = 5_000
_beside: Any = None
_BESIDE = threading.Lock()


def _run_beside() -> Any:
    function, args = _beside
    return function(*args)


@contextlib.contextmanager
def beside(function: Callable[..., T], *args: Any, size: int = 0) -> Iterator[Callable[[], T]]:
    """Start ``function(*args)`` in a forked process now; yield a call that returns its result.

    The caller goes on with other work meanwhile, so pure-Python work (the
    gap tables) overlaps with the measures on a second core. The child
    inherits the arguments without pickling them and only its (plain) result
    is sent back. For graphs under :data:`BESIDE_FROM` nodes, on one core or
    where fork is not available, ``function`` runs in the caller when the
    result is asked for.

    Examples
    --------
    >>> with beside(sum, [1, 2, 3]) as result:
    ...     other = 10
    >>> result() + other
    16
    """
    global _beside
    if size < BESIDE_FROM or _cores() < 2 or not _can_fork():
        yield lambda: function(*args)
        return
    import multiprocessing

    with _BESIDE:  # _beside holds one job at a time: another thread's would be forked with this one's
        _beside = (function, args)
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        try:
            future = pool.submit(_run_beside)  # forks now, inheriting _beside
        finally:
            _beside = None
    try:
        yield future.result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
