"""Joining the printed lines of a note: words and URLs broken at line ends.

URL repair is the delicate part. A layout breaks long URLs across lines, sometimes adding a
hyphen that is not part of the URL (``clingen-`` + ``dael.org``) and sometimes breaking at a
hyphen that is (``sergey-`` + ``markedonov``). Evidence, strongest first:

1. a PDF link annotation over the characters gives the true target;
2. the document itself: a typesetter that cuts URLs mid-word without a hyphen (``PORTA`` +
   ``L30``) does not add hyphens either, so every hyphen at its line breaks is real;
3. word frequencies: if the joined form is a word ("salva-tion"), the hyphen was added; if both
   halves are words, or the break sits inside a hyphenated slug, it was real;
4. otherwise the hyphen is treated as added.

Whatever is decided, the other spelling is kept as an alternative so the URL checker can fall
back to it, and ``raw_url`` keeps the URL as printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.core.models import LinkSpan, Span, UrlRef
from pipeline.core.text.urls import (
    BREAK_AFTER,
    ELLIPSIS,
    URL_RE,
    URL_START,
    bare_host_at_end,
    find_urls,
    is_web,
    norm_url,
    repair_url,
    schemed,
    squash_url,
)
from pipeline.core.text.words import word_score


@dataclass
class LinePiece:
    """One printed line of a note, as the layout gave it."""

    text: str
    full: bool = False  # the line reaches the right edge of its column
    links: Sequence[LinkSpan] = ()
    italics: Sequence[Span] = ()


@dataclass
class _Break:
    """A line break inside a URL: ``pos`` indexes the joined text; ``hyphen`` if one was printed."""

    pos: int
    hyphen: bool
    kept: bool
    # a hyphen-less cut between two letters or digits: this typesetter does not add hyphens
    bare: bool = False
    # a hyphen whose removal gives a common word from a non-word part: a typesetter's hyphen
    added_look: bool = False


@dataclass
class JoinedText:
    text: str
    urls: list[UrlRef] = field(default_factory=list)
    italics: list[Span] = field(default_factory=list)
    breaks: list[_Break] = field(default_factory=list)


def _in_url(text: str) -> bool:
    """Is the end of ``text`` inside a URL (a URL start with no whitespace after it)?"""
    tail = text.rsplit(None, 1)[-1] if text.strip() else ""
    return bool(URL_START.search(tail)) or bool(URL_RE.fullmatch(tail.lstrip("([\"'\u201c")))


def _uri_at(links: Sequence[LinkSpan], pos: int) -> str | None:
    for link in links:
        if link.start <= pos < link.end:
            return link.uri
    return None


def _url_continues(left: str, right: str, full: bool, same_link: bool | None) -> bool:
    if same_link is not None:
        return same_link
    tail = left.rstrip()
    first = right.split(None, 1)[0] if right.strip() else ""
    # the URL's last piece may run straight into the next, bracketed URL: "report[https://…"
    first = re.split(r"[\[(](?=(?:https?|ftp)://)", first, maxsplit=1, flags=re.I)[0]
    if not first or tail.endswith((";", ",", ")")):
        return False
    if first[:1] in "([{\"'\u201c\u2018":
        return False  # "(last visited ...": prose resumes
    # the URL's last piece may be closed by a quotation mark: '…reports-' + '2023-7-27-17/";'
    first = re.sub(r"[\"\u201d\u2019]+[;,.:)]*$", "", first) or first
    if URL_START.match(first) and not tail.endswith("://"):
        return False  # the next URL of a list (a bare "http://" still waits for its host)
    if re.match(r"^[A-Z][a-z]+[,.;:]?$", first) and not tail.endswith(tuple(BREAK_AFTER)):
        return False  # a capitalised word: the next citation starts
    if not re.match(r"^[\w\-./?&=%#~:+@!$*,;()']+$", first):
        return False
    return full or tail.endswith(tuple(BREAK_AFTER)) or bool(re.match(r"^[a-z0-9]", first))


def hyphen_is_real(left: str, right: str, segment: str, *, hyphens_added: bool | None = None) -> bool:
    """Decide a hyphen at a URL line break, from the word fragments on either side.

    ``hyphens_added=False`` says the document's typesetter never adds hyphens to URLs (it was
    seen cutting URLs mid-word without one), so the printed hyphen is real.
    """
    if hyphens_added is False:
        return True
    left = left.removesuffix("-")
    a = re.search(r"[A-Za-z0-9]+$", left)
    b = re.match(r"[A-Za-z0-9]+", right)
    if not a or not b or not a.group(0).isalpha() or not b.group(0).isalpha():
        return True  # digits or punctuation around it: a typesetter would not add a hyphen there
    a_word, b_word = a.group(0), b.group(0)
    if a_word.isupper() and b_word.isupper() and len(a_word) + len(b_word) <= 10:
        return True  # codes such as 4GZA-EFMP are not hyphenated by typesetters
    if word_score(a_word + b_word) >= 2.0:
        return False
    both_words = word_score(a_word) >= 3.0 and word_score(b_word) >= 3.0
    slug = segment.count("-") >= 2
    return both_words or slug


def _looks_added(left: str, right: str) -> bool:
    """A hyphen that splits a word into a rarer fragment (``salva-tion``, not ``Break-Out``)."""
    a = re.search(r"[A-Za-z]+$", left.removesuffix("-"))
    b = re.match(r"[A-Za-z]+", right)
    if not a or not b:
        return False
    joined = word_score(a.group(0) + b.group(0))
    return joined >= 2.0 and joined > min(word_score(a.group(0)), word_score(b.group(0)))


def _same_link(prev: LinePiece, piece: LinePiece, lead: int) -> bool | None:
    """Do two lines' link annotations say the break is inside one link (None: no evidence)?"""
    if not (prev.links or piece.links):
        return None
    left_uri = _uri_at(prev.links, len(prev.text.rstrip()) - 1)
    right_uri = _uri_at(piece.links, lead)
    if left_uri and right_uri:
        return left_uri == right_uri
    return None


def _url_break(
    text: str, line: str, prev: LinePiece, same_link: bool | None, hyphens_added: bool | None
) -> tuple[str, _Break]:
    """A line break inside a URL: the text with the hyphen dropped or kept, and the break."""
    if not text.endswith("-"):
        bare = bool(re.search(r"[A-Za-z0-9]$", text)) and bool(re.match(r"[A-Za-z0-9]", line))
        return text, _Break(pos=len(text), hyphen=False, kept=False, bare=bare)
    frag = text.rsplit(None, 1)[-1]
    # the path segment or host label the break sits in
    segment = re.split(r"[/.?=&#]", frag)[-1] + re.split(r"[/.?=&#\s]", line, maxsplit=1)[0]
    uri = _uri_at(prev.links, len(prev.text.rstrip()) - 1) if same_link else None
    if uri:
        kept = _annotation_keeps_hyphen(uri, frag, line)
    else:
        kept = hyphen_is_real(text[:-1], line, segment, hyphens_added=hyphens_added)
    brk = _Break(pos=len(text) - 1, hyphen=True, kept=kept, added_look=_looks_added(text, line))
    return (text if kept else text[:-1]), brk


def _join_point(
    text: str, line: str, prev: LinePiece, piece: LinePiece, lead: int, hyphens_added: bool | None
) -> tuple[str, str, _Break | None]:
    """How ``line`` joins the text so far: (text, separator, URL break if the join is in a URL)."""
    same_link = _same_link(prev, piece, lead)
    if _in_url(text) and _url_continues(text, line, prev.full, same_link):
        text, brk = _url_break(text, line, prev, same_link, hyphens_added)
        return text, "", brk
    if re.search(r"[A-Za-z]-$", text) and re.match(r"[a-z]", line):
        return (text[:-1] if joins_hyphenated_word(text, line) else text), "", None
    return text, ("" if joins_without_space(text, line) else " "), None


def join_lines(pieces: Sequence[LinePiece], *, hyphens_added: bool | None = None) -> JoinedText:
    """Join the printed lines of a note into text, repairing words and URLs broken at line ends.

    ``hyphens_added`` is document-level evidence about URL hyphens (see ``hyphen_is_real``).
    """
    text = ""
    italics: list[Span] = []
    links: list[LinkSpan] = []
    breaks: list[_Break] = []
    prev: LinePiece | None = None
    for piece in pieces:
        line = piece.text.strip()
        lead = len(piece.text) - len(piece.text.lstrip())
        if not line:
            continue
        sep = ""
        if text and prev is not None:
            text, sep, brk = _join_point(text, line, prev, piece, lead, hyphens_added)
            if brk is not None:
                breaks.append(brk)
        base = len(text) + len(sep) - lead
        text += sep + line
        italics += [Span(start=s.start + base, end=s.end + base) for s in piece.italics if s.end + base > 0]
        links += [LinkSpan(start=s.start + base, end=s.end + base, uri=s.uri) for s in piece.links]
        prev = piece
    stripped = len(text) - len(text.lstrip())
    text = text.strip()
    if stripped:
        italics = [Span(start=s.start - stripped, end=s.end - stripped) for s in italics]
        links = [LinkSpan(start=s.start - stripped, end=s.end - stripped, uri=s.uri) for s in links]
        breaks = [_Break(b.pos - stripped, b.hyphen, b.kept, b.bare, b.added_look) for b in breaks]
    return JoinedText(text=text, urls=extract_url_refs(text, links, breaks), italics=italics, breaks=breaks)


def joins_hyphenated_word(left: str, right: str) -> bool:
    """Is the hyphen ending ``left`` (a line of prose) one that hyphenation added?

    Yes when the joined word is about as common as its parts ("capabili-ties", "un-contested",
    "bar-gain"), or a part is a rare fragment (a split name, "Vogel-steller"); no for compounds:
    the joined form much rarer than both parts ("real-time", "follow-up") or a common word
    joined to an unknown one ("blawg-related").
    """
    a_match = re.search(r"([A-Za-z]+)-$", left)
    b_match = re.match(r"[A-Za-z]+", right)
    if not a_match or not b_match:
        return False
    a, b = word_score(a_match.group(1)), word_score(b_match.group(0))
    joined = word_score(a_match.group(1) + b_match.group(0))
    if joined >= 2.0 and joined >= min(a, b) - 1.5:
        return True
    if joined == 0 and max(a, b) >= 4.5:
        return False  # a common word joined to a new one: "blawg-related", "drone-based"
    return min(a, b) < 2.5  # compounds are made of common words; a rare fragment is half a word


def joins_without_space(left: str, right: str) -> bool:
    """Lines that join without a space: "C-" + "SPAN" keeps its hyphen, "similar—" + "crypto"."""
    if re.search(r"[A-Za-z]-$", left) and re.match(r"[A-Z]", right):
        return True
    return bool(re.search(r"\S[\u2013\u2014]$", left)) and bool(re.match(r"\w", right))


def hyphens_added_evidence(joined: Sequence[JoinedText]) -> bool | None:
    """What a document's URL line breaks say about its typesetter (for ``hyphens_added``).

    False when it cut a URL between two letters or digits without a hyphen and never split a
    common word with one; None (no evidence) otherwise.
    """
    breaks = [b for j in joined for b in j.breaks]
    if any(b.bare for b in breaks) and not any(b.hyphen and b.added_look for b in breaks):
        return False
    return None


def _annotation_keeps_hyphen(uri: str, frag: str, right: str) -> bool:
    """With an annotation, the printed hyphen is real iff the target has it at the break."""
    a = re.search(r"[\w.%~]+-$", frag)
    b = re.match(r"[\w.%~]+", right)
    if not a or not b:
        return True
    return (a.group(0) + b.group(0)) in uri or (a.group(0)[:-1] + b.group(0)) not in uri


def _spellings(url: str, start: int, breaks: Sequence[_Break]) -> tuple[str, list[str]]:
    """Printed form and the alternative readings of a URL that crosses line-break hyphens."""
    inside = [b for b in breaks if start <= b.pos <= start + len(url)]
    raw = url
    alternatives: list[str] = []
    for b in sorted(inside, key=lambda b: b.pos, reverse=True):
        at = b.pos - start
        if not b.hyphen:
            continue
        if b.kept:
            alternatives.append(url[:at] + url[at + 1 :])
        else:
            raw = raw[:at] + "-" + raw[at:]
            alternatives.append(url[:at] + "-" + url[at:])
    return raw, alternatives[:4]


def extract_url_refs(
    text: str, links: Sequence[LinkSpan] = (), breaks: Sequence[_Break] = ()
) -> list[UrlRef]:
    """URLs of a note: from its text and its link annotations, merged, in order, deduplicated.

    A printed URL and the annotation over it are one URL. The annotation's target wins when it
    is the printed URL (up to line-break hyphens) or when the printed text is visibly incomplete
    (an ellipsis, characters the text layer lost); otherwise the printed URL wins and the target
    is kept as an alternative. Annotations over text that is not a URL add their own entries.
    """
    refs: list[UrlRef] = []
    seen: set[str] = set()
    used_uris: set[str] = set()
    for match in find_urls(text):
        start, end, url = match.start, match.end, match.url
        raw, alternatives = _spellings(url, start, breaks)
        best, source = schemed(repair_url(url)), "text"
        if best != schemed(url):
            alternatives = [schemed(url), *alternatives]
        over = [ln for ln in links if ln.start < end and ln.end > start and is_web(ln.uri)]
        uris = list(dict.fromkeys(ln.uri for ln in over))
        if uris:
            used_uris |= set(uris)
            source = "both"
            best, alternatives, whole = _reconcile(text, start, end, best, alternatives, uris, over)
            if whole:  # the printed URL was cut short: what was printed is the linked text
                raw = _linked_text(text, start, best, links)
        alternatives = [a for a in dict.fromkeys(alternatives) if norm_url(a) != norm_url(best)]
        key = norm_url(best)
        if key in seen:
            continue
        seen.add(key)
        refs.append(UrlRef(url=best, raw_url=raw, alternatives=alternatives[:5], source=source))
    bare = bare_host_at_end(text)
    if bare is not None and not any(norm_url(r.url).startswith(norm_url(bare.url)) for r in refs):
        seen.add(norm_url(bare.url))
        refs.append(UrlRef(url=schemed(bare.url), raw_url=bare.url, source="text"))
    for link in links:
        if link.uri in used_uris or not is_web(link.uri):
            continue
        key = norm_url(link.uri)
        if key in seen:
            continue
        seen.add(key)
        used_uris.add(link.uri)
        refs.append(UrlRef(url=link.uri, raw_url=text[link.start : link.end], source="annotation"))
    return refs


def _linked_text(text: str, start: int, uri: str, links: Sequence[LinkSpan]) -> str:
    """The text under a link from ``start`` on, across the line breaks it spans."""
    spans = sorted((ln.start, ln.end) for ln in links if ln.uri == uri and ln.end > start)
    lo, hi = start, start
    for a, b in spans:
        if a > hi + 1:
            break
        lo, hi = min(lo, a), max(hi, b)
    return text[lo:hi].strip()


def _reconcile(
    text: str,
    start: int,
    end: int,
    best: str,
    alternatives: list[str],
    uris: list[str],
    over: Sequence[LinkSpan],
) -> tuple[str, list[str], bool]:
    """Choose between the printed URL (and its spellings) and the annotation targets over it.

    Returns the URL, its alternatives, and whether the printed text was incomplete.
    """
    spellings = [best, *alternatives]
    for uri in uris:
        if any(norm_url(s) == norm_url(uri) for s in spellings):
            return uri, spellings, False
    # The text layer lost part of the URL (an ellipsis, or linked characters the match stops
    # short of, such as underscores printed as spaces): the target is the only whole URL.
    tail = text[end : max((ln.end for ln in over), default=end)]
    truncated = bool(ELLIPSIS.match(text[end:])) or bool(re.search(r"[\w/]", tail))
    for uri in uris:
        if truncated and squash_url(uri).startswith(squash_url(best)[: max(8, len(squash_url(best)) // 2)]):
            return uri, [], True
    # Otherwise the printed URL is what the author cited; a target that extends it (tracking
    # query) or differs from it (a mangled annotation) says which line-break spelling is right.
    for uri in uris:
        chosen = next((s for s in spellings if norm_url(uri).startswith(norm_url(s))), None)
        if chosen is not None:
            return chosen, [uri, *spellings], False
    return best, [*uris, *spellings], False
