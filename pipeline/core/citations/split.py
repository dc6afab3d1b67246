"""Splitting a note into citations, and the signals that introduce one (Bluebook 1.2).

A note often holds several citations, and a citation may hold semicolons, quotes and full
stops of its own: ``split_citations`` decides where one ends. The signals (``See``, ``Cf.``)
are read here too; ``fields`` keeps the signal a citation opens with.
"""

from __future__ import annotations

import re

from pipeline.core.citations.people import split_people
from pipeline.core.citations.segments import DOUBLE_QUOTES, quote_role
from pipeline.core.text.dates import YEAR
from pipeline.core.text.urls import URL_START

# Signals introduce a citation (Bluebook 1.2); after a full stop they start a new one.
SIGNAL_RE = re.compile(
    r"^(?:(?:see|cf\.?|but\s+see|but\s+cf\.?|compare|accord|contra)(?:\s+also|\s+generally)?"
    r"(?:,?\s*e\.\s?g\.)?|e\.\s?g\.)(?=[\s,:]|$)[,:]?\s*",
    re.I,
)
# A signal inside a note's prose ("For an explanation, see Bryan F. Jacoutot, ..."): the source follows it.
MID_SIGNAL = re.compile(r"(?:^|[\s,;:(])((?:[Ss]ee|[Cc]f\.)(?:\s+also|\s+generally)?,?)\s+(?=[A-Z])")
_NEW_CITATION_AFTER_STOP = re.compile(r"^(?:See|Cf\.|But\s+see|Compare|Accord|Contra|Id\.|Ibid)\b")
_NEW_CITATION_AFTER_SEMICOLON = re.compile(
    r"^(?:[A-Z\"\u201c\u2018'(]|\d+\s+[A-Z]|(?:see|cf\.|but\s+see|compare|accord|contra|id\.|ibid)\b)"
)
_YEAR_PAREN_END = re.compile(rf"\((?:[^()]*\W)?{YEAR}[a-z]?\)\s*$")
_BARE_YEAR_PAREN_END = re.compile(rf"\({YEAR}[a-z]?\)\s*$")
# what follows a URL and still belongs to its citation: "Accessed June 18, 2013."
_ACCESS_CUE = re.compile(
    r"(?i)^(?:last\s+)?(?:accessed|retrieved|visited|viewed|consulted|consult\u00e9|retirado|abgerufen)\b"
)


def split_citations(text: str) -> list[str]:
    """Split a note into citations.

    Citations end at a semicolon, or at a full stop after a URL or a dated parenthetical, when
    what follows starts a citation (a capital, a quote or a signal such as ``See``). Semicolons
    inside parentheses, brackets or an open quotation do not count; a quotation still "open"
    across a URL is an unbalanced quote, not a title, and no longer protects its semicolons.
    """
    parts: list[str] = []
    start = 0
    depth = 0
    quote_at: int | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in DOUBLE_QUOTES:
            quote_at = _open_quote_after(text, i, quote_at)
        elif ch == ";" and depth == 0 and split_people(text[start:i]) is None:
            # "Gelman, Susan A.; Coley, John D." separates authors: people alone are no citation
            last = _semicolons_ending_citation(text, i, quote_at)
            if last is not None:
                parts.append(text[start:i])
                start, i, quote_at = last + 1, last, None
        elif ch == "." and depth == 0 and quote_at is None and _stop_ends_citation(text, start, i):
            parts.append(text[start : i + 1])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if re.search(r"\w", p)]


def _open_quote_after(text: str, i: int, quote_at: int | None) -> int | None:
    """Where the open quotation starts once the double quote at ``i`` is read (None: none is open)."""
    if i and not text[i - 1].isspace() and _ends_with_url(text[:i]):
        return quote_at  # a stray quote stuck to a URL's end ("...-17/\";") opens nothing
    role = quote_role(text, i)
    if role == "open" and quote_at is None:
        return i
    if role == "close":
        return None
    return quote_at


def _semicolons_ending_citation(text: str, i: int, quote_at: int | None) -> int | None:
    """The last of the semicolons at ``i`` (";;" counts once) if they end a citation, else None."""
    broken_quote = quote_at is not None and bool(URL_START.search(text[quote_at:i]))
    j = i
    while j + 1 < len(text) and text[j + 1] == ";":
        j += 1
    rest = text[j + 1 :].lstrip()
    if (quote_at is None or broken_quote) and rest and _NEW_CITATION_AFTER_SEMICOLON.match(rest):
        return j
    return None


def _stop_ends_citation(text: str, start: int, i: int) -> bool:
    """Does the full stop at ``i`` end the citation that began at ``start``?"""
    if not (i + 1 < len(text) and text[i + 1].isspace()):
        return False
    before, rest = text[start:i], text[i + 1 :].lstrip()
    after_source = _ends_with_url(before) or _ends_with_dated_source(before)
    return bool(
        rest
        and (
            _NEW_CITATION_AFTER_STOP.match(rest)
            or (
                after_source
                and re.match(r"[A-Z\"\u201c]", rest)
                and not URL_START.match(rest)
                and not _ACCESS_CUE.match(rest)
            )
        )
    )


def _ends_with_dated_source(before: str) -> bool:
    """A dated parenthetical that closes a source (``550 U.S. 544 (2007).``), not the year that
    follows the authors of an author-date reference (``Pagallo, G., & Haussler, D. (1990).``)."""
    year = _YEAR_PAREN_END.search(before)
    if year is None or split_people(before[: year.start()]) is not None:
        return False
    # a bare "(2007)" ends a case after its reporter and page, not an organisation as author
    return not _BARE_YEAR_PAREN_END.search(before) or any(ch.isdigit() for ch in before[: year.start()])


def _ends_with_url(text: str) -> bool:
    tail = text.rstrip().rsplit(None, 1)[-1] if text.strip() else ""
    return bool(URL_START.match(tail.lstrip("(<[")))
