"""Page furniture that reaches the body text but is no claim: bylines, copyright lines, crumbs.

Each rule reads only the sentence itself, so it holds for any producer: a byline is "By" and a
few capitalised names (or "By:" alone), a copyright line starts with the sign, or the word and a
year, or ends in "All Rights Reserved", and a crumb has no word in it ("|:") or is a row of short items
between separators ("Home | News | Caucasus").
"""

from __future__ import annotations

import re

_NAME = r"[A-Z][\w.'\u2019-]*"
_BYLINE = re.compile(
    rf"^(?:(?:written\s+)?by|authors?)\s*:?\s*(?:(?:{_NAME}|and|&|,|de|van|von|al-)\s*){{0,6}}\W*$",
    re.I,
)
_COPYRIGHT = re.compile(
    r"^(?:\u00a9|\(c\)|copyright\s*(?:\u00a9|\(c\))?\s*(?:19|20)\d\d)[^.!?]{0,80}\.?$"
    r"|^[^.!?]{0,80}\ball rights reserved\W*$",
    re.I,
)
_SEPARATORS = re.compile(r"\s*[|\u00bb\u203a>/\u2022\u00b7]\s*")


def is_furniture(text: str) -> bool:
    """True for a byline, a copyright line, or navigation and table crumbs."""
    text = text.strip()
    if len(text) > 160:  # a paragraph-length sentence is none of these (and most claims are)
        return False
    if not re.search(r"[^\W\d_]{2}", text):  # "|:", "3 |", "-- 12 --": no word at all
        return True
    if _BYLINE.match(text) and not re.search(r"\b(?:is|are|was|were|has|have|had)\b", text):
        return _byline_case(text)
    if _COPYRIGHT.search(text):
        return True
    items = [i for i in _SEPARATORS.split(text) if i]
    return len(items) >= 3 and all(len(i.split()) <= 3 and not i.endswith(".") for i in items)


def _byline_case(text: str) -> bool:
    """ "by Ilya Roubanis" and "By:" are bylines; "by far" (lowercase after "by") is not."""
    words = re.sub(r"^(?:written\s+)?by|^authors?", "", text, flags=re.I).strip(" :").split()
    return all(w[0].isupper() or w.lower() in {"and", "&", "de", "van", "von", "al-", ","} for w in words)
