"""Legal citations: reporters, statutes and codes, constitutions, public laws, dockets.

A case or a Bluebook periodical is cited by volume, reporter and first page (``550 U.S. 544,
556``); ``at`` instead of a first page (``314 Ga. at 700``) makes it a short form, a pinpoint
into an earlier citation. A statute is a code and a section (``46 U.S.C. § 53403``), an unreported
case a docket number (``No. 1:20-cv-10832 (S.D.N.Y. 2020)``). The titles of these (the case
name, the statute) are decided in ``titles``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.citations.segments import clean
from pipeline.core.text.dates import DATE_RE

_REPORTER_TOKEN = r"(?:[A-Z][A-Za-z'\u2019]*\.?|\d(?:d|th|st|nd|rd)\b|&)"
_REPORTER_RE = re.compile(
    rf"(?<![\w\u00a7.])(?P<volume>\d{{1,4}})\s+(?P<reporter>{_REPORTER_TOKEN}(?:\s?{_REPORTER_TOKEN}){{0,6}}?)"
    rf"\s+(?P<page>at\s+\d[\d\u2013\-]*|\d{{1,7}}(?!\w|\.\d))"
    rf"(?:,\s*(?P<pin>\d[\d\u2013\-]*(?:\s*n\.\s*\d+)?))?"
)
_STATUTE_RE = re.compile(
    r"(?P<code>(?:\b\d+\s+)?(?:[A-Z][A-Za-z.'\u2019]*\.?\s+){0,5}?[A-Z][A-Za-z.'\u2019]*\.?)\s*"
    r"(?P<section>\u00a7\u00a7?\s*\d[\w.:()\u2013\-]*)"
)
# An unreported case cited by docket number: "SEC v. Ripple Labs, Inc., No. 1:20-cv-10832 (S.D.N.Y. 2020)".
_DOCKET_CASE_RE = re.compile(
    r"(?P<name>[A-Z][^;]{0,150}?\sv\.\s[^;]{1,150}?),\s+(?P<docket>(?:Case\s+|Civ\.\s+|Crim\.\s+)?Nos?\.\s*[\w:.\-]+)"
)
_PUBLIC_LAW_RE = re.compile(r"(?P<code>P\.\s?L\.|Pub\.\s?L\.)\s*(?:No\.\s*)?\d+[-\u2013]\d+")
_CONSTITUTION_RE = re.compile(r"(?P<code>(?:[A-Z][A-Za-z.]*\.?\s+)?CONST\.)\s*(?:art|amend|pmbl)\.", re.I)


@dataclass(frozen=True)
class ReporterCite:
    """Volume, reporter and page of a case or Bluebook periodical."""

    volume: str
    reporter: str
    page: str | None
    pinpoint: str | None
    short_form: bool  # cited ``at`` a page: a pinpoint into an earlier citation


@dataclass(frozen=True)
class DocketCite:
    """An unreported case: its docket number and the court of the closing parenthetical."""

    number: str | None
    court: str | None


@dataclass(frozen=True)
class StatuteCite:
    """A statute, code, constitution or public law: the code and its volume (title number)."""

    code: str | None
    volume: str | None


def _valid_reporter(reporter: str) -> bool:
    squashed = reporter.replace(" ", "")
    return "." in reporter or (squashed.isupper() and len(squashed) >= 2)


def find_reporter(text: str) -> re.Match[str] | None:
    """The first volume-reporter-page in ``text`` whose reporter is abbreviated or in capitals."""
    for m in _REPORTER_RE.finditer(text):
        if _valid_reporter(m.group("reporter")):
            return m
    return None


def find_statute(text: str, body: int) -> re.Match[str] | None:
    """A code and section, else a constitution, else a public law (after ``body``)."""
    return (
        _STATUTE_RE.search(text, body)
        or _CONSTITUTION_RE.search(text, body)
        or _PUBLIC_LAW_RE.search(text, body)
    )


def find_docket(text: str, body: int) -> re.Match[str] | None:
    """A case cited by docket number, starting at ``body``."""
    return _DOCKET_CASE_RE.match(text, body)


def read_reporter(m: re.Match[str]) -> ReporterCite:
    """Volume, reporter, first page and pinpoint of a reporter match."""
    page = m.group("page")
    reporter = re.sub(r"\s+", " ", m.group("reporter")).strip()
    if page.startswith("at"):
        # "Camp, 314 Ga. at 700": a pinpoint into an earlier cite
        return ReporterCite(m.group("volume"), reporter, None, page[2:].strip(), short_form=True)
    return ReporterCite(m.group("volume"), reporter, page, m.group("pin"), short_form=False)


def read_docket(text: str, docket: re.Match[str]) -> DocketCite:
    """The docket number, and the court from the parenthetical that ends the citation."""
    court = re.search(r"\(([^()]*)\)\s*\.?\s*$", text[docket.end() :].split(";")[0])
    return DocketCite(
        number=clean(docket.group("docket")),
        court=clean(DATE_RE.sub("", court.group(1))) if court is not None else None,
    )


def read_statute(statute: re.Match[str]) -> StatuteCite:
    """The code (the container) and the number before it (the volume, as in ``46 U.S.C.``)."""
    vol = re.match(r"\d+", statute.group("code"))
    return StatuteCite(code=clean(statute.group("code")), volume=vol.group(0) if vol else None)
