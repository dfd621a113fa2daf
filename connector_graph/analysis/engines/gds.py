"""The Graph Data Science engine: the analysis runs inside Neo4j, on an in-memory projection.

Nothing of the network is pulled into Python but each actor's results, read
back in bulk (see :mod:`connector_graph.store.neo4j_gds`, where all of its
Cypher lives). One projection serves every measure family of a report: the
first family asked for computes them all, the others read the result.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Collection

import numpy as np

from ...store.neo4j_gds import GdsMeasures, gds_measures, sector_table, ward_table
from .base import Centrality, Communities, Structure, Tables

__all__ = ["GdsEngine", "effective_size", "link_counts", "numbered_communities"]


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
        self._plan = (samples, seed, "auto")
        self._measures: GdsMeasures | None = None

    def measures(self, *, samples: int | None = None, seed: int = 0, closeness: str = "auto") -> GdsMeasures:
        """Everything GDS computes, once per sampling plan (``closeness``: see :func:`gds_measures`)."""
        if self._measures is None or self._plan != (samples, seed, closeness):
            self._plan = (samples, seed, closeness)
            self._measures = gds_measures(self.store, samples=samples, seed=seed, closeness=closeness,
                                          **self.options)
        return self._measures

    def centrality(self, *, samples: int | None = None, seed: int = 0, closeness: str = "auto") -> Centrality:
        """Degree, betweenness, closeness, PageRank and eigenvector from GDS; effective size from its triangles."""
        m = self.measures(samples=samples, seed=seed, closeness=closeness)
        values = {key: m.as_dict(key) for key in ("degree", "betweenness", "closeness", "pagerank", "eigenvector")}
        size = effective_size(m)
        values["effective_size"] = {
            actor: (None if math.isnan(v) else v) for actor, v in zip(m.ids, size.tolist())
        }
        return Centrality(values=values, samples=m.samples, seed=seed)

    def communities(self, *, seed: int = 0) -> Communities:
        """Leiden communities (seeded, one thread, so repeatable), numbered by size as the Python engine does."""
        m = self.measures(samples=self._plan[0], seed=seed, closeness=self._plan[2])
        numbers, count = numbered_communities(m)
        return Communities(dict(zip(m.ids, numbers.tolist())), count, m.modularity, "gds-leiden")

    def structure(self) -> Structure:
        """Components (WCC), articulation points and bridges from GDS."""
        m = self.measures(samples=self._plan[0], seed=self._plan[1], closeness=self._plan[2])
        cut = frozenset(m.ids[i] for i in np.flatnonzero(m.arrays["cut_point"])) if m.ids else frozenset()
        return Structure(components=m.components, cut_points=cut, bridges=list(m.bridges))

    def tables(self) -> Tables:
        """The ward and sector tables, counted in Cypher."""
        _present, sectors = sector_table(self.store, **self.options)
        return Tables(wards=ward_table(self.store, **self.options), sectors=sectors)


def link_counts(m: GdsMeasures) -> np.ndarray:
    """Each actor's number of links (GDS's degree, before it was divided by n - 1)."""
    if not m.ids:
        return np.zeros(0, dtype=np.int64)
    return np.rint(m.arrays["degree"] * (m.nodes - 1)).astype(np.int64)


def effective_size(m: GdsMeasures) -> np.ndarray:
    """Burt's effective size, unweighted: d - 2t/d, with t the links among an actor's contacts (NaN with no links)."""
    links = link_counts(m)
    if not len(links):
        return np.zeros(0)
    size = np.full(len(links), np.nan)
    linked = links > 0
    size[linked] = links[linked] - 2 * m.arrays["triangles"][linked] / links[linked]
    return size


def numbered_communities(m: GdsMeasures) -> tuple[np.ndarray, int]:
    """Each actor's community number (1 = the largest; equal sizes by smallest member id) and how many there are."""
    if not m.ids:
        return np.zeros(0, dtype=np.int64), 0
    _labels, first, inverse, counts = np.unique(
        m.arrays["community"], return_index=True, return_inverse=True, return_counts=True
    )
    order = np.lexsort((first, -counts))  # ids are sorted, so a community's first position is its smallest id
    number = np.empty(len(order), dtype=np.int64)
    number[order] = np.arange(1, len(order) + 1)
    return number[inverse.reshape(-1)], len(order)
