"""The demo-data generator: deterministic, valid, and shaped so analysis finds true things."""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from connector_graph import seed
from connector_graph.errors import InvalidInput
from connector_graph.model import IntroStatus, OrgKind, PersonRole, Sector, TieKind
from connector_graph.seed import generate, load_settings, load_wards
from connector_graph.store import Batch, open_store

TODAY = dt.date(2025, 6, 1)
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo() -> Batch:
    return generate("demo", today=TODAY)


def _degrees(batch: Batch) -> collections.Counter[str]:
    degree: collections.Counter[str] = collections.Counter()
    for tie in batch.ties:
        degree[tie.source_id] += 1
        degree[tie.target_id] += 1
    return degree


def _actor_ids(batch: Batch) -> list[str]:
    return [p.id for p in batch.people] + [o.id for o in batch.organisations]


def _roles(batch: Batch) -> dict[str, set[PersonRole]]:
    return {p.id: set(p.roles) for p in batch.people}


def _digest(batch: Batch) -> str:
    groups = (batch.wards, batch.people, batch.organisations, batch.ties, batch.introductions)
    parts = [m.model_dump_json() for group in groups for m in group]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# ---------------------------------------------------------------- seed files


def test_the_33_leeds_wards_load_with_unique_names() -> None:
    wards = load_wards()
    names = [w.name for w in wards]
    assert len(wards) == 33
    assert len(set(names)) == 33
    assert {"Adel & Wharfedale", "Little London & Woodhouse", "Wetherby", "Middleton Park"} <= set(names)
    assert all(w.code is None for w in wards)  # not invented
    assert all(15_000 <= (w.population or 0) <= 35_000 for w in wards)
    assert 780_000 <= sum(w.population or 0 for w in wards) <= 830_000


def test_settings_load_and_every_matched_offer_exists() -> None:
    settings = load_settings()
    offered = set()
    for spec in settings["organisations"].values():
        offered.update(spec["offers"])
        for core in spec["names"].values():
            offered.update(core)
    wanted = {offer for offers in settings["matching"].values() for offer in offers}
    assert wanted <= offered
    assert set(settings["tags"]["interests"]) | set(settings["tags"]["needs"]) <= set(settings["matching"])
    assert set(settings["organisations"]) == {k.value for k in OrgKind}


def test_bad_seed_files_raise_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        load_settings(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        load_settings(tmp_path / "bad.json")
    (tmp_path / "thin.json").write_text('{"seed": 1}')
    with pytest.raises(InvalidInput, match="lack"):
        load_settings(tmp_path / "thin.json")
    settings = load_settings()
    settings["organisations"] = {**settings["organisations"], "castle": settings["organisations"]["other"]}
    with pytest.raises(InvalidInput, match="unknown kind 'castle'"):
        generate(50, today=TODAY, settings=settings)
    with pytest.raises(InvalidInput, match="cannot read"):
        load_wards(tmp_path / "none.csv")
    (tmp_path / "dup.csv").write_text("name,code,population\nArmley,,1\narmley,,2\n")
    with pytest.raises(InvalidInput, match="repeats"):
        load_wards(tmp_path / "dup.csv")


# ------------------------------------------------------------- determinism


def test_same_seed_gives_the_same_batch_and_another_seed_a_different_one(demo: Batch) -> None:
    assert generate("demo", today=TODAY) == demo
    assert generate(300, seed=5, today=TODAY) == generate(300, seed=5, today=TODAY)
    other = generate("demo", seed=6, today=TODAY)
    assert other != demo
    assert [p.name for p in other.people] != [p.name for p in demo.people]


def test_output_does_not_depend_on_hash_randomisation() -> None:
    code = (
        "import datetime, hashlib, sys; from connector_graph.seed import generate; "
        "b = generate(400, seed=3, today=datetime.date(2025, 6, 1)); "
        "parts = [m.model_dump_json() for g in (b.people, b.organisations, b.ties, b.introductions) for m in g]; "
        "print(hashlib.sha256('\\n'.join(parts).encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO)}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_constructed_records_equal_validated_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    validated = generate(600, seed=9, today=TODAY)
    monkeypatch.setattr(seed, "VALIDATE_ALL_UP_TO", 0)
    monkeypatch.setattr(seed, "SPOT_CHECK_EVERY", 1)  # build both ways and compare every record
    assert generate(600, seed=9, today=TODAY) == validated
    monkeypatch.setattr(seed, "SPOT_CHECK_EVERY", 10**9)  # pure construct path
    assert _digest(generate(600, seed=9, today=TODAY)) == _digest(validated)


# --------------------------------------------------------------- validity


def test_demo_size(demo: Batch) -> None:
    actors = len(demo.people) + len(demo.organisations)
    assert 900 <= actors <= 1100
    assert len(demo.introductions) >= 1500
    assert len(demo.wards) == 33
    assert len({p.id for p in demo.people}) == len(demo.people)
    assert len({o.id for o in demo.organisations}) == len(demo.organisations)
    assert len({t.id for t in demo.ties}) == len(demo.ties)
    assert len({i.id for i in demo.introductions}) == len(demo.introductions)


def test_every_reference_points_at_an_actor_in_the_batch(demo: Batch) -> None:
    ids = set(_actor_ids(demo))
    wards = {w.name for w in demo.wards}
    for tie in demo.ties:
        assert tie.source_id in ids and tie.target_id in ids
    for intro in demo.introductions:
        assert {intro.introducer_id, intro.subject_id, intro.target_id} <= ids
        assert len({intro.introducer_id, intro.subject_id, intro.target_id}) == 3
    assert all(a.ward in wards for a in [*demo.people, *demo.organisations])


def test_dates_respect_today(demo: Batch) -> None:
    for intro in demo.introductions:
        if intro.status.happened:
            assert intro.date <= TODAY
        else:
            assert intro.date <= TODAY + dt.timedelta(days=30)
        if intro.date > TODAY:
            assert intro.status is IntroStatus.PLANNED
        if intro.follow_up:
            assert intro.follow_up >= intro.date
        if intro.status is IntroStatus.FOLLOWED_UP:
            assert intro.follow_up and intro.follow_up <= TODAY and intro.outcome
    assert min(i.date for i in demo.introductions) >= TODAY - dt.timedelta(days=731)
    assert any(i.date > TODAY for i in demo.introductions)
    for tie in demo.ties:
        assert tie.since and tie.since <= TODAY
        if tie.last_confirmed:
            assert tie.since <= tie.last_confirmed <= TODAY


def test_roles_sectors_kinds_statuses_all_represented(demo: Batch) -> None:
    assert {r for p in demo.people for r in p.roles} == set(PersonRole)
    assert {o.kind for o in demo.organisations} == set(OrgKind)
    assert {o.sector for o in demo.organisations} == set(Sector)
    assert {t.kind for t in demo.ties} == set(TieKind)
    assert {i.status for i in demo.introductions} == set(IntroStatus)
    connectors = sum(PersonRole.CONNECTOR in p.roles for p in demo.people)
    assert 0.01 <= connectors / len(demo.people) <= 0.025
    assert all(p.ward for p in demo.people) and all(len(p.gifts) <= 3 for p in demo.people)
    assert all(not p.needs for p in demo.people if PersonRole.CONNECTOR in p.roles)
    workers = [p.id for p in demo.people if PersonRole.WORKER in p.roles]
    employed = {t.source_id for t in demo.ties if t.kind is TieKind.WORKS_AT}
    assert set(workers) <= employed


# ---------------------------------------------------------------- realism


def test_about_five_percent_of_residents_are_isolated(demo: Batch) -> None:
    touched = {i for t in demo.ties for i in (t.source_id, t.target_id)}
    touched |= {i for x in demo.introductions for i in (x.introducer_id, x.subject_id, x.target_id)}
    residents = [p for p in demo.people if set(p.roles) == {PersonRole.RESIDENT}]
    isolated = [p for p in residents if p.id not in touched]
    assert 0.03 <= len(isolated) / len(residents) <= 0.08


def test_degree_distribution_is_heavy_tailed(demo: Batch) -> None:
    degree = _degrees(demo)
    ids = _actor_ids(demo)
    ranked = sorted((degree[i] for i in ids), reverse=True)
    top = ranked[: round(len(ids) * 0.02)]
    assert sum(top) >= 0.12 * sum(ranked)
    assert ranked[0] >= 15 * statistics.median(ranked)
    roles = _roles(demo)
    busiest = sorted(ids, key=lambda i: -degree[i])[:10]
    assert sum(PersonRole.CONNECTOR in roles.get(i, set()) for i in busiest) >= 6


def test_some_wards_are_poorly_connected(demo: Batch) -> None:
    ward_of = {a.id: a.ward for a in [*demo.people, *demo.organisations]}
    actors = collections.Counter(ward_of.values())
    ends: collections.Counter[str] = collections.Counter()
    for tie in demo.ties:
        ends[ward_of[tie.source_id]] += 1
        ends[ward_of[tie.target_id]] += 1
    per_actor = sorted(ends[w] / actors[w] for w in actors)
    assert per_actor[0] < 0.6 * statistics.median(per_actor)


def test_cross_ward_links_mostly_run_through_connectors(demo: Batch) -> None:
    ward_of = {a.id: a.ward for a in [*demo.people, *demo.organisations]}
    roles = _roles(demo)
    cross = [t for t in demo.ties if t.kind is TieKind.KNOWS and ward_of[t.source_id] != ward_of[t.target_id]]
    via = [t for t in cross if PersonRole.CONNECTOR in roles[t.source_id] | roles[t.target_id]]
    assert len(via) > 0.5 * len(cross)


def test_few_statutory_voluntary_partnerships(demo: Batch) -> None:
    sector = {o.id: o.sector for o in demo.organisations}
    official, community = {Sector.STATUTORY, Sector.HEALTH}, {Sector.VOLUNTARY_COMMUNITY, Sector.FAITH}
    partners = [t for t in demo.ties if t.kind is TieKind.PARTNERS_WITH]
    crossing = [
        t for t in partners
        if {sector[t.source_id], sector[t.target_id]} & official
        and {sector[t.source_id], sector[t.target_id]} & community
    ]
    assert partners and len(crossing) < 0.15 * len(partners)


def test_stale_ties_and_overdue_follow_ups_exist(demo: Batch) -> None:
    year_ago = TODAY - dt.timedelta(days=365)
    stale = [t for t in demo.ties if t.last_confirmed and t.last_confirmed < year_ago]
    assert 0.1 <= len(stale) / len(demo.ties) <= 0.4
    overdue = [
        i for i in demo.introductions
        if i.status is IntroStatus.MADE and i.follow_up and i.follow_up < TODAY and not i.outcome
        and i.date >= TODAY - dt.timedelta(days=90)
    ]
    assert len(overdue) >= 10
    assert any(t.source.value == "introduction" for t in demo.ties)


def test_introductions_come_mostly_from_a_few_connectors_and_grow(demo: Batch) -> None:
    roles = _roles(demo)
    by_introducer = collections.Counter(i.introducer_id for i in demo.introductions)
    connectors = sorted(
        (n for who, n in by_introducer.items() if PersonRole.CONNECTOR in roles[who]), reverse=True
    )
    assert sum(connectors) > 0.6 * len(demo.introductions)
    assert sum(connectors[: max(1, len(connectors) // 5)]) >= 0.4 * sum(connectors)
    subjects = [i.subject_id for i in demo.introductions]
    assert sum(PersonRole.RESIDENT in roles.get(s, set()) for s in subjects) > 0.85 * len(subjects)
    first_year = sum(i.date <= TODAY - dt.timedelta(days=365) for i in demo.introductions)
    assert first_year < 0.45 * len(demo.introductions)


def test_organisation_targets_match_the_purpose(demo: Batch) -> None:
    matching = load_settings()["matching"]
    offers = {o.id: set(o.offers) for o in demo.organisations}
    checked = matched = 0
    for intro in demo.introductions:
        tags = [p for p in intro.purposes if p in matching]
        if intro.target_id in offers and intro.subject_id not in offers and tags:
            checked += 1
            matched += bool(offers[intro.target_id] & set(matching[tags[-1]]))
    assert checked > 500 and matched >= 0.9 * checked


# ------------------------------------------------------------------ sizes


@pytest.mark.parametrize("size", [10, 50])
def test_small_sizes_give_exactly_that_many_actors(size: int) -> None:
    batch = generate(size, seed=2, today=TODAY)
    assert len(batch.people) + len(batch.organisations) == size
    assert batch.organisations and any(PersonRole.CONNECTOR in p.roles for p in batch.people)
    ids = set(_actor_ids(batch))
    assert all({t.source_id, t.target_id} <= ids for t in batch.ties)


def test_size_20000() -> None:
    batch = generate(20_000, seed=4, today=TODAY)  # big enough for the construct-and-spot-check path
    ids = _actor_ids(batch)
    assert len(ids) == 20_000
    assert 28_000 <= len(batch.introductions) <= 33_000
    degree = _degrees(batch)
    ranked = sorted((degree[i] for i in ids), reverse=True)
    assert sum(ranked[:400]) >= 0.18 * sum(ranked)
    known = set(ids)
    assert all(t.source_id in known and t.target_id in known for t in batch.ties)
    assert all(i.date <= TODAY for i in batch.introductions if i.status.happened)


@pytest.mark.parametrize("size", [9, 0, -5, 1_000_001, 1.5, "big", "", None, True, "1000"])
def test_bad_sizes_raise_invalid_input(size: object) -> None:
    with pytest.raises(InvalidInput):
        generate(size, today=TODAY)  # type: ignore[arg-type]


def test_a_future_today_is_refused() -> None:
    with pytest.raises(InvalidInput, match="future"):
        generate(50, today=dt.date.today() + dt.timedelta(days=1))


# ------------------------------------------------------------------ store


def test_demo_loads_into_sqlite(demo: Batch, tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/g.db")
    try:
        store.bulk_load(demo)
        counts = store.counts()
    finally:
        store.close()
    assert counts.people == len(demo.people)
    assert counts.organisations == len(demo.organisations)
    assert counts.ties == len(demo.ties)
    assert counts.introductions == len(demo.introductions)
    assert counts.wards == 33
