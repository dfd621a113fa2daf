"""Analysis pages render from the analysis every user shares: the last complete result at once,
with "updated N seconds ago; refreshing" while the new one is made; never one from before an erasure."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connector_graph import service
from connector_graph.analysis.shared import latest
from connector_graph.seed import generate
from connector_graph.store import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def demo_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    store = open_store(url)
    assert store.counts().people == 0
    service.load_batch(store, generate("demo"))
    store.close()
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    return url


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    at.switch_page(f"dashboard/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _refreshing(at: AppTest) -> bool:
    return any(c.value.endswith("ago; refreshing.") for c in at.caption)


@pytest.mark.parametrize("page", ["overview", "gaps", "connectors", "explorer"])
def test_a_page_renders_from_the_shared_last_result_while_a_new_analysis_runs(demo_url, page):
    first = _open(page)
    assert not _refreshing(first)
    store = open_store(demo_url)
    try:
        someone = store.list_people(limit=2)
        service.add_person(store, "Zed Newcomer", ward=someone[0].ward, person_id="zed")
        service.add_tie(store, "zed", someone[0].id)
        hold, busy = threading.Event(), threading.Event()
        # another analysis holds the server's one analysis worker: the page cannot wait for a new result
        assert latest(store, "held", lambda: (busy.set(), hold.wait(600)), wait=False) is None
        assert busy.wait(600)
        try:
            at = _open(page)
            assert _refreshing(at), [c.value for c in at.caption]
        finally:
            hold.set()
        for _ in range(600):  # the refresh now runs; the page is current once it is done
            at = _open(page)
            if not _refreshing(at):
                break
        assert not _refreshing(at)
    finally:
        store.close()


def test_after_an_erasure_the_gaps_page_never_shows_the_old_result(demo_url):
    first = _open("gaps")
    text = " ".join(m.value for m in first.markdown)
    store = open_store(demo_url)
    try:
        named = [p for p in store.list_people() if p.name in text]
        assert named, "the gaps page names no one"
        gone = named[0]
        hold, busy = threading.Event(), threading.Event()
        assert latest(store, "held", lambda: (busy.set(), hold.wait(600)), wait=False) is None
        assert busy.wait(600)
        service.erase_actor(store, gone.id)
        hold.set()  # the page has no result to show after the erasure: it waits for a new one
        at = _open("gaps")
        assert not _refreshing(at)
        assert gone.name not in " ".join(m.value for m in at.markdown)
    finally:
        store.close()


def test_opening_any_page_starts_the_shared_analysis_so_the_gaps_page_need_not_wait(demo_url):
    import datetime as dt

    from connector_graph.analysis.shared import RESULTS
    from connector_graph.views.prepare import prepared

    _open("log")  # not an analysis page
    store = open_store(demo_url)
    try:
        assert prepared(store, timeout=1200)
        made = {key[1] for key, entry in RESULTS._entries.items() if key[0] == demo_url and entry.result is not None}
        assert {"actor-list", "gaps", "measures", "report", "pulse"} <= made
        gaps = RESULTS._entries[(demo_url, "gaps", (dt.date.today(),))].result
        assert gaps.version == store.graph_version()
        at = _open("gaps")  # served from what was made, for the same version
        assert not _refreshing(at)
    finally:
        store.close()


def test_preparing_a_store_loads_the_drawing_libraries_and_streamlits_emoji_before_anyone_draws(tmp_path):
    import subprocess
    import sys

    from connector_graph.views.prepare import DRAWING_MODULES

    script = f"""
import sys
from connector_graph.auth import acting_as
from connector_graph.store import open_store
from connector_graph.views.prepare import DRAWING_MODULES, prepare, prepared
from dashboard.widgets import warm_up_streamlit
wanted = [*DRAWING_MODULES, "streamlit.emojis"]
before = [m for m in wanted if m in sys.modules]
store = open_store("sqlite:///{tmp_path / 'p.db'}")
with acting_as("someone", "admin"):
    prepare(store, also=[warm_up_streamlit])
assert prepared(store, timeout=1200)
print(before, [m for m in wanted if m not in sys.modules])
store.close()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=1200,
                          cwd=Path(APP).parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["[]", "[]"], (done.stdout, DRAWING_MODULES)
