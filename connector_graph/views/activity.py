"""Activity over time: introductions per month, network growth, two dates compared."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..analysis.trends import GROUPINGS, Comparison, compare, growth, introductions_by_month
from ..auth import Permission, require
from ..graph import graph_for_analysis
from ..store.base import IntroductionFilter, Store

__all__ = ["GROUPINGS", "monthly_introductions", "growth_table", "compare_dates"]


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


def compare_dates(store: Store, before: dt.date, after: dt.date) -> Comparison:
    """What changed in the network between two dates, in plain language."""
    require(Permission.ANALYSE)
    if after < before:
        before, after = after, before
    return compare(graph_for_analysis(store, as_of=before), graph_for_analysis(store, as_of=after))
