"""Hold-out test of suggested introductions: our method against the textbook scores.

One command::

    python bench/suggest_eval.py [--seeds 3] [--people 400] [--networks demo,karate,lesmis,city20k]

For each network and seed it hides 10% of the tied pairs at random, loads
what is left into a throwaway SQLite store, projects it with
``build_graph`` exactly as the tool does, and asks every method for each
evaluated person's top 10 (people with at least one hidden tie, at most
``--people`` of them per seed, drawn with the seed).

What the hold-out hides: every tie record between a hidden pair (all kinds),
and every introduction that touches a hidden pair through any of its three
links (introducer-person, introducer-target, person-target), so neither the
tie nor the introduction that created it reaches any input of any method.
The actors themselves, their tags and wards stay (they are what a connector
knows about someone before the introduction).

Metrics, averaged over seeds:

- **per person**: precision@10 (hits / 10), recall@10 (hits / that
  person's hidden ties), MRR (1 / rank of the first hit, 0 when none in the
  top 10), each averaged over the evaluated people;
- **network-wide**: one list of 10 x people pairs among the evaluated
  people; precision and recall over that list, and MRR of the list (the
  mean over hidden pairs of 1 / rank). For ours the list is the product's
  own network-wide list (``Suggester.across``, what the Suggestions page
  shows); for a baseline, every evaluated person's top 50 pooled by the
  baseline's own score, each pair once (pooled as ``across`` pools, which
  ranks by our score plus its shared-contacts share).

Methods: common neighbours, Adamic-Adar and resource allocation (scores over
the projected graph), tag-only (shared words between what a person wants and
what a candidate offers) and ours (``connector_graph.analysis.suggestions``).
Candidates are every actor the person is not yet linked to. Results go to
standard output and ``bench/results/suggest_eval.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable, Hashable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402

from connector_graph.analysis.person_suggestions import Suggester  # noqa: E402
from connector_graph.analysis.suggestions import offered_words, wanted_words  # noqa: E402
from connector_graph.graph import build_graph  # noqa: E402
from connector_graph.model import Person, Tie, build  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import Batch, open_store  # noqa: E402

TODAY = dt.date(2026, 6, 1)
TOP = 10
POOL = 50
HIDE = 0.10

Ranker = Callable[[str], list[tuple[str, float]]]
Pooler = Callable[[list[str], int], list[tuple[str, str]]]


# ------------------------------------------------------------------ networks


def published(G: nx.Graph) -> Batch:
    """A published network as people with 'knows' ties and no wards or tags."""
    ident = {n: str(n).replace(" ", "_") for n in G}
    people = [build(Person, id=ident[n], name=str(n)) for n in G]
    ties = [build(Tie, source_id=ident[u], target_id=ident[v]) for u, v in G.edges() if u != v]
    return Batch(people=people, ties=ties)


def network(name: str) -> Batch:
    """The batch for one named network."""
    if name == "demo":
        return generate("demo", today=TODAY)
    if name == "city20k":
        return generate(20_000, seed=7, today=TODAY)
    if name == "karate":
        return published(nx.karate_club_graph())
    if name == "lesmis":
        return published(nx.les_miserables_graph())
    raise SystemExit(f"unknown network {name!r}")


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def split(batch: Batch, seed: int) -> tuple[Batch, set[tuple[str, str]]]:
    """Hide 10% of the tied pairs: their ties and every introduction touching them."""
    allowed = {p.id for p in batch.people if p.in_analysis} | {o.id for o in batch.organisations}
    pairs = sorted({pair(t.source_id, t.target_id) for t in batch.ties
                    if t.source_id in allowed and t.target_id in allowed})
    rng = random.Random(seed)
    hidden = set(rng.sample(pairs, round(len(pairs) * HIDE)))
    ties = [t for t in batch.ties if pair(t.source_id, t.target_id) not in hidden]

    def touches(i) -> bool:
        return bool({pair(i.introducer_id, i.subject_id), pair(i.introducer_id, i.target_id),
                     pair(i.subject_id, i.target_id)} & hidden)

    intros = [i for i in batch.introductions if not touches(i)]
    kept = Batch(wards=batch.wards, people=batch.people, organisations=batch.organisations, ties=ties,
                 introductions=intros)
    return kept, hidden


def project(batch: Batch) -> nx.Graph:
    """The tool's own projection of a batch, through a throwaway SQLite store."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/eval.db")
        try:
            store.bulk_load(batch)
            return build_graph(store)
        finally:
            store.close()


# ------------------------------------------------------------------ methods


def structural(G: nx.Graph, kind: str) -> Ranker:
    """Common neighbours, Adamic-Adar or resource allocation from one person."""

    def weight(z: Hashable) -> float:
        d = G.degree(z)
        if kind == "cn":
            return 1.0
        if kind == "aa":
            return 1.0 / math.log(d) if d > 1 else 0.0
        return 1.0 / d

    def rank(p: str) -> list[tuple[str, float]]:
        scores: dict[str, float] = defaultdict(float)
        near = G[p]
        for z in near:
            w = weight(z)
            for c in G[z]:
                if c != p and c not in near:
                    scores[c] += w
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:POOL]

    return rank


def tag_only(G: nx.Graph, batch: Batch) -> Ranker:
    """Shared words between what a person wants (interests, needs) and what a candidate offers."""
    actors = {a.id: a for a in [*batch.people, *batch.organisations] if a.id in G}
    index: dict[str, list[str]] = defaultdict(list)
    for actor_id, actor in actors.items():
        for word in offered_words(actor):
            index[word].append(actor_id)

    def rank(p: str) -> list[tuple[str, float]]:
        scores: dict[str, float] = defaultdict(float)
        for word in wanted_words(actors[p]):
            for c in index.get(word, ()):
                if c != p and c not in G[p]:
                    scores[c] += 1.0
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:POOL]

    return rank


def ours(G: nx.Graph, batch: Batch) -> tuple[Ranker, Pooler]:
    """The tool's per-person suggestions and its network-wide list (``Suggester.across``), scores only."""
    actors = {a.id: a for a in [*batch.people, *batch.organisations]}
    suggester = Suggester(G, actors, batch.introductions)

    def rank(p: str) -> list[tuple[str, float]]:
        return [(s.target_id, s.score) for s in suggester.for_person(p, top=POOL, explain=False)]

    def listed(people: list[str], budget: int) -> list[tuple[str, str]]:
        return [pair(s.a_id, s.b_id) for s in suggester.across(people, top=budget, per_person=POOL, explain=False)]

    return rank, listed


# ------------------------------------------------------------------ scoring


def pool(ranker: Ranker) -> Pooler:
    """A baseline's network-wide list: every person's top 50 pooled by score, each pair once."""

    def listed(people: list[str], budget: int) -> list[tuple[str, str]]:
        pooled = sorted((-s, p, c) for p in people for c, s in ranker(p))
        seen: list[tuple[str, str]] = []
        known: set[tuple[str, str]] = set()
        for _neg, p, c in pooled:
            if len(seen) == budget:
                break
            if pair(p, c) not in known:
                known.add(pair(p, c))
                seen.append(pair(p, c))
        return seen

    return listed


def evaluate(ranker: Ranker, pooler: Pooler, people: list[str], hidden_of: dict[str, set[str]]) -> dict[str, float]:
    """Per-person and network-wide precision, recall and MRR for one method."""
    precision = recall = mrr = 0.0
    for p in people:
        ranked = ranker(p)
        truth = hidden_of[p]
        top = [c for c, _s in ranked[:TOP]]
        hits = sum(c in truth for c in top)
        precision += hits / TOP
        recall += hits / len(truth)
        first = next((i for i, c in enumerate(top, 1) if c in truth), None)
        mrr += 1.0 / first if first else 0.0
    budget = TOP * len(people)
    listed = pooler(people, budget)
    truth_pairs = {pair(p, c) for p in people for c in hidden_of[p]}
    hits = [i for i, key in enumerate(listed, 1) if key in truth_pairs]
    n = len(people)
    return {
        "p@10": precision / n,
        "r@10": recall / n,
        "mrr": mrr / n,
        "net_p": len(hits) / budget,
        "net_r": len(hits) / len(truth_pairs),
        "net_mrr": sum(1.0 / i for i in hits) / len(truth_pairs),
    }


def run_network(name: str, seeds: int, max_people: int) -> dict[str, dict[str, float]]:
    batch = network(name)
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for seed in range(seeds):
        kept, hidden = split(batch, seed)
        G = project(kept)
        person_ids = {p.id for p in batch.people if p.id in G}
        hidden_of: dict[str, set[str]] = defaultdict(set)
        for a, b in hidden:
            if a in person_ids and b in G:
                hidden_of[a].add(b)
            if b in person_ids and a in G:
                hidden_of[b].add(a)
        people = sorted(hidden_of)
        if len(people) > max_people:
            people = sorted(random.Random(seed).sample(people, max_people))
        baselines: dict[str, Ranker] = {
            "common neighbours": structural(G, "cn"),
            "Adamic-Adar": structural(G, "aa"),
            "resource allocation": structural(G, "ra"),
            "tag-only": tag_only(G, kept),
        }
        methods: dict[str, tuple[Ranker, Pooler]] = {name: (r, pool(r)) for name, r in baselines.items()}
        methods["ours"] = ours(G, kept)
        for method, (ranker, pooler) in methods.items():
            for key, value in evaluate(ranker, pooler, people, hidden_of).items():
                totals[method][key] += value / seeds
    return {m: dict(v) for m, v in totals.items()}


def table(name: str, results: dict[str, dict[str, float]]) -> str:
    baselines = [m for m in results if m != "ours"]
    lines = [
        f"### {name}",
        "",
        "| method | precision@10 | recall@10 | MRR | network-wide precision | network-wide recall | network-wide MRR |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for method, r in results.items():
        lines.append(f"| {method} | {r['p@10']:.4f} | {r['r@10']:.4f} | {r['mrr']:.4f} | {r['net_p']:.4f} | "
                     f"{r['net_r']:.4f} | {r['net_mrr']:.4f} |")
    lines.append("")
    for key, label in (("r@10", "recall@10 per person"), ("net_r", "network-wide recall")):
        best = max(baselines, key=lambda m: results[m][key])
        gain = results["ours"][key] / results[best][key] - 1 if results[best][key] else float("inf")
        lines.append(f"Best baseline by {label}: {best} ({results[best][key]:.4f}); ours/best = {gain:+.1%}.  ")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--networks", default="demo,karate,lesmis,city20k")
    args = parser.parse_args()
    out = [f"# Suggestion hold-out ({args.seeds} seeds, 10% of tied pairs hidden, at most {args.people} people "
           f"per seed)", ""]
    for name in args.networks.split(","):
        start = time.perf_counter()
        results = run_network(name, args.seeds, args.people)
        text = table(name, results)
        print(text, f"({time.perf_counter() - start:.0f} s)\n", flush=True)
        out.append(text)
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    (folder / "suggest_eval.md").write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
