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


def test_help_lists_every_command_without_importing_any(tmp_path):
    """``--help`` prints each command's line from the summaries, loading no command module or heavy library."""
    env = {**os.environ, "CONNECTOR_GRAPH_STORE": f"sqlite:///{tmp_path / 'h.db'}", "PYTHONPATH": str(ROOT),
           "COLUMNS": "100"}
    probe = _RUN.format(heavy=HEAVY + ("connector_graph.cli.core", "connector_graph.cli.data",
                                       "connector_graph.cli.analysis", "connector_graph.cli.privacy"))
    done = subprocess.run([sys.executable, "-c", probe, "--help"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
    from connector_graph.cli import _MODULE_OF

    for name in _MODULE_OF:
        assert f"  {name} " in done.stdout


@pytest.mark.parametrize("limit", [20, 45, 80, 300])
def test_help_summaries_are_each_commands_own_first_paragraph(limit):
    """The summaries ``--help`` prints equal what click would take from each command's own help."""
    import click
    from click.utils import make_default_short_help

    from connector_graph.cli import SUMMARIES, _MODULE_OF, main

    assert set(SUMMARIES) == set(_MODULE_OF)
    ctx = click.Context(main)
    for name in _MODULE_OF:
        command = main.get_command(ctx, name)
        assert make_default_short_help(SUMMARIES[name], limit) == command.get_short_help_str(limit), name
