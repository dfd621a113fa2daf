"""GEXF export of the analysis projection (opens in Gephi)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .files import prepare_output

__all__ = ["write_gexf"]


def write_gexf(G: nx.Graph, path: Path | str) -> Path:
    """Write a flat projection (see :func:`~connector_graph.io.projection.flat_graph`) as GEXF 1.2."""
    path = prepare_output(path)
    partial = path.with_name(path.name + ".partial")
    nx.write_gexf(G, partial, encoding="utf-8", prettyprint=False, version="1.2draft")
    partial.replace(path)
    return path
