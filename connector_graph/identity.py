"""Identity-safe text: one way to compare names, and the characters no record may hold.

People type names with whatever their keyboard, phone or copy-and-paste
gives them: fullwidth letters, a Cyrillic ``А`` that looks like a Latin
``A``, a zero-width joiner, a soft hyphen. Two records that look the same
must be found by the same search and flagged by the same duplicate check,
or a subject access or erasure request can miss one of them.

- :func:`name_key` is the single normaliser for search and duplicate checks.
- :func:`skeleton` is the text folded for matching words (used by the
  sensitive-data guard too).
- :func:`refuse_noncharacters` rejects code points that are not text at all
  (U+FFFE, U+FFFF, lone surrogates, code points XML cannot carry), so every
  export stays valid.
- :func:`has_visible` says whether a text shows anything at all.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["name_key", "skeleton", "strip_invisible", "refuse_noncharacters", "has_visible", "CONFUSABLES"]

#: Letters that look like Latin ones (Cyrillic, Greek, Armenian, Cherokee and Latin look-alikes)
#: mapped to the Latin letter they are taken for. Lower case: the text is case-folded first.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ь": "b", "п": "n", "г": "r", "ӧ": "o",
    "ә": "e", "ү": "y", "ҽ": "e", "ߋ": "o",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j", "ζ": "z", "μ": "u", "ω": "w",
    # Armenian and others
    "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n", "ք": "p",
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɩ": "i", "ʏ": "y", "ᴠ": "v", "ᴡ": "w", "ʀ": "r",
    # digits standing in for letters in names and words
    "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
}

#: Code points that show nothing: format characters (Cf, e.g. zero-width space and joiner, soft
#: hyphen, word joiner, BOM), and the fillers and variation selectors Unicode marks default-ignorable.
_IGNORABLE_EXTRA = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0\u2800"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u02bc\u02b9\u0060\u00b4"), "'")
_PUNCT = re.compile(r"[^\w\s]+")


def _invisible(ch: str) -> bool:
    return ch in _IGNORABLE_EXTRA or unicodedata.category(ch) == "Cf" or 0xE0000 <= ord(ch) <= 0xE0FFF


def strip_invisible(text: str) -> str:
    """``text`` without characters that show nothing (zero-width, soft hyphen, fillers).

    Examples
    --------
    >>> strip_invisible("de\\u200bpre\\u00adssion")
    'depression'
    """
    if text.isascii():
        return text
    return "".join(ch for ch in text if not _invisible(ch))


def has_visible(text: str) -> bool:
    """True when ``text`` shows at least one character that is not white space.

    Examples
    --------
    >>> has_visible("\\u200b\\u3164 \\u00ad"), has_visible("Ann")
    (False, True)
    """
    return any(not ch.isspace() for ch in strip_invisible(text))


def _is_noncharacter(ch: str) -> bool:
    code = ord(ch)
    return (
        0xD800 <= code <= 0xDFFF  # a lone surrogate
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE  # U+FFFE, U+FFFF and the same pair in every plane
    )


def refuse_noncharacters(text: str) -> str:
    """``text`` unchanged, or ``ValueError`` naming a code point that is not text.

    Such code points cannot be written to XML (GraphML, GEXF, XLSX) at all.
    Control characters are not refused here: :func:`connector_graph.model.clean_text`
    removes them.

    Examples
    --------
    >>> refuse_noncharacters("Ann")
    'Ann'
    >>> refuse_noncharacters("Ann\\ufffe")
    Traceback (most recent call last):
    ...
    ValueError: contains U+FFFE, which is not a character (no file could carry it)
    """
    if text.isascii():
        return text
    for ch in text:
        if _is_noncharacter(ch):
            raise ValueError(f"contains U+{ord(ch):04X}, which is not a character (no file could carry it)")
    return text


def skeleton(text: str) -> str:
    """Text folded for matching: NFKC, invisible characters gone, case, accents, look-alikes and punctuation folded.

    Examples
    --------
    >>> skeleton("Dеpre\\u200bssion!") == skeleton("depression")
    True
    >>> skeleton("ＡＮＮＡ")
    'anna'
    """
    text = strip_invisible(unicodedata.normalize("NFKC", text)).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.translate(_DASHES).translate(_QUOTES)
    text = "".join(CONFUSABLES.get(ch, ch) for ch in text)
    text = _PUNCT.sub(" ", text).replace("_", " ")
    return " ".join(text.split())


def name_key(name: str) -> str:
    """The form of a name used for every search and duplicate check.

    Names that look the same give the same key: a Cyrillic "Аnna" finds
    "Anna", fullwidth letters find ordinary ones, zero-width joiners and
    soft hyphens are ignored, as are case and accents.

    Examples
    --------
    >>> name_key("\\u0410nna") == name_key("Anna") == name_key("ａｎｎａ") == name_key("An\\u200dna")
    True
    >>> name_key("Zoë O’Neil")
    "zoe o'neil"
    """
    text = strip_invisible(unicodedata.normalize("NFKC", name or "")).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.translate(_DASHES).translate(_QUOTES)
    text = "".join(CONFUSABLES.get(ch, ch) if not ch.isdigit() and ch not in "@$" else ch for ch in text)
    return " ".join(text.split())
