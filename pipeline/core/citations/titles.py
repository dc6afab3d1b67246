"""Where a citation's title is decided: every rule that names the cited work lives here.

Evidence, strongest first (``find_title``, for a citation that is not a legal or reference-list
style):

* a quoted span that opens the citation or follows its authors (``Name, "Title," ...``); quotes
  inside a sentence (``the term "security" is``) are no title;
* an opening quote that never closes (``_title_unclosed``): the title runs up to the container;
* a closing quote that was never opened: the title starts after the authors;
* an italic run (``_title_italic``): books, reports, cases, Bluebook articles; unless a
  sentence-like title stands before it in roman type, when the italics name the periodical;
* no typographic evidence (``_title_by_position``): authors, title, container, date (Chicago
  order), or a periodical in capitals (Bluebook), and only when a date or URL shows this is a
  citation and not a sentence.

The legal and reference-list styles have their own rules: the case name before a reporter
(``reporter_title``, ``_case_name``), a case cited by docket number (``docket_title``), a statute
from its code to the end of the section (``statute_title``), and an APA or ACM reference
(``academic_title``). ``title_text`` is the stored form of a span ``find_title`` chose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.core.citations.containers import container_from
from pipeline.core.citations.names import (
    common_words,
    find_authors,
    is_author_segment,
    looks_like_org,
    org_name,
    segment_authors,
)
from pipeline.core.citations.people import split_people
from pipeline.core.citations.segments import (
    DOUBLE_QUOTES,
    LOCATOR,
    clean,
    has_sentence_break,
    is_caps,
    quote_role,
    segments,
    strip_trailing_parens,
)
from pipeline.core.text.dates import DateMatch
from pipeline.core.text.urls import URL_START

# the year after the authors of an author-date reference ("Jain, Narendra, 1986,", "(1990).")
_YEAR_TAIL = re.compile(r"[,.]?\s*\(?\b(?:1[5-9]|20)\d\d[a-z]?\)?[.,:]?\s*$")
_FRAGMENT_END = r"\b(?:at|in|of|the|to|from|by|on|for|and|or|with|a|an|is|are|was|were)\W*$"
_CASE_CONNECTORS = {"of", "the", "and", "for", "ex", "rel.", "de", "la", "du", "&", "on", "in", "re"}


@dataclass(frozen=True)
class Found:
    """What the title search decided: spans index the citation text."""

    title: tuple[int, int] | None
    head_end: int  # where the authors' part ends
    after: int | None  # where the container part starts
    container: str | None = None
    authors: list[str] = field(default_factory=list)
    typographic: bool = False  # read from quotes or italics, not from position


@dataclass(frozen=True)
class QuoteMarks:
    """Double-quoted spans outside parentheses (inner offsets), and unpaired opening/closing marks."""

    pairs: list[tuple[int, int]]
    unclosed: list[int]
    stray_close: list[int]


@dataclass(frozen=True)
class TitledWork:
    """The title of a work cited by volume and reporter, and the authors printed before it."""

    title: str | None
    authors: list[str] = field(default_factory=list)


def quote_marks(text: str, depths: Sequence[int]) -> QuoteMarks:
    """Double-quoted spans outside parentheses (inner offsets), and unpaired opening/closing marks."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    stray_close: list[int] = []
    for i, ch in enumerate(text):
        if ch not in DOUBLE_QUOTES or depths[i]:
            continue
        role = quote_role(text, i)
        if role == "open":
            stack.append(i)
        elif role == "close":
            if stack:
                pairs.append((stack.pop() + 1, i))
            else:
                stray_close.append(i)
    if not pairs and not stack and not stray_close:  # British style: 'Title'
        for m in re.finditer(
            # an apostrophe before a letter is no closing quote ("the law\u2019s limits")
            r"(?:^|(?<=[\s(]))[\u2018']((?:[^\u2018\u2019']|[\u2019'](?=[a-z])){3,}?)[\u2019'](?=[\s,.;:)]|$)",
            text,
        ):
            if not depths[m.start()]:
                pairs.append((m.start(1), m.end(1)))
    return QuoteMarks(sorted(pairs), stack, stray_close)


def _title_position(text: str, body: int, at: int) -> bool:
    """A title opens the citation or follows its authors (``Name, "Title"``, ``Org, *Title*``);
    quotes or italics inside a sentence (``the term "security" is``) are not titles."""
    before = text[body:at].strip()
    if not before or before.endswith((";", "(")) or re.search(r"\bIn:?$", before):
        return True
    head = _YEAR_TAIL.sub("", before).rstrip(",:.")
    if split_people(head) is not None and before.endswith((",", ":", ".", ")")):
        return True  # "Wormald, Patrick. “Title.”", "Jain, Narendra, 1986, ‘Title’", "Card, S. K. ... "
    if len(head.split()) > 14 or not before.endswith((",", ":")):
        return False
    return all(is_author_segment(seg) or looks_like_org(seg) for seg in re.split(r"\s*,\s*", head) if seg)


def find_title(
    raw: str,
    text: str,
    body: int,
    depths: Sequence[int],
    italic: Sequence[tuple[int, int]],
    dates: Sequence[DateMatch],
) -> Found:
    """Find the title: in quotes, in italics, or by position (authors, title, container, date)."""
    marks = quote_marks(text, depths)
    pairs = [p for p in marks.pairs if _quoted_title(text, body, p)]
    if pairs:
        s, e = pairs[0]
        return Found((s, e), s - 1, e + 1, typographic=True)
    unclosed = [q for q in marks.unclosed if q >= body and _title_position(text, body, q)]
    if unclosed:
        return replace(_title_unclosed(text, unclosed[0], italic, dates), typographic=True)
    segs = segments(text, body, len(text), dates)
    stray_close = [q for q in marks.stray_close if q > body]
    if stray_close:
        return replace(_title_before_stray_close(text, body, segs, stray_close[0]), typographic=True)
    italic = [r for r in italic if _title_position(text, body, r[0]) or (segs and r[0] > segs[0][1])]
    if italic:
        return replace(_title_italic(raw, text, body, segs, italic), typographic=True)
    return _title_by_position(raw, text, body, segs, dates)


def title_text(text: str, span: tuple[int, int]) -> str | None:
    """The title as stored: the span ``find_title`` chose, without trailing parentheticals, nor the
    full stop some styles print inside the closing quote (``“Bede and Benedict Biscop.”``)."""
    title = clean(strip_trailing_parens(text[span[0] : span[1]]))
    if title and re.search(r"[a-z]{3}\.$", title) and not title.endswith(" al."):
        title = title[:-1]
    return title


def _quoted_title(text: str, body: int, pair: tuple[int, int]) -> bool:
    """A quoted span is a title: after the signal, with words, not a paragraph, where a title stands."""
    return bool(
        pair[0] > body
        and re.search(r"[A-Za-z]{2}", text[pair[0] : pair[1]])
        and len(text[pair[0] : pair[1]].split()) <= 40
        and _title_position(text, body, pair[0] - 1)
    )


def _title_before_stray_close(text: str, body: int, segs: Sequence[tuple[int, int]], q: int) -> Found:
    """A closing quote that was never opened: the title starts after the authors."""
    k = 0
    while k < len(segs) - 1 and segs[k][1] < q and is_author_segment(text[segs[k][0] : segs[k][1]]):
        k += 1
    start = segs[k][0] if segs else body
    return Found((start, q), start, q + 1)


def _title_unclosed(
    text: str, q: int, italic: Sequence[tuple[int, int]], dates: Sequence[DateMatch]
) -> Found:
    """An opening quote that never closes: the title runs up to the container, which is the
    italic run after it, else the segment just before the date (skipping "No. 913")."""
    later = [r for r in italic if r[0] > q]
    if later:
        return Found((q + 1, later[0][0]), q, later[0][0])
    segs = segments(text, q + 1, len(text), dates)
    starts = {d.start for d in dates}
    at_date = next((i for i, (s, _) in enumerate(segs) if s in starts), None)
    if at_date is not None:
        k = at_date - 1
        while k > 0 and LOCATOR.match(text[segs[k][0] : segs[k][1]]):
            k -= 1
        if k >= 1:
            return Found((q + 1, segs[k - 1][1]), q, segs[k][0])
    if segs:
        return Found((segs[0][0], segs[0][1]), q, segs[0][1])
    return Found(None, q, None)


def _title_italic(
    raw: str, text: str, body: int, segs: Sequence[tuple[int, int]], italic: Sequence[tuple[int, int]]
) -> Found:
    """Italics are a title (books, reports, Bluebook articles) unless a sentence-like title stands
    before them in roman type, in which case they name the periodical."""
    s, e = italic[0]
    before = [seg for seg in segs if seg[1] <= s]
    k = 0
    while k < len(before) and is_author_segment(text[before[k][0] : before[k][1]]):
        k += 1
    authors = segment_authors(text, before[:k])
    rest = before[k:]
    if rest:
        roman = raw[rest[0][0] : rest[-1][1]]
        if len(roman.split()) >= 5 and re.search(r"\s[a-z]", roman) and len(raw[s:e].split()) <= 6:
            return Found((rest[0][0], rest[-1][1]), rest[0][0], s, clean(raw[s:e]), authors)
        # "CRS Report R45281, *Title*": the roman part is a series or publisher
        return Found((s, e), rest[0][0], e, clean(roman), authors)
    return Found((s, e), s, e, None, authors)


def _title_by_position(
    raw: str, text: str, body: int, segs: Sequence[tuple[int, int]], dates: Sequence[DateMatch]
) -> Found:
    """No typographic evidence: authors, title, container, date (Chicago order), or a periodical in
    capitals (Bluebook). Only when a date or URL shows this is a citation and not a sentence."""
    segs = [seg for seg in segs if text[seg[0]] != "("]  # parentheticals are neither title nor author
    if not segs or (not dates and not URL_START.search(raw)):
        return Found(None, body, None)
    starts = {seg[0] for seg in segs if _is_date_segment(text, seg, dates)}
    k = _leading_authors(text, segs, starts)
    rest = list(segs[k:])
    authors = segment_authors(text, segs[:k])
    head_end = rest[0][0] if rest else body
    at_date = next((i for i, (s, _) in enumerate(rest) if s in starts), len(rest))
    if at_date == 0:
        return Found(None, head_end, None, None, authors)
    title_end, container_at = _title_extent(text, rest, at_date)
    span = (rest[0][0], rest[title_end - 1][1])
    if _reads_as_sentence(strip_trailing_parens(text[span[0] : span[1]])):
        return Found(None, head_end, None, None, authors)  # a sentence, not a title
    container = None
    if container_at is not None and container_at < len(rest):
        container = container_from(rest[container_at : container_at + 1], text, dates)
    return Found(span, head_end, None, container, authors)


def _leading_authors(text: str, segs: Sequence[tuple[int, int]], starts: set[int]) -> int:
    """How many segments at the head name authors; one is given back when only dates and locators
    would be left for the title."""
    k = 0
    while k < len(segs) - 1 and segs[k][0] not in starts:
        seg_text = text[segs[k][0] : segs[k][1]]
        if not is_author_segment(seg_text) or (
            k and (org_name(text[segs[0][0] : segs[0][1]]) or common_words(seg_text) or org_name(seg_text))
        ):
            break  # an organisation writes alone; "Understanding Bitcoin Mining" is a title
        k += 1
    if k and not [
        seg for seg in segs[k:] if seg[0] not in starts and not LOCATOR.match(text[seg[0] : seg[1]])
    ]:
        k -= 1  # keep something for the title
    return k


def _title_extent(text: str, rest: Sequence[tuple[int, int]], at_date: int) -> tuple[int, int | None]:
    """(how many segments the title takes, which segment names the container) among the segments
    after the authors: the title runs up to a segment in capitals (a Bluebook periodical), else up
    to the segment just before the date (the container); with no date it is one segment, and the
    next one is the container."""
    caps = next((i for i, (s, e) in enumerate(rest[:at_date]) if i and is_caps(text[s:e])), None)
    if caps is not None:
        return caps, caps
    if at_date == len(rest):
        return 1, 1
    title_end = max(1, at_date - 1)
    return title_end, title_end if at_date >= 2 else None


def _reads_as_sentence(title: str) -> bool:
    """Too long, broken by a full stop, or ending on a function word: a sentence, not a title."""
    return bool(len(title.split()) > 30 or has_sentence_break(title) or re.search(_FRAGMENT_END, title))


def _is_date_segment(text: str, seg: tuple[int, int], dates: Sequence[DateMatch]) -> bool:
    """A segment that is a date, perhaps in parentheses: "(Nov. 29, 2020)"."""
    s, e = seg
    return any(s <= d.start < e and len(text[s:e].strip("() .,")) <= (d.end - d.start) + 12 for d in dates)


# --- Legal and reference-list styles --------------------------------------------------------


def _case_name(before: str) -> str | None:
    """The case name ending ``before`` (``... United Housing Found., Inc. v. Forman``)."""
    m = next(reversed(list(re.finditer(r"\s(?:v\.|vs\.|v)\s", before))), None)
    if m is not None:
        tokens = before[: m.start()].split()
        keep: list[str] = []
        for tok in reversed(tokens):
            bare = tok.strip(',"\u201c\u201d()')
            if bare and (bare[:1].isupper() or bare[:1].isdigit() or bare.lower() in _CASE_CONNECTORS):
                keep.append(tok.lstrip('"\u201c('))
                if tok[:1] in '"\u201c(':
                    break
            else:
                break
        while keep and keep[-1].lower() in _CASE_CONNECTORS:
            keep.pop()
        if keep:
            name = " ".join(reversed(keep)) + before[m.start() :].rstrip(" ,")
            return re.sub(r",\s+(?:Case\s+)?Nos?\.\s.*$", "", name)  # the docket number is no part of it
    m2 = re.search(r"\b(?:In re|Ex parte|In the Matter of)\s.+$", before)
    return m2.group(0).rstrip(" ,") if m2 else None


def reporter_title(
    raw: str, text: str, body: int, start: int, italic: Sequence[tuple[int, int]]
) -> TitledWork:
    """The work cited by the volume and reporter at ``start``: the case name before it
    (``Bell Atl. Corp. v. Twombly, 550 U.S. 544``), else an italic title and the authors before
    that, else the segments after the authors (Bluebook periodicals)."""
    before = text[body:start].rstrip(" ,")
    case = _case_name(before)
    if case is not None:
        return TitledWork(clean(case))
    italic_title = next(((s, e) for s, e in italic if e <= start), None)
    if italic_title is not None:
        return TitledWork(
            clean(raw[italic_title[0] : italic_title[1]]),
            find_authors(text[body : italic_title[0]], allow_org=False),
        )
    segs = segments(text, body, body + len(before), [])
    if segs:
        # "Shaanan Cohney, Coin-Operated Capitalism, 119 Col. L. Rev." or "Wasserman, 320 Ga. 624"
        k = 0
        while k < len(segs) - 1 and is_author_segment(text[segs[k][0] : segs[k][1]]):
            k += 1
        return TitledWork(
            clean(raw[segs[k][0] : segs[-1][1]]), [a for s, e in segs[:k] for a in find_authors(text[s:e])]
        )
    return TitledWork(None)


def docket_title(name: str) -> str | None:
    """An unreported case cited by docket number: its case name."""
    return clean(_case_name(name + ",") or name)


def statute_title(text: str, statute: re.Match[str]) -> str | None:
    """A statute, code or constitution: from the code to the end of the section cited (a
    parenthetical, a semicolon or the end of the sentence)."""
    ends = [text.find("(", statute.end()), text.find(";", statute.end())]
    stop = re.search(r"\.\s+(?=[A-Z])", text[statute.end() :])
    ends.append(statute.end() + stop.start() if stop else -1)
    end = min((e for e in ends if e >= 0), default=len(text))
    return clean(text[statute.start() : end].rstrip(" .,;"))


def academic_title(title: str) -> str | None:
    """The title of an APA or ACM reference: the sentence after the authors (or the year)."""
    return clean(title.rstrip("."))
