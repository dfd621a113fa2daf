"""Sign-in policy for the dashboard, free of any web framework.

- On a loopback address with no accounts and no identity provider, the app
  runs as one local user (an admin) and says so.
- Served on any other address, personal data is shown only after sign-in;
  with no way to sign in configured, the app refuses and says how to set it up.
- Sessions end after ``idle_minutes`` without a page load and after
  ``absolute_hours`` whatever happens.
"""

from __future__ import annotations

import datetime as dt
import enum
import ipaddress
import os
from dataclasses import dataclass
from typing import Callable, Mapping

__all__ = [
    "SignInMode",
    "SessionLimits",
    "is_loopback",
    "choose_mode",
    "session_expired",
    "CLIENT_SETTINGS",
    "MAX_UPLOAD_MB",
    "SERVER_LIMITS",
    "unsafe_server_settings",
]


class SignInMode(str, enum.Enum):
    """How people get in."""

    LOCAL_USER = "local_user"  # loopback only, nothing configured
    ACCOUNTS = "accounts"  # local accounts and/or an identity provider
    REFUSE = "refuse"  # served beyond loopback with no way to sign in


@dataclass(frozen=True)
class SessionLimits:
    """Idle and absolute session time-outs."""

    idle_minutes: int = 30
    absolute_hours: int = 10

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "SessionLimits":
        """Read ``CONNECTOR_GRAPH_IDLE_MINUTES`` and ``CONNECTOR_GRAPH_SESSION_HOURS``."""
        env = os.environ if environ is None else environ
        return cls(
            idle_minutes=int(env.get("CONNECTOR_GRAPH_IDLE_MINUTES") or cls.idle_minutes),
            absolute_hours=int(env.get("CONNECTOR_GRAPH_SESSION_HOURS") or cls.absolute_hours),
        )


def is_loopback(address: str | None) -> bool:
    """True for an address only this machine can reach; an empty address means every interface.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback(None)
    (True, True, False, False)
    """
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def choose_mode(address: str | None, *, has_accounts: bool, has_identity_provider: bool) -> SignInMode:
    """Pick how people sign in, from where the app listens and what is configured.

    Examples
    --------
    >>> choose_mode("127.0.0.1", has_accounts=False, has_identity_provider=False).value
    'local_user'
    >>> choose_mode("0.0.0.0", has_accounts=False, has_identity_provider=False).value
    'refuse'
    >>> choose_mode("0.0.0.0", has_accounts=True, has_identity_provider=False).value
    'accounts'
    """
    if has_accounts or has_identity_provider:
        return SignInMode.ACCOUNTS
    return SignInMode.LOCAL_USER if is_loopback(address) else SignInMode.REFUSE


def session_expired(
    signed_in_at: dt.datetime, last_seen: dt.datetime, now: dt.datetime, limits: SessionLimits
) -> str | None:
    """Why the session has ended, or ``None`` while it is still good."""
    if now - signed_in_at > dt.timedelta(hours=limits.absolute_hours):
        return f"you have been signed in for over {limits.absolute_hours} hours"
    if now - last_seen > dt.timedelta(minutes=limits.idle_minutes):
        return f"nothing happened for {limits.idle_minutes} minutes"
    return None


#: Browser-side settings the app applies itself on every run, wherever it was started from
#: (``.streamlit/config.toml`` is only read from the folder Streamlit is started in).
CLIENT_SETTINGS: dict[str, object] = {
    "client.showErrorDetails": "none",
    "client.toolbarMode": "minimal",
    "client.disableDataExport": True,
}

#: The largest upload, in MB: the server's limit (``SERVER_LIMITS``) and the import page's own check.
MAX_UPLOAD_MB = 50

#: Server settings the app lowers to these values on every run, wherever it was started from (a lower
#: configured value is kept). Streamlit reads ``server.maxUploadSize`` on every upload and when it draws an
#: uploader, so the limit holds from the first page on, although ``.streamlit/config.toml`` (which says the
#: same) is only read when Streamlit is started beside it.
SERVER_LIMITS: dict[str, int] = {
    "server.maxUploadSize": MAX_UPLOAD_MB,
}


def unsafe_server_settings(get_option: Callable[[str], object]) -> list[str]:
    """Server settings that cannot be changed once running and are unsafe: each as a sentence.

    Examples
    --------
    >>> unsafe_server_settings({"server.enableXsrfProtection": False}.get)
    ['cross-site request forgery protection is off (server.enableXsrfProtection)']
    >>> unsafe_server_settings({"server.enableXsrfProtection": True}.get)
    []
    """
    problems = []
    if get_option("server.enableXsrfProtection") is False:
        problems.append("cross-site request forgery protection is off (server.enableXsrfProtection)")
    return problems
