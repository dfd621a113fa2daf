"""One definition of a link, used by every page, the command line and exports.

A **link** between two people or organisations is

- a **tie** between them (any kind) that had begun by the date looked at
  (a tie with no start date always counts), or
- an **introduction that happened** (status *made* or *followed up*) dated
  on or before that date: it links the person introduced with whom they
  were introduced to, and the connector who made it with both.

Planned, declined and unknown introductions are not links: they are
counted as introductions (logged work), never as links. Anything that says
"linked", "link" or "partner" in the dashboard or the ``gaps`` command
counts links by this definition; pages that show another count (ties only,
or every introduction logged) say so.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

import networkx as nx

from ..model import Introduction, IntroStatus, Tie  # noqa: F401 (IntroStatus: examples)

__all__ = ["LINK_DEFINITION", "tie_counts", "introduction_counts", "link_graph"]

#: The definition in one sentence, for pages and command output.
LINK_DEFINITION = (
    "A link is a tie, or an introduction that happened (made or followed up) "
    "by the date looked at; planned, declined and unknown introductions are not links."
)


def tie_counts(tie: Tie, as_of: dt.date | None = None) -> bool:
    """True when ``tie`` is a link on ``as_of`` (None: today, so every tie).

    Examples
    --------
    >>> t = Tie(source_id="a", target_id="b", since=dt.date(2026, 3, 1))
    >>> tie_counts(t, dt.date(2026, 2, 1)), tie_counts(t, dt.date(2026, 3, 1)), tie_counts(t)
    (False, True, True)
    """
    return as_of is None or tie.since is None or tie.since <= as_of


def introduction_counts(intro: Introduction, as_of: dt.date | None = None) -> bool:
    """True when ``intro`` is a link on ``as_of``: it happened, and on or before that date.

    Examples
    --------
    >>> made = Introduction(introducer_id="c", subject_id="a", target_id="b", date=dt.date(2026, 1, 5))
    >>> planned = made.model_copy(update={"status": IntroStatus.PLANNED})
    >>> introduction_counts(made), introduction_counts(planned), introduction_counts(made, dt.date(2026, 1, 4))
    (True, False, False)
    """
    return intro.status.happened and (as_of is None or intro.date <= as_of)


def link_graph(
    nodes: nx.Graph,
    ties: Iterable[Tie],
    introductions: Iterable[Introduction],
    *,
    as_of: dt.date | None = None,
) -> nx.Graph:
    """The links between the actors of ``nodes`` (their attributes kept, their edges ignored).

    Edges carry ``weight`` (ties plus introductions along them), ``kinds``
    (the sorted tie kinds, empty when only introductions link the two) and
    ``introductions``. Ends not in ``nodes`` (erased, withdrawn consent,
    filtered out) are skipped. ``nodes`` is not changed.

    Examples
    --------
    >>> N = nx.Graph(); N.add_nodes_from(["a", "b", "c", "d"])
    >>> intro = Introduction(introducer_id="c", subject_id="a", target_id="d", date=dt.date(2026, 1, 5))
    >>> L = link_graph(N, [Tie(source_id="a", target_id="b")], [intro])
    >>> sorted(tuple(sorted(e)) for e in L.edges)
    [('a', 'b'), ('a', 'c'), ('a', 'd'), ('c', 'd')]
    """
    G = nx.Graph()
    G.add_nodes_from(nodes.nodes(data=True))
    kinds: dict[frozenset, set[str]] = {}

    def add(u: str, v: str, kind: str | None) -> None:
        if u == v or u not in G or v not in G:
            return
        if not G.has_edge(u, v):
            G.add_edge(u, v, weight=0, introductions=0)
        data = G[u][v]
        data["weight"] += 1
        if kind is None:
            data["introductions"] += 1
        else:
            kinds.setdefault(frozenset((u, v)), set()).add(kind)

    for tie in ties:
        if tie_counts(tie, as_of):
            add(tie.source_id, tie.target_id, tie.kind.value)
    for intro in introductions:
        if introduction_counts(intro, as_of):
            add(intro.subject_id, intro.target_id, None)
            add(intro.introducer_id, intro.subject_id, None)
            add(intro.introducer_id, intro.target_id, None)
    for u, v, data in G.edges(data=True):
        data["kinds"] = sorted(kinds.get(frozenset((u, v)), ()))
    return G
