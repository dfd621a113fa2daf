"""Fair shares by deprivation on a hand-made 4-ward city, checked by hand."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from connector_graph.analysis.fairshare import fair_shares
from connector_graph.analysis.links import link_graph
from connector_graph.model import Introduction, IntroStatus, Tie, Ward

WARDS = [
    Ward(name="Low", population=1000, deprivation=1),
    Ward(name="MidLow", population=2000, deprivation=4),
    Ward(name="MidHigh", population=2000, deprivation=7),
    Ward(name="High", population=4000, deprivation=10),
]


def _city() -> tuple[nx.Graph, list[Introduction]]:
    N = nx.Graph()
    for ward in ("Low", "MidLow", "MidHigh", "High"):
        N.add_nodes_from((f"{ward}-{i}", {"ward": ward}) for i in range(4))
    ties = [Tie(source_id="Low-0", target_id="Low-1"), Tie(source_id="Low-2", target_id="Low-3"),
            Tie(source_id="MidLow-0", target_id="MidLow-1"), Tie(source_id="High-0", target_id="High-1")]
    day = dt.date(2026, 1, 10)
    intros = [Introduction(introducer_id="Low-0", subject_id="Low-2", target_id="Low-1", date=day,
                           status=IntroStatus.PLANNED)] * 3
    intros += [Introduction(introducer_id="MidLow-0", subject_id="MidLow-2", target_id="MidLow-3", date=day,
                            status=IntroStatus.DECLINED)] * 2
    intros += [Introduction(introducer_id="High-0", subject_id="High-2", target_id="High-3", date=day,
                            status=IntroStatus.PLANNED)]
    return link_graph(N, ties, intros), intros


def test_rates_gradient_and_sentence_on_four_wards():
    G, intros = _city()
    result = fair_shares(G, WARDS, intros)
    # introductions per 1,000: Low 3/1000*1000=3, MidLow 2/2000=1, MidHigh 0, High 1/4000=0.25
    # links (ties only, no introduction happened): Low 2 -> 2.0, MidLow 1 -> 0.5, MidHigh 0, High 1 -> 0.25
    assert [(r.decile, r.introductions_per_1000, r.links_per_1000) for r in result.rows] == [
        (1, 3.0, 2.0), (4, 1.0, 0.5), (7, 0.0, 0.0), (10, 0.25, 0.25)]
    # least squares by hand: x = 1, 4, 7, 10 (mean 5.5, sum of squares 45)
    # intros: y mean 1.0625; sum (x-5.5)(y-1.0625) = -4.5*1.9375 - 1.5*-0.0625 + 1.5*-1.0625 + 4.5*-0.8125 = -13.875
    assert result.introductions_gradient == round(-13.875 / 45, 3)
    # links: y mean 0.6875; -4.5*1.3125 - 1.5*-0.1875 + 1.5*-0.6875 + 4.5*-0.4375 = -8.625
    assert result.links_gradient == round(-8.625 / 45, 3)
    assert result.sentence.startswith("Yes: the most deprived wards get proportionately more")
    assert "3 introductions per 1,000 residents in decile 1 against 0.25 in decile 10" in result.sentence


def test_no_when_the_least_deprived_get_more():
    G, intros = _city()
    flipped = [w.model_copy(update={"deprivation": 11 - w.deprivation}) for w in WARDS]
    result = fair_shares(G, flipped, intros)
    assert result.introductions_gradient > 0 and result.sentence.startswith("No:")


def test_not_enough_wards_says_so():
    G, intros = _city()
    result = fair_shares(G, WARDS[:1], intros)
    assert result.sentence.startswith("Not enough to say")
