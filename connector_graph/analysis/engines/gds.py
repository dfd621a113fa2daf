"""The Graph Data Science engine: the analysis runs inside Neo4j, on an in-memory projection.

Nothing of the network is pulled into Python but each actor's results, read
back in bulk (see :mod:`connector_graph.store.neo4j_gds`, where all of its
Cypher lives). One projection serves every measure family of a report: the
first family asked for computes them all, the others read the result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Collection

from ...store.neo4j_gds import GdsMeasures, gds_measures, sector_table, ward_table
from .base import Centrality, Communities, Structure, Tables

__all__ = ["GdsEngine"]


class GdsEngine:
    """The GDS engine for one projection of a Neo4j store."""

    name = "gds"

    def __init__(
        self,
        store: Any,
        *,
        as_of: dt.date | None = None,
        wards: Collection[str] | None = None,
        include_organisations: bool = True,
        samples: int | None = None,
        seed: int = 0,
    ) -> None:
        self.store = store
        self.options = dict(as_of=as_of, wards=wards, include_organisations=include_organisations)
        self._plan = (samples, seed)
        self._measures: GdsMeasures | None = None

    def measures(self, *, samples: int | None = None, seed: int = 0) -> GdsMeasures:
        """Everything GDS computes, once per sampling plan."""
        if self._measures is None or self._plan != (samples, seed):
            self._plan = (samples, seed)
            self._measures = gds_measures(self.store, samples=samples, seed=seed, **self.options)
        return self._measures

    def centrality(self, *, samples: int | None = None, seed: int = 0) -> Centrality:
        """Degree, betweenness, closeness, PageRank and eigenvector from GDS; effective size from its triangles."""
        m = self.measures(samples=samples, seed=seed)
        values = {key: m.values.get(key, {}) for key in ("degree", "betweenness", "closeness", "pagerank", "eigenvector")}
        n = m.nodes
        links = {actor: round(d * (n - 1)) for actor, d in values["degree"].items()}
        # Burt's effective size, unweighted: d - 2t/d, with t the links among an actor's contacts
        values["effective_size"] = {
            actor: (d - 2 * m.values["triangles"][actor] / d if d else None) for actor, d in links.items()
        }
        return Centrality(values=values, samples=m.samples, seed=seed)

    def communities(self, *, seed: int = 0) -> Communities:
        """Leiden communities (seeded, one thread, so repeatable), numbered by size as the Python engine does."""
        m = self.measures(samples=self._plan[0], seed=seed)
        raw = m.values.get("community", {})
        groups: dict[int, list[str]] = {}
        for actor, label in raw.items():
            groups.setdefault(int(label), []).append(actor)
        ordered = sorted((sorted(members) for members in groups.values()), key=lambda ms: (-len(ms), ms[0]))
        membership = {actor: number for number, members in enumerate(ordered, start=1) for actor in members}
        return Communities(membership, len(ordered), m.modularity, "gds-leiden")

    def structure(self) -> Structure:
        """Components (WCC), articulation points and bridges from GDS."""
        m = self.measures(samples=self._plan[0], seed=self._plan[1])
        cut = frozenset(actor for actor, flag in m.values.get("cut_point", {}).items() if flag)
        return Structure(components=m.components, cut_points=cut, bridges=list(m.bridges))

    def tables(self) -> Tables:
        """The ward and sector tables, counted in Cypher."""
        _present, sectors = sector_table(self.store, **self.options)
        return Tables(wards=ward_table(self.store, **self.options), sectors=sectors)
