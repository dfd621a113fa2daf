"""The engine contract: the GDS engine gives the Python engine's answers.

Run on a real Neo4j with OpenGDS 2.13.9 (``tools/neo4j-local`` installs it),
on published networks (networkx ships them) and on the demo network, through
the whole path: store, projection, engine. Exact measures must be equal after
normalisation; communities come from different algorithms (Leiden in GDS,
the Python engine's own), so their modularity is checked against networkx's
own computation of it on the partition GDS returned. Every test runs twice:
with a ``bolt://`` URL and with a ``neo4j://`` (routing) URL to the same server.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from connector_graph.analysis.engines.base import CENTRALITY_MEASURES
from connector_graph.analysis.engines.gds import GdsEngine
from connector_graph.analysis.engines.gds_report import gds_network_report
from connector_graph.analysis.engines.python import PythonEngine
from connector_graph.errors import StoreUnavailable
from connector_graph.graph import build_graph
from connector_graph.seed import generate
from connector_graph.store import open_store

from .helpers import load_graph

pytestmark = [pytest.mark.neo4j, pytest.mark.gds]

TODAY = dt.date(2026, 6, 1)


SCHEMES = ["bolt", "neo4j"]


def each_once(cases: list, ids: list[str]) -> list:
    """``(case, scheme)`` params: every case once, reached alternately by a direct and a routing URL.

    The URL scheme changes only how the driver finds the server, not what
    the engine computes, so every kind of case meets both schemes without
    each case running twice.
    """
    return [pytest.param(case, SCHEMES[i % 2], id=f"{SCHEMES[i % 2]}-{name}")
            for i, (case, name) in enumerate(zip(cases, ids))]


@pytest.fixture
def gds_store(request, empty_gds_url):
    """An empty Neo4j store with GDS, reached by a direct (``bolt``, the default) or a routing (``neo4j``) URL."""
    url = empty_gds_url.replace("bolt://", f"{getattr(request, 'param', 'bolt')}://", 1)
    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


def _published(name: str) -> nx.Graph:
    return {
        "karate": nx.karate_club_graph,
        "les_miserables": nx.les_miserables_graph,
        "florentine": nx.florentine_families_graph,
        "davis": nx.davis_southern_women_graph,
    }[name]()


def _eigenvector_unique(G: nx.Graph) -> bool:
    """Eigenvector centrality is one well-defined vector on connected, non-bipartite networks.

    Elsewhere engines legitimately differ: networkx shifts its power iteration
    and spreads weight over every component, GDS does not (0 outside the
    dominant component; on bipartite networks it ends on another vector).
    """
    linked = G.subgraph([v for v in G if G.degree(v)])
    return linked.number_of_nodes() > 0 and nx.is_connected(linked) and not nx.is_bipartite(linked)


def assert_same_answers(store, **options) -> None:
    """Both engines agree on every exact measure family of ``store``'s network."""
    python = PythonEngine(store, **options)
    gds = GdsEngine(store, **options)
    ours, theirs = python.centrality(), gds.centrality()
    ids = set(python.graph)
    for measure in CENTRALITY_MEASURES:
        assert set(theirs.values[measure]) == ids, measure
        if measure == "eigenvector" and not _eigenvector_unique(python.graph):
            continue  # no single answer to agree on (docs/scaling.md)
        for actor in ids:
            expected, got = ours.values[measure][actor], theirs.values[measure][actor]
            if expected is None:
                assert got is None, (measure, actor)
            else:
                assert got == pytest.approx(expected, rel=1e-6, abs=1e-9), (measure, actor)
    assert sum(theirs.values["pagerank"].values()) == pytest.approx(1.0)
    assert gds.structure() == python.structure()
    assert gds.tables() == python.tables()
    communities = gds.communities(seed=3)
    assert set(communities.membership) == ids
    groups = {}
    for actor, number in communities.membership.items():
        groups.setdefault(number, set()).add(actor)
    assert communities.count == len(groups)
    # GDS's modularity is the weighted modularity of the partition it returned
    assert communities.modularity == pytest.approx(
        nx.community.modularity(python.graph, list(groups.values()), weight="weight"), abs=1e-6
    )
    # and Leiden finds a partition about as good as the Python engine's
    assert communities.modularity >= python.communities(seed=3).modularity - 0.03


PUBLISHED = ["karate", "les_miserables", "florentine", "davis"]


@pytest.mark.parametrize(("name", "gds_store"), each_once(PUBLISHED, PUBLISHED), indirect=["gds_store"])
def test_published_networks_give_the_same_answers(gds_store, name):
    load_graph(gds_store, _published(name))
    assert_same_answers(gds_store)


@pytest.mark.parametrize("gds_store", SCHEMES, indirect=True)
def test_gds_engine_reports_opengds_2_13_9(gds_store):
    from connector_graph.store.neo4j_gds import gds_version

    assert gds_version(gds_store) == "2.13.9"


@pytest.mark.parametrize("gds_store", SCHEMES, indirect=True)
def test_karate_matches_the_published_values(gds_store):
    load_graph(gds_store, nx.karate_club_graph())
    values = GdsEngine(gds_store).centrality().values
    # Newman & Girvan (2004): normalised betweenness of the instructor and the administrator
    assert values["betweenness"]["0"] == pytest.approx(0.437635, abs=1e-6)
    assert values["betweenness"]["33"] == pytest.approx(0.304075, abs=1e-6)


@pytest.fixture(scope="module")
def demo_batch():
    return generate("demo", seed=7, today=TODAY)


@pytest.mark.parametrize(
    ("options", "gds_store"),
    each_once(
        [
            {},
            {"as_of": TODAY - dt.timedelta(days=365)},
            {"wards": ["Armley", "Headingley & Hyde Park", "Little London & Woodhouse"]},
            {"include_organisations": False},
        ],
        ["whole", "as_of", "wards", "people_only"],
    ),
    indirect=["gds_store"],
)
def test_demo_network_gives_the_same_answers(gds_store, demo_batch, options):
    gds_store.bulk_load(demo_batch)
    G = build_graph(gds_store, **options)
    assert G.number_of_nodes() > 30 and G.number_of_edges() > 30  # the filter left a real network
    assert_same_answers(gds_store, **options)


@pytest.mark.parametrize("gds_store", SCHEMES, indirect=True)
def test_projection_is_dropped_even_when_an_algorithm_fails(gds_store):
    import neo4j

    load_graph(gds_store, nx.karate_club_graph())
    with pytest.raises(StoreUnavailable):
        GdsEngine(gds_store, samples=-5).measures(samples=-5)  # GDS refuses a negative sample size
    url = gds_store.url.replace("neo4j://", "bolt://", 1)
    with neo4j.GraphDatabase.driver(url, auth=None) as driver:
        records, _, _ = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN count(*) AS n")
    assert records[0]["n"] == 0


def test_sampled_closeness_is_the_python_engines_estimate(gds_store, demo_batch):
    from connector_graph.analysis.engine import harmonic_closeness

    gds_store.bulk_load(demo_batch)
    G = build_graph(gds_store)
    theirs = GdsEngine(gds_store).centrality(samples=50, seed=4, closeness="sampled")
    assert theirs.samples == 50
    ours = harmonic_closeness(G, k=50, seed=4)
    assert theirs.values["closeness"] == pytest.approx(ours, rel=1e-9, abs=1e-12)
    assert theirs.values["closeness"] != pytest.approx(harmonic_closeness(G), rel=1e-6)  # an estimate, not exact


@pytest.mark.parametrize("gds_store", ["neo4j"], indirect=True)
def test_closeness_is_exact_while_the_exact_search_is_cheaper_and_the_report_says_which(gds_store, demo_batch,
                                                                                       monkeypatch):
    from connector_graph.analysis.engine import harmonic_closeness
    from connector_graph.store import neo4j_gds

    gds_store.bulk_load(demo_batch)
    G = build_graph(gds_store)
    report = gds_network_report(gds_store, top=len(G), by="closeness", samples=50, seed=4)
    exact = harmonic_closeness(G)
    assert {c["id"]: c["closeness"] for c in report["connectors"]} == pytest.approx(
        {c["id"]: exact[c["id"]] for c in report["connectors"]}, rel=1e-9, abs=1e-12)
    said = [note for note in report["network"]["notes"] if "bridging estimated from 50" in note]
    assert said and said[0].endswith("closeness is exact")

    monkeypatch.setattr(neo4j_gds, "CLOSENESS_EXACT_WORK", G.number_of_nodes() * G.number_of_edges() - 1)
    report = gds_network_report(gds_store, top=len(G), by="closeness", samples=50, seed=4)
    estimate = harmonic_closeness(G, k=50, seed=4)
    assert {c["id"]: c["closeness"] for c in report["connectors"]} == pytest.approx(
        {c["id"]: estimate[c["id"]] for c in report["connectors"]}, rel=1e-9, abs=1e-12)
    said = [note for note in report["network"]["notes"] if "bridging estimated from 50" in note]
    assert said and "closeness estimated from 50 of them" in said[0]


@pytest.mark.slow
def test_sampled_betweenness_finds_the_exact_top_20_at_10k(empty_gds_url):
    """Within sampling error: at least 18 of the exact top 20 (igraph, exact) are in GDS's sampled top 20."""
    from connector_graph.analysis.centrality import DEFAULT_SAMPLES
    from connector_graph.analysis.engine import betweenness

    store = open_store(empty_gds_url)
    try:
        store.bulk_load(generate(10_000, seed=7, today=TODAY))
        G = build_graph(store)
        exact = betweenness(G, engine="igraph")
        sampled = GdsEngine(store).centrality(samples=DEFAULT_SAMPLES, seed=1).values["betweenness"]
    finally:
        store.close()

    def top(values):
        return set(sorted(values, key=lambda a: (-values[a], a))[:20])

    assert len(top(exact) & top(sampled)) >= 18
