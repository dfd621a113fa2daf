"""The ``analyse`` command: documented JSON, sorting, filters and the readable report."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from connector_graph.analysis.centrality import METRICS
from connector_graph.cli import main
from connector_graph.store import open_store

from .helpers import load_graph


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    open_store(url).close()  # read commands never create a store
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    invoke.url = url
    return invoke


@pytest.fixture
def florentine(cli):
    store = open_store(cli.url)
    try:
        load_graph(store, nx.florentine_families_graph(), connectors={"Medici"})
    finally:
        store.close()
    return cli


def test_json_has_every_documented_section(florentine):
    data = json.loads(florentine("analyse", "--json", "--top", "3").stdout)
    assert set(data) == {"network", "betweenness_sampling", "metrics", "by", "connectors", "gaps", "communities"}
    assert data["network"]["actors"] == 15 and data["network"]["exact"] is True
    assert data["betweenness_sampling"] == {"exact": True, "pivots": 15, "actors": 15, "agreement_top20": None}
    assert list(data["metrics"]) == list(METRICS)
    assert len(data["connectors"]) == 3
    first = data["connectors"][0]
    assert {"id", "name", "rank", *METRICS} <= set(first)
    assert first["id"] == "Medici" and first["rank"] == 1
    assert first["betweenness"] == pytest.approx(0.521978, abs=1e-6)
    assert set(data["gaps"]) >= {"isolated", "fragile", "cut_points", "bridges", "wards", "sector_links",
                                 "unlinked_organisations", "stale_ties", "overdue_follow_ups"}
    assert data["gaps"]["cut_points"]["items"][0]["actor"]["id"] == "Medici"
    assert data["communities"]["count"] >= 2 and data["communities"]["modularity"] > 0


@pytest.mark.parametrize("by", list(METRICS))
def test_connectors_sorted_by_the_chosen_measure(florentine, by):
    data = json.loads(florentine("analyse", "--json", "--by", by, "--top", "15").stdout)
    got = [c[by] for c in data["connectors"]]
    assert data["by"] == by and len(got) == 15
    if METRICS[by].higher_is_better:
        assert got == sorted(got, reverse=True)
    else:
        assert [g for g in got if g is not None] == sorted(g for g in got if g is not None)


def test_ward_and_date_filters(florentine):
    assert json.loads(florentine("analyse", "--json", "--ward", "Nowhere").stdout)["network"]["actors"] == 0
    data = json.loads(florentine("analyse", "--json", "--ward", "Armley", "--as-of", "2020-01-01").stdout)
    assert data["network"]["wards"] == ["Armley"] and data["network"]["as_of"] == "2020-01-01"
    assert data["network"]["links"] == 0  # every tie began in 2025


def test_readable_report(florentine):
    out = florentine("analyse", "--top", "2").stdout
    assert "Key connectors (by overall):" in out and "Medici" in out
    assert METRICS["betweenness"].explanation in out
    assert "If Medici left, 3 people would lose their only link to the rest of the network." in out


def test_empty_store_and_bad_options(cli):
    assert "Nothing to analyse yet" in cli("analyse").stdout
    assert json.loads(cli("analyse", "--json").stdout)["connectors"] == []
    bad = cli("analyse", "--by", "fame", ok=False)
    assert bad.exit_code == 1 and "fame" in bad.stderr
    assert cli("analyse", "--as-of", "yesterday", ok=False).exit_code == 1


def test_reports_are_cached_by_graph_version(florentine):
    from connector_graph.analysis import analyse as reports

    store = open_store(florentine.url)
    try:
        reports._CACHE.clear()
        first = reports.analyse_store(store, top=3)
        assert len(reports._CACHE) == 1
        first["connectors"].clear()  # callers get their own copy
        again = reports.analyse_store(store, top=3)
        assert len(reports._CACHE) == 1 and again["connectors"][0]["id"] == "Medici"
        from .helpers import person

        store.add_person(person("newcomer", ward="Armley"))
        changed = reports.analyse_store(store, top=3)
        assert len(reports._CACHE) == 2 and changed["network"]["actors"] == 16
    finally:
        store.close()


def test_missing_igraph_is_a_one_line_error(florentine, monkeypatch):
    from connector_graph.analysis import engine as engines

    monkeypatch.setattr(engines, "igraph_available", lambda: False)
    result = florentine("analyse", "--engine", "igraph", ok=False)
    assert result.exit_code == 1 and "pip install python-igraph" in result.stderr
    assert "Traceback" not in result.stderr
    assert florentine("analyse", "--json").exit_code == 0  # auto falls back to networkx


def test_the_commands_choices_are_the_analysis_measures_and_engines():
    """The CLI spells the choices out (so a kept report is answered without networkx): they must match."""
    from connector_graph.analysis.centrality import METRICS
    from connector_graph.analysis.engines.choose import REPORT_ENGINES
    from connector_graph.cli.analysis import ENGINE_CHOICES, MEASURES

    assert list(MEASURES) == list(METRICS)
    assert tuple(ENGINE_CHOICES) == tuple(REPORT_ENGINES)


def test_a_kept_report_is_answered_without_importing_networkx(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from connector_graph.model import Person, Tie
    from connector_graph.store import open_store

    url = f"sqlite:///{tmp_path / 'kept.db'}"
    store = open_store(url)
    store.add_person(Person(id="ana", name="Ana"))
    store.add_person(Person(id="ben", name="Ben"))
    store.add_tie(Tie(source_id="ana", target_id="ben"))
    store.close()
    root = Path(__file__).resolve().parents[2]
    probe = (
        "import sys, runpy; sys.argv = ['connector-graph', '--store', sys.argv[1], 'analyse', '--json'];\n"
        "try:\n    runpy.run_module('connector_graph', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in ('networkx', 'igraph', 'numpy') if m in sys.modules))"
    )
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True, env=env, cwd=tmp_path)
    second = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "HEAVY ['igraph', 'networkx', 'numpy']" in first.stdout or "'networkx'" in first.stdout  # made: heavy
    assert "HEAVY []" in second.stdout  # kept: light
    assert first.stdout.split("HEAVY")[0] == second.stdout.split("HEAVY")[0]  # the same report


def test_sampled_bridging_reports_pivots_and_agreement_as_fields(cli):
    G = nx.barabasi_albert_graph(1_200, 3, seed=2)
    store = open_store(cli.url)
    try:
        load_graph(store, G)
    finally:
        store.close()
    data = json.loads(cli("analyse", "--json", "--engine", "networkx", "--top", "20", "--by", "betweenness").stdout)
    found = data["betweenness_sampling"]
    assert found["actors"] == 1_200 and data["network"]["exact"] is False
    if found["exact"]:  # the estimate never settled: every actor ended up a pivot
        assert found["pivots"] == 1_200 and found["agreement_top20"] is None
    else:
        assert 0 < found["pivots"] < 1_200 and found["agreement_top20"] >= 19
        note = next(n for n in data["network"]["notes"] if n.startswith("bridging"))
        assert f"{found['pivots']:,} of 1,200" in note and f"agreed on {found['agreement_top20']} of" in note
    # The reported ranking is the estimate from exactly that many pivots: at least 18 of the exact top 20.
    exact = nx.betweenness_centrality(G)
    truth = {str(n) for n in sorted(exact, key=lambda n: (-exact[n], n))[:20]}
    assert len({c["id"] for c in data["connectors"]} & truth) >= 18
