"""Look-alike names: is a new person or organisation probably someone already held?

Whole names are compared, not parts of them: rapidfuzz's token-set ratio
on the normalised full name, with a lower bar in the same ward. So a
shared surname alone ("Olusegun Adeyemi-Brown" beside five other Browns)
never raises a warning, while "Jon Smyth" next to "John Smith" in the
same ward does, and so does the same name written in another order
("Smith, John").

This module is pure: it compares names it is given. The dashboard, the
command line and imports all call :func:`look_alikes`, so they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from . import identity

__all__ = ["Candidate", "Alike", "NameIndex", "SAME_WARD_AT", "ANY_WARD_AT", "alike_within", "look_alikes", "name_key"]

#: How alike (0-100) two whole names must be to warn when they share a ward (or either ward is unknown).
SAME_WARD_AT = 80.0
#: How alike two whole names must be to warn when their wards differ.
ANY_WARD_AT = 92.0

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    """An existing actor to compare a new name with."""

    id: str
    name: str
    actor_type: str
    ward: str | None


@dataclass(frozen=True)
class Alike:
    """An existing actor whose whole name looks like the new one."""

    candidate: Candidate
    similarity: float
    same_ward: bool


def _name_key(name: str) -> str:
    """The form of a name that comparisons use: :func:`connector_graph.identity.name_key` (look-alike
    letters, invisible characters, case and accents folded), punctuation as spaces, spaces collapsed.

    Examples
    --------
    >>> _name_key("  Adeyemi-Brown,  Olusegun ")
    'adeyemi brown olusegun'
    >>> _name_key("\u0410nna Sm\u200bith") == _name_key("Anna Smith")
    True
    """
    return " ".join(_NOT_WORD.sub(" ", identity.name_key(name)).split())


def name_key(name: str) -> str:
    """Public name of :func:`_name_key`, for other modules that must normalise names the same way."""
    return _name_key(name)


class NameIndex:
    """Held names prepared once (normalised), to compare many new names with quickly."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self.keys = [_name_key(c.name) for c in self.candidates]

    def alike(self, name: str, ward: str | None, *, limit: int = 5) -> list[Alike]:
        """Held actors whose whole names look like ``name`` (most alike first)."""
        from rapidfuzz import fuzz, process

        key = _name_key(name)
        if not key:
            return []
        fold = (ward or "").casefold()
        found = []
        hits = process.extract(key, self.keys, scorer=fuzz.token_set_ratio, score_cutoff=SAME_WARD_AT, limit=None)
        for _, score, index in hits:
            candidate = self.candidates[index]
            same_ward = not fold or not candidate.ward or candidate.ward.casefold() == fold
            if score >= (SAME_WARD_AT if same_ward else ANY_WARD_AT):
                found.append(Alike(candidate, round(float(score), 1), same_ward))
        found.sort(key=lambda a: (-a.similarity, not a.same_ward, a.candidate.name.casefold(), a.candidate.id))
        return found[:limit]


def look_alikes(name: str, ward: str | None, candidates: Iterable[Candidate], *, limit: int = 5) -> list[Alike]:
    """Existing actors whose whole names look like ``name`` (most alike first).

    Examples
    --------
    >>> held = [Candidate("p1", "John Smith", "person", "Armley"), Candidate("p2", "Jean Brown", "person", "Armley")]
    >>> [a.candidate.id for a in look_alikes("Jon Smyth", "Armley", held)]
    ['p1']
    >>> look_alikes("Olusegun Adeyemi-Brown", "Armley", held)
    []
    """
    return NameIndex(candidates).alike(name, ward, limit=limit)


def alike_within(
    names: Sequence[Candidate], held: Iterable[Candidate], *, limit: int = 3
) -> list[tuple[Candidate, list[Alike]]]:
    """For each new record in ``names``, the held records (other than itself) it looks like; only those with any."""
    index = NameIndex(held)
    report = []
    for new in names:
        matches = [a for a in index.alike(new.name, new.ward, limit=limit + 1) if a.candidate.id != new.id][:limit]
        if matches:
            report.append((new, matches))
    return report
