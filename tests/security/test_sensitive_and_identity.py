"""Special category words as people type them, look-alike names, and text that is not text.

Each refusal is checked through the service (the path the CLI and the
dashboard take) with a real store of each backend, and the store is
checked to hold nothing new afterwards.
"""

from __future__ import annotations

import pytest

from connector_graph import service
from connector_graph.config import default_lawful_basis
from connector_graph.errors import InvalidInput
from connector_graph.identity import name_key
from connector_graph.model import LawfulBasis, Person, build
from connector_graph.views import directory

#: How people type special category words: plain, split, disguised, look-alike letters, other words.
DISGUISED = [
    "diabetes", "cancer", "wheelchair", "autism", "pregnant", "alcohol", "hiv", "low-mood",
    "dep\u200bression", "d\u0435pression", "DEPRESSION", "De-pression", "d.e.p.r.e.s.s.i.o.n",
    "ｄｅｐｒｅｓｓｉｏｎ", "dep\u00adression", "dep\u2060ression", "Dépression", "mental-health",
    "mentalhealth", "wheelchair user", "autistic", "diabetic", "dementia", "anxiety", "ptsd",
    "bipolar", "pregnancy", "drug use", "methadone", "sexual health", "self-harm", "suicidal",
    "epilepsy", "blind", "deaf", "chemo", "alzheimers", "HIV+", "c\u0430ncer", "low mood",
]


@pytest.mark.parametrize("field", ["needs", "interests", "skills", "gifts"])
def test_a_health_word_in_any_person_tag_field_is_refused_naming_the_field(store, field):
    with pytest.raises(InvalidInput, match=f"{field}: .*special category") as caught:
        service.add_person(store, "Ann Ahmed", **{field: ["cancer support"]})
    assert "cancer" in str(caught.value)
    assert store.counts().people == 0 and store.list_audit() == []


@pytest.mark.parametrize("text", DISGUISED)
def test_disguised_special_category_needs_are_refused(store, text):
    with pytest.raises(InvalidInput, match="special category"):
        service.add_person(store, "Ann Ahmed", needs=[text])
    assert store.counts().people == 0


@pytest.mark.parametrize("text", ["muslim", "church", "ethnicity", "gay", "trade union"])
def test_religion_ethnicity_orientation_and_union_are_refused_as_needs_only(store, text):
    with pytest.raises(InvalidInput, match="needs: .*special category"):
        service.add_person(store, "Ann Ahmed", needs=[text])
    assert store.counts().people == 0


@pytest.mark.parametrize("text", ["gardening", "faith", "hospitality", "painting and decorating", "breaststroke",
                                  "fixing blinds", "first aid", "sign language", "transport"])
def test_everyday_interests_are_not_mistaken_for_special_category_data(store, text):
    person = service.add_person(store, "Ann Ahmed", interests=[text])
    assert store.get_actor(person.id).interests == [text]


def test_an_article_9_condition_allows_health_needs(store):
    person = service.add_person(store, "Ann Ahmed", needs=["diabetes"], article9_condition="explicit_consent",
                                lawful_basis="consent", consent_given_on="2026-01-05")
    assert store.get_actor(person.id).needs == ["diabetes"]


@pytest.mark.parametrize("field,value", [("purposes", ["depression support"]), ("outcome", "now on chemo, very tired")])
def test_introductions_refuse_special_category_purposes_and_outcomes(store, field, value):
    service.add_person(store, "Cath", roles=["connector"], person_id="cath")
    service.add_person(store, "Ann", person_id="ann")
    service.add_person(store, "Bob", person_id="bob")
    with pytest.raises(InvalidInput, match=f"{field}: .*special category"):
        service.log_introduction(store, introducer_id="cath", subject_id="ann", target_id="bob", **{field: value})
    assert store.counts().introductions == 0


def test_every_person_gets_a_lawful_basis_from_the_settings(store, monkeypatch):
    person = service.add_person(store, "Ann Ahmed")
    assert store.get_actor(person.id).lawful_basis is LawfulBasis.LEGITIMATE_INTERESTS
    monkeypatch.setenv("CONNECTOR_GRAPH_DEFAULT_LAWFUL_BASIS", "public_task")
    assert default_lawful_basis() is LawfulBasis.PUBLIC_TASK
    other = service.add_person(store, "Bob Brown", lawful_basis=None)
    assert store.get_actor(other.id).lawful_basis is LawfulBasis.PUBLIC_TASK
    assert build(Person, name="Cy", lawful_basis="vital_interests").lawful_basis is LawfulBasis.VITAL_INTERESTS


# ---------------------------------------------------------------- identity-safe names

LOOK_ALIKES = [
    "\u0410nna",  # Cyrillic А
    "Ａｎｎａ",  # fullwidth
    "An\u200dna",  # zero-width joiner
    "An\u00adna",  # soft hyphen
    "ANNA",
    "Ann\u0430",  # Cyrillic а at the end
    "\u0391nna",  # Greek Alpha
]


@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_look_alike_names_find_the_same_person(store, typed):
    service.add_person(store, "Anna", person_id="anna")
    assert [a.id for a in store.search_actors(typed)] == ["anna"]
    assert directory.similar_names(store, typed)[0].id == "anna"


@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_a_stored_look_alike_name_is_found_by_the_plain_name(store, typed):
    service.add_person(store, typed, person_id="lookalike")
    assert [a.id for a in store.search_actors("anna")] == ["lookalike"]


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200c\u200d", "\u3164", "\u00ad\u00ad", "\u2060 \ufeff", "\u115f"])
def test_names_without_visible_characters_are_refused(store, name):
    with pytest.raises(InvalidInput, match="name"):
        service.add_person(store, name)
    assert store.counts().people == 0


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "\ud800", "\udfff", "\ufdd0", "\U0001fffe"])
def test_non_characters_are_refused_in_names_tags_and_outcomes(store, bad):
    with pytest.raises(InvalidInput, match="not a character"):
        service.add_person(store, f"Ann{bad}")
    with pytest.raises(InvalidInput, match="not a character"):
        service.add_person(store, "Ann", gifts=[f"baking{bad}"])
    assert store.counts().people == 0


def test_name_key_is_the_one_normaliser():
    assert name_key("Zoë  O’Neil") == name_key("zoe o'neil")
    assert name_key("\u0410nna") == name_key("Anna") != name_key("Anne")
