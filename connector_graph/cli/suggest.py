"""The ``suggest`` command: who each person could be introduced to next, and why."""

from __future__ import annotations

import json
from typing import Any

import click

from ..store.base import Store
from ..suggesting import suggestions_for
from .support import run


@click.command()
@click.argument("people", nargs=-1, required=True, metavar="ID_OR_NAME...")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 1_000), help="Suggestions per person.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: each person's id to their suggestions.")
@click.pass_context
def suggest(ctx: click.Context, people: tuple[str, ...], top: int, as_json: bool) -> None:
    """Suggest introductions for one or more people (by id or exact name).

    \b
    With --json, one object mapping each person's id to a list of
    {id, name, score, reasons, via}; via is {id, name} of the connector
    best placed to make the introduction, or null.
    """

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
