"""Which date of a citation is what: published, accessed ("last visited"), updated, or prose.

The dates themselves are found by ``pipeline.core.text.dates``; here each one gets its role. A
date after an access or update cue is not the publication date; a year inside a sentence ("since
2017") is prose; a date in parentheses counts only if the parenthetical is short. Of the
publication dates left, the most precise wins (the first among equals).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.core.text.dates import ACCESSED_CUE, PRECISION, UPDATED_CUE, DateMatch


@dataclass(frozen=True)
class DatedRole:
    """A date of the citation with its role and where its cue starts ("last visited ..."), so the
    cue can be masked with the date (without a cue, ``cue`` is where the date starts)."""

    role: Literal["published", "accessed", "updated", "prose"]
    date: DateMatch
    cue: int


def date_roles(text: str, dates: Sequence[DateMatch], depths: Sequence[int]) -> list[DatedRole]:
    """Each date with its role: published, accessed, updated, or prose (a year inside a sentence)."""
    out = []
    for d in dates:
        before = text[max(0, d.start - 40) : d.start]
        cue = ACCESSED_CUE.search(before) or UPDATED_CUE.search(before)
        if cue is not None:
            role: Literal["accessed", "updated"] = "accessed" if ACCESSED_CUE.search(before) else "updated"
            out.append(DatedRole(role, d, d.start - len(before) + cue.start()))
            continue
        if depths[d.start]:
            # a date inside parentheses counts only if the parenthetical is short ("(S.D.N.Y. 2020)")
            open_at = text.rfind("(", 0, d.start)
            close_at = text.find(")", d.end)
            inner = (close_at if close_at >= 0 else len(text)) - open_at - 1
            out.append(DatedRole("published" if inner <= (d.end - d.start) + 40 else "prose", d, d.start))
            continue
        prev_word = re.search(r"([A-Za-z]+)\W*$", text[: d.start])
        glued = prev_word is not None and not re.search(r"[,;:.()\"\u201d\u2019]\s*$", text[: d.start])
        prose = (glued and prev_word.group(1)[0].islower()) or re.match(r" [a-z]", text[d.end :]) is not None  # type: ignore[union-attr]
        out.append(DatedRole("prose" if prose else "published", d, d.start))
    return out


def best_date(dates: Sequence[DateMatch]) -> str | None:
    """The most precise date, the first among equals, in ISO form."""
    if not dates:
        return None
    return max(dates, key=lambda d: (PRECISION[d.precision], -d.start)).iso
