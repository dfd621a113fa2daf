"""One contract, both backends: every case runs on SQLite and on a real Neo4j."""

from __future__ import annotations

import datetime as dt

import pytest

from connector_graph import service
from connector_graph.errors import Duplicate, InvalidInput, NotFound, StoreUnavailable
from connector_graph.model import (
    Introduction,
    IntroStatus,
    Organisation,
    Person,
    Tie,
    Ward,
    build,
)
from connector_graph.store import Batch, IntroductionFilter, open_store

def today() -> dt.date:
    """Today's date when asked (a run that crosses midnight must not test yesterday's 'tomorrow')."""
    return dt.date.today()
D = dt.timedelta


def person(pid: str, name: str, **kw) -> Person:
    return build(Person, id=pid, name=name, **kw)


def org(oid: str, name: str, sector: str = "voluntary_community", **kw) -> Organisation:
    return build(Organisation, id=oid, name=name, sector=sector, **kw)


def intro(iid: str, by: str, subject: str, to: str, days_ago: int = 10, **kw) -> Introduction:
    return build(
        Introduction, id=iid, introducer_id=by, subject_id=subject, target_id=to, date=today() - D(days=days_ago), **kw
    )


@pytest.fixture
def small(store):
    """A connector, three residents in two wards, two organisations, ties and introductions."""
    store.add_person(person("con", "Cath Connector", roles=["connector"], ward="Armley"))
    store.add_person(person("ann", "Ann Ahmed", ward="Armley", interests=["gardening"]))
    store.add_person(person("bob", "Bob Baker", ward="Bramley & Stanningley"))
    store.add_person(person("cyd", "Cyd Carter", ward="Armley"))
    store.add_organisation(org("lib", "Armley Library", sector="statutory", kind="library", ward="Armley"))
    store.add_organisation(org("gar", "Bramley Garden Club", kind="community_group", ward="Bramley & Stanningley"))
    store.add_tie(build(Tie, source_id="con", target_id="ann"))
    store.add_tie(build(Tie, source_id="con", target_id="bob"))
    store.add_tie(build(Tie, source_id="bob", target_id="gar", kind="member_of"))
    store.add_introduction(intro("i1", "con", "ann", "gar", days_ago=40, purposes=["gardening"]))
    store.add_introduction(intro("i2", "con", "bob", "lib", days_ago=20))
    store.add_introduction(intro("i3", "bob", "cyd", "lib", days_ago=5, status="planned"))
    return store


# ------------------------------------------------------------------ basics


def test_empty_store_counts_zero(store):
    counts = store.counts()
    assert (counts.people, counts.organisations, counts.ties, counts.introductions) == (0, 0, 0, 0)
    assert isinstance(store.graph_version(), int)


def test_person_round_trip(store):
    p = person("p1", "Ana Lopez", ward="Armley", roles=["volunteer", "resident"], gifts=["cooking"], needs=["company"])
    store.add_person(p)
    assert store.get_actor("p1") == p


def test_organisation_round_trip(store):
    o = org("o1", "Armley Hub", kind="community_centre", ward="Armley", offers=["lunch club"], spaces=["hall"])
    store.add_organisation(o)
    got = store.get_actor("o1")
    assert got == o and got.actor_type == "organisation"


def test_add_person_twice_is_idempotent(store):
    p = person("p1", "Ana")
    store.add_person(p)
    version = store.graph_version()
    store.add_person(p)
    assert store.counts().people == 1
    assert store.graph_version() == version


def test_different_person_same_id_is_duplicate_and_changes_nothing(store):
    store.add_person(person("p1", "Ana"))
    with pytest.raises(Duplicate, match="p1"):
        store.add_person(person("p1", "Someone Else"))
    assert store.get_actor("p1").name == "Ana"


def test_organisation_cannot_take_a_person_id(store):
    store.add_person(person("x1", "Ana"))
    with pytest.raises(Duplicate, match="person"):
        store.add_organisation(org("x1", "Club"))
    assert store.counts().organisations == 0


def test_update_person_replaces_details_and_moves_version(store):
    store.add_person(person("p1", "Ana", ward="Armley"))
    version = store.graph_version()
    store.update_person(person("p1", "Ana Lopez", ward="Kirkstall", skills=["cycling"]))
    got = store.get_actor("p1")
    assert (got.name, got.ward, got.skills) == ("Ana Lopez", "Kirkstall", ["cycling"])
    assert store.graph_version() > version
    assert [a.id for a in store.search_actors("lopez")] == ["p1"]


def test_update_organisation(store):
    store.add_organisation(org("o1", "Club"))
    store.update_organisation(org("o1", "Club", offers=["chess"]))
    assert store.get_actor("o1").offers == ["chess"]


def test_update_missing_person_is_not_found(store):
    with pytest.raises(NotFound, match="nobody"):
        store.update_person(person("nobody", "Ghost"))
    assert store.counts().people == 0


def test_update_person_with_an_organisation_id_is_not_found(store):
    store.add_organisation(org("o1", "Club"))
    with pytest.raises(NotFound):
        store.update_person(person("o1", "Club"))
    assert store.get_actor("o1").actor_type == "organisation"


def test_get_unknown_actor_is_not_found(store):
    with pytest.raises(NotFound, match="missing"):
        store.get_actor("missing")


def test_store_rejects_wrong_model_type(store):
    with pytest.raises(InvalidInput):
        store.add_person(org("o1", "Club"))


# ---------------------------------------------------------- listing, search


def test_list_people_ordered_by_name_with_ward_filter_and_paging(small):
    assert [p.id for p in small.list_people()] == ["ann", "bob", "con", "cyd"]
    assert [p.id for p in small.list_people(ward="Armley")] == ["ann", "con", "cyd"]
    assert [p.id for p in small.list_people(limit=2, offset=1)] == ["bob", "con"]
    assert small.list_people(ward="Nowhere") == []


def test_list_organisations(small):
    assert [o.id for o in small.list_organisations()] == ["lib", "gar"]
    assert [o.id for o in small.list_organisations(ward="Armley")] == ["lib"]


def test_negative_paging_is_invalid(small):
    with pytest.raises(InvalidInput):
        small.list_people(limit=-1)
    with pytest.raises(InvalidInput):
        small.list_organisations(offset=-3)


def test_search_is_case_insensitive_and_puts_prefix_matches_first(small):
    found = [a.id for a in small.search_actors("ARMLEY")]
    assert found == ["lib"]
    # names starting with the text come first, then the rest, each by name
    assert [a.id for a in small.search_actors("b")] == ["bob", "gar", "lib"]


def test_search_treats_wildcards_literally(store):
    store.add_person(person("p1", "100% Volunteer"))
    store.add_person(person("p2", "Plain Name"))
    assert [a.id for a in store.search_actors("%")] == ["p1"]
    assert store.search_actors("_") == []
    assert store.search_actors("   ") == []


def test_search_matches_normalised_unicode(store):
    store.add_person(person("p1", "Zoe\u0301 Caf\u00e9"))
    assert [a.id for a in store.search_actors("ZOÉ")] == ["p1"]
    assert [a.id for a in store.search_actors("cafe\u0301")] == ["p1"]


def test_search_limit(small):
    assert len(small.search_actors("a", limit=2)) == 2
    assert small.search_actors("a", limit=0) == []


# --------------------------------------------------------------------- ties


def test_tie_round_trip(store):
    store.add_person(person("a", "A"))
    store.add_person(person("b", "B"))
    t = build(Tie, source_id="a", target_id="b", since=today() - D(days=400), last_confirmed=today() - D(days=3), source="walk")
    store.add_tie(t)
    assert store.list_ties() == [t]


def test_symmetric_tie_from_either_end_is_one_tie(store):
    store.add_person(person("a", "A"))
    store.add_person(person("b", "B"))
    store.add_tie(build(Tie, source_id="a", target_id="b"))
    version = store.graph_version()
    store.add_tie(build(Tie, source_id="b", target_id="a"))
    assert store.counts().ties == 1
    assert store.graph_version() == version


def test_directed_ties_of_different_kinds_are_different(store):
    store.add_person(person("a", "A"))
    store.add_organisation(org("o", "O"))
    store.add_tie(build(Tie, source_id="a", target_id="o", kind="member_of"))
    store.add_tie(build(Tie, source_id="a", target_id="o", kind="volunteers_at"))
    assert sorted(t.kind.value for t in store.list_ties("a")) == ["member_of", "volunteers_at"]


def test_recording_a_tie_again_refreshes_its_details(store):
    store.add_person(person("a", "A"))
    store.add_person(person("b", "B"))
    store.add_tie(build(Tie, source_id="a", target_id="b", last_confirmed=today() - D(days=500)))
    store.add_tie(build(Tie, source_id="a", target_id="b", last_confirmed=today()))
    (tie,) = store.list_ties()
    assert tie.last_confirmed == today()


def test_tie_confirmations_keep_every_date_a_tie_held(store):
    store.bulk_load(Batch(people=[person("a", "Ann"), person("b", "Bob"), person("c", "Cyd")],
                          ties=[Tie(source_id="a", target_id="b", last_confirmed=today() - D(days=300)),
                                Tie(source_id="a", target_id="c", last_confirmed=today() - D(days=200))]))
    ab, ac = Tie(source_id="a", target_id="b").id, Tie(source_id="a", target_id="c").id
    assert store.tie_confirmations() == {}
    store.add_tie(Tie(source_id="a", target_id="b", last_confirmed=today() - D(days=100)))
    store.add_tie(Tie(source_id="a", target_id="b", last_confirmed=today() - D(days=100), weight=2))  # same date
    store.bulk_load(Batch(ties=[Tie(source_id="a", target_id="c", last_confirmed=today() - D(days=5))]))
    assert store.tie_confirmations() == {ab: [today() - D(days=300), today() - D(days=100)],
                                         ac: [today() - D(days=200), today() - D(days=5)]}
    store.add_tie(Tie(source_id="a", target_id="b"))  # cleared: the dates it held stay known
    assert store.tie_confirmations()[ab] == [today() - D(days=300), today() - D(days=100)]
    assert [t.last_confirmed for t in store.list_ties("b")] == [None]  # and the tie reads back as written
    store.erase_actor("c")
    assert list(store.tie_confirmations()) == [ab]


def test_tie_to_unknown_actor_is_not_found_and_writes_nothing(store):
    store.add_person(person("a", "A"))
    version = store.graph_version()
    with pytest.raises(NotFound, match="ghost"):
        store.add_tie(build(Tie, source_id="a", target_id="ghost"))
    assert store.counts().ties == 0
    assert store.graph_version() == version


def test_list_ties_of_one_actor(small):
    assert {(t.source_id, t.target_id) for t in small.list_ties("bob")} == {("bob", "con"), ("bob", "gar")}
    assert small.list_ties("lib") == []


# ------------------------------------------------------------ introductions


def test_introduction_round_trip(store):
    store.add_person(person("c", "C", roles=["connector"]))
    store.add_person(person("s", "S"))
    store.add_organisation(org("o", "O"))
    i = intro(
        "i1", "c", "s", "o", purposes=["company", "food"], channel="phone", follow_up=today() + D(days=14),
        outcome="Went along on Tuesday",
    )
    store.add_introduction(i)
    assert store.get_introduction("i1") == i
    assert store.list_introductions() == [i]


def test_logging_an_introduction_twice_is_idempotent(small):
    before = small.counts().introductions
    small.add_introduction(intro("i1", "con", "ann", "gar", days_ago=40, purposes=["gardening"]))
    assert small.counts().introductions == before


def test_different_introduction_same_id_is_duplicate(small):
    with pytest.raises(Duplicate, match="i1"):
        small.add_introduction(intro("i1", "con", "cyd", "lib"))
    assert small.get_introduction("i1").subject_id == "ann"


def test_introduction_to_unknown_actor_is_not_found_and_writes_nothing(small):
    before, version = small.counts(), small.graph_version()
    with pytest.raises(NotFound, match="nobody"):
        small.add_introduction(intro("i9", "con", "ann", "nobody"))
    assert small.counts() == before
    assert small.graph_version() == version


def test_update_introduction_records_outcome(small):
    updated = small.get_introduction("i2").model_copy(update={"status": IntroStatus.FOLLOWED_UP, "outcome": "joined"})
    small.update_introduction(updated)
    got = small.get_introduction("i2")
    assert (got.status, got.outcome) == (IntroStatus.FOLLOWED_UP, "joined")


def test_update_missing_introduction_is_not_found(small):
    with pytest.raises(NotFound, match="i404"):
        small.update_introduction(intro("i404", "con", "ann", "lib"))


def test_update_cannot_change_who_was_introduced(small):
    with pytest.raises(InvalidInput, match="cannot be changed"):
        small.update_introduction(intro("i1", "con", "cyd", "gar", days_ago=40))
    assert small.get_introduction("i1").subject_id == "ann"


def test_get_unknown_introduction_is_not_found(store):
    with pytest.raises(NotFound):
        store.get_introduction("nope")


def test_list_introductions_newest_first_and_by_date_range(small):
    assert [i.id for i in small.list_introductions()] == ["i3", "i2", "i1"]
    window = IntroductionFilter(since=today() - D(days=30), until=today() - D(days=10))
    assert [i.id for i in small.list_introductions(window)] == ["i2"]
    assert [i.id for i in small.list_introductions(IntroductionFilter(since=today() - D(days=20)))] == ["i3", "i2"]


def test_list_introductions_by_introducer_ward_status_actor_and_limit(small):
    assert [i.id for i in small.list_introductions(IntroductionFilter(introducer_id="bob"))] == ["i3"]
    # ward matches the person introduced or who they met
    assert [i.id for i in small.list_introductions(IntroductionFilter(ward="Bramley & Stanningley"))] == ["i2", "i1"]
    assert [i.id for i in small.list_introductions(IntroductionFilter(ward="Armley"))] == ["i3", "i2", "i1"]
    assert [i.id for i in small.list_introductions(IntroductionFilter(status=IntroStatus.PLANNED))] == ["i3"]
    assert [i.id for i in small.list_introductions(IntroductionFilter(actor_id="lib"))] == ["i3", "i2"]
    assert [i.id for i in small.list_introductions(IntroductionFilter(limit=1))] == ["i3"]
    assert small.list_introductions(IntroductionFilter(introducer_id="con", ward="Nowhere")) == []


def test_empty_date_range_is_invalid():
    with pytest.raises(InvalidInput, match="empty"):
        IntroductionFilter(since=today(), until=today() - D(days=1))


# ------------------------------------------------------------------ erasure


def test_erase_removes_actor_ties_and_introductions(small):
    report = small.erase_actor("bob")
    assert (report.ties, report.introductions) == (2, 2)
    with pytest.raises(NotFound):
        small.get_actor("bob")
    assert [i.id for i in small.list_introductions()] == ["i1"]
    assert [(t.source_id, t.target_id) for t in small.list_ties()] == [("ann", "con")]
    counts = small.counts()
    assert (counts.people, counts.organisations, counts.ties, counts.introductions) == (3, 2, 1, 1)


def test_erase_unknown_actor_is_not_found(small):
    before = small.counts()
    with pytest.raises(NotFound):
        small.erase_actor("nobody")
    assert small.counts() == before


def test_erased_name_is_not_searchable(small):
    small.erase_actor("cyd")
    assert small.search_actors("cyd") == []
    assert "cyd" not in {a.id for a in small.iter_actors()}


# -------------------------------------------------------------------- wards


def test_wards_add_replace_and_list(store):
    store.add_wards([build(Ward, name="Armley", population=26000), build(Ward, name="Adel & Wharfedale")])
    store.add_wards([build(Ward, name="Armley", population=27000)])
    assert [(w.name, w.population) for w in store.list_wards()] == [("Adel & Wharfedale", None), ("Armley", 27000)]
    assert store.counts().wards == 2


def test_service_checks_wards_against_the_store(store):
    store.add_wards([build(Ward, name="Armley"), build(Ward, name="Kirkstall")])
    assert service.add_person(store, "Ana", ward="armley").ward == "Armley"
    with pytest.raises(InvalidInput, match="Kirkstall"):
        service.add_person(store, "Ben", ward="Kirkstal")
    assert store.counts().people == 1


# ------------------------------------------------------- bulk and streaming


def _batch() -> Batch:
    people = [person(f"p{n:03d}", f"Person {n}", ward="Armley" if n % 2 else "Kirkstall") for n in range(60)]
    orgs = [org(f"o{n:02d}", f"Org {n}", kind="charity") for n in range(6)]
    ties = [build(Tie, source_id=f"p{n:03d}", target_id=f"p{n + 1:03d}") for n in range(59)]
    ties += [build(Tie, source_id=f"p{n:03d}", target_id=f"o{n % 6:02d}", kind="attends") for n in range(0, 60, 3)]
    intros = [intro(f"i{n:03d}", "p000", f"p{n + 1:03d}", f"o{n % 6:02d}", days_ago=n) for n in range(40)]
    return Batch(wards=[build(Ward, name="Armley"), build(Ward, name="Kirkstall")], people=people,
                 organisations=orgs, ties=ties, introductions=intros)


def test_bulk_load_and_stream_everything_back(store):
    batch = _batch()
    loaded = []
    store.bulk_load(batch, loaded.append)
    assert sum(loaded) == len(batch)
    counts = store.counts()
    assert (counts.people, counts.organisations, counts.ties, counts.introductions, counts.wards) == (60, 6, 79, 40, 2)
    assert sorted(store.iter_actors(), key=lambda a: a.id) == sorted(batch.people + batch.organisations, key=lambda a: a.id)
    assert sorted(store.iter_ties(), key=lambda t: t.id) == sorted(batch.ties, key=lambda t: t.id)
    assert sorted(store.iter_introductions(), key=lambda i: i.id) == sorted(batch.introductions, key=lambda i: i.id)


def test_bulk_load_twice_changes_nothing(store):
    store.bulk_load(_batch())
    first = store.counts()
    store.bulk_load(_batch())
    assert store.counts() == first


def test_bulk_load_with_unknown_reference_loads_nothing(store):
    batch = _batch()
    batch.ties.append(build(Tie, source_id="p000", target_id="stranger"))
    with pytest.raises(NotFound, match="stranger"):
        store.bulk_load(batch)
    assert store.counts().people == 0


def test_existing_ids(small):
    assert small.existing_ids(["ann", "lib", "zzz", "ann"]) == {"ann", "lib"}
    assert small.existing_ids([]) == set()


# ------------------------------------------------ versions and persistence


def test_graph_version_moves_on_every_kind_of_write(store):
    seen = [store.graph_version()]

    def step(action):
        action()
        seen.append(store.graph_version())
        assert seen[-1] > seen[-2], action

    step(lambda: store.add_person(person("a", "A")))
    step(lambda: store.add_organisation(org("o", "O")))
    step(lambda: store.update_person(person("a", "A2")))
    step(lambda: store.add_tie(build(Tie, source_id="a", target_id="o", kind="attends")))
    store.add_person(person("b", "B"))
    step(lambda: store.add_introduction(intro("i", "a", "b", "o")))
    step(lambda: store.update_introduction(intro("i", "a", "b", "o", outcome="met")))
    step(lambda: store.add_wards([build(Ward, name="Armley")]))
    step(lambda: store.erase_actor("b"))


def test_data_survives_reopening(any_store_url):
    first = open_store(any_store_url)
    first.add_person(person("p1", "Ana"))
    first.close()
    second = open_store(any_store_url)
    try:
        assert second.get_actor("p1").name == "Ana"
    finally:
        second.close()


@pytest.mark.parametrize(
    "hostile",
    [
        "Robert'); DROP TABLE actors;--",
        "x\"}) MATCH (n) DETACH DELETE n //",
        "<script>alert(1)</script>",
        "名前 🌱 Ünïcödé",
    ],
)
def test_hostile_text_is_stored_as_plain_text(store, hostile):
    store.add_person(person("p1", hostile, gifts=[hostile[:40]]))
    store.add_person(person("p2", "Bystander"))
    got = store.get_actor("p1")
    assert got.name == hostile and got.gifts == [hostile[:40].casefold()]
    assert store.counts().people == 2


def test_longest_allowed_values_round_trip(store):
    p = person("p" * 64, "N" * 120, gifts=[f"{n:02d}" + "g" * 38 for n in range(30)])
    store.add_person(p)
    assert store.get_actor("p" * 64) == p


def test_control_characters_never_reach_the_store(store):
    store.add_person(person("p1", "An\x00a\u202e\x1b[31m Lopez"))
    assert store.get_actor("p1").name == "An a [31m Lopez"


# ----------------------------------------------------------- unavailability


def test_sqlite_file_that_is_not_a_database_is_unavailable(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable, match="not a connector_graph database"):
        open_store(f"sqlite:///{bad}")
    assert bad.read_bytes().startswith(b"this is not a database")


def test_sqlite_path_that_is_a_folder_is_unavailable(tmp_path):
    with pytest.raises(StoreUnavailable):
        open_store(f"sqlite:///{tmp_path}")


@pytest.mark.neo4j
def test_unreachable_neo4j_is_unavailable():
    with pytest.raises(StoreUnavailable, match="not reachable"):
        open_store("bolt://127.0.0.1:9")


def test_unknown_store_scheme_is_invalid():
    with pytest.raises(InvalidInput, match="unknown store URL"):
        open_store("postgres://localhost/db")


def test_privacy_fields_round_trip(store):
    p = person(
        "p1", "Ann", needs=["low mood"], article9_condition="explicit_consent", lawful_basis="consent",
        consent_given_on=today() - D(days=30), consent_method="written", consent_recorded_by="cath",
        consent_withdrawn_on=today(), restricted=True, retain_until=today() + D(days=365),
    )
    store.add_person(p)
    assert store.get_actor("p1") == p
    assert next(store.iter_actors()) == p
