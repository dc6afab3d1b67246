"""Citations: a note's text -> structured citations (authors, title, container, date, URLs).

A note is split into citations, each citation into fields, and then repeats (Ibid., Id.,
supra, op. cit., short forms) are linked to the full citation they repeat. Evidence, strongest
first: italics from the PDF fonts (titles of books and cases, names of periodicals), quotation
marks (titles of articles), reporter and statute patterns (legal), small capitals printed as
capitals (Bluebook periodicals), and last the position of a segment relative to the date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.core.models import Citation, Note, Span
from pipeline.core.text.dates import (
    ACCESSED_CUE,
    DATE_RE,
    PRECISION,
    UPDATED_CUE,
    YEAR,
    DateMatch,
    find_dates,
)
from pipeline.core.text.urls import URL_START, find_dois, find_urls, with_scheme
from pipeline.core.text.words import word_score

# --- Splitting a note into citations ----------------------------------------------------------

# Signals introduce a citation (Bluebook 1.2); after a full stop they start a new one.
_SIGNAL_RE = re.compile(
    r"^(?:(?:see|cf\.?|but\s+see|but\s+cf\.?|compare|accord|contra)(?:\s+also|\s+generally)?"
    r"(?:,?\s*e\.\s?g\.)?|e\.\s?g\.)(?=[\s,:]|$)[,:]?\s*",
    re.I,
)
_NEW_CITATION_AFTER_STOP = re.compile(r"^(?:See|Cf\.|But\s+see|Compare|Accord|Contra|Id\.|Ibid)\b")
_NEW_CITATION_AFTER_SEMICOLON = re.compile(
    r"^(?:[A-Z\"\u201c\u2018'(]|\d+\s+[A-Z]|(?:see|cf\.|but\s+see|compare|accord|contra|id\.|ibid)\b)"
)
_YEAR_PAREN_END = re.compile(rf"\((?:[^()]*\W)?{YEAR}\)\s*$")
_DOUBLE_QUOTES = '"\u201c\u201d\u201e'


def _quote_role(text: str, i: int) -> str | None:
    """Is the double quote at ``i`` opening or closing? Straight quotes are judged by context."""
    ch = text[i]
    if ch in "\u201c\u201e":
        return "open"
    if ch == "\u201d":
        return "close"
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isspace() or prev in '([{\u2013\u2014/"\u201c':
        return "open"
    if nxt.isspace() or nxt in ',.;:)]}!?"\u201d':
        return "close"
    return None


def _ends_with_url(text: str) -> bool:
    tail = text.rstrip().rsplit(None, 1)[-1] if text.strip() else ""
    return bool(URL_START.match(tail.lstrip("(<[")))


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
        elif ch in _DOUBLE_QUOTES:
            role = _quote_role(text, i)
            if role == "open" and quote_at is None:
                quote_at = i
            elif role == "close":
                quote_at = None
        elif ch == ";" and depth == 0:
            broken_quote = quote_at is not None and bool(URL_START.search(text[quote_at:i]))
            j = i
            while j + 1 < len(text) and text[j + 1] == ";":
                j += 1
            rest = text[j + 1 :].lstrip()
            if (quote_at is None or broken_quote) and rest and _NEW_CITATION_AFTER_SEMICOLON.match(rest):
                parts.append(text[start:i])
                start, i, quote_at = j + 1, j, None
        elif ch == "." and depth == 0 and quote_at is None and i + 1 < len(text) and text[i + 1].isspace():
            before, rest = text[start:i], text[i + 1 :].lstrip()
            after_source = _ends_with_url(before) or bool(_YEAR_PAREN_END.search(before))
            if rest and (
                _NEW_CITATION_AFTER_STOP.match(rest)
                or (after_source and re.match(r"[A-Z\"\u201c]", rest) and not URL_START.match(rest))
            ):
                parts.append(text[start : i + 1])
                start = i + 1
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if re.search(r"\w", p)]


def citation_id(doc_id: str, footnote: int, position: int) -> str:
    return hashlib.sha1(f"{doc_id}|{footnote}|{position}".encode()).hexdigest()[:16]


# --- Fields of one citation ---------------------------------------------------------------------

_PARTICLES = {"de", "van", "von", "der", "den", "al", "el", "bin", "ibn", "da", "di", "du", "la", "le", "del"}
# Words that make a capitalised run an organisation rather than a person ("and" does not split it).
_ORG_WORDS = {
    "agency", "association", "bank", "board", "bureau", "center", "centre", "commission",
    "committee", "company", "congress", "corporation", "council", "court", "customs", "department",
    "embassy", "forum", "foundation", "fund", "government", "group", "house", "inc", "institute",
    "institution", "journal", "league", "llc", "ltd", "ministry", "monitor", "nations", "navy",
    "network", "news", "office", "organisation", "organization", "parliament", "party", "press",
    "program", "programme", "project", "protection", "report", "review", "service", "society",
    "states", "times", "union", "university", "watch",
}  # fmt: skip
_NOT_NAMES = {
    "see",
    "id",
    "ibid",
    "cf",
    "compare",
    "accord",
    "contra",
    "note",
    "supra",
    "infra",
    "also",
    "in",
}
_ORG_CONNECTORS = {"of", "the", "for", "and", "on", "in", "&", "de", "du", "la", "et"}
_CORPORATE_SUFFIX = re.compile(r"^(?:Inc|Co|Corp|Ltd|LLC|L\.L\.C|LLP|PLC|S\.A|GmbH|Jr|Sr|II|III)\.?$")
_SOCIAL_HOSTS = {"twitter.com": "Twitter", "x.com": "X", "mobile.twitter.com": "Twitter"}
_SOCIAL_SUFFIX = re.compile(
    r"\s+(?:on\s+)?(?:Twitter|X|Facebook|Instagram|Telegram)(?:\s+(?:account|post|page))?$", re.I
)
_LOCATOR = re.compile(
    r"^(?:(?:vol|vols|no|nos|issue|iss|p|pp|para|paras|at|ch|chap|sec|art|fig|n|nn)\b\.?|[\u00a7\u00b6])"
    r"\s*[\dIVXivx]|^\d[\d\s,.\-\u2013]*(?:\s|$)",
    re.I,
)
_ITALIC_NOISE = re.compile(
    r"^(?:see(?:\s+also|\s+generally)?(?:,?\s*e\.g\.?)?|cf|e\.g|i\.e|id|ibid|supra|infra|accord|contra|"
    r"compare|but\s+see|et\s+al|passim|available\s+at|in|at|with|note)\W*$",
    re.I,
)
_ET_AL = re.compile(r",?\s*\bet\s+al\b\.?,?", re.I)
_MID_SIGNAL = re.compile(r"(?:^|[\s,;:(])((?:[Ss]ee|[Cc]f\.)(?:\s+also|\s+generally)?,?)\s+(?=[A-Z])")
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
# Reference-list styles: APA "Smith, J., & Lee, K. (2020). Title. Journal, 12(3), 45-67." and
# ACM/IEEE "M. Hu and B. Liu. Title. In Proceedings of ..., pages 1-9, 2004."
_INITIALS = r"(?:[A-Z]\.(?:\s?-?[A-Z]\.)*)"
_APA_NAME = rf"[A-Z][\w'\u2019\-]+(?:[ -][A-Z][\w'\u2019\-]+)*,\s+{_INITIALS}"
_APA_RE = re.compile(
    rf"(?P<authors>{_APA_NAME}(?:,?\s+(?:&\s+|and\s+)?{_APA_NAME})*),?\s+"
    r"\((?P<year>(?:1[5-9]|20)\d\d)[a-z]?(?:,\s*[^)]{1,30})?\)\.\s+(?P<title>.+?[.?!])(?:\s+|$)(?P<rest>.*)$"
)
_ACM_NAME = rf"{_INITIALS}\s?(?:(?:de|van|von|der|da|di|le|la)\s+)?[A-Z][\w'\u2019\-]+"
_ACM_RE = re.compile(
    rf"(?P<authors>{_ACM_NAME}(?:,\s+(?:and\s+)?{_ACM_NAME})*(?:,?\s+and\s+{_ACM_NAME})?)\.\s+"
    r"(?P<title>[^.]+?[.?!])\s+(?P<rest>[A-Z].*)$"
)
_PUBLIC_LAW_RE = re.compile(r"(?P<code>P\.\s?L\.|Pub\.\s?L\.)\s*(?:No\.\s*)?\d+[-\u2013]\d+")
_CONSTITUTION_RE = re.compile(r"(?P<code>(?:[A-Z][A-Za-z.]*\.?\s+)?CONST\.)\s*(?:art|amend|pmbl)\.", re.I)
_CASE_CONNECTORS = {"of", "the", "and", "for", "ex", "rel.", "de", "la", "du", "&", "on", "in", "re"}
_IBID_RE = re.compile(r"(?:ibid(?:em)?|ib)\.?(?=$|[\s,;:.(])|id\.(?=$|[\s,;:.(])", re.I)
_REFERENCE = re.compile(
    r"\b(?P<supra>supra)\b(?:,?\s*(?:note|n\.)\s*(?P<note>\d+))?"
    r"|\b(?P<opcit>op\.?\s*cit\.?|loc\.?\s*cit\.?)"
    r"|\b(?P<infra>infra)\b",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"\u201d\u2019]?\s+(?=[A-Z\"\u201c])|[\"\u201d]\s+(?=[A-Z])")
_FRAGMENT_END = r"\b(?:at|in|of|the|to|from|by|on|for|and|or|with|a|an|is|are|was|were)\W*$"
_ABBREVIATIONS = {
    "capt", "co", "col", "corp", "dr", "gen", "gov", "hon", "inc", "jr", "lt", "ltd", "maj", "mr", "mrs",
    "ms", "mt", "no", "nos", "pp", "prof", "rep", "rev", "sen", "sgt", "sr", "st", "vol", "vs",
}  # fmt: skip


def _has_sentence_break(text: str) -> bool:
    """A full stop that ends a sentence ("established. In"), not an abbreviation ("U.S. Relations")."""
    for m in re.finditer(r"(\S+)[.!?][\"\u201d\u2019]?\s+(?=[A-Z\"\u201c])", text):
        word = m.group(1).strip("\"'\u201c\u2018(")
        if len(word) >= 2 and word.isalpha() and word.lower() not in _ABBREVIATIONS and not word.isupper():
            return True
    return False


def _looks_like_name(s: str) -> bool:
    """A personal name as printed in citations: 1-5 capitalised words, initials or particles."""
    words = s.replace("\u2019", "'").split()
    if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in s):
        return False
    if len(words) == 1 and words[0].strip(".,").lower() in _NOT_NAMES:
        return False
    if any(w.strip(".,").lower() in _ORG_WORDS for w in words):
        return False
    return all(
        (w[:1].isupper() and re.fullmatch(r"[^\W\d_][\w'.\-]*", w) is not None) or w in _PARTICLES
        for w in words
    ) and any(len(w.strip(".")) >= 2 for w in words)


def _looks_like_org(s: str) -> bool:
    words = [w.strip(",") for w in s.split()]
    if not 1 <= len(words) <= 14 or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1] in "(&" or w.lower() in _ORG_CONNECTORS for w in words if w)


def _org_name(s: str) -> bool:
    """An organisation as author: an organisation word that ends the name or heads an 'of' phrase
    ("U.S. Census Bureau", "Ministry of Defense"); "EU-Armenia Association Agreement" is a title."""
    words = [w.strip(".,()").lower() for w in s.split()]
    if not _looks_like_org(s):
        return False
    return any(
        w in _ORG_WORDS and (i == len(words) - 1 or words[i + 1] in {"of", "for", "on"})
        for i, w in enumerate(words)
    )


def _strip_unbalanced(text: str) -> str:
    text = text.strip(" ,:;.\"'\u201c\u201d\u2018\u2019")
    if text.startswith(("(", "[")) and text.count("(") + text.count("[") > text.count(")") + text.count("]"):
        text = text[1:]
    if text.endswith((")", "]")) and text.count(")") + text.count("]") > text.count("(") + text.count("["):
        text = text[:-1]
    return text.strip(" ,:;.")


def _authors(head: str, *, allow_org: bool = True) -> list[str]:
    """Authors from the text before a title: people split on commas/and/&, or one organisation."""
    head = _strip_unbalanced(_SOCIAL_SUFFIX.sub("", _ET_AL.sub("", head).strip(" ,")))
    if not head or len(head) > 160:
        return []
    if re.fullmatch(r"@\w{1,30}", head):  # a social-media handle
        return [head]
    words = {w.strip(".,()").lower() for w in head.split()}
    if not words & _ORG_WORDS:
        parts = [
            p.strip()
            for p in re.split(
                r"\s*,\s*(?!(?:Jr|Sr|II|III)\b\.?)(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*", head, flags=re.I
            )
            if p.strip()
        ]
        if parts and all(_looks_like_name(p) for p in parts):
            return parts
    return [head] if allow_org and _looks_like_org(head) else []


def _is_author_segment(seg: str) -> bool:
    return bool(_authors(seg, allow_org=False)) or _org_name(seg)


def _italic_runs(raw: str, italics: Sequence[Span], offset: int) -> list[tuple[int, int]]:
    """Italic runs of this citation (offsets into ``raw``), adjacent runs merged, signals dropped.

    Runs separated only by spaces or digits are one run: digits are often set upright.
    """
    runs: list[list[int]] = []
    for span in sorted(italics, key=lambda s: s.start):
        s, e = max(0, span.start - offset), min(len(raw), span.end - offset)
        if e <= s:
            continue
        if runs and re.fullmatch(r"[\s\d]*", raw[runs[-1][1] : s]):
            runs[-1][1] = max(runs[-1][1], e)
        else:
            runs.append([s, e])
    out = []
    for s, e in runs:
        while s < e and raw[s] in " ,.;:":
            s += 1
        while e > s and raw[e - 1] in " ,;:":
            e -= 1
        if e - s >= 3 and not _ITALIC_NOISE.match(raw[s:e]):
            out.append((s, e))
    return out


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def _paren_depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        out.append(depth)
        if ch in ")]":
            depth = max(0, depth - 1)
    return out


def _quote_pairs(text: str, depths: Sequence[int]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Double-quoted spans outside parentheses (inner offsets), and unpaired opening/closing marks."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    stray_close: list[int] = []
    for i, ch in enumerate(text):
        if ch not in _DOUBLE_QUOTES or depths[i]:
            continue
        role = _quote_role(text, i)
        if role == "open":
            stack.append(i)
        elif role == "close":
            if stack:
                pairs.append((stack.pop() + 1, i))
            else:
                stray_close.append(i)
    if not pairs and not stack and not stray_close:  # British style: 'Title'
        for m in re.finditer(
            r"(?:^|(?<=[\s(]))[\u2018']([^\u2018\u2019']{3,}?)[\u2019'](?=[\s,.;:)]|$)", text
        ):
            if not depths[m.start()]:
                pairs.append((m.start(1), m.end(1)))
    return sorted(pairs), stack, stray_close


def _title_position(text: str, body: int, at: int) -> bool:
    """A title opens the citation or follows its authors (``Name, "Title"``, ``Org, *Title*``);
    quotes or italics inside a sentence (``the term "security" is``) are not titles."""
    before = text[body:at].strip()
    if not before or before.endswith((";", "(")) or re.search(r"\bIn:?$", before):
        return True
    head = before.rstrip(",:")
    if len(head.split()) > 14 or not before.endswith((",", ":")):
        return False
    return all(_is_author_segment(seg) or _looks_like_org(seg) for seg in re.split(r"\s*,\s*", head) if seg)


def _segments(text: str, start: int, end: int, dates: Sequence[DateMatch]) -> list[tuple[int, int]]:
    """Comma-separated segments of ``text[start:end]`` outside parentheses; each date is its own.

    Commas inside numbers ("10,000") do not separate, and "Inc."/"Jr." stay with the name before.
    """
    cuts: list[tuple[int, int]] = []
    depth = 0
    seg = start
    date_at = {d.start: d.end for d in dates if start <= d.start < end}
    i = start
    while i < end:
        ch = text[i]
        if i in date_at and depth == 0:
            cuts.append((seg, i))
            cuts.append((i, min(end, date_at[i])))
            seg = i = min(end, date_at[i])
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in ",;" and depth == 0 and not _in_number(text, i):
            cuts.append((seg, i))
            seg = i + 1
        i += 1
    cuts.append((seg, end))
    out: list[tuple[int, int]] = []
    for s, e in cuts:
        while s < e and (text[s].isspace() or text[s] in ",;:.\"\u201c\u201d'"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ',;:"\u201c\u201d'):
            e -= 1
        if not re.search(r"\w", text[s:e]):
            continue
        if out and _CORPORATE_SUFFIX.match(text[s:e]):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _in_number(text: str, i: int) -> bool:
    return text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def _strip_trailing_parens(text: str) -> str:
    while True:
        new = re.sub(r"\s*\([^()]*\)\s*\.?$", "", text)
        if new == text or not new.strip():
            return text
        text = new


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip(' ,;:"\u201c\u201d')
    if text.endswith(("'", "\u2019")):
        if re.search(r"(?:^|\s)['\u2018]\w", text):
            text = re.sub(r"[,.]+(['\u2019])$", r"\1", text)  # 'Looking Eastwards,' -> 'Looking Eastwards'
        else:
            text = text[:-1]
    text = text.lstrip("'\u2018").strip(" ,;:")
    text = _strip_unbalanced(text) if text.count("(") != text.count(")") else text
    return text or None


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) >= 0.85


def _container_from(segs: Sequence[tuple[int, int]], text: str, dates: Sequence[DateMatch]) -> str | None:
    """The first segment that can name a publication (not a date, locator, lowercase phrase)."""
    for s, e in segs:
        if any(d.start <= s < d.end for d in dates):
            continue
        seg = _clean(_strip_trailing_parens(text[s:e])) or ""
        if not seg or _LOCATOR.match(seg) or not re.search(r"[A-Za-z]{2}", seg):
            continue
        first = seg.split()[0]
        if not (first[:1].isupper() or (" " not in seg and len(seg) > 2)):
            return None  # "press release", "coordinated by ...": no publication named here
        if len(seg.split()) > 12 or _has_sentence_break(seg):
            return None  # a sentence, not a publication
        return seg
    return None


def _dated(text: str, dates: Sequence[DateMatch], depths: Sequence[int]) -> list[tuple[str, DateMatch, int]]:
    """Each date with its role (published, accessed, updated, or prose: a year inside a sentence)
    and where its cue starts ("last visited ..."), so the cue can be masked with the date."""
    out = []
    for d in dates:
        before = text[max(0, d.start - 40) : d.start]
        cue = ACCESSED_CUE.search(before) or UPDATED_CUE.search(before)
        if cue is not None:
            role = "accessed" if ACCESSED_CUE.search(before) else "updated"
            out.append((role, d, d.start - len(before) + cue.start()))
            continue
        if depths[d.start]:
            # a date inside parentheses counts only if the parenthetical is short ("(S.D.N.Y. 2020)")
            open_at = text.rfind("(", 0, d.start)
            close_at = text.find(")", d.end)
            inner = (close_at if close_at >= 0 else len(text)) - open_at - 1
            out.append(("published" if inner <= (d.end - d.start) + 40 else "prose", d, d.start))
            continue
        prev_word = re.search(r"([A-Za-z]+)\W*$", text[: d.start])
        glued = prev_word is not None and not re.search(r"[,;:.()\"\u201d\u2019]\s*$", text[: d.start])
        prose = (glued and prev_word.group(1)[0].islower()) or re.match(r" [a-z]", text[d.end :]) is not None  # type: ignore[union-attr]
        out.append(("prose" if prose else "published", d, d.start))
    return out


def _best_date(dates: Sequence[DateMatch]) -> str | None:
    if not dates:
        return None
    return max(dates, key=lambda d: (PRECISION[d.precision], -d.start)).iso


def parse_citation(
    raw: str, *, italics: Sequence[Span] = (), offset: int = 0, urls: Sequence[str] | None = None
) -> dict:
    """Fields of one citation. Missing fields stay None: a citation without a URL is still one.

    ``italics`` index the note text and ``offset`` is where ``raw`` starts in it. ``urls`` are the
    repaired URLs of this citation when the caller has them (the note's), else they are found here.
    """
    found = find_urls(raw)
    if urls is None:
        urls = [
            with_scheme(u) if not u.lower().startswith(("http", "ftp")) else u for u in (m.url for m in found)
        ]
    doi = (find_dois(raw) or [None])[0]
    fields = _empty_fields(list(urls), doi)
    # URLs, DOIs and "et al." are blanked out (same length) so every offset still indexes ``raw``.
    text = _mask(raw, [(m.start, m.end) for m in found])
    text = _mask(text, [m.span() for m in re.finditer(r"(?i)\bdoi:\s*\S+", text)])
    text = _mask(
        text, [m.span() for m in re.finditer(r"(?i)\bet\s+al\b\.?|\bavailable\s+(?:at|from)\b", text)]
    )
    lead = len(text) - len(text.lstrip())
    signal = _SIGNAL_RE.match(text[lead:])
    body = lead
    if signal and signal.group(0).strip():
        fields["signal"] = _clean(signal.group(0))
        body = lead + signal.end()
    depths = _paren_depths(text)

    ref = _IBID_RE.match(text, body) or _REFERENCE.search(text, body)
    if ref is not None:
        return _reference_fields(fields, text, body, ref)

    mid = _MID_SIGNAL.search(text, body)
    if mid is not None and depths[mid.start(1)] == 0 and len(text[body : mid.start(1)].split()) >= 4:
        # "For an explanation, see Bryan F. Jacoutot, ...": the source starts after the signal
        fields["signal"] = _clean(mid.group(1))
        body = mid.end()
    italic = [r for r in _italic_runs(raw, italics, offset) if r[0] >= body]
    dates = find_dates(text)
    roles = _dated(text, dates, depths)
    fields["accessed"] = next((d.iso for r, d, _ in roles if r == "accessed"), None)
    fields["updated"] = next((d.iso for r, d, _ in roles if r == "updated"), None)
    text = _mask(text, [(cue, d.end) for r, d, cue in roles if r in {"accessed", "updated"}])
    cited = [d for r, d, _ in roles if r == "published"]

    reporter = _find_reporter(text[body:])
    statute = (
        _STATUTE_RE.search(text, body)
        or _CONSTITUTION_RE.search(text, body)
        or _PUBLIC_LAW_RE.search(text, body)
    )
    if reporter is not None and (statute is None or reporter.start() + body < statute.start()):
        _fill_reporter(fields, raw, text, body, reporter, italic)
        fields["published"] = _best_date([d for d in cited if d.start >= body + reporter.start()])
        return fields
    if _academic(fields, text, body, cited):
        return fields
    docket = _DOCKET_CASE_RE.match(text, body)
    if docket is not None and (statute is None or docket.start() < statute.start()):
        fields["title"] = _clean(_case_name(docket.group("name") + ",") or docket.group("name"))
        court = re.search(r"\(([^()]*)\)\s*\.?\s*$", text[docket.end() :].split(";")[0])
        if court is not None:
            fields["container"] = _clean(DATE_RE.sub("", court.group(1)))
        fields["page"] = _clean(docket.group("docket"))
        fields["published"] = _best_date(cited)
        return fields
    if statute is not None and not _quote_pairs(text, depths)[0]:
        fields["container"] = _clean(statute.group("code"))
        ends = [text.find("(", statute.end()), text.find(";", statute.end())]
        stop = re.search(r"\.\s+(?=[A-Z])", text[statute.end() :])
        ends.append(statute.end() + stop.start() if stop else -1)
        end = min((e for e in ends if e >= 0), default=len(text))
        fields["title"] = _clean(text[statute.start() : end].rstrip(" .,;"))
        vol = re.match(r"\d+", statute.group("code"))
        fields["volume"] = vol.group(0) if vol else None
        fields["published"] = _best_date(cited)
        return fields

    found_title = _title(raw, text, body, depths, italic, cited)
    title_span = found_title.title
    if title_span is not None:
        fields["title"] = _clean(_strip_trailing_parens(text[title_span[0] : title_span[1]]))
    fields["authors"] = found_title.authors or _authors(
        text[body : found_title.head_end], allow_org=title_span is not None
    )
    outside_title = [
        d
        for d in cited
        if title_span is None or not title_span[0] <= d.start < title_span[1] or depths[d.start]
    ]
    fields["published"] = _best_date(outside_title)
    fields["container"] = found_title.container or _container_after(raw, text, found_title, italic, cited)
    social = _social(fields["urls"])
    if social is not None:
        fields["container"] = fields["container"] or social[0]
        fields["authors"] = fields["authors"] or [social[1]]
    if not any(fields[k] for k in ("authors", "title", "container", "published", "urls", "doi")):
        fields["kind"] = "commentary"  # explanatory text: no source can be read from it
    return fields


def _academic(fields: dict, text: str, body: int, dates: Sequence[DateMatch]) -> bool:
    """Fill the fields of an APA or ACM-style reference; False if the citation is neither."""
    apa = _APA_RE.match(text, body)
    acm = None if apa else _ACM_RE.match(text, body)
    m = apa or acm
    if m is None:
        return False
    if apa:
        fields["authors"] = [_clean(a) for a in re.findall(_APA_NAME, m.group("authors"))]
    else:
        fields["authors"] = [_clean(a) for a in re.split(r",\s+(?:and\s+)?|\s+and\s+", m.group("authors"))]
    fields["title"] = _clean(m.group("title").rstrip("."))
    rest = m.group("rest")
    rest = re.sub(r"^In\s+.{2,200}?,\s+(?:eds?\.|editors?),\s+(?:[Ii]n\s+)?", "", rest)
    rest = re.sub(r"^In:?\s+", "", rest)
    depth, cut = 0, len(rest)
    for i, ch in enumerate(rest):  # the container ends at the first comma or full stop outside parentheses
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and (ch == "," or (ch == "." and (i + 1 == len(rest) or rest[i + 1] == " "))):
            cut = i
            break
    container = _clean(rest[:cut])
    fields["container"] = container if container and not _LOCATOR.match(container) else None
    vol = re.search(r"(?:\bvol(?:ume)?\.?\s*|,\s*)(\d+)\s*(?:\((\d+)\))?,\s*(?:pp?\.\s*)?\d", rest)
    fields["volume"] = vol.group(1) if vol else None
    pages = re.search(r"(?:\bpages|\bpp?\.|,)\s*(\d+)\s*[\u2013\-]+\s*\d+", rest)
    fields["page"] = pages.group(1) if pages else None
    if apa:
        fields["published"] = m.group("year")
    else:
        later = [d for d in dates if d.start >= m.start("rest")]
        fields["published"] = _best_date(later)
    return True


def _reference_fields(fields: dict, text: str, body: int, ref: re.Match[str]) -> dict:
    """Ibid./Id., supra, op. cit., infra: the kind, the name it gives and the pinpoint."""
    if ref.re is _IBID_RE:
        fields["kind"] = "ibid"
    else:
        kind = "supra" if ref.group("supra") else "op_cit"
        fields["kind"] = "infra" if ref.group("infra") else kind
    if fields["kind"] in {"supra", "op_cit"}:
        head = text[body : ref.start()]
        breaks = list(_SENTENCE_BREAK.finditer(head))
        head = head[breaks[-1].end() :] if breaks else head  # "... investors.” Cohney, supra"
        head = _MID_SIGNAL.sub(" ", " " + head)
        names: list[str] = []
        for seg in (seg.strip() for seg in re.split(r",(?!\s*(?:Jr|Sr)\b)", head)):
            found = _authors(seg, allow_org=not names) if seg else []
            if seg and not found:
                break  # "West, Global Perspectives ..., supra": the name is what comes first
            names += found
        fields["authors"] = names
    at = re.search(r"\b(?:at|p\.|pp\.)\s*(\d[\w\u2013\-]*)", text[ref.end() :])
    fields["pinpoint"] = at.group(1) if at else None
    return fields


@dataclass
class _Found:
    """What the title search decided: spans index the citation text."""

    title: tuple[int, int] | None
    head_end: int
    after: int | None  # where the container part starts
    container: str | None = None
    authors: list[str] = field(default_factory=list)


def _title(
    raw: str,
    text: str,
    body: int,
    depths: Sequence[int],
    italic: Sequence[tuple[int, int]],
    dates: Sequence[DateMatch],
) -> _Found:
    """Find the title: in quotes, in italics, or by position (authors, title, container, date)."""
    pairs, unclosed, stray_close = _quote_pairs(text, depths)
    pairs = [
        p
        for p in pairs
        if p[0] > body
        and re.search(r"[A-Za-z]{2}", text[p[0] : p[1]])
        and len(text[p[0] : p[1]].split()) <= 40
        and _title_position(text, body, p[0] - 1)
    ]
    if pairs:
        s, e = pairs[0]
        return _Found((s, e), s - 1, e + 1)
    unclosed = [q for q in unclosed if q >= body and _title_position(text, body, q)]
    if unclosed:
        return _title_unclosed(text, unclosed[0], italic, dates)
    segs = _segments(text, body, len(text), dates)
    stray_close = [q for q in stray_close if q > body]
    if stray_close:
        # A closing quote that was never opened: the title starts after the authors.
        q = stray_close[0]
        k = 0
        while k < len(segs) - 1 and segs[k][1] < q and _is_author_segment(text[segs[k][0] : segs[k][1]]):
            k += 1
        start = segs[k][0] if segs else body
        return _Found((start, q), start, q + 1)
    italic = [r for r in italic if _title_position(text, body, r[0]) or (segs and r[0] > segs[0][1])]
    if italic:
        return _title_italic(raw, text, body, segs, italic)
    return _title_by_position(raw, text, body, segs, dates)


def _title_unclosed(
    text: str, q: int, italic: Sequence[tuple[int, int]], dates: Sequence[DateMatch]
) -> _Found:
    """An opening quote that never closes: the title runs up to the container, which is the
    italic run after it, else the segment just before the date (skipping "No. 913")."""
    later = [r for r in italic if r[0] > q]
    if later:
        return _Found((q + 1, later[0][0]), q, later[0][0])
    segs = _segments(text, q + 1, len(text), dates)
    starts = {d.start for d in dates}
    at_date = next((i for i, (s, _) in enumerate(segs) if s in starts), None)
    if at_date is not None:
        k = at_date - 1
        while k > 0 and _LOCATOR.match(text[segs[k][0] : segs[k][1]]):
            k -= 1
        if k >= 1:
            return _Found((q + 1, segs[k - 1][1]), q, segs[k][0])
    if segs:
        return _Found((segs[0][0], segs[0][1]), q, segs[0][1])
    return _Found(None, q, None)


def _title_italic(
    raw: str, text: str, body: int, segs: Sequence[tuple[int, int]], italic: Sequence[tuple[int, int]]
) -> _Found:
    """Italics are a title (books, reports, Bluebook articles) unless a sentence-like title stands
    before them in roman type, in which case they name the periodical."""
    s, e = italic[0]
    before = [seg for seg in segs if seg[1] <= s]
    k = 0
    while k < len(before) and _is_author_segment(text[before[k][0] : before[k][1]]):
        k += 1
    authors = [a for seg in before[:k] for a in (_authors(text[seg[0] : seg[1]]) or [text[seg[0] : seg[1]]])]
    rest = before[k:]
    if rest:
        roman = raw[rest[0][0] : rest[-1][1]]
        if len(roman.split()) >= 5 and re.search(r"\s[a-z]", roman) and len(raw[s:e].split()) <= 6:
            return _Found((rest[0][0], rest[-1][1]), rest[0][0], s, _clean(raw[s:e]), authors)
        # "CRS Report R45281, *Title*": the roman part is a series or publisher
        return _Found((s, e), rest[0][0], e, _clean(roman), authors)
    return _Found((s, e), s, e, None, authors)


def _title_by_position(
    raw: str, text: str, body: int, segs: Sequence[tuple[int, int]], dates: Sequence[DateMatch]
) -> _Found:
    """No typographic evidence: authors, title, container, date (Chicago order), or a periodical in
    capitals (Bluebook). Only when a date or URL shows this is a citation and not a sentence."""
    segs = [seg for seg in segs if text[seg[0]] != "("]  # parentheticals are neither title nor author
    if not segs or (not dates and not URL_START.search(raw)):
        return _Found(None, body, None)
    starts = {seg[0] for seg in segs if _is_date_segment(text, seg, dates)}
    k = 0
    while k < len(segs) - 1 and segs[k][0] not in starts:
        seg_text = text[segs[k][0] : segs[k][1]]
        if not _is_author_segment(seg_text) or (
            k and (_org_name(text[segs[0][0] : segs[0][1]]) or _common_words(seg_text) or _org_name(seg_text))
        ):
            break  # an organisation writes alone; "Understanding Bitcoin Mining" is a title
        k += 1
    rest = list(segs[k:])
    if k and not [seg for seg in rest if seg[0] not in starts and not _LOCATOR.match(text[seg[0] : seg[1]])]:
        k, rest = k - 1, segs[k - 1 :]  # keep something for the title
    authors = [a for seg in segs[:k] for a in (_authors(text[seg[0] : seg[1]]) or [text[seg[0] : seg[1]]])]
    head_end = rest[0][0] if rest else body
    at_date = next((i for i, (s, _) in enumerate(rest) if s in starts), len(rest))
    if at_date == 0:
        return _Found(None, head_end, None, None, authors)
    caps = next((i for i, (s, e) in enumerate(rest[:at_date]) if i and _is_caps(text[s:e])), None)
    if caps is not None:
        title_end, container_at = caps, caps
    elif at_date == len(rest):
        title_end, container_at = 1, 1
    else:
        title_end = max(1, at_date - 1)
        container_at = title_end if at_date >= 2 else None
    span = (rest[0][0], rest[title_end - 1][1])
    title = _strip_trailing_parens(text[span[0] : span[1]])
    if len(title.split()) > 30 or _has_sentence_break(title) or re.search(_FRAGMENT_END, title):
        return _Found(None, head_end, None, None, authors)  # a sentence, not a title
    container = None
    if container_at is not None and container_at < len(rest):
        container = _container_from(rest[container_at : container_at + 1], text, dates)
    return _Found(span, head_end, None, container, authors)


def _is_date_segment(text: str, seg: tuple[int, int], dates: Sequence[DateMatch]) -> bool:
    """A segment that is a date, perhaps in parentheses: "(Nov. 29, 2020)"."""
    s, e = seg
    return any(s <= d.start < e and len(text[s:e].strip("() .,")) <= (d.end - d.start) + 12 for d in dates)


def _common_words(seg: str) -> bool:
    """Every word an everyday English word: a title ("Understanding Bitcoin Mining"), not a name."""
    words = re.findall(r"[A-Za-z]+", seg)
    return len(words) >= 2 and all(word_score(w) >= 4.0 for w in words)


def _container_after(
    raw: str, text: str, found: _Found, italic: Sequence[tuple[int, int]], dates: Sequence[DateMatch]
) -> str | None:
    """The periodical after the title: italics, else capitals (Bluebook), else the next segment."""
    if found.after is None:
        return None
    run = next(((s, e) for s, e in italic if s >= found.after and (s, e) != found.title), None)
    if run is not None:
        return _clean(raw[run[0] : run[1]])
    segs = _segments(text, found.after, len(text), dates)
    caps = next(((s, e) for s, e in segs if _is_caps(text[s:e]) and not _LOCATOR.match(text[s:e])), None)
    if caps is not None and found.title is not None:
        return _clean(_strip_trailing_parens(text[caps[0] : caps[1]]))
    return _container_from(segs, text, dates)


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


def _valid_reporter(reporter: str) -> bool:
    squashed = reporter.replace(" ", "")
    return "." in reporter or (squashed.isupper() and len(squashed) >= 2)


def _find_reporter(text: str) -> re.Match[str] | None:
    for m in _REPORTER_RE.finditer(text):
        if _valid_reporter(m.group("reporter")):
            return m
    return None


def _social(urls: Sequence[str]) -> tuple[str, str] | None:
    """(platform, @handle) of a post on a social network, from its URL."""
    for url in urls:
        m = re.match(r"(?i)^(?:https?://)?(?:www\.)?([^/]+)/([A-Za-z0-9_]{1,30})/status(?:es)?/\d+", url)
        if m and m.group(1).lower() in _SOCIAL_HOSTS:
            return _SOCIAL_HOSTS[m.group(1).lower()], "@" + m.group(2)
    return None


def _empty_fields(urls: list[str], doi: str | None) -> dict:
    return {
        "authors": [],
        "title": None,
        "container": None,
        "published": None,
        "accessed": None,
        "updated": None,
        "urls": urls,
        "doi": doi,
        "kind": "full",
        "signal": None,
        "volume": None,
        "page": None,
        "pinpoint": None,
    }


def _fill_reporter(
    fields: dict, raw: str, text: str, body: int, m: re.Match[str], italic: Sequence[tuple[int, int]]
) -> None:
    """Cases (``Bell Atl. Corp. v. Twombly, 550 U.S. 544``) and Bluebook periodicals."""
    fields["volume"] = m.group("volume")
    fields["container"] = re.sub(r"\s+", " ", m.group("reporter")).strip()
    page = m.group("page")
    if page.startswith("at"):
        fields["kind"] = "short_form"  # "Camp, 314 Ga. at 700": a pinpoint into an earlier cite
        fields["pinpoint"] = page[2:].strip()
    else:
        fields["page"] = page
        fields["pinpoint"] = m.group("pin")
    start = body + m.start()
    before = text[body:start].rstrip(" ,")
    case = _case_name(before)
    if case is not None:
        fields["title"] = _clean(case)
        return
    title_italic = next(((s, e) for s, e in italic if e <= start), None)
    segs = _segments(text, body, body + len(before), [])
    k = 0
    while k < len(segs) - 1 and _is_author_segment(text[segs[k][0] : segs[k][1]]):
        k += 1
    if title_italic is not None:
        fields["title"] = _clean(raw[title_italic[0] : title_italic[1]])
        fields["authors"] = _authors(text[body : title_italic[0]], allow_org=False)
    elif segs:
        # "Shaanan Cohney, Coin-Operated Capitalism, 119 Col. L. Rev." or "Wasserman, 320 Ga. 624"
        fields["title"] = _clean(raw[segs[k][0] : segs[-1][1]])
        fields["authors"] = [a for s, e in segs[:k] for a in _authors(text[s:e])]


def _assign_urls(note: Note, spans: Sequence[tuple[int, int]]) -> list[list[str]]:
    """The note's repaired URLs, each given to the citation whose text holds it."""
    out: list[list[str]] = [[] for _ in spans]
    norm_text = note.text
    for ref in note.urls:
        forms = [ref.raw_url, *(a for a in ref.alternatives), ref.url]
        at = -1
        for form in forms:
            bare = re.sub(r"(?i)^https?://", "", form) if form else ""
            if bare and (at := norm_text.find(bare)) >= 0:
                break
        idx = next((i for i, (s, e) in enumerate(spans) if s <= at < e), None) if at >= 0 else None
        if idx is None:
            # Not printed in the text (a link annotation only): the last citation of the note.
            idx = len(spans) - 1
        if ref.url not in out[idx]:
            out[idx].append(ref.url)
    return out


def parse_citations(doc_id: str, notes: Sequence[Note]) -> list[Citation]:
    """Every note -> one or more citations, in note order, with repeats linked (``refers_to``)."""
    out: list[Citation] = []
    for note in notes:
        parts = split_citations(note.text)
        spans: list[tuple[int, int]] = []
        offset = 0
        for part in parts:
            at = note.text.find(part, offset)
            at = offset if at < 0 else at
            spans.append((at, at + len(part)))
            offset = at + len(part)
        urls = _assign_urls(note, spans) if parts else []
        for pos, (part, (start, _), part_urls) in enumerate(zip(parts, spans, urls, strict=True)):
            fields = parse_citation(part, italics=note.italics, offset=start, urls=part_urls)
            out.append(
                Citation(
                    citation_id=citation_id(doc_id, note.number, pos),
                    footnote_number=note.number,
                    position=pos,
                    raw_text=part,
                    **fields,
                )
            )
    return resolve_references(out)


# --- Repeats: Ibid., Id., supra, op. cit. and short forms -------------------------------------


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("\u2019", "'")


def _name_tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'\-]+", _fold(text)) if w not in {"et", "al", "see", "and"}}


def _names_match(name: str, cit: Citation, *, anywhere: bool = False) -> bool:
    """The name's words are among the citation's authors (or case name; or anywhere in its text)."""
    want = _name_tokens(name)
    if not want:
        return False
    have = _name_tokens(" ".join(cit.authors)) | _name_tokens(cit.title or "")
    return want <= have or (anywhere and want <= _name_tokens(cit.raw_text))


def _same_reporter(a: Citation, b: Citation) -> bool:
    squash = lambda s: re.sub(r"[\s.]", "", s or "").lower()  # noqa: E731
    return bool(a.volume and a.volume == b.volume and squash(a.container) == squash(b.container))


def _short_form_target(cit: Citation, fulls: Sequence[Citation]) -> tuple[bool, Citation | None]:
    """(is this a short form?, the earlier full citation it repeats)."""
    if cit.kind == "short_form" or (cit.volume and cit.container and cit.page and not cit.published):
        # legal: the same volume and reporter (and first page, if the repeat gives one)
        for prev in reversed(fulls):
            if _same_reporter(cit, prev) and (cit.page is None or cit.page == prev.page):
                return True, prev
        return cit.kind == "short_form", None
    if cit.urls or cit.doi or cit.published or "\u00a7" in cit.raw_text:
        return False, None
    text = re.sub(r"^\W+|\W+$", "", _SIGNAL_RE.sub("", cit.raw_text.strip()))
    m = re.match(r"^([^,]{2,60}),\s*(.*)$", text) or re.match(r"^([^,]{2,60})()$", text)
    if not m or not _looks_like_name(m.group(1)) or len(text.split()) > 16:
        return False, None
    name, rest = m.group(1), m.group(2)
    if not _name_tokens(name):
        return False, None
    rest = re.sub(r"(?:,?\s*(?:at\s+|pp?\.\s*)?\d[\d\u2013\-]*)+\.?$", "", rest).strip(" ,.")
    short_title = _fold(rest.strip(" ,.\"'\u201c\u201d\u2018\u2019"))
    for prev in reversed(fulls):
        if not _name_tokens(name) <= _name_tokens(" ".join(prev.authors)):
            continue
        target = _fold(prev.title or "")
        if not short_title or target.startswith(short_title) or _partial_ratio(short_title, target) >= 90:
            return True, prev
    # "Katz, 12." (a name and a page) is a short form even when its full citation is not in the
    # document; "Martin, Abandoning Law Reports" may be a full citation without a date.
    return not short_title and bool(m.group(2)), None


def _partial_ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.partial_ratio(a, b) if a and b else 0.0


def resolve_references(citations: Sequence[Citation]) -> list[Citation]:
    """Link each repeat to the full citation it stands for (``refers_to``), in document order.

    * Ibid./Id.: the preceding citation (its target, if it is itself a repeat);
    * supra note N: the citation in note N by the named author, else the latest one by that
      author anywhere earlier (notes are sometimes misnumbered), else note N's only citation;
    * op. cit.: the latest citation by the named author;
    * short forms (``Roubanis, 'Old enemies'``, ``Camp, 314 Ga. at 700``): the latest full
      citation by the same author with a matching title, or with the same volume and reporter.

    A repeat that cannot be resolved keeps ``refers_to`` None rather than a guess.
    """
    out: list[Citation] = []
    by_id: dict[str, Citation] = {}
    fulls: list[Citation] = []

    def root(cit: Citation | None) -> str | None:
        if cit is None:
            return None
        return cit.citation_id if cit.kind == "full" else cit.refers_to

    for cit in citations:
        target: str | None = None
        kind = cit.kind
        if kind == "ibid":
            prev = next((c for c in reversed(out) if c.kind not in {"commentary", "infra"}), None)
            target = root(prev)
        elif kind == "supra":
            name = " ".join(cit.authors)
            m = _REFERENCE.search(cit.raw_text)
            note = int(m.group("note")) if m and m.group("note") else None
            in_note = [c for c in out if note is not None and c.footnote_number == note and root(c)]
            pick = next(
                (c for c in in_note if name and _names_match(name, by_id.get(root(c) or "", c))), None
            ) or next((c for c in in_note if name and _names_match(name, c, anywhere=True)), None)
            if pick is None and name:
                pick = next((c for c in reversed(fulls) if _names_match(name, c)), None)
            if pick is None and not name and in_note:
                pick = in_note[0]
            if pick is None and len(in_note) == 1:
                pick = in_note[0]
            target = root(pick)
        elif kind == "op_cit":
            name = " ".join(cit.authors)
            target = root(next((c for c in reversed(fulls) if name and _names_match(name, c)), None))
        elif kind in {"full", "short_form", "commentary"}:
            # "Katz, 12." reads as commentary on its own; an earlier citation by Katz makes it a repeat
            short, prev = _short_form_target(cit, fulls)
            if short:
                kind, target = "short_form", prev.citation_id if prev is not None else None
        resolved = cit.model_copy(update={"kind": kind, "refers_to": target})
        out.append(resolved)
        by_id[resolved.citation_id] = resolved
        if kind == "full":
            fulls.append(resolved)
    return out
