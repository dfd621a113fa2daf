"""The special category check answers from an index of its terms exactly as a check of every term in order would.

The index only narrows which terms are tried; these tests build texts from
the terms' own words, stems with endings, words run together, look-alike
letters and everyday words, and compare the indexed answer with the answer
of trying every term of the list in order.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connector_graph import sensitive
from connector_graph.seed import generate


def every_term_in_order(text: str, field: str) -> str | None:
    """The reference: each term of the field's list tried in turn, the first match wins."""
    words = sensitive._words(text)
    if not words:
        return None
    terms = sensitive._NEEDS.terms if field in sensitive.NEEDS_ONLY else sensitive._EVERYWHERE.terms
    for term, stem in terms:
        found = sensitive._matches(words, term, stem)
        if found:
            return found
    return None


TERM_WORDS = sorted({word for terms in (*sensitive.TERMS.values(), *sensitive.NEEDS_TERMS.values())
                     for term in terms for word in term.rstrip("*").split()})
EVERYDAY = ["support", "group", "walk", "club", "tea", "a", "b", "c", "and", "with", "gardening", "faith", "ms",
            "user", "loss", "member", "attacks", "health", "ill", "term", "the", "x"]
SEPARATORS = [" ", "-", " ", ".", "\u200b", "", "  ", "/"]


def _word() -> st.SearchStrategy[str]:
    base = st.sampled_from(TERM_WORDS + EVERYDAY)
    ending = st.sampled_from(["", "", "s", "es", "ic", "ed", "ing", "ity", "ly", "x"])
    cut = st.integers(min_value=0, max_value=3)
    return st.builds(lambda w, e, c: (w[: len(w) - c] if c < len(w) else w) + e, base, ending, cut)


def _text() -> st.SearchStrategy[str]:
    return st.lists(st.tuples(_word(), st.sampled_from(SEPARATORS)), min_size=1, max_size=6).map(
        lambda parts: "".join(w + s for w, s in parts).strip()
    )


@settings(max_examples=1500, deadline=None)
@given(text=_text(), field=st.sampled_from(["needs", "interests", "outcome"]))
def test_the_index_finds_what_trying_every_term_finds(text, field):
    assert sensitive.special_category_word(text, field=field) == every_term_in_order(text, field)


@pytest.mark.parametrize("field", ["needs", "interests"])
def test_every_term_written_as_people_write_it_is_found_as_before(field):
    texts = []
    for terms in (*sensitive.TERMS.values(), *sensitive.NEEDS_TERMS.values()):
        for term in terms:
            plain = term.rstrip("*")
            texts += [plain, plain.upper(), plain.replace(" ", "-"), plain.replace(" ", ""), f"{plain}s support",
                      f"help with {plain}", " ".join(plain), plain.replace("e", "\u0435")]
    found = [sensitive.special_category_word(t, field=field) for t in texts]
    assert found == [every_term_in_order(t, field) for t in texts]
    assert sum(f is not None for f in found) > len(texts) // 2  # the check still finds the words


def test_the_seeded_citys_own_words_get_the_same_answers():
    batch = generate(400, seed=3)
    texts = {text for person in batch.people for text in (*person.needs, *person.interests, *person.skills,
                                                            *person.gifts)}
    texts |= {text for intro in batch.introductions for text in (*intro.purposes, intro.outcome or "")}
    assert len(texts) > 50
    for field in ("needs", "interests", "outcome"):
        assert [sensitive.special_category_word(t, field=field) for t in sorted(texts)] == [
            every_term_in_order(t, field) for t in sorted(texts)]
