"""Analysis shared by every user: served from the last complete result while a new one runs,
never from before an erasure (in this process or another)."""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from connector_graph import service
from connector_graph.analysis.shared import RESULTS, SharedResults, freshness_note, latest
from connector_graph.store import open_store
from connector_graph.views import answers

ROOT = Path(__file__).resolve().parents[2]
LONG_AGO = dt.date.today() - dt.timedelta(days=90)


@pytest.fixture
def network(tmp_path):
    """A real SQLite store: Ann hangs on Cath alone, so Cath is a single point of failure."""
    store = open_store(f"sqlite:///{tmp_path / 'g.db'}")
    assert store.counts().people == 0
    for name, pid in (("Cath Connector", "cath"), ("Ann Ahmed", "ann"), ("Bob Brown", "bob"), ("Dan Dale", "dan")):
        service.add_person(store, name, ward="A", person_id=pid)
    for a, b in (("cath", "ann"), ("cath", "bob"), ("bob", "dan"), ("cath", "dan")):
        service.add_tie(store, a, b, since=LONG_AGO)
    yield store
    store.close()


class Gate:
    """A real analysis call held at its start until the test opens the gate."""

    def __init__(self, store) -> None:
        self.store = store
        self.started = threading.Event()
        self.open = threading.Event()
        self.calls = 0

    def __call__(self) -> dict:
        self.calls += 1
        self.started.set()
        assert self.open.wait(600), "the test never opened the gate"
        return answers.gap_answers(self.store)


def _names(result) -> set[str]:
    return {p["name"] for p in result.value["single_points"]} | {
        n for p in result.value["single_points"] for n in p["cut_off"]}


def _wait_fresh(shared: SharedResults, store, compute) -> object:
    """Ask until the answer is for the store's current version (the worker has finished)."""
    for _ in range(6000):
        result = shared.latest(store, "gaps", compute)
        if not result.refreshing:
            return result
        threading.Event().wait(0.05)
    raise AssertionError("the refresh never finished")


def test_the_last_result_is_served_at_once_while_the_new_analysis_runs(network):
    shared = SharedResults(pause=False)
    first_gate = Gate(network)
    first_gate.open.set()
    first = shared.latest(network, "gaps", first_gate)  # nothing yet: waits for the first result
    assert not first.refreshing and first.version == network.graph_version()
    assert "Cath Connector" in _names(first)

    service.add_person(network, "Eve Evans", ward="A", person_id="eve")
    service.add_tie(network, "ann", "eve", since=LONG_AGO)
    gate = Gate(network)
    served = shared.latest(network, "gaps", gate)
    assert gate.started.wait(600)  # the new analysis is running in the worker...
    again = shared.latest(network, "gaps", gate)  # ...and every request meanwhile gets the last result
    assert served.value is first.value and again.value is first.value
    assert served.refreshing and again.refreshing and served.version < network.graph_version()
    assert freshness_note(served).startswith("Updated ") and freshness_note(served).endswith(" ago; refreshing.")
    assert gate.calls == 1  # one computation for the new version, however many ask

    gate.open.set()
    fresh = _wait_fresh(shared, network, gate)
    assert fresh.version == network.graph_version() and gate.calls == 1
    assert "Ann Ahmed" in _names(fresh)  # Eve now hangs on Ann
    assert shared.latest(network, "gaps", gate) is fresh


def test_after_an_erasure_here_the_old_result_is_never_served(network):
    shared = SharedResults(pause=False)
    opened = Gate(network)
    opened.open.set()
    before = shared.latest(network, "gaps", opened)
    assert "Ann Ahmed" in str(before.value) or "Cath Connector" in str(before.value)

    gate = Gate(network)
    service.add_person(network, "Eve Evans", ward="A", person_id="eve")
    assert shared.latest(network, "gaps", gate).refreshing  # stale is fine before any erasure
    assert gate.started.wait(600)  # this computation started before the erasure
    service.erase_actor(network, "cath")
    assert shared.latest(network, "gaps", gate, wait=False) is None  # nothing from before the erasure

    got: list = []
    context = contextvars.copy_context()  # the asker is signed in as the test is
    asker = threading.Thread(target=lambda: got.append(context.run(shared.latest, network, "gaps", gate)))
    asker.start()
    gate.open.set()
    asker.join(600)
    assert got and not got[0].refreshing and got[0].version == network.graph_version()
    assert "Cath Connector" not in str(got[0].value)
    assert gate.calls == 2  # the one begun before the erasure was thrown away, and made again


def test_after_an_erasure_by_another_process_the_old_result_is_never_served(network, tmp_path):
    shared = SharedResults(pause=False)
    opened = Gate(network)
    opened.open.set()
    before = shared.latest(network, "gaps", opened)
    assert "Cath Connector" in str(before.value)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONNECTOR_GRAPH_STORE": network.url}
    done = subprocess.run([sys.executable, "-m", "connector_graph", "erase", "cath", "--yes"], env=env,
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert shared.latest(network, "gaps", opened, wait=False) is None
    after = shared.latest(network, "gaps", opened)
    assert "Cath Connector" not in str(after.value) and not after.refreshing


def test_the_gaps_service_call_serves_the_shared_result_while_the_worker_is_busy(network):
    first = answers.shared_gaps(network)
    assert not first.refreshing and "Cath Connector" in str(first.value["answers"])
    service.add_person(network, "Eve Evans", ward="A", person_id="eve")
    service.add_tie(network, "ann", "eve", since=LONG_AGO)
    hold = threading.Event()
    busy = threading.Event()
    # another analysis holds the process's one worker, so the refresh of the gaps waits behind it
    assert latest(network, "held", lambda: (busy.set(), hold.wait(600)), wait=False) is None
    assert busy.wait(600)
    try:
        served = answers.shared_gaps(network)
        assert served.refreshing and served.value is first.value
        assert freshness_note(served) is not None
    finally:
        hold.set()
    for _ in range(6000):
        if not (fresh := answers.shared_gaps(network)).refreshing:
            break
        threading.Event().wait(0.05)
    assert fresh.version == network.graph_version()
    assert "Eve Evans" in str(fresh.value["answers"])  # Eve hangs on Ann alone
    service.erase_actor(network, "eve")
    assert RESULTS.latest(network, "gaps", lambda: None, options=(dt.date.today(),), wait=False) is None


def test_results_are_bounded(network):
    shared = SharedResults(pause=False)
    for n in range(100):
        shared.latest(network, "count", lambda: n, options=(n,))
    assert len(shared) <= 32


def test_a_computation_that_asks_for_another_shared_result_does_not_wait_for_itself(network):
    shared = SharedResults(pause=False)
    outer = shared.latest(network, "outer", lambda: shared.latest(network, "inner", lambda: network.counts().people))
    assert outer.value.value == 4 and not outer.refreshing


def test_a_slow_result_is_made_again_only_after_a_pause_as_long_as_it_took(network):
    shared = SharedResults()
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return network.counts().people

    first = shared.latest(network, "people", count)
    assert first.value == 4 and len(calls) == 1
    entry = shared._entries[(network.url, "people", ())]
    entry.took = 3600.0  # as if it had taken an hour: the pause after it has not ended
    service.add_person(network, "Fay Fox", ward="A", person_id="fay")
    for _ in range(3):
        served = shared.latest(network, "people", count)
        assert served.refreshing and served.value == 4
    assert len(calls) == 1 and entry.pending is None  # nothing started during the pause
    entry.took = 0.0  # the pause is over (a quick result has none)
    assert shared.latest(network, "people", count).refreshing  # the last one at once; the new one is made
    fresh = None
    for _ in range(6000):
        fresh = shared.latest(network, "people", count)
        if not fresh.refreshing:
            break
        threading.Event().wait(0.05)
    assert fresh.value == 5 and len(calls) == 2


def test_an_erasure_is_never_held_back_by_the_pause(network):
    shared = SharedResults()
    assert "Ann Ahmed" in _names(shared.latest(network, "gaps", lambda: answers.gap_answers(network)))
    shared._entries[(network.url, "gaps", ())].took = 3600.0
    service.erase_actor(network, "ann")
    after = shared.latest(network, "gaps", lambda: answers.gap_answers(network))
    assert not after.refreshing and "Ann Ahmed" not in _names(after)
