"""Commands that do not analyse start without the analysis libraries (pandas, networkx, igraph).

Each command runs in a fresh Python process, as a user starts it, and the
process reports which of those libraries it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "networkx", "igraph")

_RUN = """
import json, sys
from connector_graph.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _run(url: str, *args: str) -> tuple[str, list[str]]:
    env = {**os.environ, "CONNECTOR_GRAPH_STORE": url, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _RUN.format(heavy=HEAVY), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


@pytest.fixture
def people(tmp_path) -> tuple[str, list[str]]:
    url = f"sqlite:///{tmp_path / 'light.db'}"
    ids = [_run(url, "add-person", name, "--ward", "Armley")[0].strip().splitlines()[-1]
           for name in ("Elena Petrova", "Jean Firth", "David Green")]
    return url, ids


def test_introduce_stats_and_search_load_no_analysis_library(people):
    url, (by, subject, to) = people
    out, loaded = _run(url, "introduce", "--by", by, "--subject", subject, "--to", to, "--date", "2025-12-01")
    assert out.strip().startswith("i-") and loaded == []
    out, loaded = _run(url, "search", "firth")
    assert "Jean Firth" in out and loaded == []
    out, loaded = _run(url, "stats")
    assert "1" in out and loaded == []


def test_the_check_can_see_an_analysis_library(people):
    """The same check reports networkx when a command does analyse (so the test above could fail)."""
    url, _ids = people
    _out, loaded = _run(url, "analyse", "--json", "--no-cache")
    assert "networkx" in loaded
