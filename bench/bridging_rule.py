"""When to stop drawing bridging pivots: stopping rules against exact betweenness, on held-out networks.

One command::

    python bench/bridging_rule.py [--quick] [--shuffles 5]

Adaptive bridging (``engine.adaptive_betweenness``) draws pivots in doubling
rounds; after each round it has two independent estimates of the same size
(everything before, ``A``, and the fresh round, ``B``) and their combination
``C``. A stopping rule looks only at these. This benchmark runs the rounds
to the end on each network, for several pivot shuffles, and records at each
round how many of the exact top 20 (igraph, every source) ``C`` holds, so
any rule's stopping point and its true answer can be read off. Rules:

- **halves** (the rule before): stop when ``A`` and ``B`` share at least 18
  of their top 20. ``A`` and ``B`` each differ from exact by twice the
  variance ``C`` does, so their disagreement overstates ``C``'s error.
- **combined vs halves** (``C ~ A, B``): stop when ``C`` shares at least
  *t* of its top 20 with each half. ``C - A`` is ``(B - A) / 2``: the same
  variance as ``C``'s own error, independent of it for Gaussian noise, so
  the overlap of ``C`` with a half mimics the overlap of ``C`` with exact.

Calibration networks are the ones the rule was tuned on (docs/analysis.md,
"Exact or sampled"); held-out networks were not looked at while choosing
it: other seeds of the synthetic city, small-world, clustered power-law and
a published network. Prints one table per rule and writes
``bench/results/bridging_rule.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from connector_graph.graph import build_graph  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import open_store  # noqa: E402
from results_file import publish  # noqa: E402

TOP = 20
START = 256
TODAY = dt.date(2026, 1, 1)


def city(n: int, seed: int) -> nx.Graph:
    """The seeded synthetic city as the analysis reads it from a store."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/city.db")
        try:
            store.bulk_load(generate(n, seed=seed, today=TODAY))
            return build_graph(store)
        finally:
            store.close()


def published() -> list[tuple[str, nx.Graph]]:
    """Published networks in tests/data/real large enough to sample (more than 3,000 actors)."""
    found = []
    for path in sorted((ROOT / "tests" / "data" / "real").rglob("*")):
        if path.suffix.lower() not in {".gexf", ".graphml"}:
            continue
        try:
            G = nx.read_gexf(path) if path.suffix.lower() == ".gexf" else nx.read_graphml(path)
        except Exception:  # noqa: BLE001 - a file networkx cannot read is simply not used
            continue
        G = nx.Graph(G)
        if G.number_of_nodes() > 3000:
            found.append((f"published {path.name}", G))
    return found


def networks(quick: bool) -> list[tuple[str, str, nx.Graph]]:
    """(set, name, graph): the calibration set, then the held-out set."""
    calibration = [
        ("scale-free 5,000", lambda: nx.barabasi_albert_graph(5000, 3, seed=5000)),
        ("seeded city 5,000 (seed 5)", lambda: city(5000, 5)),
        ("random 5,000", lambda: nx.gnm_random_graph(5000, 15000, seed=5000)),
        ("scale-free 10,000", lambda: nx.barabasi_albert_graph(10000, 3, seed=10000)),
        ("seeded city 10,000 (seed 5)", lambda: city(10000, 5)),
        ("random 10,000", lambda: nx.gnm_random_graph(10000, 30000, seed=10000)),
        ("seeded city 20,000 (seed 7)", lambda: city(20000, 7)),
    ]
    held_out = [
        ("seeded city 8,000 (seed 11)", lambda: city(8000, 11)),
        ("seeded city 15,000 (seed 23)", lambda: city(15000, 23)),
        ("small world 8,000 (k 6, p 0.1)", lambda: nx.connected_watts_strogatz_graph(8000, 6, 0.1, seed=3)),
        ("clustered power law 12,000", lambda: nx.powerlaw_cluster_graph(12000, 3, 0.3, seed=4)),
        ("random 6,000 (G(n, 4n))", lambda: nx.gnm_random_graph(6000, 24000, seed=6)),
        ("scale-free 15,000 (m 2)", lambda: nx.barabasi_albert_graph(15000, 2, seed=15)),
    ]
    if quick:
        calibration, held_out = calibration[:2], held_out[:2]
    out = [("calibration", name, make()) for name, make in calibration]
    out += [("held out", name, make()) for name, make in held_out]
    out += [("held out", name, G) for name, G in published()]
    return out


@dataclass
class Round:
    """One round: pivots so far, and overlaps of top-20 sets (A: before it, B: it, C: both combined)."""

    pivots: int  # after combining
    halves: int  # |top(A) & top(B)|
    combined_vs_halves: int  # min(|top(C) & top(A)|, |top(C) & top(B)|)
    truth: int  # |top(C) & top(exact)|


def leaders(values: np.ndarray, keys: list[str]) -> set[int]:
    """Indices of the top ``TOP`` by value, ties broken by key, as the product ranks them."""
    order = np.lexsort((np.array(keys), -values))
    return set(order[:TOP].tolist())


def rounds(g: ig.Graph, keys: list[str], exact_top: set[int], shuffle: int) -> list[Round]:
    """Every doubling round of adaptive bridging for one shuffle, with each round's true overlap."""
    n = g.vcount()
    order = random.Random(shuffle).sample(range(n), n)

    def sums(batch: list[int]) -> np.ndarray:
        return np.asarray(g.betweenness(directed=False, sources=batch), dtype=float)

    def scaled(raw: np.ndarray, chosen: list[int]) -> np.ndarray:
        picked = np.zeros(n, dtype=bool)
        picked[chosen] = True
        k = len(chosen)
        return raw * np.where(picked, 2.0 / ((k - 1) * (n - 2)), 2.0 / (k * (n - 2)))

    used = START
    totals = sums(order[:used])
    found = []
    while 2 * used <= n:
        batch = order[used: 2 * used]
        fresh = sums(batch)
        a, b = leaders(scaled(totals, order[:used]), keys), leaders(scaled(fresh, batch), keys)
        totals = totals + fresh
        used += len(batch)
        c = leaders(scaled(totals, order[:used]), keys)
        found.append(Round(used, len(a & b), min(len(c & a), len(c & b)), len(c & exact_top)))
    return found


def stop(found: list[Round], rule: str, threshold: int, n: int) -> tuple[int, int]:
    """(pivots, true overlap) where ``rule`` stops; (n, 20) when it runs to exact."""
    for r in found:
        score = r.halves if rule == "halves" else r.combined_vs_halves
        if score >= threshold:
            return r.pivots, r.truth
    return n, TOP


RULES = [("halves", 18), ("combined vs halves", 18), ("combined vs halves", 19)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shuffles", type=int, default=5, help="pivot shuffles (seeds) per network (default 5)")
    parser.add_argument("--quick", action="store_true", help="two networks of each set, for a smoke run")
    args = parser.parse_args(argv)

    lines = ["# Bridging stopping rules against exact betweenness", "",
             f"{time.strftime('%Y-%m-%d %H:%M')}; {args.shuffles} pivot shuffles per network; first round "
             f"{START} pivots; cells: pivots used, then how many of the exact top 20 the estimate held "
             "(min and median over shuffles); exact when the rule ran every actor.", ""]
    header = "| set | network | actors | " + " | ".join(f"{r} >= {t}" for r, t in RULES) + " |"
    lines += [header, "|" + "---|" * (3 + len(RULES))]
    misses = {rule: 0 for rule in RULES}
    missed: list[str] = []
    pivots_total = {rule: 0 for rule in RULES}
    runs = 0
    for group, name, G in networks(args.quick):
        G = nx.convert_node_labels_to_integers(nx.Graph(G), label_attribute="id")
        n = G.number_of_nodes()
        g = ig.Graph(n=n, edges=list(G.edges()), directed=False)
        keys = [str(G.nodes[i]["id"]) for i in range(n)]
        began = time.perf_counter()
        exact = np.asarray(g.betweenness(directed=False), dtype=float)
        exact_top = leaders(exact, keys)
        cells = []
        per_rule: dict = {rule: [] for rule in RULES}
        for shuffle in range(args.shuffles):
            found = rounds(g, keys, exact_top, shuffle)
            for rule in RULES:
                pivots, truth = stop(found, rule[0], rule[1], n)
                per_rule[rule].append((pivots, truth))
                if truth < 18:
                    missed.append(f"- {rule[0]} >= {rule[1]}: {name}, shuffle {shuffle}: stopped at {pivots:,} "
                                  f"pivots holding {truth} of the exact top 20")
        runs += args.shuffles
        for rule in RULES:
            got = per_rule[rule]
            pivots = sorted(p for p, _ in got)
            truths = sorted(t for _, t in got)
            misses[rule] += sum(t < 18 for t in truths)
            pivots_total[rule] += sum(pivots)
            median = pivots[len(pivots) // 2]
            cells.append(f"{'exact' if median >= n else f'{median:,}'} (max {pivots[-1]:,}); "
                         f"{truths[0]} / {truths[len(truths) // 2]}")
        row = f"| {group} | {name} | {n:,} | " + " | ".join(cells) + " |"
        print(row, f"({time.perf_counter() - began:.0f} s)", flush=True)
        lines.append(row)
    lines += ["", f"Below 18 of the exact top 20 (of {runs} runs), and pivots summed over all runs:", ""]
    for rule in RULES:
        lines.append(f"- {rule[0]} >= {rule[1]}: {misses[rule]} below 18; {pivots_total[rule]:,} pivots")
    lines += ["", "Every run below 18:", ""] + (missed or ["- none"])
    publish("\n".join(lines), ROOT / "bench" / "results", "bridging_rule.md", lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
