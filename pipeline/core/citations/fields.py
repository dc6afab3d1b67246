"""The fields of one citation (``parse_citation``) and its kind, read in a fixed order of evidence.

1. URLs and DOIs are found first and masked (same length), with "et al." and "available at";
   a signal (``See``, ``Cf.``) that opens the citation is kept apart.
2. A repeat (Ibid./Id., supra, op. cit., infra) is recognised by ``references`` and read no further.
3. Dates get their roles (``dates``): the access and update dates are kept and masked.
4. Legal and reference-list styles, in this order: a reporter (``legal``), an APA or ACM
   reference (``academic``), a case cited by docket number, a statute (unless a quoted title
   stands in the citation).
5. Otherwise the title (``titles``), the authors before it (``names``), the publication date
   outside the title, and the container (``containers``); a post on a social network gives its
   platform and @handle when nothing else does.

A citation from which no source can be read (no authors, title, container, date, URL or DOI)
is ``commentary``. Missing fields stay None: a citation without a URL is still one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.citations.academic import read_reference
from pipeline.core.citations.containers import container_after
from pipeline.core.citations.dates import best_date, date_roles
from pipeline.core.citations.genres import place_publisher, tex_quotes, without_genre
from pipeline.core.citations.legal import (
    find_docket,
    find_reporter,
    find_statute,
    read_docket,
    read_reporter,
    read_statute,
)
from pipeline.core.citations.names import find_authors, social_post
from pipeline.core.citations.references import find_repeat
from pipeline.core.citations.segments import clean, has_sentence_break, italic_runs, mask, paren_depths
from pipeline.core.citations.split import MID_SIGNAL, SIGNAL_RE
from pipeline.core.citations.tagged import read_tagged, trim_container
from pipeline.core.citations.tails import (
    abbreviated_journal,
    journal_before_year,
    not_a_container,
    trim_title,
)
from pipeline.core.citations.titles import (
    docket_title,
    find_title,
    quote_marks,
    reporter_title,
    statute_title,
    title_text,
)
from pipeline.core.models import CitationKind, Span
from pipeline.core.text.dates import DateMatch, find_dates
from pipeline.core.text.urls import UrlMatch, find_dois, find_urls, with_scheme

# the same author(s) as the entry before: "———.", "______.", "---," in reference lists
_SAME_AUTHOR = re.compile(r"[\u2014\u2013_\-]{2,}\s*[.,:]?\s+")
# a book's place and publisher ("New York: Penguin", "Cambridge, MA: MIT Press")
_PLACE_PUBLISHER = re.compile(r"^[A-Z][\w.'\- ]{1,30}(?:,\s*[A-Z][\w.]{1,15})?\s?:\s*[A-Z]")


@dataclass(slots=True)
class CitationFields:
    """What ``parse_citation`` reads from one citation: the fields of a ``Citation`` that come
    from its text (the id, note number, position and ``refers_to`` are given by the caller)."""

    authors: list[str] = field(default_factory=list)
    title: str | None = None
    container: str | None = None
    published: str | None = None
    accessed: str | None = None
    updated: str | None = None
    urls: list[str] = field(default_factory=list)
    doi: str | None = None
    kind: CitationKind = CitationKind.FULL
    signal: str | None = None
    volume: str | None = None
    page: str | None = None
    pinpoint: str | None = None


@dataclass(frozen=True)
class _Reading:
    """One citation as the field rules read it: ``text`` is ``raw`` with URLs, DOIs and date cues
    masked, ``body`` where the source starts (after any signal); every offset indexes ``raw``."""

    raw: str
    text: str
    body: int
    depths: list[int]
    italic: list[tuple[int, int]]
    cited: list[DateMatch]  # the dates that may be the publication date


def parse_citation(
    raw: str, *, italics: Sequence[Span] = (), offset: int = 0, urls: Sequence[str] | None = None
) -> CitationFields:
    """Fields of one citation. Missing fields stay None: a citation without a URL is still one.

    ``italics`` index the note text and ``offset`` is where ``raw`` starts in it. ``urls`` are the
    repaired URLs of this citation when the caller has them (the note's), else they are found here.
    """
    raw = tex_quotes(raw)
    found = find_urls(raw)
    fields = CitationFields(urls=_urls(found, urls))
    # a DOI in the text, else in a doi.org URL the caller joined across a line break
    fields.doi = next(iter(find_dois(raw) or [d for u in fields.urls for d in find_dois(u)]), None)
    text = _masked(raw, found)
    body = _read_signal(fields, text)
    depths = paren_depths(text)
    repeat = find_repeat(text, body)
    if repeat is not None:
        fields.kind, fields.authors, fields.pinpoint = repeat.kind, repeat.authors, repeat.pinpoint
        return fields
    body = _read_mid_signal(fields, text, body, depths)
    italic = [r for r in italic_runs(raw, italics, offset) if r[0] >= body]
    text, cited = _read_dates(fields, text, depths)
    reading = _Reading(raw, text, body, depths, italic, cited)
    if not _read_legal_or_academic(fields, reading):
        _read_source(fields, reading)
    if _SAME_AUTHOR.match(text.lstrip()):
        fields.authors = []  # the previous entry's, not printed here
    _title_after_dated_author(fields, raw, body)
    fields.title, fields.container = without_genre(raw, fields.title, fields.container)
    fields.title = trim_title(fields.title)
    fields.title, fields.container = not_a_container(raw, fields.title, fields.container)
    if fields.kind is CitationKind.FULL:
        fields.title, fields.container = abbreviated_journal(raw[body:], fields.title, fields.container)
        fields.container = journal_before_year(raw, fields.title, fields.container)
    if place_publisher(fields.container):
        fields.container = None  # "New York: Penguin" publishes a book, it does not contain it
    return fields


# author-date: "Alliance for Excellent Education. (2007). The high cost ...", "AASHTO (2010). ..."
_DATED_HEAD = re.compile(r"(?P<head>[^()\d]{3,160}?)\.?\s*\((?:1[5-9]|20)\d\d[a-z]?\)[.:,]?\s+(?=\S)")


def _title_after_dated_author(fields: CitationFields, raw: str, body: int) -> None:
    """In author-date styles what stands before "(YEAR)." is the author, never the title: a title
    read there (an organisation's name, "Victorian Equal Opportunity ... Commission (2008).") is
    the author's, and the title is read after the year."""
    m = _DATED_HEAD.match(raw, body)
    if m is None or not fields.title or fields.title not in m.group("head"):
        return
    tagged = read_tagged(raw[m.end() :])
    if tagged.title and tagged.title not in m.group("head"):
        fields.title = tagged.title
        head = clean(m.group("head")) or ""
        people = "," in head or re.search(r"\b[A-Z]\.", head)  # an organisation has neither
        fields.authors = (find_authors(head) if people else []) or [head]


def _urls(found: Sequence[UrlMatch], urls: Sequence[str] | None) -> list[str]:
    """The caller's URLs, else those found in the text (given a scheme when printed without one)."""
    if urls is None:
        urls = [
            with_scheme(u) if not u.lower().startswith(("http", "ftp")) else u for u in (m.url for m in found)
        ]
    return list(urls)


def _masked(raw: str, found: Sequence[UrlMatch]) -> str:
    """URLs, DOIs and "et al." are blanked out (same length) so every offset still indexes ``raw``."""
    text = mask(raw, [(m.start, m.end) for m in found])
    text = mask(text, [m.span() for m in re.finditer(r"(?i)\bdoi:\s*\S+", text)])
    return mask(
        text, [m.span() for m in re.finditer(r"(?i)\bet\s+al\b\.?|\bavailable\s+(?:at|from)\b", text)]
    )


def _read_signal(fields: CitationFields, text: str) -> int:
    """Keep the signal that opens the citation; where the source starts."""
    lead = len(text) - len(text.lstrip())
    dashes = _SAME_AUTHOR.match(text, lead)
    if dashes:  # the authors are the previous entry's: the work starts after the rule
        return dashes.end()
    signal = SIGNAL_RE.match(text[lead:])
    if signal and signal.group(0).strip():
        fields.signal = clean(signal.group(0))
        return lead + signal.end()
    return lead


def _read_mid_signal(fields: CitationFields, text: str, body: int, depths: Sequence[int]) -> int:
    """A signal after some prose ("For an explanation, see Bryan F. Jacoutot, ..."): the source
    starts after it."""
    mid = MID_SIGNAL.search(text, body)
    if mid is not None and depths[mid.start(1)] == 0 and len(text[body : mid.start(1)].split()) >= 4:
        fields.signal = clean(mid.group(1))
        return mid.end()
    return body


def _read_dates(fields: CitationFields, text: str, depths: Sequence[int]) -> tuple[str, list[DateMatch]]:
    """Keep the access and update dates and mask them with their cues; the dates left that may be
    the publication date."""
    roles = date_roles(text, find_dates(text), depths)
    fields.accessed = next((r.date.iso for r in roles if r.role == "accessed"), None)
    fields.updated = next((r.date.iso for r in roles if r.role == "updated"), None)
    text = mask(text, [(r.cue, r.date.end) for r in roles if r.role in {"accessed", "updated"}])
    return text, [r.date for r in roles if r.role == "published"]


def _read_legal_or_academic(fields: CitationFields, r: _Reading) -> bool:
    """A reporter, an APA/ACM reference, a docket or a statute (the first that applies); False if
    the citation is none of these."""
    reporter = find_reporter(r.text[r.body :])
    statute = find_statute(r.text, r.body)
    if reporter is not None and (statute is None or reporter.start() + r.body < statute.start()):
        _read_reporter(fields, r, reporter)
        return True
    reference = read_reference(r.text, r.body, r.cited)
    if reference is not None:
        fields.authors, fields.title = reference.authors, reference.title  # type: ignore[assignment]
        fields.container, fields.volume = reference.container, reference.volume
        fields.page, fields.published = reference.page, reference.published
        # the layout gave authors and title exactly; the container runs to where the tagger says
        tagged = read_tagged(r.raw[r.body :])
        fields.container = tagged.container
        if len(tagged.authors) > len(fields.authors):  # "Brandon, M. A., E. J. Murphy, ..."
            fields.authors = tagged.authors
        return True
    docket = find_docket(r.text, r.body)
    if docket is not None and (statute is None or docket.start() < statute.start()):
        case = read_docket(r.text, docket)
        fields.title = docket_title(docket.group("name"))
        fields.container, fields.page = case.court, case.number
        fields.published = best_date(r.cited)
        return True
    if statute is not None and not quote_marks(r.text, r.depths).pairs:
        code = read_statute(statute)
        fields.container, fields.volume = code.code, code.volume
        fields.title = statute_title(r.text, statute)
        fields.published = best_date(r.cited)
        return True
    return False


def _read_reporter(fields: CitationFields, r: _Reading, m: re.Match[str]) -> None:
    """Cases (``Bell Atl. Corp. v. Twombly, 550 U.S. 544``) and Bluebook periodicals."""
    cite = read_reporter(m)
    fields.volume, fields.container = cite.volume, cite.reporter
    fields.page, fields.pinpoint = cite.page, cite.pinpoint
    if cite.short_form:
        fields.kind = CitationKind.SHORT_FORM
    start = r.body + m.start()
    work = reporter_title(r.raw, r.text, r.body, start, r.italic)
    fields.title, fields.authors = work.title, work.authors
    fields.published = best_date([d for d in r.cited if d.start >= start])


def _read_source(fields: CitationFields, r: _Reading) -> None:
    """Title, authors, date and container of any other citation; commentary if none is found."""
    found = find_title(r.raw, r.text, r.body, r.depths, r.italic, r.cited)
    if found.title is not None:
        fields.title = title_text(r.text, found.title)
    fields.authors = found.authors or find_authors(
        r.text[r.body : found.head_end], allow_org=found.title is not None
    )
    outside_title = [
        d
        for d in r.cited
        if found.title is None or not found.title[0] <= d.start < found.title[1] or r.depths[d.start]
    ]
    fields.published = best_date(outside_title)
    fields.container = found.container or container_after(
        r.raw, r.text, found.after, found.title, r.italic, r.cited
    )
    if found.title is not None or r.cited or fields.urls or fields.doi or _reads_as_reference(r):
        notes = _notes_layout(r)
        _read_tagged(
            fields,
            r,
            typographic=found.typographic or notes,
            # a note's commas (no sentence break before the date): the rules read that layout
            trust_container=notes or bool(r.italic) or not has_sentence_break(_head(r)),
        )
    social = social_post(fields.urls)
    if social is not None:
        fields.container = fields.container or social[0]
        fields.authors = fields.authors or [social[1]]
    if not any((fields.authors, fields.title, fields.container, fields.published, fields.urls, fields.doi)):
        fields.kind = CitationKind.COMMENTARY  # explanatory text: no source can be read from it


def _read_tagged(fields: CitationFields, r: _Reading, *, typographic: bool, trust_container: bool) -> None:
    """The tagger's authors, title and container. Where the rules read the title from quotes or
    italics they are kept and the tagger only fills what they left empty; where they read by
    position (reference lists, author-date), the tagger decides."""
    tagged = read_tagged(r.raw[r.body :], [(s - r.body, e - r.body) for s, e in r.italic])
    if typographic:
        fields.authors = fields.authors or tagged.authors
        # the rules' container is the segment after a quoted title; in reference lists that is
        # as often a thesis's university or a report series, which the tagger tells apart
        if fields.container and _PLACE_PUBLISHER.match(fields.container):
            fields.container = None  # "New York: Penguin" publishes a book, it does not contain it
        fields.container = trim_container(fields.container)
        fields.container = (
            (fields.container or tagged.container)
            if trust_container
            else _agreed(fields.container, tagged.container)
        )
        return
    fields.authors = [] if tagged.edited else tagged.authors or fields.authors
    fields.title = tagged.title or fields.title
    fields.container = tagged.container


def _notes_layout(r: _Reading) -> bool:
    """A note in Chicago or Bluebook layout ("Benjamin Wallace, The Rise and Fall of Bitcoin,
    WIRED, (Nov. 23, 2011)"): the author first in direct order, fields separated by commas, no
    sentence break before the date. The position rules were built for this layout."""
    head = _head(r)
    first, comma, _ = head.partition(",")
    if not comma or has_sentence_break(head):
        return False
    words = first.split()
    return len(words) >= 2 and not re.fullmatch(r"[A-Z]\.?", words[-1]) and bool(find_authors(first))


def _reads_as_reference(r: _Reading) -> bool:
    """No date, URL or title the rules can see, but the tagger reads authors and a title: a
    reference without a date ("Grady, Joseph. Foundations of Meaning. Diss. ..."), not prose."""
    tagged = read_tagged(r.raw[r.body :])
    # after a rule for the same authors ("———. Dom Casmurro. In ..."), a title is enough
    return bool(tagged.title and (tagged.authors or _SAME_AUTHOR.match(r.text.lstrip())))


def _agreed(rules: str | None, tagged: str | None) -> str | None:
    """Where the rules and the tagger name the same container, the narrower bounds (the rules
    know the masked date cues and quotes, the tagger the volume and pages); where they differ,
    the tagger's reading."""
    if rules and tagged and (rules in tagged or tagged in rules):
        return min(rules, tagged, key=len)
    return tagged


def _head(r: _Reading) -> str:
    """The citation up to its publication date: where a note's layout shows (commas or full stops)."""
    return r.text[r.body : min((d.start for d in r.cited), default=len(r.text))]
