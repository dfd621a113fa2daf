"""Neo4j's notifications stay inside the store: nothing from the driver reaches the user's terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.neo4j


def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CONNECTOR_GRAPH_STORE": url, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "connector_graph", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_stats_on_an_empty_neo4j_prints_no_driver_warnings(empty_neo4j_url):
    result = _cli(empty_neo4j_url, "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert '"people": 0' in result.stdout
    assert result.stderr == ""  # no UnknownLabelWarning, UnknownRelationshipTypeWarning or query text


def test_analyse_on_an_empty_neo4j_prints_no_driver_warnings(empty_neo4j_url):
    result = _cli(empty_neo4j_url, "analyse")
    assert result.returncode == 0, result.stderr
    assert "Nothing to analyse yet" in result.stdout
    assert result.stderr == ""
