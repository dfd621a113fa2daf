"""The overview's pulse: introductions, new ties and outcomes recorded, month by month,
with this month so far compared with the same days of last month (never two
days against a whole month)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..analysis.shared import Latest, latest
from ..auth import Permission, require
from ..store.base import Store

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Pulse", "same_days_last_month", "pulse", "shared_pulse"]


@dataclass(frozen=True)
class Pulse:
    """One measure: monthly counts (oldest first, this month last) and this month against the same days before."""

    label: str
    months: list[str]
    counts: list[int]
    so_far: int
    same_days_before: int
    sentence: str


def same_days_last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of last month that match this month so far.

    Examples
    --------
    >>> same_days_last_month(dt.date(2026, 3, 2))
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 2))
    >>> same_days_last_month(dt.date(2026, 3, 31))
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    last = calendar.monthrange(start.year, start.month)[1]
    return start, start.replace(day=min(today.day, last))


def _sentence(label: tuple[str, str], now: int, before: int, today: dt.date) -> str:
    """E.g. "1 new tie this month so far (1 fewer than the first 2 days of last month: 2)."

    Examples
    --------
    >>> _sentence(("new tie", "new ties"), 1, 2, dt.date(2026, 3, 2))
    '1 new tie this month so far (1 fewer than the first 2 days of last month: 2).'
    """
    days = f"the first {today.day} day{'s' if today.day != 1 else ''} of last month"
    if now == before:
        change = f"the same as {days}"
    else:
        change = f"{abs(now - before)} {'more' if now > before else 'fewer'} than {days}"
    return f"{now} {label[0] if now == 1 else label[1]} this month so far ({change}: {before})."


def _tally(days: "np.ndarray", today: dt.date, keys: list[str]) -> tuple[list[int], int, int]:
    """Per month of ``keys``, this month so far, and the same days of last month (future dates not counted)."""
    import numpy as np

    first, last = same_days_last_month(today)
    days = days[~np.isnat(days)]
    days = days[days <= np.datetime64(today)]
    months = days.astype("datetime64[M]")
    per_month = [int(np.count_nonzero(months == np.datetime64(key, "M"))) for key in keys]
    now = int(np.count_nonzero(days >= np.datetime64(today.replace(day=1))))
    before = int(np.count_nonzero((days >= np.datetime64(first)) & (days <= np.datetime64(last))))
    return per_month, now, before


def pulse(store: Store, *, today: dt.date | None = None, months: int = 12) -> list[Pulse]:
    """Introductions logged, new ties and outcomes recorded per month for the last ``months`` months.

    Outcomes count by the date of their introduction (the store keeps no
    date for the outcome itself). Read from the store's columns
    (:func:`connector_graph.analysis.projection.load_projection`, kept by
    graph version beside the store), not record by record.
    """
    from ..analysis.projection import load_projection

    require(Permission.VIEW)
    today = today or dt.date.today()
    keys = []
    cursor = today.replace(day=1)
    for _ in range(months):
        keys.append(f"{cursor:%Y-%m}")
        cursor = (cursor - dt.timedelta(days=1)).replace(day=1)
    keys.reverse()
    graph = load_projection(store)
    dates = {"intros": graph.intro_date, "ties": graph.tie_since, "outcomes": graph.intro_date[graph.intro_has_outcome]}
    labels = {"intros": ("introduction logged", "introductions logged"), "ties": ("new tie", "new ties"),
              "outcomes": ("outcome recorded", "outcomes recorded")}
    found = []
    for name in ("intros", "ties", "outcomes"):
        counts, now, before = _tally(dates[name], today, keys)
        found.append(Pulse(labels[name][1], keys, counts, now, before, _sentence(labels[name], now, before, today)))
    return found


def shared_pulse(store: Store, *, today: dt.date | None = None) -> Latest[list[Pulse]]:
    """:func:`pulse`, shared by every user and made by the background worker once per graph version.

    The last complete one is returned at once, marked ``refreshing`` while a
    newer one is made (:mod:`connector_graph.analysis.shared`); never one
    from before an erasure.
    """
    require(Permission.VIEW)
    today = today or dt.date.today()
    result = latest(store, "pulse", lambda: pulse(store, today=today), options=(today,))
    assert result is not None  # waited for
    return result
