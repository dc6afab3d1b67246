"""Reading one citation's text: quote marks, parentheses, comma segments, masks, italics, clean fields.

These are the tools the field decisions share (``titles``, ``names``, ``containers``, ``legal``,
``academic``): they say where things are in the text, not what they are. Every offset indexes
the citation as printed: URLs, DOIs and date cues are masked with spaces of the same length,
never cut out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pipeline.core.models import Span
from pipeline.core.text.dates import DateMatch

DOUBLE_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb'  # guillemets too (French, Russian styles)
# "Inc."/"Jr." after a comma stay with the name before.
_CORPORATE_SUFFIX = re.compile(r"^(?:Inc|Co|Corp|Ltd|LLC|L\.L\.C|LLP|PLC|S\.A|GmbH|Jr|Sr|II|III)\.?$")
# A segment that points into a source ("vol. 3", "pp. 4-5", "§ 12", "12"): never a title or publication.
LOCATOR = re.compile(
    r"^(?:(?:vol|vols|no|nos|issue|iss|p|pp|para|paras|at|ch|chap|sec|art|fig|n|nn)\b\.?|[\u00a7\u00b6])"
    r"\s*[\dIVXivx]|^\d[\d\s,.\-\u2013]*(?:\s|$)",
    re.I,
)
_ITALIC_NOISE = re.compile(
    r"^(?:see(?:\s+also|\s+generally)?(?:,?\s*e\.g\.?)?|cf|e\.g|i\.e|id|ibid|supra|infra|accord|contra|"
    r"compare|but\s+see|et\s+al|passim|available\s+at|in|at|with|note)\W*$",
    re.I,
)
_ABBREVIATIONS = {
    "capt", "co", "col", "corp", "dr", "gen", "gov", "hon", "inc", "jr", "lt", "ltd", "maj", "mr", "mrs",
    "ms", "mt", "no", "nos", "pp", "prof", "rep", "rev", "sen", "sgt", "sr", "st", "vol", "vs",
}  # fmt: skip


def quote_role(text: str, i: int) -> str | None:
    """Is the double quote at ``i`` opening or closing? Straight quotes are judged by context."""
    ch = text[i]
    if ch in "\u201c\u201e\u00ab":
        return "open"
    if ch in "\u201d\u00bb":
        return "close"
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isspace() or prev in '([{\u2013\u2014/"\u201c':
        return "open"
    if nxt.isspace() or nxt in ',.;:)]}!?"\u201d':
        return "close"
    return None


def has_sentence_break(text: str) -> bool:
    """A full stop that ends a sentence ("established. In"), not an abbreviation ("U.S. Relations")."""
    for m in re.finditer(r"(\S+)[.!?][\"\u201d\u2019]?\s+(?=[A-Z\"\u201c])", text):
        word = m.group(1).strip("\"'\u201c\u2018(")
        if len(word) >= 2 and word.isalpha() and word.lower() not in _ABBREVIATIONS and not word.isupper():
            return True
    return False


def strip_unbalanced(text: str) -> str:
    """Punctuation and quotes at the ends stripped, and a bracket at either end that is not closed."""
    text = text.strip(" ,:;.\"'\u201c\u201d\u2018\u2019")
    if text.startswith(("(", "[")) and text.count("(") + text.count("[") > text.count(")") + text.count("]"):
        text = text[1:]
    if text.endswith((")", "]")) and text.count(")") + text.count("]") > text.count("(") + text.count("["):
        text = text[:-1]
    return text.strip(" ,:;.")


def italic_runs(raw: str, italics: Sequence[Span], offset: int) -> list[tuple[int, int]]:
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


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span blanked out by spaces: the same length, so offsets still hold."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def paren_depths(text: str) -> list[int]:
    """The bracket depth at each character (an opening bracket counts itself, a closing one too)."""
    depth, out = 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        out.append(depth)
        if ch in ")]":
            depth = max(0, depth - 1)
    return out


def segments(text: str, start: int, end: int, dates: Sequence[DateMatch]) -> list[tuple[int, int]]:
    """Comma-separated segments of ``text[start:end]`` outside parentheses; each date is its own.

    Commas inside numbers ("10,000") do not separate, and "Inc."/"Jr." stay with the name before.
    """
    return _trimmed(text, _cuts(text, start, end, dates))


def _cuts(text: str, start: int, end: int, dates: Sequence[DateMatch]) -> list[tuple[int, int]]:
    """Cut at commas and semicolons outside brackets and numbers, and around each date."""
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
    return cuts


def _trimmed(text: str, cuts: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Trim spaces, punctuation and quotes off each cut; drop empty ones; join corporate suffixes."""
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


def strip_trailing_parens(text: str) -> str:
    """``text`` without the parentheticals that end it ("Title (2020)" -> "Title"), unless nothing is left."""
    while True:
        new = re.sub(r"\s*\([^()]*\)\s*\.?$", "", text)
        if new == text or not new.strip():
            return text
        text = new


def clean(text: str | None) -> str | None:
    """A field as it is stored: spaces squashed, quotes and punctuation at the ends dropped."""
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip(' ,;:"\u201c\u201d')
    if text.endswith(("'", "\u2019")):
        if re.search(r"(?:^|\s)['\u2018]\w", text):
            text = re.sub(r"[,.]+(['\u2019])$", r"\1", text)  # 'Looking Eastwards,' -> 'Looking Eastwards'
        else:
            text = text[:-1]
    text = text.lstrip("'\u2018").strip(" ,;:")
    text = strip_unbalanced(text) if text.count("(") != text.count(")") else text
    return text or None


def is_caps(text: str) -> bool:
    """Printed in capitals (small capitals come out of the PDF as capitals): a Bluebook periodical."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) >= 0.85
