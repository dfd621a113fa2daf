"""The network explorer: choose what to show, reduce it, lay it out, draw it.

The drawing is a self-contained HTML page made with pyvis: vis-network is
inlined (``cdn_resources="in_line"``) and every external stylesheet or script
pyvis's template names is removed, so it works with no internet. Positions
are computed here, on the server, and physics is off, so the browser draws a
still picture at once instead of simulating. Large networks are reduced
before drawing (top actors by a measure, or one node per community) and
:class:`ExplorerView` says what was left out.

Text safety: names reach the page only inside the JSON that pyvis embeds,
where ``<``, ``>`` and ``&`` are written as ``\\u003c``-style escapes, so
nothing can close the script; vis-network draws labels on a canvas and shows
string tooltips with ``innerText``; the click-details panel uses
``textContent``. Hostile names therefore show as the literal text they are.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Mapping

import networkx as nx

from ..analysis.centrality import METRICS, MetricTable, percentile_ranks
from ..caching import LruCache
from ..graph import projection_key
from ..store.base import Store
from .measures import NetworkMeasures, network_measures
from .naming import actor_tags, community_names, person_sector
from .plain import in_words

__all__ = [
    "COLOUR_BY",
    "SIZE_BY",
    "DEFAULT_MAX_NODES",
    "DRAWING_HEIGHT",
    "REDUCE_BY",
    "community_choices",
    "ExplorerOptions",
    "LegendItem",
    "ExplorerView",
    "introduction_path",
    "select",
    "reduce",
    "layout",
    "render_html",
    "explore",
]

#: What nodes can be coloured by.
COLOUR_BY = {"community": "Community", "sector": "Sector", "ward": "Ward", "actor_type": "Person or organisation"}
#: What nodes can be sized by: every measure, or nothing.
SIZE_BY = {"none": "Same size", **{key: metric.label for key, metric in METRICS.items()}}
#: Colour-blind-safe colours (Okabe and Ito), then a few more; the rest are grey.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#8C564B", "#17BECF"]
OTHER_COLOUR = "#B0B0B0"
PATH_COLOUR = "#D00000"
#: Shapes carry the actor type so colour is never the only signal.
SHAPES = {"person": "dot", "organisation": "square", "community": "diamond"}
DEFAULT_MAX_NODES = 300
#: How a network too big to draw is shown.
REDUCE_BY = {"communities": "one node per community", "wards": "one node per ward",
             "top": "the people and organisations with the highest scores"}
#: Node colour for everyone beside the path (faded).
FADED = "#DDDDDD"

#: Height of the drawing in pixels (the details panel sits under it).
DRAWING_HEIGHT = 620
#: Up to this many nodes every one is labelled; above it, only this many of the biggest (tooltips name all).
LABEL_ALL = 60


@dataclass(frozen=True)
class ExplorerOptions:
    """What the explorer should show.

    Empty filters mean "everything". ``sectors`` and ``kinds`` filter
    organisations only; ``roles`` filters people only. ``since`` keeps only
    links first made on or after that date; ``until`` shows the network as
    it stood on that date. ``ego`` with ``hops`` shows one actor's
    neighbourhood; ``path`` asks who could introduce one actor to another.
    """

    wards: tuple[str, ...] = ()
    actor_types: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    ego: str | None = None
    hops: int = 1
    path: tuple[str, str] | None = None
    colour_by: str = "community"
    size_by: str = "score"
    max_nodes: int = DEFAULT_MAX_NODES
    reduce_by: str = "communities"  # "communities", "wards" or "top"
    community: int | None = None

    def __post_init__(self) -> None:
        if self.colour_by not in COLOUR_BY:
            raise ValueError(f"colour_by must be one of {', '.join(COLOUR_BY)}")
        if self.size_by not in SIZE_BY:
            raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}")
        if self.reduce_by not in REDUCE_BY:
            raise ValueError("reduce_by must be one of " + ", ".join(REDUCE_BY))
        if self.hops < 1:
            raise ValueError("hops must be at least 1")
        if self.max_nodes < 2:
            raise ValueError("max_nodes must be at least 2")


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: what a colour or shape means and how many carry it."""

    label: str
    colour: str
    count: int
    shape: str = "dot"


@dataclass
class ExplorerView:
    """What the explorer draws and says about it."""

    graph: nx.Graph
    html: str
    legend: list[LegendItem]
    notes: list[str] = field(default_factory=list)
    path: list[str] | None = None
    path_names: list[str] | None = None
    total_actors: int = 0


# ------------------------------------------------------------------ selection


def _passes(data: Mapping, options: ExplorerOptions) -> bool:
    kind = data.get("actor_type")
    if options.wards and data.get("ward") not in options.wards:
        return False
    if options.actor_types and kind not in options.actor_types:
        return False
    if kind == "organisation":
        if options.sectors and data.get("sector") not in options.sectors:
            return False
        if options.kinds and data.get("kind") not in options.kinds:
            return False
    elif options.roles and not set(data.get("roles") or ()) & set(options.roles):
        return False
    return True


def introduction_path(G: nx.Graph, a: Hashable, b: Hashable) -> list[Hashable] | None:
    """The shortest chain of links from ``a`` to ``b`` (both ends included), or ``None``.

    The people in between are who could introduce ``a`` to ``b``.

    Examples
    --------
    >>> introduction_path(nx.path_graph(["ann", "cath", "bob"]), "ann", "bob")
    ['ann', 'cath', 'bob']
    >>> introduction_path(nx.Graph([("a", "b"), ("c", "d")]), "a", "d") is None
    True
    """
    if a not in G or b not in G:
        return None
    try:
        return list(nx.shortest_path(G, a, b))
    except nx.NetworkXNoPath:
        return None


def select(
    G: nx.Graph, options: ExplorerOptions, recent_links: set[frozenset] | None = None
) -> tuple[nx.Graph, list[Hashable] | None, list[str]]:
    """The part of ``G`` the options ask for: ``(subgraph, path, notes)``.

    The subgraph may be a read-only view of ``G``; :func:`reduce` returns a copy.

    ``recent_links`` (pairs first linked on or after ``options.since``)
    limits the links shown when a start date is set. The path is found in
    the whole graph and its actors are always kept.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> for n in G: G.nodes[n].update(actor_type="person", ward="X" if n < "c" else "Y")
    >>> sorted(select(G, ExplorerOptions(wards=("X",)))[0])
    ['a', 'b']
    >>> sorted(select(G, ExplorerOptions(ego="a", hops=2))[0])
    ['a', 'b', 'c']
    """
    notes: list[str] = []
    path = introduction_path(G, *options.path) if options.path else None
    if options.path and path is None:
        notes.append("There is no chain of links between the two chosen actors yet.")
    filtered = any((options.wards, options.actor_types, options.sectors, options.kinds, options.roles))
    keep = {n for n, data in G.nodes(data=True) if _passes(data, options)} if filtered else set(G)
    H: nx.Graph = G.subgraph(keep) if filtered else G  # views, not copies: the graph may be city-sized
    if recent_links is not None:
        H = nx.subgraph_view(H, filter_edge=lambda u, v: frozenset((u, v)) in recent_links)
        notes.append(f"Only links first made since {options.since:%d %b %Y} are drawn.")
    if options.ego is not None:
        if options.ego not in G:
            notes.append("The chosen actor is not in the network shown (erased, withheld or filtered out).")
            H = H.subgraph([])
        else:
            base = H if options.ego in H else G.subgraph(keep | {options.ego})
            H = nx.ego_graph(base, options.ego, radius=options.hops)
            notes.append(f"Showing everyone within {options.hops} step{'s' if options.hops > 1 else ''} of "
                         f"{G.nodes[options.ego].get('name', options.ego)}.")
    if path:
        beside = {m for n in path for m in G[n]}
        H = G.subgraph(set(path) | beside)
        notes.append("Showing only the chain and the people and organisations next to it (faded).")
    return H, path, notes


def reduce(
    H: nx.Graph,
    options: ExplorerOptions,
    scores: Mapping[Hashable, float],
    membership: Mapping[Hashable, int],
    keep: Iterable[Hashable] = (),
    names: Mapping[int, str] | None = None,
) -> tuple[nx.Graph, list[str]]:
    """``H`` cut down to ``options.max_nodes`` nodes, with a note of what was done.

    ``"top"`` keeps the highest ``scores`` (and everything in ``keep``);
    ``"communities"`` draws each community as one node sized by its members.

    Examples
    --------
    >>> H = nx.star_graph(5)
    >>> for n in H: H.nodes[n].update(name=str(n), actor_type="person")
    >>> small, notes = reduce(H, ExplorerOptions(max_nodes=3, reduce_by="top"), {n: -n for n in H}, {})
    >>> sorted(small), notes[0].startswith("Showing the 3 ")
    ([0, 1, 2], True)
    """
    n = H.number_of_nodes()
    if n <= options.max_nodes:
        return nx.Graph(H), []
    must = [k for k in keep if k in H]
    if must and (options.ego or options.path):
        return _strongest(H, must, options.max_nodes)
    if options.reduce_by in ("communities", "wards"):
        if options.reduce_by == "wards":
            wards = sorted({str(d.get("ward") or "no ward") for _n, d in H.nodes(data=True)})
            number = {w: i for i, w in enumerate(wards)}
            membership = {node: number[str(d.get("ward") or "no ward")] for node, d in H.nodes(data=True)}
            names = dict(enumerate(wards))
        what = "community" if options.reduce_by == "communities" else "ward"
        return _collapse(H, membership, names), [
            f"{n:,} people and organisations are too many to draw; each {what} is shown as one node "
            f"(size = members, lines = links between them). Pick a {what} to open it, or focus on one person."
        ]
    ranked = sorted(H, key=lambda node: (-float(scores.get(node) or 0.0), str(node)))
    chosen = list(dict.fromkeys(must + ranked))[: max(options.max_nodes, len(must))]
    label = "overall score" if options.size_by not in METRICS or options.size_by == "score" else METRICS[options.size_by].label.lower()
    return H.subgraph(chosen).copy(), [
        f"Showing the {len(chosen):,} people and organisations with the highest {label} out of {n:,}; "
        "narrow the filters or pick one actor's neighbourhood to see the rest."
    ]


def _strongest(H: nx.Graph, must: list[Hashable], cap: int) -> tuple[nx.Graph, list[str]]:
    """Keep ``must`` and the ``cap`` nodes most strongly linked to them: nearest first, then by link weight."""
    distance = nx.multi_source_dijkstra_path_length(H, must, weight=lambda u, v, d: 1)
    pull: dict[Hashable, float] = {}
    for node in H:
        pull[node] = sum(float(H[node][m].get("weight", 1)) for m in H[node] if distance.get(m, 99) < distance.get(node, 99))
    ranked = sorted(H, key=lambda node: (node not in must, distance.get(node, 99), -pull[node], str(node)))
    chosen = ranked[: max(cap, len(must))]
    left = H.number_of_nodes() - len(chosen)
    far = max(distance.get(n, 0) for n in chosen)
    return H.subgraph(chosen).copy(), [
        f"Showing the {len(chosen):,} most strongly linked of {H.number_of_nodes():,} (nearest first, then by how "
        f"many ties and introductions link them in); left out: {left:,} further away or more weakly linked, "
        f"up to {far} step{'s' if far != 1 else ''} out."
    ]


#: Communities smaller than this are drawn together as one node.
SMALL_GROUP = 3
_SMALL = -1


def _collapse(H: nx.Graph, membership: Mapping[Hashable, int], names: Mapping[int, str] | None = None) -> nx.Graph:
    names = names or {}
    C = nx.Graph()
    groups: dict[int, list[Hashable]] = {}
    for node in H:
        groups.setdefault(int(membership.get(node, 0)), []).append(node)
    small = {number for number, members in groups.items() if len(members) < SMALL_GROUP}
    if len(small) > 1:  # tiny groups and people on their own, drawn as one node so they do not scatter the picture
        groups[_SMALL] = [m for number in sorted(small) for m in groups.pop(number)]
    where = {m: number for number, members in groups.items() for m in members}
    for number, members in groups.items():
        wards = [H.nodes[m].get("ward") for m in members if H.nodes[m].get("ward")]
        main = max(set(wards), key=wards.count) if wards else None
        count = len(small) if number == _SMALL else 1
        C.add_node(
            f"community-{'small' if number == _SMALL else number}",
            name=(f"{count} small groups and people on their own" if number == _SMALL
                  else names.get(number) or (f"mostly {main}" if main else "people with no ward")),
            actor_type="community",
            members=len(members),
            community=number,
            ward=main,
        )
    for u, v in H.edges:
        a, b = where[u], where[v]
        if a != b:
            key = tuple(f"community-{'small' if x == _SMALL else x}" for x in (a, b))
            weight = C.get_edge_data(*key, default={"weight": 0})["weight"]
            C.add_edge(*key, weight=weight + 1)
    return C


def layout(H: nx.Graph, *, seed: int = 0, scale: float = 600.0) -> dict[Hashable, tuple[float, float]]:
    """Fixed positions for every node (a seeded spring layout), in pixels.

    The drawing grows with the number of nodes so labels have room.

    Examples
    --------
    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(abs(x) <= 600 and abs(y) <= 600 for x, y in pos.values())
    True
    """
    if H.number_of_nodes() == 0:
        return {}
    if H.number_of_nodes() == 1:
        return {next(iter(H)): (0.0, 0.0)}
    n = H.number_of_nodes()
    pos = nx.spring_layout(H, seed=seed, iterations=60, weight=None, k=2.0 / n**0.5)
    spread = max(scale, 45.0 * n**0.5)
    return {node: (float(x) * spread, float(y) * spread) for node, (x, y) in pos.items()}


# ------------------------------------------------------------------ drawing


def _group_of(data: Mapping, colour_by: str, membership: Mapping[Hashable, int], node: Hashable,
              names: Mapping[int, str] | None = None, sector_of: Mapping[Hashable, str | None] | None = None) -> str:
    if data.get("actor_type") == "community":
        return data["name"] if colour_by == "community" else (data.get("ward") or "no ward")
    if colour_by == "community":
        if node not in membership:
            return "no community"
        return (names or {}).get(membership[node]) or "a small group"
    if colour_by == "sector":
        sector = (sector_of or {}).get(node) or data.get("sector")
        return sector.replace("_", " ") if sector else "no tie to any sector"
    if colour_by == "ward":
        return data.get("ward") or "no ward"
    return data.get("actor_type") or "unknown"


def _colours(groups: Mapping[Hashable, str]) -> tuple[dict[str, str], list[LegendItem]]:
    counts: dict[str, int] = {}
    for group in groups.values():
        counts[group] = counts.get(group, 0) + 1
    ordered = sorted(counts, key=lambda g: (-counts[g], g))
    colour = {g: (PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR) for i, g in enumerate(ordered)}
    legend = [LegendItem(g, colour[g], counts[g]) for g in ordered[: len(PALETTE)]]
    rest = ordered[len(PALETTE):]
    if rest:
        legend.append(LegendItem(f"{len(rest)} other groups", OTHER_COLOUR, sum(counts[g] for g in rest)))
    return colour, legend


def _tooltip(data: Mapping, sizes: Mapping[str, tuple[float | None, float | None]]) -> str:
    if data.get("actor_type") == "community":
        return f"{data['name']}\n{data['members']:,} members"
    lines = [str(data.get("name", ""))]
    if data.get("actor_type") == "organisation":
        lines.append(f"Organisation: {(data.get('kind') or '').replace('_', ' ')}, {(data.get('sector') or '').replace('_', ' ')}")
    else:
        roles = ", ".join(data.get("roles") or []) or "person"
        lines.append(f"Person: {roles}")
    if data.get("ward"):
        lines.append(f"Ward: {data['ward']}")
    for key, (share, raw) in sizes.items():
        if share is not None:
            lines.append(f"{METRICS[key].label}: {in_words(share)}" + (f" (raw {raw:.3g})" if raw is not None else ""))
    return "\n".join(lines)


_EXTERNAL = re.compile(
    r'<link[^>]*href="(?:https?:|//|\.\./)[^"]*"[^>]*>\s*|<script[^>]*src="(?:https?:|//|\.\./)[^"]*"[^>]*>\s*</script>\s*',
    re.IGNORECASE,
)

_AFTER_DRAW = """
<div id="cg-details" role="status" aria-live="polite"
     style="font-family: sans-serif; font-size: 14px; padding: 6px 8px; white-space: pre-line; border-top: 1px solid #ddd;">
Click a shape to see who or what it is.</div>
<script type="text/javascript">
(function () {
  var box = document.getElementById("cg-details");
  // The drawing sits in a sandboxed frame that may not navigate the page itself, so a link is
  // followed by the page (same origin): the dashboard opens the profile or community it names.
  function openInPage(event) {
    try {
      var page = window.parent.document, go = page.createElement("a");
      go.href = new URL(event.currentTarget.getAttribute("href"), window.parent.location.href).href;
      page.body.appendChild(go);
      go.click();
      go.remove();
      event.preventDefault();
    } catch (e) {
      event.currentTarget.target = "_blank";  // not embedded in the dashboard: open it beside
    }
  }
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-stable-ms", String(Math.round(performance.now())));
  });
  network.redraw();
  network.on("click", function (params) {
    if (params.nodes.length) {
      var node = nodes.get(params.nodes[0]);
      box.textContent = node.title || node.label || "";
      var id = String(node.id), link = document.createElement("a");
      if (id === "community-small") {
        return;  // the small communities drawn together: nothing one link could open
      } else if (id.indexOf("community-") === 0) {
        link.href = "explorer?community=" + encodeURIComponent(id.slice("community-".length));
        link.id = "cg-community-link";
        link.textContent = "Open this community";
      } else {
        link.href = "directory?id=" + encodeURIComponent(id);
        link.id = "cg-profile-link";
        link.textContent = "Open the profile";
      }
      link.addEventListener("click", openInPage);
      box.appendChild(document.createElement("br"));
      box.appendChild(link);
    } else {
      box.textContent = "Click a shape to see who or what it is.";
    }
  });
})();
</script>
"""


def render_html(
    H: nx.Graph,
    positions: Mapping[Hashable, tuple[float, float]],
    *,
    colour_by: str = "community",
    size_by: str = "score",
    metrics: MetricTable | None = None,
    membership: Mapping[Hashable, int] | None = None,
    path: list[Hashable] | None = None,
    height: int = DRAWING_HEIGHT,
    focus: Hashable | None = None,
    names: Mapping[int, str] | None = None,
    sector_of: Mapping[Hashable, str | None] | None = None,
) -> tuple[str, list[LegendItem]]:
    """A self-contained pyvis page of ``H`` at ``positions``, and its legend.

    Examples
    --------
    >>> H = nx.Graph([("a", "b")])
    >>> for n in H: H.nodes[n].update(name="<b>" + n, actor_type="person", roles=[])
    >>> html, legend = render_html(H, layout(H), colour_by="actor_type", size_by="none")
    >>> "<b>a" in html, bool(re.search(r'(src|href)="(https?:|//)', html)), legend[0].label
    (False, False, 'person')
    """
    from pyvis.network import Network

    membership = membership or {}
    values = metrics.values if metrics is not None else {}
    groups = {node: _group_of(data, colour_by, membership, node, names, sector_of) for node, data in H.nodes(data=True)}
    colour, legend = _colours(groups)
    sized = values.get(size_by, {}) if size_by != "none" else {}
    finite = [float(v) for node, v in sized.items() if node in H and v is not None]
    low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
    on_path = {node: i + 1 for i, node in enumerate(path or [])}
    path_edges = {frozenset(pair) for pair in zip(path or [], (path or [])[1:])}

    labelled = _labelled(H, sized, on_path) | ({focus} if focus in H else set())
    shares = {key: percentile_ranks(values[key]) for key in ("score", "degree", "betweenness") if key in values}
    if focus in positions:  # the focused person in the middle of the drawing
        fx, fy = positions[focus]
        positions = {node: (x - fx, y - fy) for node, (x, y) in positions.items()}
    net = Network(height=f"{height}px", width="100%", cdn_resources="in_line", bgcolor="#ffffff")
    net.templateEnv = _templates(net.template_dir)  # its page template compiled once, not for every drawing
    for node, data in H.nodes(data=True):
        if data.get("actor_type") == "community":
            size = 12.0 + 30.0 * min(1.0, data["members"] / 150.0)
        elif sized and sized.get(node) is not None and high > low:
            size = 10.0 + 30.0 * (float(sized[node]) - low) / (high - low)
        else:
            size = 14.0
        shown = {key: (shares[key].get(node), values[key].get(node)) for key in shares}
        name = str(data.get("name", node))
        label = (name if len(name) <= 32 else name[:31] + "…") if node in labelled else " "
        if node in on_path:
            label = f"{on_path[node]}. {label}"
        background = colour[groups[node]] if not path or node in on_path else FADED
        if node == focus:
            label, size = f"● {name}", max(size, 34.0)
        x, y = positions.get(node, (0.0, 0.0))
        net.add_node(
            str(node),
            label=label,
            title=_tooltip(data, shown),
            color={"background": background, "border": PATH_COLOUR if node in on_path or node == focus else "#333333"},
            borderWidth=4 if node in on_path or node == focus else 1,
            font={"size": 20, "bold": True} if node == focus else None,
            shape=SHAPES.get(str(data.get("actor_type")), "dot"),
            size=size,
            x=x,
            y=y,
            physics=False,
        )
    for u, v, data in H.edges(data=True):
        highlighted = frozenset((u, v)) in path_edges
        net.add_edge(
            str(u),
            str(v),
            width=6 if highlighted else min(1 + int(data.get("weight", 1)), 6),
            color=PATH_COLOUR if highlighted else "#9a9a9a",
            title=f"{data.get('weight', 1)} link{'s' if data.get('weight', 1) != 1 else ''}",
        )
    net.set_options(json.dumps({
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": True},
        "nodes": {"font": {"size": 14, "face": "sans-serif"}},
        "edges": {"smooth": False},
    }))
    html = _EXTERNAL.sub("", net.generate_html())
    html = html.replace("</body>", _AFTER_DRAW + "</body>", 1)
    legend.extend(_shape_legend(H, path))
    return html, legend


@functools.lru_cache(maxsize=4)
def _templates(folder: str) -> Any:
    """One jinja environment per template folder, so pyvis's page template is compiled once per process."""
    from jinja2 import Environment, FileSystemLoader

    return Environment(loader=FileSystemLoader(folder))


def _labelled(H: nx.Graph, sized: Mapping[Hashable, float | None], on_path: Mapping[Hashable, int]) -> set[Hashable]:
    """Which nodes get a written label: all of a small drawing, else the biggest and the path."""
    if H.number_of_nodes() <= LABEL_ALL:
        return set(H)
    ranked = sorted(H, key=lambda node: (-float(sized.get(node) or H.degree(node)), str(node)))
    return set(ranked[:LABEL_ALL]) | set(on_path)


def _shape_legend(H: nx.Graph, path: list[Hashable] | None) -> list[LegendItem]:
    kinds: dict[str, int] = {}
    for _, data in H.nodes(data=True):
        kind = str(data.get("actor_type"))
        kinds[kind] = kinds.get(kind, 0) + 1
    names = {"person": "circle: a person", "organisation": "square: an organisation", "community": "diamond: a community"}
    items = [LegendItem(names.get(k, k), "#ffffff", n, SHAPES.get(k, "dot")) for k, n in sorted(kinds.items())]
    if path:
        items.append(LegendItem("thick red outline and numbers: the chain of introductions", PATH_COLOUR, len(path)))
    return items


# ------------------------------------------------------------------ one call

def _links_since(store: Store, since: dt.date) -> set[frozenset]:
    pairs: set[frozenset] = set()
    for tie in store.iter_ties():
        if tie.since is not None and tie.since >= since:
            pairs.add(frozenset((tie.source_id, tie.target_id)))
    for intro in store.iter_introductions():
        if intro.date >= since:
            pairs.add(frozenset((intro.introducer_id, intro.subject_id)))
            pairs.add(frozenset((intro.introducer_id, intro.target_id)))
            if intro.status.happened:
                pairs.add(frozenset((intro.subject_id, intro.target_id)))
    return pairs


_NAMES = LruCache(4)


def _names(store: Store, measures: NetworkMeasures) -> Mapping[int, str]:
    """Community names: those made with the measures (off the request path), else made once per graph version."""
    if measures.community_labels:
        return measures.community_labels
    G, membership = measures.graph, measures.partition.membership
    return _NAMES.get_or_make((projection_key(store), len(membership), G.number_of_nodes()),
                              lambda: community_names(G, membership, actor_tags(store)))


def community_choices(
    store: Store, *, until: dt.date | None = None, measures: NetworkMeasures | None = None
) -> dict[int, str]:
    """Each community's number and name, biggest first, for a picker (from ``measures`` when given)."""
    measures = measures or network_measures(store, as_of=until)
    names = _names(store, measures)
    counted = Counter(measures.partition.membership.values())
    sizes = {k: counted[k] for k in names}
    return {k: f"{names[k]} ({sizes[k]:,})" for k in sorted(names, key=lambda k: (-sizes[k], k))}


def explore(store: Store, options: ExplorerOptions, *, measures: NetworkMeasures | None = None) -> ExplorerView:
    """Everything the explorer page draws for ``options``, from the store.

    Measures and communities are computed once per graph version (and
    ``until`` date) and reused while the network is unchanged; a page passes
    the shared ones (:func:`~.measures.shared_measures`) as ``measures``.
    The view itself is kept with the measures (``NetworkMeasures.derived``), so
    everyone opening the same view of the same shared result gets it at once.
    Treat it as read-only.
    """
    measures = measures or network_measures(store, as_of=options.until)
    # The same options on the same measures draw the same view (links since a date are read from the store).
    key = ("explorer", options, store.graph_version() if options.since else None)
    return measures.derived.get_or_make(key, lambda: _explore(store, options, measures))


def _explore(store: Store, options: ExplorerOptions, measures: NetworkMeasures) -> ExplorerView:
    G, metrics, partition = measures.graph, measures.metrics, measures.partition
    recent = _links_since(store, options.since) if options.since else None
    H, path, notes = select(G, options, recent)
    names = _names(store, measures)
    if options.community is not None:
        H = H.subgraph([n for n in H if partition.membership.get(n) == options.community])
        notes.append(f"Showing the community {names.get(options.community, '')}.")
    scores = metrics.values.get(options.size_by if options.size_by in metrics.values else "score", {})
    keep = list(path or []) + ([options.ego] if options.ego else [])
    H, reduced = reduce(H, options, scores, partition.membership, keep, names)
    notes.extend(reduced)
    colour_by = options.colour_by
    html, legend = render_html(
        H,
        layout(H),
        colour_by=colour_by,
        size_by=options.size_by,
        metrics=metrics,
        membership=partition.membership,
        path=path,
        focus=options.ego,
        names=names,
        sector_of={n: person_sector(G, n) for n in H} if colour_by == "sector" else None,
    )
    names = [str(G.nodes[n].get("name", n)) for n in path] if path else None
    return ExplorerView(graph=H, html=html, legend=legend, notes=notes, path=path, path_names=names,
                        total_actors=G.number_of_nodes())
