"""Which engine computes a report: chosen once per report.

``CONNECTOR_GRAPH_ENGINE`` (``auto``, ``python`` or ``gds``; see
:mod:`connector_graph.config`) sets the default; ``auto`` picks the GDS engine
for a Neo4j store with Graph Data Science installed once the network has at
least ``CONNECTOR_GRAPH_GDS_FROM`` actors, and the Python engine otherwise.
An engine named for one report (``--engine``) wins over the setting.
"""

from __future__ import annotations

from typing import Any

from ...config import Settings

__all__ = ["REPORT_ENGINES", "report_engine"]

#: The engines a report can ask for: ``python`` lets the Python engine pick networkx or igraph.
REPORT_ENGINES = ("auto", "python", "networkx", "igraph", "gds")


def _is_neo4j(store: Any) -> bool:
    if not str(getattr(store, "url", "")).startswith(("bolt", "neo4j")):
        return False  # decided without importing the driver
    from ...store.neo4j_store import Neo4jStore

    return isinstance(store, Neo4jStore)


def _gds_installed(store: Any) -> bool:
    from ...store.neo4j_gds import gds_version

    return gds_version(store) is not None


def report_engine(store: Any, requested: str = "auto", settings: Settings | None = None) -> str:
    """``"gds"`` or ``"python"``: who computes this store's report.

    Raises ``ValueError`` (one line) for an unknown engine, or when ``gds`` is
    asked for but the store is not a Neo4j database with Graph Data Science.

    Examples
    --------
    >>> report_engine(object(), "networkx")
    'python'
    """
    if requested not in REPORT_ENGINES:
        raise ValueError(f"engine must be one of {', '.join(REPORT_ENGINES)}, not {requested!r}")
    if requested in ("python", "networkx", "igraph"):
        return "python"
    settings = settings or Settings.from_env()
    mode = requested if requested == "gds" else settings.engine
    if mode == "python":
        return "python"
    available = _is_neo4j(store) and _gds_installed(store)
    if mode == "gds":
        if not available:
            raise ValueError("the gds engine needs a Neo4j store with the Graph Data Science library installed")
        return "gds"
    if not available:
        return "python"
    counts = store.counts()
    return "gds" if counts.people + counts.organisations >= settings.gds_from else "python"
