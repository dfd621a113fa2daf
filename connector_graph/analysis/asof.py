"""Which facts count "as of" a date: the network as it stood on day D, with nothing from later.

Pure rules on the store's records, used by the projection and by the
report's record checks:

- a **tie** counts when it began on or before D (undated ties always
  count); its last confirmation as of D is the latest of the dates it has
  been confirmed on (``Store.tie_confirmations()``, else its
  ``last_confirmed``) that is on or before D; when every confirmation came
  later, the day it began (a later confirmation is not known on D); when
  it was never confirmed, unknown;
- an **introduction** counts when it is dated on or before D; its status
  and outcome are the ones it had on D, from the store's history of status
  changes (an introduction never changed kept its logged status
  throughout). It links its introducer with the other two; it **happened**
  by D when that status is ``made`` or ``followed_up``, and only then does
  it link the two it introduced and count as an introduction made;
- **overdue** follow-ups are judged against D, with the status and outcome
  as they stood on D.

The projection uses today for D when no date is given, so introductions
planned for later add nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Iterator, Mapping, Sequence

from ..model import Introduction, IntroStatus, StatusChange, Tie

__all__ = ["tie_counts", "confirmed_as_of", "tie_as_of", "ties_as_of", "introduction_as_of", "introductions_as_of", "happened"]


def tie_counts(tie: Tie, day: dt.date | None) -> bool:
    """True when the tie existed on ``day`` (began on or before it, or undated).

    Examples
    --------
    >>> t = Tie(source_id="a", target_id="b", since=dt.date(2025, 5, 1))
    >>> tie_counts(t, dt.date(2025, 4, 30)), tie_counts(t, dt.date(2025, 5, 1)), tie_counts(t, None)
    (False, True, True)
    """
    return day is None or tie.since is None or tie.since <= day


def confirmed_as_of(
    last_confirmed: dt.date | None, since: dt.date | None, day: dt.date | None, confirmations: Sequence[dt.date] = ()
) -> dt.date | None:
    """A tie's last confirmation as known on ``day``, from every date it was confirmed on.

    ``confirmations`` is the tie's entry of ``Store.tie_confirmations()``
    (empty when ``last_confirmed`` never changed).

    Examples
    --------
    >>> days = [dt.date(2024, 6, 1), dt.date(2025, 3, 1), dt.date(2026, 1, 1)]
    >>> confirmed_as_of(days[-1], dt.date(2024, 1, 1), dt.date(2025, 6, 1), days)
    datetime.date(2025, 3, 1)
    >>> confirmed_as_of(days[-1], dt.date(2024, 1, 1), dt.date(2024, 2, 1), days)  # all later: when it began
    datetime.date(2024, 1, 1)
    """
    if day is None:
        return last_confirmed
    held = set(confirmations) | ({last_confirmed} if last_confirmed else set())
    if not held:
        return None
    known = [d for d in held if d <= day]
    return max(known) if known else since


def tie_as_of(tie: Tie, day: dt.date | None, confirmations: Sequence[dt.date] = ()) -> Tie | None:
    """The tie as it stood on ``day`` (its last confirmation then), or None if it did not exist yet.

    Examples
    --------
    >>> t = Tie(source_id="a", target_id="b", since=dt.date(2024, 1, 1), last_confirmed=dt.date(2026, 1, 1))
    >>> tie_as_of(t, dt.date(2025, 6, 1)).last_confirmed
    datetime.date(2024, 1, 1)
    >>> tie_as_of(t, dt.date(2025, 6, 1), [dt.date(2025, 2, 1), dt.date(2026, 1, 1)]).last_confirmed
    datetime.date(2025, 2, 1)
    >>> tie_as_of(t, dt.date(2023, 1, 1)) is None
    True
    """
    if not tie_counts(tie, day):
        return None
    confirmed = confirmed_as_of(tie.last_confirmed, tie.since, day, confirmations)
    return tie if confirmed == tie.last_confirmed else tie.model_copy(update={"last_confirmed": confirmed})


def ties_as_of(
    ties: Iterable[Tie], day: dt.date | None, confirmations: Mapping[str, Sequence[dt.date]] | None = None
) -> list[Tie]:
    """Every tie that existed on ``day``, as it stood then (``confirmations``: ``Store.tie_confirmations()``)."""
    known = confirmations or {}
    return [t for t in (tie_as_of(tie, day, known.get(tie.id, ())) for tie in ties) if t is not None]


def introduction_as_of(
    intro: Introduction, day: dt.date | None, history: Sequence[StatusChange] = ()
) -> Introduction | None:
    """The introduction with the status and outcome it had on ``day`` (None when dated later).

    ``history`` is its states oldest first (``Store.introduction_history()``);
    without one, the current status held since it was logged.

    Examples
    --------
    >>> i = Introduction(introducer_id="c", subject_id="a", target_id="b", date=dt.date(2025, 1, 10),
    ...                  status="followed_up", outcome="met weekly")
    >>> h = [StatusChange(i.id, dt.date(2025, 1, 10), IntroStatus.PLANNED),
    ...      StatusChange(i.id, dt.date(2025, 3, 1), IntroStatus.MADE),
    ...      StatusChange(i.id, dt.date(2025, 9, 1), IntroStatus.FOLLOWED_UP, "met weekly")]
    >>> [introduction_as_of(i, d, h).status.value for d in (dt.date(2025, 2, 1), dt.date(2025, 6, 1))]
    ['planned', 'made']
    >>> introduction_as_of(i, dt.date(2025, 1, 9), h) is None
    True
    """
    if day is None:
        return intro
    if intro.date > day:
        return None
    known = [state for state in history if state.day <= day]
    if not history or not known:
        if history:  # changed only after day: the logged state held
            first = history[0]
            return intro.model_copy(update={"status": first.status, "outcome": first.outcome})
        return intro
    state = known[-1]
    return intro.model_copy(update={"status": state.status, "outcome": state.outcome})


def introductions_as_of(
    introductions: Iterable[Introduction], day: dt.date | None, history: Mapping[str, Sequence[StatusChange]]
) -> Iterator[Introduction]:
    """Every introduction dated on or before ``day``, with its status and outcome as they stood then."""
    for intro in introductions:
        found = introduction_as_of(intro, day, history.get(intro.id, ()))
        if found is not None:
            yield found


def happened(intro: Introduction) -> bool:
    """True when the introduction (as it stood) took place: made or followed up.

    Examples
    --------
    >>> happened(Introduction(introducer_id="c", subject_id="a", target_id="b", date=dt.date(2025, 1, 1),
    ...                       status="planned"))
    False
    """
    return intro.status in (IntroStatus.MADE, IntroStatus.FOLLOWED_UP)
