"""Local accounts: add, remove, change roles, and check a password at sign-in."""

from __future__ import annotations

import functools
import secrets

from .auth import (
    Permission,
    Principal,
    Role,
    User,
    acting_as,
    check_password,
    hash_password,
    require,
    validate_username,
)
from .audit import AuditAction
from .errors import InvalidInput, NotFound, TooManyAttempts
from .model import Person, PersonRole
from .throttle import Throttle
from .store.base import Store

__all__ = [
    "add_user", "remove_user", "set_role", "set_password", "list_users", "authenticate", "current_role",
    "link_person", "person_of",
]


def add_user(
    store: Store, username: str, role: Role | str, password: str | None, *, person_id: str | None = None
) -> User:
    """Create a local account; without a password it can sign in only through the identity provider.

    ``person_id`` links the account to the person record (a connector or
    worker) it belongs to, so their introductions are logged as theirs.
    """
    require(Permission.MANAGE_USERS)
    user = User(
        username=validate_username(username),
        role=_role(role),
        password_hash=hash_password(password, username) if password is not None else None,
        person_id=_linkable(store, person_id) if person_id else None,
    )
    store.add_user(user)
    return user


def remove_user(store: Store, username: str) -> None:
    """Delete an account; refuses to remove the last admin."""
    require(Permission.MANAGE_USERS)
    user = store.get_user(validate_username(username))
    _keep_an_admin(store, user, None)
    store.remove_user(user.username)


def set_role(store: Store, username: str, role: Role | str) -> User:
    """Change an account's role; takes effect on the user's next page load."""
    require(Permission.MANAGE_USERS)
    user = store.get_user(validate_username(username))
    new_role = _role(role)
    _keep_an_admin(store, user, new_role)
    updated = user.model_copy(update={"role": new_role})
    store.update_user(updated)
    return updated


def set_password(store: Store, username: str, password: str) -> None:
    """Replace an account's password."""
    require(Permission.MANAGE_USERS)
    user = store.get_user(validate_username(username))
    store.update_user(user.model_copy(update={"password_hash": hash_password(password, user.username)}))


def link_person(store: Store, username: str, person_id: str | None) -> User:
    """Link an account to its person record (a connector or worker), or unlink it with ``None``."""
    require(Permission.MANAGE_USERS)
    user = store.get_user(validate_username(username))
    updated = user.model_copy(update={"person_id": _linkable(store, person_id) if person_id else None})
    store.update_user(updated)
    return updated


def person_of(store: Store, username: str) -> str | None:
    """The id of the person an account is linked to; ``None`` without a link or an account.

    Accounts stored before links existed simply have none.
    """
    try:
        return store.get_user(validate_username(username)).person_id
    except (NotFound, InvalidInput):
        return None


def _linkable(store: Store, person_id: str) -> str:
    """``person_id`` if it names a connector or worker; otherwise a clear refusal."""
    actor = store.get_actor(person_id)
    if not isinstance(actor, Person):
        raise InvalidInput(f"{actor.name} is an organisation; link the account to a person")
    if not {PersonRole.CONNECTOR, PersonRole.WORKER} & set(actor.roles):
        raise InvalidInput(f"{actor.name} is not a connector or worker; give them that role first, or choose another person")
    return actor.id


def list_users(store: Store) -> list[User]:
    """Every account, for admins."""
    require(Permission.MANAGE_USERS)
    return store.list_users()


def authenticate(
    store: Store, username: str, password: str, *, address: str | None = None, throttle: Throttle | None = None
) -> Principal | None:
    """The principal for a correct name and password, else ``None`` (never says which part was wrong).

    Repeated failures for an account or from an ``address`` make the next
    attempt wait, then lock it for a while (:mod:`connector_graph.throttle`):
    :class:`TooManyAttempts` says how long. Every attempt is audited (the
    account name when it exists, never the password).
    """
    throttle = throttle or Throttle()
    account = (username or "").strip().lower()[:64]
    wait = throttle.wait_seconds(account, address)
    if wait > 0:
        store.record_audit(AuditAction.SIGN_IN_FAILED, _audited_name(store, account))
        minutes = f"{wait / 60:.0f} minutes" if wait >= 120 else f"{wait:.0f} seconds"
        raise TooManyAttempts(f"too many failed sign-ins; try again in {minutes}")
    try:
        user = store.get_user(validate_username(username))
    except (NotFound, InvalidInput):
        check_password(_dummy(), password)  # spend the same time as a real check
        user = None
    if user is None or not check_password(user, password):
        throttle.failed(account, address)
        store.record_audit(AuditAction.SIGN_IN_FAILED, user.username if user else None)
        return None
    throttle.succeeded(account)
    with acting_as(user.username, user.role.value):
        store.record_audit(AuditAction.SIGN_IN, user.username)
    return Principal(user.username, user.role)


def _audited_name(store: Store, account: str) -> str | None:
    """The account name for the audit log if it is a real account (a typed password never is)."""
    try:
        return store.get_user(validate_username(account)).username
    except (NotFound, InvalidInput):
        return None


def current_role(store: Store, username: str) -> Role | None:
    """The user's role as stored now (re-read on every page load), or ``None`` if removed or inactive."""
    try:
        user = store.get_user(username)
    except NotFound:
        return None
    return user.role if user.active else None


def _role(role: Role | str) -> Role:
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        raise InvalidInput(f"role must be one of {', '.join(r.value for r in Role)}, not {role!r}") from None


def _keep_an_admin(store: Store, user: User, new_role: Role | None) -> None:
    if user.role is Role.ADMIN and new_role is not Role.ADMIN:
        admins = [u for u in store.list_users() if u.role is Role.ADMIN and u.active]
        if len(admins) <= 1:
            raise InvalidInput("that would leave no admin; make someone else admin first")


@functools.cache
def _dummy() -> User:
    from argon2 import PasswordHasher

    return User(username="nobody", role=Role.CONNECTOR, password_hash=PasswordHasher().hash(secrets.token_hex(16)))
