"""Local account commands: ``connector-graph user add|remove|set-role|password|list``."""

from __future__ import annotations

import sys

import click

from ..auth import MIN_PASSWORD, Role
from .support import actor_id, choices, fail, run


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            fail("no password on standard input")
        return line.rstrip("\r\n")
    return click.prompt(f"Password (at least {MIN_PASSWORD} characters)", hide_input=True, confirmation_prompt=True)


@click.group()
def user() -> None:
    """Manage local accounts (admins only). Passwords are stored as Argon2id hashes."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=choices(Role), help="What they may do.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
@click.option("--sso-only", is_flag=True, help="No password: they sign in only through the identity provider.")
@click.option("--person", metavar="ID|NAME", help="The connector or worker this account is (id or whole name).")
@click.pass_context
def add(ctx: click.Context, username: str, role: str, password_stdin: bool, sso_only: bool, person: str | None) -> None:
    """Create an account."""
    from .. import accounts

    person_id = run(ctx, lambda store: actor_id(store, person, "--person", people_only=True)) if person else None
    password = None if sso_only else _read_password(password_stdin)
    created = run(ctx, lambda store: accounts.add_user(store, username, role, password, person_id=person_id))
    click.echo(f"Added {created.username} as {created.role.value}" + (f", linked to {person_id}." if person_id else "."))


@user.command("link")
@click.argument("username")
@click.option("--person", metavar="ID|NAME", help="The connector or worker this account is (id or whole name).")
@click.option("--unlink", is_flag=True, help="Remove the account's link to a person.")
@click.pass_context
def link(ctx: click.Context, username: str, person: str | None, unlink: bool) -> None:
    """Link an account to its person record, so the dashboard logs introductions as theirs."""
    from .. import accounts

    if bool(person) == unlink:
        fail("give either --person ID|NAME or --unlink")
    person_id = run(ctx, lambda store: actor_id(store, person, "--person", people_only=True)) if person else None
    updated = run(ctx, lambda store: accounts.link_person(store, username, person_id))
    click.echo(f"{updated.username} is " + (f"linked to {updated.person_id}." if updated.person_id else "not linked to anyone."))


@user.command("remove")
@click.argument("username")
@click.pass_context
def remove(ctx: click.Context, username: str) -> None:
    """Delete an account (the last admin cannot be removed)."""
    from .. import accounts

    run(ctx, lambda store: accounts.remove_user(store, username))
    click.echo(f"Removed {username}.")


@user.command("set-role")
@click.argument("username")
@click.argument("role", type=choices(Role))
@click.pass_context
def set_role(ctx: click.Context, username: str, role: str) -> None:
    """Change an account's role; it applies from the user's next page load."""
    from .. import accounts

    updated = run(ctx, lambda store: accounts.set_role(store, username, role))
    click.echo(f"{updated.username} is now {updated.role.value}.")


@user.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
@click.pass_context
def password(ctx: click.Context, username: str, password_stdin: bool) -> None:
    """Set a new password."""
    from .. import accounts

    secret = _read_password(password_stdin)
    run(ctx, lambda store: accounts.set_password(store, username, secret))
    click.echo(f"Password changed for {username}.")


@user.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """List accounts and their roles."""
    from .. import accounts

    for account in run(ctx, accounts.list_users):
        sign_in = "password" if account.password_hash else "identity provider"
        click.echo(f"{account.username}\t{account.role.value}\t{sign_in}\t{'active' if account.active else 'inactive'}"
                   f"\t{account.person_id or '-'}")


COMMANDS = [user]
