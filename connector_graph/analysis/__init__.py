"""Network analysis: pure functions, graph (or model objects) in, plain data out.

- :mod:`.centrality`: key connectors and the plain-English :data:`METRICS`;
- :mod:`.engine`: the heavy metrics in networkx or python-igraph;
- :mod:`.communities`: seeded Louvain communities and who bridges them;
- :mod:`.gaps`: isolated and fragile actors, single points of failure, ward
  and sector coverage, stale ties and overdue follow-ups;
- :mod:`.suggestions`: introductions worth making next, with reasons;
- :mod:`.trends`: introductions over time and what changed between two dates.

No function here reads or writes a store or mutates the graph it is given.
"""

from __future__ import annotations

from typing import Any

__all__ = ["METRICS", "ConnectorScore", "compute_metrics", "key_connectors"]


def __getattr__(name: str) -> Any:
    """Import :mod:`.centrality` (networkx, numpy) only when one of its names is asked for.

    So a light module of this package (a kept report, the projection's
    cache) does not pay for the heavy ones.
    """
    if name in __all__:
        from . import centrality

        return getattr(centrality, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
