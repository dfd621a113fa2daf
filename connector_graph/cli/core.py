"""Core commands: seed, stats, and logging people, organisations, ties and introductions."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .. import service
from ..model import (
    Article9Condition,
    Channel,
    ConsentMethod,
    IntroStatus,
    LawfulBasis,
    OrgKind,
    PersonRole,
    Sector,
    TieKind,
)
from ..errors import InvalidInput
from ..store.base import Store
from .support import DATE, TAG_HELP, actor_id, choices, fail, run

#: How the introduce command's options are named, for messages about the fields they fill.
_INTRO_OPTIONS = {"introducer_id": "--by", "subject_id": "--subject", "target_id": "--to"}


@click.command()
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
    from ..seed import generate

    if if_empty:
        held = run(ctx, service.stats)
        if held.people or held.organisations:
            click.echo(f"The store already holds {held.people + held.organisations:,} people and organisations; not seeding.")
            return

    if size != "demo":
        try:
            size_value: int | str = int(size.replace(",", "").replace("_", ""))
        except ValueError:
            fail(f"--size must be 'demo' or a whole number of actors, not {size!r}")
    else:
        size_value = size

    def action(store: Store) -> Any:
        click.echo(f"Generating a {size} network...", err=True)
        batch = generate(size_value, seed=random_seed)
        with click.progressbar(length=len(batch), label="Loading", file=sys.stderr) as bar:
            return service.load_batch(store, batch, bar.update)

    counts = run(ctx, action)
    click.echo(
        f"Loaded. The store now holds {counts.people:,} people, {counts.organisations:,} organisations, "
        f"{counts.ties:,} ties and {counts.introductions:,} introductions."
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count the people, organisations, ties and introductions held."""
    counts = run(ctx, service.stats)
    if as_json:
        click.echo(json.dumps(counts.model_dump()))
        return
    for key, value in counts.model_dump().items():
        click.echo(f"{key:>14}: {value:,}")


@click.command("add-person")
@click.argument("name")
@click.option("--ward", help="Electoral ward where they live.")
@click.option("--role", "roles", multiple=True, type=choices(PersonRole), help="Role(s); default resident.")
@click.option("--gift", "gifts", multiple=True, help="What they bring or love sharing. " + TAG_HELP)
@click.option("--skill", "skills", multiple=True, help="Skills. " + TAG_HELP)
@click.option("--interest", "interests", multiple=True, help="Interests. " + TAG_HELP)
@click.option("--need", "needs", multiple=True, help="Coarse need tags only, no health detail. " + TAG_HELP)
@click.option("--basis", "lawful_basis", type=choices(LawfulBasis),
              help="Lawful basis for holding their details (default: CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS, "
              "legitimate_interests unless set).")
@click.option("--consent-date", "consent_given_on", type=DATE, help="When they gave consent (needed with --basis consent).")
@click.option("--consent-method", type=choices(ConsentMethod), help="How they gave consent.")
@click.option("--consent-by", "consent_recorded_by", help="Who recorded the consent.")
@click.option("--article9", "article9_condition", type=choices(Article9Condition),
              help="Article 9 condition; required before any health-related need tag is stored.")
@click.option("--retain-until", type=DATE, help="Keep their details until this date.")
@click.option("--id", "person_id", help="Use this id instead of a new one (for scripts).")
@click.option("--allow-duplicate", is_flag=True, help="Add them even if someone with a look-alike name is held.")
@click.pass_context
def add_person(ctx: click.Context, name: str, allow_duplicate: bool, **options: Any) -> None:
    """Add a person; prints their new id last.

    If someone with a look-alike whole name is already held (in the same
    ward, or very alike anywhere), they are listed and nothing is added
    unless --allow-duplicate is given.
    """
    from ..views.directory import similar_names

    if not allow_duplicate:
        alike = run(ctx, lambda store: similar_names(store, name, ward=service.canonical_ward(store, options.get("ward"))))
        if alike:
            for match in alike:
                click.echo(f"  {match.id}\t{match.name}\t{match.actor_type}\t{match.ward or ''}", err=True)
            fail(f"{len(alike)} record(s) above have a name like {name!r}; nothing was added. "
                 "Use one of them, or add --allow-duplicate if this really is someone else")
    person = run(ctx, lambda store: service.add_person(store, name, **options))
    click.echo(f"Added {person.name}.")
    click.echo(person.id)


@click.command("add-org")
@click.argument("name")
@click.option("--sector", required=True, type=choices(Sector), help="The organisation's sector.")
@click.option("--kind", type=choices(OrgKind), help="What kind of organisation it is.")
@click.option("--ward", help="Electoral ward it is in.")
@click.option("--offer", "offers", multiple=True, help="Activities and services it offers. " + TAG_HELP)
@click.option("--space", "spaces", multiple=True, help="Spaces it can share. " + TAG_HELP)
@click.option("--id", "organisation_id", help="Use this id instead of a new one (for scripts).")
@click.pass_context
def add_org(ctx: click.Context, name: str, **options: Any) -> None:
    """Add an organisation; prints its new id last."""
    organisation = run(ctx, lambda store: service.add_organisation(store, name, **options))
    click.echo(f"Added {organisation.name}.")
    click.echo(organisation.id)


@click.command()
@click.argument("source_id", metavar="A")
@click.argument("target_id", metavar="B")
@click.option("--kind", default="knows", show_default=True, type=choices(TieKind), help="Kind of tie.")
@click.option("--since", type=DATE, help="When the tie began.")
@click.option("--confirmed", "last_confirmed", type=DATE, help="When it was last confirmed.")
@click.pass_context
def tie(ctx: click.Context, source_id: str, target_id: str, **options: Any) -> None:
    """Record a tie between actors A and B (ids or names); prints the tie's id last."""
    made = run(ctx, lambda store: service.add_tie(store, actor_id(store, source_id, "A"), actor_id(store, target_id, "B"),
                                                  **options))
    click.echo(made.id)


@click.command()
@click.option("--by", "introducer_id", required=True, metavar="ID|NAME", help="Who made the introduction.")
@click.option("--subject", "subject_id", required=True, metavar="ID|NAME", help="The person introduced.")
@click.option("--to", "target_id", required=True, metavar="ID|NAME", help="Who or which organisation they met.")
@click.option("--date", type=DATE, help="When (default today).")
@click.option("--purpose", "purposes", multiple=True, help="Why, as short tags. " + TAG_HELP)
@click.option("--channel", type=choices(Channel), help="How (default in person).")
@click.option("--status", type=choices(IntroStatus), help="Where it has got to (default made).")
@click.option("--follow-up", "follow_up", type=DATE, help="When to check how it went.")
@click.pass_context
def introduce(ctx: click.Context, **options: Any) -> None:
    """Log an introduction; prints its new id last.

    --by, --subject and --to each take an id or a whole name; a name held
    by several records is refused with the candidates listed.
    """

    def action(store: Store) -> Any:
        for field, option in _INTRO_OPTIONS.items():
            options[field] = actor_id(store, options[field], option, people_only=field != "target_id")
        try:
            return service.log_introduction(store, **options)
        except InvalidInput as exc:
            message = str(exc)
            for field, option in _INTRO_OPTIONS.items():
                message = message.replace(field, option)
            raise InvalidInput(message) from None

    intro = run(ctx, action)
    click.echo(intro.id)


@click.command("follow-up")
@click.argument("introduction_id", metavar="ID")
@click.option("--status", type=choices(IntroStatus), help="The new status.")
@click.option("--outcome", help="What came of it, in a few words (no health detail).")
@click.option("--follow-up", "follow_up", type=DATE, help="A new date to check again.")
@click.pass_context
def follow_up(ctx: click.Context, introduction_id: str, **options: Any) -> None:
    """Record the status and outcome of an introduction."""
    if not any(value is not None for value in options.values()):
        fail("give at least one of --status, --outcome or --follow-up")
    intro = run(ctx, lambda store: service.record_follow_up(store, introduction_id, **options))
    click.echo(f"{intro.id}: {intro.status.label}" + (f", {intro.outcome}" if intro.outcome else ""))


@click.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.pass_context
def search(ctx: click.Context, text: str, limit: int) -> None:
    """Find people and organisations by name."""
    found = run(ctx, lambda store: store.search_actors(text, limit=limit))
    if not found:
        click.echo("No one matches.", err=True)
    for actor in found:
        click.echo(f"{actor.id}\t{actor.actor_type}\t{actor.name}\t{actor.ward or ''}")


@click.command()
@click.argument("who", metavar="ID|NAME")
@click.pass_context
def show(ctx: click.Context, who: str) -> None:
    """Show one person or organisation (by id or whole name) as JSON."""
    actor = run(ctx, lambda store: store.get_actor(actor_id(store, who, "ID|NAME")))
    click.echo(json.dumps({"type": actor.actor_type, **actor.model_dump(mode="json")}, indent=2, ensure_ascii=False))


@click.command()
@click.argument("who", metavar="ID|NAME")
@click.option("--yes", is_flag=True, help="Do it without asking.")
@click.pass_context
def erase(ctx: click.Context, who: str, yes: bool) -> None:
    """Erase a person or organisation (by id or whole name) with their ties and introductions."""
    chosen = run(ctx, lambda store: actor_id(store, who, "ID|NAME"))
    if not yes:
        if not sys.stdin.isatty():
            fail("erasing cannot be undone; add --yes to confirm")
        click.confirm(f"Erase {chosen} and everything attached? This cannot be undone", abort=True)
    report = run(ctx, lambda store: service.erase_actor(store, chosen))
    click.echo(f"Erased {report.actor_id}: {report.ties} tie(s) and {report.introductions} introduction(s) removed.")



@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON lines.")
@click.option("--verify", is_flag=True, help="Check the hash chain; exit code 1 if it is broken.")
@click.option("--target", metavar="ID", help="Only entries about this record.")
@click.option("--limit", type=click.IntRange(1), help="Only the newest N entries.")
@click.pass_context
def audit(ctx: click.Context, as_json: bool, verify: bool, target: str | None, limit: int | None) -> None:
    """Show the audit log: who changed, exported or looked up which record, and when.

    Entries name records by id and never hold personal details. With
    --verify the whole keyed chain is checked against the signed checkpoint
    kept outside the database: an entry changed, removed or reordered, the
    newest entries (or all) removed, or the chain re-hashed is reported.
    """
    from .. import privacy

    if verify:
        report = run(ctx, privacy.verify_audit)
        if not report.ok:
            fail(f"the audit log is broken: {report.problem} ({report.checked} entries before it are intact)")
        if report.warning:
            click.echo("warning: " + report.warning, err=True)
        legacy = f" ({report.legacy:,} written before the key existed)" if report.legacy else ""
        click.echo(f"The audit log is intact: {report.checked:,} entries checked against the signed checkpoint{legacy}.")
        return
    entries = run(ctx, lambda store: store.list_audit(target=target, limit=limit))
    for entry in entries:
        if as_json:
            click.echo(entry.model_dump_json())
        else:
            click.echo(f"{entry.seq:>7}  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.who:<20}  {entry.action.value:<20}  {entry.target or ''}")


COMMANDS = [seed, stats, add_person, add_org, tie, introduce, follow_up, search, show, erase, audit]
