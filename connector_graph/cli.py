"""The ``connector-graph`` command line.

Every command opens the store named by ``--store`` (or ``CONNECTOR_GRAPH_STORE``,
or the embedded default), makes one library call and prints the result.
Errors are one line on standard error and exit code 1; ``--debug`` shows the
full trace for bug reports.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any, Callable, NoReturn

import click

from . import __version__, service
from .config import Settings
from .errors import ConnectorGraphError
from .model import Channel, IntroStatus, OrgKind, PersonRole, Sector, TieKind
from .store.base import Store, open_store

__all__ = ["main"]


def _choices(enum_type: Any) -> click.Choice:
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


class _State:
    """What the group passes to its commands: how to open the store."""

    def __init__(self, store_url: str | None, debug: bool) -> None:
        self.store_url = store_url
        self.debug = debug
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.store_url, Settings.from_env())
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _fail(message: str) -> NoReturn:
    click.echo("error: " + " ".join(message.split()), err=True)
    sys.exit(1)


def _run(ctx: click.Context, action: Callable[[Store], Any]) -> Any:
    """Run one library call, turning every failure into a one-line message."""
    state: _State = ctx.obj
    try:
        return action(state.store())
    except ConnectorGraphError as exc:
        if state.debug:
            raise
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; any unfinished write was rolled back")
    except Exception as exc:  # never a stack trace for users
        if state.debug:
            raise
        _fail(f"unexpected {type(exc).__name__}: {exc} (run again with --debug for details)")


class _Group(click.Group):
    """A command group whose usage errors are one line and exit code 1, like every other failure."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "connector-graph"
            _fail(f"{exc.format_message()} (see '{where} --help')")
        except click.Abort:
            _fail("cancelled; nothing was changed")
        except click.ClickException as exc:
            _fail(exc.format_message())
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--store",
    "store_url",
    envvar="CONNECTOR_GRAPH_STORE",
    metavar="URL",
    help="Where the network is kept: sqlite:///data/connector_graph.db (default), bolt://host:7687 "
    "or neo4j://host:7687. Also read from CONNECTOR_GRAPH_STORE.",
)
@click.option("--debug", is_flag=True, help="Show full error traces (for bug reports).")
@click.version_option(__version__, prog_name="connector-graph")
@click.pass_context
def main(ctx: click.Context, store_url: str | None, debug: bool) -> None:
    """Map the relationships community connectors build.

    Log people, organisations, ties and introductions; load demo data; see
    what the network holds.
    """
    state = _State(store_url, debug)
    ctx.obj = state
    ctx.call_on_close(state.close)


@main.command()
@click.option(
    "--size",
    default="demo",
    show_default=True,
    metavar="demo|N",
    help="'demo' (about 1,000 actors and 1,500+ introductions) or a number of actors.",
)
@click.option("--seed", "random_seed", type=int, default=None, help="Random seed (default: the demo settings').")
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already holds people or organisations.")
@click.pass_context
def seed(ctx: click.Context, size: str, random_seed: int | None, if_empty: bool) -> None:
    """Load a synthetic city network (no real people) for trying things out.

    The same size and seed always give the same network, so seeding twice
    changes nothing.
    """
    from .seed import generate

    if if_empty:
        held = _run(ctx, service.stats)
        if held.people or held.organisations:
            click.echo(f"The store already holds {held.people + held.organisations:,} people and organisations; not seeding.")
            return

    if size != "demo":
        try:
            size_value: int | str = int(size.replace(",", "").replace("_", ""))
        except ValueError:
            _fail(f"--size must be 'demo' or a whole number of actors, not {size!r}")
    else:
        size_value = size

    def action(store: Store) -> Any:
        click.echo(f"Generating a {size} network...", err=True)
        batch = generate(size_value, seed=random_seed)
        with click.progressbar(length=len(batch), label="Loading", file=sys.stderr) as bar:
            return service.load_batch(store, batch, bar.update)

    counts = _run(ctx, action)
    click.echo(
        f"Loaded. The store now holds {counts.people:,} people, {counts.organisations:,} organisations, "
        f"{counts.ties:,} ties and {counts.introductions:,} introductions."
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count the people, organisations, ties and introductions held."""
    counts = _run(ctx, service.stats)
    if as_json:
        click.echo(json.dumps(counts.model_dump()))
        return
    for key, value in counts.model_dump().items():
        click.echo(f"{key:>14}: {value:,}")


_TAG_HELP = "Repeat or separate with commas."


@main.command("add-person")
@click.argument("name")
@click.option("--ward", help="Electoral ward where they live.")
@click.option("--role", "roles", multiple=True, type=_choices(PersonRole), help="Role(s); default resident.")
@click.option("--gift", "gifts", multiple=True, help="What they bring or love sharing. " + _TAG_HELP)
@click.option("--skill", "skills", multiple=True, help="Skills. " + _TAG_HELP)
@click.option("--interest", "interests", multiple=True, help="Interests. " + _TAG_HELP)
@click.option("--need", "needs", multiple=True, help="Coarse need tags only, no health detail. " + _TAG_HELP)
@click.option("--id", "person_id", help="Use this id instead of a new one (for scripts).")
@click.pass_context
def add_person(ctx: click.Context, name: str, **options: Any) -> None:
    """Add a person; prints their new id last."""
    person = _run(ctx, lambda store: service.add_person(store, name, **options))
    click.echo(f"Added {person.name}.")
    click.echo(person.id)


@main.command("add-org")
@click.argument("name")
@click.option("--sector", required=True, type=_choices(Sector), help="The organisation's sector.")
@click.option("--kind", type=_choices(OrgKind), help="What kind of organisation it is.")
@click.option("--ward", help="Electoral ward it is in.")
@click.option("--offer", "offers", multiple=True, help="Activities and services it offers. " + _TAG_HELP)
@click.option("--space", "spaces", multiple=True, help="Spaces it can share. " + _TAG_HELP)
@click.option("--id", "organisation_id", help="Use this id instead of a new one (for scripts).")
@click.pass_context
def add_org(ctx: click.Context, name: str, **options: Any) -> None:
    """Add an organisation; prints its new id last."""
    organisation = _run(ctx, lambda store: service.add_organisation(store, name, **options))
    click.echo(f"Added {organisation.name}.")
    click.echo(organisation.id)


@main.command()
@click.argument("source_id", metavar="A")
@click.argument("target_id", metavar="B")
@click.option("--kind", default="knows", show_default=True, type=_choices(TieKind), help="Kind of tie.")
@click.option("--since", type=DATE, help="When the tie began.")
@click.option("--confirmed", "last_confirmed", type=DATE, help="When it was last confirmed.")
@click.pass_context
def tie(ctx: click.Context, source_id: str, target_id: str, **options: Any) -> None:
    """Record a tie between actors A and B (ids); prints the tie's id last."""
    made = _run(ctx, lambda store: service.add_tie(store, source_id, target_id, **options))
    click.echo(made.id)


@main.command()
@click.option("--by", "introducer_id", required=True, metavar="ID", help="Who made the introduction.")
@click.option("--subject", "subject_id", required=True, metavar="ID", help="The person introduced.")
@click.option("--to", "target_id", required=True, metavar="ID", help="Who or which organisation they met.")
@click.option("--date", type=DATE, help="When (default today).")
@click.option("--purpose", "purposes", multiple=True, help="Why, as short tags. " + _TAG_HELP)
@click.option("--channel", type=_choices(Channel), help="How (default in person).")
@click.option("--status", type=_choices(IntroStatus), help="Where it has got to (default made).")
@click.option("--follow-up", "follow_up", type=DATE, help="When to check how it went.")
@click.pass_context
def introduce(ctx: click.Context, **options: Any) -> None:
    """Log an introduction; prints its new id last."""
    intro = _run(ctx, lambda store: service.log_introduction(store, **options))
    click.echo(intro.id)


@main.command("follow-up")
@click.argument("introduction_id", metavar="ID")
@click.option("--status", type=_choices(IntroStatus), help="The new status.")
@click.option("--outcome", help="What came of it, in a few words (no health detail).")
@click.option("--follow-up", "follow_up", type=DATE, help="A new date to check again.")
@click.pass_context
def follow_up(ctx: click.Context, introduction_id: str, **options: Any) -> None:
    """Record the status and outcome of an introduction."""
    if not any(value is not None for value in options.values()):
        _fail("give at least one of --status, --outcome or --follow-up")
    intro = _run(ctx, lambda store: service.record_follow_up(store, introduction_id, **options))
    click.echo(f"{intro.id}: {intro.status.label}" + (f", {intro.outcome}" if intro.outcome else ""))


@main.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.pass_context
def search(ctx: click.Context, text: str, limit: int) -> None:
    """Find people and organisations by name."""
    found = _run(ctx, lambda store: store.search_actors(text, limit=limit))
    if not found:
        click.echo("No one matches.", err=True)
    for actor in found:
        click.echo(f"{actor.id}\t{actor.actor_type}\t{actor.name}\t{actor.ward or ''}")


@main.command()
@click.argument("actor_id", metavar="ID")
@click.pass_context
def show(ctx: click.Context, actor_id: str) -> None:
    """Show one person or organisation as JSON."""
    actor = _run(ctx, lambda store: store.get_actor(actor_id))
    click.echo(json.dumps({"type": actor.actor_type, **actor.model_dump(mode="json")}, indent=2, ensure_ascii=False))


@main.command()
@click.argument("actor_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do it without asking.")
@click.pass_context
def erase(ctx: click.Context, actor_id: str, yes: bool) -> None:
    """Erase a person or organisation with their ties and introductions."""
    if not yes:
        if not sys.stdin.isatty():
            _fail("erasing cannot be undone; add --yes to confirm")
        click.confirm(f"Erase {actor_id} and everything attached? This cannot be undone", abort=True)
    report = _run(ctx, lambda store: service.erase_actor(store, actor_id))
    click.echo(f"Erased {report.actor_id}: {report.ties} tie(s) and {report.introductions} introduction(s) removed.")

