"""connector_graph: map the relationships community connectors build.

The public API: the domain model, the errors, the store and the settings.
"""

from .config import Settings
from .errors import ConnectorGraphError, Duplicate, Forbidden, InvalidInput, NotFound, StoreUnavailable
from .model import (
    Channel,
    Counts,
    Introduction,
    IntroStatus,
    Organisation,
    OrgKind,
    Person,
    PersonRole,
    Sector,
    Tie,
    TieKind,
    TieSource,
    Ward,
    build,
)
from .store import Batch, IntroductionFilter, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Batch",
    "Channel",
    "ConnectorGraphError",
    "Counts",
    "Duplicate",
    "Forbidden",
    "IntroStatus",
    "Introduction",
    "IntroductionFilter",
    "InvalidInput",
    "NotFound",
    "OrgKind",
    "Organisation",
    "Person",
    "PersonRole",
    "Sector",
    "Settings",
    "Store",
    "StoreUnavailable",
    "Tie",
    "TieKind",
    "TieSource",
    "Ward",
    "build",
    "open_store",
    "__version__",
]
