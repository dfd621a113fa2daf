"""Eight processes log introductions through the CLI at once; none is lost."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from connector_graph import service
from connector_graph.store import open_store

# no pytest-timeout: the test stops its workers itself when the store stops growing (see STALL_SECONDS)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("concurrency"), pytest.mark.timeout(0)]

WORKERS = 8
EACH = 12  # 96 introductions: the eight writers still overlap all the way through (each CLI call opens the store)


def _cli_env(store_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["CONNECTOR_GRAPH_STORE"] = store_url
    return env


def test_eight_processes_log_introductions_at_once_with_none_lost(any_store_url):
    store = open_store(any_store_url)
    try:
        connector = service.add_person(store, "Cath Connector", roles=["connector"])
        resident = service.add_person(store, "Rita Resident")
        club = service.add_organisation(store, "Lunch Club", sector="voluntary_community")
        before = store.counts().introductions
    finally:
        store.close()

    loop = (
        f'for n in $(seq {EACH}); do "$PY" -m connector_graph introduce --by {connector.id} '
        f"--subject {resident.id} --to {club.id} --purpose worker-$W --purpose n$n || exit 1; done"
    )
    procs = [
        subprocess.Popen(
            ["bash", "-c", loop],
            env={**_cli_env(any_store_url), "PY": sys.executable, "W": str(w)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # so a stuck worker is stopped with everything it started
        )
        for w in range(WORKERS)
    ]
    outputs, stalled = _wait_while_progressing(procs, any_store_url, before)
    printed = [line for out, _ in outputs for line in out.split()]

    store = open_store(any_store_url)
    try:
        stored_count = store.counts().introductions - before
        stored = {i.id for i in store.iter_introductions()}
    finally:
        store.close()
    # whatever happened, every introduction a worker reported is stored, and nothing half-written:
    # a killed worker may have committed one introduction it had no time to print, no more
    assert set(printed) <= stored
    assert len(printed) <= stored_count <= len(printed) + (WORKERS if stalled else 0)
    assert not stalled, f"no introduction was logged for {STALL_SECONDS} s; {stored_count} of {WORKERS * EACH} done"

    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and "error" not in err.lower(), err
    assert len(printed) == len(set(printed)) == WORKERS * EACH
    assert stored_count == WORKERS * EACH


#: The workers are stopped only if the store stops growing for this long (a busy machine is slow, not stuck).
STALL_SECONDS = 600


def _wait_while_progressing(procs: list[subprocess.Popen], url: str, before: int) -> tuple[list[tuple[str, str]], bool]:
    """Wait for every worker while introductions keep arriving; stop them all if none arrive for a long while.

    Returns each worker's (stdout, stderr) and whether they were stopped.
    Stopped workers are killed with everything they started and waited
    for, so none writes after this returns.
    """
    readers = [_Drain(p) for p in procs]
    last_count, last_change = -1, time.monotonic()
    stalled = False
    while any(p.poll() is None for p in procs):
        store = open_store(url)
        try:
            count = store.counts().introductions - before
        finally:
            store.close()
        if count != last_count:
            last_count, last_change = count, time.monotonic()
        elif time.monotonic() - last_change > STALL_SECONDS:
            stalled = True
            break
        time.sleep(2)
    for p in procs:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
    for p in procs:
        p.wait()
    return [r.result() for r in readers], stalled


class _Drain:
    """Read a worker's output in the background, so a full pipe never blocks it."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self._out: list[str] = []
        self._err: list[str] = []
        self._threads = [threading.Thread(target=self._read, args=(stream, sink), daemon=True)
                         for stream, sink in ((proc.stdout, self._out), (proc.stderr, self._err))]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _read(stream, sink: list[str]) -> None:
        sink.append(stream.read())

    def result(self) -> tuple[str, str]:
        for thread in self._threads:
            thread.join()
        return "".join(self._out), "".join(self._err)
