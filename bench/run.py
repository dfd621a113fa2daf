"""Benchmark the analysis: projection and every measure, networkx against the accelerated engine.

One command::

    python bench/run.py [--sizes 1000,10000] [--networkx-limit 3000] [--networkx-max 20000] [--exact-limit 10000]
    python bench/run.py --store sqlite,neo4j --sizes 20000,100000 [--rounds 3] [--code DIR,DIR]

With ``--store`` it measures end to end instead, as a user waits: the whole
``analyse --json`` command (first call and second call), ``stats``,
``search`` and ``introduce``, against an igraph script that reads the same
network from GraphML, side by side in one run (see ``bench/end_to_end.py``).

For each size it generates the seeded synthetic city network
(``connector_graph.seed.generate``), loads it into a throwaway SQLite store,
times the projection, then times each measure three ways on the same graph
in the same run:

- **networkx**: plain networkx (the reference), skipped above
  ``--networkx-limit`` nodes for the slow exact measures and above
  ``--networkx-max`` for everything;
- **ours**: what ``connector_graph.analysis`` does (engine chosen by size,
  work split over the cores);
- **igraph**: python-igraph called directly on a prepared igraph graph.

Ratios are against networkx in the same run (higher = faster than networkx)
and ours against igraph (1.0 = as fast). It also reports how many of the
exact top 20 by betweenness the sampled estimate finds (and their Jaccard
index), and the whole ``analyse`` against an igraph baseline (degree,
256-source betweenness, PageRank, multilevel communities, articulation
points). Each timing is one run on a shared machine: read them as orders of
magnitude. Results go to standard output and ``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402

from connector_graph.analysis import engine as engines  # noqa: E402
from connector_graph.analysis.centrality import DEFAULT_SAMPLES, brokerage, exact_limit as exact_node_limit  # noqa: E402
from connector_graph.analysis.communities import detect_communities  # noqa: E402
from connector_graph.analysis.gaps import single_points  # noqa: E402
from connector_graph.analysis.report import network_report  # noqa: E402
from connector_graph.graph import build_graph  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import open_store  # noqa: E402
from results_file import publish  # noqa: E402

SEED = 7
TODAY = dt.date(2026, 1, 1)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "skipped"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def ratio(base: float | None, other: float | None) -> str:
    if base is None or other is None or other <= 0:
        return "-"
    return f"{base / other:.1f}x"


def top(values: dict, k: int = 20) -> set:
    return set(sorted(values, key=lambda n: (-values[n], str(n)))[:k])


def fresh_igraph(G: nx.Graph) -> tuple[Any, list]:
    """Convert to igraph without the analysis' conversion cache (so its cost is counted)."""
    import igraph as ig

    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    triples = [(index[u], index[v], w) for u, v, w in G.edges(data="weight", default=1)]
    g = ig.Graph(n=len(nodes), edges=[(u, v) for u, v, _w in triples], directed=False)
    g.es["weight"] = [float(w) for _u, _v, w in triples]
    return g, nodes


def bench_size(
    size: int, *, networkx_limit: int, networkx_max: int, exact_limit: int, log: Callable[[str], None]
) -> list[str]:
    import igraph as ig

    lines: list[str] = []
    log(f"generating {size:,} actors")
    batch = generate(size, seed=SEED, today=TODAY)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/bench.db")
        try:
            load_s, _ = timed(lambda: store.bulk_load(batch))
            log("projecting")
            project_s, G = timed(lambda: build_graph(store))
        finally:
            store.close()
    n, m = G.number_of_nodes(), G.number_of_edges()
    small = n <= networkx_limit
    g, nodes = fresh_igraph(G)
    chosen = engines.choose_engine(G)
    pivots = engines.pivots(G, DEFAULT_SAMPLES, SEED)
    index = {node: i for i, node in enumerate(nodes)}
    pivot_ids = [index[p] for p in pivots] if pivots else None
    rows: list[tuple[str, float | None, float | None, float | None]] = []

    def row(name: str, nx_call: Callable | None, ours_call: Callable | None, ig_call: Callable | None) -> dict:
        out: dict[str, Any] = {}
        times = []
        for label, call in (("networkx", nx_call), ("ours", ours_call), ("igraph", ig_call)):
            if label == "networkx" and n > networkx_max:
                call = None
            if call is None:
                times.append(None)
                continue
            log(f"{size:,}: {name} ({label})")
            seconds, out[label] = timed(call)
            times.append(seconds)
        rows.append((name, *times))
        return out

    row("degree", lambda: nx.degree_centrality(G), lambda: nx.degree_centrality(G), lambda: g.degree())
    exact = row(
        "betweenness, exact",
        (lambda: nx.betweenness_centrality(G)) if small else None,
        (lambda: engines.betweenness(G)) if n <= exact_limit else None,
        (lambda: g.betweenness(directed=False)) if n <= exact_limit else None,
    )
    sampled = row(
        f"betweenness, {DEFAULT_SAMPLES} pivots",
        (lambda: nx.betweenness_centrality(G, k=DEFAULT_SAMPLES, seed=SEED)) if pivots else None,
        (lambda: engines.betweenness(G, k=DEFAULT_SAMPLES, seed=SEED)) if pivots else None,
        (lambda: g.betweenness(directed=False, sources=pivot_ids)) if pivots else None,
    )
    row(
        "closeness (harmonic), exact",
        (lambda: nx.harmonic_centrality(G)) if small else None,
        (lambda: engines.harmonic_closeness(G)) if n <= exact_limit else None,
        (lambda: g.harmonic_centrality(normalized=True)) if n <= exact_limit else None,
    )
    row(
        f"closeness (harmonic), {DEFAULT_SAMPLES} pivots",
        (lambda: engines.harmonic_closeness(G, k=DEFAULT_SAMPLES, seed=SEED, engine="networkx")) if pivots else None,
        (lambda: engines.harmonic_closeness(G, k=DEFAULT_SAMPLES, seed=SEED)) if pivots else None,
        None,
    )
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    row(
        "pagerank",
        lambda: _pagerank_python(G, weight="weight", tol=1e-10, max_iter=1000),
        lambda: engines.pagerank(G),
        lambda: g.pagerank(directed=False, weights="weight", implementation="arpack"),
    )
    row(
        "brokerage (effective size, constraint)",
        (lambda: (nx.effective_size(G), nx.constraint(G))) if small else None,
        lambda: brokerage(G),
        lambda: (g.transitivity_local_undirected(mode="zero"), g.constraint()),
    )

    def igraph_multilevel() -> Any:
        ig.set_random_number_generator(random.Random(SEED))
        try:
            return g.community_multilevel(weights="weight")
        finally:
            ig.set_random_number_generator(random)

    row(
        "communities (Louvain / multilevel)",
        lambda: nx.community.louvain_communities(G, weight="weight", seed=SEED),
        lambda: detect_communities(G, seed=SEED),
        igraph_multilevel,
    )
    row(
        "articulation points (+ impact, bridges, fragile in ours)",
        lambda: list(nx.articulation_points(G)),
        lambda: single_points(G),
        lambda: g.articulation_points(),
    )

    def igraph_baseline() -> None:
        h, _ = fresh_igraph(G)
        h.degree()
        if pivot_ids:
            h.betweenness(directed=False, sources=pivot_ids)
        else:
            h.betweenness(directed=False)
        h.pagerank(directed=False, weights="weight", implementation="arpack")
        ig.set_random_number_generator(random.Random(SEED))
        h.community_multilevel(weights="weight")
        ig.set_random_number_generator(random)
        h.articulation_points()

    # Fresh copies, so the whole analyse pays for its own igraph conversion.
    copies = [nx.Graph(G), nx.Graph(G)]
    row(
        "whole analyse (report)",
        (lambda: network_report(copies[0], engine="networkx", seed=SEED)) if small else None,
        lambda: network_report(copies[1], seed=SEED),
        igraph_baseline,
    )

    lines.append(f"### {n:,} actors, {m:,} links (seeded city network, seed {SEED})")
    lines.append("")
    lines.append(
        f"Loaded into SQLite in {fmt(load_s)} s; projection (store to networkx) {fmt(project_s)} s. "
        f"Engine chosen by size: {chosen}; exact paths up to "
        f"{exact_node_limit(chosen):,} actors."
    )
    lines.append("")
    lines.append("| measure | networkx (s) | ours (s) | igraph (s) | ours vs networkx | ours vs igraph |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    total = {"networkx": 0.0, "ours": 0.0, "igraph": 0.0}
    complete = {"networkx": True, "ours": True, "igraph": True}
    for name, a, b, c in rows:
        lines.append(f"| {name} | {fmt(a)} | {fmt(b)} | {fmt(c)} | {ratio(a, b)} | {ratio(c, b) if c else '-'} |")
        if not name.startswith("whole"):
            for key, value in zip(("networkx", "ours", "igraph"), (a, b, c)):
                if value is None:
                    complete[key] = False
                else:
                    total[key] += value
    lines.append(
        "| **sum of the measures above** | "
        + " | ".join(fmt(total[k]) + ("" if complete[k] else " (partial)") for k in ("networkx", "ours", "igraph"))
        + " | | |"
    )
    lines.append("")
    whole = next(r for r in rows if r[0].startswith("whole"))
    if whole[2] and whole[3]:
        lines.append(
            f"Whole analyse: {fmt(whole[2])} s against {fmt(whole[3])} s for the igraph baseline "
            f"(degree, {DEFAULT_SAMPLES}-source betweenness, PageRank, multilevel, articulation points): "
            f"{whole[2] / whole[3]:.2f}x the baseline's time."
        )
    if "igraph" in exact and "ours" in sampled:
        scale = 2.0 / ((n - 1) * (n - 2))
        exact_values = {nodes[i]: v * scale for i, v in enumerate(exact["igraph"])}
        exact_top, sampled_top = top(exact_values), top(sampled["ours"])
        shared = len(exact_top & sampled_top)
        jaccard = shared / len(exact_top | sampled_top)
        lines.append(
            f"Sampled betweenness ({DEFAULT_SAMPLES} pivots, seed {SEED}) finds {shared} of the exact top 20 "
            f"(Jaccard {jaccard:.2f})."
        )
    if "networkx" in sampled and "ours" in sampled:
        worst = max(abs(sampled["networkx"][k] - sampled["ours"][k]) for k in G)
        lines.append(f"Largest difference between networkx's and our sampled betweenness: {worst:.1e}.")
    lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of actors (default 1000,10000)")
    parser.add_argument(
        "--networkx-limit", type=int, default=3000, help="skip plain networkx's exact measures above this many actors"
    )
    parser.add_argument(
        "--networkx-max", type=int, default=20000, help="skip every plain networkx timing above this many actors"
    )
    parser.add_argument(
        "--exact-limit", type=int, default=10000, help="skip every exact betweenness and closeness above this many actors"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="folder for the markdown results")
    parser.add_argument("--store", help="end to end on these stores (sqlite, neo4j; comma-separated) instead")
    parser.add_argument("--rounds", type=int, default=3, help="end to end: rounds per size (medians are reported)")
    parser.add_argument("--code", default=str(ROOT),
                        help="end to end: the checkout(s) whose connector_graph runs (comma-separated: side by side)")
    parser.add_argument("--neo4j-url", help="end to end: a running Neo4j to use (wiped!) instead of a local one")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    if args.store:
        from end_to_end import run as end_to_end

        stores = [s.strip() for s in args.store.split(",") if s.strip()]
        unknown = set(stores) - {"sqlite", "neo4j"}
        if unknown:
            parser.error(f"--store takes sqlite and/or neo4j, not {', '.join(sorted(unknown))}")
        text = "\n".join(end_to_end(stores, sizes, rounds=args.rounds,
                                    codes=[Path(c).resolve() for c in args.code.split(",") if c.strip()],
                                    neo4j_url=args.neo4j_url, log=log))
        stamp = f"{'-'.join(str(s) for s in sizes)}-{dt.datetime.now():%Y%m%d-%H%M}"
        publish(text, args.out, f"end-to-end-{'-'.join(stores)}-{stamp}.md", log)
        return 0

    import igraph

    lines = [
        "## connector_graph analysis benchmark",
        "",
        f"{dt.datetime.now().isoformat(timespec='minutes')}; Python {platform.python_version()}, "
        f"networkx {nx.__version__}, python-igraph {igraph.__version__}; {engines._cores()} cores "
        f"({os.cpu_count()} CPUs seen), shared with other work.",
        "",
    ]
    for size in sizes:
        lines.extend(bench_size(
                size,
                networkx_limit=args.networkx_limit,
                networkx_max=args.networkx_max,
                exact_limit=args.exact_limit,
                log=log,
            ))
    publish("\n".join(lines), args.out, f"analysis-{'-'.join(str(s) for s in sizes)}-{dt.datetime.now():%Y%m%d-%H%M}.md",
            log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
