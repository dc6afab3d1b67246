"""Text input read into pieces: labelled notes, unlabelled note fragments, and body text.

Blocks (split at blank lines) and their lines are the units. A line that starts with a note
label (¹², 12., [12], $^{12}$, or a word such as "Table" standing in for a lost number) starts a
note; labels are read in sequence, so a year or a count is not a note number. Notes run
together on one line are cut at the labels inside it. An unlabelled block is a note fragment
when it reads like a citation (a URL, a quoted title with a date), else body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.footnotes.cues import CITE_START, URL_START, reads_like_citation
from pipeline.core.footnotes.markers import FROM_SUP, SUP
from pipeline.core.text.urls import find_urls


@dataclass
class TextLine:
    """A non-empty line of the text and the page it is on."""

    page: int
    text: str


@dataclass
class Piece:
    """A run of text of one kind: a labelled note, an unlabelled note fragment, or body text."""

    kind: str  # "note", "fragment" or "body"
    page: int
    block: int
    parts: list[str] = field(default_factory=list)
    number: int | None = None  # None for a note whose label is a word ("Table") until it is placed
    label: str = ""


@dataclass
class Labels:
    """Note numbers read so far: a label is plausible only near the sequence."""

    seen: set[int] = field(default_factory=set)
    high: int = 0

    def plausible(self, n: int, *, first_max: int) -> bool:
        """Could ``n`` be the next label (the first one at most ``first_max``)?"""
        if n <= 0 or n in self.seen:
            return False
        if not self.seen:
            return n <= first_max
        return self.high - 15 <= n <= self.high + 10

    def take(self, n: int) -> None:
        """Record ``n`` as a label read."""
        self.seen.add(n)
        self.high = max(self.high, n)


@dataclass
class _Label:
    """A note label found in a line: its number (None for a word), as printed, and where it is."""

    number: int | None
    text: str
    start: int
    end: int


_START_SUP = re.compile(rf"([{SUP}]{{1,4}})(?![{SUP}])\s*(?=\S)")
_START_NUMBER = re.compile(r"(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)]?)\s+(?=[\"“‘'*(]?[A-Z])")
_START_WORD = re.compile(r"(Table|Figure)\s+(?=[\"“‘'*]?[A-Z])")
# A note that is only a URL: its label is followed by the URL, not by a capital.
_START_NUMBER_URL = re.compile(
    r"(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)]?)\s+(?=(?:https?|ftp)://|www\.)", re.I
)
_MID_SUP = re.compile(rf"(?<=\s)([{SUP}]{{1,4}})(?![{SUP}])\s*(?=[\"“‘'*(]?[A-Z])")
_MID_NUMBER = re.compile(r"(?<=\S )(\d{1,3}) (?=[\"“]?[A-Z])")


def _start_label(text: str, logical: str, labels: Labels, *, trusted: bool, in_note: bool) -> _Label | None:
    """The note label a line starts with, if any.

    ``logical`` is the line with its wrapped continuation lines (up to the next label-like line);
    ``trusted``: the line starts a block or follows a note line; ``in_note``: it follows a note line.
    """
    m = _START_SUP.match(text)
    if m:
        n = int(m.group(1).translate(FROM_SUP))
        rest = logical[m.end() :]
        if labels.plausible(n, first_max=20) and (trusted or reads_like_citation(rest)):
            return _Label(n, m.group(1), 0, m.end())
        return None
    m = _START_NUMBER.match(text)
    if m:
        n = int(next(g for g in m.groups() if g))
        next_in_list = in_note and n == labels.high + 1
        if labels.plausible(n, first_max=5) and (next_in_list or reads_like_citation(logical[m.end() :])):
            return _Label(n, m.group(0).strip(), 0, m.end())
        return None
    m = _START_NUMBER_URL.match(text)
    if m:
        # only the number the list expects next: "2 https://…" may also be a URL's own line
        n = int(next(g for g in m.groups() if g))
        expected = n == labels.high + 1 if labels.seen else n == 1
        return _Label(n, m.group(0).strip(), 0, m.end()) if expected and trusted else None
    m = _START_WORD.match(text)
    if m and (reads_like_citation(logical[m.end() :]) or CITE_START.match(text[m.end() :])):
        return _Label(None, m.group(1), 0, m.end())
    return None


def _logical_line(block: list[TextLine], i: int) -> str:
    """Line ``i`` with the lines that wrap on from it (up to the next line that starts like a note).

    A few lines are enough to see a citation; the cap keeps long wrapped blocks linear.
    """
    out = [block[i].text]
    for line in block[i + 1 : i + 8]:
        if _START_SUP.match(line.text) or _START_NUMBER.match(line.text) or _START_WORD.match(line.text):
            break
        out.append(line.text)
    return " ".join(out)


def _mid_labels(text: str, labels: Labels, current: int | None) -> list[_Label]:
    """Labels inside a note line (notes run together), read in sequence after ``current``."""
    found = sorted(
        [(m, True) for m in _MID_SUP.finditer(text)] + [(m, False) for m in _MID_NUMBER.finditer(text)],
        key=lambda x: x[0].start(),
    )
    out: list[_Label] = []
    seen = set(labels.seen)
    for m, sup in found:
        n = int(m.group(1).translate(FROM_SUP))
        if n in seen or (out and m.start() < out[-1].end):
            continue
        before = text[: m.start()].split()[-1:] or [""]
        if not sup and not (URL_START.search(before[0]) or before[0][-1:] in '.;)]"”/'):
            continue  # a plain number ends a citation only after a URL or a full stop
        last = out[-1].number if out else current
        if last is not None:
            ok = last < n <= last + (3 if sup else 1)
        else:
            ok = labels.plausible(n, first_max=20 if sup else 5) and (sup or n == labels.high + 1)
        if ok:
            out.append(_Label(n, m.group(1), m.start(), m.end()))
            seen.add(n)
    return out


def _split_after_urls(text: str) -> list[str]:
    """Cut a fragment where a URL is followed by text that cannot follow it in one citation.

    In an interleaved extraction the end of one note and the middle of another can share a line:
    ``…/officialgazette Vol. 18, Issue 100, …``. After a URL a citation ends, or a new one starts.
    """
    cuts = []
    for match in find_urls(text):
        end = match.end
        rest = text[end:]
        m = re.match(r"\s+(?=[A-Z])", rest)
        if not m:
            continue
        after = rest[m.end() :]
        if CITE_START.match(after) or re.match(r"(?:Accessed|Retrieved|Archived|Last|Viewed)\b", after):
            continue
        if "," not in after and not find_urls(after):
            continue  # a run of words, not citation details: the URL's own words (lost underscores)
        cuts.append(end + m.end())
    pieces = []
    prev = 0
    for cut in cuts:
        pieces.append(text[prev:cut].strip())
        prev = cut
    pieces.append(text[prev:].strip())
    return [p for p in pieces if p]


def read_pieces(blocks: list[list[TextLine]], labels: Labels) -> list[Piece]:
    """Read the blocks line by line into notes, fragments and body text (``labels`` take the numbers)."""
    pieces: list[Piece] = []
    for b, block in enumerate(blocks):
        current: Piece | None = None
        for i, line in enumerate(block):
            text = line.text
            in_note = current is not None and current.kind != "body"
            logical = _logical_line(block, i)
            label = _start_label(text, logical, labels, trusted=i == 0 or in_note, in_note=in_note)
            if label is not None:
                if label.number is not None:
                    labels.take(label.number)
                current = Piece("note", line.page, b, number=label.number, label=label.text)
                pieces.append(current)
                text = text[label.end :]
            elif current is None:
                # a superscript number that is no label is text: "²⁰²³," continues a date
                text = re.sub(rf"^[{SUP}]+", lambda m: m.group(0).translate(FROM_SUP), text)
                mids = _mid_labels(text, labels, None)
                head = text[: mids[0].start] if mids else logical
                current = Piece("fragment" if reads_like_citation(head) else "body", line.page, b)
                pieces.append(current)
            if current.kind == "body":
                current.parts.append(text)
                continue
            pos = 0
            for mid in _mid_labels(text, labels, current.number):
                _add_note_text(pieces, current, text[pos : mid.start])
                if mid.number is not None:
                    labels.take(mid.number)
                current = Piece("note", line.page, b, number=mid.number, label=mid.text)
                pieces.append(current)
                pos = mid.end
            current = _add_note_text(pieces, current, text[pos:])
    return pieces


def _add_note_text(pieces: list[Piece], piece: Piece, text: str) -> Piece:
    """Add a line to a note or fragment; a fragment line may hold the ends of two notes."""
    text = text.strip()
    if not text:
        return piece
    segments = _split_after_urls(text) if piece.kind == "fragment" else [text]
    piece.parts.append(segments[0])
    for seg in segments[1:]:
        piece = Piece("fragment", piece.page, piece.block, parts=[seg])
        pieces.append(piece)
    return piece


def number_word_labels(pieces: list[Piece], labels: Labels) -> None:
    """Give notes labelled by a word ("Table") the missing numbers between their neighbours."""
    for i, piece in enumerate(pieces):
        if piece.kind != "note" or piece.number is not None:
            continue
        before = max((p.number for p in pieces[:i] if p.kind == "note" and p.number), default=0)
        after = min((p.number for p in pieces[i + 1 :] if p.kind == "note" and p.number), default=None)
        free = [n for n in range(before + 1, (after or before + 2)) if n not in labels.seen]
        if free:
            piece.number = free[0]
            labels.take(free[0])
        else:
            piece.kind = "fragment"
            piece.parts[:1] = [f"{piece.label} {piece.parts[0]}" if piece.parts else piece.label]
