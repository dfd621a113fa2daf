"""Analysis commands: ``analyse`` (key connectors, gaps and communities)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from ..analysis.analyse import analyse_store
from ..errors import InvalidInput
from ..store.base import Store
from .support import DATE, run

_SHORT = {
    "degree": "reach",
    "betweenness": "bridging",
    "closeness": "close",
    "pagerank": "influence",
    "eigenvector": "standing",
    "effective_size": "brokerage",
    "constraint": "constraint",
    "introductions": "intros",
    "score": "overall",
}
#: The measures (the keys of ``analysis.centrality.METRICS``) and the engines (``analysis.engines.choose.REPORT_ENGINES``),
#: spelled out so that a command answered from a kept report never imports networkx;
#: tests/cli checks they match.
MEASURES = tuple(_SHORT)
ENGINE_CHOICES = ("auto", "python", "networkx", "igraph", "gds")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (described above).")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 10_000), help="How many to list.")
@click.option(
    "--by",
    default="score",
    show_default=True,
    type=click.Choice(list(MEASURES), case_sensitive=False),
    help="The measure to rank connectors by.",
)
@click.option("--as-of", "as_of", type=DATE, help="Analyse the network as it was on this date.")
@click.option("--ward", "wards", multiple=True, metavar="W", help="Only actors in this ward (repeat for several).")
@click.option(
    "--engine",
    default="auto",
    show_default=True,
    type=click.Choice(list(ENGINE_CHOICES)),
    help="Who computes the measures: auto picks Graph Data Science inside Neo4j for large networks "
    "(CONNECTOR_GRAPH_ENGINE, CONNECTOR_GRAPH_GDS_FROM), else python-igraph or networkx.",
)
@click.option("--seed", "random_seed", default=0, show_default=True, type=int, help="Seed for sampling and communities.")
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Read the whole network from the store again instead of the cached projection (for benchmarks and doubt).",
)
@click.pass_context
def analyse(
    ctx: click.Context,
    as_json: bool,
    top: int,
    by: str,
    as_of: dt.date | None,
    wards: tuple[str, ...],
    engine: str,
    random_seed: int,
    no_cache: bool,
) -> None:
    """Find the key connectors, the gaps and the communities in the network.

    \b
    Measures (--by):
      degree          Reach: share of everyone directly linked.
      betweenness     Bridging: share of shortest routes run through them.
      closeness       Closeness: how near to everyone (1 step counts 1, 2 steps 1/2...).
      pagerank        Influence: attention that ends up with them (PageRank).
      eigenvector     Standing: linked to the well linked, within their part.
      effective_size  Brokerage: separate groups reached, at least 1 (Burt).
      constraint      Constraint: few or overlapping contacts (lower is better).
      introductions   Introductions made that happened.
      score           Overall: weighted blend of percentile ranks.

    \b
    With --json, one object:
      network      actors, people, organisations, links, as_of, wards,
                   engine, exact, samples, seed, notes
      betweenness_sampling
                   exact, pivots, actors, agreement_top20: how bridging
                   was computed (sampling rounds' agreement on the top 20)
      metrics      each measure's one-line explanation
      by           the measure used for sorting
      connectors   [{rank, id, name, actor_type, ward, roles, degree,
                   betweenness, closeness, pagerank, eigenvector, effective_size,
                   constraint, introductions, score}], sorted by --by
      gaps         isolated, fragile, cut_points, bridges, wards,
                   sector_links, unlinked_organisations, stale_ties,
                   overdue_follow_ups
      communities  count, modularity, engine, seed, list, bridging,
                   unlinked_pairs
    See docs/analysis.md for every field.
    """

    def action(store: Store) -> Any:
        try:
            return analyse_store(
                store,
                top=top,
                by=by.lower(),
                as_of=as_of,
                wards=list(wards) or None,
                engine=engine,
                seed=random_seed,
                use_cache=not no_cache,
            )
        except ValueError as exc:  # e.g. the igraph engine asked for but not installed
            raise InvalidInput(str(exc)) from None

    report = run(ctx, action)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    _print_report(report, top)


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _print_report(report: dict[str, Any], top: int) -> None:
    from ..analysis.centrality import METRICS

    net = report["network"]
    scope = f" as of {net['as_of']}" if net["as_of"] else ""
    if net["wards"]:
        scope += f" in {', '.join(net['wards'])}"
    click.echo(
        f"Network{scope}: {net['people']:,} people, {net['organisations']:,} organisations, {net['links']:,} links."
    )
    if not net["actors"]:
        click.echo("Nothing to analyse yet: add people, organisations and ties first.")
        return
    click.echo(f"Computed by: {net['engine']}.")
    for note in net["notes"]:
        click.echo(f"Note: {note}.")
    click.echo("")
    click.echo(f"Key connectors (by {METRICS[report['by']].label.lower()}):")
    columns = [key for key in METRICS]
    header = f"{'#':>3}  {'name':<28} " + " ".join(f"{_SHORT[c]:>10}" for c in columns)
    click.echo(header)
    for c in report["connectors"]:
        name = c["name"] if len(c["name"]) <= 28 else c["name"][:27] + "…"
        click.echo(f"{c['rank']:>3}  {name:<28} " + " ".join(f"{_fmt(c[k]):>10}" for k in columns))
    click.echo("")
    for key, explanation in report["metrics"].items():
        click.echo(f"  {_SHORT[key]:>10}  {explanation}")
    gaps = report["gaps"]
    click.echo("")
    click.echo("Gaps:")
    click.echo(f"  {gaps['isolated']['count']:,} actors have no links at all.")
    click.echo(f"  {gaps['fragile']['count']:,} actors hang on one tie or one person.")
    click.echo(f"  {gaps['cut_points']['count']:,} actors and {gaps['bridges']['count']:,} links are single points of failure.")
    for item in gaps["cut_points"]["items"][: min(top, 5)]:
        click.echo(f"    {item['sentence']}")
    missing = gaps["sector_links"]["priority_missing"]
    if missing:
        pairs = "; ".join(f"{a.replace('_', ' ')} and {b.replace('_', ' ')}" for a, b in missing)
        click.echo(f"  No ties between organisations in these sectors: {pairs}.")
    click.echo(f"  {len(gaps['unlinked_organisations']):,} organisations have no link to any connector.")
    if "stale_ties" in gaps:
        click.echo(f"  {gaps['stale_ties']['count']:,} ties not confirmed for {gaps['stale_ties']['months']} months.")
    if "overdue_follow_ups" in gaps:
        click.echo(f"  {gaps['overdue_follow_ups']['count']:,} introductions are past their follow-up with no outcome.")
    com = report["communities"]
    click.echo("")
    click.echo(f"Communities: {com['count']:,} (modularity {com['modularity']:.2f}).")
    for c in com["list"][: min(top, 5)]:
        ward = f", mostly {c['main_ward']}" if c["main_ward"] else ""
        click.echo(f"  {c['number']:>3}: {c['size']:,} actors{ward}")
    if com["bridging"]:
        names = ", ".join(b["name"] for b in com["bridging"][: min(top, 5)])
        click.echo(f"  Linking communities: {names}.")


COMMANDS = [analyse]
