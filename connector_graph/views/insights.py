"""Tables for the key-connectors and gaps pages, from one cached analysis."""

from __future__ import annotations

import datetime as dt
from typing import Any, Collection, Iterable, Mapping, Sequence

import pandas as pd

from ..analysis.centrality import METRICS
from ..analysis.engine import AGREE_TOP20
from ..analysis.gaps import TieMatrix, departure_impact, tie_matrix
from ..analysis.analyse import analyse_store
from ..analysis.person_suggestions import Suggester
from ..analysis.shared import Latest, latest
from ..analysis.suggestions import bridge_candidates, suggest_for_person, unlinked_community_pairs
from ..auth import Permission, require
from ..caching import LruCache
from ..graph import graph_for_analysis, projection_key
from ..store.base import Store
from .wardmap import SCHEMA as VEGA_LITE_SCHEMA
from .measures import network_measures

__all__ = ["analysis", "shared_analysis", "engine_caption", "sampling_caption", "connectors_frame", "ranking_chart", "if_they_left", "matrix_frame",
           "ward_matrix", "shade", "pairs_text", "refs_frame", "person_suggestions", "network_suggestions",
           "network_list_on_request", "ACROSS_ON_REQUEST"]


def analysis(
    store: Store,
    *,
    top: int = 25,
    by: str = "score",
    as_of: dt.date | None = None,
    wards: Collection[str] | None = None,
) -> dict[str, Any]:
    """The cached network report (see :mod:`connector_graph.analysis.report`), for managers."""
    require(Permission.ANALYSE)
    return analyse_store(store, top=top, by=by, as_of=as_of, wards=wards or None)


def shared_analysis(
    store: Store,
    *,
    top: int = 25,
    by: str = "score",
    wards: Collection[str] | None = None,
) -> Latest[dict[str, Any]]:
    """The report as in :func:`analysis`, shared by every user and refreshed in the background.

    Returns the last complete report at once, marked ``refreshing`` while a
    newer one is made (see :mod:`connector_graph.analysis.shared`); treat
    the report as read-only.
    """
    require(Permission.ANALYSE)
    chosen = tuple(sorted(set(wards or ())))
    result = latest(store, "report", lambda: analysis(store, top=top, by=by, wards=chosen or None),
                    options=(top, by, chosen, dt.date.today()))
    assert result is not None  # waited for
    return result


_ENGINE_NAMES = {
    "gds": "Graph Data Science, inside Neo4j",
    "igraph": "python-igraph, in this app",
    "networkx": "networkx, in this app",
}


def engine_caption(report: dict[str, Any]) -> str:
    """One line saying which engine computed ``report``.

    Examples
    --------
    >>> engine_caption({"network": {"engine": "gds"}})
    'Computed by Graph Data Science, inside Neo4j.'
    """
    engine = report["network"].get("engine") or "unknown"
    return f"Computed by {_ENGINE_NAMES.get(engine, engine)}."


def sampling_caption(report: dict[str, Any]) -> str:
    """One line saying whether bridging was computed exactly or estimated, and how well the estimate settled.

    Examples
    --------
    >>> sampling_caption({"betweenness_sampling": {"exact": False, "pivots": 400, "actors": 5000, "agreement_top20": 19}})
    'Bridging estimated from shortest paths out of 400 of 5,000 actors: the last two rounds agreed on 19 of the top 20.'
    >>> sampling_caption({"betweenness_sampling": {"exact": False, "pivots": 1024, "actors": 100000,
    ...                                            "agreement_top20": 15}})[-109:]
    'agreed on 15 of the top 20, when the work limit stopped them short of 18: read close bridging values loosely.'
    """
    found = report.get("betweenness_sampling") or {}
    if not found or found.get("exact"):
        return "Bridging computed exactly, from every actor."
    actors = f"{found['pivots']:,} of {found['actors']:,} actors"
    if found.get("agreement_top20") is None:
        return f"Bridging estimated from shortest paths out of {actors}."
    agreed = found["agreement_top20"]
    line = f"Bridging estimated from shortest paths out of {actors}: the last two rounds agreed on {agreed} of the top 20"
    if agreed < AGREE_TOP20:
        return f"{line}, when the work limit stopped them short of {AGREE_TOP20}: read close bridging values loosely."
    return f"{line}."


def connectors_frame(report: dict[str, Any]) -> pd.DataFrame:
    """The ranking as a table with readable column names, best first."""
    columns = ["rank", "name", "actor_type", "ward", "roles", *METRICS, "id"]
    rows = [{**c, "roles": ", ".join(c.get("roles") or [])} for c in report["connectors"]]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.rename(columns={key: metric.label for key, metric in METRICS.items()} | {"actor_type": "type"})


def ranking_chart(frame: pd.DataFrame, label: str) -> dict[str, Any]:
    """Bars of ``frame``'s column ``label`` (from :func:`connectors_frame`), best at the top, as a Vega-Lite spec.

    Written directly, not through Altair (whose chart building and schema
    check cost more than the rest of the page).

    Examples
    --------
    >>> frame = pd.DataFrame({"rank": [1, 2], "name": ["Ann", "Bo"], "Bridging": [0.5, 0.25]})
    >>> spec = ranking_chart(frame, "Bridging")
    >>> spec["data"]["values"], spec["encoding"]["y"]["sort"]
    ([{'who': '1. Ann', 'value': 0.5}, {'who': '2. Bo', 'value': 0.25}], ['1. Ann', '2. Bo'])
    """
    rows = [{"who": f"{rank}. {name}", "value": None if pd.isna(value) else float(value)}
            for rank, name, value in zip(frame["rank"], frame["name"], frame[label])]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "value", "type": "quantitative", "title": label},
            "y": {"field": "who", "type": "nominal", "sort": [r["who"] for r in rows], "title": None,
                  "axis": {"labelLimit": 260}},
            "tooltip": [{"field": "who", "type": "nominal", "title": "who"},
                        {"field": "value", "type": "quantitative", "title": label}],
        },
    }


def if_they_left(store: Store, actor_id: str) -> str:
    """What would happen to the network if this actor left, in one sentence."""
    require(Permission.ANALYSE)
    G = graph_for_analysis(store)
    if actor_id not in G:
        return "They are not in the analysis (erased, or consent withdrawn)."
    return departure_impact(G, actor_id)[1]


def matrix_frame(groups: Sequence[str], counts: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    """A square table of tie counts between groups (zero where there is no tie), e.g. a :class:`TieMatrix`'s."""
    frame = pd.DataFrame(0, index=list(groups), columns=list(groups), dtype=int)
    for (a, b), count in counts.items():
        frame.loc[a, b] = count
        frame.loc[b, a] = count
    labels = [g.replace("_", " ") for g in groups]
    frame.index, frame.columns = labels, labels
    return frame


def shade(count: int, top: int) -> str:
    """CSS for a heatmap cell: white for none, deeper blue for more (text stays readable).

    Examples
    --------
    >>> shade(0, 10)
    'background-color: #ffffff; color: #000000'
    >>> shade(10, 10)
    'background-color: #08519c; color: #ffffff'
    """
    share = 0.0 if top <= 0 else max(0.0, min(1.0, count / top))
    start, end = (255, 255, 255), (8, 81, 156)
    r, g, b = (round(a + (z - a) * share) for a, z in zip(start, end))
    return f"background-color: #{r:02x}{g:02x}{b:02x}; color: {'#ffffff' if share > 0.5 else '#000000'}"


def pairs_text(pairs: Iterable[Sequence[str]]) -> str:
    """Group pairs in words, e.g. ``"health ↔ voluntary community; faith ↔ statutory"``.

    Examples
    --------
    >>> pairs_text([("health", "voluntary_community")])
    'health ↔ voluntary community'
    """
    return "; ".join(f"{a.replace('_', ' ')} ↔ {b.replace('_', ' ')}" for a, b in pairs)


def ward_matrix(store: Store) -> TieMatrix:
    """Ties between wards (every known ward listed, even with no actors)."""
    require(Permission.ANALYSE)
    return tie_matrix(graph_for_analysis(store), "ward", groups=[w.name for w in store.list_wards()])


def refs_frame(refs: list[dict[str, Any]]) -> pd.DataFrame:
    """Actor references (``id``, ``name``, ``actor_type``, ``ward``) as a table."""
    return pd.DataFrame(refs, columns=["name", "actor_type", "ward", "id"]).rename(columns={"actor_type": "type"})


def person_suggestions(store: Store, person_id: str, *, top: int = 10) -> pd.DataFrame:
    """Who a person could be introduced to, with the connector who could do it and why."""
    require(Permission.VIEW)
    measures = network_measures(store)
    actors = {a.id: a for a in store.iter_actors() if a.id in measures.graph}
    if person_id not in actors:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    found = suggest_for_person(measures.graph, actors, person_id, top=top, introductions=store.iter_introductions())
    rows = [
        {"introduce to": s.target_name, "type": s.target_type, "ward": s.ward or "",
         "who could introduce them": s.introducer_name or "no connector nearby yet",
         "why": "; ".join(s.reasons), "id": s.target_id}
        for s in found
    ]
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


#: Above this many people the network-wide list is worked out only when asked for: it ranks
#: everyone's suggestions, about 30 ms of CPU a person on the seeded 20,000-actor city.
ACROSS_ON_REQUEST = 3_000


def network_list_on_request(store: Store) -> bool:
    """True when the network is large enough that the network-wide list should wait for a click."""
    return store.counts().people > ACROSS_ON_REQUEST


def network_suggestions(store: Store, *, top: int = 20) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best introductions across the network (every person's suggestions pooled), and who could bridge two communities."""
    require(Permission.ANALYSE)
    measures = network_measures(store)
    G, partition = measures.graph, measures.partition

    def pooled() -> list[Any]:
        actors = {a.id: a for a in store.iter_actors() if a.id in G}
        return Suggester(G, actors, store.iter_introductions()).across(top=top)

    found = _ACROSS.get_or_make((*projection_key(store), "across", top), pooled)  # every person's list: kept
    links = pd.DataFrame(
        [{"introduce": s.a_name, "to": s.b_name, "who could introduce them": s.introducer_name or "no connector nearby yet",
          "why": "; ".join(s.reasons), "score": round(s.score, 3)}
         for s in found],
        columns=NETWORK_SUGGESTION_COLUMNS,
    )
    bridges = []
    for first, second in unlinked_community_pairs(G, partition)[:top]:
        for candidate in bridge_candidates(G, partition, first, second, top=1):
            bridges.append({"communities": f"{first} and {second}", "who": " and ".join(candidate.names),
                            "why": candidate.reason})
    return links, pd.DataFrame(bridges, columns=["communities", "who", "why"])


_ACROSS = LruCache(4)
SUGGESTION_COLUMNS = ["introduce to", "type", "ward", "who could introduce them", "why", "id"]
NETWORK_SUGGESTION_COLUMNS = ["introduce", "to", "who could introduce them", "why", "score"]
