"""Subject access, retention and the erasure register, on both backends."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from connector_graph import privacy
from connector_graph.audit import AuditAction, acting_as
from connector_graph.errors import NotFound
from connector_graph.model import Introduction, Organisation, Person, Tie, build

TODAY = dt.date(2026, 6, 1)
D = dt.timedelta


@pytest.fixture
def network(store):
    store.add_person(build(Person, id="ann", name="Ann Ahmed", needs=["low mood"], article9_condition="explicit_consent",
                           lawful_basis="consent", consent_given_on=dt.date(2024, 1, 5)))
    store.add_person(build(Person, id="cath", name="Cath Connector", roles=["connector"]))
    store.add_person(build(Person, id="bob", name="Bob Baker"))
    store.add_organisation(build(Organisation, id="club", name="Lunch Club", sector="voluntary_community"))
    store.add_tie(build(Tie, source_id="ann", target_id="bob", since=dt.date(2024, 2, 1), last_confirmed=dt.date(2024, 3, 1)))
    store.add_introduction(build(Introduction, id="i1", introducer_id="cath", subject_id="ann", target_id="club",
                                 date=dt.date(2024, 3, 10), purposes=["company"], outcome="goes on Tuesdays"))
    return store


def test_subject_access_holds_everything_with_other_people_pseudonymised(network):
    with acting_as("admin"):
        report = privacy.subject_access(network, "ann")
    text = report.model_dump_json()
    assert report.person["name"] == "Ann Ahmed" and report.person["needs"] == ["low mood"]
    assert report.person["consent_given_on"] == "2024-01-05"
    assert len(report.ties) == 1 and report.ties[0]["with"].startswith("Person ")
    (intro,) = report.introductions
    assert intro["to"] == "Lunch Club" and intro["introduced"] == "them" and intro["introducer"].startswith("Person ")
    assert intro["outcome"] == "goes on Tuesdays"
    assert report.derived == {"ties": 1, "introductions_made": 0, "introductions_received": 1, "included_in_analysis": True}
    assert [a["action"] for a in report.audit] == ["add_person"]
    assert "Bob" not in text and "Cath" not in text and "bob" not in text and "cath" not in text
    # the request itself is audited
    assert network.list_audit(target="ann")[-1].action is AuditAction.SUBJECT_ACCESS
    readable = privacy.render_subject_access(report)
    assert "# What we hold about Ann Ahmed" in readable and "Lunch Club" in readable and "Bob" not in readable


def test_pseudonyms_differ_between_requests(network):
    first = privacy.subject_access(network, "ann").ties[0]["with"]
    second = privacy.subject_access(network, "ann").ties[0]["with"]
    assert first != second


def test_subject_access_for_unknown_or_organisation_is_not_found(network):
    with pytest.raises(NotFound):
        privacy.subject_access(network, "nobody")
    with pytest.raises(NotFound, match="organisation"):
        privacy.subject_access(network, "club")


def test_retention_with_a_frozen_clock(network):
    network.add_person(build(Person, id="keep", name="Kept", retain_until=TODAY + D(days=1)))
    network.add_person(build(Person, id="gone", name="Expired", retain_until=TODAY - D(days=1)))
    network.add_person(build(Person, id="nodate", name="No Dates"))
    review = privacy.retention_review(network, months=24, today=TODAY)
    due = {item.id: item.due_on for item in review.due}
    # ann: last activity 2024-03-10 (introduction) -> due 2026-03-10; bob: tie confirmed 2024-03-01 -> 2026-03-01
    assert due == {"gone": TODAY - D(days=1), "ann": dt.date(2026, 3, 10), "bob": dt.date(2026, 3, 1), "cath": dt.date(2026, 3, 10)}
    assert [item.id for item in review.undated] == ["nodate"]
    assert privacy.retention_review(network, months=36, today=TODAY).due == [
        item for item in review.due if item.id == "gone"
    ]
    assert privacy.apply_retention(network, review) == 4
    assert network.existing_ids(["ann", "bob", "cath", "gone", "keep", "nodate"]) == {"keep", "nodate"}


def test_erasure_register_reapplies_after_an_older_restore(network):
    from connector_graph.store.base import Batch

    ann = network.get_actor("ann")
    network.erase_actor("ann")
    register = privacy.erasure_register(network)
    assert [actor_id for actor_id, _ in register] == ["ann"]
    network.bulk_load(Batch(people=[ann]))  # an older backup brings her back
    assert privacy.reapply_erasures(network, register) == ["ann"]
    assert network.existing_ids(["ann"]) == set()
    assert json.dumps([a for a, _ in privacy.erasure_register(network)]) == '["ann", "ann"]'


def test_withdrawn_or_restricted_people_are_left_out_of_the_analysis_graph(network):
    from connector_graph.graph import build_graph

    assert {"ann", "bob"} <= set(build_graph(network).nodes)
    ann = network.get_actor("ann")
    network.update_person(ann.model_copy(update={"consent_withdrawn_on": dt.date(2025, 1, 1)}))
    bob = network.get_actor("bob")
    network.update_person(bob.model_copy(update={"restricted": True}))
    G = build_graph(network)
    assert "ann" not in G and "bob" not in G and "cath" in G
