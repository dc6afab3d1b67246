"""Cues: how a stretch of text starts and ends, read by both pipelines.

A note's end and a fragment's start say whether the two belong together: a URL cut at a hyphen
or a break character, a word cut by a hyphen, "Month D," still missing its year, a comma, a
sentence left open; against a lowercase word, a year, a URL or the rest of one, a citation's
start. The same cues tell a citation from body text (a URL, a quoted title or authors with a
year), a line that ends a sentence, and a line that breaks inside a URL for want of room.
"""

from __future__ import annotations

import re

from pipeline.core.text.dates import MONTH_WORD, NOTE_YEAR
from pipeline.core.text.urls import find_urls
from pipeline.core.text.words import word_score

SOFT_HYPHEN = "\u00ad"  # marks a hyphen printed at a line end inside a URL (the break is unsure)
SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)]*$")
URL_START = re.compile(r"(?:https?|ftp)://|www\.", re.I)
CITE_START = re.compile(
    r"[\"“‘]\S"  # a quoted title
    # authors (one or several, comma-separated), then an opening quote or an italic title
    r"|(?:[A-Z][\w.'’-]*(?:\s+[\w.'’&-]+){0,6}?,\s*){1,4}?(?:(?<=\s)[\"“‘*]|[“‘])\S"
)
_YEAR = re.compile(rf"\b{NOTE_YEAR}\b")
_TITLE_END = re.compile(r"[,.?!][\"”’]\s+(?:\*|[A-Z])")
# A URL followed, up to the end, by words without punctuation: a link underline hid underscores
# ("…/publication/353315426 Hezbollah Symbolism and Its activities in Azerbaijan").
URL_WORDS = re.compile(
    r"(?:https?://|www\.)\S*[A-Za-z0-9]((?: (?!(?:accessed|retrieved)\b)[A-Za-z][a-z]*){2,10})$", re.I
)


def _is_url_path(token: str) -> bool:
    """The rest of a URL cut at a line end: ``news.com/articles/...``, ``ports/documents/x.pdf``."""
    return (
        len(token) >= 10
        and bool(re.search(r"[a-z]", token, re.I))
        and (bool(re.match(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/", token, re.I)) or token.count("/") >= 2)
    )


def _is_url_rest(text: str) -> bool:
    """A lone token ending a URL cut at a line end: ``lation-06012022.html``, ``index.php?id=3``."""
    return (
        len(text) >= 4
        and not re.search(r"\s", text)
        and bool(re.search(r"/|\.(?:s?html?|pdf|php|aspx?|jsp|cfm)\b|[?=&#]", text, re.I))
    )


def reads_like_citation(text: str) -> bool:
    """Does the text read like a citation or a piece of one (a URL, authors or a quoted title and a year)?"""
    s = text.strip()
    if not s:
        return False
    first = s.split(None, 1)[0]
    if URL_START.match(s) or _is_url_path(first) or _is_url_rest(s):
        return True
    words = len(s.split())
    urls = find_urls(s)
    if urls:
        share = sum(m.end - m.start for m in urls) / len(s)
        return share >= 0.15 or words <= 60
    if words <= 60 and CITE_START.match(s) and _YEAR.search(s):
        return True
    # the end of a citation: a title closed by a quote, then a container, and a year
    return words <= 40 and bool(_TITLE_END.search(s)) and bool(_YEAR.search(s))


def head_kind(text: str) -> str:
    """How a fragment starts: url, urlpath, year, lower, cite or detail."""
    s = text.lstrip()
    if URL_START.match(s):
        return "url"
    if _is_url_path(s.split(None, 1)[0] if s else "") or _is_url_rest(s):
        return "urlpath"
    if re.match(rf"{NOTE_YEAR}\b", s):
        return "year"
    if s[:1].islower():
        return "lower"
    if CITE_START.match(s):
        return "cite"
    return "detail"


def tail_kind(text: str) -> str:
    """How a note or fragment ends: url_open, hyphen, month, dated, comma, semicolon, open, complete."""
    s = text.rstrip()
    last = s.rsplit(None, 1)[-1] if s else ""
    if URL_START.search(last) or _is_url_path(last):
        if s.endswith(("-", SOFT_HYPHEN)):
            return "url_open"
        # cut after a character where typesetting breaks URLs: "https://www." + "gov.gd/…"
        return "url_break" if re.search(r"(?:[._=?&#%~]|://|[^/]/)$", last) else "complete"
    if URL_WORDS.search(s):
        return "complete"  # words run on from a URL: its own words, printed without underscores
    if re.search(r"[A-Za-z]-$", s):
        return "hyphen"
    if re.search(rf"\b{MONTH_WORD}(?:\s+\d{{1,2}})?,$", s):
        return "month"  # a date still missing its year
    if re.search(rf"\b{NOTE_YEAR},$", s):
        return "dated"  # details given; a URL may follow
    if s.endswith(";"):
        return "semicolon"
    if s.endswith((",", ":")):
        return "comma"
    if SENTENCE_END.search(s) or s.endswith(("*", '"', "\u201d")):
        return "complete"
    return "open"  # stops mid-sentence


def url_goes_on(text: str, part: str) -> bool:
    """Does ``part`` start with the rest of a URL that ``text`` ends with (cut at a full line)?"""
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    first = part.split(None, 1)[0]
    if not URL_START.search(last) or URL_START.match(first) or last.endswith((",", ";", ")")):
        return False
    if not re.fullmatch(r"[\w%~.\-/?&=#:+,;!*'()@]+", first):
        return False
    if _cut_inside_a_word(last, first):
        return True
    if re.search(r"[/._=?&#%~:]$", last) and re.fullmatch(r"[\w%-]*\d[\w%-]*[.,;]?", first):
        return True  # an ID after a break character: ".../en/" + "202306182196"
    return _reads_as_url_rest(first)


def _cut_inside_a_word(last: str, first: str) -> bool:
    """Is the URL cut inside a word: "….h" + "tml", "…and-ir" + "an;", "…5aa58" + "58e"?"""
    a = re.search(r"[A-Za-z0-9]*$", last)
    b = re.match(r"[A-Za-z0-9]+(?=[.,;)]?$)", first)
    if not (a and b):
        return False
    joined = (a.group(0) + b.group(0)).lower()
    if last[: a.start()].endswith(".") and re.fullmatch(r"s?html?|pdf|php|aspx?|jsp|docx?|xlsx?", joined):
        return True
    word_cut = a.group(0).isalpha() and b.group(0).isalpha() and b.group(0).islower()
    if word_cut and word_score(joined) >= max(3.0, word_score(a.group(0)) + 0.5):
        return True
    ids = [x for x in (a.group(0), b.group(0)) if re.search(r"\d", x) and re.search(r"[a-z]", x, re.I)]
    return len(ids) == 2 or bool(ids and len(b.group(0)) <= 4 and re.search(r"\d", b.group(0)))


def _reads_as_url_rest(first: str) -> bool:
    """Does a word read as the rest of a URL, by the break characters inside it?"""
    inner = len(re.findall(r"[/._=?&#%~-]", first.rstrip(".,;")))
    if first[:1].isupper():
        return inner >= 2 and len(first) >= 8  # "Ukraine-The-geopolitical-…"
    return inner >= 1 and bool(re.search(r"/|%|=|\.(?:s?html?|pdf|php|aspx?)\b|\w-\w", first))
