"""The command line under test: one store file per test, commands run in-process."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from connector_graph.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``connector-graph`` on a fresh SQLite store; ``ok=False`` allows a failure, ``stdin`` feeds input."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True, stdin: str | None = None):
        result = runner.invoke(main, list(args), catch_exceptions=False, input=stdin)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    invoke.url = url
    return invoke
