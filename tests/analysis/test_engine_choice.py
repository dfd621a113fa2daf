"""Which engine computes a report, and that the report and the CLI say so."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from connector_graph.analysis.engines.choose import report_engine
from connector_graph.analysis.report import analyse_store
from connector_graph.cli import main
from connector_graph.config import Settings
from connector_graph.seed import generate
from connector_graph.store import open_store
from connector_graph.views.insights import engine_caption

from .helpers import load_graph


def test_settings_read_the_engine_and_threshold():
    s = Settings.from_env({"CONNECTOR_GRAPH_ENGINE": "GDS", "CONNECTOR_GRAPH_GDS_FROM": "1234"})
    assert (s.engine, s.gds_from) == ("gds", 1234)
    s = Settings.from_env({"CONNECTOR_GRAPH_ENGINE": "fastest", "CONNECTOR_GRAPH_GDS_FROM": "-3"})
    assert (s.engine, s.gds_from) == ("auto", 50_000)


def test_sqlite_stores_always_use_python_and_refuse_gds(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        assert report_engine(store, "auto", Settings(engine="auto", gds_from=1)) == "python"
        with pytest.raises(ValueError, match="needs a Neo4j store with the Graph Data Science"):
            report_engine(store, "gds")
        with pytest.raises(ValueError, match="needs a Neo4j store"):
            report_engine(store, "auto", Settings(engine="gds"))
        with pytest.raises(ValueError, match="engine must be one of"):
            report_engine(store, "spark")
    finally:
        store.close()


def test_cli_refuses_gds_on_sqlite_in_one_line(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    open_store(url).close()  # read commands never create a store
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    result = CliRunner().invoke(main, ["analyse", "--engine", "gds"])
    assert result.exit_code != 0
    assert "Graph Data Science" in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.fixture
def gds_store(empty_gds_url):
    store = open_store(empty_gds_url)
    try:
        yield store
    finally:
        store.close()


@pytest.mark.neo4j
@pytest.mark.gds
def test_auto_picks_gds_from_the_configured_size(gds_store):
    load_graph(gds_store, nx.karate_club_graph())
    assert report_engine(gds_store, "auto", Settings(gds_from=34)) == "gds"
    assert report_engine(gds_store, "auto", Settings(gds_from=35)) == "python"
    assert report_engine(gds_store, "auto", Settings(engine="python", gds_from=1)) == "python"
    assert report_engine(gds_store, "igraph", Settings(engine="gds")) == "python"


@pytest.mark.neo4j
@pytest.mark.gds
def test_gds_report_has_the_python_reports_shape_and_answers(gds_store):
    gds_store.bulk_load(generate("demo", seed=11))
    python = analyse_store(gds_store, top=15, by="degree", engine="python")
    gds = analyse_store(gds_store, top=15, by="degree", engine="gds")
    assert gds["network"]["engine"] == "gds" and python["network"]["engine"] in ("networkx", "igraph")
    assert engine_caption(gds) == "Computed by Graph Data Science, inside Neo4j."
    assert set(gds) == set(python)
    for section in ("network", "gaps", "communities"):
        assert set(gds[section]) <= set(python[section]) | {"engine"}, section
    for key in ("actors", "people", "organisations", "links", "exact"):
        assert gds["network"][key] == python["network"][key], key
    assert gds["betweenness_sampling"] == python["betweenness_sampling"] == {  # exact at this size, in both
        "exact": True, "pivots": gds["network"]["actors"], "actors": gds["network"]["actors"], "agreement_top20": None}
    # exact at this size: the same ranking by reach, with the same values for every measure but constraint
    assert [c["id"] for c in gds["connectors"]] == [c["id"] for c in python["connectors"]]
    for ours, theirs in zip(python["connectors"], gds["connectors"]):
        for key in ("degree", "betweenness", "closeness", "pagerank", "effective_size", "introductions", "score"):
            assert theirs[key] == pytest.approx(ours[key], rel=1e-6, abs=1e-9), key
        assert theirs["constraint"] is None
    for key in ("isolated", "cut_points", "bridges"):
        assert gds["gaps"][key]["count"] == python["gaps"][key]["count"], key
    assert gds["gaps"]["sector_links"] == python["gaps"]["sector_links"]
    shared = ("ward", "population", "actors", "people", "organisations", "connectors", "isolated", "ties_within",
              "ties_out", "actors_per_1000", "connectors_per_1000")
    python_wards = [{k: w[k] for k in shared} for w in python["gaps"]["wards"] if w["actors"]]
    assert [{k: w[k] for k in shared} for w in gds["gaps"]["wards"]] == python_wards
    assert gds["communities"]["count"] == len(gds["communities"]["list"]) > 1
    assert sum(c["size"] for c in gds["communities"]["list"]) == gds["network"]["actors"]


@pytest.mark.neo4j
@pytest.mark.gds
def test_cli_says_which_engine_computed_the_report(gds_store, monkeypatch):
    load_graph(gds_store, nx.florentine_families_graph())
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", gds_store.url)
    runner = CliRunner()
    text = runner.invoke(main, ["analyse", "--engine", "gds"], catch_exceptions=False)
    assert text.exit_code == 0, text.output
    assert "Computed by: gds." in text.output
    data = json.loads(runner.invoke(main, ["analyse", "--json", "--engine", "python"]).stdout)
    assert data["network"]["engine"] == "networkx"
