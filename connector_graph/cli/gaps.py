"""The ``gaps`` command: the managers' four questions answered with names."""

from __future__ import annotations

import json
from typing import Any

import click

from ..store.base import Store
from ..views.answers import gap_answers, names_and_more
from .support import run


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (see docs/analysis.md).")
@click.option("--days", default=60, show_default=True, type=click.IntRange(1, 3650),
              help="An introduction with no outcome this many days after its date went nowhere.")
@click.option("--wards", "weakest", default=3, show_default=True, type=click.IntRange(1, 1000),
              help="How many of the weakest wards to show.")
@click.pass_context
def gaps(ctx: click.Context, as_json: bool, days: int, weakest: int) -> None:
    """Where to send connectors next: weakest wards and their best bridges, organisations with no
    partner across the statutory / voluntary line, single points of failure and who they hold on,
    and introductions that went nowhere.

    \b
    With --json, one object:
      link_definition  what counts as a link
      weakest_wards    [{ward, rank, population, people, links, isolated,
                        links_per_1000, isolated_share, bridges, missing_pairs}]
      unpartnered      [{name, id, ward, sector, no_partner_in, no_partner_at_all, candidates}]
      single_points    [{name, id, ward, cut_off, cut_off_ids, backup, backup_why, sentence}]
      went_nowhere     [{id, date, connector, person, introduced to, purposes, status, why, ...}]
      declined_most    [{name, id, declined, introductions}]
    """

    def action(store: Store) -> Any:
        return gap_answers(store, days=days, weakest=weakest)

    answers = run(ctx, action)
    if as_json:
        click.echo(json.dumps(answers, ensure_ascii=False))
        return
    _print(answers)


def _print(a: dict[str, Any]) -> None:
    click.echo(a["link_definition"])
    click.echo("\nLeast connected wards (most thinly linked first):")
    for w in a["weakest_wards"]:
        per = "unknown" if w["links_per_1000"] is None else f"{w['links_per_1000']:g}"
        share = "unknown" if w["isolated_share"] is None else f"{w['isolated_share']:.0%}"
        click.echo(f"  {w['rank']}. {w['ward']}: {per} links per 1,000 residents; {share} of its people have no link.")
        for b in w["bridges"]:
            click.echo(f"     best bridge: {b['name']} ({b['ward'] or 'no ward'}), linked into it and {', '.join(b['links_into'])}")
        if w["missing_pairs"]:
            others = [x for pair in w["missing_pairs"] for x in pair if x != w["ward"]]
            click.echo(f"     no link yet with: {names_and_more(others, 6)}")
    unpartnered = a["unpartnered"]
    click.echo(f"\nOrganisations with no partner across the statutory / voluntary line ({len(unpartnered)}):")
    for u in unpartnered:
        missing = " or ".join(s.replace("_", " ") for s in u["no_partner_in"])
        line = f"  {u['name']} ({u['sector'].replace('_', ' ')}): no {missing} partner"
        if u["candidates"]:
            c = u["candidates"][0]
            line += f"; nearest: {c['name']}" + (f" ({'; '.join(c['why'])})" if c["why"] else "")
        click.echo(line)
    points = a["single_points"]
    click.echo(f"\nSingle points of failure ({len(points)}):")
    for p in points:
        click.echo("  " + p["sentence"])
    stalled = a["went_nowhere"]
    click.echo(f"\nIntroductions that went nowhere ({len(stalled)}):")
    for s in stalled:
        click.echo(f"  {s['date']} {s['connector']} introduced {s['person']} to {s['introduced to']}: {s['why']}")
    if a["declined_most"]:
        click.echo("\nDeclined most: " + "; ".join(f"{d['name']} ({d['declined']} of {d['introductions']})"
                                                  for d in a["declined_most"][:5]))


COMMANDS = [gaps]
