"""Scores in words for managers: percentiles and high / medium / low, raw values kept for hover and download."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..analysis.centrality import METRICS, percentile_ranks
from ..auth import Permission, require
from ..store.base import Store
from .measures import shared_measures

__all__ = ["in_words", "plain_connectors"]

#: Measures shown in words (constraint stays in the explainer: brokerage says the same the other way up).
WORDED = ("score", "degree", "betweenness", "closeness", "pagerank", "effective_size")


def in_words(share: float | None) -> str:
    """A percentile rank (0 lowest, 1 highest) in words.

    Examples
    --------
    >>> in_words(0.991), in_words(0.8), in_words(0.5), in_words(0.1), in_words(None)
    ('top 1%', 'top 20%', 'medium', 'low', 'unknown')
    """
    if share is None:
        return "unknown"
    top = max(1, round((1 - share) * 100))
    if top <= 25:
        return f"top {top}%"
    return "high" if share >= 0.66 else "medium" if share >= 0.33 else "low"


def plain_connectors(store: Store, report: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranking in words (percentiles across the whole network) and the same rows with raw values.

    Introductions made stay a count: a count is already plain.
    """
    require(Permission.ANALYSE)
    values = shared_measures(store).value.metrics.values  # the measures every user shares, as the report
    shares = {k: percentile_ranks(values[k], higher_is_better=METRICS[k].higher_is_better) for k in WORDED if k in values}
    words, raw = [], []
    for c in report["connectors"]:
        base = {"rank": c["rank"], "name": c["name"], "ward": c.get("ward"), "roles": ", ".join(c.get("roles") or [])}
        words.append({**base, **{METRICS[k].label: in_words(shares[k].get(c["id"])) for k in shares},
                      "Introductions made": c.get("introductions"), "id": c["id"]})
        raw.append({**base, **{METRICS[k].label: c.get(k) for k in METRICS}, "id": c["id"]})
    return pd.DataFrame(words), pd.DataFrame(raw)
