"""The sensitive-data guard: special category words (UK GDPR Article 9) in tags and outcomes.

People type "Dеpression" with a Cyrillic е, "de\u200bpression" with a
zero-width space, "low-mood", "D.I.A.B.E.T.E.S" or "Wheelchair user". Every
text is first folded with :func:`connector_graph.identity.skeleton` (NFKC,
invisible characters removed, look-alike letters and punctuation folded),
then its words are compared with :data:`TERMS`.

The list is maintained here, one group per kind of special category data.
A term ending in ``*`` matches any word that starts with it
(``diabet*``: diabetes, diabetic); other terms match whole words, and
several-word terms match those words in a row.

Health, disability, pregnancy, substance use and sexual health terms are
special category data wherever they are written. Religion, ethnicity,
sexual orientation, politics and union membership are checked in needs
only: an interest in "faith" or a skill in "languages" says nothing about
the person's own beliefs or origin.
"""

from __future__ import annotations

from typing import Iterable

from .identity import skeleton

__all__ = ["TERMS", "EVERYWHERE", "NEEDS_ONLY", "special_category_word", "special_category_words"]

#: Terms by group. Review with the data protection officer; add the words staff actually use.
TERMS: dict[str, tuple[str, ...]] = {
    "health": (
        "addiction", "illness", "ill health", "long term condition", "chronic*", "pain", "recovery", "frailty",
        "frail", "wellbeing", "diagnos*", "medication", "hospital",
        "cancer*", "tumour", "chemo*", "diabet*", "insulin", "dementia", "alzheimer*", "memory loss", "memory",
        "stroke", "heart condition", "heart disease", "cardiac", "asthma*", "copd", "arthritis", "epilep*",
        "seizure*", "dialysis", "kidney", "parkinson*", "multiple sclerosis", "ms", "hiv", "aids", "hepatitis",
        "covid", "long covid", "terminally ill", "terminal illness", "palliative", "incontinen*", "obes*", "eating disorder",
        "anorexi*", "bulimi*", "sight", "sight loss", "hearing", "hearing loss", "mobility", "stoma",
    ),
    "mental health": (
        "mental health", "depress*", "anxiety", "anxious", "low mood", "panic attack*", "bipolar",
        "schizophren*", "psychos*", "psychotic", "ptsd", "ocd", "self harm*", "suicid*", "breakdown",
        "personality disorder", "trauma", "counselling", "therapy", "psychiatr*", "nervous breakdown",
    ),
    "disability and neurodivergence": (
        "disab*", "wheelchair*", "blind", "blindness", "deaf", "deafness", "partially sighted",
        "learning difficult*", "autis*", "asperger*", "adhd", "dyslexi*", "dyspraxi*", "down syndrome",
        "cerebral palsy", "amputee", "paralys*", "mute",
    ),
    "pregnancy and reproductive health": (
        "pregnan*", "expecting a baby", "miscarriage", "abortion", "ivf", "fertility", "infertil*",
        "maternity", "antenatal", "postnatal", "menopaus*",
    ),
    "substance use": (
        "alcohol*", "drinking problem", "drug use", "drugs", "substance*", "heroin", "cocaine",
        "methadone", "rehab*", "sober", "sobriety", "overdose", "gambling",
    ),
    "sexual health": ("sexual health", "sti", "std", "chlamydia", "syphilis", "gonorrh*", "herpes"),
}

#: Groups checked in needs only.
NEEDS_TERMS: dict[str, tuple[str, ...]] = {
    "religion": (
        "religion", "religious", "faith", "church", "mosque", "synagogue", "temple", "gurdwara", "muslim",
        "islam*", "christian*", "catholic", "jewish", "judaism", "hindu*", "sikh*", "buddhis*", "atheis*",
        "prayer", "halal", "kosher",
    ),
    "ethnicity": (
        "ethnic*", "race", "racial", "black", "asian", "white british", "mixed heritage", "roma", "gypsy",
        "traveller*", "bame",
    ),
    "sexual orientation": ("gay", "lesbian", "bisexual", "lgbt*", "queer", "transgender", "trans", "sexuality"),
    "politics and union membership": ("political", "politics", "trade union", "union member*"),
}

#: Fields where every group is checked, and fields where the needs-only groups are checked too.
EVERYWHERE = ("needs", "interests", "skills", "gifts", "purposes", "outcome")
NEEDS_ONLY = ("needs",)


def _compile(groups: dict[str, tuple[str, ...]]) -> list[tuple[tuple[str, ...], bool]]:
    return [(tuple(skeleton(term.rstrip("*")).split()), term.endswith("*")) for terms in groups.values() for term in terms]


class _TermIndex:
    """The terms of a list keyed by the words that can start a match, so a text is checked against a few terms.

    A term can only match a text holding its first word (or, for a one-word
    stem, a word starting with it), or its words run together. The index
    gives those candidates; :func:`_matches` then checks them in list order,
    so the answer is the one a check of every term in order would give.
    """

    def __init__(self, terms: list[tuple[tuple[str, ...], bool]]) -> None:
        self.terms = terms
        self.by_word: dict[str, list[int]] = {}
        self.by_stem: dict[str, list[int]] = {}
        for position, (words, stem) in enumerate(terms):
            if not words:
                continue
            self.by_word.setdefault(words[0], []).append(position)
            if len(words) == 1 and stem:
                self.by_stem.setdefault(words[0], []).append(position)
            if len(words) > 1:
                self.by_word.setdefault("".join(words), []).append(position)
        self.stem_lengths = sorted({len(s) for s in self.by_stem})

    def first_match(self, words: list[str]) -> str | None:
        """The first term in list order that ``words`` hold, as :func:`_matches` reports it."""
        candidates: set[int] = set()
        for word in words:
            candidates.update(self.by_word.get(word, ()))
            for length in self.stem_lengths:
                if length > len(word):
                    break
                candidates.update(self.by_stem.get(word[:length], ()))
        for position in sorted(candidates):
            found = _matches(words, *self.terms[position])
            if found:
                return found
        return None


_EVERYWHERE = _TermIndex(_compile(TERMS))
_NEEDS = _TermIndex(_EVERYWHERE.terms + _compile(NEEDS_TERMS))


def _words(text: str) -> list[str]:
    """The folded words of ``text``, with runs of single letters joined ("d e p r e s s" -> "depress")."""
    words: list[str] = []
    run = ""
    for word in skeleton(text).split():
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            words.append(run)
            run = ""
        words.append(word)
    if run:
        words.append(run)
    if len(words) > 1:  # a word split by a hyphen or space ("de-pression") is also read as one
        words.append("".join(words))
    return words


def _matches(words: list[str], term: tuple[str, ...], stem: bool) -> str | None:
    """The words of ``words`` that match ``term``, or ``None``."""
    n = len(term)
    for start in range(len(words) - n + 1):
        head = words[start : start + n - 1]
        last = words[start + n - 1]
        if list(term[:-1]) == head and (last == term[-1] or (stem and last.startswith(term[-1]))):
            return " ".join(words[start : start + n])
    # the words may have been run together ("lowmood", "mentalhealth")
    joined = "".join(term)
    return joined if n > 1 and joined in words else None


def special_category_word(text: str, *, field: str = "needs") -> str | None:
    """The special category word ``text`` contains (folded), or ``None``.

    Examples
    --------
    >>> special_category_word("D\\u0435pre\\u200bssion"), special_category_word("low-mood")
    ('depression', 'low mood')
    >>> special_category_word("gardening"), special_category_word("faith", field="interests")
    (None, None)
    >>> special_category_word("faith")
    'faith'
    """
    words = _words(text)
    if not words:
        return None
    return (_NEEDS if field in NEEDS_ONLY else _EVERYWHERE).first_match(words)


def special_category_words(field: str, texts: Iterable[str]) -> list[tuple[str, str]]:
    """Each ``(text, term)`` among ``texts`` that holds a special category term."""
    found = []
    for text in texts:
        term = special_category_word(text, field=field)
        if term:
            found.append((text, term))
    return found
