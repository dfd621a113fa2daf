"""People stored by older versions without a lawful basis: reported, and given one only by an audited admin step.

The records are made as an older version left them: the person is written,
then the lawful basis is taken out of the stored record directly. Both
backends.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from connector_graph import lawful, service
from connector_graph.auth import acting_as
from connector_graph.cli import main
from connector_graph.errors import Forbidden, InvalidInput
from connector_graph.model import LawfulBasis


def _strip_basis(store, person_id: str) -> None:
    """Take the lawful basis out of a stored person, as a store written by an older version holds them."""
    if store.url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(store.path, isolation_level=None) as conn:
            conn.execute("UPDATE actors SET body = json_remove(body, '$.lawful_basis') WHERE id = ?", (person_id,))
    else:
        import neo4j

        with neo4j.GraphDatabase.driver(store.url, auth=None) as driver:
            driver.execute_query("MATCH (a:Actor {id: $id}) REMOVE a.lawful_basis", {"id": person_id})


@pytest.fixture
def older(store):
    service.add_person(store, "Ann Ahmed", ward="Armley", person_id="ann", lawful_basis="public_task")
    service.add_person(store, "Bob Brown", ward="Armley", person_id="bob")
    service.add_person(store, "Cy Clarke", ward="Armley", person_id="cy", lawful_basis="public_task")
    _strip_basis(store, "bob")
    _strip_basis(store, "cy")
    return store


def _cli(store, *args: str):
    return CliRunner().invoke(main, ["--store", store.url, *args])


def test_people_without_a_lawful_basis_read_back_without_one_and_are_reported(older):
    assert older.get_actor("bob").lawful_basis is None  # never silently given the default on reading
    assert [p.id for p in lawful.missing_lawful_basis(older)] == ["bob", "cy"]
    result = _cli(older, "lawful-basis", "--missing")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["bob\tBob Brown", "cy\tCy Clarke"]
    assert "2 people have no lawful basis recorded" in result.stderr
    assert json.loads(_cli(older, "lawful-basis", "--missing", "--json").stdout) == ["bob", "cy"]


def test_setting_the_missing_basis_is_audited_per_person_and_changes_nothing_else(older):
    before = {p.id: p for p in older.list_people()}
    audit_before = len(older.list_audit())
    result = _cli(older, "lawful-basis", "--missing", "--set", "legitimate_interests")
    assert result.exit_code == 0, result.output
    assert "Set the lawful basis of 2 people to legitimate_interests" in result.stderr
    after = {p.id: p for p in older.list_people()}
    for pid in ("bob", "cy"):
        assert after[pid].lawful_basis is LawfulBasis.LEGITIMATE_INTERESTS
        assert after[pid].model_copy(update={"lawful_basis": None}) == before[pid]
    assert after["ann"] == before["ann"]  # who had one keeps theirs
    added = older.list_audit()[audit_before:]
    assert [(e.action.value, e.target) for e in added] == [("update_person", "bob"), ("update_person", "cy")]
    assert lawful.missing_lawful_basis(older) == []
    again = _cli(older, "lawful-basis", "--missing", "--set", "legitimate_interests")
    assert again.exit_code == 0 and "of 0 people" in again.stderr
    assert len(older.list_audit()) == audit_before + 2


def test_consent_without_a_consent_date_is_refused_and_nothing_changes(older):
    version = older.graph_version()
    result = _cli(older, "lawful-basis", "--missing", "--set", "consent")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "no consent date" in result.stderr
    assert older.graph_version() == version and [p.id for p in lawful.missing_lawful_basis(older)] == ["bob", "cy"]


@pytest.mark.parametrize("args", [["--set", "whatever"], ["--set", ""], []])
def test_bad_requests_are_one_line_and_change_nothing(older, args):
    version = older.graph_version()
    result = _cli(older, "lawful-basis", *args)
    assert result.exit_code == 1, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert older.graph_version() == version


def test_only_a_data_protection_admin_may_list_or_set_it(older):
    with acting_as("mia", "manager"):
        with pytest.raises(Forbidden):
            lawful.set_missing_lawful_basis(older, "legitimate_interests")
        with pytest.raises(Forbidden):
            lawful.missing_lawful_basis(older)
    with pytest.raises(InvalidInput, match="unknown lawful basis"):
        lawful.set_missing_lawful_basis(older, "because")
    assert older.get_actor("bob").lawful_basis is None
