"""A small network with awkward text, and helpers to compare what two stores hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from connector_graph.model import Introduction, Organisation, Person, Tie, Ward
from connector_graph.store import Batch, open_store

def today() -> dt.date:
    """Today's date when asked (a run that crosses midnight must not test yesterday's 'tomorrow')."""
    return dt.date.today()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def network() -> Batch:
    """Two wards, five people, three organisations, ties and introductions.

    Names and outcomes include text a spreadsheet would run as a formula,
    commas, quotes, line breaks and accents, so every format is exercised.
    """
    wards = [Ward(name="Armley", population=26500, deprivation=31.5), Ward(name="Bramley & Stanningley", code="E05011")]
    people = [
        Person(id="con", name="Cath Connor", roles=["connector", "worker"], ward="Armley", skills=["listening"]),
        Person(id="ann", name="Ann \"Nan\" O'Neill", ward="Armley", interests=["gardening", "chess"], gifts=["baking"]),
        Person(id="bob", name="=HYPERLINK(\"http://x\")", ward="Bramley & Stanningley", needs=["company"]),
        Person(id="cyd", name="-Cyd Café", roles=["volunteer"]),
        Person(id="dee", name="Dee, Esq.", ward="Armley"),
    ]
    orgs = [
        Organisation(id="lib", name="Armley Library", kind="library", sector="statutory", ward="Armley", offers=["books", "wifi"]),
        Organisation(id="gar", name="Bramley Garden Club", kind="community_group", sector="voluntary_community",
                     ward="Bramley & Stanningley", spaces=["allotment"]),
        Organisation(id="gp", name="+Hollybush Surgery", kind="gp_practice", sector="health"),
    ]
    ties = [
        Tie(source_id="con", target_id="ann", since=days_ago(400), last_confirmed=days_ago(30), source="walk"),
        Tie(source_id="bob", target_id="con"),
        Tie(source_id="bob", target_id="gar", kind="member_of", since=days_ago(100)),
        Tie(source_id="con", target_id="lib", kind="works_at", source="conversation"),
        Tie(source_id="lib", target_id="gar", kind="partners_with"),
        Tie(source_id="cyd", target_id="gar", kind="volunteers_at"),
    ]
    intros = [
        Introduction(id="i1", introducer_id="con", subject_id="ann", target_id="gar", date=days_ago(40),
                     purposes=["gardening"], outcome="Joined, and brought a friend;\nnow =weekly"),
        Introduction(id="i2", introducer_id="con", subject_id="bob", target_id="lib", date=days_ago(20),
                     channel="phone", status="followed_up", follow_up=days_ago(5)),
        Introduction(id="i3", introducer_id="ann", subject_id="dee", target_id="cyd", date=days_ago(3), status="planned"),
    ]
    return Batch(wards=wards, people=people, organisations=orgs, ties=ties, introductions=intros)


def contents(store: Any) -> dict[str, list]:
    """Everything a store holds, in a fixed order, for comparing two stores."""
    return {
        "wards": sorted(store.list_wards(), key=lambda w: w.name),
        "people": sorted((a for a in store.iter_actors() if a.actor_type == "person"), key=lambda a: a.id),
        "organisations": sorted((a for a in store.iter_actors() if a.actor_type == "organisation"), key=lambda a: a.id),
        "ties": sorted(store.iter_ties(), key=lambda t: t.id),
        "introductions": sorted(store.iter_introductions(), key=lambda i: i.id),
    }


def contents_by_source(store: Any, source: Any) -> dict[str, list]:
    """:func:`contents` of ``store`` under the ids ``source`` had, found through the import's mapping.

    An import gives records ids of its own (``io.source_ids``); this puts the
    source's ids back so the two stores can be compared record by record.
    Every id of ``source`` must be found in ``store``'s mapping.
    """
    from connector_graph.io.source_ids import stored_id
    from connector_graph.model import Tie

    held = contents(source)
    back: dict[str, str] = {}
    for record in (*held["people"], *held["organisations"], *held["introductions"]):
        ours = stored_id(store, record.id)
        if ours is not None:
            back[ours] = record.id
    got = contents(store)

    def old(record_id: str) -> str:
        return back.get(record_id, record_id)

    out = {"wards": got["wards"]}
    for kind in ("people", "organisations"):
        out[kind] = sorted((a.model_copy(update={"id": old(a.id)}) for a in got[kind]), key=lambda a: a.id)
    out["ties"] = sorted(
        (Tie.model_validate({**t.model_dump(exclude={"id"}), "source_id": old(t.source_id), "target_id": old(t.target_id)})
         for t in got["ties"]),
        key=lambda t: t.id,
    )
    out["introductions"] = sorted(
        (i.model_copy(update={k: old(getattr(i, k)) for k in ("id", "introducer_id", "subject_id", "target_id")})
         for i in got["introductions"]),
        key=lambda i: i.id,
    )
    return out


@pytest.fixture
def loaded(store):
    """The shared ``store`` fixture (both backends) holding :func:`network`."""
    store.bulk_load(network())
    return store


@pytest.fixture
def sqlite_store(tmp_path: Path):
    """A second, empty SQLite store."""
    opened = open_store(f"sqlite:///{tmp_path / 'second.db'}")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def make_sqlite(tmp_path: Path):
    """Open further empty SQLite stores by name."""
    opened = []

    def make(name: str):
        s = open_store(f"sqlite:///{tmp_path / (name + '.db')}")
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()
