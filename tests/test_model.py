"""Validation of the domain model: clear messages, clean text, no bad record built."""

from __future__ import annotations

import datetime as dt

import pytest

from connector_graph.errors import InvalidInput
from connector_graph.model import (
    MAX_NAME,
    Introduction,
    IntroStatus,
    Organisation,
    Person,
    PersonRole,
    Tie,
    Ward,
    build,
    tie_id,
)

def today() -> dt.date:
    """Today's date when asked (a run that crosses midnight must not test yesterday's 'tomorrow')."""
    return dt.date.today()


def test_names_are_nfc_normalised_and_control_characters_removed():
    p = build(Person, name="  Jose\u0301\t\u0007 Nun\u0303ez\n ")
    assert p.name == "Jos\u00e9 Nu\u00f1ez"


def test_bidi_overrides_are_removed():
    assert build(Person, name="abc\u202edef").name == "abc def"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "name: is required"),
        ({"name": "   "}, "name: must not be empty"),
        ({"name": "x" * (MAX_NAME + 1)}, "at most 120"),
        ({"name": "Ann", "roles": ["mayor"]}, "roles.0: must be one of"),
        ({"name": "Ann", "roles": []}, "roles"),
        ({"name": "Ann", "gifts": ["x" * 41]}, "gifts.0: is too long"),
        ({"name": "Ann", "interests": [f"t{n}" for n in range(31)]}, "too many entries"),
        ({"name": "Ann", "id": "has space"}, "id: must not contain spaces"),
        ({"name": "Ann", "shoe_size": 9}, "shoe_size: is not a known field"),
        ({"name": "Ann", "ward": "w" * 81}, "ward"),
    ],
)
def test_bad_people_are_refused_with_a_clear_message(fields, message):
    with pytest.raises(InvalidInput, match=message):
        build(Person, **fields)


def test_tags_are_split_lowercased_and_deduplicated():
    p = build(Person, name="Ann", gifts=["Baking, GARDENING", "baking", " "], interests="Chess,  chess ")
    assert p.gifts == ["baking", "gardening"]
    assert p.interests == ["chess"]


def test_roles_default_to_resident_and_accept_any_case():
    assert build(Person, name="Ann").roles == [PersonRole.RESIDENT]
    assert build(Person, name="Ann", roles=["Connector", "connector"]).roles == [PersonRole.CONNECTOR]


def test_organisation_needs_a_known_sector_and_kind():
    with pytest.raises(InvalidInput, match="sector: is required"):
        build(Organisation, name="Club")
    with pytest.raises(InvalidInput, match="sector: must be one of"):
        build(Organisation, name="Club", sector="government")
    with pytest.raises(InvalidInput, match="kind: must be one of"):
        build(Organisation, name="Club", sector="faith", kind="castle")
    assert build(Organisation, name="Club", sector="Voluntary Community").sector.value == "voluntary_community"


def test_tie_rules():
    with pytest.raises(InvalidInput, match="two different actors"):
        build(Tie, source_id="a", target_id="a")
    with pytest.raises(InvalidInput, match="in the future"):
        build(Tie, source_id="a", target_id="b", since=today() + dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="cannot be before"):
        build(Tie, source_id="a", target_id="b", since=today(), last_confirmed=today() - dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="kind: must be one of"):
        build(Tie, source_id="a", target_id="b", kind="hates")


def test_tie_ids_follow_ends_and_kind():
    assert build(Tie, source_id="b", target_id="a").id == tie_id("a", "b", "knows")
    member = build(Tie, source_id="p", target_id="o", kind="member_of")
    assert (member.source_id, member.target_id) == ("p", "o")
    with pytest.raises(InvalidInput, match="does not match"):
        build(Tie, id="t-forged", source_id="a", target_id="b")


@pytest.mark.parametrize(
    "ids, message",
    [
        (("c", "s", "s"), "introduced to themselves"),
        (("c", "c", "t"), "introducer cannot also be the person introduced"),
        (("c", "s", "c"), "introducer cannot also be who they were introduced to"),
    ],
)
def test_no_self_introductions(ids, message):
    by, subject, to = ids
    with pytest.raises(InvalidInput, match=message):
        build(Introduction, introducer_id=by, subject_id=subject, target_id=to)


def test_made_introductions_cannot_be_in_the_future_but_planned_ones_can():
    tomorrow = today() + dt.timedelta(days=1)
    for status in ("made", "followed_up"):
        with pytest.raises(InvalidInput, match="cannot be dated in the future"):
            build(Introduction, introducer_id="c", subject_id="s", target_id="t", date=tomorrow, status=status)
    planned = build(Introduction, introducer_id="c", subject_id="s", target_id="t", date=tomorrow, status="planned")
    assert planned.status is IntroStatus.PLANNED


def test_follow_up_cannot_precede_the_introduction():
    with pytest.raises(InvalidInput, match="follow-up"):
        build(
            Introduction, introducer_id="c", subject_id="s", target_id="t",
            date=today(), follow_up=today() - dt.timedelta(days=2),
        )


def test_outcome_keeps_lines_but_not_control_characters_and_has_a_limit():
    i = build(Introduction, introducer_id="c", subject_id="s", target_id="t", outcome="Went along.\r\nLoved it\x00!")
    assert i.outcome == "Went along.\nLoved it!"
    with pytest.raises(InvalidInput, match="outcome"):
        build(Introduction, introducer_id="c", subject_id="s", target_id="t", outcome="x" * 1001)


def test_new_ids_are_unique_and_typed():
    ids = {build(Person, name="Ann").id for _ in range(200)}
    assert len(ids) == 200 and all(i.startswith("p-") for i in ids)


def test_ward_population_must_be_sensible():
    with pytest.raises(InvalidInput, match="population"):
        build(Ward, name="Armley", population=-5)
    assert build(Ward, name=" Armley ", code="").code is None


def test_health_needs_require_an_article_9_condition():
    with pytest.raises(InvalidInput, match="Article 9"):
        build(Person, name="Ann", needs=["low mood", "food"])
    ok = build(Person, name="Ann", needs=["low mood"], article9_condition="explicit consent")
    assert ok.article9_condition.value == "explicit_consent"
    assert build(Person, name="Ann", needs=["food", "company"]).needs == ["food", "company"]


def test_consent_basis_needs_a_date_and_withdrawal_follows_it():
    with pytest.raises(InvalidInput, match="consent_given_on"):
        build(Person, name="Ann", lawful_basis="consent")
    with pytest.raises(InvalidInput, match="before it was given"):
        build(Person, name="Ann", lawful_basis="consent", consent_given_on=today(), consent_withdrawn_on=today() - dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="in the future"):
        build(Person, name="Ann", lawful_basis="consent", consent_given_on=today() + dt.timedelta(days=1))


def test_withdrawn_or_restricted_people_stay_out_of_analysis():
    given = {"lawful_basis": "consent", "consent_given_on": today() - dt.timedelta(days=9)}
    assert build(Person, name="Ann", **given).in_analysis
    assert not build(Person, name="Ann", **given, consent_withdrawn_on=today()).in_analysis
    assert not build(Person, name="Ann", restricted=True).in_analysis
