"""As of a date: nothing from later leaks in (ties, confirmations, introduction statuses, outcomes, overdue)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from connector_graph.analysis.report import analyse_store
from connector_graph.graph import build_graph
from connector_graph.model import IntroStatus
from connector_graph.store import Batch, open_store

from .helpers import intro, org, person, tie

D = dt.date(2025, 6, 1)
def today() -> dt.date:
    """Today's date when asked (a run that crosses midnight must not test yesterday's 'tomorrow')."""
    return dt.date.today()


@pytest.fixture
def changing(store):
    """A network whose facts change after D: confirmations, statuses, outcomes, new ties and introductions."""
    store.bulk_load(
        Batch(
            people=[person("con", "Con", roles=["connector"]), person("ann", "Ann"), person("bob", "Bob"),
                    person("cyd", "Cyd")],
            organisations=[org("gar", "Garden")],
            ties=[
                tie("ann", "con", since=dt.date(2024, 1, 1), last_confirmed=today() - dt.timedelta(days=10)),
                tie("bob", "con", since=dt.date(2025, 9, 1)),
                tie("cyd", "con", since=dt.date(2023, 1, 1)),
            ],
            introductions=[
                intro("i1", "con", "ann", "gar", day=dt.date(2025, 1, 10), status="made", follow_up=dt.date(2025, 2, 1)),
                intro("i2", "con", "bob", "gar", day=dt.date(2025, 3, 1), status="planned"),
                intro("i3", "con", "cyd", "gar", day=dt.date(2025, 8, 1), status="made"),
            ],
        )
    )
    # After D: i1 is followed up with an outcome, i2 finally happens.
    i1, i2 = store.get_introduction("i1"), store.get_introduction("i2")
    store.update_introduction(i1.model_copy(update={"status": IntroStatus.FOLLOWED_UP, "outcome": "joined the garden"}))
    store.update_introduction(i2.model_copy(update={"status": IntroStatus.MADE}))
    return store


def test_history_of_status_changes_is_kept(changing):
    history = changing.introduction_history()
    assert sorted(history) == ["i1", "i2"]
    assert [(c.day, c.status.value, c.outcome) for c in history["i1"]] == [
        (dt.date(2025, 1, 10), "made", None), (today(), "followed_up", "joined the garden")]
    assert [(c.day, c.status.value) for c in history["i2"]] == [(dt.date(2025, 3, 1), "planned"), (today(), "made")]
    # A change that leaves status and outcome alone adds nothing.
    i3 = changing.get_introduction("i3")
    changing.update_introduction(i3.model_copy(update={"purposes": ["gardening"]}))
    assert "i3" not in changing.introduction_history()
    # Erasing a person removes their introductions' history with them.
    changing.erase_actor("ann")
    assert sorted(changing.introduction_history()) == ["i2"]


def test_the_graph_as_it_stood(changing):
    then, now = build_graph(changing, as_of=D), build_graph(changing)
    assert not then.has_edge("bob", "gar") and now.has_edge("bob", "gar")  # i2 was only planned on D
    assert not then.has_edge("cyd", "gar") and now.has_edge("cyd", "gar")  # i3 came later
    assert not then.has_edge("con", "bob") and now.has_edge("con", "bob")  # i2 was only planned on D; the tie began later
    assert then.nodes["con"]["introductions_made"] == 1  # only i1 had happened by D
    assert now.nodes["con"]["introductions_made"] == 3


def test_the_report_as_it_stood(changing):
    then = analyse_store(changing, as_of=D, top=50)
    now = analyse_store(changing, top=50)
    con_then = next(c for c in then["connectors"] if c["id"] == "con")
    assert con_then["introductions"] == 1
    stale_then = {frozenset((s["source_id"], s["target_id"])) for s in then["gaps"]["stale_ties"]["items"]}
    stale_now = {frozenset((s["source_id"], s["target_id"])) for s in now["gaps"]["stale_ties"]["items"]}
    # Confirmed after D: on D it had last been seen when it began (17 months before).
    assert {"ann", "con"} in stale_then and {"ann", "con"} not in stale_now
    assert {"cyd", "con"} in stale_then and {"cyd", "con"} in stale_now
    assert not any("bob" in pair for pair in stale_then)  # that tie began after D
    overdue_then = {o["introduction_id"]: o for o in then["gaps"]["overdue_follow_ups"]["items"]}
    assert overdue_then["i1"]["days_overdue"] == (D - dt.date(2025, 2, 1)).days and overdue_then["i1"]["status"] == "made"
    assert "i1" not in {o["introduction_id"] for o in now["gaps"]["overdue_follow_ups"]["items"]}


def test_old_sqlite_files_gain_the_history_table(tmp_path):
    path = tmp_path / "old.db"
    store = open_store(f"sqlite:///{path}")
    store.bulk_load(Batch(people=[person("con", roles=["connector"]), person("ann"), person("bob")],
                          introductions=[intro("i1", "con", "ann", "bob", status="planned")]))
    store.close()
    with sqlite3.connect(path) as conn:  # as a file written before the history existed
        conn.execute("DROP TABLE introduction_history")
    store = open_store(f"sqlite:///{path}")
    try:
        assert store.introduction_history() == {}
        store.update_introduction(store.get_introduction("i1").model_copy(update={"status": IntroStatus.MADE}))
        assert [c.status.value for c in store.introduction_history()["i1"]] == ["planned", "made"]
    finally:
        store.close()


# ------------------------------------------------------------------ tie confirmations as known then


@pytest.fixture
def reconfirmed(store):
    """Ties whose confirmations change after D: each later confirmation is written over the earlier one."""
    store.bulk_load(
        Batch(
            people=[person("con", "Con", roles=["connector"]), person("ann", "Ann"), person("bob", "Bob"),
                    person("cyd", "Cyd"), person("dee", "Dee")],
            ties=[
                tie("ann", "con", since=dt.date(2023, 1, 1), last_confirmed=dt.date(2024, 3, 1)),
                tie("bob", "con", since=dt.date(2023, 1, 1), last_confirmed=dt.date(2024, 2, 1)),
                tie("cyd", "con", since=dt.date(2023, 1, 1)),
                tie("dee", "con", since=dt.date(2025, 1, 1), last_confirmed=dt.date(2025, 2, 1)),
            ],
        )
    )
    # Ann-Con: confirmed again before D (2025-05-01), then after it, one at a time.
    store.add_tie(tie("ann", "con", since=dt.date(2023, 1, 1), last_confirmed=dt.date(2025, 5, 1)))
    store.add_tie(tie("ann", "con", since=dt.date(2023, 1, 1), last_confirmed=today() - dt.timedelta(days=10)))
    # Bob-Con and Cyd-Con: confirmed only after D, by an import.
    store.bulk_load(Batch(ties=[tie("bob", "con", since=dt.date(2023, 1, 1), last_confirmed=today() - dt.timedelta(days=5)),
                                tie("cyd", "con", since=dt.date(2023, 1, 1), last_confirmed=today() - dt.timedelta(days=5))]))
    return store


def tie_id(store, a, b):
    return next(t.id for t in store.list_ties() if {t.source_id, t.target_id} == {a, b})


def test_every_confirmation_is_kept_with_its_date(reconfirmed):
    kept = reconfirmed.tie_confirmations()
    ann, bob, cyd, dee = (tie_id(reconfirmed, x, "con") for x in ("ann", "bob", "cyd", "dee"))
    assert kept[ann] == [dt.date(2024, 3, 1), dt.date(2025, 5, 1), today() - dt.timedelta(days=10)]
    assert kept[bob] == [dt.date(2024, 2, 1), today() - dt.timedelta(days=5)]
    assert cyd not in kept and dee not in kept  # never changed from a date: last_confirmed is their only one
    # Writing a tie again with the same confirmation (or another field changed) adds nothing.
    reconfirmed.add_tie(tie("dee", "con", since=dt.date(2025, 1, 1), last_confirmed=dt.date(2025, 2, 1), weight=2))
    assert dee not in reconfirmed.tie_confirmations()
    reconfirmed.add_tie(tie("ann", "con", since=dt.date(2023, 1, 1), last_confirmed=today() - dt.timedelta(days=10),
                            weight=3))
    assert reconfirmed.tie_confirmations()[ann] == kept[ann]
    assert [t.last_confirmed for t in reconfirmed.list_ties() if t.id == ann] == [today() - dt.timedelta(days=10)]
    # Erasing a person removes their ties' confirmations with them.
    reconfirmed.erase_actor("ann")
    assert sorted(reconfirmed.tie_confirmations()) == [bob]


def test_stale_ties_as_of_use_the_confirmations_known_then(reconfirmed):
    def stale(report):
        return {frozenset((s["source_id"], s["target_id"])): s for s in report["gaps"]["stale_ties"]["items"]}

    then, now = stale(analyse_store(reconfirmed, as_of=D, top=50)), stale(analyse_store(reconfirmed, top=50))
    assert set(now) <= {frozenset(("dee", "con"))}  # the others were confirmed days ago
    # On D, Ann-Con had last been confirmed on 2025-05-01 (its later confirmation was not known yet): not stale.
    assert frozenset(("ann", "con")) not in then
    # Bob-Con: confirmed on 2024-02-01, then only after D: stale on D, last seen on its earlier confirmation.
    assert then[frozenset(("bob", "con"))]["last_seen"] == "2024-02-01"
    # Cyd-Con: first confirmed after D: on D it had last been seen when it began.
    assert then[frozenset(("cyd", "con"))]["last_seen"] == "2023-01-01"
    assert frozenset(("dee", "con")) not in then  # confirmed 2025-02-01, before D


def test_old_sqlite_files_gain_the_confirmation_history(tmp_path):
    path = tmp_path / "old.db"
    store = open_store(f"sqlite:///{path}")
    store.bulk_load(Batch(people=[person("con", roles=["connector"]), person("ann")],
                          ties=[tie("ann", "con", last_confirmed=dt.date(2025, 1, 1))]))
    store.close()
    with sqlite3.connect(path) as conn:  # as a file written before confirmations were kept
        conn.execute("DROP TRIGGER ties_keep_confirmations")
        conn.execute("DROP TABLE tie_confirmations")
    store = open_store(f"sqlite:///{path}")
    try:
        assert store.tie_confirmations() == {}
        store.add_tie(tie("ann", "con", last_confirmed=dt.date(2025, 9, 1)))
        assert list(store.tie_confirmations().values()) == [[dt.date(2025, 1, 1), dt.date(2025, 9, 1)]]
    finally:
        store.close()
