"""The audit log on both backends: one entry per change, in the same transaction, hash-chained."""

from __future__ import annotations

import sqlite3

import pytest

from connector_graph.audit import AuditAction, acting_as, verify_chain
from connector_graph.errors import NotFound
from connector_graph.model import Person, Tie, build
from connector_graph.store import open_store


def _actions(store) -> list[tuple[str, str | None, str]]:
    return [(e.action.value, e.target, e.who) for e in store.list_audit()]


def test_every_change_appends_one_entry_attributed_to_the_user(store):
    with acting_as("cath"):
        store.add_person(build(Person, id="a", name="Ann Ahmed"))
        store.add_person(build(Person, id="b", name="Bob Baker"))
        store.add_tie(build(Tie, source_id="a", target_id="b"))
    with acting_as("admin"):
        store.erase_actor("b")
    tie_id = build(Tie, source_id="a", target_id="b").id
    assert _actions(store) == [
        ("add_person", "a", "cath"),
        ("add_person", "b", "cath"),
        ("add_tie", tie_id, "cath"),
        ("erase", "b", "admin"),
    ]
    assert verify_chain(store.list_audit(), store.protection.audit_key).ok


def test_no_change_and_failed_writes_leave_no_entry(store):
    store.add_person(build(Person, id="a", name="Ann"))
    store.add_person(build(Person, id="a", name="Ann"))  # unchanged
    with pytest.raises(NotFound):
        store.add_tie(build(Tie, source_id="a", target_id="ghost"))
    assert [e.action for e in store.list_audit()] == [AuditAction.ADD_PERSON]


def test_entries_hold_ids_never_names(store):
    store.add_person(build(Person, id="p-1", name="Zebedee Quill", gifts=["tuba"]))
    text = " ".join(e.model_dump_json() for e in store.list_audit())
    assert "p-1" in text and "Zebedee" not in text and "tuba" not in text


def test_record_audit_for_exports_does_not_move_the_graph_version(store):
    version = store.graph_version()
    with acting_as("manager"):
        store.record_audit(AuditAction.EXPORT)
        store.record_audit(AuditAction.SUBJECT_ACCESS, "p-9")
    assert store.graph_version() == version
    assert _actions(store) == [("export", None, "manager"), ("subject_access", "p-9", "manager")]


def test_list_audit_by_target_and_newest_limit(store):
    for n in range(5):
        store.add_person(build(Person, id=f"p{n}", name=f"P{n}"))
    store.update_person(build(Person, id="p2", name="P two"))
    assert [e.action.value for e in store.list_audit(target="p2")] == ["add_person", "update_person"]
    assert [e.seq for e in store.list_audit(limit=2)] == [5, 6]


def test_a_changed_entry_breaks_the_chain(store):
    for n in range(4):
        store.add_person(build(Person, id=f"p{n}", name=f"P{n}"))
    entries = store.list_audit()
    forged = entries[:2] + [entries[2].model_copy(update={"who": "someone-else"})] + entries[3:]
    report = verify_chain(forged, store.protection.audit_key)
    assert (report.ok, report.first_bad_seq, report.checked) == (False, 3, 2)
    dropped = verify_chain(entries[:1] + entries[2:], store.protection.audit_key)
    assert (dropped.ok, dropped.first_bad_seq) == (False, 3)


def test_sqlite_refuses_to_edit_or_delete_audit_entries(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    store = open_store(url)
    store.add_person(build(Person, id="a", name="Ann"))
    store.close()
    conn = sqlite3.connect(tmp_path / "a.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET who = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit")
    conn.close()


@pytest.mark.neo4j
def test_neo4j_tampering_is_found_by_verification(empty_neo4j_url):
    import neo4j

    store = open_store(empty_neo4j_url)
    try:
        for n in range(3):
            store.add_person(build(Person, id=f"p{n}", name=f"P{n}"))
        with neo4j.GraphDatabase.driver(empty_neo4j_url, auth=None) as driver:
            driver.execute_query("MATCH (e:AuditEntry {seq: 2}) SET e.target = 'p-other'")
        report = verify_chain(store.list_audit(), store.protection.audit_key)
        assert (report.ok, report.first_bad_seq) == (False, 2)
    finally:
        store.close()
