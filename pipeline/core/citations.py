"""Citations: note text -> URLs (repaired) and structured citations.

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

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.core.models import Citation, LinkSpan, Note, Span, UrlRef

# Characters that may appear inside a URL as printed in a note.
_URL_BODY = r"[^\s<>\"{}|\\^`\u201c\u201d\u2018\u2019\u2026]"
# Scheme-less URLs need a known top-level domain (or a country code) followed by a path.
_TLD = r"(?:com|org|net|edu|gov|int|mil|info|biz|io|ai|app|dev|law|news|media|online|site|[a-z]{2})"
URL_RE = re.compile(
    rf"(?:(?:https?|ftp)://|www\.){_URL_BODY}+"
    rf"|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+{_TLD}/{_URL_BODY}*",
    re.IGNORECASE,
)
_URL_START = re.compile(r"(?:https?|ftp)://|www\.", re.IGNORECASE)
_TRAILING = ".,;:!?'\"\u2019\u201d*\u2026"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}
# Where typesetting breaks URLs: after these characters nothing is added.
_BREAK_AFTER = "/-._?&=#%~:+"
_DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_ELLIPSIS = re.compile(r"^(?:\.{3}|\u2026)")


@lru_cache(maxsize=65536)
def word_score(word: str) -> float:
    """Zipf frequency of an English word (0 for unknown words and non-words)."""
    if not word or not word.isalpha():
        return 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en")


def clean_url(candidate: str) -> str | None:
    """Strip what surrounds a URL in prose; return None if nothing URL-like is left."""
    url = candidate.strip().lstrip("(<[{'\"\u201c\u2018")
    url = _cut_unclosed_bracket(url)
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(_PAIRS[last]) < url.count(last)):
            url = url[:-1]
        else:
            break
    match = re.match(r"(?i)^(?:(https?|ftp)://)?([^/?#]*)", url)
    if not match:
        return None
    host = match.group(2)
    if not re.search(r"[a-z0-9]", host, re.IGNORECASE) or len(url) < 8:
        return None
    if not match.group(1) and "." not in host:
        return None
    return url


def _cut_unclosed_bracket(url: str) -> str:
    """``x.pdf(last`` -> ``x.pdf``: a bracket that opens before a word and never closes is prose."""
    for m in re.finditer(r"[(\[]", url):
        closer = ")" if m.group(0) == "(" else "]"
        if m.start() > 0 and closer not in url[m.end() :] and url[m.end() : m.end() + 1].isalpha():
            return url[: m.start()]
    return url


def with_scheme(url: str) -> str:
    return url if re.match(r"(?i)^[a-z][a-z0-9+.-]*://", url) else "http://" + url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, cleaned url) for each URL in running text.

    ``text[start:end]`` is the URL as printed; the cleaned URL differs from it only where a
    bracketed link (``[https://perma.cc/4GZA- EFMP]``) was printed with a space inside.
    """
    out = []
    for m in URL_RE.finditer(text):
        url = clean_url(m.group(0))
        if not url:
            continue
        start = m.start() + m.group(0).find(url[:8])
        end = start + len(url)
        if text[start - 1 : start] == "[" and url.endswith(("-", "/")):
            rest = re.match(r"\s([^\s\[\]]+)\]", text[end:])
            if rest:
                url += rest.group(1)
                end += rest.end() - 1
        if out and start < out[-1][1]:
            continue  # the tail of a bracketed link that was already taken whole
        out.append((start, end, url))
    return out


def find_dois(text: str) -> list[str]:
    return [d.rstrip(_TRAILING + ")]") for d in _DOI_RE.findall(text)]


def repair_url(url: str) -> str:
    """Fix what is certainly a typo: a doubled scheme (``http://http://host``)."""
    return re.sub(r"(?i)^(?:(?:https?|ftp)://)+(?=(?:https?|ftp)://)", "", url)


# ---------------------------------------------------------------------------------------------
# Joining the lines of a note
# ---------------------------------------------------------------------------------------------


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
    return bool(_URL_START.search(tail)) or bool(URL_RE.fullmatch(tail.lstrip("([\"'\u201c")))


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
    if not first or tail.endswith((";", ",", ")")):
        return False
    if first[:1] in "([{\"'\u201c\u2018":
        return False  # "(last visited ...": prose resumes
    if _URL_START.match(first) and not tail.endswith("://"):
        return False  # the next URL of a list (a bare "http://" still waits for its host)
    if re.match(r"^[A-Z][a-z]+[,.;:]?$", first) and not tail.endswith(tuple(_BREAK_AFTER)):
        return False  # a capitalised word: the next citation starts
    if not re.match(r"^[\w\-./?&=%#~:+@!$*,;()']+$", first):
        return False
    return full or tail.endswith(tuple(_BREAK_AFTER)) or bool(re.match(r"^[a-z0-9]", first))


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
            same_link = None
            if prev.links or piece.links:
                left_uri = _uri_at(prev.links, len(prev.text.rstrip()) - 1)
                right_uri = _uri_at(piece.links, lead)
                if left_uri and right_uri:
                    same_link = left_uri == right_uri
            if _in_url(text) and _url_continues(text, line, prev.full, same_link):
                if text.endswith("-"):
                    frag = text.rsplit(None, 1)[-1]
                    # the path segment or host label the break sits in
                    segment = re.split(r"[/.?=&#]", frag)[-1] + re.split(r"[/.?=&#\s]", line, maxsplit=1)[0]
                    uri = _uri_at(prev.links, len(prev.text.rstrip()) - 1) if same_link else None
                    if uri:
                        kept = _annotation_keeps_hyphen(uri, frag, line)
                    else:
                        kept = hyphen_is_real(text[:-1], line, segment, hyphens_added=hyphens_added)
                    breaks.append(
                        _Break(pos=len(text) - 1, hyphen=True, kept=kept, added_look=_looks_added(text, line))
                    )
                    if not kept:
                        text = text[:-1]
                else:
                    bare = bool(re.search(r"[A-Za-z0-9]$", text)) and bool(re.match(r"[A-Za-z0-9]", line))
                    breaks.append(_Break(pos=len(text), hyphen=False, kept=False, bare=bare))
            elif re.search(r"[A-Za-z]-$", text) and re.match(r"[a-z]", line):
                if joins_hyphenated_word(text, line):
                    text = text[:-1]
            elif not joins_without_space(text, line):
                sep = " "
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
    for start, end, url in find_urls(text):
        raw, alternatives = _spellings(url, start, breaks)
        best, source = _schemed(repair_url(url)), "text"
        if best != _schemed(url):
            alternatives = [_schemed(url), *alternatives]
        over = [ln for ln in links if ln.start < end and ln.end > start and _is_web(ln.uri)]
        uris = list(dict.fromkeys(ln.uri for ln in over))
        if uris:
            used_uris |= set(uris)
            source = "both"
            best, alternatives, whole = _reconcile(text, start, end, best, alternatives, uris, over)
            if whole:  # the printed URL was cut short: what was printed is the linked text
                raw = _linked_text(text, start, best, links)
        alternatives = [a for a in dict.fromkeys(alternatives) if _norm(a) != _norm(best)]
        key = _norm(best)
        if key in seen:
            continue
        seen.add(key)
        refs.append(UrlRef(url=best, raw_url=raw, alternatives=alternatives[:5], source=source))
    for link in links:
        if link.uri in used_uris or not _is_web(link.uri):
            continue
        key = _norm(link.uri)
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


def _schemed(url: str) -> str:
    return url if url.lower().startswith(("http", "ftp")) else with_scheme(url)


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
        if any(_norm(s) == _norm(uri) for s in spellings):
            return uri, spellings, False
    # The text layer lost part of the URL (an ellipsis, or linked characters the match stops
    # short of, such as underscores printed as spaces): the target is the only whole URL.
    tail = text[end : max((ln.end for ln in over), default=end)]
    truncated = bool(_ELLIPSIS.match(text[end:])) or bool(re.search(r"[\w/]", tail))
    for uri in uris:
        if truncated and _squash(uri).startswith(_squash(best)[: max(8, len(_squash(best)) // 2)]):
            return uri, [], True
    # Otherwise the printed URL is what the author cited; a target that extends it (tracking
    # query) or differs from it (a mangled annotation) says which line-break spelling is right.
    for uri in uris:
        chosen = next((s for s in spellings if _norm(uri).startswith(_norm(s))), None)
        if chosen is not None:
            return chosen, [uri, *spellings], False
    return best, [*uris, *spellings], False


def _is_web(uri: str) -> bool:
    return uri.lower().startswith(("http://", "https://", "www."))


def _norm(url: str) -> str:
    url = re.sub(r"(?i)^[a-z]+://", "", url.strip())
    url = re.sub(r"(?i)^www\.", "", url)
    return url.rstrip("/").lower()


def _squash(url: str) -> str:
    return re.sub(r"[-\s]|/+$", "", re.sub(r"/{2,}", "/", _norm(url)))


# ---------------------------------------------------------------------------------------------
# Citations
# ---------------------------------------------------------------------------------------------

_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{3,}?)[,.]?[\"\u201d]")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE_RE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}|"
    rf"(?:{_MONTHS})\.?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|(?<![\d/.-])(?:19|20)\d{{2}}(?![\d/-]))\b"
)
_MONTH_NUM = {m.lower()[:3]: i for i, m in enumerate(_MONTHS.split("|")[:12], 1)}


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as an ISO string (YYYY-MM-DD, YYYY-MM or YYYY)."""
    m = _DATE_RE.search(text)
    if not m:
        return None
    s = m.group(0)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return s
    year = re.search(r"\d{4}", s)
    month = re.search(rf"(?:{_MONTHS})", s)
    day = re.search(r"\b(\d{1,2})\b", s.replace(year.group(0), "") if year else s)
    if not year:
        return None
    if not month:
        return year.group(0)
    mon = _MONTH_NUM[month.group(0).lower()[:3]]
    if day and 1 <= int(day.group(1)) <= 31:
        return f"{year.group(0)}-{mon:02d}-{int(day.group(1)):02d}"
    return f"{year.group(0)}-{mon:02d}"


def split_citations(text: str) -> list[str]:
    """Split a note into citations at semicolons that end a citation (not inside quotes or URLs)."""
    parts: list[str] = []
    depth_quote = False
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "\u201c":
            depth_quote = True
        elif ch in "\u201d":
            depth_quote = False
        elif ch == '"':
            depth_quote = not depth_quote
        elif ch == ";" and not depth_quote:
            j = i
            while j + 1 < len(text) and text[j + 1] == ";":
                j += 1
            rest = text[j + 1 :].lstrip()
            if rest and (rest[0].isupper() or rest[0] in '"\u201c'):
                parts.append(text[start:i])
                start = j + 1
                i = j
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def citation_id(doc_id: str, footnote: int, position: int) -> str:
    return hashlib.sha1(f"{doc_id}|{footnote}|{position}".encode()).hexdigest()[:16]


def parse_citation(raw: str, *, italics: Sequence[Span] = (), offset: int = 0) -> dict:
    """Fields of one citation. Missing fields stay None: a citation without a URL is still one."""
    urls = [with_scheme(u) if not u.lower().startswith(("http", "ftp")) else u for _, _, u in find_urls(raw)]
    no_urls = URL_RE.sub("", raw)
    title = None
    authors: list[str] = []
    container = None
    m = _QUOTED.search(no_urls)
    if m:
        title = m.group(1).strip().rstrip(",")
        head = no_urls[: m.start()].strip().rstrip(",:").strip()
        tail = no_urls[m.end() :]
    else:
        head, tail = "", no_urls
    if head and len(head) < 120:
        authors = [
            a.strip() for a in re.split(r",\s*|\s+and\s+|\s*&\s*", head) if _looks_like_name(a.strip())
        ]
    for span in italics:
        s, e = span.start - offset, span.end - offset
        if 0 <= s < e <= len(raw):
            cand = raw[s:e].strip(" ,.;")
            if len(cand) > 2 and not (title and cand in title):
                container = cand
                break
    if container is None:
        seg = re.split(r",", tail.strip(" ,"), maxsplit=1)[0].strip(" .")
        if seg and not _DATE_RE.match(seg) and len(seg) < 100 and not seg.lower().startswith("http"):
            container = seg or None
    if title is None and not authors:
        first = re.split(r",\s*", no_urls.strip(), maxsplit=1)[0].strip(" .")
        title = first if 3 < len(first) < 200 else None
    return {
        "authors": authors,
        "title": title,
        "container": container,
        "published": parse_date(no_urls),
        "urls": urls,
        "doi": (find_dois(raw) or [None])[0],
    }


def _looks_like_name(s: str) -> bool:
    words = s.split()
    return 1 <= len(words) <= 5 and all(
        w[:1].isupper() or w in {"de", "van", "von", "al", "bin"} for w in words
    )


def parse_citations(doc_id: str, notes: Sequence[Note]) -> list[Citation]:
    """Every note -> one or more citations, in note order."""
    out: list[Citation] = []
    for note in notes:
        offset = 0
        for pos, part in enumerate(split_citations(note.text)):
            offset = note.text.find(part, offset)
            fields = parse_citation(part, italics=note.italics, offset=max(offset, 0))
            out.append(
                Citation(
                    citation_id=citation_id(doc_id, note.number, pos),
                    footnote_number=note.number,
                    position=pos,
                    raw_text=part,
                    kind="full",
                    **fields,
                )
            )
    return out
