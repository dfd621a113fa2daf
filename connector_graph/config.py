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
``CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS``  lawful basis given to a new person who has none
                               (default ``legitimate_interests``; one of the
                               ``LawfulBasis`` values)
``CONNECTOR_GRAPH_KEY_FILE``   the secret key for the audit chain and erasure
                               fingerprints, kept outside the database (default
                               ``~/.config/connector_graph/secret.key``, made
                               with mode 0600 on first use)
``CONNECTOR_GRAPH_STATE_DIR``  where signed audit checkpoints and sign-in
                               throttle counts are kept, outside the database (default
                               ``~/.local/state/connector_graph``)
=============================  ==================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, TypeVar

if TYPE_CHECKING:
    from .model import LawfulBasis

N = TypeVar("N", int, float)

__all__ = ["Settings", "DEFAULT_STORE_URL", "DEFAULT_LAWFUL_BASIS", "default_lawful_basis", "key_file", "state_dir"]

DEFAULT_STORE_URL = "sqlite:///data/connector_graph.db"
DEFAULT_LAWFUL_BASIS = "legitimate_interests"


def default_lawful_basis(environ: Mapping[str, str] | None = None) -> "LawfulBasis":
    """The lawful basis a new person gets when none is given (``CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS``).

    Examples
    --------
    >>> default_lawful_basis({}).value, default_lawful_basis({"CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS": "Public task"}).value
    ('legitimate_interests', 'public_task')
    """
    from .model import LawfulBasis

    env = os.environ if environ is None else environ
    text = (env.get("CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS") or "").strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return LawfulBasis(text or DEFAULT_LAWFUL_BASIS)
    except ValueError:
        return LawfulBasis(DEFAULT_LAWFUL_BASIS)


def key_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where the secret key lives (``CONNECTOR_GRAPH_KEY_FILE``), outside every database."""
    env = os.environ if environ is None else environ
    configured = env.get("CONNECTOR_GRAPH_KEY_FILE")
    return Path(configured).expanduser() if configured else Path.home() / ".config" / "connector_graph" / "secret.key"


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where audit checkpoints and sign-in throttle counts live (``CONNECTOR_GRAPH_STATE_DIR``)."""
    env = os.environ if environ is None else environ
    configured = env.get("CONNECTOR_GRAPH_STATE_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".local" / "state" / "connector_graph"


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
    default_lawful_basis: "LawfulBasis" = field(default_factory=lambda: default_lawful_basis({}))
    key_file: Path | None = None
    state_dir: Path | None = None

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
            default_lawful_basis=default_lawful_basis(env),
            key_file=key_file(env),
            state_dir=state_dir(env),
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
