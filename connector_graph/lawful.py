"""People held without a lawful basis: found, reported and given one, audited.

Every person written now has a lawful basis (the model gives the default from
settings when none is given), but stores written by older versions can hold
people without one. :func:`missing_lawful_basis` finds them;
:func:`set_missing_lawful_basis` gives them one basis, one audited update per
person (``update_person`` with their id), all checked before anything is
written.
"""

from __future__ import annotations

from .auth import Permission, require
from .caching import forget_everything
from .errors import InvalidInput
from .model import LawfulBasis, Person
from .store.base import Store

__all__ = ["missing_lawful_basis", "set_missing_lawful_basis", "parse_basis"]


def parse_basis(text: str | LawfulBasis) -> LawfulBasis:
    """A lawful basis from its value or a readable spelling ("Legitimate interests"); one line if unknown.

    Examples
    --------
    >>> parse_basis("Legitimate interests").value
    'legitimate_interests'
    """
    if isinstance(text, LawfulBasis):
        return text
    folded = "_".join(str(text).strip().lower().replace("-", " ").split())
    try:
        return LawfulBasis(folded)
    except ValueError:
        choices = ", ".join(b.value for b in LawfulBasis)
        raise InvalidInput(f"unknown lawful basis {text!r}; choose one of {choices}") from None


def missing_lawful_basis(store: Store) -> list[Person]:
    """The people the store holds with no lawful basis recorded, in id order."""
    require(Permission.RETENTION)
    return [a for a in store.iter_actors() if isinstance(a, Person) and a.lawful_basis is None]


def set_missing_lawful_basis(store: Store, basis: str | LawfulBasis) -> list[str]:
    """Give every person without a lawful basis ``basis``; returns their ids.

    Each person is updated (and audited) on their own; nothing else in their
    record changes. Consent needs the date it was given, so it is refused,
    with nothing written, when anyone missing a basis has no consent date.
    """
    require(Permission.RETENTION)
    chosen = parse_basis(basis)
    missing = missing_lawful_basis(store)
    if chosen is LawfulBasis.CONSENT:
        undated = [p.id for p in missing if p.consent_given_on is None]
        if undated:
            raise InvalidInput(
                f"{len(undated):,} of the {len(missing):,} people without a lawful basis have no consent date "
                f"(first: {undated[0]}); record when they consented, or choose another basis. Nothing was changed"
            )
    for person in missing:
        store.update_person(person.model_copy(update={"lawful_basis": chosen}))
    if missing:
        forget_everything()
    return [p.id for p in missing]
