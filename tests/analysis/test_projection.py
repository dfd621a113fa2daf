"""The columnar projection: columns read in one query per table, arrays, the cache file, erasure, --no-cache.

Each behaviour runs on both backends. The columns are checked against the
model objects the same store streams (``iter_actors`` and friends), an
independent road to the same data.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from click.testing import CliRunner

from connector_graph import service
from connector_graph.analysis import asof
from connector_graph.analysis.projection import (
    FORMAT,
    introduction_records,
    load_projection,
    select,
    tie_records,
)
from connector_graph.cli import main
from connector_graph.graph import build_graph
from connector_graph.model import Person, Tie
from connector_graph.seed import generate
from connector_graph.store import open_store
from connector_graph.store.columns import projection_cache_file

TODAY = dt.date(2026, 1, 1)


def cache_file(store):
    return projection_cache_file(store.url, getattr(store, "_database", None))


@pytest.fixture
def city(store):
    """A small seeded city with some people restricted and some who withdrew consent."""
    batch = generate(300, seed=5, today=TODAY)
    changed = []
    for i, p in enumerate(batch.people):
        if i % 37 == 0:
            p = p.model_copy(update={"restricted": True})
        elif i % 41 == 0:
            p = p.model_copy(update={"consent_withdrawn_on": TODAY - dt.timedelta(days=3)})
        changed.append(p)
    batch.people = changed
    store.bulk_load(batch)
    return store


def _iso(day):
    return None if day is None else day.isoformat()


def test_columns_hold_what_the_records_hold(city):
    columns = city.read_columns()
    assert columns.version == city.graph_version()
    n_actors, n_ties, n_intros = columns.lengths()
    actors = {a.id: a for a in city.iter_actors()}
    assert n_actors == len(actors) and columns.actor_id == sorted(actors)
    for i, actor_id in enumerate(columns.actor_id):
        a = actors[actor_id]
        is_org = a.actor_type == "organisation"
        assert (columns.actor_type[i], columns.name[i], columns.ward[i]) == (a.actor_type, a.name, a.ward)
        assert columns.sector[i] == (a.sector.value if is_org else None)
        assert columns.kind[i] == (a.kind.value if is_org else None)
        assert sorted(columns.roles[i]) == ([] if is_org else sorted(r.value for r in a.roles))
        assert columns.in_analysis[i] == (True if is_org else a.in_analysis)
    assert not all(columns.in_analysis)  # the fixture's restricted and withdrawn people are seen
    ties = {t.id: t for t in city.iter_ties()}
    assert n_ties == len(ties) > 0
    for i, tie_id in enumerate(columns.tie_id):
        t = ties[tie_id]
        assert (columns.tie_source[i], columns.tie_target[i], columns.tie_kind[i]) == (t.source_id, t.target_id, t.kind.value)
        assert (columns.tie_since[i], columns.tie_last_confirmed[i]) == (_iso(t.since), _iso(t.last_confirmed))
        assert columns.tie_weight[i] == float(getattr(t, "weight", 1.0))
    intros = {i.id: i for i in city.iter_introductions()}
    assert n_intros == len(intros) > 0
    for k, intro_id in enumerate(columns.intro_id):
        i = intros[intro_id]
        assert (columns.intro_introducer[k], columns.intro_subject[k], columns.intro_target[k]) == (
            i.introducer_id, i.subject_id, i.target_id)
        assert (columns.intro_date[k], columns.intro_status[k]) == (i.date.isoformat(), i.status.value)
        assert (columns.intro_follow_up[k], columns.intro_has_outcome[k]) == (_iso(i.follow_up), bool(i.outcome))


def test_report_records_match_the_models(city):
    selection = select(load_projection(city), as_of=dt.date(2025, 6, 1))
    kept = set(selection.projection.ids[selection.actors].tolist())
    expected_ties = sorted(  # as they stood on the day: a later confirmation was not known then
        (t.id, t.source_id, t.target_id, t.kind, t.since, t.last_confirmed)
        for t in asof.ties_as_of(city.iter_ties(), dt.date(2025, 6, 1))
        if t.source_id in kept and t.target_id in kept
    )
    assert sorted(tuple(r) for r in tie_records(selection)) == expected_ties
    expected_intros = sorted(
        (i.id, i.introducer_id, i.subject_id, i.target_id, i.date, i.status, i.follow_up, bool(i.outcome))
        for i in city.iter_introductions()
        if i.date <= dt.date(2025, 6, 1) and {i.introducer_id, i.subject_id, i.target_id} & kept
    )
    assert sorted(tuple(r) for r in introduction_records(selection)) == expected_intros
    assert len(expected_intros) > 0 and len(expected_ties) > 0


def test_the_projection_is_cached_on_disk_by_graph_version(city):
    path = cache_file(city)
    path.unlink(missing_ok=True)
    first = load_projection(city)
    assert path.exists()
    stamp = path.stat().st_mtime_ns
    with np.load(path, allow_pickle=False) as data:  # a plain file: no pickled objects in it
        assert int(data["format"]) == FORMAT and int(data["version"]) == city.graph_version()
    again = load_projection(city)
    assert path.stat().st_mtime_ns == stamp  # read, not rewritten
    assert again.version == first.version and again.ids.tolist() == first.ids.tolist()
    assert np.array_equal(again.tie_u, first.tie_u) and np.array_equal(again.intro_date, first.intro_date)

    # a write moves the version on: the next projection reads the store again and holds the new tie
    a, b = first.ids[0], first.ids[-1]
    city.add_person(Person(id="zz-new", name="Newcomer"))
    city.add_tie(Tie(source_id=str(a), target_id="zz-new"))
    fresh = load_projection(city)
    assert fresh.version == city.graph_version() != first.version
    assert "zz-new" in fresh.ids.tolist() and len(fresh.tie_u) == len(first.tie_u) + 1
    with np.load(path, allow_pickle=False) as data:
        assert int(data["version"]) == fresh.version
    assert str(b) in fresh.ids.tolist()


def test_no_cache_reads_the_store_again(city):
    load_projection(city)
    path = cache_file(city)
    stamp = path.stat().st_mtime_ns
    again = load_projection(city, use_cache=False)
    assert path.stat().st_mtime_ns != stamp or again.version == city.graph_version()
    assert again.ids.tolist() == sorted(a.id for a in city.iter_actors())


def test_a_damaged_cache_file_is_ignored_and_replaced(city):
    load_projection(city)
    path = cache_file(city)
    path.write_bytes(b"not a projection")
    projection = load_projection(city)
    assert projection.ids.tolist() == sorted(a.id for a in city.iter_actors())
    with np.load(path, allow_pickle=False) as data:
        assert int(data["version"]) == city.graph_version()


def test_an_erasure_deletes_the_cache_file_and_the_name_never_comes_back(city):
    people = [p for p in city.iter_actors() if p.actor_type == "person" and p.in_analysis]
    victim = people[len(people) // 2]
    load_projection(city)
    path = cache_file(city)
    assert victim.name.encode("utf-32-le") in path.read_bytes()  # numpy keeps text as UTF-32
    service.erase_actor(city, victim.id)
    assert not path.exists()
    projection = load_projection(city)
    assert victim.id not in projection.ids.tolist() and victim.name not in projection.names.tolist()
    assert victim.name.encode("utf-32-le") not in path.read_bytes()
    assert victim.id not in build_graph(city)


def test_a_stale_file_from_another_version_is_never_served(city):
    load_projection(city)
    path = cache_file(city)
    old = path.read_bytes()
    city.add_person(Person(id="zz-late", name="Late Arrival"))
    path.write_bytes(old)  # e.g. another process wrote it before the write
    assert "zz-late" in load_projection(city).ids.tolist()


def test_analyse_no_cache_gives_the_same_report(city, monkeypatch):
    monkeypatch.setenv("CONNECTOR_GRAPH_STORE", city.url)
    runner = CliRunner()
    cached = runner.invoke(main, ["analyse", "--json", "--top", "5"], catch_exceptions=False)
    fresh = runner.invoke(main, ["analyse", "--json", "--top", "5", "--no-cache"], catch_exceptions=False)
    assert cached.exit_code == 0 and fresh.exit_code == 0, cached.output + fresh.output
    a, b = json.loads(cached.stdout), json.loads(fresh.stdout)
    for report in (a, b):  # PageRank's solver starts from a random vector: compare it rounded
        for c in report["connectors"]:
            c["pagerank"] = round(c["pagerank"], 9)
    assert a == b and a["network"]["actors"] == sum(
        1 for x in city.iter_actors() if x.actor_type == "organisation" or x.in_analysis)


@pytest.mark.neo4j
def test_a_cache_folder_that_cannot_be_made_does_not_stop_the_analysis(empty_neo4j_url, tmp_path, monkeypatch):
    """The server store's cache lives in the app's cache folder; when that cannot be written, analyse anyway."""
    store = open_store(empty_neo4j_url)
    request_close = store.close
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CONNECTOR_GRAPH_CACHE_DIR", str(blocker / "cache"))  # a folder inside a file
    try:
        store.add_person(Person(id="solo", name="Solo"))
        assert load_projection(store).ids.tolist() == ["solo"]
        assert not (blocker / "cache").exists()
    finally:
        request_close()


def test_the_sqlite_cache_file_is_beside_the_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'net.db'}")
    try:
        store.add_person(Person(id="ana", name="Ana"))
        load_projection(store)
        assert (tmp_path / "net.db.cache" / "projection.npz").exists()
        assert oct((tmp_path / "net.db.cache" / "projection.npz").stat().st_mode & 0o777) == "0o600"
        assert oct((tmp_path / "net.db.cache").stat().st_mode & 0o777) == "0o700"
    finally:
        store.close()


def test_the_report_is_kept_by_version_and_forgotten_on_erasure(city, monkeypatch):
    from connector_graph.analysis.report import analyse_store
    from connector_graph.caching import forget_everything
    from connector_graph.store.columns import cache_folder

    folder = cache_folder(city.url, getattr(city, "_database", None))
    first = analyse_store(city, top=3)
    kept = sorted(p.name for p in folder.glob("report-*.json"))
    assert len(kept) == 1 and kept[0].startswith(f"report-{city.graph_version()}-")
    forget_everything()  # as a new process would start: nothing in memory
    stamp = (folder / kept[0]).stat().st_mtime_ns
    assert analyse_store(city, top=3) == first
    assert (folder / kept[0]).stat().st_mtime_ns == stamp  # read back, not made again
    assert analyse_store(city, top=4)["connectors"][:3] == first["connectors"]  # other options: another file
    assert len(list(folder.glob("report-*.json"))) == 2

    # a write: the next report is made afresh, and the reports of the old version are dropped
    city.add_person(Person(id="zz-new", name="Newcomer"))
    forget_everything()
    after = analyse_store(city, top=3)
    assert after["network"]["actors"] == first["network"]["actors"] + 1
    assert [p.name for p in folder.glob("report-*.json")] == [f"report-{city.graph_version()}-" + kept[0].split("-", 2)[2]]

    top_id = after["connectors"][0]["id"]
    service.erase_actor(city, top_id)
    assert not list(folder.glob("report-*.json")) and not (folder / "projection.npz").exists()
    assert all(c["id"] != top_id for c in analyse_store(city, top=3)["connectors"])
