"""Shared fixtures: stores of both backends, and a real Neo4j for the ``neo4j`` tests.

The Neo4j server comes from, in order:

1. ``CONNECTOR_GRAPH_TEST_NEO4J`` (a bolt:// URL of a running server, wiped
   before each test, so never point it at real data);
2. otherwise a throwaway Neo4j 5.26 started from ``tools/neo4j-local`` (needs
   JDK 17 and Maven) for the test session, and stopped afterwards.

Without Java the ``neo4j`` tests are skipped with the reason shown, except
under ``CI=true``, where a skipped ``neo4j`` test fails the run.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from neo4j_local import LocalNeo4j, java_available, start_local_neo4j  # noqa: E402

from connector_graph.auth import acting_as  # noqa: E402
from connector_graph.store import open_store  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# The secret key and the audit checkpoints live outside every database; tests keep theirs in a
# folder of their own (inherited by the CLI and dashboard processes tests start), never in $HOME.
_PROTECTION_DIR = Path(tempfile.mkdtemp(prefix="connector-graph-tests-"))
os.environ["CONNECTOR_GRAPH_KEY_FILE"] = str(_PROTECTION_DIR / "secret.key")
os.environ["CONNECTOR_GRAPH_STATE_DIR"] = str(_PROTECTION_DIR / "state")


@pytest.fixture(autouse=True)
def signed_in_admin() -> Iterator[None]:
    """Tests run as an admin unless they sign in as someone else (tests of roles do)."""
    with acting_as("test-admin", "admin"):
        yield


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory, monkeypatch) -> None:
    """Each test keeps server-store projection caches in a folder of its own, never the user's."""
    monkeypatch.setenv("CONNECTOR_GRAPH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def neo4j_url() -> Iterator[str]:
    """The bolt URL of a real Neo4j server for this test session."""
    configured = os.environ.get("CONNECTOR_GRAPH_TEST_NEO4J")
    if configured:
        yield configured
        return
    reason = java_available()
    if reason:
        message = f"Neo4j tests need JDK 17 and Maven: {reason}"
        if IN_CI:
            pytest.fail(message + " (CI=true: a skipped Neo4j test is a failure)")
        pytest.skip(message)
    server: LocalNeo4j = start_local_neo4j(timeout=900)  # a loaded machine starts it slowly
    try:
        yield server.url
    finally:
        server.stop()


def _wipe(url: str) -> None:
    """Empty the test Neo4j and check it is empty: a test never starts on what another left behind."""
    import neo4j

    with neo4j.GraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
        for _attempt in range(5):
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
            left = session.run("MATCH (n) RETURN count(n) AS n").single()["n"]
            if left == 0:
                break
        else:
            pytest.fail(f"the test Neo4j at {url} still holds {left} nodes after being emptied: a writer is still running")
    # the wiped store starts a new audit log: its signed checkpoint goes with the old one
    shutil.rmtree(_PROTECTION_DIR / "state" / "checkpoints", ignore_errors=True)


def gds_version(url: str) -> str | None:
    """The Graph Data Science version installed in the Neo4j at ``url``, or None."""
    import neo4j

    with neo4j.GraphDatabase.driver(url, auth=None) as driver:
        try:
            records, _, _ = driver.execute_query("RETURN gds.version() AS v")
        except neo4j.exceptions.ClientError:
            return None
    return str(records[0]["v"])


@pytest.fixture(scope="session")
def gds_neo4j_url(neo4j_url: str) -> str:
    """The test Neo4j, which must have Graph Data Science (tools/neo4j-local installs OpenGDS)."""
    version = gds_version(neo4j_url)
    if version is None:
        message = f"the Neo4j at {neo4j_url} has no Graph Data Science library"
        if IN_CI:
            pytest.fail(message + " (CI=true: a skipped gds test is a failure)")
        pytest.skip(message)
    return neo4j_url


@pytest.fixture
def empty_gds_url(gds_neo4j_url: str) -> str:
    """The test Neo4j with Graph Data Science, wiped."""
    _wipe(gds_neo4j_url)
    return gds_neo4j_url


@pytest.fixture
def empty_neo4j_url(neo4j_url: str) -> str:
    """The test Neo4j, wiped."""
    _wipe(neo4j_url)
    return neo4j_url


BACKENDS = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(params=BACKENDS)
def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store URL, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = request.getfixturevalue("neo4j_url")
    _wipe(url)
    return url


@pytest.fixture
def store(any_store_url: str):
    """An open, empty store, once per backend."""
    opened = open_store(any_store_url)
    try:
        yield opened
    finally:
        opened.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``-n 2 --dist loadgroup``), browser tests run in two groups of about equal length.

    Each group runs on one worker, with that worker's own app and Chromium: the
    logging form's tests in one, every other page's in the other, so neither
    worker waits alone for all the browser tests at the end of a run.
    """
    for item in items:
        if item.get_closest_marker("browser") is not None and item.get_closest_marker("xdist_group") is None:
            logging_form = Path(str(item.fspath)).name == "test_logging_browser.py"
            item.add_marker(pytest.mark.xdist_group("browser-logging" if logging_form else "browser"))


_neo4j_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember every skipped Neo4j or Graph Data Science test."""
    if report.skipped and ("neo4j" in report.keywords or "gds" in report.keywords):
        _neo4j_skips.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true, any skipped Neo4j test fails the run."""
    if IN_CI and _neo4j_skips:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Say loudly when Neo4j tests were skipped."""
    if _neo4j_skips:
        verdict = "FAILED (CI=true)" if IN_CI else "skipped"
        terminalreporter.write_line(f"{len(_neo4j_skips)} Neo4j test(s) {verdict}: no real Neo4j was available.", red=IN_CI, yellow=not IN_CI)
