"""Settings, read once from the environment into a frozen object.

=============================  ==================================================
variable                       meaning
=============================  ==================================================
``CONNECTOR_GRAPH_STORE``      store URL: ``sqlite:///data/connector_graph.db``
                               (default), ``bolt://host:7687`` or ``neo4j://...``
``CONNECTOR_GRAPH_NEO4J_USER``      Neo4j user name (default ``neo4j``), unless
                               given in the URL
``CONNECTOR_GRAPH_NEO4J_PASSWORD``  Neo4j password, unless given in the URL
``CONNECTOR_GRAPH_NEO4J_DATABASE``  Neo4j database name (default ``neo4j``)
=============================  ==================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

__all__ = ["Settings", "DEFAULT_STORE_URL"]

DEFAULT_STORE_URL = "sqlite:///data/connector_graph.db"


@dataclass(frozen=True)
class Settings:
    """Everything connector_graph reads from its environment."""

    store_url: str = DEFAULT_STORE_URL
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    retention_months: int = 24
    neo4j_retry_seconds: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Read the settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        return cls(
            store_url=env.get("CONNECTOR_GRAPH_STORE") or DEFAULT_STORE_URL,
            neo4j_user=env.get("CONNECTOR_GRAPH_NEO4J_USER") or None,
            neo4j_password=env.get("CONNECTOR_GRAPH_NEO4J_PASSWORD") or None,
            neo4j_database=env.get("CONNECTOR_GRAPH_NEO4J_DATABASE") or None,
            retention_months=_months(env.get("CONNECTOR_GRAPH_RETENTION_MONTHS")),
            neo4j_retry_seconds=_seconds(env.get("CONNECTOR_GRAPH_NEO4J_RETRY_SECONDS")),
        )


def _months(text: str | None) -> int:
    """The retention period in months; 24 when unset or not a whole number from 1 to 1200."""
    try:
        value = int(text) if text else 24
    except ValueError:
        return 24
    return value if 1 <= value <= 1200 else 24


def _seconds(text: str | None) -> float:
    """How long Neo4j writes are retried through a lost connection; 30 s when unset or not from 0 to 600."""
    try:
        value = float(text) if text else 30.0
    except ValueError:
        return 30.0
    return value if 0 <= value <= 600 else 30.0
