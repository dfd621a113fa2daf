"""The privacy page reports people held without a lawful basis and lets an admin give them one (AppTest)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from streamlit.testing.v1 import AppTest

from connector_graph import service
from connector_graph.model import LawfulBasis
from connector_graph.store import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _privacy_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    at.switch_page("dashboard/pages/privacy.py").run()
    return at


def test_people_without_a_lawful_basis_are_shown_and_given_one(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'older.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    store = open_store(url)
    service.add_person(store, "Ann Ahmed", person_id="ann", lawful_basis="public_task")
    service.add_person(store, "Bob Brown", person_id="bob")
    store.close()
    with sqlite3.connect(tmp_path / "older.db", isolation_level=None) as conn:  # as an older version stored Bob
        conn.execute("UPDATE actors SET body = json_remove(body, '$.lawful_basis') WHERE id = 'bob'")

    at = _privacy_page()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == ["1 people have no lawful basis recorded (stored by an older version)."]
    at.selectbox(key="lb_basis").set_value("vital_interests").run()
    at.button(key="lb_set").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Set the lawful basis of 1 people to vital\\_interests." in [s.value for s in at.success]

    store = open_store(url)
    try:
        assert store.get_actor("bob").lawful_basis is LawfulBasis.VITAL_INTERESTS
        assert store.get_actor("ann").lawful_basis is LawfulBasis.PUBLIC_TASK
        assert [(e.action.value, e.target) for e in store.list_audit()][-1] == ("update_person", "bob")
    finally:
        store.close()
    at = _privacy_page()
    assert not at.warning and "Everyone held has a lawful basis recorded." in [m.value for m in at.markdown]
