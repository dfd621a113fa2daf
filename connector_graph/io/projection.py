"""Graphs made ready for graph file formats (GraphML, GEXF, GML).

GraphML and GEXF hold text, numbers and booleans only: lists become text
joined with ``|`` and missing values become empty text. A step that changes
the graph before it is written (a pseudonymiser, say) fits in as ``transform``.
"""

from __future__ import annotations

from typing import Any, Callable

import networkx as nx

__all__ = ["GraphTransform", "LIST_SEPARATOR", "flat_graph"]

#: A step applied to the projection before it is written.
GraphTransform = Callable[[nx.Graph], nx.Graph]

LIST_SEPARATOR = "|"


def _flat(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(str(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value))
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def flat_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose attributes are all text, numbers or booleans.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("a", roles=["connector", "resident"], ward=None)
    >>> flat_graph(G).nodes["a"]
    {'roles': 'connector|resident', 'ward': ''}
    """
    out = nx.Graph()
    out.add_nodes_from((n, {k: _flat(v) for k, v in data.items()}) for n, data in G.nodes(data=True))
    out.add_edges_from((u, v, {k: _flat(x) for k, x in data.items()}) for u, v, data in G.edges(data=True))
    return out

