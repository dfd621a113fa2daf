"""Mapping other tools' words onto our model: element types and connection types.

Element types (Kumu's "Company", a GraphML node's ``type``) become a person
with a role or an organisation with a kind, by these rules, in order:

1. the user's ``--type-map`` ("State=organisation,Founder=person"; the right
   side may be any word this module knows, e.g. ``Founder=connector``);
2. the built-in words (:data:`PERSON_TYPES`, :data:`ORGANISATION_TYPES`);
3. for a compound type ("Employee/Founder", "Community Group; Charity") the
   first part that rules 1-2 know;
4. otherwise the default type: person unless ``--default-type organisation``
   (an organisation's kind is then guessed from the word, else ``other``).

Connection types become the tie kind of the same or nearest word
(:data:`CONNECTION_TYPES`); anything else is ``knows`` and keeps the
original word as the tie's label. Every mapping is counted in the report
("Company → organisation (17)").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..errors import InvalidInput
from ..model import MAX_TAG, OrgKind, PersonRole, TieKind
from .report import ImportReport
from .vocab import guess_kind

__all__ = [
    "PERSON_TYPES",
    "ORGANISATION_TYPES",
    "CONNECTION_TYPES",
    "ActorType",
    "ConnectionType",
    "Mapping",
    "fold",
    "parse_type_map",
]

#: Element types read as people, with the role they give.
PERSON_TYPES: dict[str, PersonRole] = {
    **{w: PersonRole.RESIDENT for w in (
        "person", "people", "individual", "resident", "citizen", "member", "participant", "student", "pupil",
        "parent", "carer", "child", "young person", "patient", "client", "friend", "contact", "neighbour",
        "founder", "co founder", "investor", "angel", "mentor", "leader", "champion", "advocate", "user",
        "actor", "human", "someone", "member of the public",
    )},
    "volunteer": PersonRole.VOLUNTEER,
    "trustee": PersonRole.VOLUNTEER,
    **{w: PersonRole.CONNECTOR for w in (
        "connector", "community connector", "local area coordinator", "link worker", "social prescriber",
        "social prescribing link worker", "community builder", "navigator", "community navigator",
    )},
    **{w: PersonRole.WORKER for w in (
        "worker", "staff", "professional", "employee", "manager", "director", "officer", "councillor",
        "coordinator", "practitioner", "nurse", "doctor", "teacher", "ceo", "executive",
    )},
}

#: Element types read as organisations, with the kind they give.
ORGANISATION_TYPES: dict[str, OrgKind] = {
    **{w: OrgKind.OTHER for w in (
        "organisation", "organization", "org", "institution", "agency", "body", "department", "ministry",
        "government", "state", "country", "city", "funder", "venue", "place", "project", "programme", "program",
        "team", "network", "partnership", "initiative", "fund",
    )},
    "group": OrgKind.COMMUNITY_GROUP,
    "community group": OrgKind.COMMUNITY_GROUP,
    "club": OrgKind.COMMUNITY_GROUP,
    "association": OrgKind.COMMUNITY_GROUP,
    "society": OrgKind.COMMUNITY_GROUP,
    **{kind.label: kind for kind in OrgKind},
    "community center": OrgKind.COMMUNITY_CENTRE,
    "hub": OrgKind.COMMUNITY_CENTRE,
    **{w: OrgKind.FAITH_GROUP for w in ("church", "mosque", "gurdwara", "temple", "synagogue", "chapel", "faith")},
    "gp": OrgKind.GP_PRACTICE,
    "surgery": OrgKind.GP_PRACTICE,
    "council": OrgKind.COUNCIL_SERVICE,
    "local authority": OrgKind.COUNCIL_SERVICE,
    "service": OrgKind.COUNCIL_SERVICE,
    "nhs": OrgKind.NHS_SERVICE,
    "hospital": OrgKind.NHS_SERVICE,
    **{w: OrgKind.BUSINESS for w in ("company", "shop", "firm", "startup", "business", "corporation", "enterprise", "employer", "store", "cafe", "pub")},
    **{w: OrgKind.SCHOOL for w in ("school", "academy", "college", "university", "nursery")},
    **{w: OrgKind.CHARITY for w in ("charity", "trust", "foundation", "ngo", "nonprofit", "non profit", "social enterprise")},
    "library": OrgKind.LIBRARY,
    "housing association": OrgKind.HOUSING,
}

#: Connection types read as tie kinds (a blank type is ``knows``).
CONNECTION_TYPES: dict[str, TieKind] = {
    **{kind.label: kind for kind in TieKind},
    **{kind.value: kind for kind in TieKind},
    "": TieKind.KNOWS,
    **{w: TieKind.KNOWS for w in (
        "friend", "friends", "neighbour", "neighbor", "acquaintance", "relationship", "family", "relative",
        "colleague", "contact", "connection", "related", "link", "social", "mentor", "mentors",
    )},
    **{w: TieKind.MEMBER_OF for w in ("member", "membership", "member of", "belongs to", "founder", "founded", "trustee", "board")},
    **{w: TieKind.WORKS_AT for w in ("works for", "employee", "employed by", "employment", "staff", "employs", "worker", "job")},
    **{w: TieKind.VOLUNTEERS_AT for w in ("volunteer", "volunteers", "volunteers for", "volunteering")},
    **{w: TieKind.PARTNERS_WITH for w in (
        "partner", "partners", "partnership", "collaborates", "collaboration", "collaborator", "alliance",
        "funds", "funding", "funder", "investor", "investment", "invests in", "supports", "refers to", "referral",
    )},
    **{w: TieKind.ATTENDS for w in ("attendee", "participant", "participates", "uses", "user", "visits", "goes to", "student")},
}

_SPLIT_TYPES = re.compile(r"\s*[/;,|&+]\s*|\s+and\s+")


def fold(text: str) -> str:
    """A type word folded for lookup.

    Examples
    --------
    >>> fold(" Community_Centre-hub ")
    'community centre hub'
    """
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


@dataclass(frozen=True)
class ActorType:
    """What an element type becomes: a person with a role, or an organisation with a kind."""

    actor_type: str  # "person" or "organisation"
    role: PersonRole | None = None
    kind: OrgKind | None = None


def _known(key: str) -> ActorType | None:
    if key in PERSON_TYPES:
        return ActorType("person", role=PERSON_TYPES[key])
    if key in ORGANISATION_TYPES:
        return ActorType("organisation", kind=ORGANISATION_TYPES[key])
    if key in ("person", "organisation"):
        return ActorType(key)
    return None


def parse_type_map(text: str | None) -> dict[str, ActorType]:
    """Read ``"State=organisation,Founder=person"`` into a lookup; one clear error for a bad entry.

    Examples
    --------
    >>> parse_type_map("State=organisation, Founder=connector")["founder"].role.value
    'connector'
    """
    out: dict[str, ActorType] = {}
    for entry in (text or "").split(","):
        if not entry.strip():
            continue
        word, sep, target = entry.partition("=")
        if not sep or not fold(word) or not fold(target):
            raise InvalidInput(f"--type-map entry {entry.strip()!r} is not of the form Word=person or Word=organisation")
        known = _known(fold(target))
        if known is None:
            raise InvalidInput(
                f"--type-map entry {entry.strip()!r}: {target.strip()!r} is not a type; "
                "use person, organisation, a role (connector, volunteer, worker) or a kind (library, charity, ...)"
            )
        out[fold(word)] = known
    return out


def _default(text: str | None) -> str:
    key = fold(text or "person")
    if key in ("person", "people"):
        return "person"
    if key in ("organisation", "organization"):
        return "organisation"
    raise InvalidInput(f"--default-type must be person or organisation, not {text!r}")


@dataclass
class Mapping:
    """The mapping rules of one import, counting what each source word became."""

    type_map: dict[str, ActorType] = field(default_factory=dict)
    default_type: str = "person"

    @classmethod
    def from_options(cls, type_map: str | None = None, default_type: str | None = None) -> "Mapping":
        """Rules from the command line's ``--type-map`` and ``--default-type`` text."""
        return cls(parse_type_map(type_map), _default(default_type))

    def element(self, type_text: str, name: str, report: ImportReport) -> ActorType:
        """What an element of type ``type_text`` (named ``name``) becomes; counted in ``report``."""
        key = fold(type_text)
        found = self.type_map.get(key) or _known(key)
        if found is None and key:
            for part in filter(None, (fold(p) for p in _SPLIT_TYPES.split(type_text))):
                found = self.type_map.get(part) or _known(part)
                if found:
                    break
        how = ""
        if found is None:
            how = " (default)" if key else " (no type)"
            if self.default_type == "organisation":
                kind = guess_kind(type_text) if key else OrgKind.OTHER
                found = ActorType("organisation", kind=guess_kind(name) if kind is OrgKind.OTHER else kind)
            else:
                found = ActorType("person")
        report.mapped(type_text or "(blank)", found.actor_type + how)
        return found

    def connection(self, type_text: str, report: ImportReport) -> "ConnectionType":
        """The tie kind for a connection type, and the original word to keep as a label (when not ours)."""
        key = fold(type_text)
        kind = CONNECTION_TYPES.get(key)
        if kind is not None:
            if not key or key in (kind.label, kind.value):
                return ConnectionType(kind, None, True)
            report.mapped(type_text, f"{kind.value} (label kept)")
            return ConnectionType(kind, type_text.strip()[:MAX_TAG], False)
        kind = _nearest(key)
        report.mapped(type_text, f"{kind.value} (label kept)")
        return ConnectionType(kind, type_text.strip()[:MAX_TAG], False)


@dataclass(frozen=True)
class ConnectionType:
    """What a connection type becomes: a tie kind, the source's own word when it is not ours, and whether it was ours."""

    kind: TieKind
    label: str | None
    ours: bool

    def swap(self, directed: bool, source_type: str, target_type: str) -> bool:
        """True when the ends should be swapped so a one-way tie runs from the person to the organisation.

        Our own words keep the direction the source gives when it gives one;
        another tool's words ("Employee" from a company to a person) and
        undirected connections are turned round.
        """
        if self.kind.symmetric or (directed and self.ours):
            return False
        return source_type == "organisation" and target_type == "person"


def _nearest(key: str) -> TieKind:
    """The tie kind of the first known word (or close spelling) in ``key``, else ``knows``."""
    words = re.sub(r"[^\w\s]", " ", key).split()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            if phrase in CONNECTION_TYPES:
                return CONNECTION_TYPES[phrase]
    close = difflib.get_close_matches(key, [k for k in CONNECTION_TYPES if k], n=1, cutoff=0.85)
    return CONNECTION_TYPES[close[0]] if close else TieKind.KNOWS
