"""What every ``connector-graph`` command shares: store opening, dates, one-line errors."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from typing import Any, Callable, NoReturn

import click

from ..audit import acting_as
from ..config import Settings
from ..errors import ConnectorGraphError
from ..store.base import Store, open_store

__all__ = ["DATE", "IsoDate", "State", "actor_id", "choices", "cli_user", "fail", "guarded", "run", "TAG_HELP"]

TAG_HELP = "Repeat or separate with commas."


def choices(enum_type: Any) -> click.Choice:
    """A case-insensitive choice of an enumeration's values."""
    return click.Choice([member.value for member in enum_type], case_sensitive=False)


class IsoDate(click.ParamType):
    """A calendar date written as YYYY-MM-DD, or ``today``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip().lower()
        if text == "today":
            return dt.date.today()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31", param, ctx)


DATE = IsoDate()


class State:
    """What the group passes to its commands: how to open the store."""

    def __init__(self, store_url: str | None, debug: bool, *, create: bool = True) -> None:
        self.store_url = store_url
        self.debug = debug
        self.create = create
        self._store: Store | None = None

    def store(self) -> Store:
        """The store, opened on first use (made only by commands that may create one)."""
        if self._store is None:
            self._store = open_store(self.store_url, Settings.from_env(), create=self.create)
        return self._store

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()


def cli_user() -> str:
    """Who the audit log names for command-line work: ``cli:`` and the system user."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, e.g. in a bare container
        return "cli:unknown"


#: The longest message a failure may print: a file's contents never reach the terminal.
MAX_MESSAGE = 300


def plain_failure(exc: BaseException) -> str:
    """One short sentence for a failure nobody planned for (no type names, no pasted input).

    Examples
    --------
    >>> plain_failure(RecursionError("maximum recursion depth exceeded"))
    'the input is nested too deeply to read (run again with --debug for details)'
    >>> len(plain_failure(ValueError("x" * 10_000_000))) <= MAX_MESSAGE + 60
    True
    """
    if isinstance(exc, RecursionError):
        what = "the input is nested too deeply to read"
    elif isinstance(exc, MemoryError):
        what = "the input is too large to read in the memory available"
    elif isinstance(exc, OSError):
        what = f"the operating system refused: {exc.strerror or 'input/output error'}"
    else:
        text = " ".join(str(exc).split())
        text = text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."
        what = f"something went wrong ({text})" if text else "something went wrong"
    return what + " (run again with --debug for details)"


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on one line of standard error and exit with code 1."""
    text = " ".join(message.split())
    if len(text) > MAX_MESSAGE * 2:
        text = text[: MAX_MESSAGE * 2 - 3] + "..."
    click.echo("error: " + text, err=True)
    sys.exit(1)


def run(ctx: click.Context, action: Callable[[Store], Any]) -> Any:
    """Run one library call on the command's store, turning every failure into a one-line message."""
    state: State = ctx.obj
    return guarded(state, lambda: action(state.store()))


def guarded(state: State, action: Callable[[], Any]) -> Any:
    """Run ``action`` as the command-line user; any failure becomes one line and exit code 1."""
    try:
        with acting_as(cli_user()):
            return action()
    except ConnectorGraphError as exc:
        if state.debug:
            raise
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted; any unfinished write was rolled back")
    except Exception as exc:  # never a stack trace for users
        if state.debug:
            raise
        fail(plain_failure(exc))


def actor_id(store: Store, text: str, option: str, *, people_only: bool = False) -> str:
    """The id of the actor ``text`` names (an id or a whole name); an unknown or ambiguous name stops here.

    ``option`` (``--by``, ``ID``...) is what the message names, so the user
    knows which of their words was wrong; an ambiguous name lists the
    candidates with what tells them apart.
    """
    from ..views.pickers import resolve_actor

    return resolve_actor(store, text, option=option, people_only=people_only).id
