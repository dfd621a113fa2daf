"""Small-number suppression for aggregate tables that leave the tool.

A count of 1 to 4 people in a ward, month or group can identify someone, so
aggregate downloads show such counts as ``"<5"`` (zero stays zero: it names
nobody). Only count columns are touched; rates computed from suppressed
counts are blanked too, because they would give the count away.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

__all__ = ["SMALL_GROUP", "suppress_small_counts"]

#: Groups smaller than this are suppressed.
SMALL_GROUP = 5


def suppress_small_counts(
    frame: pd.DataFrame,
    columns: Iterable[str] | None = None,
    *,
    threshold: int = SMALL_GROUP,
    derived: Iterable[str] = (),
) -> pd.DataFrame:
    """A copy of ``frame`` with counts from 1 to ``threshold - 1`` shown as ``"<5"``.

    ``columns`` are the count columns (by default every integer column);
    ``derived`` columns (rates, shares) are blanked on any row where a count
    was suppressed.

    Examples
    --------
    >>> df = pd.DataFrame({"ward": ["A", "B", "C"], "people": [0, 3, 12], "per_1000": [0.0, 0.2, 0.9]})
    >>> suppress_small_counts(df, derived=["per_1000"]).to_dict("list")
    {'ward': ['A', 'B', 'C'], 'people': [0, '<5', 12], 'per_1000': [0.0, None, 0.9]}
    """
    out = frame.copy()
    chosen = list(columns) if columns is not None else [
        c for c in out.columns if pd.api.types.is_integer_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c])
    ]
    hidden = pd.Series(False, index=out.index)
    for column in chosen:
        values = pd.to_numeric(out[column], errors="coerce")
        small = (values > 0) & (values < threshold)
        hidden |= small
        out[column] = out[column].astype(object).where(~small, f"<{threshold}")
    for column in derived:
        if column in out.columns:
            out[column] = out[column].astype(object).where(~hidden, None)
    return out
