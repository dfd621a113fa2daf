"""Robust edges: far-future dates, retention at apply time, stores that are missing or damaged,
caches in other processes, exports pseudonymised by default, one-line failures."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from connector_graph import privacy, service
from connector_graph.cli import main
from connector_graph.cli.support import plain_failure
from connector_graph.errors import InvalidInput, StoreUnavailable
from connector_graph.io import transfer
from connector_graph.model import Introduction, from_store
from connector_graph.store import Batch, open_store
from connector_graph.views import directory


@pytest.fixture
def three(store):
    service.add_person(store, "Cath Connector", roles=["connector"], person_id="cath")
    service.add_person(store, "Ann Ahmed", person_id="ann", gifts=["baking"])
    service.add_person(store, "Bob Brown", person_id="bob", consent_withdrawn_on=None)
    return store


def test_an_introduction_planned_more_than_a_year_ahead_is_refused(three):
    with pytest.raises(InvalidInput, match="more than a year ahead"):
        service.log_introduction(three, introducer_id="cath", subject_id="ann", target_id="bob",
                                 status="planned", date=dt.date(9999, 12, 1))
    assert three.counts().introductions == 0


def test_retention_survives_a_stored_far_future_date(three):
    # a record written before the rule existed, read back as stored
    old = from_store(Introduction, {"id": "i-old", "date": "9999-12-01", "introducer_id": "cath",
                                    "subject_id": "ann", "target_id": "bob", "status": "planned"})
    three.bulk_load(Batch(introductions=[old]))
    review = privacy.retention_review(three, months=24)
    assert {i.id for i in review.due} == set()  # nobody is due, and nothing overflowed


def test_retention_checks_each_person_again_when_applied(three):
    past = dt.date.today() - dt.timedelta(days=1)
    three.update_person(three.get_actor("ann").model_copy(update={"retain_until": past}))
    review = privacy.retention_review(three, months=24)
    assert [i.id for i in review.due] == ["ann"]
    # between the review and applying it, Ann's record is kept longer
    three.update_person(three.get_actor("ann").model_copy(update={"retain_until": dt.date(2999, 1, 1)}))
    assert privacy.apply_retention(three, review) == 0
    assert three.get_actor("ann").name == "Ann Ahmed"


def test_a_read_command_on_a_mistyped_path_creates_nothing(tmp_path):
    missing = tmp_path / "typo" / "stroe.db"
    result = CliRunner().invoke(main, ["--store", f"sqlite:///{missing}", "stats"])
    assert result.exit_code == 1 and str(missing) in result.stderr
    assert not missing.exists() and not missing.parent.exists()


def test_writes_into_a_damaged_database_are_refused_and_reads_still_work(tmp_path):
    path = tmp_path / "damaged.db"
    store = open_store(f"sqlite:///{path}")
    for n in range(300):
        service.add_person(store, f"Person {n}", person_id=f"p{n}")
    store.close()
    with open(path, "r+b") as handle:  # scribble over a page in the middle of the actors table
        size = os.path.getsize(path)
        handle.seek((size // 4096 // 2) * 4096 + 100)
        handle.write(b"\xff" * 2000)
    try:
        damaged = open_store(f"sqlite:///{path}")
    except StoreUnavailable:
        return  # damage in the header is refused outright, which is also safe
    try:
        with pytest.raises(StoreUnavailable, match="damaged"):
            service.add_person(damaged, "New Person")
    finally:
        damaged.close()


_OTHER_PROCESS = """
import sys
from connector_graph import service
from connector_graph.auth import acting_as
from connector_graph.store import open_store
with acting_as("other", "admin"):
    store = open_store(sys.argv[1])
    service.erase_actor(store, "ann")
    store.close()
"""


def test_an_erasure_in_another_process_empties_this_process_caches(tmp_path):
    # the other process opens the same SQLite file; the version check is the same code for Neo4j
    three = open_store(f"sqlite:///{tmp_path / 'shared.db'}")
    service.add_person(three, "Ann Ahmed", person_id="ann")
    names = [c.label for c in directory.choices(three)]
    assert any("Ann Ahmed" in n for n in names)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", _OTHER_PROCESS, three.url], check=True, env=env, timeout=600)
    assert not any("Ann Ahmed" in c.label for c in directory.choices(three))
    from connector_graph.views import lists

    assert all("Ann Ahmed" not in repr(v) for k, v in lists._MERGED.items() if k[1] == three.url)
    assert "Ann Ahmed" not in repr({k: v for k, v in lists._CHANGES._held.items() if k[0] == three.url})
    three.close()


def test_cli_exports_are_pseudonymised_by_default_and_named_is_audited(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", url)
    runner = CliRunner()
    runner.invoke(main, ["add-person", "Ann Ahmed", "--gift", "baking", "--id", "ann"])
    runner.invoke(main, ["add-person", "Bob Brown", "--id", "bob"])
    assert runner.invoke(main, ["export", "--format", "csv", str(tmp_path / "p")]).exit_code == 0
    text = (tmp_path / "p" / "people.csv").read_text(encoding="utf-8")
    assert "Ann Ahmed" not in text and "baking" not in text and "ann," not in text
    assert runner.invoke(main, ["export", "--format", "csv", "--named", str(tmp_path / "n")]).exit_code == 0
    assert "Ann Ahmed" in (tmp_path / "n" / "people.csv").read_text(encoding="utf-8")
    store = open_store(url)
    try:
        assert [e.action.value for e in store.list_audit()][-2:] == ["export", "export_named"]
    finally:
        store.close()


def test_pseudonymised_exports_drop_withdrawn_people_and_free_text(three, tmp_path):
    ann = three.get_actor("ann")
    three.update_person(ann.model_copy(update={"consent_given_on": dt.date(2026, 1, 1),
                                               "consent_withdrawn_on": dt.date(2026, 2, 1)}))
    path = transfer.export_file(three, tmp_path / "p.json", "json", pseudonymise=True).paths[0]
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["people"]) == 2  # Ann withdrew
    assert all(not p["gifts"] and not p["needs"] for p in document["people"])
    assert document["erasure_register"] == [] and document["audit_checkpoint"] is None


def test_unplanned_failures_are_one_short_line():
    assert plain_failure(RecursionError("maximum recursion depth exceeded")).startswith("the input is nested")
    message = plain_failure(ValueError("x" * 10_900_000))
    assert len(message) < 400 and "\n" not in message and "ValueError" not in message


def test_the_whole_file_is_checked_once_before_the_first_write_not_at_open(tmp_path):
    """Reading commands do not wait for the page-by-page check; the first write of a process does, once."""
    url = f"sqlite:///{tmp_path / 'checked.db'}"
    store = open_store(url)
    service.add_person(store, "Ann Example", person_id="ann")
    store.close()
    store = open_store(url)
    seen: list[str] = []
    store._conn.set_trace_callback(seen.append)
    try:
        assert store.counts().people == 1
        assert not any("quick_check" in s for s in seen)
        service.add_person(store, "Bea Example", person_id="bea")
        service.add_person(store, "Cal Example", person_id="cal")
        assert sum("quick_check" in s for s in seen) == 1
    finally:
        store.close()
