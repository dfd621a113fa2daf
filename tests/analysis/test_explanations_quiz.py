"""The plain-English explanations of the measures lead a reader to the true answers.

The quiz network was given to readers who saw only the explanations (see
docs/analysis.md, "Checked by readers"). Where an explanation states a rule,
the rule is worked here by hand, exactly as the words say, and must give the
product's numbers; where it states a direction, the answer it leads to must be
the product's highest or lowest.
"""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

from connector_graph.analysis.centrality import METRICS, compute_metrics

GROUP = ["Ann", "Bob", "Cat", "Dan", "Eve"]


@pytest.fixture(scope="module")
def quiz() -> nx.Graph:
    G = nx.Graph()
    G.add_edges_from(itertools.combinations(GROUP, 2))
    G.add_edges_from([("Eve", "Fay"), ("Fay", "Gus"), ("Gus", "Hal"), ("Gus", "Ian"), ("Gus", "Jo"), ("Hal", "Ian"),
                      ("Jo", "Kim"), ("Kim", "Lee")])
    for n in G:
        G.nodes[n].update(name=n, actor_type="person", roles=["resident"], ward=None, introductions_made=0)
    for u, v in G.edges:
        G.edges[u, v].update(weight=1)
    return G


@pytest.fixture(scope="module")
def values(quiz):
    return compute_metrics(quiz, exact=True).values


def top(scores: dict) -> set:
    best = max(scores.values())
    return {n for n, v in scores.items() if v == pytest.approx(best)}


def test_closeness_is_the_rule_the_explanation_gives(quiz, values):
    assert "one step away counts 1, two steps 1/2, three steps 1/3" in METRICS["closeness"].explanation
    for n in quiz:
        steps = nx.single_source_shortest_path_length(quiz, n)
        by_the_words = sum(1 / s for m, s in steps.items() if m != n) / (len(quiz) - 1)
        assert values["closeness"][n] == pytest.approx(by_the_words)
    assert top(values["closeness"]) == {"Eve"}  # what the second reader worked out


def test_brokerage_is_the_rule_the_explanation_gives(quiz, values):
    assert "each contact counts 1, less a share" in METRICS["effective_size"].explanation
    for n in quiz:
        contacts = set(quiz[n])
        # each contact counts 1, less a share (1 / number of contacts, both ways) for each other contact they know
        known = sum(1 for a, b in itertools.combinations(contacts, 2) if quiz.has_edge(a, b))
        assert values["effective_size"][n] == pytest.approx(len(contacts) - 2 * known / len(contacts))
    assert min(values["effective_size"].values()) == pytest.approx(1.0)  # never below 1, as the words now say
    assert top(values["effective_size"]) == {"Gus"}


def test_reach_bridging_standing_and_constraint_lead_to_the_true_extremes(quiz, values):
    assert top(values["degree"]) == {"Eve"}
    assert top(values["betweenness"]) == {"Gus"}
    assert top(values["eigenvector"]) == {"Eve"}
    assert top(values["constraint"]) == {"Lee"}  # few or overlapping contacts: one contact only
    assert min(values["constraint"], key=values["constraint"].get) == "Gus"  # links separate groups


def test_influence_can_favour_contacts_with_few_other_links(quiz, values):
    """The wording warns that a star's centre can outrank a place in a busy group: here it does."""
    assert "several such contacts can outrank a place in a busy group" in METRICS["pagerank"].explanation
    assert values["pagerank"]["Gus"] > values["pagerank"]["Eve"] > values["pagerank"]["Ann"]
