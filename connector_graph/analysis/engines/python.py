"""The Python engine behind the :class:`~.base.Engine` interface: networkx, or python-igraph for speed.

It computes on the networkx analysis graph with the existing analysis
functions (nothing is recomputed here in a second way); it is the reference
the GDS engine is held to (``tests/analysis/test_engine_contract.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Collection

import networkx as nx

from .. import engine as python_engines
from ..centrality import brokerage
from ..communities import detect_communities
from ..gaps import tie_matrix, ward_stats
from .base import Centrality, Communities, Structure, Tables

__all__ = ["PythonEngine"]


class PythonEngine:
    """The networkx/igraph engine for one projection of a store (or for a graph given directly)."""

    def __init__(
        self,
        store: object | None = None,
        *,
        graph: nx.Graph | None = None,
        as_of: dt.date | None = None,
        wards: Collection[str] | None = None,
        include_organisations: bool = True,
        engine: str = "auto",
    ) -> None:
        if graph is None:
            from ...graph import graph_for_analysis

            graph = graph_for_analysis(store, as_of=as_of, wards=wards, include_organisations=include_organisations)
        self.graph = graph
        self.name = python_engines.choose_engine(graph, engine)

    def centrality(self, *, samples: int | None = None, seed: int = 0) -> Centrality:
        """Every measure of :data:`~.base.CENTRALITY_MEASURES`, with the Python engines' own code."""
        G, engine = self.graph, self.name
        n = G.number_of_nodes()
        k = None if samples is None or samples >= n else samples
        size, _constraint = brokerage(G, engine=engine)
        eigen = nx.eigenvector_centrality(G, max_iter=10_000, tol=1e-12) if G.number_of_edges() else dict.fromkeys(G, 0.0)
        values = {
            "degree": nx.degree_centrality(G) if n > 1 else dict.fromkeys(G, 0.0),
            "betweenness": python_engines.betweenness(G, k=k, seed=seed, engine=engine),
            "closeness": python_engines.harmonic_closeness(G, engine=engine),
            "pagerank": python_engines.pagerank(G, engine=engine),
            "eigenvector": eigen,
            "effective_size": size,
        }
        return Centrality(values={m: {str(a): v for a, v in d.items()} for m, d in values.items()}, samples=k, seed=seed)

    def communities(self, *, seed: int = 0) -> Communities:
        """The partition of :func:`~connector_graph.analysis.communities.detect_communities`."""
        partition = detect_communities(self.graph, seed=seed)
        return Communities(
            dict(partition.membership), len(partition.communities), float(partition.modularity), partition.engine
        )

    def structure(self) -> Structure:
        """Components, articulation points and bridges from networkx."""
        G = self.graph
        return Structure(
            components=nx.number_connected_components(G),
            cut_points=frozenset(str(a) for a in nx.articulation_points(G)),
            bridges=sorted(tuple(sorted((str(a), str(b)))) for a, b in nx.bridges(G)),
        )

    def tables(self) -> Tables:
        """The ward and sector tables of :mod:`~connector_graph.analysis.gaps`."""
        keys = ("ward", "actors", "people", "organisations", "connectors", "ties_within", "ties_out")
        rows = [{k: getattr(s, k) for k in keys} for s in ward_stats(self.graph) if s.actors]
        return Tables(wards=rows, sectors=dict(tie_matrix(self.graph, "sector").counts))
