"""Who is using the dashboard: sign-in, time-outs and the role re-read on every page load."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from connector_graph import accounts
from connector_graph.auth import Principal, Role
from connector_graph.errors import ConnectorGraphError, TooManyAttempts
from connector_graph.signin import SessionLimits, SignInMode, choose_mode, session_expired
from connector_graph.store import Store
from connector_graph.views.text import md_escape

_KEY = "signed_in"
_LAST = "last_principal"


def _has_identity_provider() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, ValueError):
        return False
    except Exception:  # no secrets file at all
        return False


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _sign_out(reason: str | None = None) -> None:
    st.session_state.pop(_KEY, None)
    st.session_state.pop(_LAST, None)
    if reason:
        st.session_state["signed_out_because"] = reason


def _remember(principal: Principal) -> Principal:
    st.session_state[_LAST] = (principal.username, principal.role)
    return principal


def _address() -> str | None:
    """The browser's address as Streamlit saw it, for throttling (``None`` when unknown)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - older Streamlit or no request context: throttle per account only
        return None
    return address if isinstance(address, str) and address else None


def _login_form(store: Store) -> None:
    st.title("Sign in")
    if reason := st.session_state.pop("signed_out_because", None):
        st.info(f"You were signed out because {reason}.")
    if _has_identity_provider() and st.button("Sign in with your organisation's account", key="oidc_login"):
        st.login()
    with st.form("login"):
        username = st.text_input("User name", key="login_user")
        password = st.text_input("Password", type="password", key="login_password")
        if st.form_submit_button("Sign in"):
            try:
                principal = accounts.authenticate(store, username, password, address=_address())
            except TooManyAttempts as exc:
                st.error(md_escape(f"Sign-in is paused: {exc}."))
                return
            if principal is None:
                st.error("That user name and password do not match an account.")
            else:
                now = _now()
                st.session_state[_KEY] = {"username": principal.username, "at": now, "seen": now}
                st.rerun()


def current_user(store: Store, server_address: str | None) -> Principal | None:
    """The signed-in principal for this page load, or ``None`` after drawing the sign-in page."""
    try:
        has_accounts = bool(store.list_users())
    except ConnectorGraphError as exc:
        last = st.session_state.get(_LAST)
        if last is None:
            st.error(md_escape(f"The list of users cannot be read: {exc}"))
            return None
        # The database went away mid-session: keep the page (and what was typed) as the
        # same user; nothing can be read or written until it is back.
        return Principal(*last)
    mode = choose_mode(server_address, has_accounts=has_accounts, has_identity_provider=_has_identity_provider())
    if mode is SignInMode.REFUSE:
        st.error(
            "This app is reachable from other machines but no sign-in is set up, so it shows no data. "
            "Add an admin with `connector-graph user add NAME --role admin`, or configure an identity "
            "provider in `.streamlit/secrets.toml` ([auth]), then reload."
        )
        return None
    if mode is SignInMode.LOCAL_USER:
        st.sidebar.caption("Single local user: no sign-in is set up and the app is only reachable from this machine.")
        return _remember(Principal("local", Role.ADMIN))

    session = st.session_state.get(_KEY)
    if session is None and _has_identity_provider() and getattr(st.user, "is_logged_in", False):
        now = _now()
        session = st.session_state[_KEY] = {"username": str(st.user.get("email", "")).lower(), "at": now, "seen": now}
    if session is None:
        _login_form(store)
        return None
    now = _now()
    if reason := session_expired(session["at"], session["seen"], now, SessionLimits.from_env()):
        _sign_out(reason)
        st.rerun()
    session["seen"] = now
    try:
        role = accounts.current_role(store, session["username"])  # re-read every time: demotions apply at once
    except ConnectorGraphError as exc:
        st.error(md_escape(f"Your account cannot be checked right now: {exc}"))
        return None
    if role is None:
        _sign_out("your account is no longer active")
        st.rerun()
    st.sidebar.caption(f"Signed in as {session['username']} ({role.value}).")  # user names are plain (validated)
    if st.sidebar.button("Sign out", key="sign_out"):
        _sign_out()
        if getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()
    return _remember(Principal(session["username"], role))
