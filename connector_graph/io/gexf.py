"""GEXF export of the analysis projection (opens in Gephi)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .files import safe_output_path

__all__ = ["write_gexf"]


def write_gexf(G: nx.Graph, path: Path | str) -> Path:
    """Write a flat projection (see :func:`~connector_graph.io.projection.flat_graph`) as GEXF 1.2."""
    with safe_output_path(path) as partial:
        nx.write_gexf(G, partial, encoding="utf-8", prettyprint=False, version="1.2draft")
    return Path(path)
