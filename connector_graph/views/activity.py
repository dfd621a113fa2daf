"""Activity over time: introductions per month, network growth, two dates compared."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..analysis.trends import GROUPINGS, Comparison, compare, growth, introductions_by_month
from ..auth import Permission, require
from ..analysis.links import LINK_DEFINITION
from .answers import links_of
from ..store.base import IntroductionFilter, Store

__all__ = ["GROUPINGS", "LINK_DEFINITION", "monthly_introductions", "growth_table", "readable_growth", "compare_dates"]


def monthly_introductions(
    store: Store,
    by: str = "connector",
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    ward: str | None = None,
    top: int = 8,
) -> pd.DataFrame:
    """Introductions per month (rows) and group (columns), the ``top`` biggest groups kept.

    Smaller groups are added together as ``"others"`` so charts stay readable.

    Examples
    --------
    >>> import os, tempfile
    >>> from connector_graph.store import open_store
    >>> from connector_graph.auth import acting_as
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "g.db"))
    >>> with acting_as("doc", "connector"):
    ...     monthly_introductions(store).empty
    True
    >>> store.close()
    """
    require(Permission.VIEW)
    intros = store.list_introductions(IntroductionFilter(since=since, until=until, ward=ward))
    actors = {a.id: a for a in store.iter_actors()} if by in ("connector", "ward") else {}
    counts = introductions_by_month(
        intros,
        by,
        wards={i: a.ward for i, a in actors.items()},
        names={i: a.name for i, a in actors.items()},
    )
    if not counts:
        return pd.DataFrame()
    long = pd.DataFrame([c.__dict__ for c in counts])
    totals = long.groupby("group")["count"].sum().sort_values(ascending=False)
    keep = set(totals.index[:top])
    long["group"] = [g if g in keep else "others" for g in long["group"]]
    wide = long.pivot_table(index="month", columns="group", values="count", aggfunc="sum", fill_value=0)
    ordered = [g for g in totals.index[:top]] + (["others"] if "others" in wide.columns else [])
    return wide[ordered]


def growth_table(store: Store) -> pd.DataFrame:
    """Per month: new ties, new introductions and the running totals."""
    require(Permission.VIEW)
    points = growth(store.iter_ties(), store.iter_introductions())
    columns = ["month", "new_ties", "new_introductions", "total_ties", "total_introductions"]
    return pd.DataFrame([p.__dict__ for p in points], columns=columns)


def readable_growth(grown: pd.DataFrame) -> pd.DataFrame:
    """The growth table from the first month with anything recorded, with plain column names.

    Examples
    --------
    >>> g = pd.DataFrame({"month": ["2024-01", "2024-02"], "new_ties": [0, 2], "new_introductions": [0, 1],
    ...                   "total_ties": [0, 2], "total_introductions": [0, 1]})
    >>> readable_growth(g)["month"].tolist()
    ['2024-02']
    """
    started = grown[(grown["total_ties"] > 0) | (grown["total_introductions"] > 0)]
    return started.rename(columns={"new_ties": "new ties", "new_introductions": "new introductions",
                                   "total_ties": "ties in total", "total_introductions": "introductions in total"})


def compare_dates(store: Store, before: dt.date, after: dt.date) -> Comparison:
    """What changed in the network between two dates, in plain language (links as everywhere: see analysis.links)."""
    require(Permission.ANALYSE)
    if after < before:
        before, after = after, before
    return compare(links_of(store, as_of=before), links_of(store, as_of=after))
