"""CSV that spreadsheets cannot mistake for formulas."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["neutralise", "to_safe_csv"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("Armley"), neutralise(-3)
    ('Armley', -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_safe_csv(table: pd.DataFrame) -> str:
    """The table as CSV text with every formula-like text cell neutralised."""
    return table.map(neutralise).to_csv(index=False)
