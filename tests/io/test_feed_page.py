"""The data page reads a live Open Referral UK feed: the same check first, then the import, against a local
server that serves recorded ORUK 3.0 responses (Streamlit's AppTest drives the real page)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connector_graph.store import open_store

from oruk_server import Route, api  # noqa: F401 (api: a fixture)

APP = str(Path(__file__).resolve().parents[2] / "app.py")
API = Path(__file__).parent.parent / "data" / "real" / "openreferral" / "api"
FEED = "An Open Referral UK feed (web address)"


@pytest.fixture
def store_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'feed.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    return url


def _counts(url: str):
    store = open_store(url)
    try:
        return store.counts(), {a.id: a for a in store.iter_actors()}
    finally:
        store.close()


def _imported(url: str, source_id: str):
    """The actor a feed's record ``source_id`` became (an import gives records ids of its own)."""
    from connector_graph.io.source_ids import stored_id

    store = open_store(url)
    try:
        found = stored_id(store, source_id)
        assert found is not None, f"{source_id} was not imported"
        return store.get_actor(found)
    finally:
        store.close()


def _feed_page(address: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    at.switch_page("dashboard/pages/data.py").run()
    at.radio(key="im_source").set_value(FEED).run()
    at.text_input(key="im_feed_url").input(address).run()
    return at


def test_a_feed_is_checked_then_imported_from_the_data_page(api, store_url):
    organizations = json.loads((API / "organization_list.json").read_text("utf-8"))["contents"]
    full = json.loads((API / "service_full.json").read_text("utf-8"))
    api.routes["/services"] = Route(file=API / "service_list.json")  # summaries, as ORUK 3.0 lists them
    api.routes[f"/services/{full['id']}"] = Route(file=API / "service_full.json")
    api.routes["/organizations"] = Route(records=organizations, size=4)
    expected = {o["id"] for o in organizations} | {full["organization"]["id"]}

    at = _feed_page(api.url)
    at.button(key="im_feed_preview").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["Ready to import."]
    shown = [t.value for t in at.text]
    assert f"organisations: added {len(expected)}, changed 0, unchanged 0" in shown, shown
    assert "details fetched from /services/{id} for 1 of 1 listed services" in shown
    assert _counts(store_url)[0].organisations == 0  # the check writes nothing

    at.button(key="im_feed_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value.endswith(". Written.")
    counts, _actors = _counts(store_url)
    assert counts.organisations == len(expected)
    assert _imported(store_url, "oruk-" + full["organization"]["id"]).locations  # from the /services/{id} details

    at = _feed_page(api.url)  # the same feed again changes nothing
    at.button(key="im_feed_preview").click().run()
    assert f"organisations: added 0, changed 0, unchanged {len(expected)}" in [t.value for t in at.text]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("address, message", [
    ("directory.example.gov.uk/api", "is not a web address"),
    ("http://127.0.0.1:{port}/api", "cannot reach http://127.0.0.1:{port}/api/services"),
])
def test_a_bad_or_unreachable_address_is_one_line_and_writes_nothing(address, message, store_url):
    port = _closed_port()
    at = _feed_page(address.format(port=port))
    at.button(key="im_feed_preview").click().run()
    assert not at.exception
    [error] = at.error
    shown = error.value.replace("\\", "")  # the page escapes Markdown
    assert message.format(port=port) in shown and "\n" not in shown
    assert not at.success and _counts(store_url)[0].organisations == 0
    assert not [b for b in at.button if b.key == "im_feed_run"]  # nothing to confirm
