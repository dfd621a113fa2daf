"""The project's own errors.

Every failure that a user can cause or meet is one of these, with a message
written for a person, never a driver's stack trace.
"""

from __future__ import annotations

__all__ = [
    "ConnectorGraphError",
    "NotFound",
    "Duplicate",
    "InvalidInput",
    "StoreUnavailable",
    "Forbidden",
]


class ConnectorGraphError(Exception):
    """Base class of every error connector_graph raises on purpose."""


class NotFound(ConnectorGraphError):
    """A record that was asked for, or referred to, does not exist."""


class Duplicate(ConnectorGraphError):
    """A record with this id already exists with different details."""


class InvalidInput(ConnectorGraphError):
    """Input failed validation; nothing was written."""


class StoreUnavailable(ConnectorGraphError):
    """The database could not be reached or opened."""


class Forbidden(ConnectorGraphError):
    """The signed-in user's role does not allow this action."""


class TooManyAttempts(Forbidden):
    """Sign-in is paused for this account or address after repeated failures."""
