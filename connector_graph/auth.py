"""Who is signed in, what their role lets them do, and local accounts.

Three roles:

=============  =============================================================
role           may
=============  =============================================================
``connector``  view the network and log people, organisations, ties and
               introductions
``manager``    everything a connector may, plus analysis, imports and exports
``admin``      everything, plus users, erasure, retention, subject access
               and the audit log
=============  =============================================================

The signed-in principal lives in a context variable: each CLI run and each
dashboard session sets it with :func:`acting_as` for its own work, and the
service layer checks it with :func:`require` on every call. With nobody
signed in, every check fails.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import re
from dataclasses import dataclass
from typing import Annotated, Iterator

from pydantic import AfterValidator, BaseModel, ConfigDict

from .errors import Forbidden, InvalidInput

__all__ = [
    "Role",
    "Permission",
    "ROLE_PERMISSIONS",
    "Principal",
    "User",
    "acting_as",
    "current_principal",
    "require",
    "allowed",
    "hash_password",
    "check_password",
    "validate_username",
    "MIN_PASSWORD",
    "check_password_rules",
]

MIN_PASSWORD = 12


class Role(str, enum.Enum):
    """What a user may do."""

    CONNECTOR = "connector"
    MANAGER = "manager"
    ADMIN = "admin"

    def __str__(self) -> str:
        return self.value


class Permission(str, enum.Enum):
    """One thing a role may be allowed to do."""

    VIEW = "view"
    LOG = "log"
    ANALYSE = "analyse"
    IMPORT = "import"
    EXPORT = "export"
    ERASE = "erase"
    RETENTION = "retention"
    SUBJECT_ACCESS = "subject_access"
    AUDIT = "audit"
    MANAGE_USERS = "manage_users"


_CONNECTOR = frozenset({Permission.VIEW, Permission.LOG})
_MANAGER = _CONNECTOR | {Permission.ANALYSE, Permission.IMPORT, Permission.EXPORT}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CONNECTOR: _CONNECTOR,
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user and their role."""

    username: str
    role: Role


_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar("connector_graph_principal", default=None)


@contextlib.contextmanager
def acting_as(username: str, role: Role | str = Role.ADMIN) -> Iterator[Principal]:
    """Do everything inside the block as ``username`` with ``role``."""
    principal = Principal(username, Role(role))
    token = _principal.set(principal)
    try:
        yield principal
    finally:
        _principal.reset(token)


def current_principal() -> Principal | None:
    """Who is signed in now, if anyone."""
    return _principal.get()


def allowed(permission: Permission, principal: Principal | None = None) -> bool:
    """True when ``principal`` (default: the signed-in one) has ``permission``."""
    principal = principal or current_principal()
    return principal is not None and permission in ROLE_PERMISSIONS[principal.role]


def require(permission: Permission) -> Principal:
    """Return the signed-in principal, or raise ``Forbidden`` unless their role allows ``permission``."""
    principal = current_principal()
    if principal is None:
        raise Forbidden("sign in first")
    if permission not in ROLE_PERMISSIONS[principal.role]:
        raise Forbidden(f"a {principal.role.value} may not {permission.value.replace('_', ' ')}; ask an admin")
    return principal


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


def validate_username(name: str) -> str:
    """Lower-case the name and check it is 2–64 of ``a-z 0-9 . _ @ -``."""
    name = (name or "").strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput("a user name is 2 to 64 characters: letters, digits, '.', '_', '@' or '-'")
    return name


class User(BaseModel):
    """A local account. The password is kept only as an Argon2id hash."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    username: Annotated[str, AfterValidator(validate_username)]
    role: Role
    password_hash: str | None = None  # None: signs in only through the identity provider
    active: bool = True
    person_id: str | None = None  # the person record (a connector or worker) this account is


def check_password_rules(password: str, username: str = "") -> None:
    """Refuse short, trivial and common passwords with one line saying why.

    At least ``MIN_PASSWORD`` characters, not only white space, not the user
    name, and strong enough by zxcvbn (score 3 of 4: it knows the common
    password lists, keyboard patterns, repeats and sequences).
    """
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")
    if not password.strip() or len(set(password)) < 4:
        raise InvalidInput("that password is too simple: use several different words or characters")
    if username and username.lower() in password.lower():
        raise InvalidInput("the password must not contain the user name")
    from zxcvbn import zxcvbn

    verdict = zxcvbn(password[:100], user_inputs=[username, "connector", "graph", "connector_graph"])
    if verdict["score"] < 3:
        hint = (verdict.get("feedback") or {}).get("warning") or "it is too easy to guess"
        raise InvalidInput(f"that password is too easy to guess ({hint.rstrip('.').lower()}); try a few unrelated words")


def hash_password(password: str, username: str = "") -> str:
    """An Argon2id hash of ``password``, which must pass :func:`check_password_rules`."""
    from argon2 import PasswordHasher

    check_password_rules(password, username)
    return PasswordHasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """True when ``password`` matches the user's hash (always False for inactive users)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    if not user.active or not user.password_hash:
        return False
    try:
        return PasswordHasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
