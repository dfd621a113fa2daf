"""The dashboard renders through Streamlit's AppTest on an empty and a filled store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from connector_graph import service
from connector_graph.store import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    return url


def _run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    return at


def test_overview_on_an_empty_store_says_how_to_start(sqlite_url):
    at = _run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert any("network is empty" in info.value for info in at.info)
    assert [m.value for m in at.metric][:4] == ["0", "0", "0", "0"]  # then this month against last


def test_overview_shows_what_the_store_holds(sqlite_url):
    store = open_store(sqlite_url)
    con = service.add_person(store, "Cath Connector", roles=["connector"])
    ann = service.add_person(store, "Ann Ahmed", ward="Armley")
    club = service.add_organisation(store, "Lunch Club", sector="voluntary_community", ward="Armley")
    service.log_introduction(store, introducer_id=con.id, subject_id=ann.id, target_id=club.id, purposes=["company"])
    store.close()
    at = _run()
    assert not at.exception
    assert [m.value for m in at.metric][:4] == ["2", "1", "0", "1"]  # then this month against last
    downloads = [b.proto.label for b in at.get("download_button")]  # the local user is an admin
    assert downloads == ["Download as CSV", "Download as CSV (counts under 5 hidden)"]
    latest = at.dataframe[0].value
    assert list(latest["subject"]) == ["Ann Ahmed"] and list(latest["target"]) == ["Lunch Club"]
    wards = at.dataframe[1].value
    assert wards.set_index("ward").loc["Armley", "people"] == 1


def test_unreachable_store_is_one_sentence_not_a_trace(monkeypatch):
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", "bolt://127.0.0.1:9")
    at = _run()
    assert not at.exception
    assert len(at.error) == 1 and "cannot be opened" in at.error[0].value


PASSWORD = "a-long-enough-password"


def _with_account(url: str, username: str = "sam", role: str = "connector") -> None:
    from connector_graph import accounts

    store = open_store(url)
    try:
        accounts.add_user(store, username, role, PASSWORD)
        ann = service.add_person(store, "Ann Ahmed")
        con = service.add_person(store, "Cath Connector", roles=["connector"])
        club = service.add_organisation(store, "Lunch Club", sector="voluntary_community")
        service.log_introduction(store, introducer_id=con.id, subject_id=ann.id, target_id=club.id)
    finally:
        store.close()


def test_with_accounts_nothing_shows_before_sign_in(sqlite_url):
    _with_account(sqlite_url)
    at = _run()
    assert not at.exception
    assert at.title[0].value == "Sign in" and not at.metric and not at.dataframe


def test_wrong_password_is_refused_and_right_one_lets_in(sqlite_url):
    _with_account(sqlite_url)
    at = _run()
    at.text_input(key="login_user").input("sam")
    at.text_input(key="login_password").input("not the password")
    at.button[0].click().run()
    assert any("do not match" in e.value for e in at.error) and not at.metric
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Overview" and [m.value for m in at.metric][:1] == ["2"]
    assert list(at.dataframe[0].value["subject"]) == ["Ann Ahmed"]
    assert any("Signed in as sam (connector)" in c.value for c in at.sidebar.caption)
    assert not at.get("download_button")  # a connector may not export


def test_a_demoted_or_removed_user_is_signed_out_on_the_next_page_load(sqlite_url):
    from connector_graph import accounts

    _with_account(sqlite_url)
    store = open_store(sqlite_url)
    accounts.add_user(store, "boss", "admin", PASSWORD)
    at = _run()
    at.text_input(key="login_user").input("sam")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value == "Overview"
    accounts.remove_user(store, "sam")
    store.close()
    at.run()
    assert at.title[0].value == "Sign in"
    assert any("no longer active" in i.value for i in at.info)


def test_served_beyond_localhost_with_nothing_configured_shows_no_data(sqlite_url):
    from streamlit import config

    store = open_store(sqlite_url)
    service.add_person(store, "Ann Ahmed")
    store.close()
    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = _run()
    finally:
        config.set_option("server.address", previous)
    assert not at.exception
    assert any("no sign-in is set up" in e.value for e in at.error)
    assert not at.metric and not at.dataframe
