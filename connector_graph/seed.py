"""Deterministic synthetic demo data: a Leeds-shaped network of people,
organisations, ties and introductions.

Everything is invented: names are random pairings from name lists, and which
wards come out "poorly connected" is a roll of the dice, not a claim about a
real place. The settings live in ``seed_data/demo_settings.json`` (documented
in ``seed_data/README.md``) and the wards in ``seed_data/leeds_wards.csv``.

The data is shaped so that analysis finds true things in it:

- a heavy-tailed degree distribution: a few connectors and workers hold many
  ties, "knows" ties grow by preferential attachment within each ward, and
  most links between wards run through connectors;
- a few poorly connected wards, with far fewer ties per actor;
- about 5% of residents isolated (no ties and no introductions);
- few partnerships between statutory/health bodies and voluntary/faith groups;
- stale ties (not confirmed for over a year);
- introductions that grow over 24 months, made mostly by a few busy
  connectors, matched to the interests and needs of the person introduced,
  with overdue follow-ups among the recent ones.

The same ``seed`` and ``today`` always give the same batch: one
``random.Random(seed)`` drives everything, ids are sequential, and no set or
hash order is ever iterated.

Examples
--------
>>> import datetime as dt
>>> batch = generate(50, seed=1, today=dt.date(2024, 6, 1))
>>> len(batch.people) + len(batch.organisations)
50
>>> batch == generate(50, seed=1, today=dt.date(2024, 6, 1))
True
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import gc
import json
import math
import random
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, Sequence, TypeVar

from .errors import InvalidInput
from .model import (
    Article9Condition,
    Channel,
    ConsentMethod,
    LawfulBasis,
    Introduction,
    IntroStatus,
    Organisation,
    OrgKind,
    Person,
    PersonRole,
    Sector,
    Tie,
    TieKind,
    TieSource,
    Ward,
    build,
    tie_id,
    touches_health,
)
from .store.base import Batch

M = TypeVar("M")

__all__ = [
    "SEED_DIR",
    "DEFAULT_SETTINGS",
    "DEFAULT_WARDS",
    "MIN_SIZE",
    "MAX_SIZE",
    "load_settings",
    "load_wards",
    "generate",
]

#: The folder holding the seed files: ``<repo>/seed_data``.
SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"
DEFAULT_SETTINGS = SEED_DIR / "demo_settings.json"
DEFAULT_WARDS = SEED_DIR / "leeds_wards.csv"

#: Smallest and largest number of actors ``generate`` accepts.
MIN_SIZE = 10
MAX_SIZE = 1_000_000

_REQUIRED = (
    "seed",
    "demo_actors",
    "people",
    "wards",
    "ties",
    "introductions",
    "tags",
    "matching",
    "organisations",
    "names",
)


# ------------------------------------------------------------------ loading


def load_settings(path: Path | str | None = None) -> dict[str, Any]:
    """Read and check the generator settings (default ``seed_data/demo_settings.json``).

    Raises :class:`InvalidInput` with a readable message when the file is
    missing, is not JSON or lacks what the generator needs.
    """
    path = Path(path) if path is not None else DEFAULT_SETTINGS
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read the seed settings file {path}: {exc.strerror or exc}") from None
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the seed settings file {path} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    _check_settings(settings, str(path))
    return settings


def _check_settings(settings: Any, where: str = "settings") -> None:
    """Raise :class:`InvalidInput` unless ``settings`` has what the generator needs."""
    if not isinstance(settings, dict):
        raise InvalidInput(f"{where}: the seed settings must be a JSON object")
    missing = [key for key in _REQUIRED if key not in settings]
    if missing:
        raise InvalidInput(f"{where}: the seed settings lack {', '.join(missing)}")
    problems: list[str] = []
    if not isinstance(settings["seed"], int) or isinstance(settings["seed"], bool):
        problems.append("seed must be a whole number")
    if not isinstance(settings["demo_actors"], int) or not MIN_SIZE <= settings["demo_actors"] <= MAX_SIZE:
        problems.append(f"demo_actors must be a whole number from {MIN_SIZE} to {MAX_SIZE}")
    roles = settings["people"].get("roles", {}) if isinstance(settings["people"], dict) else {}
    for role in roles:
        if role not in {r.value for r in PersonRole}:
            problems.append(f"people.roles: unknown role {role!r}")
    if PersonRole.CONNECTOR.value not in roles or PersonRole.RESIDENT.value not in roles:
        problems.append("people.roles must give shares for at least 'resident' and 'connector'")
    orgs = settings["organisations"]
    if not isinstance(orgs, dict) or not orgs:
        problems.append("organisations must map organisation kinds to their settings")
        orgs = {}
    kinds = {k.value for k in OrgKind}
    sectors = {s.value for s in Sector}
    for kind, spec in orgs.items():
        if kind not in kinds:
            problems.append(f"organisations: unknown kind {kind!r} (known: {', '.join(sorted(kinds))})")
            continue
        if not isinstance(spec, dict):
            problems.append(f"organisations.{kind} must be an object")
            continue
        for key in ("per_1000_actors", "sector", "names", "offers", "spaces"):
            if key not in spec:
                problems.append(f"organisations.{kind} lacks {key}")
        per_1000 = spec.get("per_1000_actors", 0)
        if not isinstance(per_1000, (int, float)) or isinstance(per_1000, bool) or per_1000 < 0:
            problems.append(f"organisations.{kind}.per_1000_actors must be a number of at least 0")
        if not spec.get("names"):
            problems.append(f"organisations.{kind}.names must hold at least one name pattern")
        sector = spec.get("sector")
        named = [sector] if isinstance(sector, str) else list(sector or {})
        for value in named:
            if value not in sectors:
                problems.append(f"organisations.{kind}.sector: unknown sector {value!r}")
        for pattern in spec.get("names", {}):
            if "{place}" not in pattern:
                problems.append(f"organisations.{kind}.names: {pattern!r} lacks {{place}}")
    tags = settings["tags"]
    for key in ("gifts", "skills", "interests", "needs"):
        if not isinstance(tags, dict) or not tags.get(key):
            problems.append(f"tags.{key} must be a non-empty list")
    groups = settings["names"].get("groups", {}) if isinstance(settings["names"], dict) else {}
    if not groups:
        problems.append("names.groups must hold at least one group of first names and surnames")
    for name, group in groups.items():
        if not isinstance(group, dict) or not group.get("first") or not group.get("last"):
            problems.append(f"names.groups.{name} needs 'first' and 'last' lists")
    intro = settings["introductions"]
    for key in ("status_recent", "status_older", "channels"):
        for value in intro.get(key, {}) if isinstance(intro, dict) else {}:
            enum = Channel if key == "channels" else IntroStatus
            if value not in {e.value for e in enum}:
                problems.append(f"introductions.{key}: unknown value {value!r}")
    if problems:
        raise InvalidInput(f"{where}: " + "; ".join(problems))


def load_wards(path: Path | str | None = None) -> list[Ward]:
    """Read wards from a ``name,code,population[,deprivation]`` CSV (default: the 33 Leeds wards).

    Blank codes, populations and deprivation measures become ``None``
    (the demo's deprivation deciles are synthetic: see ``seed_data/README.md``). Raises :class:`InvalidInput`
    when the file is missing, a row is invalid or a name repeats.
    """
    path = Path(path) if path is not None else DEFAULT_WARDS
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InvalidInput(f"cannot read the wards file {path}: {exc.strerror or exc}") from None
    if not rows or "name" not in rows[0]:
        raise InvalidInput(f"the wards file {path} needs a header row name,code,population and at least one ward")
    wards: list[Ward] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        population = (row.get("population") or "").strip().replace(",", "")
        deprivation = (row.get("deprivation") or "").strip()
        try:
            ward = build(
                Ward,
                name=row.get("name") or "",
                code=row.get("code") or None,
                population=int(population) if population else None,
                deprivation=float(deprivation) if deprivation else None,
            )
        except (InvalidInput, ValueError) as exc:
            raise InvalidInput(f"{path}, line {number}: {exc}") from None
        if ward.name.casefold() in seen:
            raise InvalidInput(f"{path}, line {number}: ward {ward.name!r} repeats line {seen[ward.name.casefold()]}")
        seen[ward.name.casefold()] = number
        wards.append(ward)
    return wards


# --------------------------------------------------------------- generation


def generate(
    size: int | str = "demo",
    *,
    seed: int | None = None,
    today: dt.date | None = None,
    settings: dict[str, Any] | None = None,
) -> Batch:
    """Make a synthetic network of about ``size`` actors (people + organisations).

    ``size="demo"`` gives ``settings["demo_actors"]`` actors (1,000); an int
    gives exactly that many (from 10 to 1,000,000). Introductions number about
    ``introductions.per_actor`` per actor, over the 24 months before ``today``
    (default: the current date), with a few planned ones up to 30 days ahead.
    ``seed`` defaults to the settings' seed. The same arguments always give
    the same batch.

    Raises :class:`InvalidInput` for a bad size, a ``today`` in the future or
    bad settings.
    """
    count = _parse_size(size)
    settings = settings if settings is not None else load_settings()
    _check_settings(settings)
    if count is None:
        count = settings["demo_actors"]
    real_today = dt.date.today()
    today = today or real_today
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        raise InvalidInput(f"today must be a date, not {today!r}")
    if today > real_today:
        raise InvalidInput(f"today ({today}) cannot be in the future: ties and introductions would be dated after now")
    if seed is None:
        seed = settings["seed"]
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise InvalidInput(f"seed must be a whole number, not {seed!r}")
    wards_file = settings.get("wards_file")
    wards = load_wards(SEED_DIR / wards_file if wards_file else None)
    # Millions of small objects and no reference cycles: the cyclic collector
    # would only rescan them again and again (about a quarter of the time at 100,000 actors).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _Builder(settings, wards, count, seed, today).run()
    except KeyError as exc:  # a nested setting the checks above do not cover
        raise InvalidInput(f"the seed settings lack {exc.args[0]!r} (see seed_data/README.md)") from None
    finally:
        if collecting:
            gc.enable()


def _parse_size(size: Any) -> int | None:
    """The number of actors asked for, ``None`` for the demo size."""
    if isinstance(size, str) and size.strip().casefold() == "demo":
        return None
    if isinstance(size, bool) or not isinstance(size, int):
        raise InvalidInput(f"size must be 'demo' or a whole number of actors, not {size!r}")
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise InvalidInput(f"size must be from {MIN_SIZE:,} to {MAX_SIZE:,} actors, not {size:,}")
    return size


# ------------------------------------------------------------ draft records


@dataclass(slots=True)
class _PersonDraft:
    kind: str  # resident, volunteer, worker or connector
    ward: int
    name: str = ""
    roles: list[str] = field(default_factory=list)
    gifts: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    isolated: bool = False
    employer: int = -1  # actor index of the organisation they work at
    activity: float = 1.0  # how busy an introducer is: heavy-tailed, shared by reach and introductions
    patch: list[int] = field(default_factory=list)  # wards a connector covers, home first


@dataclass(slots=True)
class _OrgDraft:
    kind: str
    sector: str
    ward: int
    name: str
    offers: list[str]
    spaces: list[str]


class _Picker:
    """Weighted choice by bisection over cumulative weights (O(log n) a pick)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        pairs = [(item, w) for item, w in zip(items, weights) if w > 0]
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1] if self.cum else 0.0

    def __bool__(self) -> bool:
        return bool(self.items)

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    """One key of ``table`` chosen in proportion to its value."""
    return _Picker(list(table), list(table.values())).pick(rng)


def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method for small means, normal approximation above 30)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _apportion(total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split ``total`` over ``shares`` by the largest-remainder method (sums exactly)."""
    weight = sum(shares.values())
    exact = {k: total * v / weight for k, v in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = total - sum(counts.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - counts[k]), list(shares).index(k)))[:rest]:
        counts[key] += 1
    return counts


def _places(ward: str) -> list[str]:
    """Place names in a ward's name: ``"Gipton & Harehills"`` gives Gipton and Harehills."""
    return [part.strip() for part in ward.replace(" and ", " & ").split("&") if part.strip()]


# ------------------------------------------------------------------ builder


class _Builder:
    """Builds one batch; every random choice goes through ``self.rng`` in a fixed order."""

    def __init__(self, settings: dict[str, Any], wards: list[Ward], size: int, seed: int, today: dt.date) -> None:
        self.s = settings
        self.rng = random.Random(seed)
        self.size = size
        self.today = today
        self.T = today.toordinal()
        self.wards = wards
        self.ward_names = [w.name for w in wards]
        self.ward_pop = [float(w.population or 1) for w in wards]
        self.people: list[_PersonDraft] = []
        self.orgs: list[_OrgDraft] = []
        # ties keyed by (kind, end, end) with actor indices: people first, then organisations
        self.ties: dict[tuple[str, int, int], tuple[int | None, int | None, str]] = {}
        self._pickers: dict[int, _Picker] = {}
        self._local_offers: dict[tuple[int, str], list[int]] = {}
        self.intros: list[tuple[int, int, int, int, list[str], str, str, int | None, str | None]] = []

    # ---------------------------------------------------------------- run

    def run(self) -> Batch:
        """Draft everything, then validate it into models."""
        self._ward_factors()
        n_orgs, n_people = self._split_size()
        self._make_orgs(n_orgs)
        self._make_people(n_people)
        self._index()
        self._employment()
        self._knows_within_wards()
        self._knows_across_wards()
        self._org_ties()
        self._volunteering()
        self._worker_contacts()
        self._connector_reach()
        self._partnerships()
        self._introductions()
        return self._batch()

    # ------------------------------------------------------------ helpers

    def _ward_factors(self) -> None:
        """How connected each ward is: a log-normal spread, and a few wards far below."""
        cfg = self.s["wards"]
        rng = self.rng
        self.factor = [math.exp(rng.gauss(0, cfg.get("connectedness_sigma", 0.3))) for _ in self.wards]
        count = min(int(cfg.get("poorly_connected_count", 0)), max(0, len(self.wards) - 1))
        self.poor_wards = sorted(rng.sample(range(len(self.wards)), count))
        for w in self.poor_wards:
            self.factor[w] *= cfg.get("poorly_connected_factor", 0.2)

    def _split_size(self) -> tuple[int, int]:
        per_1000 = sum(spec["per_1000_actors"] for spec in self.s["organisations"].values())
        n_orgs = min(max(1, round(self.size * per_1000 / 1000)), self.size - 4)
        return n_orgs, self.size - n_orgs

    def _since_dates(self, max_years: float | None = None) -> tuple[int, int | None]:
        """``since`` and ``last_confirmed`` ordinals for a tie, some stale, a few never confirmed."""
        cfg, rng, T = self.s["ties"], self.rng, self.T
        newest = T - cfg.get("newest_since_days", 14)
        oldest = T - round(365.25 * (max_years or cfg.get("since_max_years", 8)))
        since = rng.randint(oldest, newest)
        if rng.random() < cfg.get("unconfirmed_fraction", 0.03):
            return since, None
        stale_line = T - cfg.get("stale_after_days", 365)
        if since < stale_line and rng.random() < cfg.get("stale_fraction", 0.25):
            return since, rng.randint(since, stale_line - 1)
        return since, rng.randint(max(since, stale_line + 1), T)

    def _tie(
        self,
        a: int,
        b: int,
        kind: TieKind,
        *,
        since: int | None = None,
        confirmed: int | None = None,
        source: str | None = None,
        max_years: float | None = None,
    ) -> bool:
        """Record a tie unless it is a loop or already there; True when added."""
        if a == b:
            return False
        key = (kind.value, min(a, b), max(a, b)) if kind.symmetric else (kind.value, a, b)
        if key in self.ties:
            return False
        if since is None:
            since, confirmed = self._since_dates(max_years)
        if source is None:
            source = self._weighted(self.s["ties"]["sources"][kind.value])
        self.ties[key] = (since, confirmed, source)
        return True

    def _weighted(self, table: dict[str, float]) -> str:
        """One key of ``table`` (a table in the settings) chosen in proportion to its value."""
        picker = self._pickers.get(id(table))
        if picker is None:  # the settings outlive the builder, so their ids are stable keys
            picker = self._pickers[id(table)] = _Picker(list(table), list(table.values()))
        return picker.pick(self.rng)

    def _activities(self, n: int) -> list[float]:
        """How busy each of ``n`` introducers is: Pareto-distributed, capped, in random order.

        The draws are stratified (one from each ``1/n`` slice of the
        distribution) so even a dozen connectors show the same unevenness
        whatever the seed, and capped because nobody makes thousands of
        introductions.
        """
        cfg, rng = self.s["introductions"], self.rng
        alpha = cfg.get("introducer_activity_alpha", 1.1)
        cap = cfg.get("introducer_activity_max", 25.0)
        values = [min(cap, (1.0 - (k + rng.random()) / n) ** (-1.0 / alpha)) for k in range(n)]
        rng.shuffle(values)
        return values

    def _org_index(self, i: int) -> int:
        """The actor index of organisation ``i``."""
        return len(self.people) + i

    # ------------------------------------------------------ organisations

    def _make_orgs(self, n_orgs: int) -> None:
        rng, specs = self.rng, self.s["organisations"]
        counts = _apportion(n_orgs, {k: spec["per_1000_actors"] for k, spec in specs.items()})
        ward_pick = _Picker(range(len(self.wards)), [p * math.sqrt(f) for p, f in zip(self.ward_pop, self.factor)])
        used: dict[str, None] = {}
        for kind, count in counts.items():
            spec = specs[kind]
            patterns = list(spec["names"])
            for _ in range(count):
                ward = ward_pick.pick(rng)
                pattern = rng.choice(patterns)
                name = self._org_name(pattern, ward, used)
                sector = spec["sector"] if isinstance(spec["sector"], str) else _weighted(rng, spec["sector"])
                offers = list(dict.fromkeys([*spec["names"][pattern], *self._sample(spec["offers"], 0, 3)]))
                spaces = self._sample(spec["spaces"], 0, 3)
                self.orgs.append(_OrgDraft(kind, sector, ward, name, offers, spaces))
        rng.shuffle(self.orgs)  # ids in no particular order of kind

    def _org_name(self, pattern: str, ward: int, used: dict[str, None]) -> str:
        """A name from ``pattern`` in ``ward``, made unique with a street or a number."""
        places = _places(self.ward_names[ward])
        rng = self.rng
        for _ in range(4):
            name = pattern.format(place=rng.choice(places))
            if name not in used:
                used[name] = None
                return name
        for street in ("Road", "Lane", "Street", "Hill", "Park", "Moor", "Green", "Bridge"):
            name = pattern.format(place=f"{rng.choice(places)} {street}")
            if name not in used:
                used[name] = None
                return name
        number = 2
        while f"{name} {number}" in used:
            number += 1
        used[f"{name} {number}"] = None
        return f"{name} {number}"

    def _sample(self, vocab: Sequence[str], low: int, high: int) -> list[str]:
        """Between ``low`` and ``high`` distinct items of ``vocab``."""
        k = min(len(vocab), self.rng.randint(low, high))
        return self.rng.sample(list(vocab), k) if k else []

    # ------------------------------------------------------------- people

    def _make_people(self, n_people: int) -> None:
        cfg, rng = self.s["people"], self.rng
        roles = _apportion(n_people, cfg["roles"])
        if roles.get("connector", 0) < 1:  # always at least one connector
            biggest = max(roles, key=lambda r: roles[r])
            roles[biggest] -= 1
            roles["connector"] = 1
        kinds = [kind for kind, count in roles.items() for _ in range(count)]
        rng.shuffle(kinds)
        home = _Picker(range(len(self.wards)), self.ward_pop)
        covered = _Picker(range(len(self.wards)), [p * f for p, f in zip(self.ward_pop, self.factor)])
        staff = _Picker(
            range(len(self.orgs)), [self.s["organisations"][o.kind].get("staff_weight", 1) for o in self.orgs]
        )
        names = self._name_maker()
        busy = self._activities(roles["connector"])
        for kind in kinds:
            person = _PersonDraft(kind=kind, ward=home.pick(rng))
            person.name = names()
            if kind == "connector":
                person.ward = covered.pick(rng)
                person.roles = ["connector"]
                person.patch = [person.ward]
                person.activity = busy.pop()
                # busier connectors cover more wards: one more for each doubling of activity
                chances = [*cfg.get("connector_extra_wards", []), *[1.0] * int(math.log2(person.activity))]
                for chance in chances[: max(0, cfg.get("connector_wards_max", 6) - 1)]:
                    if rng.random() < chance:
                        extra = covered.pick(rng)
                        if extra not in person.patch:
                            person.patch.append(extra)
            elif kind == "worker" and staff:
                person.employer = staff.pick(rng)
                if rng.random() < cfg.get("worker_lives_in_patch", 0.6):
                    person.ward = self.orgs[person.employer].ward
                in_ward = person.ward == self.orgs[person.employer].ward
                also_resident = in_ward and rng.random() < cfg.get("worker_also_resident", 0.3)
                person.roles = ["resident", "worker"] if also_resident else ["worker"]
            elif kind == "volunteer":
                also_resident = rng.random() < cfg.get("volunteer_also_resident", 0.9)
                person.roles = ["resident", "volunteer"] if also_resident else ["volunteer"]
            else:  # a resident (or a worker with nowhere to work)
                person.kind, person.roles = "resident", ["resident"]
            self._tags(person)
            self.people.append(person)
        residents = [p for p in self.people if p.kind == "resident"]
        isolated = round(len(residents) * cfg.get("isolated_fraction_of_residents", 0.05))
        for person in rng.sample(residents, isolated):
            person.isolated = True

    def _name_maker(self) -> Any:
        """A function making one synthetic full name per call."""
        cfg, rng = self.s["names"], self.rng
        groups = list(cfg["groups"].values())
        weights = [g.get("weight", 1) for g in groups]
        mixed = cfg.get("mixed_fraction", 0.15)

        def make() -> str:
            first_group = rng.choices(groups, weights=weights)[0]
            last_group = rng.choices(groups, weights=weights)[0] if rng.random() < mixed else first_group
            return f"{rng.choice(first_group['first'])} {rng.choice(last_group['last'])}"

        return make

    def _tags(self, person: _PersonDraft) -> None:
        counts, tags, rng = self.s["people"]["tag_counts"], self.s["tags"], self.rng
        person.gifts = self._sample(tags["gifts"], *counts["gifts"])
        person.skills = self._sample(tags["skills"], *counts["skills"])
        person.interests = self._sample(tags["interests"], *counts["interests"])
        with_needs = self.s["people"].get("with_needs_fraction", 0.35)
        if person.kind in ("resident", "volunteer") and rng.random() < with_needs:
            person.needs = self._sample(tags["needs"], *counts["needs"])

    # --------------------------------------------------------------- pools

    def _index(self) -> None:
        """Per-ward lists of who can be tied or introduced (never the isolated)."""
        W = len(self.wards)
        self.ward_members: list[list[int]] = [[] for _ in range(W)]  # residents, volunteers, local workers
        self.ward_residents: list[list[int]] = [[] for _ in range(W)]  # subjects of introductions
        self.ward_needy: list[list[int]] = [[] for _ in range(W)]
        self.ward_orgs: list[list[int]] = [[] for _ in range(W)]
        self.connectors: list[int] = []
        self.workers: list[int] = []
        self.volunteers: list[int] = []
        for i, p in enumerate(self.people):
            if p.isolated:
                continue
            if p.kind == "connector":
                self.connectors.append(i)
                continue
            self.ward_members[p.ward].append(i)
            if p.kind == "worker":
                self.workers.append(i)
                continue
            self.ward_residents[p.ward].append(i)
            if p.needs:
                self.ward_needy[p.ward].append(i)
            if p.kind == "volunteer":
                self.volunteers.append(i)
        for j, o in enumerate(self.orgs):
            self.ward_orgs[o.ward].append(j)
        self.ward_spaced = [[j for j in orgs if self.orgs[j].spaces] for orgs in self.ward_orgs]
        # how popular each organisation is: a few draw crowds, most are small
        self._popularity = [min(40.0, self.rng.paretovariate(1.3)) for _ in self.orgs]
        # how busy each possible introducer is: a few do most of the connecting
        for pool in (self.workers, self.volunteers):
            for i, activity in zip(pool, self._activities(len(pool))):
                self.people[i].activity = activity
        self.all_members = [i for members in self.ward_members for i in members]
        # organisations by what they offer, city-wide and per ward
        self.offer_orgs: dict[str, list[int]] = {}
        self.ward_offer_orgs: dict[tuple[int, str], list[int]] = {}
        for j, o in enumerate(self.orgs):
            for offer in o.offers:
                self.offer_orgs.setdefault(offer, []).append(j)
                self.ward_offer_orgs.setdefault((o.ward, offer), []).append(j)
        # people by interest and by gift, per ward (for person-to-person introductions)
        self.ward_tag_people: dict[tuple[int, str], list[int]] = {}
        for members in self.ward_residents:
            for i in members:
                p = self.people[i]
                for tag in dict.fromkeys([*p.interests, *p.gifts]):
                    self.ward_tag_people.setdefault((p.ward, tag), []).append(i)

    # --------------------------------------------------------------- ties

    def _employment(self) -> None:
        """``works_at`` for workers, and for most connectors (council, charity or GP based)."""
        cfg, rng = self.s["people"], self.rng
        years = self.s["ties"].get("works_at_since_max_years", 12)
        for i in self.workers:
            self._tie(i, self._org_index(self.people[i].employer), TieKind.WORKS_AT, max_years=years)
        employers = cfg.get("connector_employer_kinds", {})
        for i in self.connectors:
            if rng.random() >= cfg.get("connector_employer_fraction", 0.85):
                continue
            person = self.people[i]
            local = [j for w in person.patch for j in self.ward_orgs[w] if self.orgs[j].kind in employers]
            pool = local or [j for j, o in enumerate(self.orgs) if o.kind in employers]
            if pool:
                picker = _Picker(pool, [employers[self.orgs[j].kind] for j in pool])
                person.employer = picker.pick(rng)
                self._tie(i, self._org_index(person.employer), TieKind.WORKS_AT, max_years=years)

    def _knows_within_wards(self) -> None:
        """Preferential attachment within each ward: a few well-known locals, many with one or two ties."""
        cfg, rng = self.s["ties"], self.rng
        pa = cfg.get("preferential_attachment", 0.75)
        for w, members in enumerate(self.ward_members):
            order = list(members)
            rng.shuffle(order)
            ends: list[int] = []  # every endpoint so far: picking from it is picking by degree
            lam = cfg.get("knows_mean", 1.3) * self.factor[w]
            for position, i in enumerate(order[1:], start=1):
                for _ in range(max(1, _poisson(rng, lam))):
                    j = rng.choice(ends) if ends and rng.random() < pa else order[rng.randrange(position)]
                    if self._tie(i, j, TieKind.KNOWS):
                        ends += (i, j)

    def _knows_across_wards(self) -> None:
        """A few people know someone in another ward directly (most cross-ward links go via connectors)."""
        rng = self.rng
        members = self.all_members
        if len(members) < 2:
            return
        for _ in range(round(len(members) * self.s["ties"].get("cross_ward_knows_fraction", 0.03))):
            a, b = members[rng.randrange(len(members))], members[rng.randrange(len(members))]
            if self.people[a].ward != self.people[b].ward:
                self._tie(a, b, TieKind.KNOWS)

    def _org_pickers(self, weight_key: str) -> tuple[list[_Picker], _Picker]:
        """Per-ward and city-wide pickers of organisations by ``weight_key`` times popularity."""
        specs = self.s["organisations"]
        weight = [specs[o.kind].get(weight_key, 1) * self._popularity[j] for j, o in enumerate(self.orgs)]
        per_ward = [_Picker(orgs, [weight[j] for j in orgs]) for orgs in self.ward_orgs]
        return per_ward, _Picker(range(len(self.orgs)), weight)

    def _org_ties(self) -> None:
        """Residents and volunteers attend or belong to local organisations (popular ones more)."""
        cfg, rng = self.s["ties"], self.rng
        per_ward, city = self._org_pickers("attendance_weight")
        member_kinds = set(cfg.get("member_of_kinds", []))
        other = cfg.get("org_tie_other_ward", 0.08)
        for w, members in enumerate(self.ward_members):
            lam = cfg.get("org_ties_mean", 0.9) * self.factor[w]
            for i in members:
                if self.people[i].kind == "worker":
                    continue
                for _ in range(_poisson(rng, lam)):
                    picker = city if rng.random() < other or not per_ward[w] else per_ward[w]
                    if not picker:
                        break
                    j = picker.pick(rng)
                    member = self.orgs[j].kind in member_kinds and rng.random() < 0.6
                    kind = TieKind.MEMBER_OF if member else TieKind.ATTENDS
                    self._tie(i, self._org_index(j), kind)

    def _volunteering(self) -> None:
        """Each volunteer gives time at one or two organisations, mostly voluntary and faith groups."""
        rng = self.rng
        per_ward, city = self._org_pickers("volunteer_weight")
        low, high = self.s["ties"].get("volunteer_orgs", [1, 2])
        for i in self.volunteers:
            w = self.people[i].ward
            for _ in range(rng.randint(low, high)):
                picker = per_ward[w] if per_ward[w] and rng.random() < 0.85 else city
                if picker:
                    self._tie(i, self._org_index(picker.pick(rng)), TieKind.VOLUNTEERS_AT)

    def _worker_contacts(self) -> None:
        """Workers know residents around their workplace, and a few colleagues."""
        cfg, rng = self.s["ties"], self.rng
        colleagues: dict[int, list[int]] = {}
        for i in self.workers:
            colleagues.setdefault(self.people[i].employer, []).append(i)
        for i in self.workers:
            org = self.orgs[self.people[i].employer]
            pool = self.ward_members[org.ward]
            for _ in range(_poisson(rng, cfg.get("worker_knows_mean", 6) * self.factor[org.ward])):
                if pool:
                    self._tie(i, pool[rng.randrange(len(pool))], TieKind.KNOWS)
            mates = colleagues[self.people[i].employer]
            for _ in range(min(len(mates) - 1, cfg.get("worker_colleagues_max", 3))):
                self._tie(i, mates[rng.randrange(len(mates))], TieKind.KNOWS)

    def _connector_reach(self) -> None:
        """Connectors know many people across their patch, local organisations and each other."""
        cfg, rng = self.s["ties"], self.rng
        home_share = cfg.get("connector_home_ward_share", 0.6)
        citywide = cfg.get("connector_citywide_share", 0.1)
        per_ward, _city = self._org_pickers("attendance_weight")
        org_low, org_high = cfg.get("connector_orgs", [3, 10])
        for i in self.connectors:
            person = self.people[i]
            reach = round(cfg.get("connector_reach_base", 30) * person.activity)
            reach = min(cfg.get("connector_reach_max", 300), reach)
            for _ in range(reach):
                roll = rng.random()
                if roll < citywide:
                    w = rng.randrange(len(self.wards))
                elif roll < citywide + home_share or len(person.patch) == 1:
                    w = person.patch[0]
                else:
                    w = rng.choice(person.patch[1:])
                pool = self.ward_members[w]
                if pool:
                    self._tie(i, pool[rng.randrange(len(pool))], TieKind.KNOWS)
            for _ in range(rng.randint(org_low, org_high)):
                picker = per_ward[rng.choice(person.patch)]
                if picker:
                    self._tie(i, self._org_index(picker.pick(rng)), TieKind.ATTENDS, source="walk")
        low, high = cfg.get("connector_peers", [2, 5])
        if len(self.connectors) > 1:
            for i in self.connectors:
                for _ in range(rng.randint(low, high)):
                    self._tie(i, rng.choice(self.connectors), TieKind.KNOWS, source="event")

    def _gap(self, a: _OrgDraft, b: _OrgDraft) -> bool:
        """True when the two organisations sit on opposite sides of the statutory/voluntary gap."""
        sides = self.s["ties"].get("cross_sector_gap", {}).get("between", [[], []])
        return (a.sector in sides[0] and b.sector in sides[1]) or (a.sector in sides[1] and b.sector in sides[0])

    def _partnerships(self) -> None:
        """Organisations partner mostly within their own sector and ward; few cross the statutory/voluntary gap."""
        cfg, rng = self.s["ties"], self.rng
        acceptance = cfg.get("cross_sector_gap", {}).get("acceptance", 0.12)
        n = len(self.orgs)
        if n < 2:
            return
        for j, org in enumerate(self.orgs):
            for _ in range(_poisson(rng, cfg.get("partners_mean", 1.6) * self.factor[org.ward])):
                local = self.ward_orgs[org.ward]
                k = rng.choice(local) if rng.random() < cfg.get("partner_same_ward", 0.6) else rng.randrange(n)
                if self._gap(org, self.orgs[k]) and rng.random() >= acceptance:
                    continue
                self._tie(self._org_index(j), self._org_index(k), TieKind.PARTNERS_WITH)

    # ------------------------------------------------------- introductions

    def _introductions(self) -> None:
        """Introductions over the months before today, growing, made mostly by a few busy connectors."""
        cfg, rng = self.s["introductions"], self.rng
        total = round(self.size * cfg.get("per_actor", 1.6))
        introducers = self._introducer_pickers()
        if not introducers:
            return
        mix = {k: v for k, v in cfg.get("introducer_mix", {}).items() if k in introducers}
        dates = self._intro_dates(total)
        for date in dates:
            kind = self._weighted(mix)
            introducer = introducers[kind].pick(rng)
            for _ in range(6):
                triple = self._intro_triple(introducer)
                if triple is not None:
                    self._add_intro(date, introducer, *triple)
                    break
        self.intros.sort(key=lambda intro: intro[0])  # stable: same date keeps draw order

    def _introducer_pickers(self) -> dict[str, _Picker]:
        """Who introduces: each introducer gets a heavy-tailed activity weight."""
        pickers: dict[str, _Picker] = {}
        for kind, pool in (("connector", self.connectors), ("worker", self.workers), ("volunteer", self.volunteers)):
            if pool:
                pickers[kind] = _Picker(pool, [self.people[i].activity for i in pool])
        return pickers

    def _intro_dates(self, total: int) -> list[int]:
        """Ordinal dates: more each month than the last, plus a few planned ahead of today."""
        cfg, rng, T = self.s["introductions"], self.rng, self.T
        months = cfg.get("months", 24)
        span = round(months * 30.44)
        start = T - span + 1
        growth = cfg.get("growth", 1.5)
        month_pick = _Picker(range(months), [1 + growth * m / max(1, months - 1) for m in range(months)])
        future = round(total * cfg.get("future_planned_fraction", 0.02))
        dates = []
        for _ in range(total - future):
            m = month_pick.pick(rng)
            lo, hi = start + (span * m) // months, start + (span * (m + 1)) // months - 1
            dates.append(min(T, rng.randint(lo, max(lo, hi))))
        ahead = cfg.get("future_planned_max_days", 30)
        dates += [T + rng.randint(1, ahead) for _ in range(future)]
        return dates

    def _intro_subject_ward(self, introducer: int) -> int:
        person, rng = self.people[introducer], self.rng
        if rng.random() < self.s["introductions"].get("subject_outside_patch", 0.1):
            return rng.randrange(len(self.wards))
        if person.kind == "connector":
            return person.patch[0] if rng.random() < 0.6 or len(person.patch) == 1 else rng.choice(person.patch[1:])
        if person.kind == "worker":
            return self.orgs[person.employer].ward
        return person.ward

    def _intro_triple(self, introducer: int) -> tuple[int, int, list[str]] | None:
        """(subject, target, purposes) as actor indices, or ``None`` when this draw finds nobody."""
        cfg, rng = self.s["introductions"], self.rng
        purposes = cfg["purposes"]
        w = self._intro_subject_ward(introducer)
        if rng.random() < cfg.get("subject_is_organisation", 0.05) and self.ward_orgs[w] and len(self.orgs) > 1:
            subject = rng.choice(self.ward_orgs[w])
            spaced = self.ward_spaced[w]
            target = rng.choice(spaced) if spaced else rng.randrange(len(self.orgs))
            if target == subject:
                return None
            return self._org_index(subject), self._org_index(target), [rng.choice(purposes["space"])]
        needy, residents = self.ward_needy[w], self.ward_residents[w]
        pool = needy if needy and rng.random() < cfg.get("subject_with_needs_preference", 0.5) else residents
        if not pool:
            return None
        subject = pool[rng.randrange(len(pool))]
        if subject == introducer:
            return None
        person = self.people[subject]
        if person.needs and rng.random() < cfg.get("use_need_when_present", 0.6):
            tag, purpose = rng.choice(person.needs), rng.choice(purposes["need"])
        elif person.interests:
            tag, purpose = rng.choice(person.interests), rng.choice(purposes["interest"])
        else:
            tag, purpose = "general", rng.choice(purposes["general"])
        target = None
        if rng.random() >= cfg.get("target_is_person", 0.3):
            target = self._org_target(tag, w)
        if target is None:
            target = self._person_target(subject, introducer, tag, w)
            purpose = rng.choice(purposes["person"])
        if target is None or target in (subject, introducer):
            return None
        # a need that is special category data stays on the person (with its Article 9 condition),
        # never in the introduction's purposes
        shown = tag if tag != "general" and not touches_health(tag) else purpose
        return subject, target, list(dict.fromkeys([purpose, shown]))

    def _org_target(self, tag: str, w: int) -> int | None:
        """An organisation offering what ``tag`` calls for, in the ward if one does."""
        rng = self.rng
        offers = self.s["matching"].get(tag) or self.s["matching"].get("general", [])
        local = self._local_offers.get((w, tag))
        if local is None:
            local = [j for offer in offers for j in self.ward_offer_orgs.get((w, offer), [])]
            self._local_offers[(w, tag)] = local
        if local and rng.random() < 0.85:
            return self._org_index(rng.choice(local))
        anywhere = [offer for offer in offers if offer in self.offer_orgs]
        if anywhere:
            return self._org_index(rng.choice(self.offer_orgs[rng.choice(anywhere)]))
        return None  # nothing on offer anywhere: the caller looks for a person instead

    def _person_target(self, subject: int, introducer: int, tag: str, w: int) -> int | None:
        """Someone in the ward who shares the interest (or has it as a gift), else anyone local."""
        rng = self.rng
        pool = self.ward_tag_people.get((w, tag), [])
        if len(pool) < 2:
            pool = self.ward_members[w]
        if not pool:
            return None
        target = pool[rng.randrange(len(pool))]
        return None if target in (subject, introducer) else target

    def _add_intro(self, date: int, introducer: int, subject: int, target: int, purposes: list[str]) -> None:
        """Give the introduction its status, follow-up and outcome, and the ties it leaves behind."""
        cfg, rng, T = self.s["introductions"], self.rng, self.T
        if date > T:
            status = "planned"
        elif T - date < cfg.get("recent_days", 21):
            status = self._weighted(cfg["status_recent"])
        else:
            status = self._weighted(cfg["status_older"])
        low, high = cfg.get("follow_up_days", [7, 42])
        follow_up: int | None = None
        outcome: str | None = None
        if status == "followed_up" and T - date < low:
            status = "made"
        if status == "followed_up":
            follow_up = date + rng.randint(low, min(high, T - date))
            positive = rng.random() < cfg.get("positive_outcome_fraction", 0.65)
            outcome = rng.choice(cfg["outcomes_positive"] if positive else cfg["outcomes_negative"])
        elif status == "made" and rng.random() < cfg.get(
            "follow_up_fraction_made"
            if T - date <= cfg.get("recent_follow_up_days", 120)
            else "follow_up_fraction_made_older",
            0.8,
        ):
            follow_up = date + rng.randint(low, high)  # may be past: an overdue follow-up
        elif status == "planned" and rng.random() < cfg.get("follow_up_fraction_planned", 0.3):
            follow_up = date + rng.randint(low, high)
        elif status == "declined" and rng.random() < cfg.get("declined_outcome_fraction", 0.5):
            outcome = rng.choice(cfg["outcomes_declined"])
        channel = self._weighted(cfg["channels"])
        self.intros.append((date, introducer, subject, target, purposes, channel, status, follow_up, outcome))
        if status in ("made", "followed_up"):
            followed = follow_up if status == "followed_up" else None
            self._ties_from_intro(date, introducer, subject, target, followed, outcome)

    def _ties_from_intro(
        self, date: int, introducer: int, subject: int, target: int, followed: int | None, outcome: str | None
    ) -> None:
        """A tie between the two introduced (when it took), and between introducer and subject."""
        cfg, rng = self.s["introductions"], self.rng
        n_people = len(self.people)
        took = outcome in cfg["outcomes_positive"] if outcome else rng.random() < cfg.get("tie_after_happened", 0.6)
        confirmed = followed if followed is not None and followed <= self.T else date
        if took:
            if subject >= n_people and target >= n_people:
                kind = TieKind.PARTNERS_WITH
            elif target >= n_people:
                member = self.orgs[target - n_people].kind in self.s["ties"].get("member_of_kinds", [])
                kind = TieKind.MEMBER_OF if member and rng.random() < 0.4 else TieKind.ATTENDS
            else:
                kind = TieKind.KNOWS
            self._tie(subject, target, kind, since=date, confirmed=confirmed, source=TieSource.INTRODUCTION.value)
        if subject < n_people and rng.random() < cfg.get("introducer_knows_subject", 0.7):
            source = TieSource.CONVERSATION.value
            self._tie(introducer, subject, TieKind.KNOWS, since=date, confirmed=date, source=source)

    # ------------------------------------------------------------- models

    def _batch(self) -> Batch:
        """Turn the drafts into models, with sequential zero-padded ids.

        Up to ``VALIDATE_ALL_UP_TO`` records (about 15,000 actors) every model
        is validated. Bigger batches are built with ``model_construct`` from
        values this module already made in their validated form (canonical
        end order and the real tie id, enum members, sorted roles, clean
        lower-case tags), and every ``SPOT_CHECK_EVERY``-th record is also
        validated and compared, so a drift between the two paths fails loudly.
        """
        width = max(6, len(str(len(self.people))))
        pid = [f"p-{n:0{width}d}" for n in range(1, len(self.people) + 1)]
        owidth = max(5, len(str(len(self.orgs))))
        oid = [f"o-{n:0{owidth}d}" for n in range(1, len(self.orgs) + 1)]
        ids = pid + oid
        names = self.ward_names
        validate_all = len(self.people) + len(self.orgs) + len(self.ties) + len(self.intros) <= VALIDATE_ALL_UP_TO

        def mode(n: int) -> str:
            return "validate" if validate_all else ("check" if n % SPOT_CHECK_EVERY == 0 else "construct")

        # Synthetic people all gave verbal consent when the 24 months began.
        consent = {
            "lawful_basis": LawfulBasis.CONSENT,
            "consent_given_on": dt.date.fromordinal(self.T - 730),
            "consent_method": ConsentMethod.VERBAL,
        }
        people = [
            _build(
                Person,
                mode(n),
                id=pid[n],
                name=p.name,
                roles=[_ROLES[r] for r in sorted(p.roles)],
                ward=names[p.ward],
                gifts=p.gifts,
                skills=p.skills,
                interests=p.interests,
                needs=p.needs,
                **consent,
                article9_condition=Article9Condition.EXPLICIT_CONSENT if any(map(touches_health, p.needs)) else None,
            )
            for n, p in enumerate(self.people)
        ]
        organisations = [
            _build(
                Organisation,
                mode(n),
                id=oid[n],
                name=o.name,
                kind=_KINDS[o.kind],
                sector=_SECTORS[o.sector],
                ward=names[o.ward],
                offers=o.offers,
                spaces=o.spaces,
            )
            for n, o in enumerate(self.orgs)
        ]
        ties = [
            _tie_model(ids[a], ids[b], kind, since, confirmed, source, mode(n))
            for n, ((kind, a, b), (since, confirmed, source)) in enumerate(self.ties.items())
        ]
        iwidth = max(6, len(str(len(self.intros))))
        introductions = [
            _intro_model(
                f"i-{n:0{iwidth}d}",
                (date, ids[introducer], ids[subject], ids[target], purposes, channel, status, follow_up, outcome),
                mode(n),
            )
            for n, (date, introducer, subject, target, purposes, channel, status, follow_up, outcome) in enumerate(
                self.intros, start=1
            )
        ]
        return Batch(
            wards=list(self.wards), people=people, organisations=organisations, ties=ties, introductions=introductions
        )


#: Records (actors, ties and introductions) up to which every one is validated (see ``_Builder._batch``).
VALIDATE_ALL_UP_TO = 100_000
#: In bigger batches, one in this many is still validated and compared.
SPOT_CHECK_EVERY = 50

_ROLES = {r.value: r for r in PersonRole}
_KINDS = {k.value: k for k in OrgKind}
_SECTORS = {s.value: s for s in Sector}
_TIE_KINDS = {k.value: k for k in TieKind}
_TIE_SOURCES = {s.value: s for s in TieSource}
_STATUSES = {s.value: s for s in IntroStatus}
_CHANNELS = {c.value: c for c in Channel}
_day = dt.date.fromordinal


def _build(model: type[M], mode: str, **fields: Any) -> M:
    """A model: validated, constructed from values already in validated form, or both and compared."""
    if mode == "validate":
        return model(**fields)
    made = model.model_construct(**fields)
    return _checked(made, model(**fields)) if mode == "check" else made


def _tie_model(a: str, b: str, kind: str, since: int | None, confirmed: int | None, source: str, mode: str) -> Tie:
    """A :class:`Tie`: validated, constructed in its validated form, or both and compared (``mode="check"``)."""
    fields: dict[str, Any] = {
        "source_id": a,
        "target_id": b,
        "kind": _TIE_KINDS[kind],
        "since": _day(since) if since else None,
        "last_confirmed": _day(confirmed) if confirmed else None,
        "source": _TIE_SOURCES[source],
    }
    if mode == "validate":
        return Tie(**fields)
    if fields["kind"].symmetric and b < a:
        fields["source_id"], fields["target_id"] = b, a
    made = Tie.model_construct(id=tie_id(fields["source_id"], fields["target_id"], fields["kind"]), **fields)
    return _checked(made, Tie(**fields)) if mode == "check" else made


def _intro_model(identifier: str, values: tuple, mode: str) -> Introduction:
    """An :class:`Introduction`: validated, constructed in its validated form, or both and compared."""
    date, introducer, subject, target, purposes, channel, status, follow_up, outcome = values
    fields: dict[str, Any] = {
        "id": identifier,
        "date": _day(date),
        "introducer_id": introducer,
        "subject_id": subject,
        "target_id": target,
        "purposes": purposes,
        "channel": _CHANNELS[channel],
        "status": _STATUSES[status],
        "follow_up": _day(follow_up) if follow_up else None,
        "outcome": outcome,
    }
    return _build(Introduction, mode, **fields)


def _checked(made: Any, validated: Any) -> Any:
    """``validated``, after checking the constructed twin is identical (a bug in this module if not)."""
    if made.model_dump() != validated.model_dump():
        raise RuntimeError(f"seed: constructed record differs from its validated form: {made!r} != {validated!r}")
    return validated
