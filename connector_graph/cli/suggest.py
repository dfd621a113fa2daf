"""The ``suggest`` command: who each person could be introduced to next, and why."""

from __future__ import annotations

import json
from typing import Any

import click

from ..store.base import Store
from ..suggesting import network_suggestions, suggestions_for
from .support import run


@click.command()
@click.argument("people", nargs=-1, metavar="ID_OR_NAME...")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1_000), help="Suggestions per person "
              "(with --network: in all).")
@click.option("--network", is_flag=True, help="The best introductions across the whole network instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (described below).")
@click.pass_context
def suggest(ctx: click.Context, people: tuple[str, ...], top: int, network: bool, as_json: bool) -> None:
    """Suggest introductions for one or more people (by id or exact name), or across the network.

    \b
    With --json, one object mapping each person's id to a list of
    {id, name, score, reasons, via}; via is {id, name} of the connector
    best placed to make the introduction, or null.
    With --network, every person's suggestions ranked together; --json
    prints a list of {person, to, score, reasons, via} (person and to
    are {id, name}).
    """
    if bool(people) == network:
        raise click.UsageError("give one or more people, or --network (not both)")
    if network:
        pairs = run(ctx, lambda store: network_suggestions(store, top=top))
        if as_json:
            click.echo(json.dumps(pairs, ensure_ascii=False))
            return
        if not pairs:
            click.echo("nothing to suggest yet")
        for number, s in enumerate(pairs, start=1):
            via = f" (via {s['via']['name']})" if s["via"] else ""
            click.echo(f"{number:>3}. {s['person']['name']} and {s['to']['name']}{via}: {'; '.join(s['reasons'])}")
        return

    def action(store: Store) -> Any:
        return suggestions_for(store, list(people), top=top)

    found = run(ctx, action)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False))
        return
    for person_id, suggestions in found.items():
        click.echo(f"{person_id}:")
        if not suggestions:
            click.echo("  nothing to suggest yet")
        for number, s in enumerate(suggestions, start=1):
            via = f" (via {s['via']['name']})" if s["via"] else ""
            click.echo(f"  {number:>2}. {s['name']}{via}: {'; '.join(s['reasons'])}")


COMMANDS = [suggest]
