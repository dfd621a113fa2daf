"""The domain model: people, organisations, ties, introductions and wards.

Every model validates its own fields and cleans text on the way in: Unicode is
NFC-normalised, control characters are removed, white space in names is folded
and every field has a length limit. Tags (gifts, skills, interests, needs,
purposes, offers) are short lower-case phrases.

Build models with :func:`build` when the input comes from a person: it turns
pydantic's validation errors into one readable :class:`InvalidInput`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import unicodedata
import uuid
from contextvars import ContextVar
from typing import Annotated, Any, TypeVar, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from .config import default_lawful_basis
from .errors import InvalidInput
from .identity import has_visible, refuse_noncharacters
from .sensitive import special_category_word

__all__ = [
    "StatusChange",
    "PersonRole",
    "LawfulBasis",
    "Article9Condition",
    "ConsentMethod",
    "touches_health",
    "OrgKind",
    "Sector",
    "TieKind",
    "TieSource",
    "IntroStatus",
    "Channel",
    "Person",
    "Organisation",
    "Actor",
    "Tie",
    "Introduction",
    "Ward",
    "Counts",
    "ErasureReport",
    "ErasureRecord",
    "build",
    "clean_text",
    "new_id",
    "tie_id",
    "MAX_NAME",
    "MAX_TAG",
    "MAX_TAGS",
    "MAX_OUTCOME",
    "MAX_DETAILS",
]

MAX_NAME = 120
MAX_WARD = 80
MAX_ID = 64
MAX_TAG = 40
MAX_TAGS = 30
#: Longest text of an organisation's locations or schedule.
MAX_DETAILS = 2000
MAX_OUTCOME = 1000


class _Enum(str, enum.Enum):
    """A string enumeration whose values are what users type and see."""

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The value in plain words, for display."""
        return self.value.replace("_", " ")


class PersonRole(_Enum):
    """What a person does in the network; a person may have several roles."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    CONNECTOR = "connector"
    WORKER = "worker"


class OrgKind(_Enum):
    """What kind of place or body an organisation is."""

    COMMUNITY_CENTRE = "community_centre"
    FAITH_GROUP = "faith_group"
    LIBRARY = "library"
    GP_PRACTICE = "gp_practice"
    SCHOOL = "school"
    SPORTS_CLUB = "sports_club"
    CHARITY = "charity"
    COMMUNITY_GROUP = "community_group"
    COUNCIL_SERVICE = "council_service"
    NHS_SERVICE = "nhs_service"
    HOUSING = "housing"
    BUSINESS = "business"
    OTHER = "other"


class Sector(_Enum):
    """The sector an organisation belongs to."""

    STATUTORY = "statutory"
    VOLUNTARY_COMMUNITY = "voluntary_community"
    FAITH = "faith"
    HEALTH = "health"
    EDUCATION = "education"
    PRIVATE = "private"


class TieKind(_Enum):
    """The kind of relationship a tie records."""

    KNOWS = "knows"
    MEMBER_OF = "member_of"
    WORKS_AT = "works_at"
    VOLUNTEERS_AT = "volunteers_at"
    PARTNERS_WITH = "partners_with"
    ATTENDS = "attends"

    @property
    def symmetric(self) -> bool:
        """True when the tie reads the same both ways (A knows B, B knows A)."""
        return self in (TieKind.KNOWS, TieKind.PARTNERS_WITH)


class TieSource(_Enum):
    """How the tie came to be known."""

    EVENT = "event"
    WALK = "walk"
    INTRODUCTION = "introduction"
    IMPORT = "import"
    CONVERSATION = "conversation"
    OTHER = "other"


class IntroStatus(_Enum):
    """Where an introduction has got to."""

    PLANNED = "planned"
    MADE = "made"
    FOLLOWED_UP = "followed_up"
    DECLINED = "declined"
    UNKNOWN = "unknown"

    @property
    def happened(self) -> bool:
        """True when the introduction actually took place."""
        return self in (IntroStatus.MADE, IntroStatus.FOLLOWED_UP)


class Channel(_Enum):
    """How an introduction was made."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    REFERRAL = "referral"
    EVENT = "event"
    ONLINE = "online"
    OTHER = "other"


class LawfulBasis(_Enum):
    """The UK GDPR Article 6 basis for holding a person's details."""

    CONSENT = "consent"
    LEGITIMATE_INTERESTS = "legitimate_interests"
    PUBLIC_TASK = "public_task"
    VITAL_INTERESTS = "vital_interests"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"


class Article9Condition(_Enum):
    """The UK GDPR Article 9 condition for holding health-related details."""

    EXPLICIT_CONSENT = "explicit_consent"  # 9(2)(a)
    VITAL_INTERESTS = "vital_interests"  # 9(2)(c)
    NOT_FOR_PROFIT = "not_for_profit_body"  # 9(2)(d)
    SUBSTANTIAL_PUBLIC_INTEREST = "substantial_public_interest"  # 9(2)(g)
    HEALTH_OR_SOCIAL_CARE = "health_or_social_care"  # 9(2)(h)


class ConsentMethod(_Enum):
    """How consent was given."""

    VERBAL = "verbal"
    WRITTEN = "written"
    ONLINE = "online"
    OTHER = "other"


def touches_health(tag: str) -> bool:
    """True when a tag holds a special category term (see :mod:`connector_graph.sensitive`).

    Examples
    --------
    >>> touches_health("low mood"), touches_health("mental health support"), touches_health("food")
    (True, True, False)
    """
    return special_category_word(tag) is not None


# ---------------------------------------------------------------- stored records

_STORED: ContextVar[bool] = ContextVar("connector_graph_stored_record", default=False)
M = TypeVar("M", bound=BaseModel)


def from_store(model: type[M], data: Any, *, json: bool = False) -> M:
    """Read back a record a store wrote: types are checked, the clean-ups and rules are not run again.

    Every record was validated (cleaned, checked against the rules) before
    it was written, so reading it need not repeat that; this is most of the
    cost of projecting a city-sized network. Only the one call is affected.

    Examples
    --------
    >>> from_store(Tie, '{"id": "t-x", "source_id": "a", "target_id": "b", "kind": "knows"}', json=True).kind
    <TieKind.KNOWS: 'knows'>
    """
    token = _STORED.set(True)
    try:
        return model.model_validate_json(data) if json else model.model_validate(data)
    finally:
        _STORED.reset(token)


# ---------------------------------------------------------------- text cleaning


def clean_text(value: Any, *, multiline: bool = False) -> Any:
    """Normalise text: NFC, control characters removed, white space folded.

    With ``multiline`` the line breaks survive (as ``\\n``) and only runs of
    spaces within a line are folded.

    Examples
    --------
    >>> clean_text("  Ana\\u0000 \\t  Lopez ")
    'Ana Lopez'
    >>> clean_text("Cafe\\u0301") == "Caf\\u00e9"
    True
    """
    if not isinstance(value, str) or _STORED.get():
        return value
    text = unicodedata.normalize("NFC", refuse_noncharacters(value))
    if text.isprintable() and not _BIDI.intersection(text):  # the common case: nothing to remove
        return " ".join(text.split())
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = ["".join(ch for ch in line if _printable(ch)) for line in text.split("\n")]
        return "\n".join(" ".join(line.split()) for line in lines).strip()
    text = "".join(ch if _printable(ch) else " " for ch in text)
    return " ".join(text.split())


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _printable(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Cc: control characters; Cs: lone surrogates; bidi overrides can disguise text.
    return category not in ("Cc", "Cs") and ch not in _BIDI


def _clean_tag(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return clean_text(value).casefold().replace("_", " ")


def _tag_list(value: Any) -> Any:
    """Accept a list or a comma-separated string; drop empties and repeats."""
    if value is None:
        return []
    if _STORED.get() and isinstance(value, list):
        return value
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [part for item in value for part in (item.split(",") if isinstance(item, str) else [item])]
        seen: dict[str, None] = {}
        for item in items:
            tag = _clean_tag(item)
            if isinstance(tag, str) and tag and tag not in seen:
                seen[tag] = None
            elif not isinstance(tag, str):
                return value  # let pydantic report the wrong type
        return list(seen)
    return value


def _check_id(value: str) -> str:
    if _STORED.get():
        return value
    if not value:
        raise ValueError("must not be empty")
    if any(ch.isspace() for ch in value):
        raise ValueError("must not contain spaces")
    return value


def _visible(value: str) -> str:
    if not _STORED.get() and not has_visible(value):
        raise ValueError("must show at least one visible character")
    return value


Name = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_NAME), BeforeValidator(clean_text), AfterValidator(_visible)
]
WardName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_WARD), BeforeValidator(clean_text)]
Id = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_ID), BeforeValidator(clean_text), AfterValidator(_check_id)
]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TAG)]
Tags = Annotated[list[Tag], BeforeValidator(_tag_list), Field(max_length=MAX_TAGS)]


def _none_if_blank(value: Any) -> Any:
    if isinstance(value, str) and not clean_text(value):
        return None
    return value


OptWard = Annotated[Union[WardName, None], BeforeValidator(_none_if_blank)]
TieLabel = Annotated[
    Union[Annotated[str, StringConstraints(max_length=MAX_TAG)], None],
    BeforeValidator(lambda v: _none_if_blank(clean_text(v)) if isinstance(v, str) else v),
]
Outcome = Annotated[
    Union[Annotated[str, StringConstraints(max_length=MAX_OUTCOME)], None],
    BeforeValidator(lambda v: _none_if_blank(clean_text(v, multiline=True))),
]
#: Where or when an organisation's services run: one place or timetable per line (from a directory).
Details = Annotated[
    Union[Annotated[str, StringConstraints(max_length=MAX_DETAILS)], None],
    BeforeValidator(lambda v: _none_if_blank(clean_text(v, multiline=True))),
]


def new_id(prefix: str) -> str:
    """A fresh client-side id such as ``p-3f2a9c1e4b7d``.

    Ids are made before a write so that retrying the write is harmless.
    """
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, validate_default=True, defer_build=True)


class Person(_Model):
    """A person in the network: resident, volunteer, connector or worker.

    Gifts, skills and interests come first: what someone brings. Needs are
    coarse tags only; never free-text health detail.
    """

    id: Id = Field(default_factory=lambda: new_id("p"))
    name: Name
    roles: list[PersonRole] = Field(default_factory=lambda: [PersonRole.RESIDENT], min_length=1)
    ward: OptWard = None
    gifts: Tags = Field(default_factory=list)
    skills: Tags = Field(default_factory=list)
    interests: Tags = Field(default_factory=list)
    needs: Tags = Field(default_factory=list)
    # a stored record without one (written by an older version) reads back without one, to be reported and set
    lawful_basis: LawfulBasis | None = Field(default_factory=lambda: None if _STORED.get() else default_lawful_basis())
    consent_given_on: dt.date | None = None
    consent_method: ConsentMethod | None = None
    consent_recorded_by: Annotated[Union[Annotated[str, StringConstraints(max_length=MAX_NAME)], None], BeforeValidator(_none_if_blank)] = None
    consent_withdrawn_on: dt.date | None = None
    article9_condition: Article9Condition | None = None
    restricted: bool = False
    retain_until: dt.date | None = None

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: Any) -> Any:
        if _STORED.get():
            return value
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple, set, frozenset)):
            out: list[Any] = []
            for role in value:
                role = _clean_tag(role).replace(" ", "_") if isinstance(role, str) else role
                if role not in out:
                    out.append(role)
            return sorted(out, key=str)
        return value

    @field_validator("lawful_basis", "consent_method", "article9_condition", mode="before")
    @classmethod
    def _privacy_enums(cls, value: Any) -> Any:
        if _STORED.get():
            return value
        if isinstance(value, str):
            value = _clean_tag(value).replace(" ", "_")
            return value or None
        return value

    @field_validator("lawful_basis", mode="after")
    @classmethod
    def _basis_required(cls, value: Any) -> Any:
        if _STORED.get() or value is not None:
            return value
        return default_lawful_basis()

    @model_validator(mode="after")
    def _check_privacy(self) -> "Person":
        if _STORED.get():
            return self
        today = dt.date.today()
        if self.article9_condition is None:
            for field in ("needs", "interests", "skills", "gifts"):
                refuse_special_category(field, getattr(self, field), "record an Article 9 condition (article9_condition) first, or leave it out")
        if self.lawful_basis is LawfulBasis.CONSENT and self.consent_given_on is None:
            raise ValueError("consent is the lawful basis, so record when it was given (consent_given_on)")
        for label, value in (("consent_given_on", self.consent_given_on), ("consent_withdrawn_on", self.consent_withdrawn_on)):
            if value and value > today:
                raise ValueError(f"{label} ({value}) is in the future")
        if self.consent_withdrawn_on and self.consent_given_on and self.consent_withdrawn_on < self.consent_given_on:
            raise ValueError("consent cannot be withdrawn before it was given")
        return self

    @property
    def actor_type(self) -> str:
        """``"person"``: the actor's type, as stored and shown."""
        return "person"

    @property
    def in_analysis(self) -> bool:
        """False when consent was withdrawn or processing is restricted: keep them out of analysis and exports."""
        return not self.restricted and self.consent_withdrawn_on is None


class Organisation(_Model):
    """An organisation: community centre, faith group, GP practice, council service..."""

    id: Id = Field(default_factory=lambda: new_id("o"))
    name: Name
    kind: OrgKind = OrgKind.OTHER
    sector: Sector
    ward: OptWard = None
    offers: Tags = Field(default_factory=list)
    spaces: Tags = Field(default_factory=list)
    locations: Details = None  # where its services run, one place per line
    schedule: Details = None  # when they run, one "offer: times" per line

    @field_validator("kind", "sector", mode="before")
    @classmethod
    def _enum_text(cls, value: Any) -> Any:
        if _STORED.get():
            return value
        return _clean_tag(value).replace(" ", "_") if isinstance(value, str) else value

    @property
    def actor_type(self) -> str:
        """``"organisation"``: the actor's type, as stored and shown."""
        return "organisation"


Actor = Union[Person, Organisation]


def tie_id(source_id: str, target_id: str, kind: TieKind | str) -> str:
    """The id of the tie of ``kind`` between two actors.

    Ties are identified by their ends and kind, so recording the same tie
    twice (or, for symmetric kinds, from the other end) changes nothing.

    Examples
    --------
    >>> tie_id("a", "b", "knows") == tie_id("b", "a", "knows")
    True
    >>> tie_id("a", "b", "member_of") == tie_id("b", "a", "member_of")
    False
    """
    kind = TieKind(kind)
    ends = sorted((source_id, target_id)) if kind.symmetric else [source_id, target_id]
    digest = hashlib.sha256("\x1f".join([*ends, kind.value]).encode()).hexdigest()[:20]
    return f"t-{digest}"


class Tie(_Model):
    """A relationship between two actors.

    For symmetric kinds (``knows``, ``partners_with``) the ends are stored in
    a fixed order so the same tie recorded from either end is one tie.
    """

    id: str = ""
    source_id: Id
    target_id: Id
    kind: TieKind = TieKind.KNOWS
    since: dt.date | None = None
    last_confirmed: dt.date | None = None
    source: TieSource = TieSource.OTHER
    #: How strong the tie is (any positive number; 1 unless a source says otherwise).
    weight: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1.0
    #: The source's own word for the relationship when it is not one of our kinds ("Investor").
    label: TieLabel = None

    @field_validator("kind", "source", mode="before")
    @classmethod
    def _enum_text(cls, value: Any) -> Any:
        if _STORED.get():
            return value
        return _clean_tag(value).replace(" ", "_") if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> "Tie":
        if _STORED.get():
            return self
        if self.source_id == self.target_id:
            raise ValueError("a tie needs two different actors")
        if self.since and self.last_confirmed and self.last_confirmed < self.since:
            raise ValueError("last_confirmed cannot be before since")
        today = dt.date.today()
        for label, value in (("since", self.since), ("last_confirmed", self.last_confirmed)):
            if value and value > today:
                raise ValueError(f"{label} ({value}) is in the future")
        if self.kind.symmetric and self.target_id < self.source_id:
            src, dst = self.target_id, self.source_id
            object.__setattr__(self, "source_id", src)
            object.__setattr__(self, "target_id", dst)
        expected = tie_id(self.source_id, self.target_id, self.kind)
        if self.id and self.id != expected:
            raise ValueError("id does not match the tie's ends and kind")
        object.__setattr__(self, "id", expected)
        return self


class Introduction(_Model):
    """One introduction: who introduced whom to whom (or to which organisation)."""

    id: Id = Field(default_factory=lambda: new_id("i"))
    date: dt.date = Field(default_factory=dt.date.today)
    introducer_id: Id
    subject_id: Id
    target_id: Id
    purposes: Tags = Field(default_factory=list)
    channel: Channel = Channel.IN_PERSON
    status: IntroStatus = IntroStatus.MADE
    follow_up: dt.date | None = None
    outcome: Outcome = None

    @field_validator("channel", "status", mode="before")
    @classmethod
    def _enum_text(cls, value: Any) -> Any:
        if _STORED.get():
            return value
        return _clean_tag(value).replace(" ", "_") if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> "Introduction":
        if _STORED.get():
            return self
        if self.subject_id == self.target_id:
            raise ValueError("a person cannot be introduced to themselves")
        if self.introducer_id == self.subject_id:
            raise ValueError("the introducer cannot also be the person introduced")
        if self.introducer_id == self.target_id:
            raise ValueError("the introducer cannot also be who they were introduced to")
        if self.status.happened and self.date > dt.date.today():
            raise ValueError(f"an introduction marked {self.status.label!r} cannot be dated in the future ({self.date})")
        if self.follow_up and self.follow_up < self.date:
            raise ValueError("the follow-up date cannot be before the introduction")
        latest = _a_year_from_today()
        for label, value in (("date", self.date), ("follow_up", self.follow_up)):
            if value and value > latest:
                raise ValueError(f"{label} ({value}) is more than a year ahead; plan introductions within the year")
        refuse_special_category("purposes", self.purposes, "keep health and other special category detail out of introductions")
        refuse_special_category("outcome", [self.outcome] if self.outcome else [], "keep health and other special category detail out of introductions")
        return self


@dataclasses.dataclass(frozen=True)
class StatusChange:
    """An introduction's status and outcome from ``day`` on (its history, kept by the store)."""

    introduction_id: str
    day: dt.date
    status: IntroStatus
    outcome: str | None = None


class Ward(_Model):
    """An electoral ward, with its population where known."""

    name: WardName
    code: Annotated[Union[Annotated[str, StringConstraints(max_length=20)], None], BeforeValidator(_none_if_blank)] = None
    population: int | None = Field(default=None, ge=0, le=10_000_000)
    deprivation: float | None = Field(default=None, ge=0)


class Counts(BaseModel):
    """How much a store holds."""

    model_config = ConfigDict(defer_build=True)

    people: int = 0
    organisations: int = 0
    ties: int = 0
    introductions: int = 0
    wards: int = 0


class ErasureRecord(BaseModel):
    """One line of the erasure register: keyed one-way values, never a name or a raw id."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    id_hash: str
    fingerprint: str | None = None  # people only: keyed value of folded name and ward
    erased_at: dt.datetime


class ErasureReport(BaseModel):
    """What an erasure removed."""

    model_config = ConfigDict(defer_build=True)

    actor_id: str
    ties: int = 0
    introductions: int = 0




def refuse_special_category(field: str, texts: list[str], advice: str) -> None:
    """Raise ``ValueError`` naming the field and the word when ``texts`` hold special category data."""
    for text in texts:
        term = special_category_word(text, field=field)
        if term:
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise ValueError(f"{field}: {shown!r} is special category data (the word {term!r}); {advice}")


def _a_year_from_today() -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today + dt.timedelta(days=365)


def build(model: type[M], **fields: Any) -> M:
    """Validate ``fields`` into ``model``, raising one readable :class:`InvalidInput`.

    Examples
    --------
    >>> build(Person, name="Ana").name
    'Ana'
    >>> build(Person, name="")
    Traceback (most recent call last):
    ...
    connector_graph.errors.InvalidInput: name: must not be empty
    """
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc)) from None


def describe_validation_error(exc: ValidationError) -> str:
    """Turn pydantic's error list into short ``field: problem`` phrases."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"] if p != "__root__")
        parts.append(f"{where}: {_friendly(err)}" if where else _friendly(err))
    return "; ".join(parts)


def _friendly(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind == "missing":
        return "is required"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})"
    if kind == "enum":
        return f"must be one of {ctx.get('expected')}, not {err.get('input')!r}"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]
