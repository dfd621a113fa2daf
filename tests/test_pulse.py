"""The Overview's pulse, read from the store's columns, counts what the records themselves say."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from connector_graph import service
from connector_graph.seed import generate
from connector_graph.views.pulse import pulse, same_days_last_month


def _by_records(store, today: dt.date, months: list[str]) -> dict[str, tuple[list[int], int, int]]:
    """The pulse worked out record by record, from the stores' own streams of model objects."""
    first, last = same_days_last_month(today)
    days = {"introductions logged": [i.date for i in store.iter_introductions()],
            "new ties": [t.since for t in store.iter_ties()],
            "outcomes recorded": [i.date for i in store.iter_introductions() if i.outcome]}
    out = {}
    for label, found in days.items():
        counted = [d for d in found if d is not None and d <= today]
        per_month = Counter(f"{d:%Y-%m}" for d in counted)
        out[label] = ([per_month[m] for m in months], sum(d >= today.replace(day=1) for d in counted),
                      sum(first <= d <= last for d in counted))
    return out


@pytest.mark.parametrize("today", [dt.date(2026, 3, 31), dt.date(2026, 3, 1), dt.date(2025, 12, 15)])
def test_pulse_equals_the_count_of_the_records(store, today):
    # Seeded up to the end of April 2026: for each "today", later records are in its future and not counted.
    service.load_batch(store, generate(400, seed=3, today=dt.date(2026, 4, 30)))
    a, b, c = (actor.id for actor in list(store.iter_actors())[:3])
    service.add_tie(store, a, b, since=None)  # a tie with no date counts in no month
    service.log_introduction(store, introducer_id=a, subject_id=b, target_id=c, date=today, outcome="joined the club")

    found = pulse(store, today=today)
    expected = _by_records(store, today, found[0].months)
    assert found[0].months[-1] == f"{today:%Y-%m}" and len(found[0].months) == 12
    assert {p.label: (p.counts, p.so_far, p.same_days_before) for p in found} == expected
    assert expected["introductions logged"][1] >= 1 and expected["outcomes recorded"][1] >= 1
    assert sum(expected["new ties"][0]) > 0


def test_a_write_moves_the_pulse_on(store):
    today = dt.date(2026, 3, 10)
    service.load_batch(store, generate(200, seed=4, today=today))
    before = {p.label: p.so_far for p in pulse(store, today=today)}
    a, b, c = (actor.id for actor in list(store.iter_actors())[:3])
    service.log_introduction(store, introducer_id=a, subject_id=b, target_id=c, date=today)
    after = {p.label: p.so_far for p in pulse(store, today=today)}
    assert after["introductions logged"] == before["introductions logged"] + 1
    assert after["outcomes recorded"] == before["outcomes recorded"]
