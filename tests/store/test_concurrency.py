"""Eight processes log introductions through the CLI at once; none is lost."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from connector_graph import service
from connector_graph.store import open_store

pytestmark = pytest.mark.slow

WORKERS = 8
EACH = 50


def _cli_env(store_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["CONNECTOR_GRAPH_STORE"] = store_url
    return env


def test_eight_processes_log_400_introductions_with_none_lost(any_store_url):
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
        )
        for w in range(WORKERS)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]

    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and "error" not in err.lower(), err
    printed = [line for out, _ in outputs for line in out.split()]
    assert len(printed) == len(set(printed)) == WORKERS * EACH

    store = open_store(any_store_url)
    try:
        assert store.counts().introductions == before + WORKERS * EACH
        stored = {i.id for i in store.iter_introductions()}
        assert set(printed) <= stored
    finally:
        store.close()
