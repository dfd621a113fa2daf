"""The logging form when Neo4j cannot be reached: one sentence, nothing lost, no duplicate on retry."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from connector_graph import service
from connector_graph.store import open_store
from fault_proxy import FaultProxy

APP = str(Path(__file__).resolve().parents[2] / "app.py")

pytestmark = pytest.mark.neo4j


@pytest.fixture
def proxied(empty_neo4j_url, monkeypatch):
    store = open_store(empty_neo4j_url)
    service.add_person(store, "Cath Connector", roles=["connector"], person_id="cath")
    service.add_person(store, "Ann Ahmed", person_id="ann")
    service.add_organisation(store, "Lunch Club", sector="voluntary_community", organisation_id="club")
    store.close()
    parts = urlsplit(empty_neo4j_url)
    proxy = FaultProxy(parts.hostname, parts.port)
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", f"bolt://127.0.0.1:{proxy.port}")
    monkeypatch.setenv("CONNECTOR_GRAPH_NEO4J_RETRY_SECONDS", "2")
    try:
        yield empty_neo4j_url, proxy
    finally:
        proxy.close()


def _filled_log_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    at.switch_page("dashboard/pages/log.py").run()
    for key, actor_id in (("intro_by", "cath"), ("intro_subject", "ann"), ("intro_to", "club")):
        at.session_state[key] = actor_id  # what the search pickers keep once someone is picked
    at.session_state["intro_details"] = True  # the outcome box is among the optional details, drawn while open
    at.run()
    at.text_area(key="intro_outcome").input("will try the Tuesday session")
    return at


def _introductions(url: str) -> int:
    store = open_store(url)
    try:
        return store.counts().introductions
    finally:
        store.close()


def test_neo4j_gone_before_the_write_keeps_the_form_and_a_retry_saves_once(proxied):
    url, proxy = proxied
    at = _filled_log_page()
    proxy.cut()
    at.button(key="intro_log").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "cannot be reached right now" in at.error[0].value, [e.value for e in at.error]
    assert "What you typed is kept" in at.error[0].value
    assert [at.session_state[k] for k in ("intro_by", "intro_subject", "intro_to")] == ["cath", "ann", "club"]
    assert at.text_area(key="intro_outcome").value == "will try the Tuesday session"
    assert _introductions(url) == 0
    proxy.restore()
    at.button(key="intro_log").click().run()
    assert any(s.value.startswith("Logged") for s in at.success)
    assert _introductions(url) == 1


def test_a_reply_lost_during_the_write_is_retried_without_a_duplicate(proxied):
    url, proxy = proxied
    at = _filled_log_page()
    proxy.drop_next_reply()
    at.button(key="intro_log").click().run()
    assert not at.exception
    if at.error:  # the driver gave up: the form is kept and the same id is sent again
        assert "cannot be reached" in at.error[0].value
        at.button(key="intro_log").click().run()
    assert any(s.value.startswith("Logged") for s in at.success)
    assert _introductions(url) == 1
