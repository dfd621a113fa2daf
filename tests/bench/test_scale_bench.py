"""bench/scale.py's measuring step: a report in a fresh process, and a report stopped when it takes too long."""

from __future__ import annotations

import importlib.util
import os
import signal
import time
from pathlib import Path

import pytest

from connector_graph.seed import generate
from connector_graph.store import open_store

BENCH = Path(__file__).parents[2] / "bench" / "scale.py"


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("scale_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def store_url(tmp_path):
    import datetime as dt

    url = f"sqlite:///{tmp_path / 'scale.db'}"
    store = open_store(url)
    try:
        store.bulk_load(generate(300, seed=3, today=dt.date(2026, 1, 1)))
    finally:
        store.close()
    return url


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_finished_report_gives_its_time_memory_and_top_connectors(scale, store_url):
    row = scale.measure(store_url, "python", None)
    assert "error" not in row, row
    assert row["actors"] == 300 and row["engine"] in ("networkx", "igraph") and len(row["top"]) == 10
    assert 0 < row["seconds"] <= row["wall"] and row["rss_mb"] > 0


def test_the_peak_is_the_reports_own_not_the_benchmarks(scale, store_url):
    """The benchmark holds the generated network when it starts a report: that memory is not the report's."""
    alone = scale.measure(store_url, "python", None)
    held = b"x" * (768 * 2**20)  # written, so resident: what the generated network holds in the benchmark
    try:
        beside = scale.measure(store_url, "python", None)
    finally:
        del held
    assert "error" not in alone and "error" not in beside
    assert beside["rss_mb"] < alone["rss_mb"] + 256 and beside["tree_mb"] < alone["tree_mb"] + 256
    assert 0 < alone["tree_mb"] and 0 < alone["rss_mb"]


def test_a_report_past_its_minutes_is_stopped_with_everything_it_started(scale, store_url, monkeypatch):
    # the measured process starts a worker of its own and then never finishes
    monkeypatch.setattr(scale, "CHILD", "import os, subprocess, sys, time\n"
                        "worker = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
                        "print(worker.pid, file=sys.stderr, flush=True)\n"
                        "open(sys.argv[1].removeprefix('sqlite:///') + '.worker', 'w').write(str(worker.pid))\n"
                        "time.sleep(600)\n")
    row = scale.measure(store_url, "python", None, minutes=0.05)
    assert row["error"].startswith("unfinished after 0.05 min")
    worker = int(Path(store_url.removeprefix("sqlite:///") + ".worker").read_text())
    deadline = time.monotonic() + 60
    while _alive(worker) and time.monotonic() < deadline:  # killed, then reaped by init
        time.sleep(0.1)
    if _alive(worker):
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the report's own worker outlived the stop")
