"""Trends: introductions over time, network growth, and what changed between two dates.

- :func:`introductions_by_month`: counts per calendar month (``"2026-03"``)
  grouped by connector, ward, purpose, status or outcome;
- :func:`growth`: ties and introductions added per month, and running totals;
- :func:`compare`: two projections of the network (``build_graph(store,
  as_of=...)`` at two dates) described in plain language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping

import networkx as nx

from ..model import Introduction, Tie
from .gaps import single_points

__all__ = ["GROUPINGS", "MonthCount", "GrowthPoint", "Comparison", "month_of", "introductions_by_month", "growth", "compare"]

#: What :func:`introductions_by_month` can group by.
GROUPINGS = ("connector", "ward", "purpose", "status", "outcome")


@dataclass(frozen=True)
class MonthCount:
    """How many introductions in ``month`` fell in ``group``."""

    month: str
    group: str
    count: int


@dataclass(frozen=True)
class GrowthPoint:
    """Ties and introductions added in a month, and the totals so far."""

    month: str
    new_ties: int
    new_introductions: int
    total_ties: int
    total_introductions: int


@dataclass(frozen=True)
class Comparison:
    """What changed between two projections of the network."""

    before: dict[str, int]
    after: dict[str, int]
    new_isolated: list[str]
    no_longer_isolated: list[str]
    new_cut_points: list[str]
    lost_cut_points: list[str]
    lost_bridges: list[tuple[str, str]]
    new_sector_links: list[tuple[str, str]]
    lost_sector_links: list[tuple[str, str]]
    sentences: list[str] = field(default_factory=list)


def month_of(day: dt.date) -> str:
    """``YYYY-MM`` for a date.

    Examples
    --------
    >>> month_of(dt.date(2026, 3, 9))
    '2026-03'
    """
    return f"{day.year:04d}-{day.month:02d}"


def introductions_by_month(
    introductions: Iterable[Introduction],
    by: str = "connector",
    *,
    wards: Mapping[str, str | None] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[MonthCount]:
    """Introductions per month and group, in month then group order.

    Parameters
    ----------
    by
        ``"connector"`` (who introduced; shown by name when ``names`` is
        given), ``"ward"`` (of the person introduced; needs ``wards``, actor
        id to ward), ``"purpose"`` (an introduction counts once per purpose),
        ``"status"``, or ``"outcome"`` (``"recorded"`` or ``"none yet"``).

    Examples
    --------
    >>> a = Introduction(introducer_id="c", subject_id="s", target_id="t", date=dt.date(2026, 1, 5), purposes=["food", "company"])
    >>> b = Introduction(introducer_id="c", subject_id="s", target_id="u", date=dt.date(2026, 1, 9), purposes=["food"])
    >>> [(m.month, m.group, m.count) for m in introductions_by_month([a, b], "purpose")]
    [('2026-01', 'company', 1), ('2026-01', 'food', 2)]
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    if by == "ward" and wards is None:
        raise ValueError("grouping by ward needs the actors' wards")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for intro in introductions:
        month = month_of(intro.date)
        if by == "connector":
            groups = [(names or {}).get(intro.introducer_id, intro.introducer_id)]
        elif by == "ward":
            groups = [(wards or {}).get(intro.subject_id) or "unknown ward"]
        elif by == "purpose":
            groups = list(intro.purposes) or ["no purpose given"]
        elif by == "status":
            groups = [intro.status.value]
        else:
            groups = ["recorded" if intro.outcome else "none yet"]
        for group in groups:
            counts[(month, group)] += 1
    return [MonthCount(month, group, count) for (month, group), count in sorted(counts.items())]


def growth(ties: Iterable[Tie], introductions: Iterable[Introduction]) -> list[GrowthPoint]:
    """Ties (by ``since``) and introductions (by date) added per month, with running totals.

    Ties with no ``since`` date are counted as there from the start.

    Examples
    --------
    >>> t = [Tie(source_id="a", target_id="b", since=dt.date(2026, 1, 2)), Tie(source_id="a", target_id="c")]
    >>> [(g.month, g.new_ties, g.total_ties) for g in growth(t, [])]
    [('2026-01', 1, 2)]
    """
    new_ties: dict[str, int] = defaultdict(int)
    new_intros: dict[str, int] = defaultdict(int)
    undated = 0
    for tie in ties:
        if tie.since is None:
            undated += 1
        else:
            new_ties[month_of(tie.since)] += 1
    for intro in introductions:
        new_intros[month_of(intro.date)] += 1
    total_ties, total_intros = undated, 0
    out = []
    for month in sorted(set(new_ties) | set(new_intros)):
        total_ties += new_ties[month]
        total_intros += new_intros[month]
        out.append(GrowthPoint(month, new_ties[month], new_intros[month], total_ties, total_intros))
    return out


def _summary(G: nx.Graph) -> dict[str, int]:
    return {
        "actors": G.number_of_nodes(),
        "links": G.number_of_edges(),
        "isolated": sum(1 for n in G if G.degree(n) == 0),
        "parts": nx.number_connected_components(G) if G.number_of_nodes() else 0,
    }


def _sector_links(G: nx.Graph) -> set[tuple[str, str]]:
    links = set()
    for u, v in G.edges():
        a, b = G.nodes[u].get("sector"), G.nodes[v].get("sector")
        if a and b and a != b:
            links.add((min(a, b), max(a, b)))
    return links


def _who(n: int) -> str:
    """``n`` people or organisations, in words."""
    return f"{n} {'person or organisation' if n == 1 else 'people and organisations'}"


def _names(G: nx.Graph, nodes: Iterable[Hashable]) -> str:
    labels = sorted(str(G.nodes[n].get("name", n)) for n in nodes)
    shown = ", ".join(labels[:5])
    return shown + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")


def compare(before: nx.Graph, after: nx.Graph) -> Comparison:
    """Describe what changed from ``before`` to ``after`` in plain language.

    Examples
    --------
    >>> old = nx.Graph([("a", "b")]); old.add_node("c")
    >>> new = nx.Graph([("a", "b"), ("b", "c")]); new.add_node("d")
    >>> for line in compare(old, new).sentences: print(line)
    The network grew from 3 people and organisations to 4, and from 1 to 2 links.
    1 person or organisation is newly without any link: d.
    1 person or organisation who had no link now has one: c.
    1 person or organisation became a single point of failure: b.
    """
    isolated_before = {str(n) for n in before if before.degree(n) == 0}
    isolated_after = {str(n) for n in after if after.degree(n) == 0}
    points_before = single_points(before)
    cuts_before = {p.actor.id for p in points_before.cut_points}
    cuts_after = {p.actor.id for p in single_points(after).cut_points}
    after_links = {frozenset((str(u), str(v))) for u, v in after.edges()}
    lost_bridges = sorted(
        (b.a.id, b.b.id) for b in points_before.bridges if frozenset((b.a.id, b.b.id)) not in after_links
    )
    sectors_before, sectors_after = _sector_links(before), _sector_links(after)
    by_key = {str(n): n for n in after}
    by_key_before = {str(n): n for n in before}
    result = Comparison(
        before=_summary(before),
        after=_summary(after),
        new_isolated=sorted(isolated_after - isolated_before),
        no_longer_isolated=sorted(isolated_before - isolated_after - (set(by_key_before) - set(by_key))),
        new_cut_points=sorted(cuts_after - cuts_before),
        lost_cut_points=sorted(cuts_before - cuts_after),
        lost_bridges=lost_bridges,
        new_sector_links=sorted(sectors_after - sectors_before),
        lost_sector_links=sorted(sectors_before - sectors_after),
    )
    b, a = result.before, result.after
    grew = "grew" if a["actors"] + a["links"] >= b["actors"] + b["links"] else "shrank"
    if (a["actors"], a["links"]) == (b["actors"], b["links"]):
        lines = [f"The network did not change size: {_who(a['actors'])} and {a['links']} links."]
    elif a["actors"] == b["actors"]:
        lines = [f"The network {grew} from {b['links']} to {a['links']} links between the same {_who(a['actors'])}."]
    else:
        lines = [f"The network {grew} from {_who(b['actors'])} to {a['actors']}, and from {b['links']} to {a['links']} links."]

    def count(n: int, what: str = "") -> str:
        return f"{n} {what}{'s' if n != 1 else ''}" if what else _who(n)

    if result.new_isolated:
        lines.append(
            f"{count(len(result.new_isolated))} {'is' if len(result.new_isolated) == 1 else 'are'} newly without "
            f"any link: {_names(after, [by_key[x] for x in result.new_isolated])}."
        )
    if result.no_longer_isolated:
        lines.append(
            f"{count(len(result.no_longer_isolated))} who had no link now "
            f"{'has' if len(result.no_longer_isolated) == 1 else 'have'} one: "
            f"{_names(after, [by_key[x] for x in result.no_longer_isolated])}."
        )
    if result.new_cut_points:
        lines.append(
            f"{count(len(result.new_cut_points))} became a single point of failure: "
            f"{_names(after, [by_key[x] for x in result.new_cut_points])}."
        )
    if result.lost_cut_points:
        gone = [x for x in result.lost_cut_points if x in by_key]
        left = [x for x in result.lost_cut_points if x not in by_key]
        if gone:
            lines.append(
                f"{count(len(gone))} no longer {'holds' if len(gone) == 1 else 'hold'} the only link for others "
                f"(the network around them got stronger): {_names(after, [by_key[x] for x in gone])}."
            )
        if left:
            lines.append(f"{count(len(left))} who held the only link for others left the network.")
    if result.lost_bridges:
        pairs = [
            f"{before.nodes[by_key_before[a]].get('name', a)} and {before.nodes[by_key_before[b]].get('name', b)}"
            for a, b in result.lost_bridges[:5]
        ]
        more = f" and {len(result.lost_bridges) - 5} more" if len(result.lost_bridges) > 5 else ""
        lines.append(
            f"{count(len(result.lost_bridges), 'link')} that {'was' if len(result.lost_bridges) == 1 else 'were'} "
            f"the only connection between two parts of the network {'is' if len(result.lost_bridges) == 1 else 'are'} "
            f"gone: {'; '.join(pairs)}{more}."
        )
    for x, y in result.new_sector_links:
        lines.append(f"New link between the {x.replace('_', ' ')} and {y.replace('_', ' ')} sectors.")
    for x, y in result.lost_sector_links:
        lines.append(f"Lost: no link between the {x.replace('_', ' ')} and {y.replace('_', ' ')} sectors any more.")
    object.__setattr__(result, "sentences", lines)
    return result
