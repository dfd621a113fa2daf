"""The igraph baseline of the end-to-end benchmark: read a GraphML file, compute the usual measures.

    python bench/igraph_baseline.py NETWORK.graphml [--samples 256] [--seed 7]

Reads the network with python-igraph's GraphML reader, then computes degree,
betweenness from ``--samples`` seeded sources, PageRank (weighted), multilevel
communities and articulation points, and prints one line of counts (so the
work cannot be skipped). What a user of plain igraph would write.
"""

from __future__ import annotations

import argparse
import random

import igraph as ig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graphml")
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    g = ig.Graph.Read_GraphML(args.graphml)
    g.to_undirected()
    weights = g.es["weight"] if "weight" in g.es.attributes() else None
    degree = g.degree()
    sources = random.Random(args.seed).sample(range(g.vcount()), min(args.samples, g.vcount()))
    betweenness = g.betweenness(directed=False, sources=sources)
    pagerank = g.pagerank(directed=False, weights=weights)
    ig.set_random_number_generator(random.Random(args.seed))
    communities = g.community_multilevel(weights=weights)
    cut = g.articulation_points()
    print(g.vcount(), g.ecount(), max(degree, default=0), round(max(betweenness, default=0.0), 3),
          round(max(pagerank, default=0.0), 6), len(communities), len(cut))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
