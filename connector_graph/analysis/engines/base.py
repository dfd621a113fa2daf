"""The engine interface: one method per measure family, results keyed by actor id.

An engine is built for one projection of one store (the analysis graph of
:func:`connector_graph.graph.build_graph`, with its ``as_of``, ``wards`` and
``include_organisations`` options) and answers in plain data, the Python
engines' conventions:

- ``degree``: links / (n - 1); ``betweenness``: normalised by the number of
  node pairs; ``closeness``: harmonic, mean of 1/distance over the others;
  ``pagerank``: weighted, damping 0.85, sums to 1; ``eigenvector``:
  unweighted, unit length; ``effective_size``: Burt's, unweighted (None for
  actors with no links);
- communities: a membership map, their number and modularity;
- structure: number of components, articulation points, bridges;
- tables: per-ward counts and tied organisation pairs per sector pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Engine", "Centrality", "Communities", "Structure", "Tables", "CENTRALITY_MEASURES"]

#: The measures every engine's :meth:`Engine.centrality` returns.
CENTRALITY_MEASURES = ("degree", "betweenness", "closeness", "pagerank", "eigenvector", "effective_size")


@dataclass(frozen=True)
class Centrality:
    """Every actor's measures: ``values[measure][actor id]``; ``samples`` is None when exact."""

    values: dict[str, dict[str, Any]]
    samples: int | None
    seed: int


@dataclass(frozen=True)
class Communities:
    """Which community each actor is in, how many there are and the partition's modularity."""

    membership: dict[str, int]
    count: int
    modularity: float
    method: str


@dataclass(frozen=True)
class Structure:
    """Components, articulation points (actors whose leaving splits the network) and bridges."""

    components: int
    cut_points: frozenset[str]
    bridges: list[tuple[str, str]]


@dataclass(frozen=True)
class Tables:
    """Per-ward rows (``ward``, ``actors``, ``people``, ``organisations``, ``connectors``,
    ``ties_within``, ``ties_out``) and tied organisation pairs per sorted sector pair."""

    wards: list[dict[str, Any]]
    sectors: dict[tuple[str, str], int] = field(default_factory=dict)


class Engine(Protocol):
    """What an analysis engine computes for one projection of a store."""

    #: ``"networkx"``, ``"igraph"`` or ``"gds"``: what the report says computed it.
    name: str

    def centrality(self, *, samples: int | None = None, seed: int = 0) -> Centrality:
        """Every measure of :data:`CENTRALITY_MEASURES` for every actor (``samples``: betweenness pivots)."""
        ...

    def communities(self, *, seed: int = 0) -> Communities:
        """A seeded, repeatable partition into communities."""
        ...

    def structure(self) -> Structure:
        """Components, articulation points and bridges (always exact)."""
        ...

    def tables(self) -> Tables:
        """The ward and sector tables."""
        ...
