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
``CONNECTOR_GRAPH_ENGINE``     who computes analyses: ``auto`` (default: Graph
                               Data Science inside Neo4j for large networks when
                               installed, else Python), ``python`` or ``gds``
``CONNECTOR_GRAPH_GDS_FROM``   actors from which ``auto`` uses Graph Data
                               Science (default 50,000)
``CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS``  the lawful basis offered first for someone
                               new (default ``legitimate_interests``; e.g.
                               ``public_task`` for a council)
=============================  ==================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, TypeVar

from .model import LawfulBasis

N = TypeVar("N", int, float)

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
    engine: str = "auto"
    gds_from: int = 50_000
    default_lawful_basis: LawfulBasis = LawfulBasis.LEGITIMATE_INTERESTS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Read the settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        return cls(
            store_url=env.get("CONNECTOR_GRAPH_STORE") or DEFAULT_STORE_URL,
            neo4j_user=env.get("CONNECTOR_GRAPH_NEO4J_USER") or None,
            neo4j_password=env.get("CONNECTOR_GRAPH_NEO4J_PASSWORD") or None,
            neo4j_database=env.get("CONNECTOR_GRAPH_NEO4J_DATABASE") or None,
            # months to keep a person after their last activity (1 to 1200)
            retention_months=_number(env.get("CONNECTOR_GRAPH_RETENTION_MONTHS"), int, 24, 1, 1200),
            # how long Neo4j writes are retried through a lost connection (0 to 600 s)
            neo4j_retry_seconds=_number(env.get("CONNECTOR_GRAPH_NEO4J_RETRY_SECONDS"), float, 30.0, 0.0, 600.0),
            # auto, python or gds (anything else: auto)
            engine=_choice(env.get("CONNECTOR_GRAPH_ENGINE"), ("auto", "python", "gds"), "auto"),
            # actors from which auto analyses inside Neo4j with Graph Data Science (1 to 10^9)
            gds_from=_number(env.get("CONNECTOR_GRAPH_GDS_FROM"), int, 50_000, 1, 1_000_000_000),
            default_lawful_basis=_lawful_basis(env.get("CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS")),
        )


def _choice(text: str | None, allowed: tuple[str, ...], default: str) -> str:
    """``text`` (lower-cased) when it is one of ``allowed``, else ``default``.

    Examples
    --------
    >>> _choice("GDS", ("auto", "gds"), "auto"), _choice("fast", ("auto", "gds"), "auto")
    ('gds', 'auto')
    """
    value = (text or "").strip().lower()
    return value if value in allowed else default


def _number(text: str | None, kind: type[N], default: N, low: N, high: N) -> N:
    """``text`` as a ``kind`` from ``low`` to ``high``; ``default`` when unset or not such a number.

    Examples
    --------
    >>> _number("36", int, 24, 1, 1200), _number("x", int, 24, 1, 1200), _number("0", int, 24, 1, 1200)
    (36, 24, 24)
    """
    try:
        value = kind(text) if text else default
    except ValueError:
        return default
    return value if low <= value <= high else default


def _lawful_basis(text: str | None) -> LawfulBasis:
    """The configured default lawful basis; ``legitimate_interests`` when unset or not a basis.

    Examples
    --------
    >>> _lawful_basis("public_task").value, _lawful_basis(None).value, _lawful_basis("nonsense").value
    ('public_task', 'legitimate_interests', 'legitimate_interests')
    """
    try:
        return LawfulBasis((text or "").strip().lower()) if text else LawfulBasis.LEGITIMATE_INTERESTS
    except ValueError:
        return LawfulBasis.LEGITIMATE_INTERESTS
