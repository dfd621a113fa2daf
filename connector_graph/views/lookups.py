"""Look-ups for the logging form that ask the store a bounded question instead of reading every record.

- :func:`look_alike_candidates`: the held actors a new name could be a
  look-alike of, found by searching the store for each word of the name
  (any ward) and by listing the actors of the new record's ward (where the
  bar is lower, so spelling variants sharing no word are found too).
- :func:`recent_purposes`: the purposes of the most recent introductions,
  most used first (:func:`recent_purpose_counts`: how often each).

Each reads at most a few thousand records however large the store is.
"""

from __future__ import annotations

from collections import Counter

from ..lookalike import Candidate, name_key
from ..model import Actor
from ..store.base import IntroductionFilter, Store

__all__ = ["WORD_READ", "WARD_READ", "PURPOSE_READ", "look_alike_candidates", "recent_purpose_counts", "recent_purposes"]

#: Actors read per word of a new name (names containing the word).
WORD_READ = 400
#: People, and organisations, read from the new record's ward.
WARD_READ = 2000
#: Words of a new name searched for (the longest first).
_WORDS = 4
#: Introductions, most recent first, whose purposes are offered.
PURPOSE_READ = 1000


def look_alike_candidates(store: Store, name: str, ward: str | None) -> list[Candidate]:
    """Held actors that could look like ``name``: names sharing a word with it, and the actors of ``ward``.

    At most ``4 × WORD_READ + 2 × WARD_READ`` records are read. A held name
    in another ward must be nearly the same to count as a look-alike
    (:data:`connector_graph.lookalike.ANY_WARD_AT`), so it shares a word
    with the new one; in the same ward the whole ward is compared.
    """
    words = sorted({w for w in name_key(name).split() if len(w) >= 2}, key=lambda w: (-len(w), w))[:_WORDS]
    found: dict[str, Actor] = {}
    for word in words:
        found.update((a.id, a) for a in store.search_actors(word, limit=WORD_READ))
    if ward:
        found.update((p.id, p) for p in store.list_people(ward=ward, limit=WARD_READ))
        found.update((o.id, o) for o in store.list_organisations(ward=ward, limit=WARD_READ))
    return [Candidate(a.id, a.name, a.actor_type, a.ward) for a in found.values()]


def recent_purpose_counts(store: Store) -> Counter[str]:
    """How often each purpose was used by the :data:`PURPOSE_READ` most recent introductions."""
    counts: Counter[str] = Counter()
    for intro in store.list_introductions(IntroductionFilter(limit=PURPOSE_READ)):
        counts.update(intro.purposes)
    return counts


def recent_purposes(store: Store) -> list[str]:
    """The purposes of the :data:`PURPOSE_READ` most recent introductions, most used first (then by name)."""
    counts = recent_purpose_counts(store)
    return sorted(counts, key=lambda p: (-counts[p], p))
