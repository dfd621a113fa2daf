"""Mappings shared by the importers: default sectors, guessing an organisation's kind, tags."""

from __future__ import annotations

import re

from ..model import MAX_TAG, OrgKind, Sector

__all__ = ["DEFAULT_SECTOR", "KIND_WORDS", "sector_for", "guess_kind", "as_tag"]

#: The sector given to an organisation whose source names none, by kind.
DEFAULT_SECTOR: dict[OrgKind, Sector] = {
    OrgKind.LIBRARY: Sector.STATUTORY,
    OrgKind.COUNCIL_SERVICE: Sector.STATUTORY,
    OrgKind.HOUSING: Sector.STATUTORY,
    OrgKind.GP_PRACTICE: Sector.HEALTH,
    OrgKind.NHS_SERVICE: Sector.HEALTH,
    OrgKind.SCHOOL: Sector.EDUCATION,
    OrgKind.FAITH_GROUP: Sector.FAITH,
    OrgKind.BUSINESS: Sector.PRIVATE,
}

#: Words in an organisation's name that give its kind, tried in this order.
KIND_WORDS: list[tuple[OrgKind, tuple[str, ...]]] = [
    (OrgKind.GP_PRACTICE, ("surgery", "medical practice", "medical centre", "health centre", "gp practice")),
    (OrgKind.NHS_SERVICE, ("nhs",)),
    (OrgKind.COUNCIL_SERVICE, ("council",)),
    (OrgKind.LIBRARY, ("library",)),
    (OrgKind.SCHOOL, ("school", "academy", "college", "nursery")),
    (OrgKind.FAITH_GROUP, ("church", "mosque", "gurdwara", "temple", "synagogue", "chapel", "parish", "methodist")),
    (OrgKind.HOUSING, ("housing",)),
    (OrgKind.SPORTS_CLUB, ("football", "cricket", "rugby", "sports club", "boxing", "athletic")),
    (OrgKind.COMMUNITY_CENTRE, ("community centre", "community center", "community hub", "neighbourhood centre")),
    (OrgKind.CHARITY, ("charity", "trust", "foundation", "citizens advice", "age uk", "mind")),
    (OrgKind.COMMUNITY_GROUP, ("group", "club", "association", "network", "friends of", "project")),
]


def sector_for(kind: OrgKind) -> Sector:
    """The default sector of an organisation of ``kind``.

    Examples
    --------
    >>> sector_for(OrgKind.LIBRARY).value, sector_for(OrgKind.CHARITY).value
    ('statutory', 'voluntary_community')
    """
    return DEFAULT_SECTOR.get(kind, Sector.VOLUNTARY_COMMUNITY)


def guess_kind(name: str) -> OrgKind:
    """The kind an organisation's name suggests, or ``other``.

    Examples
    --------
    >>> guess_kind("Hollybush Medical Practice").value, guess_kind("Wortley Tenants Association").value
    ('gp_practice', 'community_group')
    >>> guess_kind("Acme").value
    'other'
    """
    text = " " + " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split()) + " "
    for kind, words in KIND_WORDS:
        if any(f" {word} " in text for word in words):
            return kind
    return OrgKind.OTHER


def as_tag(text: str) -> tuple[str, bool]:
    """``text`` as a tag of at most :data:`MAX_TAG` characters, cut at a word; and whether it was cut.

    Commas would split the tag, so they become spaces.

    Examples
    --------
    >>> as_tag("Lunch club")
    ('lunch club', False)
    >>> as_tag("Debt, benefits and housing advice drop-in for families")
    ('debt benefits and housing advice drop in', True)
    """
    tag = " ".join(re.sub(r"[,;|_\-]", " ", text).casefold().split())
    if len(tag) <= MAX_TAG:
        return tag, False
    cut = tag[: MAX_TAG + 1].rsplit(" ", 1)[0] if " " in tag[:MAX_TAG] else tag[:MAX_TAG]
    return cut[:MAX_TAG].strip(), True
