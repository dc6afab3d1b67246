"""Author lists as printed in any style -> one string per person.

The shapes that hold across styles: inverted names with initials or given names
(``Card, S. K., Mackinlay, J. D. and Robertson, G. G.``), direct names (``Howard Turtle and
W. Bruce Croft``), Chicago bibliography's first name inverted and the rest direct
(``Michalski, Ryszard S., Robert E. Stepp, and Edwin Diday``), and Vancouver's surname and
initials (``Davidson D, Gu FX``). An inverted name is kept as ``Last, Given``; the others as printed.
"""

from __future__ import annotations

import re

_PARTICLES = {
    "de", "van", "von", "der", "den", "da", "di", "du", "del", "della", "la", "le", "ten", "ter", "dos",
}  # fmt: skip
# "J.", "J.-P.", "G.E.C.", "Ch.", "FX"; not a surname in capitals ("LERCHE")
_INITIAL = re.compile(r"(?:[A-Z]\.-?|[A-Z][a-z]\.-?)+[A-Z]?|[A-Z]{1,3}")
_WORD = re.compile(r"[^\W\d_][\w'\u2019\-]*\.?")
_ET_AL = re.compile(r"(?i),?\s*\bet\.?\s*al\b\.?|,?\s*\(?\beds?\.\)?|,?\s*\(eds?\)")
# people are separated by ";" , "and", "&", or ", and" (the Oxford comma)
_CHUNKS = re.compile(r"\s*;\s*|,?\s+(?:and|&|et|und|y)\s+|\s*&\s*", re.I)


def is_initials(part: str) -> bool:
    """Only initials: ``S. K.``, ``J.-P.``, ``FX``."""
    toks = part.replace(".", ". ").split()
    return bool(toks) and all(_INITIAL.fullmatch(t) for t in toks)


def _is_surname(part: str) -> bool:
    """One capitalised word, perhaps after particles (``van der Berg``); not initials."""
    toks = part.split()
    if not toks or is_initials(part) or not all(_WORD.fullmatch(t) for t in toks):
        return False
    *lead, last = toks
    return last[:1].isupper() and not last.endswith(".") and all(t.lower() in _PARTICLES for t in lead)


def _is_given(part: str) -> bool:
    """Initials or one to three capitalised given names (``S. K.``, ``Robert S.``, ``Bonnie Lynn``)."""
    toks = part.split()
    return is_initials(part) or (
        1 <= len(toks) <= 3 and all(_WORD.fullmatch(t) and t[:1].isupper() for t in toks)
    )


def _is_direct(part: str) -> bool:
    """A name in direct order (``W. Bruce Croft``, ``Davidson D``): 1-5 capitalised words or initials."""
    toks = part.split()
    return (
        1 <= len(toks) <= 5
        and all((_WORD.fullmatch(t) and t[:1].isupper()) or t.lower() in _PARTICLES for t in toks)
        and any(len(t.strip(".")) >= 2 and not _INITIAL.fullmatch(t) for t in toks)
    )


def split_people(text: str) -> list[str] | None:
    """The people of an author list, or None when the text is not only names."""
    text = _ET_AL.sub("", text).strip(" ,;:")
    if not text or any(ch.isdigit() for ch in text) or len(text.split()) > 60:
        return None
    people: list[str] = []
    for chunk in _CHUNKS.split(text):
        parts = [p.strip() for p in chunk.split(",") if p.strip(" .")]
        i = 0
        while i < len(parts):
            part = parts[i]
            if i + 1 < len(parts) and _is_surname(part) and _is_given(parts[i + 1]):
                people.append(f"{part}, {_undotted(parts[i + 1])}")
                i += 2
            elif _is_direct(part):
                people.append(_undotted(part))
                i += 1
            else:
                return None
    return people or None


def _undotted(name: str) -> str:
    """The full stop that ends the list goes, unless it ends an initial (``Davidson D.``)."""
    last = name.split()[-1]
    return name[:-1] if name.endswith(".") and not _INITIAL.fullmatch(last) else name
