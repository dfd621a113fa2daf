"""Logging an introduction, in the library: pickers that tell people apart, look-alikes, undo, who you are.

Every test runs on both backends where it touches the store.
"""

from __future__ import annotations

import re

import datetime as dt
import json

import pytest

from connector_graph import accounts, me, service
from connector_graph.audit import AuditAction
from connector_graph.errors import InvalidInput, NotFound
from connector_graph.io.loading import load
from connector_graph.io.report import ImportReport, Parsed
from connector_graph.lookalike import Candidate, look_alikes
from connector_graph.model import Person, Ward
from connector_graph.store.base import Batch
from connector_graph.views import logging_form, pickers
from connector_graph.views.directory import known_purposes, similar_names

def today() -> dt.date:
    """Today's date when asked (a run that crosses midnight must not test yesterday's 'tomorrow')."""
    return dt.date.today()


@pytest.fixture
def town(store):
    """Pudsey: a connector, a worker, residents (three of them called David Green), organisations."""
    store.add_wards([Ward(name="Pudsey"), Ward(name="Armley")])
    add = service.add_person
    add(store, "Gary Campbell", ward="Pudsey", roles=["connector"], person_id="gary")
    add(store, "Gary Mistry", ward="Armley", roles=["worker"], person_id="gary-w")
    add(store, "Gary Ackroyd", ward="Pudsey", person_id="gary-r")
    add(store, "Ann Pudsey", ward="Armley", person_id="ann")  # a resident whose surname is the ward's name
    for n in (1, 2, 3):
        add(store, "David Green", ward="Pudsey", person_id=f"green{n}")
    service.add_organisation(store, "Pudsey Community Hub", sector="statutory", ward="Pudsey", organisation_id="hub")
    service.add_organisation(store, "Armley Choir", sector="voluntary_community", ward="Armley", organisation_id="choir")
    service.add_organisation(store, "Bramley Lunch Club", sector="voluntary_community", ward="Pudsey",
                             organisation_id="lunch")
    service.add_tie(store, "green1", "choir", kind="member_of")
    service.log_introduction(store, introducer_id="gary", subject_id="green2", target_id="hub",
                             date=today() - dt.timedelta(days=40), introduction_id="i-old")
    return store


# ------------------------------------------------------------------ search and labels


def test_search_ranks_exact_and_prefix_names_then_organisations_then_ward_matches(town):
    ids = [c.id for c in pickers.search_choices(town, "pudsey", limit=20)]
    # the organisation named Pudsey and the person whose name holds it come before anyone who only lives there
    assert ids.index("hub") < ids.index("gary-r") and ids.index("ann") < ids.index("gary-r")
    assert ids[:2] == ["ann", "hub"]  # a word of each name starts with "pudsey": name order
    # only in the ward: organisations first, then people by name
    assert ids[2:] == ["lunch", "green1", "green2", "green3", "gary-r", "gary"]
    exact = [c.id for c in pickers.search_choices(town, "Gary Campbell")]
    assert exact[0] == "gary"


def test_who_made_it_lists_connectors_and_workers_first(town):
    ids = [c.id for c in pickers.search_choices(town, "gary", people_only=True, prefer=pickers.INTRODUCER_ROLES)]
    assert ids == ["gary", "gary-w", "gary-r"]
    plain = [c.id for c in pickers.search_choices(town, "gary", people_only=True)]
    assert plain == ["gary-r", "gary", "gary-w"]  # by name without the preference


def test_people_only_pickers_leave_organisations_out(town):
    assert "hub" not in [c.id for c in pickers.search_choices(town, "pudsey", people_only=True, limit=20)]


def test_same_named_people_get_labels_that_tell_them_apart(town):
    labels = {c.id: c.label for c in pickers.search_choices(town, "David Green")}
    assert set(labels) == {"green1", "green2", "green3"}
    assert len(set(labels.values())) == 3
    assert all(label.startswith("David Green (resident, Pudsey; ") for label in labels.values())
    assert "member of Armley Choir" in labels["green1"]
    assert "known to Gary Campbell" in labels["green2"]
    assert labels["green3"].endswith("no introductions yet)")
    assert not any("#" in label for label in labels.values())  # they already read differently


def test_identical_labels_get_the_shortest_id_suffix(store):
    for n in ("p-000182", "p-000446"):
        service.add_person(store, "David Green", ward="Pudsey", person_id=n)
    labels = sorted(c.label for c in pickers.search_choices(store, "david green"))
    assert labels == ["David Green (resident, Pudsey; no introductions yet) #0182",
                      "David Green (resident, Pudsey; no introductions yet) #0446"]


class _NoFullScans:
    """The real store, refusing any call that reads every actor (a picker must search instead)."""

    def __init__(self, store):
        self._store = store

    def iter_actors(self):
        raise AssertionError("a picker read every actor")

    def list_people(self, *, ward=None, limit=None, offset=0):
        assert limit is not None and ward is not None, "a picker listed everyone"
        return self._store.list_people(ward=ward, limit=limit, offset=offset)

    def list_organisations(self, *, ward=None, limit=None, offset=0):
        assert limit is not None and ward is not None, "a picker listed every organisation"
        return self._store.list_organisations(ward=ward, limit=limit, offset=offset)

    def iter_introductions(self):
        raise AssertionError("every introduction was read")

    def list_introductions(self, where=None):
        narrowed = where is not None and (where.limit is not None or where.actor_id or where.introducer_id)
        assert narrowed, "every introduction was listed"
        return self._store.list_introductions(where)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_pickers_never_read_every_actor(town):
    guarded = _NoFullScans(town)
    assert pickers.search_choices(guarded, "Pudsey")
    assert pickers.choices_for(guarded, ["green1", "hub", "gone"])[1].id == "hub"
    assert pickers.resolve_actor(guarded, "Gary Campbell", option="--by").id == "gary"


def test_look_alikes_and_purposes_never_read_every_record(town):
    service.add_person(town, "John Smith", ward="Armley", person_id="js")
    service.log_introduction(town, introducer_id="gary", subject_id="ann", target_id="choir",
                             purposes=["social contact", "lunch"], introduction_id="i-two")
    guarded = _NoFullScans(town)
    assert [m.id for m in similar_names(guarded, "Jon Smyth", ward="Armley")] == ["js"]  # no word shared: the ward
    assert [m.id for m in similar_names(guarded, "Smith, John", ward="Pudsey")] == ["js"]  # a word shared
    assert similar_names(guarded, "Olusegun Adeyemi-Brown", ward="Armley") == []
    assert similar_names(guarded, "Jon Smyth") == []  # no ward and no word in common: not read at all
    assert known_purposes(guarded) == ["lunch", "social contact"]


def test_resolve_takes_ids_and_whole_names_and_refuses_ambiguity(town):
    assert pickers.resolve_actor(town, "hub", option="--to").id == "hub"
    assert pickers.resolve_actor(town, "  gary  CAMPBELL ", option="--by").id == "gary"
    with pytest.raises(pickers.Ambiguous) as refused:
        pickers.resolve_actor(town, "David Green", option="--subject")
    assert str(refused.value).startswith("--subject: 3 records are called 'David Green'")
    with pytest.raises(NotFound, match="--to: no one is called 'Gary' and no record has that id; did you mean Gary Ackroyd"):
        pickers.resolve_actor(town, "Gary", option="--to")  # part of a name is not enough


# ------------------------------------------------------------------ look-alikes


def test_a_shared_surname_alone_is_not_a_look_alike(store):
    for i, first in enumerate(("Jean", "Liam", "Chloe", "Pauline", "Thomas")):
        service.add_person(store, f"{first} Brown", ward="Armley", person_id=f"brown{i}")
    assert similar_names(store, "Olusegun Adeyemi-Brown", ward="Armley") == []


def test_a_spelling_variant_in_the_same_ward_is_a_look_alike(store):
    service.add_person(store, "John Smith", ward="Armley", person_id="js")
    assert [m.id for m in similar_names(store, "Jon Smyth", ward="Armley")] == ["js"]
    assert similar_names(store, "Jon Smyth", ward="Pudsey") == []  # elsewhere it needs to be closer
    assert [m.id for m in similar_names(store, "Smith, John", ward="Pudsey")] == ["js"]  # same name, any ward


def test_look_alike_thresholds_against_rapidfuzz_directly():
    from rapidfuzz import fuzz

    held = [Candidate("a", "Anne Ahmed", "person", "Armley"), Candidate("b", "Bob Brown", "person", "Armley")]
    found = look_alikes("Ann Ahmed", "Armley", held)
    assert [a.candidate.id for a in found] == ["a"]
    assert found[0].similarity == round(fuzz.token_set_ratio("ann ahmed", "anne ahmed"), 1)


def test_imports_report_look_alike_names_without_refusing_them(store):
    service.add_person(store, "John Smith", ward="Armley", person_id="js")
    batch = Batch(people=[Person(id="p-new", name="Jon Smyth", ward="Armley"),
                          Person(id="p-other", name="Olusegun Adeyemi-Brown", ward="Armley")])
    report = load(store, Parsed(batch, ImportReport(source="test", format="csv")), dry_run=True)
    alike = [n for n in report.notes if n.startswith("look-alike names")]
    # the import gives the newcomer an id of its own; the report names them by it
    assert len(alike) == 1 and re.search(r"'Jon Smyth' \(p-[0-9a-f]+\) looks like 'John Smith' \(js", alike[0]), alike
    assert report.ok


# ------------------------------------------------------------------ undo, edit, wording


def test_undo_removes_the_introduction_and_audits_it(town):
    intro = service.log_introduction(town, introducer_id="gary", subject_id="ann", target_id="hub")
    removed = service.undo_introduction(town, intro.id)
    assert removed.id == intro.id
    with pytest.raises(NotFound):
        town.get_introduction(intro.id)
    actions = [e.action for e in town.list_audit(target=intro.id)]
    assert actions == [AuditAction.ADD_INTRODUCTION, AuditAction.REMOVE_INTRODUCTION]
    with pytest.raises(NotFound):
        service.undo_introduction(town, intro.id)


def test_edit_changes_details_but_never_the_people(town):
    edited = service.edit_introduction(town, "i-old", outcome="joined the choir", purposes=["singing"])
    assert (edited.outcome, edited.purposes, edited.subject_id) == ("joined the choir", ["singing"], "green2")
    assert town.get_introduction("i-old").outcome == "joined the choir"
    with pytest.raises(InvalidInput, match="cannot be edited"):
        service.edit_introduction(town, "i-old", subject_id="ann")


def test_confirmation_and_follow_up_titles_use_names_and_uk_dates(town):
    intro = service.log_introduction(town, introducer_id="gary", subject_id="ann", target_id="hub")
    assert logging_form.logged_sentence(town, intro, "gary") == \
        "Logged: Ann Pudsey introduced to Pudsey Community Hub by you, today"
    assert logging_form.logged_sentence(town, intro, None).endswith("by Gary Campbell, today")
    day = dt.date(today().year, 11, 12)
    old = service.edit_introduction(town, "i-old", date=day)
    assert logging_form.short_title(town, old) == "David Green → Pudsey Community Hub, 12 Nov"


def test_follow_ups_are_grouped_overdue_then_this_week_with_names(town):
    for n, due in ((1, today() - dt.timedelta(days=3)), (2, today() + dt.timedelta(days=2)), (3, None)):
        service.log_introduction(town, introducer_id="gary", subject_id=f"green{n}", target_id="lunch",
                                 follow_up=due, introduction_id=f"i-{n}", date=today() - dt.timedelta(days=5))
    service.record_follow_up(town, "i-old", outcome="went once")
    groups = logging_form.follow_up_groups(town, "gary")
    assert [(g.key, [i.id for i in g.items]) for g in groups] == [
        ("overdue", ["i-1"]), ("week", ["i-2"]), ("later", ["i-3"])]
    overdue = groups[0].items[0]
    assert overdue.label == (f"David Green → Bramley Lunch Club (introduced {today() - dt.timedelta(days=5):%d/%m/%Y}; "
                             f"follow up {today() - dt.timedelta(days=3):%d/%m/%Y})")
    service.record_follow_up(town, "i-1", outcome="goes on Tuesdays")
    assert [g.items for g in logging_form.follow_up_groups(town, "gary")][0] == []  # saved: it leaves the list


# ------------------------------------------------------------------ who you are


def test_single_user_mode_remembers_who_you_are_beside_the_store(town, tmp_path, monkeypatch):
    monkeypatch.setenv("CONNECTOR_GRAPH_LOCAL_PROFILE", str(tmp_path / "me.json"))
    assert me.can_remember(town, "local") and me.my_person(town, "local") is None
    me.remember_me(town, "local", "gary")
    assert me.my_person(town, "local") == "gary"
    assert json.loads((tmp_path / "me.json").read_text()) == {town.url: "gary"}
    with pytest.raises(InvalidInput):
        me.remember_me(town, "local", "hub")


def test_an_account_is_linked_to_a_connector_or_worker(town):
    accounts.add_user(town, "gary", "connector", None, person_id="gary")
    assert me.my_person(town, "gary") == "gary" and not me.can_remember(town, "gary")
    with pytest.raises(InvalidInput, match="not a connector or worker"):
        accounts.link_person(town, "gary", "ann")
    accounts.link_person(town, "gary", "gary-w")
    assert accounts.person_of(town, "gary") == "gary-w"
    accounts.link_person(town, "gary", None)
    assert me.my_person(town, "gary") is None
    with pytest.raises(InvalidInput):
        me.remember_me(town, "gary", "gary")  # accounts are linked by an admin
