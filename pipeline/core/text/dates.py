"""Dates in text: month-day-year, day-month-year, month-year, ISO and bare years."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_ABBR = {name[:3]: i for i, name in enumerate(MONTH_NAMES, 1)} | {"sept": 9}
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# The footnotes step reads years in narrower ranges, kept as they were when it had its own
# patterns so that its results do not change: NOTE_YEAR (1600-2099) where a year completes a
# citation or a date in a note; BODY_YEAR (1800-2099) where a marker is glued to a year in running
# text ("by 2028.4"). YEAR (1500-2099) dates the sources themselves.
NOTE_YEAR = r"(?:1[6-9]|20)\d\d"
BODY_YEAR = r"(?:1[89]|20)\d\d"
#: A month as printed in a note: its name capitalised, or the abbreviation ("Sept" too), with an
#: optional full stop.
MONTH_WORD = (
    "(?:"
    + "|".join(
        [name.capitalize() for name in MONTH_NAMES]
        + ["Sept?" if name == "september" else name[:3].capitalize() for name in MONTH_NAMES if len(name) > 3]
    )
    + r")\.?"
)
_MWORD = r"[A-Z][a-z]{2,9}\.?"
# Month names are matched loosely ("Septemer 27, 2019" is a date) and checked in _month_number.
DATE_RE = re.compile(
    rf"(?P<mdy>(?P<m1>{_MWORD})\s+{_DAY}(?:\s*[,.]\s*|\s+){YEAR})(?![\d-])"
    rf"|(?P<dmy>{_DAY}\s+(?P<m2>{_MWORD})\s*,?\s+{YEAR})(?![\d-])"
    rf"|(?P<my>(?P<m3>{_MWORD}),?\s+{YEAR})(?![\d-])"
    rf"|(?P<iso>{YEAR}-[01]\d-[0-3]\d)(?!\d)"
    rf"|(?<![\w/.\-\u2013\u00a7:])(?P<year>{YEAR})(?![\w/\-\u2013])"
)
ACCESSED_CUE = re.compile(
    r"\(?(?:last\s+)?(?:accessed|visited|retrieved|viewed|consulted|downloaded)\W{0,3}(?:on\W{0,3})?$", re.I
)
UPDATED_CUE = re.compile(r"\(?(?:last\s+)?(?:updated|modified|revised)\W{0,3}(?:on\W{0,3})?$", re.I)
PRECISION = {"day": 3, "month": 2, "year": 1}


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: ``[start, end)`` and its ISO form at the precision printed."""

    start: int
    end: int
    iso: str
    precision: str  # day, month or year


def _month_number(word: str) -> int | None:
    w = word.rstrip(".").lower()
    if w in MONTH_NAMES:
        return MONTH_NAMES.index(w) + 1
    if w in _MONTH_ABBR:
        return _MONTH_ABBR[w]
    if len(w) >= 5:  # a misspelt month ("Septemer") is still a month
        from rapidfuzz import fuzz, process

        best = process.extractOne(w, MONTH_NAMES, scorer=fuzz.ratio, score_cutoff=85)
        if best is not None:
            return MONTH_NAMES.index(best[0]) + 1
    return None


@lru_cache(maxsize=1)
def _date_parser() -> object:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
    )


@lru_cache(maxsize=8192)
def _iso(candidate: str) -> tuple[str, str] | None:
    """(ISO date, precision) of one date expression, validated by dateparser."""
    data = _date_parser().get_date_data(candidate)  # type: ignore[attr-defined]
    if data is None or data.date_obj is None:
        return None
    d, period = data.date_obj, data.period
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}", "month"
    if period == "year":
        return f"{d.year:04d}", "year"
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}", "day"


def find_dates(text: str) -> list[DateMatch]:
    """Every date in ``text`` (month-day-year, day-month-year, month-year, ISO, bare year)."""
    out: list[DateMatch] = []
    pos = 0
    while True:
        m = DATE_RE.search(text, pos)
        if m is None:
            return out
        found = _date_of(m)
        if found is None:  # a capitalised word that is no month: look again one character on
            pos = m.start() + 1
            continue
        out.append(found)
        pos = m.end()


def _date_of(m: re.Match[str]) -> DateMatch | None:
    if m.group("year"):
        return DateMatch(m.start(), m.end(), m.group("year"), "year")
    word = m.group("m1") or m.group("m2") or m.group("m3")
    expr = m.group(0)
    if word is not None:
        month = _month_number(word)
        if month is None:
            return None
        expr = expr.replace(word, MONTH_NAMES[month - 1].capitalize(), 1)
    expr = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", expr)
    expr = re.sub(r"(\d)\.\s+(\d{4})", r"\1, \2", expr)  # "Jun. 27. 2022"
    parsed = _iso(expr)
    if parsed is None and word is not None and (m.group("mdy") or m.group("dmy")):
        # "February 30, 2020": no such day, but the month and year are as printed
        year = re.search(r"\d{4}", expr)
        parsed = _iso(f"{MONTH_NAMES[month - 1].capitalize()} {year.group(0)}") if year else None
    if parsed is None:
        return None
    return DateMatch(m.start(), m.end(), parsed[0], parsed[1])


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as an ISO string (YYYY-MM-DD, YYYY-MM or YYYY)."""
    dates = find_dates(text)
    return dates[0].iso if dates else None
