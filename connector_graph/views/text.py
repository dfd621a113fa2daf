"""Text that came from users, made safe to show where Markdown is rendered.

Streamlit renders messages (``st.write``, ``st.info``, ``st.success``...)
as Markdown. It never runs raw HTML, but a name could still turn into a
link, an image or a formula. :func:`md_escape` escapes every character
Markdown (and Streamlit's ``$`` maths and ``:colour[...]`` directives) gives
a meaning to, so a name always shows as the text it is.
"""

from __future__ import annotations

import re

__all__ = ["md_escape"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(text: object) -> str:
    """``text`` with Markdown's special characters backslash-escaped.

    Examples
    --------
    >>> md_escape("[click](javascript:alert(1))")
    '\\\\[click\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\)'
    >>> md_escape("Ann O'Neill")
    "Ann O'Neill"
    """
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
